"""The blank ballot a reading compares with: the round's ballot drawn by the same code that
prints it (printouts.ballots), rendered at the reading resolution, with its geometry.

The printed ink of the blank is widened by a few pixels (INK_SLACK) so that a sheet aligned to
within a pixel or two does not show the printed names as new ink.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

from printouts.ballot_geometry import BallotGeometry, ballot_geometry
from printouts.ballots import write_ballots
from printouts.qr import qr_matrix
from session.congress import Congress
from session.elections import Election

READ_DPI = 150  # the aligned ballot's resolution for names printed at SMALL_NAMES and up
FINE_DPI = 300  # ... for smaller names (a national congress's long lists)
SMALL_NAMES = 9.5  # points
SCALE = READ_DPI / 72  # pixels per point at READ_DPI: every size in pixels is given for it
INK_SLACK = 2  # pixels the printed ink is widened by (the whole sheet)
ROW_SLACK = 2  # ... on a row, once the row itself is aligned to the blank
BLURS = (0.6, 1.1, 1.7)  # how blurred a scan may be (Gaussian sigma, pixels): the blank blurred so
PRINTED = 140  # grey below which the blank counts as printed


@dataclass(frozen=True, slots=True)
class Template:
    """A round's blank ballot: its geometry, its printed ink (widened) at SCALE, and the
    symbol's modules (for the code's corners, which the aligner starts from)."""

    geometry: BallotGeometry
    scale: float  # pixels per point on the aligned ballot
    printed: np.ndarray  # bool, True where the blank has ink (widened by INK_SLACK)
    tight: np.ndarray  # the same widened by ROW_SLACK only
    soft: tuple[np.ndarray, ...]  # the blank's darkness as each of BLURS shows it, widened
    plain: tuple[np.ndarray, ...]  # ... blurred only (uint8): what the paper between letters is
    darkness: np.ndarray  # uint8, 255 - grey of the blank
    modules: int  # the code's side in modules, quiet zone included

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the aligned ballot in pixels."""
        return round(self.geometry.width * self.scale), round(self.geometry.height * self.scale)

    @property
    def fine(self) -> float:
        """How much finer than READ_DPI this blank is: sizes in pixels are multiplied by it."""
        return self.scale / SCALE


def template_for(congress: Congress, election: Election, round_no: int) -> Template:
    geometry = ballot_geometry(congress, election, round_no)
    size = geometry.rows[0].name.height / 1.23  # the names' size (their box is 1.23 × it)
    scale = (READ_DPI if size >= SMALL_NAMES else FINE_DPI) / 72
    fine = round(scale / SCALE)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "blank.pdf"
        write_ballots(pdf, congress, election, round_no, 1)
        grey = _render_first_ballot(pdf, geometry, scale)
    ink = (grey < PRINTED).astype(np.uint8)
    printed, tight = (
        cv2.dilate(ink, np.ones((2 * k * fine + 1, 2 * k * fine + 1), np.uint8)).astype(bool)
        for k in (INK_SLACK, ROW_SLACK)
    )
    darkness = 255 - grey
    plain = tuple(cv2.GaussianBlur(darkness, (0, 0), sigma * fine) for sigma in BLURS)
    # Each blur's blank (never lighter than the sharp blank: a scan's letters may be sharper),
    # widened by a pixel: what a scan that blurred shows round the letters (their halo is no
    # ink), a pixel of misalignment allowed.
    widen = np.ones((2 * fine + 1, 2 * fine + 1), np.uint8)
    soft = tuple(cv2.dilate(np.maximum(b, darkness), widen) for b in plain)
    modules = len(qr_matrix(geometry.code))
    return Template(geometry, scale, printed, tight, soft, plain, darkness, modules)


def _render_first_ballot(pdf: Path, geometry: BallotGeometry, scale: float) -> np.ndarray:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[0].render(scale=scale, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    grey = np.asarray(image)
    width, height = round(geometry.width * scale), round(geometry.height * scale)
    return np.ascontiguousarray(grey[:height, :width])
