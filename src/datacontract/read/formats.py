"""The registry of file formats: one entry per format, everything else derives from it.

Each `Format` (read/format_types.py) holds the format's name (what contracts write in
`file.format`), its extensions, its opener (which streams Arrow record batches and, through
`Opened.carried`, hands over the inventory of every other part the file carries, and through
`Opened.other_parts` the cells of its other sheets), the kinds of part it carries beside the
table (`parts`, read/parts.py: the allow-list), its limits, whether it can be encrypted,
whether `--sheet` applies, and its sample writer. Derived from it: `open_table`'s dispatch
(read/table.py), the extension map `EXTENSIONS`, the contract's `FileFormat` (contract/base.py
keeps a literal; a test fails when it differs from `names()`), the JSON schema's enum, the pre-
commit hook pattern (`hook_pattern()`, a test compares .pre-commit-hooks.yaml), the fuzz seeds
(tests/fuzz iterate `FORMATS`), the docs' table of readers (`markdown_table()`, a test compares
docs/cli.md) and the formats `datacontract sample` writes (demo/sample.py).

Sample writers live in read/ next to their readers and are named here: read/ may not import
demo/, and a format is then added in its reader module, this registry and its test. Formats
without a writer (MAGDA XML: its document is built from the dataset's service by
demo/magda_documents.py) are written by demo/ itself.
"""

from __future__ import annotations

from datacontract.read.csv_file import open_delimited, write_csv
from datacontract.read.format_types import Format, Opened, OpenOptions
from datacontract.read.json_lines import open_json, open_jsonl, write_json, write_jsonl
from datacontract.read.magda_parts import magda_parts
from datacontract.read.magda_xml import open_magda_xml
from datacontract.read.ods import open_ods, write_ods
from datacontract.read.parquet_file import open_parquet, write_parquet
from datacontract.read.parts import PART_KINDS
from datacontract.read.workbook import is_encrypted, open_xlsx, write_xlsx


def _csv(path: str, size: int, options: OpenOptions) -> Opened:
    return Opened(*open_delimited(path, size, options.block_bytes))


def _parquet(path: str, size: int, options: OpenOptions) -> Opened:
    columns, rows, read, carried = open_parquet(path, options.batch_rows)
    return Opened(columns, rows, read, carried=carried)


def _json(path: str, size: int, options: OpenOptions) -> Opened:
    columns, rows, read, column_rows = open_json(path)
    return Opened(columns, rows, read, column_rows=column_rows)


def _jsonl(path: str, size: int, options: OpenOptions) -> Opened:
    columns, rows, read, column_rows = open_jsonl(path, options.block_bytes)
    return Opened(columns, rows, read, column_rows=column_rows)


def _xlsx(path: str, size: int, options: OpenOptions) -> Opened:
    columns, rows, read, others, carried = open_xlsx(
        path, options.batch_rows, options.password, options.sheet
    )
    encrypted = is_encrypted(path, "xlsx")
    return Opened(columns, rows, read, others, encrypted=encrypted, carried=carried)


def _ods(path: str, size: int, options: OpenOptions) -> Opened:
    columns, rows, read, others, carried = open_ods(path, options.batch_rows, options.sheet)
    return Opened(columns, rows, read, others, carried=carried)


def _xml(path: str, size: int, options: OpenOptions) -> Opened:
    columns, rows, read, soap = open_magda_xml(path)
    return Opened(columns, rows, read, carried=lambda: magda_parts(path, soap))


