"""The agenda and show-of-hands votes, persisted as events and rebuilt by replaying them.

The domain (session.agenda, session.votes) is a set of pure reducers. Every change here runs in
one write transaction: replay the stored events of that kind, build the new event from the state
and the transaction's clock, apply it (which refuses impossible changes with AgendaError or
VoteError, rolling the transaction back), then append it to the hash-chained log. The log is
the only place this state lives, so nothing can drift from it.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from db.log import Log, require_reason
from db.models import Delegate, Event
from db.register import Register
from session import agenda, roles, votes
from session.agenda import AgendaItem, AgendaState, MotionKind
from session.congress import Congress
from session.i18n import Refusal
from session.quorum import VOTING_KINDS, QuorumVerdict, Status
from session.tally import Snapshot, VoteRule
from session.votes import Vote, VoteBook


def present_by_sector(s: Session) -> dict[str, int]:
    """Voting delegates in the hall by the sector the register seats them in (none without
    sectors in the register): a teller's guide when a vote opens."""
    voting = or_(
        col(Delegate.kind).in_([k.value for k in VOTING_KINDS]),
        col(Delegate.activated_for).is_not(None),
    )
    rows = s.exec(
        select(Delegate.sector, func.count())
        .where(
            col(Delegate.present),
            voting,
            Delegate.sector != "",
            Delegate.status != Status.CREDENTIAL_REJECTED.value,
        )
        .group_by(Delegate.sector)
    ).all()
    return {str(sector): int(n) for sector, n in rows}


class AgendaVotesError(Refusal):
    """A refusal by the store itself (not by a reducer), with a key under 'vote.error.'."""

    prefix = "vote.error."


# Events that change who is in the hall and nothing of the agenda, the votes or the elections:
# most of the log while delegates arrive, so a terminal need not read those again for them.
ATTENDANCE_ONLY = roles.SCAN_KINDS | roles.SIGN_IN_KINDS | {"attendance_corrected"}


def stored_events(s: Session, kinds: Iterable[str]) -> list[tuple[str, dict[str, Any]]]:
    """The stored (kind, payload) of every event of `kinds`, in the log's order."""
    rows = s.exec(
        select(Event.kind, Event.payload)
        .where(col(Event.kind).in_(list(kinds)))
        .order_by(Event.seq)
    ).all()
    return [(kind, json.loads(payload)) for kind, payload in rows]


def agenda_in(congress: Congress, s: Session) -> AgendaState:
    """The agenda as the log in this session tells it."""
    events = [agenda.decode(k, p) for k, p in stored_events(s, agenda.EVENT_KINDS)]
    return agenda.replay(congress.agenda, events)


def votes_in(s: Session) -> VoteBook:
    return votes.replay(votes.decode(k, p) for k, p in stored_events(s, votes.EVENT_KINDS))


@dataclass(frozen=True, slots=True)
class OpeningCheck:
    """The rule a vote would follow, the attendance now, and what opening it would warn about."""

    rule: VoteRule
    snapshot: Snapshot
    warnings: tuple[votes.OpenWarning, ...]

    def explained(self, lang: str | None = None) -> tuple[str, ...]:
        return tuple(
            votes.explain_warning(w, self.rule, self.snapshot, lang) for w in self.warnings
        )


