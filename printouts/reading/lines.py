"""Faint lines across names (issue 14): a light pencil's strike, too faint pixel by pixel,
still stands out along its line over the paper between the letters; a tick or a speck does
not run across the name. A strike must stand above the sheet's own floor.
"""

from dataclasses import dataclass, replace

import numpy as np

from printouts.reading.rows import SPECK, RowInk

LINE_STRUCK = 6.0  # darkness along a line at or above which (across enough of the name) it is a
LINE_FLOOR = 5.0  # strike, and this far above the sheet's floor (the median quiet row's)
QUIET_ROWS = 3  # ... measured on at least this many rows; with fewer, a strike reaches
LINE_BLIND = 11.0
LINE_HIT = 8  # paper on the line this much darker than the blank, on average: the stroke
SEGMENTS = 8  # a faint line's extent is judged by eighths of the name's width
WAVE_EM = 0.2  # ... each on the band within this × the name's size of the line that shows most
LINE_PIXELS = 6  # a line is judged on at least this many pixels of paper...
LINE_SHARE = 0.05  # ... and this share of the name's width


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