_PACKAGE = ("package", "properties", "workbook", "styles", "grid", "thumbnail")
_XLSX_PARTS = (
    *_PACKAGE,
    "formulas",
    "shared_strings",
    "comments",
    "drawing",
    "custom_xml",
    "printer_settings",
    "sheet",
    "pivot_cache",
    "embedding",
    "image",
    "macros",
    "external_link",
    "history",
)
_ODS_PARTS = (*_PACKAGE, "drawing", "sheet", "embedding", "image", "macros")
_ZIP_LIMITS = "zip members' declared sizes: 256 MiB in all, 200 times inflation; 1 MiB a cell"

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "csv",
            "CSV (RFC 4180; `,`, `;`, tab or pipe, Excel's `sep=` line, UTF-8 with or without BOM)",
            (".csv", ".txt"),
            _csv,
            parts=(),
            limits="2,000 columns; a row within a 1 MiB block",
            header_row=True,
            write_sample=write_csv,
            prose_extensions=(".txt",),
        ),
        Format(
            "parquet",
            "Apache Parquet",
            (".parquet", ".pq"),
            _parquet,
            parts=("metadata", "statistics", "dictionary"),
            limits="2,000 columns; column chunks' declared inflation 200 times",
            write_sample=write_parquet,
        ),
        Format(
            "json",
            "JSON (RFC 8259): an array of objects, or a nested document",
            (".json",),
            _json,
            parts=(),
            limits="nesting 64 deep; 2,000 columns",
            write_sample=write_json,
        ),
        Format(
            "jsonl",
            "JSON Lines: one object per line",
            (".jsonl", ".ndjson"),
            _jsonl,
            parts=(),
            limits="nesting 64 deep; 2,000 columns",
            write_sample=write_jsonl,
        ),
        Format(
            "xlsx",
            "XLSX workbook (ECMA-376), also password-protected",
            (".xlsx",),
            _xlsx,
            parts=_XLSX_PARTS,
            limits=_ZIP_LIMITS,
            header_row=True,
            sheets=True,
            encryptable=True,
            write_sample=write_xlsx,
        ),
        Format(
            "ods",
            "ODS spreadsheet (OpenDocument, ISO/IEC 26300); an encrypted one is refused",
            (".ods",),
            _ods,
            parts=_ODS_PARTS,
            limits=_ZIP_LIMITS + "; 1,048,576 rows a sheet, repeats counted",
            header_row=True,
            sheets=True,
            write_sample=write_ods,
        ),
        Format(
            "xml",
            "MAGDA XML (a service's reply or request, SOAP or bare)",
            (".xml",),
            _xml,
            parts=("markup", "namespaces", "header", "envelope", "trailing"),
            limits="no DTD or entities; elements 64 deep",
        ),
    )
}
"""Format name -> its entry, in the order docs and messages list them."""

EXTENSIONS: dict[str, str] = {e: f.name for f in FORMATS.values() for e in f.extensions}
"""File extension (lower case, with the dot) -> format name."""


def names() -> tuple[str, ...]:
    """The format names, as contracts write them."""
    return tuple(FORMATS)


def hook_extensions() -> tuple[str, ...]:
    """The extensions only data files carry: every format's, less its `prose_extensions`."""
    return tuple(e for f in FORMATS.values() for e in f.extensions if e not in f.prose_extensions)


def hook_pattern() -> str:
    """The `files:` pattern of the pre-commit hooks: every extension only data files carry,
    any case (a README.txt in the export folder is not a CSV; a repository that exports CSV
    as .txt widens `files:` in its own .pre-commit-config.yaml)."""
    return "(?i)\\.(" + "|".join(e.lstrip(".") for e in hook_extensions()) + ")$"


def markdown_table() -> str:
    """The docs' table of formats (docs/cli.md holds it between `formats` markers)."""
    lines = [
        "| format | extensions | also read, searched like cells | refused unless declared "
        "(`file.parts`) | limits |",
        "|---|---|---|---|---|",
    ]
    for f in FORMATS.values():
        extensions = " ".join(f"`{e}`" for e in f.extensions)
        kinds = [PART_KINDS[k] for k in f.parts]
        searched = (
            "; ".join(k.title for k in kinds if not k.beyond)
            or "nothing: every byte is the table's"
        )
        beyond = "; ".join(f"{k.title} (`{k.name}`)" for k in kinds if k.beyond) or "-"
        lines.append(
            f"| `{f.name}`: {f.title} | {extensions} | {searched} | {beyond} | {f.limits} |"
        )
    return "\n".join(lines) + "\n"


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Format",
    "OpenOptions",
    "Opened",
    "hook_extensions",
    "hook_pattern",
    "markdown_table",
    "names",
]
