"""Frozen pydantic models of a contract: what must hold, never how it is checked.

The YAML format is documented in docs/contract-format.md. Every column and every rule carries
the article of the protocol it comes from, so that an auditor can trace each check to the text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from datacontract.contract.base import (
    Article as Article,
)
from datacontract.contract.base import (
    Category as Category,
)
from datacontract.contract.base import (
    ColumnType as ColumnType,
)
from datacontract.contract.base import (
    Detector as Detector,
)
from datacontract.contract.base import (
    FileFormat as FileFormat,
)
from datacontract.contract.base import (
    Format as Format,
)
from datacontract.contract.base import (
    Identifier as Identifier,
)
from datacontract.contract.base import (
    JsonPath as JsonPath,
)
from datacontract.contract.base import (
    Model as Model,
)
from datacontract.contract.invariants import (
    Invariant as Invariant,
)
from datacontract.contract.invariants import (
    InvariantBase as InvariantBase,
)
from datacontract.contract.rules import (
    AgeBetweenRule as AgeBetweenRule,
)
from datacontract.contract.rules import (
    AtMostRule as AtMostRule,
)
from datacontract.contract.rules import (
    FlagMatchesCountRule as FlagMatchesCountRule,
)
from datacontract.contract.rules import (
    ForbiddenColumnsRule as ForbiddenColumnsRule,
)
from datacontract.contract.rules import (
    ForbiddenContentRule as ForbiddenContentRule,
)
from datacontract.contract.rules import (
    PartEqualsRule as PartEqualsRule,
)
from datacontract.contract.rules import (
    PartsCountRule as PartsCountRule,
)
from datacontract.contract.rules import (
    Rule as Rule,
)
from datacontract.contract.rules import (
    RuleBase as RuleBase,
)
from datacontract.contract.rules import (
    SingleValueRule as SingleValueRule,
)
from datacontract.contract.rules import (
    SumEqualsRule as SumEqualsRule,
)
from datacontract.contract.rules import (
    UniqueRule as UniqueRule,
)

# What a YAML author may write where the model keeps a tuple of ids: one id, or a list of them
# (so that the JSON Schema, schemas/contract.schema.json, accepts `made_by: opgroeien_it`).
OneOrMany = Identifier | list[Identifier]
OneOrMoreIds = Identifier | Annotated[list[Identifier], Field(min_length=1)]


class Protocol(Model):
    """The source text a contract encodes."""

    title: str
    date: dt.date
    seed: str
    url: str | None = None


# An Ed25519 public key as a contract declares it: the base64 of its 32 raw bytes, or the base64
# line of a PARTY.pub (SubjectPublicKeyInfo, RFC 8410), which begins with the same 16 characters.
PublicKeyText = Annotated[
    str, Field(pattern=r"^(?:MCowBQYDK2VwAyEA)?[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$")
]


class Party(Model):
    """A party of the protocol. `keys`: its Ed25519 public keys; once any party declares keys,
    every event must be signed by a key its author declares (flow/authority.py)."""

    id: Identifier
    name: str
    role: str | None = None
    article: Article
    keys: tuple[PublicKeyText, ...] = ()


class Channel(Model):
    id: Identifier
    name: str
    description: str | None = None
    article: Article


class Column(Model):
    """One column a dataset may hold, with what its values must be."""

    name: str
    type: ColumnType = "string"
    required: bool = True
    nullable: bool = False
    values: tuple[str | int, ...] | None = None
    # Values of this column that the contract declares (an enum or class label) may be shown
    # in reports; everything else found in a file is counted, never echoed.
    show_values: bool = False
    pattern: str | None = None
    format: Format | None = None
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False
    # Where the value sits in a nested JSON document (a dataset whose columns have paths is
    # read as one JSON document, see docs/contract-format.md); None for flat files.
    path: JsonPath | None = None
    # Admitted by reference to another text (a MAGDA element that randnummer 57 of
    # VTC 15/2018/B lists): named and counted as such by `coverage`, checked like any other.
    by_reference: bool = False
    category: Category
    article: Article
    note: str | None = None

    @field_validator("values")
    @classmethod
    def _distinct(cls, values: tuple[str | int, ...] | None) -> tuple[str | int, ...] | None:
        # A label listed twice is a typo (one meant another), and ODCS's enum, which export
        # writes the list as, must hold distinct items; named by position, never by value.
        seen: dict[str, int] = {}
        for position, value in enumerate(values or (), start=1):
            first = seen.setdefault(str(value), position)
            if first != position:
                raise ValueError(f"value {position} of the list repeats value {first}")
        return values

    @model_validator(mode="after")
    def _coherent(self) -> Column:
        if self.show_values and self.values is None:
            raise ValueError("show_values needs a list of values: only declared labels are shown")
        if self.format is not None and self.type != "string":
            raise ValueError(f"format {self.format!r} applies to string columns only")
        if self.pattern is not None and self.type != "string":
            raise ValueError("pattern applies to string columns only")
        if (self.minimum is not None or self.maximum is not None) and self.type not in (
            "integer",
            "number",
        ):
            raise ValueError("minimum and maximum apply to integer and number columns only")
        return self


class ContentDetector(Model):
    """A kind of personal data looked for in every cell, whatever the column is called."""

    id: Identifier
    detector: Detector
    # For detector 'pattern': an RE2 regular expression (no look-around).
    pattern: str | None = None
    article: Article
    note: str | None = None

    @model_validator(mode="after")
    def _pattern_given(self) -> ContentDetector:
        if (self.detector == "pattern") != (self.pattern is not None):
            raise ValueError("a pattern is given exactly when detector is 'pattern'")
        return self


FilePart = Literal[
    "sheet", "pivot_cache", "embedding", "image", "macros", "external_link", "history", "trailing"
]
"""The kinds of part beside the table a contract may let travel (read/parts.BEYOND; a test
keeps the two the same)."""


class FileRules(Model):
    """What the protocol says about the file itself, not its rows."""

    formats: tuple[FileFormat, ...] = ()
    # A data file is exactly the table (art. 3: these data and nothing else): every part of
    # a kind that is more than the table (another sheet holding data, a pivot cache, an
    # embedded file, ...) refuses the file unless listed here; its text is searched still.
    parts: tuple[FilePart, ...] = ()
    encrypted: bool = False
    # The fewest data rows a transferred file may hold: an empty delivery is no delivery.
    min_rows: int | None = Field(default=None, ge=0)
    article: Article


class MagdaDocument(Model):
    """The MAGDA document a dataset's XML files must be: the service element (local name), the
    version of the service's definition (`02.01`), checked against its XML Schema."""

    element: str = Field(min_length=1)
    version: str = Field(pattern=r"^[0-9]{2}\.[0-9]{2}$")
    article: Article


