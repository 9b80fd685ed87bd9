"""Scans of paper ballots made from the real ballots PDF, with their ground truth (issue 14).

The ballots are the project's own (printouts.ballots.write_ballots) for elections built through
their events (tests/harness/elections_kit.py); each distinct blank page is rendered once with
pdfium and copied. Voters mark them (tests/harness/ballot_marks.py), the scanner degrades them
(rotation, shear, scale, perspective, blur, noise, JPEG, the lid's dark border, upside down, A5
pairs cut apart or not) and its software saves them as PNG, JPEG, TIFF or PDF.

    box = generate_box("60", 2000, seed=1, folder=Path("out"))   # out/scan-0001.pdf ... truth.json

`box.ballots[i]` says, for each paper ballot, where it was written (file, page, slot as
session.ballot_reading.SheetPlace counts them: 1-based, slot 1 left and 2 right on an uncut A5
pair), the voter's marks per row, whether it is clear or must go to the counting committee (and
why), and the expected verdict (session.ballot_reading.outcome). No pytest here.
"""

import json
import math
import random
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path

import cv2
import numpy as np

from printouts.ballot_geometry import BallotGeometry, ballot_geometry
from printouts.ballots import write_ballots
from session.ballot_reading import Doubt, Outcome, RowMark, marks_text, outcome
from session.ballots import BallotFormat
from session.congress import Congress
from session.elections import Election, ElectionKind
from tests.harness import ballot_marks as bm
from tests.harness.elections_kit import committee, people
from tests.harness.printouts import congress_in
from tests.harness.scan_files import FORMATS, MULTI_PAGE, SUFFIX, render_pdf, write_scans

# ----------------------------------------------------------------------------- the lists

# name: (candidates, seats, kind). "single" and "columns" have no surplus: agree / disagree.
LISTS: dict[str, tuple[int, int, ElectionKind]] = {
    "short": (12, 10, ElectionKind.COMMITTEE),  # A5, two to a sheet
    "60": (60, 50, ElectionKind.COMMITTEE),  # A4, two columns
    "200": (200, 180, ElectionKind.COMMITTEE),  # A4, four columns
    "single": (1, 1, ElectionKind.INSPECTION_COMMITTEE),  # A5, columns format
    "columns": (5, 5, ElectionKind.INSPECTION_COMMITTEE),  # A5, columns format
}


@cache
def ballot_list(kind: str) -> tuple[Congress, Election]:
    """The example congress (Vietnamese) and an election of `kind` with its list approved."""
    candidates, seats, election_kind = LISTS[kind]
    return congress_in("vi"), committee(seats, people(candidates), kind=election_kind).e("bch")


def geometry(kind: str, stamp: bool = True) -> BallotGeometry:
    congress, election = ballot_list(kind)
    return ballot_geometry(congress, election, 1, stamp=stamp)


# ----------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Blank:
    """One printed page of `kind`'s ballots (per_page ballots on it) at `dpi`, unmarked."""

    kind: str
    dpi: float
    geometry: BallotGeometry
    image: np.ndarray  # read-only: copy before marking

    def copy(self) -> np.ndarray:
        return self.image.copy()


@lru_cache(maxsize=16)
def blank(kind: str, dpi: float = 150, stamp: bool = True) -> Blank:
    """The blank page, written by write_ballots (copies = per page) and rendered once."""
    congress, election = ballot_list(kind)
    geo = ballot_geometry(congress, election, 1, stamp=stamp)
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "ballots.pdf"
        write_ballots(pdf, congress, election, 1, geo.per_page, stamp=stamp)
        image = render_pdf(pdf, dpi, [0])[0]
    image.setflags(write=False)
    return Blank(kind, dpi, geo, image)


# ----------------------------------------------------------------------------- voters


COMMITTEE_CATEGORIES = (
    "tick", "circle", "write_in", "between_rows", "signature", "no_stamp", "into_neighbour",
)  # fmt: skip
COLUMNS_CATEGORIES = ("tick", "circle", "write_in", "signature", "no_stamp")
LIKELY_DOUBT = {
    "tick": Doubt.UNSURE_ROW,
    "circle": Doubt.UNSURE_ROW,
    "into_neighbour": Doubt.UNSURE_ROW,
    "write_in": Doubt.OUTSIDE_ROWS,
    "signature": Doubt.OUTSIDE_ROWS,
    "between_rows": Doubt.OUTSIDE_ROWS,
    "no_stamp": Doubt.NO_STAMP,
}


