"""003 art. 6: "Opgroeien regie staat via de KRING-toepassing in voor het beheer van de
betreffende gegevens ten aanzien van het VUTG en de Private Uitbetalingsactoren". The route
through KRING is declared: Opgroeien regie passes the message and the operations on to the VUTG
and the payers over KRING (hops kring_mutatie, kring_verrichtingen); no one else sends on it.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tests.contract.test_protocols import Flow

AT = "2025-04-01T10:00:00+02:00"


def test_opgroeien_regie_passes_the_message_on_over_kring(tmp_path: Path) -> None:
    f = Flow(tmp_path, "jobbonusplus-2025")
    message = f.file("mutatiebericht", "mutatie")
    assert f.transfer(message, "mutatie", "wewis", "opgroeien_regie", AT) == 0
    again = f.file("mutatiebericht", "mutatie_kring")
    assert f.transfer(again, "kring_mutatie", "opgroeien_regie", "kidslife", AT) == 0
    events = [e for e in (f.ledger.read_text(encoding="utf-8").splitlines()) if "kring" in e]
    assert events  # on the record, under the same term as the copy from MAGDA


def test_only_opgroeien_regie_sends_over_kring(tmp_path: Path) -> None:
    f = Flow(tmp_path, "jobbonusplus-2025")
    message = f.file("mutatiebericht", "mutatie")
    common = ["--contract", f.contract, "--hop", "kring_mutatie", "--ledger", f.ledger]
    common += ["--from", "wewis", "--to", "kidslife", "--password-file", f.secret]
    run = run_cli("hop", "send", message, *common, "--at", AT)
    assert run.code == 1 and "does not send on kring_mutatie" in run.stderr, run.everything
    assert f.ledger.read_bytes() == b""
