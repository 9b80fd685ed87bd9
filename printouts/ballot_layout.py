"""How a ballot is laid out (issue 14): the sheet, the size of the names, and where everything
stands on the paper, so the printer (printouts.ballots) and the reader (printouts.reading) work
from one description and never from a hand-made template.

The layout is the first of a fixed list of (paper, columns, font size, row pitch) that holds
every name at full length on one page (see printouts.ballots). :func:`list_rows` places each
name; :func:`marks` the four registration squares in the corners; :func:`qr_box` the code
naming the election, the round and the layout (the same on every ballot of a round: nothing
tells one voter's ballot from another's). Coordinates here are reportlab's: points, from the
ballot's bottom-left corner; printouts.ballot_geometry turns them into the reader's.
"""

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printouts.fonts import BOLD, REGULAR, Face
from session.ballot_reading import CODE_VERSION
from session.ballots import BallotFormat
from session.i18n import t

# The candidates' names in the regular face: a strike through a bold name hides behind its
# thick letters, and the reader sees a strike only in the paper between them (issue 14).
NAME_FACE = REGULAR
NAME_TRACKING = 0  # ... and a little apart (em between letters): more paper for a strike to show
INK = colors.Color(0.08, 0.08, 0.08)
GREY = colors.Color(0.45, 0.45, 0.45)
RULE = colors.Color(0.25, 0.25, 0.25)
PAPERS = ("auto", "a5", "a4")


class BallotLayoutError(ValueError):
    """The list does not fit on one ballot page at any size Presidium allows."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One name as the ballot prints it: its ballot number, the full name, and the date of birth
    when another candidate has the same full name ("" otherwise)."""

    number: int
    person: str
    name: str
    born: str


# ----------------------------------------------------------------------------- layout


@dataclass(frozen=True, slots=True)
class Sheet:
    """Where one ballot goes: its size, margins and header sizes, and how many go on a page."""

    name: str
    width: float
    height: float
    margin_x: float
    margin_y: float
    per_page: int
    page: tuple[float, float]
    party: float
    congress: float
    title: float
    election: float
    note: float  # round and seats lines
    instructions: float
    stamp_w: float
    stamp_h: float
    stamp_label: float
    qr: float  # the side of the ballot's code, top right


A5_SHEET = Sheet(
    "a5", A4[1] / 2, A4[0], 10 * mm, 9 * mm, 2, landscape(A4),
    party=8, congress=7.5, title=14, election=10.5, note=9.5, instructions=7.5,
    stamp_w=36 * mm, stamp_h=21 * mm, stamp_label=6.3, qr=15 * mm,
)  # fmt: skip
A4_SHEET = Sheet(
    "a4", A4[0], A4[1], 14 * mm, 11 * mm, 1, A4,
    party=9.5, congress=9, title=17, election=12, note=11, instructions=8.5,
    stamp_w=44 * mm, stamp_h=25 * mm, stamp_label=7, qr=17 * mm,
)  # fmt: skip
SHEETS = {"a5": A5_SHEET, "a4": A4_SHEET}

# (paper, columns, name sizes, row pitches as multiples of the size): the first that holds the
# whole list wins. Short lists go two to an A4 sheet; one column before two at 10 pt and up;
# three and four columns only for very long lists (a national congress's).
TIERS: tuple[tuple[str, int, tuple[float, ...], tuple[float, ...]], ...] = (
    ("a5", 1, (12, 11.5, 11, 10.5, 10), (1.9, 1.7)),
    ("a4", 1, (13, 12.5, 12, 11.5, 11, 10.5, 10), (1.9, 1.7)),
    ("a4", 2, (12, 11.5, 11, 10.5, 10, 9.5, 9), (1.9, 1.7, 1.5)),
    ("a4", 3, (9.5, 9, 8.5, 8, 7.5, 7), (1.6, 1.45, 1.35)),
    ("a4", 2, (8.5, 8, 7.5, 7), (1.45, 1.35)),  # agree / disagree lists too wide for three
    ("a4", 4, (8, 7.5, 7), (1.5, 1.4, 1.35)),
)
GUTTER = 6 * mm
NUMBER_GAP = 1.8 * mm
BORN_GAP = 1.5 * mm
BORN_SCALE = 0.8
CELL_PAD = 1.5 * mm
QR_GAP = 4 * mm


