"""read.py: every format streamed in batches; every bad file a message that names no value."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from datacontract.errors import InputFileError
from datacontract.read.table import Batch, TableSource, open_table, sha256_file

MARKER = "SECRET-VALUE-123"

COLUMNS = ("gezin", "kinderen", "bedrag", "klasse")
ROWS: list[tuple[Any, ...]] = [
    ("G-0001", 2, 12.5, "laag"),
    ("G-0002", 0, 3.25, "midden"),
    ("G-0003", 5, 100.75, None),
    ("G-0004", 1, 0.5, "hoog"),
    ("G-0005", 3, 7.125, "laag"),
]


# -- writers ---------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def write_csv(path: Path, rows: Sequence[Sequence[Any]] = ROWS, *, sep: str = ",") -> Path:
    lines = [sep.join(COLUMNS)] + [sep.join(_cell(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_parquet(path: Path, rows: Sequence[Sequence[Any]] = ROWS) -> Path:
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(COLUMNS)})
    pq.write_table(table, path)
    return path


def write_jsonl(path: Path, rows: Sequence[Sequence[Any]] = ROWS) -> Path:
    lines = [json.dumps(dict(zip(COLUMNS, row, strict=True))) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_json(path: Path, rows: Sequence[Sequence[Any]] = ROWS) -> Path:
    path.write_text(json.dumps([dict(zip(COLUMNS, row, strict=True)) for row in rows]))
    return path


def workbook_bytes(rows: Sequence[Sequence[Any]], header: Sequence[Any] = COLUMNS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]] = ROWS) -> Path:
    path.write_bytes(workbook_bytes(rows))
    return path


WRITERS: dict[str, Callable[[Path], Path]] = {
    "csv": write_csv,
    "parquet": write_parquet,
    "jsonl": write_jsonl,
    "json": write_json,
    "xlsx": write_xlsx,
}


def read_all(source: TableSource) -> tuple[list[Batch], dict[str, list[Any]]]:
    batches = list(source.batches())
    table = pa.Table.from_batches([b.data for b in batches]) if batches else None
    return batches, (table.to_pydict() if table is not None else {})


def as_text(values: list[Any]) -> list[str | None]:
    return [None if v is None else str(v) for v in values]


def assert_numbered(batches: list[Batch], batch_rows: int) -> None:
    """Batches hold batch_rows rows (the last one 1 to batch_rows), numbered from 1 on."""
    expected = 1
    for batch in batches:
        assert batch.first_row == expected
        expected += batch.data.num_rows
    assert all(b.data.num_rows == batch_rows for b in batches[:-1])
    assert 1 <= batches[-1].data.num_rows <= batch_rows


def assert_names_no_value(exc: InputFileError, path: Path, line: int | None) -> None:
    shown = "".join(traceback.format_exception(exc))
    assert MARKER not in shown
    assert str(path) in str(exc)
    if line is not None:
        assert exc.line == line
        assert f"{path}:{line}:" in str(exc)


def open_bad(path: Path, **kwargs: Any) -> InputFileError:
    """open_table, then read every batch: the error may come at either moment."""
    with pytest.raises(InputFileError) as info:
        source = open_table(path, **kwargs)
        list(source.batches())
    return info.value


# -- every format ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_every_format_reads_the_same_table(tmp_path: Path, fmt: str) -> None:
    path = WRITERS[fmt](tmp_path / f"table.{fmt}")
    source = open_table(path)
    assert source.format == fmt
    assert source.path == str(path)
    assert source.columns == COLUMNS
    assert source.size_bytes == path.stat().st_size
    batches, data = read_all(source)
    assert [b.first_row for b in batches] == [1]
    for i, name in enumerate(COLUMNS):
        assert as_text(data[name]) == as_text([row[i] for row in ROWS]), name


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_text_formats_read_every_column_as_strings(tmp_path: Path, fmt: str) -> None:
    source = open_table(WRITERS[fmt](tmp_path / f"table.{fmt}"))
    batch = next(source.batches())
    assert all(field.type == pa.string() for field in batch.data.schema)


def test_typed_formats_keep_their_types(tmp_path: Path) -> None:
    for fmt in ("parquet", "jsonl", "json"):
        source = open_table(WRITERS[fmt](tmp_path / f"table.{fmt}"))
        schema = next(source.batches()).data.schema
        assert schema.field("kinderen").type == pa.int64(), fmt
        assert schema.field("bedrag").type == pa.float64(), fmt
        assert schema.field("gezin").type == pa.string(), fmt


def test_rows_hint(tmp_path: Path) -> None:
    assert open_table(write_parquet(tmp_path / "t.parquet")).rows_hint == len(ROWS)
    assert open_table(write_jsonl(tmp_path / "t.jsonl")).rows_hint == len(ROWS)
    assert open_table(write_csv(tmp_path / "t.csv")).rows_hint is None


def test_unknown_extension_names_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "table.xls"
    path.write_bytes(b"anything")
    exc = open_bad(path)
    assert ".csv" in exc.detail and ".parquet" in exc.detail and ".xlsx" in exc.detail


def test_sha256_file(tmp_path: Path) -> None:
    path = tmp_path / "blob.csv"
    content = os.urandom(3 * (1 << 20) + 17)
    path.write_bytes(content)
    assert sha256_file(path) == hashlib.sha256(content).hexdigest()


# -- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", ";"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_delimiter_is_sniffed_and_bom_stripped(tmp_path: Path, sep: str, bom: bool) -> None:
    path = write_csv(tmp_path / "t.csv", sep=sep)
    if bom:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    source = open_table(path)
    assert source.columns == COLUMNS
    _, data = read_all(source)
    assert data["gezin"] == [row[0] for row in ROWS]
    assert data["bedrag"] == [str(row[2]) for row in ROWS]


def test_csv_semicolon_file_with_decimal_commas_in_quotes(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('a;b;"c,d"\n"1,5";x;y\n', encoding="utf-8")
    source = open_table(path)
    assert source.columns == ("a", "b", "c,d")
    assert read_all(source)[1] == {"a": ["1,5"], "b": ["x"], "c,d": ["y"]}


def test_csv_tie_means_comma(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a;b,c\n1;2,3\n", encoding="utf-8")
    assert open_table(path).columns == ("a;b", "c")


def test_csv_values_stay_text_and_empty_is_null(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('code,n,x\n007,NA,\n1e3,"",null\n', encoding="utf-8")
    _, data = read_all(open_table(path))
    assert data == {"code": ["007", "1e3"], "n": ["NA", None], "x": [None, "null"]}


def test_csv_quoted_delimiters_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('a,b\n"x, y","line 1\nline 2"\n"he said ""hi""",z\n', encoding="utf-8")
    _, data = read_all(open_table(path))
    assert data == {"a": ["x, y", 'he said "hi"'], "b": ["line 1\nline 2", "z"]}


