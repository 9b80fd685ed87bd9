"""Ballots read by a machine (issue 14) on the operator's screens, through the Textual pilot on a
real SQLite file: the START_COUNTING form names the machine's team; the counting screen names
that team "(máy đọc)", says how many sheets wait for the counting committee, and F8 takes them
one by one (where the paper ballot is, its doubts, the rows in question, the picture), each
decision recorded through the Store with its reason, the next sheet coming up, a refusal said in
the dialog with nothing written."""

from collections.abc import Iterator

import pytest
from PIL import Image as PILImage
from textual.widgets import Input, Select, Static
from textual_image.widget import Image

from db.store import Store
from printouts.reading.archive import archive_for, picture_path
from session import elections as el
from session.agenda import MotionKind
from session.ballot_reading import Doubt, RowMark, SheetPlace, outcome
from session.ballots import BallotInput, InvalidReason
from session.candidates import delegate_person_id
from session.i18n import t
from tests.harness.elections import counters, decide, election, prepare
from tests.harness.halls import E, election_running
from tests.harness.screens import choose, fill
from tui.app import make_app
from tui.elections.counting import CountingScreen
from tui.elections.counting_form import READER, CountingForm
from tui.elections.read_ballots import ReadBallotDialog
from tui.testing import press, screen_text, settle

SIZE = (170, 55)
K, S, U = RowMark.KEPT, RowMark.STRUCK, RowMark.UNSURE
HAND, MACHINE = "Tổ 1", "Tổ 2"
IMAGE = "7f" * 32
FILE = "khay-01.pdf"
FOUND = 3


def boxes_opened(store: Store, returned: int) -> None:
    """The hall's committee election (4 names, 3 seats) up to its box opened with `returned`
    ballots found: the next step is to start counting (tests/harness/elections.open_count's
    steps, without the count)."""
    item = prepare(store, E, 4)
    listed = decide(store, item, MotionKind.ELECTION_LIST)
    store.record_election(lambda _b, now: el.ListApproved(E, 1, listed, now))
    vote = decide(store, item, MotionKind.PROCEDURAL_BODY)
    head = delegate_person_id(counters(store, 1)[0])
    store.record_election(lambda _b, now: el.CountersAppointed(E, head, (head,), vote, now))
    voters = store.snapshot().verdict.attendance.present
    for build in (
        lambda now: el.BoxPrepared(E, 1, "1", el.BoxKind.MAIN, now),
        lambda now: el.BoxSealed(E, 1, "1", ("Trần Kiểm",), now),
    ):
        store.record_election(lambda _b, now, build=build: build(now))
    store.open_election_voting(E, 1)
    for build in (
        lambda now: el.BallotsIssued(E, 1, "1", voters, "", now),
        lambda now: el.BoxClosed(E, 1, "1", now),
        lambda now: el.BoxOpened(E, 1, "1", returned, ("Trần Kiểm",), now),
    ):
        store.record_election(lambda _b, now, build=build: build(now))


