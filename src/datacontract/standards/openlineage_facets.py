"""The facets of our OpenLineage events: what a contract, a ledger event and a proof say, in
the OpenLineage client's own models (openlineage-python, `openlineage.client.facet_v2`).

Every string here comes from the contract (dataset, column, rule and party ids, articles, titles)
or from the ledger (rule ids, counts, hashes): the ledger never holds a cell value, and no facet
takes anything from a data file. Facets built here:

- `schema` (SchemaDatasetFacet): the contract's columns and types;
- `version` (DatasetVersionDatasetFacet): the SHA-256 of the file that travelled;
- `dataQualityAssertions`: the dataset's rules as the hook checked them (see `assertions`);
- `columnLineage`: the declared SQL of a made dataset (flow/sqllineage.py), `masking: true`
  where a column passes through the keyed pseudonym (art. 4);
- `jobType`, `documentation`: what a job is (a transfer, a destruction, ...) and its article;
- `errorMessage`: for a FAIL, the ids of the rules or invariants broken (never a message);
- `datacontract_ledger` (our own, schema in DatacontractLedgerRunFacet.json beside this file):
  the ledger event an OpenLineage event stands for, by seq and hash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import metadata
from typing import ClassVar

import attr
from openlineage.client.facet_v2 import (
    RunFacet,
    column_lineage_dataset,
    data_quality_assertions_dataset,
    documentation_job,
    error_message_run,
    job_type_job,
    schema_dataset,
)

from datacontract.contract import model
from datacontract.flow.proof import Verdict
from datacontract.flow.sqllineage import Derivation, SourceColumn
from datacontract.ledger.chain import Event


def _version() -> str:
    try:
        return metadata.version("groeipakket-datacontract")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0"


# The producer of every event and facet: this tool and its version (a URN: the project has no
# public address to name).
PRODUCER = f"urn:groeipakket-datacontract:{_version()}"
LEDGER_FACET = "datacontract_ledger"
LEDGER_FACET_SCHEMA = (
    "urn:groeipakket-datacontract:openlineage:DatacontractLedgerRunFacet:1-0-0"
    "#/$defs/DatacontractLedgerRunFacet"
)
INTEGRATION = "DATACONTRACT"


@attr.define
class LedgerRunFacet(RunFacet):
    """The ledger event an OpenLineage event stands for: its seq and hash (ledger/chain.py)
    and what it records. Never its `keys` digest or `reference` date, which come from a file."""

    seq: int
    hash: str
    kind: str
    contractVersion: str  # the standard's camelCase
    violation: bool
    signed: bool
    party: str | None = attr.field(default=None)

    _additional_skip_redact: ClassVar[list[str]] = ["seq", "hash", "kind", "party"]

    @staticmethod
    def _get_schema() -> str:
        return LEDGER_FACET_SCHEMA


def ledger_facet(event: Event) -> LedgerRunFacet:
    return LedgerRunFacet(
        seq=event.seq,
        hash=event.hash,
        kind=event.kind,
        contractVersion=event.contract_version,
        violation=event.violation,
        signed=event.sig is not None,
        party=event.party,
        producer=PRODUCER,
    )


def schema_facet(dataset: model.Dataset) -> schema_dataset.SchemaDatasetFacet:
    """The contract's columns of a dataset, in order, with their declared types."""
    return schema_dataset.SchemaDatasetFacet(
        fields=[
            schema_dataset.SchemaDatasetFacetFields(name=c.name, type=c.type, ordinal_position=i)
            for i, c in enumerate(dataset.columns, start=1)
        ],
        producer=PRODUCER,
    )


def job_facets(kind: str, description: str) -> dict[str, object]:
    """What a job is: jobType TRANSFER, DESTROY, MAKE, MILESTONE or PROOF, and its article."""
    return {
        "jobType": job_type_job.JobTypeJobFacet(
            processingType="BATCH", integration=INTEGRATION, jobType=kind, producer=PRODUCER
        ),
        "documentation": documentation_job.DocumentationJobFacet(
            description=description, contentType="text/plain", producer=PRODUCER
        ),
    }