def test_csv_column_names_are_stripped_and_kept_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("\ufeff z , a ,m\r\n1,2,3\r\n", encoding="utf-8")
    source = open_table(path)
    assert source.columns == ("z", "a", "m")
    assert read_all(source)[1] == {"z": ["1"], "a": ["2"], "m": ["3"]}


@pytest.mark.parametrize("content", [b"a;b", b"a;b\n", b"a;b\r\n\r\n", b"\xef\xbb\xbfa;b\n"])
def test_csv_header_only_is_an_empty_table(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    source = open_table(path)
    assert source.columns == ("a", "b")
    assert list(source.batches()) == []


def test_csv_streams_in_batches_with_row_numbers(tmp_path: Path) -> None:
    rows = [(f"G-{i:04d}", i, i / 4, "laag") for i in range(1, 41)]
    path = write_csv(tmp_path / "t.csv", rows, sep=";")
    source = open_table(path, batch_rows=3, block_bytes=64)
    batches, data = read_all(source)
    assert len(batches) > len(rows) // 3
    assert_numbered(batches, 3)
    for batch in batches:
        assert batch.data.column(0)[0].as_py() == f"G-{batch.first_row:04d}"
    assert data["kinderen"] == [str(i) for i in range(1, 41)]


def test_txt_is_read_as_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.txt")
    assert open_table(path).format == "csv"


# -- bad files, any format -------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    exc = open_bad(tmp_path / "nothing.csv")
    assert "not found" in exc.detail


def test_directory(tmp_path: Path) -> None:
    path = tmp_path / "folder.csv"
    path.mkdir()
    assert "directory" in open_bad(path).detail


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_empty_file(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"t.{fmt}"
    path.write_bytes(b"")
    assert "empty" in open_bad(path).detail


# -- bad CSV ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("a,b,a", "columns 1 and 3 have the same name"),
        ("a, b ,b", "columns 2 and 3"),
        ("a,,c", "column 2 has an empty name"),
        ("a,b,", "column 3 has an empty name"),
    ],
)
def test_csv_bad_header(tmp_path: Path, header: str, message: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"{header}\n1,2,3\n", encoding="utf-8")
    exc = open_bad(path)
    assert message in exc.detail
    assert_names_no_value(exc, path, 1)


