"""The counting minutes as a document (printouts/counting_minutes.py on printouts/document.py's
model, the congress minutes' own): its sections, tables and figures for the worked example of
domain rules 11, drafts and failed checks as warnings, and the three renderings of one document
saying the same thing: Markdown and HTML (printouts/minutes_text.py) and the PDF
(printouts/pdf.py), the PDF's text read back with pypdf."""

import html as html_lib
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from printouts.counting_minutes import counting_minutes_document, write_counting_minutes
from printouts.document import Document, Grid, Heading, Letterhead, Signatures, Style, Text, Title
from printouts.minutes_text import html, markdown, md_escape
from printouts.pdf import write_minutes_pdf
from session.ballots import BallotInput, InvalidReason, Person
from session.elections import BallotVoided, Election
from session.i18n import catalog, t
from tests.harness.elections_kit import SECTION_11, Run, committee, people
from tests.harness.printouts import (
    NAMES,
    ROOT,
    SECTION_11_VOTES,
    congress_in,
    page_texts,
    section_11,
)

SECTIONS = ("committee", "seats", "list", "attendance", "ballots", "checks", "votes", "result",
            "read")  # fmt: skip


def flat(text: str) -> str:
    return " ".join(text.split())


def grids(document: Document) -> list[Grid]:
    return [b for b in document.blocks if isinstance(b, Grid)]


def texts(document: Document, style: Style | None = None) -> list[str]:
    return [
        b.text
        for b in document.blocks
        if isinstance(b, Text) and (style is None or b.style is style)
    ]


@pytest.fixture(scope="module")
def example() -> tuple[Election, list[Person]]:
    run, by_rank = section_11(SECTION_11_VOTES)
    return run.e("bch"), by_rank


def english_with_two_boxes() -> tuple[Election, datetime]:
    run = Run().create(ruleset="custom").seats(2).add(people(3)).approve()
    run.counters()
    run.boxes(boxes=("main", "aux"))
    snapshot = replace(SECTION_11, present=10, entitled=12, adjusted=12)
    run.vote(snapshot=snapshot, issued={"main": 8, "aux": 2}, returned={"main": 8, "aux": 2})
    run.start_count()
    run.ballots([BallotInput.kept(1)] * 7 + [BallotInput.spoilt(InvalidReason.OTHER)])
    run.ballots([BallotInput.kept(2)] * 2, box="aux")
    run.do(BallotVoided("bch", 1, "A", 3, "nhập hai lần", run.now()))
    run.ballots([BallotInput.kept(1)])
    run.finish()
    return run.e("bch"), datetime(2025, 6, 20, 9, 5, tzinfo=UTC)


# ----------------------------------------------------------------------------- the document


def test_the_document_has_every_section_in_order(example: tuple[Election, list[Person]]) -> None:
    e, _ = example
    document = counting_minutes_document(congress_in("vi"), e, 1, names=NAMES)
    name = t("ballot_pdf.minutes.document", "vi", election=e.title, round=1)
    assert (document.lang, document.title, document.footer) == ("vi", name, name)
    head = document.blocks[0]
    assert isinstance(head, Letterhead)
    assert head.left[1] == t("ballot_pdf.minutes.committee_header", "vi")
    assert head.right == (t("ballot_pdf.party", "vi"), "Ngày 20 tháng 6 năm 2025")
    assert document.blocks[1] == Title(("BIÊN BẢN KIỂM PHIẾU", e.title, "Lần bầu thứ 1"))
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert headings == [t(f"ballot_pdf.minutes.section.{k}", "vi") for k in SECTIONS]
    assert texts(document, Style.WARNING) == []  # counted, reconciled: nothing to warn of
    assert document.blocks[-1] == Signatures(
        (("TRƯỞNG BAN KIỂM PHIẾU", "Lê Văn Kiểm"), ("THÀNH VIÊN", "Trần Thị Phiếu"),
         ("THÀNH VIÊN", "Ngô Quang Đếm")),
        "(ký, ghi rõ họ tên)",
    )  # fmt: skip


