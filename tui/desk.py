"""The desk: a terminal's one link to the Store.

It owns the write queue, the watcher and the readers; the app keeps the screens, the keys, the
palette and the sign-in. Every Store call runs in a thread worker:

- **writes** (scans, manual entries, corrections, agenda, vote and election changes...) go
  through one FIFO queue, so results appear in the order they were asked for;
- **reads**: a :class:`~db.watch.Watcher` (SQLite's change counter, PostgreSQL's LISTEN/NOTIFY)
  wakes the desk within about 50 ms of any terminal's commit, and it reads the counts again (the
  operator's feed, or a role terminal's station counts), then the agenda, the votes and the
  elections when the log moved. A slow poll stays as a backstop.

Workers post the typed messages declared here (data only) to the app, which puts them on screen
and hands them back to the desk's bookkeeping (:meth:`Desk.feed_loaded`...). A screen's write
waits for its answer by ticket: what the screen wants done with it stays in the desk's table on
the UI thread, and the reply message carries only the ticket, the result and the refusal.
"""

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from textual._time import get_time
from textual.message import Message
from textual.message_pump import MessagePump
from textual.timer import Timer
from textual.worker import Worker

from db.errors import lost_connection
from db.store import AttendanceEntry, DelegateInfo, ScanResult, Store, StoreError
from db.watch import Watcher
from session.congress import Congress
from session.i18n import Refusal, t
from session.quorum import Status
from session.roles import Role
from session.rollcall import Mode, Reason
from tui.backups import BackupDone as BackupDone  # (the app and the board take it from here)
from tui.backups import take_backup
from tui.feed import FeedUpdate, MeetingUpdate, read_feed, read_meeting
from tui.station_feed import StationLoaded, read_station
from tui.view import ResultView, clock_text, who_line

POLL_SECONDS = 3.0  # a backstop: the watcher wakes the feed as soon as the log moves
RETRY_SECONDS = 0.5  # how often a terminal that lost the database tries to read again
WATCH_SECONDS = 0.5  # the watcher's longest wait before it checks whether it should stop
SOON_AT_LATEST = 0.1  # s: what waits for the screen's next refresh waits no longer than this

Job = Callable[[], Message]
Done = Callable[[Any], None]
Failed = Callable[[str], None]


class Later(Protocol):
    def call_after_refresh(self, callback: Callable[..., Any], *args: Any) -> bool: ...

    def set_timer(self, delay: float, callback: Callable[[], Any]) -> Timer: ...


def after_refresh(host: Later, callback: Callable[[], None]) -> None:
    """`callback` once the current screen has drawn what it has, or after SOON_AT_LATEST if
    that screen is covered first (its callbacks wait until it is on top again). It may be
    called twice: it must do nothing the second time."""
    host.call_after_refresh(callback)
    host.set_timer(SOON_AT_LATEST, callback)


class Host(Later, Protocol):
    """What the desk needs of the app: to post to it, run workers, and say things on screen."""

    def post_message(self, message: Message) -> bool: ...

    def run_worker(self, work: Callable[[], Any], **options: Any) -> Worker[Any]: ...

    def say(self, text: str, colour: str = ..., bells: int = ...) -> None: ...

    def show(self, view: ResultView) -> None: ...

    def back_to_rollcall(self) -> None: ...

    def vote_announced(self, vote: str) -> None: ...


# ---------------------------------------------------------------------- what the workers post


class ScanDone(Message):
    """The Store's answer to a scan or a manual check-in; `at`: when its Enter came."""

    def __init__(
        self,
        result: ScanResult,
        at: float,
        *,
        card_number: int | None = None,
        manual_reason: str | None = None,
    ) -> None:
        super().__init__()
        self.result = result
        self.at = at
        self.card_number = card_number
        self.manual_reason = manual_reason


class ActionDone(Message):
    """A correction, absence or other operator action went through; it says what happened."""

    def __init__(self, headline: str, detail: str = "") -> None:
        super().__init__()
        self.headline = headline
        self.detail = detail


