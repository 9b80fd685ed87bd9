"""Ballots (phiếu bầu) of one election round, as PDF (domain rules 4.6; printouts-notes §4, §6).

One ballot is drawn once, as a reportlab form, and placed on the pages as many times as there
are copies: two A5 ballots side by side on a landscape A4 sheet (a dashed cut line between
them) when the list is short, one ballot on a portrait A4 page otherwise. Each ballot carries:

- an empty box at the TOP LEFT labelled for the convening committee's stamp (`stamp=False`
  leaves it out);
- "ĐẢNG CỘNG SẢN VIỆT NAM" under the Party rule sets, the congress name, the ballot's title,
  the election's title, the round (from round 2 on) and the seats of this round ("bầu N đồng
  chí": the remaining seats in a later round), then one line on how to vote;
- the candidates, numbered, in the round's ballot order (fixed when the list was approved by
  session.ballots.ballot_order: given name, family name, middle name, date of birth under the
  Party rule sets), with the date of birth only next to names another candidate shares
  (session.ballots.same_name);
- the strike-out format (names with room to strike them through and no rules between the rows,
  which a counter could take for a stroke), or, when the list has no surplus
  (session.ballots.ballot_format), the columns No. | Name | Agree | Disagree.

A ballot is always ONE page: the layout is the first of a fixed list of (paper, columns, font
size, row pitch) that holds every name at full length, from one column at 12 pt on A5 down to
four columns at 7 pt on A4; when nothing holds the list, BallotLayoutError is raised rather
than a second page or a clipped name. Ballots carry no serial number (the vote is secret).

Every text is NFC and checked against the bundled fonts first (MissingGlyphError), and the PDF
is written in invariant mode: the same round and copies give the same bytes.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printouts.fonts import BOLD, REGULAR, Face, check_glyphs
from session.ballots import BallotFormat, ElectionError, same_name
from session.congress import Congress
from session.elections import Election, ElectionKind, Phase, Round, RoundReason
from session.i18n import t
from session.results import Purpose
from session.text import nfc

INK = colors.Color(0.08, 0.08, 0.08)
GREY = colors.Color(0.45, 0.45, 0.45)
RULE = colors.Color(0.25, 0.25, 0.25)
PAPERS = ("auto", "a5", "a4")
FORM = "presidium-ballot"


class BallotLayoutError(ValueError):
    """The list does not fit on one ballot page at any size Presidium allows."""


# ----------------------------------------------------------------------------- shared helpers


def short_date(day: date, lang: str) -> str:
    """'12/03/1965' / '1965-03-12': dates of birth on the ballots and minutes, the election day."""
    return t(
        "ballot_pdf.short_date", lang, day=f"{day.day:02d}", month=f"{day.month:02d}",
        year=str(day.year),
    )  # fmt: skip


def long_date(day: date, lang: str) -> str:
    """'ngày 20 tháng 6 năm 2025' / '2025-06-20'."""
    if lang == "vi":
        return t("ballot_pdf.date", lang, day=str(day.day), month=str(day.month), year=day.year)
    return t("ballot_pdf.date", lang, day=f"{day.day:02d}", month=f"{day.month:02d}", year=day.year)


def clock(at: datetime, lang: str) -> str:
    """'9 giờ 05 phút' / '09:05'."""
    hour = str(at.hour) if lang == "vi" else f"{at.hour:02d}"
    return t("ballot_pdf.time", lang, hour=hour, minute=f"{at.minute:02d}")


@dataclass(frozen=True, slots=True)
class Entry:
    """One name as the ballot prints it: its ballot number, the full name, and the date of birth
    when another candidate has the same full name ("" otherwise)."""

    number: int
    person: str
    name: str
    born: str


def approved_round(election: Election, round_no: int) -> Round:
    """The round, once its list is approved (ElectionError otherwise: no ballot before that)."""
    r = election.round(round_no)
    if r.approved_at is None or not r.ballot:
        raise ElectionError("list_not_approved", election=election.id)
    return r


def ballot_entries(election: Election, round_no: int, lang: str) -> tuple[Entry, ...]:
    """The round's names in ballot order (number = position + 1), NFC and glyph-checked."""
    approved_round(election, round_no)
    people = election.ballot(round_no)
    twins = same_name(people)
    entries = []
    for number, p in enumerate(people, 1):
        born = ""
        if p.id in twins and p.date_of_birth is not None:
            born = t("ballot_pdf.born", lang, date=short_date(p.date_of_birth, lang))
        name = nfc(p.full_name)
        check_glyphs(name, (BOLD, REGULAR), "ballot_pdf.where.candidate", number=number)
        entries.append(Entry(number, p.id, name, born))
    return tuple(entries)


