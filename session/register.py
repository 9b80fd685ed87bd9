"""Reading a delegate register from CSV or XLSX, as secretariats keep them.

All or nothing: :func:`read_register` returns either every row as a :class:`DelegateRecord` or
the complete list of problems, each with its line number, and never a partial register. English
headers (``number, full_name, unit, kind, ...``) and the Vietnamese ones a secretariat's
spreadsheet carries (``STT, Họ và tên, Đơn vị, Loại đại biểu, ...``) are both understood; values
too (``chính thức``, ``dự khuyết``, ``Nam``/``Nữ``...). See docs/file-formats.md.
"""

import csv
import dataclasses
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from session.cards import MAX_DELEGATE_NUMBER
from session.quorum import Kind
from session.text import fold, hidden_character, nfc, shows_something
from session.workbook import MAX_FILE_BYTES, WorkbookRefused, first_sheet_rows, refuse_large_file

FIELDS = (
    "number", "full_name", "unit", "kind", "origin", "gender",
    "date_of_birth", "ethnicity", "education", "sector",
)  # fmt: skip
REQUIRED = ("number", "full_name", "unit", "kind")
TEXT_FIELDS = ("full_name", "unit", "ethnicity", "education", "sector")  # stored as written
# The longest name, unit or other text a register may give. Vietnamese unit names run to about
# a hundred characters ("Đoàn đại biểu Đảng bộ Khối các cơ quan ..."); far longer is a pasting
# accident, or an attack on the screens and the printouts that show it.
MAX_TEXT_CHARS = 255

