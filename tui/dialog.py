"""One way for every dialog of every role (docs/operator-guide.md, "Dialogs").

- The first field a person needs has the focus, and the focus shows (modals.tcss).
- A hint line names the keys: "Enter: record the correction · Tab: next field · Esc: cancel".
- Enter performs the dialog's named action once what it needs is filled in; otherwise it says
  what is missing and puts the cursor there. Tab and Shift+Tab move between the fields.
- Esc cancels, and the app says on the notice line that nothing was recorded
  (:class:`DialogCancelled`).
- An irreversible action (announcing a result, closing or counting a box, a correction, an
  absence for the whole congress, voiding a ballot...) first shows a :class:`ConfirmScreen` that
  names exactly what will be recorded: Enter confirms, Esc goes back to the dialog.

A field is marked required with :func:`labelled` (or the ``-required`` class); lists inside a
dialog are moved with the arrow keys from the field above them, so Tab only ever visits fields
(the reason typed after Tab lands in the reason).
"""

from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static
from textual.widgets._select import SelectOverlay

from session.i18n import t
from tui.keys import translated
from tui.widgets.redraw import Footer
from tui.widgets.scan_input import ScanAwareInput

R = TypeVar("R")
REQUIRED = "-required"
CROWDED = "-crowded"  # the dialog's body scrolls in the room left (see Modal)


