"""Reading the delegate register from CSV and XLSX: all or nothing, every problem with its line."""

import io
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from session.demo import demo_register
from session.quorum import Kind
from session.register import (
    DelegateRecord,
    RegisterError,
    RowProblem,
    csv_rows,
    map_headers,
    parse_rows,
    read_register,
)
from tests.harness.registers import Row, write_csv, write_xlsx

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

VI_HEADER = [
    "STT",
    "Họ và tên",
    "Đơn vị",
    "Loại đại biểu",
    "Nguồn",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Trình độ",
    "Khu vực",
]
EN_HEADER = [
    "number",
    "full_name",
    "unit",
    "kind",
    "origin",
    "gender",
    "date_of_birth",
    "ethnicity",
    "education",
    "sector",
]


def problems_of(path: Path) -> list[tuple[int, str]]:
    with pytest.raises(RegisterError) as caught:
        read_register(path)
    return [(p.line, p.key) for p in caught.value.problems]


def only_problem(path: Path) -> RowProblem:
    with pytest.raises(RegisterError) as caught:
        read_register(path)
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0]


def to_cp1258(text: str) -> bytes:
    """What Excel's "CSV (Comma delimited)" writes on a Vietnamese Windows: code page 1258,
    letters with a precomposed vowel mark and a separate combining tone mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        letter = "".join(c for c in decomposed if c not in "\u0300\u0301\u0303\u0309\u0323")
        tone = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
        out.append(unicodedata.normalize("NFC", letter).encode("cp1258") + tone.encode("cp1258"))
    return b"".join(out)


# ---------------------------------------------------------------- the example and good files


def test_example_register_parses() -> None:
    records = read_register(EXAMPLES / "delegates.csv")
    assert [r.number for r in records] == list(range(1, 9))
    first = records[0]
    assert first == DelegateRecord(
        number=1,
        full_name="Nguyễn Văn Khỏe",
        unit="Đảng bộ xã Hưng Hóa",
        kind=Kind.EX_OFFICIO,
        origin="ex_officio",
        gender="male",
        date_of_birth=date(1970, 3, 12),
        ethnicity="Kinh",
        education="Thạc sĩ",
        sector="A",
    )
    by_number = {r.number: r for r in records}
    assert by_number[2].date_of_birth == date(1985, 7, 21)  # ISO date
    assert by_number[2].gender == "female"
    assert by_number[5].origin == "appointed"
    assert by_number[6].kind is Kind.ALTERNATE
    assert by_number[8].kind is Kind.GUEST
    assert by_number[8].date_of_birth is None and by_number[8].origin == ""
    for r in records:
        assert unicodedata.is_normalized("NFC", r.full_name)


def test_english_headers_and_values(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "en.csv",
        [
            EN_HEADER,
            [
                1,
                "Nguyễn Văn Khỏe",
                "Unit A",
                "ex_officio",
                "ex_officio",
                "male",
                "1970-03-12",
                "",
                "",
                "A",
            ],
            [
                2,
                "Trần Thị Ánh",
                "Unit A",
                "official",
                "elected",
                "female",
                "21/07/1985",
                "",
                "",
                "",
            ],
            [3, "Lê Đức Điệp", "Unit B", "alternate", "appointed", "M", "", "", "", ""],
            [4, "Guest Person", "Province", "guest", "", "F", "", "", "", ""],
        ],
    )
    records = read_register(path)
    assert [(r.number, r.kind, r.origin, r.gender) for r in records] == [
        (1, Kind.EX_OFFICIO, "ex_officio", "male"),
        (2, Kind.OFFICIAL, "elected", "female"),
        (3, Kind.ALTERNATE, "appointed", "male"),
        (4, Kind.GUEST, "", "female"),
    ]


def test_only_the_four_required_columns(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "min.csv",
        [["Họ và tên", "STT", "Loại", "Đơn vị"], ["Bùi Thị Yến", "7", "Chính thức", "Xã Thọ Văn"]],
    )
    assert read_register(path) == [DelegateRecord(7, "Bùi Thị Yến", "Xã Thọ Văn", Kind.OFFICIAL)]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("chính thức", Kind.OFFICIAL),
        ("Chính thức", Kind.OFFICIAL),
        ("CHÍNH THỨC", Kind.OFFICIAL),
        ("chinh thuc", Kind.OFFICIAL),
        ("Đại biểu chính thức", Kind.OFFICIAL),
        ("đương nhiên", Kind.EX_OFFICIO),
        ("Đại biểu đương nhiên", Kind.EX_OFFICIO),
        ("ex officio", Kind.EX_OFFICIO),
        ("dự khuyết", Kind.ALTERNATE),
        ("Đại biểu dự khuyết", Kind.ALTERNATE),
        ("khách mời", Kind.GUEST),
        ("Khách", Kind.GUEST),
        ("Guest", Kind.GUEST),
        (unicodedata.normalize("NFD", "Dự khuyết"), Kind.ALTERNATE),
    ],
)
def test_kind_values(tmp_path: Path, value: str, kind: Kind) -> None:
    path = write_csv(tmp_path / "k.csv", [VI_HEADER[:4], [1, "A B", "U", value]])
    assert read_register(path)[0].kind is kind


@pytest.mark.parametrize(
    ("origin", "gender", "expected"),
    [
        ("Bầu", "Nam", ("elected", "male")),
        ("Được bầu", "Nữ", ("elected", "female")),
        ("Chỉ định", "nữ", ("appointed", "female")),
        ("Đương nhiên", "NAM", ("ex_officio", "male")),
        ("", "", ("", "")),
    ],
)
def test_origin_and_gender_values(
    tmp_path: Path, origin: str, gender: str, expected: tuple[str, str]
) -> None:
    path = write_csv(
        tmp_path / "o.csv", [VI_HEADER[:6], [1, "A B", "U", "chính thức", origin, gender]]
    )
    record = read_register(path)[0]
    assert (record.origin, record.gender) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/03/1970", date(1970, 3, 12)),  # dd/mm/yyyy, the Vietnamese way
        ("2/3/1970", date(1970, 3, 2)),
        ("12-03-1970", date(1970, 3, 12)),
        ("12.03.1970", date(1970, 3, 12)),
        ("1970-03-12", date(1970, 3, 12)),  # ISO
        (" 29/02/1996 ", date(1996, 2, 29)),
    ],
)
def test_date_forms(tmp_path: Path, text: str, expected: date) -> None:
    path = write_csv(
        tmp_path / "d.csv", [[*VI_HEADER[:4], "Ngày sinh"], [1, "A B", "U", "chính thức", text]]
    )
    assert read_register(path)[0].date_of_birth == expected


@pytest.mark.parametrize(
    "text", ["31/02/1980", "12/03/70", "1970", "12/13/1970", "hôm qua", "03/12"]
)
def test_bad_dates(tmp_path: Path, text: str) -> None:
    path = write_csv(
        tmp_path / "d.csv", [[*VI_HEADER[:4], "Ngày sinh"], [1, "A B", "U", "chính thức", text]]
    )
    problem = only_problem(path)
    assert (problem.line, problem.key, problem.column, problem.value) == (
        2,
        "bad_date",
        "date_of_birth",
        text.strip(),
    )


@pytest.mark.parametrize(
    "header",
    [
        ["STT", "Họ và tên", "Đơn vị", "Loại đại biểu", "Ngày, tháng, năm sinh"],
        ["stt", "HỌ VÀ TÊN", "ĐƠN VỊ", "LOẠI ĐẠI BIỂU", "NGÀY SINH"],
        ["So TT", "Ho va ten", "Don vi", "Loai dai bieu", "Ngay sinh"],
        ["TT", "Họ và tên (*)", "Đoàn đại biểu", "Tư cách đại biểu:", "Ngày sinh"],
        ["No.", "Name", "Delegation", "Kind", "Date of birth"],
        [
            unicodedata.normalize("NFD", h)
            for h in ["Số thẻ", "Họ tên", "Đơn vị", "Loại", "Ngày sinh"]
        ],
    ],
)
def test_header_spellings(tmp_path: Path, header: list[str]) -> None:
    path = write_csv(
        tmp_path / "h.csv", [header, [3, "Lê Đức Điệp", "U", "chính thức", "04/11/1978"]]
    )
    record = read_register(path)[0]
    assert (record.number, record.full_name, record.date_of_birth) == (
        3,
        "Lê Đức Điệp",
        date(1978, 11, 4),
    )


def test_extra_columns_and_blank_rows_are_ignored(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        [
            ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Loại đại biểu", "Ghi chú", "Ký tên"],
            [1, "Nguyễn Văn An", "Bí thư", "Xã A", "Chính thức", "đến muộn", ""],
            ["", "", "", "", "", "", ""],
            [],
            [2, "Trần Thị Bình", "", "Xã B", "Chính thức", "", ""],
        ],
    )
    assert [r.full_name for r in read_register(path)] == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_names_are_stored_nfc_with_single_spaces(tmp_path: Path) -> None:
    name = unicodedata.normalize("NFD", "  Nguyễn   Văn\u00a0Khỏe ")
    path = write_csv(tmp_path / "n.csv", [VI_HEADER[:4], [1, name, " Xã  Hưng Hóa", "chính thức"]])
    record = read_register(path)[0]
    assert record.full_name == "Nguyễn Văn Khỏe"
    assert record.unit == "Xã Hưng Hóa"


# ---------------------------------------------------------------- CSV dialects and encodings


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"], ids=["plain", "bom"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_csv_dialects(tmp_path: Path, delimiter: str, encoding: str, newline: str) -> None:
    rows: list[Row] = [
        VI_HEADER,
        [
            1,
            "Nguyễn Văn Khỏe",
            "Đảng bộ xã Hưng Hóa, huyện Tam Nông",
            "Đương nhiên",
            "Đương nhiên",
            "Nam",
            "12/03/1970",
            "Kinh",
            "Thạc sĩ",
            "A",
        ],
    ]
    path = write_csv(
        tmp_path / "r.csv", rows, delimiter=delimiter, encoding=encoding, newline=newline
    )
    record = read_register(path)[0]
    assert record.full_name == "Nguyễn Văn Khỏe"
    assert record.unit == "Đảng bộ xã Hưng Hóa, huyện Tam Nông"  # a comma inside a quoted cell
    assert record.kind is Kind.EX_OFFICIO
    assert record.sector == "A"


def test_utf16_unicode_text_from_excel(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "u.txt",
        [VI_HEADER[:4], [1, "Đặng Thị Ước", "Xã A", "Chính thức"]],
        delimiter="\t",
        encoding="utf-16",
    )
    assert read_register(path)[0].full_name == "Đặng Thị Ước"


def test_windows_1258_csv_is_refused_with_the_line(tmp_path: Path) -> None:
    text = (
        "STT,Ho va ten,Don vi,Loai dai bieu\n"
        "1,Nguyen Van An,Xa A,chinh thuc\n"
        "2,Trần Thị Ánh,Xã B,Chính thức\n"
    )
    path = tmp_path / "excel.csv"
    path.write_bytes(to_cp1258(text))
    problem = only_problem(path)
    assert (problem.line, problem.key) == (3, "bad_encoding")
    assert int(problem.value) == text.index("Trần") + 2  # the byte offset of the first bad byte


def test_utf16_without_bom_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes("STT,Họ và tên,Đơn vị,Loại\n1,A,B,chính thức\n".encode("utf-16-le"))
    problem = only_problem(path)
    assert problem.key == "bad_encoding"


# ---------------------------------------------------------------- XLSX


def test_xlsx_with_title_rows_above_the_header(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["ĐẢNG BỘ HUYỆN TAM NÔNG"],
            ["DANH SÁCH ĐẠI BIỂU DỰ ĐẠI HỘI LẦN THỨ XXIV"],
            [],
            VI_HEADER,
            [
                1,
                "Nguyễn Văn Khỏe",
                "Đảng bộ xã Hưng Hóa",
                "Đương nhiên",
                "Đương nhiên",
                "Nam",
                datetime(1970, 3, 12),
                "Kinh",
                "Thạc sĩ",
                "A",
            ],
            [
                2.0,
                "Trần Thị Ánh",
                "Đảng bộ xã Hưng Hóa",
                "Chính thức",
                "Bầu",
                "Nữ",
                "21/07/1985",
                "Kinh",
                "Đại học",
                "B",
            ],
        ],
    )
    records = read_register(path)
    assert [r.number for r in records] == [1, 2]  # 2.0: Excel stores every number as a float
    assert records[0].date_of_birth == date(1970, 3, 12)  # a real date cell
    assert records[1].date_of_birth == date(1985, 7, 21)  # a date typed as text
    assert records[1].kind is Kind.OFFICIAL


def test_xlsx_found_by_content_whatever_the_name(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "register.dat", [VI_HEADER[:4], [5, "A B", "U", "khách mời"]])
    assert read_register(path)[0].kind is Kind.GUEST


def test_xlsx_problems_carry_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            ["DANH SÁCH ĐẠI BIỂU"],
            [],
            VI_HEADER[:4],
            [1, "Nguyễn Văn An", "Xã A", "Chính thức"],
            [2, None, "Xã A", "Chính thức"],
            [1, "Trần Văn Bình", "Xã B", "Chính thức"],
            [4, "Lê Thị Cúc", "Xã B", "đại biểu"],
        ],
    )
    assert problems_of(path) == [(5, "missing_name"), (6, "duplicate_number"), (7, "bad_kind")]


def test_xlsx_header_problem_is_reported_on_the_header_row(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            ["DANH SÁCH ĐẠI BIỂU"],
            ["STT", "Họ và tên", "Loại đại biểu"],
            [1, "Nguyễn Văn An", "Chính thức"],
        ],
    )
    problem = only_problem(path)
    assert (problem.line, problem.key, problem.column) == (2, "missing_column", "unit")


def _xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(VI_HEADER[:4])
    sheet.append([1, "A B", "U", "chính thức"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _broken_sheet_xml() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return out.getvalue()


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("readme.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        lambda: _xlsx_bytes()[:700],
        lambda: b"PK\x03\x04" + b"\x00" * 200,
        _broken_sheet_xml,
        _zip_without_workbook,
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,  # Excel 97-2003 .xls
        lambda: b"",
    ],
    ids=[
        "truncated",
        "zip-header-only",
        "broken-sheet-xml",
        "zip-without-workbook",
        "xls",
        "empty",
    ],
)
def test_corrupt_xlsx(tmp_path: Path, content: object) -> None:
    path = tmp_path / "register.xlsx"
    path.write_bytes(content())  # type: ignore[operator]
    problem = only_problem(path)
    assert (problem.line, problem.key) == (0, "bad_xlsx")


# ---------------------------------------------------------------- all or nothing


def test_every_bad_row_is_listed_with_its_line(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        [
            VI_HEADER,  # line 1
            [1, "Nguyễn Văn An", "Xã A", "Chính thức", "Bầu", "Nam", "", "", "", ""],  # 2 ok
            [2, "", "Xã A", "Chính thức", "", "", "", "", "", ""],  # 3 no name
            [1, "Trần Văn Bình", "Xã B", "Chính thức", "", "", "", "", "", ""],  # 4 dup 1
            [4, "Lê Thị Cúc", "Xã B", "Chủ tịch", "", "Nữ", "", "", "", ""],  # 5 kind
            [5, "Phạm Văn Dũng", "Xã C", "Chính thức", "", "", "31/02/1980", "", "", ""],  # 6 date
            ["6a", "Hoàng Văn Em", "", "Chính thức", "Tự ứng cử", "Ông", "", "", "", ""],  # 7 four
            [],  # 8 blank
            [8, "Vũ Thị Giang", "Xã D", "Dự khuyết", "", "", "", "", "", ""],  # 9 ok
            [0, "Đỗ Văn Hải", "Xã D", "Chính thức", "", "", "", "", "", ""],  # 10 zero
            [100000, "Ngô Văn Ích", "Xã D", "Chính thức", "", "", "", "", "", ""],  # 11 too big
            [8, "", "Xã D", "Chính thức", "", "", "", "", "", ""],  # 12 dup+name
        ],
    )
    with pytest.raises(RegisterError) as caught:
        read_register(path)
    found = sorted((p.line, p.key, p.column) for p in caught.value.problems)
    assert found == [
        (3, "missing_name", "full_name"),
        (4, "duplicate_number", "number"),
        (5, "bad_kind", "kind"),
        (6, "bad_date", "date_of_birth"),
        (7, "bad_gender", "gender"),
        (7, "bad_number", "number"),
        (7, "bad_origin", "origin"),
        (7, "missing_unit", "unit"),
        (10, "bad_number", "number"),
        (11, "bad_number", "number"),
        (12, "duplicate_number", "number"),
        (12, "missing_name", "full_name"),
    ]
    by_line = {(p.line, p.key): p for p in caught.value.problems}
    assert by_line[(4, "duplicate_number")].value == "1|2"  # number 1, first used on line 2
    assert by_line[(12, "duplicate_number")].value == "8|9"
    assert by_line[(5, "bad_kind")].value == "Chủ tịch"
    assert "12 problem" in str(caught.value)


def test_a_repeated_number_is_reported_even_if_its_first_row_is_bad(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "dup.csv",
        [VI_HEADER[:4], [5, "", "Xã A", "Chính thức"], [5, "Trần Văn Bình", "Xã B", "Chính thức"]],
    )
    assert problems_of(path) == [(2, "missing_name"), (3, "duplicate_number")]


def test_line_numbers_count_lines_of_multi_line_cells(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "ml.csv",
        [
            [*VI_HEADER[:4], "Ghi chú"],
            [1, "Nguyễn Văn An", "Xã A", "Chính thức", "dòng một\ndòng hai\ndòng ba"],  # lines 2-4
            [2, "Trần Văn\nBình", "Xã A", "bogus", ""],  # lines 5-6
            [3, "", "Xã A", "Chính thức", ""],  # line 7
        ],
    )
    assert problems_of(path) == [(5, "bad_kind"), (7, "missing_name")]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], [(0, "empty_file")]),
        ([[]], [(0, "empty_file")]),
        ([VI_HEADER], [(0, "no_rows")]),
        ([VI_HEADER, [], ["", "", ""]], [(0, "no_rows")]),
        ([["STT", "Họ và tên", "Loại đại biểu"], [1, "A", "Chính thức"]], [(1, "missing_column")]),
        (
            [["Số thẻ", "Tên", "Ghi chú"], [1, "A", ""]],
            [(1, "missing_column")] * 3,
        ),  # "Tên" alone is the given name, not the full name
        (
            [["STT", "Họ và tên", "Đơn vị", "Loại", "Số thẻ"], [1, "A", "B", "Chính thức", 1]],
            [(1, "duplicate_column")],
        ),
    ],
)
def test_file_level_problems(
    tmp_path: Path, rows: list[Row], expected: list[tuple[int, str]]
) -> None:
    path = write_csv(tmp_path / "f.csv", rows)
    assert problems_of(path) == expected


def test_missing_column_names_the_field(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "f.csv", [["STT", "Họ và tên", "Loại đại biểu"], [1, "A", "Chính thức"]]
    )
    assert only_problem(path).column == "unit"


def test_unreadable_file(tmp_path: Path) -> None:
    problem = only_problem(tmp_path / "does-not-exist.csv")
    assert (problem.line, problem.key) == (0, "unreadable")


def test_map_headers_reports_on_the_given_line() -> None:
    columns, problems = map_headers(["STT", "Họ và tên"], line=4)
    assert columns == {"number": 0, "full_name": 1}
    assert {(p.line, p.key, p.column) for p in problems} == {
        (4, "missing_column", "unit"),
        (4, "missing_column", "kind"),
    }


def test_csv_rows_start_lines() -> None:
    data = b'a,b\n1,"x\ny"\n2,z\n'
    assert [line for line, _ in csv_rows(data)] == [1, 2, 4]


def test_parse_rows_accepts_rows_from_anywhere() -> None:
    rows = [(10, ["number", "full_name", "unit", "kind"]), (11, ["3", "Lê Anh", "U", "guest"])]
    assert parse_rows(rows) == [DelegateRecord(3, "Lê Anh", "U", Kind.GUEST)]


# ---------------------------------------------------------------- round trips

VI_KIND = {
    Kind.OFFICIAL: "Chính thức",
    Kind.EX_OFFICIO: "Đương nhiên",
    Kind.ALTERNATE: "Dự khuyết",
    Kind.GUEST: "Khách mời",
}
VI_ORIGIN = {"": "", "elected": "Bầu", "appointed": "Chỉ định", "ex_officio": "Đương nhiên"}
VI_GENDER = {"": "", "male": "Nam", "female": "Nữ"}


def _vi_row(r: DelegateRecord) -> Row:
    birth = r.date_of_birth.strftime("%d/%m/%Y") if r.date_of_birth else ""
    return [
        r.number,
        r.full_name,
        r.unit,
        VI_KIND[r.kind],
        VI_ORIGIN[r.origin],
        VI_GENDER[r.gender],
        birth,
        r.ethnicity,
        r.education,
        r.sector,
    ]


def test_demo_register_round_trips_through_a_vietnamese_csv(tmp_path: Path) -> None:
    records = demo_register(300)
    assert len({r.number for r in records}) == 300
    path = write_csv(
        tmp_path / "demo.csv", [VI_HEADER, *map(_vi_row, records)], encoding="utf-8-sig"
    )
    assert read_register(path) == records


def test_demo_register_round_trips_through_xlsx(tmp_path: Path) -> None:
    records = demo_register(60, seed=11)
    path = write_xlsx(tmp_path / "demo.xlsx", [["Danh sách"], VI_HEADER, *map(_vi_row, records)])
    assert read_register(path) == records


def test_demo_register_is_deterministic() -> None:
    assert demo_register(50) == demo_register(50)
    assert demo_register(50) != demo_register(50, seed=1)
    assert demo_register(1)[0].full_name == "Nguyễn Văn Khỏe"


names = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬĐàáảãạ ", min_size=1).filter(
    lambda s: s.strip() != ""
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            names,
            names,
            st.sampled_from(list(Kind)),
            st.sampled_from(["", "male", "female"]),
            st.one_of(st.none(), st.dates(date(1930, 1, 1), date(2010, 12, 31))),
        ),
        min_size=1,
        max_size=15,
    )
)
def test_any_register_round_trips(tmp_path: Path, rows: list[tuple]) -> None:  # type: ignore[type-arg]
    records = [
        DelegateRecord(
            number=i + 1,
            full_name=" ".join(name.split()),
            unit=" ".join(unit.split()),
            kind=kind,
            gender=gender,
            date_of_birth=birth,
        )
        for i, (name, unit, kind, gender, birth) in enumerate(rows)
    ]
    path = write_csv(tmp_path / "any.csv", [VI_HEADER, *map(_vi_row, records)], delimiter=";")
    assert read_register(path) == records