class NeverByReference(Model):
    """What a column accepted by reference may never be: direct identifiers, refused by name.

    A name matches when, lowercased and without accents, it equals one of `names`, holds it as
    a word (between `_`, `-`, `.`, spaces or a change of case) or ends with it (Dutch compounds:
    `kindnaam`, `moederGeboortedatum`).
    """

    names: tuple[str, ...] = Field(min_length=1)
    article: Article


class AllowByReference(Model):
    """The only names a column accepted by reference may have: exact `names`, or `patterns`
    (regular expressions matched against the whole name). An allow-list, not a deny-list: a
    column that is neither declared nor allowed is refused by name (001 art. 4: the simulation
    teams get a pseudonymised dataset, not whatever columns an export happens to carry)."""

    names: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    article: Article

    @model_validator(mode="after")
    def _something(self) -> AllowByReference:
        if not self.names and not self.patterns:
            raise ValueError("allow needs names or patterns")
        return self

    def allows(self, name: str) -> bool:
        """Whether a column name is one the contract allows by reference."""
        return name in self.names or any(re.fullmatch(p, name) for p in self.patterns)


class ByReference(Model):
    """Columns the protocol defines by reference to another text, which the contract must not
    invent: they are accepted only when `allow` names them (a name or a pattern), are named in
    every report, and are never a door for what the protocol forbids: `never` lists the direct
    identifiers refused by name even when allowed, and the dataset's `forbidden_content` rules
    scan these columns too (load.py requires both)."""

    text: str
    article: Article
    allow: AllowByReference
    never: NeverByReference


class RetentionReference(Model):
    """Where a retention term starts in the data itself (003 art. 3, b: "5 jaar vanaf de
    laatste betaling"): the latest date of `column`, among the rows where `positive` (if given)
    is above zero. The hooks record it with the event; `retained_at_most` counts from it."""

    column: str
    positive: str | None = None
    article: Article


