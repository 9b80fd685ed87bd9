"""The agenda's and the vote's dialogs: each sends its request to the Store and waits.

Unlike the roll call's dialogs (which close and let the app write), these stay open until the
Store answers: a refusal (a negative count, a total above those present, the same teller twice,
a missing reason...) is shown in the form and nothing is written; the operator corrects and
presses Enter again. Final steps (a correction, a cancellation) ask "are you sure?" first, naming
what will be recorded. Keys as in every dialog (tui.dialog).
"""

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, DataTable, Input, Static

from session.agenda import AgendaItem, ItemKind, ItemState, MotionKind
from session.i18n import t
from session.votes import Option
from tui.dialog import Choice, Dialog, labelled, push_question
from tui.meeting_view import option_label
from tui.widgets.scan_input import ScanAwareInput
from tui.widgets.tables import cell

Q = TypeVar("Q")  # what the form asks the Store to do
Send = Callable[[Any, "FormDialog[Any]"], None]
Question = tuple[str, str, str]  # question, detail, the confirm button's label


class FormDialog(Dialog[Any], Generic[Q]):
    """A dialog that hands its request to `send` and stays open until the Store answers."""

    def __init__(self, send: Send) -> None:
        super().__init__()
        self._send = send
        self.waiting = False

    def request(self) -> Q | None:
        """What the operator asks for, or None (after saying why with :meth:`fail`)."""
        raise NotImplementedError

    def question(self, request: Q) -> Question | None:
        """Ask this first (a final step), or None to send at once."""
        return None

    def confirm(self) -> None:
        if self.waiting:
            return
        request = self.request()
        if request is None:
            return
        question = self.question(request)
        if question is None:
            self._go(request)
        else:
            push_question(self, question, lambda: self._go(request))

    def _go(self, request: Q) -> None:
        self.waiting = True
        self.fail("")
        self.query_one("#confirm", Button).disabled = True
        self._send(request, self)

    def refused(self, text: str) -> None:
        """The Store said no: the message in the form, nothing written; try again."""
        self.waiting = False
        if not self.is_attached:
            return
        self.query_one("#confirm", Button).disabled = False
        self.fail(text)
        self.focus_first()

    def accepted(self, result: object) -> None:
        self.waiting = False
        if self.is_attached:
            self.dismiss(result)

    def text_field(self, id: str, placeholder: str = "", value: str = "") -> Input:
        """A scan-aware field (a card scanned into it still reaches the roll call)."""
        return ScanAwareInput(value or None, placeholder, id=id, classes="form-field")

    def value(self, id: str) -> str:
        return self.query_one(f"#{id}", Input).value.strip()


# ---------------------------------------------------------------- reasons only


class ReasonDialog(FormDialog[str]):
    """A reason (required), and an action that says what happens (skip, recount, cancel...).

    With `ask`, a final step: "are you sure?" (with the reason) before anything is sent.
    """

    def __init__(
        self,
        send: Send,
        title: str,
        help: str,
        confirm: str,
        ask: Callable[[str], Question] | None = None,
    ) -> None:
        super().__init__(send)
        self._title = title
        self._help = help
        self._confirm = confirm
        self._ask = ask

    def title_text(self) -> str:
        return self._title

    def help_text(self) -> str:
        return self._help

    def action_label(self) -> str:
        return self._confirm

    def body(self) -> ComposeResult:
        yield self.reason_field()

    def request(self) -> str | None:
        return self.reason()

    def question(self, request: str) -> Question | None:
        return None if self._ask is None else self._ask(request)


class ProposalDialog(FormDialog[int]):
    """The number put to a vote (the seats of an election), before the vote opens: the election
    then takes it from the decision instead of having it typed again."""

    ACTION = "tui.proposal.confirm"

    def __init__(self, send: Send, title: str, value: int | None = None) -> None:
        super().__init__(send)
        self._title = title
        self._value = value

    def title_text(self) -> str:
        return t("tui.proposal.title", title=self._title)

    def help_text(self) -> str:
        return t("tui.proposal.help")

    def body(self) -> ComposeResult:
        field = self.text_field("proposal", t("tui.proposal.hint"), str(self._value or ""))
        yield labelled(t("tui.proposal.label"), field, required=True)

    def request(self) -> int | None:
        text = self.value("proposal")
        if not text.isdigit() or int(text) < 1:
            self.fail(t("tui.proposal.not_number", value=text))
            return None
        return int(text)


