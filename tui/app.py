"""The operator's app at a door of the hall: the roll call, and the dialogs around it.

Scan capture (a USB scanner is a keyboard that types 36 digits and Enter into whatever has focus):

1. every text field of the app is a :class:`ScanAwareInput`: at Enter, a trailing card code is
   cut off (what was typed before it stays) and posted as :class:`ScanEntered`;
2. a plain ``Input`` we do not own (the command palette's, say) that submits text ending with a
   code is caught by the app's ``Input.Submitted`` handler;
3. when anything else has focus (a table, a button, a radio set), :meth:`PresidiumApp.on_event`
   feeds every key to a pure :class:`~session.scanner.BurstDetector`; a fast burst that ends in
   Enter with a code is taken as a scan and the Enter goes no further.

Every Store call runs in a thread worker. Writes (scans, manual entries, corrections, agenda and
vote changes...) go through one FIFO queue so results appear in the order they were asked for;
workers post Messages and never touch widgets. Other terminals' changes are picked up by a
:class:`~db.watch.Watcher` in a thread worker (SQLite's change counter, PostgreSQL's
LISTEN/NOTIFY), which wakes the feed within about 50 ms of another terminal's commit; a slow poll
of ``last_seq()`` stays as a backstop. The agenda and the votes are read again only when the log
moved.

Screens: the roll call (the default screen), the agenda (F7) and the vote (F8), pushed over the
roll call and kept installed, so the roll call keeps taking scans underneath. Every screen shows
the running agenda item and its timing on a status line; the agenda and vote screens show the
last scan's result on a notice line.

Roles (session.roles): the operator has all of the above. Any other role gets one home screen and
nothing else (a door station, the teller's vote screen, the counting desk, the projector), the
app's keys and palette commands outside its rights are off (:meth:`PresidiumApp.check_action`),
and its Store appends only the role's own event kinds. A role with a passphrase starts on the
sign-in screen. A role terminal that cannot reach the database says so in red and takes nothing
until a read succeeds again, so no scan is ever acknowledged that was not stored.
"""

import gc
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual import events, on, work
from textual._time import get_time
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import BindingType
from textual.command import CommandPalette
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Input

from db.errors import lost_connection
from db.store import AttendanceEntry, ScanResult, Store, StoreError
from db.watch import Watcher
from session.i18n import Refusal, t
from session.roles import Role, retry_delay, rights
from session.rollcall import Mode, Reason
from session.sanity import clock_outside
from session.scanner import BurstDetector, split_trailing_code
from session.votes import HALL
from tui.agenda import AgendaScreen
from tui.bodies import open_bodies_dialog
from tui.counting import CountingScreen
from tui.dialog import ConfirmScreen, DialogCancelled, NoticeScreen
from tui.display import DisplayScreen
from tui.door import DoorScreen
from tui.election import ElectionScreen
from tui.export import ExportScreen
from tui.feed import MeetingUpdate, read_feed, read_meeting
from tui.help import HelpScreen
from tui.keyorder import KeyQueue, settled
from tui.keys import (
    AGENDA_KEYS,
    BOX_KEYS,
    COUNTING_KEYS,
    ELECTION_KEYS,
    OPERATOR_KEYS,
    ROLE_TERMINAL_ACTIONS,
    ROLLCALL_ACTIONS,
    VOTE_KEYS,
    OperatorKey,
    translated,
)
from tui.messages import (
    ActionDone,
    BackupDone,
    CardReissued,
    Done,
    Failed,
    FeedLoaded,
    MeetingLoaded,
    MeetingReply,
    ScanDone,
    ScanEntered,
    SheetWritten,
    WriteFailed,
)
from tui.modals import (
    AbsenceRequest,
    AbsenceScreen,
    CorrectionRequest,
    CorrectionScreen,
    ManualCheckInScreen,
    ManualRequest,
    NewCardScreen,
    ReissueRequest,
    ReissueScreen,
)
from tui.role_keys import role_keys
from tui.rollcall import RollCallReady, RollCallScreen
from tui.signin import SignInRequested, SignInScreen, signed_in_as
from tui.stations import (
    CountingDesk,
    CountingStation,
    StationLoaded,
    StationReady,
    TellerScreen,
    read_station,
)
from tui.view import INFO, ResultView, clock_text, local, ready_view, scan_view, who_line
from tui.vote import VoteScreen
from tui.widgets.scan_input import ENTER_KEYS, ScanAwareInput

MIN_SIZE = (80, 24)  # the smallest terminal every screen is laid out for
TOO_SMALL = "too-small"
RESULT_SECONDS = 4.0  # a result stays on the banner this long, then "ready"
POLL_SECONDS = 3.0  # a backstop: the watcher wakes the feed as soon as the log moves
RETRY_SECONDS = 0.5  # how often a terminal that lost the database tries to read again
WATCH_SECONDS = 0.5  # the watcher's longest wait before it checks whether it should stop
BELL_SPACING = 0.15
RECENT_ENTRIES = 30  # entries offered for correction
# The Store's failures that mean the database is out of reach (not a refusal of what was asked).
APP_ACTIONS = frozenset(k.action for k in OPERATOR_KEYS)
SCREEN_SWITCHES = frozenset({"agenda", "vote", "elections"})

Job = Callable[[], Message]
ResultHook = Callable[[ScanResult], None]
# A role's only screen (the operator has the roll call and the screens over it instead).
HomeScreen = DoorScreen | TellerScreen | CountingDesk | DisplayScreen


class ConnectionChanged(Message):
    """A worker found the database out of reach (or back)."""

    def __init__(self, connected: bool) -> None:
        super().__init__()
        self.connected = connected


class LogMoved(Message):
    """The watcher saw the log move to `seq` (None: only its connection changed)."""

    def __init__(self, seq: int | None) -> None:
        super().__init__()
        self.seq = seq


