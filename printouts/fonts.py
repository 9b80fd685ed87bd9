"""The bundled DejaVu fonts, registered with reportlab once per process.

The 14 standard PDF fonts and reportlab's own Vera cannot show Vietnamese, and system fonts
differ between machines, so the TTFs ship inside the package (licence: fonts/LICENSE-DejaVu.txt)
and are read through importlib.resources, which also works from a zipped install.
"""

import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont


@dataclass(frozen=True, slots=True)
class Face:
    """One bundled font: the name reportlab knows it by and the file it comes from."""

    name: str
    file: str
    label: str  # for error messages


REGULAR = Face("PresidiumSans", "DejaVuSans.ttf", "DejaVu Sans")
BOLD = Face("PresidiumSans-Bold", "DejaVuSans-Bold.ttf", "DejaVu Sans Bold")
CONDENSED_BOLD = Face(
    "PresidiumSansCondensed-Bold", "DejaVuSansCondensed-Bold.ttf", "DejaVu Sans Condensed Bold"
)
FACES = (REGULAR, BOLD, CONDENSED_BOLD)


@cache
def _font(face: Face) -> TTFont:
    data = resources.files("printouts").joinpath("fonts", face.file).read_bytes()
    font = TTFont(face.name, io.BytesIO(data))
    pdfmetrics.registerFont(font)
    return font


def register() -> None:
    """Make every bundled face (and the regular/bold family, for platypus) usable by name."""
    for face in FACES:
        _font(face)
    pdfmetrics.registerFontFamily(
        REGULAR.name, normal=REGULAR.name, bold=BOLD.name, italic=REGULAR.name,
        boldItalic=BOLD.name,
    )  # fmt: skip


@cache
def coverage(face: Face) -> frozenset[int]:
    """The code points the face has a glyph for (its cmap)."""
    return frozenset(_font(face).face.charToGlyph)


def missing_char(text: str, faces: tuple[Face, ...]) -> tuple[str, Face] | None:
    """The first character of `text` that one of `faces` cannot draw, and that face.

    Without this check reportlab silently draws an empty box (tofu) on the card. Control
    characters are not in the cmap either, so they are caught too.
    """
    for char in text:
        for face in faces:
            if ord(char) not in coverage(face):
                return char, face
    return None


class MissingGlyphError(ValueError):
    """A name, unit or title holds a character the bundled fonts cannot print."""


def check_glyphs(text: str, faces: tuple[Face, ...], where: str, **place: object) -> None:
    """MissingGlyphError, naming where (the translation key `where` with `place`) and the
    character, when `faces` cannot print `text`. Worded in the language the user reads (the
    command line's --lang), not the document's: the refusal is for the person, not the page."""
    from session.i18n import t

    register()
    found = missing_char(text, faces)
    if found is not None:
        char, face = found
        raise MissingGlyphError(
            t("printouts.error.missing_glyph", where=t(where, **place), char=char,
              codepoint=f"U+{ord(char):04X}", font=face.label)
        )  # fmt: skip
