"""A document (printouts/document.py) as a PDF: the minutes and the counting minutes alike.

reportlab platypus, A4, in invariant mode so that the same document gives the same bytes; the
bundled DejaVu fonts (printouts/fonts.py), every text checked for glyphs before anything is
written; every page's footer carries the document's footer text and "page x of y"
(printouts/pages.py). A document that ends with signature lines keeps its last section on the
page of the signatures: a signature never stands alone.
"""

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from printouts import fonts
from printouts.document import (
    Block,
    Document,
    Grid,
    Heading,
    Letterhead,
    Signatures,
    Text,
    Title,
)
from printouts.fonts import BOLD, REGULAR, check_glyphs
from printouts.pages import Footer, numbered_canvas

PAGE_W, PAGE_H = A4
# Decree 30/2020 margins for administrative documents: 30 mm left, 15–20 mm right, 20 mm top.
LEFT, RIGHT, TOP, BOTTOM = 30 * mm, 15 * mm, 20 * mm, 20 * mm
FOOTER_Y = 10 * mm
WIDTH = PAGE_W - LEFT - RIGHT
INK = colors.Color(0.08, 0.08, 0.08)
LINE = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.93, 0.93, 0.93)
WARN = colors.Color(0.65, 0.05, 0.05)
# Tables set their own font before drawing their cells (Helvetica unless told): the bundled one,
# so no standard font (which cannot show Vietnamese) is ever referenced.
FONT = [("FONT", (0, 0), (-1, -1), REGULAR.name, 9)]

Styles = dict[str, ParagraphStyle]


def _styles() -> Styles:
    fonts.register()
    body = ParagraphStyle("body", fontName=REGULAR.name, fontSize=10.5, leading=14, textColor=INK)
    return {
        "body": ParagraphStyle("body2", parent=body, spaceBefore=2),
        "item": ParagraphStyle("item", parent=body, leftIndent=5 * mm),
        "note": ParagraphStyle("note", parent=body, fontSize=8.5, leading=11, leftIndent=5 * mm),
        "warning": ParagraphStyle("warning", parent=body, fontName=BOLD.name, textColor=WARN),
        # headings keep with what follows: none ends a page alone
        "h1": ParagraphStyle("h1", parent=body, fontName=BOLD.name, fontSize=11.5, leading=15,
                             spaceBefore=9, spaceAfter=3, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD.name, spaceBefore=6, spaceAfter=1,
                             keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=body, fontName=BOLD.name, fontSize=10, spaceBefore=3,
                             leftIndent=5 * mm, keepWithNext=1),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD.name, fontSize=15, leading=19,
                                alignment=TA_CENTER, spaceBefore=4),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontName=BOLD.name, fontSize=11.5,
                                   leading=15, alignment=TA_CENTER, spaceAfter=6),
        "centre_small": ParagraphStyle("centre_small", parent=body, fontSize=9, leading=11.5,
                                       alignment=TA_CENTER),
        "centre_bold": ParagraphStyle("centre_bold", parent=body, fontName=BOLD.name, fontSize=9.5,
                                      leading=12.5, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8.5, leading=10.5,
                                     alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=BOLD.name, fontSize=8.5,
                                    leading=10.5, alignment=TA_CENTER),
    }  # fmt: skip


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _flowables(block: Block, s: Styles) -> list[Flowable]:
    match block:
        case Letterhead():
            return [_letterhead(block, s), Spacer(1, 5 * mm)]
        case Title():
            first, *rest = block.lines
            return [_p(first, s["title"]), *(_p(line, s["subtitle"]) for line in rest)]
        case Heading():
            return [_p(block.text, s[f"h{block.level}"])]
        case Text():
            return [_p(block.text, s[block.style.value])]
        case Grid():
            return [Spacer(1, 1.5 * mm), _grid(block, s), Spacer(1, 1.5 * mm)]
        case Signatures():
            return [_signatures(block, s)]


def _letterhead(block: Letterhead, s: Styles) -> Table:
    left = [_p(line, s["centre_bold"]) for line in block.left]
    right = [_p(line, s["centre_bold" if i == 0 else "centre_small"])
             for i, line in enumerate(block.right)]  # fmt: skip
    table = Table([[left, right]], colWidths=(WIDTH * 0.5, WIDTH * 0.5))
    table.setStyle(TableStyle([
        *FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))  # fmt: skip
    return table


CELL_PADDING = 3  # a grid cell's left and right padding (pt)


def _grid(block: Grid, s: Styles) -> LongTable:
    total = sum(block.widths)
    widths = [WIDTH * w / total for w in block.widths]
    rows: list[list[object]] = [
        [_cell(h, s["cell_head"], w) for h, w in zip(block.header, widths, strict=True)]
    ]
    for row in block.rows:
        styles = [s["cell_right" if i in block.numeric else "cell"] for i in range(len(row))]
        rows.append([_cell(c, st, w) for c, st, w in zip(row, styles, widths, strict=True)])
    table = LongTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        *FONT,
        *_as_paragraphs(s, block.numeric),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.4, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]))  # fmt: skip
    return table


