"""`make bench`: what validation costs, as ratios against baselines measured in the same run.

Every figure is a whole process (wall time, and peak RSS from os.wait4), so imports, reading,
checking and reporting are all in it. Files are generated once into .bench-cache/.

    python benchmarks/run.py            # 2M and 5M rows, peers included (about 20 minutes)
    python benchmarks/run.py --quick    # 200k rows, to try it out
    BENCH_ROWS=1000000 python benchmarks/run.py

Figures go to stdout and to docs/performance.md. Nothing here asserts a wall-clock limit:
machines are noisy, so every figure is read against a baseline from the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ledger_bench import CHAIN, ledger_figures
from prove_bench import run as prove_figures
from scaling import scaling_figures

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench-cache"
CONTRACT = ROOT / "contracts" / "groeipakket-toereikendheid-2025.yaml"
DOC = ROOT / "docs" / "performance.md"
BIN = Path(sys.executable).parent
MIB = 1024 * 1024

# Baseline L: read the file with pyarrow in batches, one vectorised INSZ pass over every text
# column and one enum pass over the class columns. What any streaming check must at least do.
BASELINE = """
import sys
import pyarrow as pa, pyarrow.compute as pc, pyarrow.csv as csv, pyarrow.parquet as pq
from datacontract.personal.detect import contains_insz
path = sys.argv[1]
classes = pa.array(["K0_geen", "K1_tot_36325.76", "K2_tot_42380.06", "K3_tot_68329.61",
                    "K4_boven_68329.61"])
if path.endswith(".parquet"):
    batches = pq.ParquetFile(path).iter_batches(batch_size=65536)
else:
    batches = csv.open_csv(path, parse_options=csv.ParseOptions(delimiter=";"),
        convert_options=csv.ConvertOptions(column_types={}, strings_can_be_null=True),
        read_options=csv.ReadOptions(block_size=8 << 20))
hits = 0
for batch in batches:
    for name, column in zip(batch.schema.names, batch.columns):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            hits += int(contains_insz(column).sum())
        if name.endswith("_klasse"):
            hits += int(pc.sum(pc.invert(pc.is_in(column, value_set=classes))).as_py() or 0)
print(hits)
"""

# Plain pandera: the whole file in one pandas frame, a schema in the same spirit.
PANDERA = """
import sys
import pandas as pd, pandera.pandas as pa
path = sys.argv[1]
frame = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path, sep=";")
classes = ["K0_geen", "K1_tot_36325.76", "K2_tot_42380.06", "K3_tot_68329.61",
           "K4_boven_68329.61"]
columns = {"gezinscode": pa.Column(str, pa.Check.str_matches(r"^G[A-Z2-7]{16}$"), unique=True),
           "ua": pa.Column(str, pa.Check.isin(["FONS", "KIDSLIFE", "INFINO", "MYFAMILY",
                                               "PARENTIA"])),
           "gezinstype": pa.Column(str, pa.Check.isin(["combi", "transitie", "nieuw"]))}
for name in frame.columns:
    if name.endswith("_klasse"):
        columns[name] = pa.Column(str, pa.Check.isin(classes), nullable=True)
    elif name not in columns and pd.api.types.is_string_dtype(frame[name]):
        columns[name] = pa.Column(str, nullable=True)  # a text label column (*_type)
    elif name not in columns:
        columns[name] = pa.Column(int, pa.Check.ge(0))
try:
    pa.DataFrameSchema(columns, strict=True).validate(frame, lazy=True)
except pa.errors.SchemaErrors as exc:
    print(len(exc.failure_cases))
"""


# pandera with its polars backend: the whole file in one polars frame, the same checks, and the
# INSZ scan of every text column that validate does too (handed to Arrow without a copy):
# a peer without it would do less work than we do (issue 26).
POLARS = """
import sys
import polars as pl, pandera.polars as pa
from datacontract.personal.detect import contains_insz
path = sys.argv[1]
frame = pl.read_parquet(path) if path.endswith(".parquet") else pl.read_csv(path, separator=";")
classes = ["K0_geen", "K1_tot_36325.76", "K2_tot_42380.06", "K3_tot_68329.61",
           "K4_boven_68329.61"]
