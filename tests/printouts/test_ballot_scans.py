"""The scanned-ballot test data (tests/harness/ballot_scans.py, ballot_marks.py) checked against
the real ballots: the blank page is the PDF's page at the dpi, voters' ink lands on the row they
meant and nowhere else, the stamp is red and in its box, a rotated scan is found rotated by
OpenCV, every file format opens again, and a generated box's truth agrees with itself, with its
files and with session.ballot_reading.outcome.

Low dpi and few ballots: the whole file runs in a few seconds.
"""

import json
import math
import random
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from session.ballot_reading import RowMark, Verdict, marks_from_text, outcome
from session.ballots import BallotFormat
from tests.harness import ballot_marks as bm
from tests.harness import ballot_scans as bs
from tests.harness import scan_files as sf

DPI = 100


def new_ink(before: np.ndarray, after: np.ndarray, level: int = 40) -> np.ndarray:
    """Where the page got darker by more than `level` in any channel (a bool mask)."""
    return (before.astype(np.int16) - after.astype(np.int16)).max(axis=2) > level


def in_box(mask: np.ndarray, box: tuple[int, int, int, int]) -> int:
    x0, y0, x1, y1 = box
    return int(mask[max(y0, 0) : y1, max(x0, 0) : x1].sum())


def zone_px(geo, slot: int, number: int, dpi: float = DPI) -> tuple[int, int, int, int]:
    return bm.Place(geo, slot, dpi).box(geo.rows[number - 1].zone)


# ----------------------------------------------------------------------------- the blank page


@pytest.mark.parametrize("kind", ["short", "60"])
def test_the_blank_is_the_pdf_page_at_the_dpi(kind: str) -> None:
    page = bs.blank(kind, DPI)
    geo = page.geometry
    h, w = page.image.shape[:2]
    assert abs(w - geo.page[0] * DPI / 72) < 1 and abs(h - geo.page[1] * DPI / 72) < 1
    assert geo.page[0] == pytest.approx(geo.per_page * geo.width)
    assert page.image.dtype == np.uint8 and page.image.shape[2] == 3
    assert not page.image.flags.writeable  # shared: callers copy it
    # the names are printed where the geometry says: dark pixels in every name's box
    dark = page.image.min(axis=2) < 100
    for slot in range(geo.per_page):
        for row in geo.rows:
            assert in_box(dark, bm.Place(geo, slot, DPI).box(row.name)) > 10, row.number
    if kind == "short":
        assert (geo.paper, geo.per_page, geo.format) == ("a5", 2, BallotFormat.STRIKE_OUT)
    else:
        assert (geo.paper, geo.per_page) == ("a4", 1)


# ----------------------------------------------------------------------------- voters' ink


@pytest.mark.parametrize("kind", ["ballpoint", "felt", "pencil"])
@pytest.mark.parametrize("style", bm.STYLES)
def test_a_strike_inks_its_own_row_and_no_other(kind: str, style: str) -> None:
    page = bs.blank("60", DPI)
    geo = page.geometry
    rng = random.Random(hash((kind, style)) & 0xFFFF)
    img = page.copy()
    pen = bm.pick_pen(rng, kind=kind)
    bm.strike(img, geo, 0, DPI, rng, 7, pen, style=style, coverage=rng.uniform(0.5, 1))
    ink = new_ink(page.image, img, 15 if kind == "pencil" else 40)
    x0, y0, x1, y1 = zone_px(geo, 0, 7)
    total = int(ink.sum())
    assert total > 20
    assert in_box(ink, (x0 - 1, y0 - 1, x1 + 1, y1 + 1)) == total  # all of it in row 7's zone
    name = bm.Place(geo, 0, DPI).box(geo.rows[6].name)
    assert in_box(ink, name) > total * 0.5  # and mostly on the name
    for far in (1, 6, 8, 20, 37):
        assert in_box(ink, zone_px(geo, 0, far)) == 0 or far in (6, 8)


def test_a_strike_into_the_neighbour_reaches_the_next_row() -> None:
    page = bs.blank("60", DPI)
    geo = page.geometry
    img = page.copy()
    rng = random.Random(4)
    pen = bm.Pen("felt", bm.BLACK[0], 1.0, 1.0)
    bm.strike(img, geo, 0, DPI, rng, 10, pen, style="straight", into_neighbour=True)
    ink = new_ink(page.image, img)
    assert in_box(ink, zone_px(geo, 0, 10)) > 0
    assert in_box(ink, bm.Place(geo, 0, DPI).box(geo.rows[10].name)) > 0  # row 11's name


