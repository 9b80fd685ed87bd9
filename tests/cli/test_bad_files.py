"""Register files a careless or hostile person hands the secretariat (issue 13, findings 5 and 8).

Each is imported through the real `presidium import` and refused on one line naming the file and
where in it the problem is, with nothing imported: names and units holding control characters,
bidirectional controls or nothing visible, in CSV and XLSX alike; names longer than any real one;
XLSX workbooks too big, packed or unpacked, among them a zip bomb run under a memory cap.
"""

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from db.store import Store
from presidium.cli import main
from session.register import MAX_TEXT_CHARS
from tests.conftest import EXAMPLES

HEADER = ["number", "full_name", "unit", "kind"]
GOOD = [1, "Nguyễn Văn Khỏe", "Xã An Phú", "official"]


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


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
