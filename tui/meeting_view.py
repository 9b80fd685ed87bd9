"""What the agenda and a vote look like on screen: plain text from the domain's state.

No Textual here and no rules: the timing, verdicts and their arithmetic come from session.agenda,
session.votes and session.tally; this module only chooses the words and puts them together.
"""

from dataclasses import dataclass
from datetime import datetime, tzinfo

from session import agenda
from session.agenda import AgendaState, ItemKind, ItemState, ItemStatus, Level, PlannedSlot
from session.congress import Congress
from session.i18n import decimal_sep, number, t
from session.majority import format_percent
from session.tally import Verdict, explain, rule_label
from session.votes import (
    HALL,
    Option,
    SectorCount,
    SectorStatus,
    Vote,
    VoteBook,
    VoteStatus,
    describe_progress,
)
from tui.view import local

IDLE = "idle"  # nothing runs: the class of the status line


def hhmm(moment: datetime | None, zone: tzinfo) -> str:
    return local(moment, zone).strftime(t("format.time")) if moment else ""


def clock(moment: datetime | None, zone: tzinfo) -> str:
    return local(moment, zone).strftime(t("tui.clock.time")) if moment else ""


# ---------------------------------------------------------------- the status line on every screen


def now_line(state: AgendaState, book: VoteBook, now: datetime) -> tuple[str, str]:
    """The running item and its timing, and the vote being taken: (text, level for the colour)."""
    timing = agenda.timing(state, now)
    running = state.current_item
    if running is None or timing is None:
        following = state.next_item
        text = (
            t("tui.now.idle_next", next=following.item.title)
            if following is not None
            else t("tui.now.idle")
        )
        level = IDLE
    else:
        text = t("tui.now.running", title=running.item.title, timing=agenda.describe_timing(timing))
        if timing.level is not Level.OK and timing.level is not Level.UNPLANNED:
            text += " · " + t(f"agenda.level.{timing.level.value}")
        level = timing.level.value
    vote = book.active or next(
        (v for v in reversed(book.votes) if v.status is VoteStatus.COUNTED), None
    )
    if vote is not None:
        text += " · " + vote_progress_short(vote)
    return text, level


def vote_progress_short(vote: Vote) -> str:
    status = t(f"vote.status.{vote.status.value}")
    if vote.unanimous:  # counted (or being confirmed) as a whole, not sector by sector
        return t("tui.now.vote_unanimous", status=status, count=len(vote.unanimous))
    confirmed = len(vote.sectors_with(SectorStatus.CONFIRMED))
    return t("tui.now.vote", status=status, confirmed=confirmed, sectors=len(vote.sectors))


# ---------------------------------------------------------------- the agenda table


MARKS = {
    ItemStatus.RUNNING: "▶",
    ItemStatus.DONE: "✓",
    ItemStatus.SKIPPED: "–",
    ItemStatus.PENDING: "·",
}


def item_facts(item_state: ItemState, slot: PlannedSlot | None, zone: tzinfo) -> str:
    """'report · Presidium · 15 min · planned 08:05'."""
    item = item_state.item
    parts = [t(f"agenda.kind.{item.kind.value}")]
    if item.presenter:
        parts.append(item.presenter)
    if slot is not None and slot.minutes is not None:
        parts.append(t("tui.agenda.minutes", minutes=slot.minutes))
    if slot is not None and slot.start is not None:
        parts.append(t("tui.agenda.planned_at", at=hhmm(slot.start, zone)))
    if item.kind is ItemKind.VOTE and item.motion is not None:
        parts.append(t(f"vote.motion.{item.motion.value}"))
    return " · ".join(parts)


def actual_times(item_state: ItemState, zone: tzinfo) -> str:
    """'07:31–07:36', or '07:31–…' while it runs."""
    if not item_state.spans:
        return ""
    end = item_state.ended_at
    return f"{hhmm(item_state.started_at, zone)}–{hhmm(end, zone) if end else '…'}"


def time_used(state: AgendaState, item_state: ItemState, now: datetime) -> tuple[str, str]:
    """Elapsed against planned for an item that ran: ('05:12 / 05:00 (+00:12)', level)."""
    if not item_state.spans:
        return "", ""
    timing = agenda.timing(state, now, key=item_state.key)
    if timing is None:  # pragma: no cover - an item with spans always has a timing
        return "", ""
    elapsed = agenda.format_clock(timing.elapsed)
    if timing.planned is None:
        return elapsed, timing.level.value
    planned = agenda.format_clock(timing.planned)
    if timing.overrun:
        over = agenda.format_clock(timing.over_by)
        return t("tui.agenda.time_over", elapsed=elapsed, planned=planned, over=over), "over"
    return t("tui.agenda.time", elapsed=elapsed, planned=planned), timing.level.value