@dataclass(frozen=True, slots=True)
class Texts:
    """Everything the ballot's header says, in the congress language."""

    lang: str
    party: str  # "" outside the Party rule sets
    congress: str
    title: str
    election: str
    round: str  # "" in round 1
    seats: str
    instructions: str
    stamp: str
    number: str
    name: str
    agree: str
    disagree: str


@dataclass(frozen=True, slots=True)
class Layout:
    """How the ballot is laid out: `paper` a5 (two ballots per landscape A4 sheet) or a4 (one
    per page), the columns, the names' font size and row pitch (points)."""

    paper: str
    format: BallotFormat
    columns: int
    size: float
    leading: float
    rows: int  # names per column (the first columns are full)

    @property
    def sheet(self) -> Sheet:
        return SHEETS[self.paper]

    @property
    def per_page(self) -> int:
        return self.sheet.per_page

    def pages(self, copies: int) -> int:
        return math.ceil(copies / self.per_page)


def text_lines(text: str, face: Face, size: float, width: float) -> list[str]:
    return simpleSplit(text, face.name, size, width) if text else []


def header(canvas: Canvas | None, sheet: Sheet, texts: Texts, stamp: bool) -> float:
    """Draw the header on `canvas` (or only measure it, without one); the y where the list
    starts, in the ballot's own coordinates."""
    left, right = sheet.margin_x, sheet.width - sheet.margin_x
    top = sheet.height - sheet.margin_y
    if canvas is not None:
        canvas.setFillColor(INK)
    text_left = left
    block_bottom = top
    if stamp:
        box_y = top - sheet.stamp_h
        label = text_lines(texts.stamp, REGULAR, sheet.stamp_label, sheet.stamp_w - 3 * mm)
        if canvas is not None:
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.6)
            canvas.rect(left, box_y, sheet.stamp_w, sheet.stamp_h, stroke=1, fill=0)
            canvas.setFillColor(GREY)
            canvas.setFont(REGULAR.name, sheet.stamp_label)
            for i, line in enumerate(label):
                baseline = top - 1.6 * mm - sheet.stamp_label * (0.8 + 1.2 * i)
                canvas.drawCentredString(left + sheet.stamp_w / 2, baseline, line)
            canvas.setFillColor(INK)
        text_left = left + sheet.stamp_w + 5 * mm
        block_bottom = box_y
    text_right = right - sheet.qr - QR_GAP  # the code stands at the top right
    block_bottom = min(block_bottom, top - sheet.qr)
    centre = (text_left + text_right) / 2
    width = text_right - text_left
    y = top
    if texts.party:
        y -= sheet.party
        if canvas is not None:
            canvas.setFont(BOLD.name, sheet.party)
            canvas.drawCentredString(centre, y, texts.party)
            half = stringWidth(texts.party, BOLD.name, sheet.party) / 5
            rule_y = y - sheet.party * 0.55
            canvas.setLineWidth(0.5)
            canvas.setStrokeColor(INK)
            canvas.line(centre - half, rule_y, centre + half, rule_y)
        y -= sheet.party * 0.9
    for line in text_lines(texts.congress, REGULAR, sheet.congress, width):
        y -= sheet.congress * 1.22
        if canvas is not None:
            canvas.setFont(REGULAR.name, sheet.congress)
            canvas.drawCentredString(centre, y, line)
    y = min(y, block_bottom) - 4 * mm

    mid = sheet.width / 2
    full = right - left
    y -= sheet.title
    if canvas is not None:
        canvas.setFont(BOLD.name, sheet.title)
        canvas.drawCentredString(mid, y, texts.title)
    y -= sheet.title * 0.35
    blocks = (
        (texts.election, BOLD, sheet.election),
        (texts.round, REGULAR, sheet.note),
        (texts.seats, BOLD, sheet.note),
    )
    for text, face, size in blocks:
        for line in text_lines(text, face, size, full):
            y -= size * 1.25
            if canvas is not None:
                canvas.setFont(face.name, size)
                canvas.drawCentredString(mid, y, line)
    y -= 1.2 * mm
    for line in text_lines(texts.instructions, REGULAR, sheet.instructions, full):
        y -= sheet.instructions * 1.25
        if canvas is not None:
            canvas.setFont(REGULAR.name, sheet.instructions)
            canvas.drawCentredString(mid, y, line)
    return y - 3.5 * mm


