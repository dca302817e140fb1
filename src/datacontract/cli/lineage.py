"""`datacontract lineage export`: a ledger as OpenLineage RunEvents (standards/openlineage.py),
written as JSON Lines and/or posted to a Marquez-compatible endpoint. Registered by cli/main.py."""

from __future__ import annotations

import click

from datacontract.cli.common import CONTRACT_OPTION, guarded, say, write_output
from datacontract.errors import UsageError


@click.group("lineage")
def lineage_group() -> None:
    """The ledger in the ecosystem's lineage format (OpenLineage)."""


@lineage_group.command("export")
@click.option(
    "--ledger", required=True, help="The ledger: a JSON Lines file or a postgresql:// URL."
)
@CONTRACT_OPTION
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the events here as JSON Lines (default: standard output, unless posting).",
)
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
    help="Seconds to wait for the endpoint, per request.",
)
@click.option(
    "--at",
    default=None,
    help="The time of the proof (ISO 8601 with an offset); default the ledger's last event.",
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
    OpenLineage RunEvents (exit 0 when exported; a FAIL in the events is not an exit code)."""
    import math

    if not math.isfinite(timeout):  # click's range lets NaN through
        raise UsageError(f"--openlineage-timeout {timeout}: a number of seconds, 0.1 to 600")
    import datacontract as api
    from datacontract.ledger import store
    from datacontract.ledger.canonical import parse_time
    from datacontract.standards.openlineage import run_events, to_json_lines
    from datacontract.standards.openlineage_post import endpoint, post, public

    target = endpoint(url) if url is not None else None  # a bad URL fails before any work
    loaded = api.load_contract(contract_path)
    where = store.locate(ledger)
    if not store.exists(where):
        raise UsageError(f"{store.name_of(where)}: no such ledger")
    when = parse_time(at) if at is not None else None
    events = run_events(loaded, store.read(where), at=when)
    if output is not None or url is None:
        write_output(to_json_lines(events), output, f"{len(events)} OpenLineage events")
    if url is not None and target is not None:
        accepted = post(events, url, timeout=timeout)
        say(f"POSTED {accepted} OpenLineage events to {public(target)}")
