"""The election's list of candidates: F2's steps until the list is approved, and F4, F5.

The seats (as the congress voted them; a delegation's official seats as allocated from above), the
congress's decision on each withdrawal request, the opinion ballot that cuts a list over the
surplus cap (domain rules 4.4) and the cut itself, the list taken from an elected committee (the
pool), the approval of the list; F4 adds a nominee, F5 records a withdrawal request.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from session import election_records as records
from session import elections as el
from session.agenda import MotionKind
from session.candidates import delegate_person
from session.congress import RuleSetName
from session.election_steps import NextAction, pool_members
from session.i18n import t
from session.quorum import Kind
from session.surplus import explain
from tui.elections.decisions import Decisions
from tui.elections.forms import (
    CHOICE,
    NO,
    VOTE,
    YES,
    Field,
    FormProblem,
    Nomination,
    NominationDialog,
    whole,
)
from tui.elections.view import facts
from tui.forms import FormDialog


class ListSteps(Decisions):
    """The steps that make the list (each may first ask the congress for the decision it
    cites), and the keys that add to it."""

    def _step_seats(self, e: el.Election, step: NextAction) -> None:
        """The seats, as the congress voted them: the number comes from the vote it cites (typed
        only when that vote was taken without one). A delegation's official seats are allocated
        from above (typed); its alternates are voted."""
        spec = self._spec(e)
        delegation = e.kind is el.ElectionKind.DELEGATES_HIGHER
        votes = self._citable(e, MotionKind.SEAT_COUNT)
        voted = {v.id: v.proposal for v in votes}
        from_vote = bool(votes) and all(n is not None for n in voted.values())
        seats_label = t("tui.election.form.official" if delegation else "tui.election.form.seats")
        alternates_label = t("tui.election.form.alternates")
        fields: list[Field] = []
        if delegation:
            fields.append(Field("seats", seats_label, str(spec.seats) if spec else ""))
            alternates = spec.alternates if spec else 0
            if alternates and not votes:
                self._ask_for_vote(e, MotionKind.SEAT_COUNT)
                return
            if votes and not from_vote:
                fields.append(Field("alternates", alternates_label, str(alternates)))
        elif not from_vote:
            first = next(iter(voted.values()), None)
            fields.append(Field("seats", seats_label, str(first or (spec.seats if spec else ""))))

        def number_of(values: dict[str, str], field: str, label: str) -> int:
            if from_vote and field in ("alternates", "seats") and field not in values:
                found = voted.get(values.get(VOTE, ""))
                if found is not None:
                    return found
            return whole(values, field, label, minimum=1 if field == "seats" else 0)

        def build(values: dict[str, str]) -> Callable[[], Any]:
            if not delegation:
                seats = number_of(values, "seats", seats_label)
                return self.forms.record(records.seats_voted(e.id, seats, values[VOTE]))
            seats = whole(values, "seats", seats_label, minimum=1)
            extra = number_of(values, "alternates", alternates_label) if votes else 0
            vote = values.get(VOTE, "") if extra else ""
            return self.forms.record(records.seats_allocated(e.id, seats, extra, vote))

        help_key = "tui.election.seats_help_delegation" if delegation else "tui.election.seats_help"
        help_lines = [t(help_key)]
        if from_vote and votes:
            title = votes[0].title
            help_lines.append(
                t("tui.election.alternates_from_vote", title=title)
                if delegation
                else t("tui.election.seats_from_vote", title=title)
            )
        self.forms.form(
            build,
            t("tui.election.done.seats"),
            t("tui.election.action.seats"),
            "\n".join(help_lines),
            fields,
            votes=votes,
        )

    def _step_decide_withdrawal(self, e: el.Election, step: NextAction) -> None:
        request = e.pending_withdrawals()[0]
        person = e.people((request.person,))[0]
        choices = [
            (t("tui.election.withdrawal_allowed"), YES),
            (t("tui.election.withdrawal_refused"), NO),
        ]

        def build(values: dict[str, str]) -> Callable[[], Any]:
            allowed = values[CHOICE] == YES
            return self.forms.record(
                records.withdrawal_decided(e.id, request.person, allowed, values[VOTE])
            )

        help = t("tui.election.withdrawal_help", name=person.full_name, reason=request.reason)
        self.forms.form(
            build,
            t("tui.election.done.withdrawal"),
            t("tui.election.action.decide_withdrawal"),
            help,
            votes=self._citable(e, MotionKind.WITHDRAWAL),
            choices=choices,
        )

    def _step_opinion_poll(self, e: el.Election, step: NextAction) -> None:
        """The list is over the cap: an opinion ballot over the whole list cuts it (4.4)."""
        store, ruleset = self.desk.store, self.congress.rules.ruleset.value
        poll_id = f"{e.id}-poll{len([p for p in self.book.elections if p.parent == e.id]) + 1}"
        title = t("tui.election.poll_title", title=e.title)
        listed = e.on_list()

        def events(_book: el.ElectionBook, now: datetime) -> list[el.ElectionEvent]:
            created = el.create_election(
                poll_id, e.item, el.ElectionKind.OPINION_POLL, title, ruleset, now, parent=e.id
            )
            added = [records.listed(poll_id, c.person, now) for c in listed]
            return [created, *added]

        check = e.surplus()
        help = "\n".join([explain(check), t("tui.election.poll_help")]) if check else ""
        self.forms.form(
            lambda _v: lambda: store.record_election_batch(poll_id, events),
            t("tui.election.done.poll"),
            t("tui.election.action.opinion_poll"),
            help,
            question=(title, help, t("tui.election.action.opinion_poll")),
        )

    def _step_cut_list(self, e: el.Election, step: NextAction) -> None:
        poll = self.book.get(step.election or "")
        assert poll is not None
        _kept, cut = el.poll_outcome(poll)
        names = ", ".join(p.full_name for p in poll.people(cut))
        self.pinned = None
        self.forms.confirm(
            t("tui.election.action.cut_list"),
            t("tui.election.cut_help", names=names or "—"),
            records.list_cut(e.id, poll.id),
            t("tui.election.done.cut"),
        )

    def _step_list_from_pool(self, e: el.Election, step: NextAction) -> None:
        members = pool_members(self.book, e)
        store = self.desk.store

        def events(_book: el.ElectionBook, now: datetime) -> list[el.ElectionEvent]:
            return [records.listed(e.id, p, now) for p in members]

        names = ", ".join(p.full_name for p in members) or "—"
        title = t("tui.election.action.list_from_pool")
        help = t("tui.election.pool_help", names=names)
        self.forms.form(
            lambda _v: lambda: store.record_election_batch(e.id, events),
            t("tui.election.done.pool"),
            title,
            help,
            question=(title, help, title),
        )

    def _step_approve_list(self, e: el.Election, step: NextAction) -> None:
        votes = self._citable(e, step.motion) if step.motion is not None else ()
        lines = facts(e, None, self.people)[1:2] if e.current.number == 1 else []

        def build(values: dict[str, str]) -> Callable[[], Any]:
            vote = values.get(VOTE, "")
            return self.forms.record(records.list_approved(e.id, step.round, vote))

        question = (
            t("tui.election.approve_question", title=e.title),
            "\n".join([*lines, t("tui.election.approve_warning")]),
            t("tui.election.action.approve_list"),
        )
        self.forms.form(
            build,
            t("tui.election.done.approved"),
            t("tui.election.action.approve_list"),
            "\n".join([*lines, t("tui.election.approve_help")]),
            votes=votes,
            question=question,
        )

    def action_nominate(self) -> None:
        e = self.election
        if e is None or e.current.approved_at is not None:
            return
        store = self.desk.store
        english = self.congress.rules.ruleset not in (
            RuleSetName.VN_PARTY_2014,
            RuleSetName.VN_PARTY_2024,
        )

        def send(n: Nomination, dialog: FormDialog[Any]) -> None:
            support = None
            if n.source is el.Source.NOMINATED:
                try:
                    support = whole({"s": n.support}, "s", t("tui.nominate.support"))
                except FormProblem as problem:
                    dialog.refused(str(problem))
                    return
            d = n.delegate
            person = delegate_person(
                d.number,
                d.full_name,
                d.date_of_birth,
                committee_member=d.kind is Kind.EX_OFFICIO,
                english=english,
            )

            def call() -> el.Election:
                present = store.snapshot().verdict.attendance.present
                counted = present if support is not None else None
                added = records.nominated(
                    e.id, person, n.source, n.nominator, n.nominator_on_committee, support, counted
                )
                return store.record_election(lambda _b, now: added(now))

            self.desk.write(
                call,
                done=lambda _: self.forms.finished(
                    dialog, t("tui.nominate.done", name=d.full_name)
                ),
                failed=dialog.refused,
            )

        self.app.push_screen(NominationDialog(send, store.search, e.title, 0))

    def action_withdrawal(self) -> None:
        e = self.election
        if e is None or e.current.approved_at is not None:
            return
        label, reason_label = t("tui.election.form.candidate"), t("tui.election.form.reason")
        listed = {c.person.full_name: c.id for c in e.on_list()}

        def build(values: dict[str, str]) -> Callable[[], Any]:
            name = values["name"].strip()
            person = listed.get(name)
            if person is None:
                raise FormProblem(t("tui.election.form.unknown_candidate", name=name or "—"))
            reason = values["reason"]
            return self.forms.record(records.withdrawal_requested(e.id, person, reason))

        self.forms.form(
            build,
            t("tui.election.done.withdrawal_requested"),
            t("tui.election.withdrawal_title"),
            t("tui.election.withdrawal_request_help", names=", ".join(listed)),
            [Field("name", label), Field("reason", reason_label)],
        )
