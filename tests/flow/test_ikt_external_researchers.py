"""001 art. 4: "Indien Opgroeien regie beroep doet op externe onderzoekers om het simulatiewerk
te ondersteunen zal Opgroeien regie een verwerkersovereenkomst afsluiten" (art. 6: processors
under an agreement per art. 28 AVG). The external researchers are a processor party: they get
the pseudonymised simulation files only, only after the agreement is recorded, and delete them
when the simulations are done, like the teams.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tests.contract.test_protocols import Flow, _broken, _ikt_destroy, _ikt_flow

AGREEMENT = "verwerkersovereenkomst_externe_onderzoekers"
HOPS = (("simulatie_kind_periode", "simulatie_kind_extern"),
        ("simulatie_gezinsleden_inkomen", "simulatie_gezinsleden_extern"))  # fmt: skip


def _to_researchers(f: Flow, at: str) -> list[int]:
    return [
        f.transfer(f.file(ds, f"{ds}_extern"), hop, "opgroeien_it", "externe_onderzoekers", at)
        for ds, hop in HOPS
    ]


def test_no_file_before_the_processor_agreement(tmp_path: Path) -> None:
    f = _ikt_flow(tmp_path)
    before = f.ledger.read_bytes()
    path = f.file("simulatie_kind_periode", "early")
    common = ["--contract", f.contract, "--hop", "simulatie_kind_extern", "--ledger", f.ledger]
    common += ["--password-file", f.secret]
    run = run_cli("hop", "send", path, *common, "--at", "2025-04-06T10:00:00+02:00")
    assert run.code == 1, run.everything
    assert "external_researchers_after_agreement" in run.stderr and "art. 4" in run.stderr
    assert f.ledger.read_bytes() == before


def test_no_national_numbers_to_the_researchers(tmp_path: Path) -> None:
    f = _ikt_flow(tmp_path)
    f.cli("milestone", AGREEMENT, "--at", "2025-04-05T09:00:00+02:00")
    leaked = f.file("gp_kind_periode", "leak")
    common = ["--contract", f.contract, "--hop", "simulatie_kind_extern", "--ledger", f.ledger]
    run = run_cli("hop", "send", leaked, *common, "--at", "2025-04-06T10:00:00+02:00")
    assert run.code == 1 and "simulatie_kind_periode.no_identifier_columns" in run.everything


def test_researchers_under_agreement_delete_after_the_simulations(tmp_path: Path) -> None:
    f = _ikt_flow(tmp_path)
    f.cli("milestone", AGREEMENT, "--at", "2025-04-05T09:00:00+02:00")
    assert _to_researchers(f, "2025-04-06T10:00:00+02:00") == [0, 0]
    f.cli("milestone", "simulaties_afgerond", "--at", "2025-09-30T17:00:00+02:00")
    _ikt_destroy(f, "2025-10-10T09:00:00+02:00")
    code, proof = f.prove("2026-02-01T12:00:00+01:00")
    assert code == 1
    assert set(_broken(proof)) == {"external_researchers_delete_after_simulations"}
    for ds, _ in HOPS:
        f.cli("destroy", "--party", "externe_onderzoekers", "--dataset", ds,
              "--at", "2025-10-11T09:00:00+02:00")  # fmt: skip
    code, proof = f.prove("2026-02-01T12:00:00+01:00")
    assert code == 0 and proof["holds"], _broken(proof)
