"""A scanned file in, one reading per paper ballot out (issue 14).

Each page's ballots are found by their code and aligned on their corner squares
(printouts.reading.align), every row is measured against the blank (printouts.reading.measure),
and session.ballot_reading gives the verdict by rule: valid, invalid by rule, or for the
committee. A ballot of another election or round of this congress is invalid (not issued for
this count); a code that is no ballot of this congress, or a sheet that cannot be aligned, goes
to the committee. Sheets are numbered in the file's order (page by page, left to right as
scanned), which is the scanner's tray order.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from printouts.ballot_geometry import Box
from printouts.reading.align import Blanks, Found, find_ballots
from printouts.reading.measure import RowMeasure, SheetMeasure, measure
from printouts.reading.pages import ScannedFile, load
from printouts.reading.shelf import Templates
from printouts.reading.template import Template
from session.ballot_reading import Doubt, Outcome, RowMark, SheetPlace, Verdict, outcome, parse_code
from session.ballots import BallotFormat


@dataclass(frozen=True, slots=True)
class SheetResult:
    """One paper ballot as read: where it is, its code, what each row showed, the verdict."""

    place: SheetPlace
    code: str
    marks: tuple[RowMark, ...]
    outcome: Outcome
    rows: tuple[RowMeasure, ...] = ()
    outside: tuple[Box, ...] = ()
    aligned: np.ndarray | None = None  # the aligned ballot (grey), or the page when not aligned

    @property
    def doubt_rows(self) -> tuple[int, ...]:
        return tuple(r.number for r in self.rows if r.mark is RowMark.UNSURE)


@dataclass(frozen=True, slots=True)
class BallotReader:
    """Reads ballots: `templates` knows the blanks by their codes. With a `target` (election,
    round) it reads for that count: a ballot of another election or round of the congress is
    invalid there, and a code it does not know is the committee's. Without one (a scanner's
    settings tried) each ballot is read against its own round."""

    templates: Templates
    target: tuple[str, int] | None = None

    def read(self, path: Path) -> tuple[ScannedFile, tuple[SheetResult, ...]]:
        scanned = load(path)
        return scanned, tuple(self.read_pages(scanned))

    def read_pages(self, scanned: ScannedFile) -> Iterable[SheetResult]:
        sheet = 0
        for page_no, page in enumerate(scanned.pages, 1):
            for slot, found in enumerate(find_ballots(page, self._shelf), 1):
                sheet += 1
                place = SheetPlace(scanned.sha256, scanned.path.name, page_no, slot, sheet)
                yield self._sheet(place, found, page)

    @property
    def _shelf(self) -> Blanks:
        return self.templates if self.target is None else _Only(self.templates, self.target)

    def _sheet(self, place: SheetPlace, found: Found, page: np.ndarray) -> SheetResult:
        template = found.template or self._target_template()
        fmt, n, seats = (
            (template.geometry.format, template.geometry.candidates, template.geometry.seats)
            if template is not None
            else (BallotFormat.STRIKE_OUT, 0, 0)
        )
        unsure = (RowMark.UNSURE,) * n
        if found.template is None:
            other = self._other_ballot(found.code)
            doubt = Doubt.UNKNOWN_CODE if found.code else Doubt.NOT_ALIGNED
            verdict = outcome(fmt, n, seats, unsure, () if other else (doubt,), other_ballot=other)
            return SheetResult(place, found.code, unsure, verdict, aligned=_small(page))
        if found.grey is None or found.red is None:
            verdict = outcome(fmt, n, seats, unsure, (Doubt.NOT_ALIGNED,))
            return SheetResult(place, found.code, unsure, verdict, aligned=_small(page))
        m: SheetMeasure = measure(found.grey, found.red, found.template)
        marks = tuple(r.mark for r in m.rows)
        verdict = outcome(fmt, n, seats, marks, m.doubts)
        if verdict.verdict is Verdict.INVALID:
            rows = tuple(_looked_again(r) for r in m.rows)
            if rows != m.rows:
                marks = tuple(r.mark for r in rows)
                verdict = outcome(fmt, n, seats, marks, m.doubts)
                m = replace(m, rows=rows)
        return SheetResult(place, found.code, marks, verdict, m.rows, m.outside, found.grey)

    def _target_template(self) -> Template | None:
        if self.target is None:
            return None
        return self.templates.get_round(*self.target)

    def _other_ballot(self, code: str) -> bool:
        """A Presidium ballot of another election or round than the target (its code says so)."""
        parsed = parse_code(code)
        return (
            self.target is not None and parsed is not None and (parsed[0], parsed[1]) != self.target
        )


@dataclass(frozen=True, slots=True)
class _Only:
    """Only the target round's blank: any other code is not this count's ballot."""

    templates: Templates
    target: tuple[str, int]

    def get(self, code: str) -> Template | None:
        parsed = parse_code(code)
        if parsed is None or (parsed[0], parsed[1]) != self.target:
            return None
        return self.templates.get(code)

    def expected(self) -> Template | None:
        return self.templates.get_round(*self.target)


# The least trace of ink on a kept row (beside the name; across it; a faint line): above noise
# and a letter's edge, below what a row needs to be called anything.
TRACE_PIXELS = 4
TRACE_ACROSS = 0.03
TRACE_LINE = 3.0


def _looked_again(row: RowMeasure) -> RowMeasure:
    """A row read as kept on a ballot the rules would throw out: the least trace of ink on it
    (beside the name, across it, a faint line) and the committee looks, since one struck name
    more or less may be what makes the ballot valid."""
    if row.mark is not RowMark.KEPT:
        return row
    trace = row.stray >= TRACE_PIXELS or row.across >= TRACE_ACROSS or row.line >= TRACE_LINE
    return replace(row, mark=RowMark.UNSURE) if trace else row


def _small(page: np.ndarray) -> np.ndarray:
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    k = min(1.0, 1400 / max(grey.shape))
    return cv2.resize(grey, None, fx=k, fy=k, interpolation=cv2.INTER_AREA) if k < 1 else grey


def doubt_picture(result: SheetResult, template: Template) -> np.ndarray:
    """What the committee looks at: the rows in question and the ink outside the rows, framed,
    cut from the aligned ballot (the whole sheet when it could not be aligned)."""
    image = result.aligned
    if image is None:
        return np.full((10, 10), 255, np.uint8)
    if not result.rows:
        return image
    g = template.geometry
    boxes = [r.zone for r in g.rows if r.number in result.doubt_rows] + list(result.outside)
    picture = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    for box in boxes:
        s = box.scaled(template.scale)
        cv2.rectangle(picture, (round(s.left), round(s.top)), (round(s.right), round(s.bottom)),
                      (0, 0, 255), 2)  # fmt: skip
    if not boxes:
        return picture
    k = template.scale
    top = max(min(round(b.top * k) for b in boxes) - 20, 0)
    bottom = min(max(round(b.bottom * k) for b in boxes) + 20, picture.shape[0])
    return picture[top:bottom]
