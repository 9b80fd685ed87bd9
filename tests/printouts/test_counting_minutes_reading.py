"""The counting minutes of a round whose ballots a machine read (issue 14): how each box was
counted (read by machine as one team, checked by hand by the other), the sheets read, valid,
invalid and decided by the counting committee, and every sheet the committee decided (where it
is, what was read, the decision and its reason), in the document, its Markdown and its PDF (the
PDF's text read back with pypdfium2). A round counted by hand says nothing of a machine."""

import unicodedata
from pathlib import Path

import pypdfium2 as pdfium

from printouts.counting_minutes import counting_minutes_document, marks_read, write_counting_minutes
from printouts.document import Document, Grid, Text
from printouts.minutes_text import markdown
from session import elections as el
from session.ballot_reading import Doubt, RowMark, SheetPlace, outcome
from session.ballots import BallotInput, InvalidReason
from session.count import CountMode, Totals
from session.elections import CountingStarted, SheetEntered
from session.i18n import t
from tests.harness.elections_kit import SECTION_11, Run, committee, people
from tests.harness.printouts import NAMES, congress_in

K, S, U = RowMark.KEPT, RowMark.STRUCK, RowMark.UNSURE
MACHINE, HAND = "Máy", "Tổ 1"
IMAGE = "ab" * 32
FILE = "khay-01.pdf"
REASON = "Dòng 2 gạch rõ bằng bút bi"


def place(sheet: int) -> SheetPlace:
    return SheetPlace(IMAGE, FILE, (sheet + 1) // 2, 2 - sheet % 2, sheet)


def read(run: Run, sheet: int, marks: tuple[RowMark, ...], doubts: tuple[Doubt, ...] = ()) -> None:
    r = run.e("bch").current
    got = outcome(r.format, len(r.ballot), r.seats, marks, doubts)
    run.do(
        el.ballot_read(
            run.book, "bch", r.number, "main", "", place(sheet), "PRS-bch-1", marks, doubts, got,
            run.now(),
        )
    )  # fmt: skip


def machine_round() -> Run:
    """4 names for 3 seats, 3 ballots found; the machine (team MACHINE) reads them beside the
    hand team's tally sheet: two by rule, one the committee decides."""
    run = committee(3, people(4))
    run.vote(snapshot=SECTION_11, issued={"main": 3}, returned={"main": 3})
    run.do(CountingStarted("bch", 1, CountMode.SHEETS, (HAND, MACHINE), run.now(), MACHINE))
    read(run, 1, (K, S, K, K))
    read(run, 2, (S, S, S, S))  # every name struck: invalid by rule
    read(run, 3, (K, U, K, S), (Doubt.OUTSIDE_ROWS,))
    key = place(3).key
    decided = BallotInput.struck(2, 4)
    run.do(el.reading_decided(run.book, "bch", 1, key, decided, REASON, run.now()))
    totals = Totals.of([2, 0, 2, 1], 2, {InvalidReason.OTHER: 1})  # the same ballots
    run.do(SheetEntered("bch", 1, HAND, "main", "", totals, "", run.now()))
    return run


def texts(document: Document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Text)]


def test_marks_read_in_words() -> None:
    assert marks_read("k?sk", "en") == "struck: 3 · unsure: 2"
    assert marks_read("kkkk", "en") == t("election.reading.read.all_kept", "en")
    assert marks_read("", "vi") == t("election.reading.read.nothing", "vi")


def test_the_minutes_say_how_the_box_was_counted_and_list_the_decided_sheet() -> None:
    document = counting_minutes_document(
        congress_in("vi"), machine_round().e("bch"), 1, names=NAMES
    )
    lines = texts(document)
    how = t("ballot_pdf.minutes.reading.by_machine", "vi", box="main", reader=MACHINE,
            checkers=HAND)  # fmt: skip
    assert how == "Hòm phiếu main: máy đọc (Máy) và kiểm tra bằng tay (Tổ 1)"
    assert how in lines
    counts = t("ballot_pdf.minutes.reading.counts", "vi", box="main", read=3, valid=1, invalid=1,
               decided=1, pending=0)  # fmt: skip
    assert counts in lines
    assert t("ballot_pdf.minutes.reading.decided", "vi") in lines
    decided = next(g for g in document.blocks if isinstance(g, Grid) and "Tờ số" in g.header)
    (row,) = decided.rows
    assert row[0] == "3"
    assert row[1] == f"{FILE}, tr. 2, phiếu 1"
    assert row[2] == "main"
    assert row[3] == (
        "gạch: 4 · không rõ: 2 (có dòng máy không xác định được, có vết mực ngoài các dòng tên)"
    )
    assert row[4] == "gạch tên: 2 4"
    assert row[5] == REASON
    # the same in the Markdown
    text = unicodedata.normalize("NFC", markdown(document))
    for part in (how, REASON, f"{FILE}, tr. 2, phiếu 1", "gạch tên: 2 4"):
        assert part in text, part


def test_the_pdf_says_it_too(tmp_path: Path) -> None:
    path = tmp_path / "bb.pdf"
    write_counting_minutes(path, congress_in("en"), machine_round().e("bch"), 1, names=NAMES)
    pdf = pdfium.PdfDocument(str(path))
    text = " ".join(
        unicodedata.normalize("NFC", page.get_textpage().get_text_range()) for page in pdf
    )
    flat = " ".join(text.split())
    assert f"Box main: read by machine ({MACHINE}) and checked by hand ({HAND})" in flat
    assert "3 read, 1 valid and 1 invalid by rule, 1 decided by the counting committee" in flat
    assert t("ballot_pdf.minutes.reading.decided", "en") in flat
    for part in (REASON, "struck: 2 4", "unsure: 2", "ink outside the names' rows"):
        assert part in flat, part


def test_a_round_counted_by_hand_says_nothing_of_a_machine() -> None:
    run = committee(3, people(4))
    run.vote(snapshot=SECTION_11, issued={"main": 2}, returned={"main": 2})
    run.start_count()
    run.ballots([BallotInput.struck(1)] * 2)
    document = counting_minutes_document(congress_in("vi"), run.e("bch"), 1, names=NAMES)
    assert t("ballot_pdf.minutes.reading.title", "vi") not in texts(document)
    assert not any(isinstance(g, Grid) and "Tờ số" in g.header for g in document.blocks)
