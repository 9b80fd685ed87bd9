"""Each role's terminal through the Textual pilot: signing in, what its keys and palette reach,
what it writes (with the role, the station and the person), and a door or teller terminal that
loses the database: red, sticky, and nothing taken until a read succeeds again."""

from collections.abc import Callable, Iterator

import psycopg
import pytest
from textual.widgets import Button, Input

from db.store import Store
from session import elections as el
from session.i18n import t
from session.roles import SIGN_IN_REFUSED, SIGNED_IN, Role
from session.rollcall import Mode
from session.votes import VoteStatus
from tests.conftest import PG_ADMIN
from tests.harness.elections import open_count, prepare
from tests.harness.halls import COMMITTEE, election_running
from tests.harness.roles import (
    PERSON,
    SECRET,
    database_gone,
    keys_of,
    palette,
    press,
    sign_in,
    terminal,
)
from tests.harness.screens import scan
from tests.harness.votes import PRESENT, admit, resolution
from tui.app import make_app
from tui.desk import ConnectionChanged, WriteFailed
from tui.forms import CountDialog, TellerDialog
from tui.help import HelpScreen
from tui.rollcall import RollCallScreen
from tui.signin import SignInRequested, SignInScreen
from tui.stations.counting_room import CountingDesk, CountingStation
from tui.stations.door import DoorScreen
from tui.stations.teller import TellerScreen
from tui.testing import screen_text, settle, type_burst, wait_for
from tui.widgets.sectors import SectorGrid

SIZE = (160, 50)
# Every key the operator's app binds: a role terminal must do nothing with the others.
ALL_KEYS = ("f2", "f4", "f5", "f6", "f7", "f8", "f9", "f12", "ctrl+e", "ctrl+b", "delete")


@pytest.fixture
def door_store(store: Store, sqlite_url: str) -> Iterator[Store]:
    store.set_passphrase(Role.DOOR, SECRET)
    door = terminal(store, sqlite_url, "cửa-phụ")
    yield door
    door.close()


# ---------------------------------------------------------------- the door


async def test_a_door_signs_in_then_scans_and_does_nothing_else(
    store: Store, door_store: Store
) -> None:
    app = make_app(door_store, role=Role.DOOR, station="cửa-phụ")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        door = t("roles.signin.at_station", role=t("roles.name.door"), station="cửa-phụ")
        assert t("roles.signin.role", role=door) in screen_text(app)
        before = store.last_seq()
        await scan(app, pilot, store.card_code(2, 0))  # no scan before signing in
        await press(pilot, *ALL_KEYS, "f3", "f1", "ctrl+p")
        assert isinstance(app.screen, SignInScreen) and store.last_seq() == before
        assert keys_of(app) == {"ctrl+q": "quit"}

        await sign_in(app, pilot, phrase="cửa phụ mở lúc 8 giờ")
        assert isinstance(app.screen, SignInScreen)  # the wrong one counted, nothing else
        assert [e.kind for e in store.events(after=before)] == [SIGN_IN_REFUSED]
        assert t("roles.signin.wrong") in app.screen.message

        await sign_in(app, pilot)
        assert isinstance(app.screen, DoorScreen)
        signed = store.events()[-1]
        assert signed.kind == SIGNED_IN and signed.payload["person"] == PERSON
        assert (signed.role, signed.operator, signed.terminal) == ("door", PERSON, "host/cửa-phụ")

        await scan(app, pilot, store.card_code(2, 0))
        door = app.screen
        assert t("scan.admitted") in door.result_text and door.admitted_here == "1"
        e = store.events()[-1]
        assert (e.kind, e.role, e.operator, e.payload["station"]) == (
            "check_in",
            "door",
            PERSON,
            "cửa-phụ",
        )
        d = store.delegate(2)
        assert d is not None and d.present and d.station == "cửa-phụ"

        assert keys_of(app) == {"f1": "help", "f3": "cycle_mode", "ctrl+p": "command_palette",
                                "ctrl+q": "quit"}  # fmt: skip
        assert palette(app) == [
            t(f"tui.command.{name}.title")
            for name in ("help", "mode", "quit", "hand_over", "theme")
        ]
        seq = store.last_seq()
        for key in ALL_KEYS:
            await press(pilot, key)
            assert app.screen is door, key
        assert store.last_seq() == seq
        for action in ("manual", "correct", "absence", "reissue", "agenda", "vote", "export"):
            assert not await app.run_action(action), action
        assert app.screen is door and store.last_seq() == seq

        await press(pilot, "f3")
        assert app.mode is Mode.EXIT
        await press(pilot, "f3")
        assert app.mode is Mode.ENTRY  # entry and exit only: no voting check at a door
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        help_text = screen_text(app)
        assert t("tui.command.mode.title") in help_text
        assert t("tui.command.manual.title") not in help_text
        assert t("tui.help.vote_keys") not in help_text


