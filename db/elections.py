"""Secret-ballot elections, persisted as chained events and rebuilt by replaying them.

Same pattern as db.meeting: in one write transaction, bring the election book up to date with
the log, build the new event, run the store's own checks (the congress vote an event cites must
exist, be published and have passed; the counting committee's members are official delegates of
the register; a ballot goes only to a present voter whose card is valid; the attendance frozen
when voting opens is the roll call's, read in the same transaction), apply it with the pure
reducer (which refuses impossible steps), then append it to the log. Events read back from the
log are applied as a replay (see session.elections.apply).

Counting appends thousands of events, so replaying them all on every ballot would make ballot N
cost O(N). Each store therefore keeps the book it last saw with the log position it reflects
(:class:`BookAt`), and a transaction reads and applies only the election events after that
position: whatever another terminal appended is always read, and the cache only moves forward
once a change is committed (or read back from committed data), so a rolled-back change never
leaves a trace in it.
"""

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from db.log import Log
from db.meeting import votes_in
from db.models import ChainHead, Delegate, Event
from db.privileges import check_card
from db.register import Register
from session import elections as el
from session.ballot_reading import Doubt, Outcome, RowMark, SheetPlace
from session.ballots import BallotInput
from session.candidates import delegate_person_id
from session.cards import CardRejection
from session.i18n import Refusal
from session.text import nfc
from session.votes import snapshot_of

# Fields of election events that cite a show-of-hands decision of the congress.
_VOTE_FIELDS = ("vote", "alternate_vote", "decision_vote")


class ElectionStoreError(Refusal):
    """A refusal by the store (not the reducer), with a key under 'election.error.'."""

    prefix = "election.error."


@dataclass(frozen=True, slots=True)
class BookAt:
    """An election book and the log position it reflects: every election event up to `seq` is
    applied, none after it."""

    book: el.ElectionBook
    seq: int


NO_BOOK = BookAt(el.ElectionBook(), 0)

# What a change returns from its transaction: the election it changed and the book after it.
_Change = tuple[el.Election, BookAt]


def catch_up(s: Session, known: BookAt) -> BookAt:
    """`known` with the election events the log in this session holds after it applied."""
    rows = s.exec(
        select(Event.seq, Event.kind, Event.payload)
        .where(col(Event.kind).in_(list(el.EVENT_KINDS)), col(Event.seq) > known.seq)
        .order_by(Event.seq)
    ).all()
    book = known.book
    for _, kind, payload in rows:
        book = el.apply(book, el.decode(kind, json.loads(payload)), replaying=True)
    # Through the last event read, not the head: on PostgreSQL (read committed) a later
    # statement of the same transaction may see more of the log than an earlier one did.
    return BookAt(book, rows[-1][0] if rows else known.seq)


def elections_in(s: Session) -> el.ElectionBook:
    """The election book replayed from the whole log, trusting no cache."""
    return catch_up(s, NO_BOOK).book


def _as_stored(event: el.ElectionEvent) -> el.ElectionEvent:
    """The event as a replay will read it back from the log, so the book a change returns (and
    caches) is the one a fresh replay gives, to the last detail."""
    return el.decode(event.KIND, json.loads(json.dumps(event.payload(), ensure_ascii=False)))


def _check_cited_votes(s: Session, event: el.ElectionEvent) -> None:
    """Every congress decision an event cites must be a published vote that passed."""
    cited = [getattr(event, f) for f in _VOTE_FIELDS if getattr(event, f, "")]
    if not cited:
        return
    book = votes_in(s)
    for vote_id in cited:
        vote = book.get(vote_id)
        name = f"«{vote.title}»" if vote is not None else vote_id  # (a title, not an id)
        if vote is None or vote.published_at is None:
            raise ElectionStoreError("vote_not_published", vote=name)
        if vote.verdict is None or not vote.verdict.passed:
            raise ElectionStoreError("vote_not_passed", vote=name)


