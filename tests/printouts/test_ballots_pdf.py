"""Ballots as printed (printouts/ballots.py): the names read back from the real PDF in ballot
order, one page per ballot whatever the list, the agree / disagree columns when the list has no
surplus, the stamp box at the top left, later rounds, copies, determinism, glyph checks.

Real parts only: an election built through its events (tests/harness/elections_kit.py), reportlab's
output, pypdf's text extraction and pdfium's text boxes and rendering.
"""

import hashlib
import re
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from printouts.ballot_layout import A4_SHEET, A5_SHEET, BallotLayoutError
from printouts.ballots import (
    ballot_layout,
    suggested_copies,
    write_ballots,
)
from printouts.fonts import MissingGlyphError
from session.ballots import BallotFormat, ElectionError, Person, ballot_order
from session.elections import Election, ElectionKind, RoundAdded, RoundReason
from session.i18n import t
from tests.harness.elections_kit import Run, committee, people
from tests.harness.printouts import congress_in, page_texts

NUMBERED = re.compile(r"(?m)^\s*(\d+)\.\s*(\S.*?)\s*$")


def numbered_names(text: str) -> list[tuple[int, str]]:
    """The '12. Name' rows of a ballot's text, in the order they were drawn."""
    return [(int(n), name) for n, name in NUMBERED.findall(text)]


def text_boxes(pdf: Path, page: int, needle: str) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) in points of every occurrence of `needle` on the page."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        text = document[page].get_textpage()
        found = []
        search = text.search(needle, match_case=True)
        while (match := search.get_next()) is not None:
            start, count = match
            boxes = [text.get_charbox(i) for i in range(start, start + count)]
            found.append((
                min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes),
            ))  # fmt: skip
        return found
    finally:
        document.close()


def write(tmp_path: Path, e: Election, lang: str = "vi", copies: int = 1, **kw: object) -> Path:
    out = tmp_path / f"ballots-{lang}-{copies}.pdf"
    write_ballots(out, congress_in(lang), e, e.current.number, copies, **kw)  # type: ignore[arg-type]
    return out


# ----------------------------------------------------------------------------- order


def test_65_names_come_out_in_collation_order_each_once_on_one_page(tmp_path: Path) -> None:
    candidates = people(65)
    e = committee(50, candidates).e("bch")
    pdf = write(tmp_path, e)

    texts = page_texts(pdf)
    assert len(texts) == 1  # one ballot, one page
    rows = numbered_names(texts[0])
    expected = [p.full_name for p in ballot_order(candidates)]
    assert [name for _, name in rows] == expected
    assert [n for n, _ in rows] == list(range(1, 66))
    assert len(set(expected)) == 65  # each candidate once
    layout = ballot_layout(congress_in(), e, 1)
    assert (layout.paper, layout.columns, layout.format) == ("a4", 2, BallotFormat.STRIKE_OUT)
    assert layout.size >= 10  # two columns rather than a small font


def test_vietnamese_order_golden_list_with_nfd_input_and_dates_of_birth(tmp_path: Path) -> None:
    """Given name, family, middle, date of birth; CLDR letters and tones; the date of birth
    printed only for the two identical names, the older first."""

    def p(i: int, family: str, middle: str, given: str, born: date | None = None) -> Person:
        nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
        return Person(f"g{i:02d}", nfd(family), nfd(middle), nfd(given), born or date(1970, 1, i))

    expected = [
        "Bùi Thị An", "Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Văn Ánh", "Nguyễn Văn Ăn",
        "Nguyễn Văn Ân", "Nguyễn Văn Ẩn", "Nguyễn Văn Ấn", "Nguyễn Văn Dung", "Nguyễn Văn Dũng",
        "Nguyễn Văn Đạt", "Nguyễn Văn Điệp", "Nguyễn Văn Đông", "Đỗ Văn Hùng", "Trần Thị Hùng",
        "Trần Văn Hùng", "Trần Văn Hùng", "Nguyễn Văn Oanh", "Nguyễn Văn Ổn", "Nguyễn Văn Ơn",
        "Nguyễn Văn Uyên", "Nguyễn Văn Ưng", "Nguyễn Văn Ước", "Nguyễn Văn Ý", "Nguyễn Văn Yến",
    ]  # fmt: skip
    givens = ["Yến", "Ước", "Ấn", "Đông", "Anh", "Ơn", "Dũng", "Ý", "Ăn", "Điệp", "Uyên",
              "Ẩn", "Oanh", "Ánh", "Dung", "An", "Ưng", "Đạt", "Ổn", "Ân"]  # fmt: skip
    candidates = [p(i, "Nguyễn", "Văn", g) for i, g in enumerate(givens, 1)]
    candidates += [
        p(21, "Trần", "Văn", "Hùng", date(1961, 5, 17)),
        p(22, "Trần", "Thị", "Hùng"),
        p(23, "Bùi", "Thị", "An"),
        p(24, "Trần", "Văn", "Hùng", date(1958, 2, 3)),
        p(25, "Đỗ", "Văn", "Hùng"),
    ]
    e = committee(20, candidates).e("bch")
    text = page_texts(write(tmp_path, e))[0]

    rows = numbered_names(text)
    names = [re.sub(r"\s*sinh ngày.*$", "", name) for _, name in rows]
    assert names == expected
    assert [n for n, _ in rows] == list(range(1, 26))
    assert text.count("sinh ngày") == 2
    assert text.index("sinh ngày 03/02/1958") < text.index("sinh ngày 17/05/1961")