class SignInChecked(Message):
    """The passphrase check's answer (`error`: it could not be checked)."""

    def __init__(self, ok: bool, person: str, sector: str | None, error: str = "") -> None:
        super().__init__()
        self.ok = ok
        self.person = person
        self.sector = sector
        self.error = error


def results_of(meeting: MeetingUpdate) -> int:
    """How many results have been announced: published votes and announced election rounds."""
    votes = sum(1 for v in meeting.book.votes if v.published_at is not None)
    rounds = sum(
        1 for e in meeting.elections.elections for r in e.rounds if r.announced_at is not None
    )
    return votes + rounds


class PresidiumApp(App[None]):
    # The default screen is not pushed, so Textual does not load its CSS_PATH: list every
    # screen that can be the default (each role's own, and the sign-in) here.
    CSS_PATH = [  # noqa: RUF012 (Textual's own class variable)
        "app.tcss",
        "rollcall.tcss",
        "stations.tcss",
        "vote.tcss",
        "election.tcss",
        "door.tcss",
        "display.tcss",
        "signin.tcss",
    ]
    TITLE = "Presidium"
    BINDINGS: ClassVar[list[BindingType]] = [k.binding for k in OPERATOR_KEYS]
    # Every screen gets one of these classes by the terminal's size (a laptop at 80×24, a desk
    # screen at 160×50): the .tcss files lay each screen out for both.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-narrow"),
        (120, "-medium"),
        (140, "-wide"),
    ]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (36, "-tall")]

    mode: reactive[Mode] = reactive(Mode.ENTRY, init=False)

    def __init__(
        self,
        store: Store,
        *,
        station: str,
        on_result: ResultHook | None = None,
        role: Role = Role.OPERATOR,
        sign_in: bool = False,
        sector: str | None = None,
        election: str | None = None,
        welcome: str = "",
    ) -> None:
        super().__init__()
        self._bindings = translated(self._bindings)
        self.welcome = welcome  # shown over the first screen (the demo's note), Enter closes it
        self.role = role
        self.rights = rights(role)
        self.offered = role_keys(role)  # the keys and commands this terminal offers
        self.signed_in = not sign_in
        self.signs_in = sign_in  # a person signs in here with the role's passphrase
        self.sector = sector  # a teller's hall sector (chosen at sign-in when not given)
        self.election_id = election  # the counting room's election, if it was named
        self.home: HomeScreen | None = None  # made at start, or once signed in
        self.connected = True  # the last read or write reached the database
        self.present = 0  # voting delegates in the hall, as last read
        self.clock_warning = ""  # the computer's date outside the congress's dates
        self._too_small_dismissed = False  # the operator chose to go on at this size
        self._lost_at = 0.0  # when it was last found out of reach (time.monotonic())
        self._started = False
        self._failures = 0  # wrong passphrases in a row
        self._retry_at = 0.0  # no passphrase is checked before this (time.monotonic())
        self.store = store
        self.congress = store.congress
        self.station = station
        self.title = self.congress.name
        self.sub_title = station
        self._on_result = on_result
        self._burst = BurstDetector()
        self._keys = KeyQueue(self._take_key, self._settle_keys)
        self._jobs: deque[Job] = deque()
        self._write_lock = threading.Lock()
        self._seen: int | None = None
        self._feed_busy = False
        self._feed_again = False
        self._fed_at = 0.0  # when the last feed read began (time.monotonic())
        self._feed_failing = False
        self._ready_timer: Timer | None = None
        self.rollcall = RollCallScreen(self.congress, station, store.clock, Mode.ENTRY)
        self.latencies: deque[float] = deque(maxlen=1000)  # Enter -> result on the banner (s)
        self.last_sheet: SheetWritten | None = None
        self._frozen = False
        self.meeting: MeetingUpdate | None = None  # the agenda and votes as last read
        self._meeting_busy = False
        self._meeting_again = False
        self._meeting_failing = False
        self.agenda_screen = AgendaScreen(self)
        self.vote_screen = VoteScreen(self)
        self.election_screen = ElectionScreen(self)
        self.last_backup: BackupDone | None = None
        self._backed_up_at: int | None = None  # the last event the latest backup holds
        self._watching = threading.Event()  # cleared when the app closes: the watcher stops
        self._watcher: Watcher | None = None

    def get_default_screen(self) -> Screen[None]:
        # Before signing in, an empty screen under the sign-in: the role's own is made after.
        return self._home() if self.signed_in else Screen(id="before-sign-in")

    def on_mount(self) -> None:
        self._check_clock()
        if self.store.upgraded is not None:  # where the copy from before the upgrade is
            self.notify(self.store.upgraded.line(), severity="information", timeout=60)
        if not self.signed_in:
            self.push_screen(
                SignInScreen(
                    self.congress.name,
                    self.role,
                    self.station,
                    self.store.operator,
                    self._sector_choices(),
                )
            )

    def on_resize(self, event: events.Resize) -> None:
        """Under 80×24 the screens cannot show every figure: say so (Esc goes on anyway), and
        take the notice away once the terminal is large enough."""
        small = event.size.width < MIN_SIZE[0] or event.size.height < MIN_SIZE[1]
        shown = [s for s in self.screen_stack if s.id == TOO_SMALL]
        if small and not shown and not self._too_small_dismissed:
            text = t("tui.too_small.text", width=event.size.width, height=event.size.height)
            self.push_screen(
                NoticeScreen(t("tui.too_small.title"), text, id=TOO_SMALL), self._too_small_closed
            )
        elif not small:
            self._too_small_dismissed = False
            if shown and self.screen is shown[0]:
                self.pop_screen()

    def _too_small_closed(self, _result: object = None) -> None:
        if self.size.width < MIN_SIZE[0] or self.size.height < MIN_SIZE[1]:
            self._too_small_dismissed = True  # Esc: the operator goes on as it is
        self._refocus()

    def _check_clock(self) -> None:
        """A clock outside the congress's dates times every record wrongly: say so at once."""
        today = local(self.store.clock(), self.congress.zone).date()
        caution = clock_outside(today, self.congress.start, self.congress.end)
        if caution is not None:
            self.clock_warning = caution.text()
            self.notify(self.clock_warning, severity="warning", timeout=60)

    def _home(self) -> Screen[None]:
        """The role's own screen: the roll call for the operator."""
        if self.role is Role.OPERATOR:
            return self.rollcall
        if self.home is None:
            self.home = self._make_home()
        return self.home

    def _make_home(self) -> HomeScreen:
        match self.role:
            case Role.DOOR:
                return DoorScreen(self.congress, self.station, self.store.clock, self.mode)
            case Role.TELLER:
                codes = [s.code for s in self.congress.sectors]
                return TellerScreen(self, self.offered, self.sector or (codes or [HALL])[0])
            case Role.COUNTING:
                return CountingDesk(self, self.offered, self.election_id)
            case _:
                return DisplayScreen(self.congress, self.store.clock)

    def _sector_choices(self) -> list[tuple[str, str]]:
        """A teller who was not given a sector picks one when signing in."""
        if self.role is not Role.TELLER or self.sector is not None:
            return []
        return [(f"{s.code} · {s.name}", s.code) for s in self.congress.sectors]

    def _may(self, action: str) -> bool:
        """Whether this terminal may do the app action `action` now."""
        if not self.signed_in and action != "quit":
            return False
        if action in ROLE_TERMINAL_ACTIONS and (self.role is Role.OPERATOR or not self.signs_in):
            return False  # (the operator's desk changes hands by quitting: it holds every right)
        return self.offered.may(f"app.{action}")

    @on(StationReady)
    def _start_station(self, message: StationReady) -> None:
        """A role's home screen is up: read the counts now and whenever the log moves."""
        message.stop()
        if self._started:
            return
        self._started = True
        self._request_feed()
        self._follow_log()

    @on(RollCallReady)
    def _start(self, message: RollCallReady) -> None:
        message.stop()
        self._started = True
        if self.welcome:
            self.push_screen(NoticeScreen(t("tui.welcome.title"), self.welcome), self._refocus)
        self.install_screen(self.agenda_screen, "agenda")
        self.install_screen(self.vote_screen, "vote")
        self.install_screen(self.election_screen, "elections")
        self._request_feed()
        self._follow_log()
        every = self.congress.backups.every_minutes
        if every and self.store.url.startswith("sqlite"):
            self.set_interval(every * 60, self._backup_if_changed)

    # ------------------------------------------------------------------ scan capture

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self._keys.key(event)  # (held while an earlier Tab or Enter is handled)
            return
        await super().on_event(event)

    async def _take_key(self, event: events.Key) -> None:
        """A key in its turn: a scan's Enter goes to the roll call, anything else to Textual."""
        if not self._sniffed(event):
            await super().on_event(event)

    @work(group="keys", exclusive=True, exit_on_error=False)
    async def _settle_keys(self) -> None:
        """The keys held behind a Tab, an Enter or a function key go once it is handled."""
        await settled(self)
        self.call_later(self._keys.release)

    def _sniffed(self, event: events.Key) -> bool:
        """Feed the burst detector; True when the key must go no further.

        That is an Enter ending a scan while no scan-aware field has focus, or a control
        character inside a burst (a scanner's garbage must never quit or open the palette).
        """
        if not self.signed_in:  # a passphrase typed quickly is not a scan
            return False
        try:
            focused = self.focused
        except ScreenStackError:  # keys before the first screen: nothing to sniff
            return False
        if event.key in ENTER_KEYS:
            if isinstance(focused, ScanAwareInput):  # it takes scans itself, even typed by hand
                self._burst.reset()
                return False
            code = self._burst.enter(event.time)
            if code is None:
                return False
            if isinstance(focused, Input):  # its characters are still queued: clean up after
                focused.call_later(self._strip_code, focused)
            self.post_message(ScanEntered(code, event.time))
            return True
        if event.is_printable and event.character:
            self._burst.key(event.character, event.time)
            return False
        swallow = event.key.startswith("ctrl+") and self._burst.in_burst(event.time)
        self._burst.other(event.time)
        return swallow

    @staticmethod
    def _strip_code(field: Input) -> None:
        found = split_trailing_code(field.value)
        if found is not None:
            field.value = found[0]
            field.cursor_position = len(found[0])

    @on(Input.Submitted)
    def _submitted_elsewhere(self, event: Input.Submitted) -> None:
        """A plain Input (not one of ours) submitted text ending with a card code."""
        if isinstance(event.input, ScanAwareInput) or not self.signed_in:
            return
        found = split_trailing_code(event.value)
        if found is None:
            return
        event.stop()
        event.input.value = found[0]
        self.post_message(ScanEntered(found[1], get_time()))

    @on(ScanEntered)
    def _scan_entered(self, message: ScanEntered) -> None:
        message.stop()
        if not self.signed_in:
            return
        if not self.rights.takes_scans:  # the teller, the counting room, the projector
            self.notify(t("roles.no_scans"), title=t("tui.error.title"), severity="warning")
            return
        if not self.connected and self.home is not None:
            self._show(self._not_connected_view())
            return
        store, code, mode, station, at = (
            self.store,
            message.code,
            self.mode,
            self.station,
            message.at,
        )

        def job() -> Message:
            result = store.scan(code, mode, station)
            return ScanDone(
                result,
                at,
                card_number=result.number
                if result.decision.reason is Reason.UNKNOWN_NUMBER
                else None,
            )

        self._enqueue(job)

    # ------------------------------------------------------------------ the write queue

    def _enqueue(self, job: Job) -> None:
        self._jobs.append(job)
        self._write_worker()

    @work(thread=True, group="store-write", exit_on_error=False)
    def _write_worker(self) -> None:
        # One worker per job; the lock and the shared queue keep them in submission order.
        with self._write_lock:
            job = self._jobs.popleft()
            try:
                message = job()
            except StoreError as exc:
                message = WriteFailed(str(exc), lost=lost_connection(exc))
                self._lost_if(exc)
            except Exception as exc:  # shown on the banner; the roll call goes on
                message = WriteFailed(
                    t("tui.error.unexpected", detail=f"{type(exc).__name__}: {exc}"),
                    lost=lost_connection(exc),
                )
                self._lost_if(exc)
            self.post_message(message)

    def _lost_if(self, exc: BaseException) -> None:
        """From a worker: say the database is out of reach, when that is what `exc` means."""
        if lost_connection(exc):
            self.post_message(ConnectionChanged(False))

    @property
    def busy(self) -> bool:
        """Writes still queued or running (tests wait for this to clear)."""
        return (
            bool(self._jobs)
            or self._write_lock.locked()
            or self._feed_busy
            or self._meeting_busy
            or self._keys.holding
        )

    # ------------------------------------------------------------------ results on screen

    def _show(self, view: ResultView) -> None:
        if self.home is None and self.rollcall.is_mounted:
            self.rollcall.show_result(view)
        self._notice(view)
        self._ring(view.bells)
        if self._ready_timer is not None:
            self._ready_timer.stop()
        self._ready_timer = self.set_timer(RESULT_SECONDS, self._back_to_ready)
        self._refocus()

    def _ring(self, times: int) -> None:
        for i in range(times):
            if i == 0:
                self.bell()
            else:
                self.set_timer(BELL_SPACING * i, self.bell)

    def _notice(self, view: ResultView) -> None:
        if self.home is not None:
            if self.home.is_mounted:
                self.home.show_result(view)
            return
        self.agenda_screen.show_notice(view)
        self.vote_screen.show_notice(view)
        self.election_screen.show_notice(view)

    def _back_to_ready(self) -> None:
        self._ready_timer = None
        if self.home is None and self.rollcall.is_attached:
            self.rollcall.show_result(ready_view(), remember=False)
        elif self.home is None or not self.home.is_attached:  # the app is closing
            return
        if not self.connected and isinstance(self.home, DoorScreen):
            return  # the door keeps saying it cannot take scans
        self._notice(ready_view())

    def _not_connected_view(self) -> ResultView:
        return ResultView(
            "red",
            t("roles.not_connected.scan"),
            detail=t("roles.not_connected.detail"),
            time=self._now_text(),
            bells=3,
        )

    def _now_text(self) -> str:
        return clock_text(self.store.clock(), self.congress.zone)

    @on(ScanDone)
    def _scan_done(self, message: ScanDone) -> None:
        view = scan_view(
            message.result,
            self.congress,
            self.store.clock(),
            card_number=message.card_number,
            manual_reason=message.manual_reason,
        )
        self._show(view)
        self.latencies.append(get_time() - message.at)
        if self._on_result is not None:
            self._on_result(message.result)
        self._request_feed()

    @on(ActionDone)
    def _action_done(self, message: ActionDone) -> None:
        self._show(ResultView(INFO, message.headline, detail=message.detail, time=self._now_text()))
        self._request_feed()

    @on(WriteFailed)
    def _write_failed(self, message: WriteFailed) -> None:
        # Lost on the way: say it was not stored, in those words, even if the connection is
        # already back by now (a restarted server can be back before this is shown).
        if (message.lost or not self.connected) and isinstance(self.home, DoorScreen):
            self._show(self._not_connected_view())
        else:
            self._show(ResultView("red", message.text, time=self._now_text(), bells=3))
        self.notify(message.text, title=t("tui.error.title"), severity="error")

    @on(ConnectionChanged)
    def _connection_changed(self, message: ConnectionChanged) -> None:
        self._set_connected(message.connected)

    def _set_connected(self, connected: bool) -> None:
        """Red and sticky on a role terminal until a read succeeds again."""
        if connected == self.connected:
            return
        self.connected = connected
        if not connected:
            self._lost_at = time.monotonic()
        if self.home is not None and self.home.is_mounted:
            self.home.show_connected(connected)
            if connected and self._ready_timer is None:
                # (A scan refused a moment ago keeps its red answer its full time first.)
                self._notice(ready_view())
            elif isinstance(self.home, DoorScreen):
                self.home.show_result(self._not_connected_view())

    # ------------------------------------------------------------------ other terminals

    def _follow_log(self) -> None:
        """Read the feed again whenever the log moves, and every POLL_SECONDS in any case."""
        self._watching.set()
        self._watch_worker()
        self.set_interval(RETRY_SECONDS, self._backstop)

    def _backstop(self) -> None:
        """Read again now and then in case a wake-up was lost; often while the database is away."""
        if not self.connected or time.monotonic() - self._fed_at >= POLL_SECONDS:
            self._request_feed()

    @work(thread=True, group="watch", exit_on_error=False)  # tui.testing.STANDING_GROUPS
    def _watch_worker(self) -> None:
        # Made here, not on the event loop: its first read may wait for an unreachable server.
        watcher = self._watcher = Watcher(self.store.url, seen=-1)  # -1: report the first seq
        connected = watcher.connected
        try:
            while self._watching.is_set():
                seq = watcher.wait(WATCH_SECONDS)
                if seq is not None or watcher.connected != connected:
                    connected = watcher.connected
                    self.post_message(LogMoved(seq))
        finally:
            watcher.close()

    @on(LogMoved)
    def _log_moved(self, message: LogMoved) -> None:
        if message.seq is not None and self._seen is not None and message.seq < self._seen:
            # The log went back (a restored backup): read everything again.
            self._seen = None
            self.meeting = None
        self._request_feed()

    def _request_feed(self) -> None:
        if not self._started:  # nothing is on screen to show it yet
            return
        if self._feed_busy:
            self._feed_again = True
            return
        self._feed_busy = True
        self._fed_at = time.monotonic()
        if self.home is None:
            self._feed_worker(self._seen)
        else:
            self._station_worker(self._seen)

    @work(thread=True, group="feed", exit_on_error=False)
    def _feed_worker(self, seen: int | None) -> None:
        try:
            update = read_feed(self.store, seen)
        except Exception as exc:  # said once on screen; the next poll tries again
            self.post_message(FeedLoaded(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(FeedLoaded(update))

    @on(FeedLoaded)
    def _feed_loaded(self, message: FeedLoaded) -> None:
        self._feed_busy = False
        if message.error and not self._feed_failing:
            self.notify(
                t("tui.error.feed", detail=message.error),
                severity="error",
                title=t("tui.error.title"),
            )
        self._feed_failing = bool(message.error)
        update = message.update
        if update is not None and (self._seen is None or update.seq >= self._seen):
            first = self._seen is None
            self._seen = update.seq
            self.present = update.snapshot.verdict.attendance.present
            self.rollcall.show_feed(update)
            if first:
                self._freeze_startup_objects()
        if update is not None or self.meeting is None:
            self._request_meeting()
        if self._feed_again:
            self._feed_again = False
            self._request_feed()

    @work(thread=True, group="feed", exit_on_error=False)
    def _station_worker(self, seen: int | None) -> None:
        door = self.station if self.role is Role.DOOR else None
        started = time.monotonic()
        try:
            update = read_station(self.store, seen, door)
        except Exception as exc:  # the terminal shows "not connected" until a read succeeds
            self.post_message(StationLoaded(None, started, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(StationLoaded(update, started))

    @on(StationLoaded)
    def _station_loaded(self, message: StationLoaded) -> None:
        self._feed_busy = False
        if message.error:
            self._set_connected(False)
        elif message.started > self._lost_at:  # a read begun before the loss proves nothing
            self._set_connected(True)
        update, home = message.update, self.home
        newer = update is not None and (self._seen is None or update.seq >= self._seen)
        if update is not None and newer and home is not None:
            self._seen = update.seq
            self.present = update.snapshot.verdict.attendance.present
            home.show_feed(update)
        # A door shows no agenda; the others read it again when the log moved.
        if self.role is not Role.DOOR and (update is not None or self.meeting is None):
            self._request_meeting()
        if self._feed_again:
            self._feed_again = False
            self._request_feed()

    # ------------------------------------------------------------------ the agenda and the votes

    def _request_meeting(self) -> None:
        if self._meeting_busy:
            self._meeting_again = True
            return
        self._meeting_busy = True
        self._meeting_worker(self.meeting)

    @work(thread=True, group="meeting", exit_on_error=False)
    def _meeting_worker(self, before: MeetingUpdate | None) -> None:
        try:
            update = read_meeting(self.store, before)
        except Exception as exc:  # said once on screen; the next change tries again
            self.post_message(MeetingLoaded(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(MeetingLoaded(update))

    @on(MeetingLoaded)
    def _meeting_loaded(self, message: MeetingLoaded) -> None:
        self._meeting_busy = False
        if message.error and not self._meeting_failing:
            self.notify(
                t("tui.error.feed", detail=message.error),
                severity="error",
                title=t("tui.error.title"),
            )
        self._meeting_failing = bool(message.error)
        if message.error and self.home is not None:
            self._set_connected(False)
        update = message.update
        if self.home is not None:
            self._home_meeting(update)
        elif update is not None and (self.meeting is None or update.seq >= self.meeting.seq):
            before, self.meeting = self.meeting, update
            if before is None or before.agenda != update.agenda or before.book != update.book:
                # Most changes are scans: the screens are redrawn only when these changed.
                self.rollcall.show_meeting(update)
                self.agenda_screen.show_meeting(update)
                self.vote_screen.show_meeting(update)
            if before is None or (before.elections, before.book, before.agenda) != (
                update.elections,
                update.book,
                update.agenda,
            ):  # (the agenda too: the running item's line, and which election is at hand)
                self.election_screen.show_meeting(update)
            if before is not None and results_of(update) > results_of(before):
                self.backup()  # a result was just announced: keep a copy that holds it
        if self._meeting_again:
            self._meeting_again = False
            self._request_meeting()

    def _home_meeting(self, update: MeetingUpdate | None) -> None:
        if self.home is None or update is None:
            return
        if self.meeting is not None and update.seq < self.meeting.seq:
            return
        before, self.meeting = self.meeting, update
        if (
            before is None
            or before.agenda != update.agenda
            or before.book != update.book
            or (before.elections != update.elections)
        ):
            self.home.show_meeting(update)

    def write(
        self,
        call: Callable[[], Any],
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> None:
        """An agenda or vote change on the write queue (see :class:`tui.desk.Desk`)."""
        if self.home is not None and not self.connected:  # nothing is taken until it is back
            text = t("roles.not_connected.write")
            if failed is not None:
                failed(text)
            else:
                self.say(text, "red", bells=3)
            return

        def job() -> Message:
            try:
                result = call()
            except Refusal as exc:  # the Store's, the agenda's or a vote's: said as it is
                self._lost_if(exc)
                return MeetingReply(None, str(exc), done, failed)
            except Exception as exc:  # said in the form or on the screen; nothing else breaks
                self._lost_if(exc)
                text = t("tui.error.unexpected", detail=f"{type(exc).__name__}: {exc}")
                return MeetingReply(None, text, done, failed)
            return MeetingReply(result, "", done, failed)

        self._enqueue(job)

    @on(MeetingReply)
    def _meeting_reply(self, message: MeetingReply) -> None:
        if message.error:
            if message.failed is not None:
                message.failed(message.error)
                self.bell()
            else:
                self.say(message.error, "red", bells=3)
            return
        if message.done is not None:
            message.done(message.result)
        self._request_feed()

    @on(DialogCancelled)
    def _dialog_cancelled(self, message: DialogCancelled) -> None:
        self.say(t("tui.dialog.cancelled", title=message.title))

    def say(self, text: str, colour: str = INFO, bells: int = 0) -> None:
        view = ResultView(colour, text, time=self._now_text(), bells=bells)
        if self.home is None and self._base_is_rollcall():
            self.rollcall.show_result(view, remember=False)
        self._notice(view)
        self._ring(bells)
        if self._ready_timer is not None:
            self._ready_timer.stop()
        self._ready_timer = self.set_timer(RESULT_SECONDS, self._back_to_ready)
        if colour == "red":
            self.notify(text, title=t("tui.error.title"), severity="error")

    # ------------------------------------------------------------------ screens

    def _base_is_rollcall(self) -> bool:
        try:
            return self._base_screen() is self.rollcall
        except (ScreenStackError, StopIteration):
            return False

    def _base_screen(self) -> Screen[Any]:
        """The screen under any dialogs."""
        return next(s for s in reversed(self.screen_stack) if not s.is_modal)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides the key from the footer and refuses it (a palette command too).
        if action in APP_ACTIONS and not self._may(action):
            return False
        if action in SCREEN_SWITCHES and isinstance(self.screen, CountingScreen):
            return False  # (Esc leaves the counting screen first: F7-F9 would do nothing)
        if action in ROLLCALL_ACTIONS:
            try:
                base = self._base_screen()
            except (ScreenStackError, StopIteration):
                return True
            door = action == "cycle_mode" and isinstance(base, DoorScreen)
            return base is self.rollcall or door
        return True

    def _go_to(self, screen: Screen[None]) -> None:
        top = self.screen
        if top is screen:
            return
        if top is self.rollcall:
            self.push_screen(screen)
        elif top in self._meeting_screens():
            self.switch_screen(screen)

    # ------------------------------------------------------------------ backups and export

    def _backup_if_changed(self) -> None:
        if self._seen is not None and self._seen != self._backed_up_at:
            self.backup()

    def backup(self) -> None:
        """A rolling copy of an SQLite congress file next to it ([backups] in the congress file);
        a database server is backed up with its own tools."""
        if self.store.url.startswith("sqlite"):
            self._backup_worker()

    @work(thread=True, group="backup", exclusive=True, exit_on_error=False)
    def _backup_worker(self) -> None:
        from db.backup import snapshot

        try:
            seq = self.store.last_seq()
            path = snapshot(self.store, self.sheet_folder() / "backups", self.congress.backups.keep)
        except Exception as exc:  # said once on screen; the congress goes on
            self.post_message(BackupDone(None, f"{type(exc).__name__}: {exc}"))
            return
        self._backed_up_at = seq
        self.post_message(BackupDone(path))

    @on(BackupDone)
    def _backup_done(self, message: BackupDone) -> None:
        failed_before = self.last_backup is not None and self.last_backup.path is None
        self.last_backup = message
        if message.path is None and not failed_before:
            self.notify(
                t("tui.backup.failed", detail=message.error),
                severity="error",
                title=t("tui.error.title"),
            )

    def action_export(self) -> None:
        if self._may("export") and not any(isinstance(s, ExportScreen) for s in self.screen_stack):
            self.push_screen(ExportScreen(self.store, self.sheet_folder() / "proceedings"))

    def action_agenda(self) -> None:
        self._go_to(self.agenda_screen)

    def action_vote(self) -> None:
        self._go_to(self.vote_screen)

    def action_elections(self) -> None:
        self._go_to(self.election_screen)

    def _meeting_screens(self) -> tuple[Screen[None], ...]:
        return (self.agenda_screen, self.vote_screen, self.election_screen)

    def vote_announced(self, vote: str) -> None:
        """A vote was announced here: when the election's F2 opened it, back to the election."""
        if self.election_screen.awaiting_vote == vote:
            self.election_screen.awaiting_vote = None
            self._go_to(self.election_screen)
            self.say(t("tui.election.back_after_vote"), "green")

    def back_to_rollcall(self) -> None:
        if self.screen in self._meeting_screens():
            self.pop_screen()
            self.call_later(self._refocus)

    def _freeze_startup_objects(self) -> None:
        """Leave what start-up built (modules, widgets, the register) out of later collections.

        A full garbage collection walks every live object; on a slow laptop that is a pause of
        ~100 ms every few scans, which a scan's result can fall into. Frozen objects are not
        walked (measured: pauses of 30-60 ms instead). Undone when the app closes.
        """
        if not self._frozen:
            gc.collect()
            gc.freeze()
            self._frozen = True

    def on_unmount(self) -> None:
        # The watcher's thread stops at once and closes its connection (the app waits for it).
        self._watching.clear()
        if self._watcher is not None:
            self._watcher.stop()
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    # ------------------------------------------------------------------ operator actions

    def _on_rollcall(self) -> bool:
        return self.screen is self.rollcall

    def _on_door(self) -> bool:
        return isinstance(self.home, DoorScreen) and self.screen is self.home

    def _refocus(self, _result: object = None) -> None:
        if self._on_rollcall():
            self.rollcall.focus_scan()
        elif self._on_door() and isinstance(self.home, DoorScreen):
            self.home.focus_scan()

    def watch_mode(self, mode: Mode) -> None:
        if isinstance(self.home, DoorScreen):
            if self.home.is_mounted:
                self.home.show_mode(mode)
        elif self.home is None:
            self.rollcall.show_mode(mode)

    def action_cycle_mode(self) -> None:
        modes = self.rights.modes
        if self._may("cycle_mode") and (self._on_rollcall() or self._on_door()):
            self.mode = modes[(modes.index(self.mode) + 1) % len(modes)]
            self._refocus()

    def action_help(self) -> None:
        if self._may("help") and not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.offered), self._refocus)

    # ------------------------------------------------------------------ signing in

    @on(SignInRequested)
    def _sign_in_requested(self, message: SignInRequested) -> None:
        message.stop()
        wait = self._retry_at - time.monotonic()
        if wait > 0:
            self._sign_in_screen_refused(t("roles.signin.too_soon"), wait)
            return
        self._check_worker(message.person, message.passphrase, message.sector)

    @work(thread=True, group="signin", exclusive=True, exit_on_error=False)
    def _check_worker(self, person: str, passphrase: str, sector: str | None) -> None:
        try:
            ok = self.store.check_passphrase(self.role, passphrase)
        except Exception as exc:  # no database: say so, let them try again
            detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
            self.post_message(SignInChecked(False, person, sector, t("roles.signin.no_db",
                                                                     detail=detail)))  # fmt: skip
            return
        self.post_message(SignInChecked(ok, person, sector))

    @on(SignInChecked)
    def _sign_in_checked(self, message: SignInChecked) -> None:
        if self.signed_in:  # the answer to a second Enter, after the first signed in
            return
        if message.error:
            self._sign_in_screen_refused(message.error)
            return
        if not message.ok:
            self._failures += 1
            delay = retry_delay(self._failures)
            self._retry_at = time.monotonic() + delay
            self._sign_in_screen_refused(t("roles.signin.wrong"), delay)
            return
        self._failures = 0
        self.sector = message.sector or self.sector
        self.store.act_as(self.role, message.person)
        self.signed_in = True
        if self.home is not None and self.home.is_attached:  # handed over: back to where it was
            self.pop_screen()
            if self.meeting is not None:  # what waited for the sign-in (a round to count)
                self.home.show_meeting(self.meeting)
        else:
            self.switch_screen(self._home())
        store, station, person = self.store, self.station, message.person
        done = t("roles.signin.done", person=person, role=signed_in_as(self.role, station))

        def job() -> Message:
            store.sign_in(station)
            return ActionDone(done)

        self._enqueue(job)

    def action_hand_over(self) -> None:
        """The next person signs in at this terminal (a change of shift); it takes nothing
        until they have. A form left open would be theirs: it is closed first."""
        if not self._may("hand_over"):
            return
        if isinstance(self.screen, ModalScreen):  # a form, the help, a question
            self.notify(t("roles.handover.close_first"), severity="warning")
            return
        self.signed_in = False
        self.push_screen(
            SignInScreen(self.congress.name, self.role, self.station, "", self._sector_choices())
        )

    def _sign_in_screen_refused(self, text: str, wait: float = 0.0) -> None:
        if isinstance(self.screen, SignInScreen):
            self.screen.refused(text, wait)

    def action_manual(self) -> None:
        if not self._on_rollcall():
            return
        mode = self.mode
        self.push_screen(
            ManualCheckInScreen(self.store.search, mode),
            lambda request: self._manual_chosen(request, mode),
        )

    def _manual_chosen(self, request: ManualRequest | None, mode: Mode) -> None:
        self._refocus()
        if request is None:
            return
        store, station, at = self.store, self.station, get_time()
        number, reason = request.delegate.number, request.reason

        def job() -> Message:
            return ScanDone(store.manual(number, mode, station, reason), at, manual_reason=reason)

        self._enqueue(job)

    def action_correct(self) -> None:
        if not self._on_rollcall():
            return
        store = self.store

        def load(number: int | None) -> list[AttendanceEntry]:
            return store.attendance_log(RECENT_ENTRIES, number=number)

        self.push_screen(CorrectionScreen(load, self.congress.zone), self._correction_chosen)

    def _correction_chosen(self, request: CorrectionRequest | None) -> None:
        """The dialog asked "are you sure?" already, naming the entry."""
        self._refocus()
        if request is None:
            return
        store, station = self.store, self.station
        entry_id, reason = request.entry.id, request.reason

        def job() -> Message:
            done = store.correct(entry_id, reason, station)
            return ActionDone(
                t(
                    "tui.correct.done",
                    id=entry_id,
                    name=done.full_name,
                    action=t(f"tui.action.{done.action.value}"),
                ),
                t("tui.result.manual", reason=reason),
            )

        self._enqueue(job)

    def action_absence(self) -> None:
        if self._on_rollcall():
            self.push_screen(AbsenceScreen(self.store.search), self._absence_chosen)

    def _absence_chosen(self, request: AbsenceRequest | None) -> None:
        self._refocus()
        if request is None:
            return
        store, number, status, reason = (
            self.store,
            request.delegate.number,
            request.status,
            request.reason,
        )

        def job() -> Message:
            d = store.set_status(number, status, reason)
            return ActionDone(
                t("tui.absence.done", who=who_line(d), status=t(f"status.{d.status.value}")),
                t("tui.result.manual", reason=reason),
            )

        self._enqueue(job)

    def action_reissue(self) -> None:
        if self._on_rollcall():
            self.push_screen(ReissueScreen(self.store.search), self._reissue_chosen)

    def _reissue_chosen(self, request: ReissueRequest | None) -> None:
        """The dialog asked "are you sure?" already: the old card is revoked now."""
        self._refocus()
        if request is None:
            return
        store, number, reason = self.store, request.delegate.number, request.reason

        def job() -> Message:
            code = store.reissue_card(number, reason)
            return CardReissued(number, code, store.delegate(number))

        self._enqueue(job)

    @on(CardReissued)
    def _card_reissued(self, message: CardReissued) -> None:
        d = message.delegate
        who = who_line(d) if d else str(message.number)
        self._show(
            ResultView(
                INFO,
                t("tui.reissue.done", who=who),
                detail=t("tui.reissue.old_revoked"),
                time=self._now_text(),
            )
        )
        self.push_screen(NewCardScreen(d, message.number, message.code), self._refocus)
        self._write_sheet(message.number, d.card_issue if d else 0)
        self._request_feed()

    def sheet_folder(self) -> Path:
        """Next to the database file; the current directory for a database server."""
        url = self.store.url
        if url.startswith("sqlite:///"):
            return Path(url.removeprefix("sqlite:///")).parent
        return Path.cwd()

    @work(thread=True, group="sheet", exit_on_error=False)
    def _write_sheet(self, number: int, issue: int) -> None:
        path = self.sheet_folder() / f"card-{number:05d}-{issue:02d}.pdf"
        try:
            from printouts.cards import card_data, write_cards

            write_cards(path, self.store.congress, card_data(self.store, numbers=[number]))
        except Exception as exc:  # the card is reissued anyway; say why the sheet is missing
            self.post_message(SheetWritten(number, None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(SheetWritten(number, path))

    @on(SheetWritten)
    def _sheet_written(self, message: SheetWritten) -> None:
        if message.path is not None:
            text = t("tui.card.sheet_written", path=str(message.path))
            self.notify(text, title=t("tui.card.title"))
        else:
            text = t("tui.card.sheet_failed", detail=message.error)
            self.notify(text, title=t("tui.card.title"), severity="error")
        self.last_sheet = message
        screen = self.screen
        if isinstance(screen, NewCardScreen) and screen.number == message.number:
            screen.sheet_done(text)

    # ------------------------------------------------------------------ palette and quitting

    def action_command_palette(self) -> None:
        if self.use_command_palette and not any(
            isinstance(screen, CommandPalette) for screen in self.screen_stack
        ):
            self.push_screen(
                CommandPalette(placeholder=t("tui.palette.placeholder"), id="--command-palette")
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action of the screen the palette was opened on (what its footer shows), and
        the app's keys where they work; the theme last."""
        if self.role is not Role.OPERATOR or not self.signed_in:
            yield from self._role_commands(screen)
            return
        operator = screen is self.rollcall or screen in self._meeting_screens()
        for k in OPERATOR_KEYS:
            if k.action == "command_palette" or (not operator and k.action != "quit"):
                continue
            if not self._may(k.action):  # (hand_over: a role terminal's)
                continue
            if k.action in ROLLCALL_ACTIONS and screen is not self.rollcall:
                continue
            if screen is self.agenda_screen and k.action == "agenda":
                continue
            if screen is self.vote_screen and k.action == "vote":
                continue
            if screen is self.election_screen and k.action == "elections":
                continue
            yield SystemCommand(k.title, k.help, getattr(self, f"action_{k.action}"))
        yield from screen_commands(screen, self._screen_keys(screen))
        if operator:  # the congress's bodies (presidium, secretariat...): no key of their own
            yield SystemCommand(
                t("tui.command.bodies.title"), t("tui.command.bodies.help"), self.action_bodies
            )
        yield SystemCommand(
            t("tui.command.theme.title"), t("tui.command.theme.help"), self.action_change_theme
        )

    def action_bodies(self) -> None:
        """The bodies of the congress and the vote that elected each (tui/bodies.py)."""
        open_bodies_dialog(self, self.push_screen)

    def _screen_keys(self, screen: Screen[Any]) -> tuple[OperatorKey, ...]:
        if isinstance(screen, CountingScreen):
            return COUNTING_KEYS
        return {
            self.agenda_screen: AGENDA_KEYS,
            self.vote_screen: VOTE_KEYS,
            self.election_screen: ELECTION_KEYS,
        }.get(screen, ())

    def _role_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Only what the role may: its app keys, then its screen's own keys."""
        for k in OPERATOR_KEYS:
            if k.action != "command_palette" and self._may(k.action):
                yield SystemCommand(k.title, k.help, getattr(self, f"action_{k.action}"))
        own: tuple[tuple[str, tuple[OperatorKey, ...]], ...] = ()
        if isinstance(screen, TellerScreen):
            own = (("vote", VOTE_KEYS), ("box", BOX_KEYS))
        elif isinstance(screen, CountingStation):
            own = (("counting", COUNTING_KEYS),)
        seen: set[str] = set()
        for scope, keys in own:
            for k in keys:
                if k.action in seen or screen.check_action(k.action, ()) is False:
                    continue  # a box step without a round at the boxes, say: hidden as its key
                if self.offered.may(f"{scope}.{k.action}"):
                    seen.add(k.action)
                    yield SystemCommand(k.title, k.help, getattr(screen, f"action_{k.action}"))
        yield SystemCommand(
            t("tui.command.theme.title"), t("tui.command.theme.help"), self.action_change_theme
        )

    async def action_quit(self) -> None:
        if isinstance(self.screen, ConfirmScreen) and self.screen.id == "quit-confirm":
            self.exit()  # ctrl+q twice
            return
        self.push_screen(
            ConfirmScreen(
                t("tui.quit.question"),
                t("tui.quit.detail"),
                t("tui.quit.confirm"),
                records=False,
                id="quit-confirm",
            ),
            self._quit_answered,
        )

    def _quit_answered(self, yes: bool | None) -> None:
        if yes:
            self.exit()
        else:
            self._refocus()

    def action_help_quit(self) -> None:
        self.notify(t("tui.quit.hint"))


def screen_commands(screen: Screen[Any], keys: tuple[OperatorKey, ...]) -> Iterable[SystemCommand]:
    """A screen's own keys as palette commands, each once, without those it hides now."""
    seen: set[str] = set()
    for k in keys:
        if k.action in seen or screen.check_action(k.action, ()) is False:
            continue
        seen.add(k.action)
        yield SystemCommand(k.title, k.help, getattr(screen, f"action_{k.action}"))


def make_app(
    store: Store,
    *,
    station: str | None = None,
    on_result: ResultHook | None = None,
    role: Role = Role.OPERATOR,
    sign_in: bool | None = None,
    sector: str | None = None,
    election: str | None = None,
    welcome: str = "",
) -> PresidiumApp:
    """The app of `role` for `store` at `station` (default: the congress's first door for the
    operator and a door station, else the role's name).

    `on_result` is called on the UI thread right after a scan's result is on the banner.
    `sign_in` (default: when the role has a passphrase set) starts on the sign-in screen. The
    Store is limited to what the role may append from the start.
    """
    if station is None:
        station = store.congress.stations[0] if role.scans else role.value
    store.act_as(role)  # every event from this terminal names its role
    if sign_in is None:
        sign_in = role.needs_passphrase and store.has_passphrase(role)
    return PresidiumApp(
        store,
        station=station,
        on_result=on_result,
        role=role,
        sign_in=sign_in,
        sector=sector,
        election=election,
        welcome=welcome,
    )