@pytest.mark.parametrize(
    ("line", "fields"),
    [(f"4,{MARKER}", 2), (f"4,{MARKER},x,y", 4), (f'4,"{MARKER}\nstill the same row"', 2)],
)
def test_csv_ragged_row_names_line_not_value(tmp_path: Path, line: str, fields: int) -> None:
    path = tmp_path / "t.csv"
    # Line 3 holds a quoted line break, so the bad row (record 4) starts on line 5.
    path.write_text(f'a,b,c\n1,2,3\n2,"two\nlines",3\n{line}\n5,6,7\n', encoding="utf-8")
    exc = open_bad(path)
    assert exc.detail == f"line 5 has {fields} fields, header has 3"
    assert_names_no_value(exc, path, 5)


def test_csv_ragged_row_after_blank_lines_and_many_blocks(tmp_path: Path) -> None:
    lines = ["a;b;c", ""] + [f"{i};x;y" for i in range(1, 200)]
    lines[150] = f"{MARKER};only two"
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = open_table(path, batch_rows=7, block_bytes=128)
    with pytest.raises(InputFileError) as info:
        list(source.batches())
    assert info.value.detail == "line 151 has 2 fields, header has 3"
    assert_names_no_value(info.value, path, 151)


def test_csv_invalid_utf8_names_line_and_offset(tmp_path: Path) -> None:
    head = "a,b\n1,2\n2,3\n"
    path = tmp_path / "t.csv"
    path.write_bytes(head.encode() + f"3,{MARKER}".encode() + b"\xe9t\xe9\n4,5\n")
    exc = open_bad(path)
    offset = len(head) + len(f"3,{MARKER}")
    assert exc.detail == (
        f"not valid UTF-8 at line 4 (byte offset {offset}); re-save the file as UTF-8"
    )
    assert_names_no_value(exc, path, 4)


def test_csv_invalid_utf8_in_a_later_block(tmp_path: Path) -> None:
    body = "".join(f"{i},{MARKER}\n" for i in range(1, 300))
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n" + body.encode() + b"300,caf\xe9\n")
    source = open_table(path, block_bytes=256)
    with pytest.raises(InputFileError) as info:
        list(source.batches())
    assert "not valid UTF-8 at line 301" in info.value.detail
    assert_names_no_value(info.value, path, 301)


