"""The election screens' dialogs: one form for every step (a few fields, the congress decision
it cites, a choice), and the nomination dialog that finds a delegate.

Like the vote's dialogs, they stay open until the Store answers: a refusal (a list over the
surplus cap, a box counted before it is closed, a count that does not add up) is shown in the form
and nothing is written.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Select

from db.store import DelegateInfo
from session import elections as el
from session.election_steps import NextAction
from session.elections import Source
from session.i18n import t
from session.votes import Vote
from tui.desk import Desk
from tui.forms import FormDialog, Question, Send, labelled
from tui.picker import DelegateChosen, DelegatePicker, Search

VOTE = "vote"
CHOICE = "choice"
Build = Callable[[dict[str, str]], Callable[[], Any]]  # a form's values -> the Store call


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


# ---------------------------------------------------------------- opening a step's form


class StepForms:
    """Open a step's form; on confirm, its Store call goes on the desk's write queue, and the
    form closes with a green word or stays open saying why it was refused (nothing written)."""

    def __init__(self, desk: Desk, push: Callable[[Screen[Any]], object]) -> None:
        self.desk = desk
        self._push = push

    def form(self, build: Build, done: str, *form: Any, **options: Any) -> None:
        """A StepForm(*form, **options); on confirm, the Store call built from its values."""

        def send(values: dict[str, str], dialog: FormDialog[Any]) -> None:
            try:
                call = build(values)
            except FormProblem as problem:
                dialog.refused(str(problem))
                return
            self.desk.write(call, done=lambda _: self.finished(dialog, done), failed=dialog.refused)

        self._push(StepForm(send, *form, **options))

    def finished(self, dialog: FormDialog[Any], text: str) -> None:
        dialog.accepted(None)
        self.desk.say(text, "green", bells=1)

    def record(self, build: Callable[[datetime], el.ElectionEvent]) -> Callable[[], Any]:
        store = self.desk.store
        return lambda: store.record_election(lambda _book, now: build(now))

    def confirm(
        self, title: str, help: str, event: Callable[[datetime], el.ElectionEvent], done: str
    ) -> None:
        """A step with nothing to type: a confirmation, then the event."""
        self.form(
            lambda _values: self.record(event), done, title, help, question=(title, help, title)
        )


class BoxSteps(StepForms):
    """The ballot boxes' steps: the presidium's election screen (F2) and a teller's keys open
    these same forms."""

    def prepare_box(self, e: el.Election, step: NextAction) -> None:
        label = t("tui.election.form.box")
        kinds = [(t("election.box_kind.main"), el.BoxKind.MAIN.value)]
        if e.auxiliary_boxes:
            kinds.append((t("election.box_kind.auxiliary"), el.BoxKind.AUXILIARY.value))

        def build(values: dict[str, str]) -> Callable[[], Any]:
            box = values["box"].strip()
            if not box:
                raise FormProblem(t("tui.election.form.names_required", field=label))
            kind = el.BoxKind(values[CHOICE])
            return self.record(lambda now: el.BoxPrepared(e.id, step.round, box, kind, now))

        default = str(len(e.current.boxes) + 1)
        self.form(
            build,
            t("tui.election.done.box_prepared"),
            t("tui.election.action.prepare_box", box=""),
            t("tui.election.box_help"),
            [Field("box", label, default)],
            choices=kinds,
        )

    def seal_box(self, e: el.Election, step: NextAction) -> None:
        label, box = t("tui.election.form.sealed_by"), step.box or ""

        def build(values: dict[str, str]) -> Callable[[], Any]:
            by = names(values, "by", label)
            return self.record(lambda now: el.BoxSealed(e.id, step.round, box, by, now))

        committee = e.committee.members if e.committee else ()
        self.form(
            build,
            t("tui.election.done.sealed", box=box),
            t("tui.election.action.seal_box", box=box),
            t("tui.election.seal_help"),
            [Field("by", label, ", ".join(committee[:2]))],
        )

    def issue_ballots(self, e: el.Election, step: NextAction) -> None:
        self.issue(e, step.round, step.box or "")

    def issue(self, e: el.Election, round_no: int, box: str) -> None:
        label = t("tui.election.form.issued")
        present = e.current.snapshot.present if e.current.snapshot else 0

        def build(values: dict[str, str]) -> Callable[[], Any]:
            count = whole(values, "count", label, minimum=1)
            return self.record(lambda now: el.BallotsIssued(e.id, round_no, box, count, "", now))

        self.form(
            build,
            t("tui.election.done.issued", box=box),
            t("tui.election.action.issue_ballots", box=box),
            t("tui.election.issue_help", present=present),
            [Field("count", label, str(present))],
        )

    def close_box(self, e: el.Election, step: NextAction) -> None:
        box = step.box or ""
        self.confirm(
            t("tui.election.action.close_box", box=box),
            t("tui.election.close_help", box=box, issued=e.current.issued),
            lambda now: el.BoxClosed(e.id, step.round, box, now),
            t("tui.election.done.closed", box=box),
        )

    def open_box(self, e: el.Election, step: NextAction) -> None:
        box = step.box or ""
        returned_label, by_label = t("tui.election.form.returned"), t("tui.election.form.opened_by")
        committee = e.committee.members if e.committee else ()

        def build(values: dict[str, str]) -> Callable[[], Any]:
            returned = whole(values, "returned", returned_label)
            by = names(values, "by", by_label)
            return self.record(lambda now: el.BoxOpened(e.id, step.round, box, returned, by, now))

        fields = [Field("returned", returned_label), Field("by", by_label, ", ".join(committee))]
        self.form(
            build,
            t("tui.election.done.box_opened", box=box),
            t("tui.election.action.open_box", box=box),
            t("tui.election.open_box_help"),
            fields,
        )
