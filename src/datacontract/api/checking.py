"""Checking files and contracts: validate (several files, one report), describe, coverage,
lint, changelog, the contract format's JSON Schema, ODCS export and import.

Each takes one options object and returns text to print with its verdict; the worst verdict
decides the exit code (0 holds, 1 breaks the contract, 2 unusable input: errors.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from datacontract.api.inputs import loaded, password_from
from datacontract.contract.names import file_label, withholding_path
from datacontract.errors import EXIT_OK, EXIT_VIOLATION, DataContractError
from datacontract.report.validation import FORMATS

if TYPE_CHECKING:
    from datacontract.check.results import ValidationResult
    from datacontract.check.validate import Progress
    from datacontract.contract.load import LoadedContract

# A progress display, given its label ("validating NAME"): yields the callback the work calls
# with (rows done, rows in all or None), or None for no display.
ProgressFor = Callable[[str], AbstractContextManager["Progress | None"]]
VALIDATION_FORMATS = FORMATS  # the formats validation_report writes
CI_FORMATS = ("github", "azure", "sarif")  # formats that report an unreadable file in the report


@dataclass(frozen=True)
class ValidateOptions:
    """`validate`: the files, the contract and the dataset they must hold to; the workbook's
    password file (or $DATACONTRACT_XLSX_PASSWORD) and sheet; the date of the transfer for
    age rules (default today); transfer also checks how the file travels (format,
    encryption); keep_going reports a file that cannot be read and checks the others (else
    its error is raised when it is the only file); progress shows each file's progress."""

    files: tuple[str | Path, ...]
    contract: str | Path | LoadedContract
    dataset: str
    password_file: str | Path | None = None
    sheet: str | None = None
    reference_date: date | None = None
    transfer: bool = False
    keep_going: bool = False
    progress: ProgressFor | None = None


@dataclass(frozen=True)
class Validation:
    """Each file's result; the files that could not be checked, (file, why); the exit code
    of the worst (2 unusable, 1 refused, 0 all hold)."""

    results: tuple[ValidationResult, ...]
    unusable: tuple[tuple[str, str], ...]
    exit_code: int


def validate(options: ValidateOptions) -> Validation:
    """Check each file against one dataset of a contract (see ValidateOptions); UsageError
    (exit 2) for an unknown dataset, before any file is read."""
    import datacontract.check.validate as checking
    from datacontract.contract.references import find_dataset

    c = loaded(options.contract)
    find_dataset(c.contract, options.dataset)  # a wrong dataset is one message, not one a file
    how = checking.Options(
        password=password_from(options.password_file),
        reference_date=options.reference_date,
        transfer=options.transfer,
        sheet=options.sheet,
    )
    keep_going = options.keep_going or len(options.files) > 1
    results: list[ValidationResult] = []
    unusable: list[tuple[str, str]] = []
    worst = EXIT_OK
    for position, file in enumerate(options.files, 1):
        label = file_label(str(file), position)
        try:
            with _progress(options.progress, f"validating {label}") as progress:
                how_now = dataclasses.replace(how, progress=progress, position=position)
                result = checking.validate_file(c, options.dataset, file, how_now)
        except DataContractError as exc:
            named = withholding_path(exc, str(file), label)
            if not keep_going:
                raise named from None
            unusable.append((label, str(named)))
            worst = max(worst, exc.exit_code)
            continue
        results.append(result)
        worst = max(worst, EXIT_OK if result.valid else EXIT_VIOLATION)
    return Validation(tuple(results), tuple(unusable), worst)


def _progress(show: ProgressFor | None, label: str) -> AbstractContextManager[Progress | None]:
    from contextlib import nullcontext

    return show(label) if show is not None else nullcontext(None)


@dataclass(frozen=True)
class ReportOptions:
    """How a validation is reported: the format (VALIDATION_FORMATS), colour and a table (a
    terminal), whether several files were asked for (JSON: a list), the tool's version
    (SARIF)."""

    format: str = "text"
    color: bool = False
    many: bool = False
    tool_version: str = ""


def validation_report(validation: Validation, options: ReportOptions) -> str:
    """The report of a validation in the format asked; never a cell value."""
    from datacontract.report.validation import render

    return render(
        validation.results,
        options.format,
        color=options.color,
        many=options.many,
        tool_version=options.tool_version,
        unusable=validation.unusable,
    )


