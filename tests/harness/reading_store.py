"""A real SQLite congress whose `bch` election (4 names, 3 seats: strike out at least one) is
being counted with a machine team, and scans of its own printed ballots marked clearly, for the
`presidium read-ballots` tests (issue 14). No pytest here.

    store = counting_store(tmp_path / "congress.db")
    scan(tmp_path / "in" / "tray-1.pdf", store.congress, bch(store), [(1,), (2, 3), ()])

writes the round's real ballots (printouts.ballots.write_ballots), renders them with pdfium,
stamps each one and strikes the names with a felt pen (full, straight strikes: nothing a reader
being tuned could doubt), and saves the pages as a scanner would (PDF, TIFF, PNG, JPEG by the
suffix). A ballot of another election, or of another round of this one, comes from
`another_election` and `another_round`: the same list under another id, or as round 2.
"""

import random
import tempfile
import tomllib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from db.store import Store
from printouts.ballot_geometry import ballot_geometry
from printouts.ballots import write_ballots
from session import elections as el
from session.ballot_reading import Outcome, RowMark, outcome
from session.congress import Congress
from session.count import CountMode
from session.demo import demo_register
from tests.conftest import EXAMPLES
from tests.harness import ballot_marks as bm
from tests.harness.bch_election import E, election_ready_to_vote
from tests.harness.rollcall import admit_voters
from tests.harness.scan_files import render_pdf, write_scans

MACHINE = "Máy"
BOX = "main"
FOUND = 40  # ballots found in the box (the readings cannot exceed them)
CANDIDATES, SEATS = 4, 3

Struck = tuple[int, ...]  # the row numbers a voter struck out


def counting_store(path: Path, found: int = FOUND) -> Store:
    """The example congress at `path` with `bch` voted and its box opened with `found` ballots,
    counting started ballot by ballot with the machine (MACHINE) as the only team."""
    data = tomllib.loads((EXAMPLES / "congress.toml").read_text(encoding="utf-8"))
    store = Store.create(str(path), data)
    store.import_register(demo_register(30), source="test")
    admit_voters(store, 30)
    election_ready_to_vote(store)
    store.open_election_voting(E, 1)
    seals = ("k1", "k2")
    for build in (
        lambda now: el.BallotsIssued(E, 1, BOX, found, "", now),
        lambda now: el.BoxClosed(E, 1, BOX, now),
        lambda now: el.BoxOpened(E, 1, BOX, found, seals, now),
        lambda now: el.CountingStarted(E, 1, CountMode.BALLOTS, (MACHINE,), now, MACHINE),
    ):
        store.record_election(lambda _b, now, build=build: build(now))
    return store


def bch(store: Store) -> el.Election:
    election = store.election_book().get(E)
    assert election is not None
    return election


def another_election(election: el.Election, election_id: str = "bk") -> el.Election:
    """The same list under another election's id: its ballots' codes name that election."""
    return replace(election, id=election_id)


def another_round(election: el.Election) -> el.Election:
    """The election with a round 2 like its round 1 (its ballots say round 2)."""
    first = election.rounds[0]
    return replace(election, rounds=(first, replace(first, number=2)))


def expected(struck: Struck) -> Outcome:
    """The verdict by rule on a clear ballot with rows `struck` struck out."""
    marks = tuple(RowMark.STRUCK if n in struck else RowMark.KEPT
                  for n in range(1, CANDIDATES + 1))  # fmt: skip
    return outcome(el.BallotFormat.STRIKE_OUT, CANDIDATES, SEATS, marks)


def scan(
    path: Path,
    congress: Congress,
    election: el.Election,
    ballots: Sequence[Struck],
    *,
    round_no: int = 1,
    dpi: float = 150,
    seed: int = 0,
    paper: str = "auto",
    hide_code: bool = False,
) -> Path:
    """`ballots` (each the rows struck out) printed for `election`'s round on `paper`,
    stamped, struck with a felt pen and scanned into `path`: as many to a page as the paper
    holds (a PDF or TIFF takes every page; a PNG or JPEG holds one page). `hide_code`: each
    ballot's QR code covered (a sticker, a torn corner): nothing says which ballot it is."""
    rng = random.Random(seed)
    geo = ballot_geometry(congress, election, round_no, paper=paper)
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "ballots.pdf"
        write_ballots(pdf, congress, election, round_no, geo.per_page, paper=paper)
        blank = render_pdf(pdf, dpi, [0])[0]
    pages: list[np.ndarray] = []
    for start in range(0, len(ballots), geo.per_page):
        page = blank.copy()
        on_page = ballots[start : start + geo.per_page]
        for slot, struck in enumerate(on_page):
            bm.stamp(page, geo, slot, dpi, rng)
            pen = bm.pick_pen(rng, kind="felt")
            for number in struck:
                bm.strike(page, geo, slot, dpi, rng, number, pen)
            if hide_code:
                x0, y0, x1, y1 = bm.Place(geo, slot, dpi).box(geo.qr)
                page[y0:y1, x0:x1] = 255
        if len(on_page) < geo.per_page:  # the rest of an A5 pair cut off: one ballot alone
            page = page[:, : round(geo.width * dpi / 72)].copy()
        pages.append(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_scans(path, pages, dpi, quality=95)
    return path
