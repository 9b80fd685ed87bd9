"""The counting minutes as printed (printouts/counting_minutes.py): every figure of the worked
example of domain rules 11 read back from the real PDF (attendance, ballots, the reconciliation
arithmetic, each candidate's votes and percentages, the elected in order of votes), the tie and
unfilled-seat variants, drafts and failed checks, English, determinism and glyph checks."""

import hashlib
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from printouts.counting_minutes import write_counting_minutes
from printouts.fonts import MissingGlyphError
from session.ballots import BallotInput, ElectionError, InvalidReason, Person
from session.elections import BallotCorrected, BallotVoided, BoxCounted, Election
from session.i18n import t
from tests.harness.elections_kit import SECTION_11, Run, committee, people
from tests.harness.printouts import (
    HIGH,
    LOW,
    NAMES,
    SECTION_11_VOTES,
    congress_in,
    page_texts,
    section_11,
)

VARIANT_A = [*HIGH, 152, 151, 150, 150, 145, 144, *LOW]  # #45 and #46 tied, one seat left
VARIANT_B = [*HIGH, 151, 145, 145, 144, 140, 130, *LOW]  # only 43 reach 146
ROW = re.compile(
    r"(\d+)\.\s*\n\s*([^\n]+?)\s*\n\s*(\d+)\s*\n\s*(\d+[,.]\d\d %)\s*\n\s*(\d+[,.]\d\d %)"
)


def minutes(tmp_path: Path, e: Election, lang: str = "vi", **kw: object) -> Path:
    out = tmp_path / f"minutes-{lang}.pdf"
    congress = congress_in(lang)
    write_counting_minutes(out, congress, e, e.current.number, names=NAMES, **kw)  # type: ignore[arg-type]
    return out


def flat(pdf: Path) -> str:
    return " ".join(" ".join(page_texts(pdf)).split())


def rows(text: str) -> list[tuple[int, str, int, str, str]]:
    return [(int(n), name, int(v), b, c) for n, name, v, b, c in ROW.findall(text)]


def between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i)]


# ----------------------------------------------------------------------------- §11


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Election, list[Person], Path]:
    run, by_rank = section_11(SECTION_11_VOTES)
    e = run.e("bch")
    return e, by_rank, minutes(tmp_path_factory.mktemp("minutes"), e)


def test_every_figure_of_the_worked_example_is_printed(
    example: tuple[Election, list[Person], Path],
) -> None:
    e, _, pdf = example
    text = flat(pdf)
    for expected in [
        "Nhiệm kỳ: 2025–2030",
        "Ngày bầu cử: 20/06/2025",
        "Đại hội: Đại hội đại biểu Đảng bộ huyện Tam Nông lần thứ XXIV",
        "Đại hội đã biểu quyết bầu 45 người",
        "Gồm 54 người, xếp theo thứ tự trên phiếu bầu",
        "Tổng số đại biểu được triệu tập: 300",
        "Số đại biểu có mặt khi bỏ phiếu: 287",
        "Số đại biểu vắng mặt khi bỏ phiếu: 13",
        "> 1/2 so với 290",
        "ít nhất 146 phiếu",
        "Số phiếu phát ra: 287",
        "Số phiếu thu vào: 285",
        "Số phiếu không thu về: 2",
        "Số phiếu hợp lệ: 282",
        "Số phiếu không hợp lệ: 3",
        f"– {t('election.invalid.signed_or_marked', 'vi')}: 2",
        f"– {t('election.invalid.write_in', 'vi')}: 1",
        # the reconciliation, with its arithmetic
        "285 ≤ 287 ✓ đúng",
        "282 + 3 = 285 ✓ đúng",
        "cao nhất 281 ≤ 282 ✓ đúng",
        "10.637 ≤ 282 × 45 = 12.690 ✓ đúng",
        # the table of §11: % of the base 290 / % of the 282 valid ballots
        "% so với 290",
        "% so với 282 phiếu hợp lệ",
        "96,90 %", "99,65 %", "52,07 %", "53,55 %", "51,72 %", "53,19 %",
        "50,34 %", "51,77 %", "50,00 %", "51,42 %", "49,66 %", "51,06 %",
        "Số người trúng cử: 45/45.",
        "Đã bầu đủ số lượng cần bầu.",
        "Trưởng ban: Lê Văn Kiểm",
        "Các thành viên: Trần Thị Phiếu, Ngô Quang Đếm",
        "TRƯỞNG BAN KIỂM PHIẾU",
        "(ký, ghi rõ họ tên)",
    ]:  # fmt: skip
        assert expected in text, expected
    assert "✗" not in text and "DỰ THẢO" not in text
    assert e.current.announced_at is not None
    at = e.current.announced_at.astimezone(congress_in().zone)
    assert f"đọc trước đại hội lúc {at.hour} giờ {at.minute:02d} phút" in text


