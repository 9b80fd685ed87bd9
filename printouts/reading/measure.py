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
from printouts.reading.template import Template
from session.ballot_reading import Doubt, RowMark
from session.ballots import BallotFormat

INK_DARK = 70  # darker than the paper by this much: ink
FAINT_DARK = 22  # ... by this much than the blank as blurred as the scan: a light pencil
NEAR_LETTER = 0.35
PAPER = 15  # the blurred blank's darkness below which it is paper between letters
LINE_KEPT = 4.0  # faint darkness along a line above which a row is not called kept
LINE_STRUCK = 6.0  # ... at or above which (across enough of the name) it is a strike, and
LINE_FLOOR = 5.0  # ... this far above the sheet's own floor: the median row's (mostly kept)
QUIET_ROWS = 3  # ... measured on at least this many rows; with fewer, a strike reaches
LINE_BLIND = 11.0
LINE_HIT = 8  # paper on the line this much darker than the blank, on average: the stroke
SEGMENTS = 8  # a faint line's extent is judged by eighths of the name's width
WAVE_EM = 0.2  # ... each on the band within this × the name's size of the line that shows most
LINE_PIXELS = 6  # a line is judged on at least this many pixels of paper...
LINE_SHARE = 0.05  # ... and this share of the name's width
RED_INK = 35  # redder than green and blue by this much: the stamp (pens are blue, black, grey)
EDGE_MM = 3.0  # the sheet's own edge, where a scanner's dark border shows, is not looked at
MM = 72 / 25.4

# Strike-out rows: the share of the name's width a stroke runs across, looked for within
# BAND_EM × the name's size of its fitted line; a stroke shows in DENSE of the open columns.
STRUCK_ACROSS = 0.28
KEPT_ACROSS = 0.06
BAND_EM = 0.3
DENSE = 0.6
OFF_LINE_EM = 0.45  # a strike's waves and doubling keep within this of its line
OFF_LINE = 16  # pixels of ink beyond that: something drawn over the strike
BODY = (0.2, 0.85)  # a strike crosses the name between these shares of its box's height
FIT_PIXELS = 12  # ... a line is fitted through the name's ink when it has this many pixels
STRAY = 8  # ... of ink outside the name in its row (clean paper): a small mark beside the name
SPECK = 30  # new-ink pixels on a row (under 1 mm²) that are a speck or a letter's edge, not a mark
# Columns boxes: the share of a box's inside that is new ink.
BOX_MARKED = 0.030
BOX_EMPTY = 0.008
BOX_INSET = 0.15
GRID = 3  # pixels along the table's lines left out of the name's cell
# Outside the rows: this many new-ink pixels are writing, a signature, a stray stroke.
OUTSIDE = 60
STAMP_RED = 0.03  # the share of the stamp box that is red ink
STAMP_RIM_MM = 0.5  # round the stamp's red, its paler edge
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
    noise: float = 0.0  # the scan's noise on clean paper (grey levels, a standard deviation)
    misfit: float = 0.0  # how far, round the letters, the scan strays from the blurred blank

    @classmethod
    def of(cls, grey: np.ndarray, red: np.ndarray, template: Template) -> "_Sheet":
        smooth = cv2.GaussianBlur(grey, (3, 3), 0)  # noise down; a dotted pencil line stays
        paper = float(np.percentile(smooth[::7, ::7], 90))
        dark = paper - smooth.astype(np.int16)
        blur, misfit = _blur(dark, template)
        return cls(dark, red >= RED_INK, blur, _noise(dark, template, blur), misfit)


def _noise(dark: np.ndarray, template: Template, blur: int) -> float:
    """How far the paper of the list, away from any printing, strays from the blank: a robust
    standard deviation (1.4826 × the median absolute deviation; ink is rare enough there)."""
    top, bottom, left, right = _px(template.geometry.list_area, template.scale)
    soft = template.soft[blur][top:bottom:3, left:right:3]
    excess = (dark[top:bottom:3, left:right:3] - soft)[soft < 1].astype(np.float32)
    if excess.size < 100:
        return 0.0
    return float(1.4826 * np.median(np.abs(excess - np.median(excess))))


