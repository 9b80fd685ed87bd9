"""Where what the desk says and reads goes on screen.

A result: the roll call's banner (or a role terminal's), the notice strips of the screens over
the roll call, the bells; and back to "ready" a few seconds later. The counts and the meeting
(the agenda, the votes, the elections): to the screens that show them, redrawn only when what
they show changed (most changes are scans).

The app hands every answer of the desk here (a scan's result, an action done, a refusal, the
database lost or back, a read); the board knows which screens show it and for how long.
"""

from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from textual.markup import escape
from textual.timer import Timer

from db.standby import STANDBY_LOST
from session.i18n import t
from tui.desk import BackupDone, Changed, Desk, Later, after_refresh
from tui.feed import MeetingUpdate
from tui.rollcall import RollCallScreen
from tui.stations.display import DisplayScreen
from tui.stations.door import DoorScreen
from tui.stations.home import HomeScreen
from tui.view import INFO, ResultView, local, ready_view

RESULT_SECONDS = 4.0  # a result stays on the banner this long, then "ready"
BELL_SPACING = 0.15
STANDBY_LOST_SHOWN = 3600  # seconds the warning stays (until the operator has seen and decided)


class OverScreen(Protocol):
    """A screen over the roll call (the agenda, the vote, the elections)."""

    def show_notice(self, view: ResultView) -> None: ...

    def show_meeting(self, meeting: MeetingUpdate) -> None: ...


class BoardHost(Later, Protocol):
    """What the board needs of the app."""

    home: HomeScreen | None

    def bell(self) -> None: ...

    def notify(
        self, message: str, *, title: str = ..., severity: Any = ..., timeout: float | None = ...
    ) -> None: ...


