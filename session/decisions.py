"""Where the congress takes the decisions an election cites, and what starting an agenda item
leaves open (domain rules 4.2 and 7.2).

The standard Party agenda votes the number of seats and the list at their own vote items just
before the election item; a custom agenda may take every decision at the election item itself.
The election screen's "next step" key opens each vote at the item where it belongs, starting that
item first when it is not the one running; before any item is started, the presidium is told
what would stay open (a vote still being taken, earlier items not dealt with).
"""

from dataclasses import dataclass

from session.agenda import AgendaState, ItemState, ItemStatus, MotionKind
from session.election_steps import decision_items
from session.votes import Vote, VoteBook


def vote_place(agenda: AgendaState, election_item: str, motion: MotionKind) -> str:
    """The agenda item at which the vote on `motion` for the election held at `election_item`
    is taken: the running item when it may be taken there, else the agenda's own vote item for
    that motion (the nearest before the election), else the election's own item."""
    places = decision_items(agenda, election_item, motion)
    if agenda.current in places:
        return agenda.current
    return places[1] if len(places) > 1 else election_item


def belongs_here(agenda: AgendaState, election_item: str) -> bool:
    """Whether the running item is the election's own or one of the vote items that decide its
    seats and its list (the steps of the election are taken there)."""
    running = agenda.current
    if running is None:
        return False
    return any(
        running in decision_items(agenda, election_item, motion)
        for motion in (MotionKind.SEAT_COUNT, MotionKind.ELECTION_LIST)
    )


@dataclass(frozen=True, slots=True)
class LeftOpen:
    """What starting an item would leave behind: the vote being taken (it stays open under its
    own item), and the items before it that were neither held nor skipped."""

    vote: Vote | None
    vote_item: ItemState | None
    pending: tuple[ItemState, ...]

    def __bool__(self) -> bool:
        return self.vote is not None or bool(self.pending)


def left_open(agenda: AgendaState, votes: VoteBook, target: str) -> LeftOpen:
    """What stays open when `target` is started now."""
    active = votes.active
    vote = active if active is not None and active.item != target else None
    keys = [s.key for s in agenda.items]
    before = agenda.items[: keys.index(target)] if target in keys else ()
    pending = tuple(s for s in before if s.status is ItemStatus.PENDING)
    vote_item = agenda.find(vote.item) if vote is not None else None
    return LeftOpen(vote, vote_item, pending)
