"""An XLSX workbook read within limits, whoever made it (issue 13, finding 5).

A register is a few hundred kilobytes. An XLSX is a zip archive of XML parts, and a 1 MB file
whose one shared string unpacks to 1 GiB kept openpyxl busy for 54 s, took 5.7 GB and ended in
MemoryError. So, before openpyxl touches the file: its packed size, how many parts it has, and
each part's unpacked size as the zip's directory declares it, against the limits below; then
every part is unpacked in chunks and counted, stopping as soon as one gives more than it
declared or the parts together more than the limit (the directory may lie). In the sheet, rows
and cells are counted as they are read, and no cell may hold more text than a CSV cell may.
"""

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

MIB = 1024 * 1024
MAX_FILE_BYTES = 16 * MIB  # a file to import, packed: a register of 10,000 is under 1 MiB
MAX_UNPACKED_BYTES = 64 * MIB  # the parts of a workbook, unpacked, together
MAX_PARTS = 1_000  # a workbook saved by Excel or LibreOffice has a few dozen
MAX_ROWS = 100_100  # 99,999 delegates, their header and title lines
MAX_CELLS = 4_000_000  # rows times columns, empty cells included (openpyxl fills them in)
# A cell's text, as a CSV cell's: the csv module's field_size_limit() (tested to agree).
MAX_CELL_CHARS = 131_072
_CHUNK = 64 * 1024
_PACKINGS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what XLSX writers use


@dataclass(frozen=True)
class WorkbookRefused(Exception):
    """Past a limit. `key` is a translation key under 'import.'; `line`, `column` and `value`
    say where and what, as a register's RowProblem does."""

    key: str
    line: int = 0
    column: str = ""
    value: str = ""


def _mib(size: int) -> str:
    return f"{size // MIB} MiB"


def refuse_large_file(size: int) -> None:
    """A file to import bigger than any register (CSV or XLSX)."""
    if size > MAX_FILE_BYTES:
        raise WorkbookRefused("file_too_big", value=_mib(MAX_FILE_BYTES))


def check_archive(data: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than the limits, before any XML parser
    sees them. Damaged archives raise zipfile's errors (the caller says "not a workbook")."""
    refuse_large_file(len(data))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise WorkbookRefused("too_many_parts", value=str(MAX_PARTS))
        if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
            raise WorkbookRefused("unpacked_too_big", value=_mib(MAX_UNPACKED_BYTES))
        unpacked = 0
        for part in parts:
            if part.compress_type not in _PACKINGS:
                raise zipfile.BadZipFile(f"packing {part.compress_type}")
            unpacked += _unpacked_size(archive, part, MAX_UNPACKED_BYTES - unpacked)


def _unpacked_size(archive: zipfile.ZipFile, part: zipfile.ZipInfo, room: int) -> int:
    """How many bytes `part` unpacks to, read a chunk at a time: refused as soon as it gives
    more than its declared size or than `room`, whichever is smaller."""
    allowed = min(part.file_size, room)
    size = 0
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > allowed:
                raise WorkbookRefused("unpacked_too_big", value=_mib(MAX_UNPACKED_BYTES))
    return size


def first_sheet_rows(data: bytes) -> list[tuple[int, list[object]]]:
    """Every row of the workbook's first sheet, with its spreadsheet row number, within the
    limits. Refuses with WorkbookRefused; a damaged workbook raises what its reader raised."""
    import warnings

    import openpyxl  # imported here: only XLSX imports pay for it

    check_archive(data)
    # openpyxl warns about features it drops (data validation, styles...): irrelevant here,
    # and a warning printed to stderr would scribble over the operator's screen.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return _counted_rows(book.worksheets[0].iter_rows(values_only=True))
        finally:
            book.close()


def _counted_rows(rows: Iterable[tuple[object, ...]]) -> list[tuple[int, list[object]]]:
    """The rows, stopped at the first past a limit: a sheet a few kilobytes long can declare a
    million rows of 16,384 columns, and openpyxl fills in every missing cell."""
    from openpyxl.utils import get_column_letter

    result: list[tuple[int, list[object]]] = []
    cells = 0
    for line, row in enumerate(rows, start=1):
        cells += len(row)
        if line > MAX_ROWS:
            raise WorkbookRefused("too_many_rows", value=str(MAX_ROWS))
        if cells > MAX_CELLS:
            raise WorkbookRefused("too_many_cells", line, value=str(MAX_CELLS))
        for index, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                column = get_column_letter(index + 1)
                raise WorkbookRefused("cell_too_long", line, column, str(MAX_CELL_CHARS))
        result.append((line, list(row)))
    return result
