"""Scan files as a scanner's software saves them, and read back (issue 14): PNG and JPEG one
page each, TIFF and PDF any number; a PDF's pages rendered with pdfium. For the scanned-ballot
test data (tests/harness/ballot_scans.py) and the `presidium read-ballots` tests. No pytest
here.
"""

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

FORMATS = ("pdf", "tiff", "jpeg", "png")
MULTI_PAGE = frozenset({"pdf", "tiff"})
SUFFIX = {"pdf": ".pdf", "tiff": ".tif", "jpeg": ".jpg", "png": ".png"}


def _rgb(img: np.ndarray) -> Image.Image:
    return Image.fromarray(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))


def write_scans(
    path: Path, pages: Sequence[np.ndarray], dpi: float, quality: int | None = None
) -> None:
    """Save scanned pages as the scanner's software would, by the suffix: .png and .jpg one
    page each; .tif and .pdf any number (TIFF JPEG-compressed with `quality`, else
    uncompressed; the PDF's images embedded as JPEG, `quality` or 85)."""
    suffix = path.suffix.lower()
    if suffix in (".png", ".jpg", ".jpeg"):
        if len(pages) != 1:
            raise ValueError(f"{suffix} holds one page, not {len(pages)}")
        if suffix == ".png":
            params = [cv2.IMWRITE_PNG_COMPRESSION, 1]
        else:
            params = [cv2.IMWRITE_JPEG_QUALITY, quality or 90]
        ok, data = cv2.imencode(suffix, pages[0], params)
        if not ok:
            raise OSError(f"could not encode {path}")
        path.write_bytes(data.tobytes())
        return
    if suffix == ".pdf":
        write_pdf(path, pages, dpi, quality or 85)
        return
    images = [_rgb(p) for p in pages]
    if suffix in (".tif", ".tiff"):
        extra: dict[str, object] = {"compression": "raw"}
        if quality is not None:
            extra = {"compression": "jpeg", "quality": quality}
        images[0].save(path, save_all=True, append_images=images[1:], dpi=(dpi, dpi), **extra)
    else:
        raise ValueError(f"no scanner saves {suffix}")


def write_pdf(path: Path, pages: Sequence[np.ndarray], dpi: float, quality: int = 85) -> None:
    """A PDF as a scanner's software saves one: a page per scan, each one JPEG image
    (DCTDecode) filling a page of the scan's size at `dpi`. Written directly: Pillow's PDF
    writer converts and re-encodes every page at three times the cost."""
    objects: list[bytes] = []
    kids = []
    for page in pages:
        ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise OSError(f"could not encode a page of {path}")
        h, w = page.shape[:2]
        pw, ph = w * 72 / dpi, h * 72 / dpi
        space = "/DeviceRGB" if page.ndim == 3 else "/DeviceGray"
        first = len(objects) + 3  # objects 1 and 2: the catalog and the page tree
        image = (f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace {space}"
                 f" /BitsPerComponent 8 /Filter /DCTDecode /Length {len(data)} >>\nstream\n"
                 ).encode() + data.tobytes() + b"\nendstream"  # fmt: skip
        content = f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode()
        objects.append(image)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append((f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}]"
                        f" /Resources << /XObject << /Im0 {first} 0 R >> >>"
                        f" /Contents {first + 1} 0 R >>").encode())  # fmt: skip
        kids.append(f"{first + 2} 0 R")
    head = [b"<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()]  # fmt: skip
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(head + objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        xref,
    )
    path.write_bytes(bytes(out))


def read_scans(path: Path, dpi: float = 150) -> list[np.ndarray]:
    """The pages of a scan file as BGR images (a PDF rendered at `dpi`)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return render_pdf(path, dpi)
    with Image.open(path) as im:
        out = []
        for i in range(getattr(im, "n_frames", 1)):
            im.seek(i)
            out.append(cv2.cvtColor(np.asarray(im.convert("RGB")), cv2.COLOR_RGB2BGR))
        return out


def render_pdf(path: Path, dpi: float, pages: Sequence[int] | None = None) -> list[np.ndarray]:
    """The PDF's pages (all, or `pages`, 0-based) as BGR uint8 images at `dpi`."""
    document = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(document)) if pages is None else pages:
            bitmap = document[i].render(scale=dpi / 72, rev_byteorder=False)
            array = bitmap.to_numpy()
            if array.ndim == 2:
                array = cv2.cvtColor(array, cv2.COLOR_GRAY2BGR)
            out.append(np.ascontiguousarray(array[..., :3]))
        return out
    finally:
        document.close()
