"""What the tool makes: synthetic samples of a dataset, the demos of the protocols' flows, and
a ledger as OpenLineage RunEvents (written as JSON Lines and/or posted to an endpoint)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datacontract.api.checking import ProgressFor, _progress
from datacontract.api.inputs import loaded, password_from, time_of
from datacontract.errors import UsageError

if TYPE_CHECKING:
    from datacontract.api.ledger import LedgerName
    from datacontract.contract.load import LoadedContract


@dataclass(frozen=True)
class SampleOptions:
    """`sample`: the contract and dataset, how many rows, the seed, where to write (the format
    follows the extension), the password file of an encrypted workbook, the transfer date
    the sample stands for (age rules; default today), and a progress display."""

    contract: str | Path | LoadedContract
    dataset: str
    output: str | Path
    rows: int = 100
    seed: int = 7
    password_file: str | Path | None = None
    reference_date: date | None = None
    progress: ProgressFor | None = None


@dataclass(frozen=True)
class Sampled:
    """Where the sample was written, notes for the user (how the dataset travels), and the
    line that says what was written."""

    path: Path
    notes: tuple[str, ...]
    summary: str


def sample(options: SampleOptions) -> Sampled:
    """Write synthetic rows that satisfy one dataset of a contract (every rule made true)."""
    from datacontract.contract.references import find_dataset
    from datacontract.demo import sample as sampling
    from datacontract.demo.magda_documents import rows_cap

    c = loaded(options.contract)
    ds = find_dataset(c.contract, options.dataset)
    on, rows = options.reference_date, options.rows
    password = password_from(options.password_file)
    path = Path(options.output)
    sampling.refuse_untravelled(ds, path)
    try:
        if path.suffix.lower() in sampling.STREAMED and ds.magda is None and not ds.nested:
            with _progress(options.progress, f"sampling {ds.id}") as progress:
                chunks = sampling.sample_chunks(c.contract, ds, rows, options.seed, on)
                count = None if progress is None else _counting(progress, rows)
                sampling.write_sample_chunks(chunks, ds, path, count)
        else:
            sample_rows = sampling.sample_rows(c.contract, ds, rows, options.seed, on)
            path = sampling.write_sample(sample_rows, ds, path, password)
    except OSError as exc:
        # A full disk or a file over the size limit: the writer (output.py) left nothing
        # behind; the sample is not there, and the message says so.
        raise UsageError(
            f"{path}: the sample could not be written: {exc.strerror or 'write error'}; "
            "nothing was left behind"
        ) from None
    notes = []
    cap = rows_cap(ds) if path.suffix.lower() == sampling.XML else None
    if cap is not None and rows > cap:
        notes.append(
            f"note: a {ds.magda.element if ds.magda else ds.id} lists at most {cap} rows (the "
            f"service's XSD): {cap} written, not {rows:,}"
        )
    if sampling.needs_password(ds, path) and not password:
        notes.append(
            f"note: {ds.id} travels encrypted and no password was given: the workbook is not "
            "encrypted, and a hop refuses it (--password-file or DATACONTRACT_XLSX_PASSWORD)"
        )
    if ds.magda is not None and path.suffix.lower() == ".xml":
        summary = f"a synthetic MAGDA document {ds.magda.element} ({ds.id}) written to {path}"
    else:
        summary = f"{rows:,} synthetic rows of {ds.id} written to {path}"
    return Sampled(path, tuple(notes), summary)


def _counting(progress: Callable[[int, int | None], None], rows: int) -> Callable[[int], None]:
    return lambda done: progress(done, rows)


@dataclass(frozen=True)
class DemoOptions:
    """`demo`: the folder to write into, the number of families, the seed, the adequacy
    study's contract (default: the one shipped), and one bad flow to run end to end."""

    out: str | Path
    rows: int = 1000
    seed: int = 7
    contract: str | Path | None = None
    violation: str | None = None


def run_demo(options: DemoOptions) -> bool:
    """The synthetic adequacy study: every file checked, the flow run through the hooks and
    proved (printed as it goes); True when the proof holds."""
    from datacontract.demo.adequacy import run_demo as run

    return run(
        Path(options.out),
        families=options.rows,
        seed=options.seed,
        contract_path=options.contract,
        violation=options.violation,
    )


@dataclass(frozen=True)
class ProtocolsOptions:
    """`demo-protocols`: the folder to write into, the seed, and where each line goes."""

    out: str | Path
    say: Callable[[str], None]
    seed: int = 7


