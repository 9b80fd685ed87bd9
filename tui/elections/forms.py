"""The election screens' dialogs: one form for every step (a few fields, the congress decision
it cites, a choice), the nomination dialog that finds a delegate, and how their fields are read
(whole numbers, delegate numbers, names; a FormProblem names the field to correct).

Like the vote's dialogs, they stay open until the Store answers: a refusal (a list over the
surplus cap, a box counted before it is closed, a count that does not add up) is shown in the form
and nothing is written. Opening a form and recording what it returns:
:mod:`tui.elections.step_forms`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.app import ComposeResult

from db.store import DelegateInfo
from session.elections import Source
from session.i18n import Refusal, t
from session.votes import Vote
from tui.dialog import Choice, labelled
from tui.forms import FormDialog, Question, Send
from tui.meeting_view import verdict_badge
from tui.picker import DelegateChosen, DelegatePicker, Search

# The dialogs' styles (tui/modals.tcss): Textual reads a CSS_PATH next to the module of the class
# that inherits it, so each dialog here names it again, from this package.
MODALS = "../modals.tcss"
VOTE = "vote"
CHOICE = "choice"
YES, NO = "yes", "no"  # a choice between two answers
Ask = Callable[[dict[str, str]], "Question | None"]  # a question that depends on the values


@dataclass(frozen=True, slots=True)
class Field:
    id: str
    label: str
    value: str = ""
    hint: str = ""
    required: bool = True  # Enter says it is missing while it is empty


class FormProblem(Refusal):
    """A field the operator must correct, or a step the Store cannot take as typed (said in the
    form; nothing is sent)."""

    def __init__(self, text: str) -> None:
        super().__init__("form_problem")
        self.text = text

    def __str__(self) -> str:
        return self.text


def whole(values: dict[str, str], field: str, label: str, *, minimum: int = 0) -> int:
    """A field read as a whole number, or a FormProblem naming the field and what was typed."""
    text = values.get(field, "").strip()
    if not text:  # (not "“—” is not a whole number": nothing was typed)
        raise FormProblem(t("tui.dialog.missing", field=label))
    if not text.isdigit() or int(text) < minimum:
        raise FormProblem(t("tui.election.form.not_number", field=label, value=text))
    return int(text)


def delegate_numbers(text: str, label: str, *, allow_empty: bool = False) -> tuple[int, ...]:
    """Delegate numbers typed as "12 45 78" (or with commas), each once, in the order typed."""
    found: list[int] = []
    for word in text.replace(",", " ").split():
        if not word.isascii() or not word.isdigit() or int(word) < 1:
            raise FormProblem(t("tui.election.form.not_number", field=label, value=word))
        if int(word) not in found:
            found.append(int(word))
    if not found and not allow_empty:
        raise FormProblem(t("tui.election.form.names_required", field=label))
    return tuple(found)


def names(values: dict[str, str], field: str, label: str) -> tuple[str, ...]:
    """A comma-separated list of names (at least one)."""
    found = tuple(n.strip() for n in values.get(field, "").split(",") if n.strip())
    if not found:
        raise FormProblem(t("tui.election.form.names_required", field=label))
    return found


def vote_label(v: Vote) -> str:
    """A congress decision as the operator knows it: its title and its result, no internal id."""
    result = verdict_badge(v.verdict) if v.verdict is not None else ""
    return t("tui.election.form.vote_option", title=v.title, result=result)


class StepForm(FormDialog[dict[str, str]]):
    """A step's fields, the decision it cites (the item's published votes not yet cited, the
    expected kind first) and an optional choice; sends {field id: text}.

    `choices` with a `choice` value start on it; without one, nothing is chosen and Enter asks for
    a choice (a decision that must be made deliberately, such as an invalid ballot's reason)."""

    CSS_PATH = MODALS

    def __init__(
        self,
        send: Send,
        title: str,
        help: str,
        fields: Sequence[Field] = (),
        *,
        votes: Sequence[Vote] = (),
        choices: Sequence[tuple[str, str]] = (),
        choice: str | None = None,
        choice_label: str = "",
        confirm: str = "",
        question: Question | Ask | None = None,
    ) -> None:
        super().__init__(send)
        self._title = title
        self._help = help
        self._fields = list(fields)
        self._votes = list(votes)
        self._choices = list(choices)
        self._choice = choice
        self._choice_label = choice_label
        self._confirm = confirm
        self._question = question

    def title_text(self) -> str:
        return self._title

    def help_text(self) -> str:
        return self._help

    def action_label(self) -> str:
        return self._confirm or self._title

    def body(self) -> ComposeResult:
        if self._choices:
            yield labelled(
                self._choice_label or t("tui.election.form.choice"),
                Choice(list(self._choices), value=self._choice, id=CHOICE),
                required=True,
            )
        for f in self._fields:
            yield labelled(f.label, self.text_field(f.id, f.hint, f.value), required=f.required)
        if self._votes:
            options = [(vote_label(v), v.id) for v in self._votes]
            yield labelled(
                t("tui.election.form.vote"),
                Choice(options, value=options[0][1], id=VOTE),
                required=True,
            )

    def request(self) -> dict[str, str] | None:
        values = {f.id: self.value(f.id) for f in self._fields}
        if self._votes:
            values[VOTE] = self.query_one(f"#{VOTE}", Choice).chosen or ""
        if self._choices:
            values[CHOICE] = self.query_one(f"#{CHOICE}", Choice).chosen or ""
        return values

    def question(self, request: dict[str, str]) -> Question | None:
        if callable(self._question):  # it depends on what was typed (a figure to check)
            return self._question(request)
        return self._question


@dataclass(frozen=True, slots=True)
class Nomination:
    delegate: DelegateInfo
    source: Source
    nominator: str
    nominator_on_committee: bool  # a convening-committee member may not nominate off the list
    support: str  # typed: checked by the screen


class NominationDialog(FormDialog[Nomination]):
    """A delegate added to the list: from the convening committee's list, nominated at the
    congress (who nominated, and how many supported it), or self-nominated."""

    CSS_PATH = MODALS
    ACTION = "tui.nominate.confirm"

    def __init__(self, send: Send, search: Search, title: str, present: int) -> None:
        super().__init__(send)
        self._search = search
        self._title = title
        self._present = present

    def title_text(self) -> str:
        return t("tui.nominate.title", election=self._title)

    def help_text(self) -> str:
        return t("tui.nominate.help", present=self._present)

    def body(self) -> ComposeResult:
        yield DelegatePicker(self._search, id="picker", required=True)
        sources = [(t(f"election.source.{s.value}"), s.value) for s in NOMINATION_SOURCES]
        yield labelled(
            t("tui.nominate.source"),
            Choice(sources, value=Source.NOMINATED.value, id="source"),
            required=True,
        )
        yield labelled(t("tui.nominate.nominator"), self.text_field("nominator"))
        on_committee = [
            (t("tui.nominate.on_committee_no"), "no"),
            (t("tui.nominate.on_committee_yes"), "yes"),
        ]
        yield labelled(
            t("tui.nominate.on_committee"), Choice(on_committee, value="no", id="on-committee")
        )
        yield labelled(
            t("tui.nominate.support"), self.text_field("support", t("tui.nominate.support_hint"))
        )

    def on_delegate_chosen(self, message: DelegateChosen) -> None:
        message.stop()
        self.query_one("#nominator").focus()

    def request(self) -> Nomination | None:
        picker = self.query_one(DelegatePicker)
        if picker.waiting:  # Enter before the search answered: go on once it has
            picker.then(self.submit)
            return None
        delegate = picker.selected
        if delegate is None:
            self.fail(picker.missing_text())
            picker.focus_query()
            return None
        source = Source(self.query_one("#source", Choice).chosen or Source.NOMINATED)
        on_committee = self.query_one("#on-committee", Choice).chosen == "yes"
        return Nomination(
            delegate, source, self.value("nominator"), on_committee, self.value("support")
        )


NOMINATION_SOURCES = (Source.LIST, Source.NOMINATED, Source.SELF)
