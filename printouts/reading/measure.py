"""Every row of an aligned ballot measured against the blank: struck, kept, or unsure; and what
else is on the sheet (ink outside the rows, the stamp).

New ink is what is dark on the sheet, not printed on the blank, and not red (the stamp). On a
strike-out ballot a name is **struck** when new ink runs through the name's own box across most
of its width and stays within the row; **kept** when the row holds no new ink; anything between
— a short mark, a tick, a circle round the name (ink above and below it), a stroke along the
line between two rows — is **unsure**, and the committee decides. On the columns format each box
is marked, empty, or unsure by the share of its inside that is new ink. Two thresholds per
measure, as VxSuite has (ballot-reading notes): below the low one clear, above the high one
marked, between them a person decides.
"""

from dataclasses import dataclass, replace

import cv2
import numpy as np

from printouts.ballot_geometry import BallotGeometry, Box, NameRow
from printouts.reading.template import SCALE, Template
from session.ballot_reading import Doubt, RowMark
from session.ballots import BallotFormat

INK_DARK = 70  # darker than the paper by this much: ink
FAINT_DARK = 22  # ... by this much than the blank as blurred as the scan: a light pencil
NEAR_LETTER = 0.35
PAPER = 15  # the blurred blank's darkness below which it is paper between letters
LINE_KEPT = 4.0  # faint darkness along a line above which a row is not called kept
LINE_STRUCK = 10.0  # ... at or above which (across enough of the name) it is a strike
LINE_HIT = 8  # paper on the line this much darker than the blank, on average: the stroke
SEGMENTS = 8  # a faint line's extent is judged by eighths of the name's width
LINE_PIXELS = 6  # a line is judged on at least this many pixels of paper...
LINE_SHARE = 0.05  # ... and this share of the name's width
RED_INK = 60  # redder than green and blue by this much: the stamp
EDGE_MM = 3.0  # the sheet's own edge, where a scanner's dark border shows, is not looked at
MM = 72 / 25.4

# Strike-out rows: the share of the name's width a stroke runs across, looked for within
# BAND_EM × the name's size of its fitted line; a stroke shows in DENSE of the open columns.
STRUCK_ACROSS = 0.28
KEPT_ACROSS = 0.06
BAND_EM = 0.3
DENSE = 0.6
RING = 0.30  # ink above or below the name across this share of it: a circle, not a strike
SPECK = 30  # new-ink pixels on a row (under 1 mm²) that are a speck or a letter's edge, not a mark
# Columns boxes: the share of a box's inside that is new ink.
BOX_MARKED = 0.030
BOX_EMPTY = 0.008
BOX_INSET = 0.15
# Outside the rows: this many new-ink pixels are writing, a signature, a stray stroke.
OUTSIDE = 60
STAMP_RED = 0.03  # the share of the stamp box that is red ink
SHIFT = 3  # pixels a row may sit off where the sheet's alignment puts it


@dataclass(frozen=True, slots=True)
class RowMeasure:
    """What was measured on one row (kept for the committee's screen and the scoring report)."""

    number: int
    mark: RowMark
    across: float = 0.0  # strike-out: the share of the name's width with ink through it
    above: float = 0.0  # strike-out: the share with ink above / below the name
    below: float = 0.0
    stray: int = 0  # new-ink pixels in the row outside the name's box
    line: float = 0.0  # strike-out: faint darkness along the best line across the name
    line_cover: float = 0.0  # ... and the share of the name it runs across
    agree: float = 0.0  # columns: the share of each box that is new ink
    disagree: float = 0.0


@dataclass(frozen=True, slots=True)
class SheetMeasure:
    rows: tuple[RowMeasure, ...]
    doubts: tuple[Doubt, ...]
    outside: tuple[Box, ...]  # where ink outside the rows is (points), for the committee


@dataclass(frozen=True, slots=True)
class _Sheet:
    """The aligned sheet: how much darker than the paper each pixel is, where it is red, and
    which of the blank's blurs (template.BLURS) looks most like its printing."""

    dark: np.ndarray  # int16
    red: np.ndarray  # bool
    blur: int = 0

    @classmethod
    def of(cls, grey: np.ndarray, red: np.ndarray, template: Template) -> "_Sheet":
        smooth = cv2.GaussianBlur(grey, (3, 3), 0)  # noise down; a dotted pencil line stays
        paper = float(np.percentile(smooth[::7, ::7], 90))
        dark = paper - smooth.astype(np.int16)
        return cls(dark, red >= RED_INK, _blur(dark, template))


