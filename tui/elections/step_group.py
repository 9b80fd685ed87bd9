"""What the election screen's step groups use of it, and their common base.

The election screen (:class:`tui.elections.screen.ElectionScreen`) is one Textual screen; the
forms F2 opens for the steps of an election are grouped by concept in mixins it inherits (the
congress's decisions a step cites, the list of candidates, the round and its boxes, the results,
the printouts), so that each step stays a method of the screen (``_step_<action>``, named in its
``_steps()`` table) and each group stays under a few hundred lines. They are plain classes, not
widgets: Textual's CSS, bindings and message handlers are the screen's own. :class:`StepGroup`
names what they read of the screen (set by it and by :class:`~tui.desk_screen.DeskScreen`) and
holds what they all do.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from session import elections as el
from session.agenda import AgendaState, MotionKind
from session.congress import Congress, ElectionSpec
from session.election_steps import citable_votes
from session.votes import Vote, VoteBook
from tui.desk import Desk
from tui.elections.step_forms import BoxSteps

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message


class StepGroup:
    """The base of the election screen's step groups: its state, as the groups read it."""

    desk: Desk
    congress: Congress
    forms: BoxSteps  # the steps' forms (a box's own steps are BoxSteps', shared with a teller)
    book: el.ElectionBook
    votes: VoteBook
    agenda: AgendaState | None
    election: el.Election | None  # the election on screen
    pinned: str | None  # shown whatever the running item (an opinion ballot that runs first)
    awaiting_vote: str | None  # a vote F2 opened: back to the screen once announced
    people: Mapping[str, str]  # the counting committees' ids and names

    if TYPE_CHECKING:  # (the screen's, from Textual)

        @property
        def app(self) -> App[Any]: ...

        def post_message(self, message: Message) -> bool: ...

    def _citable(self, e: el.Election, motion: MotionKind) -> tuple[Vote, ...]:
        return citable_votes(self.votes, self.book, e.item, motion, self.agenda)

    def _spec(self, e: el.Election) -> ElectionSpec | None:
        return next((s for s in self.congress.elections if s.name == e.id), None)

    def _refused(self, text: str) -> None:
        self.desk.say(text, "red", bells=3)
