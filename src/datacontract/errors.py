"""The whole exception tree of datacontract, in one place.

    DataContractError             base of everything this package raises on purpose
    ├── UsageError                unusable input: exit code 2
    │   ├── ContractError         a contract that does not parse or does not make sense
    │   │                         (carries file:line:column and, for typos, a suggestion)
    │   ├── InputFileError        a data file that is missing, empty, ragged, badly encoded
    │   │                         or in a format we cannot read (carries file and line)
    │   └── LedgerError           a ledger that cannot be read or written at all
    │       └── LedgerRefused     the ledger is not intact, or an event is out of time order:
    │                             nothing is recorded, exit code 1 (no proof can be made)
    ├── ViolationError            the data or the flow breaks the contract: exit code 1
    └── CheckCrashed              a check raised instead of answering: a bug, never a pass

Messages never contain a cell value from a checked file: where a value is the cause, the
message names the file, the line and the column instead.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_VIOLATION = 1
EXIT_USAGE = 2


class DataContractError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = EXIT_USAGE


class UsageError(DataContractError):
    """Unusable input: a missing file, a bad argument, a contract that does not parse."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class Location:
    """A place in a text file, 1-based, as editors show it."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class ContractError(UsageError):
    """A contract file that cannot be used, with the place it goes wrong."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.location = location
        self.detail = message
        super().__init__(f"{location}: {message}" if location else message)


class InputFileError(UsageError):
    """A data file that cannot be read as a table: missing, empty, ragged, wrong encoding."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.detail = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class LedgerError(UsageError):
    """A ledger that cannot be opened, locked or written."""


class LedgerRefused(LedgerError):
    """A tampered or truncated ledger, or an event earlier than the last: nothing recorded."""

    exit_code = EXIT_VIOLATION


class ViolationError(DataContractError):
    """The data or the flow breaks the contract."""

    exit_code = EXIT_VIOLATION


class CheckCrashed(DataContractError):
    """A check raised instead of answering. A bug of ours; it must never look like a pass."""

    exit_code = EXIT_USAGE
