"""The app: the screens, the keys, the command palette and signing in.

The Store, its write queue and the readers that follow the log are the desk's (tui/desk.py);
where its answers go on screen is the board's (tui/board.py); a card code caught outside a scan
field is the scan capture's (tui/scan_capture.py). The app takes a scan to the desk and hands
what the desk's workers post back to the board.

Screens: the roll call (the default screen, with its own actions F2 and F4-F6), the agenda (F7),
the vote (F8) and the elections (F9), pushed over the roll call and kept installed, so the roll
call keeps taking scans underneath. Roles (session.roles): any other role gets one home screen
(a door station, the teller's vote screen, the counting desk, the projector); the app's keys and
palette commands outside its rights are off (:meth:`PresidiumApp.check_action`), and its Store
appends only the role's own event kinds. A role with a passphrase starts on the sign-in screen.
"""

from collections import deque
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, ClassVar

from textual import events, on, work
from textual._time import get_time
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import BindingType
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from db.store import ScanResult, Store
from session.i18n import t
from session.roles import Role, rights
from session.rollcall import Mode
from session.sanity import clock_outside
from tui.agenda import AgendaScreen
from tui.board import Board
from tui.desk import (
    RETRY_SECONDS,
    ActionDone,
    BackupDone,
    ConnectionChanged,
    Desk,
    FeedLoaded,
    LogMoved,
    MeetingLoaded,
    ScanDone,
    WriteAnswered,
    WriteFailed,
)
from tui.dialog import ConfirmScreen, DialogCancelled, NoticeScreen, quit_question
from tui.elections.bodies import open_bodies_dialog
from tui.elections.counting import CountingScreen
from tui.elections.screen import ElectionScreen
from tui.export import ExportScreen
from tui.gc_freeze import StartupFreeze
from tui.help import HelpScreen
from tui.keyorder import KeyQueue, settled
from tui.keys import (
    APP_KEYS,
    OPERATOR_KEYS,
    ROLE_TERMINAL_ACTIONS,
    ROLLCALL_ACTIONS,
    translated,
)
from tui.palette import commands
from tui.role_keys import role_keys
from tui.rollcall import RollCallReady, RollCallScreen
from tui.scan_capture import PASS, ScanCapture, Sniffed, submitted_code
from tui.signin import Attempts, SignedIn, SignInScreen, signed_in_as
from tui.speakers import SpeakersScreen
from tui.station_feed import StationLoaded
from tui.stations.door import DoorScreen
from tui.stations.home import HomeScreen, make_home, sector_choices
from tui.stations.terminal import StationReady
from tui.too_small import SizeWatch
from tui.view import INFO, ResultView, local, scan_view
from tui.vote import VoteScreen
from tui.widgets.scan_input import ScanEntered, ScanField

APP_ACTIONS = frozenset(k.action for k in OPERATOR_KEYS)
SCREEN_SWITCHES = frozenset({"agenda", "vote", "elections", "speakers"})

ResultHook = Callable[[ScanResult], None]


