"""`datacontract changelog OLD NEW`: what changed between two versions of a contract, and which
changes break a party's files or flows.

A change is breaking when something OLD accepted can be refused under NEW: a dataset, column,
hop, party, channel or milestone removed; a column made stricter (another type, except integer
to number; a new or changed pattern or format; fewer allowed values; a higher minimum or lower
maximum; nullable to not nullable; not unique to unique; optional to required; another path);
a new required column; a new or changed rule, detector, invariant or separation; a file rule
made stricter (a format dropped, encryption or more rows required); by-reference columns no
longer accepted or more names refused; another MAGDA document or retention reference. The
rest (added optional columns, labels, datasets and hops; titles, notes, articles, items,
categories) is listed as not breaking.

Breaking changes need a major version bump (the first number of `version`, semantic
versioning): `Changelog.holds` is false, and the command exits 1, when NEW breaks OLD and its
major version is not higher.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from datacontract.contract import model

T = TypeVar("T")
# Keys whose change never refuses anything: documentation, citations and routing labels.
SINGULAR = {
    "parties": "party",
    "channels": "channel",
    "detectors": "detector",
    "milestones": "milestone",
    "items": "item",
}
QUIET = {"title", "name", "note", "article", "description", "role", "step", "text", "made_at_step"}


@dataclass(frozen=True)
class Change:
    """One difference: where (`datasets[dataset_4].columns[email]`), what, and if it breaks."""

    where: str
    what: str
    breaking: bool

    def to_json(self) -> dict[str, object]:
        return {"where": self.where, "change": self.what, "breaking": self.breaking}


@dataclass(frozen=True)
class Changelog:
    """The differences from OLD to NEW (a contract's id, both versions) and the verdict."""

    contract: str
    old_version: str
    new_version: str
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    @property
    def major_bump(self) -> bool:
        """Whether NEW's major version is above OLD's (False when either has none)."""
        old, new = major(self.old_version), major(self.new_version)
        return old is not None and new is not None and new > old

    @property
    def holds(self) -> bool:
        return not self.breaking or self.major_bump

    def to_json(self) -> dict[str, object]:
        return {
            "contract": self.contract,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "major_bump": self.major_bump,
            "breaking": len(self.breaking),
            "holds": self.holds,
            "changes": [c.to_json() for c in self.changes],
        }


def major(version: str) -> int | None:
    """The major version: the first number of `1.2.3` or `v2`; None if there is none."""
    match = re.match(r"^\s*v?(\d+)", version)
    return int(match.group(1)) if match else None


def changelog(old: model.Contract, new: model.Contract) -> Changelog:
    """Every difference between OLD and NEW, breaking ones marked (see the module docstring)."""
    return Changelog(new.contract, old.version, new.version, tuple(_contract(old, new)))


def _pairs(
    old: Iterable[T], new: Iterable[T], key: str
) -> Iterator[tuple[str, T | None, T | None]]:
    """(id, old item or None, new item or None) for items of two lists, matched by `key`."""
    before = {getattr(i, key): i for i in old}
    after = {getattr(i, key): i for i in new}
    for ident in [*before, *(k for k in after if k not in before)]:
        yield ident, before.get(ident), after.get(ident)


def _dump(item: model.Model | None) -> dict[str, Any]:
    return item.model_dump(mode="json", by_alias=True) if item is not None else {}


def _fields(where: str, old: model.Model, new: model.Model, strict: set[str]) -> Iterator[Change]:
    """A change per differing key; breaking for keys in `strict` unless the key is QUIET."""
    a, b = _dump(old), _dump(new)
    for key in a:
        if a[key] != b.get(key):
            yield Change(f"{where}.{key}", f"{key} changed", key in strict and key not in QUIET)


def _listed(
    kind: str, old: Iterable[Any], new: Iterable[Any], key: str, strict: set[str]
) -> Iterator[Change]:
    """Removed items break, added ones do not, changed ones break on a `strict` key."""
    for ident, a, b in _pairs(old, new, key):
        where = f"{kind}[{ident}]"
        if b is None:
            yield Change(where, f"{SINGULAR[kind]} removed", True)
        elif a is None:
            yield Change(where, f"{SINGULAR[kind]} added", False)
        else:
            yield from _fields(where, a, b, strict)


def _contract(old: model.Contract, new: model.Contract) -> Iterator[Change]:
    if old.contract != new.contract:
        yield Change("contract", f"the contract id changed from {old.contract}", True)
    for key in ("title", "protocol", "note"):
        if getattr(old, key) != getattr(new, key):
            yield Change(key, f"{key} changed", False)
    yield from _listed("parties", old.parties, new.parties, "id", set())
    yield from _listed("channels", old.channels, new.channels, "id", set())
    yield from _listed("detectors", old.detectors, new.detectors, "id", {"detector", "pattern"})
    for ident, a, b in _pairs(old.datasets, new.datasets, "id"):
        if b is None:
            yield Change(f"datasets[{ident}]", "dataset removed: its files have no contract", True)
        elif a is None:
            yield Change(f"datasets[{ident}]", "dataset added", False)
        else:
            yield from _dataset(f"datasets[{ident}]", a, b)
    yield from _hops(old, new)
    yield from _listed("milestones", old.milestones, new.milestones, "id", {"party"})
    for ident, v_old, v_new in _pairs(old.invariants, new.invariants, "id"):
        where = f"invariants[{ident}]"
        if v_new is None:
            yield Change(where, "invariant removed", False)
        elif v_old is None:
            yield Change(where, "invariant added: flows it refuses were allowed", True)
        else:
            yield from _fields(where, v_old, v_new, {"kind", "params"})
    if old.separate != new.separate:
        yield Change("separate", "separation changed", new.separate is not None)
    yield from (
        Change(c.where, c.what, False) for c in _listed("items", old.items, new.items, "id", set())
    )


def _hops(old: model.Contract, new: model.Contract) -> Iterator[Change]:
    for ident, a, b in _pairs(old.hops, new.hops, "id"):
        where = f"hops[{ident}]"
        if b is None:
            yield Change(where, "hop removed: the transfer is no longer allowed", True)
        elif a is None:
            yield Change(where, "hop added", False)
        else:
            for side, before, after in (
                ("from", a.sender, b.sender),
                ("to", a.receiver, b.receiver),
            ):
                gone = [p for p in before if p not in after]
                if gone:
                    yield Change(f"{where}.{side}", f"parties removed: {', '.join(gone)}", True)
                elif before != after:
                    yield Change(f"{where}.{side}", "parties added", False)
            if a.optional and not b.optional:
                yield Change(f"{where}.optional", "the hop is no longer optional", True)
            elif a.optional != b.optional:
                yield Change(f"{where}.optional", "the hop became optional", False)
            for key in ("dataset", "channel"):
                if getattr(a, key) != getattr(b, key):
                    yield Change(f"{where}.{key}", f"{key} changed", True)
            for key in ("step", "article", "note"):
                if getattr(a, key) != getattr(b, key):
                    yield Change(f"{where}.{key}", f"{key} changed", False)


def _dataset(where: str, old: model.Dataset, new: model.Dataset) -> Iterator[Change]:
    for name, a, b in _pairs(old.columns, new.columns, "name"):
        at = f"{where}.columns[{name}]"
        if b is None:
            yield Change(at, "column removed: files that hold it are refused", True)
        elif a is None:
            yield Change(
                at,
                "new required column: files without it are refused"
                if b.required
                else "new optional column",
                b.required,
            )
        else:
            yield from _column(at, a, b)
    for ident, r, s in _pairs(old.rules, new.rules, "id"):
        at = f"{where}.rules[{ident}]"
        if s is None:
            yield Change(at, "rule removed", False)
        elif r is None:
            yield Change(at, "rule added: files it refuses were accepted", True)
        else:
            yield from _fields(at, r, s, set(_dump(r)))
    yield from _file(where, old.file, new.file)
    a_ref, b_ref = old.columns_by_reference, new.columns_by_reference
    if a_ref is not None and b_ref is None:
        yield Change(
            f"{where}.columns_by_reference", "columns by reference no longer accepted", True
        )
    elif (
        a_ref is not None and b_ref is not None and set(b_ref.never.names) - set(a_ref.never.names)
    ):
        yield Change(f"{where}.columns_by_reference.never", "more names refused", True)
    elif a_ref != b_ref:
        yield Change(f"{where}.columns_by_reference", "columns by reference changed", False)
    for key in ("magda", "retention_reference"):
        if getattr(old, key) != getattr(new, key):
            yield Change(f"{where}.{key}", f"{key} changed", True)
    for key in ("title", "article", "note", "made_by", "made_at_step", "derived_from", "keys"):
        if getattr(old, key) != getattr(new, key):
            yield Change(f"{where}.{key}", f"{key} changed", False)


def _file(where: str, old: model.FileRules | None, new: model.FileRules | None) -> Iterator[Change]:
    at = f"{where}.file"
    formats_a = set(old.formats) if old else set()
    formats_b = set(new.formats) if new else set()
    if formats_b and (not formats_a or formats_a - formats_b):
        yield Change(f"{at}.formats", "fewer file formats accepted", True)
    elif formats_a != formats_b:
        yield Change(f"{at}.formats", "more file formats accepted", False)
    encrypted = (old is not None and old.encrypted, new is not None and new.encrypted)
    if encrypted[0] != encrypted[1]:
        yield Change(
            f"{at}.encrypted",
            "encryption " + ("required" if encrypted[1] else "dropped"),
            encrypted[1],
        )
    rows_a = (old.min_rows if old else None) or 0
    rows_b = (new.min_rows if new else None) or 0
    if rows_a != rows_b:
        yield Change(f"{at}.min_rows", f"min_rows {rows_a} -> {rows_b}", rows_b > rows_a)


def _column(at: str, a: model.Column, b: model.Column) -> Iterator[Change]:
    if a.type != b.type:
        widened = (a.type, b.type) == ("integer", "number")
        yield Change(f"{at}.type", f"type {a.type} -> {b.type}", not widened)
    if a.required != b.required:
        yield Change(f"{at}.required", "now required" if b.required else "now optional", b.required)
    if a.nullable != b.nullable:
        yield Change(
            f"{at}.nullable",
            "nullable -> not nullable" if a.nullable else "now nullable",
            a.nullable,
        )
    if a.values != b.values:
        if b.values is None:
            yield Change(f"{at}.values", "any value allowed", False)
        elif a.values is None:
            yield Change(f"{at}.values", "values restricted to a list", True)
        else:
            gone = [str(v) for v in a.values if v not in b.values]
            what = f"labels removed: {', '.join(gone)}" if gone else "labels added"
            yield Change(f"{at}.values", what, bool(gone))
    for key in ("pattern", "format", "path"):
        before, after = getattr(a, key), getattr(b, key)
        if before != after:
            yield Change(
                f"{at}.{key}",
                f"{key} " + ("removed" if after is None else "changed"),
                after is not None,
            )
    if a.minimum != b.minimum:
        stricter = b.minimum is not None and (a.minimum is None or b.minimum > a.minimum)
        yield Change(f"{at}.minimum", f"minimum {a.minimum} -> {b.minimum}", stricter)
    if a.maximum != b.maximum:
        stricter = b.maximum is not None and (a.maximum is None or b.maximum < a.maximum)
        yield Change(f"{at}.maximum", f"maximum {a.maximum} -> {b.maximum}", stricter)
    if a.unique != b.unique:
        yield Change(f"{at}.unique", "now unique" if b.unique else "no longer unique", b.unique)
    for key in ("category", "show_values", "by_reference", "article", "note"):
        if getattr(a, key) != getattr(b, key):
            yield Change(f"{at}.{key}", f"{key} changed", False)
