"""Reading a delegate register from CSV or XLSX, as secretariats keep them.

All or nothing: :func:`read_register` returns either every row as a :class:`DelegateRecord` or
the complete list of problems, each with its line number, and never a partial register. English
headers (``number, full_name, unit, kind, ...``) and the Vietnamese ones a secretariat's
spreadsheet carries (``STT, Họ và tên, Đơn vị, Loại đại biểu, ...``) are both understood; values
too (``chính thức``, ``dự khuyết``, ``Nam``/``Nữ``...). See docs/file-formats.md.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from session.cards import MAX_DELEGATE_NUMBER
from session.quorum import Kind
from session.text import fold, nfc

FIELDS = (
    "number", "full_name", "unit", "kind", "origin", "gender",
    "date_of_birth", "ethnicity", "education", "sector",
)  # fmt: skip
REQUIRED = ("number", "full_name", "unit", "kind")

# Folded header text -> field. Folding makes "Họ và tên", "HO VA TEN" and "ho va ten" the same.
HEADER_ALIASES: dict[str, str] = {
    **{f: f for f in FIELDS},
    **{f.replace("_", " "): f for f in FIELDS},
    "stt": "number", "so the": "number", "so dai bieu": "number", "ma dai bieu": "number",
    "so thu tu": "number", "no": "number", "no.": "number",
    "ho va ten": "full_name", "ho ten": "full_name", "name": "full_name",
    "don vi": "unit", "doan": "unit", "doan dai bieu": "unit", "to dai bieu": "unit",
    "delegation": "unit",
    "loai": "kind", "loai dai bieu": "kind", "tu cach": "kind", "tu cach dai bieu": "kind",
    "nguon": "origin", "nguon dai bieu": "origin", "hinh thuc": "origin",
    "gioi tinh": "gender", "gioi": "gender", "sex": "gender",
    "ngay sinh": "date_of_birth", "ngay thang nam sinh": "date_of_birth", "dob": "date_of_birth",
    "birth date": "date_of_birth",
    "dan toc": "ethnicity",
    "trinh do": "education", "trinh do chuyen mon": "education", "hoc van": "education",
    "khu vuc": "sector", "khu": "sector", "cho ngoi": "sector", "ghe": "sector", "seat": "sector",
}  # fmt: skip

KIND_VALUES: dict[str, Kind] = {
    "official": Kind.OFFICIAL, "chinh thuc": Kind.OFFICIAL, "dai bieu chinh thuc": Kind.OFFICIAL,
    "alternate": Kind.ALTERNATE, "du khuyet": Kind.ALTERNATE, "dai bieu du khuyet": Kind.ALTERNATE,
    "ex_officio": Kind.EX_OFFICIO, "ex officio": Kind.EX_OFFICIO, "duong nhien": Kind.EX_OFFICIO,
    "dai bieu duong nhien": Kind.EX_OFFICIO,
    "guest": Kind.GUEST, "khach moi": Kind.GUEST, "khach": Kind.GUEST,
    "dai bieu khach moi": Kind.GUEST,
}  # fmt: skip
ORIGIN_VALUES = {
    "elected": "elected", "bau": "elected", "duoc bau": "elected", "bau cu": "elected",
    "appointed": "appointed", "chi dinh": "appointed",
    "ex_officio": "ex_officio", "ex officio": "ex_officio", "duong nhien": "ex_officio",
}  # fmt: skip
GENDER_VALUES = {"male": "male", "nam": "male", "m": "male", "female": "female", "nu": "female",
                 "f": "female"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DelegateRecord:
    number: int
    full_name: str
    unit: str
    kind: Kind
    origin: str = ""
    gender: str = ""
    date_of_birth: date | None = None
    ethnicity: str = ""
    education: str = ""
    sector: str = ""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong in the file. `key` is a translation key under 'import.'."""

    line: int  # 1-based line of the file (the header is line 1); 0 for the whole file
    key: str
    column: str = ""
    value: str = ""