columns = {"gezinscode": pa.Column(str, pa.Check.str_matches(r"^G[A-Z2-7]{16}$"), unique=True),
           "ua": pa.Column(str, pa.Check.isin(["FONS", "KIDSLIFE", "INFINO", "MYFAMILY",
                                               "PARENTIA"])),
           "gezinstype": pa.Column(str, pa.Check.isin(["combi", "transitie", "nieuw"]))}
for name in frame.columns:
    if name.endswith("_klasse"):
        columns[name] = pa.Column(str, pa.Check.isin(classes), nullable=True)
    elif name not in columns and frame.schema[name] == pl.String:
        columns[name] = pa.Column(pl.String, nullable=True)  # a text label column (*_type)
    elif name not in columns:
        columns[name] = pa.Column(pl.Int64, pa.Check.ge(0))
try:
    pa.DataFrameSchema(columns, strict=True).validate(frame, lazy=True)
except pa.errors.SchemaErrors as exc:
    print(len(exc.failure_cases))
hits = 0
for name, dtype in frame.schema.items():
    if dtype == pl.String:
        hits += int(contains_insz(frame[name].to_arrow()).sum())
print(hits)
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float
    code: int
    # user + system seconds of the child and the threads it waited for: on a machine shared
    # with other work the wall time stretches, the CPU time much less (read both)
    cpu: float = 0.0


