"""What a dataset rule kind is: one `RuleKind` entry holds everything the tool does with it.

A kind module (check/kinds/<kind>.py) defines `KIND = RuleKind(...)` for one parameter model
of contract/rules.py; check/kinds/__init__.py collects every module's KIND into the registry.
The engine, the file state, the sample generator (demo/), the ODCS export (standards/) and the
demo ask the registry: none of them names a kind.

- `demand`: what the rule demands, in the reports' words ("a + b = total").
- `batch_check`: the check run on each Arrow record batch (check/compile.py), recording its
  mask in the batch's Tally; None for a rule that only looks at the whole file.
- `file_state`: the bounded state of a rule that looks at the whole file across its batches
  (uniqueness, one value per file), with its findings at the end.
- `sample`: makes the rule true on a chunk of synthetic rows, at `sample_stage` (0: before the
  other rules, 1: with them, 2: after them, as uniqueness must be); `sample_keeps` the columns
  a sample leaves without empty cells (default: the columns the rule reads).
- `same_in_every_row`: the columns the rule holds to one value in the whole file.
- `odcs`: how the ODCS export writes it: a library metric, or (None) a `custom` check of our
  engine with the rule's parameters; `odcs_dimension` its ODCS data-quality dimension.
- `state_rank`: where its file-state findings come in the report (lower first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import numpy as np
import pyarrow as pa

from datacontract.check.results import Finding
from datacontract.contract import model
from datacontract.contract.refs import needed_columns

if TYPE_CHECKING:
    from datacontract.check.batch import Batch
    from datacontract.check.compile import CompiledDataset

R = TypeVar("R", bound=model.RuleBase)


class RuleState(Protocol):
    """The state of one whole-file rule across the batches of a file."""

    def update(self, data: pa.RecordBatch, first_row: int) -> None: ...

    def findings(self) -> list[Finding]: ...


class SampleChunk(Protocol):
    """A chunk of synthetic rows as demo/sample_draw.py draws it, as a kind's sample
    generator sees it: numpy arrays by column, boolean null masks, and the drawing tools."""

    n: int
    values: dict[str, np.ndarray]
    nulls: dict[str, np.ndarray]
    rng: np.random.Generator
    dataset: model.Dataset
    window: tuple[dt.date, dt.date]  # the days the ages must hold on (no reference date)
    reference_date: dt.date | None

    def null(self, name: str) -> np.ndarray:
        """The null mask of a column (all False when it has none)."""
        ...

    def ints(self, name: str) -> np.ndarray:
        """A column as int64, 0 where it is null."""
        ...

    def draw(self, column: model.Column, n: int) -> np.ndarray:
        """n fresh values for a column, as its declaration draws them."""
        ...

    def insz(self, days: np.ndarray, sequence: np.ndarray) -> np.ndarray:
        """National numbers for birth dates (days since 1970-01-01) and sequence numbers."""
        ...

    def single(self, name: str) -> None:
        """Every row of the file holds the first row's value of this column."""
        ...

    def make_unique(self, columns: tuple[str, ...]) -> None:
        """No two rows of the file share these columns' values."""
        ...


@dataclass(frozen=True)
class OdcsLibrary:
    """An ODCS library quality check: `metric` over the columns of the rule field `columns`
    (ODCS's `arguments.properties`), which must be `must_be`."""

    metric: str
    columns: str
    must_be: int = 0


def _no_state(dataset: model.Dataset, rule: Any) -> RuleState | None:
    return None


def _no_sample(chunk: SampleChunk, rule: Any) -> None:
    return None


def _no_columns(rule: Any) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class RuleKind(Generic[R]):
    """Everything about one kind of dataset rule (see the module's docstring); `params` is
    its parameter model in contract/rules.py."""

    params: type[R]
    demand: Callable[[R], str]
    batch_check: Callable[[CompiledDataset, R], Callable[[Batch], None]] | None = None
    file_state: Callable[[model.Dataset, R], RuleState | None] = _no_state
    state_rank: int = 0
    sample: Callable[[SampleChunk, R], None] = _no_sample
    sample_stage: int = 1
    sample_keeps: Callable[[R], Sequence[str]] = needed_columns
    same_in_every_row: Callable[[R], tuple[str, ...]] = _no_columns
    odcs: OdcsLibrary | None = None
    odcs_dimension: str = "consistency"
    needs: Callable[[R], Sequence[str]] = field(default=needed_columns)

    @property
    def name(self) -> str:
        """The kind as contracts spell it (the model's `kind` literal)."""
        literal = self.params.model_fields["kind"].annotation
        (value,) = getattr(literal, "__args__", (None,))
        assert isinstance(value, str), f"{self.params.__name__}.kind is one Literal string"
        return value
