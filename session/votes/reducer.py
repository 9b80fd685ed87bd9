"""The named builders of each step's event (create, open, enter, correct) and the reducer of
the vote book (``apply``, ``replay``); see the package's text for the life of a vote.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from session.agenda.plan import AgendaItem, MotionKind
from session.congress import Congress
from session.quorum import QuorumVerdict
from session.tally import Tally
from session.text import nfc
from session.votes.counts import (
    parse_counts,
)
from session.votes.events import (
    CountEntered,
    SectorRecounted,
    UnanimousConfirmed,
    UnanimousWithdrawn,
    VoteCancelled,
    VoteCorrected,
    VoteCreated,
    VoteEvent,
    VoteOpened,
    VotePublished,
)
from session.votes.opening import open_warnings, snapshot_of
from session.votes.state import (
    HALL,
    ClearedRound,
    Correction,
    Entry,
    SectorCount,
    SectorStatus,
    Vote,
    VoteBook,
    VoteError,
    VoteStatus,
    options_for,
)

# ---------------------------------------------------------------- the counts an event brings


def _tally(options: Sequence[str], counts: Mapping[str, object]) -> Tally:
    parsed = parse_counts(options, counts)
    return Tally(*(parsed[o] for o in options))


def _check_total(tally: Tally, options: Sequence[str], present: int, others: Tally) -> None:
    """No option above those present, no entry above them, no sum over the sectors above them."""
    for option, count in zip(options, tally.as_tuple(), strict=True):
        if count > present:
            raise VoteError("option_above_present", option=option, count=count, present=present)
    if tally.cast > present:
        raise VoteError("entry_above_present", total=tally.cast, present=present)
    if tally.cast + others.cast > present:
        raise VoteError(
            "sectors_above_present",
            total=tally.cast + others.cast,
            present=present,
        )


# ---------------------------------------------------------------- building events


def create_vote(
    book: VoteBook,
    congress: Congress,
    item: AgendaItem,
    at: datetime,
    *,
    motion: MotionKind | None = None,
    title: str | None = None,
    vote_id: str | None = None,
    proposal: int | None = None,
) -> VoteCreated:
    """A new draft vote on `item`: its motion (the item's, for a vote item), title (the item's),
    options and rule from the congress file, and the hall sectors; `proposal`, the number put to
    the vote (the number of seats of an election)."""
    motion = motion or item.motion
    if motion is None:
        raise VoteError("motion_required", item=item.title)
    sectors = tuple(s.code for s in congress.sectors) or (HALL,)
    return VoteCreated(
        vote_id or book.next_id(),
        item.key,
        motion,
        nfc(title if title is not None else item.title),
        options_for(congress.rules.ruleset),
        congress.vote_rule(motion, item),
        congress.rules.ruleset.value,
        sectors,
        at,
        proposal,
    )


def _proposal(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise VoteError("bad_proposal", value=value)
    return value


def open_vote(
    book: VoteBook,
    vote_id: str,
    quorum: QuorumVerdict,
    at: datetime,
    reason: str = "",
    by_sector: Mapping[str, int] | None = None,
) -> VoteOpened:
    """Open `vote_id` on the attendance of `quorum` (session.quorum.verdict of now), and those
    present by the sector the register seats them in. Check the warnings first with
    `open_warnings`; with any, a reason is required."""
    vote = _vote(book, vote_id)
    snapshot = replace(snapshot_of(quorum), by_sector=tuple(sorted((by_sector or {}).items())))
    return VoteOpened(vote_id, snapshot, open_warnings(vote.rule, quorum), nfc(reason), at)


def enter_count(
    book: VoteBook,
    vote_id: str,
    sector: str,
    teller: str,
    raw: Mapping[str, object],
    at: datetime,
) -> CountEntered:
    """A teller's entry from what was typed (text or numbers): non-numeric or negative refused."""
    vote = _vote(book, vote_id)
    counts = parse_counts([o.value for o in vote.options], raw)
    return CountEntered(vote_id, sector, nfc(teller), counts, at)


def correct_vote(
    book: VoteBook, vote_id: str, raw: Mapping[str, object], reason: str, at: datetime
) -> VoteCorrected:
    vote = _vote(book, vote_id)
    counts = parse_counts([o.value for o in vote.options], raw)
    return VoteCorrected(vote_id, counts, nfc(reason), at)


# ---------------------------------------------------------------- the reducer


def _vote(book: VoteBook, vote_id: str) -> Vote:
    vote = book.get(vote_id)
    if vote is None:
        raise VoteError("unknown_vote", vote=vote_id)
    return vote