def run_protocols(options: ProtocolsOptions) -> bool:
    """The flows of the four other protocols on synthetic data, one refused transfer each,
    proved; True when every proof holds."""
    from datacontract.demo.protocols import run_protocols as run

    return run(Path(options.out), seed=options.seed, say=options.say)


@dataclass(frozen=True)
class LineageOptions:
    """`lineage export`: the ledger and its contract, the proof's time (default: the last
    event's), and an OpenLineage endpoint to post to (checked before any work), with a
    timeout in seconds for the whole posting."""

    ledger: LedgerName = field(repr=False)  # a URL can carry a password
    contract: str | Path | LoadedContract
    at: str | datetime | None = None
    url: str | None = field(default=None, repr=False)  # can carry credentials
    timeout: float = 10.0


@dataclass(frozen=True)
class Lineage:
    """The RunEvents of a ledger, and as JSON Lines."""

    events: Sequence[Any]
    json_lines: str


def lineage_events(options: LineageOptions) -> Lineage:
    """Every hop, making, destruction and milestone of a ledger, and its proof, as
    OpenLineage RunEvents; UsageError for a bad endpoint URL or a missing ledger."""
    import math

    from datacontract.api.inputs import refuse_before_first
    from datacontract.api.ledger import ledger_read
    from datacontract.errors import UsageError
    from datacontract.standards.openlineage import run_events, to_json_lines
    from datacontract.standards.openlineage_post import endpoint

    if not math.isfinite(options.timeout):
        raise UsageError(
            f"--openlineage-timeout {options.timeout}: a number of seconds, 0.1 to 600"
        )
    if options.url is not None:
        endpoint(options.url)  # a bad URL fails before any work
    c = loaded(options.contract)
    state = ledger_read(options.ledger)
    at = time_of(options.at)
    if at is not None:
        refuse_before_first(at, state)  # the proof the events carry: as `prove --at`
    events = run_events(c, state, at=at)
    return Lineage(events, to_json_lines(events))


def post_lineage(lineage: Lineage, options: LineageOptions) -> str:
    """Post every event to the endpoint; the line that says so (the URL without secrets)."""
    from datacontract.standards.openlineage_post import endpoint, post, public

    if options.url is None:
        return "nothing posted: no endpoint"
    accepted = post(lineage.events, options.url, timeout=options.timeout)
    return f"POSTED {accepted} OpenLineage events to {public(endpoint(options.url))}"


@dataclass(frozen=True)
class DraftOptions:
    """`init`: the file one has; the dataset's id and the contract's (default: from the file's
    name); a workbook's sheet and the password file of an encrypted one."""

    file: str | Path
    dataset: str | None = None
    contract_id: str | None = None
    sheet: str | None = None
    password_file: str | Path | None = None


@dataclass(frozen=True)
class Drafted:
    """The draft contract's YAML text, how many columns it declares, and the names declared
    by position (`column_7`) because the file's name may be personal data."""

    text: str
    columns: int
    withheld: tuple[str, ...]


def draft_contract(options: DraftOptions) -> Drafted:
    """A draft contract from a data file (contract/draft.py): its columns, types, nullability
    and format, `article: TODO` wherever a citation belongs; never a value of the file.
    InputFileError for a file that is not one table; UsageError for a bad dataset id."""
    from datacontract.check.profile import profile_file
    from datacontract.contract import draft
    from datacontract.errors import UsageError

    profile = profile_file(
        options.file, password=password_from(options.password_file), sheet=options.sheet
    )
    stem = Path(options.file).stem
    dataset = options.dataset or draft.identifier(stem, "dataset")
    if draft.identifier(dataset, "") != dataset or len(dataset) > 64:
        # not echoed: what was typed may be anything (a name, a number)
        raise UsageError("--dataset: an id is 1 to 64 lower case letters, digits and _")
    columns = [
        draft.DraftColumn(c.declared, c.type, c.nullable, c.name is None) for c in profile.columns
    ]
    file = draft.DraftFile(profile.format, profile.rows, profile.sheet, profile.encrypted)
    contract_id = options.contract_id or f"{draft.identifier(stem, 'draft')}-draft"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", contract_id):
        raise UsageError("--contract-id: an id is 1 to 64 lower case letters, digits and -")
    text = draft.draft_contract(
        columns, file, dataset=dataset, contract_id=contract_id, today=date.today()
    )
    return Drafted(text, len(columns), tuple(c.name for c in columns if c.withheld))