def test_the_figures_of_the_worked_example(example: tuple[Election, list[Person]]) -> None:
    e, by_rank = example
    document = counting_minutes_document(congress_in("vi"), e, 1, names=NAMES)
    lines = texts(document)
    for expected in [
        "Trưởng ban: Lê Văn Kiểm",
        "Đại hội đã biểu quyết bầu 45 người.",
        "Số đại biểu vắng mặt khi bỏ phiếu: 13",
        "Số phiếu không thu về: 2",
        f"– {t('election.invalid.write_in', 'vi')}: 1",
        "Số người trúng cử: 45/45.",
        "Đã bầu đủ số lượng cần bầu.",
    ]:
        assert expected in lines, expected
    checks = [x for x in lines if x.endswith(t("ballot_pdf.minutes.check.ok", "vi"))]
    assert [x.split(": ")[-1] for x in checks] == [
        "285 ≤ 287 ✓ đúng", "282 + 3 = 285 ✓ đúng", "cao nhất 281 ≤ 282 ✓ đúng",
        "10.637 ≤ 282 × 45 = 12.690 ✓ đúng",
    ]  # fmt: skip
    votes, ranking = grids(document)
    assert votes.header[2:5] == ("Số phiếu", "% so với 290", "% so với 282 phiếu hợp lệ")
    assert [row[1] for row in votes.rows] == [p.full_name for p in e.ballot(1)]
    assert [row[0] for row in votes.rows] == [f"{i}." for i in range(1, 55)]
    by_name = {row[1]: row[2:] for row in votes.rows}
    assert by_name[by_rank[0].full_name] == ("281", "96,90 %", "99,65 %", "Trúng cử")
    assert by_name[by_rank[45].full_name][:3] == ("146", "50,34 %", "51,77 %")
    assert by_name[by_rank[46].full_name] == ("145", "50,00 %", "51,42 %", "Không quá bán")
    assert len(ranking.rows) == 45 and ranking.header[0] == "Thứ tự"
    assert ranking.rows[0] == ("1.", by_rank[0].full_name, "281", "96,90 %", "99,65 %")
    assert [int(row[2]) for row in ranking.rows] == sorted(SECTION_11_VOTES[:45], reverse=True)


def test_a_draft_and_a_failed_check_are_warnings() -> None:
    run = committee(2, people(3))
    run.vote(snapshot=SECTION_11, issued={"main": 20}, returned={"main": 20})
    run.start_count()
    run.ballots([BallotInput.kept(1, 2)] * 12 + [BallotInput.kept(1)] * 5)
    document = counting_minutes_document(congress_in("vi"), run.e("bch"), 1, names=NAMES)
    warnings = texts(document, Style.WARNING)
    assert warnings[:2] == [
        t("ballot_pdf.minutes.draft", "vi"),
        t("ballot_pdf.minutes.mismatch", "vi"),
    ]
    assert warnings[2].endswith("17 + 0 ≠ 20 ✗ SAI") and len(warnings) == 3
    read = texts(document)[-1]
    assert "...... giờ ...... phút" in read


def test_boxes_and_the_count_s_trace_are_tables() -> None:
    e, read = english_with_two_boxes()
    document = counting_minutes_document(congress_in("en"), e, 1, names=NAMES, read_at=read)
    boxes, trace, votes, _ = grids(document)
    assert [row[0] for row in boxes.rows] == ["main", "aux"]
    assert [row[3:] for row in boxes.rows] == [("8", "8"), ("2", "2")]
    assert boxes.rows[0][2] == "Lê Văn Kiểm, Trần Thị Phiếu"  # who sealed it, by name
    assert trace.header[0] == t("election.trace.column.team", "en")
    ((team, seq, box, _, change, reason, _),) = trace.rows
    assert (team, seq, box, change, reason) == ("A", "3", "main", "voided, not counted",
                                                "nhập hai lần")  # fmt: skip
    assert votes.header[3:5] == ("% of 9", "% of 9 valid")
    assert "These minutes were read to the congress at 16:05 on 2025-06-20." in texts(document)


