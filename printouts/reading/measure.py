"""Every row of an aligned ballot measured against the blank: struck, kept, or unsure; and what
else is on the sheet (ink outside the rows, the stamp).

New ink is what is dark on the sheet, not printed on the blank, and not red (the stamp). On a
strike-out ballot a name is **struck** when new ink runs through the middle of the name across
most of its width and keeps to its line (printouts.reading.strikes; a light pencil's strike is
followed by printouts.reading.lines); **kept** when the row holds no new ink and no light
stroke (printouts.reading.rows); anything between — a short mark, a tick over or beside the
name, a circle round it, a stroke along the line between two rows — is **unsure**, and the
committee decides. On the columns format each box
is marked, empty, or unsure by the share of its inside that is new ink. Two thresholds per
measure, as VxSuite has (ballot-reading notes): below the low one clear, above the high one
marked, between them a person decides.
"""

from dataclasses import dataclass, replace

import cv2
import numpy as np

from printouts.ballot_geometry import BallotGeometry, Box, NameRow
from printouts.reading.lines import WAVE_EM, Line, lines
from printouts.reading.rows import (
    FAINT_DARK,
    INK_DARK,
    NEAR_LETTER,
    SPECK,
    RowInk,
    Sheet,
    px,
    row_ink,
)
from printouts.reading.strikes import across_share, astray
from printouts.reading.template import Template
from session.ballot_reading import Doubt, RowMark
from session.ballots import BallotFormat

LINE_KEPT = 4.0  # faint darkness along a line above which a row is not called kept
EDGE_MM = 3.0  # the sheet's own edge, where a scanner's dark border shows, is not looked at
MM = 72 / 25.4

# Strike-out rows: the share of the name's width a stroke runs across (strikes.across_share)
STRUCK_ACROSS = 0.28
KEPT_ACROSS = 0.06
STRAY = 8  # ... of ink outside the name in its row (clean paper): a small mark beside the name
# Columns boxes: the share of a box's inside that is new ink.
BOX_MARKED = 0.030
BOX_EMPTY = 0.008
BOX_INSET = 0.15
GRID = 3  # pixels along the table's lines left out of the name's cell
# Outside the rows: this many new-ink pixels are writing, a signature, a stray stroke.
OUTSIDE = 60
STAMP_RED = 0.03  # the share of the stamp box that is red ink
STAMP_RIM_MM = 0.5  # round the stamp's red, its paler edge


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
    traces: int = 0  # strike-out: pixels of light strokes on the row's paper
    agree: float = 0.0  # columns: the share of each box that is new ink
    disagree: float = 0.0


@dataclass(frozen=True, slots=True)
class SheetMeasure:
    rows: tuple[RowMeasure, ...]
    doubts: tuple[Doubt, ...]
    outside: tuple[Box, ...]  # where ink outside the rows is (points), for the committee


def new_ink(sheet: Sheet, template: Template) -> np.ndarray:
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


def measure(grey: np.ndarray, red: np.ndarray, template: Template) -> SheetMeasure:
    g = template.geometry
    sheet = Sheet.of(grey, red, template)
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


def _name_size(g: BallotGeometry) -> float:
    row = g.rows[0]
    return row.name.height / 1.23  # the name's box is 1.23 × its size high


def _strike_row(
    template: Template, row: NameRow, size: float, seen: RowInk, line: Line
) -> RowMeasure:
    ink, strong, printed = seen.ink, seen.strong, seen.printed
    z_top, _, z_left, _ = px(row.zone, template.scale)
    top, bottom, left, right = px(row.name, template.scale)
    top, bottom, left, right = top - z_top, bottom - z_top, left - z_left, right - z_left
    name = ink[top:bottom, left:right]
    across = across_share(name, printed[top:bottom, left:right], size * template.scale)
    above = float(ink[:top, left:right].any(axis=0).mean()) if top > 0 else 0.0
    below = float(ink[bottom:, left:right].any(axis=0).mean()) if bottom < ink.shape[0] else 0.0
    zone_ink = int(ink.sum())
    stray = zone_ink - int(name.sum())
    measured = RowMeasure(row.number, RowMark.UNSURE, across, above, below, stray, line.mean,
                          line.cover, traces=seen.traces)  # fmt: skip
    fine = template.fine**2
    clean = (
        int(strong.sum()) <= SPECK * fine
        and stray <= STRAY * fine
        and line.mean < LINE_KEPT
        and seen.traces == 0
    )
    if clean and across < KEPT_ACROSS and max(above, below) < KEPT_ACROSS:
        return _with(measured, RowMark.KEPT)
    # A strike keeps to its line; ink away from it (a tick over or beside a struck name, a
    # circle) may change what the row says: the committee looks.
    box = (top, bottom, left, right)
    beyond = astray(ink, box, line, size * template.scale, template.fine)
    faint_strike = line.struck and line.cover >= STRUCK_ACROSS
    if (across >= STRUCK_ACROSS or faint_strike) and not beyond:
        return _with(measured, RowMark.STRUCK)
    return measured


def _columns_row(sheet: Sheet, template: Template, row: NameRow) -> RowMeasure:
    assert row.agree is not None and row.disagree is not None
    ink = row_ink(sheet, template, row.zone, row.name).ink
    z_top, _, z_left, _ = px(row.zone, template.scale)
    scale = template.scale
    agree = _fill(ink, row.agree, z_top, z_left, scale)
    disagree = _fill(ink, row.disagree, z_top, z_left, scale)
    # the name's cell, inside its grid lines (which a row's own shift may uncover)
    rule = round(GRID * template.fine)
    stray = int(ink[rule:-rule, rule : px(row.agree, scale)[2] - z_left - rule].sum())
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
    top, bottom, left, right = px(inner, scale)
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
        top, bottom, left, right = px(Box(box.left - pad, box.top - pad, box.right + pad,
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
    top, bottom, left, right = px(stamp, scale)
    cells = red[top:bottom, left:right]
    return bool(cells.size) and float(cells.mean()) >= STAMP_RED