def test_csv_invalid_utf8_in_header(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\xff\n1,2\n")
    exc = open_bad(path)
    assert "not valid UTF-8 at line 1 (byte offset 3)" in exc.detail


@pytest.mark.parametrize(("bom", "codec"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_csv_utf16_is_named(tmp_path: Path, bom: bytes, codec: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(bom + f"a,b\n1,{MARKER}\n".encode(codec))
    exc = open_bad(path)
    assert "UTF-16" in exc.detail
    assert_names_no_value(exc, path, 1)


def test_csv_blank_first_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("\na,b\n1,2\n", encoding="utf-8")
    assert "line 1 is empty" in open_bad(path).detail


def test_csv_row_longer_than_a_block_hides_the_value(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f'a,b\n1,2\n3,"{MARKER * 20}\nmore"\n5,6\n', encoding="utf-8")
    exc = open_bad(path, block_bytes=64)
    assert exc.detail.startswith("cannot be parsed as CSV after data row 1")
    assert_names_no_value(exc, path, None)


# -- Parquet ---------------------------------------------------------------------------------


def test_parquet_streams_in_batches(tmp_path: Path) -> None:
    rows = [(f"G-{i:04d}", i, i / 2, "laag") for i in range(1, 12)]
    source = open_table(write_parquet(tmp_path / "t.parquet", rows), batch_rows=2)
    batches, data = read_all(source)
    assert [b.first_row for b in batches] == [1, 3, 5, 7, 9, 11]
    assert data["kinderen"] == list(range(1, 12))
    assert source.rows_hint == 11


def test_parquet_without_rows(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "t.parquet", rows=[])
    source = open_table(path)
    assert source.columns == COLUMNS
    assert source.rows_hint == 0
    assert list(source.batches()) == []


def test_parquet_column_names_are_stripped(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({" a ": [1], "b": ["x"]}), path)
    source = open_table(path)
    assert source.columns == ("a", "b")
    assert read_all(source)[1] == {"a": [1], "b": ["x"]}


def test_parquet_not_parquet(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    path.write_text(f"a,b\n1,{MARKER}\n", encoding="utf-8")
    exc = open_bad(path)
    assert "not a Parquet file" in exc.detail
    assert_names_no_value(exc, path, None)


def test_parquet_damaged_data_pages(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    table = pa.table({"n": list(range(50_000)), "s": [f"{MARKER}-{i}" for i in range(50_000)]})
    pq.write_table(table, path, row_group_size=10_000, compression="none")
    content = bytearray(path.read_bytes())
    middle = len(content) // 2
    content[middle : middle + 5000] = b"\x00" * 5000
    path.write_bytes(bytes(content))
    exc = open_bad(path, batch_rows=1000)
    assert "damaged Parquet file" in exc.detail
    assert_names_no_value(exc, path, None)


# -- JSON Lines and JSON ---------------------------------------------------------------------


def test_jsonl_streams_in_batches_and_skips_blank_lines(tmp_path: Path) -> None:
    lines = [json.dumps({"n": i, "s": f"v{i}"}) if i % 4 else "" for i in range(1, 30)]
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = open_table(path, batch_rows=2, block_bytes=64)
    batches, data = read_all(source)
    expected = [i for i in range(1, 30) if i % 4]
    assert data["n"] == expected
    assert source.rows_hint == len(expected)
    assert len(batches) > 2
    assert_numbered(batches, 2)


def test_jsonl_mixed_types_become_strings_nested_stays_nested(tmp_path: Path) -> None:
    rows = [
        {"code": 1000, "n": 1, "x": 1.5, "adres": {"gemeente": "Gent"}, "kids": [1, 2]},
        {"code": "1000A", "n": 2, "x": 2, "datum": "2024-01-31"},
        {"code": True, "n": None, "adres": {"postcode": 9000}},
        {"code": {"k": 1}, "x": None},
    ]
    path = tmp_path / "t.jsonl"
    # one row per block: the types first disagree between blocks, and inside one
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    for block in (16, 1 << 20):
        source = open_table(path, block_bytes=block)
        assert source.columns == ("code", "n", "x", "adres", "kids", "datum")
        batches, data = read_all(source)
        schema = batches[0].data.schema
        assert schema.field("code").type == pa.string()
        assert data["code"] == ["1000", "1000A", "true", '{"k":1}']
        assert schema.field("n").type == pa.int64()
        assert data["n"] == [1, 2, None, None]
        assert data["x"] == [1.5, 2.0, None, None]
        assert pa.types.is_struct(schema.field("adres").type)
        assert data["adres"][0] == {"gemeente": "Gent", "postcode": None}
        assert data["kids"] == [[1, 2], None, None, None]
        assert data["datum"] == [None, "2024-01-31", None, None]  # not a timestamp


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (f'{{"a": "{MARKER}"', "line 3 is not valid JSON"),
        (f'["{MARKER}"]', "line 3 is a JSON array, not an object"),
        (f'{{"a": {MARKER}}}', "line 3 is not valid JSON"),
    ],
)
def test_jsonl_bad_line(tmp_path: Path, bad: str, message: str) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(f'{{"a": "x"}}\n\n{bad}\n{{"a": "y"}}\n', encoding="utf-8")
    exc = open_bad(path)
    assert message in exc.detail
    assert_names_no_value(exc, path, 3)


def test_jsonl_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(b'{"a": "x"}\n{"a": "' + MARKER.encode() + b'\xff"}\n')
    exc = open_bad(path)
    assert f"not valid UTF-8 at line 2 (byte offset {11 + 7 + len(MARKER)})" in exc.detail
    assert_names_no_value(exc, path, 2)


def test_jsonl_bom(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}\n{"a": 2}')
    assert read_all(open_table(path))[1] == {"a": [1, 2]}


def test_json_missing_keys_are_null_and_mixed_types_strings(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"a": 1, "b": "x"}, {"b": 2}, {"a": 3, "c": [1]}]))
    source = open_table(path, batch_rows=2)
    assert source.columns == ("a", "b", "c")
    batches, data = read_all(source)
    assert [b.first_row for b in batches] == [1, 3]
    assert data == {"a": [1, None, 3], "b": ["x", "2", None], "c": [None, None, [1]]}


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (f'{{"a": "{MARKER}"}}', "expected a JSON array of objects", None),
        (f'[{{"a": 1}},\n "{MARKER}"]', "item 2 is a JSON string", None),
        (f'[{{"a": 1}},\n {{"a": {MARKER}}}]', "not valid JSON at line 2, column 8", 2),
    ],
)
def test_json_bad(tmp_path: Path, content: str, message: str, line: int | None) -> None:
    path = tmp_path / "t.json"
    path.write_text(content, encoding="utf-8")
    exc = open_bad(path)
    assert message in exc.detail
    assert_names_no_value(exc, path, line)


