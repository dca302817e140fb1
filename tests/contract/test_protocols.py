"""The four other protocols of the seeds: every dataset samples and validates, every rule
fails on a file mutated to break it, and each flow has an honest ledger that proves and bad
ones that yield the right counterexample, through the published command line.

The mutations are derived from the contracts' declarations, not written per contract: a rule
added to a contract gets its failing case here without a new test.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import ROOT, run_cli

from datacontract.check.validate import Options, validate_file
from datacontract.contract import model
from datacontract.contract.load import LoadedContract, load_contract
from datacontract.demo.sample import FORMATS, XML, formats, sample_rows, write_sample
from datacontract.ledger.chain import read_ledger
from datacontract.personal.insz import make_insz

CONTRACTS = {
    name: ROOT / "contracts" / f"{name}.yaml"
    for name in (
        "ikt-ouderbijdrage-2025",
        "lokale-besturen-sociale-toeslag-2020",
        "jobbonusplus-2025",
        "ahovoks-historiekinschrijving-2019",
    )
}
LOADED = {name: load_contract(path) for name, path in CONTRACTS.items()}
ON = dt.date(2025, 6, 2)  # the transfer date the samples stand for
PASSWORD = "synthetic-dpo-key-7"  # a test password, not a secret

Rows = list[dict[str, Any]]


def _options(*, transfer: bool = False) -> Options:
    return Options(reference_date=ON, password=PASSWORD, transfer=transfer)


def _rows(loaded: LoadedContract, ds: model.Dataset, seed: int = 5, n: int = 30) -> Rows:
    return sample_rows(loaded.contract, ds, n, seed, ON)


def _write(ds: model.Dataset, rows: Rows, path: Path) -> Path:
    return write_sample(rows, ds, path, PASSWORD)


def _all_datasets() -> Iterator[tuple[str, str, str]]:
    """Every format; a MAGDA dataset as its XML document (a flat file is no MAGDA document)."""
    for name, loaded in LOADED.items():
        for ds in loaded.contract.datasets:
            for ext in (XML,) if ds.magda is not None else FORMATS:
                yield name, ds.id, ext


@pytest.mark.parametrize(("contract", "dataset", "ext"), list(_all_datasets()))
def test_sampled_files_validate(tmp_path: Path, contract: str, dataset: str, ext: str) -> None:
    """In every format; as a transfer too in the formats the dataset travels as."""
    loaded = LOADED[contract]
    ds = loaded.contract.dataset(dataset)
    assert ds is not None
    path = _write(ds, _rows(loaded, ds), tmp_path / f"{dataset}{ext}")
    result = validate_file(loaded, dataset, path, _options())
    assert result.valid, [f.to_json() for f in result.findings]
    assert result.rows >= 1
    as_sent = validate_file(loaded, dataset, path, _options(transfer=True))
    assert as_sent.valid is (ext in formats(ds)), [f.to_json() for f in as_sent.findings]


@pytest.mark.parametrize("contract", list(CONTRACTS))
def test_every_contract_proves_its_declared_flow_and_covers_article_3(contract: str) -> None:
    assert run_cli("prove", "--contract", CONTRACTS[contract]).code == 0
    run = run_cli("coverage", "--contract", CONTRACTS[contract], "--format", "json")
    assert run.code == 0, run.everything
    report = json.loads(run.stdout)
    assert report["items"] and all(i["status"] != "not_encoded" for i in report["items"])


# --- for each rule, a file that breaks it -------------------------------------------------------

Mutation = Callable[[Rows], Rows]


def _invalid_insz() -> str:
    good = make_insz(dt.date(1990, 5, 17), 123)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


def _aged(years: int) -> str:
    """A national number of someone exactly `years` old on ON (plus a few days)."""
    birth = ON.replace(year=ON.year - years) - dt.timedelta(days=3)
    return make_insz(birth, 211)


def _set(column: str, value: Any, row: int = 0) -> Mutation:
    def mutate(rows: Rows) -> Rows:
        rows[row][column] = value
        return rows

    return mutate


def _copy_first(columns: tuple[str, ...]) -> Mutation:
    def mutate(rows: Rows) -> Rows:
        for c in columns:
            rows[1][c] = rows[0][c]
        return rows

    return mutate


def _append_part(column: str, separator: str) -> Mutation:
    def mutate(rows: Rows) -> Rows:
        rows[0][column] = f"{rows[0][column]}{separator}9"
        return rows

    return mutate


def _column_mutations(ds: model.Dataset) -> Iterator[tuple[str, Mutation]]:
    for c in ds.columns:
        rule = f"{ds.id}.{c.name}"
        if not c.nullable:
            yield f"{rule}.nullable", _set(c.name, None)
        if c.values is not None:
            undeclared = "ZZ_undeclared" if c.type == "string" else 7
            yield f"{rule}.values", _set(c.name, undeclared)
        if c.pattern is not None:
            yield f"{rule}.pattern", _set(c.name, "!")
        if c.format == "insz":
            yield f"{rule}.format", _set(c.name, _invalid_insz())
        if c.minimum is not None:
            yield f"{rule}.range", _set(c.name, int(c.minimum) - 1)
        if c.maximum is not None:
            yield f"{rule}.range", _set(c.name, int(c.maximum) + 1)
        if c.type in ("integer", "number", "date"):
            # In JSON a date is a string: "abc" is the right kind, the wrong date.
            kind = "json_type" if ds.nested and c.type != "date" else "type"
            yield f"{rule}.{kind}", _set(c.name, "abc")
        if c.unique and not ds.nested:
            yield f"{rule}.unique", _copy_first((c.name,))


_PLANTED = {
    "insz": make_insz(dt.date(2001, 3, 4), 57),
    "email": "synthetic.person@example.org",
    "phone": "+32 470 12 34 56",
}


def _rule_mutations(loaded: LoadedContract, ds: model.Dataset) -> Iterator[tuple[str, Mutation]]:
    other = _rows(loaded, ds, seed=99, n=2)
    for rule in ds.rules:
        if isinstance(rule, model.UniqueRule) and not ds.nested:
            yield rule.id, _copy_first(rule.columns)
        elif isinstance(rule, model.SingleValueRule):
            yield rule.id, _set(rule.column, other[0][rule.column], row=1)
        elif isinstance(rule, model.ForbiddenContentRule):
            # A column the contract declares, or else one it accepts by reference.
            target = next(
                (
                    c.name
                    for c in ds.columns
                    if c.type == "string" and c.name not in rule.except_columns
                ),
                "opleiding",
            )
            for detector in rule.detect:
                found = loaded.contract.detector(detector)
                assert found is not None
                yield rule.id, _set(target, f"zie {_PLANTED[found.detector]} hier")
        elif isinstance(rule, model.ForbiddenColumnsRule):
            yield rule.id, _set(rule.columns[0], "x")
        elif isinstance(rule, model.PartsCountRule):
            yield rule.id, _append_part(rule.column, rule.separator)
        elif isinstance(rule, model.AgeBetweenRule):
            if rule.maximum is not None:
                yield rule.id, _set(rule.column, _aged(rule.maximum + 1))
            if rule.minimum > 0:
                yield rule.id, _set(rule.column, _aged(rule.minimum - 1))
    if ds.columns_by_reference is not None:
        # By reference is not an open door: every name the contract lists is refused.
        for never in ds.columns_by_reference.never.names:
            if ds.column(never) is None:  # a declared column is checked as declared
                yield f"{ds.id}.columns_by_reference.never", _set(never, "x")


def _cases() -> Iterator[tuple[str, str, str, int]]:
    for name, loaded in LOADED.items():
        for ds in loaded.contract.datasets:
            mutations = [*_column_mutations(ds), *_rule_mutations(loaded, ds)]
            for i, (rule, _) in enumerate(mutations):
                yield name, ds.id, rule, i


def _write_mutated(ds: model.Dataset, rows: Rows, path: Path) -> Path:
    """Rows as the dataset travels; flat text as CSV written cell by cell (any value fits)."""
    allowed = formats(ds)
    names = list(dict.fromkeys(k for r in rows for k in r))
    if ds.nested:
        return _write(ds, rows, path.with_suffix(allowed[0]))
    if ".csv" not in allowed:
        return _workbook(rows, names, path.with_suffix(".xlsx"))
    with path.with_suffix(".csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(names)
        for r in rows:
            writer.writerow(["" if r.get(n) is None else r[n] for n in names])
    return path.with_suffix(".csv")


@pytest.mark.parametrize(("contract", "dataset", "rule", "index"), list(_cases()))
def test_each_rule_fails_on_a_file_that_breaks_it(
    tmp_path: Path, contract: str, dataset: str, rule: str, index: int
) -> None:
    loaded = LOADED[contract]
    ds = loaded.contract.dataset(dataset)
    assert ds is not None
    mutations = [*_column_mutations(ds), *_rule_mutations(loaded, ds)]
    expected, mutate = mutations[index]
    assert expected == rule
    path = _write_mutated(ds, mutate(_rows(loaded, ds)), tmp_path / dataset)
    result = validate_file(loaded, dataset, path, _options())
    assert not result.valid
    assert rule in {f.rule for f in result.findings}, [f.to_json() for f in result.findings]
    shown = json.dumps(result.to_json())
    assert "synthetic.person@example.org" not in shown and _PLANTED["insz"] not in shown


def test_a_column_outside_the_contract_is_refused_unless_defined_by_reference(
    tmp_path: Path,
) -> None:
    for loaded in LOADED.values():
        for ds in loaded.contract.datasets:
            if ds.nested:
                continue
            rows = _rows(loaded, ds)
            for r in rows:
                r["extra_kolom"] = "x"
            result = validate_file(
                loaded, ds.id, _write_mutated(ds, rows, tmp_path / ds.id), _options()
            )
            if ds.columns_by_reference is None:
                assert f"{ds.id}.columns.allowed" in {f.rule for f in result.findings}, ds.id
                continue
            # by reference only under a name the contract allows (issue 24: an allow-list)
            rule = f"{ds.id}.columns_by_reference.allow"
            assert rule in {f.rule for f in result.findings}, ds.id
            allowed = ds.columns_by_reference.allow.names[0]
            for r in rows:
                r[allowed] = r.pop("extra_kolom")
            result = validate_file(
                loaded, ds.id, _write_mutated(ds, rows, tmp_path / ds.id), _options()
            )
            assert result.valid and result.columns_by_reference == (allowed,), ds.id
            assert allowed in result.to_json()["columns_by_reference"]  # type: ignore[operator]


def _workbook(rows: Rows, names: list[str], path: Path, encrypted: bool = True) -> Path:
    """Every key of the rows as a column, in a workbook encrypted with PASSWORD."""
    import io

    import openpyxl
    from msoffcrypto.format.ooxml import OOXMLFile

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(names)
    for r in rows:
        sheet.append([r.get(n) for n in names])
    if not encrypted:
        book.save(path)
        return path
    plain = io.BytesIO()
    book.save(plain)
    plain.seek(0)
    with path.open("wb") as out:
        OOXMLFile(plain).encrypt(PASSWORD, out)
    return path


# --- the local authorities' request: an encrypted workbook -------------------------------------


def _request(tmp_path: Path, rows: Rows, *, encrypted: bool, name: str = "aanvraag") -> Path:
    return _workbook(rows, ["insz"], tmp_path / f"{name}.xlsx", encrypted)


def _local() -> LoadedContract:
    return LOADED["lokale-besturen-sociale-toeslag-2020"]


def test_the_request_travels_as_an_encrypted_workbook(tmp_path: Path) -> None:
    loaded = _local()
    ds = loaded.contract.dataset("aanvraag")
    assert ds is not None
    rows = _rows(loaded, ds)
    plain = _request(tmp_path, rows, encrypted=False)
    assert validate_file(loaded, "aanvraag", plain, _options()).valid  # the content holds
    as_sent = validate_file(loaded, "aanvraag", plain, _options(transfer=True))
    assert {f.rule for f in as_sent.findings} == {"aanvraag.file.encrypted"}
    assert as_sent.findings[0].article is not None and "antwoord 4" in as_sent.findings[0].article
    as_csv = _write(ds, rows, tmp_path / "aanvraag.csv")
    other = validate_file(loaded, "aanvraag", as_csv, _options(transfer=True))
    assert {f.rule for f in other.findings} == {"aanvraag.file.format", "aanvraag.file.encrypted"}
    sealed = _request(tmp_path, rows, encrypted=True, name="sealed")
    assert validate_file(loaded, "aanvraag", sealed, _options(transfer=True)).valid
    run = run_cli(
        "validate",
        plain,
        "--contract",
        CONTRACTS["lokale-besturen-sociale-toeslag-2020"],
        "--dataset",
        "aanvraag",
        "--transfer",
        "--reference-date",
        ON.isoformat(),
    )
    assert run.code == 1 and "aanvraag.file.encrypted" in run.stdout


def test_the_request_password_comes_from_a_file_or_the_environment(tmp_path: Path) -> None:
    loaded = _local()
    ds = loaded.contract.dataset("aanvraag")
    assert ds is not None
    sealed = _request(tmp_path, _rows(loaded, ds), encrypted=True)
    secret = tmp_path / "key.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    args = ["validate", sealed, "--contract", CONTRACTS["lokale-besturen-sociale-toeslag-2020"]]
    args += ["--dataset", "aanvraag", "--reference-date", ON.isoformat()]
    assert run_cli(*args).code == 2  # no password at all
    run = run_cli(*args, "--password-file", secret)
    assert run.code == 0, run.everything
    assert PASSWORD not in run.everything
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not-it", encoding="utf-8")
    failed = run_cli(*args, "--password-file", wrong)
    assert failed.code == 2 and "wrong password" in failed.stderr


@pytest.mark.parametrize(
    ("age", "holds"), [(0, True), (24, True), (25, False), (-1, False)], ids=str
)
def test_a_child_in_the_request_is_0_to_24_on_the_request_date(
    tmp_path: Path, age: int, holds: bool
) -> None:
    loaded = _local()
    ds = loaded.contract.dataset("aanvraag")
    assert ds is not None
    rows = _rows(loaded, ds, n=3)
    if age >= 0:
        rows[0]["insz"] = _aged(age)
    else:  # born after the request
        rows[0]["insz"] = make_insz(ON + dt.timedelta(days=10), 33)
    result = validate_file(loaded, "aanvraag", _request(tmp_path, rows, encrypted=True), _options())
    assert result.valid is holds
    if not holds:
        assert [f.rows for f in result.findings if f.rule == "aanvraag.child_0_to_25"] == [(1,)]


def test_an_unknown_birth_day_counts_against_the_age_rule_only_if_it_could(
    tmp_path: Path,
) -> None:
    """A bis number with day 00 passes only if every day of its month gives an allowed age."""
    loaded = _local()
    ds = loaded.contract.dataset("aanvraag")
    assert ds is not None
    rows = _rows(loaded, ds, n=3)
    safe = dt.date(ON.year - 10, ON.month, 1)
    edge = dt.date(ON.year - 25, ON.month, 1)  # 24 or 25 depending on the day: refused
    rows[0]["insz"] = make_insz(safe, 5, bis=40, day_known=False)
    rows[1]["insz"] = make_insz(edge, 7, bis=40, day_known=False)
    result = validate_file(loaded, "aanvraag", _request(tmp_path, rows, encrypted=True), _options())
    assert [f.rows for f in result.findings] == [(2,)]


# --- JobbonusPlus: nested JSON validated as JSON ------------------------------------------------


def _jobbonus_document(tmp_path: Path, dataset: str) -> tuple[dict[str, Any], Path]:
    loaded = LOADED["jobbonusplus-2025"]
    ds = loaded.contract.dataset(dataset)
    assert ds is not None
    path = _write(ds, _rows(loaded, ds, n=6), tmp_path / f"{dataset}.json")
    return json.loads(path.read_text(encoding="utf-8")), path


def _check_document(document: Any, dataset: str, path: Path) -> set[str]:
    path.write_text(json.dumps(document), encoding="utf-8")
    result = validate_file(LOADED["jobbonusplus-2025"], dataset, path, _options())
    return {f.rule for f in result.findings}


def test_the_consultation_answer_is_validated_as_json(tmp_path: Path) -> None:
    document, path = _jobbonus_document(tmp_path, "verrichtingen")
    assert isinstance(document["verrichtingen"], list) and len(document["verrichtingen"]) >= 2
    assert _check_document(document, "verrichtingen", path) == set()

    unknown = json.loads(json.dumps(document))
    unknown["verrichtingen"][1]["iban"] = "BE00 0000 0000 0000"
    assert _check_document(unknown, "verrichtingen", path) == {"verrichtingen.columns.allowed"}

    as_text = json.loads(json.dumps(document))
    as_text["verrichtingen"][0]["verrichtingbedrag"] = "600"
    assert _check_document(as_text, "verrichtingen", path) == {
        "verrichtingen.verrichtingbedrag.json_type"
    }

    number = json.loads(json.dumps(document))
    number["insz"] = int(number["insz"])
    assert "verrichtingen.insz.json_type" in _check_document(number, "verrichtingen", path)

    shape = json.loads(json.dumps(document))
    shape["verrichtingen"] = {"maatregel": "Jobbonus plus"}
    assert "verrichtingen.document.shape" in _check_document(shape, "verrichtingen", path)

    nested_value = json.loads(json.dumps(document))
    nested_value["verrichtingen"][0]["bedragtype"] = {"schijf": 1}
    assert "verrichtingen.document.shape" in _check_document(nested_value, "verrichtingen", path)

    assert "verrichtingen.document.shape" in _check_document([document], "verrichtingen", path)


def test_an_answer_without_operations_still_checks_the_national_number(tmp_path: Path) -> None:
    document, path = _jobbonus_document(tmp_path, "verrichtingen")
    document["verrichtingen"] = []
    document["insz"] = _invalid_insz()
    rules = _check_document(document, "verrichtingen", path)
    assert "verrichtingen.insz.format" in rules  # the number is checked, not skipped
    assert "verrichtingen.maatregel.nullable" in rules  # and the missing operation is reported


def test_a_beneficiary_twice_in_one_message_is_refused(tmp_path: Path) -> None:
    document, path = _jobbonus_document(tmp_path, "mutatiebericht")
    document["begunstigden"].append(dict(document["begunstigden"][0]))
    assert "mutatiebericht.one_entry_per_beneficiary" in _check_document(
        document, "mutatiebericht", path
    )


def test_a_key_that_looks_like_a_national_number_is_not_echoed(tmp_path: Path) -> None:
    document, path = _jobbonus_document(tmp_path, "mutatiebericht")
    secret = make_insz(dt.date(1980, 1, 2), 3)
    document["begunstigden"][0][secret] = True
    path.write_text(json.dumps(document), encoding="utf-8")
    result = validate_file(LOADED["jobbonusplus-2025"], "mutatiebericht", path, _options())
    assert not result.valid and secret not in json.dumps(result.to_json())


def test_a_nested_dataset_as_a_flat_file_is_checked_as_a_table_and_refused_at_a_hop(
    tmp_path: Path,
) -> None:
    loaded = LOADED["jobbonusplus-2025"]
    ds = loaded.contract.dataset("mutatiebericht")
    assert ds is not None
    flat = _write(ds, _rows(loaded, ds), tmp_path / "bericht.csv")
    assert validate_file(loaded, "mutatiebericht", flat, _options()).valid
    as_sent = validate_file(loaded, "mutatiebericht", flat, _options(transfer=True))
    assert {f.rule for f in as_sent.findings} == {"mutatiebericht.file.format"}


# --- the flows, through the hooks ---------------------------------------------------------------


class Flow:
    """A ledger written through the published hooks, for one contract."""

    def __init__(self, tmp_path: Path, contract: str) -> None:
        self.dir = tmp_path
        self.contract = CONTRACTS[contract]
        self.loaded = LOADED[contract]
        self.ledger = tmp_path / "ledger.jsonl"
        self.ledger.touch()  # `ledger init`: an empty ledger
        self.secret = tmp_path / "key.txt"
        self.secret.write_text(PASSWORD, encoding="utf-8")

    def file(self, dataset: str, name: str, on: dt.date = ON, **changes: Any) -> Path:
        ds = self.loaded.contract.dataset(dataset)
        assert ds is not None
        rows = sample_rows(self.loaded.contract, ds, 12, 3, on)
        for row in rows:
            row.update(changes)
        return _write(ds, rows, self.dir / f"{name}{formats(ds)[0]}")

    def transfer(self, path: Path, hop: str, sender: str, receiver: str, at: str) -> int:
        common = ["--contract", self.contract, "--hop", hop, "--ledger", self.ledger]
        common += ["--from", sender, "--to", receiver, "--password-file", self.secret]
        sent = run_cli("hop", "send", path, *common, "--at", at)
        if sent.code != 0:
            return sent.code
        received = run_cli("hop", "receive", path, *common, "--at", at)
        assert received.code == 0, received.everything
        return 0

    def cli(self, *args: str | Path) -> None:
        run = run_cli(*args, "--contract", self.contract, "--ledger", self.ledger)
        assert run.code == 0, run.everything

    def prove(self, at: str) -> tuple[int, dict[str, Any]]:
        run = run_cli(
            "prove",
            "--contract",
            self.contract,
            "--ledger",
            self.ledger,
            "--at",
            at,
            "--format",
            "json",
        )
        assert run.code in (0, 1), run.everything
        return run.code, json.loads(run.stdout)


def _broken(proof: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["invariant"]: v for v in proof["verdicts"] if not v["holds"]}


def _ikt_flow(tmp_path: Path) -> Flow:
    f = Flow(tmp_path, "ikt-ouderbijdrage-2025")
    assert (
        f.transfer(
            f.file("ikt_kinderen", "insz"),
            "insz_naar_vutg",
            "opgroeien_it",
            "vutg",
            "2025-03-03T10:00:00+01:00",
        )
        == 0
    )
    for ds, hop in (
        ("gp_kind_periode", "levering_kind_periode"),
        ("gp_gezinsleden_inkomen", "levering_gezinsleden"),
    ):
        assert (
            f.transfer(f.file(ds, ds), hop, "vutg", "opgroeien_it", "2025-03-20T10:00:00+01:00")
            == 0
        )
    for team in ("opgroeien_datamanagement", "opgroeien_financieel_beheer"):
        for ds, hop in (
            ("simulatie_kind_periode", "simulatie_kind"),
            ("simulatie_gezinsleden_inkomen", "simulatie_gezinsleden"),
        ):
            path = f.file(ds, f"{ds}_{team}")
            assert f.transfer(path, hop, "opgroeien_it", team, "2025-04-01T10:00:00+02:00") == 0
    return f


def _ikt_destroy(f: Flow, at: str) -> None:
    it = ["ikt_kinderen", "gp_kind_periode", "gp_gezinsleden_inkomen"]
    sims = ["simulatie_kind_periode", "simulatie_gezinsleden_inkomen"]
    for party, datasets in (
        ("opgroeien_it", it + sims),
        ("opgroeien_datamanagement", sims),
        ("opgroeien_financieel_beheer", sims),
    ):
        for ds in datasets:
            f.cli("destroy", "--party", party, "--dataset", ds, "--at", at)


def test_ikt_honest_flow_proves(tmp_path: Path) -> None:
    f = _ikt_flow(tmp_path)
    f.cli("milestone", "simulaties_afgerond", "--at", "2025-09-30T17:00:00+02:00")
    _ikt_destroy(f, "2025-10-10T09:00:00+02:00")
    code, proof = f.prove("2026-02-01T12:00:00+01:00")
    assert code == 0 and proof["holds"], _broken(proof)


def test_ikt_insz_never_reaches_a_simulation_team(tmp_path: Path) -> None:
    f = _ikt_flow(tmp_path)
    before = f.ledger.read_bytes()
    leaked = f.file("gp_kind_periode", "leak")  # national numbers, on the simulation hop
    common = ["--contract", f.contract, "--hop", "simulatie_kind", "--ledger", f.ledger]
    common += ["--from", "opgroeien_it", "--to", "opgroeien_datamanagement"]
    run = run_cli("hop", "send", leaked, *common, "--at", "2025-04-02T10:00:00+02:00")
    assert run.code == 1 and "simulatie_kind_periode.no_identifier_columns" in run.everything
    assert "art. 4" in run.everything
    assert f.ledger.read_bytes() == before  # refused: nothing recorded
    recorded = run_cli(
        "hop", "send", leaked, *common, "--at", "2025-04-02T10:00:00+02:00", "--record-violation"
    )
    assert recorded.code == 1
    code, proof = f.prove("2025-05-01T12:00:00+02:00")
    broken = _broken(proof)
    assert code == 1 and set(broken) == {"every_transfer_holds_to_contract"}
    last = read_ledger(f.ledger).events[-1].seq
    assert broken["every_transfer_holds_to_contract"]["counterexamples"][0]["events"] == [last]


def test_ikt_data_kept_after_the_simulations_is_caught(tmp_path: Path) -> None:
    f = _ikt_flow(tmp_path)
    f.cli("milestone", "simulaties_afgerond", "--at", "2025-09-30T17:00:00+02:00")
    code, proof = f.prove("2025-12-01T12:00:00+01:00")
    broken = _broken(proof)
    assert code == 1
    assert {
        "it_deletes_after_simulations",
        "datamanagement_deletes_after_simulations",
        "financieel_beheer_deletes_after_simulations",
    } == set(broken)
    assert broken["it_deletes_after_simulations"]["article"].startswith("art. 3")


def _local_flow(tmp_path: Path) -> Flow:
    f = Flow(tmp_path, "lokale-besturen-sociale-toeslag-2020")
    f.cli("milestone", "protocol_en_besluit_ondertekend", "--at", "2020-10-28T12:00:00+01:00")
    request = f.file("aanvraag", "aanvraag", on=dt.date(2020, 11, 2))
    assert (
        f.transfer(
            request,
            "aanvraag_sftp",
            "lokaal_bestuur",
            "opgroeien_regie",
            "2020-11-02T10:00:00+01:00",
        )
        == 0
    )
    answer = f.file("antwoord", "antwoord")
    assert (
        f.transfer(
            answer,
            "antwoord_sftp",
            "opgroeien_regie",
            "lokaal_bestuur",
            "2020-11-16T10:00:00+01:00",
        )
        == 0
    )
    f.cli("milestone", "tegemoetkoming_toegekend", "--at", "2020-12-15T12:00:00+01:00")
    return f


def test_local_authority_honest_flow_proves(tmp_path: Path) -> None:
    f = _local_flow(tmp_path)
    for ds in ("aanvraag", "antwoord"):
        f.cli(
            "destroy",
            "--party",
            "lokaal_bestuur",
            "--dataset",
            ds,
            "--at",
            "2020-12-20T09:00:00+01:00",
        )
    code, proof = f.prove("2022-01-01T12:00:00+01:00")
    assert code == 0 and proof["holds"], _broken(proof)


def test_a_municipality_that_never_destroys_the_files_is_caught(tmp_path: Path) -> None:
    f = _local_flow(tmp_path)
    code, proof = f.prove("2022-01-01T12:00:00+01:00")
    broken = _broken(proof)
    assert code == 1
    assert set(broken) == {"municipality_destroys_files", "municipality_keeps_files_at_most_a_year"}
    example = broken["municipality_destroys_files"]["counterexamples"]
    assert {tuple(c["datasets"]) for c in example} >= {("antwoord",)}
    assert "antwoord 4" in broken["municipality_destroys_files"]["article"]


def test_a_second_answer_or_an_answer_without_request_is_refused_then_caught(
    tmp_path: Path,
) -> None:
    f = Flow(tmp_path, "lokale-besturen-sociale-toeslag-2020")
    common = ["--contract", f.contract, "--ledger", f.ledger, "--password-file", f.secret]
    common += ["--from", "opgroeien_regie", "--to", "lokaal_bestuur"]
    for name, hop, at, rule in (
        ("antwoord", "antwoord_mail", "2020-11-16T10:00:00+01:00", "answer_only_on_request"),
        ("antwoord2", "antwoord_sftp", "2020-11-17T10:00:00+01:00", "answer_once"),
    ):
        path = f.file("antwoord", name)
        run = run_cli("hop", "send", path, *common, "--hop", hop, "--at", at)
        assert run.code == 1 and rule in run.everything, run.everything
        recorded = run_cli(
            "hop", "send", path, *common, "--hop", hop, "--at", at, "--record-violation"
        )
        assert recorded.code == 1
    code, proof = f.prove("2020-12-01T12:00:00+01:00")
    broken = _broken(proof)
    assert code == 1 and {"answer_only_on_request", "answer_once"} <= set(broken)
    assert broken["answer_once"]["counterexamples"][0]["events"] == [1, 2]


def test_an_unencrypted_or_over_age_request_is_refused_live(tmp_path: Path) -> None:
    f = Flow(tmp_path, "lokale-besturen-sociale-toeslag-2020")
    f.cli("milestone", "protocol_en_besluit_ondertekend", "--at", "2025-06-01T12:00:00+02:00")
    loaded = _local()
    ds = loaded.contract.dataset("aanvraag")
    assert ds is not None
    plain = _request(tmp_path, _rows(loaded, ds), encrypted=False, name="plain")
    assert (
        f.transfer(
            plain, "aanvraag_mail", "lokaal_bestuur", "opgroeien_regie", "2025-06-02T10:00:00+02:00"
        )
        == 1
    )
    old = f.file("aanvraag", "old", insz=_aged(25))
    assert (
        f.transfer(
            old, "aanvraag_mail", "lokaal_bestuur", "opgroeien_regie", "2025-06-02T10:00:00+02:00"
        )
        == 1
    )
    assert len(read_ledger(f.ledger).events) == 1  # the milestone, no request


def test_a_request_before_the_protocol_and_decision_are_signed_is_refused(tmp_path: Path) -> None:
    """Answer 4: the formalities (protocol, college decision) come before the data."""
    f = Flow(tmp_path, "lokale-besturen-sociale-toeslag-2020")
    request = f.file("aanvraag", "aanvraag", on=dt.date(2020, 11, 2))
    at = "2020-11-02T10:00:00+01:00"
    assert f.transfer(request, "aanvraag_sftp", "lokaal_bestuur", "opgroeien_regie", at) == 1
    assert not f.ledger.exists() or f.ledger.read_text(encoding="utf-8") == ""
    f.cli("milestone", "protocol_en_besluit_ondertekend", "--at", "2020-11-02T11:00:00+01:00")
    later = "2020-11-02T12:00:00+01:00"
    assert f.transfer(request, "aanvraag_mail", "lokaal_bestuur", "opgroeien_regie", later) == 0


def _jobbonus_flow(tmp_path: Path) -> Flow:
    f = Flow(tmp_path, "jobbonusplus-2025")
    message = f.file("mutatiebericht", "bericht", berichtdatum="2025-03-10")
    assert f.transfer(message, "mutatie", "wewis", "vutg", "2025-03-10T06:00:00+01:00") == 0
    # The last payment the answer reports: 14 February 2025 (art. 3, b counts from it).
    answer = f.file(
        "verrichtingen",
        "verrichtingen",
        effectieve_verrichtingsdatum="2025-02-14",
        verrichtingbedrag=600,
    )
    assert f.transfer(answer, "consultatie", "wewis", "vutg", "2025-03-10T09:00:00+01:00") == 0
    return f


def test_jobbonus_honest_flow_proves(tmp_path: Path) -> None:
    f = _jobbonus_flow(tmp_path)
    for ds in ("mutatiebericht", "verrichtingen"):
        f.cli("destroy", "--party", "vutg", "--dataset", ds, "--at", "2029-12-01T09:00:00+01:00")
    code, proof = f.prove("2031-01-01T12:00:00+01:00")
    assert code == 0 and proof["holds"], _broken(proof)


def test_a_jobbonus_record_kept_past_five_years_is_caught(tmp_path: Path) -> None:
    """Art. 3, b: five years from the last payment to the beneficiary, not from the receipt.

    The answer received on 10 March 2025 reports a payment on 14 February 2025: it is late
    from 14 February 2030, a month before five years from its receipt would end.
    """
    f = _jobbonus_flow(tmp_path)
    events = read_ledger(f.ledger).events
    received = {e.dataset: e for e in events if e.kind == "received"}
    assert received["verrichtingen"].reference == "2025-02-14"  # recorded by the hook
    assert f.prove("2030-02-13T12:00:00+01:00")[0] == 0  # not yet five years
    code, proof = f.prove("2030-02-15T12:00:00+01:00")
    broken = _broken(proof)
    assert code == 1 and set(broken) == {"kept_five_years"}
    assert broken["kept_five_years"]["article"].startswith("art. 3, b")
    examples = broken["kept_five_years"]["counterexamples"]
    assert [c["events"][0] for c in examples] == [received["verrichtingen"].seq]
    # The date itself is in the ledger, never in the proof.
    assert "2025-02-14" not in json.dumps(proof) and "2030-02-14" not in json.dumps(proof)
    code, proof = f.prove("2030-03-11T12:00:00+01:00")
    seqs = {c["events"][0] for c in _broken(proof)["kept_five_years"]["counterexamples"]}
    assert seqs == {e.seq for e in received.values()}


def test_a_jobbonus_record_destroyed_too_late_is_caught(tmp_path: Path) -> None:
    f = _jobbonus_flow(tmp_path)
    f.cli(
        "destroy",
        "--party",
        "vutg",
        "--dataset",
        "verrichtingen",
        "--at",
        "2030-06-01T09:00:00+02:00",
    )
    code, proof = f.prove("2030-07-01T12:00:00+02:00")
    broken = _broken(proof)
    assert code == 1 and set(broken) == {"kept_five_years"}
    destroyed = read_ledger(f.ledger).events[-1].seq
    assert any(destroyed in c["events"] for c in broken["kept_five_years"]["counterexamples"])


def test_consulting_without_a_mutation_message_is_refused(tmp_path: Path) -> None:
    f = Flow(tmp_path, "jobbonusplus-2025")
    answer = f.file("verrichtingen", "verrichtingen")
    common = ["--contract", f.contract, "--ledger", f.ledger, "--hop", "consultatie"]
    common += ["--from", "wewis", "--to", "kidslife", "--at", "2025-03-10T09:00:00+01:00"]
    run = run_cli("hop", "send", answer, *common)
    assert run.code == 1 and "consulted_after_mutation" in run.everything
    assert not f.ledger.exists() or not f.ledger.read_text(encoding="utf-8")
    assert run_cli("hop", "send", answer, *common, "--record-violation").code == 1
    code, proof = f.prove("2025-04-01T12:00:00+02:00")
    broken = _broken(proof)
    assert code == 1 and "consulted_after_mutation" in broken
    assert broken["consulted_after_mutation"]["counterexamples"][0]["events"] == [1]


_INSZ = "Verzoek/Vragen/Vraag/Inhoud/Criteria/INSZ"  # the student of an AHOVOKS request


def _ahovoks_ask(f: Flow, party: str, at: str, name: str = "vraag") -> None:
    """A payer's MAGDA request for a student of 30 to AHOVOKS, sent and received."""
    day = dt.datetime.fromisoformat(at).date()
    birth = day.replace(year=day.year - 30)
    request = f.file("historiekinschrijving_vraag", name, on=day, **{_INSZ: make_insz(birth, 17)})
    assert request.read_bytes().startswith(b"<?xml")
    assert f.transfer(request, "vraag", party, "ahovoks", at) == 0