def _blur(dark: np.ndarray, template: Template) -> tuple[int, float]:
    """The blur of the blank that looks most like the scan round the printed list's letters,
    and how far the scan strays from it there (root mean square, grey levels)."""
    top, bottom, left, right = _px(template.geometry.list_area, template.scale)
    seen = np.clip(dark[top:bottom:2, left:right:2], 0, 255).astype(np.float32)
    errors = []
    for soft in template.soft:
        expected = soft[top:bottom:2, left:right:2]
        near = expected > 8  # the letters and their halos, not the paper between the rows
        errors.append(float(np.square(seen - expected)[near].mean()))
    best = int(np.argmin(errors))
    return best, errors[best] ** 0.5


def new_ink(sheet: _Sheet, template: Template) -> np.ndarray:
    """Where the sheet holds ink the blank does not, faint ink included, away from the sheet's
    edges. The stamp is left out with its pale rim (STAMP_RIM_MM round its red), which may
    overhang the stamp box."""
    soft = template.soft[sheet.blur]
    faint = sheet.dark - soft * (1 + NEAR_LETTER) > FAINT_DARK  # a light pencil's writing too
    rim = 2 * round(STAMP_RIM_MM * MM * template.scale) + 1
    stamp = cv2.dilate(sheet.red.astype(np.uint8), np.ones((rim, rim), np.uint8)) > 0
    ink = ((sheet.dark > INK_DARK) & ~template.printed | faint) & ~stamp
    edge = round(EDGE_MM * MM * template.scale)
    ink[:edge, :] = False
    ink[-edge:, :] = False
    ink[:, :edge] = False
    ink[:, -edge:] = False
    return ink


@dataclass(frozen=True, slots=True)
class RowInk:
    """A row's new ink (faint ink included), its clear ink alone and the blank's ink there;
    and in the name's box, how much darker than the blank the sheet is and where it is paper
    between the letters (for :func:`lines`)."""

    ink: np.ndarray
    strong: np.ndarray
    printed: np.ndarray
    excess: np.ndarray
    paper: np.ndarray


def row_ink(sheet: _Sheet, template: Template, zone: Box, name: Box) -> RowInk:
    """A row's ink once the row is aligned on the blank's own letters (within SHIFT pixels:
    paper is not perfectly flat), as VxSuite refines each target by template matching in a
    small radius. Ink is what is clearly darker than the paper away from the printed letters,
    or darker by FAINT_DARK than the blank blurred as this scan is blurred (a light pencil; the
    blur's halo round a letter is no ink)."""
    top, bottom, left, right = _px(zone, template.scale)
    h, w = sheet.dark.shape
    shift = round(SHIFT * template.fine)
    top, left = max(top, shift), max(left, shift)
    bottom, right = min(bottom, h - shift), min(right, w - shift)
    dx, dy = _row_shift(sheet, template, (top, bottom, *_px(name, template.scale)[2:]), shift)
    rows = slice(top - shift + dy, bottom - shift + dy)
    cols = slice(left - shift + dx, right - shift + dx)
    printed = template.tight[top:bottom, left:right]
    dark, not_red = sheet.dark[rows, cols], ~sheet.red[rows, cols]
    strong = (dark > INK_DARK) & ~printed & not_red
    soft = template.soft[sheet.blur][top:bottom, left:right]
    # Next to a letter the scan may differ from the blank by more than a light pencil does:
    # there faint ink must stand out further (NEAR_LETTER of the letter's own darkness).
    faint = dark - soft * (1 + NEAR_LETTER) > FAINT_DARK
    n_top, n_bottom, n_left, n_right = _px(name, template.scale)
    inside = (slice(n_top - top, n_bottom - top), slice(n_left - left, n_right - left))
    plain = template.plain[sheet.blur][top:bottom, left:right][inside]
    excess = np.clip(dark[inside] - plain.astype(np.int16), -40, 80)
    paper = (plain < PAPER) & not_red[inside]
    return RowInk(strong | faint & not_red, strong, printed, excess, paper)


