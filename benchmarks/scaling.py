"""`make bench`, how far one machine goes: validate as rows and as columns grow.

Rows: the achtergrond dataset of the adequacy contract at 1M, 5M and 20M rows (Parquet),
time and peak memory against L on the same file. Columns: a generated contract whose one
dataset has N declared columns (half class labels, half counts, one forbidden-content rule
scanning every cell for national numbers), at 100,000 rows, for N = 30, 300 and 2,000 (the
limit on columns per file, limits.COLUMNS); 3,000 columns are refused by that limit, and the
figure says how fast. Figures, never limits.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

CLASSES = ["K0", "K1", "K2", "K3", "K4"]

PARQUET_GENERATE = """
import sys
import pyarrow.parquet as pq
from datacontract.demo.synthetic import achtergrond_like
pq.write_table(achtergrond_like(int(sys.argv[1]), seed=2025), sys.argv[2])
"""

WIDE_GENERATE = """
import sys
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
columns, rows, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(1)
labels = np.array(["K0", "K1", "K2", "K3", "K4"])
data = {}
for i in range(columns):
    if i % 2:
        data[f"c{i}"] = pa.array(rng.integers(0, 50, size=rows))
    else:
        data[f"c{i}"] = pa.array(labels[rng.integers(0, 5, size=rows)].tolist())
pq.write_table(pa.table(data), out)
"""


def wide_contract(columns: int) -> str:
    """A contract with one dataset of `columns` declared columns (the bench's own, synthetic)."""
    lines = [
        "contract: bench-wide",
        'version: "1"',
        "title: Bench, wide",
        "protocol: {title: bench, date: 2025-01-01, seed: none.txt}",
        "parties:",
        "  - {id: a, name: A, article: art. 1}",
        "detectors:",
        "  - {id: insz, detector: insz, article: art. 3}",
        "datasets:",
        "  - id: wide",
        "    title: Wide",
        "    made_by: a",
        "    article: art. 3",
        "    columns:",
    ]
    for i in range(columns):
        if i % 2:
            lines.append(
                f"      - {{name: c{i}, type: integer, minimum: 0, category: background, "
                "article: art. 3}"
            )
        else:
            lines.append(
                f"      - {{name: c{i}, values: [{', '.join(CLASSES)}], category: background, "
                "article: art. 3}"
            )
    lines += [
        "    rules:",
        "      - {id: wide.no_insz, kind: forbidden_content, detect: [insz], article: art. 3}",
    ]
    return "\n".join(lines) + "\n"


def scaling_figures(
    measure: Callable[[list[str]], object],
    validate_cmd: Callable[[Path], list[str]],
    python_cmd: Callable[[str, Path], list[str]],
    baseline: str,
    bin_dir: Path,
    cache: Path,
    log: Callable[[str], None],
    sizes: tuple[int, ...] = (1_000_000, 5_000_000, 20_000_000),
    widths: tuple[int, ...] = (30, 300, 2_000, 3_000),
    wide_rows: int = 100_000,
) -> list[str]:
    """The scaling table: rows, then columns."""
    out = [
        "| rows | validate s | L s | × L | validate MiB | s per million rows |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for rows in sizes:
        path = cache / f"achtergrond-{rows}-clean.parquet"
        if not path.exists():
            log(f"scaling: generating {rows:,} rows (Parquet only)")
            subprocess.run(
                [sys.executable, "-c", PARQUET_GENERATE, str(rows), str(path)], check=True
            )
        log(f"scaling: {rows:,} rows, validate and L")
        v: object = measure(validate_cmd(path))
        base: object = measure(python_cmd(baseline, path))
        vs, vm = v.seconds, v.peak_mib  # type: ignore[attr-defined]
        bs = base.seconds  # type: ignore[attr-defined]
        out.append(
            f"| {rows:,} | {vs:.1f} | {bs:.1f} | {vs / bs:.2f} | {vm:.0f} "
            f"| {vs / (rows / 1e6):.2f} |"
        )
    out += [
        "",
        f"| columns ({wide_rows:,} rows) | validate s | exit | validate MiB | ms per column |",
        "|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for columns in widths:
            contract = Path(tmp) / f"wide-{columns}.yaml"
            contract.write_text(wide_contract(columns), encoding="utf-8")
            data = cache / f"wide-{columns}-{wide_rows}.parquet"
            if not data.exists():
                log(f"scaling: generating {columns:,} columns x {wide_rows:,} rows")
                argv = [sys.executable, "-c", WIDE_GENERATE, str(columns), str(wide_rows)]
                subprocess.run([*argv, str(data)], check=True)
            log(f"scaling: {columns:,} columns")
            argv = [str(bin_dir / "datacontract"), "validate", str(data), "--contract"]
            argv += [str(contract), "--dataset", "wide", "--format", "json", "--output"]
            run: object = measure([*argv, "/dev/null"])
            rs, rm, rc = run.seconds, run.peak_mib, run.code  # type: ignore[attr-defined]
            out.append(f"| {columns:,} | {rs:.2f} | {rc} | {rm:.0f} | {1000 * rs / columns:.1f} |")
    return out
