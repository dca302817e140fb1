"""A data file whose name (or folder) has bytes that are not UTF-8 is refused by the one
opener of data files (read/table.py `open_table`), for callers of the API as for the command
line: InputFileError (exit 2), not an internal error from a reader that cannot encode the
name; and whatever prints such a name prints it inert (report/inert.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from datacontract import inert
from datacontract.errors import InputFileError
from datacontract.read.formats import EXTENSIONS
from datacontract.read.table import open_table


@pytest.mark.parametrize("suffix", sorted(EXTENSIONS))
def test_every_format_refuses_a_name_that_is_not_utf8(suffix: str, tmp_path: Path) -> None:
    folder = tmp_path / os.fsdecode(b"map\xe9")
    folder.mkdir()
    path = folder / (os.fsdecode(b"naam\xff") + suffix)
    path.write_bytes(b"a;b\n1;2\n")
    with pytest.raises(InputFileError, match="not UTF-8"):
        open_table(path)


def test_a_byte_that_is_not_utf8_is_printed_inert() -> None:
    shown = inert(os.fsdecode(b"naam\xff.csv"))
    assert shown.encode("utf-8") == "naam\ufffd.csv".encode()
