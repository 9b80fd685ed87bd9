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
workers post Messages and never touch widgets. Other terminals' changes are picked up by polling
``last_seq()``; the agenda and the votes are read again only when it moved.

Screens: the roll call (the default screen), the agenda (F7) and the vote (F8), pushed over the
roll call and kept installed, so the roll call keeps taking scans underneath. Every screen shows
the running agenda item and its timing on a status line; the agenda and vote screens show the
last scan's result on a notice line.
"""

import gc
import threading
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
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from db.store import AttendanceEntry, ScanResult, Store, StoreError
from session.i18n import Refusal, t
from session.rollcall import Mode, Reason
from session.scanner import BurstDetector, split_trailing_code
from tui.agenda import AgendaScreen
from tui.election import ElectionScreen
from tui.export import ExportScreen
from tui.feed import MeetingUpdate, read_feed, read_meeting
from tui.help import HelpScreen
from tui.keys import (
    AGENDA_KEYS,
    ELECTION_KEYS,
    OPERATOR_KEYS,
    ROLLCALL_ACTIONS,
    VOTE_KEYS,
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
    ConfirmScreen,
    CorrectionRequest,
    CorrectionScreen,
    ManualCheckInScreen,
    ManualRequest,
    NewCardScreen,
    ReissueRequest,
    ReissueScreen,
)
from tui.rollcall import RollCallReady, RollCallScreen
from tui.view import INFO, ResultView, clock_text, ready_view, scan_view, who_line
from tui.vote import VoteScreen
from tui.widgets.scan_input import ENTER_KEYS, ScanAwareInput

RESULT_SECONDS = 4.0  # a result stays on the banner this long, then "ready"
POLL_SECONDS = 0.75  # how often to look for other terminals' changes
BELL_SPACING = 0.15
RECENT_ENTRIES = 30  # entries offered for correction
MODES = (Mode.ENTRY, Mode.EXIT, Mode.VOTING_CHECK)

Job = Callable[[], Message]
ResultHook = Callable[[ScanResult], None]


def results_of(meeting: MeetingUpdate) -> int:
    """How many results have been announced: published votes and announced election rounds."""
    votes = sum(1 for v in meeting.book.votes if v.published_at is not None)
    rounds = sum(
        1 for e in meeting.elections.elections for r in e.rounds if r.announced_at is not None
    )
    return votes + rounds


class PresidiumApp(App[None]):
    # The default screen is not pushed, so Textual does not load its CSS_PATH: list it here.
    CSS_PATH = ["app.tcss", "rollcall.tcss"]  # noqa: RUF012 (Textual's own class variable)
    TITLE = "Presidium"
    BINDINGS: ClassVar[list[BindingType]] = [k.binding for k in OPERATOR_KEYS]

    mode: reactive[Mode] = reactive(Mode.ENTRY, init=False)

    def __init__(self, store: Store, *, station: str, on_result: ResultHook | None = None) -> None:
        super().__init__()
        self._bindings = translated(self._bindings)
        self.store = store
        self.congress = store.congress
        self.station = station
        self.title = self.congress.name
        self.sub_title = station
        self._on_result = on_result
        self._burst = BurstDetector()
        self._jobs: deque[Job] = deque()
        self._write_lock = threading.Lock()
        self._seen: int | None = None
        self._feed_busy = False
        self._feed_again = False
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

    def get_default_screen(self) -> Screen[None]:
        return self.rollcall

    @on(RollCallReady)
    def _start(self, message: RollCallReady) -> None:
        message.stop()
        self.install_screen(self.agenda_screen, "agenda")
        self.install_screen(self.vote_screen, "vote")
        self.install_screen(self.election_screen, "elections")
        self._request_feed()
        self.set_interval(POLL_SECONDS, self._request_feed)
        every = self.congress.backups.every_minutes
        if every and self.store.url.startswith("sqlite"):
            self.set_interval(every * 60, self._backup_if_changed)

    # ------------------------------------------------------------------ scan capture

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self._sniffed(event):
            return
        await super().on_event(event)

    def _sniffed(self, event: events.Key) -> bool:
        """Feed the burst detector; True when the key must go no further.

        That is an Enter ending a scan while no scan-aware field has focus, or a control
        character inside a burst (a scanner's garbage must never quit or open the palette).
        """
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
        if isinstance(event.input, ScanAwareInput):
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
                message = WriteFailed(str(exc))
            except Exception as exc:  # shown on the banner; the roll call goes on
                message = WriteFailed(
                    t("tui.error.unexpected", detail=f"{type(exc).__name__}: {exc}")
                )
            self.post_message(message)

    @property
    def busy(self) -> bool:
        """Writes still queued or running (tests wait for this to clear)."""
        return (
            bool(self._jobs) or self._write_lock.locked() or self._feed_busy or self._meeting_busy
        )

    # ------------------------------------------------------------------ results on screen

    def _show(self, view: ResultView) -> None:
        self.rollcall.show_result(view)
        self._notice(view)
        self._ring(view.bells)
        if self._ready_timer is not None:
            self._ready_timer.stop()
        self._ready_timer = self.set_timer(RESULT_SECONDS, self._back_to_ready)
        if self.screen is self.rollcall:
            self.rollcall.focus_scan()

    def _ring(self, times: int) -> None:
        for i in range(times):
            if i == 0:
                self.bell()
            else:
                self.set_timer(BELL_SPACING * i, self.bell)

    def _notice(self, view: ResultView) -> None:
        self.agenda_screen.show_notice(view)
        self.vote_screen.show_notice(view)
        self.election_screen.show_notice(view)

    def _back_to_ready(self) -> None:
        self._ready_timer = None
        if not self.rollcall.is_attached:  # the app is closing
            return
        self.rollcall.show_result(ready_view(), remember=False)
        self._notice(ready_view())

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
        self._show(ResultView("red", message.text, time=self._now_text(), bells=3))
        self.notify(message.text, title=t("tui.error.title"), severity="error")

    # ------------------------------------------------------------------ other terminals

    def _request_feed(self) -> None:
        if self._feed_busy:
            self._feed_again = True
            return
        self._feed_busy = True
        self._feed_worker(self._seen)

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
            self.rollcall.show_feed(update)
            if first:
                self._freeze_startup_objects()
        if update is not None or self.meeting is None:
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
        self._meeting_worker(self.meeting.seq if self.meeting is not None else None)

    @work(thread=True, group="meeting", exit_on_error=False)
    def _meeting_worker(self, seen: int | None) -> None:
        try:
            update = read_meeting(self.store, seen)
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
        update = message.update
        if update is not None and (self.meeting is None or update.seq >= self.meeting.seq):
            before, self.meeting = self.meeting, update
            if before is None or before.agenda != update.agenda or before.book != update.book:
                # Most changes are scans: the screens are redrawn only when these changed.
                self.rollcall.show_meeting(update)
                self.agenda_screen.show_meeting(update)
                self.vote_screen.show_meeting(update)
            if before is None or before.elections != update.elections or before.book != update.book:
                self.election_screen.show_meeting(update)
            if before is not None and results_of(update) > results_of(before):
                self.backup()  # a result was just announced: keep a copy that holds it
        if self._meeting_again:
            self._meeting_again = False
            self._request_meeting()

    def write(
        self,
        call: Callable[[], Any],
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> None:
        """An agenda or vote change on the write queue (see :class:`tui.desk.Desk`)."""

        def job() -> Message:
            try:
                result = call()
            except Refusal as exc:  # the Store's, the agenda's or a vote's: said as it is
                return MeetingReply(None, str(exc), done, failed)
            except Exception as exc:  # said in the form or on the screen; nothing else breaks
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

    def say(self, text: str, colour: str = INFO, bells: int = 0) -> None:
        view = ResultView(colour, text, time=self._now_text(), bells=bells)
        self._notice(view)
        self._ring(bells)
        if self._ready_timer is not None:
            self._ready_timer.stop()
        self._ready_timer = self.set_timer(RESULT_SECONDS, self._back_to_ready)
        if colour == "red":
            self.notify(text, title=t("tui.error.title"), severity="error")

    # ------------------------------------------------------------------ screens

    def _base_screen(self) -> Screen[Any]:
        """The screen under any dialogs."""
        return next(s for s in reversed(self.screen_stack) if not s.is_modal)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ROLLCALL_ACTIONS:
            try:
                return self._base_screen() is self.rollcall
            except (ScreenStackError, StopIteration):
                return True
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
        if not any(isinstance(s, ExportScreen) for s in self.screen_stack):
            self.push_screen(ExportScreen(self.store, self.sheet_folder() / "proceedings"))

    def action_agenda(self) -> None:
        self._go_to(self.agenda_screen)

    def action_vote(self) -> None:
        self._go_to(self.vote_screen)

    def action_elections(self) -> None:
        self._go_to(self.election_screen)

    def _meeting_screens(self) -> tuple[Screen[None], ...]:
        return (self.agenda_screen, self.vote_screen, self.election_screen)

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
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    # ------------------------------------------------------------------ operator actions

    def _on_rollcall(self) -> bool:
        return self.screen is self.rollcall

    def _refocus(self, _result: object = None) -> None:
        if self._on_rollcall():
            self.rollcall.focus_scan()

    def watch_mode(self, mode: Mode) -> None:
        self.rollcall.show_mode(mode)

    def action_cycle_mode(self) -> None:
        if self._on_rollcall():
            self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
            self._refocus()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(), self._refocus)

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
        self._refocus()
        if request is None:
            return
        entry = request.entry
        question = t(
            "tui.correct.question",
            id=entry.id,
            name=entry.full_name,
            action=t(f"tui.action.{entry.action.value}"),
        )
        self.push_screen(
            ConfirmScreen(
                question, t("tui.correct.warning", reason=request.reason), t("tui.correct.confirm")
            ),
            lambda yes: self._correction_confirmed(request, bool(yes)),
        )

    def _correction_confirmed(self, request: CorrectionRequest, yes: bool) -> None:
        self._refocus()
        if not yes:
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
        self._refocus()
        if request is None:
            return
        self.push_screen(
            ConfirmScreen(
                t("tui.reissue.question", who=who_line(request.delegate)),
                t("tui.reissue.warning"),
                t("tui.reissue.confirm"),
            ),
            lambda yes: self._reissue_confirmed(request, bool(yes)),
        )

    def _reissue_confirmed(self, request: ReissueRequest, yes: bool) -> None:
        self._refocus()
        if not yes:
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
        operator = screen is self.rollcall or screen in self._meeting_screens()
        for k in OPERATOR_KEYS:
            if k.action == "command_palette" or (not operator and k.action != "quit"):
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
        own = {
            self.agenda_screen: AGENDA_KEYS,
            self.vote_screen: VOTE_KEYS,
            self.election_screen: ELECTION_KEYS,
        }.get(screen, ())
        if own:
            seen = set()
            for k in own:
                if k.action in seen:
                    continue
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


def make_app(
    store: Store, *, station: str | None = None, on_result: ResultHook | None = None
) -> PresidiumApp:
    """The operator's app for `store` at `station` (default: the congress's first station).

    `on_result` is called on the UI thread right after a scan's result is on the banner.
    """
    return PresidiumApp(store, station=station or store.congress.stations[0], on_result=on_result)