@dataclass(frozen=True, slots=True)
class Vote:
    """What one voter does to one ballot: the marks per row, the committee category ("clear"
    when there is nothing for the committee), the stamp, the pen and the voter's habits."""

    marks: tuple[RowMark, ...]
    category: str
    stamped: bool
    pen: bm.Pen
    style: str  # the strike style the voter mostly uses
    coverage: float  # how much of a name the voter's strikes cover (1: all of it)
    shape: str  # "x" or "tick" in the agree / disagree boxes


def choose_marks(geo: BallotGeometry, rng: random.Random) -> tuple[RowMark, ...]:
    """A voter's choice: on a strike-out list most strike enough names and a few more, some
    exactly enough, a few too few (too many kept: invalid) or all (invalid); on the columns
    format mostly agree, some disagree, now and then both or neither."""
    n, seats = geo.candidates, geo.seats
    if geo.format is BallotFormat.YES_NO_COLUMNS:
        options = (RowMark.AGREE, RowMark.DISAGREE, RowMark.BOTH, RowMark.NEITHER)
        weights = (0.7, 0.22, 0.04, 0.04) if n == 1 else (0.75, 0.2, 0.025, 0.025)
        return tuple(rng.choices(options, weights, k=n))
    need = n - seats
    u = rng.random()
    if u < 0.03:
        k = n
    elif u < 0.1:
        k = rng.randrange(0, need)
    elif u < 0.4:
        k = need
    else:
        k = min(need + 1 + int(rng.expovariate(1 / max(need * 0.4, 1.5))), n - 1)
    struck = set(rng.sample(range(n), k))
    return tuple(RowMark.STRUCK if i in struck else RowMark.KEPT for i in range(n))


def plan_vote(
    geo: BallotGeometry, rng: random.Random, *, held_out: bool = False,
    committee_share: float = 0.12, category: str | None = None,
) -> Vote:  # fmt: skip
    """One voter's ballot: marks, a pen, habits, and now and then something for the committee."""
    marks = choose_marks(geo, rng)
    columns = geo.format is BallotFormat.YES_NO_COLUMNS
    if category is None:
        category = "clear"
        if rng.random() < committee_share:
            category = rng.choice(COLUMNS_CATEGORIES if columns else COMMITTEE_CATEGORIES)
    struck = [i for i, m in enumerate(marks, 1) if m is RowMark.STRUCK]
    if category == "into_neighbour" and not any(_neighbour(geo, i) for i in struck):
        category = "signature"
    if category == "between_rows" and not any(_neighbour(geo, i) for i in range(1, len(marks))):
        category = "signature"
    coverage = 1.0 if rng.random() < 0.5 else rng.uniform(0.5, 1.0)
    style = rng.choices(bm.STYLES, (0.55, 0.2, 0.12, 0.13))[0]
    return Vote(marks, category, category != "no_stamp", bm.pick_pen(rng, held_out), style,
                coverage, rng.choice(("x", "x", "tick")))  # fmt: skip


def _neighbour(geo: BallotGeometry, number: int) -> bool:
    """Row `number` has a row below it in the same column."""
    rows = geo.rows
    return number < len(rows) and abs(rows[number].zone.left - rows[number - 1].zone.left) < 1