async def test_a_door_is_handed_over_to_the_next_shift(store: Store, door_store: Store) -> None:
    """Ctrl+O: the next person signs in; nothing is taken meanwhile; their scans bear their name."""
    app = make_app(door_store, role=Role.DOOR, station="cửa-phụ")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(app, pilot)
        door = app.screen
        assert isinstance(door, DoorScreen)
        assert t("tui.command.hand_over.title") in screen_text(app)  # in the footer
        await press(pilot, "f1")
        assert t("tui.command.hand_over.title") in screen_text(app)  # in the help
        await press(pilot, "ctrl+o")  # the help is open: it is closed first
        assert isinstance(app.screen, HelpScreen)
        assert t("roles.handover.close_first") in [n.message for n in app._notifications]
        await press(pilot, "escape")

        await press(pilot, "ctrl+o")
        assert isinstance(app.screen, SignInScreen)
        assert app.screen.query_one("#signin-person", Input).value == ""
        before = store.last_seq()
        await scan(app, pilot, store.card_code(2, 0))  # between two shifts: not taken
        await press(pilot, "f3", "ctrl+o")
        assert isinstance(app.screen, SignInScreen) and store.last_seq() == before

        await sign_in(app, pilot, person="Trần Văn Bình")
        assert app.screen is door and app.mode is Mode.ENTRY
        await scan(app, pilot, store.card_code(2, 0))
        assert t("scan.admitted") in door.result_text
        signed, scanned = store.events()[-2:]
        bình = "Trần Văn Bình"
        assert (signed.kind, signed.payload["person"]) == (SIGNED_IN, bình)
        assert (scanned.kind, scanned.role, scanned.operator) == ("check_in", "door", bình)
        people = [e.payload["person"] for e in store.events() if e.kind == SIGNED_IN]
        assert people == [PERSON, "Trần Văn Bình"]


async def test_the_operator_s_desk_and_the_projector_are_not_handed_over(store: Store) -> None:
    for app in (make_app(store), make_app(store, role=Role.DISPLAY)):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            home = app.screen
            await press(pilot, "ctrl+o")
            assert app.screen is home
            assert t("tui.command.hand_over.title") not in screen_text(app)
            assert t("tui.command.hand_over.title") not in palette(app)
            await press(pilot, "f1")
            assert isinstance(app.screen, HelpScreen)
            assert t("tui.command.hand_over.title") not in screen_text(app)