def test_pens_are_blue_black_or_grey_never_red() -> None:
    rng = random.Random(1)
    for held_out in (False, True):
        for _ in range(300):
            pen = bm.pick_pen(rng, held_out)
            b, g, r = pen.bgr
            assert r <= max(b, g) + 5, pen
            if not held_out and pen.kind == "ballpoint":
                assert 0.3 <= pen.width_mm <= 0.6
            if not held_out and pen.kind == "felt":
                assert 0.8 <= pen.width_mm <= 1.5


def test_the_stamp_is_red_and_in_the_stamp_box() -> None:
    page = bs.blank("short", DPI)
    geo = page.geometry
    for slot in (0, 1):
        img = page.copy()
        bm.stamp(img, geo, slot, DPI, random.Random(slot))
        b, g, r = (img[..., i].astype(np.int16) for i in range(3))
        red = (r - g > 50) & (r - b > 50)
        assert not ((page.image[..., 2].astype(np.int16) - page.image[..., 1]) > 50).any()
        total = int(red.sum())
        assert total > 200
        x0, y0, x1, y1 = bm.Place(geo, slot, DPI).box(geo.stamp)
        pad = round(3 * DPI / 72)
        assert in_box(red, (x0 - pad, y0 - pad, x1 + pad, y1 + pad)) >= 0.97 * total
        ys, xs = np.nonzero(red)
        assert x0 < xs.mean() < x1 and y0 < ys.mean() < y1
        assert img[red].min() > 0  # ink, not paint: the print shows through, nothing is black


def test_columns_marks_land_in_their_box() -> None:
    page = bs.blank("columns", DPI)
    geo = page.geometry
    assert geo.format is BallotFormat.YES_NO_COLUMNS
    img = page.copy()
    rng = random.Random(3)
    pen = bm.pick_pen(rng, kind="ballpoint")
    bm.box_mark(img, geo, 1, DPI, rng, 2, "disagree", pen, shape="x")
    bm.box_mark(img, geo, 1, DPI, rng, 4, "agree", pen, shape="tick")
    ink = new_ink(page.image, img)
    place = bm.Place(geo, 1, DPI)
    inside = in_box(ink, place.box(geo.rows[1].disagree)) + in_box(
        ink, place.box(geo.rows[3].agree)
    )
    assert inside == int(ink.sum()) > 20


def test_committee_marks_stay_where_they_belong() -> None:
    """A write-in and a signature touch no row; a line between two rows touches neither name."""
    page = bs.blank("60", DPI)
    geo = page.geometry
    rng = random.Random(9)
    pen = bm.pick_pen(rng, kind="ballpoint")
    place = bm.Place(geo, 0, DPI)
    for draw in (bm.write_in, bm.signature):
        img = page.copy()
        assert draw(img, geo, 0, DPI, rng, pen) is not None
        ink = new_ink(page.image, img)
        assert ink.sum() > 20
        assert all(in_box(ink, place.box(r.zone)) == 0 for r in geo.rows)
        assert all(in_box(ink, place.box(m)) == 0 for m in (*geo.marks, geo.qr))
    img = page.copy()
    bm.between_rows(img, geo, 0, DPI, rng, 12, pen)
    ink = new_ink(page.image, img)
    assert ink.sum() > 10
    for number in (12, 13):
        assert in_box(ink, place.box(geo.rows[number - 1].name)) == 0


# ----------------------------------------------------------------------------- the scanner


def rotation(blank: np.ndarray, scan: np.ndarray) -> float:
    """The scan's rotation against the blank, degrees counter-clockwise, by ORB features."""
    orb = cv2.ORB_create(3000)
    a, da = orb.detectAndCompute(cv2.cvtColor(blank, cv2.COLOR_BGR2GRAY), None)
    b, db = orb.detectAndCompute(cv2.cvtColor(scan, cv2.COLOR_BGR2GRAY), None)
    matches = cv2.BFMatcher(cv2.NORM_HAMMING, crossCheck=True).match(da, db)
    src = np.float32([a[m.queryIdx].pt for m in matches])
    dst = np.float32([b[m.trainIdx].pt for m in matches])
    m, _ = cv2.estimateAffinePartial2D(src, dst, method=cv2.RANSAC)
    return -math.degrees(math.atan2(m[1, 0], m[0, 0]))


@pytest.mark.parametrize("angle", [3.0, -4.5, 0.8])
def test_a_rotated_scan_is_found_rotated_by_opencv(angle: float) -> None:
    page = bs.blank("60", DPI)
    d = bs.Defects(angle=angle, blur=0.6, noise=4, seed=5)
    scan = bs.degrade(page.image, d)
    assert scan.shape[0] >= page.image.shape[0] and scan.shape[1] >= page.image.shape[1]
    assert rotation(page.image, scan) == pytest.approx(angle, abs=0.25)
    upside = bs.degrade(page.image, bs.Defects(angle=angle, upside_down=True, seed=5))
    assert abs(abs(rotation(page.image, upside) - angle) - 180) < 0.25


