"""Which families a file lost or added against the file it answers (issue 24, 4).

A hop whose contract says its keys must match another hop's (`same_keys_as`: the payer's
dataset_2 on stap4 holds exactly the families of the dataset_1 it got on stap3, 000 D3 stap 3
and 4) is compared by the ledger through a keys digest only. When the digests differ, the
hook can say how many families were lost or added, and where, if it is given the earlier file:
both files' key columns are read as the detectors read them (check/file_state.key_text: an
INSZ in any notation is its eleven digits, a code trimmed and in capitals) and compared as
multisets.

Nothing but row numbers leaves this module: each row's key is kept as a 16-byte BLAKE2b hash
of its normalised cells, never the cells themselves.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from datacontract.check.coerce import coerce
from datacontract.check.file_state import key_text
from datacontract.check.results import MAX_SAMPLE_ROWS
from datacontract.contract import invariants as kinds
from datacontract.contract import model
from datacontract.contract.load import LoadedContract
from datacontract.contract.model import Contract
from datacontract.errors import UsageError
from datacontract.flow.record import Finding
from datacontract.ledger import store
from datacontract.ledger.chain import Event
from datacontract.read.table import open_table, sha256_file

__all__ = ["KeysAsked", "KeysDiff", "compare_keys", "key_rows", "same_keys_findings"]


@dataclass(frozen=True)
class KeysDiff:
    """Families (key rows) of the earlier file missing from this one (`lost`, with a few of
    their row numbers in the earlier file) and rows of this file whose key the earlier file
    does not hold as often (`added`, with row numbers in this file). Rows are 1-based data rows,
    the header not counted (check/results.ROW_BASE)."""

    lost: int
    added: int
    lost_rows: tuple[int, ...]
    added_rows: tuple[int, ...]

    @property
    def same(self) -> bool:
        return self.lost == 0 and self.added == 0

    def words(self, earlier: str) -> str:
        """'N families lost (rows .. of <earlier>), M added (rows .. of this file)'."""
        lost = f"{self.lost} {'family' if self.lost == 1 else 'families'} lost"
        if self.lost_rows:
            lost += f" ({_rows(self.lost_rows, self.lost)} of {earlier})"
        added = f"{self.added} added"
        if self.added_rows:
            added += f" ({_rows(self.added_rows, self.added)} of this file)"
        return f"{lost}, {added}; row 1 is the first data row after the header"


def _rows(rows: tuple[int, ...], count: int) -> str:
    """'row 6', 'rows 2, 5' or 'rows 2, 5 ...' (more than the sample shows)."""
    text = ", ".join(str(r) for r in rows)
    word = "row" if len(rows) == 1 and count == 1 else "rows"
    return f"{word} {text} ..." if count > len(rows) else f"{word} {text}"


def key_rows(
    dataset: model.Dataset,
    path: Path,
    *,
    password: str | None = None,
    sheet: str | None = None,
) -> dict[bytes, list[int]]:
    """Each distinct key (hashed) of the file -> the data rows holding it, in order.

    Raises InputFileError when the file cannot be read as a table. A key column the file
    lacks reads as empty (the file's own validation says it is missing)."""
    columns = [c for c in (dataset.column(k) for k in dataset.keys) if c is not None]
    out: dict[bytes, list[int]] = defaultdict(list)
    source = open_table(path, password=password, sheet=sheet)
    for batch in source.batches():
        cells = [_read(c, batch.data) for c in columns]
        for i in range(batch.data.num_rows):
            h = hashlib.blake2b(digest_size=16)
            for column in cells:
                h.update(column[i].encode("utf-8", "surrogatepass"))
                h.update(b"\x1f")
            out[h.digest()].append(batch.first_row + i)
    return out


def _read(column: model.Column, data: pa.RecordBatch) -> list[str]:
    """A key column's cells as key_text reads them ('' for an empty cell or a missing column)."""
    if column.name not in data.schema.names:
        return [""] * data.num_rows
    values = coerce(data.column(column.name), column.type).values.to_pylist()
    out = []
    for value in values:
        if value is None:
            out.append("")
        elif isinstance(value, str):
            out.append(key_text(column, value))
        else:
            out.append(repr(value))
    return out


def compare_keys(earlier: dict[bytes, list[int]], now: dict[bytes, list[int]]) -> KeysDiff:
    """The families lost (rows of `earlier` beyond what `now` holds of their key) and added."""
    lost: list[int] = []
    added: list[int] = []
    for key in earlier.keys() | now.keys():
        was, are = earlier.get(key, []), now.get(key, [])
        lost += was[len(are) :]
        added += are[len(was) :]
    lost.sort()
    added.sort()
    return KeysDiff(
        len(lost), len(added), tuple(lost[:MAX_SAMPLE_ROWS]), tuple(added[:MAX_SAMPLE_ROWS])
    )


@dataclass(frozen=True)
class KeysAsked:
    """What a hook knows of a file on a hop, for the comparison of its keys: the contract,
    the ledger, the hop, the file's sender, its keys digest (None: the dataset has no keys),
    the file, the earlier file (`--against`), and how to open them: the file with `password`
    and `sheet` (--password-file, --sheet), the earlier file with its own (--against-sheet,
    --against-password-file): a stap 3 workbook need not share stap 4's sheet or password."""

    loaded: LoadedContract
    ledger: store.Ledger
    hop: str
    sender: str | None
    keys: str | None
    file: Path
    against: Path | None = None
    password: str | None = None
    sheet: str | None = None
    against_password: str | None = None
    against_sheet: str | None = None


def same_keys_findings(asked: KeysAsked) -> list[Finding]:
    """The refusal of a file whose keys differ from those of the delivery it answers.

    For each `same_keys_as` invariant on this hop: the last delivery on its source hop to this
    file's sender, as the ledger holds it. When the digests differ, without the earlier file
    the finding says to pass it (`--against`); with it, how many families were lost and
    added, and their rows. UsageError (exit 2) when `--against` is given on a hop no such
    invariant speaks of, when the ledger holds no earlier delivery to compare with, or when it
    is not the file that delivery recorded (its SHA-256)."""
    contract = asked.loaded.contract
    rules = [
        i
        for i in contract.invariants
        if isinstance(i, kinds.SameKeysAs) and i.params.hop == asked.hop
    ]
    if asked.against is not None and not rules:
        speaks = sorted(
            {i.params.hop for i in contract.invariants if isinstance(i, kinds.SameKeysAs)}
        )
        raise UsageError(
            f"--against: hop {asked.hop} is compared with no earlier hop's keys; "
            f"the contract compares {', '.join(speaks) or 'no hop'}"
        )
    out = []
    for rule in rules:
        source = _source(asked, rule.params.source_hop)
        if source is None:
            if asked.against is not None:
                raise UsageError(
                    f"--against: the ledger holds no earlier delivery on "
                    f"{rule.params.source_hop} to {asked.sender or 'this sender'} to compare "
                    "this file with: record that delivery first, or leave --against out"
                )
            continue
        if asked.against is not None:
            _same_file(asked.against, source)
        if source.keys is None or asked.keys is None or source.keys == asked.keys:
            continue
        earlier = f"the {source.dataset} of event {source.seq}"
        said = (
            f"the key columns hold other families than {earlier} "
            f"(sent on {rule.params.source_hop} at {source.time})"
        )
        if asked.against is None:
            out.append(
                Finding(
                    rule.id,
                    rule.article,
                    f"{said}: pass that file with --against to see how many families were "
                    "lost or added, and in which rows",
                )
            )
            continue
        dataset = contract.dataset(str(source.dataset))
        here = contract.dataset(_hop_dataset(contract, asked.hop))
        if dataset is None or here is None:
            continue
        diff = compare_keys(
            key_rows(
                dataset,
                asked.against,
                password=asked.against_password,
                sheet=asked.against_sheet,
            ),
            key_rows(here, asked.file, password=asked.password, sheet=asked.sheet),
        )
        words = diff.words("the earlier file") if not diff.same else "no family lost or added"
        out.append(Finding(rule.id, rule.article, f"{said}: {words}", diff.lost + diff.added))
    return out


def _hop_dataset(contract: Contract, hop: str) -> str:
    declared = contract.hop(hop)
    return declared.dataset if declared is not None else ""


def _source(asked: KeysAsked, source_hop: str) -> Event | None:
    """The last delivery on `source_hop` to the sender of this file (as same_keys_as reads it)."""
    found = None
    for e in store.read(asked.ledger).events:
        if e.kind == "sent" and e.hop == source_hop and e.receiver == asked.sender:
            found = e
    return found


def _same_file(against: Path, source: Event) -> None:
    """UsageError (exit 2) unless `against` is the file `source` recorded, by its SHA-256."""
    try:
        sha256 = sha256_file(against)
    except OSError as exc:
        raise UsageError(f"--against: cannot be read: {exc.strerror or exc}") from None
    if sha256 != source.sha256:
        raise UsageError(
            f"--against: the file is not the {source.dataset} delivered on {source.hop} in "
            f"event {source.seq} (at {source.time}): its SHA-256 differs from the one the "
            "ledger recorded"
        )
