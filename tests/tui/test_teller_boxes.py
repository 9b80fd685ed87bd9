"""The teller's ballot boxes through the Textual pilot (issue 6): a teller's terminal prepares and
seals a box, records the ballots issued, closes it and opens it for counting, each in the election
screen's own form and each one chained event naming the teller; opening voting and counting stay
out of its reach, and a step the reducer refuses says why in the form and writes nothing."""

from collections.abc import Callable, Iterator

import pytest
from textual.pilot import Pilot

from db.store import Store
from session import elections as el
from session.audit import StoredEvent
from session.i18n import t
from session.roles import Role
from tests.harness.elections import SEALERS, hall_at_boxes
from tests.harness.halls import COMMITTEE, E
from tests.harness.roles import PERSON, SECRET, keys_of, palette, press, sign_in
from tests.harness.screens import answer_yes, confirm, fill
from tui.app import PresidiumApp, make_app
from tui.dialog import ConfirmScreen
from tui.elections.forms import StepForm
from tui.help import HelpScreen
from tui.stations.teller import TellerScreen
from tui.testing import screen_text, settle, wait_for

SIZE = (170, 55)
STATION = "to-a"
TERMINAL = f"host/{STATION}"
BOX_ACTIONS = {"prepare_box", "seal_box", "issue_ballots", "close_box", "open_box"}
BOX_KEYS = ("f6", "f7", "ctrl+b", "f8", "f9")
# Everything a teller's keys may do: their sector's count, "all in favour", the box steps.
TELLER_ACTIONS = {"count", "unanimous", "help", "command_palette", "quit"} | BOX_ACTIONS
EVERY_KEY = ("f2", "f4", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "ctrl+b", "ctrl+e", "delete")
Hall = Callable[[str], Store]


@pytest.fixture
def make_hall() -> Iterator[Hall]:
    stores: list[Store] = []

    def make(url: str) -> Store:
        stores.append(hall_at_boxes(url))
        return stores[-1]

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def teller_of() -> Iterator[Callable[[str], Store]]:
    """The teller's own terminal on the same congress, as `presidium run --role teller` opens it."""
    opened: list[Store] = []

    def open_(url: str) -> Store:
        store = Store.open(url, terminal=TERMINAL, operator=PERSON)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


def teller_app(teller: Store, *, sign: bool = False) -> PresidiumApp:
    return make_app(teller, role=Role.TELLER, station=STATION, sector="A", sign_in=sign)


def round_of(store: Store) -> el.Round:
    e = store.election_book().get(E)
    assert e is not None
    return e.current


def box(store: Store) -> el.Box:
    found = round_of(store).box("1")
    assert found is not None
    return found


async def box_step(
    app: PresidiumApp, pilot: Pilot[None], key: str, *, question: bool = False, **values: str
) -> None:
    """A box key on the teller's screen: the election screen's form, filled in and confirmed
    (`question`: a step with nothing to type is only the confirmation that names it)."""
    screen = app.screen
    assert isinstance(screen, TellerScreen), screen
    await press(pilot, key)
    if question and not values:
        await answer_yes(app, pilot)
        assert app.screen is screen, screen_text(app)
        return
    assert isinstance(app.screen, StepForm), (key, screen_text(app))
    fill(app, **values)
    await confirm(app, pilot)
    if question:
        await answer_yes(app, pilot)
    assert app.screen is screen, screen_text(app)


def one_event(store: Store, before: StoredEvent, kind: str) -> StoredEvent:
    """The one event appended after `before`: of `kind`, chained to it, naming the teller."""
    new = store.events(after=before.seq)
    assert [e.kind for e in new] == [kind]
    e = new[0]
    assert e.seq == before.seq + 1 and e.prev_hash == before.hash
    assert (e.role, e.operator, e.terminal) == ("teller", PERSON, TERMINAL)
    return e


def last(store: Store) -> StoredEvent:
    return store.events(after=store.last_seq() - 1)[-1]


async def waits_for_voting(app: PresidiumApp, pilot: Pilot[None], status: el.RoundStatus) -> None:
    """The teller's screen shows the round at `status` (read from the log, written elsewhere)."""
    screen = app.screen
    assert isinstance(screen, TellerScreen)

    def shown() -> bool:
        e = screen.box_election
        return e is not None and e.current.status is status

    await wait_for(pilot, shown)
    await settle(pilot)


