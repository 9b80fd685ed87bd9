"""Opening an election step's form and recording what it returns, and the ballot boxes' steps.

:class:`StepForms` pushes a :class:`~tui.elections.forms.StepForm` (or a confirmation for a step
with nothing to type); on confirm, the Store call built from its values goes on the desk's write
queue, and the form closes with a green word or stays open saying why it was refused (nothing
written). :class:`BoxSteps` adds the steps taken at a ballot box (prepare, seal, issue ballots,
close, open): the election screen's F2 and a teller's keys open these same forms.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from session import election_records as records
from session import elections as el
from session.election_steps import NextAction
from session.i18n import t
from session.sanity import ballots_issued, closing_short
from tui.desk import Desk
from tui.dialog import ConfirmScreen
from tui.elections.forms import CHOICE, Field, FormProblem, StepForm, names, whole
from tui.forms import FormDialog, Question

Build = Callable[[dict[str, str]], Callable[[], Any]]  # a form's values -> the Store call
Push = Callable[..., object]  # app.push_screen(screen, callback=None)


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
        dialog: type[StepForm] = StepForm,
        **options: Any,
    ) -> None:
        """A StepForm(*form, **options) (or `dialog`, a StepForm with more to ask); on confirm,
        the Store call built from its values; once it went through, the form closes, `done` is
        said and `on_done(result)` called."""

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

        self._push(dialog(send, *form, **options))

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
