"""A printed document as words in blocks: what the minutes (printouts/minutes.py) and the
counting minutes (printouts/counting_minutes.py) say, before anything is laid out.

Content and layout are apart, so that the PDF (printouts/pdf.py), the Markdown and the HTML
(printouts/minutes_text.py) of one document say exactly the same thing: a module that writes a
document puts it into words in one language (a letterhead, a title, headings, lines, tables,
signature lines), and the renderers only lay those blocks out.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class Style(StrEnum):
    BODY = "body"
    ITEM = "item"  # indented: one fact of a list
    NOTE = "note"  # smaller: how to check, where the details are
    WARNING = "warning"  # bold, red in the PDF: interim, drafts, quorum problems, failed checks


@dataclass(frozen=True, slots=True)
class Letterhead:
    left: tuple[str, ...]  # who writes (the congress, a committee)
    right: tuple[str, ...]  # the Party line when there is one, then the date


@dataclass(frozen=True, slots=True)
class Title:
    lines: tuple[str, ...]  # the first is the document's title


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1  # 1: a section (I, II… or 1, 2…), 2: a vote or an election, 3: a round


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    style: Style = Style.BODY


@dataclass(frozen=True, slots=True)
class Grid:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]  # relative
    numeric: frozenset[int] = frozenset()  # right-aligned columns


@dataclass(frozen=True, slots=True)
class Signatures:
    people: tuple[tuple[str, str], ...]  # (role, name or "" to fill in by hand)
    hint: str


Block = Letterhead | Title | Heading | Text | Grid | Signatures


@dataclass(frozen=True, slots=True)
class Document:
    lang: str
    title: str  # for the PDF's metadata and the HTML <title>
    blocks: tuple[Block, ...]
    footer: str  # on every page
    where: str  # what the document is called when one of its texts cannot be printed

    def texts(self) -> Iterator[str]:
        """Every string the document prints (for the glyph check and the tests)."""
        yield self.title
        yield self.footer
        for block in self.blocks:
            yield from _block_texts(block)


def _block_texts(block: Block) -> Iterator[str]:
    """Every string one block prints, in order."""
    match block:
        case Letterhead():
            yield from (*block.left, *block.right)
        case Title():
            yield from block.lines
        case Heading() | Text():
            yield block.text
        case Grid():
            yield from block.header
            for row in block.rows:
                yield from row
        case Signatures():
            yield block.hint
            for role, name in block.people:
                yield from (role, name)