def test_english_rule_sets_print_english_order_and_texts(tmp_path: Path) -> None:
    candidates = [
        Person.from_full_name(f"e{i}", name, english=True)
        for i, name in enumerate(["Mary Smith", "John Adams", "Ann Smith", "Zoe Brown"], 1)
    ]
    run = Run().create(ruleset="custom").seats(3).add(candidates).approve()
    pdf = write(tmp_path, run.e("bch"), lang="en")
    text = page_texts(pdf)[0]
    assert [name for _, name in numbered_names(text)] == [
        "John Adams", "Zoe Brown", "Ann Smith", "Mary Smith"
    ]  # fmt: skip
    assert "BALLOT" in text and "(Elect 3)" in text
    assert t("ballot_pdf.ballot.stamp", "en") in " ".join(text.split())
    assert t("ballot_pdf.party", "en") not in text  # not a Party rule set


# ----------------------------------------------------------------------------- format and layout


def test_candidates_equal_to_seats_print_agree_and_disagree_columns(tmp_path: Path) -> None:
    e = committee(5, people(5), kind=ElectionKind.INSPECTION_COMMITTEE).e("bch")
    assert e.current.format is BallotFormat.YES_NO_COLUMNS
    pdf = write(tmp_path, e)
    text = page_texts(pdf)[0]
    assert t("ballot_pdf.ballot.instructions.yes_no_columns", "vi") in " ".join(text.split())
    assert "Gạch ngang" not in text
    assert [name for _, name in numbered_names(text)] == [
        p.full_name for p in ballot_order(people(5))
    ]
    # the header row: No. | Name | Agree | Disagree, left to right on one line, above the names
    heads = [min(text_boxes(pdf, 0, label), key=lambda b: b[3]) for label in
             ("STT", "Họ và tên", "Đồng ý", "Không")]  # fmt: skip
    assert max(b[3] for b in heads) - min(b[3] for b in heads) < 8
    assert [b[0] for b in heads] == sorted(b[0] for b in heads)
    first = text_boxes(pdf, 0, ballot_order(people(5))[0].full_name)[0]
    assert first[3] < min(b[1] for b in heads)


def test_a_surplus_list_prints_the_strike_out_format(tmp_path: Path) -> None:
    e = committee(5, people(6)).e("bch")
    text = page_texts(write(tmp_path, e))[0]
    assert "Gạch ngang cả họ và tên người không bầu" in text
    assert "Không đồng ý" not in text
    assert "(Bầu 5 đồng chí)" in text


def test_the_stamp_box_label_is_at_the_top_left_of_every_ballot(tmp_path: Path) -> None:
    e = committee(5, people(6)).e("bch")
    label = t("ballot_pdf.ballot.stamp", "vi")

    pdf = write(tmp_path, e, copies=2)  # short list: two A5 ballots on a landscape A4 sheet
    assert ballot_layout(congress_in(), e, 1).paper == "a5"
    boxes = text_boxes(pdf, 0, label)
    assert len(boxes) == 2
    half = A5_SHEET.width
    for slot, (left, _, right, top) in enumerate(sorted(boxes)):
        x = left - slot * half
        assert A5_SHEET.margin_x <= x and right - slot * half < half / 2  # left half
        assert top > A5_SHEET.height * 0.85  # top
        assert top <= A5_SHEET.height - A5_SHEET.margin_y
    # and above the title, the list and everything else of its ballot
    title = text_boxes(pdf, 0, "PHIẾU BẦU CỬ")
    assert all(b[3] < min(s[1] for s in boxes) for b in title)

    big = committee(50, people(65)).e("bch")
    pdf = write(tmp_path, big)
    ((left, _, right, top),) = text_boxes(pdf, 0, label)
    assert left >= A4_SHEET.margin_x and right < A4_SHEET.width / 2
    assert top > A4_SHEET.height * 0.88


def test_stamp_false_leaves_the_box_out(tmp_path: Path) -> None:
    e = committee(5, people(6)).e("bch")
    pdf = write(tmp_path, e, stamp=False)
    assert text_boxes(pdf, 0, t("ballot_pdf.ballot.stamp", "vi")) == []
    assert "PHIẾU BẦU CỬ" in page_texts(pdf)[0]


