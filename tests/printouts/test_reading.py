"""The ballot reader (printouts/reading) on generated scans of the real ballots (issue 14): what
it reads is what the voter marked, or it goes to the committee; it never reads a ballot wrongly
without flagging it. The figures at scale are bench/ballot_reading.py's; these are small boxes
with fixed seeds, each case named.
"""

import hashlib
import random
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from printouts.reading.pages import UnreadableFile, load
from printouts.reading.reader import BallotReader, SheetResult
from printouts.reading.shelf import Templates
from session.ballot_reading import Doubt, RowMark, Verdict, marks_text
from tests.harness import ballot_marks as bm
from tests.harness import ballot_scans as bs

DPI = 150


def reader_for(kind: str, target: bool = True) -> BallotReader:
    congress, election = bs.ballot_list(kind)
    shelf = Templates(congress, lambda i: election if i == election.id else None)
    return BallotReader(shelf, (election.id, 1) if target else None)


def read_box(kind: str, box: bs.BoxTruth) -> dict[tuple[str, int, int], SheetResult]:
    reader = reader_for(kind)
    found: dict[tuple[str, int, int], SheetResult] = {}
    for name in box.files:
        _, results = reader.read(box.folder / name)
        for r in results:
            found[(r.place.file, r.place.page, r.place.slot)] = r
    return found


def wrongly_read(box: bs.BoxTruth, found: dict[tuple[str, int, int], SheetResult]) -> list[str]:
    """Every ballot read wrongly without being flagged, missing, or read twice."""
    wrong = []
    for b in box.ballots:
        r = found.pop((b.file, b.page, b.slot), None)
        if r is None:
            wrong.append(f"{b.file} p{b.page} s{b.slot}: not read")
        elif r.outcome.verdict is Verdict.UNDECIDED:
            continue
        elif not b.clear:
            wrong.append(f"{b.file} p{b.page} s{b.slot}: a {b.category} taken as {r.outcome}")
        elif r.marks != b.marks or r.outcome != b.expected:
            got, want = marks_text(r.marks), marks_text(b.marks)
            wrong.append(f"{b.file} p{b.page} s{b.slot}: read {got}, marked {want}")
    wrong += [f"{k}: a sheet that is no ballot" for k in found]
    return wrong


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "count", "seed"),
    [("short", 24, 11), ("60", 8, 12), ("columns", 10, 13), ("single", 8, 14)],
)
def test_a_badly_scanned_box_is_read_or_flagged_never_wrong(
    tmp_path: Path, kind: str, count: int, seed: int
) -> None:
    box = bs.generate_box(kind, count, seed, tmp_path / kind, committee_share=0.3)
    found = read_box(kind, box)
    clear = [b for b in box.ballots if b.clear]
    assert wrongly_read(box, dict(found)) == []
    read_by_machine = [b for b in clear if found[(b.file, b.page, b.slot)].outcome == b.expected]
    assert len(read_by_machine) >= len(clear) // 2  # the machine reads; it does not only flag
    for b in box.ballots:  # every ballot the committee must see, it sees
        if not b.clear:
            assert found[(b.file, b.page, b.slot)].outcome.verdict is Verdict.UNDECIDED, b


def test_perfect_scans_in_every_format_are_read_as_marked(tmp_path: Path) -> None:
    formats = ("pdf", "tiff", "png", "jpeg")
    box = bs.generate_box("short", 12, 21, tmp_path, committee_share=0, defects=False,
                          formats=formats, format_weights=(1, 1, 1, 1), cut_share=0.5,
                          pages_per_file=(1, 2))  # fmt: skip
    found = read_box("short", box)
    assert wrongly_read(box, dict(found)) == []
    for b in box.ballots:  # ink is read as marked; a light pencil's stroke may be left to the
        read = found[(b.file, b.page, b.slot)].outcome  # committee, never read otherwise
        pencil_doubt = b.pen.kind == "pencil" and read.verdict is Verdict.UNDECIDED
        assert read == b.expected or pencil_doubt, b
    assert sum(found[(b.file, b.page, b.slot)].outcome == b.expected for b in box.ballots) >= 10
    assert {name.rsplit(".", 1)[1] for name in box.files} == {"pdf", "tif", "png", "jpg"}


