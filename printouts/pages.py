"""Page furniture shared by the multi-page documents: a footer with 'page x of y'."""

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printouts.fonts import REGULAR
from session.i18n import t

INK = colors.Color(0.1, 0.1, 0.1)


def clip(text: str, size: float, width: float, font: str = REGULAR.name) -> str:
    """The text, cut and ended with an ellipsis if it is wider than `width` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Footer:
    """Where the footer goes: `left` and `right` are x positions, `y` the baseline (points)."""

    text: str  # on the left, clipped to leave room for the page number
    left: float
    right: float
    y: float
    size: float = 7.0


def numbered_canvas(footer: Footer, lang: str) -> type[Canvas]:
    """A canvas that ends every page with the footer text and 'page x of y'.

    The total is only known once the document is laid out, so the canvas keeps each page's state
    and writes the footers when the document is saved (the usual reportlab two-step).
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            room = footer.right - footer.left - 30 * footer.size
            label = clip(footer.text, footer.size, room)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFillColor(INK)
                self.setFont(REGULAR.name, footer.size)
                self.drawString(footer.left, footer.y, label)
                page = t("printouts.page", lang, page=number, pages=total)
                self.drawRightString(footer.right, footer.y, page)
                super().showPage()
            super().save()

    return NumberedCanvas