@dataclass(frozen=True, slots=True)
class Columns:
    """The widths inside one column of names."""

    width: float  # the whole column
    number: float
    name: float  # room for the name (and the date of birth)
    box: float  # agree / disagree boxes (0 for the strike-out format)
    head: float  # the height of the agree / disagree header row (0 for strike-out)
    head_size: float
    labels: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # agree, disagree: 1-2 lines


def columns(
    sheet: Sheet, fmt: BallotFormat, texts: Texts, n: int, cols: int, size: float
) -> Columns:
    full = sheet.width - 2 * sheet.margin_x
    width = (full - GUTTER * (cols - 1)) / cols
    number = stringWidth(f"{n}.", REGULAR.name, size) + NUMBER_GAP
    if fmt is BallotFormat.STRIKE_OUT:
        return Columns(width, number, width - number, 0, 0, 0)
    head_size = max(size * 0.8, 6.5)
    words = [w for label in (texts.agree, texts.disagree) for w in label.split()]
    box = max(max(stringWidth(w, BOLD.name, head_size) for w in words) + 3 * mm, 13 * mm)
    agree = tuple(text_lines(texts.agree, BOLD, head_size, box - 2 * mm))
    disagree = tuple(text_lines(texts.disagree, BOLD, head_size, box - 2 * mm))
    lines = max(len(agree), len(disagree), 1)
    number = max(number, stringWidth(texts.number, BOLD.name, head_size) + 2 * CELL_PAD)
    name = width - number - 2 * box - 2 * CELL_PAD
    head = head_size * (1.2 * lines + 1.2)
    return Columns(width, number, name, box, head, head_size, (agree, disagree))


def name_width(name: str, size: float) -> float:
    """A candidate's name as printed: NAME_FACE, NAME_TRACKING apart."""
    return stringWidth(name, NAME_FACE.name, size) + NAME_TRACKING * size * len(name)


def entry_width(entry: Entry, size: float) -> float:
    width = name_width(entry.name, size)
    if entry.born:
        width += BORN_GAP + stringWidth(entry.born, REGULAR.name, size * BORN_SCALE)
    return width


def fits(
    sheet: Sheet, fmt: BallotFormat, texts: Texts, entries: Sequence[Entry], list_top: float,
    cols: int, size: float, leading: float,
) -> bool:  # fmt: skip
    n = len(entries)
    rows = math.ceil(n / cols)
    if cols > n:
        return False
    c = columns(sheet, fmt, texts, n, cols, size)
    if c.name <= 0 or any(entry_width(e, size) > c.name for e in entries):
        return False
    if fmt is BallotFormat.YES_NO_COLUMNS:
        header = stringWidth(texts.name, BOLD.name, c.head_size)
        if header > c.name:
            return False
    return c.head + rows * leading <= list_top - sheet.margin_y


def choose_layout(
    fmt: BallotFormat, texts: Texts, entries: Sequence[Entry], *, stamp: bool = True,
    paper: str = "auto",
) -> Layout:  # fmt: skip
    """The first tier (paper, columns, size, pitch) that holds every name on one page;
    BallotLayoutError when none does (never a second page, never a clipped name)."""
    if paper not in PAPERS:
        raise ValueError(t("ballot_pdf.error.paper", texts.lang, paper=paper))
    tops = {name: header(None, sheet, texts, stamp) for name, sheet in SHEETS.items()}
    for name, cols, sizes, pitches in TIERS:
        if paper != "auto" and name != paper:
            continue
        sheet = SHEETS[name]
        for size in sizes:
            for pitch in pitches:
                leading = size * pitch
                if fits(sheet, fmt, texts, entries, tops[name], cols, size, leading):
                    rows = math.ceil(len(entries) / cols)
                    return Layout(name, fmt, cols, size, leading, rows)
    raise BallotLayoutError(too_long_message(texts, entries))


