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
  (session.ballots.ballot_format), the columns No. | Name | Agree | Disagree;
- what a ballot reader needs (issue 14): four black squares in the corners and, at the top
  right, a QR code naming the election, the round and the layout — the same on every ballot of
  the round. Where everything stands comes from printouts.ballot_layout, which the reader's
  geometry (printouts.ballot_geometry) uses too.

A ballot is always ONE page: the layout is the first of a fixed list of (paper, columns, font
size, row pitch) that holds every name at full length, from one column at 12 pt on A5 down to
four columns at 7 pt on A4; when nothing holds the list, BallotLayoutError is raised rather
than a second page or a clipped name. Ballots carry no serial number (the vote is secret):
nothing printed tells one voter's ballot from another's.

Every text is NFC and checked against the bundled fonts first (MissingGlyphError), and the PDF
is written in invariant mode: the same round and copies give the same bytes.
"""

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printouts.ballot_layout import (
    BORN_GAP,
    BORN_SCALE,
    CELL_PAD,
    GREY,
    INK,
    MARK,
    NAME_FACE,
    NAME_TRACKING,
    RULE,
    BallotLayoutError,
    Columns,
    Entry,
    Layout,
    Sheet,
    Texts,
    ballot_code,
    choose_layout,
    header,
    list_rows,
    marks,
    name_width,
    qr_box,
    too_long_message,
)
from printouts.fonts import BOLD, REGULAR, check_glyphs
from printouts.qr import draw_qr, qr_matrix
from session.ballots import BallotFormat, ElectionError, same_name
from session.congress import Congress
from session.elections import Election, ElectionKind, Phase, Round, RoundReason
from session.i18n import t
from session.results import Purpose
from session.text import nfc

FORM = "presidium-ballot"


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


# ----------------------------------------------------------------------------- drawing


def _draw_list(
    canvas: Canvas, layout: Layout, texts: Texts, entries: Sequence[Entry], top: float
) -> float:
    """The names where list_rows places them (and the agree / disagree grid of each column);
    the lowest y used."""
    size, leading = layout.size, layout.leading
    c, places = list_rows(layout, texts, entries, top)
    yes_no = layout.format is BallotFormat.YES_NO_COLUMNS
    lowest = top
    for column_x in dict.fromkeys(p.column_x for p in places):
        rows = sum(1 for p in places if p.column_x == column_x)
        if yes_no:
            _draw_table(canvas, column_x, top, c, texts, leading, rows)
        lowest = min(lowest, top - c.head - rows * leading)
    for p in places:
        canvas.setFillColor(INK)
        canvas.setFont(REGULAR.name, size)
        number = f"{p.entry.number}."
        if yes_no:
            canvas.drawCentredString(p.number_x, p.baseline, number)
        else:
            canvas.drawRightString(p.number_x, p.baseline, number)
        canvas.setFont(NAME_FACE.name, size)
        canvas.drawString(p.name_x, p.baseline, p.entry.name, charSpace=NAME_TRACKING * size)
        if p.entry.born:
            born_x = p.name_x + name_width(p.entry.name, size) + BORN_GAP
            canvas.setFont(REGULAR.name, size * BORN_SCALE)
            canvas.drawString(born_x, p.baseline, p.entry.born)
    return lowest


def _draw_table(
    canvas: Canvas, x: float, top: float, c: Columns, texts: Texts, leading: float, rows: int
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
    canvas: Canvas, layout: Layout, texts: Texts, entries: Sequence[Entry], stamp: bool, code: str
) -> None:
    top = header(canvas, layout.sheet, texts, stamp)
    _draw_reading_aids(canvas, layout.sheet, code)
    lowest = _draw_list(canvas, layout, texts, entries, top)
    if lowest < layout.sheet.margin_y - 0.01:  # a ballot is one page, whatever happens
        raise BallotLayoutError(too_long_message(texts, entries))


def _draw_reading_aids(canvas: Canvas, sheet: Sheet, code: str) -> None:
    """What a ballot reader aligns the sheet on: four black squares in the corners, and the
    code naming the election, the round and the layout (printouts.ballot_layout)."""
    canvas.saveState()
    canvas.setFillColor(colors.black)
    for x, y in marks(sheet):
        canvas.rect(x, y, MARK, MARK, stroke=0, fill=1)
    canvas.restoreState()
    x, y, side = qr_box(sheet)
    draw_qr(canvas, qr_matrix(code), x, y, side)


def _cut_line(canvas: Canvas, sheet: Sheet) -> None:
    """A dashed line between the two A5 ballots of a sheet."""
    canvas.saveState()
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.3)
    canvas.setDash(3, 3)
    canvas.line(sheet.width, 4 * mm, sheet.width, sheet.height - 4 * mm)
    canvas.restoreState()


# ----------------------------------------------------------------------------- the ballots PDF


def prepare(
    congress: Congress, election: Election, round_no: int, stamp: bool, paper: str
) -> tuple[Texts, tuple[Entry, ...], Layout]:
    """The round's texts, names and layout, checked as write_ballots checks them (the reader's
    geometry starts here too)."""
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
    return prepare(congress, election, round_no, stamp, paper)[2]


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
    texts, entries, layout = prepare(congress, election, round_no, stamp, paper)
    sheet = layout.sheet
    canvas = Canvas(str(path), pagesize=sheet.page, invariant=1, initialFontName=REGULAR.name)
    canvas.setTitle(t("ballot_pdf.ballot.document", lang, election=texts.election, round=round_no))
    canvas.setAuthor("Presidium")
    canvas.setCreator("Presidium")
    canvas.beginForm(FORM, 0, 0, sheet.width, sheet.height)
    code = ballot_code(election.id, round_no, layout, entries)
    _draw_ballot(canvas, layout, texts, entries, stamp, code)
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
