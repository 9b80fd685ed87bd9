"""A row of an aligned ballot, as the reader looks at it (issue 14): the sheet's darkness
against its paper, the stamp's red, the blank's blur the scan looks like; and each row's new
ink, aligned again on its own printed name, with the light strokes on its paper.

Ink is what is clearly darker than the paper away from the printed letters (INK_DARK), or
darker by FAINT_DARK than the blank blurred as this scan is blurred (a light pencil).
"""

from dataclasses import dataclass

import cv2
import numpy as np

from printouts.ballot_geometry import Box
from printouts.reading.template import Template

INK_DARK = 70  # darker than the paper by this much: ink
FAINT_DARK = 22  # ... by this much than the blank as blurred as the scan: a light pencil
NEAR_LETTER = 0.35
PAPER = 15  # the blurred blank's darkness below which it is paper between letters
RED_INK = 35  # redder than green and blue by this much: the stamp (pens are blue, black, grey)
SHIFT = 3  # pixels a row may sit off where the sheet's alignment puts it
TRACE_DARK = 12  # paper darker than the blank by this much: maybe a light stroke...
TRACE_PIXELS = 6  # ... when this many such pixels join
BLOT_DARK = 30  # ... or darker by this much
DARK_PIXELS = 4  # ... in this many joined pixels
SPECK = 30  # new-ink pixels on a row (under 1 mm²) that are a speck or a letter's edge, not a mark


@dataclass(frozen=True, slots=True)
class Sheet:
    """The aligned sheet: how much darker than the paper each pixel is, where it is red, and
    which of the blank's blurs (template.BLURS) looks most like its printing."""

    dark: np.ndarray  # int16
    red: np.ndarray  # bool
    blur: int = 0

    @classmethod
    def of(cls, grey: np.ndarray, red: np.ndarray, template: Template) -> "Sheet":
        smooth = cv2.GaussianBlur(grey, (3, 3), 0)  # noise down; a dotted pencil line stays
        paper = float(np.percentile(smooth[::7, ::7], 90))
        dark = paper - smooth.astype(np.int16)
        return cls(dark, red >= RED_INK, _blur(dark, template))


def _blur(dark: np.ndarray, template: Template) -> int:
    """The blur of the blank that looks most like the scan round the printed list's letters."""
    top, bottom, left, right = px(template.geometry.list_area, template.scale)
    seen = np.clip(dark[top:bottom:2, left:right:2], 0, 255).astype(np.float32)
    errors = []
    for soft in template.soft:
        expected = soft[top:bottom:2, left:right:2]
        near = expected > 8  # the letters and their halos, not the paper between the rows
        errors.append(float(np.square(seen - expected)[near].mean()))
    return int(np.argmin(errors))


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
    traces: int = 0  # pixels of light strokes on the row's paper (see _traces)


def row_ink(sheet: Sheet, template: Template, zone: Box, name: Box) -> RowInk:
    """A row's ink once the row is aligned on the blank's own letters (within SHIFT pixels:
    paper is not perfectly flat), as VxSuite refines each target by template matching in a
    small radius. Ink is what is clearly darker than the paper away from the printed letters,
    or darker by FAINT_DARK than the blank blurred as this scan is blurred (a light pencil; the
    blur's halo round a letter is no ink)."""
    top, bottom, left, right = px(zone, template.scale)
    h, w = sheet.dark.shape
    shift = round(SHIFT * template.fine)
    top, left = max(top, shift), max(left, shift)
    bottom, right = min(bottom, h - shift), min(right, w - shift)
    dx, dy = _row_shift(sheet, template, (top, bottom, *px(name, template.scale)[2:]), shift)
    rows = slice(top - shift + dy, bottom - shift + dy)
    cols = slice(left - shift + dx, right - shift + dx)
    printed = template.tight[top:bottom, left:right]
    dark, not_red = sheet.dark[rows, cols], ~sheet.red[rows, cols]
    strong = (dark > INK_DARK) & ~printed & not_red
    soft = template.soft[sheet.blur][top:bottom, left:right]
    # Next to a letter the scan may differ from the blank by more than a light pencil does:
    # there faint ink must stand out further (NEAR_LETTER of the letter's own darkness).
    faint = dark - soft * (1 + NEAR_LETTER) > FAINT_DARK
    n_top, n_bottom, n_left, n_right = px(name, template.scale)
    inside = (slice(n_top - top, n_bottom - top), slice(n_left - left, n_right - left))
    blurred = template.plain[sheet.blur][top:bottom, left:right]
    plain = blurred[inside]
    excess = np.clip(dark[inside] - plain.astype(np.int16), -40, 80)
    paper = (plain < PAPER) & not_red[inside]
    on_paper = (blurred < PAPER) & not_red
    traces = _traces(np.where(on_paper, dark - blurred, 0), template.fine)
    return RowInk(strong | faint & not_red, strong, printed, excess, paper, traces)


def _traces(excess: np.ndarray, fine: float) -> int:
    """The pixels of the row's paper (`excess`: how much darker than the blank, where the blank
    is paper) in strokes of light ink, TRACE_PIXELS or more joined, or in blots of dark ink,
    DARK_PIXELS or more: a light pencil's tick or circle, too faint for ink and running along
    no line, still leaves them, and so does a pen's tick hidden in the letters but for a blot
    beside one. The scan's noise leaves only specks, and a letter's edge a light sliver a pixel
    wide (the scan a fraction of a pixel off the blank), which an opening of 2 pixels removes."""
    side = max(2, round(2 * fine))
    light = (excess > TRACE_DARK).astype(np.uint8)
    opened = cv2.morphologyEx(light, cv2.MORPH_OPEN, np.ones((side, side), np.uint8))
    return _joined(opened, TRACE_PIXELS * fine**2) + _joined(
        (excess > BLOT_DARK).astype(np.uint8), DARK_PIXELS * fine**2
    )


def _joined(mask: np.ndarray, fewest: float) -> int:
    """The pixels of `mask` in groups of at least `fewest` joined."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    sizes = stats[1:count, cv2.CC_STAT_AREA]
    return int(sizes[sizes >= fewest].sum())


def _row_shift(
    sheet: Sheet, template: Template, box: tuple[int, int, int, int], shift: int
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


def px(box: Box, scale: float) -> tuple[int, int, int, int]:
    """A box's pixel slice bounds (top, bottom, left, right) on the aligned ballot."""
    s = box.scaled(scale)
    return round(s.top), round(s.bottom), round(s.left), round(s.right)
