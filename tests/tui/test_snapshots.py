"""Snapshot tests: every screen and dialog of every role, in Vietnamese and English, on a laptop
(80×24) and a desk screen (160×50), each an SVG picture compared with the one stored in
tests/tui/__snapshots__/test_snapshots/ (pytest-textual-snapshot's SVG extension of syrupy), so that
a change of layout shows as a picture.

    uv run pytest tests/tui/test_snapshots.py                         # compare
    uv run pytest tests/tui/test_snapshots.py --snapshot-update -n 0  # accept them as they are

(-n 0: in one process, so that syrupy also sees which stored pictures no test took any more.)

Each picture is named after its screen or dialog: ``test_operator[vi-80x24][rollcall].svg``. A
picture that changed fails its test once the whole walk is done (one run lists every picture
that changed) and is drawn, old beside new, in snapshot_report.html (the plugin's report, written
in the current directory when something changed).

Speed: the demo congress (tests.harness.scenes, the builders docs/make_screenshots.py uses too)
is built once per session at two moments, the morning (07:47:12) and the afternoon's election
being voted. Each test copies one of them and starts ONE app for its role, language and size,
then walks it through every screen and dialog in turn, each action's key read from tui.keys.
What takes long by keys (a day's agenda, ballots issued and counted) is written meanwhile
through a second Store on the same file, as another terminal would, and the app follows it.

Determinism: the store's clock moves only when a builder moves it, and every clock on screen is
brought to it before a picture, as every table that fits its columns to its width is fitted
again (the app fits them when resized, racing the rows being filled in); a result stays on the
banner until the next one (not for 4 s of real time); the congress's secret and the passphrases'
salt are fixed (the same card codes and audit hashes every session); cursors do not blink;
animations are off (the export's progress bar stands still); notifications and tooltips are off
(run_test's defaults);
the database is opened by a relative path from the test's own folder, so a dialog that shows a
path shows "proceedings" or "bch-round-1-ballots.pdf", never a temporary folder.

Not pictured: the second step of a dialog that writes (the "are you sure?" after a reason, the
new card after a reissue), the agenda's start and end, the election's creation form and the
seat-count proposal (the demo congress has its election and its seat vote already), the
counting screen's tally sheets, teams and batches (the demo counts ballot by ballot, one team),
a refused sign-in (it counts down in real time), NOT CONNECTED (the database lost), the
operator's own sign-in (the demo has no operator passphrase), a door's exit mode and a
teller's box steps other than closing a box (the same forms as the election screen's).
"""

import pickle
import shutil
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pytest_textual_snapshot import (
    PseudoApp,
    PseudoConsole,
    SVGImageExtension,
    node_to_report_path,
)
from syrupy import SnapshotAssertion
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, OptionList, Select, TextArea

import db.store
import tui.app
import tui.board
import tui.desk
from db.store import Store
from session import i18n, roles
from session.agenda import MotionKind
from session.demo import DEMO_COMMITTEE
from session.i18n import t
from session.roles import Role
from tests.harness import scenes
from tests.harness.scenes import DemoClock, Hall
from tui.app import PresidiumApp, make_app
from tui.elections.bodies import BodiesDialog, open_bodies_dialog
from tui.keys import (
    AGENDA_KEYS,
    BOX_KEYS,
    COUNTING_KEYS,
    ELECTION_KEYS,
    OPERATOR_KEYS,
    SPEAKERS_KEYS,
    VOTE_KEYS,
    OperatorKey,
)
from tui.picker import DelegatePicker
from tui.signin import SignInScreen
from tui.stations.counting_room import CountingStation
from tui.stations.door import DoorScreen
from tui.testing import caught_up, press, settle, type_burst, wait_for

pytestmark = pytest.mark.slow  # about 90 s in all: 20 apps, 244 pictures

DELEGATES = 100  # 92 voters: every eighth makes the list of 11 for 9 seats (presidium.demo)
CAME = 80  # voters[30:80] came in through the side door before 07:47
SECRET = "0123456789abcdef" * 4  # the congress's card secret: the same codes every session
SALT = bytes(range(16))  # the passphrases' salt: the same audit hashes every session
PASSPHRASE = "hội trường mở lúc 7 giờ"
PERSON = "Nguyễn Thị Lan"
LANGUAGES = ("vi", "en")
SIZES = {"80x24": (80, 24), "160x50": (160, 50)}
THEME = "textual-dark"
DB = "congress.db"  # opened by this relative path from the test's folder (see above)
OP = {k.action: k.key for k in OPERATOR_KEYS}


