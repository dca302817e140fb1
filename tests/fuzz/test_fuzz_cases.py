"""The hostile inputs of issue 12, one family each: every one ends within the timeout with
exit 2 (exit 1 for the markup header, an undeclared column) and a message naming the file and
what is wrong, under the fork server's memory limit, with no traceback (conftest.py)."""

from __future__ import annotations

import datetime as dt
import os
import stat
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, Answer, ForkServer
from datacontract.demo.sample import FORMATS as SAMPLE_FORMATS
from datacontract.personal.insz import make_insz

CONTRACT = ROOT / "contracts" / "groeipakket-toereikendheid-2025.yaml"
CANARY = make_insz(dt.date(1984, 2, 29), 163)


def _validate(
    server: ForkServer, tmp: Path, name: str, *extra: str, umask: int | None = None
) -> Answer:
    return server.run(
        "validate",
        name,
        "--contract",
        CONTRACT,
        "--dataset",
        "dataset_4",
        *extra,
        cwd=tmp,
        umask=umask,
    )


def _laughs() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    return text


CONTRACTS = {
    "laughs.yaml": (_laughs(), "limit"),
    "deep.yaml": ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "nest"),
    "deep_mapping.yaml": ("a:\n" + "".join(" " * i + "b:\n" for i in range(1, 300)), "nested"),
    "selfref.yaml": ("a: &x [*x]\n", "alias"),
    "selfref_map.yaml": ("a: &x {b: *x}\n", "alias"),
    "control.yaml": (CONTRACT.read_text(encoding="utf-8").replace("id:", "id:\x1b", 1), "U+001B"),
    "feb30.yaml": ("id: x\nwhen: 2025-02-30\n", "date"),
    "badkey.yaml": ("? [a, b]\n: 1\n", "key"),
    "pythontag.yaml": ("a: !!python/object/apply:os.system ['true']\n", "not valid YAML"),
    "huge_int.yaml": ("a: !!float 1e99999999\nb: !!int 0x" + "f" * 5000 + "\n", "contract"),
}


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_a_hostile_contract_is_a_message(server: ForkServer, tmp_path: Path, name: str) -> None:
    text, expected = CONTRACTS[name]
    (tmp_path / name).write_text(text, encoding="utf-8")
    answer = server.run("coverage", "--contract", name, cwd=tmp_path)
    answer.well_behaved()
    assert answer.code == 2, answer
    assert name in answer.stderr and expected in answer.stderr, answer.stderr