def _blur(dark: np.ndarray, template: Template) -> int:
    """The blur of the blank that looks most like the scan round the printed list's letters."""
    top, bottom, left, right = _px(template.geometry.list_area)
    seen = np.clip(dark[top:bottom:2, left:right:2], 0, 255).astype(np.float32)
    errors = []
    for soft in template.soft:
        expected = soft[top:bottom:2, left:right:2]
        near = expected > 8  # the letters and their halos, not the paper between the rows
        errors.append(float(np.square(seen - expected)[near].mean()))
    return int(np.argmin(errors))


def new_ink(sheet: _Sheet, template: Template) -> np.ndarray:
    """Where the sheet holds ink the blank does not (the stamp's red left out), away from the
    sheet's edges."""
    ink = (sheet.dark > INK_DARK) & ~template.printed & ~sheet.red
    edge = round(EDGE_MM * MM * SCALE)
    ink[:edge, :] = False
    ink[-edge:, :] = False
    ink[:, :edge] = False
    ink[:, -edge:] = False
    return ink


@dataclass(frozen=True, slots=True)
class RowInk:
    """A row's new ink (faint ink included), its clear ink alone, the blank's ink there, and
    how strongly a line of faint ink runs across the paper between the letters (`line`: the
    mean darkness beyond the blank along the best straight line, see :func:`_line`)."""

    ink: np.ndarray
    strong: np.ndarray
    printed: np.ndarray
    line: "Line"


def row_ink(sheet: _Sheet, template: Template, zone: Box, name: Box) -> RowInk:
    """A row's ink once the row is aligned on the blank's own letters (within SHIFT pixels:
    paper is not perfectly flat), as VxSuite refines each target by template matching in a
    small radius. Ink is what is clearly darker than the paper away from the printed letters,
    or darker by FAINT_DARK than the blank blurred as this scan is blurred (a light pencil; the
    blur's halo round a letter is no ink)."""
    top, bottom, left, right = _px(zone)
    h, w = sheet.dark.shape
    top, left = max(top, SHIFT), max(left, SHIFT)
    bottom, right = min(bottom, h - SHIFT), min(right, w - SHIFT)
    window = sheet.dark[top - SHIFT : bottom + SHIFT, left - SHIFT : right + SHIFT]
    blank = template.darkness[top:bottom, left:right].astype(np.float32)
    score = cv2.matchTemplate(np.clip(window, 0, 255).astype(np.float32), blank,
                              cv2.TM_CCOEFF_NORMED)  # fmt: skip
    _, _, _, (dx, dy) = cv2.minMaxLoc(score)
    rows = slice(top - SHIFT + dy, bottom - SHIFT + dy)
    cols = slice(left - SHIFT + dx, right - SHIFT + dx)
    printed = template.tight[top:bottom, left:right]
    dark, not_red = sheet.dark[rows, cols], ~sheet.red[rows, cols]
    strong = (dark > INK_DARK) & ~printed & not_red
    soft = template.soft[sheet.blur][top:bottom, left:right]
    # Next to a letter the scan may differ from the blank by more than a light pencil does:
    # there faint ink must stand out further (NEAR_LETTER of the letter's own darkness).
    faint = dark - soft * (1 + NEAR_LETTER) > FAINT_DARK
    n_top, n_bottom, n_left, n_right = _px(name)
    inside = (slice(n_top - top, n_bottom - top), slice(n_left - left, n_right - left))
    plain = template.plain[sheet.blur][top:bottom, left:right][inside]
    excess = np.clip(dark[inside] - plain.astype(np.int16), -40, 80)
    paper = (plain < PAPER) & not_red[inside]
    return RowInk(strong | faint & not_red, strong, printed, _line(excess, paper))


SLOPES = np.linspace(-0.12, 0.12, 9)  # a strike's slant across the name, rise per pixel


@dataclass(frozen=True, slots=True)
class Line:
    """The best straight line of faint ink across a name: its mean darkness beyond the blank
    over the paper it crosses, and the share of the name's width it runs across."""

    mean: float = 0.0
    cover: float = 0.0


def _line(excess: np.ndarray, paper: np.ndarray) -> Line:
    """The best straight line across the name, counting only the paper between the letters (a
    stroke through a letter cannot be seen): a light pencil's stroke, too faint pixel by pixel,
    still stands out along its line, and a tick or a speck does not run across the name."""
    h, w = excess.shape
    xs = np.arange(w)
    offsets = np.rint(SLOPES[:, None] * (xs - w / 2)[None, :]).astype(int)  # (slopes, w)
    rows = np.arange(h)[None, :, None] + offsets[:, None, :]  # (slopes, h, w)
    inside = (rows >= 0) & (rows < h)
    rows = np.clip(rows, 0, h - 1)
    seen = inside & paper[rows, xs]
    values = np.where(seen, excess[rows, xs], 0)
    count = seen.sum(axis=2)
    fewest = max(LINE_PIXELS, round(LINE_SHARE * w))
    mean = np.where(count >= fewest, values.sum(axis=2) / np.maximum(count, 1), 0.0)
    slope, y0 = np.unravel_index(int(np.argmax(mean)), mean.shape)
    best = float(mean[slope, y0])
    if best <= 0:
        return Line()
    near = slice(max(y0 - 1, 0), y0 + 2)  # the stroke's own width
    return Line(best, _cover(values[slope, near], seen[slope, near]))