def _cell(text: str, style: ParagraphStyle, width: float) -> str | Paragraph:
    """A grid cell. A text that fits on one line is drawn by the table itself, in the font,
    size, colour and place of the one-line paragraph it would be (:func:`_as_paragraphs`): a
    paragraph is parsed, wrapped three or four times and drawn word by word, which made the
    counting minutes' 2,000 cells twice as slow. A longer text is a paragraph, which wraps."""
    if text != " ".join(text.split()):  # (a paragraph folds spaces; the table would not)
        return _p(text, style)
    if stringWidth(text, style.fontName, style.fontSize) > width - 2 * CELL_PADDING:
        return _p(text, style)
    return text


def _as_paragraphs(s: Styles, numeric: frozenset[int]) -> list[tuple[object, ...]]:
    """The table's own text drawn as its paragraphs would be: the header in `cell_head`, the
    body in `cell`, numeric columns in `cell_right` (the same baseline: both sit `fontSize`
    below the cell's top padding)."""
    head, body = s["cell_head"], s["cell"]
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, 0), head.fontName),
        ("FONTSIZE", (0, 0), (-1, 0), head.fontSize),
        ("LEADING", (0, 0), (-1, 0), head.leading),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("FONTNAME", (0, 1), (-1, -1), body.fontName),
        ("FONTSIZE", (0, 1), (-1, -1), body.fontSize),
        ("LEADING", (0, 1), (-1, -1), body.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), body.textColor),
    ]
    commands += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in sorted(numeric)]
    return commands


def _signatures(block: Signatures, s: Styles) -> Table:
    cells = [
        [_p(role, s["centre_bold"]), _p(block.hint, s["centre_small"]), Spacer(1, 22 * mm),
         _p(name, s["centre_bold"])]
        for role, name in block.people
    ]  # fmt: skip
    grid = [cells[i : i + 2] + [[]] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
    table = Table(grid, colWidths=(WIDTH / 2, WIDTH / 2))
    table.setStyle(TableStyle([*FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 6 * mm)]))  # fmt: skip
    return table


def _story(document: Document) -> list[Flowable]:
    s = _styles()
    story: list[Flowable] = []
    blocks = list(document.blocks)
    # The closing lines stay on the page of the signatures: a signature never stands alone.
    tail = _closing_tail(blocks)
    for block in blocks[: len(blocks) - len(tail)]:
        story += _flowables(block, s)
    kept: list[Flowable] = []
    for block in tail:
        kept += _flowables(block, s)
    if kept:
        story.append(KeepTogether(kept))
    return story


def _closing_tail(blocks: Sequence[Block]) -> list[Block]:
    """The last heading and everything after it, when the document ends with signatures."""
    if not blocks or not isinstance(blocks[-1], Signatures):
        return []
    headings = [i for i, b in enumerate(blocks) if isinstance(b, Heading)]
    start = headings[-1] if headings else len(blocks) - 1
    return list(blocks[start:])


def _footer_size(text: str) -> float:
    """The largest size (7 pt down to 5 pt) at which the footer text, hash included, fits in
    the room pages.Footer leaves beside 'page x of y' (it would be clipped otherwise)."""
    fonts.register()
    size = 7.0
    while size > 5.0 and stringWidth(text, REGULAR.name, size) > WIDTH - 30 * size:
        size -= 0.25
    return size


def check_document(document: Document) -> None:
    """MissingGlyphError naming the first text the bundled fonts cannot print."""
    texts = list(document.texts())
    fonts.register()
    if fonts.missing_char("".join(set("".join(texts))), (REGULAR, BOLD)) is None:
        return  # (every character at once: a long document has thousands of texts)
    for text in texts:
        check_glyphs(text, (REGULAR, BOLD), "printouts.where.document", name=document.where)


def write_minutes_pdf(path: Path, document: Document) -> None:
    """Write a document (the minutes, the counting minutes) to `path` as an A4 PDF; invariant:
    the same document gives the same bytes. MissingGlyphError, before anything is written, for a
    character the bundled fonts lack."""
    check_document(document)
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, invariant=1, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
        bottomMargin=BOTTOM, title=document.title, author="Presidium", creator="Presidium",
        subject=document.footer, initialFontName=REGULAR.name,
    )  # fmt: skip
    footer = Footer(document.footer, LEFT, PAGE_W - RIGHT, FOOTER_Y, _footer_size(document.footer))
    doc.build(_story(document), canvasmaker=numbered_canvas(footer, document.lang))
