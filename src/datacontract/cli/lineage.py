"""`datacontract lineage export`: a ledger as OpenLineage RunEvents (standards/openlineage.py),
written as JSON Lines and/or posted to a Marquez-compatible endpoint. Registered by cli/main.py."""

from __future__ import annotations

import click

from datacontract.cli.common import guarded, say, write_output
from datacontract.cli.options import CONTRACT_OPTION, LEDGER_OPTION, output_option


@click.group("lineage")
def lineage_group() -> None:
    """The ledger in the ecosystem's lineage format (OpenLineage)."""


@lineage_group.command("export")
@LEDGER_OPTION
@CONTRACT_OPTION
@output_option("the events as JSON Lines (default: standard output, unless posting)")
@click.option(
    "--openlineage-url",
    "url",
    default=None,
    help="Post each event to URL/api/v1/lineage (Marquez, or any OpenLineage HTTP endpoint).",
)
@click.option(
    "--openlineage-timeout",
    "timeout",
    type=click.FloatRange(min=0.1, max=600),
    default=10.0,
    show_default=True,
    help="Seconds the whole posting may take (every event and retry); then exit 2.",
)
@click.option(
    "--at",
    default=None,
    help="The time of the proof (ISO 8601 with an offset), not before the ledger's first "
    "event; default the ledger's last event.",
)
@guarded
def lineage_export(
    ledger: str,
    contract_path: str,
    output: str | None,
    url: str | None,
    timeout: float,
    at: str | None,
) -> None:
    """Every hop, making, destruction and milestone of a ledger, and its proof, as
    OpenLineage RunEvents (exit 0 when exported; a FAIL in the events is not an exit code;
    exit 2 when any event was not accepted by the endpoint, naming how many)."""
    import datacontract as api

    options = api.LineageOptions(ledger, contract_path, at, url, timeout)
    lineage = api.lineage_events(options)
    if output is not None or url is None:
        write_output(lineage.json_lines, output, f"{len(lineage.events)} OpenLineage events")
    if url is not None:
        say(api.post_lineage(lineage, options))
