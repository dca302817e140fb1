"""What travels is named in each contract's titles with its own protocol's word (issue 24: two
titles said "drager", a word of none of the texts about what a hop carries).

The titles of the invariants that speak of what travels (the hash that goes with it,
`received_matches_sent`; every transfer holding to the contract, `no_recorded_violation`)
name it, after "Elk(e) <ontvangen|overgedragen|...>", with a noun the protocol uses for it,
quoted here from the text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests.conftest import ROOT

# contract -> (the noun, the protocol's words that use it)
WORDS = {
    "groeipakket-toereikendheid-2025": (
        "bestand",
        "Stap 4. De uitbetalingsactoren vullen de bestanden aan met contactgegevens (D3)",
    ),
    "ikt-ouderbijdrage-2025": ("bestand", "de opmaak van het simulatiebestand (C3)"),
    "lokale-besturen-sociale-toeslag-2020": ("bestand", "De sleutel tot dit beveiligde bestand"),
    "jobbonusplus-2025": ("bericht", "Dagelijks mutatiebericht (Json) (C2)"),
    "ahovoks-historiekinschrijving-2019": (
        "mededeling",
        "PROTOCOL ... VOOR DE ELEKTRONISCHE MEDEDELING VAN PERSOONSGEGEVENS (title)",
    ),
}
# a title may name the act instead ("Elke consultatie voldoet aan het contract")
ACTS = {
    "ahovoks-historiekinschrijving-2019": (
        "consultatie",
        "Door de consultatie van de gegevensstroom",
    )
}
KINDS = ("received_matches_sent", "no_recorded_violation")


@pytest.mark.parametrize("stem", sorted(WORDS))
def test_what_travels_is_named_with_the_protocols_word(stem: str) -> None:
    noun, quoted = WORDS[stem]
    assert noun.lower() in quoted.lower()
    doc = yaml.safe_load(Path(ROOT / "contracts" / f"{stem}.yaml").read_text(encoding="utf-8"))
    titles = [i["title"] for i in doc["invariants"] if i["kind"] in KINDS]
    assert titles, stem
    for title in titles:
        assert "drager" not in title.lower(), (stem, title)
        words = title.split()
        act, said = ACTS.get(stem, (noun, quoted))
        assert act.lower() in said.lower()
        assert words[0] in ("Elk", "Elke"), (stem, title)
        assert noun in words[1:3] or act in words[1:3], (stem, title)


def test_every_contract_is_listed() -> None:
    assert sorted(p.stem for p in (ROOT / "contracts").glob("*.yaml")) == sorted(WORDS)