# ---------------------------------------------------------------- the teller's box steps


async def test_a_teller_takes_a_box_from_preparing_to_opening(
    make_hall: Hall, teller_of: Callable[[str], Store], db_url: str
) -> None:
    hall = make_hall(db_url)
    hall.set_passphrase(Role.TELLER, SECRET)
    teller = teller_of(db_url)
    app = teller_app(teller, sign=True)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(app, pilot, person=PERSON)
        screen = app.screen
        assert isinstance(screen, TellerScreen)
        text = screen_text(app)
        assert COMMITTEE["title"] in text and t("roles.teller.boxes.title") in text
        assert keys_of(app)["f6"] == "prepare_box"

        before = last(hall)
        await box_step(app, pilot, "f6", box="1")
        e = one_event(hall, before, el.BoxPrepared.KIND)
        assert e.payload["box"] == "1" and e.payload["kind"] == el.BoxKind.MAIN.value

        before = last(hall)
        await box_step(app, pilot, "f7", by=", ".join(SEALERS))
        e = one_event(hall, before, el.BoxSealed.KIND)
        assert e.payload["by"] == list(SEALERS)
        assert box(hall).status is el.BoxStatus.SEALED

        hall.open_election_voting(E, 1)  # the presidium's step, at its own terminal
        await waits_for_voting(app, pilot, el.RoundStatus.VOTING)
        present = hall.snapshot().verdict.attendance.present

        before = last(hall)
        await box_step(app, pilot, "ctrl+b", count=str(present))
        assert one_event(hall, before, el.BallotsIssued.KIND).payload["count"] == present

        before = last(hall)
        await box_step(app, pilot, "f8", question=True)
        one_event(hall, before, el.BoxClosed.KIND)

        before = last(hall)
        await box_step(app, pilot, "f9", returned=str(present - 1), by=SEALERS[0])
        e = one_event(hall, before, el.BoxOpened.KIND)
        assert e.payload["returned"] == present - 1 and e.payload["by"] == [SEALERS[0]]

        b = box(hall)
        assert (b.status, b.issued, b.returned) == (el.BoxStatus.OPENED, present, present - 1)
        assert t("election.box_status.opened") in screen_text(app)
        assert hall.verify() is None


def seal_box_1(hall: Store) -> None:
    """Box 1 prepared and sealed by the presidium (its own Store)."""
    for build in (
        lambda now: el.BoxPrepared(E, 1, "1", el.BoxKind.MAIN, now),
        lambda now: el.BoxSealed(E, 1, "1", SEALERS, now),
    ):
        hall.record_election(lambda _b, now, build=build: build(now))


async def test_a_teller_reaches_no_step_beyond_the_box(
    make_hall: Hall, teller_of: Callable[[str], Store], sqlite_url: str
) -> None:
    hall = make_hall(sqlite_url)
    seal_box_1(hall)
    app = teller_app(teller_of(sqlite_url))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TellerScreen)
        # Every box sealed: the presidium opens voting next, which no key here does.
        assert set(keys_of(app).values()) <= TELLER_ACTIONS
        assert t("tui.command.box_prepare.title") in palette(app)
        helps = [c.help for c in app.get_system_commands(screen)]
        for name in ("election_next", "election_count", "elections", "vote_open"):
            assert t(f"tui.command.{name}.help") not in helps, name
        seq = hall.last_seq()
        for key in EVERY_KEY:
            if key == "f6":
                continue  # another box may still be prepared before voting opens
            await press(pilot, key)
            assert app.screen is screen, key
        for action in ("next", "open_voting", "count_ballots", "sign"):
            assert not await app.run_action(f"screen.{action}"), action
        assert not await app.run_action("app.elections")
        assert hall.last_seq() == seq and round_of(hall).status is el.RoundStatus.LIST_APPROVED

        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        help_text = screen_text(app)
        assert t("tui.help.box_keys") in help_text and t("tui.command.box_open.title") in help_text
        assert t("tui.help.election_keys") not in help_text
        await press(pilot, "escape")

        # Voting, the box closed and opened: counting starts next, again not from here.
        hall.open_election_voting(E, 1)
        for build in (
            lambda now: el.BallotsIssued(E, 1, "1", 20, "", now),
            lambda now: el.BoxClosed(E, 1, "1", now),
            lambda now: el.BoxOpened(E, 1, "1", 20, SEALERS[:1], now),
        ):
            hall.record_election(lambda _b, now, build=build: build(now))
        await waits_for_voting(app, pilot, el.RoundStatus.COUNTING)
        shown = app.screen.active_bindings
        assert {k: shown[k].enabled for k in BOX_KEYS} == dict.fromkeys(BOX_KEYS, False)
        seq = hall.last_seq()
        for key in EVERY_KEY:
            await press(pilot, key)
            assert app.screen is screen, key
        assert hall.last_seq() == seq and round_of(hall).count is None


