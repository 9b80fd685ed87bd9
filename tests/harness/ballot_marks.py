"""Ink on a rendered ballot page, as voters and the convening committee put it there (issue 14).

The page is a BGR uint8 image of the ballots PDF rendered at `dpi` (tests/harness/ballot_scans.py
renders it); every function here draws on it IN PLACE, where printouts.ballot_geometry says the
rows, the boxes and the stamp box are: `slot` is the 0-based ballot on the page (as in
BallotGeometry: slot i is offset by i * width), coordinates are points from the ballot's top-left
corner. Each returns the pixel box (x0, y0, x1, y1) it inked on the page, or None.

Ink darkens the paper (it multiplies, so black print stays black under it) and is drawn 2-4 times
finer than the page and scaled down, so a 0.3 mm ballpoint line at 150 dpi is the grey hairline
a scanner sees. Pens are blue, black or grey (pencil), never red: red is the stamp's colour.
No pytest here.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from printouts.ballot_geometry import BallotGeometry, Box

Pixels = tuple[int, int, int, int]
MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True, slots=True)
class Pen:
    """One pen: `kind` ballpoint, felt or pencil (the texture), its ink (BGR), the line's width in
    millimetres and how much of the light its ink stops (1: opaque)."""

    kind: str
    bgr: tuple[int, int, int]
    width_mm: float
    alpha: float


# Pen families: (kind, inks, width range in mm, alpha range). Held-out pens differ on purpose.
BLUE = ((150, 55, 20), (170, 80, 35), (120, 40, 25))
BLACK = ((40, 35, 30), (25, 25, 25), (60, 55, 50))
PENCIL = ((105, 105, 105), (125, 120, 118))
FAMILIES = (
    ("ballpoint", BLUE + BLACK, (0.3, 0.6), (0.75, 0.95)),
    ("felt", BLUE + BLACK, (0.8, 1.5), (0.85, 1.0)),
    ("pencil", PENCIL, (0.4, 0.8), (0.45, 0.7)),
)
HELD_OUT_FAMILIES = (
    ("ballpoint", ((80, 40, 30), (200, 110, 60), (90, 70, 55)), (0.25, 0.3), (0.6, 0.8)),
    ("felt", ((85, 45, 30), (15, 15, 15), (190, 95, 40)), (1.5, 1.9), (0.9, 1.0)),
    ("pencil", ((140, 138, 135), (90, 90, 92)), (0.3, 0.5), (0.35, 0.5)),
)
FAMILY_WEIGHTS = (0.6, 0.25, 0.15)
STAMP_RED = ((40, 35, 200), (55, 40, 185), (70, 60, 215))


def pick_pen(rng: random.Random, held_out: bool = False, kind: str | None = None) -> Pen:
    """A voter's pen: mostly ballpoint, some felt pens, a few pencils (never red)."""
    families = HELD_OUT_FAMILIES if held_out else FAMILIES
    if kind is None:
        family = rng.choices(families, FAMILY_WEIGHTS)[0]
    else:
        family = next(f for f in families if f[0] == kind)
    name, inks, widths, alphas = family
    return Pen(name, rng.choice(inks), rng.uniform(*widths), rng.uniform(*alphas))


# ----------------------------------------------------------------------------- the ink itself


