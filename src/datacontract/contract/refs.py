"""Names in a contract model that point at something the contract declares, typed.

A field whose value names a column (or a detector, a party, ...) is annotated with a `Ref`
marker: `column: ColumnRef`, `columns: tuple[ColumnRef, ...]`, `reference_column: ColumnRef |
None`. `refs` walks every field of a model and yields each name with its marker, so that
contract/references.py checks every such field of every rule, whatever it is called: a new
field of a new rule kind is checked the day it is declared, with nothing else to list. The
marker is open to any `what` (a party, a hop, a dataset, a milestone: invariant parameters can
use the same walk), and `refs` follows the models a model holds.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel

RefPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Ref:
    """What a name points at.

    what: the kind of thing named ("column", "detector", ...), which the reference check
      looks up among the contract's declarations.
    absent: the name must *not* be declared (a column the protocol forbids).
    needed: a check of the rule reads that column (a file without it is reported as missing
      a required column, and the rule is not run); False for a column merely exempted.
    types: the column types allowed (empty: any); `wrong_type` the message when it is not one
      of them, with `{name}` for the column's name.
    """

    what: str
    absent: bool = False
    needed: bool = True
    types: tuple[str, ...] = ()
    wrong_type: str = ""


ColumnRef = Annotated[str, Ref("column")]
"""A column of the rule's dataset, which the rule reads."""
ExemptColumn = Annotated[str, Ref("column", needed=False)]
"""A column of the rule's dataset that the rule leaves alone."""
ForbiddenColumn = Annotated[str, Ref("column", absent=True, needed=False)]
"""A column name the dataset must not declare (nor a file carry)."""
DetectorRef = Annotated[str, Ref("detector")]
"""A detector of the contract (`detectors:`), which the rule scans with."""


def _marker(annotation: Any) -> Ref | None:
    """The Ref inside an annotation: itself, an Annotated, a tuple of them, an Optional."""
    if typing.get_origin(annotation) is Annotated:
        found = [m for m in typing.get_args(annotation)[1:] if isinstance(m, Ref)]
        if found:
            return found[0]
        return _marker(typing.get_args(annotation)[0])
    origin = typing.get_origin(annotation)
    if origin in (tuple, list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis and (found_in := _marker(arg)) is not None:
                return found_in
    return None


def ref_fields(cls: type[BaseModel]) -> dict[str, Ref]:
    """{field name: its Ref} of every field of `cls` that names something."""
    out: dict[str, Ref] = {}
    for name, info in cls.model_fields.items():
        marker = next((m for m in info.metadata if isinstance(m, Ref)), None)
        marker = marker or _marker(info.annotation)
        if marker is not None:
            out[name] = marker
    return out


def refs(instance: BaseModel) -> Iterator[tuple[RefPath, str, Ref]]:
    """(path inside `instance`, name, marker) of every name `instance` points with, in field
    order, in the models it holds too: `(("columns", 2), "kinderen_12_17", Ref("column"))`."""
    markers = ref_fields(type(instance))
    for name in type(instance).model_fields:
        value = getattr(instance, name)
        marker = markers.get(name)
        items = list(enumerate(value)) if isinstance(value, tuple | list) else [(None, value)]
        for i, item in items:
            where: RefPath = (name,) if i is None else (name, i)
            if marker is not None and isinstance(item, str):
                yield where, item, marker
            elif isinstance(item, BaseModel):
                for inner, found, inner_marker in refs(item):
                    yield (*where, *inner), found, inner_marker


def needed_columns(instance: BaseModel) -> list[str]:
    """The columns `instance` reads (its `needed` column references), in field order."""
    return [value for _, value, m in refs(instance) if m.what == "column" and m.needed]
