"""Each ballot on a page, found by its code and aligned on its four corner squares.

The QR code says which ballot it is and, by its corners, roughly where the ballot lies and which
way up; the four squares are then looked for near where that says they are, and the ballot is
warped from them (a homography: rotation, skew, scale and a little perspective) onto the blank's
pixels. A square that is not found is not guessed: the sheet is not aligned, and the committee
looks at it (as VxSuite rejects a sheet with a missing timing mark).
"""

from dataclasses import dataclass
from itertools import combinations
from typing import Protocol

import cv2
import numpy as np
import zxingcpp

from printouts.ballot_geometry import Box
from printouts.qr import QUIET_ZONE
from printouts.reading.template import SCALE, Template

MARK_DARK = 110  # grey below which a pixel belongs to a registration square
SEARCH_MM = 9.0  # how far from where the code says a square should be it is looked for
BLANK_PAGE = 0.002  # share of dark pixels below which a page is an empty back side
MM = 72 / 25.4
A4_POINTS = (595.28, 841.89)
MAX_LOOSE = 12  # squares no code explains: more is a page of something else


@dataclass(frozen=True, slots=True)
class Found:
    """One ballot on a page: its code ("" unread), its template when the code is this round's,
    and the aligned ballot (grey and red channels at the template's pixels) when its squares
    were all found. `order` sorts the ballots of a page left to right as scanned."""

    code: str
    template: Template | None
    grey: np.ndarray | None = None
    red: np.ndarray | None = None
    order: float = 0.0
    marks: tuple[tuple[float, float], ...] = ()  # where its corner squares were found (page)


class Blanks(Protocol):
    """The blanks a reading knows, by the code their ballots carry; `expected` is the one most
    sheets are (the count's round), for a ballot whose code cannot be read from the page."""

    def get(self, code: str) -> Template | None: ...

    def expected(self) -> Template | None: ...


def find_ballots(page: np.ndarray, templates: Blanks) -> list[Found]:
    """Every ballot on a BGR page: aligned when `templates` knows its code and its squares are
    found, otherwise with what could be read. An empty page (a duplex back) gives none."""
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    symbols = [
        s for s in zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode) if s.valid
    ]
    codes = [_corners(s) for s in symbols]
    found: list[Found] = []
    side = 0.0  # a corner square's side on this page, in pixels, once a ballot is known
    for symbol, corners in zip(symbols, codes, strict=True):
        template = templates.get(symbol.text)
        if template is None:
            found.append(Found(symbol.text, None, order=float(corners[:, 0].mean())))
            continue
        to_page = _from_code(template, corners)
        scale = float(np.sqrt(abs(np.linalg.det(to_page[:, :2]))))
        side = max(side, template.geometry.marks[0].width * scale)
        found.append(_aligned(page, grey, template, to_page, symbol.text))
    reference = next((f.template for f in found if f.template is not None), None)
    reference = reference or templates.expected()
    if reference is not None:
        found += _by_squares(page, grey, found, side, codes, reference, templates)
    elif not found and float((grey < MARK_DARK).mean()) >= BLANK_PAGE:
        found.append(Found("", None))  # something is on the page, and nothing says what
    return sorted(found, key=lambda f: f.order)


def _corners(symbol: zxingcpp.Barcode) -> np.ndarray:
    p = symbol.position
    points = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
    return np.array([[q.x, q.y] for q in points], np.float32)


def _symbol_box(template: Template) -> Box:
    qr, n = template.geometry.qr, template.modules
    m = qr.width / n
    inset = QUIET_ZONE * m
    return Box(qr.left + inset, qr.top + inset, qr.right - inset, qr.bottom - inset)


def _from_code(template: Template, corners: np.ndarray) -> np.ndarray:
    """Ballot points to page pixels, roughly, from the code's corners (a similarity)."""
    b = _symbol_box(template)
    src = np.array(
        [[b.left, b.top], [b.right, b.top], [b.right, b.bottom], [b.left, b.bottom]], np.float32
    )
    matrix, _ = cv2.estimateAffinePartial2D(src, corners)
    return matrix


def _aligned(
    page: np.ndarray, grey: np.ndarray, template: Template, to_page: np.ndarray, code: str
) -> Found:
    g = template.geometry
    order = float((to_page @ np.array([g.width / 2, g.height / 2, 1.0]))[0])  # left to right
    scale = float(np.sqrt(abs(np.linalg.det(to_page[:, :2]))))
    centres = []
    for mark in g.marks:
        want = to_page @ np.array([(mark.left + mark.right) / 2, (mark.top + mark.bottom) / 2, 1])
        at = _square_near(grey, want, mark.width * scale, SEARCH_MM * MM * scale)
        if at is None:
            return Found(code, template, order=order)
        centres.append(at)
    k = template.scale
    src = np.array(
        [[(m.left + m.right) / 2 * k, (m.top + m.bottom) / 2 * k] for m in g.marks],
        np.float32,
    )
    homography = cv2.getPerspectiveTransform(src, np.array(centres, np.float32))
    return _warped(page, homography, template, code, order, np.array(centres))


