"""The dataset rules a contract can declare, as frozen pydantic models (see model.py).

Each rule has an id (`<dataset>.<name>`, the id every finding carries), the article it comes
from, and the columns it needs; `kind` chooses the model when a contract is loaded. A field
that names a column or a detector is typed with a contract/refs.py marker (`ColumnRef`, ...),
so that the loader checks it whatever the field is called. What a kind *does* (its checks,
its state across batches, its samples, its ODCS form) is its entry in check/kinds/.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from datacontract.contract.base import Article, Model
from datacontract.contract.refs import (
    ColumnRef,
    DetectorRef,
    ExemptColumn,
    ForbiddenColumn,
    Ref,
)

NationalNumber = Annotated[
    str,
    Ref(
        "column",
        types=("string",),
        wrong_type="age_between reads a national number: column {name!r} must be a string",
    ),
]
ReferenceDate = Annotated[
    str,
    Ref(
        "column",
        types=("date", "datetime"),
        wrong_type="reference_column {name!r} must be a date or datetime",
    ),
]


class RuleBase(Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    article: Article
    note: str | None = None


class UniqueRule(RuleBase):
    """No two rows share these columns, across the whole file."""

    kind: Literal["unique"]
    columns: tuple[ColumnRef, ...] = Field(min_length=1)


class SingleValueRule(RuleBase):
    """Every row of the file holds the same value in this column."""

    kind: Literal["single_value"]
    column: ColumnRef


class SumEqualsRule(RuleBase):
    """The listed columns add up to the total column, row by row."""

    kind: Literal["sum_equals"]
    columns: tuple[ColumnRef, ...] = Field(min_length=1)
    total: ColumnRef


class AtMostRule(RuleBase):
    """Each listed column is at most the limit column, row by row."""

    kind: Literal["at_most"]
    columns: tuple[ColumnRef, ...] = Field(min_length=1)
    limit: ColumnRef


class FlagMatchesCountRule(RuleBase):
    """A 0/1 flag is 1 exactly when its count is above zero."""

    kind: Literal["flag_matches_count"]
    flag: ColumnRef
    count: ColumnRef


class PartEqualsRule(RuleBase):
    """Part `part` (0-based) of `column`, split on `separator`, equals column `equals`."""

    kind: Literal["part_equals"]
    column: ColumnRef
    separator: str = Field(min_length=1)
    part: int = Field(ge=0)
    equals: ColumnRef


class ForbiddenContentRule(RuleBase):
    """None of these detectors may match any cell of any column of the file, whatever the
    column is called, except the columns listed in `except_columns` (where that content is the
    column's purpose, e.g. `email` in dataset_2)."""

    kind: Literal["forbidden_content"]
    detect: tuple[DetectorRef, ...] = Field(min_length=1)
    except_columns: tuple[ExemptColumn, ...] = ()


class ForbiddenColumnsRule(RuleBase):
    """Columns the protocol names and excludes: their presence is a finding of its own, with
    the article that excludes them (more precise than 'column not in contract')."""

    kind: Literal["forbidden_columns"]
    columns: tuple[ForbiddenColumn, ...] = Field(min_length=1)


class PartsCountRule(RuleBase):
    """`column` holds a list written with `separator` (ages "3;5;8") and has as many parts as
    the integer column `count` says."""

    kind: Literal["parts_count_equals"]
    column: ColumnRef
    separator: str = Field(min_length=1)
    count: ColumnRef


class AgeBetweenRule(RuleBase):
    """The person whose national number is in `column` is `minimum` to `maximum` years old
    (completed years, both inclusive) on the reference date: the date in `reference_column`,
    or, without one, the date of the transfer (`validate --reference-date`, the hop's time)."""

    kind: Literal["age_between"]
    column: NationalNumber
    minimum: int = Field(default=0, ge=0)
    maximum: int | None = Field(default=None, ge=0)
    reference_column: ReferenceDate | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AgeBetweenRule:
        if self.maximum is not None and self.maximum < self.minimum:
            raise ValueError("maximum is below minimum")
        return self


Rule = Annotated[
    AgeBetweenRule
    | PartsCountRule
    | UniqueRule
    | SingleValueRule
    | SumEqualsRule
    | AtMostRule
    | FlagMatchesCountRule
    | PartEqualsRule
    | ForbiddenContentRule
    | ForbiddenColumnsRule,
    Field(discriminator="kind"),
]