class Board:
    def __init__(
        self,
        app: BoardHost,
        desk: Desk,
        rollcall: RollCallScreen,
        over: tuple[OverScreen, OverScreen, OverScreen, OverScreen],
    ) -> None:
        self.app = app
        self.desk = desk
        self.rollcall = rollcall  # the operator's roll-call screen
        self.over = over  # the agenda, the vote, the elections and the speakers, over the roll call
        self._ready_timer: Timer | None = None
        self._failing: set[str] = set()  # the reads that failed last time (said once)
        self._waiting: list[Any] = []  # counts read, drawn at the screen's next refresh
        self.last_backup: BackupDone | None = None

    @property
    def home(self) -> HomeScreen | None:
        """A role terminal's own screen, once the app has made it (None: the operator's)."""
        return self.app.home

    def show(self, view: ResultView) -> None:
        """A result: on the banner, the notice strips, with its bells."""
        if self.home is None and self.rollcall.is_mounted:
            self.rollcall.show_result(view)
        self._said(view)

    def say(self, text: str, colour: str, bells: int, *, on_rollcall: bool) -> None:
        """A line from a screen (`on_rollcall`: the roll call is under the dialogs, so its
        banner says it too, without keeping it among the recent scans)."""
        view = ResultView(colour, text, time=self.desk.now_text(), bells=bells)
        if self.home is None and on_rollcall:
            self.rollcall.show_result(view, remember=False)
        self._said(view)
        if colour == "red":
            self.app.notify(text, title=t("tui.error.title"), severity="error")

    def action_done(self, headline: str, detail: str) -> None:
        self.show(ResultView(INFO, headline, detail=detail, time=self.desk.now_text()))

    def write_failed(self, text: str, *, lost: bool) -> None:
        # Lost on the way: say it was not stored, in those words, even if the connection is
        # already back by now (a restarted server can be back before this is shown).
        if (lost or not self.desk.connected) and isinstance(self.home, DoorScreen):
            self.show(self.not_connected())
        else:
            self.show(ResultView("red", text, time=self.desk.now_text(), bells=3))
        self.app.notify(text, title=t("tui.error.title"), severity="error")

    def connected(self, connected: bool) -> None:
        """Red and sticky on a role terminal until a read succeeds again."""
        home = self.home
        if home is None or not home.is_mounted:
            return
        home.show_connected(connected)
        if connected and self._ready_timer is None:
            # (A scan refused a moment ago keeps its red answer its full time first.)
            self._notice(ready_view())
        elif isinstance(home, DoorScreen):
            home.show_result(self.not_connected())

    def counts(self, update: Any) -> None:
        """The counts read again (the roll call's feed, or a role terminal's), put on screen
        once the screen has drawn what it had to draw: a scan's result shown a moment before
        reaches the terminal first, not after the tables' redraw (tens of milliseconds at 160
        columns; measured by bench/echo.py)."""
        self._waiting.append(update)
        if len(self._waiting) == 1:
            after_refresh(self.app, self._draw_counts)

    @property
    def drawing(self) -> bool:
        """Counts read and waiting for the screen's next refresh (tests wait for this)."""
        return bool(self._waiting)

    def _draw_counts(self) -> None:
        waiting, self._waiting = self._waiting, []
        for update in waiting:
            self._counts(update)

    def _counts(self, update: Any) -> None:
        if self.home is None:
            self.rollcall.show_feed(update)
        else:
            self.home.show_feed(update)

    def meeting(self, changed: Changed) -> bool:
        """The meeting read again, on the screens it changed; True when a result was just
        announced (a published vote, an announced election round)."""
        before, update = changed.before, changed.after
        if self.home is not None:
            if before is None or (
                before.agenda,
                before.book,
                before.elections,
                before.speakers,
            ) != (update.agenda, update.book, update.elections, update.speakers):
                self.home.show_meeting(update)
            elif isinstance(self.home, DisplayScreen):  # only scans: the head's hash moved
                self.home.show_anchor(update)
            return False
        agenda, vote, election, speakers = self.over
        if before is None or (before.agenda, before.speakers) != (update.agenda, update.speakers):
            speakers.show_meeting(update)
        if before is None or before.agenda != update.agenda or before.book != update.book:
            self.rollcall.show_meeting(update)
            agenda.show_meeting(update)
            vote.show_meeting(update)
        if before is None or (before.elections, before.book, before.agenda) != (
            update.elections,
            update.book,
            update.agenda,
        ):  # (the agenda too: the running item's line, and which election is at hand)
            election.show_meeting(update)
        return before is not None and results_of(update) > results_of(before)

    def standby_news(self, before: MeetingUpdate | None, after: MeetingUpdate) -> None:
        """The operator is told when the standby is lost (the congress goes on on the primary
        alone: theirs to decide whether to go on without one) and when it is back."""
        news = after.standby
        if self.home is not None or news is None or news == (before and before.standby):
            return
        text, lost = standby_notice(news, self.desk.congress.zone)
        timeout = STANDBY_LOST_SHOWN if lost else STANDBY_LOST_SHOWN / 60
        self.app.notify(text, severity="error" if lost else "information", timeout=timeout)

    def read_failed(self, read: str, error: str) -> None:
        """Say once that a read (`read`: the counts, the meeting) failed, until it succeeds."""
        if error and read not in self._failing:
            self.app.notify(
                t("tui.error.feed", detail=error), severity="error", title=t("tui.error.title")
            )
        if error:
            self._failing.add(read)
        else:
            self._failing.discard(read)

    def backup_done(self, backup: BackupDone) -> None:
        """A rolling backup written, or not, beside the file and in each second place: a failure
        is said once (and stays a minute), until that place is written again, which is said."""
        before = self.last_backup
        self.last_backup = backup

        def said(failed_before: bool, path: object, failed: str, back: str) -> None:
            if path is None and not failed_before:
                text = escape(failed)
                self.app.notify(text, severity="error", title=t("tui.error.title"), timeout=60)
            elif path is not None and failed_before:
                self.app.notify(escape(back), severity="information")

        said(
            before is not None and before.path is None,
            backup.path,
            t("tui.backup.failed", detail=backup.error),
            t("tui.backup.back", path=backup.path),
        )
        for copy in backup.copies:
            earlier = [c for c in before.copies if c.folder == copy.folder] if before else []
            said(
                any(c.path is None for c in earlier),
                copy.path,
                t("tui.backup.copy_failed", folder=copy.folder, detail=copy.error),
                t("tui.backup.copy_back", folder=copy.folder, path=copy.path),
            )

    def not_connected(self) -> ResultView:
        return ResultView(
            "red",
            t("roles.not_connected.scan"),
            detail=t("roles.not_connected.detail"),
            time=self.desk.now_text(),
            bells=3,
        )

    def _said(self, view: ResultView) -> None:
        self._notice(view)
        self._ring(view.bells)
        if self._ready_timer is not None:
            self._ready_timer.stop()
        self._ready_timer = self.app.set_timer(RESULT_SECONDS, self._back_to_ready)

    def _ring(self, times: int) -> None:
        for i in range(times):
            if i == 0:
                self.app.bell()
            else:
                self.app.set_timer(BELL_SPACING * i, self.app.bell)

    def _notice(self, view: ResultView) -> None:
        if self.home is not None:
            if self.home.is_mounted:
                self.home.show_result(view)
            return
        for screen in self.over:
            screen.show_notice(view)

    def _back_to_ready(self) -> None:
        self._ready_timer = None
        if self.home is None and self.rollcall.is_attached:
            self.rollcall.show_result(ready_view(), remember=False)
        elif self.home is None or not self.home.is_attached:  # the app is closing
            return
        if not self.desk.connected and isinstance(self.home, DoorScreen):
            return  # the door keeps saying it cannot take scans
        self._notice(ready_view())


def standby_notice(news: tuple[str, str], zone: ZoneInfo) -> tuple[str, bool]:
    """What the operator is told of the log's latest word on the standby: (the text, whether
    it is the warning that the congress goes on on the primary alone)."""
    kind, at = news
    when = local(datetime.fromisoformat(at), zone).strftime("%H:%M:%S")
    if kind == STANDBY_LOST:
        return t("standby.warning.lost", at=when), True
    return t("standby.warning.attached", at=when), False


def results_of(meeting: MeetingUpdate) -> int:
    """How many results have been announced: published votes and announced election rounds."""
    votes = sum(1 for v in meeting.book.votes if v.published_at is not None)
    rounds = sum(
        1 for e in meeting.elections.elections for r in e.rounds if r.announced_at is not None
    )
    return votes + rounds
