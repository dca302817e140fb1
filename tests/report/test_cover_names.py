"""The proof's cover names a checkpoint's signers only when the contract declares them, and a
checkpoint's path only when contract/names.path_shown allows it (a keyring's file names and the
paths a user gives are not the contract's to show)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.ledger.shared import cli, signed_flow

from datacontract.personal.insz import make_insz


def test_the_cover_withholds_an_undeclared_signer_and_a_personal_path(tmp_path: Path) -> None:
    contract, keys, ledger = signed_flow(tmp_path)
    marker = f"CANARY{make_insz(date(1981, 8, 16), 496)}"
    assert cli("keys", "new", "--party", marker, "--out", keys).code == 0
    folder = tmp_path / make_insz(date(1979, 3, 2), 211)
    folder.mkdir()
    checkpoint = folder / "head.checkpoint"
    made = cli("ledger", "checkpoint", "--ledger", ledger, "--key", keys / f"{marker}.key",
               "--output", checkpoint)  # fmt: skip
    assert made.code == 0, made.everything
    out = tmp_path / "proof.html"
    run = cli("prove", "--contract", contract, "--ledger", ledger, "--keyring", keys,
              "--checkpoint", checkpoint, "--format", "html", "--output", out)  # fmt: skip
    assert run.code in (0, 1), run.everything
    page = out.read_text(encoding="utf-8")
    assert "een partij niet in het contract" in page and "pad niet getoond" in page
    for secret in (marker, folder.name):
        assert secret not in page and secret not in run.everything