def _check_counters(s: Session, event: el.ElectionEvent) -> None:
    """Domain rules 4.8: the counting committee is chosen from the register, among the official
    delegates (those with a vote: official, ex officio, an alternate seated in an official's
    place; not rejected). That none is a candidate on the list, the reducer checks."""
    if not isinstance(event, el.CountersAppointed):
        return
    given = list(dict.fromkeys(nfc(p) for p in (event.head, *event.members)))
    numbers = {p: el.delegate_number(p) for p in given}
    wanted = [n for n in numbers.values() if n is not None]
    rows = s.exec(select(Delegate).where(col(Delegate.number).in_(wanted))).all() if wanted else []
    by_number = {row.number: row for row in rows}
    for person, number in numbers.items():
        row = by_number.get(number) if number is not None else None
        if row is None:
            raise ElectionStoreError("counter_not_delegate", person=person)
        if not row.member().votes:
            raise ElectionStoreError(
                "counter_not_official", name=row.full_name, number=row.number, kind=row.kind
            )


class Elections:
    """The secret-ballot elections, on the log; the attendance voting freezes is the
    register's (read in the opening's own transaction)."""

    def __init__(self, log: Log, register: Register) -> None:
        self._log = log
        self._register = register
        # The book as of the last change this store committed or read. Replaced whole, never
        # mutated: threads of one store (the app's workers) read it without a lock.
        self._election_cache: BookAt = NO_BOOK

    def _book_in(self, s: Session, head: int) -> BookAt:
        """The book as the log in this session has it (`head`: its last seq): the cached book
        and only the election events after it."""
        known = self._election_cache
        if known.seq > head:  # the log only grows: a cache ahead of it is another database's
            known = NO_BOOK
        return catch_up(s, known)

    def _remember(self, state: BookAt) -> None:
        """Keep a committed state. Two threads may finish out of order; keeping the older one
        would still be right (it reflects exactly its position), only more to read next time."""
        if state.seq > self._election_cache.seq:
            self._election_cache = state

    def election_book(self) -> el.ElectionBook:
        """Every election as the log has it now (read from committed data, so it may be cached)."""
        with Session(self._log.reader) as s:
            head = s.exec(select(ChainHead.seq).where(ChainHead.id == 1)).one()
            state = self._book_in(s, head)
        self._remember(state)
        return state.book

    def person_names(self) -> dict[str, str]:
        """Every delegate's person id ("d00012", as the counting committee is recorded) and
        full name, for the printouts that name the committee."""
        with Session(self._log.reader) as s:
            rows = s.exec(select(Delegate.number, Delegate.full_name)).all()
        return {delegate_person_id(number): name for number, name in rows}

    def record_election(
        self, build: Callable[[el.ElectionBook, datetime], el.ElectionEvent]
    ) -> el.Election:
        """Build an election event from the current state and the clock, check it, store it."""
        return self._election_change(lambda _, book, now: build(book, now))

    def _election_change(
        self, build: Callable[[Session, el.ElectionBook, datetime], el.ElectionEvent]
    ) -> el.Election:
        return self._election_events(lambda s, book, now: [build(s, book, now)], None)

    def record_election_batch(
        self,
        election_id: str,
        build: Callable[[el.ElectionBook, datetime], list[el.ElectionEvent]],
    ) -> el.Election:
        """Several events as one all-or-nothing change: each is checked and applied in turn,
        and either all are stored (each its own chained event) or none."""
        return self._election_events(lambda _, book, now: build(book, now), election_id)

    def _election_events(
        self,
        build: Callable[[Session, el.ElectionBook, datetime], Sequence[el.ElectionEvent]],
        election_id: str | None,
    ) -> el.Election:
        """Store the events `build` makes from the current book, in one transaction; the
        election they change (`election_id`, or the last event's)."""

        def work(s: Session, seq: int, now: datetime) -> tuple[_Change, Any, dict[str, Any]]:
            state = self._book_in(s, seq - 1)  # the head is locked: nothing lands after it
            events = build(s, state.book, now)
            book = state.book
            for event in events:
                stored = _as_stored(event)
                _check_cited_votes(s, stored)
                _check_counters(s, stored)
                book = el.apply(book, stored)
            wanted = election_id if election_id is not None else events[-1].election
            election = book.get(wanted)
            if election is None:
                raise el.ElectionError("unknown_election", election=wanted)
            # Our events take seq, seq + 1...: the new book reflects the log through the last.
            after = BookAt(book, seq + len(events) - 1) if events else state
            return (election, after), [(e.KIND, e.payload()) for e in events], {}

        election, after = self._log.transact(work)
        self._remember(after)  # only now, once committed: a rollback leaves the cache as it was
        return election

    def open_election_voting(
        self, election_id: str, round_no: int, reason: str = ""
    ) -> el.Election:
        """Open voting: freeze present, entitled and the base from the roll call, now."""

        return self._election_change(
            lambda s, book, now: el.VotingOpened(
                election_id, round_no, snapshot_of(self._register.quorum_in(s)), reason, now
            )
        )

    def issue_ballot(self, election_id: str, round_no: int, box: str, raw_code: str) -> el.Election:
        """Hand a ballot to the delegate whose card was scanned at the ballot desk.

        Refused for a bad card, a guest or an alternate not activated, a rejected delegate, or
        someone not in the hall; a second ballot to the same delegate is refused by the reducer.
        """
        card = check_card(self._log.reader, self._log.secret, raw_code)
        if isinstance(card, CardRejection):
            raise ElectionStoreError("card_refused", problem=card.problem.value)

        def build(s: Session, book: el.ElectionBook, now: datetime) -> el.ElectionEvent:
            row = s.exec(select(Delegate).where(Delegate.number == card.number)).first()
            if row is None or row.card_issue != card.issue:
                raise ElectionStoreError("card_refused", problem="revoked_or_unknown")
            member = row.member()
            if not el.may_receive_ballot(member):
                raise ElectionStoreError("no_ballot_for", number=row.number, kind=row.kind)
            if not row.present:
                raise ElectionStoreError("not_in_hall", number=row.number)
            return el.BallotIssuedTo(election_id, round_no, box, row.number, now)

        return self._election_change(build)

    def enter_ballot(
        self,
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


class Readings:
    """The ballots a machine reads (issue 14), for the Store (a base class of it: it records
    through the Store's own :meth:`Elections.record_election`). Each call is one event in one
    transaction, built from the book as the log has it then."""

    if TYPE_CHECKING:

        def record_election(
            self, build: Callable[[el.ElectionBook, datetime], el.ElectionEvent]
        ) -> el.Election: ...

    def record_reading(
        self,
        election_id: str,
        round_no: int,
        box: str,
        batch: str,
        place: SheetPlace,
        code: str,
        marks: str | Sequence[RowMark],
        doubts: Iterable[Doubt | str],
        outcome: Outcome,
    ) -> el.Election:
        """One sheet the machine read, for the count's reader team: entered at once when valid
        or invalid by rule (its seq taken inside the transaction), kept for the counting
        committee otherwise. A sheet already read (the same image, page and slot, in any round)
        raises ElectionError("sheet_already_read"), naming where it went."""
        doubts = tuple(doubts)
        return self.record_election(
            lambda book, now: el.ballot_read(
                book, election_id, round_no, box, batch, place, code, marks, doubts, outcome, now
            )
        )

    def decide_reading(
        self,
        election_id: str,
        round_no: int,
        key: tuple[str, int, int],
        ballot: BallotInput,
        reason: str,
    ) -> el.Election:
        """The counting committee's decision on a sheet the machine left undecided: the ballot
        the count takes for the reader team, and why."""
        return self.record_election(
            lambda book, now: el.reading_decided(
                book, election_id, round_no, key, ballot, reason, now
            )
        )


def election_replay_problem(events: list[Any]) -> tuple[int, str] | None:
    """The first stored election event the reducer refuses: (seq, reason)."""
    book = el.ElectionBook()
    for e in events:
        if e.kind in el.EVENT_KINDS:
            try:
                book = el.apply(book, el.decode(e.kind, e.payload), replaying=True)
            except el.ElectionError as exc:
                return e.seq, str(exc)
    return None
