"""The files a scanner saves, as page images: PDF (each page rendered), TIFF (every frame), PNG
and JPEG; with the file's SHA-256, which names the image in the log and in the archive.

A file the scanner is still writing, or a broken one, raises UnreadableFile naming the file and
the problem; nothing is read from it (the folder watcher tries again once it is complete).
"""

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, UnidentifiedImageError

from session.i18n import t

SUFFIXES = (".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg")
RENDER_DPI = (150, 300)  # a PDF page is rendered at its scan's own resolution, within these
LONGEST = 3600  # pixels: larger images are scaled down first (a 300 dpi A4 scan is 3508)


class UnreadableFile(ValueError):
    """A file that is not a readable scan; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class ScannedFile:
    path: Path
    sha256: str
    pages: tuple[np.ndarray, ...]  # BGR, uint8


def readable(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES and not path.name.startswith(".")


def load(path: Path) -> ScannedFile:
    """Every page of the file, scaled so its longest side is at most LONGEST pixels."""
    if not readable(path):
        raise UnreadableFile(t("reading.error.kind", file=path.name, suffixes=" ".join(SUFFIXES)))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(t("reading.error.open", file=path.name, problem=exc.strerror)) from exc
    if not data:
        raise UnreadableFile(t("reading.error.empty", file=path.name))
    digest = hashlib.sha256(data).hexdigest()
    try:
        with warnings.catch_warnings():  # a damaged file's EXIF: the pages say what is wrong
            warnings.simplefilter("ignore")
            pages = _pdf_pages(data) if path.suffix.lower() == ".pdf" else _image_pages(data)
    except UnidentifiedImageError as exc:
        raise UnreadableFile(t("reading.error.not_image", file=path.name)) from exc
    except (pdfium.PdfiumError, OSError, ValueError, EOFError) as exc:
        raise UnreadableFile(t("reading.error.broken", file=path.name, problem=str(exc))) from exc
    if not pages:
        raise UnreadableFile(t("reading.error.empty", file=path.name))
    return ScannedFile(path, digest, tuple(_fit(p) for p in pages))


def _pdf_pages(data: bytes) -> list[np.ndarray]:
    doc = pdfium.PdfDocument(data)
    try:
        pages = []
        for page in doc:
            bitmap = page.render(scale=_scan_dpi(page) / 72, rev_byteorder=False)
            rgb = np.asarray(bitmap.to_pil().convert("RGB"))
            pages.append(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        return pages
    finally:
        doc.close()


def _scan_dpi(page: pdfium.PdfPage) -> float:
    """The resolution of the scan a PDF page holds (its largest image), within RENDER_DPI: no
    detail lost by rendering coarser, none invented by rendering finer."""
    found = 0.0
    for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        left, _, right, _ = image.get_bounds()
        width = image.get_metadata().width
        if right > left:
            found = max(found, width / (right - left) * 72)
    low, high = RENDER_DPI
    return min(max(found or low, low), high)


def _image_pages(data: bytes) -> list[np.ndarray]:
    image = Image.open(io.BytesIO(data))
    pages = []
    for frame in range(getattr(image, "n_frames", 1)):
        image.seek(frame)
        rgb = np.asarray(image.convert("RGB"))
        pages.append(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return pages


def _fit(page: np.ndarray) -> np.ndarray:
    longest = max(page.shape[:2])
    if longest <= LONGEST:
        return page
    k = LONGEST / longest
    return cv2.resize(page, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