def key(keys: tuple[OperatorKey, ...], action: str) -> str:
    """The key of `action` in one of tui.keys' tables (a key that moves is followed)."""
    found = next((k.key for k in keys if k.action == action), None)
    assert found is not None, f"no key for {action!r} in tui.keys"
    return found


# ---------------------------------------------------------------- the congress, built once


@dataclass(frozen=True)
class Moment:
    """A copy of the congress database at one moment, and the clock's time then."""

    path: Path
    now: datetime


@dataclass(frozen=True)
class Congress:
    hall: Hall
    morning: Moment  # 07:47:12: the agenda vote's item running, no vote on it yet
    voting: Moment  # the afternoon: the committee's ballot boxes open, every ballot issued
    election_item: str


def _save(store: Store, clock: DemoClock, folder: Path, name: str) -> Moment:
    """The database as it stands, in one file (SQLite's online backup: no WAL beside it)."""
    path = folder / name
    source = sqlite3.connect(store.url.removeprefix("sqlite:///"))
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return Moment(path, clock.now)


@pytest.fixture(scope="session")
def congress(tmp_path_factory: pytest.TempPathFactory) -> Congress:
    folder = tmp_path_factory.mktemp("congress")
    clock = DemoClock()
    language = i18n.language()
    i18n.use("vi")  # the congress's language: what the builders write never varies
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(db.store, "new_secret", lambda: SECRET)
            store = scenes.create(str(folder / "build.db"), DELEGATES, clock)
            # (the log keeps each passphrase's fingerprint: its salt fixed, the hashes are too)
            mp.setattr(roles, "hash_passphrase", partial(roles.hash_passphrase, salt=SALT))
            for role in (Role.DOOR, Role.TELLER, Role.COUNTING):
                store.set_passphrase(role, PASSPHRASE)
        with store:
            hall = scenes.open_congress(store, clock, came=CAME)
            morning = _save(store, clock, folder, "morning.db")
            # the afternoon, as the operator's walk reaches it (test_operator)
            vote = store.open_item_vote(hall.agenda_item)
            scenes.count_sectors(store, vote.id, scenes.DISPUTED)
            store.recount_sector(vote.id, "B", scenes.RECOUNT_REASON)
            scenes.count_sectors(store, vote.id, scenes.RECOUNTED)
            clock.wait(1)
            store.publish_vote(vote.id)
            item = scenes.to_the_election(store, clock, hall.latecomers())
            scenes.listed(store, clock)
            scenes.approved(store, clock, item)
            scenes.at_the_boxes(store, clock, hall)
            scenes.voted(store, clock)
            voting = _save(store, clock, folder, "voting.db")
    finally:
        i18n.use(language)
    return Congress(hall, morning, voting, item)


# ---------------------------------------------------------------- one app, many pictures


@dataclass
class Terminals:
    """The app's own store and another terminal's (whose writes the app follows), one clock."""

    clock: DemoClock
    app: Store
    other: Store


