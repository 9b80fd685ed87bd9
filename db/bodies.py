"""The congress's bodies (presidium, secretariat, credentials and counting committees), persisted
as chained events and rebuilt by replaying them.

Same pattern as db.meeting: in one write transaction, replay the stored appointments, build the
new one with the transaction's clock, check it (the pure reducer: members, names, head; the
store: the body belongs to this kind of congress, and the cited vote is a published, passed vote
on the congress's bodies as the log has it now), then append it to the log.
"""

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from db.log import Log
from db.meeting import votes_in
from db.models import Event
from session import bodies, votes
from session.bodies import Appointment, Body, BodyBook, BodyError


def bodies_in(s: Session) -> BodyBook:
    """The bodies as the log in this session tells them."""
    rows = s.exec(
        select(Event.kind, Event.payload)
        .where(col(Event.kind).in_(list(bodies.EVENT_KINDS)))
        .order_by(Event.seq)
    ).all()
    return bodies.replay(bodies.decode(kind, json.loads(payload)) for kind, payload in rows)


class Bodies:
    """The congress's bodies, on the log."""

    def __init__(self, log: Log) -> None:
        self._log = log

    def bodies(self) -> BodyBook:
        """Every appointment so far (the current one of each body, and the replaced ones)."""
        with Session(self._log.reader) as s:
            return bodies_in(s)

    def appoint_body(
        self, body: Body, members: Sequence[str], vote_id: str, head: str = ""
    ) -> Appointment:
        """Record the members (in order; `head`, if given, is one of them) that the show-of-hands
        vote `vote_id` elected to `body`; it replaces the body's earlier members, if any."""

        def work(s: Session, seq: int, now: datetime) -> tuple[Appointment, str, dict[str, Any]]:
            event = bodies.normalised(bodies.appoint(body, members, vote_id, now, head))
            bodies.check_allowed(event.body, self._log.congress.type)
            bodies.check_vote(votes_in(s), event.vote)
            book = bodies.apply(bodies_in(s), event)
            appointment = book.current(event.body)
            assert appointment is not None
            return appointment, event.KIND, event.payload()

        return self._log.transact(work)

    def bodies_replay_problem(self, events: Iterable[Any]) -> tuple[int, str] | None:
        """The first stored appointment that could not have been recorded: refused by the
        reducer, a body this congress does not elect, or a vote that was not (yet) a published,
        passed vote on the bodies at that point of the log. (seq, reason)"""
        book, vote_book = BodyBook(), votes.VoteBook()
        for e in events:
            if e.kind in votes.EVENT_KINDS:
                try:
                    vote_book = votes.apply(vote_book, votes.decode(e.kind, e.payload))
                except votes.VoteError:
                    continue  # replay_problem names that event first
            elif e.kind in bodies.EVENT_KINDS:
                try:
                    event = bodies.decode(e.kind, e.payload)
                    bodies.check_allowed(event.body, self._log.congress.type)
                    bodies.check_vote(vote_book, event.vote)
                    book = bodies.apply(book, event)
                except BodyError as exc:
                    return e.seq, str(exc)
        return None
