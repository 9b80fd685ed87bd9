"""A round of an election, from the counting committee to the boxes counted.

The counting committee appointed (by delegate number, the head first), voting opened (the
attendance frozen; said first when the round's ballots were not printed here), the counting
started (by ballot or from tally sheets, by one team or two, one of them perhaps a ballot reader)
and each box declared counted; Ctrl+B issues more ballots to an open box. The steps taken at a
ballot box (prepare, seal, issue ballots, close, open) open
:class:`~tui.elections.step_forms.BoxSteps`' forms, shared with a teller's terminal.
"""

from collections.abc import Callable
from typing import Any

from session import election_records as records
from session import elections as el
from session.agenda import MotionKind
from session.candidates import delegate_person_id
from session.election_steps import NextAction, latest_committee
from session.i18n import t
from tui.elections.counting_form import TEAMS, CountingForm, chosen_reader
from tui.elections.forms import CHOICE, VOTE, Field, FormProblem, delegate_numbers, names
from tui.elections.printing import Printing


class RoundSteps(Printing):
    """The round's steps, each opening its form or question (opening the voting looks for the
    round's printed ballots)."""

    def _step_appoint_counters(self, e: el.Election, step: NextAction) -> None:
        """The counting committee, chosen from the register by delegate number (the head
        first); a candidate of the election is refused with the reason (domain rules 4.8)."""
        head_label, members_label = t("tui.election.form.head"), t("tui.election.form.members")
        before = latest_committee(self.book)
        numbers_before = [el.delegate_number(p) for p in (before.members if before else ())]
        head_before = el.delegate_number(before.head) if before else None
        fields = [
            Field("head", head_label, str(head_before or "")),
            Field(
                "members",
                members_label,
                " ".join(str(n) for n in numbers_before if n is not None and n != head_before),
                t("tui.election.form.numbers_hint"),
                required=False,
            ),
        ]
        store = self.desk.store

        def build(values: dict[str, str]) -> Callable[[], Any]:
            head = delegate_numbers(values["head"], head_label)
            if len(head) != 1:
                raise FormProblem(t("tui.election.form.one_number", field=head_label))
            members = delegate_numbers(values["members"], members_label, allow_empty=True)
            chosen = [head[0], *(n for n in members if n != head[0])]
            ids = tuple(delegate_person_id(n) for n in chosen)

            def call() -> list[str]:
                found = [store.delegate(n) for n in chosen]
                missing = [n for n, d in zip(chosen, found, strict=True) if d is None]
                if missing:
                    raise FormProblem(t("tui.election.form.no_delegate", number=missing[0]))
                appointed = records.counters_appointed(e.id, ids, values[VOTE])
                store.record_election(lambda _b, now: appointed(now))
                return [d.full_name for d in found if d is not None]

            return call

        self.forms.form(
            build,
            t("tui.election.done.counters"),
            t("tui.election.action.appoint_counters"),
            t("tui.election.counters_help"),
            fields,
            votes=self._citable(e, MotionKind.PROCEDURAL_BODY),
            on_done=self._counters_named,
        )

    def _counters_named(self, names: list[str]) -> None:
        """Who was recorded, by name (the form took numbers), the head first."""
        self.desk.say(t("tui.election.counters_named", names=", ".join(names)), "green")

    def _step_prepare_box(self, e: el.Election, step: NextAction) -> None:
        self.forms.prepare_box(e, step)

    def _step_seal_box(self, e: el.Election, step: NextAction) -> None:
        self.forms.seal_box(e, step)

    def _step_open_voting(self, e: el.Election, step: NextAction) -> None:
        store, label = self.desk.store, t("tui.election.form.reason")

        def build(values: dict[str, str]) -> Callable[[], Any]:
            reason = values["reason"]
            return lambda: store.open_election_voting(e.id, step.round, reason)

        detail = [t("tui.election.open_warning")]
        ballots = self._printout(e, step.round, "ballots")
        if not ballots.exists():  # (printed elsewhere, perhaps: said, not refused)
            detail.append("⚠ " + t("tui.election.ballots_not_printed", path=str(ballots)))
        question = (
            t("tui.election.open_question", title=e.title),
            "\n".join(detail),
            t("tui.election.action.open_voting"),
        )
        self.forms.form(
            build,
            t("tui.election.done.voting"),
            t("tui.election.action.open_voting"),
            t("tui.election.open_help"),
            [Field("reason", label, required=False)],  # (only when nobody could be elected)
            question=question,
        )

    def _step_issue_ballots(self, e: el.Election, step: NextAction) -> None:
        self.forms.issue_ballots(e, step)

    def action_issue(self) -> None:
        e = self.election
        voting = [b for b in e.current.boxes if b.status is el.BoxStatus.VOTING] if e else []
        if e is not None and voting:
            self.forms.issue(e, e.current.number, voting[0].id)

    def _step_close_box(self, e: el.Election, step: NextAction) -> None:
        self.forms.close_box(e, step)

    def _step_open_box(self, e: el.Election, step: NextAction) -> None:
        self.forms.open_box(e, step)

    def _step_start_counting(self, e: el.Election, step: NextAction) -> None:
        """The teams, how they count, and which team, if any, is the ballot reader (a scanner:
        tui.elections.counting_form)."""
        label = t("tui.election.form.teams")
        modes = [(t(f"election.count_mode.{m.value}"), m.value) for m in el.CountMode]

        def build(values: dict[str, str]) -> Callable[[], Any]:
            teams = names(values, TEAMS, label)
            mode = el.CountMode(values[CHOICE])
            reader = chosen_reader(values, teams)
            return self.forms.record(
                records.counting_started(e.id, step.round, mode, teams, reader)
            )

        self.forms.form(
            build,
            t("tui.election.done.counting"),
            t("tui.election.action.start_counting"),
            t("tui.election.counting_help") + "\n" + t("tui.reading.start.help"),
            [Field(TEAMS, label, t("tui.election.team_default"))],
            choices=modes,
            choice=el.CountMode.BALLOTS.value,
            choice_label=t("tui.election.form.count_mode"),
            dialog=CountingForm,
        )

    def _step_box_counted(self, e: el.Election, step: NextAction) -> None:
        box = step.box or ""
        self.forms.confirm(
            t("tui.election.action.box_counted", box=box),
            t("tui.election.box_counted_help", box=box),
            records.box_counted(e.id, step.round, box),
            t("tui.election.done.box_counted", box=box),
        )