class PresidiumApp(App[None]):
    # The default screen is not pushed, so Textual does not load its CSS_PATH: list every
    # screen that can be the default (each role's own, and the sign-in) here.
    CSS_PATH = [  # noqa: RUF012 (Textual's own class variable)
        "app.tcss",
        "rollcall.tcss",
        "stations/stations.tcss",
        "vote.tcss",
        "elections/election.tcss",
        "stations/door.tcss",
        "stations/display.tcss",
        "speakers.tcss",
        "signin.tcss",
    ]
    TITLE = "Presidium"
    BINDINGS: ClassVar[list[BindingType]] = [k.binding for k in APP_KEYS]
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
        self.desk = Desk(self, store, station=station, role=role)
        self.role = role
        self.rights = rights(role)
        self.offered = role_keys(role)  # the keys and commands this terminal offers
        self.desk.signed_in = not sign_in
        self.signs_in = sign_in  # a person signs in here with the role's passphrase
        self.sector = sector  # a teller's hall sector (chosen at sign-in when not given)
        self.election_id = election  # the counting room's election, if it was named
        self.home: HomeScreen | None = None  # a role terminal's screen, made at start or signed in
        self.clock_warning = ""  # the computer's date outside the congress's dates
        self._size_watch = SizeWatch(self, self._refocus)
        self._attempts = Attempts()  # wrong passphrases in a row, and the wait they bring
        self.store = store
        self.congress = store.congress
        self.station = station
        self.title = self.congress.name
        self.sub_title = station
        self._on_result = on_result
        self._capture = ScanCapture()
        self._keys = KeyQueue(self._take_key, self._settle_keys)
        self.rollcall = RollCallScreen(self.desk, Mode.ENTRY)
        self.latencies: deque[float] = deque(maxlen=1000)  # Enter -> result on the banner (s)
        self._startup = StartupFreeze()  # (tui/gc_freeze.py)
        self.agenda_screen = AgendaScreen(self.desk)
        self.vote_screen = VoteScreen(self.desk)
        self.election_screen = ElectionScreen(self.desk)
        self.speakers_screen = SpeakersScreen(self.desk)
        over = (self.agenda_screen, self.vote_screen, self.election_screen, self.speakers_screen)
        self.board = Board(self, self.desk, self.rollcall, over)

    def get_default_screen(self) -> Screen[None]:
        # Before signing in, an empty screen under the sign-in: the role's own is made after.
        return self._home() if self.desk.signed_in else Screen(id="before-sign-in")

    def on_mount(self) -> None:
        self._check_clock()
        if self.store.upgraded is not None:  # where the copy from before the upgrade is
            self.notify(self.store.upgraded.line(), severity="information", timeout=60)
        if not self.desk.signed_in:
            self.push_screen(self._sign_in_screen(self.store.operator))

    def on_resize(self, event: events.Resize) -> None:
        self._size_watch.resized(event.size)

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
            self.home = make_home(self.desk, self.offered, self.mode, self.sector, self.election_id)
        return self.home

    def may(self, action: str) -> bool:
        """Whether this terminal may do the app action `action` now."""
        if not self.desk.signed_in and action != "quit":
            return False
        if action in ROLE_TERMINAL_ACTIONS and (self.role is Role.OPERATOR or not self.signs_in):
            return False  # (the operator's desk changes hands by quitting: it holds every right)
        return self.offered.may(f"app.{action}")

    @on(StationReady)
    def _start_station(self, message: StationReady) -> None:
        """A role's home screen is up: read the counts now and whenever the log moves."""
        message.stop()
        self._follow_log()

    @on(RollCallReady)
    def _start(self, message: RollCallReady) -> None:
        message.stop()
        if self.welcome:
            self.push_screen(NoticeScreen(t("tui.welcome.title"), self.welcome), self._refocus)
        self.install_screen(self.agenda_screen, "agenda")
        self.install_screen(self.vote_screen, "vote")
        self.install_screen(self.election_screen, "elections")
        self.install_screen(self.speakers_screen, "speakers")
        self._follow_log()
        every = self.congress.backups.every_minutes
        if every and self.store.url.startswith("sqlite"):
            self.set_interval(every * 60, self.desk.backup_if_changed)

    # ------------------------------------------------------------------ scan capture

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self._keys.key(event)  # (held while an earlier Tab or Enter is handled)
            return
        await super().on_event(event)

    async def _take_key(self, event: events.Key) -> bool:
        """A key in its turn: a scan's Enter goes to the roll call, anything else to Textual.
        True when it ended a scan (it moves no focus: the keys after it need not wait)."""
        sniffed = self._sniff(event)
        if not sniffed.stop:
            await super().on_event(event)
        return sniffed.scan

    @work(group="keys", exclusive=True, exit_on_error=False)
    async def _settle_keys(self) -> None:
        """The keys held behind a Tab, an Enter or a function key go once it is handled."""
        await settled(self)
        self.call_later(self._keys.release)

    def _sniff(self, event: events.Key) -> Sniffed:
        """What the key is (:meth:`ScanCapture.key`); a scan caught here goes to the desk."""
        if not self.desk.signed_in:  # a passphrase typed quickly is not a scan
            return PASS
        try:
            focused = self.focused
        except ScreenStackError:  # keys before the first screen: nothing to sniff
            return PASS
        sniffed = self._capture.key(event, focused)
        if sniffed.code is not None:
            self.post_message(ScanEntered(sniffed.code, event.time))
        return sniffed

    @on(Input.Submitted)
    def _submitted_elsewhere(self, event: Input.Submitted) -> None:
        """A plain Input (not one of ours) submitted text ending with a card code."""
        code = submitted_code(event) if self.desk.signed_in else None
        if code is not None:
            event.stop()
            self.post_message(ScanEntered(code, get_time()))

    @on(ScanEntered)
    def _scan_entered(self, message: ScanEntered) -> None:
        message.stop()
        if not self.desk.signed_in:
            return
        base = next((s for s in reversed(self.screen_stack) if not s.is_modal), None)
        if isinstance(base, SpeakersScreen):  # a card at the speakers' desk: onto its list
            base.card_scanned(message.code)
            return
        if not self.rights.takes_scans:  # the teller, the counting room, the projector
            self.notify(t("roles.no_scans"), title=t("tui.error.title"), severity="warning")
            return
        if not self.desk.connected and self.home is not None:
            self.show(self.board.not_connected())
            return
        self.desk.scan(message.code, self.mode, message.at)

    @property
    def busy(self) -> bool:
        """Writes queued or running, reads running, keys held, or characters not yet in the
        scan field (tests wait for this)."""
        field = self.focused
        typing = isinstance(field, ScanField) and field.typing
        return self.desk.busy or self.board.drawing or self._keys.holding or typing

    # ------------------------------------------------------------------ results on screen

    def show(self, view: ResultView) -> None:
        self.board.show(view)
        self._refocus()

    @on(ScanDone)
    def _scan_done(self, message: ScanDone) -> None:
        view = scan_view(
            message.result,
            self.congress,
            self.store.clock(),
            card_number=message.card_number,
            manual_reason=message.manual_reason,
        )
        self.show(view)
        self.latencies.append(get_time() - message.at)
        if self._on_result is not None:
            self._on_result(message.result)
        self.desk.read_soon()

    @on(ActionDone)
    def _action_done(self, message: ActionDone) -> None:
        self.board.action_done(message.headline, message.detail)
        self._refocus()
        self.desk.read_soon()

    @on(WriteFailed)
    def _write_failed(self, message: WriteFailed) -> None:
        self.board.write_failed(message.text, lost=message.lost)
        self._refocus()

    @on(ConnectionChanged)
    def _connection_changed(self, message: ConnectionChanged) -> None:
        self._set_connected(message.connected)

    def _set_connected(self, connected: bool) -> None:
        """Red and sticky on a role terminal until a read succeeds again."""
        if self.desk.connection(connected):
            self.board.connected(connected)

    # ------------------------------------------------------------------ other terminals

    def _follow_log(self) -> None:
        """Read the counts now and whenever the log moves, and now and then in any case."""
        if not self.desk.started:
            self.desk.start()
            self.set_interval(RETRY_SECONDS, self.desk.backstop)

    @on(LogMoved)
    def _log_moved(self, message: LogMoved) -> None:
        self.desk.log_moved(message.seq)

    @on(FeedLoaded)
    def _feed_loaded(self, message: FeedLoaded) -> None:
        self.board.read_failed("counts", message.error)
        first = self.desk.seen is None
        if self.desk.counts_loaded(message.update) and message.update is not None:
            self.board.counts(message.update)
            if first:
                self._startup.freeze()

    @on(StationLoaded)
    def _station_loaded(self, message: StationLoaded) -> None:
        if message.error:
            self._set_connected(False)
        elif message.started > self.desk.lost_at:  # a read begun before the loss proves nothing
            self._set_connected(True)
        if self.desk.counts_loaded(message.update) and message.update is not None:
            self.board.counts(message.update)

    # ------------------------------------------------------------------ the agenda and the votes

    @on(MeetingLoaded)
    def _meeting_loaded(self, message: MeetingLoaded) -> None:
        self.board.read_failed("meeting", message.error)
        if message.error and self.home is not None:
            self._set_connected(False)
        changed = self.desk.meeting_loaded(message.update)
        if changed is not None and self.board.meeting(changed):
            self.desk.backup()  # a result was just announced: keep a copy that holds it
        if changed is not None:
            self.board.standby_news(changed.before, changed.after)

    @on(WriteAnswered)
    def _write_answered(self, message: WriteAnswered) -> None:
        reply = self.desk.reply(message.ticket)
        if message.error:
            if reply.failed is not None:
                reply.failed(message.error)
                self.bell()
            else:
                self.say(message.error, "red", bells=3)
            return
        if reply.done is not None:
            reply.done(message.result)
        self.desk.read()

    @on(DialogCancelled)
    def _dialog_cancelled(self, message: DialogCancelled) -> None:
        self.say(t("tui.dialog.cancelled", title=message.title))

    def say(self, text: str, colour: str = INFO, bells: int = 0) -> None:
        self.board.say(text, colour, bells, on_rollcall=self._base_is_rollcall())

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
        if action in APP_ACTIONS and not self.may(action):
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

    @on(BackupDone)
    def _backup_done(self, message: BackupDone) -> None:
        self.board.backup_done(message)

    def action_export(self) -> None:
        if self.may("export") and not any(isinstance(s, ExportScreen) for s in self.screen_stack):
            self.push_screen(ExportScreen(self.store, self.desk.folder() / "proceedings"))

    def action_agenda(self) -> None:
        self._go_to(self.agenda_screen)

    def action_vote(self) -> None:
        self._go_to(self.vote_screen)

    def action_elections(self) -> None:
        self._go_to(self.election_screen)

    def action_speakers(self) -> None:
        self._go_to(self.speakers_screen)

    def _meeting_screens(self) -> tuple[Screen[None], ...]:
        return (self.agenda_screen, self.vote_screen, self.election_screen, self.speakers_screen)

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

    def on_unmount(self) -> None:
        self.desk.stop()  # (the app waits for the watcher's thread, which stops at once)
        self._startup.undo()

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
        if self.may("cycle_mode") and (self._on_rollcall() or self._on_door()):
            self.mode = modes[(modes.index(self.mode) + 1) % len(modes)]
            self._refocus()

    def action_help(self) -> None:
        if self.may("help") and not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.offered), self._refocus)

    # ------------------------------------------------------------------ signing in

    @on(SignedIn)
    def _signed_in(self, message: SignedIn) -> None:
        if self.desk.signed_in:  # the answer to a second Enter, after the first signed in
            return
        self.sector = message.sector or self.sector
        self.store.act_as(self.role, message.person)
        self.desk.signed_in = True
        if self.home is not None and self.home.is_attached:  # handed over: back to where it was
            self.pop_screen()
            if self.desk.meeting is not None:  # what waited for the sign-in (a round to count)
                self.home.show_meeting(self.desk.meeting)
        else:
            self.switch_screen(self._home())
        role = signed_in_as(self.role, self.station)
        self.desk.sign_in(t("roles.signin.done", person=message.person, role=role))

    def action_hand_over(self) -> None:
        """The next person signs in at this terminal (a change of shift); it takes nothing
        until they have. A form left open would be theirs: it is closed first."""
        if not self.may("hand_over"):
            return
        if isinstance(self.screen, ModalScreen):  # a form, the help, a question
            self.notify(t("roles.handover.close_first"), severity="warning")
            return
        self.desk.signed_in = False
        self.push_screen(self._sign_in_screen(""))

    def _sign_in_screen(self, person: str) -> SignInScreen:
        sectors = sector_choices(self.congress, self.role, self.sector)
        check = partial(self.store.check_passphrase, self.role)
        return SignInScreen(self.congress.name, self.role, self.station, person, sectors,
                            check=check, attempts=self._attempts)  # fmt: skip

    # ------------------------------------------------------------------ palette and quitting

    def action_command_palette(self) -> None:
        if self.use_command_palette and not any(
            isinstance(screen, CommandPalette) for screen in self.screen_stack
        ):
            self.push_screen(
                CommandPalette(placeholder=t("tui.palette.placeholder"), id="--command-palette")
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        return commands(self, screen)

    def action_bodies(self) -> None:
        """The bodies of the congress and the vote that elected each (tui/bodies.py)."""
        open_bodies_dialog(self.desk, self.push_screen)

    async def action_quit(self) -> None:
        if isinstance(self.screen, ConfirmScreen) and self.screen.id == "quit-confirm":
            self.exit()  # ctrl+q twice
            return
        self.push_screen(quit_question(), self._quit_answered)

    def _quit_answered(self, yes: bool | None) -> None:
        if yes:
            self.exit()
        else:
            self._refocus()

    def action_help_quit(self) -> None:
        self.notify(t("tui.quit.hint"))


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
