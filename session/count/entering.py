"""Entering the count: a ballot, its correction or its void, a tally sheet, each refused when it
would make a team's standing entries exceed the ballots found; see the package's text.
"""

from dataclasses import replace
from datetime import datetime

from session.ballots import BallotInput, ElectionError, judge
from session.count.state import (
    Correction,
    Count,
    CountMode,
    EnteredBallot,
    Sheet,
    SheetReplacement,
    TeamCount,
    Void,
)
from session.count.totals import Totals
from session.text import nfc


def _put_team(count: Count, team: TeamCount) -> tuple[TeamCount, ...]:
    return tuple(team if t.name == team.name else t for t in count.teams)


def _batch_of(count: Count, box: str, batch: str) -> tuple[str, dict[str, str]]:
    batch = nfc(batch) or box
    known = count.batch_box.get(batch)
    if known is not None and known != box:
        raise ElectionError("batch_in_other_box", batch=batch, box=known)
    if batch in count.accepted:
        raise ElectionError("batch_accepted", batch=batch)
    mapping = dict(count.batch_box)
    mapping.setdefault(batch, box)
    return batch, mapping


def enter_ballot(
    count: Count,
    team: str,
    seq: int,
    box: str,
    batch: str,
    ballot: BallotInput,
    at: datetime,
    found: int | None = None,
) -> Count:
    """One more ballot for `team`; `seq` must be the team's next number (a ballot replayed
    twice is refused, never counted twice). `found`: the ballots found in the box; an entry
    beyond them is refused (a wrong entry is voided first), None: no limit. The machine's team
    (`count.reader`) enters ballot by ballot even in a count from tally sheets."""
    tc = count.team(team)
    if count.mode_of(tc.name) is not CountMode.BALLOTS:
        raise ElectionError("wrong_count_mode", mode=count.mode.value)
    expected = len(tc.ballots) + 1
    if seq != expected:
        raise ElectionError("seq_out_of_order", team=team, seq=seq, expected=expected)
    if found is not None:
        standing = count.standing(team, box)
        if standing >= found:
            raise ElectionError("box_full", box=box, found=found, team=team, entered=standing)
    batch, mapping = _batch_of(count, box, batch)
    judgement = judge(ballot, count.candidates, count.seats)
    entry = EnteredBallot(seq, box, batch, ballot, judgement, at)
    totals = (tc.batches.get(batch) or Totals.zero(count.candidates)).add(judgement)
    updated = replace(tc, ballots=(*tc.ballots, entry), batches={**tc.batches, batch: totals})
    return replace(count, teams=_put_team(count, updated), batch_box=mapping)


def correct_ballot(
    count: Count, team: str, seq: int, ballot: BallotInput, reason: str, at: datetime
) -> Count:
    """Change an entered ballot; the trace keeps what it was and why."""
    old, reason = _entry(count, team, seq, reason)
    if old.voided:  # a voided entry stands for no ballot: enter the ballot anew instead
        raise ElectionError("voided_not_corrected", team=team, seq=seq, reason=old.void_reason)
    if old.ballot == ballot:
        raise ElectionError("correction_unchanged", seq=seq)
    tc = count.team(team)
    judgement = judge(ballot, count.candidates, count.seats)
    totals = tc.batches[old.batch].add(old.judgement, -1).add(judgement)
    new = replace(old, ballot=ballot, judgement=judgement, corrected=True)
    ballots = (*tc.ballots[: seq - 1], new, *tc.ballots[seq:])
    updated = replace(tc, ballots=ballots, batches={**tc.batches, old.batch: totals})
    trace = Correction(team, seq, old.ballot, ballot, reason, at)
    return replace(count, teams=_put_team(count, updated), corrections=(*count.corrections, trace))


