"""The reducer: `apply(book, event)` returns the new ElectionBook or raises ElectionError."""

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from session.ballots import (
    ElectionError,
)
from session.count import (
    accept_batch,
    correct_ballot,
    enter_ballot,
    enter_sheet,
    void_ballot,
)

# ---------------------------------------------------------------- the reducer
from session.elections.changes import (
    put_election,
    put_round,
)
from session.elections.events import (
    AlternateOrderDecided,
    BallotCorrected,
    BallotEntered,
    BallotIssuedTo,
    BallotRead,
    BallotsIssued,
    BallotVoided,
    BatchAccepted,
    BoxClosed,
    BoxCounted,
    BoxOpened,
    BoxPrepared,
    BoxSealed,
    CandidateAdded,
    CountersAppointed,
    CountingStarted,
    ElectionCreated,
    ElectionEvent,
    ElectionStopped,
    ListApproved,
    ListCut,
    MinutesSigned,
    OverflowDecided,
    ReadingDecided,
    ResultsAnnounced,
    RoundAdded,
    SeatsSet,
    SheetEntered,
    TieResolved,
    VotingOpened,
    WithdrawalDecided,
    WithdrawalRequested,
)
from session.elections.list_steps import (
    _add_candidate,
    _approve,
    _counters,
    _create,
    _cut,
    _decide_withdrawal,
    _request_withdrawal,
    _seats,
)
from session.elections.reading_steps import (
    decide_reading,
    read_ballot,
)
from session.elections.round_steps import (
    _add_round,
    _close_box,
    _count_box,
    _counting_box,
    _counting_round,
    _decide_order,
    _decide_overflow,
    _entry_round,
    _issue,
    _issue_to,
    _open_box,
    _open_voting,
    _prepare_box,
    _resolve_tie,
    _seal_box,
    _sign,
    _start_count,
    _stop,
)
from session.elections.state import (
    Election,
    ElectionBook,
    find,
)
from session.elections.vocabulary import (
    RoundStatus,
)


def apply(book: ElectionBook, event: ElectionEvent, *, replaying: bool = False) -> ElectionBook:
    """The book after `event`, or ElectionError naming why it cannot happen.

    `replaying`: the event is read back from the log, not a new one. A check added after events
    were first recorded (a box's entries bounded by the ballots found in it) holds for new
    events only, so a log written before it still replays and verifies; the blockers of
    session.election_steps then say what to put right (void the extra entries)."""
    if not isinstance(event.at, datetime) or event.at.tzinfo is None:
        raise ElectionError("bad_time", value=event.at)
    if isinstance(event, ElectionCreated):
        return _create(book, event)
    e = find(book, event.election)
    return put_election(book, _apply(book, e, event, replaying))


def _apply(book: ElectionBook, e: Election, event: ElectionEvent, replaying: bool) -> Election:
    match event:
        case SeatsSet():
            return _seats(e, event)
        case CandidateAdded():
            return _add_candidate(book, e, event)
        case WithdrawalRequested():
            return _request_withdrawal(e, event)
        case WithdrawalDecided():
            return _decide_withdrawal(e, event)
        case ListCut():
            return _cut(book, e, event)
        case ListApproved():
            return _approve(book, e, event)
        case CountersAppointed():
            return _counters(e, event)
        case BoxPrepared():
            return _prepare_box(e, event)
        case BoxSealed():
            return _seal_box(e, event)
        case VotingOpened():
            return _open_voting(e, event)
        case BallotsIssued():
            return _issue(e, event)
        case BallotIssuedTo():
            return _issue_to(e, event)
        case BoxClosed():
            return _close_box(e, event)
        case BoxOpened():
            return _open_box(e, event)
        case CountingStarted():
            return _start_count(e, event)
        case BallotEntered():
            r, box = _counting_box(e, event.round, event.box)
            assert r.count is not None
            found = None if replaying else box.returned
            count = enter_ballot(
                r.count, event.team, event.seq, box.id, event.batch, event.ballot, event.at, found
            )
            return put_round(e, replace(r, count=count))
        case BallotRead():
            return read_ballot(e, event, replaying)
        case ReadingDecided():
            return decide_reading(e, event, replaying)
        case BallotCorrected():
            r = _entry_round(e, event.round, event.team, event.seq)
            assert r.count is not None
            count = correct_ballot(
                r.count, event.team, event.seq, event.ballot, event.reason, event.at
            )
            return put_round(e, replace(r, count=count))
        case BallotVoided():
            r = _entry_round(e, event.round, event.team, event.seq)
            assert r.count is not None
            count = void_ballot(r.count, event.team, event.seq, event.reason, event.at)
            return put_round(e, replace(r, count=count))
        case SheetEntered():
            r, box = _counting_box(e, event.round, event.box)
            assert r.count is not None
            found = None if replaying else box.returned
            count = enter_sheet(
                r.count,
                event.team,
                box.id,
                event.batch,
                event.totals,
                event.reason,
                event.at,
                found,
            )
            return put_round(e, replace(r, count=count))
        case BatchAccepted():
            r = _counting_round(e, event.round)
            assert r.count is not None
            box_id = r.count.batch_box.get(event.batch)
            if box_id is None:
                raise ElectionError("unknown_batch", batch=event.batch)
            _counting_box(e, event.round, box_id)
            count = accept_batch(r.count, event.batch, event.team, event.reason, event.at)
            return put_round(e, replace(r, count=count))
        case BoxCounted():
            return _count_box(e, event)
        case MinutesSigned():
            return _sign(e, event)
        case ResultsAnnounced():
            r = e.round(event.round)
            if r.status is RoundStatus.ANNOUNCED:
                raise ElectionError("already_announced", round=r.number)
            if r.status is not RoundStatus.SIGNED:
                raise ElectionError("not_signed", round=r.number)
            return put_round(e, replace(r, announced_at=event.at))
        case TieResolved():
            return _resolve_tie(e, event)
        case RoundAdded():
            return _add_round(e, event)
        case ElectionStopped():
            return _stop(e, event)
        case OverflowDecided():
            return _decide_overflow(e, event)
        case AlternateOrderDecided():
            return _decide_order(e, event)
    raise ElectionError("bad_event", kind=type(event).__name__)  # pragma: no cover


def replay(events: Iterable[ElectionEvent]) -> ElectionBook:
    """The book a log gives (read back: see `apply`'s `replaying`)."""
    book = ElectionBook()
    for event in events:
        book = apply(book, event, replaying=True)
    return book
