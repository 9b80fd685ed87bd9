"""The congress's decisions an election step cites, and the election's own agenda item.

Many steps cite a show-of-hands decision of the congress (the seats, a withdrawal, the list, the
counting committee, a tie...). When the decision has not been taken yet, F2 offers to open that
vote at the agenda item where it belongs (starting the item first, asking when something would
stay open) and switches to the vote screen (F8); once it is announced the app brings the operator
back (``awaiting_vote``). The steps themselves are taken at the election's own item, which F2
starts when another is running; on an election item with none held yet, F2 creates one of those
the congress declared.
"""

from collections.abc import Callable
from typing import Any

from session import elections as el
from session.agenda import MotionKind
from session.congress import ElectionSpec
from session.decisions import left_open, vote_place
from session.election_steps import Action, election_from_spec, election_item, undeclared
from session.i18n import t
from session.votes import Vote
from tui.agenda import left_open_lines, start_item
from tui.elections.forms import CHOICE, Field, FormProblem, whole
from tui.elections.step_group import StepGroup
from tui.elections.view import decision_subject, vote_title


class Decisions(StepGroup):
    """Asking the congress for a decision a step cites, starting the election's item, creating
    the election."""

    def _start_election_item(self, e: el.Election) -> None:
        """The election's item is not running: start it (asking first when something would stay
        open), then F2 goes on."""
        assert self.agenda is not None
        label = self.agenda.label(e.item)
        start_item(
            self.desk,
            self.app,
            self.agenda,
            self.votes,
            e.item,
            lambda: self.desk.say(t("tui.election.item_started", item=label), "green", bells=1),
            always_ask=t("tui.election.start_item_help", item=label),
        )

    def _ask_for_vote(
        self, e: el.Election, motion: MotionKind, action: Action | None = None
    ) -> None:
        """The step cites a congress decision not taken yet: open that vote at the item where it
        belongs (starting that item first if it is not running), then the vote screen."""
        assert self.agenda is not None
        active = self.votes.active
        if active is not None and active.motion is motion:  # being taken: finish it first
            self.desk.say(t("tui.election.vote_under_way", title=active.title), "yellow")
            self.app.call_later(self.app.run_action, "vote")
            return
        place = vote_place(self.agenda, e.item, motion)
        running = self.agenda.current == place
        left = left_open(self.agenda, self.votes, place) if not running else None
        store, where = self.desk.store, self.agenda.label(place)
        spec = self._spec(e)
        fields: list[Field] = []
        if motion is MotionKind.SEAT_COUNT:
            delegation = e.kind is el.ElectionKind.DELEGATES_HIGHER
            default = (spec.alternates if delegation else spec.seats) if spec else 0
            label = (
                t("tui.election.form.proposal_alternates")
                if delegation
                else t("tui.election.form.proposal")
            )
            fields.append(Field("proposal", label, str(default or "")))
        fields.append(Field("reason", t("tui.election.form.open_reason"), required=False))
        help_lines = [t("tui.election.needs_vote_help", item=where)]
        if not running:
            help_lines.append(
                t("tui.election.vote_starts_item_ending", item=where)
                if self.agenda.current is not None  # (only then does an item end)
                else t("tui.election.vote_starts_item", item=where)
            )
        if left:
            help_lines.extend(left_open_lines(self.agenda, left))

        def build(values: dict[str, str]) -> Callable[[], Any]:
            proposal = None
            if "proposal" in values:
                proposal = whole(values, "proposal", fields[0].label, minimum=1)
            title = vote_title(e, motion, proposal, action)
            reason = values.get("reason", "")

            def call() -> Vote:
                if not running:
                    store.start_item(place)
                check = store.opening_check(place, motion)
                if check.warnings and not reason:
                    raise FormProblem("\n".join([t("tui.election.open_warned"), check.explained()]))
                return store.open_item_vote(
                    place, reason, motion=motion, title=title, proposal=proposal
                )

            return call

        self.forms.form(
            build,
            t("tui.election.vote_opened_here"),
            t("tui.election.needs_vote", motion=decision_subject(e, motion, action)),
            "\n".join(help_lines),
            fields,
            confirm=t("tui.election.open_vote"),
            on_done=self._vote_opened,
        )

    def _vote_opened(self, vote: Vote) -> None:
        self.awaiting_vote = vote.id  # back here once it is announced (App.vote_announced)
        self.desk.say(t("tui.vote.done.opened", title=vote.title), "green", bells=1)
        self.app.call_later(self.app.run_action, "vote")

    def _create(self) -> None:
        specs = undeclared(self.book, self.congress.elections)
        item = election_item(self.agenda) if self.agenda is not None else None
        if not specs or item is None:
            self._refused(t("tui.election.none_declared"))
            return
        store, ruleset = self.desk.store, self.congress.rules.ruleset.value
        by_name: dict[str, ElectionSpec] = {s.name: s for s in specs}

        def build(values: dict[str, str]) -> Callable[[], Any]:
            spec = by_name[values[CHOICE]]
            return lambda: store.record_election(
                lambda _b, now: election_from_spec(spec, item, ruleset, now)
            )

        choices = [(f"{s.name} · {s.title}", s.name) for s in specs]
        self.forms.form(
            build,
            t("tui.election.done.created"),
            t("tui.election.create"),
            t("tui.election.create_help"),
            choices=choices,
            choice=choices[0][1],
            choice_label=t("tui.election.form.election"),
        )