def place(sheet: int) -> SheetPlace:
    """Sheets two to a page (an uncut A5 pair), in the scanner's tray order."""
    return SheetPlace(IMAGE, FILE, (sheet + 1) // 2, 2 - sheet % 2, sheet)


def read(store: Store, sheet: int, marks: tuple[RowMark, ...], doubts: tuple[Doubt, ...]) -> None:
    got = outcome(el.BallotFormat.STRIKE_OUT, 4, 3, marks, doubts)
    store.record_reading(E, 1, "1", "", place(sheet), "PRS-committee-1", marks, doubts, got)


@pytest.fixture
def reading(sqlite_url: str) -> Iterator[Store]:
    """Counting started with two teams, the second the machine's, and two sheets it could not
    call: sheet 1 (a row unsure, ink outside the rows; its picture saved beside the database)
    and sheet 2 (no stamp; no picture)."""
    store = election_running(sqlite_url, {"name": E, "kind": "committee", "title": "Bầu BCH",
                                          "seats": 3})  # fmt: skip
    boxes_opened(store, FOUND)
    teams = (HAND, MACHINE)
    store.record_election(
        lambda _b, now: el.CountingStarted(E, 1, el.CountMode.BALLOTS, teams, now, MACHINE)
    )
    read(store, 1, (K, U, K, S), (Doubt.OUTSIDE_ROWS,))
    read(store, 2, (K, K, S, K), (Doubt.NO_STAMP,))
    picture = picture_path(archive_for(store.url), place(1))
    picture.parent.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", (240, 60), "white").save(picture)
    yield store
    store.close()


def pending(store: Store) -> tuple[el.Reading, ...]:
    return el.pending_readings(election(store).current)


async def test_the_committee_decides_the_read_ballots_one_by_one(reading: Store) -> None:
    app = make_app(reading)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f9", "f3")
        assert isinstance(app.screen, CountingScreen)
        shown = screen_text(app)
        assert t("tui.reading.pending", team=MACHINE, read=2, count=2) in shown
        await press(pilot, "f5")  # the machine's team
        assert t("tui.reading.machine_team", team=MACHINE) in screen_text(app)

        await press(pilot, "f8")
        dialog = app.screen
        assert isinstance(dialog, ReadBallotDialog) and dialog.reading.place == place(1)
        shown = screen_text(app)
        first = election(reading).ballot(1)[1].full_name
        for text in (
            t("tui.reading.where", sheet=1, file=FILE, page=1, slot=1),
            t("election.reading.doubt.outside_rows"),
            t("tui.reading.row", number=2, name=first, mark=t("election.reading.mark.unsure")),
        ):
            assert text.strip() in shown, text
        path = picture_path(archive_for(reading.url), place(1))
        assert str(path) in str(dialog.query_one("#reading-path", Static).render())
        assert len(dialog.query(Image)) == 1  # the picture of its rows
        assert dialog.query_one("#numbers", Input).value == "4"  # read as struck for sure

        # A number beyond the list: said in the dialog, nothing recorded.
        seq = reading.last_seq()
        fill(app, numbers="2 9", reason="Dòng 2 gạch rõ")
        await press(pilot, "enter")
        assert app.screen is dialog and reading.last_seq() == seq
        assert "9" in str(dialog.query_one("#dialog-error").render())

        fill(app, numbers="2 4")
        await press(pilot, "enter")
        await settle(pilot)
        r = election(reading).current
        decided = el.reading_at(r, place(1).key)
        assert decided is not None and decided.decision is not None
        assert decided.decision.ballot == BallotInput.struck(2, 4)
        assert decided.decision.reason == "Dòng 2 gạch rõ"
        assert r.count is not None
        assert r.count.team(MACHINE).ballots[-1].ballot == BallotInput.struck(2, 4)
        assert r.count.team(HAND).ballots == ()

        # The second comes up by itself: no picture, its path said.
        second = app.screen
        assert isinstance(second, ReadBallotDialog) and second.reading.place == place(2)
        assert not second.query(Image)
        missing = t(
            "tui.reading.picture_missing", path=picture_path(archive_for(reading.url), place(2))
        )
        assert str(second.query_one("#reading-path", Static).render()) == missing
        assert t("election.reading.doubt.no_stamp") in screen_text(app)
        choose(app, "choice", InvalidReason.OTHER.value)
        fill(app, reason="Không có dấu đỏ")
        await press(pilot, "enter")
        await settle(pilot)
        assert pending(reading) == ()
        assert isinstance(app.screen, CountingScreen)
        assert t("tui.reading.all_decided") in screen_text(app)
        last = election(reading).current.count.team(MACHINE).ballots[-1]  # type: ignore[union-attr]
        assert last.ballot == BallotInput.spoilt(InvalidReason.OTHER)


async def test_escape_leaves_and_nothing_is_recorded(reading: Store) -> None:
    app = make_app(reading)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f9", "f3", "f8")
        assert isinstance(app.screen, ReadBallotDialog)
        seq = reading.last_seq()
        await press(pilot, "escape")
        assert isinstance(app.screen, CountingScreen)
        assert reading.last_seq() == seq and len(pending(reading)) == 2


async def test_starting_the_count_with_a_ballot_reader(sqlite_url: str) -> None:
    store = election_running(sqlite_url, {"name": E, "kind": "committee", "title": "Bầu BCH",
                                          "seats": 3})  # fmt: skip
    try:
        boxes_opened(store, FOUND)
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "f9", "f2")
            form = app.screen
            assert isinstance(form, CountingForm)
            fill(app, teams=f"{HAND}, {MACHINE}")
            await settle(pilot)
            reader = form.query_one(f"#{READER}", Select)
            labels = [str(prompt) for prompt, _ in reader._options]
            assert labels == [
                t("tui.reading.start.none"),
                t("tui.reading.start.team", team=MACHINE),  # ↓ once: the second team
                t("tui.reading.start.team", team=HAND),
            ]
            reader.focus()  # by keys: ↓ opens the list, ↓ the second team, Enter takes it
            await press(pilot, "down", "down", "enter")
            assert reader.value == "2"
            await press(pilot, "enter")  # Enter on the choice records the step
            await settle(pilot)
            assert app.screen is app.election_screen
        count = election(store).current.count
        assert count is not None
        assert [x.name for x in count.teams] == [HAND, MACHINE] and count.reader == MACHINE
    finally:
        store.close()


async def test_starting_the_count_by_hand_names_no_reader(sqlite_url: str) -> None:
    store = election_running(sqlite_url, {"name": E, "kind": "committee", "title": "Bầu BCH",
                                          "seats": 3})  # fmt: skip
    try:
        boxes_opened(store, FOUND)
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "f9", "f2")
            assert isinstance(app.screen, CountingForm)
            fill(app, teams="A")
            await press(pilot, "enter")
            await settle(pilot)
        count = election(store).current.count
        assert count is not None and count.reader in (None, "")
    finally:
        store.close()