def _warped(
    page: np.ndarray, homography: np.ndarray, template: Template, code: str, order: float,
    marks: np.ndarray,
) -> Found:  # fmt: skip
    """The ballot warped onto the blank's pixels (`homography`: blank pixels to page)."""
    width, height = template.size
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    white = (255, 255, 255)
    warped = cv2.warpPerspective(page, homography, (width, height), flags=flags, borderValue=white)
    aligned_grey, red = _channels(warped)
    centres = tuple((float(x), float(y)) for x, y in marks)
    return Found(code, template, aligned_grey, red, order, centres)


def _channels(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Grey, and how red each pixel is (a stamp's ink: red well above green and blue)."""
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    b, g, r = cv2.split(bgr.astype(np.int16))
    red = np.clip(r - np.maximum(g, b), 0, 255).astype(np.uint8)
    return grey, red


def _square_near(
    grey: np.ndarray, want: np.ndarray, side: float, radius: float
) -> tuple[float, float] | None:
    """The centre of the solid dark square of about `side` pixels nearest `want`, within
    `radius`; None when there is none."""
    h, w = grey.shape
    x0, y0 = max(int(want[0] - radius), 0), max(int(want[1] - radius), 0)
    x1, y1 = min(int(want[0] + radius), w), min(int(want[1] + radius), h)
    if x1 - x0 < side or y1 - y0 < side:
        return None
    window = (grey[y0:y1, x0:x1] < MARK_DARK).astype(np.uint8)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(window, connectivity=8)
    best, best_distance = None, radius
    for i in range(1, count):
        if not _is_square(stats[i], side):
            continue
        cx, cy = centroids[i][0] + x0, centroids[i][1] + y0
        distance = float(np.hypot(cx - want[0], cy - want[1]))
        if distance < best_distance:
            best, best_distance = (float(cx), float(cy)), distance
    return best


def _by_squares(
    page: np.ndarray, grey: np.ndarray, found: list[Found], side: float,
    codes: list[np.ndarray], reference: Template, templates: Blanks,
) -> list[Found]:  # fmt: skip
    """The ballots whose code could not be read from the page, found by their four corner
    squares (those no ballot read accounts for, and not a code's finder patterns): each is
    aligned on them, either way up, and its code read again from the aligned sheet, where it
    is sharp and level. A ballot whose code still cannot be read is not guessed: it goes to the
    committee as a sheet that could not be aligned. Never silently dropped."""
    explained = [m for f in found for m in f.marks]
    sides = [side] if side else _likely_sides(grey, reference)
    for size in sides:
        loose = [
            (x, y) for x, y in _squares(grey, size)
            if not any(cv2.pointPolygonTest(_grown(c), (x, y), False) >= 0 for c in codes)
            and not any(np.hypot(x - mx, y - my) < size for mx, my in explained)
        ]  # fmt: skip
        loose = loose[:MAX_LOOSE]
        groups = [g for g in _rectangles(loose, reference, size) if not _holds_code(g, codes)]
        if groups or side:
            more = [_read_again(page, g, reference, templates) for g in groups]
            unaligned = sum(1 for f in found if f.template is not None and not f.marks)
            left = len(loose) - 4 * len(groups) - 4 * unaligned
            more += [Found("", None, order=1e9) for _ in range(max(round(left / 4), 0))]
            return more
    if not found and float((grey < MARK_DARK).mean()) >= BLANK_PAGE:
        return [Found("", None)]
    return []


def _likely_sides(grey: np.ndarray, reference: Template) -> list[float]:
    """A corner square's side in pixels if the page is the printed page, the ballot alone, or
    an A4 page holding a ballot cut from its pair (no code was read to say the scale)."""
    g = reference.geometry
    longest = max(grey.shape)
    mark = g.marks[0].width
    return [longest / max(size) * mark for size in (g.page, (g.width, g.height), A4_POINTS)]


def _rectangles(
    squares: list[tuple[float, float]], reference: Template, side: float
) -> list[np.ndarray]:
    """Sets of four squares standing as the reference ballot's corner squares stand (a
    rectangle of the right proportions), as (top left, top right, bottom left, bottom right)
    of the rectangle as it lies on the page."""
    g = reference.geometry
    centres = [((m.left + m.right) / 2, (m.top + m.bottom) / 2) for m in g.marks]
    wide = centres[1][0] - centres[0][0]
    high = centres[2][1] - centres[0][1]
    scale = side / g.marks[0].width
    want = sorted((wide * scale, high * scale))
    free = list(range(len(squares)))
    groups = []
    for four in combinations(range(len(squares)), 4):
        if not all(i in free for i in four):
            continue
        points = np.array([squares[i] for i in four], np.float32)
        corners = _as_rectangle(points, want)
        if corners is not None:
            groups.append(corners)
            free = [i for i in free if i not in four]
    return groups


def _as_rectangle(points: np.ndarray, want: list[float]) -> np.ndarray | None:
    """The four points round the rectangle (clockwise from the one up and left) when they stand
    as the corner squares do: a rectangle of the ballot's proportions (within 3 %) and about its
    size (the scale is only estimated here: within 25 %)."""
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    ring = points[np.argsort(angles)]
    sides = [float(np.linalg.norm(ring[i] - ring[(i + 1) % 4])) for i in range(4)]
    diagonals = [float(np.linalg.norm(ring[0] - ring[2])), float(np.linalg.norm(ring[1] - ring[3]))]
    short, long_ = sorted(sides[:2])
    if long_ == 0 or not 0.75 * want[1] <= long_ <= 1.25 * want[1]:
        return None
    proportions = abs(short / long_ - want[0] / want[1]) <= 0.03 * want[0] / want[1]
    square_corners = abs(diagonals[0] - diagonals[1]) <= 0.03 * diagonals[0]
    opposite = all(abs(sides[i] - sides[i + 2]) <= 0.03 * sides[i] for i in (0, 1))
    return ring if proportions and square_corners and opposite else None


def _read_again(
    page: np.ndarray, ring: np.ndarray, reference: Template, templates: Blanks
) -> Found:
    """Align on four squares, each way the ballot may lie, and read the code from the aligned
    sheet; the ballot is aligned only when the code read is one `templates` knows."""
    order = float(ring[:, 0].mean())
    g = reference.geometry
    clockwise = (g.marks[0], g.marks[1], g.marks[3], g.marks[2])
    k = reference.scale
    src = np.array(
        [[(m.left + m.right) / 2 * k, (m.top + m.bottom) / 2 * k] for m in clockwise],
        np.float32,
    )
    for turn in range(4):  # the ring's corners in every order round it (0°, 90°, 180°, 270°)
        dst = np.roll(ring, turn, axis=0)
        homography = cv2.getPerspectiveTransform(src, dst)
        code = _code_on(page, homography, reference)
        template = templates.get(code) if code else None
        if template is not None and template.size == reference.size:
            return _warped(page, homography, template, code, order, dst)
    return Found("", None, order=order)


def _code_on(page: np.ndarray, homography: np.ndarray, reference: Template) -> str:
    """The code read from where the reference ballot prints it, magnified and level."""
    qr = reference.geometry.qr
    zoom = 3 * SCALE
    to_crop = np.array([[zoom, 0, -qr.left * zoom], [0, zoom, -qr.top * zoom], [0, 0, 1]])
    k = reference.scale
    full = homography @ np.diag([k, k, 1.0]) @ np.linalg.inv(to_crop)  # crop → page
    size = (round(qr.width * zoom), round(qr.height * zoom))
    crop = cv2.warpPerspective(page, full, size, flags=cv2.INTER_CUBIC | cv2.WARP_INVERSE_MAP,
                               borderValue=(255, 255, 255))  # fmt: skip
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    sharpened = cv2.addWeighted(grey, 2.5, cv2.GaussianBlur(grey, (0, 0), 4), -1.5, 0)  # unblurred
    for image in (grey, sharpened):
        for symbol in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            if symbol.valid:
                return str(symbol.text)
    return ""


def _holds_code(ring: np.ndarray, codes: list[np.ndarray]) -> bool:
    """Whether a code already read stands inside these four squares (its ballot is found: one
    of another election, whose blank this reading does not know)."""
    polygon = ring.astype(np.float32)
    return any(
        cv2.pointPolygonTest(polygon, tuple(map(float, c.mean(axis=0))), False) >= 0 for c in codes
    )


def _grown(corners: np.ndarray) -> np.ndarray:
    centre = corners.mean(axis=0)
    return ((corners - centre) * 1.3 + centre).astype(np.float32)


def _squares(grey: np.ndarray, side: float) -> list[tuple[float, float]]:
    """The centres of every solid dark square of about `side` pixels on the page."""
    binary = (grey < MARK_DARK).astype(np.uint8)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(binary, connectivity=8)
    return [
        (float(centroids[i][0]), float(centroids[i][1]))
        for i in range(1, count)
        if _is_square(stats[i], side)
    ]


def _is_square(stats: np.ndarray, side: float) -> bool:
    """A solid dark square of about `side` pixels, turned by at most a few degrees: a letter,
    a stroke or a code's finder pattern is not (a square fills its bounding box)."""
    width, height, pixels = stats[cv2.CC_STAT_WIDTH], stats[cv2.CC_STAT_HEIGHT], stats[4]
    area = side * side
    return (
        0.55 * area <= pixels <= 1.6 * area
        and 0.75 <= width / max(height, 1) <= 1.33
        and pixels >= 0.8 * width * height
    )
