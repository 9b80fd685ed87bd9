"""F10: the list of speakers of an agenda item, as the presidium runs the discussion.

Who is at the microphone and the time left (the countdown turns yellow near the end and red
when over, as on the projector), the item's counts, then the list: the speaker at the
microphone, those waiting in the order they will be called, the contributions spoken or
submitted in writing, and those removed (with why). F2 puts a delegate on the list (found by
name without diacritics; a card scanned at this desk opens the same form with them in it); F3
calls the next waiting speaker (one is called out of turn by moving them first); F4 starts the
speech (or resumes it); F5 pauses it; F6 ends it; Ctrl+Up / Ctrl+Down / Ctrl+T reorder; Delete
removes with a reason; Ctrl+L closes the list (again: reopens it); Ctrl+Left / Ctrl+Right turn to
another item's list.
Every change is one Store call on the app's write queue; the screen is redrawn from what the app
reads after it, and the countdown ticks every second from what was read.

The secretariat's `--role speakers` terminal is this screen and nothing else
(tui.stations.speakers_desk).
"""

from contextlib import suppress
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.css.query import NoMatches
from textual.widgets import DataTable, Digits, Static

from db.store import DelegateInfo
from session.i18n import number, t
from session.speakers import (
    Entry,
    EntryStatus,
    Level,
    Source,
    SpeakersList,
    TimeLimits,
    clock,
    countdown,
    limit_of,
)
from session.speakers.items import list_items, shown_item, step_item, to_call, to_start
from session.speakers.units import unit_time
from tui.desk import Desk
from tui.desk_screen import DeskScreen
from tui.feed import MeetingUpdate
from tui.forms import FormDialog
from tui.keys import SPEAKERS_KEYS
from tui.role_keys import RoleKeys
from tui.speakers_forms import AddSpeakerDialog, NewSpeaker
from tui.view import READY, ResultView, ready_view
from tui.widgets.meeting import Notice, NowBar
from tui.widgets.redraw import Footer, show
from tui.widgets.tables import FitColumn, FitTable, cell

LEVELS = ("idle", "called", *(level.value for level in Level), "paused")
ROW_STYLES = tuple(s.value for s in EntryStatus)
MARKS = {
    EntryStatus.WAITING: " ",
    EntryStatus.CALLED: "→",
    EntryStatus.SPEAKING: "▶",
    EntryStatus.PAUSED: "‖",
    EntryStatus.DONE: "✓",
    EntryStatus.WRITTEN: "✎",
    EntryStatus.REMOVED: "✗",
}
COLUMNS: tuple[tuple[str, int], ...] = (
    ("no", 4),
    ("status", 10),
    ("name", 14),
    ("unit", 10),
    ("kind", 12),
    ("subject", 6),
    ("time", 9),
)
FIT: tuple[FitColumn, ...] = (  # (80 columns: 13 + 9 + 11 + 6 and the fixed ones fit)
    ("name", 13, 2),
    ("unit", 9, 2),
    ("kind", 11, 1),
    ("subject", 6, 3),
)
# The keys shown or hidden by the list's state (see SpeakersScreen.check_action).
DYNAMIC_KEYS = tuple(k.action for k in SPEAKERS_KEYS if k.action != "close")