def _put(book: VoteBook, vote: Vote) -> VoteBook:
    return VoteBook(tuple(vote if v.id == vote.id else v for v in book.votes))


def _require_reason(reason: str) -> str:
    reason = nfc(reason)
    if not reason:
        raise VoteError("reason_required")
    return reason


def _taking_counts(vote: Vote) -> None:
    """The vote accepts tellers' entries, recounts and unanimous confirmations."""
    refusal = {
        VoteStatus.DRAFT: "not_open",
        VoteStatus.PUBLISHED: "published",
        VoteStatus.CANCELLED: "cancelled",
    }.get(vote.status)
    if refusal is not None:
        raise VoteError(refusal, vote=vote.title)


def apply(book: VoteBook, event: VoteEvent) -> VoteBook:
    """The book after `event`, or VoteError naming why it cannot happen."""
    if not isinstance(event.at, datetime) or event.at.tzinfo is None:
        raise VoteError("bad_time", value=event.at)
    if isinstance(event, VoteCreated):
        return _create(book, event)
    vote = _vote(book, event.vote)
    match event:
        case VoteOpened():
            return _put(book, _open(book, vote, event))
        case CountEntered():
            return _put(book, _enter(vote, event))
        case SectorRecounted():
            return _put(book, _recount(vote, event))
        case UnanimousConfirmed():
            return _put(book, _unanimous(vote, event))
        case UnanimousWithdrawn():
            _taking_counts(vote)
            if not vote.unanimous:
                raise VoteError("no_unanimous", vote=vote.title)
            reason = nfc(event.reason)
            if vote.status is VoteStatus.COUNTED:
                reason = _require_reason(reason)
            cleared = ClearedRound(
                len(vote.unanimous_cleared) + 1, vote.unanimous, event.at, reason
            )
            return _put(
                book,
                replace(
                    vote,
                    unanimous=(),
                    unanimous_cleared=(*vote.unanimous_cleared, cleared),
                    status=VoteStatus.COUNTING,
                    counted_at=None,
                ),
            )
        case VotePublished():
            if vote.status is not VoteStatus.COUNTED:
                key = {
                    VoteStatus.PUBLISHED: "already_published",
                    VoteStatus.CANCELLED: "cancelled",
                }.get(vote.status, "not_counted")
                raise VoteError(key, vote=vote.title)
            return _put(book, replace(vote, status=VoteStatus.PUBLISHED, published_at=event.at))
        case VoteCorrected():
            return _put(book, _correct(vote, event))
        case VoteCancelled():
            if vote.status in (VoteStatus.PUBLISHED, VoteStatus.CANCELLED):
                raise VoteError(vote.status.value, vote=vote.title)
            return _put(
                book,
                replace(
                    vote,
                    status=VoteStatus.CANCELLED,
                    cancelled_at=event.at,
                    cancel_reason=_require_reason(event.reason),
                ),
            )
    raise VoteError("bad_event", kind=type(event).__name__)  # pragma: no cover


def _create(book: VoteBook, e: VoteCreated) -> VoteBook:
    if book.get(e.vote) is not None:
        raise VoteError("duplicate_vote", vote=e.vote)
    if not e.vote.strip():
        raise VoteError("vote_id_required")
    if not nfc(e.title):
        raise VoteError("title_required")
    if len(set(e.options)) != 3:
        raise VoteError("bad_options")
    if not e.sectors or len(set(e.sectors)) != len(e.sectors):
        raise VoteError("bad_sectors")
    vote = Vote(
        id=e.vote,
        item=e.item,
        motion=e.motion,
        title=nfc(e.title),
        options=e.options,
        rule=e.rule,
        ruleset=e.ruleset,
        sectors=tuple(SectorCount(code) for code in e.sectors),
        created_at=e.at,
        proposal=_proposal(e.proposal),
    )
    return VoteBook((*book.votes, vote))


def _open(book: VoteBook, vote: Vote, e: VoteOpened) -> Vote:
    if vote.status is not VoteStatus.DRAFT:
        raise VoteError("not_draft", vote=vote.title)
    active = book.active
    if active is not None:
        raise VoteError("another_vote_open", vote=active.title)
    snap = e.snapshot
    if min(snap.present, snap.entitled, snap.adjusted) < 0 or snap.present > snap.entitled:
        raise VoteError("bad_snapshot")
    reason = nfc(e.reason)
    if e.warnings and not reason:
        raise VoteError("confirmation_required", vote=vote.title)
    return replace(
        vote,
        status=VoteStatus.OPEN,
        opened_at=e.at,
        snapshot=snap,
        warnings=tuple(e.warnings),
        open_reason=reason,
    )