def draw_vote(
    img: np.ndarray, geo: BallotGeometry, slot: int, dpi: float, rng: random.Random, vote: Vote,
    *, held_out: bool = False,
) -> None:  # fmt: skip
    """Put `vote` on the ballot in `slot` (0-based) of the page image, in place."""
    if vote.stamped:
        bm.stamp(img, geo, slot, dpi, rng, held_out=held_out)
    pen = vote.pen
    struck = [i for i, m in enumerate(vote.marks, 1) if m is RowMark.STRUCK]
    runs_over = None
    if vote.category == "into_neighbour":
        runs_over = rng.choice([i for i in struck if _neighbour(geo, i)])
    for number in struck:
        style = vote.style if rng.random() < 0.8 else rng.choice(bm.STYLES)
        coverage = vote.coverage if vote.coverage >= 1 else rng.uniform(0.5, 1.0)
        bm.strike(img, geo, slot, dpi, rng, number, pen, style=style, coverage=coverage,
                  into_neighbour=number == runs_over)  # fmt: skip
    for number, mark in enumerate(vote.marks, 1):
        if mark in (RowMark.AGREE, RowMark.BOTH):
            bm.box_mark(img, geo, slot, dpi, rng, number, "agree", pen, shape=vote.shape)
        if mark in (RowMark.DISAGREE, RowMark.BOTH):
            bm.box_mark(img, geo, slot, dpi, rng, number, "disagree", pen, shape=vote.shape)
    kept = [i for i, m in enumerate(vote.marks, 1) if m is not RowMark.STRUCK]
    anywhere = kept or list(range(1, len(vote.marks) + 1))
    match vote.category:
        case "tick":
            on_name = geo.format is BallotFormat.STRIKE_OUT and rng.random() < 0.4
            bm.tick(img, geo, slot, dpi, rng, rng.choice(anywhere), pen, on_name=on_name)
        case "circle":
            bm.circle(img, geo, slot, dpi, rng, rng.choice(anywhere), pen)
        case "write_in":
            bm.write_in(img, geo, slot, dpi, rng, pen)
        case "signature":
            bm.signature(img, geo, slot, dpi, rng, pen)
        case "between_rows":
            upper = rng.choice([i for i in range(1, len(vote.marks)) if _neighbour(geo, i)])
            bm.between_rows(img, geo, slot, dpi, rng, upper, pen)


def expected(geo: BallotGeometry, vote: Vote) -> Outcome:
    """The verdict the reader should reach: by rule when clear, the committee's otherwise."""
    doubts = () if vote.category == "clear" else (LIKELY_DOUBT[vote.category],)
    return outcome(geo.format, geo.candidates, geo.seats, vote.marks, doubts)


# ----------------------------------------------------------------------------- the scanner


@dataclass(frozen=True, slots=True)
class Defects:
    """What the scanner did to one image: rotation (degrees, counter-clockwise), shear (x per
    y), scale, perspective (largest corner shift, share of the size), Gaussian blur (sigma,
    pixels), noise (sigma, grey levels), the lid's dark border (pixels, 0: none), upside down,
    and the JPEG quality it was saved with (None: lossless)."""

    angle: float = 0.0
    shear: float = 0.0
    scale: float = 1.0
    perspective: float = 0.0
    blur: float = 0.0
    noise: float = 0.0
    lid: int = 0
    upside_down: bool = False
    jpeg: int | None = None
    seed: int = 0


def sample_defects(rng: random.Random, *, held_out: bool = False) -> Defects:
    """A realistic scan: small skew nearly always, the rest now and then; held-out scans are
    worse (stronger blur and noise, more rotation, harder JPEG) so thresholds can be checked."""
    if held_out:
        angle = rng.uniform(-5, 5) if rng.random() < 0.4 else rng.gauss(0, 1.5)
        blur = rng.uniform(1.0, 1.8) if rng.random() < 0.7 else 0.0
        noise = rng.uniform(5, 10) if rng.random() < 0.7 else 0.0
        jpeg = rng.choice((rng.randint(45, 60), rng.randint(96, 100)))
        upside = rng.random() < 0.2
    else:
        angle = rng.uniform(-5, 5) if rng.random() < 0.1 else rng.gauss(0, 1.0)
        blur = rng.uniform(0.3, 1.0) if rng.random() < 0.5 else 0.0
        noise = rng.uniform(2, 6) if rng.random() < 0.6 else 0.0
        jpeg = rng.randint(60, 95)
        upside = rng.random() < 0.1
    return Defects(
        angle=max(min(angle, 5.0), -5.0),
        shear=rng.uniform(-0.015, 0.015) if rng.random() < 0.3 else 0.0,
        scale=rng.uniform(0.97, 1.03) if rng.random() < 0.4 else 1.0,
        perspective=rng.uniform(0, 0.01 if held_out else 0.006) if rng.random() < 0.15 else 0.0,
        blur=blur,
        noise=noise,
        lid=rng.randint(8, 40) if rng.random() < 0.2 else 0,
        upside_down=upside,
        jpeg=jpeg,
        seed=rng.getrandbits(31),
    )