class Camera:
    """One running app: its pictures taken in turn, each compared with its snapshot."""

    def __init__(self, app: PresidiumApp, at: Terminals, snapshot: SnapshotAssertion,
                 node: pytest.Item) -> None:  # fmt: skip
        self.app = app
        self.at = at
        self.snapshot = snapshot.use_extension(SVGImageExtension)
        self.node = node
        self.taken: list[str] = []
        self.changed: list[str] = []
        self.skipped: list[str] = []
        self.pilot: Any = None

    async def still(self) -> None:
        """Once the app has settled (each step of a walk ends so): every field's cursor shown
        steadily (it blinks otherwise); every clock on screen at the store's time (they tick
        once a second, so a picture taken just after the clock moved could show the time
        before); every table that fits its columns to its width fitted again, as a resize
        would, until its widths hold (the app fits them when they are resized, and whether the
        rows, and with them the scrollbars, were all there by then is a matter of timing)."""
        fitted: list[DataTable[Any]] = []
        for screen in self.app.screen_stack:
            for node in (screen, *screen.query("*")):
                if isinstance(node, Input | TextArea):
                    node.cursor_blink = False
                if not type(node).__module__.startswith("tui."):
                    continue
                for name in ("tick", "_tick"):
                    method = getattr(node, name, None)
                    if callable(method):
                        method()
                if isinstance(node, DataTable) and callable(getattr(node, "on_resize", None)):
                    fitted.append(node)

        def widths() -> list[tuple[int, ...]]:
            return [tuple(c.get_render_width(table) for c in table.columns.values())
                    for table in fitted]  # fmt: skip

        for _ in range(5):
            before = widths()
            for table in fitted:
                table.on_resize()  # type: ignore[attr-defined]
                # tui.widgets.tables.fit_columns sets the widths without emptying the table's
                # render caches: rows drawn before would keep their old widths.
                table._clear_caches()
            await settle(self.pilot)
            if widths() == before:
                break

    async def shot(self, name: str) -> None:
        assert name not in self.taken, f"two pictures named {name!r}"
        self.taken.append(name)
        await self.still()
        svg = self.app.export_screenshot(simplify=True)
        same = self.snapshot(name=name) == svg
        if not same:
            self.changed.append(name)
        self._report(name, same, svg)

    def _report(self, name: str, same: bool, svg: str) -> None:
        """Into the plugin's HTML report: a changed picture drawn old beside new; the others
        counted."""
        expected = self.snapshot.executions[self.snapshot.num_executions - 1].recalled_data
        path, line, test = self.node.reportinfo()
        function = getattr(self.node, "function", None)
        doc = (function.__doc__ if function is not None else "") or ""
        old, new = ("", "") if same else (str(expected or ""), svg)
        console = PseudoConsole(False, self.app.console.size)
        data = (same, old, new, PseudoApp(console), path, line or 0, f"{test}[{name}]", doc, "",
                expected is not None)  # fmt: skip
        Path(f"{node_to_report_path(self.node)}_{name}").write_bytes(pickle.dumps(data))

    async def keys(self, *keys: str) -> None:
        await press(self.pilot, *keys)

    async def dialog(
        self, name: str, *keys: str, fill: Callable[[], Any] | None = None, close: str = "escape"
    ) -> None:
        """`keys` open a dialog (or any screen over this one); `fill` fills it in; its
        picture; `close` closes it (none: it stays open)."""
        under, before = self.app.screen, len(self.app.screen_stack)
        await self.keys(*keys)
        opened = self.app.screen
        assert len(self.app.screen_stack) > before, (
            f"{name}: {' '.join(keys)} opened nothing over {type(under).__name__}"
        )
        if fill is not None:
            await fill()
        await self.shot(name)
        if close:
            await self.keys(close)
            if opened in self.app.screen_stack:
                await wait_for(self.pilot, lambda: opened not in self.app.screen_stack)
            left = type(self.app.screen).__name__
            assert self.app.screen is under, f"{name}: {close} left {left} on top"

    async def caught_up(self) -> None:
        """The app has read what the other terminal wrote."""
        await caught_up(self.pilot)

    def skip(self, name: str, reason: str) -> None:
        """A picture not taken (a screen that crashes while it is being changed, say): the
        walk goes on, and the test ends skipped with the reason once the others matched."""
        self.skipped.append(f"{name}: {reason}")

    def finish(self) -> None:
        assert not self.changed, f"{len(self.changed)} pictures changed: {', '.join(self.changed)}"
        if self.skipped:
            pytest.skip(f"{len(self.taken)} pictures match; not taken: " + "; ".join(self.skipped))


Walk = Callable[..., AbstractAsyncContextManager[Camera]]