# Folded header text -> field. Folding makes "Họ và tên", "HO VA TEN" and "ho va ten" the same.
HEADER_ALIASES: dict[str, str] = {
    **{f: f for f in FIELDS},
    **{f.replace("_", " "): f for f in FIELDS},
    "stt": "number", "so the": "number", "so dai bieu": "number", "ma dai bieu": "number",
    "so thu tu": "number", "no": "number", "no.": "number", "tt": "number", "so tt": "number",
    "so db": "number", "ma db": "number",
    "ho va ten": "full_name", "ho ten": "full_name", "name": "full_name",
    "don vi": "unit", "doan": "unit", "doan dai bieu": "unit", "to dai bieu": "unit",
    "delegation": "unit",
    "loai": "kind", "loai dai bieu": "kind", "tu cach": "kind", "tu cach dai bieu": "kind",
    "loai db": "kind",
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
    # The fields its file has a column for: a re-import changes no other (issue 13, finding 9:
    # a file of the four required columns blanked everyone's gender, birth date...).
    given: frozenset[str] = dataclasses.field(default=frozenset(FIELDS), compare=False, repr=False)


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


def parse_date(value: object) -> date | None:
    """A date cell, an ISO date (1985-07-21) or a Vietnamese day/month/year (21/07/1985, also
    written 21-07-1985 or 21.07.1985); None for anything else (two-digit years included)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    for sep in "/-.":
        parts = text.split(sep)
        if len(parts) != 3:
            continue
        day, month, year = (part.strip() for part in parts)
        if all(x.isdigit() and x.isascii() for x in (day, month, year)) and len(year) == 4:
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


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


QUOTED_CHARS = 60  # of a bad value, quoted in its problem's message


def shown(value: object) -> str:
    """A bad value as its message quotes it: a 100,000-character cell is not said in full."""
    text = cell_text(value)
    return text[:QUOTED_CHARS] + ("…" if len(text) > QUOTED_CHARS else "")


_HEADER_PUNCTUATION = str.maketrans({c: " " for c in ",.:;*()[]"})
TITLE_ROWS = 10  # how many lines above the header (congress name, list title) are skipped


def header_field(title: object) -> str | None:
    """The field a column heading names, if any: 'Họ và tên', 'HO VA TEN', 'Ngày, tháng, năm
    sinh:' and 'full_name' are all recognised (case, diacritics and punctuation ignored)."""
    folded = fold(cell_text(title))
    found = HEADER_ALIASES.get(folded.strip(" :*"))
    if found is None:
        found = HEADER_ALIASES.get(" ".join(folded.translate(_HEADER_PUNCTUATION).split()))
    return found


def map_headers(header: Sequence[object], line: int = 1) -> tuple[dict[str, int], list[RowProblem]]:
    """Column index of each known field; problems for missing required or repeated columns."""
    columns: dict[str, int] = {}
    problems: list[RowProblem] = []
    for index, title in enumerate(header):
        field = header_field(title)
        if field is None:
            continue  # extra columns (notes, signatures) are allowed and ignored
        if field in columns:
            problems.append(RowProblem(line, "duplicate_column", field, shown(title)))
        columns[field] = index
    for field in REQUIRED:
        if field not in columns:
            problems.append(RowProblem(line, "missing_column", field))
    return columns, problems


def _header_offset(rows: Sequence[tuple[int, Sequence[object]]]) -> int:
    """Index of the header row: the first of the top rows naming at least two known fields
    (title lines above it are skipped); 0 when no row looks like a header."""
    for offset, (_, cells) in enumerate(rows[:TITLE_ROWS]):
        if len({header_field(c) for c in cells} - {None}) >= 2:
            return offset
    return 0


def parse_rows(rows: Iterable[tuple[int, Sequence[object]]]) -> list[DelegateRecord]:
    """Validate (line, cells) rows: title lines, then the header, then the delegates.

    Raises RegisterError listing every problem of every row (with its line), never a partial
    register.
    """
    all_rows = list(rows)
    if not any(cell_text(c) for _, cells in all_rows for c in cells):
        raise RegisterError([RowProblem(0, "empty_file")])
    offset = _header_offset(all_rows)
    header_line, header = all_rows[offset]
    columns, problems = map_headers(header, header_line)
    if problems:
        raise RegisterError(problems)
    records: list[DelegateRecord] = []
    first_line: dict[int, int] = {}
    for line, cells in all_rows[offset + 1 :]:
        values = {f: (cells[i] if i < len(cells) else None) for f, i in columns.items()}
        if all(cell_text(v) == "" for v in values.values()):
            continue  # blank rows between blocks are common in hand-kept sheets
        record = _parse_row(line, values, problems)
        # A repeated number is reported even when either row has other problems too.
        number = _parse_number(values["number"])
        if number is not None and 1 <= number <= MAX_DELEGATE_NUMBER:
            if number in first_line:
                problems.append(
                    RowProblem(line, "duplicate_number", "number", f"{number}|{first_line[number]}")
                )
                continue
            first_line[number] = line
        if record is not None:
            records.append(record)
    if problems:
        raise RegisterError(problems)
    if not records:
        raise RegisterError([RowProblem(0, "no_rows")])
    return records


def _parse_row(
    line: int, values: dict[str, object], problems: list[RowProblem]
) -> DelegateRecord | None:
    before = len(problems)
    number = _parse_number(values["number"])
    if number is None or not 1 <= number <= MAX_DELEGATE_NUMBER:
        problems.append(RowProblem(line, "bad_number", "number", shown(values["number"])))
    text = {f: _checked_text(line, values, f, problems) for f in TEXT_FIELDS}
    full_name, unit = text["full_name"], text["unit"]
    if not full_name:
        problems.append(RowProblem(line, "missing_name", "full_name"))
    if not unit:
        problems.append(RowProblem(line, "missing_unit", "unit"))
    kind = KIND_VALUES.get(fold(cell_text(values["kind"])))
    if kind is None:
        problems.append(RowProblem(line, "bad_kind", "kind", shown(values["kind"])))
    origin = _optional(line, values, "origin", ORIGIN_VALUES, problems)
    gender = _optional(line, values, "gender", GENDER_VALUES, problems)
    birth: date | None = None
    raw_birth = values.get("date_of_birth")
    if cell_text(raw_birth):
        birth = parse_date(raw_birth)
        if birth is None:
            problems.append(RowProblem(line, "bad_date", "date_of_birth", shown(raw_birth)))
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
        ethnicity=text["ethnicity"],
        education=text["education"],
        sector=text["sector"],
        given=frozenset(values),
    )