def check_congress(congress: Congress, election: Election, lang: str) -> None:
    for text in (congress.name, congress.term, congress.venue):
        check_glyphs(nfc(text), (BOLD, REGULAR), "ballot_pdf.where.congress")
    check_glyphs(nfc(election.title), (BOLD, REGULAR), "ballot_pdf.where.election")


def seats_text(election: Election, r: Round, lang: str) -> str:
    """'(Bầu 45 đồng chí)': the seats of this round (the remaining ones in a later round)."""
    if election.purpose is Purpose.LIST_CUT:
        variant = "list_cut"
    elif election.purpose is Purpose.NOMINATION:
        variant = "nomination"
    elif election.kind is ElectionKind.DELEGATES_HIGHER:
        variant = "alternate" if r.phase is Phase.ALTERNATE else "official"
    else:
        variant = "party" if election.party else "other"
    return t(f"ballot_pdf.ballot.seats.{variant}", lang, seats=r.seats)


def round_text(r: Round, lang: str) -> str:
    """'Lần bầu thứ 2: bầu tiếp cho đủ số lượng còn thiếu' ("" for round 1)."""
    if r.number == 1:
        return ""
    reason = r.reason.value if r.reason is not RoundReason.FIRST else "first"
    return t(f"ballot_pdf.ballot.round.{reason}", lang, round=r.number)


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