def test_votes_per_candidate_in_ballot_order_with_both_percentages(
    example: tuple[Election, list[Person], Path],
) -> None:
    e, by_rank, pdf = example
    raw = "\n".join(page_texts(pdf))
    table = rows(between(raw, "7. Số phiếu bầu", "8. Kết quả"))
    ballot = e.ballot(1)
    assert [(n, name) for n, name, *_ in table] == [
        (i, p.full_name) for i, p in enumerate(ballot, 1)
    ]
    votes = dict(zip((p.id for p in by_rank), SECTION_11_VOTES, strict=True))
    assert [v for _, _, v, _, _ in table] == [votes[p.id] for p in ballot]
    by_name = {name: (v, b, c) for _, name, v, b, c in table}
    assert by_name[by_rank[0].full_name] == (281, "96,90 %", "99,65 %")
    assert by_name[by_rank[42].full_name] == (151, "52,07 %", "53,55 %")
    assert by_name[by_rank[43].full_name] == (150, "51,72 %", "53,19 %")
    assert by_name[by_rank[45].full_name] == (146, "50,34 %", "51,77 %")
    assert by_name[by_rank[46].full_name] == (145, "50,00 %", "51,42 %")  # never "quá bán"
    assert by_name[by_rank[47].full_name] == (144, "49,66 %", "51,06 %")


def test_the_elected_ranked_by_votes_exactly_filling_the_seats(
    example: tuple[Election, list[Person], Path],
) -> None:
    e, by_rank, pdf = example
    raw = "\n".join(page_texts(pdf))
    ranking = rows(between(raw, "Những người trúng cử", "Đạt quá bán nhưng"))
    number = {p.id: i for i, p in enumerate(e.ballot(1), 1)}
    votes = dict(zip((p.id for p in by_rank), SECTION_11_VOTES, strict=True))
    expected = sorted(by_rank[:45], key=lambda p: (-votes[p.id], number[p.id]))
    assert [(n, name) for n, name, *_ in ranking] == [
        (i, p.full_name) for i, p in enumerate(expected, 1)
    ]
    assert all(v * 2 > 290 for _, _, v, _, _ in ranking)
    text = flat(pdf)
    # 146 votes passes but ranks 46th: named as not elected
    assert f"không trúng cử: {by_rank[45].full_name}." in text


def test_the_minutes_are_numbered_and_deterministic(
    example: tuple[Election, list[Person], Path], tmp_path: Path
) -> None:
    e, _, pdf = example
    pages = page_texts(pdf)
    assert len(pages) >= 2
    for i, page in enumerate(pages, 1):
        assert f"Trang {i}/{len(pages)}" in page
    again = minutes(tmp_path, e)
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(pdf.read_bytes()).digest()


def test_a_minutes_page_renders(example: tuple[Election, list[Person], Path]) -> None:
    document = pdfium.PdfDocument(str(example[2]))
    try:
        page = document[0]
        assert (round(page.get_width()), round(page.get_height())) == (595, 842)  # A4
        image = page.render(scale=1).to_pil().convert("L")
    finally:
        document.close()
    assert image.getextrema() == (image.getextrema()[0], 255) and image.getextrema()[0] < 60


# ----------------------------------------------------------------------------- ties, unfilled


def test_a_tie_at_the_cut_off_is_stated_not_resolved(tmp_path: Path) -> None:
    run, by_rank = section_11(VARIANT_A)
    text = flat(minutes(tmp_path, run.e("bch")))
    tied = sorted(by_rank[44:46], key=lambda p: run.e("bch").current.ballot.index(p.id))
    assert "Số người trúng cử: 44/45." in text
    assert f"{tied[0].full_name}, {tied[1].full_name} cùng được 150 phiếu" in text
    assert "còn 1 vị trí" in text
    assert t("election.tie_policy.revote_tied", "vi") in text
    assert "Bằng phiếu tại ranh giới" in text
    assert "Đã bầu đủ" not in text


def test_unfilled_seats_are_stated(tmp_path: Path) -> None:
    run, _ = section_11(VARIANT_B)
    text = flat(minutes(tmp_path, run.e("bch")))
    assert "Số người trúng cử: 43/45." in text
    assert "Còn thiếu 2 người so với số lượng cần bầu" in text


# ----------------------------------------------------------------------------- drafts, failures


def _counting(issued: int, returned: int, ballots: list[BallotInput]) -> Run:
    run = committee(2, people(3))
    run.vote(snapshot=SECTION_11, issued={"main": issued}, returned={"main": returned})
    run.start_count()
    run.ballots(ballots)
    return run


def test_before_every_box_is_counted_the_minutes_say_draft(tmp_path: Path) -> None:
    run = _counting(20, 20, [BallotInput.kept(1, 2)] * 12 + [BallotInput.kept(1)] * 5)
    text = flat(minutes(tmp_path, run.e("bch")))
    assert "DỰ THẢO" in text
    assert "SỐ LIỆU CHƯA KHỚP" in text  # 17 entered of the 20 found in the box
    assert "17 + 0 ≠ 20 ✗ SAI" in text
    assert "...... giờ ...... phút" in text  # not read yet


