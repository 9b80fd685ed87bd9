"""The election screens' dialogs: one form for every step (a few fields, the congress decision
it cites, a choice), and the nomination dialog that finds a delegate.

Like the vote's dialogs, they stay open until the Store answers: a refusal (a list over the
surplus cap, a box counted before it is closed, a count that does not add up) is shown in the form
and nothing is written.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Select

from db.store import DelegateInfo
from session.elections import Source
from session.i18n import t
from session.votes import Vote
from tui.forms import FormDialog, Question, Send, labelled
from tui.picker import DelegateChosen, DelegatePicker, Search

VOTE = "vote"
CHOICE = "choice"


@dataclass(frozen=True, slots=True)
class Field:
    id: str
    label: str
    value: str = ""
    hint: str = ""


class FormProblem(ValueError):
    """A field the operator must correct (said in the form; nothing is sent)."""


def whole(values: dict[str, str], field: str, label: str, *, minimum: int = 0) -> int:
    """A field read as a whole number, or a FormProblem naming the field and what was typed."""
    text = values.get(field, "").strip()
    if not text.isdigit() or int(text) < minimum:
        raise FormProblem(t("tui.election.form.not_number", field=label, value=text or "—"))
    return int(text)


def names(values: dict[str, str], field: str, label: str) -> tuple[str, ...]:
    """A comma-separated list of names (at least one)."""
    found = tuple(n.strip() for n in values.get(field, "").split(",") if n.strip())
    if not found:
        raise FormProblem(t("tui.election.form.names_required", field=label))
    return found


class StepForm(FormDialog[dict[str, str]]):
    """A step's fields, the decision it cites (the item's published votes not yet cited, the
    expected kind first) and an optional choice; sends {field id: text}."""

    def __init__(
        self,
        send: Send,
        title: str,
        help: str,
        fields: Sequence[Field] = (),
        *,
        votes: Sequence[Vote] = (),
        choices: Sequence[tuple[str, str]] = (),
        confirm: str = "",
        question: Question | None = None,
    ) -> None:
        super().__init__(send)
        self._title = title
        self._help = help
        self._fields = list(fields)
        self._votes = list(votes)
        self._choices = list(choices)
        self._confirm = confirm
        self._question = question

    def title_text(self) -> str:
        return self._title

    def help_text(self) -> str:
        return self._help

    def body(self) -> ComposeResult:
        if self._choices:
            yield labelled(
                t("tui.election.form.choice"),
                Select(
                    self._choices,
                    allow_blank=False,
                    value=self._choices[0][1],
                    type_to_search=False,
                    id=CHOICE,
                ),
            )
        for f in self._fields:
            yield labelled(f.label, self.text_field(f.id, f.hint, f.value))
        if self._votes:
            options = [(f"{v.id} · {v.title}", v.id) for v in self._votes]
            yield labelled(
                t("tui.election.form.vote"),
                Select(
                    options, allow_blank=False, value=options[0][1], type_to_search=False, id=VOTE
                ),
            )

    def on_mount(self) -> None:
        if self._confirm:
            self.query_one("#confirm").label = self._confirm  # type: ignore[attr-defined]
        if self._fields:
            self.query_one(f"#{self._fields[0].id}").focus()
        else:
            self.query_one("#confirm").focus()

    def request(self) -> dict[str, str] | None:
        values = {f.id: self.value(f.id) for f in self._fields}
        if self._votes:
            values[VOTE] = str(self.query_one(f"#{VOTE}", Select).value)
        if self._choices:
            values[CHOICE] = str(self.query_one(f"#{CHOICE}", Select).value)
        return values

    def question(self, request: dict[str, str]) -> Question | None:
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
        yield DelegatePicker(self._search, id="picker")
        sources = [(t(f"election.source.{s.value}"), s.value) for s in NOMINATION_SOURCES]
        yield labelled(
            t("tui.nominate.source"),
            Select(
                sources,
                allow_blank=False,
                value=Source.NOMINATED.value,
                type_to_search=False,
                id="source",
            ),
        )
        yield labelled(t("tui.nominate.nominator"), self.text_field("nominator"))
        yield labelled(
            t("tui.nominate.on_committee"),
            Select(
                [
                    (t("tui.nominate.on_committee_no"), "no"),
                    (t("tui.nominate.on_committee_yes"), "yes"),
                ],
                allow_blank=False,
                value="no",
                type_to_search=False,
                id="on-committee",
            ),
        )
        yield labelled(
            t("tui.nominate.support"), self.text_field("support", t("tui.nominate.support_hint"))
        )

    def on_mount(self) -> None:
        self.query_one(DelegatePicker).focus_query()

    def on_delegate_chosen(self, message: DelegateChosen) -> None:
        message.stop()
        self.query_one("#nominator").focus()

    def request(self) -> Nomination | None:
        delegate = self.query_one(DelegatePicker).selected
        if delegate is None:
            self.fail(t("tui.pick.required"))
            return None
        source = Source(str(self.query_one("#source", Select).value))
        on_committee = self.query_one("#on-committee", Select).value == "yes"
        return Nomination(
            delegate, source, self.value("nominator"), on_committee, self.value("support")
        )


NOMINATION_SOURCES = (Source.LIST, Source.NOMINATED, Source.SELF)
