"""The geometry a ballot reader uses is where the PDF really prints things (issue 14): every name
inside its box, the registration squares black, the code readable and the same on every ballot."""

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp

from printouts.ballot_geometry import BallotGeometry, Box, ballot_geometry
from printouts.ballots import write_ballots
from session.ballot_reading import parse_code
from session.ballots import BallotFormat
from session.elections import Election, ElectionKind
from tests.harness.elections_kit import committee, people
from tests.harness.printouts import congress_in

DPI = 150
K = DPI / 72


def written(tmp_path: Path, e: Election, copies: int = 2) -> tuple[Path, BallotGeometry]:
    out = tmp_path / "ballots.pdf"
    congress = congress_in("vi")
    write_ballots(out, congress, e, 1, copies)
    return out, ballot_geometry(congress, e, 1)


def page_image(pdf: Path, page: int = 0) -> np.ndarray:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return np.asarray(doc[page].render(scale=K, grayscale=True).to_pil().convert("L"))
    finally:
        doc.close()


def name_boxes(pdf: Path, name: str) -> list[Box]:
    """Where pdfium finds `name` on the first page, in the reader's coordinates (y down)."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0]
        height = page.get_height()
        text = page.get_textpage()
        found, search = [], text.search(name, match_case=True)
        while (match := search.get_next()) is not None:
            boxes = [text.get_charbox(i) for i in range(match[0], match[0] + match[1])]
            left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
            top, bottom = height - max(b[3] for b in boxes), height - min(b[1] for b in boxes)
            found.append(Box(left, top, right, bottom))
        return found
    finally:
        doc.close()


def inside(inner: Box, outer: Box, slack: float = 0.6) -> bool:
    across = inner.left >= outer.left - slack and inner.right <= outer.right + slack
    return across and inner.top >= outer.top - slack and inner.bottom <= outer.bottom + slack


@pytest.mark.parametrize(("count", "seats"), [(12, 10), (60, 50), (200, 180)])
def test_every_name_is_printed_inside_its_box_and_rows_do_not_overlap(
    tmp_path: Path, count: int, seats: int
) -> None:
    e = committee(seats, people(count)).e("bch")
    pdf, g = written(tmp_path, e)
    assert g.format is BallotFormat.STRIKE_OUT and len(g.rows) == count
    names = {p.id: p.full_name for p in people(count)}
    for row, person in zip(g.rows, e.ballot(1), strict=True):
        found = name_boxes(pdf, names[person.id])
        assert any(inside(b, row.name) for b in found), (row.number, found, row.name)
        assert inside(row.name, row.zone)
    for a, b in zip(g.rows, g.rows[1:], strict=False):
        if a.zone.left == b.zone.left:
            assert a.zone.bottom <= b.zone.top + 1e-6


def test_the_registration_squares_are_black_and_the_code_reads_back_on_each_ballot(
    tmp_path: Path,
) -> None:
    e = committee(10, people(12)).e("bch")
    pdf, g = written(tmp_path, e)
    assert g.per_page == 2
    image = page_image(pdf)
    for slot in range(2):
        for mark in g.marks:
            x0, y0 = int((mark.left + slot * g.width) * K), int(mark.top * K)
            x1, y1 = int((mark.right + slot * g.width) * K), int(mark.bottom * K)
            assert image[y0 + 2 : y1 - 2, x0 + 2 : x1 - 2].mean() < 40
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes] == [g.code, g.code]  # the same on every ballot: no serial
    assert parse_code(g.code) == ("bch", 1, g.code.rsplit("|", 1)[1])
    lefts = sorted(c.position.top_left.x / K for c in codes)  # inside the quiet zone
    for slot, left in enumerate(lefts):
        assert g.qr.left < left - slot * g.width < g.qr.left + g.qr.width * 0.2


def test_the_columns_format_has_agree_and_disagree_boxes_right_of_each_name(
    tmp_path: Path,
) -> None:
    e = committee(5, people(5), kind=ElectionKind.INSPECTION_COMMITTEE).e("bch")
    _, g = written(tmp_path, e)
    assert g.format is BallotFormat.YES_NO_COLUMNS
    for row in g.rows:
        assert row.agree is not None and row.disagree is not None
        assert row.name.right < row.agree.left < row.disagree.left
        assert row.agree.top == row.zone.top and row.disagree.right == pytest.approx(row.zone.right)


def test_the_code_changes_with_the_names_and_the_round_but_not_with_the_copies(
    tmp_path: Path,
) -> None:
    congress = congress_in("vi")
    a = committee(10, people(12)).e("bch")
    b = committee(10, people(13)).e("bch")
    assert ballot_geometry(congress, a, 1).code != ballot_geometry(congress, b, 1).code
    assert ballot_geometry(congress, a, 1) == ballot_geometry(congress, a, 1)
    assert parse_code("PB1|bch|x|abc") is None and parse_code("hello") is None