@pytest.fixture(
    params=[(lang, size) for lang in LANGUAGES for size in SIZES],
    ids=[f"{lang}-{size}" for lang in LANGUAGES for size in SIZES],
)
def walk(
    request: pytest.FixtureRequest,
    snapshot: SnapshotAssertion,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Walk]:
    """``async with walk(moment, role=..., ...) as cam``: the app of a copy of the congress at
    `moment`, in the test's language and size (every test runs once for each)."""
    lang, size = request.param
    i18n.use(lang)  # (conftest.py's autouse fixture puts English back after the test)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)  # (an app reads it when it is made)
    # A result or message stays on the banner until the next one (4 s of real time otherwise:
    # a slow run would picture "ready" where a fast one pictures the last result).
    monkeypatch.setattr(tui.board, "RESULT_SECONDS", 3600.0)
    opened: list[Store] = []

    @asynccontextmanager
    async def start(moment: Moment, **options: Any) -> AsyncIterator[Camera]:
        shutil.copyfile(moment.path, tmp_path / DB)
        clock = DemoClock(moment.now)
        for name in ("app", "other"):
            opened.append(Store.open(f"sqlite:///{DB}", terminal=f"snap/{name}", clock=clock))
        at = Terminals(clock, *opened[-2:])
        app = make_app(at.app, **options)
        app.animation_level = "none"  # the export's progress bar: drawn standing still
        if app.theme != THEME:  # (TEXTUAL_THEME in the environment)
            app.theme = THEME
        cam = Camera(app, at, snapshot, request.node)
        async with app.run_test(size=SIZES[size]) as pilot:
            cam.pilot = pilot
            await settle(pilot)
            yield cam
        cam.finish()

    yield start
    for store in opened:
        store.close()


async def sign_in(cam: Camera, sector: str | None = None) -> None:
    """The sign-in filled in (the person, a teller's sector, the passphrase): its picture; then
    Enter, and the role's own screen."""
    app, screen = cam.app, cam.app.screen
    assert isinstance(screen, SignInScreen), screen
    screen.query_one("#signin-person", Input).value = PERSON
    if sector is not None:
        screen.query_one("#signin-sector", Select).value = sector
    field = screen.query_one("#signin-passphrase", Input)
    field.value = PASSPHRASE
    field.focus()
    await settle(cam.pilot)
    await cam.shot("signin")
    await cam.keys("enter")
    await wait_for(
        cam.pilot, lambda: app.desk.signed_in and not isinstance(app.screen, SignInScreen)
    )


async def palette_listed(cam: Camera) -> None:
    palette = cam.app.screen
    assert isinstance(palette, CommandPalette), palette
    options = palette.query_one(OptionList)
    await wait_for(cam.pilot, lambda: options.option_count > 0)


# ---------------------------------------------------------------- the operator