class DialogCancelled(Message):
    """A dialog or a question was left with Esc: nothing was recorded (said on the notice line)."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title


class Choice(Select[str]):
    """A choice inside a dialog. Enter opens the list while nothing is chosen; once something is,
    Enter is the dialog's named action, as in every other field. No type-to-search: a scanner's
    digits must never pick an option."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,space,up", "show_overlay", show=False),
        Binding("enter", "enter", show=False),
    ]

    class Entered(Message):
        """Enter on a choice that has a value: the dialog acts."""

    def __init__(
        self,
        options: list[tuple[str, str]],
        *,
        value: str | None = None,
        prompt: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(
            options,
            prompt=prompt or t("tui.dialog.choose"),
            allow_blank=value is None,
            value=value if value is not None else Select.NULL,
            type_to_search=False,
            id=id,
        )

    def action_enter(self) -> None:
        if self.is_blank():
            self.action_show_overlay()
        else:
            self.post_message(self.Entered())

    def action_show_overlay(self) -> None:
        super().action_show_overlay()
        if self.is_blank():  # the first real option, not the prompt: Enter then chooses it
            self.query_one(SelectOverlay).highlighted = 1

    @property
    def chosen(self) -> str | None:
        return None if self.is_blank() else str(self.value)


def labelled(label: str, field: Widget, *, required: bool = False) -> Horizontal:
    """A form row: the label, then the field; `required` fields must be filled before Enter acts
    (the label names them when they are missing)."""
    field.set_class(required, REQUIRED)
    field.tooltip = label
    return Horizontal(Static(label, markup=False, classes="form-label"), field, classes="form-row")


def is_missing(field: Widget) -> bool:
    """Whether a required field is still empty (a picker says so itself: see `missing_text`)."""
    if isinstance(field, Input):
        return not field.value.strip()
    if isinstance(field, Select):
        return field.is_blank()
    missing = getattr(field, "is_missing", None)
    return bool(missing()) if callable(missing) else False


BUTTON_MAX = 30  # characters: a longer action is named whole on the hint line, "Record" here


def button_text(action: str) -> str:
    """The action's button: its name, or "Record" when the name would push Cancel off a
    laptop's screen (the hint line above names the action whole)."""
    return action if len(action) <= BUTTON_MAX else t("tui.dialog.record")


def focus_on(field: Widget) -> None:
    """The cursor into `field` (into a picker's search field, for a picker)."""
    target = getattr(field, "focus_target", None)
    (target() if callable(target) else field).focus()


class Modal(ModalScreen[R]):
    """What every dialog shares: its styles, its keys' names in the footer, and a body that gives
    way. The frame is at most 80 % of the screen; when the body's fields would push the error
    line, the key hint and the buttons out of it, the body takes only the room left and scrolls
    (a nomination at 160×50 showed neither its refusal nor its buttons)."""

    CSS_PATH = "modals.tcss"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._bindings = translated(self._bindings)

    def on_resize(self) -> None:
        self.refit()

    def refit(self) -> None:
        """Measure again once laid out (after a resize, or a longer error line)."""
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Crowded when the buttons fell below the frame; no longer once the body's content
        fits the room it has (then it fits without scrolling too: no back and forth)."""
        frames, bodies = self.query(".dialog"), self.query(".dialog-body")
        buttons = self.query(".dialog-buttons")
        if not (frames and bodies and buttons):
            return
        frame, body = frames.first(), bodies.first()
        if frame.has_class(CROWDED):
            frame.set_class(body.virtual_size.height > body.size.height, CROWDED)
        else:
            frame.set_class(buttons.first().region.bottom > frame.content_region.bottom, CROWDED)


class Dialog(Modal[R]):
    """A centred dialog: title, help, the body's fields, an error line, the key hint, the named
    action's button and Cancel, and the footer. Subclasses give the body and :meth:`confirm`."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "tui.dialog.cancel")]
    ACTION = "tui.dialog.confirm"  # the named action: the button's label and the hint's Enter

    # ------------------------------------------------------------------ what subclasses give

    def title_text(self) -> str:
        raise NotImplementedError

    def help_text(self) -> str:
        return ""

    def action_label(self) -> str:
        return t(self.ACTION)

    def body(self) -> ComposeResult:
        yield from ()

    def confirm(self) -> None:
        """The named action, once nothing required is missing."""
        raise NotImplementedError

    def first_field(self) -> Widget | None:
        """Where the cursor starts: the first required field still empty, else the first field."""
        fields = self.fields()
        empty = [f for f in fields if f.has_class(REQUIRED) and is_missing(f)]
        return (empty or fields or [None])[0]

    def fields(self) -> list[Widget]:
        """The fields, in order: inputs, choices and required fields such as a delegate picker."""
        return [w for w in self.query(f"Input, Select, .{REQUIRED}") if w.display]

    # ------------------------------------------------------------------ the frame

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text(), markup=False, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                if self.help_text():
                    yield Static(self.help_text(), markup=False, classes="dialog-help")
                yield from self.body()
            yield Static("", markup=False, id="dialog-error", classes="dialog-error")
            yield Static(self.hint(), markup=False, id="dialog-hint", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(button_text(self.action_label()), variant="primary", id="confirm")
                yield Button(self.cancel_label(), id="cancel")
        yield Footer()

    def cancel_label(self) -> str:
        return t("tui.dialog.cancel")

    def hint(self) -> str:
        return t("tui.dialog.hint", action=self.action_label())

    def on_mount(self) -> None:
        self.focus_first()

    def focus_first(self) -> None:
        field = self.first_field()
        if field is not None:
            focus_on(field)
        else:
            self.query_one("#confirm", Button).focus()

    def relabel(self, text: str) -> None:
        """A new name for the action (it depends on a choice made in the dialog)."""
        self.query_one("#confirm", Button).label = button_text(text)
        self.query_one("#dialog-hint", Static).update(t("tui.dialog.hint", action=text))

    # ------------------------------------------------------------------ Enter and Esc

    def fail(self, text: str) -> None:
        self.query_one("#dialog-error", Static).update(text)
        self.refit()  # (a long error line may crowd the buttons out)

    def missing(self) -> Widget | None:
        """The first required field still empty, after saying so; None when all are filled."""
        for field in self.query(f".{REQUIRED}"):
            if field.display and is_missing(field):
                label = str(field.tooltip or "")
                text = getattr(field, "missing_text", None)
                self.fail(text() if callable(text) else t("tui.dialog.missing", field=label))
                return field
        return None

    def submit(self) -> None:
        """Enter, or the action's button: act when nothing is missing, else say what is."""
        field = self.missing()
        if field is not None:
            focus_on(field)
            return
        self.confirm()

    def action_cancel(self) -> None:
        self.dismiss(None)
        self.app.post_message(DialogCancelled(self.title_text()))

    @on(Input.Submitted)
    def _field_entered(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()
        self.submit()

    @on(Choice.Entered)
    def _choice_entered(self, event: Choice.Entered) -> None:
        event.stop()
        self.submit()

    @on(Button.Pressed, "#confirm")
    def _confirm_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    # ------------------------------------------------------------------ fields

    def reason(self) -> str:
        return self.query_one("#reason", Input).value.strip()

    def reason_field(self, label: str = "") -> Horizontal:
        """The reason every record of the roll call and the votes asks for (required)."""
        field = ScanAwareInput(placeholder=t("tui.reason.placeholder"), id="reason")
        return labelled(label or t("tui.reason.label"), field, required=True)


class ConfirmScreen(Modal[bool]):
    """Before anything irreversible: what exactly will be recorded. Enter records it; Esc goes
    back (to the dialog that asked, which stays open, or else cancels: nothing is recorded)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "tui.dialog.back"),
        Binding("enter", "yes", "tui.dialog.record", show=False),
    ]

    def __init__(
        self,
        question: str,
        detail: str = "",
        confirm: str = "",
        *,
        back: bool = False,
        records: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.question = question
        self.detail = detail
        self.confirm_label = confirm or t("tui.dialog.confirm")
        self.back = back  # asked by a dialog: Esc goes back to it
        self.records = records  # False: nothing is recorded either way (quitting, say)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(self.question, markup=False, classes="dialog-title")
            if self.detail:
                with VerticalScroll(classes="dialog-body"):
                    yield Static(self.detail, markup=False, classes="dialog-help")
            hint = (
                "tui.dialog.confirm_hint_back"
                if self.back
                else "tui.dialog.confirm_hint"
                if self.records
                else "tui.dialog.confirm_hint_plain"
            )
            yield Static(t(hint, action=self.confirm_label), markup=False, classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(button_text(self.confirm_label), variant="error", id="confirm")
                yield Button(
                    t("tui.dialog.back" if self.back else "tui.dialog.cancel"), id="cancel"
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#confirm", Button).focus()

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
        if not self.back and self.records:
            self.app.post_message(DialogCancelled(self.question))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self.action_yes()
        else:
            self.action_back()


def push_question(dialog: Dialog[Any], question: tuple[str, str, str], go: Any) -> None:
    """Ask `question` over `dialog`; `go()` once confirmed; Esc comes back to the dialog."""

    def answered(yes: bool | None) -> None:  # (returns nothing: Textual would await it)
        if yes:
            go()
        else:
            dialog.focus_first()

    dialog.app.push_screen(ConfirmScreen(*question, back=True), answered)


class NoticeScreen(Modal[None]):
    """Something to read before starting (the demo's note on how to scan without a scanner):
    Enter or Esc closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "tui.dialog.close"),
        Binding("enter", "close", "tui.dialog.close", show=False),
    ]

    WIDTH_CLASS = "notice-dialog"

    def __init__(self, title: str, text: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = title
        self._text = text

    def body(self) -> ComposeResult:
        """What there is to read (a subclass shows more: a new card's code)."""
        with VerticalScroll(classes="dialog-body"):
            yield Static(self._text, markup=False, classes="dialog-help")

    def compose(self) -> ComposeResult:
        with Vertical(classes=f"dialog {self.WIDTH_CLASS}"):
            yield Static(self._title, markup=False, classes="dialog-title")
            yield from self.body()
            yield Static(t("tui.card.hint"), markup=False, classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.dialog.close"), variant="primary", id="close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#close")
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)


def quit_question() -> ConfirmScreen:
    """Ctrl+Q: "quit?" (Ctrl+Q again, or Enter, quits; nothing is recorded either way)."""
    return ConfirmScreen(
        t("tui.quit.question"),
        t("tui.quit.detail"),
        t("tui.quit.confirm"),
        records=False,
        id="quit-confirm",
    )