def test_the_lid_darkens_an_edge_and_scale_changes_the_size() -> None:
    page = bs.blank("short", DPI)
    scan = bs.degrade(page.image, bs.Defects(lid=20, seed=3))
    edges = [scan[:5].mean(), scan[-5:].mean(), scan[:, :5].mean(), scan[:, -5:].mean()]
    assert min(edges) < 100 and max(edges) > 200  # dark on one to three sides, not all four
    small = bs.degrade(page.image, bs.Defects(scale=0.97, angle=0.01, seed=1))
    same = bs.degrade(page.image, bs.Defects(scale=1.0, angle=0.01, seed=1))

    def extent(im: np.ndarray) -> tuple[int, int]:  # the print's, corner squares included
        ys, xs = np.nonzero(im.min(axis=2) < 128)
        return int(xs.max() - xs.min()), int(ys.max() - ys.min())

    assert extent(small) == pytest.approx([0.97 * v for v in extent(same)], abs=2)


def test_an_a5_pair_cut_apart_gives_two_ballots() -> None:
    page = bs.blank("short", DPI)
    halves = bs.cut_halves(page.image, page.geometry, DPI)
    assert [h.shape[1] for h in halves] == [round(page.geometry.width * DPI / 72)] * 2
    assert np.array_equal(np.hstack(halves), page.image)
    bigger = bs.on_larger_page(halves[1], DPI, random.Random(1))
    assert bigger.shape[:2] == (round(841.89 * DPI / 72), round(595.28 * DPI / 72))


@pytest.mark.parametrize(
    ("name", "count", "quality"),
    [("a.pdf", 3, 70), ("b.tif", 3, 80), ("c.tif", 2, None), ("d.jpg", 1, 60), ("e.png", 1, None)],
)
def test_files_in_every_format_open_again(
    tmp_path: Path, name: str, count: int, quality: int | None
) -> None:
    page = bs.blank("short", 60)
    pages = [bs.degrade(page.image, bs.Defects(angle=i, seed=i)) for i in range(count)]
    path = tmp_path / name
    sf.write_scans(path, pages, 60, quality)
    back = sf.read_scans(path, dpi=60)
    assert len(back) == count
    for original, read in zip(pages, back, strict=True):
        assert abs(read.shape[0] - original.shape[0]) <= 1
        assert abs(read.shape[1] - original.shape[1]) <= 1
        h, w = min(read.shape[0], original.shape[0]), min(read.shape[1], original.shape[1])
        assert np.abs(read[:h, :w].astype(int) - original[:h, :w]).mean() < 8
    if name.endswith(".pdf"):
        document = pdfium.PdfDocument(str(path))
        w, h = document[0].get_size()
        assert (w, h) == pytest.approx(
            (pages[0].shape[1] * 72 / 60, pages[0].shape[0] * 72 / 60), abs=0.1
        )
        document.close()
    else:
        with Image.open(path) as im:
            assert getattr(im, "n_frames", 1) == count
    if name == "e.png":
        assert np.array_equal(back[0], pages[0])
    with pytest.raises(ValueError):
        sf.write_scans(tmp_path / "x.png", pages * 2, 60)


# ----------------------------------------------------------------------------- a whole box


def test_a_box_s_truth_agrees_with_itself_and_its_files(tmp_path: Path) -> None:
    box = bs.generate_box("short", 14, 7, tmp_path, dpi=60, committee_share=0.5,
                          pages_per_file=(2, 4))  # fmt: skip
    assert len(box.ballots) == 14
    assert len({(b.file, b.page, b.slot) for b in box.ballots}) == 14  # each read once
    pages = {f: len(sf.read_scans(tmp_path / f, dpi=30)) for f in box.files}
    assert sorted(pages) == sorted(p.name for p in tmp_path.iterdir() if p.name != "truth.json")
    for b in box.ballots:
        assert 1 <= b.page <= pages[b.file]
        assert b.slot in (1, 2) and (b.slot == 1 or not b.cut)
        assert len(b.marks) == 12 and set(b.marks) <= {RowMark.KEPT, RowMark.STRUCK}
        assert b.stamped == (b.category != "no_stamp")
        if b.clear:
            assert b.expected == outcome(BallotFormat.STRIKE_OUT, 12, 10, b.marks)
            assert b.expected.verdict in (Verdict.VALID, Verdict.INVALID)
        else:
            assert b.category in bs.COMMITTEE_CATEGORIES
            assert b.expected.verdict is Verdict.UNDECIDED
    assert any(not b.clear for b in box.ballots) and any(b.clear for b in box.ballots)
    saved = json.loads((tmp_path / "truth.json").read_text("utf-8"))
    assert [marks_from_text(b["marks"]) for b in saved["ballots"]] == [b.marks for b in box.ballots]
    again = bs.generate_box("short", 14, 7, tmp_path / "again", dpi=60, committee_share=0.5,
                            pages_per_file=(2, 4))  # fmt: skip
    assert again.to_json()["ballots"] == box.to_json()["ballots"]  # the same seed, the same box


