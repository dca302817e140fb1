"""A ledger as OpenLineage RunEvents (spec 2-0-2), in the openlineage-python client's models.

One run per thing the ledger records, in ledger order, and one for the proof:

| ledger                        | job (namespace = contract id)  | events                     |
|-------------------------------|--------------------------------|----------------------------|
| `sent` then its `received`    | the hop id (`stap3`)           | START, then COMPLETE (*)   |
| `made`                        | `make.<dataset>.<party>`       | START and COMPLETE (FAIL)  |
| `destroyed`                   | `destroy.<dataset>.<party>`    | START and COMPLETE (FAIL)  |
| `milestone`                   | `milestone.<id>`               | START and COMPLETE         |
| the proof (flow/prover.py)    | `prove`                        | START and COMPLETE (**)    |

(*) START at the send, COMPLETE at the receipt; FAIL when either was recorded as a violation.
(**) FAIL when an invariant breaks.

A send not yet received is a run left open (START only): the file is on its way, or lost. A
receipt is paired with its send by the witness it carries (SEQ:HASH), else with the earliest open
send of the same hop, parties and file hash.

Datasets are named by the contract id (namespace) and the dataset id (name), never by a file
name or content; the file's SHA-256 is the dataset's `version` facet and its row count an
input/output statistic. The proof reads the dataset `ledger`, whose version is the ledger's head.
Run ids are UUIDv7 made from the event's time and hash (`generate_static_uuid`), so exporting
the same ledger twice gives the same events; event times are the ledger's. The proof is made at
`at`, by default the time of the ledger's last event (deadlines that pass later are not in it).

Errors: LedgerError (exit 2) for a ledger that is not intact (naming the first broken line) or
that holds another contract's events; ContractError for declared SQL that cannot be traced.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from openlineage.client.event_v2 import (
    InputDataset,
    Job,
    OutputDataset,
    Run,
    RunEvent,
    RunState,
)
from openlineage.client.facet_v2 import (
    dataset_version_dataset,
    input_statistics_input_dataset,
    output_statistics_output_dataset,
)
from openlineage.client.serde import Serde
from openlineage.client.uuid import generate_static_uuid

from datacontract.check.compile import CompiledDataset
from datacontract.contract.load import LoadedContract
from datacontract.errors import LedgerError
from datacontract.flow import sqllineage
from datacontract.flow.prover import prove
from datacontract.flow.sqllineage import Derivation
from datacontract.flow.withheld import events_withheld, ledger_names, texts_withheld
from datacontract.ledger.chain import Event, LedgerState
from datacontract.standards import openlineage_facets as facets

LEDGER_DATASET = "ledger"  # the dataset the proof reads


def run_events(
    loaded: LoadedContract, state: LedgerState, *, at: datetime | None = None
) -> list[RunEvent]:
    """Every hop, making, destruction and milestone of the ledger, then the proof at `at`."""
    _refuse(loaded, state)
    export = _Export(loaded)
    out: list[RunEvent] = []
    open_sends: list[Event] = []
    # no name an event carries that the contract does not declare is exported
    # (contract/names.py rule 4): each is said withheld, numbered, the same throughout
    # nor a finding's text or a contract version the contract does not declare (flow/withheld.py)
    names = ledger_names(loaded.contract)
    shown = texts_withheld(state.events, names, loaded.contract.version)
    for event in events_withheld(shown, names):
        if event.kind == "sent":
            open_sends.append(event)
            out.append(export.transfer_start(event))
        elif event.kind == "received":
            out.extend(export.transfer_end(event, _sent_of(event, open_sends)))
        else:
            out.extend(export.instant(event))
    when = at if at is not None else (state.events[-1].when if state.events else None)
    if when is not None:
        out.extend(export.proof(state, when))
    return out


def to_json_lines(events: Iterable[RunEvent]) -> str:
    """One event per line, serialised by the client's Serde (sorted keys, no nulls)."""
    return "".join(Serde.to_json(e) + "\n" for e in events)


