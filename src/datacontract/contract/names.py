"""Which names an output may show: the one rule (docs/architecture.md, "Names are data too").

A name is data too: a column header, a JSON key, a worksheet, a file or a folder can hold a
child's name or national number (a Spark export writes `insz=YYMMDDSSSCC/part-0.parquet`), and
so can a column, party or contract id typed into a contract. The rule is an allow-list:

1. A name taken from a **data file** (a header, a key, a worksheet) is shown only when the
   contract declares it (`Declared.may_show`); any other is shown by its position and kind,
   `column 7 (not in the contract)` (`by_position`).
2. A name taken from a **contract** (an id, a column, a party, an ODCS property) is declared by
   definition, and is shown unless it looks like personal data (`looks_personal`): a national
   number typed where a name belongs is withheld even there.
3. A **path** the user gave (a data file) is shown only when every component is plain
   (`path_shown`): at most 64 characters each of ASCII letters, digits, `.`, `_` and `-`,
   not starting with `-`, and no component looks like personal data. Anything else (an `=`, a
   space, a non-ASCII letter, nine digits) is shown as `the file given as argument 2`
   (`file_label`); the report's `sha256` still names the file exactly.

`looks_personal` is the text rule every part shares: nine digits or more, whatever stands
between them that is not a letter (every rendering of an INSZ the personal detectors know:
`YYMMDDSSSCC`, `YY.MM.DD-SSS.CC`, `YY/MM/DD/SSS/CC`, spaced, grouped by thousands, in
scientific notation, with Unicode digits, dashes, spaces or invisible characters between the
groups, a number that lost its leading zero, and phone numbers), an `@` (an e-mail address),
or a control character. contract/ sits below personal/, so the rule
lives here in pure Python and personal/ builds its detectors' verdict on top of it
(personal/redact.py); tests/personal/test_names.py checks that every rendering the detectors
find is withheld here too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from datacontract.errors import DataContractError, InputFileError

if TYPE_CHECKING:
    from datacontract.contract.model import Contract

DIGITS = 9  # a run of nine digits across separators is withheld (an INSZ has 11)
WITHHELD = "(a name withheld: it looks like personal data)"

_PLAIN_COMPONENT = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}")


def looks_personal(name: str) -> bool:
    """Whether a name may be someone's data (see the module's rule 2): nine digits with no
    letter between them, an @ or a control character. (Length is no sign: an element path
    of a MAGDA document is a long name; personal/redact.py judges a file's header by its
    segments, each at most 80 characters.)"""
    return holds_personal_text(name)


def holds_personal_text(name: str) -> bool:
    """Nine digits across separators, eight that are a national number which lost its
    leading zeros (born 2000-2009, stored as a number), an @ or a control character,
    anywhere in the text."""
    if _MAIL.search(name):
        return True
    for m in _SCIENTIFIC.finditer(name):
        # `5.250009E07`: trailing zeros dropped, the mantissa alone is short; the number it
        # writes is what may be an INSZ (born 2000-2009, stored as a float)
        whole, frac, exp = m.group(1), m.group(2) or "", int(m.group(3))
        if 0 <= exp - len(frac) <= 10 and valid_insz(int(whole + frac) * 10 ** (exp - len(frac))):
            return True
    digits: list[str] = []
    for ch in name:
        if "0" <= ch <= "9":
            digits.append(ch)
            continue
        if ch < "\x80":
            if ch.isalpha():
                if _personal_run(digits, exponent=ch in "eE"):
                    return True
                digits = []
            elif ch < " " or ch == "\x7f":
                return True
            continue
        category = unicodedata.category(ch)
        if category == "Nd":
            digits.append(str(unicodedata.decimal(ch)))  # "３", "٣": a digit all the same
        elif category == "No":
            digits.append("0")  # "³", "①": a digit-like sign counts as a digit
        elif category == "Cc":
            return True
        elif category.startswith("L") and ch not in _FILLERS:
            if _personal_run(digits, exponent=False):
                return True
            digits = []
    return _personal_run(digits, exponent=False)


# An @ after anything but the start or a "/" (`Adres/@DatumModificatie` is an XML attribute's
# path; `x@`, `jan@example.org` may be an e-mail address), in any of Unicode's @ signs.
_MAIL = re.compile("(?<![/])(?<!^)[@\uff20\ufe6b]")


_SCIENTIFIC = re.compile(r"(\d)[.,]?(\d*)[eE]\+?(\d{1,2})")


def _personal_run(digits: list[str], *, exponent: bool) -> bool:
    """A run of digits (separators between them dropped) that may be a national number:
    nine or more, or eight that are one (zero-padded) or the mantissa of a scientific
    rendering (`8.1234567E10`)."""
    if len(digits) >= DIGITS:
        return True
    if len(digits) < 8:
        return False
    return exponent or valid_insz(int("".join(digits)))


def valid_insz(number: int) -> bool:
    """Whether an integer of up to 11 digits is a valid INSZ or bis number (its check digits
    by either century's formula, its month 00-12, 20-32 or 40-52). The same arithmetic as
    personal/insz.py `is_valid_number` (tests/personal/test_names.py holds them together):
    repeated here because contract/ sits below personal/."""
    if not 0 < number < 100_000_000_000:
        return False
    body, cc = divmod(number, 100)
    month = number // 10**7 % 100
    dated = month % 20 <= 12 and month <= 52
    return dated and cc in (97 - body % 97, 97 - (2_000_000_000 + body) % 97)


# Letters that render blank (Hangul fillers, the Braille blank is not a letter): no separator
# of digit groups may reset the count by looking like nothing.
_FILLERS = frozenset("\u3164\uffa0\u115f\u1160\u2800")


def shown(name: str) -> str:
    """A name from a contract as a message may quote it: `'stap_4'`, or withheld when it looks
    like personal data (looks_personal)."""
    return WITHHELD if looks_personal(name) else repr(name)


def plain(name: str, instead: str = "(withheld)") -> str:
    """A name from a contract, unquoted, for tables and JSON: the name, or `instead` when it
    looks like personal data."""
    return instead if looks_personal(name) else name


def by_position(position: int, what: str = "column") -> str:
    """How an undeclared name is shown: `column 7 (not in the contract)`; position from 0."""
    return f"{what} {position + 1} (not in the contract)"


@dataclass(frozen=True)
class Declared:
    """The names a contract declares for one dataset (its columns, at any depth), the only
    names from a file a report may show."""

    names: frozenset[str]

    @classmethod
    def of(cls, names: Iterable[str]) -> Declared:
        return cls(frozenset(n for n in names if not looks_personal(n)))

    def may_show(self, name: str) -> bool:
        """Rule 1: a name from a file is shown only when the contract declares it."""
        return name in self.names

    def label(self, name: str, position: int, what: str = "column") -> str:
        """The name if declared, else `<what> N (not in the contract)`."""
        return name if self.may_show(name) else by_position(position, what)


def path_shown(path: str) -> bool:
    """Rule 3: whether a path the user gave may be shown as it is."""
    if not path or len(path) > 1024:
        return False
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if not parts:
        return False
    # the whole path too: `YY/MM/DD/SSS/CC/x.csv` spreads a number over folders
    return all(_PLAIN_COMPONENT.fullmatch(p) for p in parts) and not holds_personal_text(path)


def file_label(path: str, position: int | None = None) -> str:
    """How a data file is named in every output: its path when path_shown, else `the file
    given as argument N` (position from 1, among the files the command was given), or `the
    file (its path withheld)` when the position is not known."""
    if path_shown(path):
        return path
    if position is None:
        return "the file (its path withheld)"
    return f"the file given as argument {position}"


def withholding_path(exc: DataContractError, path: str, label: str) -> DataContractError:
    """An error about a data file, its path replaced by the file's label (rule 3): the error
    itself when the path may be shown, else one of the same exit code whose message names the
    file by `label` and no component of the path that is not plain."""
    if label == path:
        return exc
    if isinstance(exc, InputFileError) and exc.path == path:
        return InputFileError(label, _without_path(exc.detail, path), exc.line)
    text = _without_path(str(exc).replace(path, label), path)
    try:
        named = type(exc)(text)
    except TypeError:  # an error class with more arguments: the base, with the same exit code
        named = DataContractError(text)
    named.exit_code = exc.exit_code
    return named


def _without_path(text: str, path: str) -> str:
    """text with every component of path that may not be shown replaced (a message that
    names the file's folder or its name alone)."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    for part in sorted(parts, key=len, reverse=True):
        if not path_shown(part) or holds_personal_text(part):
            text = text.replace(part, "(withheld)")
    return text


# The roles of the names a ledger's event carries, and the catalogue code (messages/) that is
# said in place of a name the contract does not declare.
WITHHELD_ROLES: dict[str, str] = {
    "party": "withheld.party",
    "dataset": "withheld.dataset",
    "hop": "withheld.hop",
    "milestone": "withheld.milestone",
}
# what is said in place of a recorded finding's rule that the contract does not declare, of
# its article when it is not that rule's, and of an event's contract version not the contract's
WITHHELD_RULE = "withheld.rule"
WITHHELD_ARTICLE = "withheld.article"
WITHHELD_VERSION = "withheld.version"


@dataclass(frozen=True)
class LedgerNames:
    """Rule 4: the names a ledger's events carry (party, sender, receiver, dataset, hop,
    milestone) are written by the parties, not by the contract; an output shows one only when
    the contract declares it in that role (its parties, datasets, hops, milestones). Any other
    is said by `withheld(role)` ("partij niet in het contract"), numbered by first appearance
    or cited by its event, never by its text: a hostile or mistaken event may name a national
    number or an e-mail address as a party. The one place every output (the proof in every
    format, `ledger verify`, `lineage export`) asks."""

    parties: Declared
    datasets: Declared
    hops: Declared
    milestones: Declared
    # rule id -> the articles it may be cited with, of every rule whose breach a hook records
    # (flow/withheld.py `ledger_names` fills it); a finding's rule not here is withheld
    rules: Mapping[str, frozenset[str]] = field(default_factory=dict, compare=False)

    @classmethod
    def of(
        cls, contract: Contract, rules: Mapping[str, frozenset[str]] | None = None
    ) -> LedgerNames:
        return cls(
            Declared.of(p.id for p in contract.parties),
            Declared.of(d.id for d in contract.datasets),
            Declared.of(h.id for h in contract.hops),
            Declared.of(m.id for m in contract.milestones),
            dict(rules or {}),
        )

    def rule_shown(self, rule: object) -> bool:
        """Whether a recorded finding's rule id may be printed: a rule the contract declares."""
        return isinstance(rule, str) and rule in self.rules

    def article_shown(self, rule: object, article: object) -> bool:
        """Whether a recorded finding's article may be printed: an article the contract gives
        that very rule."""
        return (
            isinstance(rule, str)
            and isinstance(article, str)
            and article in self.rules.get(rule, ())
        )

    def may_show(self, role: str, name: str | None) -> bool:
        """Whether `name` may be printed in `role` (a key of WITHHELD_ROLES; sender and
        receiver are parties): declared by the contract in that role."""
        if name is None:
            return True
        declared: Declared = getattr(self, _PLURAL[role])
        return declared.may_show(name)

    def declared(self, name: str) -> bool:
        """Whether the contract declares `name` in any role (for a name whose role is mixed,
        e.g. a message's value)."""
        return any(self.may_show(role, name) for role in WITHHELD_ROLES)

    def label(self, role: str, name: str, language: str = "en", number: int | None = None) -> str:
        """`name` when may_show, else what is said in its place in `language` ("en", "nl"),
        with ` (number)` when a number tells several apart."""
        if self.may_show(role, name):
            return name
        from datacontract.messages import render, say

        said = render(say(WITHHELD_ROLES[_ROLE[role]]), "nl" if language == "nl" else "en")
        return said if number is None else f"{said} ({number})"


_ROLE = {"sender": "party", "receiver": "party", **{r: r for r in WITHHELD_ROLES}}
_PLURAL = {r: {"party": "parties"}.get(_ROLE[r], _ROLE[r] + "s") for r in _ROLE}