def unusable_annotation(file: str, why: str, fmt: str) -> str | None:
    """The CI annotation (github, azure) of a file that could not be checked; None otherwise."""
    from datacontract.report.annotations import azure_command, github_command

    title = "unusable input"
    if fmt == "azure":
        return azure_command("error", why, sourcepath=file, code=title)
    if fmt == "github":
        return github_command("error", why, file=file, title=title)
    return None


def step_summary(validation: Validation) -> str:
    """GitHub's job summary of a validation (Markdown, for $GITHUB_STEP_SUMMARY)."""
    from datacontract.report.annotations import step_summary as summary

    return summary(validation.results, validation.unusable)


@dataclass(frozen=True)
class Report:
    """A report's text, and whether what it reports holds (exit 0) or not (exit 1)."""

    text: str
    holds: bool


@dataclass(frozen=True)
class ContractOptions:
    """A command on one contract: `describe` (text, json), `coverage` (text, json, markdown),
    `export` (odcs; one dataset or all); `terminal`: text as a table for a terminal (plain
    lines otherwise, as in a CI log)."""

    contract: str | Path | LoadedContract
    format: str = "text"
    dataset: str | None = None
    terminal: bool = False


def describe(options: ContractOptions) -> str:
    """What a contract declares: parties, datasets, hops, milestones, invariants."""
    from datacontract.report import describe as names

    c = loaded(options.contract).contract
    return names.to_json(c) if options.format == "json" else names.to_text(c)


def coverage(options: ContractOptions) -> Report:
    """Each article-3 item of the contract's protocol and what encodes it; holds when every
    item is encoded or defined by reference and everything cites an article. A column or
    rule without an article citation is a ViolationError (exit 1), not unusable input."""
    from datacontract.contract.coverage import coverage as cover
    from datacontract.errors import ContractError, ViolationError
    from datacontract.report.coverage import render

    try:
        c = loaded(options.contract)
    except ContractError as exc:
        if "has no article citation" in str(exc):
            raise ViolationError(str(exc)) from None  # docs/cli.md: coverage fails (1)
        raise
    cov = cover(c.contract)
    return Report(render(cov, options.format, terminal=options.terminal), cov.holds)


@dataclass(frozen=True)
class LintOptions:
    """`lint`: the contract's path, and the report's format (text, json)."""

    contract: str | Path
    format: str = "text"


def lint(options: LintOptions) -> Report:
    """The contract against the format's JSON Schema, the loader's rules and coverage,
    without data; ContractError (exit 2) only when it is not readable YAML."""
    from datacontract.contract.lint import lint_contract
    from datacontract.report.lint import render

    result = lint_contract(str(options.contract))
    return Report(render(result, options.format), result.ok)


@dataclass(frozen=True)
class ChangelogOptions:
    """`changelog`: the old and the new contract, the report's format (text, json)."""

    old: str | Path | LoadedContract
    new: str | Path | LoadedContract
    format: str = "text"


def changelog(options: ChangelogOptions) -> Report:
    """What changed from OLD to NEW; holds unless a change breaks a party's files without a
    major version bump."""
    from datacontract.contract.changelog import changelog as diff
    from datacontract.report.changelog import render

    log = diff(loaded(options.old).contract, loaded(options.new).contract)
    return Report(render(log, options.format), log.holds)


def contract_schema() -> str:
    """The JSON Schema of the contract format (schemas/contract.schema.json)."""
    from datacontract.contract.schema import schema_text

    return schema_text()


def export_odcs(options: ContractOptions) -> str:
    """The contract (or one dataset) as an ODCS 3.2 document, YAML."""
    from datacontract.standards.odcs_export import export_odcs as export
    from datacontract.standards.odcs_export import odcs_yaml

    return odcs_yaml(export(loaded(options.contract).contract, options.dataset))


@dataclass(frozen=True)
class Imported:
    """The contract an ODCS document holds, as YAML, and what of it could not be kept."""

    text: str
    left_out: tuple[str, ...]


def import_odcs(file: str | Path) -> Imported:
    """Read an ODCS 3.2 document; ContractError (exit 2) naming the file, line and key."""
    from datacontract.contract.dump import contract_yaml
    from datacontract.standards.odcs_import import import_odcs as read_odcs

    imported = read_odcs(str(file))
    header = f"Imported from the ODCS document {file} by `datacontract import --format odcs`."
    return Imported(contract_yaml(imported.contract, header), imported.left_out)