def _ahovoks_flow(tmp_path: Path) -> Flow:
    f = Flow(tmp_path, "ahovoks-historiekinschrijving-2019")
    # C1, C2: the family told the payer first; the payer asks, AHOVOKS answers.
    f.cli(
        "milestone",
        "kennisgeving_gezin",
        "--party",
        "kidslife",
        "--at",
        "2024-09-30T10:00:00+02:00",
    )
    _ahovoks_ask(f, "kidslife", "2024-10-01T09:00:00+02:00")
    answer = f.file("historiekinschrijving", "historiek", on=dt.date(2024, 10, 1))
    assert answer.suffix == ".xml"
    assert (
        f.transfer(answer, "consultatie", "ahovoks", "kidslife", "2024-10-01T10:00:00+02:00") == 0
    )
    return f


def test_ahovoks_honest_flow_proves(tmp_path: Path) -> None:
    f = _ahovoks_flow(tmp_path)
    f.cli(
        "destroy",
        "--party",
        "kidslife",
        "--dataset",
        "historiekinschrijving",
        "--at",
        "2029-09-01T09:00:00+02:00",
    )
    code, proof = f.prove("2030-01-01T12:00:00+01:00")
    assert code == 0 and proof["holds"], _broken(proof)


def test_ahovoks_history_kept_past_five_years_is_caught(tmp_path: Path) -> None:
    f = _ahovoks_flow(tmp_path)
    code, proof = f.prove("2030-01-01T12:00:00+01:00")
    assert code == 1 and set(_broken(proof)) == {"kept_five_years"}