def measure(
    argv: list[str], ok: tuple[int, ...] = (0, 1), env: dict[str, str] | None = None
) -> Run:
    """Wall time and peak RSS of one child process; exits when its code is not in ok."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    assert child.stderr is not None
    err = child.stderr.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(argv)}\n{err}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, usage.ru_maxrss / 1024, code, cpu)  # ru_maxrss is in KiB on Linux


def validate_cmd(path: Path) -> list[str]:
    return [
        str(BIN / "datacontract"),
        "validate",
        str(path),
        "--contract",
        str(CONTRACT),
        "--dataset",
        "achtergrond",
        "--format",
        "json",
        "--output",
        os.devnull,
    ]


def python_cmd(code: str, path: Path) -> list[str]:
    return [sys.executable, "-c", code, str(path)]


GENERATE = """
import sys
import pyarrow.csv as pacsv, pyarrow.parquet as pq
from datacontract.demo.synthetic import achtergrond_like
rows, failing, parquet, csv = int(sys.argv[1]), sys.argv[2] == "1", sys.argv[3], sys.argv[4]
table = achtergrond_like(rows, seed=2025, all_failing=failing)
pq.write_table(table, parquet)
pacsv.write_csv(table, csv, write_options=pacsv.WriteOptions(delimiter=";"))
"""


def files(rows: int) -> dict[str, Path]:
    """Clean and all-failing achtergrond files of `rows` rows, as Parquet and ';' CSV.

    Generated in a child process: this process stays small, because a child forked from a
    large parent would report the parent's pages in its own peak RSS.
    """
    CACHE.mkdir(exist_ok=True)
    out: dict[str, Path] = {}
    for failing in (False, True):
        label = "failing" if failing else "clean"
        stem = f"achtergrond-{rows}-{label}"
        parquet, csv = CACHE / f"{stem}.parquet", CACHE / f"{stem}.csv"
        if not parquet.exists() or not csv.exists():
            log(f"generating {stem} ...")
            argv = [sys.executable, "-c", GENERATE, str(rows), str(int(failing))]
            subprocess.run([*argv, str(parquet), str(csv)], check=True)
        out[f"{label} parquet"] = parquet
        out[f"{label} csv"] = csv
    return out


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def startup() -> tuple[float, float, float, float]:
    """Best of 5: validate on a 10-row file, L on it, `python -c pass`, and importing the
    data stack."""
    with tempfile.TemporaryDirectory() as tmp:
        parquet, csv = Path(tmp) / "ten.parquet", Path(tmp) / "ten.csv"
        subprocess.run(
            [sys.executable, "-c", GENERATE, "10", "0", str(parquet), str(csv)], check=True
        )
        validate = min(measure(validate_cmd(parquet)).seconds for _ in range(5))
        base = min(measure(python_cmd(BASELINE, parquet)).seconds for _ in range(5))
        bare = min(measure([sys.executable, "-c", "pass"]).seconds for _ in range(5))
        # the engine's stack (issue 26: pandera's polars backend, no pandas)
        stack = [sys.executable, "-c", "import pandera.polars, polars, pyarrow, numpy"]
        floor = min(measure(stack).seconds for _ in range(5))
    return validate, base, bare, floor


def startup_figure() -> str:
    """The start-up verdict: validate on a 10-row file against L on it (best of 5 each)."""
    log("start-up on a 10-row file")
    validate_s, base_s, bare_s, floor_s = startup()
    ratio = validate_s / base_s
    return (
        f"- start-up: validate on a 10-row file (whole process) {validate_s:.2f} s, "
        f"{ratio:.2f}× L on the same file ({base_s:.2f} s) "
        f"({'met' if ratio <= 1.5 else f'missed by {ratio / 1.5 - 1:.0%}'} target ≤ 1.5× L); "
        f"{validate_s / bare_s:.1f}× `python -c pass` ({bare_s:.3f} s), "
        f"{validate_s / floor_s:.2f}× importing pandera.polars + polars + pyarrow alone "
        f"({floor_s:.2f} s); command `datacontract validate ten.parquet --contract ... "
        "--dataset achtergrond`"
    )


LEDGER = """
import hashlib, sys
from datetime import datetime, timedelta, timezone
from datacontract.ledger.chain import canonical_json
n, path = int(sys.argv[1]), sys.argv[2]
payers = ["fons", "kidslife", "infino", "myfamily", "parentia"]
start = datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=1)))
prev = "0" * 64
with open(path, "w", encoding="utf-8") as out:
    for seq in range(1, n + 1):
        payer = payers[((seq - 1) // 2) % 5]
        kind = "sent" if seq % 2 else "received"
        body = {"seq": seq, "time": (start + timedelta(seconds=seq)).isoformat(), "kind": kind,
                "party": "opgroeien_it" if kind == "sent" else payer, "dataset": "dataset_1",
                "hop": "stap3", "sender": "opgroeien_it", "receiver": payer,
                "sha256": hashlib.sha256(str((seq - 1) // 2).encode()).hexdigest(), "rows": 10,
                "contract": "groeipakket-toereikendheid-2025", "contract_version": "1.0.0",
                "violation": False, "findings": [], "prev": prev, "milestone": None}
        body["hash"] = hashlib.sha256(canonical_json(body).encode()).hexdigest()
        prev = body["hash"]
        out.write(canonical_json(body) + "\\n")
"""


def _ledger_file(events: int) -> Path:
    ledger = CACHE / f"ledger-{events}.jsonl"
    if not ledger.exists():
        CACHE.mkdir(exist_ok=True)
        subprocess.run([sys.executable, "-c", LEDGER, str(events), str(ledger)], check=True)
    return ledger


def _prove_cmd(ledger: str) -> list[str]:
    at = "2026-01-01T00:00:00+01:00"
    return [str(BIN / "datacontract"), "prove", "--contract", str(CONTRACT), "--ledger", ledger,
            "--at", at, "--format", "json", "--output", os.devnull]  # fmt: skip


def flow_figures(events: int) -> list[str]:
    """prove over a generated ledger, and the cost of one hop send on a 10-row file."""
    CACHE.mkdir(exist_ok=True)
    ledger = CACHE / f"ledger-{events}.jsonl"
    if not ledger.exists():
        log(f"generating a ledger of {events:,} events ...")
        subprocess.run([sys.executable, "-c", LEDGER, str(events), str(ledger)], check=True)
    log("prove over the ledger")
    prove = measure(
        [
            str(BIN / "datacontract"),
            "prove",
            "--contract",
            str(CONTRACT),
            "--ledger",
            str(ledger),
            "--at",
            "2026-01-01T00:00:00+01:00",
            "--format",
            "json",
            "--output",
            os.devnull,
        ]
    )
    chain = measure([sys.executable, "-c", CHAIN, str(ledger)])
    log("hop send on a 10-row file")
    with tempfile.TemporaryDirectory() as tmp:
        parquet, csv = Path(tmp) / "ten.parquet", Path(tmp) / "ten.csv"
        subprocess.run(
            [sys.executable, "-c", GENERATE, "10", "0", str(parquet), str(csv)], check=True
        )
        sends, validates = [], []
        for i in range(5):
            (Path(tmp) / f"l{i}.jsonl").touch()  # `ledger init`: appending needs a ledger
            sends.append(
                measure(
                    [
                        str(BIN / "datacontract"),
                        "hop",
                        "send",
                        str(parquet),
                        "--contract",
                        str(CONTRACT),
                        "--hop",
                        "stap6_achtergrond",
                        "--ledger",
                        str(Path(tmp) / f"l{i}.jsonl"),
                        "--at",
                        "2025-07-15T10:00:00+02:00",
                    ]
                ).seconds
            )
            validates.append(measure(validate_cmd(parquet)).seconds)
    send_s, validate_s = min(sends), min(validates)
    return [
        f"- prove over a ledger of {events:,} events: {prove.seconds:.1f} s, "
        f"{prove.peak_mib:.0f} MiB peak "
        f"({'met' if prove.seconds < 10 else 'missed'} target < 10 s); "
        f"{prove.seconds / chain.seconds:.2f}× a bare chain check (json + sha256 per line, "
        f"{chain.seconds:.1f} s, {chain.peak_mib:.0f} MiB) "
        f"({'met' if prove.seconds <= 1.1 * chain.seconds else 'missed'} target ≤ 1.1×); "
        f"command `datacontract prove --contract ... --ledger ledger-{events}.jsonl --format json`",
        f"- hop send on a 10-row file: {send_s:.2f} s, {send_s / validate_s:.2f}× validate on the "
        f"same file ({validate_s:.2f} s): the ledger lock, flow check, append with fsync and "
        "manifest cost the difference",
    ]


# -- peers: datacontract-cli in its own virtual environment --------------------------------------

DC_CLI = CACHE / "datacontract-cli"
CLASSES = ["K0_geen", "K1_tot_36325.76", "K2_tot_42380.06", "K3_tot_68329.61", "K4_boven_68329.61"]


def dc_cli() -> Path | None:
    """datacontract-cli's command, installed into .bench-cache/datacontract-cli once (its own
    venv: its import name and command clash with ours); None when it cannot be installed."""
    command = DC_CLI / "bin" / "datacontract"
    if command.exists():
        return command
    log("installing datacontract-cli into its own venv (once) ...")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(DC_CLI)], check=True)
        subprocess.run(
            [str(DC_CLI / "bin" / "pip"), "install", "--quiet", "datacontract-cli[parquet,csv]"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return command if command.exists() else None


PANDAS_PEER = CACHE / "pandera-pandas"


def pandas_peer() -> Path | None:
    """The Python of a venv with pandera's pandas backend, made in .bench-cache/pandera-pandas
    once: pandas is not our dependency, and in our venv `import pandera` would import it for
    every validate measured (issue 26). None when it cannot be installed."""
    python = PANDAS_PEER / "bin" / "python"
    if python.exists():
        return python
    log("installing pandera[pandas] into its own venv (once) ...")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PANDAS_PEER)], check=True)
        subprocess.run(
            [str(PANDAS_PEER / "bin" / "pip"), "install", "--quiet", "pandera[pandas]", "pyarrow"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return python if python.exists() else None


def odcs_contract(path: Path, fmt: str, out: Path) -> Path:
    """An ODCS 3.2 contract for datacontract-cli with the checks our baseline makes: the
    columns, gezinscode required, unique and patterned, the labels of ua, gezinstype and the
    income classes, every count present and at least 0."""
    import pyarrow.parquet as pq

    schema = pq.read_schema(path.with_suffix(".parquet"))
    names = schema.names
    model = path.stem
    properties: list[dict[str, object]] = []
    for name in names:
        prop: dict[str, object] = {"name": name}
        if name == "gezinscode":
            prop.update(
                logicalType="string",
                required=True,
                unique=True,
                logicalTypeOptions={"pattern": "^G[A-Z2-7]{16}$"},
            )
        elif name in ("ua", "gezinstype") or name.endswith("_klasse"):
            valid = {
                "ua": ["FONS", "KIDSLIFE", "INFINO", "MYFAMILY", "PARENTIA"],
                "gezinstype": ["combi", "transitie", "nieuw"],
            }.get(name, CLASSES)
            prop.update(
                logicalType="string",
                required=not name.endswith("_klasse"),
                quality=[
                    {"metric": "invalidValues", "arguments": {"validValues": valid}, "mustBe": 0}
                ],
            )
        elif schema.field(name).type == "string":  # a text label column (the *_type columns)
            prop.update(logicalType="string", required=False)
        else:
            prop.update(logicalType="integer", required=True, logicalTypeOptions={"minimum": 0})
        properties.append(prop)
    server: dict[str, object] = {
        "server": "local",
        "type": "local",
        "path": str(path),
        "format": fmt,
    }
    if fmt == "csv":
        server["delimiter"] = ";"
    document = {
        "apiVersion": "v3.2.0",
        "kind": "DataContract",
        "id": "achtergrond",
        "name": "achtergrond",
        "version": "1.0.0",
        "status": "active",
        "servers": [server],
        "schema": [
            {
                "name": model,
                "physicalName": model,
                "logicalType": "object",
                "properties": properties,
            }
        ],
    }
    import json

    out.write_text(json.dumps(document, indent=1), encoding="utf-8")  # JSON is YAML
    return out


def peer_figures(paths: dict[str, Path], rows: int) -> list[str]:
    """validate against pandera's polars backend and datacontract-cli `test`, same checks."""
    out: list[str] = []
    command = dc_cli()
    for fmt in ("parquet", "csv"):
        clean = paths[f"clean {fmt}"]
        ours = measure(validate_cmd(clean))
        log(f"{rows:,} rows, {fmt}: pandera with polars")
        polars = measure(python_cmd(POLARS, clean))
        half = ours.peak_mib <= polars.peak_mib / 2
        out.append(
            f"- {rows:,} rows {fmt}: validate {ours.seconds:.1f} s (CPU {ours.cpu:.1f} s) vs "
            f"pandera-polars with an INSZ scan of every text column {polars.seconds:.1f} s "
            f"(CPU {polars.cpu:.1f} s; {polars.seconds / ours.seconds:.2f}× ours; "
            f"{'met' if ours.seconds < polars.seconds else 'missed'} target faster); memory "
            f"{ours.peak_mib:.0f} vs {polars.peak_mib:.0f} MiB "
            f"({'met' if half else 'missed'} target at most half)"
        )
        if command is None:
            out.append(f"- {rows:,} rows {fmt}: datacontract-cli could not be installed")
            continue
        log(f"{rows:,} rows, {fmt}: datacontract-cli test")
        with tempfile.TemporaryDirectory() as tmp:
            # datacontract-cli finds a local file's table by the model's name
            named = Path(tmp) / f"achtergrond.{fmt}"
            named.symlink_to(clean)
            if fmt == "csv":
                (Path(tmp) / "achtergrond.parquet").symlink_to(clean.with_suffix(".parquet"))
            contract = odcs_contract(named, fmt, Path(tmp) / "achtergrond.odcs.yaml")
            # its own environment: a PYTHONPATH naming our src/ would make it import us
            # (both packages are called datacontract)
            alone = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            # exit 0 only: the clean file passes, so any other code is the peer failing to
            # run (a wrong contract), which must not pass for a figure
            theirs = measure([str(command), "test", str(contract)], ok=(0,), env=alone)
        out.append(
            f"- {rows:,} rows {fmt}: datacontract-cli test {theirs.seconds:.1f} s "
            f"(CPU {theirs.cpu:.1f} s; {theirs.seconds / ours.seconds:.2f}× ours; "
            f"{'met' if theirs.seconds >= 5 * ours.seconds else 'missed'} target ≥ 5×); "
            f"memory {theirs.peak_mib:.0f} MiB; command "
            f"`{DC_CLI.relative_to(ROOT)}/bin/datacontract test achtergrond.odcs.yaml`"
        )
    return out


SAMPLE_L = """
import sys
import pyarrow.csv as csv
rows = 0
for batch in csv.open_csv(sys.argv[1]):
    rows += batch.num_rows
print(rows)
"""


def sample_figures(rows: int) -> list[str]:
    """`datacontract sample` of dataset_2 to CSV, against L's read of what it wrote."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dataset_2.csv"
        argv = [str(BIN / "datacontract"), "sample", "--contract", str(CONTRACT)]
        argv += ["--dataset", "dataset_2", "--rows", str(rows), "--output", str(out)]
        log(f"sample {rows:,} rows of dataset_2")
        sample = measure(argv)
        read = measure(python_cmd(SAMPLE_L, out))
    ratio = sample.seconds / read.seconds
    return [
        f"- sample {rows:,} rows of dataset_2 to CSV: {sample.seconds:.1f} s, "
        f"{sample.peak_mib:.0f} MiB peak, {ratio:.1f}× L's read of the result "
        f"({read.seconds:.2f} s) ({'met' if ratio <= 5 else 'missed'} target ≤ 5×); "
        f"command `datacontract sample --contract ... --dataset dataset_2 --rows {rows}`"
    ]


def wide_figures(columns: int) -> list[str]:
    """How long a CSV of `columns` columns takes to be answered (refused: undeclared columns)."""
    with tempfile.TemporaryDirectory() as tmp:
        wide = Path(tmp) / "wide.csv"
        header = ";".join(f"c{i}" for i in range(columns))
        wide.write_text(header + "\n" + ";".join("1" for _ in range(columns)) + "\n")
        run = measure(validate_cmd(wide), ok=(0, 1, 2))
    return [
        f"- a CSV of {columns:,} columns: answered in {run.seconds:.2f} s with exit {run.code} "
        f"({'met' if run.seconds < 1 else 'missed'} target < 1 s)"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200k rows only")
    parser.add_argument("--no-pandera", action="store_true", help="skip the plain-pandera runs")
    parser.add_argument("--flow-only", action="store_true", help="only the ledger and hop figures")
    parser.add_argument("--events", type=int, default=1_000_000, help="ledger size for prove")
    parser.add_argument("--no-peers", action="store_true", help="skip pandera-polars and dc-cli")
    parser.add_argument("--sample-rows", type=int, default=1_000_000, help="rows for `sample`")
    parser.add_argument("--no-scaling", action="store_true", help="skip the rows/columns scaling")
    parser.add_argument(
        "--validate-only",
        action="store_true",
        help="the validate half alone (files, peers, start-up), printed, docs/performance.md "
        "left as it is",
    )
    args = parser.parse_args()
    env_rows = os.environ.get("BENCH_ROWS")
    sizes = [int(env_rows)] if env_rows else [200_000] if args.quick else [2_000_000, 5_000_000]

    lines: list[str] = []
    verdicts: list[str] = []
    table = [
        "| rows | format | validate s | L s | × L | validate CPU s | L CPU s | × L CPU "
        "| pandera s | × pandera | validate MiB | L MiB "
        "| pandera MiB | failing s | failing × clean | failing MiB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    if args.flow_only:
        sizes = []
    for rows in sizes:
        paths = files(rows)
        for fmt in ("parquet", "csv"):
            clean, failing = paths[f"clean {fmt}"], paths[f"failing {fmt}"]
            log(f"{rows:,} rows, {fmt}: validate")
            v = measure(validate_cmd(clean))
            if v.code != 0:
                raise SystemExit(f"the clean file {clean} does not validate")
            log(f"{rows:,} rows, {fmt}: baseline L")
            base = measure(python_cmd(BASELINE, clean))
            log(f"{rows:,} rows, {fmt}: all-failing file")
            f = measure(validate_cmd(failing))
            if f.code != 1:
                raise SystemExit(f"the failing file {failing} was not refused")
            p = None
            if not args.no_pandera:
                log(f"{rows:,} rows, {fmt}: plain pandera")
                python = pandas_peer()
                p = measure([str(python), "-c", PANDERA, str(clean)]) if python else None
            table.append(
                f"| {rows:,} | {fmt} | {v.seconds:.1f} | {base.seconds:.1f} "
                f"| {v.seconds / base.seconds:.2f} "
                f"| {v.cpu:.1f} | {base.cpu:.1f} | {v.cpu / max(base.cpu, 1e-9):.2f} "
                f"| {p.seconds if p else float('nan'):.1f} "
                f"| {v.seconds / p.seconds if p else float('nan'):.2f} "
                f"| {v.peak_mib:.0f} | {base.peak_mib:.0f} "
                f"| {p.peak_mib if p else float('nan'):.0f} "
                f"| {f.seconds:.1f} | {f.seconds / v.seconds:.2f} | {f.peak_mib:.0f} |"
            )
            ratio = v.seconds / base.seconds
            verdicts.append(
                f"- {rows:,} rows {fmt}: validate {ratio:.2f}× L "
                f"({'met' if ratio <= 1.1 else f'missed by {ratio / 1.1 - 1:.0%}'} target ≤ 1.1×; "
                f"CPU {v.cpu:.1f} vs {base.cpu:.1f} s, {v.cpu / max(base.cpu, 1e-9):.2f}×); "
                f"all-failing {f.seconds / v.seconds:.2f}× clean "
                f"({'met' if f.seconds <= 2 * v.seconds else 'missed'} target ≤ 2×), "
                f"memory {f.peak_mib:.0f} vs {v.peak_mib:.0f} MiB"
            )
            if rows >= 5_000_000:
                peak = max(v.peak_mib, f.peak_mib)
                verdicts.append(
                    f"- {rows:,} rows {fmt}: peak memory {peak:.0f} MiB "
                    f"({'met' if peak < 600 else 'missed'} target < 600 MiB)"
                )
        if not args.no_peers:
            verdicts += peer_figures(paths, rows)
    if args.validate_only:
        verdicts.append(startup_figure())
        print("\n".join([*table, "", *verdicts]))
        return
    verdicts += flow_figures(args.events)
    verdicts += sample_figures(args.sample_rows)
    verdicts += wide_figures(20_000)
    log("the shared ledger: append throughput and prove time, file and PostgreSQL")
    verdicts += ledger_figures(_ledger_file, _prove_cmd, min(args.events, 200_000))
    log("prove in full and from a checkpoint's state, PostgreSQL append latency (issue 26)")
    verdicts += ["", "Prove and the shared ledger (benchmarks/prove_bench.py):", ""]
    verdicts += [row.line() for row in prove_figures(args.quick)]
    verdicts.append(startup_figure())
    if not args.no_scaling:
        log("how far one machine goes: rows and columns")
        quick = args.quick
        scaling = scaling_figures(
            lambda argv: measure(argv, ok=(0, 1, 2)),
            validate_cmd,
            python_cmd,
            BASELINE,
            BIN,
            CACHE,
            log,
            sizes=(200_000, 400_000) if quick else (1_000_000, 5_000_000, 20_000_000),
            widths=(30, 300) if quick else (30, 300, 2_000, 3_000),
            wide_rows=20_000 if quick else 100_000,
        )
        verdicts += ["", "How far one machine goes:", "", *scaling]

    machine = (
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.machine()}, "
        f"{dt.date.today().isoformat()}"
    )
    commands = [
        "",
        "Commands: validate is `datacontract validate FILE --contract "
        "contracts/groeipakket-toereikendheid-2025.yaml --dataset achtergrond --format json "
        "--output /dev/null`; L is BASELINE in benchmarks/run.py (pyarrow reads the file in "
        "batches, one vectorised INSZ scan of every text column, one is_in per class column); "
        "pandera is PANDERA there (the whole file in one pandas frame).",
        "",
    ]
    lines = [*table, *commands, *verdicts]
    print("\n".join(lines))
    write_doc(machine, lines)


def write_doc(machine: str, lines: list[str]) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    marker = "<!-- figures -->"
    head = text.split(marker)[0] if marker in text else HEADER
    DOC.write_text(
        f"{head}{marker}\n\nLast run: {machine}.\n\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )


HEADER = """# Performance

`make bench` (`python benchmarks/run.py`) measures whole processes, so imports, reading,
checking and reporting are all counted: wall time, and peak resident memory from `os.wait4`.
Every figure is read against a baseline measured in the same run on the same file.

"""

if __name__ == "__main__":
    main()
