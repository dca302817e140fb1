"""The flow invariants a contract may declare: one typed model of parameters per kind.

An invariant is written `kind:` + `params:` (docs/contract-format.md, "Invariants"); `kind`
selects the model of its `params` (a pydantic discriminated union), and every model forbids
keys it does not know, so that a misspelt kind or parameter, a wrong type or an unknown unit
is refused when the contract loads (`file:line:col`, with a suggestion), never skipped when
the flow is checked. How each kind is checked lives in flow/invariants.py, whose registry
names every kind declared here (a test fails on drift).

Names of the contract inside the parameters are typed by what they name (`PartyRef`,
`DatasetRef`, `HopRef`, `MilestoneRef`, with contract/refs.py's marker, as a rule's columns
are): contract/references.py finds them by that type (`refs`) and checks that each points at
something the contract declares.

Terms (`days`, `weeks`, `months`, `years`) are counted on the calendar: the protocols speak
in months and years ("6 maanden", "5 jaar"); see `Term.after`.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, model_validator

from datacontract.contract.base import Article, Identifier, Model
from datacontract.contract.refs import Ref

PartyRef = Annotated[Identifier, Ref("party")]
DatasetRef = Annotated[Identifier, Ref("dataset")]
HopRef = Annotated[Identifier, Ref("hop")]
MilestoneRef = Annotated[Identifier, Ref("milestone")]

Parties = Annotated[tuple[PartyRef, ...], Field(min_length=1)]
Datasets = Annotated[tuple[DatasetRef, ...], Field(min_length=1)]
Hops = Annotated[tuple[HopRef, ...], Field(min_length=1)]

# A whole number of a unit of time: a YAML `30`, never `"30"`, `true` or `-1`.
Count = Annotated[int, Field(strict=True, ge=0)]


class Term(Model):
    """A term of time, in calendar units: any of `days`, `weeks`, `months`, `years` (at least
    one above zero), added in that order: years and months on the calendar, then weeks and
    days. A month from 31 January is the end of February; a year from 29 February is
    28 February (the day is moved back to the last day of the month when the month is
    shorter); a week is 7 days."""

    days: Count = 0
    weeks: Count = 0
    months: Count = 0
    years: Count = 0

    @model_validator(mode="after")
    def _some_term(self) -> Term:
        if not (self.days or self.weeks or self.months or self.years):
            raise ValueError("give the term in days, weeks, months or years (one above zero)")
        return self

    @property
    def days_only(self) -> bool:
        """Whether the term is given in days alone (as most contracts give it)."""
        return not (self.weeks or self.months or self.years)

    def after(self, start: datetime) -> datetime:
        """`start` plus this term, on the calendar of `start` (its offset kept)."""
        return add_term(
            start, days=self.days, weeks=self.weeks, months=self.months, years=self.years
        )


def add_term(
    start: datetime, *, days: int = 0, weeks: int = 0, months: int = 0, years: int = 0
) -> datetime:
    """`start` + years and months on the calendar (the day clamped to the month's last), then
    + weeks and days. Raises OverflowError past year 9999."""
    total = start.month - 1 + months + 12 * years
    year, month = start.year + total // 12, total % 12 + 1
    if not 1 <= year <= 9999:
        raise OverflowError("a term beyond year 9999")
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day) + timedelta(days=days + 7 * weeks)


class NoParams(Model):
    """A kind that takes no parameters: `params` is absent or empty."""


class NeverHeldTogetherParams(Model):
    party: PartyRef
    first: Datasets
    second: Datasets


class MilestoneHopsParams(Model):
    """`hop` (one) or `hops` (a list), and the milestone."""

    hop: HopRef | None = None
    hops: Hops | None = None
    milestone: MilestoneRef

    @model_validator(mode="after")
    def _hop_or_hops(self) -> MilestoneHopsParams:
        if (self.hop is None) == (self.hops is None):
            raise ValueError("give either 'hop' or 'hops'")
        return self

    @property
    def all_hops(self) -> tuple[str, ...]:
        return self.hops if self.hops is not None else (self.hop or "",)


class ReceivedAfterMilestoneParams(MilestoneHopsParams):
    same_party: Annotated[bool, Field(strict=True)] = False


class ReceivedAfterDestroyedParams(Model):
    hop: HopRef
    party: PartyRef
    destroyed: Datasets


class NotAfterParams(Model):
    hops: Hops
    after_hop: HopRef


class NeverHoldsParams(Model):
    party: PartyRef
    datasets: Datasets


class SameKeysAsParams(Model):
    hop: HopRef
    source_hop: HopRef


class OnceBeforeParams(Model):
    """Once per party on the hops, sent before `deadline` and not before `not_before` (a
    window bounded at both ends: 001 art. 5 "in de loop van 2025")."""

    hops: Hops
    per: Literal["sender", "receiver"] = "sender"
    deadline: AwareDatetime | None = None
    not_before: AwareDatetime | None = None


class Fallback(Term):
    """Another milestone that starts the term when the first is never recorded."""

    milestone: MilestoneRef


class DestroyedWithinParams(Term):
    party: PartyRef
    datasets: Datasets
    milestone: MilestoneRef
    fallback: tuple[Fallback, ...] = ()
    latest: AwareDatetime | None = None


class RetainedAtMostParams(Term):
    parties: Parties
    datasets: Datasets


class PrecededByParams(Model):
    hops: Hops
    after_hops: Hops
    same: Literal["receiver", "reverse"] = "receiver"


class SqlParams(Model):
    """The declared SQL derivations: `sql` is a folder of `<dataset>.sql`, relative to the
    contract."""

    sql: str = Field(min_length=1)
    datasets: Datasets


class IdentifiersOnlyPseudonymisedParams(SqlParams):
    identifiers: Annotated[tuple[str, ...], Field(min_length=1)]
    pseudonymise_with: str = Field(default="keyed_pseudonym", min_length=1)


class IncomeOnlyInClassesParams(SqlParams):
    income: str = Field(default="^inkomen_", min_length=1)

    @model_validator(mode="after")
    def _compiles(self) -> IncomeOnlyInClassesParams:
        try:
            re.compile(self.income)
        except re.error as exc:
            raise ValueError(f"income is not a regular expression: {exc.msg}") from None
        return self


class InvariantBase(Model):
    """What every invariant has: an id, a title, the article it encodes, a note."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    title: str
    article: Article
    note: str | None = None


class NeverHeldTogether(InvariantBase):
    kind: Literal["never_held_together"]
    params: NeverHeldTogetherParams


class ReceivedAfterMilestone(InvariantBase):
    kind: Literal["received_after_milestone"]
    params: ReceivedAfterMilestoneParams


class ReceivedBeforeMilestone(InvariantBase):
    kind: Literal["received_before_milestone"]
    params: MilestoneHopsParams


class ReceivedAfterDestroyed(InvariantBase):
    kind: Literal["received_after_destroyed"]
    params: ReceivedAfterDestroyedParams


class NotAfter(InvariantBase):
    kind: Literal["not_after"]
    params: NotAfterParams


class NeverHolds(InvariantBase):
    kind: Literal["never_holds"]
    params: NeverHoldsParams


class ReceivedMatchesSent(InvariantBase):
    kind: Literal["received_matches_sent"]
    params: NoParams = NoParams()


class DeclaredOnly(InvariantBase):
    kind: Literal["declared_only"]
    params: NoParams = NoParams()


class NoRecordedViolation(InvariantBase):
    kind: Literal["no_recorded_violation"]
    params: NoParams = NoParams()


class LedgerIntact(InvariantBase):
    kind: Literal["ledger_intact"]
    params: NoParams = NoParams()


class SameKeysAs(InvariantBase):
    kind: Literal["same_keys_as"]
    params: SameKeysAsParams


class OnceBefore(InvariantBase):
    kind: Literal["once_before"]
    params: OnceBeforeParams


class DestroyedWithin(InvariantBase):
    kind: Literal["destroyed_within"]
    params: DestroyedWithinParams


class RetainedAtMost(InvariantBase):
    kind: Literal["retained_at_most"]
    params: RetainedAtMostParams


class PrecededBy(InvariantBase):
    kind: Literal["preceded_by"]
    params: PrecededByParams


class IdentifiersOnlyPseudonymised(InvariantBase):
    kind: Literal["identifiers_only_pseudonymised"]
    params: IdentifiersOnlyPseudonymisedParams


class IncomeOnlyInClasses(InvariantBase):
    kind: Literal["income_only_in_classes"]
    params: IncomeOnlyInClassesParams


Invariant = Annotated[
    NeverHeldTogether
    | ReceivedAfterMilestone
    | ReceivedBeforeMilestone
    | ReceivedAfterDestroyed
    | NotAfter
    | NeverHolds
    | ReceivedMatchesSent
    | DeclaredOnly
    | NoRecordedViolation
    | LedgerIntact
    | SameKeysAs
    | OnceBefore
    | DestroyedWithin
    | RetainedAtMost
    | PrecededBy
    | IdentifiersOnlyPseudonymised
    | IncomeOnlyInClasses,
    Field(discriminator="kind"),
]
"""One invariant of a contract: the model of its kind (`kind` selects it)."""


def invariant_models() -> dict[str, type[InvariantBase]]:
    """Every kind a contract may declare -> the model of an invariant of that kind."""
    union = Invariant.__origin__  # type: ignore[attr-defined]
    out: dict[str, type[InvariantBase]] = {}
    for cls in union.__args__:
        (kind,) = cls.model_fields["kind"].annotation.__args__
        out[kind] = cls
    return out


KINDS: tuple[str, ...] = tuple(invariant_models())
"""The invariant kinds, in the order they are declared."""