class Dataset(Model):
    id: Identifier
    title: str
    made_by: tuple[Identifier, ...] = ()
    made_at_step: str | None = None
    derived_from: tuple[Identifier, ...] = ()
    # The columns that name a row across files (a family's income provider): hops record an
    # order-independent digest of them, so the prover can compare a file with its source.
    keys: tuple[Identifier, ...] = ()
    article: Article
    columns: tuple[Column, ...] = Field(min_length=1)
    rules: tuple[Rule, ...] = ()
    file: FileRules | None = None
    columns_by_reference: ByReference | None = None
    retention_reference: RetentionReference | None = None
    magda: MagdaDocument | None = None
    note: str | None = None

    @field_validator("made_by", mode="before", json_schema_input_type=OneOrMany)
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def nested(self) -> bool:
        """Whether files of this dataset are nested JSON documents (its columns have paths)."""
        return any(c.path is not None for c in self.columns)


class NamesParty(Model):
    """A column every row of a hop's file must fill with one of the hop's parties: the id in
    capitals (`ua` = INFINO when infino receives). For the hops whose text gives a party its
    own clients or families (000 art. 6: "een deelbestand met gegevens over diens cliënten";
    D3 stap 4: each payer returns its own file)."""

    column: Identifier
    party: Literal["sender", "receiver"]
    article: Article


class Hop(Model):
    """One declared transfer of a dataset from a party to a party over a channel; `names`: the
    columns whose every row must name the sending or receiving party (NamesParty)."""

    id: Identifier
    dataset: Identifier
    sender: tuple[Identifier, ...] = Field(alias="from", min_length=1)
    receiver: tuple[Identifier, ...] = Field(alias="to", min_length=1)
    channel: Identifier
    step: str | None = None
    optional: bool = False
    names: tuple[NamesParty, ...] = ()
    article: Article
    note: str | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("sender", "receiver", mode="before", json_schema_input_type=OneOrMoreIds)
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


class Milestone(Model):
    id: Identifier
    title: str
    party: Identifier | None = None
    article: Article


class ItemPart(Model):
    """One part of an item's text (`recht` and `type` of an allowance) and what encodes it."""

    text: str = Field(min_length=1)
    encoded_by: tuple[str, ...] = ()


class Item(Model):
    """One item of the protocol's article 3 (the data that may cross), and what encodes it.

    `encoded_by` names columns as `dataset.column` and rules by id; `status` says whether the
    contract encodes the item, encodes only part of it (`partial`, with what is `missing`),
    leaves it to the text it refers to (`by_reference`: fields a protocol defines elsewhere,
    which the contract must not invent), or does not encode it. `parts` splits the text where
    it asks for several things: a part that nothing encodes makes the item partial at most.
    """

    id: str = Field(min_length=1)
    text: str
    article: Article
    status: Literal["encoded", "partial", "by_reference", "not_encoded"] = "encoded"
    encoded_by: tuple[str, ...] = ()
    parts: tuple[ItemPart, ...] = ()
    missing: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _missing_says_why(self) -> Item:
        if self.status == "partial" and not (self.missing or "").strip():
            raise ValueError("a partial item says what is missing and why ('missing')")
        if self.status != "partial" and self.missing is not None:
            raise ValueError("'missing' belongs to a partial item")
        return self

    @property
    def uncovered(self) -> tuple[str, ...]:
        """The parts of its text that nothing encodes."""
        return tuple(p.text for p in self.parts if not p.encoded_by)


class Separation(Model):
    """Data of these categories never meet at one party (the declared flow is checked)."""

    first: tuple[Category, ...] = Field(min_length=1)
    second: tuple[Category, ...] = Field(min_length=1)
    article: Article


class Contract(Model):
    """One contract: its id and version, parties, datasets, hops, milestones and invariants."""

    contract: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str
    title: str
    protocol: Protocol
    parties: tuple[Party, ...] = Field(min_length=1)
    channels: tuple[Channel, ...] = ()
    detectors: tuple[ContentDetector, ...] = ()
    datasets: tuple[Dataset, ...] = Field(min_length=1)
    hops: tuple[Hop, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    invariants: tuple[Invariant, ...] = ()
    # Categories of data the protocol keeps apart: wherever declared hops bring them to one
    # party, a never_held_together invariant must keep them apart (`prove` without a ledger).
    separate: Separation | None = None
    # The items of the protocol's article 3, each with what encodes it (datacontract coverage).
    items: tuple[Item, ...] = ()
    note: str | None = None

    def dataset(self, dataset_id: str) -> Dataset | None:
        return next((d for d in self.datasets if d.id == dataset_id), None)

    def detector(self, detector_id: str) -> ContentDetector | None:
        return next((d for d in self.detectors if d.id == detector_id), None)

    def hop(self, hop_id: str) -> Hop | None:
        return next((h for h in self.hops if h.id == hop_id), None)

    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)