async def test_repeated_wrong_passphrases_must_wait(
    store: Store, door_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real = Store.check_passphrase

    def counting(self: Store, role: Role, attempt: str) -> bool:
        checked.append(attempt)
        return real(self, role, attempt)

    monkeypatch.setattr(Store, "check_passphrase", counting)
    app = make_app(door_store, role=Role.DOOR, station="cửa-phụ")
    async with app.run_test(size=SIZE) as pilot:
        for n in range(3):
            await sign_in(app, pilot, phrase=f"sai mật khẩu {n}")
        screen = app.screen
        assert isinstance(screen, SignInScreen) and len(checked) == 3
        assert t("roles.signin.wait", text=t("roles.signin.wrong"), seconds=2) in screen.message
        # The cursor stays in the (hidden) passphrase field: nothing typed goes to the name.
        assert app.focused is screen.query_one("#signin-passphrase", Input)
        screen.post_message(SignInRequested(PERSON, SECRET, None))  # (past the screen's wait)
        await settle(pilot)
        assert len(checked) == 3  # too soon: not even checked
        assert isinstance(app.screen, SignInScreen)
        await pilot.pause(2.2)
        await sign_in(app, pilot)
        assert isinstance(app.screen, DoorScreen) and checked[-1] == SECRET


async def test_a_door_that_loses_the_database_takes_nothing_until_it_is_back(
    store: Store, door_store: Store
) -> None:
    app = make_app(door_store, role=Role.DOOR, station="cửa-phụ", sign_in=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        door = app.screen
        assert isinstance(door, DoorScreen) and door.connected
        with database_gone(door_store):
            await scan(app, pilot, store.card_code(3, 0))  # the write fails: not acknowledged
            assert not door.connected and not app.desk.connected
            assert t("roles.not_connected.scan") in door.result_text
            assert t("roles.not_connected.banner") in screen_text(app)
            await scan(app, pilot, store.card_code(4, 0))  # not even tried
            assert t("roles.not_connected.scan") in door.result_text
            await pilot.pause(1.6)  # polls fail too: still red, still refusing
            await settle(pilot)
            assert not door.connected
        await wait_for(pilot, lambda: door.connected)  # the next read succeeds
        assert t("roles.not_connected.banner") not in screen_text(app)
        for number in (3, 4):
            d = store.delegate(number)
            assert d is not None and not d.present, number  # nothing was stored
        await scan(app, pilot, store.card_code(4, 0))
        assert t("scan.admitted") in door.result_text
        d = store.delegate(4)
        assert d is not None and d.present


@pytest.mark.pg
async def test_a_door_on_postgresql_survives_the_database_refusing_connections(
    make_store: Callable[..., Store], pg_url: str
) -> None:
    store = make_store(pg_url)
    name = pg_url.rsplit("/", 1)[1]
    door = Store.open(pg_url, terminal="host/cửa-phụ")
    try:
        app = make_app(door, role=Role.DOOR, station="cửa-phụ", sign_in=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, DoorScreen)
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (name,),
                )
                await wait_for(pilot, lambda: not screen.connected)
                await scan(app, pilot, door.card_code(5, 0))
                assert t("roles.not_connected.scan") in screen.result_text
                admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
            await wait_for(pilot, lambda: screen.connected, seconds=10)
            d = store.delegate(5)
            assert d is not None and not d.present
            await scan(app, pilot, door.card_code(5, 0))
            assert t("scan.admitted") in screen.result_text
    finally:
        door.close()


# ---------------------------------------------------------------- the teller


@pytest.fixture
def vote_hall(store: Store) -> Store:
    """20 of 28 in the hall, the Resolution's vote open."""
    admit(store, PRESENT)
    store.start_item(resolution(store))
    store.open_item_vote(resolution(store))
    return store


async def test_a_teller_enters_counts_for_their_own_sector_only(
    vote_hall: Store, sqlite_url: str
) -> None:
    vote_hall.set_passphrase(Role.TELLER, SECRET)
    teller = terminal(vote_hall, sqlite_url, "teller-B")
    app = make_app(teller, role=Role.TELLER, station="teller-B")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(app, pilot, sector="B")
            screen = app.screen
            assert isinstance(screen, TellerScreen) and screen.sector == "B"
            assert keys_of(app) == {"f3": "count", "f5": "unanimous", "f1": "help",
                                    "ctrl+p": "command_palette", "ctrl+q": "quit"}  # fmt: skip
            assert palette(app) == [t("tui.command.help.title"), t("tui.command.quit.title"),
                                    t("tui.command.hand_over.title"),
                                    t("tui.command.vote_count.title"),
                                    t("tui.command.vote_unanimous.title"),
                                    t("tui.command.theme.title")]  # fmt: skip
            seq = vote_hall.last_seq()
            await press(pilot, *ALL_KEYS, "escape")
            assert app.screen is screen and vote_hall.last_seq() == seq
            for action in ("open_vote", "recount", "publish", "correct_vote", "cancel_vote"):
                assert not await app.run_action(f"screen.{action}"), action
            await scan(app, pilot, vote_hall.card_code(25, 0))  # a teller takes no card
            assert vote_hall.last_seq() == seq

            screen.query_one(SectorGrid).select("A")  # the cursor elsewhere: still B
            await press(pilot, "f3")
            dialog = app.screen
            assert isinstance(dialog, CountDialog) and "B" in dialog.sector
            dialog.query_one("#teller", Input).value = "Tổ 2"
            fields = [f for f in dialog.query(Input) if f.id and f.id.startswith("count-")]
            for field, value in zip(fields, (5, 1, 0), strict=True):
                field.value = str(value)
            dialog.query_one("#confirm", Button).press()
            await settle(pilot)
            e = vote_hall.events()[-1]
            assert (e.kind, e.payload["sector"], e.role, e.operator) == (
                "vote_count_entered", "B", "teller", PERSON,
            )  # fmt: skip
            await press(pilot, "f5")
            assert isinstance(app.screen, TellerDialog)
            await press(pilot, "escape")
            vote = vote_hall.vote_book().active
            assert vote is not None and vote.status in (VoteStatus.OPEN, VoteStatus.COUNTING)
    finally:
        teller.close()


async def test_a_teller_signs_in_by_keys_and_the_passphrase_stays_in_its_field(
    vote_hall: Store, sqlite_url: str
) -> None:
    """Name, Tab, passphrase, Enter, as at a door: the passphrase is typed into its own hidden
    field (the sector's list comes after it), Enter asks for the sector, and choosing it in the
    list signs in."""
    vote_hall.set_passphrase(Role.TELLER, SECRET)
    teller = terminal(vote_hall, sqlite_url, "teller")
    app = make_app(teller, role=Role.TELLER)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, SignInScreen)
            # The teller's role line names no station (a teller has none but the role's name).
            role_line = t("roles.signin.role", role=t("roles.name.teller"))
            assert role_line in screen_text(app) and f"{role_line} · " not in screen_text(app)
            type_burst(app, f"{PERSON}\t{SECRET}", enter=False)
            await settle(pilot)
            assert screen.query_one("#signin-passphrase", Input).value == SECRET
            await press(pilot, "enter")
            assert t("roles.signin.need_sector") in screen_text(app)
            assert app.focused is screen.query_one("#signin-sector")
            await press(pilot, "enter", "down", "down", "enter")  # the list: prompt, A, B
            await wait_for(pilot, lambda: isinstance(app.screen, TellerScreen))
            assert app.screen.sector == "B"  # type: ignore[attr-defined]
            assert SECRET not in screen_text(app)
            signed = vote_hall.events()[-1]
            assert (signed.kind, signed.operator) == (SIGNED_IN, PERSON)
    finally:
        teller.close()