async def test_operator(walk: Walk, congress: Congress) -> None:
    """The operator's desk from the morning's check-in to the afternoon's counting."""
    hall, voters = congress.hall, congress.hall.voters
    async with walk(congress.morning) as cam:
        app, pilot = cam.app, cam.pilot
        store, other, clock = cam.at.app, cam.at.other, cam.at.clock
        # the roll call: green, green, yellow (already in), red (forged), a guest, green
        forged = store.card_code(voters[3].number, 0)[:-3] + "000"
        for code in (
            store.card_code(voters[0].number, 0),
            store.card_code(voters[1].number, 0),
            store.card_code(voters[30].number, 0),
            forged,
            store.card_code(hall.guest.number, 0),
            store.card_code(voters[2].number, 0),
        ):
            type_burst(app, code)
            await settle(pilot)
        await cam.shot("rollcall")

        async def search(text: str = "nguyen van khoe") -> None:
            type_burst(app, text, enter=False)
            picker = app.screen.query_one(DelegatePicker)
            await wait_for(pilot, lambda: picker.last_query == text and not picker.waiting)

        await cam.dialog("help", OP["help"])
        await cam.dialog("manual-checkin", OP["manual"], fill=search)
        await cam.dialog("correction", OP["correct"])
        await cam.dialog("absence", OP["absence"])
        await cam.dialog("reissue", OP["reissue"])
        await cam.dialog("palette", OP["command_palette"], fill=lambda: palette_listed(cam))
        await cam.dialog("quit", OP["quit"])
        await cam.dialog("export", OP["export"])

        # the agenda; its dialogs act on the item chosen: the next, pending
        await cam.keys(OP["agenda"])
        await cam.shot("agenda")
        await cam.keys("down")
        await cam.dialog("agenda-skip", key(AGENDA_KEYS, "skip"))
        await cam.dialog("agenda-insert", key(AGENDA_KEYS, "insert"))
        await cam.dialog("agenda-move", key(AGENDA_KEYS, "move_after"))
        await cam.keys(key(AGENDA_KEYS, "close"))

        # the vote screen: nothing taken on the running item yet; its vote opened (F2)
        await cam.keys(OP["vote"])
        await cam.shot("vote-idle")
        await cam.keys(key(VOTE_KEYS, "open_vote"))
        assert app.screen is app.vote_screen, "the Store warned: F2 asks for a reason"
        vote = store.vote_book().active
        assert vote is not None
        scenes.count_sectors(other, vote.id, scenes.DISPUTED)  # the tellers' terminals
        await cam.caught_up()
        await cam.shot("vote-open")  # A confirmed, B disputed, C waiting for its second count
        await cam.keys("right", "right")  # C
        await cam.dialog("vote-count", key(VOTE_KEYS, "count"))
        await cam.dialog("vote-unanimous", key(VOTE_KEYS, "unanimous"))
        await cam.keys("left")  # B
        await cam.dialog("vote-recount", key(VOTE_KEYS, "recount"))
        await cam.dialog("vote-cancel", key(VOTE_KEYS, "cancel_vote"))
        other.recount_sector(vote.id, "B", scenes.RECOUNT_REASON)
        scenes.count_sectors(other, vote.id, scenes.RECOUNTED)
        await cam.caught_up()
        await cam.shot("vote-counted")
        await cam.dialog("vote-publish", key(VOTE_KEYS, "publish"))
        clock.wait(1)
        other.publish_vote(vote.id)
        await cam.caught_up()
        await cam.shot("vote-announced")
        await cam.dialog("vote-correction", key(VOTE_KEYS, "correct_vote"))
        await cam.keys(key(VOTE_KEYS, "close"))

        # the list of speakers: a prepared contribution at the microphone, the next called
        scenes.discussion(other, clock, hall)
        await cam.caught_up()
        await cam.keys(OP["speakers"])
        await cam.shot("speakers")
        await cam.dialog("speakers-add", key(SPEAKERS_KEYS, "add"))
        await cam.keys(key(SPEAKERS_KEYS, "close"))

        # the afternoon: the day's agenda up to the election; the election at its list
        item = scenes.to_the_election(other, clock, hall.latecomers())
        scenes.listed(other, clock)
        await cam.caught_up()
        await cam.keys(OP["elections"])
        await cam.shot("election-list")
        await cam.dialog("election-seats", key(ELECTION_KEYS, "next"))
        await cam.dialog("election-nominate", key(ELECTION_KEYS, "nominate"))
        await cam.dialog("election-withdrawal", key(ELECTION_KEYS, "withdrawal"))

        scenes.approved(other, clock, item)  # the counting committee voted, seats, list
        await cam.caught_up()
        await cam.shot("election-approved")
        await cam.dialog("election-counters", key(ELECTION_KEYS, "next"))
        await cam.dialog("election-print", key(ELECTION_KEYS, "print"))
        await bodies(cam)

        scenes.at_the_boxes(other, clock, hall)
        await cam.caught_up()
        await cam.shot("election-boxes")
        await cam.dialog("election-open-voting", key(ELECTION_KEYS, "next"))

        returned = scenes.voted(other, clock)
        await cam.caught_up()
        await cam.shot("election-voting")
        await cam.dialog("election-issue", key(ELECTION_KEYS, "issue"))

        scenes.counting(other, clock, hall, returned)
        await cam.caught_up()
        await cam.shot("election-counting")
        await cam.keys(key(ELECTION_KEYS, "count"))
        await counting_walk(cam)


async def bodies(cam: Camera) -> None:
    """The bodies of the congress, from the palette (the counting committee's vote, just
    announced, is one that can elect a body). While the palette has no such command, the
    dialog is opened as the command would open it."""
    app, title = cam.app, t("tui.command.bodies.title")
    before = len(app.screen_stack)
    if any(c.title == title for c in app.get_system_commands(app.screen)):
        await cam.keys(OP["command_palette"])
        await palette_listed(cam)
        type_burst(app, title, enter=False)
        await settle(cam.pilot)
        await cam.keys("enter")
    else:
        open_bodies_dialog(app.desk, app.push_screen)
    await wait_for(cam.pilot, lambda: isinstance(app.screen, BodiesDialog))
    await cam.shot("bodies")
    await cam.keys("escape")
    await wait_for(cam.pilot, lambda: len(app.screen_stack) == before)