A5_SHEET = Sheet(
    "a5", A4[1] / 2, A4[0], 10 * mm, 9 * mm, 2, landscape(A4),
    party=8, congress=7.5, title=14, election=10.5, note=9.5, instructions=7.5,
    stamp_w=36 * mm, stamp_h=21 * mm, stamp_label=6.3,
)  # fmt: skip
A4_SHEET = Sheet(
    "a4", A4[0], A4[1], 14 * mm, 11 * mm, 1, A4,
    party=9.5, congress=9, title=17, election=12, note=11, instructions=8.5,
    stamp_w=44 * mm, stamp_h=25 * mm, stamp_label=7,
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


def texts_for(congress: Congress, election: Election, r: Round, lang: str) -> Texts:
    fmt = r.format
    return Texts(
        lang=lang,
        party=t("ballot_pdf.party", lang) if election.party else "",
        congress=nfc(congress.name),
        title=t(f"ballot_pdf.ballot.title.{election.purpose.value}", lang),
        election=nfc(election.title),
        round=round_text(r, lang),
        seats=seats_text(election, r, lang),
        instructions=t(f"ballot_pdf.ballot.instructions.{fmt.value}", lang, seats=r.seats),
        stamp=t("ballot_pdf.ballot.stamp", lang),
        number=t("ballot_pdf.ballot.column.number", lang),
        name=t("ballot_pdf.ballot.column.name", lang),
        agree=t("ballot_pdf.ballot.column.agree", lang),
        disagree=t("ballot_pdf.ballot.column.disagree", lang),
    )


def _lines(text: str, face: Face, size: float, width: float) -> list[str]:
    return simpleSplit(text, face.name, size, width) if text else []


def _header(canvas: Canvas | None, sheet: Sheet, texts: Texts, stamp: bool) -> float:
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
        label = _lines(texts.stamp, REGULAR, sheet.stamp_label, sheet.stamp_w - 3 * mm)
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
    centre = (text_left + right) / 2
    width = right - text_left
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
    for line in _lines(texts.congress, REGULAR, sheet.congress, width):
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
        for line in _lines(text, face, size, full):
            y -= size * 1.25
            if canvas is not None:
                canvas.setFont(face.name, size)
                canvas.drawCentredString(mid, y, line)
    y -= 1.2 * mm
    for line in _lines(texts.instructions, REGULAR, sheet.instructions, full):
        y -= sheet.instructions * 1.25
        if canvas is not None:
            canvas.setFont(REGULAR.name, sheet.instructions)
            canvas.drawCentredString(mid, y, line)
    return y - 3.5 * mm


@dataclass(frozen=True, slots=True)
class _Columns:
    """The widths inside one column of names."""

    width: float  # the whole column
    number: float
    name: float  # room for the name (and the date of birth)
    box: float  # agree / disagree boxes (0 for the strike-out format)
    head: float  # the height of the agree / disagree header row (0 for strike-out)
    head_size: float
    labels: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # agree, disagree: 1-2 lines


def _columns(
    sheet: Sheet, fmt: BallotFormat, texts: Texts, n: int, cols: int, size: float
) -> _Columns:
    full = sheet.width - 2 * sheet.margin_x
    width = (full - GUTTER * (cols - 1)) / cols
    number = stringWidth(f"{n}.", REGULAR.name, size) + NUMBER_GAP
    if fmt is BallotFormat.STRIKE_OUT:
        return _Columns(width, number, width - number, 0, 0, 0)
    head_size = max(size * 0.8, 6.5)
    words = [w for label in (texts.agree, texts.disagree) for w in label.split()]
    box = max(max(stringWidth(w, BOLD.name, head_size) for w in words) + 3 * mm, 13 * mm)
    agree = tuple(_lines(texts.agree, BOLD, head_size, box - 2 * mm))
    disagree = tuple(_lines(texts.disagree, BOLD, head_size, box - 2 * mm))
    lines = max(len(agree), len(disagree), 1)
    number = max(number, stringWidth(texts.number, BOLD.name, head_size) + 2 * CELL_PAD)
    name = width - number - 2 * box - 2 * CELL_PAD
    head = head_size * (1.2 * lines + 1.2)
    return _Columns(width, number, name, box, head, head_size, (agree, disagree))


def _entry_width(entry: Entry, size: float) -> float:
    width = stringWidth(entry.name, BOLD.name, size)
    if entry.born:
        width += BORN_GAP + stringWidth(entry.born, REGULAR.name, size * BORN_SCALE)
    return width


def _fits(
    sheet: Sheet, fmt: BallotFormat, texts: Texts, entries: Sequence[Entry], list_top: float,
    cols: int, size: float, leading: float,
) -> bool:  # fmt: skip
    n = len(entries)
    rows = math.ceil(n / cols)
    if cols > n:
        return False
    c = _columns(sheet, fmt, texts, n, cols, size)
    if c.name <= 0 or any(_entry_width(e, size) > c.name for e in entries):
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
    tops = {name: _header(None, sheet, texts, stamp) for name, sheet in SHEETS.items()}
    for name, cols, sizes, pitches in TIERS:
        if paper != "auto" and name != paper:
            continue
        sheet = SHEETS[name]
        for size in sizes:
            for pitch in pitches:
                leading = size * pitch
                if _fits(sheet, fmt, texts, entries, tops[name], cols, size, leading):
                    rows = math.ceil(len(entries) / cols)
                    return Layout(name, fmt, cols, size, leading, rows)
    raise BallotLayoutError(_too_long_message(texts, entries))


# ----------------------------------------------------------------------------- drawing


def _draw_list(
    canvas: Canvas, layout: Layout, texts: Texts, entries: Sequence[Entry], top: float
) -> float:
    """The names, column by column (down the first column, then the next); the lowest y used."""
    sheet, size, leading = layout.sheet, layout.size, layout.leading
    c = _columns(sheet, layout.format, texts, len(entries), layout.columns, size)
    yes_no = layout.format is BallotFormat.YES_NO_COLUMNS
    indent = 0.0
    if not yes_no:  # the block of names centred in its column, numbers aligned across columns
        block = c.number + max(_entry_width(e, size) for e in entries)
        indent = max((c.width - block) / 2, 0)
    lowest = top
    for col in range(layout.columns):
        chunk = entries[col * layout.rows : (col + 1) * layout.rows]
        if not chunk:
            continue
        x = sheet.margin_x + col * (c.width + GUTTER) + indent
        if yes_no:
            _draw_table(canvas, x, top, c, texts, leading, len(chunk))
        name_x = x + c.number + (CELL_PAD if yes_no else 0)
        for i, entry in enumerate(chunk):
            row_top = top - c.head - i * leading
            baseline = row_top - leading / 2 - size * 0.36
            canvas.setFillColor(INK)
            canvas.setFont(REGULAR.name, size)
            if yes_no:
                canvas.drawCentredString(x + c.number / 2, baseline, f"{entry.number}.")
            else:
                canvas.drawRightString(x + c.number - NUMBER_GAP, baseline, f"{entry.number}.")
            canvas.setFont(BOLD.name, size)
            canvas.drawString(name_x, baseline, entry.name)
            if entry.born:
                born_x = name_x + stringWidth(entry.name, BOLD.name, size) + BORN_GAP
                canvas.setFont(REGULAR.name, size * BORN_SCALE)
                canvas.drawString(born_x, baseline, entry.born)
        lowest = min(lowest, top - c.head - len(chunk) * leading)
    return lowest


def _draw_table(
    canvas: Canvas, x: float, top: float, c: _Columns, texts: Texts, leading: float, rows: int
) -> None:
    """The grid and header of the agree / disagree columns for one column of names."""
    bottom = top - c.head - rows * leading
    right = x + c.width
    agree_x, disagree_x = right - 2 * c.box, right - c.box
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.rect(x, bottom, c.width, top - bottom, stroke=1, fill=0)
    for vx in (x + c.number, agree_x, disagree_x):
        canvas.line(vx, bottom, vx, top)
    canvas.line(x, top - c.head, right, top - c.head)
    canvas.setLineWidth(0.3)
    for i in range(1, rows):
        y = top - c.head - i * leading
        canvas.line(x, y, right, y)
    baseline = top - c.head / 2 - c.head_size * 0.36
    canvas.setFillColor(INK)
    canvas.setFont(BOLD.name, c.head_size)
    canvas.drawCentredString(x + c.number / 2, baseline, texts.number)
    canvas.drawString(x + c.number + CELL_PAD, baseline, texts.name)
    for box_x, label in ((agree_x, c.labels[0]), (disagree_x, c.labels[1])):
        first = baseline + (len(label) - 1) * c.head_size * 0.6
        for i, line in enumerate(label):
            canvas.drawCentredString(box_x + c.box / 2, first - i * c.head_size * 1.2, line)


def _draw_ballot(
    canvas: Canvas, layout: Layout, texts: Texts, entries: Sequence[Entry], stamp: bool
) -> None:
    top = _header(canvas, layout.sheet, texts, stamp)
    lowest = _draw_list(canvas, layout, texts, entries, top)
    if lowest < layout.sheet.margin_y - 0.01:  # a ballot is one page, whatever happens
        raise BallotLayoutError(_too_long_message(texts, entries))


def _too_long_message(texts: Texts, entries: Sequence[Entry]) -> str:
    _, cols, sizes, _ = TIERS[-1]
    return t("ballot_pdf.error.too_long", texts.lang, count=len(entries), columns=cols,
             size=sizes[-1])  # fmt: skip


def _cut_line(canvas: Canvas, sheet: Sheet) -> None:
    """A dashed line between the two A5 ballots of a sheet."""
    canvas.saveState()
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.3)
    canvas.setDash(3, 3)
    canvas.line(sheet.width, 4 * mm, sheet.width, sheet.height - 4 * mm)
    canvas.restoreState()