class WriteFailed(Message):
    """The Store refused or failed; `text` is already translated; `lost`: because the database
    was out of reach (so nothing was stored)."""

    def __init__(self, text: str, *, lost: bool = False) -> None:
        super().__init__()
        self.text = text
        self.lost = lost


class WriteAnswered(Message):
    """The Store's answer to a screen's write (`ticket`): its result, or why it was refused."""

    def __init__(self, ticket: int, result: Any, error: str) -> None:
        super().__init__()
        self.ticket = ticket
        self.result = result
        self.error = error


class CardReissued(Message):
    def __init__(self, number: int, code: str, delegate: DelegateInfo | None) -> None:
        super().__init__()
        self.number = number
        self.code = code
        self.delegate = delegate


class SheetWritten(Message):
    """The one-card sheet of a reissued card: its path, or why it could not be written."""

    def __init__(self, number: int, path: Path | None, error: str = "") -> None:
        super().__init__()
        self.number = number
        self.path = path
        self.error = error


class FeedLoaded(Message):
    """Fresh counts (and the delegates that changed) after a change by any terminal."""

    def __init__(self, update: FeedUpdate | None, error: str = "") -> None:
        super().__init__()
        self.update = update
        self.error = error


class MeetingLoaded(Message):
    """The agenda, the votes and the elections, read again after a change by any terminal."""

    def __init__(self, update: MeetingUpdate | None, error: str = "") -> None:
        super().__init__()
        self.update = update
        self.error = error


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


@dataclass(frozen=True)
class Reply:
    """What the screen that asked wants done with a write's answer (kept on the UI thread)."""

    done: Done | None
    failed: Failed | None


@dataclass(frozen=True)
class Changed:
    """The meeting as it stood before a read (None: the first read) and after it."""

    before: MeetingUpdate | None
    after: MeetingUpdate


def unexpected(exc: BaseException) -> str:
    return t("tui.error.unexpected", detail=f"{type(exc).__name__}: {exc}")


