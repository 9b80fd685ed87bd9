"""Register files a careless or hostile person hands the secretariat (issue 13, findings 5 and 8).

Each is imported through the real `presidium import` and refused on one line naming the file and
where in it the problem is, with nothing imported: names and units holding control characters,
bidirectional controls or nothing visible, in CSV and XLSX alike; names longer than any real one;
XLSX workbooks too big, packed or unpacked, among them a zip bomb run under a memory cap.
"""

import csv
import io
import resource
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from db.store import Store
from presidium.cli import main
from session.register import MAX_TEXT_CHARS
from session.workbook import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_FILE_BYTES,
    MAX_PARTS,
    MAX_UNPACKED_BYTES,
)
from tests.conftest import EXAMPLES
from tests.harness.registers import write_csv, write_xlsx

HEADER = ["number", "full_name", "unit", "kind"]
GOOD = [1, "Nguyễn Văn Khỏe", "Xã An Phú", "official"]


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


@pytest.fixture
def congress(sqlite_url: str) -> str:
    assert main(["init", str(EXAMPLES / "congress.toml"), "--db", sqlite_url]) == 0
    return sqlite_url


def refusal(path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The one line `presidium import` refuses `path` with; nothing imported."""
    capsys.readouterr()
    assert main(["--lang", "en", "import", str(path), "--db", db]) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"presidium: {path}: ") and "nothing was imported" in lines[0]
    with Store.open(db) as store:
        assert store.delegates() == []
    return lines[0]


# ---------------------------------------------------------------- characters (finding 8)

# XML cannot carry C0 controls, so an XLSX brings the C1 ones (CSI opens an escape sequence in
# many terminals); a CSV brings any.
CHARACTERS = [
    ("csv", "\x1b[2J"), ("csv", "\x07"), ("csv", "\x08\x08B"), ("xlsx", "\x9b2J"),
    ("csv", "\u202e"), ("xlsx", "\u202e"), ("xlsx", "\u2066"), ("csv", "\u200f"),
    ("xlsx", "\u200b"), ("csv", "\ufeff"), ("xlsx", "\u200d"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "char"), CHARACTERS)
@pytest.mark.parametrize("field", ["full_name", "unit"])
def test_a_control_or_invisible_character_is_refused_with_its_line_and_column(
    congress: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, char: str,
    field: str,
) -> None:  # fmt: skip
    row: list[object] = [2, "Trần Thị Bình", "Xã Bình An", "official"]
    row[HEADER.index(field)] = "Trần " + char + "Bình"
    path = WRITERS[kind](tmp_path / f"register.{kind}", [HEADER, GOOD, row])
    line = refusal(path, congress, capsys)
    assert (
        f"line 3: '{field}' holds a control or invisible character (U+{ord(char[0]):04X})" in line
    )
    assert char not in line  # shown by its code, never obeyed by the terminal


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("text", ["\u3164", "\u2800 \u2800", "-"])
def test_a_name_with_nothing_visible_is_refused_with_its_line(
    congress: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, text: str
) -> None:
    path = WRITERS[kind](tmp_path / f"register.{kind}", [HEADER, GOOD, [2, text, "Xã B", "guest"]])
    assert "line 3: 'full_name' holds nothing visible" in refusal(path, congress, capsys)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_name_only_of_zero_width_spaces_is_refused(
    congress: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = WRITERS[kind](tmp_path / f"r.{kind}", [HEADER, GOOD, [2, "\u200b\u200b", "X", "guest"]])
    assert "line 3: 'full_name' holds a control or invisible" in refusal(path, congress, capsys)


# ---------------------------------------------------------------- sizes (finding 5)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_name_of_32767_characters_is_refused_with_its_line(
    congress: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """32,767 characters: the most an Excel cell holds."""
    rows: list[list[object]] = [HEADER, GOOD, [2, "A" * 32_767, "Xã B", "guest"]]
    path = WRITERS[kind](tmp_path / f"long.{kind}", rows)
    line = refusal(path, congress, capsys)
    assert f"line 3: 'full_name' is longer than {MAX_TEXT_CHARS} characters" in line


@pytest.mark.parametrize(
    ("column", "text"),
    [
        ("kind", "\x1b[2Jofficial"),
        ("number", "7\x07"),
        ("gender", "\u202enam"),
        ("kind", "x" * 5000),
    ],
)
def test_a_bad_value_is_quoted_without_its_control_characters_and_cut_short(
    congress: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str, text: str
) -> None:
    """A value the message quotes (an unknown kind, a bad number) is shown, never obeyed."""
    header = [*HEADER, "gender"]
    row: list[object] = [2, "Trần Thị Bình", "Xã Bình An", "official", "nữ"]
    row[header.index(column)] = text
    line = refusal(write_csv(tmp_path / "r.csv", [header, [*GOOD, "nam"], row]), congress, capsys)
    assert "line 3: " in line
    assert all(char.isprintable() for char in line), repr(line)
    assert len(line) < 400


# ---------------------------------------------------------------- XLSX limits (finding 5)

SHEET = "xl/worksheets/sheet1.xml"
MARK = "MARK-THE-CELL"
GIB = 1 << 30


def xlsx_with_cell(
    path: Path, write_cell: Callable[[zipfile.ZipExtFile], None], dimension: str = "A1:D3"
) -> Path:
    """A register workbook whose row 3 has a name written, straight into the sheet's XML, by
    `write_cell` (a stream: the text may be far larger than memory); the sheet declares
    `dimension` as its extent."""
    buffer = io.BytesIO()
    write_xlsx(buffer, [HEADER, GOOD, [2, MARK, "Xã B", "guest"]])  # type: ignore[arg-type]
    source = zipfile.ZipFile(buffer)
    xml = source.read(SHEET).replace(b'ref="A1:D3"', f'ref="{dimension}"'.encode())
    before, after = xml.split(MARK.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for part in source.infolist():
            if part.filename != SHEET:
                out.writestr(part.filename, source.read(part.filename))
                continue
            with out.open(SHEET, "w") as sheet:
                sheet.write(before)
                write_cell(sheet)  # type: ignore[arg-type]
                sheet.write(after)
    return path


def write_gibibyte(sheet: zipfile.ZipExtFile) -> None:
    chunk = b"A" * (1 << 20)
    for _ in range(GIB // len(chunk) + 1):
        sheet.write(chunk)


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 1 MB whose one name unpacks to more than 1 GiB."""
    path = tmp_path_factory.mktemp("bomb") / "register.xlsx"
    return xlsx_with_cell(path, write_gibibyte)


def _declare_size(path: Path, part: str, size: int) -> None:
    """Make the zip's directory (and the part's local header) lie about `part`'s size."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
        start = archive.start_dir  # type: ignore[attr-defined]
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, info.header_offset + 22, size)
    at = start
    while data[at : at + 4] == b"PK\x01\x02":
        name_length, extra, comment = struct.unpack_from("<HHH", data, at + 28)
        if data[at + 46 : at + 46 + name_length].decode() == part:
            struct.pack_into("<I", data, at + 24, size)
        at += 46 + name_length + extra + comment
    path.write_bytes(bytes(data))


def import_under_memory_cap(
    path: Path, db: str, cap: int = GIB
) -> subprocess.CompletedProcess[str]:
    """`presidium import` in its own process, which may not take more than `cap` of memory."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return subprocess.run(
        [sys.executable, "-m", "presidium", "--lang", "en", "import", str(path), "--db", db],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
    )