def text_problem(text: str) -> tuple[str, str] | None:
    """Why a name, a unit or another stored text cannot be taken as it is, if it cannot:
    (problem key under 'import.', the value the message shows)."""
    if len(text) > MAX_TEXT_CHARS:
        return "too_long", str(MAX_TEXT_CHARS)
    hidden = hidden_character(text)
    if hidden is not None:
        return "hidden_character", f"U+{ord(text[hidden]):04X}"
    if text and not shows_something(text):
        return "nothing_visible", ""
    return None


def _checked_text(
    line: int, values: dict[str, object], field: str, problems: list[RowProblem]
) -> str:
    text = cell_text(values.get(field))
    problem = text_problem(text)
    if problem is not None:
        problems.append(RowProblem(line, problem[0], field, problem[1]))
    return text


def _optional(
    line: int,
    values: dict[str, object],
    field: str,
    allowed: dict[str, str],
    problems: list[RowProblem],
) -> str:
    text = cell_text(values.get(field))
    if not text:
        return ""
    value = allowed.get(fold(text))
    if value is None:
        problems.append(RowProblem(line, f"bad_{field}", field, shown(text)))
        return ""
    return value


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), or UTF-16 with its BOM (Excel's "Unicode Text")."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count("\n".encode("utf-16-le")) + 1
            raise RegisterError([RowProblem(line, "bad_encoding", "", f"{exc.start}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RegisterError([RowProblem(line, "bad_encoding", "", f"{exc.start}")]) from None


def csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """Rows of a CSV file (UTF-8, with or without BOM; comma, semicolon or tab separated), each
    with the line it starts on (a quoted cell may span lines)."""
    text = _decode(data)
    nul = text.find("\x00")  # UTF-16 without its BOM decodes as "UTF-8" full of NULs
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise RegisterError([RowProblem(line, "bad_encoding", "", f"{len(text[:nul].encode())}")])
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:  # a cell over the csv module's size limit
        raise RegisterError([RowProblem(start, "unreadable", "", str(exc))]) from None
    return rows


def xlsx_rows(data: bytes) -> list[tuple[int, list[object]]]:
    """Rows of the first sheet of an XLSX workbook, with their spreadsheet row numbers, from the
    header row on (title lines above it are dropped); within session.workbook's limits."""
    try:
        rows = first_sheet_rows(data)
    except WorkbookRefused as refused:
        raise _refusal(refused) from None
    except Exception as exc:  # a damaged workbook fails in zipfile, XML parsing or openpyxl
        raise RegisterError([RowProblem(0, "bad_xlsx", "", type(exc).__name__)]) from None
    return rows[_header_offset(rows) :]


def _refusal(refused: WorkbookRefused) -> RegisterError:
    return RegisterError([RowProblem(refused.line, refused.key, refused.column, refused.value)])


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, or an encrypted .xlsx


def read_register(path: Path) -> list[DelegateRecord]:
    """Read CSV or XLSX by its content; RegisterError lists every problem with its line."""
    return parse_rows(read_rows(path))


def read_rows(path: Path) -> list[tuple[int, list[object]]]:
    """The (line, cells) rows of a CSV or XLSX file, told apart by content, header first."""
    try:
        with path.open("rb") as file:  # no more than the limit, whatever the file's size says
            data = file.read(MAX_FILE_BYTES + 1)
        refuse_large_file(len(data))
    except OSError as exc:
        raise RegisterError([RowProblem(0, "unreadable", "", exc.strerror or str(exc))]) from None
    except WorkbookRefused as refused:
        raise _refusal(refused) from None
    if data.startswith(_OLE_MAGIC):
        raise RegisterError([RowProblem(0, "bad_xlsx", "", "XLS/OLE")])
    if data[:2] == b"PK" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return xlsx_rows(data)
    return list(csv_rows(data))
