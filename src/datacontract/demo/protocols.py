"""`datacontract demo-protocols`: the four other protocols' flows on synthetic data.

For each contract, files are sampled from its declarations (`sample.py`) for the day they
travel, then sent and received through the same hooks a party calls, on the protocol's own
timeline; one transfer that breaks the contract is tried and refused on the way (nothing
recorded). AHOVOKS's request and answer travel as MAGDA XML documents, the service's own
format (`sample` writes them, demo/magda_documents.py). The ledger is proven at a fixed time
after the flow, and the proof written as HTML and JSON beside it. The encrypted request of the
local authorities uses a synthetic password written to `dpo-key.txt` (read from there like
`--password-file`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from datacontract.check.kinds import same_in_every_row
from datacontract.check.validate import Options
from datacontract.contract.load import LoadedContract, load_contract
from datacontract.errors import UsageError
from datacontract.flow import duties
from datacontract.flow import hop as hooks
from datacontract.output import write_file

Say = Callable[[str], None]


@dataclass(frozen=True)
class Step:
    """One thing that happens: a transfer (sent and received), a milestone or a destruction.

    `expect_refusal` marks a transfer that breaks the contract: the hook must refuse it.
    `changes` overrides sampled columns (e.g. a national number of someone too young).
    """

    at: str
    hop: str = ""
    sender: str = ""
    receiver: str = ""
    dataset: str = ""
    milestone: str = ""
    destroy: tuple[str, ...] = ()
    party: str = ""
    expect_refusal: str = ""
    changes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    contract: str
    steps: tuple[Step, ...]
    prove_at: str


def _aged(at: str, years: int) -> str:
    """A synthetic national number of someone `years` old (and a few days) on the day `at`."""
    from datacontract.personal.insz import make_insz

    day = dt.datetime.fromisoformat(at).date()
    return make_insz(day.replace(year=day.year - years) - dt.timedelta(days=3), 401)


_INSZ = "Verzoek/Vragen/Vraag/Inhoud/Criteria/INSZ"  # the student of an AHOVOKS request

STORIES: tuple[Story, ...] = (
    Story(
        "ikt-ouderbijdrage-2025",
        (
            Step(
                "2025-03-03T10:00:00+01:00",
                "insz_naar_vutg",
                "opgroeien_it",
                "vutg",
                "ikt_kinderen",
            ),
            Step(
                "2025-03-20T10:00:00+01:00",
                "levering_kind_periode",
                "vutg",
                "opgroeien_it",
                "gp_kind_periode",
            ),
            Step(
                "2025-03-20T10:05:00+01:00",
                "levering_gezinsleden",
                "vutg",
                "opgroeien_it",
                "gp_gezinsleden_inkomen",
            ),
            Step(
                "2025-04-01T09:00:00+02:00",
                "simulatie_kind",
                "opgroeien_it",
                "opgroeien_datamanagement",
                "gp_kind_periode",
                expect_refusal="a file with national numbers on the way to a simulation team",
            ),
            Step(
                "2025-04-01T10:00:00+02:00",
                "simulatie_kind",
                "opgroeien_it",
                "opgroeien_datamanagement",
                "simulatie_kind_periode",
            ),
            Step(
                "2025-04-01T10:05:00+02:00",
                "simulatie_gezinsleden",
                "opgroeien_it",
                "opgroeien_datamanagement",
                "simulatie_gezinsleden_inkomen",
            ),
            Step(
                "2025-04-01T10:10:00+02:00",
                "simulatie_kind",
                "opgroeien_it",
                "opgroeien_financieel_beheer",
                "simulatie_kind_periode",
            ),
            Step(
                "2025-04-01T10:15:00+02:00",
                "simulatie_gezinsleden",
                "opgroeien_it",
                "opgroeien_financieel_beheer",
                "simulatie_gezinsleden_inkomen",
            ),
            Step("2025-09-30T17:00:00+02:00", milestone="simulaties_afgerond"),
            Step(
                "2025-10-10T09:00:00+02:00",
                party="opgroeien_it",
                destroy=(
                    "ikt_kinderen",
                    "gp_kind_periode",
                    "gp_gezinsleden_inkomen",
                    "simulatie_kind_periode",
                    "simulatie_gezinsleden_inkomen",
                ),
            ),
            Step(
                "2025-10-10T09:30:00+02:00",
                party="opgroeien_datamanagement",
                destroy=("simulatie_kind_periode", "simulatie_gezinsleden_inkomen"),
            ),
            Step(
                "2025-10-10T09:45:00+02:00",
                party="opgroeien_financieel_beheer",
                destroy=("simulatie_kind_periode", "simulatie_gezinsleden_inkomen"),
            ),
        ),
        "2026-01-15T12:00:00+01:00",
    ),
    Story(
        "lokale-besturen-sociale-toeslag-2020",
        (
            # antwoord 4: the protocol and the college decision are signed before any request.
            Step(
                "2020-10-26T12:00:00+01:00",
                "aanvraag_sftp",
                "lokaal_bestuur",
                "opgroeien_regie",
                "aanvraag",
                expect_refusal="a request before the protocol and the decision are signed",
            ),
            Step("2020-10-28T12:00:00+01:00", milestone="protocol_en_besluit_ondertekend"),
            Step(
                "2020-11-02T10:00:00+01:00",
                "aanvraag_sftp",
                "lokaal_bestuur",
                "opgroeien_regie",
                "aanvraag",
                expect_refusal="a request with a child of 25",
                changes={"insz": "age:25"},
            ),
            Step(
                "2020-11-02T10:30:00+01:00",
                "aanvraag_sftp",
                "lokaal_bestuur",
                "opgroeien_regie",
                "aanvraag",
            ),
            Step(
                "2020-11-16T10:00:00+01:00",
                "antwoord_sftp",
                "opgroeien_regie",
                "lokaal_bestuur",
                "antwoord",
            ),
            Step(
                "2020-11-17T10:00:00+01:00",
                "antwoord_mail",
                "opgroeien_regie",
                "lokaal_bestuur",
                "antwoord",
                expect_refusal="a second answer, by mail this time",
            ),
            Step("2020-12-15T12:00:00+01:00", milestone="tegemoetkoming_toegekend"),
            Step(
                "2020-12-20T09:00:00+01:00",
                party="lokaal_bestuur",
                destroy=("aanvraag", "antwoord"),
            ),
        ),
        "2022-01-01T12:00:00+01:00",
    ),
    Story(
        "jobbonusplus-2025",
        (
            Step(
                "2025-03-10T05:00:00+01:00",
                "consultatie",
                "wewis",
                "kidslife",
                "verrichtingen",
                expect_refusal="a consultation before any mutation message",
            ),
            Step("2025-03-10T06:00:00+01:00", "mutatie", "wewis", "kidslife", "mutatiebericht"),
            Step("2025-03-10T09:00:00+01:00", "consultatie", "wewis", "kidslife", "verrichtingen"),
            Step("2025-03-11T06:00:00+01:00", "mutatie", "wewis", "vutg", "mutatiebericht"),
            Step("2025-03-11T09:00:00+01:00", "consultatie", "wewis", "vutg", "verrichtingen"),
            # art. 3, b: within 5 years of the last payment the files report (in 2024).
            Step(
                "2028-12-01T09:00:00+01:00",
                party="kidslife",
                destroy=("mutatiebericht", "verrichtingen"),
            ),
            Step(
                "2028-12-01T09:00:00+01:00",
                party="vutg",
                destroy=("mutatiebericht", "verrichtingen"),
            ),
        ),
        "2031-01-01T12:00:00+01:00",
    ),
    Story(
        "ahovoks-historiekinschrijving-2019",
        (
            # MAGDA XML documents: the payer's request (vraag), AHOVOKS's answer (consultatie).
            Step(
                "2024-09-30T10:00:00+02:00",
                "consultatie",
                "ahovoks",
                "infino",
                "historiekinschrijving",
                expect_refusal="an answer before any family told the payer (C1, C2)",
            ),
            Step("2024-09-30T14:00:00+02:00", milestone="kennisgeving_gezin", party="infino"),
            Step(
                "2024-10-01T10:00:00+02:00",
                "vraag",
                "infino",
                "ahovoks",
                "historiekinschrijving_vraag",
                expect_refusal="a request for a student aged 24 (C1)",
                changes={_INSZ: "age:24"},
            ),
            Step(
                "2024-10-01T10:15:00+02:00",
                "vraag",
                "infino",
                "ahovoks",
                "historiekinschrijving_vraag",
            ),
            Step(
                "2024-10-01T10:30:00+02:00",
                "consultatie",
                "ahovoks",
                "infino",
                "historiekinschrijving",
            ),
            Step("2029-09-01T09:00:00+02:00", party="infino", destroy=("historiekinschrijving",)),
        ),
        "2030-01-01T12:00:00+01:00",
    ),
)


def run_protocols(out_dir: Path, *, seed: int, say: Say) -> bool:
    """Every story: sample, transfer through the hooks, prove; True if every proof holds."""
    from datacontract.demo.adequacy import default_contract_path
    from datacontract.flow.prover import prove
    from datacontract.ledger import store
    from datacontract.ledger.chain import read_ledger
    from datacontract.report.proof import to_html, to_json

    contracts = default_contract_path().parent
    out_dir.mkdir(parents=True, exist_ok=True)
    key = out_dir / "dpo-key.txt"
    write_file(key, f"synthetic-{secrets.token_hex(8)}\n", private=True)
    password = key.read_text(encoding="utf-8").rstrip("\n")
    holds = True
    for story in STORIES:
        path = contracts / f"{story.contract}.yaml"
        if not path.is_file():
            raise UsageError(f"cannot find {path}")
        loaded = load_contract(path)
        folder = out_dir / story.contract
        folder.mkdir(parents=True, exist_ok=True)
        ledger = folder / "ledger.jsonl"
        ledger.unlink(missing_ok=True)
        store.init(ledger, loaded.contract.contract, loaded.contract.version)
        say(f"\n[bold]{story.contract}[/] ({loaded.contract.protocol.seed})")
        for number, step in enumerate(story.steps, start=1):
            _play(loaded, folder, ledger, step, number, seed, password, say)
        at = dt.datetime.fromisoformat(story.prove_at)
        proof = prove(loaded, read_ledger(ledger), at=at, ledger_path=ledger)
        write_file(folder / "proof.json", to_json(proof))
        write_file(folder / "proof.html", to_html(proof, loaded.contract))
        broken = [v.invariant for v in proof.verdicts if not v.holds]
        verdict = (
            f"[red]broken: {', '.join(broken)}[/]"
            if broken
            else "[green]proves[/]"
            if proof.level == "proven"
            # unsigned events, no checkpoint: every invariant holds, but that is not a proof
            else "[yellow]holds, not proven (unsigned evidence, no checkpoint)[/]"
        )
        say(
            f"  proof at {story.prove_at}: {verdict} ({len(proof.verdicts)} invariants, "
            f"{proof.events} events) -> {folder / 'proof.html'}"
        )
        holds = holds and proof.holds
    return holds


def _play(
    loaded: LoadedContract,
    folder: Path,
    ledger: Path,
    step: Step,
    number: int,
    seed: int,
    password: str,
    say: Say,
) -> None:
    when = dt.datetime.fromisoformat(step.at)
    if step.milestone:
        duties.milestone(loaded, ledger, step.milestone, step.party or None, at=when)
        by = f" ({step.party})" if step.party else ""
        say(f"  {step.at}  milestone {step.milestone}{by}")
        return
    if step.destroy:
        for dataset in step.destroy:
            duties.destroy(loaded, ledger, step.party, dataset, when)
        say(f"  {step.at}  {step.party} destroys {', '.join(step.destroy)}")
        return
    path = _file(loaded, folder, step, number, seed, password)
    transfer = hooks.Transfer(
        loaded,
        step.hop,
        path,
        ledger,
        step.sender,
        step.receiver,
        when,
        options=Options(password=password),
    )
    where = f"{step.dataset} {step.sender} -> {step.receiver} on {step.hop}"
    if step.expect_refusal:
        try:
            hooks.send(transfer)
        except hooks.Refused as refused:
            rules = sorted({f.rule for f in refused.findings})
            say(f"  {step.at}  [red]refused[/] {step.expect_refusal}: {', '.join(rules)}")
            return
        raise AssertionError(f"the hook accepted {step.expect_refusal}")  # a demo bug
    hooks.send(transfer)
    hooks.receive(transfer)
    say(f"  {step.at}  {where}: sent and received ({path.name})")


def _file(
    loaded: LoadedContract, folder: Path, step: Step, number: int, seed: int, password: str
) -> Path:
    from datacontract.demo.sample import formats, sample_rows, write_sample

    ds = loaded.contract.dataset(step.dataset)
    assert ds is not None, f"the demo names dataset {step.dataset}"
    day = dt.datetime.fromisoformat(step.at).date()
    rows = sample_rows(loaded.contract, ds, 25, seed + number, day)
    for column, value in step.changes.items():
        if value.startswith("age:"):
            value = _aged(step.at, int(value.removeprefix("age:")))
        single = column in same_in_every_row(ds)
        for row in rows if single else rows[:1]:
            row[column] = value
    path = folder / f"{number:02d}_{step.dataset}{formats(ds)[0]}"
    return write_sample(rows, ds, path, password)
