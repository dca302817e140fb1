"""`sample` writes what validates (issue 27): every dataset of every contract, at 1 and 150
rows (and 10,000 in one format), in every format it travels as, passes `validate --transfer`
as a hook would check it; a format the dataset does not travel as is refused (exit 2) with
the formats it does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import ROOT, run_cli

from datacontract.contract.load import load_contract
from datacontract.read.formats import FORMATS

CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))
ON = "2025-06-02"  # the transfer date the samples stand for
PASSWORD = "synthetic-dpo-key-7"  # a test password, not a secret


def _travels() -> Iterator[tuple[Path, str, str]]:
    for path in CONTRACTS:
        for ds in load_contract(path).contract.datasets:
            formats = ds.file.formats if ds.file is not None and ds.file.formats else ("csv",)
            for fmt in formats:
                yield path, ds.id, FORMATS[fmt].extensions[0]


TRAVELS = list(_travels())


def _sample_and_validate(tmp_path: Path, contract: Path, dataset: str, ext: str, rows: int) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text(PASSWORD, encoding="utf-8")
    out = tmp_path / f"{dataset}{ext}"
    made = run_cli("sample", "--contract", contract, "--dataset", dataset, "--rows", str(rows),
                   "--output", out, "--password-file", secret, "--reference-date", ON)  # fmt: skip
    assert made.code == 0, made.everything
    checked = run_cli("validate", out, "--contract", contract, "--dataset", dataset, "--transfer",
                      "--password-file", secret, "--reference-date", ON)  # fmt: skip
    assert checked.code == 0, f"{contract.name} {dataset} {ext} rows={rows}: {checked.everything}"


@pytest.mark.parametrize("rows", [1, 150])
@pytest.mark.parametrize(
    ("contract", "dataset", "ext"), TRAVELS, ids=[f"{c.stem}-{d}{e}" for c, d, e in TRAVELS]
)
def test_a_sample_validates_in_every_format_it_travels_as(
    tmp_path: Path, contract: Path, dataset: str, ext: str, rows: int
) -> None:
    _sample_and_validate(tmp_path, contract, dataset, ext, rows)


FIRST = list({(c, d): (c, d, e) for c, d, e in reversed(TRAVELS)}.values())


@pytest.mark.parametrize(
    ("contract", "dataset", "ext"), FIRST, ids=[f"{c.stem}-{d}{e}" for c, d, e in FIRST]
)
def test_ten_thousand_rows_validate_in_one_format(
    tmp_path: Path, contract: Path, dataset: str, ext: str
) -> None:
    _sample_and_validate(tmp_path, contract, dataset, ext, 10_000)


def test_a_format_the_dataset_does_not_travel_as_is_refused_naming_those_it_does(
    tmp_path: Path,
) -> None:
    refused = 0
    for contract in CONTRACTS:
        for ds in load_contract(contract).contract.datasets:
            if ds.file is None or not ds.file.formats:
                continue
            other = next(f for f in ("parquet", "csv", "json") if f not in ds.file.formats)
            out = tmp_path / f"{ds.id}{FORMATS[other].extensions[0]}"
            run = run_cli("sample", "--contract", contract, "--dataset", ds.id, "--output", out)
            assert run.code == 2, run.everything
            for fmt in ds.file.formats:
                assert FORMATS[fmt].extensions[0] in run.stderr
            assert not out.exists()
            refused += 1
    assert refused >= 3


def test_an_answer_lists_at_most_what_the_services_schema_allows(tmp_path: Path) -> None:
    import re

    from datacontract.demo.magda_documents import MAX_ENROLMENTS

    xsd = next(
        (ROOT / "src" / "datacontract" / "read" / "magda" / "xsd").rglob("InschrijvingComplex.xsd")
    )
    found = re.search(
        r'name="Inschrijving" [^>]*maxOccurs="(\d+)"', xsd.read_text(encoding="utf-8")
    )
    assert found is not None and int(found.group(1)) == MAX_ENROLMENTS
    contract = ROOT / "contracts" / "ahovoks-historiekinschrijving-2019.yaml"
    out = tmp_path / "antwoord.xml"
    run = run_cli("sample", "--contract", contract, "--dataset", "historiekinschrijving",
                  "--rows", "150", "--output", out)  # fmt: skip
    assert run.code == 0, run.everything
    assert f"at most {MAX_ENROLMENTS} rows" in run.stdout and "not 150" in run.stdout
    assert out.read_text(encoding="utf-8").count("<Inschrijving>") == MAX_ENROLMENTS