async def test_enter_pressed_twice_signs_in_once(store: Store, door_store: Store) -> None:
    app = make_app(door_store, role=Role.DOOR, station="cửa-phụ")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_burst(app, f"{PERSON}\t{SECRET}\r\r", enter=False)
        await wait_for(pilot, lambda: isinstance(app.screen, DoorScreen))
        await settle(pilot)
        assert isinstance(app.screen, DoorScreen) and len(app.screen_stack) == 2
        assert [e.kind for e in store.events()].count(SIGNED_IN) == 1


async def test_a_teller_that_loses_the_database_says_so_and_takes_nothing(
    vote_hall: Store, sqlite_url: str
) -> None:
    teller = terminal(vote_hall, sqlite_url, "teller-A")
    app = make_app(teller, role=Role.TELLER, sector="A", sign_in=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, TellerScreen)
            with database_gone(teller):
                await wait_for(pilot, lambda: not app.desk.connected)
                assert t("roles.not_connected.banner") in screen_text(app)
                await press(pilot, "f3")
                dialog = app.screen
                assert isinstance(dialog, CountDialog)
                dialog.query_one("#teller", Input).value = "Tổ 1"
                for field in [f for f in dialog.query(Input) if f.id and "count-" in f.id]:
                    field.value = "1"
                dialog.query_one("#confirm", Button).press()
                await settle(pilot)
                assert app.screen is dialog  # refused in the form: nothing was recorded
                assert t("roles.not_connected.write") in screen_text(app)
            await wait_for(pilot, lambda: app.desk.connected)
            assert t("roles.not_connected.banner") not in screen_text(app)
            vote = vote_hall.vote_book().active
            assert vote is not None and not vote.sector("A").entries  # type: ignore[union-attr]
    finally:
        teller.close()


# ---------------------------------------------------------------- the counting room


@pytest.fixture
def election_hall(sqlite_url: str) -> Iterator[Store]:
    """A 3-seat committee election on the running item, every voter in the hall."""
    store = election_running(sqlite_url, COMMITTEE)
    yield store
    store.close()


async def test_the_counting_room_opens_the_round_being_counted_and_stays_there(
    election_hall: Store, sqlite_url: str
) -> None:
    hall = election_hall
    item = prepare(hall, "committee", 4)
    room = terminal(hall, sqlite_url, "counting")
    app = make_app(room, role=Role.COUNTING, sign_in=False)
    try:
        async with app.run_test(size=(170, 55)) as pilot:
            await settle(pilot)
            desk = app.screen
            assert isinstance(desk, CountingDesk)
            assert t("roles.counting.waiting") in screen_text(app)
            n = open_count(hall, "committee", item, returned=5)
            await wait_for(pilot, lambda: isinstance(app.screen, CountingStation))
            station = app.screen
            assert isinstance(station, CountingStation)
            assert (station.election_id, station.round_no) == ("committee", n)
            keys = keys_of(app)
            assert {"f2", "f3", "f4", "f1", "ctrl+q"} <= keys.keys()
            elsewhere = {"close", "agenda", "vote", "elections", "export", "rollcall"}
            assert not set(keys.values()) & elsewhere  # nowhere else to go
            ballot = station.query_one("#ballot", Input)
            ballot.focus()
            ballot.value = "1"
            await press(pilot, "enter")
            e = hall.events()[-1]
            assert (e.kind, e.role) == (el.BallotEntered.KIND, "counting")
            seq = hall.last_seq()
            await press(pilot, "escape", "f8", "f9", "f12")
            assert app.screen is station and hall.last_seq() == seq
            r = hall.election_book().get("committee").current  # type: ignore[union-attr]
            assert r.count is not None and len(r.count.teams[0].ballots) == 1
    finally:
        room.close()