def error_facet(broken: Iterable[str]) -> error_message_run.ErrorMessageRunFacet:
    """A FAIL names what broke by id only: the messages stay in the ledger and the proof."""
    names = sorted(set(broken))
    return error_message_run.ErrorMessageRunFacet(
        message="breaks the contract: " + (", ".join(names) or "a recorded violation"),
        programmingLanguage="python",
        producer=PRODUCER,
    )


# --- data quality -------------------------------------------------------------------------


def assertions(
    dataset: model.Dataset | None,
    checked: Mapping[str, tuple[str | None, str]],
    findings: Iterable[Mapping[str, object]],
) -> data_quality_assertions_dataset.DataQualityAssertionsDatasetFacet:
    """Every rule the hook checked, passed unless the ledger recorded it broken.

    `checked` is rule id -> (article, demand) for the dataset's rules (check/compile.py): a hook
    appends an event only when every one holds, or records the broken ones as findings with
    --record-violation, so an event's findings are exactly the rules that failed. A finding of
    the hook itself (hash_travels_with_file, a flow invariant) is added as a failed assertion.
    `actual` is the finding's count; no message is copied.
    """
    failed: dict[str, Mapping[str, object]] = {}
    for f in findings:
        rule = f.get("rule")
        if isinstance(rule, str):
            failed.setdefault(rule, f)
    columns = {c.name for c in dataset.columns} if dataset is not None else set()
    out = []
    for rule in sorted(set(checked) | set(failed)):
        finding = failed.get(rule)
        if rule in checked:
            article, demand = checked[rule]
        else:
            article, demand = _text(finding.get("article") if finding else None), ""
        out.append(
            data_quality_assertions_dataset.Assertion(
                assertion=rule.rsplit(".", 1)[-1],
                success=finding is None,
                column=_column(rule, columns),
                severity="error",
                name=rule,
                description="; ".join(p for p in (demand, article) if p) or None,
                actual=None if finding is None else str(finding.get("count", "")),
            )
        )
    return data_quality_assertions_dataset.DataQualityAssertionsDatasetFacet(
        assertions=out, producer=PRODUCER
    )


def verdicts(
    found: Iterable[Verdict],
) -> data_quality_assertions_dataset.DataQualityAssertionsDatasetFacet:
    """The proof's verdicts as assertions on the ledger: one per invariant, `actual` the number
    of counterexamples of a broken one (their events and messages stay in the proof)."""
    return data_quality_assertions_dataset.DataQualityAssertionsDatasetFacet(
        assertions=[
            data_quality_assertions_dataset.Assertion(
                assertion=v.kind,
                success=v.holds,
                severity="error",
                name=v.invariant,
                description=f"{v.title} ({v.article})",
                actual=None if v.holds else str(len(v.counterexamples)),
            )
            for v in found
        ],
        producer=PRODUCER,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _column(rule: str, columns: set[str]) -> str | None:
    """`<dataset>.<column>.<kind>` names a column of the dataset; other rule ids name none."""
    parts = rule.split(".")
    return parts[1] if len(parts) == 3 and parts[1] in columns else None


# --- column lineage -----------------------------------------------------------------------


def column_lineage(
    namespace: str, derived: Derivation
) -> column_lineage_dataset.ColumnLineageDatasetFacet:
    """The declared SQL of a made dataset, one step back, as OpenLineage column lineage."""
    fields = {
        column: column_lineage_dataset.Fields(
            inputFields=[_input_field(namespace, s) for s in sources]
        )
        for column, sources in derived.columns.items()
        if sources
    }
    return column_lineage_dataset.ColumnLineageDatasetFacet(
        fields=fields,
        dataset=[_input_field(namespace, s) for s in derived.rows],
        producer=PRODUCER,
    )


def _input_field(namespace: str, source: SourceColumn) -> column_lineage_dataset.InputField:
    description = "through the keyed pseudonym (art. 4)" if source.masked else None
    return column_lineage_dataset.InputField(
        namespace=namespace,
        name=source.table,
        field=source.column,
        transformations=[
            column_lineage_dataset.Transformation(
                type=source.kind,
                subtype=source.subtype,
                description=description,
                masking=source.masked,
            )
        ],
    )