class SpeakersTable(FitTable):
    """The list's rows, styled by status (colours in speakers.tcss)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"speakers-table--{s}" for s in ROW_STYLES}


def shown_order(speakers: SpeakersList) -> tuple[Entry, ...]:
    """The rows: at the microphone, then waiting in order, then the contributions, then those
    removed."""
    current = (speakers.current,) if speakers.current is not None else ()
    removed = tuple(e for e in speakers.entries if e.status is EntryStatus.REMOVED)
    return (*current, *speakers.waiting, *speakers.contributions, *removed)


def item_counts(speakers: SpeakersList) -> str:
    entries = speakers.entries
    spoken = sum(1 for e in entries if e.status is EntryStatus.DONE)
    written = sum(1 for e in entries if e.status is EntryStatus.WRITTEN)
    counts = t(
        "tui.speakers.counts",
        waiting=number(len(speakers.waiting)),
        spoken=number(spoken),
        written=number(written),
    )
    return f"{t('tui.speakers.closed')}\n{counts}" if speakers.closed else counts


class SpeakersScreen(DeskScreen):
    CSS_PATH = "speakers.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [k.binding for k in SPEAKERS_KEYS]
    AUTO_FOCUS = "#speakers-table"

    def __init__(self, desk: Desk, allowed: RoleKeys | None = None) -> None:
        super().__init__(desk, screen_id="speakers")
        self.allowed = allowed  # a role terminal's keys; None: the operator's (every one)
        self.meeting: MeetingUpdate | None = None
        self.item: str | None = None  # the item whose list is shown
        self._rows: list[int] = []  # the entries' numbers, as the table shows them

    def compose(self) -> ComposeResult:
        yield from self.desk_bars("tui.speakers.title")
        with Horizontal(id="speakers-top"):
            with Vertical(id="speakers-current", classes="-idle"):
                yield Static(markup=False, id="current-speaker")
                yield Static(markup=False, id="current-about")
                with Horizontal(id="speaker-clock"):
                    yield Digits("-:--", id="speaker-countdown")
                    yield Static(markup=False, id="speaker-timing")
            with Vertical(id="speakers-item"):
                yield Static(markup=False, id="item-title")
                yield Static(markup=False, id="item-counts")
        yield SpeakersTable(FIT, id="speakers-table")
        yield Static(markup=False, id="speakers-selected")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#speakers-current").border_title = t("tui.speakers.at_microphone")
        self.query_one("#speakers-item").border_title = t("tui.speakers.item")
        table = self.query_one(SpeakersTable)
        for key, width in COLUMNS:
            justify = "right" if key in ("no", "time") else "left"
            table.add_column(cell(t(f"tui.speakers.col.{key}"), justify), key=key, width=width)
        self.set_interval(1.0, self.tick)
        self.ready = True
        self.show_notice(ready_view())
        self.show_meeting(self.desk.meeting)

    # ------------------------------------------------------------------ what the app calls

    def show_meeting(self, meeting: MeetingUpdate | None) -> None:
        if meeting is None or not self.ready:
            return
        self.meeting = meeting
        self.query_one(NowBar).show(meeting)
        self.item = shown_item(meeting.agenda, meeting.speakers, self.item)
        self._draw()

    def show_notice(self, view: ResultView) -> None:
        """What is said here; at rest, that a card scanned here puts its holder on the list."""
        if view.colour == READY and self.ready:
            self.query_one(Notice).update(t("tui.speakers.cards_here"))
        else:
            super().show_notice(view)

    @property
    def speakers(self) -> SpeakersList | None:
        if self.meeting is None or self.item is None:
            return None
        return self.meeting.speakers.of(self.item)

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        speakers = self.speakers
        assert self.meeting is not None
        agenda = self.meeting.agenda
        title = t("tui.speakers.no_item") if self.item is None else agenda.label(self.item)
        show(self.query_one("#item-title", Static), title)
        counts = "" if speakers is None else item_counts(speakers)
        show(self.query_one("#item-counts", Static), counts)
        self._fill(speakers)
        self.tick()
        self._show_selected()
        self._refresh_keys()

    def _fill(self, speakers: SpeakersList | None) -> None:
        table = self.query_one(SpeakersTable)
        keep = self.selected_number
        entries = shown_order(speakers) if speakers is not None else ()
        table.clear()
        self._rows = [e.number for e in entries]
        now = self.desk.store.clock()
        for e in entries:
            table.add_row(*self._cells(e, now), key=str(e.number))
        if keep in self._rows:
            table.move_cursor(row=self._rows.index(keep))

    def _cells(self, e: Entry, now: datetime) -> list[Text]:
        table = self.query_one(SpeakersTable)
        style = table.get_component_rich_style(f"speakers-table--{e.status.value}", partial=True)
        cells = [
            cell(f"{MARKS[e.status]} {e.number}", "right"),
            cell(t(f"tui.speakers.status.{e.status.value}")),
            cell(e.name),
            cell(e.unit),
            cell(t(f"speakers.kind.{e.kind.value}")),
            cell(e.title),
            cell(self._time(e, now), "right"),
        ]
        for c in cells:
            c.stylize(style)
        return cells

    def _time(self, e: Entry, now: datetime) -> str:
        if e.status is EntryStatus.WRITTEN or e.status is EntryStatus.REMOVED:
            return ""
        if e.status in (EntryStatus.WAITING, EntryStatus.CALLED):
            return clock(limit_of(e, self._limits()))
        return clock(e.spoken(now))

    def _limits(self) -> TimeLimits:
        return self.congress.speakers.of(self.item or "").limits

    def tick(self) -> None:
        """Every second: the countdown of the speaker at the microphone, from what was read."""
        with suppress(NoMatches):  # a tick that came while the app closes, its widgets gone
            self._tick()

    def _tick(self) -> None:
        speakers = self.speakers
        panel = self.query_one("#speakers-current")
        entry = None if speakers is None else speakers.current or speakers.called
        level = "idle"
        if entry is None:
            show(self.query_one("#current-speaker", Static), t("tui.speakers.nobody"))
            show(self.query_one("#current-about", Static), t("tui.speakers.nobody_help"))
            self.query_one("#speaker-countdown", Digits).update("-:--")
            show(self.query_one("#speaker-timing", Static), "")
        else:
            level = self._show_speaker(entry)
            table = self.query_one(SpeakersTable)
            if entry.number in self._rows and entry.status is EntryStatus.SPEAKING:
                now = self.desk.store.clock()
                time = self._cells(entry, now)[-1]
                table.update_cell(str(entry.number), "time", time)
        for name in LEVELS:
            panel.set_class(name == level, f"-{name}")

    def _show_speaker(self, entry: Entry) -> str:
        """The speaker's panel; the level it is drawn at."""
        now = self.desk.store.clock()
        who = f"{entry.name} · {entry.unit}" if entry.unit else entry.name
        show(self.query_one("#current-speaker", Static), who)
        kind = t(f"speakers.kind.{entry.kind.value}")
        show(
            self.query_one("#current-about", Static),
            " · ".join(p for p in (entry.title, kind) if p),
        )
        c = countdown(entry, self._limits(), now)
        self.query_one("#speaker-countdown", Digits).update(clock(c.left))
        state = t(f"tui.speakers.status.{entry.status.value}")
        times = {"left": clock(abs(c.left)), "limit": clock(c.limit), "spoken": clock(c.spoken)}
        if c.left < 0:
            timing = t("tui.speakers.timing_over", **times)
        else:
            timing = t("tui.speakers.timing", **times)
        lines = [state, timing, *self._unit_line(entry, now)]
        show(self.query_one("#speaker-timing", Static), "\n".join(lines))
        if entry.status is EntryStatus.CALLED:
            return "called"
        if entry.status is EntryStatus.PAUSED:
            return "paused"
        return c.level.value

    def _unit_line(self, entry: Entry, now: datetime) -> list[str]:
        """What the speaker's unit has left of its time on the item, when it has one."""
        speakers, settings = self.speakers, self.congress.speakers.of(self.item or "")
        if speakers is None or settings.unit_seconds <= 0 or not entry.unit:
            return []
        left = unit_time(speakers, entry.unit, settings.unit_seconds, now).left
        if left < 0:
            return [t("tui.speakers.unit_over", unit=entry.unit, time=clock(-left))]
        return [t("tui.speakers.unit_left", unit=entry.unit, time=clock(left))]

    def _show_selected(self) -> None:
        e = self.selected_entry
        text = ""
        if e is not None:
            kind = t(f"speakers.kind.{e.kind.value}")
            about = f"{kind} «{e.title}»" if e.title else kind
            if e.removed_reason:  # (first: the line is cut on a narrow screen)
                about = t("tui.speakers.removed_because", reason=e.removed_reason) + " · " + about
            text = t("tui.speakers.selected", number=e.number, name=e.name, unit=e.unit,
                     about=about)  # fmt: skip
        show(self.query_one("#speakers-selected", Static), text)

    @on(DataTable.RowHighlighted, "#speakers-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_selected()
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        self.refresh_keys(tuple(self.check_action(action, ()) for action in DYNAMIC_KEYS))

    # ------------------------------------------------------------------ state

    @property
    def selected_number(self) -> int | None:
        table = self.query_one(SpeakersTable)
        if not self._rows or table.cursor_row < 0:
            return None
        row_key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key
        return int(row_key.value) if row_key.value is not None else None

    @property
    def selected_entry(self) -> Entry | None:
        speakers, chosen = self.speakers, self.selected_number
        if speakers is None or chosen is None:
            return None
        return next((e for e in speakers.entries if e.number == chosen), None)

    def _selected_waiting(self) -> Entry | None:
        e = self.selected_entry
        return (
            e if e is not None and e.status in (EntryStatus.WAITING, EntryStatus.CALLED) else None
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        outside = self.allowed is not None and not self.allowed.may(f"speakers.{action}")
        if outside and action != "close":
            return False
        speakers = self.speakers if self.ready else None
        if action == "close" or speakers is None:
            return True if action in ("close", "add") and self.item else None
        current = speakers.current
        match action:
            case "add" | "close_list":
                return True
            case "call":
                return True if to_call(speakers) else None
            case "start":
                return True if to_start(speakers) else None
            case "pause":
                return True if current and current.status is EntryStatus.SPEAKING else None
            case "end":
                return True if current else None
            case "move_up" | "move_down" | "first" | "remove":
                return True if self._selected_waiting() else None
            case "previous_item" | "next_item":
                assert self.meeting is not None
                items = list_items(self.meeting.agenda, self.meeting.speakers)
                return True if len(items) > 1 else None
        return True

    # ------------------------------------------------------------------ actions

    def _write(self, change: Any, said: str) -> None:
        self.desk.write(change, done=lambda _: self.desk.say(said))

    def action_add(self, delegate: DelegateInfo | None = None) -> None:
        item = self.item
        if item is None or self.meeting is None:
            return
        store, label = self.desk.store, self.meeting.agenda.label(item)

        def send(new: NewSpeaker, dialog: FormDialog[Any]) -> None:
            source = Source.CARD if new.by_card else Source.SEARCH
            self.desk.write(
                lambda: store.add_speaker(
                    item,
                    new.name,
                    new.kind,
                    person=new.person,
                    unit=new.unit,
                    title=new.title,
                    asked=new.asked,
                    source=source,
                ),
                done=lambda _: self._finished(
                    dialog, t("tui.speakers.done.added", name=new.name, item=label)
                ),
                failed=dialog.refused,
            )

        self.app.push_screen(AddSpeakerDialog(send, store.search, label, delegate))

    def card_scanned(self, code: str) -> None:
        """A card scanned at this desk: the form to put its holder on the list (a card that is
        not one of this congress's is refused, and nothing is recorded)."""
        if self.app.screen is not self:  # a form is open: it is finished (or Esc) first
            self.desk.say(t("tui.speakers.scan_in_form"))
            return
        if self.item is None:
            self.desk.say(t("tui.speakers.no_item"))
            return
        store = self.desk.store
        self.desk.write(lambda: store.speaker_card(code), done=self.action_add)

    def action_call(self) -> None:
        speakers = self.speakers
        entry = None if speakers is None else to_call(speakers)
        if entry is None or self.item is None:
            return
        store, item, n = self.desk.store, self.item, entry.number
        self._write(
            lambda: store.call_speaker(item, n), t("tui.speakers.done.called", name=entry.name)
        )

    def action_start(self) -> None:
        speakers = self.speakers
        entry = None if speakers is None else to_start(speakers)
        if entry is None or self.item is None:
            return
        store, item, n = self.desk.store, self.item, entry.number
        if entry.status is EntryStatus.PAUSED:
            said = t("tui.speakers.done.resumed", name=entry.name)
            self._write(lambda: store.resume_speech(item, n), said)
        else:
            said = t("tui.speakers.done.started", name=entry.name)
            self._write(lambda: store.start_speech(item, n), said)

    def action_pause(self) -> None:
        current = self.speakers.current if self.speakers is not None else None
        if current is None or current.status is not EntryStatus.SPEAKING or self.item is None:
            return
        store, item, n = self.desk.store, self.item, current.number
        self._write(
            lambda: store.pause_speech(item, n), t("tui.speakers.done.paused", name=current.name)
        )

    def action_end(self) -> None:
        current = self.speakers.current if self.speakers is not None else None
        if current is None or self.item is None:
            return
        store, item, n = self.desk.store, self.item, current.number
        self._write(
            lambda: store.end_speech(item, n), t("tui.speakers.done.ended", name=current.name)
        )

    def action_move_up(self) -> None:
        self._move(-1)

    def action_move_down(self) -> None:
        self._move(1)

    def action_first(self) -> None:
        self._move(None)

    def _move(self, step: int | None) -> None:
        """One place up (-1) or down (+1) among those waiting, or to the head (None)."""
        entry, speakers = self._selected_waiting(), self.speakers
        if entry is None or speakers is None or self.item is None:
            return
        numbers = [e.number for e in speakers.waiting]
        index = numbers.index(entry.number)
        if step is None or (step < 0 and index <= 1):
            if index == 0:
                return
            after = None
        elif step < 0:
            after = numbers[index - 2]
        else:
            if index + 1 >= len(numbers):
                return
            after = numbers[index + 1]
        store, item, n = self.desk.store, self.item, entry.number
        self._write(
            lambda: store.move_speaker(item, n, after),
            t("tui.speakers.done.moved", name=entry.name),
        )

    def action_remove(self) -> None:
        entry = self._selected_waiting()
        if entry is None or self.item is None:
            return
        store, item, n, name = self.desk.store, self.item, entry.number, entry.name
        self.ask_reason(
            (t("tui.speakers.remove.title", name=name), t("tui.speakers.remove.help"),
             t("tui.speakers.remove.confirm")),
            lambda reason: store.remove_speaker(item, n, reason),
            lambda reason, _: t("tui.speakers.done.removed", name=name, reason=reason),
        )  # fmt: skip

    def action_close_list(self) -> None:
        speakers, item = self.speakers, self.item
        if speakers is None or item is None:
            return
        store = self.desk.store
        if speakers.closed:
            self._write(lambda: store.reopen_speakers(item), t("tui.speakers.done.reopened"))
        else:
            self._write(lambda: store.close_speakers(item), t("tui.speakers.done.closed"))

    def action_previous_item(self) -> None:
        self._turn(-1)

    def action_next_item(self) -> None:
        self._turn(1)

    def _turn(self, step: int) -> None:
        if self.meeting is None:
            return
        items = list_items(self.meeting.agenda, self.meeting.speakers)
        self.item = step_item(items, self.item, step)
        self._draw()
