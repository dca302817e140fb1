"""The result types of a validation: what a report may show, and nothing more.

A finding carries the rule, the column, the article, a count and a few row numbers. It never
carries a cell value: the only values a message may name are labels the contract itself
declares as safe to show (decided in redact.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_SAMPLE_ROWS = 5


@dataclass(frozen=True)
class Finding:
    """One rule broken by a file: how often, where, and which article it comes from."""

    rule: str
    column: str | None
    count: int
    article: str | None
    message: str
    rows: tuple[int, ...] = ()  # 1-based data-row numbers (the header is not a row)

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
        return out
