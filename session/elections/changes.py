"""Putting a changed election, round or box back in its place, and the reasons and votes a
step must cite."""

from dataclasses import replace

from session.ballots import (
    ElectionError,
)
from session.elections.state import (
    Box,
    Election,
    ElectionBook,
    Round,
)
from session.text import nfc

# ---------------------------------------------------------------- the reducer


def put_election(book: ElectionBook, e: Election) -> ElectionBook:
    return ElectionBook(tuple(e if x.id == e.id else x for x in book.elections))


def put_round(e: Election, r: Round) -> Election:
    return replace(e, rounds=tuple(r if x.number == r.number else x for x in e.rounds))


def put_box(r: Round, box: Box) -> Round:
    return replace(r, boxes=tuple(box if b.id == box.id else b for b in r.boxes))


def given_reason(reason: str) -> str:
    reason = nfc(reason)
    if not reason:
        raise ElectionError("reason_required")
    return reason


def cited_vote(vote: str) -> str:
    vote = nfc(vote)
    if not vote:
        raise ElectionError("vote_required")
    return vote
