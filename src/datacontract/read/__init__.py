"""read: the only place that opens data files, each streamed as Arrow record batches.

table.py opens a file by its extension and hands out a TableSource (its columns, a batch
reader, the parts beside the table); the formats live in their own modules: CSV and Parquet
in table.py, JSON and JSON Lines in json_lines.py, XLSX (encrypted or not, every worksheet)
in workbook.py, ODS in ods.py, which sheet `--sheet` chooses (a name or `#N`) in sheets.py,
and the text helpers they share in text.py; bounds.py checks the limits of
datacontract/limits.py (nesting, columns, cells, zip sizes) before a parser sees the bytes.
Every part a file carries beside its table is in its inventory (parts.py: the kinds, the
allow-list; package.py: the members of XLSX and ODS packages; magda_parts.py: a MAGDA
document's other node kinds; parquet_file.py: metadata, statistics, dictionary pages).
Every problem with a file is an InputFileError naming the file and line, never quoting a cell.

It may import: personal (to withhold names that look like personal data), pyarrow, openpyxl,
msoffcrypto (and its olefile), lxml.
It must never import: contract, check, ledger, flow, report, cli or demo; pandas or pandera.
"""