def _row_shift(
    sheet: _Sheet, template: Template, box: tuple[int, int, int, int], shift: int
) -> tuple[int, int]:
    """How far (dx, dy, each 0..2 × shift) the row's printed name sits from where the sheet's
    alignment puts it, by matching the blank's name on the sheet."""
    top, bottom, left, right = box
    _h, w = sheet.dark.shape
    left, right = max(left, shift), min(right, w - shift)
    window = sheet.dark[top - shift : bottom + shift, left - shift : right + shift]
    blank = template.darkness[top:bottom, left:right].astype(np.float32)
    if blank.size == 0 or not blank.any():
        return shift, shift
    score = cv2.matchTemplate(np.clip(window, 0, 255).astype(np.float32), blank,
                              cv2.TM_CCOEFF_NORMED)  # fmt: skip
    _, _, _, (dx, dy) = cv2.minMaxLoc(score)
    return dx, dy


SLOPES = np.linspace(-0.12, 0.12, 7)  # a strike's slant across the name, rise per pixel


@dataclass(frozen=True, slots=True)
class Line:
    """The best straight line of faint ink across a name: its mean darkness beyond the blank
    over the paper it crosses, and the share of the name's width it runs across."""

    mean: float = 0.0
    cover: float = 0.0
    slope: float = 0.0  # rise per pixel
    height: int = 0  # where it crosses the middle of the name, pixels from the name's top
    struck: bool = False  # dark enough for a strike on this sheet (see :func:`lines`)


def lines(rows: list[RowInk], fine: float = 1.0, reach: int = 0) -> list[Line]:
    """Each name's best straight line, counting only the paper between the letters (a stroke
    through a letter cannot be seen): a light pencil's stroke, too faint pixel by pixel, still
    stands out along its line, and a tick or a speck does not run across the name.

    Each name is cut into SEGMENTS across its width; within one, a line slanted as much as
    SLOPES allows stays within a pixel of one height. So each segment's paper is summed per
    pixel row once, and every line (slope, height) is a sum over the segments: every row of a
    sheet at once.

    A hand's stroke is not straight: it bows, waves and slants. So each segment is judged on
    the band, within `reach` pixels of the line, where the stroke shows best (enough paper to
    judge: LINE_PIXELS)."""
    if not rows:
        return []
    h = max(r.excess.shape[0] for r in rows)
    sums = np.zeros((len(rows), h, SEGMENTS))
    counts = np.zeros((len(rows), h, SEGMENTS))
    middles = np.zeros((len(rows), SEGMENTS))  # each segment's middle, from the name's middle
    for i, r in enumerate(rows):
        width = r.excess.shape[1]
        if width < SEGMENTS:
            continue
        starts = np.linspace(0, width, SEGMENTS + 1).astype(int)
        height = r.excess.shape[0]
        sums[i, :height] = np.add.reduceat(np.where(r.paper, r.excess, 0), starts[:-1], axis=1)
        counts[i, :height] = np.add.reduceat(r.paper.astype(np.int32), starts[:-1], axis=1)
        middles[i] = (starts[:-1] + starts[1:]) / 2 - width / 2
    rise = np.rint(SLOPES[:, None, None] * middles[None]).astype(int)  # (slopes, rows, segs)
    ys = np.arange(h)[None, None, :, None] + rise[:, :, None, :]  # (slopes, rows, h, segs)
    inside = (ys >= 0) & (ys < h)
    ys = np.clip(ys, 0, h - 1)
    which = np.arange(len(rows))[None, :, None, None]
    segment = np.arange(SEGMENTS)[None, None, None, :]
    on_sum = np.where(inside, sums[which, ys, segment], 0)
    on_count = np.where(inside, counts[which, ys, segment], 0)
    total, seen = on_sum.sum(axis=3), on_count.sum(axis=3)  # (slopes, rows, h)
    widths = np.array([r.excess.shape[1] for r in rows])
    fewest = np.maximum(round(LINE_PIXELS * fine), np.rint(LINE_SHARE * widths))
    mean = np.where(seen >= fewest[None, :, None], total / np.maximum(seen, 1), 0)
    found = []
    half = round(fine)
    for i in range(len(rows)):
        slope, y0 = np.unravel_index(int(np.argmax(mean[:, i])), mean[:, i].shape)
        best = float(mean[slope, i, y0])
        if best <= 0:
            found.append(Line())
            continue
        band = slice(max(y0 - half, 0), y0 + half + 1)  # the stroke's own width
        on_line = on_sum[slope, i, band].sum(axis=0), on_count[slope, i, band].sum(axis=0)
        nearest = _nearest_bands(on_sum[slope, i], on_count[slope, i], y0, half,
                                 max(reach, half), 2)  # fmt: skip
        found.append(Line(best, _cover(on_line, nearest), float(SLOPES[slope]), int(y0)))
    # A blurred or noisy scan lifts every row's best line, the kept ones too: a strike must
    # stand LINE_FLOOR above the sheet's floor, the median of its quiet rows (no clear ink, no
    # stretch of the name showing a line: kept ones). Too few quiet rows (a ballot whose every
    # name is struck in pencil, a scan so blurred that every row shows something): LINE_BLIND.
    quiet = [line.mean for line, r in zip(found, rows, strict=True)
             if line.cover == 0 and int(r.strong.sum()) <= SPECK * fine**2]  # fmt: skip
    if len(quiet) >= QUIET_ROWS:
        darkest = max(LINE_STRUCK, float(np.median(quiet)) + LINE_FLOOR)
    else:
        darkest = LINE_BLIND
    return [replace(line, struck=line.mean >= darkest) for line in found]


