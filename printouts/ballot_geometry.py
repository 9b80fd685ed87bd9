"""Where everything stands on a printed ballot, as a reader of scanned ballots needs it (issue 14).

Computed from the same layout that draws the ballot (printouts.ballot_layout, through
printouts.ballots.prepare), never from a hand-made template: each name's box and its row, the
agree / disagree boxes of the columns format, the stamp box, the four registration squares and
the code. Coordinates are points from the ballot's TOP-LEFT corner, y growing down, as images
are addressed; on a page of two A5 ballots the second is `width` further right.
"""

from dataclasses import dataclass

from printouts.ballot_layout import MARK, Layout, RowPlace, Sheet, ballot_code, header, list_rows
from printouts.ballot_layout import marks as mark_corners
from printouts.ballot_layout import qr_box as qr_corner
from printouts.ballots import prepare
from session.ballots import BallotFormat
from session.congress import Congress
from session.elections import Election

# The name's box runs from below the baseline (descenders) to above the capitals' diacritics.
BELOW_BASELINE = 0.28
ABOVE_BASELINE = 0.95


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in points from the ballot's top-left corner, y down."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def scaled(self, k: float) -> "Box":
        return Box(self.left * k, self.top * k, self.right * k, self.bottom * k)


@dataclass(frozen=True, slots=True)
class NameRow:
    """One name: the printed name's extent (where a strike runs), the row's whole pitch across
    its column (the space between rows included), and the agree / disagree boxes."""

    number: int
    name: Box
    zone: Box
    agree: Box | None = None
    disagree: Box | None = None


@dataclass(frozen=True, slots=True)
class BallotGeometry:
    paper: str
    width: float  # one ballot, points
    height: float
    page: tuple[float, float]  # the printed page
    per_page: int
    format: BallotFormat
    candidates: int
    seats: int
    marks: tuple[Box, Box, Box, Box]  # top left, top right, bottom left, bottom right
    qr: Box
    stamp: Box | None
    list_area: Box  # from the list's top to the lowest row, margin to margin
    rows: tuple[NameRow, ...]
    code: str


def ballot_geometry(
    congress: Congress, election: Election, round_no: int, *, stamp: bool = True,
    paper: str = "auto",
) -> BallotGeometry:  # fmt: skip
    """The geometry of the ballots write_ballots prints with the same arguments."""
    texts, entries, layout = prepare(congress, election, round_no, stamp, paper)
    sheet = layout.sheet
    top = header(None, sheet, texts, stamp)
    _, places = list_rows(layout, texts, entries, top)
    flip = _Flip(sheet.height)
    rows = tuple(_row(flip, layout, p) for p in places)
    x, y, side = qr_corner(sheet)
    lowest = max(r.zone.bottom for r in rows)
    return BallotGeometry(
        paper=layout.paper,
        width=sheet.width,
        height=sheet.height,
        page=sheet.page,
        per_page=sheet.per_page,
        format=layout.format,
        candidates=len(entries),
        seats=election.round(round_no).seats,
        marks=tuple(flip.box(mx, my, MARK, MARK) for mx, my in mark_corners(sheet)),  # type: ignore[arg-type]
        qr=flip.box(x, y, side, side),
        stamp=_stamp_box(flip, sheet) if stamp else None,
        list_area=Box(sheet.margin_x, flip.y(top), sheet.width - sheet.margin_x, lowest),
        rows=rows,
        code=ballot_code(election.id, round_no, layout, entries),
    )


@dataclass(frozen=True, slots=True)
class _Flip:
    """reportlab's points (bottom-left origin, y up) to the reader's (top-left, y down)."""

    height: float

    def y(self, y: float) -> float:
        return self.height - y

    def box(self, x: float, y: float, w: float, h: float) -> Box:
        return Box(x, self.height - y - h, x + w, self.height - y)


def _stamp_box(flip: _Flip, sheet: Sheet) -> Box:
    top = sheet.height - sheet.margin_y
    return flip.box(sheet.margin_x, top - sheet.stamp_h, sheet.stamp_w, sheet.stamp_h)


def _row(flip: _Flip, layout: Layout, p: RowPlace) -> NameRow:
    size = layout.size
    name = Box(
        p.name_x,
        flip.y(p.baseline + ABOVE_BASELINE * size),
        p.name_x + p.name_width,
        flip.y(p.baseline - BELOW_BASELINE * size),
    )
    zone = flip.box(p.column_x, p.top - layout.leading, p.column_width, layout.leading)
    if layout.format is not BallotFormat.YES_NO_COLUMNS:
        return NameRow(p.entry.number, name, zone)
    right = p.column_x + p.column_width
    agree = Box(right - 2 * p.box, zone.top, right - p.box, zone.bottom)
    disagree = Box(right - p.box, zone.top, right, zone.bottom)
    return NameRow(p.entry.number, name, zone, agree, disagree)