# ---------------------------------------------------------------- the agenda


class InsertDialog(FormDialog[AgendaItem]):
    """A new agenda item: title, kind, presenter, planned minutes, and the motion of a vote."""

    ACTION = "tui.insert.confirm"

    def __init__(self, send: Send, after: str | None) -> None:
        super().__init__(send)
        self._after = after

    def title_text(self) -> str:
        return t("tui.insert.title")

    def help_text(self) -> str:
        if self._after is None:
            return t("tui.insert.help_top")
        return t("tui.insert.help", after=self._after)

    def body(self) -> ComposeResult:
        yield labelled(
            t("tui.insert.item_title"),
            self.text_field("insert-title", t("tui.insert.item_title_hint")),
            required=True,
        )
        kinds = [(t(f"agenda.kind.{k.value}"), k.value) for k in ItemKind]
        yield labelled(
            t("tui.insert.kind"), Choice(kinds, value=ItemKind.PROCEDURAL.value, id="insert-kind")
        )
        motions = [(t(f"vote.motion.{m.value}"), m.value) for m in MotionKind]
        row = labelled(
            t("tui.insert.motion"),
            Choice(motions, value=MotionKind.OTHER.value, id="insert-motion"),
        )
        row.id = "insert-motion-row"
        row.display = False
        yield row
        yield labelled(
            t("tui.insert.presenter"),
            self.text_field("insert-presenter", t("tui.insert.presenter_hint")),
        )
        yield labelled(
            t("tui.insert.duration"),
            self.text_field("insert-duration", t("tui.insert.duration_hint")),
        )

    @on(Choice.Changed, "#insert-kind")
    def _kind_changed(self, event: Choice.Changed) -> None:
        event.stop()
        self.query_one("#insert-motion-row").display = event.value == ItemKind.VOTE.value

    def request(self) -> AgendaItem | None:
        kind = ItemKind(self.query_one("#insert-kind", Choice).chosen or ItemKind.PROCEDURAL)
        motion = self.query_one("#insert-motion", Choice).chosen
        duration_text = self.value("insert-duration")
        duration = None
        if duration_text:
            if not duration_text.isdigit():
                self.fail(t("tui.insert.bad_duration", value=duration_text))
                self.query_one("#insert-duration").focus()
                return None
            duration = int(duration_text)
        return AgendaItem(
            key="",
            session="",
            kind=kind,
            title=self.value("insert-title"),
            presenter=self.value("insert-presenter"),
            duration=duration,
            motion=MotionKind(motion) if kind is ItemKind.VOTE and motion else None,
        )


TOP = "__top__"


class MoveDialog(FormDialog[str | None]):
    """Move an item to just after another (or to the top): the arrows choose, Enter moves."""

    ACTION = "tui.move.confirm"

    def __init__(self, send: Send, title: str, others: Sequence[ItemState]) -> None:
        super().__init__(send)
        self._title = title
        self._others = list(others)
        self.target: str | None = TOP

    def title_text(self) -> str:
        return t("tui.move.title", title=self._title)

    def help_text(self) -> str:
        return t("tui.move.help")

    def body(self) -> ComposeResult:
        yield DataTable[Text](id="move-targets", cursor_type="row", zebra_stripes=True)
        yield Static("", markup=False, id="move-selected")

    def on_mount(self) -> None:
        table = self.query_one("#move-targets", DataTable)
        table.add_column(t("tui.move.after"), key="title", width=90)
        table.add_row(cell(t("tui.move.top")), key=TOP)
        for s in self._others:
            table.add_row(cell(s.item.title), key=s.key)
        table.focus()
        self._choose(TOP)

    def focus_first(self) -> None:
        self.query_one("#move-targets", DataTable).focus()

    def _choose(self, key: str | None) -> None:
        self.target = key
        if key == TOP or key is None:
            text = t("tui.move.top")
        else:
            found = next((s for s in self._others if s.key == key), None)
            text = t("tui.move.chosen", title=found.item.title if found else key)
        self.query_one("#move-selected", Static).update(text)

    @on(DataTable.RowHighlighted, "#move-targets")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._choose(event.row_key.value)

    @on(DataTable.RowSelected, "#move-targets")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._choose(event.row_key.value)
        self.submit()

    def request(self) -> str | None:
        # "" means the top (None is "nothing chosen" for FormDialog)
        return "" if self.target in (TOP, None) else self.target