def _nearest_bands(
    sums: np.ndarray, counts: np.ndarray, y0: int, half: int, reach: int, fewest: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per segment (columns of `sums`, `counts`, each (heights, segments)), the band 2 × half
    + 1 pixels high centred within `reach` of y0 that is darkest over at least `fewest` pixels
    of paper; the band at y0 where none has that much paper."""
    h = sums.shape[0]
    top = np.vstack([np.zeros((1, sums.shape[1])), np.cumsum(sums, axis=0)])
    seen = np.vstack([np.zeros((1, counts.shape[1])), np.cumsum(counts, axis=0)])
    centres = np.arange(max(y0 - reach, 0), min(y0 + reach, h - 1) + 1)
    lo, hi = np.clip(centres - half, 0, h), np.clip(centres + half + 1, 0, h)
    band_sums, band_counts = top[hi] - top[lo], seen[hi] - seen[lo]  # (centres, segments)
    means = np.where(band_counts >= fewest, band_sums / np.maximum(band_counts, 1), -np.inf)
    at_line = int(np.searchsorted(centres, y0))
    pick = np.where(np.isfinite(means).any(axis=0), np.argmax(means, axis=0), at_line)
    segments = np.arange(sums.shape[1])
    return band_sums[pick, segments], band_counts[pick, segments]


def _cover(on_line: tuple[np.ndarray, np.ndarray], nearest: tuple[np.ndarray, np.ndarray]) -> float:
    """The share of the name a faint line runs across, by segments of its width (each a sum of
    darkness beyond the blank and a count of paper pixels, on the line and on the band near it
    where the stroke shows best): a segment shows the line when that band is darker than the
    blank by LINE_HIT on average; does not when the line's own band is clearly not (under half
    that) and no band near it shows; and cannot tell when it crosses (almost) no paper — a
    stroke hidden in the letters there. The line runs from its first showing segment to its
    last, through segments that show it or cannot tell, never through one that clearly does
    not."""
    best = run = 0
    start = None
    for i, (total, count, near_total, near_count) in enumerate(zip(*on_line, *nearest,
                                                                   strict=True)):  # fmt: skip
        shows = near_count >= 2 and near_total / near_count >= LINE_HIT
        if not shows and count >= 2 and total / count < LINE_HIT / 2:
            start, run = None, 0
            continue
        if shows:
            start = i if start is None else start
            run = i - start + 1
            best = max(best, run)
    return best / SEGMENTS


def measure(grey: np.ndarray, red: np.ndarray, template: Template) -> SheetMeasure:
    g = template.geometry
    sheet = _Sheet.of(grey, red, template)
    if g.format is BallotFormat.STRIKE_OUT:
        size = _name_size(g)
        inks = [row_ink(sheet, template, row.zone, row.name) for row in g.rows]
        found = lines(inks, template.fine, round(WAVE_EM * size * template.scale))
        rows = tuple(
            _strike_row(template, row, size, seen, line)
            for row, seen, line in zip(g.rows, inks, found, strict=True)
        )
    else:
        rows = tuple(_columns_row(sheet, template, row) for row in g.rows)
    doubts: list[Doubt] = []
    if any(r.mark is RowMark.UNSURE for r in rows):
        doubts.append(Doubt.UNSURE_ROW)
    outside = _outside(new_ink(sheet, template), template)
    if outside:
        doubts.append(Doubt.OUTSIDE_ROWS)
    if g.stamp is not None and not _stamped(sheet.red, g.stamp, template.scale):
        doubts.append(Doubt.NO_STAMP)
    return SheetMeasure(rows, tuple(doubts), outside)


def _px(box: Box, scale: float) -> tuple[int, int, int, int]:
    """A box's pixel slice bounds (top, bottom, left, right) on the aligned ballot."""
    s = box.scaled(scale)
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