class Desk:
    """The Store, the write queue and the readers of one terminal (see the module's text)."""

    def __init__(self, host: Host, store: Store, *, station: str, role: Role) -> None:
        self.host = host
        self.store = store
        self.congress: Congress = store.congress
        self.station = station
        self.role = role
        self.signed_in = True  # False before a person signs in, and while a terminal is handed over
        self.connected = True  # the last read or write reached the database
        self.present = 0  # voting delegates in the hall, as last read (0 before the first read)
        self.meeting: MeetingUpdate | None = None  # the agenda and votes as last read
        self.seen: int | None = None  # the last event the counts on screen hold
        self.started = False  # a screen is up to show what is read
        self.lost_at = 0.0  # when it was last found out of reach (time.monotonic())
        self.backed_up_at: int | None = None  # the last event the latest backup holds
        self._jobs: deque[tuple[Job, Host | MessagePump]] = deque()
        self._write_lock = threading.Lock()
        self._replies: dict[int, Reply] = {}
        self._tickets = itertools.count(1)
        self._feed_busy = self._feed_again = False
        self._read_soon = False  # a read asked for once the screen is drawn
        self._fed_at = 0.0  # when the last feed read began (time.monotonic())
        self._meeting_busy = self._meeting_again = False
        self._watching = threading.Event()  # cleared when the app closes: the watcher stops
        self._watcher: Watcher | None = None

    @property
    def guarded(self) -> bool:
        """A role terminal takes nothing while the database is out of reach (the operator's
        desk queues it and says what the Store answers)."""
        return self.role is not Role.OPERATOR and not self.connected

    @property
    def busy(self) -> bool:
        """Writes queued or running, or reads running (tests wait for this to clear)."""
        return (
            bool(self._jobs)
            or self._write_lock.locked()
            or self._read_soon
            or self._feed_busy
            or self._meeting_busy
        )

    # ------------------------------------------------------------------ what the screens say

    def say(self, text: str, colour: str = "info", bells: int = 0) -> None:
        """A line on the notice strip of the screen in front (like a scan's result)."""
        self.host.say(text, colour, bells)

    def show(self, view: ResultView) -> None:
        """A result on the banner (the roll call's, a door's) and the notice strips."""
        self.host.show(view)

    def now_text(self) -> str:
        """The time now, as results show it."""
        return clock_text(self.store.clock(), self.congress.zone)

    def back_to_rollcall(self) -> None:
        self.host.back_to_rollcall()

    def vote_announced(self, vote: str) -> None:
        """A vote was announced at this terminal (the election that asked for it goes on)."""
        self.host.vote_announced(vote)

    # ------------------------------------------------------------------ the write queue

    def write(
        self, call: Callable[[], Any], done: Done | None = None, failed: Failed | None = None
    ) -> None:
        """Run `call` on the write queue; `done(result)` or `failed(text)` on the UI thread.

        Without `failed`, a refusal is said on the screen (red, with bells).
        """
        if self.guarded:  # nothing is taken until it is back
            text = t("roles.not_connected.write")
            if failed is not None:
                failed(text)
            else:
                self.say(text, "red", bells=3)
            return
        ticket = next(self._tickets)
        self._replies[ticket] = Reply(done, failed)

        def job() -> Message:
            try:
                return WriteAnswered(ticket, call(), "")
            except Refusal as exc:  # the Store's, the agenda's or a vote's: said as it is
                self._lost_if(exc)
                return WriteAnswered(ticket, None, str(exc))
            except Exception as exc:  # said in the form or on the screen; nothing else breaks
                self._lost_if(exc)
                return WriteAnswered(ticket, None, unexpected(exc))

        self._enqueue(job)

    def reply(self, ticket: int) -> Reply:
        """What waits for the answer `ticket` (taken: each answer comes once)."""
        return self._replies.pop(ticket, Reply(None, None))

    def scan(self, code: str, mode: Mode, at: float) -> None:
        store, station = self.store, self.station

        def job() -> Message:
            result = store.scan(code, mode, station)
            unknown = result.decision.reason is Reason.UNKNOWN_NUMBER
            return ScanDone(result, at, card_number=result.number if unknown else None)

        self._enqueue(job)

    def manual(self, number: int, mode: Mode, reason: str) -> None:
        store, station, at = self.store, self.station, get_time()

        def job() -> Message:
            return ScanDone(store.manual(number, mode, station, reason), at, manual_reason=reason)

        self._enqueue(job)

    def correct(self, entry_id: int, reason: str) -> None:
        store, station = self.store, self.station

        def job() -> Message:
            done = store.correct(entry_id, reason, station)
            action = t(f"tui.action.{done.action.value}")
            headline = t("tui.correct.done", id=entry_id, name=done.full_name, action=action)
            return ActionDone(headline, t("tui.result.manual", reason=reason))

        self._enqueue(job)

    def recent_entries(self, count: int, number: int | None) -> list[AttendanceEntry]:
        """The latest roll-call entries (of one delegate), offered for correction."""
        return self.store.attendance_log(count, number=number)

    def set_status(self, number: int, status: Status, reason: str) -> None:
        store = self.store

        def job() -> Message:
            d = store.set_status(number, status, reason)
            text = t("tui.absence.done", who=who_line(d), status=t(f"status.{d.status.value}"))
            return ActionDone(text, t("tui.result.manual", reason=reason))

        self._enqueue(job)

    def reissue(self, number: int, reason: str, *, to: MessagePump) -> None:
        """A new card for `number` (the old one revoked): `to` is told its code."""
        store = self.store

        def job() -> Message:
            code = store.reissue_card(number, reason)
            return CardReissued(number, code, store.delegate(number))

        self._enqueue(job, to)

    def sign_in(self, done: str) -> None:
        """Record that a person signed in at this terminal; `done` says so once stored."""
        store, station = self.store, self.station

        def job() -> Message:
            store.sign_in(station)
            return ActionDone(done)

        self._enqueue(job)

    def _enqueue(self, job: Job, to: MessagePump | None = None) -> None:
        """`job` on the queue; its answer goes to `to` (by default the app)."""
        self._jobs.append((job, to or self.host))
        self.host.run_worker(
            self._write_worker, thread=True, group="store-write", exit_on_error=False
        )

    def _write_worker(self) -> None:
        # One worker per job; the lock and the shared queue keep them in submission order.
        with self._write_lock:
            job, to = self._jobs.popleft()
            try:
                to.post_message(job())
                return
            except Exception as exc:  # shown on the banner; the roll call goes on
                text = str(exc) if isinstance(exc, StoreError) else unexpected(exc)
                self._lost_if(exc)
                self.host.post_message(WriteFailed(text, lost=lost_connection(exc)))

    def _lost_if(self, exc: BaseException) -> None:
        """From a worker: say the database is out of reach, when that is what `exc` means."""
        if lost_connection(exc):
            self.host.post_message(ConnectionChanged(False))

    def connection(self, connected: bool) -> bool:
        """Note whether the database is in reach; True when that changed."""
        if connected == self.connected:
            return False
        self.connected = connected
        if not connected:
            self.lost_at = time.monotonic()
        return True

    # ------------------------------------------------------------------ following the log

    def start(self) -> None:
        """A screen is up: read now, and whenever the log moves (or every POLL_SECONDS)."""
        if self.started:
            return
        self.started = True
        self.read()
        self._watching.set()
        # (tui.testing.STANDING_GROUPS: tests do not wait for this one to end)
        self.host.run_worker(self._watch_worker, thread=True, group="watch", exit_on_error=False)

    def backstop(self) -> None:
        """Read again now and then in case a wake-up was lost; often while the database is away."""
        if not self.connected or time.monotonic() - self._fed_at >= POLL_SECONDS:
            self.read()

    def stop(self) -> None:
        """The app closes: the watcher's thread stops at once and closes its connection."""
        self._watching.clear()
        if self._watcher is not None:
            self._watcher.stop()

    def _watch_worker(self) -> None:
        # Made here, not on the event loop: its first read may wait for an unreachable server.
        watcher = self._watcher = Watcher(self.store.url, seen=-1)  # -1: report the first seq
        connected = watcher.connected
        try:
            while self._watching.is_set():
                seq = watcher.wait(WATCH_SECONDS)
                if seq is not None or watcher.connected != connected:
                    connected = watcher.connected
                    self.host.post_message(LogMoved(seq))
        finally:
            watcher.close()

    def log_moved(self, seq: int | None) -> None:
        if seq is not None and self.seen is not None and seq < self.seen:
            # The log went back (a restored backup): read everything again.
            self.seen = None
            self.meeting = None
        self.read_soon()

    def read_soon(self) -> None:
        """Read the counts again once the screen has drawn what it has: a scan's result just
        shown reaches the terminal first, not behind a read that holds the interpreter (the
        first frame after a scan: bench/echo.py)."""
        if not self._read_soon:
            self._read_soon = True
            after_refresh(self.host, self._read_now)

    def _read_now(self) -> None:
        if self._read_soon:
            self._read_soon = False
            self.read()

    def read(self) -> None:
        """Read the counts again (once more after the read under way, if one is)."""
        if not self.started:  # nothing is on screen to show it yet
            return
        if self._feed_busy:
            self._feed_again = True
            return
        self._feed_busy = True
        self._fed_at = time.monotonic()
        worker = self._feed_worker if self.role is Role.OPERATOR else self._station_worker
        self.host.run_worker(worker, thread=True, group="feed", exit_on_error=False)

    def _feed_worker(self) -> None:
        try:
            update = read_feed(self.store, self.seen)
        except Exception as exc:  # said once on screen; the next poll tries again
            self.host.post_message(FeedLoaded(None, f"{type(exc).__name__}: {exc}"))
            return
        self.host.post_message(FeedLoaded(update))

    def _station_worker(self) -> None:
        door = self.station if self.role is Role.DOOR else None
        started = time.monotonic()
        try:
            update = read_station(self.store, self.seen, door)
        except Exception as exc:  # the terminal shows "not connected" until a read succeeds
            error = f"{type(exc).__name__}: {exc}"
            self.host.post_message(StationLoaded(None, started, error))
            return
        self.host.post_message(StationLoaded(update, started))

    def counts_loaded(self, update: FeedUpdate | None) -> bool:
        """A read of the counts came back; True when `update` is news to show.

        Reads the agenda again when the log moved, and the counts again when asked meanwhile.
        """
        self._feed_busy = False
        newer = update is not None and (self.seen is None or update.seq >= self.seen)
        if update is not None and newer:
            self.seen = update.seq
            self.present = update.snapshot.verdict.attendance.present
        # A door shows no agenda; the others read it again when the log moved.
        if self.role is not Role.DOOR and (update is not None or self.meeting is None):
            self._read_meeting()
        if self._feed_again:
            self._feed_again = False
            self.read()
        return newer

    def _read_meeting(self) -> None:
        if self._meeting_busy:
            self._meeting_again = True
            return
        self._meeting_busy = True
        self.host.run_worker(
            self._meeting_worker, thread=True, group="meeting", exit_on_error=False
        )

    def _meeting_worker(self) -> None:
        try:
            update = read_meeting(self.store, self.meeting)
        except Exception as exc:  # said once on screen; the next change tries again
            self.host.post_message(MeetingLoaded(None, f"{type(exc).__name__}: {exc}"))
            return
        self.host.post_message(MeetingLoaded(update))

    def meeting_loaded(self, update: MeetingUpdate | None) -> Changed | None:
        """A read of the agenda came back: what changed, when `update` is news (it is then
        :attr:`meeting`); None otherwise. Reads again when asked meanwhile."""
        self._meeting_busy = False
        if self._meeting_again:
            self._meeting_again = False
            self._read_meeting()
        if update is None or (self.meeting is not None and update.seq < self.meeting.seq):
            return None
        before, self.meeting = self.meeting, update
        return Changed(before, update)

    # ------------------------------------------------------------------ files beside the congress

    def folder(self) -> Path:
        """Next to the database file; the current directory for a database server."""
        url = self.store.url
        if url.startswith("sqlite:///"):
            return Path(url.removeprefix("sqlite:///")).parent
        return Path.cwd()

    def backup_if_changed(self) -> None:
        if self.seen is not None and self.seen != self.backed_up_at:
            self.backup()

    def backup(self) -> None:
        """A rolling copy of an SQLite congress file next to it ([backups] in the congress file);
        a database server is backed up with its own tools."""
        if self.store.url.startswith("sqlite"):
            self.host.run_worker(
                self._backup_worker,
                thread=True,
                group="backup",
                exclusive=True,
                exit_on_error=False,
            )

    def _backup_worker(self) -> None:
        """Beside the file and in every second place (tui/backups.py); until all are written,
        the interval tries again even if nothing changed."""
        done, seq = take_backup(self.store, self.folder(), self.congress.backups)
        if done.complete:
            self.backed_up_at = seq
        self.host.post_message(done)

    def write_sheet(self, number: int, issue: int, *, to: MessagePump) -> None:
        """The one-card sheet of a reissued card, beside the congress file; `to` is told where."""

        def work() -> None:
            path = self.folder() / f"card-{number:05d}-{issue:02d}.pdf"
            try:
                from printouts.cards import card_data, write_cards

                write_cards(path, self.congress, card_data(self.store, numbers=[number]))
            except Exception as exc:  # the card is reissued anyway; say why the sheet is missing
                error = f"{type(exc).__name__}: {exc}"
                to.post_message(SheetWritten(number, None, error))
                return
            to.post_message(SheetWritten(number, path))

        self.host.run_worker(work, thread=True, group="sheet", exit_on_error=False)
