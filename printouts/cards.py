"""Delegate cards (A4, ten 90 x 55 mm cards a page) and the desk's list of card codes, as PDF.

Both documents are built with reportlab in invariant mode, so the same register gives the same
bytes (the file can be hashed into the minutes). Names and units are NFC-normalised and checked
against the bundled font before anything is drawn: a missing glyph would otherwise print as an
empty box on a card that is handed to a person.
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from db.store import Store, StoreError
from printouts import fonts
from printouts.fonts import BOLD, CONDENSED_BOLD, REGULAR, Face, check_glyphs
from printouts.pages import Footer, numbered_canvas
from printouts.qr import draw_qr, qr_matrix
from session.cards import display_groups
from session.congress import Congress
from session.i18n import t
from session.quorum import Kind
from session.text import nfc

PAGE_W, PAGE_H = A4
CARD_W, CARD_H = 90 * mm, 55 * mm  # business-card size: fits standard badge holders
COLS, ROWS = 2, 5
PER_PAGE = COLS * ROWS
MARGIN_X = (PAGE_W - COLS * CARD_W) / 2  # 15 mm
MARGIN_Y = (PAGE_H - ROWS * CARD_H) / 2  # 11 mm

PAD = 3.5 * mm
QR_SIZE = 26 * mm  # quiet zone included: 0.79 mm modules for a version 2 symbol
QR_X = CARD_W - 2.5 * mm - QR_SIZE
QR_TOP = 39.2 * mm
TEXT_RIGHT = QR_X - 1 * mm  # text stops short of the quiet zone
TEXT_W = TEXT_RIGHT - PAD
BAND_Y, BAND_H, BAND_INSET = 40 * mm, 5.8 * mm, 2 * mm
CODE_SIZE, CODE_LEADING = 7.0, 2.75 * mm
HEADER_SIZE = 6.0  # the congress name, at most two lines across the top
INK = colors.Color(0.1, 0.1, 0.1)
OUTLINE = colors.Color(0.78, 0.78, 0.78)


@dataclass(frozen=True, slots=True)
class Band:
    """The coloured strip that tells the kind of card at a glance, even across the hall."""

    fill: colors.Color
    text: colors.Color


# Voting delegates red; alternates dark blue; guests a light amber that stays light on a
# black-and-white printer too, so a guest card never passes for a voting one.
BANDS = {
    Kind.OFFICIAL: Band(colors.Color(0.72, 0.11, 0.11), colors.white),
    Kind.EX_OFFICIO: Band(colors.Color(0.72, 0.11, 0.11), colors.white),
    Kind.ALTERNATE: Band(colors.Color(0.12, 0.23, 0.55), colors.white),
    Kind.GUEST: Band(colors.Color(1.0, 0.78, 0.2), colors.black),
}

# How a name is fitted, first match wins: one line shrinking, then two lines, then condensed.
# A name on one line reads best; below 9 pt two bigger lines are easier on older eyes.
NAME_STEPS: tuple[tuple[Face, float, int], ...] = (
    *((BOLD, size / 2, 1) for size in range(24, 17, -1)),  # 12 to 9 pt
    *((CONDENSED_BOLD, size / 2, 1) for size in range(19, 15, -1)),  # 9.5 to 8 pt
    *((BOLD, size / 2, 2) for size in range(20, 15, -1)),  # two lines, 10 to 8 pt
    *((CONDENSED_BOLD, size / 2, 2) for size in range(16, 12, -1)),  # two lines, 8 to 6.5 pt
)


@dataclass(frozen=True, slots=True)
class CardData:
    """What one card shows; `code` is the 36-digit signed card code."""

    number: int
    full_name: str
    unit: str
    kind: Kind
    code: str
    sector: str = ""
    issue: int = 0


# ----------------------------------------------------------------------------- data


def card_data(store: Store, numbers: list[int] | None = None) -> list[CardData]:
    """The cards of every delegate, or of `numbers` (in that order, each once)."""
    delegates = store.delegates()
    if numbers is not None:
        by_number = {d.number: d for d in delegates}
        for n in numbers:
            if n not in by_number:
                raise StoreError("no_such_delegate", number=n)
        delegates = [by_number[n] for n in dict.fromkeys(numbers)]
    return [
        CardData(number=d.number, full_name=d.full_name, unit=d.unit, kind=d.kind,
                 code=store.card_code(d.number, d.card_issue), sector=d.sector,
                 issue=d.card_issue)
        for d in delegates
    ]  # fmt: skip


def prepared(congress: Congress, cards: Iterable[CardData]) -> list[CardData]:
    """The cards with NFC text, after checking every character against the fonts that print it."""
    fonts.register()
    check_glyphs(congress.name, (BOLD, REGULAR), "printouts.where.congress")
    for sector in congress.sectors:
        check_glyphs(sector.name, (REGULAR,), "printouts.where.congress")
    result = []
    for card in cards:
        card = replace(card, full_name=nfc(card.full_name), unit=nfc(card.unit))
        where = "printouts.where.delegate"
        check_glyphs(card.full_name, (BOLD, CONDENSED_BOLD, REGULAR), where, number=card.number)
        check_glyphs(card.unit, (REGULAR,), where, number=card.number)
        result.append(card)
    return result


# ----------------------------------------------------------------------------- text fitting


def _width(text: str, face: Face, size: float) -> float:
    return stringWidth(text, face.name, size)


def _clip(text: str, face: Face, size: float, width: float) -> str:
    """The text, cut and ended with an ellipsis if it is wider than `width`."""
    if _width(text, face, size) <= width:
        return text
    while text and _width(text + "…", face, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(text: str, face: Face, size: float, width: float, max_lines: int) -> list[str]:
    """At most `max_lines` lines no wider than `width`; what does not fit ends in an ellipsis."""
    lines = simpleSplit(text, face.name, size, width) or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [_clip(line, face, size, width) for line in lines]


def fit_name(name: str, width: float) -> tuple[Face, float, list[str]]:
    """The first of NAME_STEPS that holds the whole name; past the last, two clipped lines."""
    for face, size, max_lines in NAME_STEPS:
        lines = simpleSplit(name, face.name, size, width) if max_lines > 1 else [name]
        if len(lines) <= max_lines and all(_width(line, face, size) <= width for line in lines):
            return face, size, lines
    face, size, max_lines = NAME_STEPS[-1]
    return face, size, wrap(name, face, size, width, max_lines)


def fit_lines(
    text: str, face: Face, sizes: tuple[float, ...], width: float, max_lines: int
) -> tuple[float, list[str]]:
    """The first size at which the text wraps into `max_lines`, else the smallest, clipped."""
    for size in sizes:
        lines = simpleSplit(text, face.name, size, width)
        if len(lines) <= max_lines and all(_width(line, face, size) <= width for line in lines):
            return size, lines
    return sizes[-1], wrap(text, face, sizes[-1], width, max_lines)


def code_lines(code: str, per_line: int = 3) -> list[str]:
    """The code in groups of four, three groups a line, to fit under the QR at a legible size."""
    groups = display_groups(code).split(" ")
    return [" ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line)]


# ----------------------------------------------------------------------------- the cards PDF


def write_cards(
    path: Path,
    congress: Congress,
    cards: list[CardData],
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """The cards PDF: A4 pages of ten cards with cut marks; `progress(done, total)` per page."""
    cards = prepared(congress, cards)
    lang = congress.language
    canvas = Canvas(str(path), pagesize=A4, invariant=1, initialFontName=REGULAR.name)
    canvas.setTitle(t("printouts.cards.title", lang, congress=congress.name))
    canvas.setCreator("Presidium")
    header = wrap(congress.name, BOLD, HEADER_SIZE, CARD_W - 2 * PAD, 2)
    sectors = {s.code: s.name for s in congress.sectors}
    pages = max(1, math.ceil(len(cards) / PER_PAGE))
    for page in range(pages):
        chunk = cards[page * PER_PAGE : (page + 1) * PER_PAGE]
        _page_furniture(canvas, lang, page + 1, pages)
        for slot, card in enumerate(chunk):
            x = MARGIN_X + (slot % COLS) * CARD_W
            y = PAGE_H - MARGIN_Y - (slot // COLS + 1) * CARD_H
            _draw_card(canvas, x, y, card, header, sectors.get(card.sector, card.sector), lang)
        canvas.showPage()
        if progress is not None:
            progress(min(len(cards), (page + 1) * PER_PAGE), len(cards))
    canvas.save()


def _page_furniture(canvas: Canvas, lang: str, page: int, pages: int) -> None:
    """Cut marks on every grid line, a 50 mm bar to check the print scale, the page number."""
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.25)
    for i in range(COLS + 1):
        x = MARGIN_X + i * CARD_W
        canvas.line(x, 3 * mm, x, MARGIN_Y - 2 * mm)
        canvas.line(x, PAGE_H - MARGIN_Y + 2 * mm, x, PAGE_H - 3 * mm)
    for j in range(ROWS + 1):
        y = MARGIN_Y + j * CARD_H
        canvas.line(3 * mm, y, MARGIN_X - 2 * mm, y)
        canvas.line(PAGE_W - MARGIN_X + 2 * mm, y, PAGE_W - 3 * mm, y)
    # "Fit to page" shrinks cards and QR codes; a ruler against this bar shows it at once.
    bar_x, bar_y = MARGIN_X + 5 * mm, 6.5 * mm
    canvas.line(bar_x, bar_y, bar_x + 50 * mm, bar_y)
    for end in (bar_x, bar_x + 50 * mm):
        canvas.line(end, bar_y - 1.2 * mm, end, bar_y + 1.2 * mm)
    canvas.setFillColor(INK)
    label_x = bar_x + 52 * mm
    label = _clip(
        t("printouts.cards.calibration", lang), REGULAR, 5.5, MARGIN_X + CARD_W - 2 * mm - label_x
    )
    canvas.setFont(REGULAR.name, 5.5)
    canvas.drawString(label_x, bar_y - 0.7 * mm, label)
    canvas.setFont(REGULAR.name, 6)
    canvas.drawRightString(
        PAGE_W - MARGIN_X - 5 * mm,
        bar_y - 0.7 * mm,
        t("printouts.page", lang, page=page, pages=pages),
    )


def _draw_card(
    canvas: Canvas, x: float, y: float, card: CardData, header: list[str], sector: str, lang: str
) -> None:
    canvas.saveState()
    canvas.translate(x, y)
    canvas.setStrokeColor(OUTLINE)
    canvas.setLineWidth(0.3)
    canvas.rect(0, 0, CARD_W, CARD_H, stroke=1, fill=0)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD.name, HEADER_SIZE)
    for i, line in enumerate(header):
        baseline = CARD_H - 3.2 * mm - HEADER_SIZE * 0.76 - i * HEADER_SIZE * 1.2
        canvas.drawCentredString(CARD_W / 2, baseline, line)
    _draw_band(canvas, card.kind, lang)
    draw_qr(canvas, qr_matrix(card.code), QR_X, QR_TOP - QR_SIZE, QR_SIZE)
    _draw_code(canvas, card.code)
    _draw_identity(canvas, card, lang)
    _draw_footer(canvas, card, sector, lang)
    canvas.restoreState()


def _draw_band(canvas: Canvas, kind: Kind, lang: str) -> None:
    band = BANDS[kind]
    canvas.setFillColor(band.fill)
    canvas.rect(BAND_INSET, BAND_Y, CARD_W - 2 * BAND_INSET, BAND_H, stroke=0, fill=1)
    canvas.setFillColor(band.text)
    label = _clip(t(f"printouts.kind.{kind.value}", lang), BOLD, 8, CARD_W - 2 * PAD)
    canvas.setFont(BOLD.name, 8)
    canvas.drawCentredString(CARD_W / 2, BAND_Y + (BAND_H - 8 * 0.73) / 2, label)


def _code_baseline() -> float:
    """The first code line's baseline: its digits' tops stay 0.8 mm clear of the quiet zone."""
    return QR_TOP - QR_SIZE - 0.8 * mm - CODE_SIZE * 0.76


def _draw_code(canvas: Canvas, code: str) -> None:
    """The code under the QR, for typing at the desk; the first line clears the quiet zone."""
    canvas.setFillColor(INK)
    canvas.setFont(REGULAR.name, CODE_SIZE)
    baseline = _code_baseline()
    for i, line in enumerate(code_lines(code)):
        canvas.drawCentredString(QR_X + QR_SIZE / 2, baseline - i * CODE_LEADING, line)


def _draw_identity(canvas: Canvas, card: CardData, lang: str) -> None:
    """Number (the human fallback when a scanner fails), name, unit: left of the QR."""
    canvas.setFillColor(INK)
    label = t("printouts.cards.number", lang)
    canvas.setFont(REGULAR.name, 7)
    canvas.drawString(PAD, 32 * mm, label)
    canvas.setFont(BOLD.name, 24)
    canvas.drawString(PAD + _width(label, REGULAR, 7) + 1.2 * mm, 32 * mm, str(card.number))
    face, size, name_lines = fit_name(card.full_name, TEXT_W)
    canvas.setFont(face.name, size)
    baseline = 25.6 * mm
    for i, line in enumerate(name_lines):
        baseline = 25.6 * mm - i * size * 1.25  # room for stacked marks such as ễ
        canvas.drawString(PAD, baseline, line)
    size, unit_lines = fit_lines(card.unit, REGULAR, (7.5, 6.5), TEXT_W, 3)
    canvas.setFont(REGULAR.name, size)
    for i, line in enumerate(unit_lines):
        canvas.drawString(PAD, baseline - 4.2 * mm - i * size * 1.22, line)


def _draw_footer(canvas: Canvas, card: CardData, sector: str, lang: str) -> None:
    parts = []
    if sector:
        parts.append(t("printouts.cards.sector", lang, sector=sector))
    if card.issue:
        parts.append(t("printouts.cards.issue", lang, issue=card.issue))
    if parts:
        canvas.setFillColor(INK)
        canvas.setFont(REGULAR.name, 6.5)
        baseline = _code_baseline() - 2 * CODE_LEADING  # level with the last line of the code
        canvas.drawString(PAD, baseline, _clip(" · ".join(parts), REGULAR, 6.5, TEXT_W))


# ----------------------------------------------------------------------------- the code list

LIST_MARGIN = 10 * mm
LIST_SIZE = 7.5
LIST_PADDING = 3  # points, each side of a cell


def _list_columns(sample_code: str) -> tuple[float, ...]:
    """Number, name, unit, kind, code: the code column is as wide as one code line needs."""
    code = stringWidth(display_groups(sample_code), BOLD.name, LIST_SIZE) + 2 * LIST_PADDING + 1
    number, kind = 9 * mm, 21 * mm
    rest = PAGE_W - 2 * LIST_MARGIN - number - kind - code
    return (number, rest * 0.54, rest * 0.46, kind, code)


def write_card_list(path: Path, congress: Congress, cards: list[CardData]) -> None:
    """Every delegate with the code in groups of four: for reprints and typing at the desk."""
    cards = prepared(congress, cards)
    lang = congress.language
    styles = _list_styles()
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, invariant=1, leftMargin=LIST_MARGIN, rightMargin=LIST_MARGIN,
        topMargin=LIST_MARGIN, bottomMargin=16 * mm, title=t("printouts.list.title", lang),
        author="Presidium", creator="Presidium", initialFontName=REGULAR.name,
    )  # fmt: skip
    story = [
        Paragraph(escape(t("printouts.list.title", lang)), styles["title"]),
        Paragraph(escape(congress.name), styles["sub"]),
        Paragraph(escape(t("printouts.list.summary", lang, count=len(cards))), styles["sub"]),
        Spacer(1, 3 * mm),
        _list_table(cards, lang, styles),
    ]
    footer = Footer(t("printouts.list.notice", lang), LIST_MARGIN, PAGE_W - LIST_MARGIN, 9 * mm)
    doc.build(story, canvasmaker=numbered_canvas(footer, lang))


def _list_styles() -> dict[str, ParagraphStyle]:
    fonts.register()
    cell = ParagraphStyle(
        "cell", fontName=REGULAR.name, fontSize=LIST_SIZE, leading=LIST_SIZE * 1.2
    )
    return {
        "title": ParagraphStyle("title", fontName=BOLD.name, fontSize=13, leading=16),
        "sub": ParagraphStyle("sub", fontName=REGULAR.name, fontSize=8.5, leading=11),
        "cell": cell,
        "name": ParagraphStyle("name", parent=cell, fontName=BOLD.name),
    }


def _list_table(cards: list[CardData], lang: str, styles: dict[str, ParagraphStyle]) -> LongTable:
    head = [
        t(f"printouts.list.column.{c}", lang) for c in ("number", "name", "unit", "kind", "code")
    ]
    rows: list[list[object]] = [head]
    for card in cards:
        rows.append([
            str(card.number),
            Paragraph(escape(card.full_name), styles["name"]),
            Paragraph(escape(card.unit), styles["cell"]),
            Paragraph(escape(t(f"printouts.list.kind.{card.kind.value}", lang)), styles["cell"]),
            display_groups(card.code),
        ])  # fmt: skip
    table = LongTable(
        rows, colWidths=_list_columns(cards[0].code if cards else "0" * 36), repeatRows=1
    )
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), BOLD.name, LIST_SIZE),
        ("FONT", (0, 1), (-1, -1), REGULAR.name, LIST_SIZE),
        ("FONT", (4, 1), (4, -1), BOLD.name, LIST_SIZE),
        ("ALIGN", (0, 0), (0, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, OUTLINE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.Color(0.95, 0.95, 0.95)]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), LIST_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), LIST_PADDING),
    ]))  # fmt: skip
    return table
