"""The reducer's steps for the ballots a machine reads (issue 14), and the builders of their events.

The machine is one counting team, the count's `reader` (CountingStarted.reader): each sheet it
reads is a :class:`BallotRead`. A sheet valid or invalid by rule is entered for the reader team
at once, exactly as a :class:`BallotEntered` would be (its seq next, the box opened and not yet
counted, no more entries than ballots found); a sheet in doubt waits for the counting committee,
whose :class:`ReadingDecided` enters the ballot it decides, with its reason. A paper ballot is
read once: the same sheet (image, page, slot) is refused in any round of the election. The
verdict is the rules' own (session.ballot_reading.outcome), recomputed here from the marks and
the doubts, so an event cannot slip in a ballot its marks do not say.
"""

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from session.ballot_reading import (
    Doubt,
    Outcome,
    RowMark,
    SheetPlace,
    Verdict,
    marks_from_text,
    marks_text,
    outcome,
    parse_code,
)
from session.ballots import BallotInput, ElectionError, InvalidReason
from session.count import enter_ballot
from session.elections.building import next_seq
from session.elections.changes import given_reason, put_round
from session.elections.events import BallotRead, ReadingDecided
from session.elections.readings import SheetKey, reading_at, readings_of, sheet_read_in
from session.elections.round_steps import _counting_box, _counting_round
from session.elections.state import (
    Box,
    Election,
    ElectionBook,
    Reading,
    ReadingDecision,
    Round,
    find,
)
from session.text import nfc

# ---------------------------------------------------------------- the reducer


def _reader_round(e: Election, number: int, team: str) -> Round:
    """The round, counting, whose count has a machine and `team` as its team."""
    r = _counting_round(e, number)
    assert r.count is not None
    if not r.count.reader:
        raise ElectionError("no_reader", round=number)
    if nfc(team) != r.count.reader:
        raise ElectionError("not_reader_team", team=team, reader=r.count.reader)
    return r


def _doubts(values: Iterable[str]) -> tuple[Doubt, ...]:
    found = []
    for value in values:
        try:
            found.append(Doubt(value))
        except ValueError:
            raise ElectionError("bad_reading_doubt", doubt=value) from None
    return tuple(dict.fromkeys(found))


def _other_ballot(ev: BallotRead) -> bool:
    """The reading says the sheet is another election's or round's ballot (invalid: not issued
    for this count), and the code it records says so: the marks of such a sheet say nothing of
    this list, so without that code the claim is refused as any other mismatch."""
    claim = ev.verdict is Verdict.INVALID and ev.ballot == BallotInput.spoilt(
        InvalidReason.NOT_ISSUED
    )
    named = parse_code(ev.code)
    return claim and named is not None and (named[0], named[1]) != (ev.election, ev.round)


def _check_verdict(
    r: Round, ev: BallotRead, marks: tuple[RowMark, ...], doubts: tuple[Doubt, ...]
) -> None:
    """The verdict and ballot of `ev` must be what the rules give for its marks and doubts."""
    other = _other_ballot(ev)
    try:
        expected = outcome(r.format, len(r.ballot), r.seats, marks, doubts, other_ballot=other)
    except ElectionError as exc:  # marks the list cannot have: a forged or broken reading
        raise ElectionError(
            "reading_mismatch", sheet=ev.sheet, file=ev.file, verdict=ev.verdict.value
        ) from exc
    if expected.verdict is not ev.verdict or expected.ballot != ev.ballot:
        raise ElectionError(
            "reading_mismatch", sheet=ev.sheet, file=ev.file, verdict=ev.verdict.value
        )


def _check_room(r: Round, box: Box, team: str) -> None:
    """A new sheet may not take the reader team past the ballots found in the box: its standing
    entries and the sheets still waiting for the committee (each will become an entry)."""
    assert r.count is not None and box.returned is not None
    standing = r.count.standing(team, box.id)
    waiting = sum(1 for x in readings_of(r, box.id) if x.pending)
    if standing + waiting >= box.returned:
        raise ElectionError(
            "box_full", box=box.id, found=box.returned, team=team, entered=standing + waiting
        )


