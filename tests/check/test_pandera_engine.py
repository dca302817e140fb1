"""The engine is pandera's polars backend (issue 26): every rule a batch is checked against is a
pandera check named by its rule id, and each Arrow batch reaches pandera as a polars frame of
its rows, taken in without pandas."""

from __future__ import annotations

import pandera.polars as pandera
import polars as pl
import pyarrow as pa
import pytest

from datacontract.check.batch import Tally
from datacontract.check.compile import COLUMN_MISSING, COLUMN_NOT_ALLOWED, CompiledDataset
from datacontract.contract.load import load_contract
from datacontract.demo.synthetic import achtergrond_like

CONTRACT = "contracts/groeipakket-toereikendheid-2025.yaml"


def _checks(schema: pandera.DataFrameSchema) -> list[str]:
    names = [str(c.name) for c in schema.checks]
    for column in schema.columns.values():
        names += [str(c.name) for c in column.checks]
    return names


@pytest.mark.parametrize("dataset", ["achtergrond", "dataset_1", "dataset_4"])
def test_every_check_is_a_pandera_check_named_by_its_rule(dataset: str) -> None:
    loaded = load_contract(CONTRACT)
    ds = next(d for d in loaded.contract.datasets if d.id == dataset)
    compiled = CompiledDataset(loaded.contract, ds)
    assert isinstance(compiled.schema, pandera.DataFrameSchema)
    names = _checks(compiled.schema)
    assert names and len(names) == len(set(names))
    assert set(names) <= set(compiled.rules)
    for col in ds.columns:  # each column's own rules run in pandera, under the column
        assert f"{ds.id}.{col.name}.type" in [
            str(c.name) for c in compiled.schema.columns[col.name].checks
        ]


def test_each_batch_reaches_pandera_as_a_polars_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_contract(CONTRACT)
    ds = next(d for d in loaded.contract.datasets if d.id == "achtergrond")
    compiled = CompiledDataset(loaded.contract, ds)
    seen: list[tuple[type, int, list[str]]] = []
    validate = pandera.DataFrameSchema.validate

    def spy(
        self: pandera.DataFrameSchema, frame: pl.DataFrame, *args: object, **kw: object
    ) -> object:
        seen.append((type(frame), frame.height, list(frame.columns)))
        return validate(self, frame, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pandera.DataFrameSchema, "validate", spy)
    table = achtergrond_like(50, seed=3)
    batch = table.to_batches()[0]
    extra = batch.append_column("onbekend", pa.array(["x"] * batch.num_rows))
    tally = Tally()
    assert compiled.check(batch, 1, tally) == []
    missing = batch.drop_columns([ds.columns[0].name])
    assert compiled.check(extra, 1, tally) == [(COLUMN_NOT_ALLOWED, "onbekend")]
    assert compiled.check(missing, 1, tally) == [(COLUMN_MISSING, ds.columns[0].name)]
    # the data schema once per batch with its rows; the structure once per set of names
    data = [s for s in seen if s[1] == batch.num_rows]
    assert len(data) == 3 and all(t is pl.DataFrame for t, _, _ in data)
    assert data[1][2] == [*batch.schema.names, "onbekend"]
    assert len([s for s in seen if s[1] == 0]) == 3


def test_a_column_polars_does_not_take_reaches_pandera_by_name_only() -> None:
    """An Arrow type outside the allow-list (a 256-bit decimal makes polars panic; an interval
    it refuses) becomes a column of nulls of its length; the others are taken as they are."""
    import decimal

    from datacontract.check.compile import polars_frame

    odd = {
        "wide": pa.array([decimal.Decimal("1.5"), None], pa.decimal256(40, 2)),
        "span": pa.array([pa.MonthDayNano([1, 2, 3]), None], pa.month_day_nano_interval()),
    }
    for name, column in odd.items():
        batch = pa.record_batch([pa.array(["a", "b"]), column], names=["tekst", name])
        frame = polars_frame(batch)
        assert frame.columns == ["tekst", name] and frame.height == 2
        assert frame["tekst"].to_list() == ["a", "b"]
        assert frame[name].null_count() == 2
    kept = pa.record_batch([pa.array([1, 2]), pa.array(["x", None])], names=["n", "t"])
    assert polars_frame(kept).to_dict(as_series=False) == {"n": [1, 2], "t": ["x", None]}