def _strike_line(
    ink: np.ndarray, name: tuple[int, int, int, int], faint: Line
) -> tuple[float, float] | None:
    """The line (slope, level: y = slope × x + level, in the row's pixels) fitted through the
    ink on the name (`name`: top, bottom, left, right), or, where a light pencil left too few
    pixels of ink to fit one, the `faint` line the paper between the letters shows."""
    top, bottom, left, right = name
    ys, xs = np.nonzero(ink[top:bottom, left:right])
    if xs.size >= FIT_PIXELS and np.ptp(xs) > 0:
        slope, level = np.polyfit(xs + left, ys + top, 1)
        return float(slope), float(level)
    if faint.struck:
        return faint.slope, top + faint.height - faint.slope * (left + (right - left) / 2)
    return None


def _off_line(ink: np.ndarray, line: tuple[float, float], size_px: float) -> int:
    """The ink in a row away from the strike's `line`: a strike, doubled, wavy or thick, keeps
    within OFF_LINE_EM of its line plus half its own thickness, even where it spills out of
    the name's box or runs past its end; a tick, a loop or a circle does not."""
    slope, level = line
    ys, xs = np.nonzero(ink)
    distance = np.abs(ys - (slope * xs + level))
    near = distance <= OFF_LINE_EM * size_px
    per_column = np.bincount(xs[near], minlength=ink.shape[1])
    thickness = float(np.median(per_column[per_column > 0])) if near.any() else 0.0
    return int((distance > OFF_LINE_EM * size_px + thickness / 2).sum())


def _through_name(line: tuple[float, float], name: tuple[int, int, int, int]) -> bool:
    """The line crosses the name's body at its middle, not along its top or foot (a line
    under a name, or along the gap between two rows, is no strike through it)."""
    top, bottom, left, right = name
    slope, level = line
    y = slope * (left + right) / 2 + level
    return top + BODY[0] * (bottom - top) <= y <= top + BODY[1] * (bottom - top)


def _detached(ink: np.ndarray, name: tuple[int, int, int, int]) -> int:
    """Ink above or below the name that does not join the ink on it: a line along the gap
    between two rows, a mark over the name. A thick or wavy strike that spills out of the
    name's box stays joined to it (pencil grain bridged by a pixel)."""
    top, bottom, left, right = name
    bridged = cv2.dilate(ink.astype(np.uint8), np.ones((3, 3), np.uint8))
    _, labels = cv2.connectedComponents(bridged, connectivity=8)
    on_name = np.unique(labels[top:bottom, left:right])
    loose = ink & ~np.isin(labels, on_name[on_name > 0])
    return int(loose[:top].sum()) + int(loose[bottom:].sum())


