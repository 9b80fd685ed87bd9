"""The operator's dialogs: manual check-in, correction, absences, card reissue, confirmation.

Each dialog collects a choice and a reason and returns it with ``dismiss``; the app runs the
Store call in a worker. Every dialog closes with Escape; every text field is scan-aware, so a card
scanned while a dialog is open still reaches the roll call.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import ClassVar, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, DataTable, Footer, Input, RadioButton, RadioSet, Static

from db.store import AttendanceEntry, DelegateInfo
from session.cards import display_groups
from session.i18n import t
from session.quorum import Status
from session.rollcall import Mode
from tui.keys import translated
from tui.picker import DelegateChosen, DelegatePicker, Search
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


class Dialog(ModalScreen[R]):
    """A centred dialog: title, body, an error line, Confirm / Cancel, and the footer."""

    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "tui.dialog.cancel")]
    CONFIRM = "tui.dialog.confirm"

    def __init__(self) -> None:
        super().__init__()
        self._bindings = translated(self._bindings)

    def title_text(self) -> str:
        raise NotImplementedError

    def help_text(self) -> str:
        return ""

    def body(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text(), markup=False, classes="dialog-title")
            if self.help_text():
                yield Static(self.help_text(), markup=False, classes="dialog-help")
            yield from self.body()
            yield Static("", markup=False, id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(self.CONFIRM), variant="primary", id="confirm")
                yield Button(t("tui.dialog.cancel"), id="cancel")
        yield Footer()

    def fail(self, text: str) -> None:
        self.query_one("#dialog-error", Static).update(text)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def confirm(self) -> None:
        raise NotImplementedError

    @on(Button.Pressed, "#confirm")
    def _confirm_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.confirm()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def reason(self) -> str:
        return self.query_one("#reason", ScanAwareInput).value.strip()

    def reason_field(self) -> ScanAwareInput:
        return ScanAwareInput(placeholder=t("tui.reason.placeholder"), id="reason")

    @on(Input.Submitted, "#reason")
    def _reason_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.confirm()


class PickerDialog(Dialog[R]):
    """A dialog that starts by finding a delegate."""

    def __init__(self, search: Search) -> None:
        super().__init__()
        self._search = search

    def picker(self) -> DelegatePicker:
        return DelegatePicker(self._search, id="picker")

    def on_mount(self) -> None:
        self.query_one(DelegatePicker).focus_query()

    @on(DelegateChosen)
    def _chosen(self, message: DelegateChosen) -> None:
        message.stop()
        self.query_one("#reason").focus()

    def chosen(self) -> DelegateInfo | None:
        delegate = self.query_one(DelegatePicker).selected
        if delegate is None:
            self.fail(t("tui.pick.required"))
        return delegate

    def chosen_with_reason(self) -> tuple[DelegateInfo, str] | None:
        """The picked delegate and the typed reason, or None after saying which is missing."""
        delegate = self.chosen()
        reason = self.checked_reason() if delegate is not None else None
        return (delegate, reason) if delegate is not None and reason is not None else None

    def checked_reason(self) -> str | None:
        reason = self.reason()
        if not reason:
            self.fail(t("error.reason_required"))
            self.query_one("#reason").focus()
            return None
        return reason


class ManualCheckInScreen(PickerDialog[ManualRequest]):
    """F2: a delegate without the card, found by name, number or unit; recorded with the reason."""

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

    def confirm(self) -> None:
        if picked := self.chosen_with_reason():
            delegate, reason = picked
            self.dismiss(ManualRequest(delegate, reason))


ABSENCE_CHOICES = (
    Status.ABSENT_EXCUSED,
    Status.ABSENT_WHOLE,
    Status.SUMMONED,
    Status.CREDENTIAL_REJECTED,
)


class AbsenceScreen(PickerDialog[AbsenceRequest]):
    """F5: excused, absent for the whole congress, withdrawn, or credentials not recognised."""

    def title_text(self) -> str:
        return t("tui.absence.title")

    def help_text(self) -> str:
        return t("tui.absence.help")

    def body(self) -> ComposeResult:
        yield self.picker()
        with RadioSet(id="status"):
            for i, status in enumerate(ABSENCE_CHOICES):
                yield RadioButton(
                    t(f"tui.absence.choice.{status.value}"),
                    value=i == 0,
                    id=f"status-{status.value}",
                )
        yield self.reason_field()

    def choice(self) -> Status:
        pressed = self.query_one(RadioSet).pressed_index
        return ABSENCE_CHOICES[pressed if pressed >= 0 else 0]

    def confirm(self) -> None:
        if picked := self.chosen_with_reason():
            delegate, reason = picked
            self.dismiss(AbsenceRequest(delegate, self.choice(), reason))


class ReissueScreen(PickerDialog[ReissueRequest]):
    """F6: a lost card; after a confirmation the old card is revoked and a new one printed."""

    CONFIRM = "tui.reissue.confirm"

    def title_text(self) -> str:
        return t("tui.reissue.title")

    def help_text(self) -> str:
        return t("tui.reissue.help")

    def body(self) -> ComposeResult:
        yield self.picker()
        yield self.reason_field()

    def confirm(self) -> None:
        if picked := self.chosen_with_reason():
            delegate, reason = picked
            self.dismiss(ReissueRequest(delegate, reason))


class EntriesLoaded(Message):
    def __init__(self, entries: list[AttendanceEntry], error: str = "") -> None:
        super().__init__()
        self.entries = entries
        self.error = error


LoadEntries = Callable[[int | None], list[AttendanceEntry]]


class CorrectionScreen(Dialog[CorrectionRequest]):
    """F4: the latest entries and exits; pick the mistaken one, give the reason."""

    CONFIRM = "tui.correct.confirm"

    def __init__(self, load: LoadEntries, zone: tzinfo) -> None:
        super().__init__()
        self._load = load
        self._zone = zone
        self._entries: dict[int, AttendanceEntry] = {}
        self._timer: Timer | None = None
        self.selected: AttendanceEntry | None = None

    def title_text(self) -> str:
        return t("tui.correct.title")

    def help_text(self) -> str:
        return t("tui.correct.help")

    def body(self) -> ComposeResult:
        yield ScanAwareInput(placeholder=t("tui.correct.filter"), id="entry-filter")
        yield DataTable[Text](id="entries", cursor_type="row", zebra_stripes=True)
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
        table.focus()
        self._reload(None)

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
        event.stop()
        self.query_one("#entries").focus()

    @work(thread=True, exclusive=True, group="entries", exit_on_error=False)
    def _reload(self, number: int | None) -> None:
        try:
            entries = self._load(number)
        except Exception as exc:  # show it; the dialog stays usable
            self.post_message(EntriesLoaded([], str(exc)))
            return
        self.post_message(EntriesLoaded(entries))

    @on(EntriesLoaded)
    def _loaded(self, message: EntriesLoaded) -> None:
        message.stop()
        table = self.query_one("#entries", DataTable)
        table.clear()
        self._entries = {e.id: e for e in message.entries}
        for e in message.entries:
            state = (
                t("tui.correct.is_correction")
                if e.is_correction
                else t("tui.correct.corrected")
                if e.reversed
                else ""
            )
            table.add_row(
                cell(str(e.id), "right"),
                cell(local(e.at, self._zone).strftime(t("tui.clock.time"))),
                cell(str(e.number), "right"),
                cell(e.full_name),
                cell(t(f"tui.action.{e.action.value}")),
                cell(t(f"tui.method.{e.method}")),
                cell(e.station),
                cell(state),
                key=str(e.id),
            )
        if message.error:
            self.fail(message.error)
        self._select(message.entries[0] if message.entries else None)

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
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.query_one("#reason").focus()

    def confirm(self) -> None:
        if self.selected is None:
            self.fail(t("tui.correct.required"))
            return
        reason = self.reason()
        if not reason:
            self.fail(t("error.reason_required"))
            self.query_one("#reason").focus()
            return
        self.dismiss(CorrectionRequest(self.selected, reason))


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no before anything irreversible; Escape and the default button say no."""

    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "tui.dialog.cancel")]

    def __init__(
        self, question: str, detail: str = "", confirm: str = "", *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._bindings = translated(self._bindings)
        self.question = question
        self.detail = detail
        self.confirm_label = confirm or t("tui.dialog.confirm")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(self.question, markup=False, classes="dialog-title")
            if self.detail:
                yield Static(self.detail, markup=False, classes="dialog-help")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm_label, variant="error", id="confirm")
                yield Button(t("tui.dialog.cancel"), id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")


class NewCardScreen(ModalScreen[None]):
    """The new code of a reissued card, and where its sheet was written."""

    CSS_PATH = "modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "tui.dialog.close")]

    def __init__(self, delegate: DelegateInfo | None, number: int, code: str) -> None:
        super().__init__()
        self._bindings = translated(self._bindings)
        self.delegate = delegate
        self.number = number
        self.code = code

    def compose(self) -> ComposeResult:
        who = who_line(self.delegate) if self.delegate else str(self.number)
        with Vertical(classes="dialog card-dialog"):
            yield Static(t("tui.card.title"), markup=False, classes="dialog-title")
            yield Static(t("tui.card.who", who=who), markup=False, classes="dialog-help")
            yield Static(display_groups(self.code), markup=False, id="new-code")
            yield Static(t("tui.card.writing"), markup=False, id="sheet")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.dialog.close"), variant="primary", id="close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def sheet_done(self, text: str) -> None:
        self.query_one("#sheet", Static).update(text)

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#close")
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
