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

from db.store import DelegateInfo
from session import election_records as records
from session import elections as el
from session.election_steps import NextAction
from session.elections import Source
from session.i18n import Refusal, t
from session.sanity import ballots_issued, closing_short
from session.votes import Vote
from tui.desk import Desk
from tui.dialog import Choice, ConfirmScreen, labelled
from tui.forms import FormDialog, Question, Send
from tui.meeting_view import verdict_badge
from tui.picker import DelegateChosen, DelegatePicker, Search

VOTE = "vote"
CHOICE = "choice"
Build = Callable[[dict[str, str]], Callable[[], Any]]  # a form's values -> the Store call
Push = Callable[..., object]  # app.push_screen(screen, callback=None)
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


# ---------------------------------------------------------------- opening a step's form


class StepForms:
    """Open a step's form; on confirm, its Store call goes on the desk's write queue, and the
    form closes with a green word or stays open saying why it was refused (nothing written)."""

    def __init__(self, desk: Desk, push: Push) -> None:
        self.desk = desk
        self._push = push

    def form(
        self,
        build: Build,
        done: str,
        *form: Any,
        on_done: Callable[[Any], None] | None = None,
        **options: Any,
    ) -> None:
        """A StepForm(*form, **options); on confirm, the Store call built from its values; once
        it went through, the form closes, `done` is said and `on_done(result)` called."""

        def finished(dialog: FormDialog[Any], result: Any) -> None:
            self.finished(dialog, done)
            if on_done is not None:
                on_done(result)

        def send(values: dict[str, str], dialog: FormDialog[Any]) -> None:
            try:
                call = build(values)
            except FormProblem as problem:
                dialog.refused(str(problem))
                return
            self.desk.write(
                call, done=lambda result: finished(dialog, result), failed=dialog.refused
            )

        self._push(StepForm(send, *form, **options))

    def committee_names(self, committee: el.CountingCommittee | None) -> list[str]:
        """The counting committee by name, the head first (recorded by person id)."""
        if committee is None:
            return []
        meeting = self.desk.meeting
        people = [committee.head, *(m for m in committee.members if m != committee.head)]
        return [meeting.name(p) if meeting is not None else p for p in people]

    def finished(self, dialog: FormDialog[Any], text: str) -> None:
        dialog.accepted(None)
        self.desk.say(text, "green", bells=1)

    def record(self, build: Callable[[datetime], el.ElectionEvent]) -> Callable[[], Any]:
        store = self.desk.store
        return lambda: store.record_election(lambda _book, now: build(now))

    def confirm(
        self, title: str, help: str, event: Callable[[datetime], el.ElectionEvent], done: str
    ) -> None:
        """A step with nothing to type: one confirmation naming it (Enter records, Esc cancels),
        then the event; a refusal is said on the notice line."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.desk.write(
                    self.record(event), done=lambda _: self.desk.say(done, "green", bells=1)
                )

        self._push(ConfirmScreen(title, help, title), answered)


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
            return self.record(records.box_prepared(e.id, step.round, box, kind))

        default = str(len(e.current.boxes) + 1)
        self.form(
            build,
            t("tui.election.done.box_prepared"),
            t("tui.election.action.prepare_box", box=""),
            t("tui.election.box_help"),
            [Field("box", label, default)],
            choices=kinds,
            choice=el.BoxKind.MAIN.value,
            choice_label=t("tui.election.form.box_kind"),
        )

    def seal_box(self, e: el.Election, step: NextAction) -> None:
        label, box = t("tui.election.form.sealed_by"), step.box or ""

        def build(values: dict[str, str]) -> Callable[[], Any]:
            by = names(values, "by", label)
            return self.record(records.box_sealed(e.id, step.round, box, by))

        committee = self.committee_names(e.committee)
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
        r = e.current
        present = r.snapshot.present if r.snapshot else 0

        def build(values: dict[str, str]) -> Callable[[], Any]:
            count = whole(values, "count", label, minimum=1)
            return self.record(records.ballots_issued(e.id, round_no, box, count))

        def ask(values: dict[str, str]) -> Question | None:
            """More ballots than voters, or fewer once this is the only box: say so first."""
            text = values.get("count", "")
            if not text.isdigit():
                return None  # (refused with the reason when built)
            caution = ballots_issued(r.issued, int(text), present)
            voting = [b for b in r.boxes if b.status is el.BoxStatus.VOTING]
            if caution is None or (caution.key == "issued_below_present" and len(voting) > 1):
                return None
            title = t("tui.election.action.issue_ballots", box=box)
            return (t("sanity.question_issue"), caution.text(), title)

        self.form(
            build,
            t("tui.election.done.issued", box=box),
            t("tui.election.action.issue_ballots", box=box),
            t("tui.election.issue_help", present=present),
            [Field("count", label, str(max(present - r.issued, 0) or present))],
            question=ask,
        )

    def close_box(self, e: el.Election, step: NextAction) -> None:
        box = step.box or ""
        r = e.current
        present = r.snapshot.present if r.snapshot else 0
        voting = [b for b in r.boxes if b.status is el.BoxStatus.VOTING]
        lines = [t("tui.election.close_help", box=box, issued=r.issued)]
        caution = closing_short(r.issued, present, last_box=len(voting) <= 1)
        if caution is not None:
            lines.append("⚠ " + caution.text())
        self.confirm(
            t("tui.election.action.close_box", box=box),
            "\n".join(lines),
            records.box_closed(e.id, step.round, box),
            t("tui.election.done.closed", box=box),
        )

    def open_box(self, e: el.Election, step: NextAction) -> None:
        box = step.box or ""
        returned_label, by_label = t("tui.election.form.returned"), t("tui.election.form.opened_by")
        committee = self.committee_names(e.committee)

        def build(values: dict[str, str]) -> Callable[[], Any]:
            returned = whole(values, "returned", returned_label)
            by = names(values, "by", by_label)
            return self.record(records.box_opened(e.id, step.round, box, returned, by))

        fields = [Field("returned", returned_label), Field("by", by_label, ", ".join(committee))]
        self.form(
            build,
            t("tui.election.done.box_opened", box=box),
            t("tui.election.action.open_box", box=box),
            t("tui.election.open_box_help"),
            fields,
        )