@pytest.mark.parametrize("count", [20, 45, 65, 120, 200])
def test_a_ballot_is_one_page_for_long_lists(tmp_path: Path, count: int) -> None:
    seats = -(-count * 10 // 13)  # a surplus within the 30 % cap
    candidates = people(count)
    e = committee(seats, candidates).e("bch")
    pdf = write(tmp_path, e)
    texts = page_texts(pdf)
    assert len(texts) == 1
    assert [n for n, _ in numbered_names(texts[0])] == list(range(1, count + 1))
    layout = ballot_layout(congress_in(), e, 1)
    assert layout.size >= 7 and layout.rows * layout.columns >= count


def test_a_list_that_cannot_fit_one_page_is_refused_before_writing(tmp_path: Path) -> None:
    e = committee(320, people(400)).e("bch")
    out = tmp_path / "too-long.pdf"
    with pytest.raises(BallotLayoutError, match="400"):
        write_ballots(out, congress_in(), e, 1, 10)
    assert not out.exists()


# ----------------------------------------------------------------------------- rounds


def test_a_second_round_ballot_says_the_remaining_seats(tmp_path: Path) -> None:
    """Variant B of domain rules 11 on a small list: 3 seats, one elected; round 2 for the 2
    remaining seats among the 3 remaining names."""
    candidates = people(4)
    run = committee(3, candidates)
    run.by_sheet({"p001": 200, "p002": 120, "p003": 110, "p004": 100}, 282, {}, issued=287)
    run.do(RoundAdded("bch", RoundReason.UNFILLED, (), "vote-r2", run.now()))
    run.approve()
    e = run.e("bch")
    assert e.current.number == 2 and e.current.seats == 2

    text = page_texts(write(tmp_path, e))[0]
    assert "(Bầu 2 đồng chí)" in text
    assert "Lần bầu thứ 2" in text
    assert "Giữ lại không quá 2 người" in text
    remaining = [p for p in candidates if p.id != "p001"]
    assert [name for _, name in numbered_names(text)] == [
        p.full_name for p in ballot_order(remaining)
    ]
    write_ballots(tmp_path / "round-1.pdf", congress_in(), e, 1, 1)  # round 1, reprinted
    first = page_texts(tmp_path / "round-1.pdf")[0]
    assert "Lần bầu thứ" not in first and "(Bầu 3 đồng chí)" in first


def test_no_ballot_before_the_list_is_approved(tmp_path: Path) -> None:
    run = Run().create().seats(5).add(people(6))
    with pytest.raises(ElectionError) as err:
        write(tmp_path, run.e("bch"))
    assert err.value.key == "list_not_approved"


# ----------------------------------------------------------------------------- copies, bytes


def test_copies_fill_two_a5_ballots_a_sheet_or_one_a4_ballot_a_page(tmp_path: Path) -> None:
    short = committee(5, people(6)).e("bch")
    texts = page_texts(write(tmp_path, short, copies=5))
    assert len(texts) == 3
    assert [x.count("PHIẾU BẦU CỬ") for x in texts] == [2, 2, 1]

    long = committee(50, people(65)).e("bch")
    texts = page_texts(write(tmp_path, long, copies=3))
    assert len(texts) == 3 and all(x.count("PHIẾU BẦU CỬ") == 1 for x in texts)
    assert all(len(numbered_names(x)) == 65 for x in texts)

    with pytest.raises(ValueError):
        write(tmp_path, short, copies=0)
    assert suggested_copies(287) == 302 and suggested_copies(20) == 26


def test_the_same_ballots_give_the_same_bytes(tmp_path: Path) -> None:
    e = committee(50, people(65)).e("bch")
    one, two = tmp_path / "one.pdf", tmp_path / "two.pdf"
    write_ballots(one, congress_in(), e, 1, 4)
    write_ballots(two, congress_in(), e, 1, 4)
    assert hashlib.sha256(one.read_bytes()).digest() == hashlib.sha256(two.read_bytes()).digest()


def test_a_name_the_font_cannot_print_raises_missing_glyph(tmp_path: Path) -> None:
    odd = Person("x1", "Trương", "", "张")  # CJK: not in DejaVu Sans
    e = committee(5, [*people(5), odd]).e("bch")
    out = tmp_path / "x.pdf"
    with pytest.raises(MissingGlyphError, match="U\\+5F20"):
        write_ballots(out, congress_in(), e, 1, 2)
    assert not out.exists()
    bad_congress = replace(congress_in(), name="Đại hội 大会 lần thứ I")
    with pytest.raises(MissingGlyphError):
        write_ballots(out, bad_congress, committee(5, people(6)).e("bch"), 1, 2)


def test_a_ballot_page_renders(tmp_path: Path) -> None:
    pdf = write(tmp_path, committee(5, people(6)).e("bch"), copies=2)
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        assert (round(page.get_width()), round(page.get_height())) == (842, 595)  # A4 landscape
        image = page.render(scale=72 / 72).to_pil().convert("L")
    finally:
        document.close()
    lo, hi = image.getextrema()
    assert lo < 60 and hi == 255
    # ink in the top-left corner (the stamp box) of the first ballot, none in the far margin
    w, h = image.size
    stamp = image.crop((int(A5_SHEET.margin_x) - 2, 0, int(w * 0.2), int(h * 0.2)))
    assert stamp.getextrema()[0] < 128
    assert image.crop((0, 0, 10, h)).getextrema()[0] == 255