async def counting_walk(cam: Camera) -> None:
    """On a counting screen (the operator's or the counting room's): ballots typed, the
    invalid-ballot form (one marked invalid), more ballots, the correction and void forms."""
    app, pilot = cam.app, cam.pilot
    for text in scenes.TYPED:
        type_burst(app, text)
        await settle(pilot)
    await cam.dialog("counting-invalid", key(COUNTING_KEYS, "invalid"), close="")
    scenes.mark_invalid(app)
    await settle(pilot)
    for text in scenes.TYPED_AFTER:
        type_burst(app, text)
        await settle(pilot)
    await cam.shot("counting")
    await cam.dialog("counting-correction", key(COUNTING_KEYS, "correct"))
    if any(k.action == "void" for k in COUNTING_KEYS):
        await cam.dialog("counting-void", key(COUNTING_KEYS, "void"))


# ---------------------------------------------------------------- the role terminals


async def test_door(walk: Walk, congress: Congress) -> None:
    """A door station: its sign-in, then a delegate let in (green); its help."""
    hall = congress.hall
    async with walk(congress.morning, role=Role.DOOR, station=hall.side_door,
                    sign_in=True) as cam:  # fmt: skip
        await sign_in(cam)
        door = cam.app.screen
        assert isinstance(door, DoorScreen)
        type_burst(cam.app, cam.at.app.card_code(hall.voters[hall.came].number, 0))
        store, app = cam.at.app, cam.app
        await wait_for(cam.pilot, lambda: door.admitted_here not in ("", "0"))
        await wait_for(cam.pilot, lambda: app.desk.seen == store.last_seq())  # the counts read
        await cam.shot("door")
        await cam.dialog("door-help", OP["help"])


async def test_teller(walk: Walk, congress: Congress) -> None:
    """A teller's terminal: the sign-in with the choice of a sector; the vote screen with the
    election's ballot boxes; a box's step; a vote opened, the teller's count and "all
    present in favour"."""
    async with walk(congress.voting, role=Role.TELLER, sign_in=True) as cam:
        await sign_in(cam, sector="B")
        await cam.caught_up()
        await cam.shot("teller")
        await cam.dialog("teller-help", OP["help"])
        await cam.dialog("teller-close-box", key(BOX_KEYS, "close_box"))
        cam.at.other.open_item_vote(
            congress.election_item, motion=MotionKind.OTHER, title="Biểu quyết thời gian bỏ phiếu"
        )
        await cam.caught_up()
        await cam.shot("teller-vote")
        await cam.dialog("teller-count", key(VOTE_KEYS, "count"))
        await cam.dialog("teller-unanimous", key(VOTE_KEYS, "unanimous"))


async def test_counting(walk: Walk, congress: Congress) -> None:
    """The counting room: the sign-in; the desk waiting for a round to count; the counting
    station, opened by itself once the count starts, and its forms."""
    async with walk(congress.voting, role=Role.COUNTING, sign_in=True) as cam:
        await sign_in(cam)
        await cam.caught_up()
        await cam.shot("counting-waiting")
        await cam.dialog("counting-help", OP["help"])
        other = cam.at.other
        e = other.election_book().get(DEMO_COMMITTEE)
        assert e is not None
        returned = {b.id: b.issued for b in e.current.boxes}  # every ballot comes back
        scenes.counting(other, cam.at.clock, congress.hall, returned)
        await cam.caught_up()
        await wait_for(cam.pilot, lambda: isinstance(cam.app.screen, CountingStation))
        await counting_walk(cam)


async def test_display(walk: Walk, congress: Congress) -> None:
    """The projector: the morning's attendance and quorum; a vote being counted, then
    announced; its help."""
    async with walk(congress.morning, role=Role.DISPLAY) as cam:
        await cam.caught_up()
        await cam.shot("display")
        await cam.dialog("display-help", OP["help"])
        other = cam.at.other
        vote = other.open_item_vote(congress.hall.agenda_item)
        scenes.count_sectors(other, vote.id, scenes.DISPUTED)
        await cam.caught_up()
        await cam.shot("display-counting")
        other.recount_sector(vote.id, "B", scenes.RECOUNT_REASON)
        scenes.count_sectors(other, vote.id, scenes.RECOUNTED)
        cam.at.clock.wait(1)
        other.publish_vote(vote.id)
        await cam.caught_up()
        await cam.shot("display-vote")
