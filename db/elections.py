"""Secret-ballot elections, persisted as chained events and rebuilt by replaying them.

Same pattern as db.meeting: in one write transaction, replay the stored election events, build
the new event, run the store's own checks (the congress vote an event cites must exist, be
published and have passed; a ballot goes only to a present voter whose card is valid; the
attendance frozen when voting opens is the roll call's, read in the same transaction), apply it
with the pure reducer (which refuses impossible steps), then append it to the log.
"""

import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from db.meeting import votes_in
from db.models import Delegate, Event
from session import elections as el
from session.ballots import BallotInput
from session.cards import CardRejection, read_code
from session.i18n import Refusal
from session.quorum import Kind, Member, Status
from session.votes import snapshot_of

if TYPE_CHECKING:
    from db.store import Store

# Fields of election events that cite a show-of-hands decision of the congress.
_VOTE_FIELDS = ("vote", "alternate_vote", "decision_vote")


class ElectionStoreError(Refusal):
    """A refusal by the store (not the reducer), with a key under 'election.error.'."""

    prefix = "election.error."


def elections_in(s: Session) -> el.ElectionBook:
    rows = s.exec(
        select(Event.kind, Event.payload)
        .where(col(Event.kind).in_(list(el.EVENT_KINDS)))
        .order_by(Event.seq)
    ).all()
    return el.replay(el.decode(kind, json.loads(payload)) for kind, payload in rows)


def _check_cited_votes(s: Session, event: el.ElectionEvent) -> None:
    """Every congress decision an event cites must be a published vote that passed."""
    cited = [getattr(event, f) for f in _VOTE_FIELDS if getattr(event, f, "")]
    if not cited:
        return
    book = votes_in(s)
    for vote_id in cited:
        vote = book.get(vote_id)
        if vote is None or vote.published_at is None:
            raise ElectionStoreError("vote_not_published", vote=vote_id)
        if vote.verdict is None or not vote.verdict.passed:
            raise ElectionStoreError("vote_not_passed", vote=vote_id)


class ElectionsMixin:
    """Election operations of :class:`db.store.Store`."""

    def election_book(self: "Store") -> el.ElectionBook:
        with Session(self.reader) as s:
            return elections_in(s)

    def record_election(
        self: "Store", build: Callable[[el.ElectionBook, datetime], el.ElectionEvent]
    ) -> el.Election:
        """Build an election event from the current state and the clock, check it, store it."""
        return self._election_change(lambda _, book, now: build(book, now))

    def _election_change(
        self: "Store", build: Callable[[Session, el.ElectionBook, datetime], el.ElectionEvent]
    ) -> el.Election:
        def work(s: Session, seq: int, now: datetime) -> tuple[el.Election, str, dict[str, Any]]:
            book = elections_in(s)
            event = build(s, book, now)
            _check_cited_votes(s, event)
            new = el.apply(book, event)
            election = new.get(event.election)
            assert election is not None
            return election, event.KIND, event.payload()

        return self._transact(work)

    def record_election_batch(
        self: "Store",
        election_id: str,
        build: Callable[[el.ElectionBook, datetime], list[el.ElectionEvent]],
    ) -> el.Election:
        """Several events as one all-or-nothing change: each is checked and applied in turn,
        and either all are stored (each its own chained event) or none."""

        def work(s: Session, seq: int, now: datetime) -> tuple[el.Election, Any, dict[str, Any]]:
            book = elections_in(s)
            events = build(book, now)
            for event in events:
                _check_cited_votes(s, event)
                book = el.apply(book, event)
            election = book.get(election_id)
            if election is None:
                raise el.ElectionError("unknown_election", election=election_id)
            return election, [(e.KIND, e.payload()) for e in events], {}

        return self._transact(work)

    def open_election_voting(
        self: "Store", election_id: str, round_no: int, reason: str = ""
    ) -> el.Election:
        """Open voting: freeze present, entitled and the base from the roll call, now."""

        return self._election_change(
            lambda s, book, now: el.VotingOpened(
                election_id, round_no, snapshot_of(self._quorum_in(s)), reason, now
            )
        )

    def issue_ballot(
        self: "Store", election_id: str, round_no: int, box: str, raw_code: str
    ) -> el.Election:
        """Hand a ballot to the delegate whose card was scanned at the ballot desk.

        Refused for a bad card, a guest or an alternate not activated, a rejected delegate, or
        someone not in the hall; a second ballot to the same delegate is refused by the reducer.
        """
        card = read_code(raw_code, self.secret)
        if isinstance(card, CardRejection):
            raise ElectionStoreError("card_refused", problem=card.problem.value)

        def build(s: Session, book: el.ElectionBook, now: datetime) -> el.ElectionEvent:
            row = s.exec(select(Delegate).where(Delegate.number == card.number)).first()
            if row is None or row.card_issue != card.issue:
                raise ElectionStoreError("card_refused", problem="revoked_or_unknown")
            member = Member(Kind(row.kind), Status(row.status), row.present)
            if not el.may_receive_ballot(member):
                raise ElectionStoreError("no_ballot_for", number=row.number, kind=row.kind)
            if not row.present:
                raise ElectionStoreError("not_in_hall", number=row.number)
            return el.BallotIssuedTo(election_id, round_no, box, row.number, now)

        return self._election_change(build)

    def enter_ballot(
        self: "Store",
        election_id: str,
        round_no: int,
        team: str,
        box: str,
        ballot: BallotInput,
        batch: str = "",
    ) -> el.Election:
        """The counting team's next ballot (its sequence number taken inside the transaction,
        so a ballot is never counted twice, even across a crash)."""
        return self.record_election(
            lambda book, now: el.ballot_entered(
                book, election_id, round_no, team, box, ballot, now, batch
            )
        )


def election_replay_problem(events: list[Any]) -> tuple[int, str] | None:
    """The first stored election event the reducer refuses: (seq, reason)."""
    book = el.ElectionBook()
    for e in events:
        if e.kind in el.EVENT_KINDS:
            try:
                book = el.apply(book, el.decode(e.kind, e.payload))
            except el.ElectionError as exc:
                return e.seq, str(exc)
    return None