def test_ahovoks_request_for_a_student_under_25_is_refused_before_it_leaves(
    tmp_path: Path,
) -> None:
    f = Flow(tmp_path, "ahovoks-historiekinschrijving-2019")
    young_insz = _aged(24)
    young = f.file("historiekinschrijving_vraag", "young", **{_INSZ: young_insz})
    assert young_insz.encode() in young.read_bytes()  # the XML request does name the student
    common = ["--contract", f.contract, "--hop", "vraag", "--ledger", f.ledger]
    at = "2025-06-02T10:00:00+02:00"
    run = run_cli("hop", "send", young, *common, "--from", "vutg", "--at", at)
    assert run.code == 1 and "historiekinschrijving_vraag.student_25_or_over" in run.everything
    assert "C1; C2" in run.everything
    assert young_insz not in run.everything
    ok = f.file("historiekinschrijving_vraag", "ok", **{_INSZ: _aged(25)})
    run = run_cli("hop", "send", ok, *common, "--from", "vutg", "--at", at)
    assert run.code == 0, run.everything


def test_ahovoks_consultation_before_the_familys_notice_is_refused(tmp_path: Path) -> None:
    """C1, C2: a party consults only after a family told it; another party's notice is not
    its own."""
    f = Flow(tmp_path, "ahovoks-historiekinschrijving-2019")
    f.cli(
        "milestone", "kennisgeving_gezin", "--party", "infino", "--at", "2024-09-30T10:00:00+02:00"
    )
    for party in ("infino", "kidslife"):
        _ahovoks_ask(f, party, "2024-10-01T09:00:00+02:00", f"vraag_{party}")
    answer = f.file("historiekinschrijving", "historiek", on=dt.date(2024, 10, 1))
    at = "2024-10-01T10:00:00+02:00"
    common = ["--contract", f.contract, "--hop", "consultatie", "--ledger", f.ledger]
    run = run_cli("hop", "send", answer, *common, "--to", "kidslife", "--at", at)
    assert run.code == 1 and "consulted_after_notice" in run.everything, run.everything
    assert "C1" in run.everything
    assert f.transfer(answer, "consultatie", "ahovoks", "infino", at) == 0


