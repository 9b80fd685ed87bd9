"""How the export writes its CSV files (attendance.csv, votes.csv, election_results.csv in
printouts/export.py, speakers.csv in printouts/speakers_csv.py): one writer, so every one of
them is read the same way by a spreadsheet."""

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from session.proceedings import Proceedings

# What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
RUNS_AS_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_bytes(columns: tuple[str, ...], rows: Iterable[Iterable[object]]) -> bytes:
    """UTF-8 with a BOM (Excel on Vietnamese Windows reads the diacritics right), CRLF line
    endings as RFC 4180 says; None is an empty cell; a text a spreadsheet would run as a formula
    (a name such as ``=HYPERLINK(...)``) starts with an apostrophe, which it shows as text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(x) for x in row])
    return out.getvalue().encode("utf-8-sig")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(RUNS_AS_FORMULA):
        return "'" + value
    return value


def local_time(at: datetime | None, p: Proceedings) -> str | None:
    """ISO 8601 in the congress's time zone (the CSVs are read by people, in spreadsheets)."""
    return None if at is None else at.astimezone(p.congress.zone).isoformat()