def scanned_pair(tmp_path: Path, seed: int = 5) -> tuple[Path, np.ndarray, list[bs.Vote]]:
    """An uncut A5 pair, each ballot struck as planned and stamped, as a PNG."""
    page = bs.blank("short", DPI)
    geo = page.geometry
    rng = random.Random(seed)
    image = page.copy()
    votes = [bs.plan_vote(geo, rng, committee_share=0) for _ in range(2)]
    for slot, vote in enumerate(votes):
        bs.draw_vote(image, geo, slot, DPI, rng, vote)
    path = tmp_path / "pair.png"
    cv2.imwrite(str(path), image)
    return path, image, votes


def test_a_pair_upside_down_is_read_left_to_right_as_scanned(tmp_path: Path) -> None:
    path, image, votes = scanned_pair(tmp_path)
    cv2.imwrite(str(path), cv2.rotate(image, cv2.ROTATE_180))
    _, results = reader_for("short").read(path)
    assert [r.place.slot for r in results] == [1, 2]
    assert [r.place.sheet for r in results] == [1, 2]
    # upside down, the right-hand ballot of the printed pair comes first on the scan
    assert [r.marks for r in results] == [votes[1].marks, votes[0].marks]


def test_a_ballot_whose_corner_square_is_gone_is_not_guessed(tmp_path: Path) -> None:
    path, image, _ = scanned_pair(tmp_path)
    geo = bs.geometry("short")
    x0, y0, x1, y1 = bm.Place(geo, 0, DPI).box(geo.marks[3])  # the left ballot's bottom right
    image[y0 - 3 : y1 + 3, x0 - 3 : x1 + 3] = 255
    cv2.imwrite(str(path), image)
    _, results = reader_for("short").read(path)
    assert len(results) == 2
    left, right = results
    assert left.outcome.verdict is Verdict.UNDECIDED
    assert left.outcome.doubts == (Doubt.NOT_ALIGNED,)
    assert right.outcome.verdict is not Verdict.UNDECIDED


def test_a_code_that_cannot_be_read_is_read_again_from_the_aligned_sheet(tmp_path: Path) -> None:
    path, image, votes = scanned_pair(tmp_path)
    geo = bs.geometry("short")
    x0, y0, x1, y1 = bm.Place(geo, 1, DPI).box(geo.qr)  # the right ballot's code, smudged
    image[y0:y1, x0:x1] = cv2.GaussianBlur(image[y0:y1, x0:x1], (0, 0), 1.3)
    cv2.imwrite(str(path), image)
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    assert len(zxingcpp.read_barcodes(grey)) == 1  # the page shows one code only
    _, results = reader_for("short").read(path)
    assert [r.marks for r in results] == [v.marks for v in votes]


def test_a_stamp_missing_or_ink_outside_the_rows_goes_to_the_committee(tmp_path: Path) -> None:
    page = bs.blank("short", DPI)
    geo = page.geometry
    rng = random.Random(8)
    image = page.copy()
    pen = bm.pick_pen(rng, kind="ballpoint")
    bm.strike(image, geo, 0, DPI, rng, 2, pen)  # no stamp on the left ballot
    bm.stamp(image, geo, 1, DPI, rng)
    bm.strike(image, geo, 1, DPI, rng, 3, pen)
    bm.signature(image, geo, 1, DPI, rng, pen)
    path = tmp_path / "doubts.png"
    cv2.imwrite(str(path), image)
    left, right = reader_for("short").read(path)[1]
    assert left.outcome.doubts == (Doubt.NO_STAMP,)
    assert Doubt.OUTSIDE_ROWS in right.outcome.doubts and right.outside


def test_an_empty_back_page_is_no_ballot_and_a_page_of_something_else_goes_to_the_committee(
    tmp_path: Path,
) -> None:
    blank = np.full((1200, 850, 3), 255, np.uint8)
    cv2.imwrite(str(tmp_path / "back.png"), blank)
    assert reader_for("short").read(tmp_path / "back.png")[1] == ()
    letter = blank.copy()
    cv2.putText(letter, "a letter, not a ballot", (60, 300), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 0, 3)
    cv2.imwrite(str(tmp_path / "letter.png"), letter)
    (sheet,) = reader_for("short").read(tmp_path / "letter.png")[1]
    assert sheet.outcome.verdict is Verdict.UNDECIDED and sheet.outcome.doubts == (
        Doubt.NOT_ALIGNED,
    )


def test_checking_a_scanner_reads_each_ballot_against_its_own_round(tmp_path: Path) -> None:
    path, _, votes = scanned_pair(tmp_path)
    _, results = reader_for("short", target=False).read(path)
    assert [r.marks for r in results] == [v.marks for v in votes]