async def test_a_refused_box_step_says_why_and_writes_nothing(
    make_hall: Hall, teller_of: Callable[[str], Store], sqlite_url: str
) -> None:
    hall = make_hall(sqlite_url)
    seal_box_1(hall)
    hall.open_election_voting(E, 1)
    app = teller_app(teller_of(sqlite_url))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TellerScreen)
        seq = hall.last_seq()

        # A count that is not one: said in the form, nothing sent.
        await press(pilot, "ctrl+b")
        assert isinstance(app.screen, StepForm)
        fill(app, count="nhiều")
        await confirm(app, pilot)
        label = t("tui.election.form.issued")
        assert t("tui.election.form.not_number", field=label, value="nhiều") in screen_text(app)
        assert isinstance(app.screen, StepForm) and hall.last_seq() == seq
        await press(pilot, "escape")

        # Closing a box the presidium closed meanwhile: the reducer's reason, on the screen.
        await press(pilot, "f8")
        assert isinstance(app.screen, ConfirmScreen)  # what will be recorded, named
        hall.record_election(lambda _b, now: el.BoxClosed(E, 1, "1", now))
        seq = hall.last_seq()
        await answer_yes(app, pilot)
        assert app.screen is screen
        assert t("election.error.box_already_closed", box="1") in screen_text(app)
        assert hall.last_seq() == seq
        assert app.screen is screen

        # Once the teller's screen has read it, closing again is not offered at all.
        await waits_for_voting(app, pilot, el.RoundStatus.CLOSED)
        shown = app.screen.active_bindings
        assert not shown["f8"].enabled and shown["f9"].enabled  # F9 opens it for counting
        await press(pilot, "f8")
        assert app.screen is screen and hall.last_seq() == seq
    assert [e.kind for e in hall.events(after=seq - 1)] == [el.BoxClosed.KIND]


async def test_without_a_round_at_the_boxes_the_panel_says_so(
    store: Store, teller_of: Callable[[str], Store], sqlite_url: str
) -> None:
    app = teller_app(teller_of(sqlite_url))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TellerScreen)
        assert t("roles.teller.boxes.none") in screen_text(app)
        assert not BOX_ACTIONS & set(keys_of(app).values())
        assert t("tui.command.box_prepare.title") not in palette(app)
        seq = store.last_seq()
        await press(pilot, *BOX_KEYS)
        assert isinstance(app.screen, TellerScreen) and store.last_seq() == seq


async def test_the_box_steps_act_on_the_box_chosen_in_the_list(
    make_hall: Hall, teller_of: Callable[[str], Store], sqlite_url: str
) -> None:
    hall = make_hall(sqlite_url)
    for name in ("1", "2"):
        hall.record_election(
            lambda _b, now, name=name: el.BoxPrepared(E, 1, name, el.BoxKind.MAIN, now)
        )
    app = teller_app(teller_of(sqlite_url))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TellerScreen)
        screen.query_one("#teller-boxes-table").focus()
        await press(pilot, "down")
        chosen = screen.chosen_box()
        assert chosen is not None and chosen.id == "2"
        before = last(hall)
        await box_step(app, pilot, "f7", by=SEALERS[1])
        assert one_event(hall, before, el.BoxSealed.KIND).payload["box"] == "2"
        chosen = screen.chosen_box()  # still box 2 once the list is drawn again
        assert chosen is not None and chosen.id == "2" and chosen.status is el.BoxStatus.SEALED
        assert not screen.active_bindings["f7"].enabled  # box 2 is sealed already
        await press(pilot, "up")
        assert screen.active_bindings["f7"].enabled  # box 1 is not
        assert box(hall).status is el.BoxStatus.PREPARED


async def test_the_operator_s_help_lists_no_teller_box_keys(store: Store) -> None:
    """The operator's F6-F9 mean other things: the box keys are the teller's screen's only."""
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        assert t("tui.help.box_keys") not in screen_text(app)
