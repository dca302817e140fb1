"""Make tests/check/keyhash_vectors.json: pandas' own row hash of key columns of every type a
contract can declare, the golden vectors check/keyhash.py is held to (tests/check/
test_keyhash.py). Needs pandas and pyarrow (pandas is not a dependency: run it with a Python
that has both, e.g. the bench's .bench-cache/pandera-pandas venv; it does not import us):

    .bench-cache/pandera-pandas/bin/python tests/check/make_keyhash_vectors.py

Each case is one or more Arrow columns, made as check/coerce.py types them (string, int64,
float64, bool, date32, timestamp[us, UTC]), with and without empty cells, and the uint64 of
`pandas.util.hash_pandas_object(frame, index=False)` of the frame
`to_pandas(types_mapper=pd.ArrowDtype)` makes of them. Values are synthetic (seeded).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pyarrow as pa

OUT = Path(__file__).with_name("keyhash_vectors.json")
TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
}


def column(kind: str, values: list[Any]) -> pa.Array:
    """The Arrow column of a case (dates as days since 1970, datetimes as microseconds)."""
    if kind == "date":
        return pa.array(values, pa.int32()).cast(pa.date32())
    if kind == "datetime":
        return pa.array(values, pa.int64()).cast(pa.timestamp("us", tz="UTC"))
    return pa.array(values, TYPES[kind])


def _cell(kind: str, rng: random.Random) -> Any:
    if kind == "string":
        alphabet = "abcXYZ019 -.éßø€😀"
        return "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 7, 8, 9, 16, 23])))
    if kind == "integer":
        return rng.choice([0, -1, 1, 2**31, -(2**40), 2**53 + 1, 2**62, rng.randrange(-999, 999)])
    if kind == "number":
        return rng.choice([0.0, -0.0, 1.5, -2.25, 1e300, 5e-324, rng.uniform(-1e6, 1e6)])
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "date":
        return rng.choice([0, -1, -719162, 2932896, rng.randrange(-30000, 30000)])
    micro = rng.choice([0, 123456, 1, 999999, 500000])
    seconds = rng.choice([0, -1, 1_600_000_000, -62135596800, rng.randrange(-(2**33), 2**33)])
    return seconds * 1_000_000 + micro


def cases() -> list[tuple[str, list[str], list[list[Any]]]]:
    rng = random.Random(26)
    out: list[tuple[str, list[str], list[list[Any]]]] = []
    for kind in TYPES:
        for nulls in (False, True):
            rows = 60
            values = [_cell(kind, rng) for _ in range(rows)]
            if nulls:
                values = [None if rng.random() < 0.2 else v for v in values]
                values[0] = None
            out.append((f"{kind}{' with empty cells' if nulls else ''}", [kind], [values]))
        out.append((f"{kind} all empty", [kind], [[None, None, None]]))
    for kinds in (["string", "integer"], ["date", "boolean"], ["string", "string", "datetime"]):
        cols = [[_cell(k, rng) if rng.random() < 0.85 else None for _ in range(40)] for k in kinds]
        out.append((" + ".join(kinds), kinds, cols))
    return out


def main() -> None:
    import pandas as pd  # only here: the tests read the vectors without pandas

    vectors = []
    for name, kinds, values in cases():
        columns = [column(k, v) for k, v in zip(kinds, values, strict=True)]
        frame = pd.DataFrame(
            {f"c{i}": c.to_pandas(types_mapper=pd.ArrowDtype) for i, c in enumerate(columns)}
        )
        hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy().tolist()
        vectors.append({"case": name, "types": kinds, "columns": values, "hashes": hashed})
    doc = {"pandas": pd.__version__, "pyarrow": pa.__version__, "vectors": vectors}
    OUT.write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