# ----------------------------------------------------------------------------- the renderings


def documents(example: tuple[Election, list[Person]]) -> list[Document]:
    e, _ = example
    english, read = english_with_two_boxes()
    return [
        counting_minutes_document(congress_in("vi"), e, 1, names=NAMES),
        counting_minutes_document(congress_in("en"), english, 1, names=NAMES, read_at=read),
    ]


def test_markdown_and_html_carry_every_text(example: tuple[Election, list[Person]]) -> None:
    for document in documents(example):
        md, page = markdown(document), html(document)
        for text in document.texts():
            assert md_escape(text) in md, text
            assert html_lib.escape(text, quote=True) in page, text
        headings = [b.text for b in document.blocks if isinstance(b, Heading)]
        for heading in headings:
            assert f"## {md_escape(heading)}\n" in md
            assert f"<h2>{html_lib.escape(heading)}</h2>" in page
        assert page.count("<table>") == len(grids(document))
        assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "\r" not in page
        assert (markdown(document), html(document)) == (md, page)  # the same bytes twice
    md = markdown(documents(example)[0])
    e, by_rank = example
    top = next(i for i, p in enumerate(e.ballot(1), 1) if p.id == by_rank[0].id)
    row = f"| {top}\\. | {by_rank[0].full_name} | 281 | 96,90 % | 99,65 % | Trúng cử |"
    assert row in md  # a GFM table row, numbers right-aligned
    assert "| ---: | --- | ---: | ---: | ---: | --- |" in md


def test_the_pdf_prints_the_document(
    example: tuple[Election, list[Person]], tmp_path: Path
) -> None:
    """write_counting_minutes is the minutes' renderer on this document: the same bytes, and
    every text of the document read back from the PDF."""
    e, _ = example
    english, read = english_with_two_boxes()
    cases = [("vi", e, None), ("en", english, read)]
    for (lang, election, at), document in zip(cases, documents(example), strict=True):
        out = tmp_path / f"{lang}.pdf"
        write_counting_minutes(out, congress_in(lang), election, 1, names=NAMES, read_at=at)
        write_minutes_pdf(tmp_path / f"{lang}-document.pdf", document)
        assert out.read_bytes() == (tmp_path / f"{lang}-document.pdf").read_bytes()
        pages = page_texts(out)
        text = flat(" ".join(pages))
        for line in document.texts():
            assert flat(line) in text, line
        page = t("printouts.page", lang, page=len(pages), pages=len(pages))
        assert page in pages[-1]


# ----------------------------------------------------------------------------- the words


def test_every_key_the_counting_minutes_use_exists_in_both_catalogs() -> None:
    """The counting minutes say everything through their `tr`/`line` (not a bare t() call the
    generic catalog test finds): every literal key and every f-string prefix is in both."""
    text = (ROOT / "printouts" / "counting_minutes.py").read_text(encoding="utf-8")
    keys = r"(?:ballot_pdf|election)\.[a-z_.]+[a-z_]"
    literal = set(re.findall(rf'"({keys})"', text))
    prefixes = set(re.findall(r'f"((?:ballot_pdf|election)\.[a-z_.]+\.)\{', text))
    assert len(literal) > 30 and len(prefixes) >= 5
    for lang in ("vi", "en"):
        known = catalog(lang)
        assert sorted(k for k in literal if k not in known) == [], lang
        assert sorted(p for p in prefixes if not any(k.startswith(p) for k in known)) == [], lang


def test_nothing_is_left_untranslated(example: tuple[Election, list[Person]]) -> None:
    for document in documents(example):
        texts = list(document.texts())
        assert not [x for x in texts if "⟦" in x], "untranslated key"
        assert not [x for x in texts if re.search(r"\{[a-z_]+\}", x)], "unfilled placeholder"