class Meeting:
    """The agenda and the show-of-hands votes, on the log; the attendance a vote freezes is the
    register's (read in the vote's own transaction)."""

    def __init__(self, log: Log, register: Register) -> None:
        self._log = log
        self._register = register

    # ------------------------------------------------------------------ reads

    def agenda_state(self) -> AgendaState:
        with Session(self._log.reader) as s:
            return agenda_in(self._log.congress, s)

    def vote_book(self) -> VoteBook:
        with Session(self._log.reader) as s:
            return votes_in(s)

    def meeting_moved_since(self, seq: int) -> bool:
        """Whether an event after `seq` may have changed the agenda, the votes or the elections
        (anything but attendance: ATTENDANCE_ONLY)."""
        with Session(self._log.reader) as s:
            found = s.exec(
                select(Event.seq)
                .where(Event.seq > seq, col(Event.kind).not_in(ATTENDANCE_ONLY))
                .limit(1)
            ).first()
        return found is not None

    # ------------------------------------------------------------------ agenda

    def _agenda_change(
        self, build: Callable[[AgendaState, datetime], agenda.AgendaEvent]
    ) -> AgendaState:
        def work(s: Session, seq: int, now: datetime) -> tuple[AgendaState, str, dict[str, Any]]:
            state = agenda_in(self._log.congress, s)
            event = build(state, now)
            new = agenda.apply(state, event)
            return new, event.KIND, event.payload()

        return self._log.transact(work)

    def start_item(self, key: str) -> AgendaState:
        """Start an agenda item (the running one, if any, ends at the same moment)."""
        return self._agenda_change(lambda _, now: agenda.ItemStarted(key, now))

    def end_item(self, key: str) -> AgendaState:
        return self._agenda_change(lambda _, now: agenda.ItemEnded(key, now))

    def skip_item(self, key: str, reason: str) -> AgendaState:
        reason = require_reason(reason)
        return self._agenda_change(lambda _, now: agenda.ItemSkipped(key, now, reason))

    def move_item(self, key: str, after: str | None) -> AgendaState:
        """Move a pending item to just after `after` (None: to the top)."""
        return self._agenda_change(lambda _, now: agenda.ItemMoved(key, after, now))

    def insert_item(self, item: AgendaItem, after: str | None) -> AgendaState:
        """Insert a new item after `after`; its key is chosen here when left empty."""

        def build(state: AgendaState, now: datetime) -> agenda.AgendaEvent:
            from dataclasses import replace

            new = item if item.key else replace(item, key=state.next_key())
            return agenda.ItemInserted(new, after, now)

        return self._agenda_change(build)

    # ------------------------------------------------------------------ votes

    def _vote_change(
        self,
        build: Callable[[Session, VoteBook, datetime], votes.VoteEvent],
    ) -> Vote:
        def work(s: Session, seq: int, now: datetime) -> tuple[Vote, str, dict[str, Any]]:
            book = votes_in(s)
            event = build(s, book, now)
            new = votes.apply(book, event)
            vote = new.get(event.vote)
            assert vote is not None
            return vote, event.KIND, event.payload()

        return self._log.transact(work)

    def create_vote(
        self, item_key: str, *, motion: MotionKind | None = None, title: str | None = None
    ) -> Vote:
        """A draft show-of-hands vote on an agenda item (its rule and options from the file)."""

        def build(s: Session, book: VoteBook, now: datetime) -> votes.VoteEvent:
            state = agenda_in(self._log.congress, s).find(item_key)
            if state is None:
                raise agenda.AgendaError("unknown_item", item=item_key)
            return votes.create_vote(
                book, self._log.congress, state.item, now, motion=motion, title=title
            )

        return self._vote_change(build)

    def vote_warnings(self, vote_id: str) -> tuple[votes.OpenWarning, ...]:
        """What opening the vote now would warn about (a reason is then required)."""
        with Session(self._log.reader) as s:
            vote = votes_in(s).get(vote_id)
            if vote is None:
                raise votes.VoteError("unknown_vote", vote=vote_id)
            return votes.open_warnings(vote.rule, self._register.quorum_in(s))

    def opening_check(self, item_key: str, motion: MotionKind | None = None) -> OpeningCheck:
        """What opening the vote of `item_key` (on `motion`, else the item's own) now would
        warn about, creating nothing: the operator is asked for a reason first, and a cancelled
        opening leaves no trace."""
        with Session(self._log.reader) as s:
            state = agenda_in(self._log.congress, s).find(item_key)
            if state is None:
                raise agenda.AgendaError("unknown_item", item=item_key)
            motion = motion or state.item.motion
            if motion is None:
                raise votes.VoteError("motion_required", item=state.item.title)
            rule = self._log.congress.vote_rule(motion, state.item)
            quorum = self._register.quorum_in(s)
        return OpeningCheck(rule, votes.snapshot_of(quorum), votes.open_warnings(rule, quorum))

    def open_item_vote(
        self,
        item_key: str,
        reason: str = "",
        *,
        motion: MotionKind | None = None,
        title: str | None = None,
        proposal: int | None = None,
    ) -> Vote:
        """Create (or take up the draft of) the running item's vote and open it, at once.

        With `motion` (and `title`), a vote on that question instead of the item's own: an
        election item's seats, list or counting committee. `proposal`: the number put to the
        vote (the seats), recorded with it so that the election takes it from the decision.
        """

        def work(s: Session, seq: int, now: datetime) -> tuple[Vote, Any, dict[str, Any]]:
            state = agenda_in(self._log.congress, s)
            if state.current != item_key:
                raise AgendaVotesError("item_not_running", item=state.label(item_key))
            item = state.find(item_key)
            assert item is not None
            book = votes_in(s)
            drafts = [
                v
                for v in book.for_item(item_key)
                if v.status is votes.VoteStatus.DRAFT
                and (motion is None or v.motion is motion)
                and (proposal is None or v.proposal == proposal)
            ]
            events: list[votes.VoteEvent] = []
            if drafts:
                vote_id = drafts[-1].id
            else:
                created = votes.create_vote(
                    book,
                    self._log.congress,
                    item.item,
                    now,
                    motion=motion,
                    title=title,
                    proposal=proposal,
                )
                book = votes.apply(book, created)
                events.append(created)
                vote_id = created.vote
            opened = votes.open_vote(
                book, vote_id, self._register.quorum_in(s), now, reason, present_by_sector(s)
            )
            book = votes.apply(book, opened)
            events.append(opened)
            vote = book.get(vote_id)
            assert vote is not None
            return vote, [(e.KIND, e.payload()) for e in events], {}

        return self._log.transact(work)

    def open_vote(self, vote_id: str, reason: str = "") -> Vote:
        """Open the vote: freeze present, entitled and the base; a reason when warned.

        The vote's agenda item must be the one running, so every decision sits in the minutes
        under the item it belongs to.
        """

        def build(s: Session, book: VoteBook, now: datetime) -> votes.VoteEvent:
            vote = book.get(vote_id)
            if vote is None:
                raise votes.VoteError("unknown_vote", vote=vote_id)
            state = agenda_in(self._log.congress, s)
            if state.current != vote.item:
                raise AgendaVotesError("item_not_running", item=state.label(vote.item))
            quorum: QuorumVerdict = self._register.quorum_in(s)
            return votes.open_vote(book, vote_id, quorum, now, reason, present_by_sector(s))

        return self._vote_change(build)

    def enter_count(
        self, vote_id: str, sector: str, teller: str, counts: dict[str, object]
    ) -> Vote:
        """One teller's count of one sector (text or numbers, validated by the domain)."""
        return self._vote_change(
            lambda _, book, now: votes.enter_count(book, vote_id, sector, teller, counts, now)
        )

    def recount_sector(self, vote_id: str, sector: str, reason: str) -> Vote:
        return self._vote_change(
            lambda _, book, now: votes.SectorRecounted(vote_id, sector, reason, now)
        )

    def confirm_unanimous(self, vote_id: str, teller: str) -> Vote:
        """One teller's confirmation of "all present in favour" (two are needed)."""
        return self._vote_change(
            lambda _, book, now: votes.UnanimousConfirmed(vote_id, teller, now)
        )

    def withdraw_unanimous(self, vote_id: str, reason: str) -> Vote:
        return self._vote_change(
            lambda _, book, now: votes.UnanimousWithdrawn(vote_id, reason, now)
        )

    def publish_vote(self, vote_id: str) -> Vote:
        """Announce the result; afterwards only a reasoned correction changes it."""
        return self._vote_change(lambda _, book, now: votes.VotePublished(vote_id, now))

    def correct_vote(self, vote_id: str, counts: dict[str, object], reason: str) -> Vote:
        return self._vote_change(
            lambda _, book, now: votes.correct_vote(book, vote_id, counts, reason, now)
        )

    def cancel_vote(self, vote_id: str, reason: str) -> Vote:
        return self._vote_change(lambda _, book, now: votes.VoteCancelled(vote_id, reason, now))

    # ------------------------------------------------------------------ integrity

    def replay_problem(self, events: Iterable[Any]) -> tuple[int, str] | None:
        """The first stored agenda or vote event the reducers refuse: (seq, reason)."""
        state = agenda.initial(self._log.congress.agenda)
        book = VoteBook()
        for e in events:
            try:
                if e.kind in agenda.EVENT_KINDS:
                    state = agenda.apply(state, agenda.decode(e.kind, e.payload))
                elif e.kind in votes.EVENT_KINDS:
                    book = votes.apply(book, votes.decode(e.kind, e.payload))
            except (agenda.AgendaError, votes.VoteError) as exc:
                return e.seq, str(exc)
        return None