def _low_noise(shape: tuple[int, int], cell: int, nrng: np.random.Generator) -> np.ndarray:
    """Smooth noise in [0, 1] varying over about `cell` pixels."""
    h, w = shape
    small = nrng.random((max(h // cell, 1) + 2, max(w // cell, 1) + 2), dtype=np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def ink(
    img: np.ndarray,
    paths: Sequence[np.ndarray],
    pen: Pen,
    dpi: float,
    rng: random.Random,
    *,
    closed: bool = False,
) -> Pixels | None:
    """Draw polylines (page pixels, float (n, 2) arrays) in `pen`'s ink; the box inked."""
    paths = [p for p in paths if len(p) >= 2]
    if not paths:
        return None
    width = max(pen.width_mm * dpi / 25.4, 0.4)
    pts = np.concatenate(paths)
    pad = int(width + 3)
    h, w = img.shape[:2]
    x0, y0 = max(int(pts[:, 0].min()) - pad, 0), max(int(pts[:, 1].min()) - pad, 0)
    x1, y1 = min(int(pts[:, 0].max()) + pad + 1, w), min(int(pts[:, 1].max()) + pad + 1, h)
    if x1 <= x0 or y1 <= y0:
        return None
    s = 4 if width < 2 else 2
    mask = np.zeros(((y1 - y0) * s, (x1 - x0) * s), np.uint8)
    thick = max(1, round(width * s))
    origin = np.array([x0, y0], np.float64)
    polys = [np.round((p - origin) * s * 16).astype(np.int32) for p in paths]
    cv2.polylines(mask, polys, closed, 255, thickness=thick, lineType=cv2.LINE_AA, shift=4)
    m = cv2.resize(mask, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)
    m = m.astype(np.float32) * (1 / 255)
    nrng = np.random.default_rng(rng.getrandbits(32))
    if pen.kind == "pencil":  # graphite: grainy, broken, lighter where the pressure drops
        grain = nrng.random(m.shape, dtype=np.float32)
        m *= (grain > 0.3) * (0.45 + 0.55 * grain)
        m *= 0.55 + 0.45 * _low_noise(m.shape, max(int(dpi / 10), 2), nrng)
    elif pen.kind == "ballpoint":  # pressure and the ball's skips
        m *= 0.7 + 0.3 * _low_noise(m.shape, max(int(dpi / 8), 2), nrng)
    elif pen.kind == "stamp":  # uneven ink on the rubber, patches that did not print
        blotch = _low_noise(m.shape, max(int(dpi / 12), 2), nrng)
        m *= np.clip(blotch * 1.6 - 0.1, 0.15, 1.0)
    else:  # felt: saturated, the edge a little bled
        m = np.minimum(m * 1.25, 1.0)
    a = m * pen.alpha
    roi = img[y0:y1, x0:x1].astype(np.float32)
    shade = 1 - np.array(pen.bgr, np.float32) / 255
    roi *= 1 - a[..., None] * shade
    img[y0:y1, x0:x1] = (roi + 0.5).astype(np.uint8)
    return (x0, y0, x1, y1)


@dataclass(frozen=True, slots=True)
class Place:
    """Points on one ballot of the page to page pixels."""

    geo: BallotGeometry
    slot: int
    dpi: float

    @property
    def k(self) -> float:
        return self.dpi / 72

    def px(self, pts: np.ndarray) -> np.ndarray:
        out = np.asarray(pts, np.float64).copy()
        out[:, 0] = (out[:, 0] + self.slot * self.geo.width) * self.k
        out[:, 1] *= self.k
        return out

    def box(self, b: Box) -> Pixels:
        x0, y0 = self.px(np.array([[b.left, b.top]]))[0]
        x1, y1 = self.px(np.array([[b.right, b.bottom]]))[0]
        return (int(x0), int(y0), math.ceil(x1), math.ceil(y1))


def _draw(img: np.ndarray, place: Place, paths: Sequence[np.ndarray], pen: Pen,
          rng: random.Random, closed: bool = False) -> Pixels | None:  # fmt: skip
    return ink(img, [place.px(p) for p in paths], pen, place.dpi, rng, closed=closed)


def _jitter(pts: np.ndarray, rng: random.Random, amount: float) -> np.ndarray:
    """A hand's tremor: a smooth random wobble of `amount` points along the path."""
    n = len(pts)
    knots = np.array([rng.gauss(0, amount) for _ in range(max(n // 12, 2) + 2)])
    wobble = np.interp(np.linspace(0, len(knots) - 1, n), np.arange(len(knots)), knots)
    out = pts.copy()
    out[:, 1] += wobble
    return out


# ----------------------------------------------------------------------------- strikes

STYLES = ("straight", "slanted", "wavy", "doubled")


def strike_path(
    geo: BallotGeometry,
    number: int,
    rng: random.Random,
    *,
    style: str = "straight",
    coverage: float = 1.0,
    width_mm: float = 0.5,
    into_neighbour: bool = False,
) -> list[np.ndarray]:
    """The stroke(s) of a strike through row `number`'s name, in ballot points: `coverage` of
    the name's width (0.5-1), kept inside the row's zone unless `into_neighbour` (then it ends
    on the next row's name, or the previous one's on the last row)."""
    row = geo.rows[number - 1]
    name, zone = row.name, row.zone
    half = width_mm * MM / 2 + 0.4
    length = max(coverage, 0.05) * name.width
    if coverage >= 0.97:  # a full strike overshoots the name a little on both sides
        length = name.width + rng.uniform(0, 2 * min(4.0, zone.width * 0.02))
        start = name.left - (length - name.width) * rng.uniform(0.3, 0.7)
    else:
        start = name.left + rng.uniform(0, name.width - length)
    start = max(start, zone.left + half)
    end = min(start + length, zone.right - half)
    mid = name.top + name.height * rng.uniform(0.45, 0.65)
    lo, hi = zone.top + half, zone.bottom - half
    room = max(min(mid - lo, hi - mid), 0.3)
    n = max(int((end - start) / 1.5), 8)
    x = np.linspace(start, end, n)
    t = np.linspace(-0.5, 0.5, n)
    strokes: list[np.ndarray] = []
    count = 2 if style == "doubled" else 1
    for i in range(count):
        offset = 0.0
        if count == 2:
            gap = min(rng.uniform(1.5, 3.0), room)
            offset = (-gap / 2, gap / 2)[i]
        if style == "slanted":
            slope = math.tan(math.radians(rng.uniform(2, 6))) * rng.choice((-1, 1))
            slope = max(min(slope, 1.6 * room / (end - start)), -1.6 * room / (end - start))
        else:
            slope = math.tan(math.radians(rng.gauss(0, 0.6)))
        y = mid + offset + slope * (x - (start + end) / 2)
        y += rng.uniform(-0.6, 0.6) * (1 - 4 * t * t)  # a slight bow
        if style == "wavy":
            amp = min(rng.uniform(0.8, 2.2), room * 0.7)
            period = rng.uniform(6, 16)
            y += amp * np.sin(2 * np.pi * (x - start) / period + rng.uniform(0, 6.3))
        pts = _jitter(np.column_stack([x, y]), rng, 0.15)
        if into_neighbour and i == 0:
            pts = _into_neighbour(geo, number, pts, rng)
        else:
            pts[:, 1] = pts[:, 1].clip(lo, hi)
        strokes.append(pts)
    return strokes


def _into_neighbour(
    geo: BallotGeometry, number: int, pts: np.ndarray, rng: random.Random
) -> np.ndarray:
    """Bend the end of a strike down (or up) onto the neighbouring row's name."""
    rows = geo.rows
    row = rows[number - 1]
    same_column = [
        r for r in (rows[number] if number < len(rows) else None,
                    rows[number - 2] if number > 1 else None)
        if r is not None and abs(r.zone.left - row.zone.left) < 1
    ]  # fmt: skip
    if not same_column:
        return pts
    other = same_column[0]
    target = other.name.top + other.name.height * rng.uniform(0.4, 0.6)
    n = len(pts)
    share = rng.uniform(0.3, 0.5)  # the last part of the stroke drifts over
    t = np.clip((np.arange(n) / (n - 1) - (1 - share)) / share, 0, 1)
    out = pts.copy()
    out[:, 1] += (target - pts[-1, 1]) * t * t
    return out


def strike(
    img: np.ndarray,
    geo: BallotGeometry,
    slot: int,
    dpi: float,
    rng: random.Random,
    number: int,
    pen: Pen,
    *,
    style: str = "straight",
    coverage: float = 1.0,
    into_neighbour: bool = False,
) -> Pixels | None:
    """A voter's strike through the name on row `number`."""
    paths = strike_path(geo, number, rng, style=style, coverage=coverage,
                        width_mm=pen.width_mm, into_neighbour=into_neighbour)  # fmt: skip
    return _draw(img, Place(geo, slot, dpi), paths, pen, rng)


# ----------------------------------------------------------------------------- the stamp


def _glyph(rng: random.Random, cx: float, cy: float, size: float, angle: float) -> np.ndarray:
    """A letter-like squiggle of 3-5 points around (cx, cy)."""
    pts = np.array([[rng.uniform(-0.4, 0.4), rng.uniform(-0.5, 0.5)]
                    for _ in range(rng.randint(3, 5))]) * size  # fmt: skip
    c, s = math.cos(angle), math.sin(angle)
    return pts @ np.array([[c, s], [-s, c]]) + [cx, cy]


def stamp(
    img: np.ndarray, geo: BallotGeometry, slot: int, dpi: float, rng: random.Random,
    *, held_out: bool = False,
) -> Pixels | None:  # fmt: skip
    """The convening committee's round red stamp in the stamp box, a little off centre: two
    rings, lettering between them, a star and two lines of text in the middle, in red ink that
    lets the print show through and did not print evenly."""
    box = geo.stamp
    if box is None:
        return None
    diameter = min(box.width, box.height) * rng.uniform(0.85, 1.02)
    r = diameter / 2
    cx = (box.left + box.right) / 2 + rng.uniform(-0.12, 0.12) * max(box.width - diameter, 0)
    cx += rng.uniform(-0.06, 0.06) * diameter
    cy = (box.top + box.bottom) / 2 + rng.uniform(-0.06, 0.06) * diameter
    turn = rng.uniform(0, 2 * math.pi)
    theta = np.linspace(0, 2 * math.pi, 120)

    def ring(radius: float) -> np.ndarray:
        return np.column_stack([cx + radius * np.cos(theta), cy + radius * np.sin(theta)])

    letters = []
    band = r * 0.84
    count = rng.randint(22, 30)
    for i in range(count):
        a = turn + 2 * math.pi * (i + 0.5) / (count + 3)
        letters.append(_glyph(rng, cx + band * math.cos(a), cy + band * math.sin(a),
                              r * 0.17, a + math.pi / 2))  # fmt: skip
    star = np.array([
        [cx + (r * 0.2 if i % 2 == 0 else r * 0.08) * math.cos(turn + i * math.pi / 5),
         cy + (r * 0.2 if i % 2 == 0 else r * 0.08) * math.sin(turn + i * math.pi / 5)]
        for i in range(11)
    ])  # fmt: skip
    text = [_glyph(rng, cx + (j - 3) * r * 0.13, cy + r * (0.32 + 0.2 * line), r * 0.12, 0)
            for line in (0, 1) for j in range(7 - 2 * line)]  # fmt: skip
    inks = ((75, 70, 170), (95, 60, 215)) if held_out else STAMP_RED
    place = Place(geo, slot, dpi)
    rim = Pen("stamp", rng.choice(inks), rng.uniform(0.6, 0.9), rng.uniform(0.7, 0.95))
    fine = replace(rim, width_mm=rim.width_mm * 0.55)
    a = _draw(img, place, [ring(r), ring(r * 0.68)], rim, rng, closed=True)
    b = _draw(img, place, [*letters, star, *text], fine, rng)
    boxes = [x for x in (a, b) if x is not None]
    if not boxes:
        return None
    return (min(x[0] for x in boxes), min(x[1] for x in boxes),
            max(x[2] for x in boxes), max(x[3] for x in boxes))  # fmt: skip


# ----------------------------------------------------------------------------- columns format


def box_mark(
    img: np.ndarray, geo: BallotGeometry, slot: int, dpi: float, rng: random.Random,
    number: int, which: str, pen: Pen, *, shape: str = "x",
) -> Pixels | None:  # fmt: skip
    """An X or a tick (`shape` "x" / "tick") inside row `number`'s agree or disagree box."""
    row = geo.rows[number - 1]
    box = row.agree if which == "agree" else row.disagree
    if box is None:
        raise ValueError(f"row {number} has no {which} box (strike-out format)")
    half = pen.width_mm * MM / 2 + 0.6
    size = min(box.width, box.height) * rng.uniform(0.5, 0.78)
    cx = (box.left + box.right) / 2 + rng.uniform(-0.12, 0.12) * (box.width - size)
    cy = (box.top + box.bottom) / 2 + rng.uniform(-0.12, 0.12) * (box.height - size)
    s = size / 2
    if shape == "tick":
        pts = [np.array([[cx - s, cy], [cx - s * 0.3, cy + s * 0.8], [cx + s, cy - s]])]
    else:
        d = [rng.uniform(-0.12, 0.12) * s for _ in range(4)]
        pts = [np.array([[cx - s + d[0], cy - s], [cx + s, cy + s + d[1]]]),
               np.array([[cx + s + d[2], cy - s], [cx - s, cy + s + d[3]]])]  # fmt: skip
    clipped = []
    for p in pts:
        q = p.copy()
        q[:, 0] = q[:, 0].clip(box.left + half, box.right - half)
        q[:, 1] = q[:, 1].clip(box.top + half, box.bottom - half)
        clipped.append(q)
    return _draw(img, Place(geo, slot, dpi), clipped, pen, rng)


# ----------------------------------------------------------------------------- for the committee


def free_regions(geo: BallotGeometry) -> dict[str, Box]:
    """Room outside the names' rows, the marks, the code and the stamp box (ballot points):
    below the list, the left and right margins beside it, the header between stamp and code.
    Only the regions at least 4 mm deep are given."""
    rows = [r.zone for r in geo.rows]
    first, last = min(z.top for z in rows), max(z.bottom for z in rows)
    left, right = min(z.left for z in rows), max(z.right for z in rows)
    tl, tr, bl, br = geo.marks
    gap = 2.0
    found = {
        "below": Box(bl.right + gap, last + gap, br.left - gap, min(bl.top, br.top) - gap),
        "left": Box(tl.right + gap, first, left - gap, last),
        "right": Box(right + gap, first, tr.left - gap, last),
        "header": Box(
            (geo.stamp.right if geo.stamp else tl.right) + gap, max(tl.bottom, tr.bottom) + gap,
            geo.qr.left - gap, first - gap,
        ),
    }  # fmt: skip
    return {k: b for k, b in found.items() if b.width >= 4 * MM and b.height >= 4 * MM}


def _handwriting(rng: random.Random, letters: int, height: float) -> list[np.ndarray]:
    """Cursive-like words from (0, 0) along x, baseline y = 0 (points): loops and strokes
    whose heights vary like letters', a pen lift between words."""
    words, x = [], 0.0
    remaining = letters
    while remaining > 0:
        n = min(rng.randint(2, 7), remaining)
        remaining -= n
        pts = [[x, rng.uniform(-0.3, 0) * height]]
        for _ in range(n):
            w = height * rng.uniform(0.45, 0.8)
            top = -height * (1.8 if rng.random() < 0.2 else 1.0) * rng.uniform(0.8, 1.05)
            bottom = height * 0.7 if rng.random() < 0.12 else 0.0
            pts += [[x + w * 0.25, top], [x + w * 0.45, bottom], [x + w * 0.75, top * 0.6],
                    [x + w, 0.0]]  # fmt: skip
            x += w
        words.append(_smooth(np.array(pts, np.float64), 3))
        x += height * rng.uniform(0.6, 1.0)
    return words


def _smooth(pts: np.ndarray, rounds: int) -> np.ndarray:
    """Chaikin corner cutting: a hand's curves from a polyline."""
    for _ in range(rounds):
        a, b = pts[:-1], pts[1:]
        pts = np.vstack([pts[:1], np.column_stack([0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b])
                        .reshape(-1, 2), pts[-1:]])  # fmt: skip
    return pts


def _fit(
    paths: list[np.ndarray], region: Box, rng: random.Random, vertical: bool
) -> list[np.ndarray]:
    """Scale and place `paths` (any origin) inside `region`, turned 90 degrees if `vertical`."""
    if vertical:
        paths = [np.column_stack([-p[:, 1], p[:, 0]]) for p in paths]
    pts = np.concatenate(paths)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    size = np.maximum(hi - lo, 1e-6)
    k = min(1.0, region.width / size[0], region.height / size[1]) * rng.uniform(0.8, 0.95)
    used = size * k
    x = region.left + rng.uniform(0, region.width - used[0])
    y = region.top + rng.uniform(0, region.height - used[1])
    return [(p - lo) * k + [x, y] for p in paths]


def write_in(
    img: np.ndarray, geo: BallotGeometry, slot: int, dpi: float, rng: random.Random, pen: Pen,
) -> Pixels | None:  # fmt: skip
    """A name written in by hand: a few cursive words below the list, or up a margin."""
    regions = free_regions(geo)
    choices = [k for k in ("below", "left", "right") if k in regions] or list(regions)
    if not choices:
        return None
    where = rng.choice(choices)
    region = regions[where]
    height = max(rng.uniform(2.2, 3.5), pen.width_mm * 4) * MM  # a felt pen writes big
    paths = _handwriting(rng, rng.randint(8, 16), height)
    paths = _fit(paths, region, rng, vertical=where in ("left", "right"))
    return _draw(img, Place(geo, slot, dpi), paths, pen, rng)


def signature(
    img: np.ndarray, geo: BallotGeometry, slot: int, dpi: float, rng: random.Random, pen: Pen,
) -> Pixels | None:  # fmt: skip
    """A signature: a fast loopy scribble and a flourish, somewhere outside the rows."""
    regions = free_regions(geo)
    if not regions:
        return None
    where = rng.choice(list(regions))
    h = rng.uniform(4, 8) * MM
    pts, x = [[0.0, 0.0]], 0.0
    for _ in range(rng.randint(4, 8)):
        x += rng.uniform(0.4, 1.2) * h
        pts += [[x - h * 0.3, -h * rng.uniform(0.5, 1.2)], [x, h * rng.uniform(-0.1, 0.4)]]
    pts.append([x + h, -h * 0.2])
    body = _smooth(np.array(pts), 3)
    flourish = np.array([[rng.uniform(-0.2, 0.3) * x, h * 0.6], [x * 1.05, h * 0.45]])
    paths = _fit([body, flourish], region := regions[where], rng,
                 vertical=where in ("left", "right") and region.height > region.width)  # fmt: skip
    return _draw(img, Place(geo, slot, dpi), paths, pen, rng)


def tick(
    img: np.ndarray, geo: BallotGeometry, slot: int, dpi: float, rng: random.Random,
    number: int, pen: Pen, *, on_name: bool = False,
) -> Pixels | None:  # fmt: skip
    """A tick next to row `number`'s name (after its end), or on the name."""
    row = geo.rows[number - 1]
    size = row.zone.height * rng.uniform(0.7, 1.1)
    if on_name:
        cx = row.name.left + row.name.width * rng.uniform(0.3, 0.7)
    else:
        cx = min(row.name.right + size * rng.uniform(0.6, 1.2), row.zone.right - size / 2)
    cy = (row.zone.top + row.zone.bottom) / 2
    s = size / 2
    pts = np.array([[cx - s * 0.7, cy], [cx - s * 0.2, cy + s * 0.6], [cx + s * 0.8, cy - s]])
    return _draw(img, Place(geo, slot, dpi), [_smooth(pts, 1)], pen, rng)


def circle(
    img: np.ndarray, geo: BallotGeometry, slot: int, dpi: float, rng: random.Random,
    number: int, pen: Pen,
) -> Pixels | None:  # fmt: skip
    """A hand-drawn ring round row `number`'s name: not quite closed, not quite an ellipse."""
    row = geo.rows[number - 1]
    name = row.name
    cx, cy = (name.left + name.right) / 2, (name.top + name.bottom) / 2
    rx = name.width / 2 + rng.uniform(3, 9)
    ry = name.height / 2 + rng.uniform(1.5, 4)
    start = rng.uniform(0, 2 * math.pi)
    theta = np.linspace(start, start + rng.uniform(1.9, 2.15) * math.pi, 90)
    wobble = 1 + 0.05 * np.sin(theta * rng.uniform(1.5, 3) + rng.uniform(0, 6))
    pts = np.column_stack([cx + rx * wobble * np.cos(theta), cy + ry * wobble * np.sin(theta)])
    return _draw(img, Place(geo, slot, dpi), [pts], pen, rng)


def between_rows(
    img: np.ndarray, geo: BallotGeometry, slot: int, dpi: float, rng: random.Random,
    upper: int, pen: Pen,
) -> Pixels | None:  # fmt: skip
    """A line along the gap between row `upper` and the row below it (same column), through
    neither name: thin enough for the gap, and level."""
    rows = geo.rows
    a, b = rows[upper - 1], rows[upper]
    if abs(a.zone.left - b.zone.left) > 1:
        raise ValueError(f"rows {upper} and {upper + 1} are not in the same column")
    gap = b.name.top - a.name.bottom
    width = min(pen.width_mm, max(gap / MM * 0.35, 0.15))
    pen = replace(pen, width_mm=width)
    y = (a.name.bottom + b.name.top) / 2
    drift = max(gap / 2 - width * MM / 2 - 0.4, 0.05)
    left = min(a.name.left, b.name.left)
    span = max(a.name.right, b.name.right) - left
    length = span * rng.uniform(0.6, 1.0)
    x0 = left + rng.uniform(0, span - length)
    x = np.linspace(x0, x0 + length, 24)
    ys = y + rng.uniform(-drift, drift) * (x - x0) / length * rng.choice((-1, 1)) * 0.8
    return _draw(img, Place(geo, slot, dpi), [np.column_stack([x, ys])], pen, rng)
