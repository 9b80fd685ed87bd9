"""F7: the agenda as it runs: the clock, the running item against its plan, what comes next, what
is done (with actual times) and what was skipped (with why), in the running order.

The operator starts the highlighted item (the running one ends at the same instant), ends the
running one, skips (with a reason), moves (up, down, or after another) and inserts items. Every
change is a Store call on the app's write queue; the table is redrawn from the agenda the app
reads again after it. The timing ticks every second from what was read: no read per tick.
"""

from collections.abc import Callable
from contextlib import suppress
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.css.query import NoMatches
from textual.widgets import DataTable, Digits, Static
from textual.widgets.data_table import ColumnKey

from session import agenda
from session.agenda import AgendaItem, AgendaState, ItemState, ItemStatus, PlannedSlot, plan
from session.decisions import LeftOpen, left_open
from session.i18n import t
from session.votes import VoteBook
from tui.desk import Desk
from tui.desk_screen import DeskScreen
from tui.dialog import ConfirmScreen
from tui.feed import MeetingUpdate
from tui.forms import FormDialog, InsertDialog, MoveDialog
from tui.keys import AGENDA_KEYS
from tui.meeting_view import (
    MARKS,
    actual_times,
    agenda_summary,
    clock,
    hhmm,
    item_facts,
    item_note,
    time_used,
)
from tui.widgets.meeting import NowBar
from tui.widgets.redraw import Footer, show
from tui.widgets.tables import cell, fit_columns

LEVELS = ("ok", "soon", "over", "unplanned", "idle")
ROW_STYLES = ("pending", "running", "done", "skipped", "soon", "over", "next")
# The keys shown or hidden by the agenda's state (see AgendaScreen.check_action).
DYNAMIC_KEYS = ("start", "end", "skip", "move_up", "move_down", "move_after", "insert")


SHOWN_PENDING = 3  # earlier items named when starting another leaves them pending


def left_open_lines(state: AgendaState, left: LeftOpen) -> list[str]:
    """What starting an item leaves open, line by line (a vote being taken, items skipped over)."""
    lines = []
    if left.vote is not None:
        where = state.label(left.vote.item)
        lines.append(t("tui.agenda.left_open.vote", title=left.vote.title, item=where))
    if left.pending:
        names = ", ".join(state.label(s.key) for s in left.pending[:SHOWN_PENDING])
        more = len(left.pending) - SHOWN_PENDING
        if more > 0:
            names += " " + t("tui.agenda.left_open.more", count=more)
        lines.append(t("tui.agenda.left_open.pending", count=len(left.pending), items=names))
    return lines


def start_item(
    desk: Desk,
    app: Any,
    state: AgendaState,
    votes: VoteBook,
    key: str,
    then: Callable[[], None],
    *,
    always_ask: str = "",
) -> None:
    """Start agenda item `key` (the running one ends at the same instant), then `then()`.

    When a vote would stay open or earlier items were not dealt with, ask first and say so
    (Enter starts it, Esc records nothing); with `always_ask`, ask in any case, with that text.
    """
    store, label = desk.store, state.label(key)
    left = left_open(state, votes, key)

    def go() -> None:
        desk.write(lambda: store.start_item(key), done=lambda _: then())

    if not left and not always_ask:
        go()
        return
    running = state.current_item
    lines = [always_ask] if always_ask else []
    if running is not None and running.key != key:
        lines.append(t("tui.agenda.left_open.ends", item=state.label(running.key)))
    lines.extend(left_open_lines(state, left))
    app.push_screen(
        ConfirmScreen(
            t("tui.agenda.start_question", item=label),
            "\n".join(lines),
            t("tui.agenda.start_confirm", number=state.number(key) or ""),
        ),
        lambda yes: go() if yes else None,
    )


# The agenda's columns: (key, label, narrowest width, share of the width left over). Under 120
# columns only the first NARROW_COLUMNS are shown: the running order, its plan, the title and
# the kind stay whole rather than scroll sideways.
AGENDA_COLUMNS: tuple[tuple[str, str, int, int], ...] = (
    ("no", "tui.agenda.col.no", 4, 0),  # the item's number and its mark: "▶ 18"
    ("planned", "tui.agenda.col.planned", 7, 0),  # "Dự kiến"
    ("minutes", "tui.agenda.col.minutes", 4, 0),  # "Phút"
    ("title", "tui.agenda.col.title", 24, 3),
    ("kind", "tui.agenda.col.kind", 24, 0),  # "election (secret ballot)" whole
    ("presenter", "tui.agenda.col.presenter", 24, 0),  # "Cấp ủy triệu tập đại hội" whole
    ("actual", "tui.agenda.col.actual", 11, 0),  # "07:30–07:36"
    ("time", "tui.agenda.col.time", 22, 0),  # "06:30 / 05:00 (+01:30)"
    ("note", "tui.agenda.col.note", 8, 2),  # (whole on the line under the table)
)
NARROW_COLUMNS = 5
WIDE_FROM = 140


