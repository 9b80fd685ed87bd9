"""The projector: what the hall needs to see, readable from the back, and nothing to press.

Big digits for the clock and those present; the running agenda item; the quorum verdict with its
arithmetic; the vote being taken (its state, not its partial counts: the presidium announces the
numbers); the results announced; and who has been elected. A secret nomination ballot's results
are for the presidium only (domain rules 4): they never appear here. While a discussion runs, its
speaker with a large countdown and the next speakers (tui.stations.display_speakers) take the
vote's place, or, while a vote is being taken, the results' row.

The screen has no field, button or key of its own: a card scanned at the projector is refused by
the app (the display role takes no scans), and its Store appends nothing at all.
"""

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Static

from session.agenda import AgendaState
from session.audit import ANCHOR_DIGITS
from session.congress import Congress
from session.elections import Election, ElectionBook, outcome
from session.i18n import number, t
from session.quorum import QuorumVerdict, explain
from session.results import Purpose
from session.votes import SectorStatus, Vote, VoteBook, VoteStatus
from tui.feed import MeetingUpdate
from tui.meeting_view import now_line, verdict_badge, verdict_text
from tui.station_feed import StationUpdate
from tui.stations.display_speakers import SpeakersPanel
from tui.stations.terminal import ConnectionBanner, StationReady
from tui.view import ResultView, local
from tui.widgets.meeting import LEVELS

RESULTS_SHOWN = 4  # the latest announced votes
TAKING = (VoteStatus.OPEN, VoteStatus.COUNTING)


# ---------------------------------------------------------------- what it says, as text


def attendance_line(v: QuorumVerdict) -> str:
    att = v.attendance
    return t(
        "roles.display.attendance",
        present=number(att.present),
        summoned=number(att.summoned),
        base=number(att.base),
    )


def quorum_lines(v: QuorumVerdict) -> list[str]:
    arithmetic, problems = explain(v)
    verdict = t("roles.display.quorum_ok") if v.ok else t("roles.display.quorum_not_ok")
    return [verdict, arithmetic, *problems]


def vote_lines(book: VoteBook) -> tuple[list[str], str]:
    """The vote being taken, or counted and waiting to be announced: (lines, its state's class)."""
    vote = book.active or next(
        (v for v in reversed(book.votes) if v.status is VoteStatus.COUNTED), None
    )
    if vote is None:
        return [t("roles.display.no_vote")], "idle"
    state = t(f"vote.status.{vote.status.value}").upper()
    lines = [t("roles.display.vote", title=vote.title, state=state)]
    if vote.status in TAKING and vote.unanimous:
        lines.append(t("roles.display.unanimous", count=len(vote.unanimous)))
    elif vote.status in TAKING:
        confirmed = len(vote.sectors_with(SectorStatus.CONFIRMED))
        lines.append(t("roles.display.sectors", confirmed=confirmed, sectors=len(vote.sectors)))
    else:
        lines.append(t("roles.display.to_announce"))
    return lines, vote.status.value


def published(book: VoteBook) -> list[Vote]:
    done = [v for v in book.votes if v.published_at is not None and v.verdict is not None]
    return sorted(done, key=lambda v: v.published_at or datetime.min)[-RESULTS_SHOWN:][::-1]


def result_lines(book: VoteBook) -> list[str]:
    lines = []
    for vote in published(book):
        assert vote.verdict is not None
        lines.append(f"{verdict_badge(vote.verdict)}  {vote.title}")
        lines.append(f"    {verdict_text(vote.verdict)}")
    return lines or [t("roles.display.no_results")]


def shown_elections(book: ElectionBook) -> list[Election]:
    """Elections whose elected may be shown: never an opinion poll or a nomination ballot."""
    return [e for e in book.elections if e.purpose is Purpose.ELECT and outcome(e).elected]


def elected_lines(book: ElectionBook) -> list[str]:
    lines = []
    for e in shown_elections(book):
        out = outcome(e)
        lines.append(t("roles.display.elected", title=e.title, count=len(out.elected)))
        lines.append("    " + ", ".join(p.full_name for p in e.people(out.elected)))
        if out.alternates:
            names = ", ".join(" = ".join(p.full_name for p in e.people(s)) for s in out.alternates)
            lines.append("    " + t("roles.display.alternates", names=names))
    return lines or [t("roles.display.none_elected")]


def anchor_line(seq: int, digest: str) -> str:
    """The log's head as the hall can copy it down: `presidium verify --anchor` takes it."""
    if not digest:
        return ""
    groups = " ".join(digest[i : i + 4] for i in range(0, ANCHOR_DIGITS, 4))
    return t("roles.display.anchor", seq=number(seq), hash=groups)


def item_lines(state: AgendaState, book: VoteBook, now: datetime) -> tuple[str, str]:
    """The running item and its timing (the status line's text), and its level for the colour."""
    return now_line(state, book, now)


# ---------------------------------------------------------------- the screen


