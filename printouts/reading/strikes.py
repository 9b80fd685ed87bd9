"""Is the ink on a name a strike through it (issue 14)? How much of the name's width it runs
across, and whether it keeps to its line: a strike, doubled, wavy or thick, does; a tick over
or beside the struck name, a circle, a line along the gap between rows does not, and the
committee decides.
"""

import cv2
import numpy as np

from printouts.reading.lines import Line

# The share of the name's width a stroke runs across is looked for within BAND_EM × the name's
# size of its fitted line; a stroke shows in DENSE of the open columns.
BAND_EM = 0.3
DENSE = 0.6
OFF_LINE_EM = 0.45  # a strike's waves and doubling keep within this of its line
OFF_LINE = 16  # pixels of ink beyond that: something drawn over the strike
BODY = (0.2, 0.85)  # a strike crosses the name between these shares of its box's height
BAND_SHARE = 98  # ... its band on the name holds this percentage of the ink there
END_EM = 0.3  # ... and the ink past its end keeps within this × the name's size more
FIT_PIXELS = 12  # ... a line is fitted through the name's ink when it has this many pixels

Name = tuple[int, int, int, int]  # a name's box in its row's pixels: top, bottom, left, right


def astray(ink: np.ndarray, name: Name, faint: Line, size_px: float, fine: float) -> bool:
    """Whether the row's ink (`ink`, the row's zone) strays from a strike through the name:
    no line to follow, a line off the name's middle, ink away from the line or apart from
    the ink on the name. `fine` is the template's pixels per point over its base."""
    line = strike_line(ink, name, faint)
    most = OFF_LINE * fine**2
    return (
        line is None
        or not _through_name(line, name)
        or _off_line(ink, line, size_px) > most
        or _loose(ink, name, line, size_px) > most
    )


def across_share(ink: np.ndarray, printed: np.ndarray, size_px: float) -> float:
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


def strike_line(
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


def _thickness(ink: np.ndarray, line: tuple[float, float], size_px: float) -> float:
    """A strike's thickness: the median count of ink pixels per column near its `line`."""
    slope, level = line
    ys, xs = np.nonzero(ink)
    near = np.abs(ys - (slope * xs + level)) <= OFF_LINE_EM * size_px
    if not near.any():
        return 0.0
    per_column = np.bincount(xs[near], minlength=ink.shape[1])
    return float(np.median(per_column[per_column > 0]))


def _off_line(ink: np.ndarray, line: tuple[float, float], size_px: float) -> int:
    """The ink in a row away from the strike's `line`: a strike, doubled, wavy or thick, keeps
    within OFF_LINE_EM of its line plus half its own thickness, even where it spills out of
    the name's box or runs past its end; a tick, a loop or a circle does not."""
    slope, level = line
    ys, xs = np.nonzero(ink)
    distance = np.abs(ys - (slope * xs + level))
    reach = OFF_LINE_EM * size_px + _thickness(ink, line, size_px) / 2
    return int((distance > reach).sum())


def _through_name(line: tuple[float, float], name: tuple[int, int, int, int]) -> bool:
    """The line crosses the name's body at its middle, not along its top or foot (a line
    under a name, or along the gap between two rows, is no strike through it)."""
    top, bottom, left, right = name
    slope, level = line
    y = slope * (left + right) / 2 + level
    return top + BODY[0] * (bottom - top) <= y <= top + BODY[1] * (bottom - top)


def _detached(ink: np.ndarray, name: tuple[int, int, int, int]) -> np.ndarray:
    """The ink in the row that does not join the ink on the name: a line along the gap
    between two rows, a tick beside the struck name, a mark over it — or the end of a strike
    where it runs past the name, cut off from it by the last letter (pencil grain bridged by a
    pixel)."""
    top, bottom, left, right = name
    bridged = cv2.dilate(ink.astype(np.uint8), np.ones((3, 3), np.uint8))
    _, labels = cv2.connectedComponents(bridged, connectivity=8)
    on_name = np.unique(labels[top:bottom, left:right])
    return ink & ~np.isin(labels, on_name[on_name > 0])


def _loose(
    ink: np.ndarray, name: tuple[int, int, int, int], line: tuple[float, float], size_px: float
) -> int:
    """The detached ink (:func:`_detached`) above or below the name, and beside it in marks
    standing up from the line (taller than a strike's wiggle and thickness, and not much
    wider than tall: a tick beside the struck name); the end of a strike cut off from the
    name by its last letter runs along the line."""
    top, bottom, _, _ = name
    loose = _detached(ink, name)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(
        loose[top:bottom].astype(np.uint8), connectivity=8
    )
    tall = OFF_LINE_EM * size_px + _thickness(ink, line, size_px)
    marks = [
        int(stats[i, cv2.CC_STAT_AREA])
        for i in range(1, count)
        if stats[i, cv2.CC_STAT_HEIGHT] > tall
        and stats[i, cv2.CC_STAT_WIDTH] < 1.5 * stats[i, cv2.CC_STAT_HEIGHT]
    ]
    return (
        int(loose[:top].sum())
        + int(loose[bottom:].sum())
        + sum(marks)
        + _past_end(ink, name, line, size_px)
    )


def _past_end(
    ink: np.ndarray, name: tuple[int, int, int, int], line: tuple[float, float], size_px: float
) -> int:
    """The ink before or past the name that strays from the line further than the strike does
    on the name (its waves, its doubling, its thickness, BAND_SHARE of its farthest ink, and
    END_EM more): the end of a strike keeps to its band, a tick drawn on from it does not."""
    top, bottom, left, right = name
    ys, xs = np.nonzero(ink)
    if xs.size == 0:
        return 0
    slope, level = line
    distance = np.abs(ys - (slope * xs + level))
    on_name = (ys >= top) & (ys < bottom) & (xs >= left) & (xs < right)
    if not on_name.any():
        return 0
    band = float(np.percentile(distance[on_name], BAND_SHARE)) + END_EM * size_px
    return int(((xs < left) | (xs >= right))[distance > band].sum())