def item_note(item_state: ItemState, zone: tzinfo) -> str:
    parts = []
    if item_state.status is ItemStatus.SKIPPED:
        parts.append(t("tui.agenda.note.skipped", reason=item_state.skip_reason or "—"))
    if item_state.spans and item_state.spans[-1].auto_ended:
        parts.append(t("tui.agenda.note.auto_ended"))
    if item_state.inserted_at is not None:
        parts.append(t("tui.agenda.note.inserted", at=hhmm(item_state.inserted_at, zone)))
    if item_state.moved:
        parts.append(t("tui.agenda.note.moved"))
    return " · ".join(parts)


def agenda_summary(state: AgendaState) -> str:
    return t(
        "tui.agenda.summary",
        done=len(state.done),
        skipped=len(state.skipped),
        pending=len(state.pending),
        total=len(state.items),
    )


# ---------------------------------------------------------------- votes


def sector_names(congress: Congress) -> dict[str, str]:
    names = {s.code: s.name for s in congress.sectors}
    names.setdefault(HALL, t("vote.hall"))
    return names


def option_label(option: Option) -> str:
    return t(f"vote.option.{option.value}")


def vote_heading(vote: Vote) -> str:
    return t(
        "tui.vote.heading",
        title=vote.title,
        status=t(f"vote.status.{vote.status.value}").upper(),
    )


def vote_facts(vote: Vote, zone: tzinfo) -> str:
    """The frozen attendance and the rule: what the verdict will be measured against."""
    rule = rule_label(vote.rule)
    snap = vote.snapshot
    if snap is None:
        return t("tui.vote.facts_draft", rule=rule)
    text = t(
        "tui.vote.facts",
        at=clock(vote.opened_at, zone),
        present=number(snap.present),
        entitled=number(snap.entitled),
        base=number(snap.adjusted),
        rule=rule,
    )
    if vote.warnings:
        text += "\n" + t("tui.vote.opened_despite", reason=vote.open_reason)
    return text


def vote_progress(vote: Vote, zone: tzinfo) -> str:
    """Where the count stands, in one line."""
    match vote.status:
        case VoteStatus.DRAFT:
            return t("tui.vote.progress_draft")
        case VoteStatus.CANCELLED:
            return t(
                "tui.vote.progress_cancelled",
                at=clock(vote.cancelled_at, zone),
                reason=vote.cancel_reason,
            )
    parts = []
    if vote.unanimous:
        parts.append(
            t(
                "tui.vote.unanimous_pending",
                tellers=", ".join(e.teller for e in vote.unanimous),
                count=len(vote.unanimous),
            )
        )
    method = vote.method
    if method is not None and vote.status in (VoteStatus.COUNTED, VoteStatus.PUBLISHED):
        parts.append(t(f"vote.method.{method.value}"))
    elif not vote.unanimous:
        parts.append(describe_progress(vote))
    if vote.status is VoteStatus.PUBLISHED:
        parts.append(t("tui.vote.published_at", at=clock(vote.published_at, zone)))
    elif vote.status is VoteStatus.COUNTED:
        parts.append(t("tui.vote.ready_to_publish"))
    return " · ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Numbers:
    """The big numbers: each option's count, not voting and present (text, '' when unknown)."""

    label: str  # what the option counts are: confirmed so far, or the count in force
    options: tuple[str, str, str]
    not_voting: str
    present: str
    present_label: str = ""  # "" for those in the hall; a teller's: "present in B"


def vote_numbers(vote: Vote) -> Numbers:
    verdict = vote.verdict
    present = str(vote.snapshot.present) if vote.snapshot else ""
    if verdict is not None:
        a, b, c = verdict.tally.as_tuple()
        return Numbers(
            t("tui.vote.numbers_counted"),
            (str(a), str(b), str(c)),
            str(verdict.not_voting),
            present,
        )
    if vote.snapshot is None or vote.status is VoteStatus.CANCELLED:
        return Numbers(t("tui.vote.numbers_none"), ("", "", ""), "", present)
    a, b, c = vote.confirmed_tally.as_tuple()
    if vote.unanimous:
        return Numbers(vote_progress_short(vote), ("", "", ""), "", present)
    confirmed = len(vote.sectors_with(SectorStatus.CONFIRMED))
    label = t("tui.vote.numbers_so_far", confirmed=confirmed, sectors=len(vote.sectors))
    return Numbers(label, (str(a), str(b), str(c)), "", present)