def _strike_row(
    template: Template, row: NameRow, size: float, seen: RowInk, line: Line
) -> RowMeasure:
    ink, strong, printed = seen.ink, seen.strong, seen.printed
    z_top, _, z_left, _ = _px(row.zone, template.scale)
    top, bottom, left, right = _px(row.name, template.scale)
    top, bottom, left, right = top - z_top, bottom - z_top, left - z_left, right - z_left
    name = ink[top:bottom, left:right]
    across = _across(name, printed[top:bottom, left:right], size * template.scale)
    above = float(ink[:top, left:right].any(axis=0).mean()) if top > 0 else 0.0
    below = float(ink[bottom:, left:right].any(axis=0).mean()) if bottom < ink.shape[0] else 0.0
    zone_ink = int(ink.sum())
    stray = zone_ink - int(name.sum())
    measured = RowMeasure(row.number, RowMark.UNSURE, across, above, below, stray, line.mean,
                          line.cover)  # fmt: skip
    fine = template.fine**2
    clean = int(strong.sum()) <= SPECK * fine and stray <= STRAY * fine and line.mean < LINE_KEPT
    if clean and across < KEPT_ACROSS and max(above, below) < KEPT_ACROSS:
        return _with(measured, RowMark.KEPT)
    # A strike keeps to its line; ink away from it (a tick over or beside a struck name, a
    # circle) may change what the row says: the committee looks.
    box = (top, bottom, left, right)
    strike = _strike_line(ink, box, line)
    beyond = (
        strike is None
        or not _through_name(strike, box)
        or _off_line(ink, strike, size * template.scale) > OFF_LINE * fine
        or _detached(ink, box) > SPECK * fine
    )
    faint_strike = line.struck and line.cover >= STRUCK_ACROSS
    if (across >= STRUCK_ACROSS or faint_strike) and not beyond:
        return _with(measured, RowMark.STRUCK)
    return measured


def _columns_row(sheet: _Sheet, template: Template, row: NameRow) -> RowMeasure:
    assert row.agree is not None and row.disagree is not None
    ink = row_ink(sheet, template, row.zone, row.name).ink
    z_top, _, z_left, _ = _px(row.zone, template.scale)
    scale = template.scale
    agree = _fill(ink, row.agree, z_top, z_left, scale)
    disagree = _fill(ink, row.disagree, z_top, z_left, scale)
    # the name's cell, inside its grid lines (which a row's own shift may uncover)
    rule = round(GRID * template.fine)
    stray = int(ink[rule:-rule, rule : _px(row.agree, scale)[2] - z_left - rule].sum())
    states = [_box_state(agree), _box_state(disagree)]
    measured = RowMeasure(row.number, RowMark.UNSURE, stray=stray, agree=agree, disagree=disagree)
    if None in states or stray > SPECK * template.fine**2:
        return measured
    mark = {
        (True, False): RowMark.AGREE,
        (False, True): RowMark.DISAGREE,
        (True, True): RowMark.BOTH,
        (False, False): RowMark.NEITHER,
    }[(bool(states[0]), bool(states[1]))]
    return _with(measured, mark)


def _fill(ink: np.ndarray, box: Box, z_top: int, z_left: int, scale: float) -> float:
    """The share of a box's inside that is new ink (`ink` is the row's, from (z_top, z_left))."""
    dx, dy = box.width * BOX_INSET, box.height * BOX_INSET
    inner = Box(box.left + dx, box.top + dy, box.right - dx, box.bottom - dy)
    top, bottom, left, right = _px(inner, scale)
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


def _outside(ink: np.ndarray, template: Template) -> tuple[Box, ...]:
    """Where there is ink outside every row (and outside the stamp box, the code and the
    corner squares): writing, a signature, a strike between the list's columns."""
    g, scale, fine = template.geometry, template.scale, template.fine
    rest = ink.copy()
    pad = 1.5 * MM
    for box in (*(r.zone for r in g.rows), g.qr, *g.marks, *([g.stamp] if g.stamp else [])):
        top, bottom, left, right = _px(Box(box.left - pad, box.top - pad, box.right + pad,
                                           box.bottom + pad), template.scale)  # fmt: skip
        rest[max(top, 0) : bottom, max(left, 0) : right] = False
    if int(rest.sum()) < OUTSIDE * fine**2:
        return ()
    count, _, stats, _ = cv2.connectedComponentsWithStats(rest.astype(np.uint8), connectivity=8)
    boxes = []
    for i in range(1, count):
        if stats[i, cv2.CC_STAT_AREA] < SPECK * fine**2:
            continue
        x, y, w, h = (int(v) for v in stats[i, :4])
        boxes.append(Box(x / scale, y / scale, (x + w) / scale, (y + h) / scale))
    return tuple(boxes)


def _stamped(red: np.ndarray, stamp: Box, scale: float) -> bool:
    top, bottom, left, right = _px(stamp, scale)
    cells = red[top:bottom, left:right]
    return bool(cells.size) and float(cells.mean()) >= STAMP_RED