def test_a_contract_too_large_is_refused_unread(server: ForkServer, tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_bytes(b"# " + b"x" * (5 << 20) + b"\n")
    answer = server.run("coverage", "--contract", "big.yaml", cwd=tmp_path)
    answer.well_behaved()
    assert answer.code == 2 and "1 MiB" in answer.stderr and "big.yaml" in answer.stderr


@pytest.mark.parametrize("where", ["contract", "data", "password"])
@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_only_regular_files_are_read(
    server: ForkServer, tmp_path: Path, where: str, kind: str
) -> None:
    special = {
        "fifo": tmp_path / "special.csv",
        "device": Path("/dev/zero"),
        "directory": tmp_path / "d.csv",
    }[kind]
    if kind == "fifo":
        os.mkfifo(special)
    elif kind == "directory":
        special.mkdir()
    good = tmp_path / "good.csv"
    good.write_text("gezinscode,ua,stratum,email\n", encoding="utf-8")
    args = {
        "contract": ("validate", good, "--contract", special, "--dataset", "dataset_4"),
        "data": ("validate", special, "--contract", CONTRACT, "--dataset", "dataset_4"),
        "password": (
            "validate",
            good,
            "--contract",
            CONTRACT,
            "--dataset",
            "dataset_4",
            "--password-file",
            special,
        ),
    }[where]
    answer = server.run(*args, cwd=tmp_path, timeout=30)
    answer.well_behaved()
    assert answer.code == 2, answer
    assert str(special) in answer.stderr


JSON_FILES = {
    "deep.jsonl": ('{"a":' + "[" * 20_000 + "]" * 20_000 + "}\n", "nested deeper than 64"),
    "deep_late.jsonl": ('{"a":1}\n' * 50 + '{"a":' + "{" * 5_000 + "}" * 5_000 + "}\n", "line 51"),
    "deep_objects.jsonl": ('{"a":' + '{"b":' * 20_000 + "1" + "}" * 20_001 + "\n", "nested"),
    "deep.json": ('[{"a":' + "[" * 100_000 + "]" * 100_000 + "}]\n", "nested deeper than 64"),
    "deep_pretty.json": ('[{"a":\n' + "[\n" * 5_000 + "]\n" * 5_000 + "}]\n", "nested"),
    "surrogate.json": ('[{"gezinscode":"\\ud800"}]\n', "surrogate"),
    "surrogate.jsonl": ('{"gezinscode":"\\udfff x"}\n', "surrogate"),
    "surrogate_key.jsonl": ('{"\\ud83d":"x"}\n', "surrogate"),
}


@pytest.mark.parametrize("name", sorted(JSON_FILES))
def test_hostile_json_is_a_message(server: ForkServer, tmp_path: Path, name: str) -> None:
    text, expected = JSON_FILES[name]
    (tmp_path / name).write_text(text, encoding="utf-8")
    answer = _validate(server, tmp_path, name)
    answer.well_behaved()
    assert answer.code == 2 and name in answer.stderr and expected in answer.stderr, answer


def _workbook_with(tmp: Path, name: str, cell: bytes, repeat: int) -> Path:
    """A workbook whose one data cell is `cell` * `repeat` (written in chunks, never whole)."""
    import openpyxl

    plain = tmp / "plain.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["gezinscode"])
    sheet.append(["x"])
    book.save(plain)
    target = tmp / name
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, source.read(info.filename))
                continue
            with out.open(info.filename, "w", force_zip64=True) as w:
                w.write(
                    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr">'
                    b'<is><t>gezinscode</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>'
                )
                for _ in range(repeat):
                    w.write(cell)
                w.write(b"</t></is></c></row></sheetData></worksheet>")
    return target


@pytest.mark.parametrize(
    ("name", "cell", "repeat", "expected"),
    [
        ("bomb.xlsx", b"A" * (1 << 20), 320, "limit"),  # one cell inflating past 256 MiB
        ("ratio.xlsx", b"A" * (1 << 20), 64, "times"),  # 64 MiB from a few hundred KiB
        ("cell.xlsx", os.urandom(1 << 19).hex().encode(), 3, "1 MiB"),  # 3 MiB, incompressible
    ],
)
def test_a_workbook_that_inflates_is_refused(
    server: ForkServer, tmp_path: Path, name: str, cell: bytes, repeat: int, expected: str
) -> None:
    _workbook_with(tmp_path, name, cell, repeat)
    answer = _validate(server, tmp_path, name)
    answer.well_behaved()
    assert answer.code == 2 and name in answer.stderr and expected in answer.stderr, answer


_ODS_ROW = "<table:table-row{}><table:table-cell{}><text:p>{}</text:p></table:table-cell></table:table-row>"