async def test_a_counting_room_handed_over_opens_the_round_only_once_signed_in(
    election_hall: Store, sqlite_url: str
) -> None:
    hall = election_hall
    hall.set_passphrase(Role.COUNTING, SECRET)
    item = prepare(hall, "committee", 4)
    room = terminal(hall, sqlite_url, "counting")
    app = make_app(room, role=Role.COUNTING)
    try:
        async with app.run_test(size=(170, 55)) as pilot:
            await sign_in(app, pilot)
            assert isinstance(app.screen, CountingDesk)
            await press(pilot, "ctrl+o")
            assert isinstance(app.screen, SignInScreen)
            open_count(hall, "committee", item, returned=5)
            await wait_for(
                pilot,
                lambda: app.desk.meeting is not None and app.desk.meeting.seq == hall.last_seq(),
            )
            assert isinstance(app.screen, SignInScreen)  # nothing opened over the sign-in
            await sign_in(app, pilot, person="Trần Văn Bình")
            await wait_for(pilot, lambda: isinstance(app.screen, CountingStation))
    finally:
        room.close()


# ---------------------------------------------------------------- the operator


async def test_the_operator_signs_in_when_a_passphrase_is_set(
    store: Store, sqlite_url: str
) -> None:
    store.set_passphrase(Role.OPERATOR, SECRET)
    desk = terminal(store, sqlite_url, "cửa-chính")
    app = make_app(desk)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, SignInScreen)
            before = store.last_seq()
            await scan(app, pilot, store.card_code(2, 0))
            await press(pilot, "f2", "f7", "f12")
            assert isinstance(app.screen, SignInScreen) and store.last_seq() == before
            await sign_in(app, pilot)
            assert isinstance(app.screen, RollCallScreen)
            await scan(app, pilot, store.card_code(2, 0))
            e = store.events()[-1]
            assert (e.kind, e.role, e.operator) == ("check_in", "operator", PERSON)
            assert "f7" in keys_of(app) and "f12" in keys_of(app)
            assert store.verify() is None
    finally:
        desk.close()


async def test_the_operator_without_a_passphrase_opens_as_before(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen is app.rollcall and app.desk.signed_in and app.home is None
        await scan(app, pilot, store.card_code(2, 0))
        e = store.events()[-1]
        assert (e.kind, e.role) == ("check_in", "operator")  # recorded as the operator's
        assert store.records is None  # and nothing is refused


async def test_a_write_lost_on_the_way_says_not_recorded_even_once_reconnected(
    door_store: Store,
) -> None:
    """A restarted server can be back before the failed scan's answer is shown: the door must
    still say the scan was not recorded, not a bare database error."""
    app = make_app(door_store, role=Role.DOOR, station="cửa-phụ", sign_in=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        door = app.screen
        assert isinstance(door, DoorScreen) and app.desk.connected
        app.post_message(WriteFailed("Database error: server closed the connection", lost=True))
        await settle(pilot)
        assert t("roles.not_connected.scan") in door.result_text
        app.post_message(WriteFailed("Card refused"))  # a refusal stays what it is
        await settle(pilot)
        assert "Card refused" in door.result_text


async def test_a_refused_scan_stays_on_screen_when_the_connection_comes_back(
    store: Store, door_store: Store
) -> None:
    """The door staff must see that the card was not recorded, even if the database answers
    again a moment later: the red answer stays its full time, then "ready"."""
    app = make_app(door_store, role=Role.DOOR, station="cửa-phụ", sign_in=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        door = app.screen
        assert isinstance(door, DoorScreen)
        app.post_message(ConnectionChanged(False))
        await settle(pilot)
        await scan(app, pilot, store.card_code(3, 0))
        assert t("roles.not_connected.scan") in door.result_text
        app.post_message(ConnectionChanged(True))
        await settle(pilot)
        assert door.connected and app.desk.connected
        assert t("roles.not_connected.scan") in door.result_text, "the refusal was wiped"
        await wait_for(pilot, lambda: t("roles.not_connected.scan") not in door.result_text)
        d = store.delegate(3)
        assert d is not None and not d.present