def _cover(values: np.ndarray, seen: np.ndarray) -> float:
    """The share of the name a faint line runs across, judged by eighths of its width: an
    eighth shows the line when the paper it crosses there is darker than the blank by LINE_HIT
    on average, does not when it is clearly not, and cannot tell when it crosses no paper (all
    letters). The line runs from its first showing eighth to its last, through eighths that
    show it or cannot tell, never through one that clearly does not."""
    parts = np.array_split(np.arange(values.shape[1]), SEGMENTS)
    states = []
    for cols in parts:
        count = int(seen[:, cols].sum())
        mean = float(values[:, cols].sum()) / count if count else 0.0
        states.append(None if count < 2 else mean >= LINE_HIT if mean >= LINE_HIT / 2 else False)
    best = run = 0
    start = None
    for i, state in enumerate(states):
        if state is False:
            start, run = None, 0
            continue
        if state:
            start = i if start is None else start
            run = i - start + 1
            best = max(best, run)
    return best / SEGMENTS


def measure(grey: np.ndarray, red: np.ndarray, template: Template) -> SheetMeasure:
    g = template.geometry
    sheet = _Sheet.of(grey, red, template)
    if g.format is BallotFormat.STRIKE_OUT:
        size = _name_size(g)
        rows = tuple(_strike_row(sheet, template, row, size) for row in g.rows)
    else:
        rows = tuple(_columns_row(sheet, template, row) for row in g.rows)
    doubts: list[Doubt] = []
    if any(r.mark is RowMark.UNSURE for r in rows):
        doubts.append(Doubt.UNSURE_ROW)
    outside = _outside(new_ink(sheet, template), g)
    if outside:
        doubts.append(Doubt.OUTSIDE_ROWS)
    if g.stamp is not None and not _stamped(sheet.red, g.stamp):
        doubts.append(Doubt.NO_STAMP)
    return SheetMeasure(rows, tuple(doubts), outside)


def _px(box: Box) -> tuple[int, int, int, int]:
    """A box's pixel slice bounds (top, bottom, left, right) on the aligned ballot."""
    s = box.scaled(SCALE)
    return round(s.top), round(s.bottom), round(s.left), round(s.right)


def _name_size(g: BallotGeometry) -> float:
    row = g.rows[0]
    return row.name.height / 1.23  # the name's box is 1.23 × its size high


def _across(ink: np.ndarray, printed: np.ndarray, size_px: float) -> float:
    """The share of the name's width a stroke runs across.

    The stroke's line is fitted to the new ink; each column of the name is then crossed (ink
    near the line), hidden (the printed letters cover the line there: a stroke through a letter
    cannot be seen) or open (paper with no ink). Between the first and the last crossed column
    a stroke must show in most open columns (DENSE); otherwise only the crossed columns count
    (a few specks at a letter's edge are no strike)."""
    ys, xs = np.nonzero(ink)
    if xs.size < 3:
        return 0.0
    slope, level = np.polyfit(xs, ys, 1) if np.ptp(xs) > 0 else (0.0, float(ys.mean()))
    reach = max(3, round(BAND_EM * size_px))
    h, w = ink.shape
    line = np.rint(slope * np.arange(w) + level).astype(int)
    band = np.clip(line[None, :] + np.arange(-reach, reach + 1)[:, None], 0, h - 1)
    columns = np.arange(w)[None, :]
    crossed = ink[band, columns].any(axis=0)
    hidden = ~crossed & (printed[band, columns].mean(axis=0) >= 0.6)
    hit = np.flatnonzero(crossed)
    if hit.size == 0:
        return 0.0
    span = slice(int(hit[0]), int(hit[-1]) + 1)
    seen = int(crossed[span].sum())
    open_ = int((~crossed[span] & ~hidden[span]).sum())
    if seen < DENSE * (seen + open_):
        return seen / w
    return (span.stop - span.start) / w