# -- XLSX ------------------------------------------------------------------------------------


def test_xlsx_typed_cells_become_text(tmp_path: Path) -> None:
    rows = [
        (85073003328.0, 7, dt.datetime(2024, 1, 31), True),
        (2.5, -1, dt.date(2023, 12, 1), False),
        (None, "", dt.datetime(2024, 2, 1, 8, 30), "  tekst "),
    ]
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook_bytes(rows, header=["f", "i", "d", "b"]))
    _, data = read_all(open_table(path))
    assert data == {
        "f": ["85073003328", "2.5", None],
        "i": ["7", "-1", None],
        "d": ["2024-01-31", "2023-12-01", "2024-02-01T08:30:00"],
        "b": ["true", "false", "  tekst "],
    }


def test_xlsx_streams_and_drops_trailing_empty_rows(tmp_path: Path) -> None:
    rows: list[tuple[Any, ...]] = [(f"G-{i}", i) for i in range(1, 8)]
    rows[3] = (None, None)  # an empty row inside the data is a row of nulls
    rows += [(None, None), ("", None), ()]
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook_bytes(rows, header=[" gezin ", "n", None, None]))
    source = open_table(path, batch_rows=2)
    assert source.columns == ("gezin", "n")
    batches, data = read_all(source)
    assert_numbered(batches, 2)
    assert data["gezin"] == ["G-1", "G-2", "G-3", None, "G-5", "G-6", "G-7"]


def test_xlsx_header_only(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", rows=[])
    source = open_table(path)
    assert source.columns == COLUMNS
    assert list(source.batches()) == []


def test_xlsx_value_right_of_header(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook_bytes([("1", "2"), ("3", "4", MARKER)], header=["a", "b"]))
    exc = open_bad(path)
    assert exc.detail == "row 3 has a value in column C, right of the header"
    assert_names_no_value(exc, path, 3)


def test_xlsx_duplicate_header(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook_bytes([("1", "2")], header=["a", "a "]))
    assert "columns 1 and 2 have the same name" in open_bad(path).detail


@pytest.mark.parametrize("content", [b"a,b\n1,2\n", b"PK\x03\x04 not really a zip"])
def test_xlsx_not_a_workbook(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(content)
    assert "XLSX workbook" in open_bad(path).detail


def _encrypted(path: Path, password: str) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(workbook_bytes(ROWS))).encrypt(password, out)
    path.write_bytes(out.getvalue())
    return path


def test_xlsx_encrypted_round_trip(tmp_path: Path) -> None:
    pytest.importorskip("msoffcrypto")
    path = _encrypted(tmp_path / "t.xlsx", "synthetic-pass-1")
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    source = open_table(path, password="synthetic-pass-1")
    _, data = read_all(source)
    assert source.columns == COLUMNS
    assert data["gezin"] == [row[0] for row in ROWS]


def test_xlsx_encrypted_without_or_with_wrong_password(tmp_path: Path) -> None:
    pytest.importorskip("msoffcrypto")
    path = _encrypted(tmp_path / "t.xlsx", "synthetic-pass-1")
    assert "encrypted; give the password" in open_bad(path).detail
    exc = open_bad(path, password="not-it")
    assert "wrong password" in exc.detail
    assert "not-it" not in str(exc)