def too_long_message(texts: Texts, entries: Sequence[Entry]) -> str:
    _, cols, sizes, _ = TIERS[-1]
    return t("ballot_pdf.error.too_long", texts.lang, count=len(entries), columns=cols,
             size=sizes[-1])  # fmt: skip


# ----------------------------------------------------------------------------- where things stand

MARK = 3.5 * mm  # the side of a registration square
MARK_INSET = 5 * mm  # from the ballot's edges: inside what any printer prints


def marks(sheet: Sheet) -> tuple[tuple[float, float], ...]:
    """The bottom-left corners of the four registration squares: top left, top right, bottom
    left, bottom right (each MARK wide)."""
    left, right = MARK_INSET, sheet.width - MARK_INSET - MARK
    bottom, top = MARK_INSET, sheet.height - MARK_INSET - MARK
    return ((left, top), (right, top), (left, bottom), (right, bottom))


def qr_box(sheet: Sheet) -> tuple[float, float, float]:
    """The code's bottom-left corner and side: at the top right, level with the stamp box."""
    side = sheet.qr
    return (sheet.width - sheet.margin_x - side, sheet.height - sheet.margin_y - side, side)


@dataclass(frozen=True, slots=True)
class RowPlace:
    """Where one name stands: its column's left edge and width, the row's top (the row is
    `leading` high), the baseline, where the number ends and the name starts, and the name's
    printed width (the date of birth included), and the width of the agree / disagree boxes."""

    entry: Entry
    column_x: float
    column_width: float
    top: float
    baseline: float
    number_x: float  # numbers are right-aligned here (strike-out) or centred (columns)
    name_x: float
    name_width: float
    box: float  # the agree / disagree boxes' width (0 for strike-out)


def list_rows(
    layout: Layout, texts: Texts, entries: Sequence[Entry], top: float
) -> tuple[Columns, tuple[RowPlace, ...]]:
    """Every name's place, column by column (down the first column, then the next); `top` is
    where the list starts (what :func:`header` returned). Also the widths inside a column."""
    sheet, size, leading = layout.sheet, layout.size, layout.leading
    c = columns(sheet, layout.format, texts, len(entries), layout.columns, size)
    yes_no = layout.format is BallotFormat.YES_NO_COLUMNS
    indent = 0.0
    if not yes_no:  # the block of names centred in its column, numbers aligned across columns
        block = c.number + max(entry_width(e, size) for e in entries)
        indent = max((c.width - block) / 2, 0)
    places = []
    for col in range(layout.columns):
        chunk = entries[col * layout.rows : (col + 1) * layout.rows]
        column_x = sheet.margin_x + col * (c.width + GUTTER)
        x = column_x + indent
        name_x = x + c.number + (CELL_PAD if yes_no else 0)
        number_x = x + c.number / 2 if yes_no else x + c.number - NUMBER_GAP
        for i, entry in enumerate(chunk):
            row_top = top - c.head - i * leading
            baseline = row_top - leading / 2 - size * 0.36
            width = entry_width(entry, size)
            place = RowPlace(entry, column_x, c.width, row_top, baseline, number_x, name_x, width,
                             c.box)  # fmt: skip
            places.append(place)
    return c, tuple(places)


def ballot_code(election: str, round_no: int, layout: Layout, entries: Sequence[Entry]) -> str:
    """What the ballot's QR code says: the election, the round and a digest of the layout (the
    names' face included: a ballot printed in another face is not this blank) and the names,
    the same on every ballot of the round (secrecy: nothing per voter)."""
    digest = hashlib.sha256()
    for part in (layout.paper, layout.format.value, layout.columns, layout.size, layout.leading,
                 layout.rows, NAME_FACE.name, NAME_TRACKING):  # fmt: skip
        digest.update(f"{part}|".encode())
    for e in entries:
        digest.update(f"{e.number}|{e.person}|{e.name}|{e.born}\n".encode())
    return f"{CODE_VERSION}|{election}|{round_no}|{digest.hexdigest()[:12]}"
