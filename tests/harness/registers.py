"""Register files as a secretariat's tools write them: CSV (any delimiter, encoding, line
ending) and XLSX. No pytest here."""

import csv
import io
from pathlib import Path

import openpyxl

Row = list[object]


def write_csv(
    path: Path,
    rows: list[Row],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\n",
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[Row]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
