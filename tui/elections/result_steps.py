"""The results of a round: signing the counting minutes, announcing, and what a result leaves
to decide.

The minutes signed by the counting committee, the results announced; a tie at the cut-off broken
by another round or by the congress's decision (the winners by ballot number), another round for
seats left unfilled or a stop, more elected than seats (accepted or not), and a delegation's
alternates (their own round, or their order as decided).
"""

from collections.abc import Callable
from typing import Any

from session import election_records as records
from session import elections as el
from session.agenda import MotionKind
from session.election_steps import NextAction
from session.i18n import t
from tui.elections.forms import CHOICE, NO, VOTE, YES, Field, FormProblem, names
from tui.elections.step_group import StepGroup
from tui.elections.view import announcing_line, elected_line


class ResultSteps(StepGroup):
    """The steps after the count, each opening its form or question."""

    def _step_sign(self, e: el.Election, step: NextAction) -> None:
        label = t("tui.election.form.signers")
        committee = self.forms.committee_names(e.current.committee or e.committee)

        def build(values: dict[str, str]) -> Callable[[], Any]:
            signers = names(values, "signers", label)
            return self.forms.record(records.minutes_signed(e.id, step.round, signers))

        self.forms.form(
            build,
            t("tui.election.done.signed"),
            t("tui.election.action.sign"),
            t("tui.election.sign_help"),
            [Field("signers", label, ", ".join(committee))],
        )

    def _step_announce(self, e: el.Election, step: NextAction) -> None:
        self.forms.confirm(
            t("tui.election.action.announce"),
            announcing_line(self.book, e, step.round),
            records.results_announced(e.id, step.round),
            t("tui.election.done.announced", title=e.title),
        )

    def _step_tie_break(self, e: el.Election, step: NextAction) -> None:
        self.forms.confirm(
            t("tui.election.action.tie_break"),
            elected_line(e),
            records.tie_break_round(e.id),
            t("tui.election.done.round_added"),
        )

    def _numbers_to_persons(
        self, e: el.Election, values: dict[str, str], field: str, label: str
    ) -> tuple[str, ...]:
        """Ballot numbers typed in a field, as the current round's person ids."""
        ballot = e.current.ballot
        chosen = []
        for text in values.get(field, "").replace(",", " ").split():
            if not text.isdigit() or not 1 <= int(text) <= len(ballot):
                raise FormProblem(t("tui.election.form.not_number", field=label, value=text))
            chosen.append(ballot[int(text) - 1])
        if not chosen:
            raise FormProblem(t("tui.election.form.names_required", field=label))
        return tuple(chosen)

    def _step_tie_decision(self, e: el.Election, step: NextAction) -> None:
        label, reason_label = t("tui.election.form.winners"), t("tui.election.form.reason")

        def build(values: dict[str, str]) -> Callable[[], Any]:
            winners = self._numbers_to_persons(e, values, "winners", label)
            reason, vote = values["reason"], values.get(VOTE, "")
            return self.forms.record(records.tie_resolved(e.id, step.round, winners, reason, vote))

        self.forms.form(
            build,
            t("tui.election.done.tie_decided"),
            t("tui.election.action.tie_decision"),
            elected_line(e),
            [Field("winners", label), Field("reason", reason_label)],
            votes=self._citable(e, MotionKind.OTHER),
        )

    def _step_next_round(self, e: el.Election, step: NextAction) -> None:
        choices = [(t("tui.election.another_round"), YES), (t("tui.election.stop"), NO)]
        reason_label = t("tui.election.form.reason")

        def build(values: dict[str, str]) -> Callable[[], Any]:
            vote = values[VOTE]
            if values[CHOICE] == YES:
                return self.forms.record(records.unfilled_round(e.id, vote))
            return self.forms.record(records.election_stopped(e.id, vote, values["reason"]))

        self.forms.form(
            build,
            t("tui.election.done.next_round"),
            t("tui.election.action.next_round"),
            elected_line(e),
            [Field("reason", reason_label, required=False)],  # (the reason for stopping)
            choices=choices,
            votes=self._citable(e, MotionKind.OTHER),
        )

    def _step_overflow(self, e: el.Election, step: NextAction) -> None:
        choices = [(t("tui.election.overflow_yes"), YES), (t("tui.election.overflow_no"), NO)]

        def build(values: dict[str, str]) -> Callable[[], Any]:
            accepted = values[CHOICE] == YES
            return self.forms.record(records.overflow_decided(e.id, accepted, values[VOTE]))

        self.forms.form(
            build,
            t("tui.election.done.overflow"),
            t("tui.election.action.overflow"),
            elected_line(e),
            choices=choices,
            votes=self._citable(e, MotionKind.OTHER),
        )

    def _step_alternates(self, e: el.Election, step: NextAction) -> None:
        self.forms.confirm(
            t("tui.election.action.alternates"),
            elected_line(e),
            records.alternates_round(e.id),
            t("tui.election.done.round_added"),
        )

    def _step_alternate_order(self, e: el.Election, step: NextAction) -> None:
        label, reason_label = t("tui.election.form.order"), t("tui.election.form.reason")
        ids = {c.person.full_name: c.id for c in e.candidates}

        def build(values: dict[str, str]) -> Callable[[], Any]:
            order = tuple(ids.get(n, n) for n in names(values, "order", label))
            reason = values["reason"]
            return self.forms.record(
                records.alternate_order_decided(e.id, order, reason, values[VOTE])
            )

        self.forms.form(
            build,
            t("tui.election.done.order"),
            t("tui.election.action.alternate_order"),
            elected_line(e),
            [Field("order", label), Field("reason", reason_label)],
            votes=self._citable(e, MotionKind.OTHER),
        )