def test_returned_above_issued_is_printed_as_a_failed_check(tmp_path: Path) -> None:
    run = _counting(2, 3, [BallotInput.kept(1)] * 3)
    run.do(BoxCounted("bch", 1, "main", run.now()))  # the box reconciles; the round does not
    text = flat(minutes(tmp_path, run.e("bch")))
    assert "DỰ THẢO" not in text
    assert "3 > 2 ✗ SAI" in text
    assert "SỐ LIỆU CHƯA KHỚP" in text


def test_no_minutes_before_counting(tmp_path: Path) -> None:
    run = committee(2, people(3))
    with pytest.raises(ElectionError) as err:
        minutes(tmp_path, run.e("bch"))
    assert err.value.key == "counting_not_started"


def test_a_name_the_font_cannot_print_raises_missing_glyph(tmp_path: Path) -> None:
    run, _ = section_11(SECTION_11_VOTES)
    out = tmp_path / "x.pdf"
    with pytest.raises(MissingGlyphError, match="k2"):
        write_counting_minutes(out, congress_in(), run.e("bch"), 1, names={**NAMES, "k2": "李"})
    assert not out.exists()


# ----------------------------------------------------------------------------- English, boxes


def test_english_minutes_with_two_boxes(tmp_path: Path) -> None:
    run = Run().create(ruleset="custom").seats(2).add(people(3)).approve()
    run.counters()
    run.boxes(boxes=("main", "aux"))
    snapshot = replace(SECTION_11, present=10, entitled=12, adjusted=12)
    run.vote(snapshot=snapshot, issued={"main": 8, "aux": 2}, returned={"main": 8, "aux": 2})
    run.start_count()
    run.ballots([BallotInput.kept(1)] * 7 + [BallotInput.spoilt(InvalidReason.OTHER)])
    run.ballots([BallotInput.kept(2)] * 2, box="aux")
    run.finish()
    e = run.e("bch")
    read = datetime(2025, 6, 20, 9, 5, tzinfo=UTC)  # 16:05 in Hà Nội
    pdf = minutes(tmp_path, e, lang="en", read_at=read)
    text = flat(pdf)
    for expected in [
        "COUNTING MINUTES",
        "Date of the election: 2025-06-20",
        "Delegates summoned: 12",
        "Present at the vote: 10",
        "Absent at the vote: 2",
        "Ballots issued: 10",
        "Ballots returned: 10",
        "Valid ballots: 9",
        "Invalid ballots: 1",
        "10 ≤ 10 ✓ correct",
        "9 + 1 = 10 ✓ correct",
        "% of 9 valid",  # the custom rule set's base is the valid ballots
        "77.78 %",
        "22.22 %",
        "Elected: 1 of 2.",
        "1 seat(s) unfilled",
        "Per ballot box:",
        t("election.box_kind.auxiliary", "en"),
        "Lê Văn Kiểm, Trần Thị Phiếu",  # who sealed the boxes, by name
        "read to the congress at 16:05 on 2025-06-20",
        "HEAD OF THE COUNTING COMMITTEE",
        "Page 1 of",
    ]:
        assert expected in text, expected
    assert t("ballot_pdf.party", "en") not in text


# ----------------------------------------------------------------------------- the count's trace


def test_corrected_and_voided_entries_are_listed_and_the_committee_named(tmp_path: Path) -> None:
    """The counting committee recorded by delegates' ids prints by name; an entry voided (and
    one corrected) during the count is listed with what it was, its reason and its time."""
    run = committee(2, people(3))
    run.counters(members=("d00020", "d00021"))
    run.vote(snapshot=SECTION_11, issued={"main": 4}, returned={"main": 4})
    run.start_count()
    run.ballots([BallotInput.kept(1, 2)] * 3 + [BallotInput.kept(3)])
    run.do(BallotVoided("bch", 1, "A", 2, "phiếu nhập hai lần", run.now()))
    run.do(BallotCorrected("bch", 1, "A", 4, BallotInput.kept(2, 3), "đọc nhầm số", run.now()))
    run.ballots([BallotInput.kept(1, 3)])
    run.finish()
    e = run.e("bch")
    congress = congress_in("vi")
    out = tmp_path / "minutes.pdf"
    names = {"d00020": "Lê Văn Kiểm", "d00021": "Trần Thị Phiếu"}
    write_counting_minutes(out, congress, e, 1, names=names)
    text = flat(out)
    assert "Trưởng ban: Lê Văn Kiểm" in text and "Trần Thị Phiếu" in text
    assert "d00020" not in text and "d00021" not in text
    trace = between(text, t("election.trace.title", "vi"), "7. Số phiếu bầu")
    void = e.current.count.voids[0]  # type: ignore[union-attr]
    when = void.at.astimezone(congress.zone).strftime("%H:%M")
    for expected in ["giữ lại: 1 2", "hủy bỏ, không tính", "phiếu nhập hai lần", when,
                     "giữ lại: 3", "sửa thành giữ lại: 2 3", "đọc nhầm số"]:  # fmt: skip
        assert expected in trace, expected
    assert "Số phiếu hợp lệ: 4" in text  # the voided entry counts nowhere