class DisplayScreen(Screen[None]):
    CSS_PATH = "display.tcss"

    def __init__(self, congress: Congress, now: Callable[[], datetime]) -> None:
        super().__init__(id="display")
        self.congress = congress
        self._now = now
        self._meeting: MeetingUpdate | None = None

    def compose(self) -> ComposeResult:
        yield ConnectionBanner(id="connection")
        with Horizontal(id="display-top"):
            yield Static(self.congress.name, markup=False, id="display-congress")
            yield Digits("", id="display-clock")
        yield Static(t("tui.now.loading"), markup=False, id="display-item", classes="now-bar")
        with Grid(id="display-body"):  # two rows of two panels (display.tcss: who takes which)
            with Vertical(id="display-attendance"):
                yield Static(t("roles.display.present"), markup=False, classes="display-label")
                yield Digits("", id="display-present")
                yield Static(t("tui.vitals.loading"), markup=False, id="display-counts")
                yield Static(markup=False, id="display-quorum")
            yield Static(markup=False, id="display-vote")
            yield SpeakersPanel(id="display-speakers")
            yield Static(markup=False, id="display-results")
            yield Static(markup=False, id="display-elected")
        yield Static(markup=False, id="display-anchor")

    def on_mount(self) -> None:
        titles = {
            "#display-attendance": "roles.display.attendance_title",
            "#display-vote": "roles.display.vote_title",
            "#display-results": "roles.display.results_title",
            "#display-elected": "roles.display.elected_title",
        }
        for selector, key in titles.items():
            self.query_one(selector).border_title = t(key)
        self._tick()
        self.set_interval(1.0, self._tick)
        self.post_message(StationReady())

    def _tick(self) -> None:
        moment = local(self._now(), self.congress.zone)
        self.query_one("#display-clock", Digits).update(moment.strftime("%H:%M"))
        if self._meeting is not None:  # the item's elapsed time and the countdown move with it
            self._show_item(self._meeting)
            self._show_speakers(self._meeting)

    # ------------------------------------------------------------------ what the app calls

    def show_feed(self, update: StationUpdate) -> None:
        v = update.snapshot.verdict
        self.query_one("#display-present", Digits).update(str(v.attendance.present))
        self.query_one("#display-counts", Static).update(attendance_line(v))
        quorum = self.query_one("#display-quorum", Static)
        quorum.update("\n".join(quorum_lines(v)))
        attendance = self.query_one("#display-attendance")
        attendance.set_class(v.ok, "-ok")
        attendance.set_class(not v.ok, "-not-ok")

    def show_meeting(self, meeting: MeetingUpdate | None) -> None:
        if meeting is None:
            return
        self._meeting = meeting
        self._show_item(meeting)
        lines, state = vote_lines(meeting.book)
        vote = self.query_one("#display-vote", Static)
        vote.update("\n".join(lines))
        for name in ("idle", *(s.value for s in VoteStatus)):
            vote.set_class(name == state, f"-{name}")
        self.set_class(state != "idle", "-vote-on")  # (the discussion moves down: display.tcss)
        self.show_anchor(meeting)
        self.query_one("#display-results", Static).update("\n".join(result_lines(meeting.book)))
        self.query_one("#display-elected", Static).update(
            "\n".join(elected_lines(meeting.elections))
        )

    def show_anchor(self, meeting: MeetingUpdate) -> None:
        """The log's head (the app calls this alone after a scan: nothing else changed), and
        the lists of speakers with it, so that the panel follows them however it is told."""
        self._meeting = meeting
        self.query_one("#display-anchor", Static).update(anchor_line(meeting.seq, meeting.head))
        self._show_speakers(meeting)

    def _show_speakers(self, meeting: MeetingUpdate) -> None:
        panel = self.query_one(SpeakersPanel)
        settings = self.congress.speakers
        shown = panel.follow(meeting.speakers, meeting.agenda, settings, self._now())
        self.set_class(shown, "-discussion")

    def _show_item(self, meeting: MeetingUpdate) -> None:
        text, level = item_lines(meeting.agenda, meeting.book, self._now())
        item = self.query_one("#display-item", Static)
        for name in LEVELS:
            item.set_class(name == level, f"-{name}")
        item.update(text)

    def show_result(self, view: ResultView) -> None:
        """The projector shows no scan or action results."""

    def show_connected(self, connected: bool) -> None:
        self.query_one(ConnectionBanner).show(connected)

    @property
    def text(self) -> str:
        """Everything written on it (not the digits), for tests."""
        parts = [self.query_one("#display-item", Static)]
        parts += [self.query_one(f"#display-{name}", Static) for name in ("counts", "quorum")]
        parts += [self.query_one(f"#display-{n}", Static) for n in ("vote", "results", "elected")]
        texts = [str(p.content) for p in parts]
        if self.has_class("-discussion"):
            texts.append(self.query_one(SpeakersPanel).text)
        return "\n".join(texts)
