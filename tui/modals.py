"""The roll call's dialogs: manual check-in, correction, absences, card reissue, the new card.

Each collects a delegate (or an entry) and a reason and returns it with ``dismiss``; the app runs
the Store call on its write queue and shows the result on the banner. They behave as every
dialog does (tui.dialog): Enter records once the delegate and the reason are there, Esc cancels,
and what cannot be undone (a correction, an absence for the whole congress, a reissued card)
asks first. Every text field is scan-aware, so a card scanned while a dialog is open still
reaches the roll call.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import TypeVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from db.store import AttendanceEntry, DelegateInfo
from session.cards import display_groups
from session.i18n import t
from session.quorum import Status
from session.rollcall import Mode
from tui.dialog import Choice, Dialog, NoticeScreen, labelled, push_question
from tui.picker import LIST_KEYS, DelegatePicker, Search, move_cursor
from tui.view import local, who_line
from tui.widgets.scan_input import ScanAwareInput
from tui.widgets.tables import cell

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class ManualRequest:
    delegate: DelegateInfo
    reason: str


@dataclass(frozen=True, slots=True)
class CorrectionRequest:
    entry: AttendanceEntry
    reason: str


@dataclass(frozen=True, slots=True)
class AbsenceRequest:
    delegate: DelegateInfo
    status: Status
    reason: str


@dataclass(frozen=True, slots=True)
class ReissueRequest:
    delegate: DelegateInfo
    reason: str


class PickerDialog(Dialog[R]):
    """A dialog that starts by finding a delegate (the picker is its first, required field)."""

    def __init__(self, search: Search) -> None:
        super().__init__()
        self._search = search

    def picker(self) -> DelegatePicker:
        return DelegatePicker(self._search, id="picker", required=True)

    def confirm(self) -> None:
        picker = self.query_one(DelegatePicker)
        if picker.waiting:  # Enter came before the search's answer: act once it is in
            picker.then(self.submit)
            return
        delegate = picker.selected
        if delegate is None:  # nothing found, or nothing chosen: the picker says which
            self.fail(picker.missing_text())
            picker.focus_target().focus()
            return
        self.act(delegate, self.reason())

    def act(self, delegate: DelegateInfo, reason: str) -> None:
        raise NotImplementedError


class ManualCheckInScreen(PickerDialog[ManualRequest]):
    """F2: a delegate without the card, found by name, number or unit; recorded with the reason."""

    ACTION = "tui.manual.confirm"

    def __init__(self, search: Search, mode: Mode) -> None:
        super().__init__(search)
        self.mode = mode

    def title_text(self) -> str:
        return t("tui.manual.title", mode=t(f"mode.{self.mode.value}"))

    def help_text(self) -> str:
        return t("tui.manual.help")

    def body(self) -> ComposeResult:
        yield self.picker()
        yield self.reason_field()

    def act(self, delegate: DelegateInfo, reason: str) -> None:
        self.dismiss(ManualRequest(delegate, reason))


ABSENCE_CHOICES = (
    Status.ABSENT_EXCUSED,
    Status.ABSENT_WHOLE,
    Status.SUMMONED,
    Status.CREDENTIAL_REJECTED,
)


class AbsenceScreen(PickerDialog[AbsenceRequest]):
    """F5: excused, absent for the whole congress, withdrawn, or credentials not recognised.
    No status is chosen in advance; an absence for the whole congress asks first."""

    ACTION = "tui.absence.confirm"

    def title_text(self) -> str:
        return t("tui.absence.title")

    def help_text(self) -> str:
        return t("tui.absence.help")

    def body(self) -> ComposeResult:
        yield self.picker()
        options = [(t(f"tui.absence.choice.{s.value}"), s.value) for s in ABSENCE_CHOICES]
        yield labelled(t("tui.absence.status"), Choice(options, id="status"), required=True)
        yield self.reason_field()

    def choice(self) -> Status | None:
        chosen = self.query_one("#status", Choice).chosen
        return Status(chosen) if chosen is not None else None

    def act(self, delegate: DelegateInfo, reason: str) -> None:
        status = self.choice()
        assert status is not None  # (required: missing() said so before)
        request = AbsenceRequest(delegate, status, reason)
        if status is not Status.ABSENT_WHOLE:
            self.dismiss(request)
            return
        question = (
            t("tui.absence.question", who=who_line(delegate)),
            t("tui.absence.warning", reason=reason),
            t("tui.absence.confirm_whole"),
        )
        push_question(self, question, lambda: self.dismiss(request))


class ReissueScreen(PickerDialog[ReissueRequest]):
    """F6: a lost card; after a confirmation the old card is revoked and a new one printed."""

    ACTION = "tui.reissue.confirm"

    def title_text(self) -> str:
        return t("tui.reissue.title")

    def help_text(self) -> str:
        return t("tui.reissue.help")

    def body(self) -> ComposeResult:
        yield self.picker()
        yield self.reason_field()

    def act(self, delegate: DelegateInfo, reason: str) -> None:
        question = (
            t("tui.reissue.question", who=who_line(delegate)),
            t("tui.reissue.warning"),
            t("tui.reissue.confirm"),
        )
        push_question(self, question, lambda: self.dismiss(ReissueRequest(delegate, reason)))


class EntriesLoaded(Message):
    def __init__(self, entries: list[AttendanceEntry], error: str = "") -> None:
        super().__init__()
        self.entries = entries
        self.error = error


LoadEntries = Callable[[int | None], list[AttendanceEntry]]


class CorrectionScreen(Dialog[CorrectionRequest]):
    """F4: the latest entries and exits. Type the delegate's number to find theirs, move in the
    list with the arrows, give the reason; a confirmation names the entry before it is undone."""

    ACTION = "tui.correct.confirm"

    def __init__(self, load: LoadEntries, zone: tzinfo) -> None:
        super().__init__()
        self._load = load
        self._zone = zone
        self._entries: dict[int, AttendanceEntry] = {}
        self._timer: Timer | None = None
        self._loading = False
        self._after_load: Callable[[], None] | None = None  # Enter came before the list
        self.selected: AttendanceEntry | None = None

    def title_text(self) -> str:
        return t("tui.correct.title")

    def help_text(self) -> str:
        return t("tui.correct.help")

    def body(self) -> ComposeResult:
        yield labelled(
            t("tui.correct.filter_label"),
            ScanAwareInput(placeholder=t("tui.correct.filter"), id="entry-filter"),
        )
        table = DataTable[Text](id="entries", cursor_type="row", zebra_stripes=True)
        table.can_focus = False  # moved with the arrows from the fields: Tab goes to the reason
        yield table
        yield Static(t("tui.correct.none"), markup=False, id="entry-selected")
        yield self.reason_field()

    def on_mount(self) -> None:
        table = self.query_one("#entries", DataTable)
        table.add_column(cell("#", "right"), key="id", width=6)
        table.add_column(t("tui.correct.time"), key="time", width=8)
        table.add_column(cell(t("tui.pick.number"), "right"), key="number", width=6)
        table.add_column(t("tui.pick.name"), key="name", width=24)
        table.add_column(t("tui.correct.action"), key="action", width=10)
        table.add_column(t("tui.correct.method"), key="method", width=12)
        table.add_column(t("tui.correct.station"), key="station", width=12)
        table.add_column(t("tui.correct.state"), key="state", width=12)
        self._reload(None)

    def first_field(self) -> Widget:
        return self.query_one("#entry-filter")

    def on_key(self, event: events.Key) -> None:
        if event.key in LIST_KEYS and isinstance(self.focused, Input):
            event.stop()
            move_cursor(self.query_one("#entries", DataTable), event.key)

    @on(Input.Changed, "#entry-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.2, self._filter_now)

    def _filter_now(self) -> None:
        self._timer = None
        text = self.query_one("#entry-filter", ScanAwareInput).value.strip()
        if not text:
            self._reload(None)
        elif text.isdigit() and len(text) <= 5:
            self._reload(int(text))

    @on(Input.Submitted, "#entry-filter")
    def _filter_entered(self, event: Input.Submitted) -> None:
        """Enter in the filter: filter now, then on to what is missing (the reason)."""
        if self._timer is not None:
            self._timer.stop()
            self._filter_now()

    def _reload(self, number: int | None) -> None:
        self._loading = True
        self._load_worker(number)

    @work(thread=True, exclusive=True, group="entries", exit_on_error=False)
    def _load_worker(self, number: int | None) -> None:
        try:
            entries = self._load(number)
        except Exception as exc:  # show it; the dialog stays usable
            self.post_message(EntriesLoaded([], str(exc)))
            return
        self.post_message(EntriesLoaded(entries))

    @on(EntriesLoaded)
    def _loaded(self, message: EntriesLoaded) -> None:
        message.stop()
        self._loading = False
        table = self.query_one("#entries", DataTable)
        kept = self.selected.id if self.selected is not None else None
        table.clear()
        self._entries = {e.id: e for e in message.entries}
        for e in message.entries:
            table.add_row(*self._cells(e), key=str(e.id))
        if message.error:
            self.fail(message.error)
        if kept in self._entries:  # the list read again (a scan meanwhile): the same entry
            table.move_cursor(row=list(self._entries).index(kept))
            self._select(self._entries[kept])
        else:
            self._select(message.entries[0] if message.entries else None)
        if self._after_load is not None:
            then, self._after_load = self._after_load, None
            then()

    def _cells(self, e: AttendanceEntry) -> tuple[Text, ...]:
        state = (
            t("tui.correct.is_correction")
            if e.is_correction
            else t("tui.correct.corrected")
            if e.reversed
            else ""
        )
        return (
            cell(str(e.id), "right"),
            cell(local(e.at, self._zone).strftime(t("tui.clock.time"))),
            cell(str(e.number), "right"),
            cell(e.full_name),
            cell(t(f"tui.action.{e.action.value}")),
            cell(t(f"tui.method.{e.method}")),
            cell(e.station),
            cell(state),
        )

    def _select(self, entry: AttendanceEntry | None) -> None:
        self.selected = entry
        text = t("tui.correct.none")
        if entry is not None:
            text = t(
                "tui.correct.selected",
                id=entry.id,
                name=entry.full_name,
                number=entry.number,
                action=t(f"tui.action.{entry.action.value}"),
            )
        self.query_one("#entry-selected", Static).update(text)

    @on(DataTable.RowHighlighted, "#entries")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value
        self._select(self._entries.get(int(key)) if key is not None else None)

    @on(DataTable.RowSelected, "#entries")
    def _chosen(self, event: DataTable.RowSelected) -> None:  # a click on a row
        event.stop()
        self.query_one("#reason").focus()

    def confirm(self) -> None:
        if self._loading or self._timer is not None:  # the filter's answer first
            if self._timer is not None:
                self._timer.stop()
                self._filter_now()
            self._after_load = self.submit
            return
        entry = self.selected
        if entry is None:
            self.fail(t("tui.correct.required"))
            self.query_one("#entry-filter").focus()
            return
        request = CorrectionRequest(entry, self.reason())
        question = (
            t(
                "tui.correct.question",
                id=entry.id,
                name=entry.full_name,
                action=t(f"tui.action.{entry.action.value}"),
            ),
            t("tui.correct.warning", reason=request.reason),
            t("tui.correct.confirm"),
        )
        push_question(self, question, lambda: self.dismiss(request))


class NewCardScreen(NoticeScreen):
    """The new code of a reissued card, and where its sheet was written; Enter or Esc closes."""

    WIDTH_CLASS = "card-dialog"

    def __init__(self, delegate: DelegateInfo | None, number: int, code: str) -> None:
        who = who_line(delegate) if delegate else str(number)
        super().__init__(t("tui.card.title"), t("tui.card.who", who=who))
        self.delegate = delegate
        self.number = number
        self.code = code

    def body(self) -> ComposeResult:
        yield Static(self._text, markup=False, classes="dialog-help")
        yield Static(display_groups(self.code), markup=False, id="new-code")
        yield Static(t("tui.card.writing"), markup=False, id="sheet")

    def sheet_done(self, text: str) -> None:
        self.query_one("#sheet", Static).update(text)