# ----------------------------------------------------------------------------- the ballots PDF


def _prepare(
    congress: Congress, election: Election, round_no: int, stamp: bool, paper: str
) -> tuple[Texts, tuple[Entry, ...], Layout]:
    lang = congress.language
    r = approved_round(election, round_no)
    check_congress(congress, election, lang)
    entries = ballot_entries(election, round_no, lang)
    texts = texts_for(congress, election, r, lang)
    layout = choose_layout(r.format, texts, entries, stamp=stamp, paper=paper)
    return texts, entries, layout


def ballot_layout(
    congress: Congress, election: Election, round_no: int, *, stamp: bool = True,
    paper: str = "auto",
) -> Layout:  # fmt: skip
    """The layout write_ballots would use (for a pre-flight line such as "54 names: A4, two
    columns, 11 pt"); raises what write_ballots would raise."""
    return _prepare(congress, election, round_no, stamp, paper)[2]


def suggested_copies(present: int, margin_percent: int = 5, minimum: int = 5) -> int:
    """Those present plus a margin for spoilt ballots: 5 % (at least `minimum`), rounded up to
    an even number so no half sheet is wasted on A5 ballots. A suggestion for the caller."""
    copies = present + max(minimum, -(-present * margin_percent // 100))
    return copies + copies % 2


def write_ballots(
    path: Path,
    congress: Congress,
    election: Election,
    round_no: int,
    copies: int,
    *,
    stamp: bool = True,
    paper: str = "auto",
) -> Layout:
    """Write `copies` ballots of round `round_no` to `path` and return the layout used.

    `paper`: "auto" (A5 halves of a landscape A4 sheet for short lists, else one A4 page),
    "a5" or "a4". `stamp=False` leaves out the stamp box (ballots on pre-stamped paper).
    ElectionError before the round's list is approved; MissingGlyphError for a character the
    fonts lack; BallotLayoutError when the list cannot fit one page."""
    lang = congress.language
    if isinstance(copies, bool) or not isinstance(copies, int) or copies < 1:
        raise ValueError(t("ballot_pdf.error.copies", lang, copies=copies))
    texts, entries, layout = _prepare(congress, election, round_no, stamp, paper)
    sheet = layout.sheet
    canvas = Canvas(str(path), pagesize=sheet.page, invariant=1, initialFontName=REGULAR.name)
    canvas.setTitle(t("ballot_pdf.ballot.document", lang, election=texts.election, round=round_no))
    canvas.setAuthor("Presidium")
    canvas.setCreator("Presidium")
    canvas.beginForm(FORM, 0, 0, sheet.width, sheet.height)
    _draw_ballot(canvas, layout, texts, entries, stamp)
    canvas.endForm()
    for page in range(layout.pages(copies)):
        on_page = min(sheet.per_page, copies - page * sheet.per_page)
        for slot in range(on_page):
            canvas.saveState()
            canvas.translate(slot * sheet.width, 0)
            canvas.doForm(FORM)
            canvas.restoreState()
        if sheet.per_page > 1:
            _cut_line(canvas, sheet)
        canvas.showPage()
    canvas.save()
    return layout