def test_ahovoks_answer_to_a_party_that_did_not_ask_is_refused(tmp_path: Path) -> None:
    """An answer goes only to the party that asked (vraag, then consultatie)."""
    f = Flow(tmp_path, "ahovoks-historiekinschrijving-2019")
    for party in ("infino", "kidslife"):
        f.cli(
            "milestone", "kennisgeving_gezin", "--party", party, "--at", "2024-09-30T10:00:00+02:00"
        )
    _ahovoks_ask(f, "infino", "2024-10-01T09:00:00+02:00")
    answer = f.file("historiekinschrijving", "historiek", on=dt.date(2024, 10, 1))
    at = "2024-10-01T10:00:00+02:00"
    common = ["--contract", f.contract, "--hop", "consultatie", "--ledger", f.ledger]
    run = run_cli("hop", "send", answer, *common, "--to", "kidslife", "--at", at)
    assert run.code == 1 and "answer_only_on_request" in run.everything, run.everything
    assert f.transfer(answer, "consultatie", "ahovoks", "infino", at) == 0


def test_a_by_reference_column_named_as_an_identifier_is_refused(tmp_path: Path) -> None:
    """001 art. 4: the simulation teams get pseudonymised data; columns by reference are no
    open door for a child's name, birth date or address, in Dutch, French or English."""
    loaded = LOADED["ikt-ouderbijdrage-2025"]
    ds = loaded.contract.dataset("simulatie_kind_periode")
    assert ds is not None
    rows = _rows(loaded, ds)
    for r in rows:
        r.update(
            {
                "Voornaam_Kind": "x",
                "date_de_naissance": "2021-03-04",
                "childAddress": "x",
                "opvang_dagen": 12,
            }
        )
    path = _write_mutated(ds, rows, tmp_path / "sim")
    result = validate_file(loaded, ds.id, path, _options())
    refused = {f.column for f in result.findings if f.rule.endswith("columns_by_reference.never")}
    # named by position: a header the contract does not declare is data (issue 22.3)
    header = list(rows[0])
    at = {name: f"column {header.index(name) + 1} (not in the contract)" for name in header}
    assert refused == {at["Voornaam_Kind"], at["date_de_naissance"], at["childAddress"]}
    assert result.columns_by_reference is not None
    # a name the contract allows by reference is the contract's name: shown (issue 24)
    assert "opvang_dagen" in result.columns_by_reference
    shown = json.dumps(result.to_json())
    assert not any(n in shown for n in ("Voornaam_Kind", "date_de_naissance", "childAddress"))
    finding = next(f for f in result.findings if f.rule.endswith("columns_by_reference.never"))
    assert finding.article is not None and "art. 4" in finding.article
    # Content too: an e-mail address in a column by reference, whatever its name.
    for r in rows:
        r.clear()
    rows = _rows(loaded, ds)
    rows[0]["opmerking"] = "mail synthetic.person@example.org"
    path = _write_mutated(ds, rows, tmp_path / "sim2")
    rules = {f.rule for f in validate_file(loaded, ds.id, path, _options()).findings}
    assert "simulatie_kind_periode.no_contact_data" in rules