@pytest.mark.parametrize(
    ("name", "rows", "expected"),
    [
        # a data row repeated a billion times: refused at the sheet's row limit, never expanded
        ("rows.ods", _ODS_ROW.format(' table:number-rows-repeated="1000000000"', "", "x"), "limit"),
        # a value repeated across a billion columns
        (
            "cols.ods",
            _ODS_ROW.format("", ' table:number-columns-repeated="1000000000"', "x"),
            "limit",
        ),
        # a space repeated a billion times, a thousand times over, in one cell
        ("spaces.ods", _ODS_ROW.format("", "", '<text:s text:c="1000000000"/>' * 1000), "1 MiB"),
        # 300 MiB of content.xml from a few hundred KiB
        ("bomb.ods", _ODS_ROW.format("", "", "A" * (300 << 20)), "limit"),
    ],
)
def test_an_ods_bomb_is_refused_within_the_memory_limit(
    server: ForkServer, tmp_path: Path, name: str, rows: str, expected: str
) -> None:
    from datacontract.read.ods import MIMETYPE

    ns = "urn:oasis:names:tc:opendocument:xmlns"
    content = (
        f'<office:document-content xmlns:office="{ns}:office:1.0" xmlns:table="{ns}:table:1.0" '
        f'xmlns:text="{ns}:text:1.0"><office:body><office:spreadsheet><table:table table:name="B">'
        + _ODS_ROW.format("", "", "gezinscode")
        + rows
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(tmp_path / name, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    answer = _validate(server, tmp_path, name)
    answer.well_behaved()
    assert answer.code == 2 and name in answer.stderr and expected in answer.stderr, answer


@pytest.mark.parametrize(
    ("fmt", "columns"), [("csv", 100_000), ("csv", 20_000), ("jsonl", 5_000), ("json", 5_000)]
)
def test_too_many_columns_is_refused(
    server: ForkServer, tmp_path: Path, fmt: str, columns: int
) -> None:
    names = [f"c{i}" for i in range(columns)]
    if fmt == "csv":
        text = ",".join(names) + "\n" + ",".join("1" for _ in names) + "\n"
    else:
        row = "{" + ",".join(f'"{n}":1' for n in names) + "}"
        text = row + "\n" if fmt == "jsonl" else f"[{row}]\n"
    (tmp_path / f"wide.{fmt}").write_text(text, encoding="utf-8")
    answer = _validate(server, tmp_path, f"wide.{fmt}")
    answer.well_behaved()
    assert answer.code == 2 and "2,000 columns" in answer.stderr, answer


HOSTILE_NAMES = [
    "x[/]",
    "[link=https://example.invalid]y[/link]",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://example.invalid\x07z\x1b]8;;\x07",
    "\u202egnp.exe",
    "bell\x07\x9b2J",
    "[bold]b\\",
]


@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_header_names_are_printed_inert(server: ForkServer, tmp_path: Path, fmt: str) -> None:
    header = ["gezinscode", "ua", "stratum", "email", *HOSTILE_NAMES]
    quoted = ",".join('"' + n.replace('"', '""') + '"' for n in header)
    row = ",".join(["G1", "FONS", "FONS/1/0-5/I1", "a@example.org", *(["1"] * len(HOSTILE_NAMES))])
    (tmp_path / "markup.csv").write_text(f"{quoted}\n{row}\n", encoding="utf-8")
    answer = _validate(server, tmp_path, "markup.csv", "--format", fmt)
    answer.well_behaved()
    assert answer.code == 1, answer  # undeclared columns: a violation, not a crash
    out = answer.everything
    for control in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert control not in out, (control, out)
    if fmt == "text":
        # undeclared names are not shown at all (issue 22.3): by position, never as markup
        assert "column 5 (not in the contract)" in out
        assert "example.invalid" not in out and "x[/]" not in out


def test_invalid_utf8_in_a_short_row_is_one_message(server: ForkServer, tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_bytes(b"gezinscode,ua\nG1,FONS\n\xff\nG2,\xfe\xfe\n")
    answer = _validate(server, tmp_path, "bad.csv")
    answer.well_behaved()
    assert answer.code == 2 and "not valid UTF-8 at line 3" in answer.stderr
    assert answer.stderr.count("\n") == 1


def test_strings_for_the_ledger_are_printed_inert(server: ForkServer, tmp_path: Path) -> None:
    party = "x\x1b[2J[link=https://example.invalid]p[/link]\u202e"
    answer = server.run(
        "destroy",
        "--contract",
        CONTRACT,
        "--party",
        party,
        "--dataset",
        "dataset_4",
        "--ledger",
        "ledger.jsonl",
        "--at",
        "2025-03-01T10:00:00+01:00",
        cwd=tmp_path,
    )
    answer.well_behaved()
    assert answer.code == 2, answer
    assert "\x1b" not in answer.everything and "\u202e" not in answer.everything


def test_output_never_follows_a_planted_link(server: ForkServer, tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text("gezinscode,ua,stratum,email\n", encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched\n", encoding="utf-8")
    (tmp_path / ".r.json.tmp").symlink_to(victim)
    answer = _validate(server, tmp_path, "s.csv", "--format", "json", "--output", "r.json")
    answer.well_behaved()
    assert victim.read_text(encoding="utf-8") == "untouched\n"
    assert '"valid"' in (tmp_path / "r.json").read_text(encoding="utf-8")
    assert not (tmp_path / "r.json").is_symlink()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == [".r.json.tmp"]


def test_files_created_under_umask_000_are_not_group_or_world_writable(
    server: ForkServer, tmp_path: Path
) -> None:
    answers = [
        server.run(
            "sample",
            "--contract",
            CONTRACT,
            "--dataset",
            "dataset_4",
            "--rows",
            "5",
            "--output",
            f"new/sample{ext}",
            cwd=tmp_path,
            umask=0,
        )
        for ext in SAMPLE_FORMATS  # every format with a sample writer (read/formats.py)
    ]
    answers.append(_validate(server, tmp_path, "new/sample.csv", "--output", "out/r.txt", umask=0))
    for answer in answers:
        answer.well_behaved()
        assert answer.code == 0, answer
    assert (tmp_path / "out" / "r.txt").is_file()
    created = [p for p in tmp_path.rglob("*")]
    assert created
    for path in created:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert not mode & 0o022, (path, oct(mode))


def test_a_parquet_compression_bomb_is_refused_before_reading(
    server: ForkServer, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    column = pa.array(["0" * (64 << 20)], type=pa.large_string())
    pq.write_table(pa.table({"gezinscode": column}), tmp_path / "bomb.parquet", compression="zstd")
    answer = _validate(server, tmp_path, "bomb.parquet")
    answer.well_behaved()
    assert answer.code == 2 and "bomb.parquet" in answer.stderr and "times" in answer.stderr, answer


def _claim_size(path: Path, member: str, claimed: int) -> None:
    """Rewrite the sizes a zip declares for `member` (local and central headers) to `claimed`."""
    import struct

    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at >= 0:
            length_at = 26 if signature == b"PK\x03\x04" else 28
            start = at + (30 if signature == b"PK\x03\x04" else 46)
            (length,) = struct.unpack_from("<H", data, at + length_at)
            if bytes(data[start : start + length]) == name:
                struct.pack_into("<I", data, at + offset, claimed)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def test_a_workbook_that_lies_about_its_sizes_stops_inflating(
    server: ForkServer, tmp_path: Path
) -> None:
    _workbook_with(tmp_path, "liar.xlsx", b"A" * (1 << 20), 300)
    _claim_size(tmp_path / "liar.xlsx", "xl/worksheets/sheet1.xml", 4096)
    answer = _validate(server, tmp_path, "liar.xlsx")
    answer.well_behaved()
    assert answer.code == 2 and "liar.xlsx" in answer.stderr, answer


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_a_ledger_with_hostile_strings_is_proved_inert(
    server: ForkServer, tmp_path: Path, fmt: str
) -> None:
    import json

    hostile = "x\x1b[2J[link=https://example.invalid]p[/link]\u202e[/]\x9b"
    event = {
        "seq": 1,
        "time": "2025-03-01T10:00:00+01:00",
        "kind": "destroyed",
        "contract": hostile,
        "contract_version": "1.0.0",
        "party": hostile,
        "dataset": hostile,
        "prev": "0" * 64,
        "hash": "f" * 64,
    }
    (tmp_path / "ledger.jsonl").write_text(
        json.dumps(event, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    answer = server.run(
        "prove", "--contract", CONTRACT, "--ledger", "ledger.jsonl", "--format", fmt, cwd=tmp_path
    )
    answer.well_behaved()
    assert answer.code in (1, 2), answer
    for control in ("\x1b", "\u202e", "\x9b"):
        assert control not in answer.everything