def _strike_row(sheet: _Sheet, template: Template, row: NameRow, size: float) -> RowMeasure:
    seen = row_ink(sheet, template, row.zone, row.name)
    ink, strong, printed = seen.ink, seen.strong, seen.printed
    z_top, _, z_left, _ = _px(row.zone)
    top, bottom, left, right = _px(row.name)
    top, bottom, left, right = top - z_top, bottom - z_top, left - z_left, right - z_left
    name = ink[top:bottom, left:right]
    across = _across(name, printed[top:bottom, left:right], size * SCALE)
    above = float(ink[:top, left:right].any(axis=0).mean()) if top > 0 else 0.0
    below = float(ink[bottom:, left:right].any(axis=0).mean()) if bottom < ink.shape[0] else 0.0
    zone_ink = int(ink.sum())
    stray = zone_ink - int(name.sum())
    line = seen.line
    measured = RowMeasure(row.number, RowMark.UNSURE, across, above, below, stray, line.mean,
                          line.cover)  # fmt: skip
    clean = int(strong.sum()) <= SPECK and line.mean < LINE_KEPT
    if clean and across < KEPT_ACROSS and max(above, below) < KEPT_ACROSS:
        return _with(measured, RowMark.KEPT)
    ring = above >= RING or below >= RING
    faint_strike = line.mean >= LINE_STRUCK and line.cover >= STRUCK_ACROSS
    if (across >= STRUCK_ACROSS or faint_strike) and not ring:
        return _with(measured, RowMark.STRUCK)
    return measured


def _columns_row(sheet: _Sheet, template: Template, row: NameRow) -> RowMeasure:
    assert row.agree is not None and row.disagree is not None
    ink = row_ink(sheet, template, row.zone, row.name).ink
    z_top, _, z_left, _ = _px(row.zone)
    agree, disagree = _fill(ink, row.agree, z_top, z_left), _fill(ink, row.disagree, z_top, z_left)
    stray = int(ink[:, : _px(row.agree)[2] - z_left].sum())
    states = [_box_state(agree), _box_state(disagree)]
    measured = RowMeasure(row.number, RowMark.UNSURE, stray=stray, agree=agree, disagree=disagree)
    if None in states or stray > SPECK:
        return measured
    mark = {
        (True, False): RowMark.AGREE,
        (False, True): RowMark.DISAGREE,
        (True, True): RowMark.BOTH,
        (False, False): RowMark.NEITHER,
    }[(bool(states[0]), bool(states[1]))]
    return _with(measured, mark)


def _fill(ink: np.ndarray, box: Box, z_top: int, z_left: int) -> float:
    """The share of a box's inside that is new ink (`ink` is the row's, from (z_top, z_left))."""
    dx, dy = box.width * BOX_INSET, box.height * BOX_INSET
    inner = Box(box.left + dx, box.top + dy, box.right - dx, box.bottom - dy)
    top, bottom, left, right = _px(inner)
    cells = ink[top - z_top : bottom - z_top, left - z_left : right - z_left]
    return float(cells.mean()) if cells.size else 0.0


def _box_state(fill: float) -> bool | None:
    if fill >= BOX_MARKED:
        return True
    if fill <= BOX_EMPTY:
        return False
    return None


def _with(m: RowMeasure, mark: RowMark) -> RowMeasure:
    return replace(m, mark=mark)


def _outside(ink: np.ndarray, g: BallotGeometry) -> tuple[Box, ...]:
    """Where there is ink outside every row (and outside the stamp box, the code and the
    corner squares): writing, a signature, a strike between the list's columns."""
    rest = ink.copy()
    pad = 1.5 * MM
    for box in (*(r.zone for r in g.rows), g.qr, *g.marks, *([g.stamp] if g.stamp else [])):
        top, bottom, left, right = _px(Box(box.left - pad, box.top - pad, box.right + pad,
                                           box.bottom + pad))  # fmt: skip
        rest[max(top, 0) : bottom, max(left, 0) : right] = False
    if int(rest.sum()) < OUTSIDE:
        return ()
    count, _, stats, _ = cv2.connectedComponentsWithStats(rest.astype(np.uint8), connectivity=8)
    boxes = []
    for i in range(1, count):
        if stats[i, cv2.CC_STAT_AREA] < SPECK:
            continue
        x, y, w, h = (int(v) for v in stats[i, :4])
        boxes.append(Box(x / SCALE, y / SCALE, (x + w) / SCALE, (y + h) / SCALE))
    return tuple(boxes)


def _stamped(red: np.ndarray, stamp: Box) -> bool:
    top, bottom, left, right = _px(stamp)
    cells = red[top:bottom, left:right]
    return bool(cells.size) and float(cells.mean()) >= STAMP_RED