def _enter(vote: Vote, e: CountEntered) -> Vote:
    _taking_counts(vote)
    if vote.status is VoteStatus.COUNTED:
        raise VoteError("already_counted", vote=vote.title)
    if vote.unanimous:
        raise VoteError("unanimous_pending", vote=vote.title)
    sector = vote.sector(e.sector)
    if sector is None:
        raise VoteError("unknown_sector", sector=e.sector)
    teller = nfc(e.teller)
    if not teller:
        raise VoteError("teller_required")
    if sector.status is SectorStatus.CONFIRMED:
        raise VoteError("sector_confirmed", sector=e.sector)
    if sector.status is SectorStatus.DISPUTED:
        raise VoteError("sector_disputed", sector=e.sector)
    if sector.entries and sector.entries[0].teller == teller:
        raise VoteError("same_teller", sector=e.sector, teller=teller)
    options = [o.value for o in vote.options]
    tally = _tally(options, e.counts)
    assert vote.snapshot is not None  # open, so snapshotted
    others = Tally()
    for s in vote.sectors:
        if s.code != e.sector and s.tally is not None:
            others = others + s.tally
    _check_total(tally, options, vote.snapshot.present, others)
    updated = replace(sector, entries=(*sector.entries, Entry(teller, tally, e.at)))
    sectors = tuple(updated if s.code == e.sector else s for s in vote.sectors)
    counted = all(s.status is SectorStatus.CONFIRMED for s in sectors)
    return replace(
        vote,
        sectors=sectors,
        status=VoteStatus.COUNTED if counted else VoteStatus.COUNTING,
        counted_at=e.at if counted else None,
    )


def _recount(vote: Vote, e: SectorRecounted) -> Vote:
    _taking_counts(vote)
    sector = vote.sector(e.sector)
    if sector is None:
        raise VoteError("unknown_sector", sector=e.sector)
    if vote.unanimous:
        raise VoteError("unanimous_pending", vote=vote.title)
    if not sector.entries:
        raise VoteError("nothing_to_recount", sector=e.sector)
    reason = nfc(e.reason)
    if sector.status is SectorStatus.CONFIRMED:
        reason = _require_reason(reason)
    cleared = ClearedRound(sector.round, sector.entries, e.at, reason)
    updated = SectorCount(sector.code, (), sector.round + 1, (*sector.cleared, cleared))
    sectors = tuple(updated if s.code == e.sector else s for s in vote.sectors)
    return replace(vote, sectors=sectors, status=VoteStatus.COUNTING, counted_at=None)


def _unanimous(vote: Vote, e: UnanimousConfirmed) -> Vote:
    _taking_counts(vote)
    if vote.status is VoteStatus.COUNTED:
        raise VoteError("already_counted", vote=vote.title)
    if any(s.entries for s in vote.sectors):
        raise VoteError("entries_exist", vote=vote.title)
    teller = nfc(e.teller)
    if not teller:
        raise VoteError("teller_required")
    if any(c.teller == teller for c in vote.unanimous):
        raise VoteError("same_teller", sector="*", teller=teller)
    assert vote.snapshot is not None
    if vote.snapshot.present <= 0:
        raise VoteError("nobody_present", vote=vote.title)
    confirmations = (*vote.unanimous, Entry(teller, Tally(yes=vote.snapshot.present), e.at))
    counted = len(confirmations) >= 2
    return replace(
        vote,
        unanimous=confirmations,
        status=VoteStatus.COUNTED if counted else VoteStatus.COUNTING,
        counted_at=e.at if counted else None,
    )


def _correct(vote: Vote, e: VoteCorrected) -> Vote:
    if vote.status is not VoteStatus.PUBLISHED:
        raise VoteError("not_published", vote=vote.title)
    reason = _require_reason(e.reason)
    options = [o.value for o in vote.options]
    after = _tally(options, e.counts)
    assert vote.snapshot is not None and vote.tally is not None
    _check_total(after, options, vote.snapshot.present, Tally())
    if after == vote.tally:
        raise VoteError("correction_unchanged", vote=vote.title)
    correction = Correction(e.at, reason, vote.tally, after)
    return replace(vote, corrections=(*vote.corrections, correction))


def replay(events: Iterable[VoteEvent]) -> VoteBook:
    book = VoteBook()
    for event in events:
        book = apply(book, event)
    return book