@pytest.mark.parametrize(
    ("name", "data"),
    [("empty.pdf", b""), ("cut.pdf", b"%PDF-1.7\n1 0 obj <<"), ("text.jpg", b"hello")],
)
def test_a_broken_file_is_named_with_its_problem(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableFile) as exc:
        load(path)
    assert name in str(exc.value)


def test_the_file_s_sha256_names_it(tmp_path: Path) -> None:
    path, _, _ = scanned_pair(tmp_path)
    assert load(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_marks_a_reader_gives_are_the_rows_of_the_ballot(tmp_path: Path) -> None:
    path, _, votes = scanned_pair(tmp_path)
    _, results = reader_for("short").read(path)
    for r, vote in zip(results, votes, strict=True):
        assert len(r.marks) == len(vote.marks) == 12
        assert set(r.marks) <= {RowMark.KEPT, RowMark.STRUCK}


def test_a_tick_over_a_struck_name_goes_to_the_committee(tmp_path: Path) -> None:
    """Every name struck (invalid by rule: it elects nobody), then a tick over one of them:
    it may mean "keep this one", which only the committee can say."""
    page = bs.blank("short", DPI)
    geo = page.geometry
    rng = random.Random(4)
    image = page.copy()
    pen = bm.pick_pen(rng, kind="ballpoint")
    for slot in range(2):
        bm.stamp(image, geo, slot, DPI, rng)
        for number in range(1, 13):
            bm.strike(image, geo, slot, DPI, rng, number, pen)
    name = geo.rows[4].name  # a tick within the name's own height, over its strike
    x, top, h = name.left + name.width * 0.6, name.top + 1, name.height - 2
    tick = np.array([[x, top + h * 0.55], [x + h * 0.3, top + h], [x + h * 0.9, top]])
    bm.ink(image, [bm.Place(geo, 1, DPI).px(tick)], pen, DPI, rng)
    path = tmp_path / "ticked.png"
    cv2.imwrite(str(path), image)
    plain, ticked = reader_for("short").read(path)[1]
    assert plain.outcome.verdict is Verdict.INVALID  # every name struck, nothing else
    assert ticked.outcome.verdict is Verdict.UNDECIDED
    assert ticked.marks[4] is RowMark.UNSURE


def test_a_thick_felt_strike_spilling_out_of_small_names_is_a_strike(tmp_path: Path) -> None:
    """On the 200-name list (7-8 pt names) a 1.4 mm felt pen's straight strike runs over the
    name's box above and below: still a strike along its line, not a mark beside it. (Wavy or
    doubled, such a stroke fills more than the name's row: the committee may be asked.)"""
    page = bs.blank("200", DPI)
    geo = page.geometry
    rng = random.Random(6)
    image = page.copy()
    bm.stamp(image, geo, 0, DPI, rng)
    pen = bm.Pen("felt", (25, 25, 25), 1.4, 0.95)
    struck = range(1, 21)
    for number in struck:
        bm.strike(image, geo, 0, DPI, rng, number, pen)
    path = tmp_path / "felt.png"
    cv2.imwrite(str(path), image)
    (result,) = reader_for("200").read(path)[1]
    assert [result.marks[n - 1] for n in struck] == [RowMark.STRUCK] * len(struck)
    assert set(result.marks[40:]) == {RowMark.KEPT}


def test_a_line_along_the_gap_between_two_rows_goes_to_the_committee(tmp_path: Path) -> None:
    """A line between two names (the upper one struck) strikes neither for sure: the strike's
    own line runs through its name's middle, and ink apart from it is the committee's."""
    page = bs.blank("short", DPI)
    geo = page.geometry
    rng = random.Random(9)
    image = page.copy()
    pen = bm.pick_pen(rng, kind="ballpoint")
    for slot in range(2):
        bm.stamp(image, geo, slot, DPI, rng)
        for number in (1, 3, 5):
            bm.strike(image, geo, slot, DPI, rng, number, pen)
    bm.between_rows(image, geo, 1, DPI, rng, 3, pen)
    path = tmp_path / "between.png"
    cv2.imwrite(str(path), image)
    plain, lined = reader_for("short").read(path)[1]
    assert plain.outcome.verdict is not Verdict.UNDECIDED
    assert lined.outcome.verdict is Verdict.UNDECIDED


def test_a_stamp_overhanging_its_box_is_no_ink_outside_the_rows(tmp_path: Path) -> None:
    """The committee's stamp pressed 2 mm low, over the edge of its box: its pale rim is the
    stamp's, not writing on the ballot."""
    page = bs.blank("short", DPI)
    geo = page.geometry
    assert geo.stamp is not None
    rng = random.Random(10)
    image = page.copy()
    low = replace(geo, stamp=replace(geo.stamp, top=geo.stamp.top + 2 * bm.MM,
                                     bottom=geo.stamp.bottom + 2 * bm.MM))  # fmt: skip
    pen = bm.pick_pen(rng, kind="ballpoint")
    for slot in range(2):
        bm.stamp(image, low, slot, DPI, rng)
        bm.strike(image, geo, slot, DPI, rng, 2, pen)
    path = tmp_path / "low-stamp.png"
    cv2.imwrite(str(path), image)
    for result in reader_for("short").read(path)[1]:
        assert result.outcome.doubts == ()
        assert result.outcome.verdict is not Verdict.UNDECIDED


def test_a_ballot_printed_with_bold_names_is_not_read_against_the_regular_blank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ballots printed before the names went regular: their bold letters would look like ink
    all over every name. Their code says another layout, so each goes to the committee."""
    from printouts import ballot_layout, ballots
    from printouts.fonts import BOLD
    from tests.harness.scan_files import render_pdf

    monkeypatch.setattr(ballot_layout, "NAME_FACE", BOLD)
    monkeypatch.setattr(ballots, "NAME_FACE", BOLD)
    congress, election = bs.ballot_list("short")
    pdf = tmp_path / "bold.pdf"
    ballots.write_ballots(pdf, congress, election, 1, 2, stamp=True)
    image = render_pdf(pdf, DPI, [0])[0].copy()
    monkeypatch.undo()
    geo = bs.geometry("short")
    rng = random.Random(12)
    for slot in range(2):
        bm.stamp(image, geo, slot, DPI, rng)
    path = tmp_path / "bold.png"
    cv2.imwrite(str(path), image)
    results = reader_for("short").read(path)[1]
    assert [r.outcome.doubts for r in results] == [(Doubt.UNKNOWN_CODE,)] * 2


def test_a_light_pencil_tick_on_a_kept_name_goes_to_the_committee(tmp_path: Path) -> None:
    """A tick in light pencil over a kept name, too faint to be ink pixel by pixel, mostly
    hidden in the letters and running along no line, still leaves strokes on the paper beside
    them: the row is not called kept."""
    page = bs.blank("60", DPI)
    geo = page.geometry
    rng = random.Random(2)
    image = page.copy()
    pen = bm.pick_pen(rng, kind="ballpoint")
    bm.stamp(image, geo, 0, DPI, rng)
    pencil = bm.Pen("pencil", (105, 105, 105), rng.uniform(0.4, 0.6), rng.uniform(0.45, 0.6))
    for number in range(1, 11):  # 50 names kept of 60: valid
        bm.strike(image, geo, 0, DPI, rng, number, pen)
    bm.tick(image, geo, 0, DPI, rng, 20, pencil, on_name=True)
    path = tmp_path / "pencil-tick.png"
    cv2.imwrite(str(path), image)
    (ticked,) = reader_for("60").read(path)[1]
    assert ticked.outcome.verdict is Verdict.UNDECIDED
    assert ticked.marks[19] is RowMark.UNSURE
    assert ticked.marks[:10] == (RowMark.STRUCK,) * 10


@pytest.mark.parametrize("seed", [6, 12])
def test_a_tick_beside_a_struck_name_goes_to_the_committee(tmp_path: Path, seed: int) -> None:
    """Every name struck, and a tick after the end of one of them, apart from the strike or
    drawn on from its end: it stands up from the strike's line, which the end of a strike
    does not."""
    page = bs.blank("60", DPI)
    geo = page.geometry
    rng = random.Random(seed)
    image = page.copy()
    pen = bm.pick_pen(rng, kind="ballpoint")
    bm.stamp(image, geo, 0, DPI, rng)
    for number in range(1, 61):
        bm.strike(image, geo, 0, DPI, rng, number, pen)
    bm.tick(image, geo, 0, DPI, rng, 9, pen)
    path = tmp_path / "tick-beside.png"
    cv2.imwrite(str(path), image)
    (ticked,) = reader_for("60").read(path)[1]
    assert ticked.outcome.verdict is Verdict.UNDECIDED
    assert ticked.marks[8] is RowMark.UNSURE
    assert set(ticked.marks[:8] + ticked.marks[9:]) == {RowMark.STRUCK}
