"""What the roll-call screen needs after a change, read in a thread worker (no widgets here).

Every terminal appends to the same event log, so `last_seq()` tells cheaply whether anything
changed. When it did, we read the snapshot (counts, base, verdict, units) and the delegates the new
events name, so a scan costs a few small reads instead of reloading 10,000 rows; a register import
(or a flood of changes) reloads the whole missing list.

The agenda and the votes are read the same way (:func:`read_meeting`): again only when
`last_seq()` moved, never per clock tick; the screens time the running item from what was read.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from db.standby import standby_news
from db.store import DelegateInfo, RollCallSnapshot, Store
from session.agenda import AgendaState
from session.elections import ElectionBook
from session.speakers import SpeakersState
from session.votes import VoteBook

RELOAD_AFTER = 200  # more changed delegates than this: reload the missing list instead


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    seq: int
    snapshot: RollCallSnapshot
    changed: tuple[DelegateInfo, ...] = ()  # delegates whose state may have changed
    missing: tuple[DelegateInfo, ...] | None = None  # the whole missing list, when reloaded


def read_feed(store: Store, seen: int | None) -> FeedUpdate | None:
    """The changes since event `seen` (everything when None); None when nothing changed.

    The update is marked with the last event as it stood *before* the reads: each read is at
    least that new, and an event committed between them is read again at the next poll. (Marked
    with a later read's seq, counts read just before that event would stay on screen until the
    next change.)
    """
    seq = store.last_seq()
    if seen is not None and seq == seen:
        return None
    snapshot = store.snapshot()
    if seen is None:
        return FeedUpdate(seq, snapshot, missing=tuple(store.missing()))
    changes = store.changes_since(seen, limit=RELOAD_AFTER)
    if changes.reload:
        return FeedUpdate(seq, snapshot, missing=tuple(store.missing()))
    return FeedUpdate(seq, snapshot, changes.delegates)


@dataclass(frozen=True, slots=True)
class MeetingUpdate:
    """The agenda, the votes, the elections and the lists of speakers as the log tells them at
    event `seq` (or later), and the names of the people the elections record by id (their
    counting committees)."""

    seq: int
    agenda: AgendaState
    book: VoteBook
    elections: ElectionBook
    people: Mapping[str, str] = field(default_factory=dict)
    head: str = ""  # the hash of event `seq`: the projector shows it, an anchor for verify
    speakers: SpeakersState = field(default_factory=SpeakersState)  # the lists of speakers
    standby: tuple[str, str] | None = None  # the log's latest word on the standby (issue 16)

    def name(self, person: str) -> str:
        """A person the elections record by id ("d00012"), by name."""
        return self.people.get(person, person)


def committee_ids(book: ElectionBook) -> frozenset[str]:
    """Every person named on a counting committee of any election or round."""
    committees = [e.committee for e in book.elections]
    committees += [r.committee for e in book.elections for r in e.rounds]
    return frozenset(p for c in committees if c is not None for p in (c.head, *c.members))


def read_meeting(store: Store, before: MeetingUpdate | None) -> MeetingUpdate | None:
    """The agenda, votes and elections again when anything was logged after `before` was read;
    None when nothing was. When only attendance was (scans, the bulk of a roll call), `before`
    again, marked with the new seq: nothing is replayed for it."""
    seq, head = store.head()
    if before is not None and seq == before.seq:
        return None
    if before is not None and not store.meeting_moved_since(before.seq):
        return replace(before, seq=seq, head=head)  # (an event after `seq` is read next time)
    elections = store.election_book()
    wanted = committee_ids(elections)
    people = before.people if before is not None else {}
    if not wanted <= people.keys():  # a committee appointed: names read once, not per ballot
        people = store.person_names()
    return MeetingUpdate(
        seq,
        store.agenda_state(),
        store.vote_book(),
        elections,
        people,
        head,
        store.speakers_state(),
        standby_news(store.reader),
    )