def one_line_refusal(proc: subprocess.CompletedProcess[str], path: Path, db: str) -> str:
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"presidium: {path}: "), proc.stderr
    with Store.open(db) as store:
        assert store.delegates() == []
    return lines[0]


@pytest.mark.slow
def test_a_zip_bomb_is_refused_on_one_line_under_a_memory_cap(
    zip_bomb: Path, congress: str
) -> None:
    assert zip_bomb.stat().st_size < 2 << 20
    with zipfile.ZipFile(zip_bomb) as archive:
        assert archive.getinfo(SHEET).file_size > GIB
    line = one_line_refusal(import_under_memory_cap(zip_bomb, congress), zip_bomb, congress)
    limit = f"{MAX_UNPACKED_BYTES >> 20} MiB"
    assert f"file: The workbook unpacks to more than {limit}" in line


@pytest.mark.slow
def test_a_zip_bomb_whose_directory_lies_is_refused_on_one_line_under_a_memory_cap(
    zip_bomb: Path, congress: str, tmp_path: Path
) -> None:
    """The directory says the sheet is 2 KB: it is unpacked no further than that."""
    liar = tmp_path / "liar.xlsx"
    liar.write_bytes(zip_bomb.read_bytes())
    _declare_size(liar, SHEET, 2_000)
    with zipfile.ZipFile(liar) as archive:
        assert archive.getinfo(SHEET).file_size == 2_000
    line = one_line_refusal(import_under_memory_cap(liar, congress), liar, congress)
    assert "file: Not a readable XLSX workbook (BadZipFile)" in line


def test_a_cell_longer_than_a_csv_cell_may_be_is_refused_with_its_line_and_column(
    congress: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert csv.field_size_limit() == MAX_CELL_CHARS  # the CSV reader's own limit
    path = xlsx_with_cell(tmp_path / "r.xlsx", lambda s: s.write(b"B" * (MAX_CELL_CHARS + 1)))
    line = refusal(path, congress, capsys)
    assert f"line 3: The cell in column B holds more than {MAX_CELL_CHARS} characters" in line


def test_a_sheet_declaring_a_million_rows_of_16384_columns_is_refused(
    congress: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A few hundred bytes of XML, and openpyxl fills in every missing cell."""

    def far_corner(sheet: zipfile.ZipExtFile) -> None:
        sheet.write(b'B</t></is></c></row><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>X')

    path = xlsx_with_cell(tmp_path / "wide.xlsx", far_corner, dimension="A1:XFD1048576")
    assert path.stat().st_size < 10_000
    line = refusal(path, congress, capsys)
    first_past = MAX_CELLS // 16_384 + 1  # every row is 16,384 cells wide
    assert f"line {first_past}: The sheet has more than {MAX_CELLS} cells" in line


def test_a_workbook_of_too_many_parts_is_refused(
    congress: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "parts.xlsx", [HEADER, GOOD])
    with zipfile.ZipFile(path, "a") as archive:
        for index in range(MAX_PARTS):
            archive.writestr(f"xl/media/{index}.bin", b"")
    line = refusal(path, congress, capsys)
    assert f"file: The workbook is made of more than {MAX_PARTS} parts" in line


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_file_larger_than_any_register_is_refused_unread(
    congress: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    path = tmp_path / f"huge.{suffix}"
    with path.open("wb") as file:
        file.write(b"number,full_name,unit,kind\n")
        file.truncate(MAX_FILE_BYTES + 1)
    line = refusal(path, congress, capsys)
    assert f"file: The file is larger than {MAX_FILE_BYTES >> 20} MiB" in line
