"""The references between parts of a contract: every name points at something it declares.

Parties, datasets, columns, detectors, hops, milestones and items are named across the
contract; `check_references` reports every name that points nowhere (with a suggestion), every
id declared twice, and the rules a kind of dataset needs (a by-reference dataset must be
scanned for national numbers and contact data), each at its `file:line:column`.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Iterable

from datacontract.contract import model
from datacontract.contract.names import looks_personal
from datacontract.contract.names import shown as shown
from datacontract.contract.refs import refs
from datacontract.errors import ContractError, Location, UsageError

Path_ = tuple[str | int, ...]


def personal_looking_names(contract: model.Contract) -> list[tuple[Path_, str]]:
    """Every name the contract declares that looks like personal data (contract/names.py):
    the contract's id, a party, channel, detector, dataset, column, rule, hop, milestone,
    invariant or article-3 item. A national number typed where a name belongs would be echoed
    by every command that names it (describe, coverage, export, changelog): it is refused at
    load, at its line and column, and never repeated."""
    named: list[tuple[Path_, str]] = [(("contract",), contract.contract)]
    for kind in ("parties", "channels", "detectors", "hops", "milestones", "invariants", "items"):
        for i, thing in enumerate(getattr(contract, kind)):
            named.append(((kind, i, "id"), str(thing.id)))
    for d_i, dataset in enumerate(contract.datasets):
        named.append((("datasets", d_i, "id"), dataset.id))
        for c_i, column in enumerate(dataset.columns):
            named.append((("datasets", d_i, "columns", c_i, "name"), column.name))
        for r_i, rule in enumerate(dataset.rules):
            named.append((("datasets", d_i, "rules", r_i, "id"), rule.id))
    return [
        (
            path,
            "this name looks like personal data (a national number, a phone number or an "
            "e-mail address; withheld): personal data may not name anything in a contract",
        )
        for path, name in named
        if looks_personal(name)
    ]


def check_references(
    contract: model.Contract, marks: dict[Path_, tuple[int, int]], filename: str
) -> None:
    problems: list[tuple[Path_, str]] = []

    def unique_ids(kind: str, ids: list[str]) -> None:
        for i, ident in enumerate(ids):
            if ident in ids[:i]:
                problems.append(((kind, i), f"{kind} id {shown(ident)} is declared twice"))

    problems.extend(personal_looking_names(contract))
    parties = [p.id for p in contract.parties]
    channels = [c.id for c in contract.channels]
    detectors = [d.id for d in contract.detectors]
    datasets = [d.id for d in contract.datasets]
    unique_ids("parties", parties)
    unique_ids("channels", channels)
    unique_ids("detectors", detectors)
    unique_ids("datasets", datasets)
    unique_ids("hops", [h.id for h in contract.hops])
    unique_ids("milestones", [m.id for m in contract.milestones])
    unique_ids("invariants", [v.id for v in contract.invariants])

    sets: dict[int, tuple[list[str], frozenset[str]]] = {}
    # What a rule's typed names (contract/refs.py) point at, by the marker's `what`; a column
    # is looked up in the rule's own dataset.
    ref_lists = {
        "detector": detectors,
        "party": parties,
        "channel": channels,
        "dataset": datasets,
        "hop": [h.id for h in contract.hops],
        "milestone": [m.id for m in contract.milestones],
    }

    def ref(path: Path_, value: str, known: list[str], what: str) -> None:
        # A set per list of names, and suggestions for the first problems only: a hostile
        # contract of many names and many references stays linear.
        names = sets.setdefault(id(known), (known, frozenset(known)))[1]
        if value not in names:
            text = (
                unknown(what, value, known) if len(problems) < 20 else f"unknown {what} {value!r}"
            )
            problems.append((path, text))

    for d_i, d in enumerate(contract.datasets):
        names = list(d.column_names)
        for c_i, c in enumerate(d.columns):
            if c.name in names[:c_i]:
                problems.append(
                    (("datasets", d_i, "columns", c_i), f"column {c.name!r} is declared twice")
                )
            if c.pattern is not None:
                try:
                    re.compile(c.pattern)
                except re.error as exc:
                    problems.append(
                        (
                            ("datasets", d_i, "columns", c_i, "pattern"),
                            f"pattern does not compile: {exc}",
                        )
                    )
        for p_i, party in enumerate(d.made_by):
            ref(("datasets", d_i, "made_by", p_i), party, parties, "party")
        for s_i, src in enumerate(d.derived_from):
            ref(("datasets", d_i, "derived_from", s_i), src, datasets, "dataset")
        for k_i, key in enumerate(d.keys):
            ref(("datasets", d_i, "keys", k_i), key, list(d.column_names), f"column of {d.id}")
        rule_ids = [r.id for r in d.rules]
        for r_i, rule in enumerate(d.rules):
            base: Path_ = ("datasets", d_i, "rules", r_i)
            if rule.id in rule_ids[:r_i]:
                problems.append((base, f"rule id {rule.id!r} is declared twice"))
            lists = {**ref_lists, "column": names}
            problems.extend(
                ((*base, *where), text) for where, text in _rule_problems(d, rule, lists, ref, base)
            )
        problems.extend(
            (("datasets", d_i, *where), text) for where, text in _by_reference_problems(contract, d)
        )
        problems.extend((("datasets", d_i, *where), text) for where, text in _nesting_problems(d))
    for h_i, hop in enumerate(contract.hops):
        base = ("hops", h_i)
        ref((*base, "dataset"), hop.dataset, datasets, "dataset")
        ref((*base, "channel"), hop.channel, channels, "channel")
        for k, party in enumerate(hop.sender):
            ref((*base, "from", k), party, parties, "party")
        for k, party in enumerate(hop.receiver):
            ref((*base, "to", k), party, parties, "party")
        carried = contract.dataset(hop.dataset)
        for k, named in enumerate(hop.names):
            if carried is not None:
                columns = list(carried.column_names)
                ref((*base, "names", k, "column"), named.column, columns, f"column of {carried.id}")
    encoders = [f"{d.id}.{c.name}" for d in contract.datasets for c in d.columns]
    encoders += [r.id for d in contract.datasets for r in d.rules]
    encoders += [v.id for v in contract.invariants]
    encoders += [f"{d.id}.file" for d in contract.datasets if d.file is not None]
    unique_ids("items", [item.id for item in contract.items])
    for i_i, item in enumerate(contract.items):
        for e_i, name in enumerate(item.encoded_by):
            ref(("items", i_i, "encoded_by", e_i), name, encoders, "column, rule or invariant")
        for p_i, part in enumerate(item.parts):
            for e_i, name in enumerate(part.encoded_by):
                ref(
                    ("items", i_i, "parts", p_i, "encoded_by", e_i),
                    name,
                    encoders,
                    "column, rule or invariant",
                )
        if item.status in ("encoded", "partial") and not item.encoded_by:
            problems.append(
                (
                    ("items", i_i),
                    f"item {item.id!r} is {item.status} but names nothing that encodes it",
                )
            )
    for m_i, milestone in enumerate(contract.milestones):
        if milestone.party is not None:
            ref(("milestones", m_i, "party"), milestone.party, parties, "party")
    # The names inside an invariant's params, found by their type (contract/invariants.py).
    for v_i, inv in enumerate(contract.invariants):
        for where, value, marker in refs(inv.params):
            ref(("invariants", v_i, "params", *where), value, ref_lists[marker.what], marker.what)
    for d_i, detector in enumerate(contract.detectors):
        if detector.pattern is not None:
            try:
                re.compile(detector.pattern)
            except re.error as exc:
                problems.append((("detectors", d_i, "pattern"), f"pattern does not compile: {exc}"))

    if problems:
        lines = []
        first: Location | None = None
        for path, text in problems:
            line_col = marks.get(path)
            while line_col is None and path:
                path = path[:-1]
                line_col = marks.get(path)
            location = Location(filename, *(line_col or (None, None)))
            first = first or location
            lines.append(f"{location}: {text}")
        if len(lines) == 1:
            raise ContractError(problems[0][1], first)
        listed = lines[:50] + ([f"... and {len(lines) - 50} more"] if len(lines) > 50 else [])
        raise ContractError(f"{len(lines)} problems:\n  " + "\n  ".join(listed), first)


# What a column accepted by reference is scanned for, whatever it is called (finding: "by
# reference is not an open door"): national numbers and contact data.
BY_REFERENCE_SCANS = ("insz", "email", "phone")


def _by_reference_problems(contract: model.Contract, d: model.Dataset) -> list[tuple[Path_, str]]:
    out: list[tuple[Path_, str]] = []
    if d.columns_by_reference is not None:
        for p_i, pattern in enumerate(d.columns_by_reference.allow.patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                where: Path_ = ("columns_by_reference", "allow", "patterns", p_i)
                out.append((where, f"pattern does not compile: {exc}"))
        scanned = {
            det.detector
            for name in _scanned_with(d)
            if (det := contract.detector(name)) is not None
        }
        lacking = [kind for kind in BY_REFERENCE_SCANS if kind not in scanned]
        if lacking:
            out.append(
                (
                    ("columns_by_reference",),
                    f"{d.id} accepts columns by reference, so a forbidden_content rule must scan "
                    f"them for {', '.join(lacking)} (a detector of that kind)",
                )
            )
    by_path = [i for i, c in enumerate(d.columns) if c.by_reference]
    if by_path and not any(
        (det := contract.detector(name)) is not None and det.detector == "insz"
        for name in _scanned_with(d)
    ):
        # Columns listed by_reference (a MAGDA document's elements) are checked by name and
        # shape only: their content must still be scanned for national numbers.
        out.append(
            (
                ("columns", by_path[0], "by_reference"),
                f"{d.id} lists columns by reference, so a forbidden_content rule must scan "
                "them for insz (a detector of that kind)",
            )
        )
    ref = d.retention_reference
    if ref is not None:
        date = d.column(ref.column)
        if date is None or date.type not in ("date", "datetime"):
            out.append(
                (
                    ("retention_reference", "column"),
                    f"retention_reference column {ref.column!r} must be a date or datetime "
                    f"column of {d.id}",
                )
            )
        if ref.positive is not None:
            amount = d.column(ref.positive)
            if amount is None or amount.type not in ("integer", "number"):
                out.append(
                    (
                        ("retention_reference", "positive"),
                        f"retention_reference positive {ref.positive!r} must be an integer or "
                        f"number column of {d.id}",
                    )
                )
    return out


def _scanned_with(d: model.Dataset) -> list[str]:
    """The detectors the dataset's rules scan its cells with (every rule field typed
    `DetectorRef`)."""
    return [name for rule in d.rules for _, name, m in refs(rule) if m.what == "detector"]


def _rule_problems(
    d: model.Dataset,
    rule: model.Rule,
    lists: dict[str, list[str]],
    ref: Callable[[Path_, str, list[str], str], None],
    base: Path_,
) -> list[tuple[Path_, str]]:
    """Every name a rule points with (each field typed with a contract/refs.py marker, whatever
    it is called): a column of the dataset (`lists["column"]`, of the allowed types), a column
    the dataset must not declare, or a name among `lists[what]` (detectors...). Unknown names
    go to `ref`, at `base` + the field's path; the other problems are returned, relative to
    `base`."""
    out: list[tuple[Path_, str]] = []
    names = lists["column"]
    for where, value, marker in refs(rule):
        if marker.what != "column":
            ref((*base, *where), value, lists[marker.what], marker.what)
        elif marker.absent:
            if value in names:
                out.append((where, f"column {value!r} is both allowed and forbidden"))
        else:
            ref((*base, *where), value, names, f"column of {d.id}")
            column = d.column(value)
            if column is not None and marker.types and column.type not in marker.types:
                out.append((where, marker.wrong_type.format(name=value)))
    return out


def _nesting_problems(d: model.Dataset) -> list[tuple[Path_, str]]:
    """A nested dataset: every column has a path, the paths differ, and the arrays form one
    chain (each array inside the previous one), so that a document flattens to one table."""
    paths = [c.path for c in d.columns]
    if all(p is None for p in paths):
        return []
    out: list[tuple[Path_, str]] = []
    for c_i, c in enumerate(d.columns):
        if c.path is None:
            out.append(
                (
                    ("columns", c_i),
                    f"column {c.name!r} has no path: a nested dataset gives every column one",
                )
            )
    given = [p for p in paths if p is not None]
    for c_i, c in enumerate(d.columns):
        if c.path is not None and given.count(c.path) > 1:
            out.append((("columns", c_i, "path"), f"path {c.path!r} is given to two columns"))
    arrays = sorted(
        {p[: i + 2] for p in given for i in range(len(p)) if p[i : i + 2] == "[]"}, key=len
    )
    for shorter, longer in itertools.pairwise(arrays):
        if not longer.startswith(shorter + "."):
            out.append(
                (
                    (),
                    f"arrays {shorter!r} and {longer!r} are not nested in one another: "
                    "a nested dataset has one chain of arrays",
                )
            )
    scalars = set(given)
    for p in given:
        parts = p.split(".")
        for i in range(1, len(parts)):
            prefix = ".".join(parts[:i])
            if prefix in scalars or prefix.removesuffix("[]") in scalars:
                out.append(((), f"path {prefix!r} is both a value and holds {p!r}"))
    if d.file is not None and d.file.formats and set(d.file.formats) != {"json"}:
        out.append((("file", "formats"), "a nested dataset is read from JSON files only"))
    return out


LISTED = 40  # at most this many known names in a message (a hostile contract may have more)


def unknown(what: str, name: str, known: Iterable[str]) -> str:
    """The one message for a name that points nowhere: `unknown hop 'stap_4' (did you mean
    'stap4'?); known: stap3, stap4, ...` (every known name, up to LISTED of them); a name that
    looks like personal data is withheld (shown)."""
    # a known name that looks like personal data is refused on its own: never listed here
    names = [n for n in dict.fromkeys(known) if not looks_personal(n)]
    listed = ", ".join(names[:LISTED]) + (
        f", ... ({len(names)} in all)" if len(names) > LISTED else ""
    )
    hint = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.6)
    near = f" (did you mean {hint[0]!r}?)" if hint else ""
    return f"unknown {what} {shown(name)}{near}; known: {listed or 'none'}"


def find_dataset(contract: model.Contract, dataset_id: str) -> model.Dataset:
    """The dataset of the contract with this id; UsageError (exit 2) naming the known ones."""
    dataset = contract.dataset(dataset_id)
    if dataset is None:
        known = [d.id for d in contract.datasets]
        raise UsageError(f"{unknown('dataset', dataset_id, known)} (in {contract.contract})")
    return dataset