def _transform(d: Defects, w: int, h: int) -> np.ndarray:
    """The 3x3 map from the page to the scan, about the page's centre."""
    centre = np.array([[1, 0, -w / 2], [0, 1, -h / 2], [0, 0, 1]], np.float64)
    a = math.radians(d.angle + (180 if d.upside_down else 0))
    c, s = math.cos(a), math.sin(a)
    rotate = np.array([[c, s, 0], [-s, c, 0], [0, 0, 1]])  # counter-clockwise on screen
    shear = np.array([[1, d.shear, 0], [0, 1, 0], [0, 0, 1]])
    scale = np.diag([d.scale, d.scale, 1.0])
    m = rotate @ shear @ scale @ centre
    if d.perspective:
        rng = random.Random(d.seed)
        src = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
        dst = src + [[rng.uniform(-1, 1) * d.perspective * w, rng.uniform(-1, 1) * d.perspective
                      * h] for _ in range(4)]  # fmt: skip
        p = cv2.getPerspectiveTransform(src.astype(np.float32), dst.astype(np.float32))
        m = p @ m
    return m


_NOISE: dict[int, tuple[np.ndarray, np.ndarray]] = {}
_UNIT = 16.0  # the stored field's sigma, in grey levels


def _noise(
    shape: tuple[int, ...], sigma: float, rng: random.Random
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian noise for a page of `shape` (its positive and negative parts, uint8): a window
    at a random offset of one field drawn once, scaled to `sigma`. Drawing fresh noise for
    every page would cost more than all the rest of the scan."""
    h, w = shape[:2]
    channels = shape[2] if len(shape) > 2 else 1
    field_ = _NOISE.get(channels)
    if field_ is None or field_[0].shape[0] < h + 64 or field_[0].shape[1] < w + 64:
        side = max(h, w, 2600) + 64
        n = np.random.default_rng(7).normal(0, _UNIT, (side, side, channels)).astype(np.float32)
        field_ = (n.clip(0, 255).astype(np.uint8), (-n).clip(0, 255).astype(np.uint8))
        _NOISE[channels] = field_
    y, x = rng.randrange(64), rng.randrange(64)
    k = sigma / _UNIT
    return tuple(  # type: ignore[return-value]
        cv2.convertScaleAbs(f[y : y + h, x : x + w].reshape(shape), alpha=k) for f in field_
    )


def degrade(img: np.ndarray, d: Defects) -> np.ndarray:
    """The scan of `img` with the defects `d` (all but the JPEG, which is the file's): the
    page mapped in one warp onto a canvas large enough for its corners (white, or the lid's
    grey when there is one), blurred, noisy."""
    h, w = img.shape[:2]
    rng = random.Random(d.seed)
    background = (255, 255, 255)
    if d.lid:
        grey = rng.randint(35, 90)
        background = (grey, grey, grey + rng.randint(0, 8))
    out = img
    plain = d.angle == 0 and d.shear == 0 and d.scale == 1 and d.perspective == 0
    if not plain or d.upside_down:
        m = _transform(d, w, h)
        corners = np.array([[0, 0, 1], [w, 0, 1], [w, h, 1], [0, h, 1]], np.float64).T
        mapped = m @ corners
        mapped = mapped[:2] / mapped[2]
        span_w = math.ceil(mapped[0].max() - mapped[0].min())
        span_h = math.ceil(mapped[1].max() - mapped[1].min())
        out_w, out_h = max(w, span_w), max(h, span_h)
        shift = np.array([[1, 0, out_w / 2], [0, 1, out_h / 2], [0, 0, 1]])
        full = shift @ m
        if d.perspective:
            out = cv2.warpPerspective(img, full, (out_w, out_h), flags=cv2.INTER_LINEAR,
                                      borderValue=background)  # fmt: skip
        else:
            out = cv2.warpAffine(img, full[:2], (out_w, out_h), flags=cv2.INTER_LINEAR,
                                 borderValue=background)  # fmt: skip
    if d.lid:  # the lid shows past the paper on one to three sides
        sides = rng.sample(("top", "bottom", "left", "right"), rng.randint(1, 3))
        t, b, left, r = (
            d.lid if side in sides else 0 for side in ("top", "bottom", "left", "right")
        )
        out = cv2.copyMakeBorder(out, t, b, left, r, cv2.BORDER_CONSTANT, value=background)
    if d.blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), d.blur)
    if d.noise > 0:
        plus, minus = _noise(out.shape, d.noise, rng)
        out = cv2.subtract(cv2.add(out, plus), minus)
    return np.ascontiguousarray(out)


def cut_halves(page: np.ndarray, geo: BallotGeometry, dpi: float) -> list[np.ndarray]:
    """An A5 pair cut apart along the dashed line: the ballots, left then right."""
    cut = round(geo.width * dpi / 72)
    return [page[:, :cut].copy(), page[:, cut:].copy()]


def on_larger_page(
    img: np.ndarray, dpi: float, rng: random.Random, page: tuple[float, float] = (595.28, 841.89)
) -> np.ndarray:
    """A cut A5 ballot scanned as an A4 portrait page (the scanner software's paper size): the
    ballot at the top left (the glass's corner) or centred, white around it."""
    w, h = round(page[0] * dpi / 72), round(page[1] * dpi / 72)
    ih, iw = img.shape[:2]
    w, h = max(w, iw), max(h, ih)
    out = np.full((h, w, img.shape[2]), 255, np.uint8)
    if rng.random() < 0.6:
        x, y = rng.randint(0, 6), rng.randint(0, 6)
    else:
        x, y = (w - iw) // 2, (h - ih) // 2
    x, y = min(x, w - iw), min(y, h - ih)
    out[y : y + ih, x : x + iw] = img
    return out


# ----------------------------------------------------------------------------- a whole box


@dataclass(frozen=True, slots=True)
class BallotTruth:
    """One paper ballot of a box: where it was written (file, page and slot 1-based, as
    SheetPlace counts them), the voter's marks, "clear" or the committee category, the stamp,
    the verdict expected, and how it was printed and scanned."""

    ballot: int  # 1-based, in the order the ballots went into the box
    file: str
    page: int
    slot: int
    marks: tuple[RowMark, ...]
    category: str
    stamped: bool
    expected: Outcome
    pen: bm.Pen
    printed_slot: int  # 1 left, 2 right on the printed A5 pair (1 on A4)
    cut: bool  # an A5 ballot cut from its pair and scanned on its own
    defects: Defects

    @property
    def clear(self) -> bool:
        return self.category == "clear"

    def to_json(self) -> dict[str, object]:
        return {
            "ballot": self.ballot, "file": self.file, "page": self.page, "slot": self.slot,
            "marks": marks_text(self.marks), "category": self.category, "clear": self.clear,
            "stamped": self.stamped, "verdict": self.expected.verdict.value,
            "ballot_input": None if self.expected.ballot is None
            else self.expected.ballot.to_json(),
            "doubts": [d.value for d in self.expected.doubts], "pen": asdict(self.pen),
            "printed_slot": self.printed_slot, "cut": self.cut, "defects": asdict(self.defects),
        }  # fmt: skip


@dataclass
class BoxTruth:
    """A generated box: the list, the scans' folder and files, and every ballot's truth."""

    kind: str
    candidates: int
    seats: int
    format: BallotFormat
    dpi: float
    seed: int
    held_out: bool
    folder: Path
    files: list[str] = field(default_factory=list)
    ballots: list[BallotTruth] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind, "candidates": self.candidates, "seats": self.seats,
            "format": self.format.value, "dpi": self.dpi, "seed": self.seed,
            "held_out": self.held_out, "files": self.files,
            "ballots": [b.to_json() for b in self.ballots],
        }  # fmt: skip

    def save(self, name: str = "truth.json") -> Path:
        path = self.folder / name
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), "utf-8")
        return path


@dataclass
class _Writer:
    """Scans to files in tray order: a multi-page file takes pages until it is full."""

    box: BoxTruth
    rng: random.Random
    formats: Sequence[str]
    weights: Sequence[float]
    pages_per_file: tuple[int, int]
    held_out: bool
    fmt: str = ""
    limit: int = 0
    quality: int | None = None
    pending: list[np.ndarray] = field(default_factory=list)

    def _name(self) -> str:
        return f"scan-{len(self.box.files) + 1:04d}{SUFFIX[self.fmt]}"

    def add(self, image: np.ndarray, d: Defects) -> tuple[str, int, Defects]:
        if not self.pending:
            self.fmt = self.rng.choices(self.formats, self.weights)[0]
            self.limit = 1
            if self.fmt in MULTI_PAGE:
                self.limit = self.rng.randint(*self.pages_per_file)
            self.quality = None if self.fmt == "png" else d.jpeg
            if self.fmt == "tiff" and self.rng.random() < 0.25 and not self.held_out:
                self.quality = None  # an uncompressed TIFF
        self.pending.append(image)
        place = (self._name(), len(self.pending), replace(d, jpeg=self.quality))
        if len(self.pending) >= self.limit:
            self.flush()
        return place

    def flush(self) -> None:
        if self.pending:
            name = self._name()
            write_scans(self.box.folder / name, self.pending, self.box.dpi, self.quality)
            self.box.files.append(name)
            self.pending = []


def generate_box(
    kind: str,
    count: int,
    seed: int,
    folder: Path,
    *,
    dpi: float = 150,
    held_out: bool = False,
    committee_share: float = 0.12,
    cut_share: float = 0.5,
    formats: Sequence[str] = FORMATS,
    format_weights: Sequence[float] | None = None,
    pages_per_file: tuple[int, int] = (5, 20),
    defects: bool = True,
    save_truth: bool = True,
) -> BoxTruth:
    """`count` marked, scanned ballots of list `kind` (see LISTS) written to `folder`, with
    their truth (and folder/truth.json unless `save_truth` is false). The same arguments give
    the same files. A5 pairs are scanned uncut or, with `cut_share`, cut apart (each half on
    its own, sometimes on a larger white page); `defects=False` scans them perfectly."""
    if format_weights is None:
        default = {"pdf": 0.55, "tiff": 0.2, "jpeg": 0.2, "png": 0.05}
        format_weights = [default.get(f, 0.1) for f in formats]
    folder.mkdir(parents=True, exist_ok=True)
    page = blank(kind, dpi)
    geo = page.geometry
    rng = random.Random(seed)
    box = BoxTruth(kind, geo.candidates, geo.seats, geo.format, dpi, seed, held_out, folder)
    writer = _Writer(box, random.Random(seed ^ 0x5CA9), formats, format_weights,
                     pages_per_file, held_out)  # fmt: skip
    number = 0
    for batch in _chunks(count, geo.per_page):
        image = page.copy()
        votes = [plan_vote(geo, rng, held_out=held_out, committee_share=committee_share)
                 for _ in range(batch)]  # fmt: skip
        for slot, vote in enumerate(votes):
            draw_vote(image, geo, slot, dpi, rng, vote, held_out=held_out)
        if geo.per_page == 2 and (batch == 1 or rng.random() < cut_share):
            halves = cut_halves(image, geo, dpi)[:batch]
            scans = [(h, [(i, 1)]) for i, h in enumerate(halves)]
            cut = True
        else:
            scans = [(image, [(slot, slot + 1) for slot in range(batch)])]
            cut = False
        for scan, slots in scans:
            d = sample_defects(rng, held_out=held_out) if defects else Defects(jpeg=95)
            if cut and rng.random() < 0.5:
                scan = on_larger_page(scan, dpi, rng)
            name, page_no, d = writer.add(degrade(scan, d), d)
            for printed, slot in slots:
                if d.upside_down and not cut and geo.per_page == 2:
                    slot = 3 - slot  # a pair upside down: the right ballot is now on the left
                vote = votes[printed]
                number += 1
                box.ballots.append(BallotTruth(
                    number, name, page_no, slot, vote.marks, vote.category, vote.stamped,
                    expected(geo, vote), vote.pen, printed + 1, cut, d,
                ))  # fmt: skip
    writer.flush()
    if save_truth:
        box.save()
    return box


def _chunks(count: int, size: int) -> Iterator[int]:
    while count > 0:
        yield min(size, count)
        count -= size