class RegisterError(ValueError):
    """The file could not be imported; `problems` lists every bad row."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the register")
        self.problems = list(problems)


def _parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    day, _, rest = text.partition("/")
    month, _, year = rest.partition("/")
    if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            return None
    return None


def _parse_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    return int(text) if text.isdigit() and text.isascii() else None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


def map_headers(header: Sequence[object]) -> tuple[dict[str, int], list[RowProblem]]:
    """Column index of each known field; problems for missing required or repeated columns."""
    columns: dict[str, int] = {}
    problems: list[RowProblem] = []
    for index, title in enumerate(header):
        field = HEADER_ALIASES.get(fold(_cell(title)).strip(" :*"))
        if field is None:
            continue  # extra columns (notes, signatures) are allowed and ignored
        if field in columns:
            problems.append(RowProblem(1, "duplicate_column", field, _cell(title)))
        columns[field] = index
    for field in REQUIRED:
        if field not in columns:
            problems.append(RowProblem(1, "missing_column", field))
    return columns, problems


def parse_rows(rows: Iterable[tuple[int, Sequence[object]]]) -> list[DelegateRecord]:
    """Validate (line, cells) rows, the first being the header. Raises RegisterError."""
    iterator = iter(rows)
    try:
        _, header = next(iterator)
    except StopIteration:
        raise RegisterError([RowProblem(0, "empty_file")]) from None
    columns, problems = map_headers(header)
    if problems:
        raise RegisterError(problems)
    records: list[DelegateRecord] = []
    first_line: dict[int, int] = {}
    for line, cells in iterator:
        values = {f: (cells[i] if i < len(cells) else None) for f, i in columns.items()}
        if all(_cell(v) == "" for v in values.values()):
            continue  # blank rows between blocks are common in hand-kept sheets
        record = _parse_row(line, values, problems)
        if record is None:
            continue
        if record.number in first_line:
            problems.append(
                RowProblem(line, "duplicate_number", "number", f"{record.number}|{first_line[record.number]}")
            )
            continue
        first_line[record.number] = line
        records.append(record)
    if problems:
        raise RegisterError(problems)
    if not records:
        raise RegisterError([RowProblem(0, "no_rows")])
    return records


def _parse_row(line: int, values: dict[str, object], problems: list[RowProblem]) -> DelegateRecord | None:
    before = len(problems)
    number = _parse_number(values["number"])
    if number is None or not 1 <= number <= MAX_DELEGATE_NUMBER:
        problems.append(RowProblem(line, "bad_number", "number", _cell(values["number"])))
    full_name = _cell(values["full_name"])
    if not full_name:
        problems.append(RowProblem(line, "missing_name", "full_name"))
    unit = _cell(values["unit"])
    if not unit:
        problems.append(RowProblem(line, "missing_unit", "unit"))
    kind = KIND_VALUES.get(fold(_cell(values["kind"])))
    if kind is None:
        problems.append(RowProblem(line, "bad_kind", "kind", _cell(values["kind"])))
    origin = _optional(line, values, "origin", ORIGIN_VALUES, problems)
    gender = _optional(line, values, "gender", GENDER_VALUES, problems)
    birth: date | None = None
    raw_birth = values.get("date_of_birth")
    if _cell(raw_birth):
        birth = _parse_date(raw_birth)
        if birth is None:
            problems.append(RowProblem(line, "bad_date", "date_of_birth", _cell(raw_birth)))
    if len(problems) > before:
        return None
    assert number is not None and kind is not None
    return DelegateRecord(
        number=number,
        full_name=full_name,
        unit=unit,
        kind=kind,
        origin=origin,
        gender=gender,
        date_of_birth=birth,
        ethnicity=_cell(values.get("ethnicity")),
        education=_cell(values.get("education")),
        sector=_cell(values.get("sector")),
    )


def _optional(
    line: int, values: dict[str, object], field: str, allowed: dict[str, str], problems: list[RowProblem]
) -> str:
    text = _cell(values.get(field))
    if not text:
        return ""
    value = allowed.get(fold(text))
    if value is None:
        problems.append(RowProblem(line, f"bad_{field}", field, text))
        return ""
    return value


def csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """Rows of a CSV file (UTF-8, with or without BOM; comma, semicolon or tab separated)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RegisterError([RowProblem(line, "bad_encoding", "", f"{exc.start}")]) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for cells in reader:
        rows.append((reader.line_num, cells))
    return rows


def xlsx_rows(data: bytes) -> list[tuple[int, list[object]]]:
    """Rows of the first sheet of an XLSX workbook, with their spreadsheet row numbers."""
    from zipfile import BadZipFile

    import openpyxl  # imported here: only XLSX imports pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RegisterError([RowProblem(0, "bad_xlsx", "", type(exc).__name__)]) from None
    try:
        sheet = book.worksheets[0]
        rows = [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    # Skip title lines above the header (secretariats put the congress name there).
    for offset, (_, cells) in enumerate(rows[:10]):
        columns, problems = map_headers(cells)
        if not problems:
            return rows[offset:]
    return rows


def read_register(path: Path) -> list[DelegateRecord]:
    """Read CSV or XLSX by its content; RegisterError lists every problem with its line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterError([RowProblem(0, "unreadable", "", exc.strerror or str(exc))]) from None
    if data[:2] == b"PK" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return parse_rows(xlsx_rows(data))
    return parse_rows(csv_rows(data))
