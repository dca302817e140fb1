"""The result types of a validation: what a report may show, and nothing more.

A finding carries the rule, the column, the article, a count and a few row numbers. It never
carries a cell value: the only values a message may name are labels the contract itself
declares as safe to show (decided in redact.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_SAMPLE_ROWS = 5

ROW_BASE = "row 1 is the first data row after the header"
"""How every report counts rows: data rows from 1, the header (and an Excel `sep=` line) not
counted; a file's line number is not a row number (a quoted cell may span lines)."""

HEADER_ONLY = "0 rows; header only: no data row was checked, only the column names"
"""The notice of a file that holds column names and no data row. It passes (exit 0) on its
columns: an empty delivery breaks a contract only where the dataset says so (`file.min_rows`,
checked on every transfer and by `validate --transfer`)."""


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`1 row`, `2,000 rows`: a count with its noun, read once (no `row(s)`)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def agreeing(n: int, noun: str, verb: str) -> str:
    """`1 row breaks`, `2 rows break`: a count, its noun and a regular verb that agrees."""
    return f"{counted(n, noun)} {verb + 's' if n == 1 else verb}"


@dataclass(frozen=True)
class Finding:
    """One rule broken by a file: how often, where, and which article it comes from."""

    rule: str
    column: str | None
    count: int
    article: str | None
    message: str
    rows: tuple[int, ...] = ()  # a few data rows, ROW_BASE (the header is not a row)

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "column": self.column,
            "count": self.count,
            "article": self.article,
            "message": self.message,
            "rows": list(self.rows),
        }


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of checking one file against one dataset of a contract."""

    contract: str
    contract_version: str
    contract_sha256: str
    dataset: str
    file: str
    sha256: str
    rows: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    # Every rule that was checked, with its article: (rule id, article). JUnit lists them all.
    rules: tuple[tuple[str, str | None], ...] = ()
    # Order-independent SHA-256 over the dataset's key columns (None when it declares none):
    # the same rows give the same digest, whatever their order or the other columns.
    keys_digest: str | None = None
    # For a dataset whose columns a protocol defines by reference: the file's columns that
    # were accepted unchecked (names only, withheld if they look like personal data).
    columns_by_reference: tuple[str, ...] | None = None
    # What each checked rule demands, in the contract's words: (rule id, text). SARIF's rules.
    demands: tuple[tuple[str, str], ...] = ()

    @property
    def valid(self) -> bool:
        return not self.findings

    def to_json(self) -> dict[str, object]:
        """The published report of docs/cli.md (more keys may be added)."""
        out: dict[str, object] = {
            "contract": self.contract,
            "contract_version": self.contract_version,
            "contract_sha256": self.contract_sha256,
            "dataset": self.dataset,
            "file": self.file,
            "sha256": self.sha256,
            "rows": self.rows,
            "valid": self.valid,
            "violations": [f.to_json() for f in self.findings],
        }
        if self.columns_by_reference is not None:
            out["columns_by_reference"] = list(self.columns_by_reference)
        out["row_numbers"] = ROW_BASE
        if self.header_only:
            out["notices"] = [HEADER_ONLY]
        return out

    @property
    def header_only(self) -> bool:
        """The file holds column names and no data row: it passes on its columns alone."""
        return self.rows == 0