def numbers_line(vote: Vote, numbers: Numbers) -> str:
    """The big numbers on one line, for a screen too short for big digits."""
    parts = [
        f"{option_label(o)} {n}" for o, n in zip(vote.options, numbers.options, strict=True) if n
    ]
    if numbers.not_voting:
        parts.append(f"{t('vote.not_voting')} {numbers.not_voting}")
    if numbers.present:
        parts.append(f"{numbers.present_label or t('tui.vote.present')} {numbers.present}")
    return f"{numbers.label}: " + " · ".join(parts) if parts else numbers.label


def verdict_text(verdict: Verdict) -> str:
    """'280 × 2 = 560 > 290: passed, 96.55 % of the base · 96.55 % of those present'."""
    of_present = format_percent(verdict.percent_of_present, decimal_sep())
    return explain(verdict) + " · " + t("tui.vote.of_present", percent=of_present)


def verdict_badge(verdict: Verdict) -> str:
    return t("tui.vote.passed") if verdict.passed else t("tui.vote.failed")


def verdict_details(vote: Vote) -> str:
    """The rule and those not voting, under the verdict."""
    verdict = vote.verdict
    if verdict is None:
        return ""
    return t(
        "tui.vote.details",
        rule=rule_label(vote.rule),
        not_voting=number(verdict.not_voting),
        base=number(verdict.base),
    )


def verdict_history(vote: Vote, zone: tzinfo) -> list[str]:
    """The announced verdict and every correction's, oldest first (empty when never corrected)."""
    if not vote.corrections:
        return []
    history = vote.history
    lines = [
        t(
            "tui.vote.history_first",
            at=clock(vote.published_at, zone),
            verdict=explain(history[0]),
        )
    ]
    for correction, verdict in zip(vote.corrections, history[1:], strict=False):
        lines.append(
            t(
                "tui.vote.history_corrected",
                at=clock(correction.at, zone),
                reason=correction.reason,
                verdict=explain(verdict),
            )
        )
    return lines


def sector_lines(sector: SectorCount, vote: Vote, name: str) -> tuple[str, str, str]:
    """A sector's box: its name, its state, and its confirmed counts (never a single teller's).
    A vote counted as "all present in favour" says so in every sector: no sector was counted."""
    title = name if name.startswith(sector.code) else f"{sector.code} · {name}"
    if vote.unanimous:
        tellers = ", ".join(e.teller for e in vote.unanimous)
        key = (
            "tui.vote.sector_unanimous"
            if len(vote.unanimous) >= 2
            else "tui.vote.sector_unanimous_pending"
        )
        return title, t(key), t("tui.vote.confirmed_by", tellers=tellers)
    status = sector.status
    state = t(f"vote.sector_state.{status.value}")
    if sector.round > 1:
        state += " · " + t("tui.vote.round", round=sector.round)
    detail = ""
    if status is SectorStatus.CONFIRMED and sector.tally is not None:
        detail = " · ".join(number(n) for n in sector.tally.as_tuple())
    elif status is SectorStatus.AWAITING_SECOND:
        detail = t("tui.vote.first_teller", teller=sector.entries[0].teller)
    elif status is SectorStatus.DISPUTED:
        detail = t(
            "tui.vote.tellers_differ",
            first=sector.entries[0].teller,
            second=sector.entries[1].teller,
        )
    return title, state, detail


def vote_row(vote: Vote, state: AgendaState | None) -> tuple[str, str, str, str]:
    """The list of votes: the agenda item's number (as the agenda shows it), title, status,
    result. (A vote's id is the log's, never shown.)"""
    verdict = vote.verdict
    result = ""
    if verdict is not None:
        result = verdict_badge(verdict)
        if vote.corrections:
            result += " " + t("tui.vote.corrected_mark")
    number = state.number(vote.item) if state is not None else None
    status = t(f"vote.status.{vote.status.value}")
    return str(number or ""), vote.title, status, result


def focus_vote(book: VoteBook, state: AgendaState, pinned: str | None) -> Vote | None:
    """The vote the screen shows: the one the operator picked, else the one being taken, else the
    running item's latest, else one counted and not yet announced, else the latest."""
    if pinned is not None:
        vote = book.get(pinned)
        if vote is not None:
            return vote
    if book.active is not None:
        return book.active
    if state.current is not None:
        mine = book.for_item(state.current)
        if mine:
            return mine[-1]
    counted = [v for v in book.votes if v.status is VoteStatus.COUNTED]
    if counted:
        return counted[-1]
    return book.votes[-1] if book.votes else None
