"""QR symbols for card codes, drawn on a reportlab canvas as one filled vector path.

One path (rather than a rectangle per module) matters: renderers anti-alias every fill on its own,
so separately filled neighbouring modules leave light seams that scanners trip over. A single
fill is rasterised as one shape.
"""

import qrcode
from qrcode.constants import ERROR_CORRECT_Q
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE = 4  # modules of white around the symbol, required by ISO/IEC 18004


def qr_matrix(payload: str) -> list[list[bool]]:
    """The symbol's modules (True = dark), quiet zone included, at error correction Q.

    Q survives a thumb, a lanyard clip or a crease over up to a quarter of the symbol; with the
    36-digit numeric card code it is still version 2 (25 x 25 modules).
    """
    symbol = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=QUIET_ZONE, box_size=1)
    symbol.add_data(payload)
    symbol.make(fit=True)
    return symbol.get_matrix()


def path_operators(matrix: list[list[bool]]) -> str:
    """PDF path operators for the dark modules in module units, one rectangle per dark run.

    Row 0 is the top row; the caller flips the y axis. Integer coordinates keep this cheap: it
    runs for every card, and formatting floats through reportlab's path API is the slow part.
    """
    parts: list[str] = []
    for row, cells in enumerate(matrix):
        col, width = 0, len(cells)
        while col < width:
            if not cells[col]:
                col += 1
                continue
            start = col
            while col < width and cells[col]:
                col += 1
            parts.append(f"{start} {row} {col - start} 1 re")
    return "\n".join(parts)


def draw_qr(canvas: Canvas, matrix: list[list[bool]], x: float, y: float, size: float) -> None:
    """Draw the symbol with its quiet zone filling the square (x, y, size) in points."""
    module = size / len(matrix)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.translate(x, y + size)
    canvas.scale(module, -module)  # module units, y down: matrix rows map straight to PDF rows
    # addLiteral is reportlab's public door for raw operators; "f" fills every run as one shape.
    canvas.addLiteral(path_operators(matrix) + "\nf")
    canvas.restoreState()