# ---------------------------------------------------------------- votes


class CountDialog(FormDialog[tuple[str, dict[str, str]]]):
    """One teller's count of one sector. Never shows another teller's numbers."""

    ACTION = "tui.count.confirm"

    def __init__(
        self,
        send: Send,
        sector: str,
        entry: int,
        first_teller: str | None,
        options: Sequence[Option],
        present: str,
    ) -> None:
        super().__init__(send)
        self.sector = sector
        self.entry = entry
        self._first = first_teller
        self._options = list(options)
        self._present = present

    def title_text(self) -> str:
        return t("tui.count.title", sector=self.sector, entry=self.entry)

    def help_text(self) -> str:
        if self._first is None:
            return t("tui.count.help_first", present=self._present)
        return t("tui.count.help_second", teller=self._first, present=self._present)

    def body(self) -> ComposeResult:
        yield labelled(
            t("tui.count.teller"),
            self.text_field("teller", t("tui.count.teller_hint")),
            required=True,
        )
        for option in self._options:
            yield labelled(
                option_label(option),
                self.text_field(f"count-{option.value}", t("tui.count.count_hint")),
                required=True,
            )

    def request(self) -> tuple[str, dict[str, str]] | None:
        counts = {o.value: self.value(f"count-{o.value}") for o in self._options}
        return self.value("teller"), counts


class TellerDialog(FormDialog[str]):
    """'All present in favour': one teller confirms (two different tellers are needed)."""

    ACTION = "tui.unanimous.confirm"

    def __init__(self, send: Send, present: int, confirmed_by: Sequence[str]) -> None:
        super().__init__(send)
        self._present = present
        self._by = list(confirmed_by)

    def title_text(self) -> str:
        return t("tui.unanimous.title", present=self._present)

    def help_text(self) -> str:
        if not self._by:
            return t("tui.unanimous.help_first")
        return t("tui.unanimous.help_second", tellers=", ".join(self._by))

    def body(self) -> ComposeResult:
        yield labelled(
            t("tui.count.teller"),
            self.text_field("teller", t("tui.count.teller_hint")),
            required=True,
        )

    def request(self) -> str | None:
        return self.value("teller")


class CorrectionDialog(FormDialog[tuple[dict[str, str], str]]):
    """New totals for an announced vote, and why; asks before recording."""

    ACTION = "tui.vote_correct.confirm"

    def __init__(
        self,
        send: Send,
        title: str,
        current: str,
        options: Sequence[Option],
        counts: Sequence[int],
    ) -> None:
        super().__init__(send)
        self._title = title
        self._current = current
        self._options = list(options)
        self._counts = list(counts)

    def title_text(self) -> str:
        return t("tui.vote_correct.title", title=self._title)

    def help_text(self) -> str:
        return t("tui.vote_correct.help", current=self._current)

    def body(self) -> ComposeResult:
        for option, count in zip(self._options, self._counts, strict=False):
            yield labelled(
                option_label(option),
                self.text_field(f"count-{option.value}", t("tui.count.count_hint"), str(count)),
                required=True,
            )
        yield self.reason_field(t("tui.vote_correct.reason"))

    def first_field(self) -> Any:
        return self.query_one(f"#count-{self._options[0].value}")

    def request(self) -> tuple[dict[str, str], str] | None:
        counts = {o.value: self.value(f"count-{o.value}") for o in self._options}
        return counts, self.reason()

    def question(self, request: tuple[dict[str, str], str]) -> Question | None:
        counts, reason = request
        new = " · ".join(f"{option_label(o)} {counts[o.value]}" for o in self._options)
        return (
            t("tui.vote_correct.question", title=self._title),
            t("tui.vote_correct.warning", counts=new, reason=reason or "—"),
            t("tui.vote_correct.confirm"),
        )