def void_ballot(count: Count, team: str, seq: int, reason: str, at: datetime) -> Count:
    """Take an entered ballot out of the count (a ballot entered twice, or for the wrong box):
    it stays in the team's ballots, marked, so the trace and the minutes still show it, and the
    team's next ballot keeps the next sequence number."""
    old, reason = _entry(count, team, seq, reason)
    if old.voided:
        raise ElectionError("ballot_already_voided", team=team, seq=seq, reason=old.void_reason)
    tc = count.team(team)
    totals = tc.batches[old.batch].add(old.judgement, -1)
    new = replace(old, voided=True, void_reason=reason)
    ballots = (*tc.ballots[: seq - 1], new, *tc.ballots[seq:])
    updated = replace(tc, ballots=ballots, batches={**tc.batches, old.batch: totals})
    trace = Void(team, seq, old.box, old.ballot, reason, at)
    return replace(count, teams=_put_team(count, updated), voids=(*count.voids, trace))


def _entry(count: Count, team: str, seq: int, reason: str) -> tuple[EnteredBallot, str]:
    """A team's entry that may still change, with the reason given for changing it (NFC): the
    count is by ballots, a reason is given, the entry exists, and its batch's figures were not
    accepted."""
    tc = count.team(team)
    if count.mode_of(tc.name) is not CountMode.BALLOTS:
        raise ElectionError("wrong_count_mode", mode=count.mode.value)
    reason = nfc(reason)
    if not reason:
        raise ElectionError("reason_required")
    if not 1 <= seq <= len(tc.ballots):
        raise ElectionError("unknown_ballot", team=team, seq=seq)
    entry = tc.ballots[seq - 1]
    if entry.batch in count.accepted:
        raise ElectionError("batch_accepted", batch=entry.batch)
    return entry, reason


def check_sheet(totals: Totals, candidates: int, seats: int) -> None:
    """A tally sheet's figures must be possible: one number per candidate, none above the valid
    ballots, and no more names kept than valid × seats."""
    if len(totals.votes) != candidates:
        raise ElectionError("sheet_length", count=len(totals.votes), candidates=candidates)
    for number, votes in enumerate(totals.votes, 1):
        if votes > totals.valid:
            raise ElectionError(
                "candidate_above_valid", number=number, votes=votes, valid=totals.valid
            )
    if totals.kept > totals.valid * seats:
        raise ElectionError(
            "kept_above_limit",
            kept=totals.kept,
            valid=totals.valid,
            seats=seats,
            limit=totals.valid * seats,
        )


def enter_sheet(
    count: Count,
    team: str,
    box: str,
    batch: str,
    totals: Totals,
    reason: str,
    at: datetime,
    found: int | None = None,
) -> Count:
    """A tally sheet's totals for a batch; entering a batch again replaces its sheet and needs a
    reason (the earlier figures stay in the trace). `found`: the ballots found in the box; the
    team's sheets for it may not add up to more (None: no limit). The machine's team enters no
    sheet: it enters each ballot it reads."""
    tc = count.team(team)
    if count.reader and tc.name == count.reader:
        raise ElectionError("reader_enters_ballots", team=tc.name)
    if count.mode is not CountMode.SHEETS:
        raise ElectionError("wrong_count_mode", mode=count.mode.value)
    batch, mapping = _batch_of(count, box, batch)
    check_sheet(totals, count.candidates, count.seats)
    previous = tc.sheets.get(batch)
    if found is not None:
        replaced_ballots = previous.totals.ballots if previous is not None else 0
        ballots = count.standing(team, box) - replaced_ballots + totals.ballots
        if ballots > found:
            raise ElectionError("sheet_above_box", box=box, found=found, team=team, ballots=ballots)
    replaced = count.replaced_sheets
    if previous is not None:
        reason = nfc(reason)
        if not reason:
            raise ElectionError("reason_required")
        if previous.totals == totals:
            raise ElectionError("correction_unchanged", seq=batch)
        replaced = (*replaced, SheetReplacement(team, batch, previous.totals, totals, reason, at))
    updated = replace(
        tc,
        sheets={**tc.sheets, batch: Sheet(box, batch, totals, at)},
        batches={**tc.batches, batch: totals},
    )
    return replace(
        count, teams=_put_team(count, updated), batch_box=mapping, replaced_sheets=replaced
    )