def _refuse(loaded: LoadedContract, state: LedgerState) -> None:
    if state.problems:
        first = state.problems[0]
        rest = len(state.problems) - 1
        more = f" (and {rest} more problem(s))" if rest else ""
        raise LedgerError(
            f"the ledger is not intact, nothing exported: {first.message}{more}; "
            "`datacontract ledger verify` lists every problem"
        )
    ours = loaded.contract.contract
    for event in state.events:
        if event.contract != ours:
            # the other contract's id is the event's, not this contract's: not shown
            raise LedgerError(
                f"the ledger's event seq {event.seq} (line {event.seq}) is of another contract "
                f"than {ours} (its id withheld): give the ledger's own contract"
            )


def _sent_of(received: Event, open_sends: list[Event]) -> Event | None:
    """The send a receipt completes (taken off the open sends), or None."""
    for i, sent in enumerate(open_sends):
        if received.witness == f"{sent.seq}:{sent.hash}":
            return open_sends.pop(i)
    if received.witness is None:
        for i, sent in enumerate(open_sends):
            same = (sent.hop, sent.dataset, sent.sender, sent.receiver, sent.sha256)
            if same == (
                received.hop,
                received.dataset,
                received.sender,
                received.receiver,
                received.sha256,
            ):
                return open_sends.pop(i)
    return None


def _run_id(when: datetime, data: bytes) -> str:
    return str(generate_static_uuid(instant=when, data=data))


