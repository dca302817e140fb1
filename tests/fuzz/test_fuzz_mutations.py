"""Mutations of valid files, every format and the contract, run through the command line.

hypothesis mutates a valid seed (a synthetic sample of a dataset, or a shipped contract):
bytes flipped, cut, repeated or deleted, and hostile fragments inserted (markup, terminal
control, deep brackets, invalid UTF-8, lone surrogates, YAML anchors and tags, impossible
dates). For a workbook the XML inside the zip is mutated too. Every run is held to the fuzz
property of conftest.py; the seeds carry a canary national number that must never be echoed.
`FUZZ_EXAMPLES` (a few here, hundreds under `make fuzz`) sets the examples per case.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, ForkServer
from datacontract.personal.insz import make_insz

CONTRACT = ROOT / "contracts" / "groeipakket-toereikendheid-2025.yaml"
MAGDA_CONTRACT = ROOT / "contracts" / "ahovoks-historiekinschrijving-2019.yaml"
MAGDA_DATASET = "historiekinschrijving"
NESTED_CONTRACT = ROOT / "contracts" / "jobbonusplus-2025.yaml"
CANARY = make_insz(dt.date(1979, 11, 3), 271)

FRAGMENTS = [
    CANARY.encode(),
    b"[/]",
    b"[link=https://example.invalid]x[/link]",
    b"\x1b[2J",
    b"\x1b]8;;https://example.invalid\x07",
    b"\xc2\x9b",
    b"\xe2\x80\xae",
    b"\xff\xfe",
    b"\xc0\x80",
    b"\x00",
    b'"',
    b"\n",
    b"\r",
    b",",
    b";",
    b"{" * 70,
    b"[" * 70,
    b'"\\ud800"',
    b"\\udfff",
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b": ",
    b"- ",
    b"\t",
    b"2025-02-30",
    b"1e99999",
    b"!!python/name:os.system",
    b"!!binary AAAA",
    b"? ",
    b"%YAML 1.1\n",
    b"sep=;\n",
    b"\xef\xbb\xbf",
]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """`seed` with one to four mutations."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "cut", "repeat", "random"]))
        if kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(FRAGMENTS)) * draw(st.integers(1, 3))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "cut":
            del data[at:]
        elif kind == "repeat":
            piece = bytes(data[at : at + draw(st.integers(1, 200))])
            data[at:at] = piece * draw(st.integers(1, 50))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
    return bytes(data)


@st.composite
def mutated_workbook(draw: st.DrawFn, seed: bytes) -> bytes:
    """A zip package (XLSX, ODS) with one part mutated (and rezipped), or its bytes mutated."""
    if draw(st.booleans()):
        return draw(mutated(seed))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed)) as source:
        names = source.namelist()
        chosen = draw(st.sampled_from(names))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                content = source.read(name)
                target.writestr(name, draw(mutated(content)) if name == chosen else content)
    return out.getvalue()


def _seed_rows() -> list[dict[str, object]]:
    from datacontract.contract.load import load_contract
    from datacontract.demo.sample import sample_rows

    loaded = load_contract(CONTRACT)
    dataset = next(d for d in loaded.contract.datasets if d.id == "dataset_4")
    rows = sample_rows(loaded.contract, dataset, 12, 3, None)
    rows[5]["gezinscode"] = CANARY  # the canary rides in a cell
    return rows


Seed = tuple[bytes, Path, str]  # the file's bytes, its contract, its dataset


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Seed]:
    """A valid file of every registered format (read/formats.py), each holding the canary in
    one cell: dataset_4's sample where the format has a sample writer, else (MAGDA XML) a
    document of the AHOVOKS reply."""
    from datacontract.contract.load import load_contract
    from datacontract.demo.sample import sample_rows, write_sample
    from datacontract.read.formats import FORMATS

    loaded = load_contract(CONTRACT)
    dataset = next(d for d in loaded.contract.datasets if d.id == "dataset_4")
    magda = load_contract(MAGDA_CONTRACT)
    reply = next(d for d in magda.contract.datasets if d.id == MAGDA_DATASET)
    folder = tmp_path_factory.mktemp("seeds")
    rows = _seed_rows()
    out = {}
    for name, entry in FORMATS.items():
        path = folder / f"seed{entry.extensions[0]}"
        if entry.write_sample is not None:
            write_sample(rows, dataset, path)
            out[name] = (path.read_bytes(), CONTRACT, "dataset_4")
        else:
            replies = sample_rows(magda.contract, reply, 3, 3, None)
            replies[1]["Repliek/Context/Bericht/Afzender/Referte"] = CANARY
            write_sample(replies, reply, path)
            out[name] = (path.read_bytes(), MAGDA_CONTRACT, MAGDA_DATASET)
    return out


SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _registered() -> list[str]:
    from datacontract.read.formats import FORMATS

    return list(FORMATS)


@pytest.mark.parametrize("name", _registered())
def test_mutated_data_files_are_answered_cleanly(
    server: ForkServer, tmp_path: Path, seeds: dict[str, Seed], name: str
) -> None:
    from datacontract.read.formats import FORMATS

    seed, contract, dataset = seeds[name]
    ext = FORMATS[name].extensions[0].lstrip(".")
    zipped = seed.startswith(b"PK\x03\x04")
    strategy = mutated_workbook(seed) if zipped else mutated(seed)

    @SETTINGS
    @given(data=strategy, fmt=st.sampled_from(["text", "json", "junit"]))
    def check(data: bytes, fmt: str) -> None:
        (tmp_path / f"fuzz.{ext}").write_bytes(data)
        answer = server.run(
            "validate",
            f"fuzz.{ext}",
            "--contract",
            contract,
            "--dataset",
            dataset,
            "--format",
            fmt,
            cwd=tmp_path,
        )
        answer.well_behaved(CANARY)

    check()


@pytest.mark.parametrize("contract", [CONTRACT, NESTED_CONTRACT], ids=["adequacy", "jobbonusplus"])
def test_mutated_contracts_are_answered_cleanly(
    server: ForkServer, tmp_path: Path, seeds: dict[str, Seed], contract: Path
) -> None:
    (tmp_path / "data.csv").write_bytes(seeds["csv"][0])

    commands = [
        ("coverage", "--contract", "fuzz.yaml"),
        ("validate", "data.csv", "--contract", "fuzz.yaml", "--dataset", "dataset_4"),
        ("prove", "--contract", "fuzz.yaml"),
    ]

    @SETTINGS
    @given(data=mutated(contract.read_bytes()), args=st.sampled_from(commands))
    def check(data: bytes, args: tuple[str, ...]) -> None:
        (tmp_path / "fuzz.yaml").write_bytes(data)
        server.run(*args, cwd=tmp_path).well_behaved(CANARY)

    check()