def test_the_ink_in_a_perfect_scan_is_on_the_struck_rows_only(tmp_path: Path) -> None:
    box = bs.generate_box("60", 4, 3, tmp_path, dpi=DPI, committee_share=0, defects=False,
                          formats=("png",))  # fmt: skip
    page = bs.blank("60", DPI)
    geo = page.geometry
    for b in box.ballots:
        scan = sf.read_scans(tmp_path / b.file)[0]
        ink = new_ink(page.image, scan, 25)
        for row, mark in zip(geo.rows, b.marks, strict=True):
            x0, y0, x1, y1 = zone_px(geo, 0, row.number)
            found = in_box(ink, (x0, y0 + 1, x1, y1 - 1))
            assert (found > 5) == (mark is RowMark.STRUCK), (b.ballot, row.number, found)


def test_columns_and_single_candidate_boxes(tmp_path: Path) -> None:
    for kind, n in (("single", 1), ("columns", 5)):
        box = bs.generate_box(kind, 10, 2, tmp_path / kind, dpi=50, committee_share=0.3)
        for b in box.ballots:
            assert len(b.marks) == n
            assert set(b.marks) <= {RowMark.AGREE, RowMark.DISAGREE, RowMark.BOTH,
                                    RowMark.NEITHER}  # fmt: skip
            if b.clear:
                assert b.expected == outcome(BallotFormat.YES_NO_COLUMNS, n, n, b.marks)
            else:
                assert b.category in bs.COLUMNS_CATEGORIES


def test_voters_choices_are_realistic() -> None:
    geo = bs.blank("60", 40).geometry
    rng = random.Random(11)
    counts = [sum(m is RowMark.STRUCK for m in bs.choose_marks(geo, rng)) for _ in range(3000)]
    share = lambda test: sum(map(test, counts)) / len(counts)  # noqa: E731
    assert 0.2 < share(lambda k: k == 10) < 0.4  # exactly enough
    assert 0.45 < share(lambda k: 10 < k <= 25) < 0.7  # a few more
    assert 0.04 < share(lambda k: k < 10) < 0.1  # too many kept: invalid
    assert 0.015 < share(lambda k: k == 60) < 0.05  # all struck: invalid


def test_held_out_scans_differ_from_the_tuning_set() -> None:
    rng = random.Random(5)
    tuning = [bs.sample_defects(rng) for _ in range(400)]
    held = [bs.sample_defects(rng, held_out=True) for _ in range(400)]
    assert max(d.blur for d in tuning) <= 1.0 < max(d.blur for d in held)
    assert max(d.noise for d in held) > max(d.noise for d in tuning)
    assert {d.jpeg for d in held} - set(range(60, 96))
    pens = {bm.pick_pen(rng, True).bgr for _ in range(200)}
    assert pens - {bm.pick_pen(rng).bgr for _ in range(200)}


def test_no_defect_cuts_off_a_corner_of_the_paper() -> None:
    """The registration squares survive every scan: rotated, sheared, scaled, in perspective,
    upside down, with the lid, the paper's four corners are all on the image."""
    page = np.full((560, 400, 3), 255, np.uint8)
    for y, x in ((0, 0), (0, 390), (550, 0), (550, 390)):
        page[y : y + 10, x : x + 10] = (0, 200, 0)
    rng = random.Random(2)
    for i in range(40):
        d = replace(bs.sample_defects(rng, held_out=i % 2 == 1), blur=0, noise=0)
        d = replace(d, angle=(-5, 5)[i % 2] if i < 4 else d.angle, lid=d.lid or 15 * (i % 3))
        scan = bs.degrade(page, d)
        green = ((scan[..., 1] > 120) & (scan[..., 0] < 100) & (scan[..., 2] < 100)).astype(
            np.uint8
        )
        count, _, stats, _ = cv2.connectedComponentsWithStats(green)
        areas = sorted(stats[1:, cv2.CC_STAT_AREA])
        assert count - 1 == 4 and areas[0] >= 60, (d, areas)