def test_sample_writes_the_request_encrypted_when_given_a_password(tmp_path: Path) -> None:
    contract = CONTRACTS["lokale-besturen-sociale-toeslag-2020"]
    secret = tmp_path / "key.txt"
    secret.write_text(PASSWORD, encoding="utf-8")
    common = ["--contract", contract, "--dataset", "aanvraag"]
    sealed, plain = tmp_path / "sealed.xlsx", tmp_path / "plain.xlsx"
    run = run_cli("sample", *common, "--rows", "9", "--output", sealed, "--password-file", secret)
    assert run.code == 0, run.everything
    run = run_cli("sample", *common, "--rows", "9", "--output", plain)
    assert run.code == 0 and "not encrypted" in run.stdout
    check = ["validate", *common, "--transfer", "--format", "json"]
    assert run_cli(check[0], sealed, *check[1:], "--password-file", secret).code == 0
    refused = run_cli(check[0], plain, *check[1:])
    assert refused.code == 1
    assert [v["rule"] for v in json.loads(refused.stdout)["violations"]] == [
        "aanvraag.file.encrypted"
    ]


@pytest.mark.parametrize(
    ("contract", "dataset", "ext"),
    [
        ("lokale-besturen-sociale-toeslag-2020", "aanvraag", ".xlsx"),
        ("ahovoks-historiekinschrijving-2019", "historiekinschrijving_vraag", ".xml"),
        ("ahovoks-historiekinschrijving-2019", "historiekinschrijving", ".xml"),
    ],
)
def test_a_sample_without_reference_date_holds_from_the_protocol_date_to_today(
    tmp_path: Path, contract: str, dataset: str, ext: str
) -> None:
    out = tmp_path / f"{dataset}{ext}"
    path = CONTRACTS[contract]
    run = run_cli(
        "sample", "--contract", path, "--dataset", dataset, "--rows", "80", "--output", out
    )
    assert run.code == 0, run.everything
    for day in (LOADED[contract].contract.protocol.date, dt.date.today()):
        check = run_cli(
            "validate", out, "--contract", path, "--dataset", dataset, "--reference-date", str(day)
        )
        assert check.code == 0, (day, check.everything)