class AgendaTable(DataTable[Text]):
    """Every item in the running order; rows styled by status (colours in agenda.tcss)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"agenda-table--{s}" for s in ROW_STYLES}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.keys: list[str] = []
        self._rows: list[tuple[str, list[Text]]] | None = None  # as shown
        self._shown = 0  # how many of AGENDA_COLUMNS are shown

    def on_mount(self) -> None:
        self._set_columns(len(AGENDA_COLUMNS))

    def on_resize(self) -> None:
        wide = self.app.size.width >= WIDE_FROM
        shown = len(AGENDA_COLUMNS) if wide else NARROW_COLUMNS
        if shown != self._shown:
            keep = self.selected
            self._set_columns(shown)
            rows, self._rows = self._rows, None
            if rows is not None:
                self.fill(rows, keep)
        fit_columns(self, [(k, w, share) for k, _, w, share in AGENDA_COLUMNS[: self._shown]])
        if self.keys:  # filled before it was first shown (no size then): the cursor in view
            self.move_cursor(row=self.cursor_row, scroll=True)

    def _set_columns(self, shown: int) -> None:
        self.clear(columns=True)
        self._shown = shown
        for key, label, width, _ in AGENDA_COLUMNS[:shown]:
            justify = "right" if key in ("no", "minutes") else "left"
            self.add_column(cell(t(label) if label else "", justify), key=key, width=width)

    def style(self, name: str) -> Any:
        return self.get_component_rich_style(f"agenda-table--{name}", partial=True)

    @property
    def selected(self) -> str | None:
        if not self.keys or self.cursor_row < 0:
            return None
        row_key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key
        return row_key.value

    def fill(self, rows: list[tuple[str, list[Text]]], keep: str | None) -> None:
        same = rows == self._rows  # (a vote or an election changed: the agenda as it was)
        if not same:
            self._rows = rows
            self.clear()
            self.keys = [key for key, _ in rows]
            for key, cells in rows:
                self.add_row(*cells[: self._shown], key=key)
        if keep in self.keys and not (same and self.keys.index(keep) == self.cursor_row):
            self.move_cursor(row=self.keys.index(keep), scroll=True)


class AgendaScreen(DeskScreen):
    CSS_PATH = "agenda.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [k.binding for k in AGENDA_KEYS]
    AUTO_FOCUS = "#agenda-items"

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk, screen_id="agenda")
        self.state: AgendaState | None = None
        self.votes = VoteBook()  # (what starting another item would leave open)
        self._slots: dict[str, PlannedSlot] = {}
        self._want: str | None = None  # select this item at the next redraw (a new one)

    def compose(self) -> ComposeResult:
        yield from self.desk_bars("tui.agenda.title")
        with Horizontal(id="agenda-top"):
            with Vertical(id="agenda-current", classes="-idle"):
                yield Static(markup=False, id="current-title")
                yield Static(markup=False, id="current-facts")
                with Horizontal(id="current-clock"):
                    yield Digits("--:--", id="current-elapsed")
                    yield Static(markup=False, id="current-timing")
            with Vertical(id="agenda-next"):
                yield Static(markup=False, id="next-title")
                yield Static(markup=False, id="next-facts")
                yield Static(markup=False, id="agenda-summary")
        yield AgendaTable(id="agenda-items")
        yield Static(markup=False, id="agenda-selected")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#agenda-current").border_title = t("tui.agenda.current")
        self.query_one("#agenda-next").border_title = t("tui.agenda.next")
        self.query_one(AgendaTable).border_title = t("tui.agenda.items")
        self.set_interval(1.0, self.tick)
        self.ready = True
        self.show_meeting(self.desk.meeting)

    # ------------------------------------------------------------------ what the app calls

    def show_meeting(self, meeting: MeetingUpdate | None) -> None:
        if meeting is None or not self.ready:
            return
        self.query_one(NowBar).show(meeting)
        self.state, self.votes = meeting.agenda, meeting.book
        items = [s.item for s in self.state.items]
        self._slots = {s.item: s for s in plan(items, self.congress.start, self.congress.zone)}
        table = self.query_one(AgendaTable)
        keep = table.selected
        if self._want is not None and self.state.find(self._want) is not None:
            keep, self._want = self._want, None
        if keep is None:  # first time: the running item, else the next one
            first = self.state.current_item or self.state.next_item
            keep = first.key if first else None
        table.fill([(s.key, self._cells(s)) for s in self.state.items], keep)
        show(self.query_one("#agenda-summary", Static), agenda_summary(self.state))
        self._show_next()
        self.tick()
        self._show_selected()
        self._refresh_keys()

    # ------------------------------------------------------------------ drawing

    def _cells(self, s: ItemState) -> list[Text]:
        assert self.state is not None
        table = self.query_one(AgendaTable)
        zone = self.congress.zone
        now = self.desk.store.clock()
        slot = self._slots.get(s.key)
        used, level = time_used(self.state, s, now)
        following = self.state.next_item
        name = s.status.value
        if s.status is ItemStatus.RUNNING and level in ("soon", "over"):
            name = level
        elif following is not None and s.key == following.key:
            name = "next"
        style = table.style(name)

        def styled(text: str, justify: str = "left") -> Text:
            c = cell(text, justify)
            c.stylize(style)
            return c

        return [
            styled(f"{MARKS[s.status]} {self.state.number(s.key) or ''}", "right"),
            styled(hhmm(slot.start, zone) if slot else ""),
            styled(str(slot.minutes) if slot and slot.minutes else "", "right"),
            styled(s.item.title),
            styled(t(f"agenda.kind.{s.item.kind.value}")),
            styled(s.item.presenter),
            styled(actual_times(s, zone)),
            styled(used),
            styled(item_note(s, zone)),
        ]

    def tick(self) -> None:
        """Every second: the running item's clock, from the agenda already read."""
        with suppress(NoMatches):  # a tick that came while the app closes, its widgets gone
            self._tick()

    def _tick(self) -> None:
        state = self.state
        if state is None:
            return
        now = self.desk.store.clock()
        panel = self.query_one("#agenda-current")
        running = state.current_item
        timing = agenda.timing(state, now)
        if running is None or timing is None:
            level = "idle"
            show(self.query_one("#current-title", Static), t("tui.agenda.no_current"))
            show(self.query_one("#current-facts", Static), t("tui.agenda.no_current_help"))
            self.query_one("#current-elapsed", Digits).update("--:--")
            show(self.query_one("#current-timing", Static), "")
        else:
            level = timing.level.value
            show(self.query_one("#current-title", Static), running.item.title)
            facts = item_facts(running, self._slots.get(running.key), self.congress.zone)
            started = t("tui.agenda.started_at", at=clock(running.started_at, self.congress.zone))
            show(self.query_one("#current-facts", Static), f"{facts} · {started}")
            self.query_one("#current-elapsed", Digits).update(agenda.format_clock(timing.elapsed))
            show(
                self.query_one("#current-timing", Static),
                agenda.describe_timing(timing) + "\n" + t(f"agenda.level.{level}"),
            )
            table = self.query_one(AgendaTable)
            shown = running.key in table.keys and ColumnKey("time") in table.columns
            if shown:  # styled as fill() styles it (red when over time)
                cells = self._cells(running)
                time_index = [c[0] for c in AGENDA_COLUMNS].index("time")
                table.update_cell(running.key, "time", cells[time_index])
        for name in LEVELS:
            panel.set_class(name == level, f"-{name}")

    def _show_next(self) -> None:
        assert self.state is not None
        following = self.state.next_item
        if following is None:
            show(self.query_one("#next-title", Static), t("tui.agenda.no_next"))
            show(self.query_one("#next-facts", Static), "")
            return
        show(self.query_one("#next-title", Static), following.item.title)
        show(
            self.query_one("#next-facts", Static),
            item_facts(following, self._slots.get(following.key), self.congress.zone),
        )

    def _show_selected(self) -> None:
        s = self.selected_item
        text = ""
        if s is not None:
            text = t(
                "tui.agenda.selected",
                title=s.item.title,
                status=t(f"agenda.status.{s.status.value}"),
            )
            note = item_note(s, self.congress.zone)
            if note:
                text += " · " + note
        show(self.query_one("#agenda-selected", Static), text)

    @on(DataTable.RowHighlighted, "#agenda-items")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_selected()
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        self.refresh_keys(tuple(self.check_action(action, ()) for action in DYNAMIC_KEYS))

    # ------------------------------------------------------------------ state

    @property
    def selected_item(self) -> ItemState | None:
        key = self.query_one(AgendaTable).selected
        return self.state.find(key) if self.state is not None and key else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        s = self.selected_item if self.ready else None
        match action:
            case "start":
                return True if s is not None and s.status is not ItemStatus.RUNNING else None
            case "end":
                return True if self.state is not None and self.state.current else None
            case "skip":
                return True if s is not None and s.status is ItemStatus.PENDING else None
            case "move_up" | "move_down" | "move_after":
                movable = (ItemStatus.PENDING, ItemStatus.SKIPPED)
                return True if s is not None and s.status in movable else None
            case "insert":
                return True if self.state is not None else None
        return True

    # ------------------------------------------------------------------ actions

    def action_start(self) -> None:
        s = self.selected_item
        if s is None or s.status is ItemStatus.RUNNING or self.state is None:
            return
        title = s.item.title
        start_item(
            self.desk,
            self.app,
            self.state,
            self.votes,
            s.key,
            lambda: self.desk.say(t("tui.agenda.done.started", title=title)),
        )

    def action_end(self) -> None:
        running = self.state.current_item if self.state is not None else None
        if running is None:
            return
        store, key, title = self.desk.store, running.key, running.item.title
        self.desk.write(
            lambda: store.end_item(key),
            done=lambda _: self.desk.say(t("tui.agenda.done.ended", title=title)),
        )

    def action_skip(self) -> None:
        s = self.selected_item
        if s is None or s.status is not ItemStatus.PENDING:
            return
        store, key, title = self.desk.store, s.key, s.item.title
        self.ask_reason(
            (t("tui.skip.title", title=title), t("tui.skip.help"), t("tui.skip.confirm")),
            lambda reason: store.skip_item(key, reason),
            lambda reason, _: t("tui.agenda.done.skipped", title=title, reason=reason),
        )

    def action_insert(self) -> None:
        s = self.selected_item
        store = self.desk.store
        after = s.key if s is not None else None

        def send(item: AgendaItem, dialog: FormDialog[Any]) -> None:
            self.desk.write(
                lambda: store.insert_item(item, after),
                done=lambda state: self._inserted(dialog, state, item, after),
                failed=dialog.refused,
            )

        self.app.push_screen(InsertDialog(send, s.item.title if s is not None else None))

    def _inserted(
        self, dialog: FormDialog[Any], state: AgendaState, item: AgendaItem, after: str | None
    ) -> None:
        # The new item is the one just after `after`: select it once the table is redrawn.
        keys = [s.key for s in state.items]
        index = keys.index(after) + 1 if after in keys else 0
        if index < len(keys):
            self._want = keys[index]
        self._finished(dialog, t("tui.agenda.done.inserted", title=item.title))

    def action_move_after(self) -> None:
        s = self.selected_item
        if s is None or self.state is None:
            return
        store, key, title = self.desk.store, s.key, s.item.title
        others = [o for o in self.state.items if o.key != key]

        def send(after: str, dialog: FormDialog[Any]) -> None:
            target = after or None
            self.desk.write(
                lambda: store.move_item(key, target),
                done=lambda _: self._finished(dialog, t("tui.agenda.done.moved", title=title)),
                failed=dialog.refused,
            )

        self.app.push_screen(MoveDialog(send, title, others))

    def action_move_up(self) -> None:
        self._move(-1)

    def action_move_down(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        s = self.selected_item
        if s is None or self.state is None:
            return
        keys = [i.key for i in self.state.items]
        index = keys.index(s.key)
        if step < 0:
            if index == 0:
                return
            after = keys[index - 2] if index >= 2 else None
        else:
            if index + 1 >= len(keys):
                return
            after = keys[index + 1]
        store, key, title = self.desk.store, s.key, s.item.title
        self.desk.write(
            lambda: store.move_item(key, after),
            done=lambda _: self.desk.say(t("tui.agenda.done.moved", title=title)),
        )