class _Export:
    """The contract's side of the events: jobs, datasets, rules and derivations, built once."""

    def __init__(self, loaded: LoadedContract) -> None:
        self.loaded = loaded
        self.contract = loaded.contract
        self.namespace = loaded.contract.contract
        self._checked: dict[str, dict[str, tuple[str | None, str]]] = {}
        self._derived: dict[str, Derivation | None] | None = None

    # -- the contract's side ---------------------------------------------------------------

    def checked(self, dataset: str, on: datetime) -> dict[str, tuple[str | None, str]]:
        """rule id -> (article, demand) of every rule a hook checks on the dataset."""
        if dataset not in self._checked:
            ds = self.contract.dataset(dataset)
            rules = CompiledDataset(self.contract, ds, on.date()).rules if ds else {}
            self._checked[dataset] = {r.rule: (r.article, r.demand) for r in rules.values()}
        return self._checked[dataset]

    def derivation(self, dataset: str) -> Derivation | None:
        """The declared SQL of a made dataset, from the folder the contract's SQL invariants
        name (`params.sql`, relative to the contract), with their pseudonym function."""
        if self._derived is None:
            self._derived = {}
            for folder, pseudonym in self._sql_folders():
                for ds in self.contract.datasets:
                    if self._derived.get(ds.id) is None:
                        self._derived[ds.id] = sqllineage.derivation(folder, ds.id, pseudonym)
        return self._derived.get(dataset)

    def _sql_folders(self) -> list[tuple[Path, str]]:
        out: dict[Path, str] = {}
        for inv in self.contract.invariants:
            sql = getattr(inv.params, "sql", None)
            if not isinstance(sql, str):
                continue
            folder = Path(sql)
            if not folder.is_absolute():
                folder = Path(os.path.dirname(self.loaded.path) or ".") / folder
            function = getattr(inv.params, "pseudonymise_with", None)
            if isinstance(function, str) or folder not in out:
                out[folder] = function if isinstance(function, str) else "keyed_pseudonym"
        return sorted(out.items())

    def job(self, name: str, kind: str, description: str) -> Job:
        return Job(
            namespace=self.namespace,
            name=name,
            facets=facets.job_facets(kind, description),  # type: ignore[arg-type]
        )

    def dataset_facets(self, dataset: str, sha256: str | None) -> dict[str, object]:
        out: dict[str, object] = {}
        ds = self.contract.dataset(dataset)
        if ds is not None:
            out["schema"] = facets.schema_facet(ds)
        if sha256 is not None:
            out["version"] = dataset_version_dataset.DatasetVersionDatasetFacet(
                datasetVersion=sha256, producer=facets.PRODUCER
            )
        return out

    def read(self, event: Event, sha256: str | None) -> InputDataset:
        """The dataset of a transfer as the acting party checked it, with the rules' results."""
        dataset = event.dataset or ""
        ds = self.contract.dataset(dataset)
        return InputDataset(
            namespace=self.namespace,
            name=dataset,
            facets=self.dataset_facets(dataset, sha256),  # type: ignore[arg-type]
            inputFacets={
                "dataQualityAssertions": facets.assertions(
                    ds, self._checked_for(event), event.findings
                ),
                "inputStatistics": input_statistics_input_dataset.InputStatisticsInputDatasetFacet(
                    rowCount=event.rows, producer=facets.PRODUCER
                ),
            },
        )

    def _checked_for(self, event: Event) -> dict[str, tuple[str | None, str]]:
        # The rules are the contract's: only for events recorded under this very version.
        if event.contract_version != self.contract.version or event.dataset is None:
            return {}
        return self.checked(event.dataset, event.when)

    def written(self, event: Event) -> OutputDataset:
        dataset = event.dataset or ""
        return OutputDataset(
            namespace=self.namespace,
            name=dataset,
            facets=self.dataset_facets(dataset, event.sha256),  # type: ignore[arg-type]
            outputFacets={
                "outputStatistics": (
                    output_statistics_output_dataset.OutputStatisticsOutputDatasetFacet(
                        rowCount=event.rows, producer=facets.PRODUCER
                    )
                )
            },
        )

    def plain(self, dataset: str) -> InputDataset:
        return InputDataset(
            namespace=self.namespace,
            name=dataset,
            facets=self.dataset_facets(dataset, None),  # type: ignore[arg-type]
        )

    # -- the events ------------------------------------------------------------------------

    def _event(
        self,
        state: RunState,
        event: Event,
        run_id: str,
        job: Job,
        inputs: Sequence[InputDataset] = (),
        outputs: Sequence[OutputDataset] = (),
        broken: Iterable[str] | None = None,
    ) -> RunEvent:
        run_facets: dict[str, object] = {facets.LEDGER_FACET: facets.ledger_facet(event)}
        if broken is not None:
            run_facets["errorMessage"] = facets.error_facet(broken)
        return RunEvent(
            eventType=state,
            eventTime=event.time,
            run=Run(runId=run_id, facets=run_facets),  # type: ignore[arg-type]
            job=job,
            inputs=list(inputs),
            outputs=list(outputs),
            producer=facets.PRODUCER,
        )

    def hop_job(self, hop_id: str) -> Job:
        hop = next((h for h in self.contract.hops if h.id == hop_id), None)
        if hop is None:
            return self.job(hop_id, "TRANSFER", "a hop the contract does not declare")
        text = (
            f"{hop.dataset} from {', '.join(hop.sender)} to {', '.join(hop.receiver)} "
            f"over {hop.channel} ({hop.article})"
        )
        return self.job(hop_id, "TRANSFER", text)

    def transfer_start(self, sent: Event) -> RunEvent:
        run_id = _run_id(sent.when, bytes.fromhex(sent.hash))
        job = self.hop_job(sent.hop or "")
        return self._event(RunState.START, sent, run_id, job, [self.read(sent, sent.sha256)])

    def transfer_end(self, received: Event, sent: Event | None) -> list[RunEvent]:
        opener = sent if sent is not None else received
        run_id = _run_id(opener.when, bytes.fromhex(opener.hash))
        job = self.hop_job(received.hop or "")
        out = []
        if sent is None:  # its send is not in this ledger: the run starts and ends here
            out.append(self._event(RunState.START, received, run_id, job))
        violations = [e for e in (sent, received) if e is not None and e.violation]
        state = RunState.FAIL if violations else RunState.COMPLETE
        broken = _rules(violations) if violations else None
        inputs = [self.read(received, sent.sha256 if sent is not None else received.sha256)]
        out.append(
            self._event(state, received, run_id, job, inputs, [self.written(received)], broken)
        )
        return out

    def instant(self, event: Event) -> list[RunEvent]:
        """A made dataset, a destruction or a milestone: a run that starts and ends at once."""
        run_id = _run_id(event.when, bytes.fromhex(event.hash))
        inputs: list[InputDataset] = []
        outputs: list[OutputDataset] = []
        dataset = event.dataset or ""
        if event.kind == "made":
            job = self.job(f"make.{dataset}.{event.party}", "MAKE", self._made_text(dataset))
            derived = self.derivation(dataset)
            ds = self.contract.dataset(dataset)
            sources = derived.tables if derived is not None else (ds.derived_from if ds else ())
            inputs = [self.plain(s) for s in sources if s != dataset]
            output = self.written(event)
            if derived is not None:
                assert output.facets is not None
                output.facets["columnLineage"] = facets.column_lineage(self.namespace, derived)
            outputs = [output]
        elif event.kind == "destroyed":
            text = f"{event.party} destroys its copy of {dataset}"
            job = self.job(f"destroy.{dataset}.{event.party}", "DESTROY", text)
            inputs = [self.plain(dataset)]
        else:
            milestone = next((m for m in self.contract.milestones if m.id == event.milestone), None)
            text = f"{milestone.title} ({milestone.article})" if milestone else "a milestone"
            job = self.job(f"milestone.{event.milestone}", "MILESTONE", text)
        end = RunState.FAIL if event.violation else RunState.COMPLETE
        broken = _rules([event]) if event.violation else None
        return [
            self._event(RunState.START, event, run_id, job, inputs, outputs),
            self._event(end, event, run_id, job, inputs, outputs, broken),
        ]

    def _made_text(self, dataset: str) -> str:
        ds = self.contract.dataset(dataset)
        if ds is None:
            return f"{dataset}, a dataset the contract does not declare"
        return f"{ds.title} ({ds.article})"

    def proof(self, state: LedgerState, at: datetime) -> list[RunEvent]:
        """The contract's invariants proven on the ledger at `at`, as assertions on it."""
        proof = prove(self.loaded, state, at=at)
        seed = f"{proof.ledger_hash}:{proof.contract_sha256}:{proof.at}".encode()
        run_id = _run_id(at, hashlib.sha256(seed).digest())
        job = self.job("prove", "PROOF", f"the flow invariants of {self.namespace}")
        ledger = InputDataset(
            namespace=self.namespace,
            name=LEDGER_DATASET,
            facets={
                "version": dataset_version_dataset.DatasetVersionDatasetFacet(
                    datasetVersion=proof.ledger_hash or "", producer=facets.PRODUCER
                )
            },
            inputFacets={"dataQualityAssertions": facets.verdicts(proof.verdicts)},
        )
        broken = [v.invariant for v in proof.verdicts if not v.holds]
        time = at.isoformat()
        run_facets: dict[str, object] = {}
        if broken:
            run_facets["errorMessage"] = facets.error_facet(broken)
        return [
            RunEvent(
                eventType=kind,
                eventTime=time,
                run=Run(runId=run_id, facets=run_facets if kind != RunState.START else {}),  # type: ignore[arg-type]
                job=job,
                inputs=[ledger],
                producer=facets.PRODUCER,
            )
            for kind in (
                RunState.START,
                RunState.FAIL if broken else RunState.COMPLETE,
            )
        ]


def _rules(events: Iterable[Event]) -> list[str]:
    return [str(f.get("rule")) for e in events for f in e.findings if f.get("rule")]


__all__ = ["LEDGER_DATASET", "run_events", "to_json_lines"]