def read_ballot(e: Election, ev: BallotRead, replaying: bool) -> Election:
    """Apply a BallotRead: see the module's text."""
    r = _reader_round(e, ev.round, ev.team)
    assert r.count is not None
    team = r.count.reader
    r, box = _counting_box(e, ev.round, ev.box)
    assert r.count is not None
    place = SheetPlace(nfc(ev.image), nfc(ev.file), ev.page, ev.slot, ev.sheet)
    if not place.image:
        raise ElectionError("sheet_image_required")
    earlier = sheet_read_in(e, place.key)
    if earlier is not None:
        number, seen = earlier
        raise ElectionError(
            "sheet_already_read",
            sheet=seen.place.sheet,
            file=seen.place.file,
            box=seen.box,
            round=number,
        )
    marks = marks_from_text(ev.marks)
    doubts = _doubts(ev.doubts)
    _check_verdict(r, ev, marks, doubts)
    if not replaying:
        _check_room(r, box, team)
    count = r.count
    batch = nfc(ev.batch) or box.id
    if ev.verdict is Verdict.UNDECIDED:  # entered once decided: its batch must take it then
        if ev.seq != 0:
            raise ElectionError("seq_out_of_order", team=team, seq=ev.seq, expected=0)
        known = count.batch_box.get(batch)
        if known is not None and known != box.id:
            raise ElectionError("batch_in_other_box", batch=batch, box=known)
        if batch in count.accepted:
            raise ElectionError("batch_accepted", batch=batch)
    else:
        assert ev.ballot is not None
        count = enter_ballot(count, team, ev.seq, box.id, batch, ev.ballot, ev.at)
        batch = count.team(team).ballots[-1].batch
    reading = Reading(
        place, box.id, batch, nfc(ev.code), ev.marks, doubts, ev.verdict, ev.ballot, ev.seq, ev.at
    )
    return put_round(e, replace(r, count=count, readings=(*r.readings, reading)))


def decide_reading(e: Election, ev: ReadingDecided, replaying: bool) -> Election:
    """Apply a ReadingDecided: the committee's ballot for a pending sheet, entered for the
    reader team."""
    r = _counting_round(e, ev.round)
    assert r.count is not None
    if not r.count.reader:
        raise ElectionError("no_reader", round=ev.round)
    key = (nfc(ev.image), ev.page, ev.slot)
    reading = reading_at(r, key)
    if reading is None:
        raise ElectionError("unknown_reading", image=key[0][:12], page=ev.page, slot=ev.slot)
    if not reading.pending:
        raise ElectionError(
            "reading_not_pending", sheet=reading.place.sheet, file=reading.place.file
        )
    reason = given_reason(ev.reason)
    r, box = _counting_box(e, ev.round, reading.box)
    assert r.count is not None
    team = r.count.reader
    found = None if replaying else box.returned
    # the sheet is counted among the pending ones until now: its own entry takes its place
    count = enter_ballot(r.count, team, ev.seq, box.id, reading.batch, ev.ballot, ev.at, found)
    decided = replace(reading, decision=ReadingDecision(ev.ballot, reason, ev.seq, ev.at))
    readings = tuple(decided if x.key == key else x for x in r.readings)
    return put_round(e, replace(r, count=count, readings=readings))


# ---------------------------------------------------------------- building the events


def ballot_read(
    book: ElectionBook,
    election_id: str,
    round_no: int,
    box: str,
    batch: str,
    place: SheetPlace,
    code: str,
    marks: str | Sequence[RowMark],
    doubts: Iterable[Doubt | str],
    result: Outcome,
    at: datetime,
) -> BallotRead:
    """The event for one sheet the machine read: the team is the count's reader, and the seq
    its next entry when the verdict enters a ballot now (0 when the committee must decide).
    The doubts recorded are those given and the outcome's own (an unsure row, say)."""
    r = find(book, election_id).round(round_no)
    if r.count is None:
        raise ElectionError("counting_not_started", round=round_no)
    if not r.count.reader:
        raise ElectionError("no_reader", round=round_no)
    team = r.count.reader
    text = marks if isinstance(marks, str) else marks_text(marks)
    given = tuple(Doubt(d) for d in (*result.doubts, *doubts))
    noted = tuple(d.value for d in dict.fromkeys(given))
    undecided = result.verdict is Verdict.UNDECIDED
    seq = 0 if undecided else next_seq(book, election_id, round_no, team)
    return BallotRead(
        election_id, round_no, team, box, batch, place.image, place.file, place.page,
        place.slot, place.sheet, code, text, noted, result.verdict, result.ballot, seq, at,
    )  # fmt: skip


def reading_decided(
    book: ElectionBook,
    election_id: str,
    round_no: int,
    key: SheetKey,
    ballot: BallotInput,
    reason: str,
    at: datetime,
) -> ReadingDecided:
    """The event for the committee's decision on a pending sheet (its seq filled in)."""
    r = find(book, election_id).round(round_no)
    if r.count is None:
        raise ElectionError("counting_not_started", round=round_no)
    seq = next_seq(book, election_id, round_no, r.count.reader) if r.count.reader else 1
    image, page, slot = key
    return ReadingDecided(election_id, round_no, image, page, slot, ballot, nfc(reason), seq, at)
