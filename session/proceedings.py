"""The proceedings of a congress: everything its minutes and archive say, rebuilt from the log.

Pure: the caller reads the congress, the register and the stored events (the hash-chained
audit log) and hands them over; nothing here touches a database. The agenda, the votes, the
elections, the congress's bodies (presidium, secretariat, committees) and the lists of speakers
are replayed with their own reducers, exactly as the store replays them, and the roll call
(entries, exits, corrections, absences, alternates seated) is replayed from its events, so the
proceedings "as of" any moment are the log's prefix up to that moment, and exporting twice
from the same log gives the same proceedings. The statistics are session.statistics' (those
of `presidium statistics`), run on the delegates as the replayed roll call has them.

An export "as of" a time takes the events up to the first one recorded after it (a prefix of
the chain, so every reducer sees a history that really happened, and the last hash is a real
link of the chain even if two terminals' clocks disagree). Without a time, the export time is
the last event's.

What is still open at that moment (items not yet taken, votes not announced, elections not
finished) is listed, and makes the minutes an interim report.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from session import agenda as ag
from session import bodies as bd
from session import elections as el
from session import speakers as sp
from session import statistics as st
from session import votes as vt
from session.agenda import AgendaState, ItemStatus
from session.audit import StoredEvent
from session.bodies import BodyBook
from session.congress import Congress
from session.elections import Election, ElectionBook, Step
from session.i18n import Refusal, t
from session.quorum import Kind, Member, QuorumVerdict, Status, attendance, verdict
from session.rollcall import Action
from session.speakers import SpeakersState
from session.speakers.record import DiscussionRecord, record
from session.statistics import Statistics
from session.votes import VoteBook, VoteStatus

# 2: bodies; statistics as `presidium statistics --json`. 3: a headcount's guests are guests only,
# the delegates present without a vote (alternates not activated) are counted apart.
SCHEMA_VERSION = 3


class ProceedingsError(Refusal):
    """The log cannot be turned into proceedings (a key under 'proceedings.error.')."""

    prefix = "proceedings.error."


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """A delegate as the register has it (the caller reads it; names are today's)."""

    number: int
    full_name: str
    unit: str
    kind: Kind
    origin: str = ""
    gender: str = ""
    date_of_birth: date | None = None
    ethnicity: str = ""
    education: str = ""


@dataclass(frozen=True, slots=True)
class DelegateAt:
    """A delegate at the export time: the register's particulars with the roll call's presence,
    standing and alternate activation, as session.statistics reads a delegate (its
    Particulars, which the store's DelegateInfo also is)."""

    number: int
    kind: Kind
    gender: str
    date_of_birth: date | None
    ethnicity: str
    origin: str
    education: str
    present: bool
    member: Member


@dataclass(frozen=True, slots=True)
class Movement:
    """One entry or exit as the roll call recorded it (a correction is a counter-entry)."""

    seq: int
    at: datetime
    number: int
    action: Action
    method: str  # scan | manual | voting_check | correction
    station: str
    reason: str = ""
    attendance: int | None = None  # the attendance row it wrote
    reverses: int | None = None  # for a correction: the row it undoes


@dataclass(frozen=True, slots=True)
class StatusChange:
    """An absence, its withdrawal, or a credentials ruling, with its reason."""

    seq: int
    at: datetime
    number: int
    before: Status
    after: Status
    reason: str


@dataclass(frozen=True, slots=True)
class Headcount:
    """Attendance and the quorum verdict at one moment (after event `seq`).

    The verdict's `attendance.guests` counts everyone in the hall without a vote; the minutes
    tell invited guests (domain rules 1.3) from delegates who do not vote (an alternate not
    seated in an official's place), so the two are counted apart here."""

    at: datetime
    seq: int
    verdict: QuorumVerdict
    guests: int  # invited guests in the hall
    non_voting: int  # delegates in the hall without a vote: alternates not activated


class OpenKind(StrEnum):
    AGENDA_ITEM = "agenda_item"
    VOTE = "vote"
    ELECTION = "election"


@dataclass(frozen=True, slots=True)
class OpenMatter:
    """Something not finished at the export time: `status` is the item's or vote's status, or
    the election's next step."""

    kind: OpenKind
    ref: str  # agenda item key, vote id or election id
    title: str
    status: str


@dataclass(frozen=True, slots=True)
class Proceedings:
    congress: Congress
    as_of: datetime  # the export time: the last event's, or the one asked for
    events: tuple[StoredEvent, ...]  # the log this was built from (a prefix of the chain)
    register: tuple[RegisterEntry, ...]  # in number order
    movements: tuple[Movement, ...]  # in log order
    status_changes: tuple[StatusChange, ...]
    statuses: Mapping[int, tuple[Status, str]]  # each delegate's status and reason at as_of
    present: frozenset[int]  # delegate numbers in the hall at as_of
    seats: Mapping[int, int]  # activated alternate -> the official whose place they hold
    opening: Headcount | None  # when the first agenda item started; None before that
    now: Headcount  # at as_of
    agenda: AgendaState
    votes: VoteBook
    elections: ElectionBook
    bodies: BodyBook = field(default_factory=BodyBook)
    open: tuple[OpenMatter, ...] = field(default=())
    speakers: SpeakersState = field(default_factory=SpeakersState)

    @property
    def last_seq(self) -> int:
        return self.events[-1].seq if self.events else 0

    @property
    def final_hash(self) -> str:
        """The chain's hash after the last event covered: it identifies this very history."""
        return self.events[-1].hash if self.events else "0" * 64

    @property
    def interim(self) -> bool:
        return bool(self.open)

    @property
    def closed_at(self) -> datetime | None:
        """When the last agenda item ended, once nothing is open (the closing time)."""
        if self.interim:
            return None
        ends = [s.ended_at for s in self.agenda.items if s.ended_at is not None]
        return max(ends, default=None)

    def delegate(self, number: int) -> RegisterEntry | None:
        return _by_number(self.register).get(number)

    def status_of(self, number: int) -> tuple[Status, str]:
        return self.statuses.get(number, (Status.SUMMONED, ""))

    def delegates_at(self) -> list[DelegateAt]:
        """Every delegate of the register as the roll call stands at the export time."""
        replaced = set(self.seats.values())
        out = []
        for d in self.register:
            present = d.number in self.present
            member = Member(d.kind, self.status_of(d.number)[0], present,
                            d.number in replaced, activated=d.number in self.seats)  # fmt: skip
            out.append(DelegateAt(d.number, d.kind, d.gender, d.date_of_birth, d.ethnicity,
                                  d.origin, d.education, present, member))  # fmt: skip
        return out

    def gender_of(self, person: str) -> str:
        """The register's gender of a person id ("d00012", as session.candidates writes a
        delegate's; a bare number is taken as the delegate's number): "" when unknown."""
        number_ = el.delegate_number(person)
        if number_ is None and person.isascii() and person.isdigit():
            number_ = int(person)
        d = self.delegate(number_) if number_ is not None else None
        return d.gender if d is not None else ""

    def discussion(self) -> DiscussionRecord:
        """The record of the discussion (session.speakers.record): every contribution of each
        agenda item in order, and the counts."""
        items = [(s.key, s.item.title) for s in self.agenda.items]
        return record(self.speakers, items, self.gender_of)

    def delegate_statistics(self, lang: str) -> Statistics:
        """The credentials report's statistics (domain rules 7.4), exactly as `presidium
        statistics` computes them from the database: everyone holding a voting seat, an
        activated alternate in the place of the official they replace; titled in `lang`."""
        figures = st.of_delegates(self.delegates_at(), self.congress)
        return replace(figures, title=t("statistics.title.delegates", lang))

    def elected_statistics(self, election: Election, lang: str) -> Statistics | None:
        """The same for those an election has elected so far (None: nobody yet), as
        `presidium statistics --election` computes them."""
        by_number = {d.number: d for d in self.delegates_at()}
        figures = st.of_election(election, by_number, self.congress)
        if figures.total == 0:
            return None
        return replace(figures, title=t("statistics.title.elected", lang, title=election.title))


def _by_number(register: Sequence[RegisterEntry]) -> dict[int, RegisterEntry]:
    return {d.number: d for d in register}


# ----------------------------------------------------------------------------- the cut


def event_time(event: StoredEvent) -> datetime:
    return datetime.fromisoformat(event.at)


def events_until(events: Sequence[StoredEvent], as_of: datetime | None) -> list[StoredEvent]:
    """The prefix of the log an export as of `as_of` covers: every event up to the first one
    recorded after it (all of them when `as_of` is None)."""
    if as_of is None:
        return list(events)
    if as_of.tzinfo is None:
        raise ProceedingsError("naive_time", value=as_of.isoformat())
    kept = []
    for event in events:
        if event_time(event) > as_of:
            break
        kept.append(event)
    return kept


# ----------------------------------------------------------------------------- the replay


@dataclass
class _RollCall:
    """The roll call as the log tells it, event by event."""

    known: dict[int, RegisterEntry]
    registered: set[int] = field(default_factory=set)
    present: set[int] = field(default_factory=set)
    statuses: dict[int, tuple[Status, str]] = field(default_factory=dict)
    seats: dict[int, int] = field(default_factory=dict)  # activated alternate -> official
    movements: list[Movement] = field(default_factory=list)
    changes: list[StatusChange] = field(default_factory=list)

    def apply(self, e: StoredEvent) -> None:
        p = e.payload
        if e.kind == "register_imported":
            self.registered.update(int(n) for n in p.get("added", []))  # type: ignore[union-attr]
        elif e.kind in ("check_in", "check_out"):
            voting = p.get("mode") == "voting_check"
            method = "voting_check" if voting else str(p.get("method", "scan"))
            action = Action.CHECK_IN if e.kind == "check_in" else Action.CHECK_OUT
            self._move(e, action, method, p.get("attendance"), None)
        elif e.kind == "attendance_corrected":
            action = Action(str(p["action"]))
            self._move(e, action, "correction", p.get("attendance"), p.get("reverses"))
        elif e.kind == "status_changed":
            number = int(p["number"])  # type: ignore[call-overload]
            after, reason = Status(str(p["to"])), str(p.get("reason", ""))
            before = Status(str(p["from"]))
            self.changes.append(StatusChange(e.seq, event_time(e), number, before, after, reason))
            self.statuses[number] = (after, reason)
        elif e.kind == "alternate_activated":
            self.seats[int(p["number"])] = int(p["official"])  # type: ignore[call-overload]
        elif e.kind == "alternate_deactivated":
            self.seats.pop(int(p["number"]), None)  # type: ignore[call-overload]

    def _move(
        self, e: StoredEvent, action: Action, method: str, row: object, reverses: object
    ) -> None:
        p = e.payload
        number = int(p["number"])  # type: ignore[call-overload]
        self.movements.append(
            Movement(
                e.seq, event_time(e), number, action, method, str(p.get("station", "")),
                str(p.get("reason", "")), _opt_int(row), _opt_int(reverses),
            )
        )  # fmt: skip
        if action is Action.CHECK_IN:
            self.present.add(number)
        else:
            self.present.discard(number)

    def headcount(self, congress: Congress, e: StoredEvent) -> Headcount:
        groups = []
        replaced = set(self.seats.values())
        for number in sorted(self.registered):
            entry = self.known.get(number)
            if entry is None:
                continue  # on the log, gone from the table: verify reports that
            status = self.statuses.get(number, (Status.SUMMONED, ""))[0]
            # an activated alternate votes in the seat of an official who keeps it in the base
            member = Member(entry.kind, status, number in self.present, number in replaced,
                            activated=number in self.seats)  # fmt: skip
            groups.append((member, 1))
        att = attendance(groups, congress.type, congress.rules.base)
        guests, non_voting = without_vote(groups)
        return Headcount(event_time(e), e.seq, verdict(att, congress.rules), guests, non_voting)


def without_vote(groups: Iterable[tuple[Member, int]]) -> tuple[int, int]:
    """(guests, delegates without a vote) in the hall: together they are Attendance.guests
    (rejected credentials are in neither, as there)."""
    guests = non_voting = 0
    for m, n in groups:
        if m.votes or not m.present or m.status is Status.CREDENTIAL_REJECTED:
            continue
        if m.kind is Kind.GUEST:
            guests += n
        else:
            non_voting += n
    return guests, non_voting


def _opt_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass
class _Meeting:
    """The agenda, votes and elections, replayed with the store's own reducers."""

    agenda: AgendaState
    votes: VoteBook = field(default_factory=VoteBook)
    elections: ElectionBook = field(default_factory=ElectionBook)
    bodies: BodyBook = field(default_factory=BodyBook)
    speakers: SpeakersState = field(default_factory=SpeakersState)

    def apply(self, e: StoredEvent) -> None:
        try:
            if e.kind in ag.EVENT_KINDS:
                self.agenda = ag.apply(self.agenda, ag.decode(e.kind, e.payload))
            elif e.kind in vt.EVENT_KINDS:
                self.votes = vt.apply(self.votes, vt.decode(e.kind, e.payload))
            elif e.kind in el.EVENT_KINDS:
                event = el.decode(e.kind, e.payload)
                self.elections = el.apply(self.elections, event, replaying=True)
            elif e.kind in bd.EVENT_KINDS:
                self.bodies = bd.apply(self.bodies, bd.decode(e.kind, e.payload))
            elif e.kind in sp.EVENT_KINDS:
                self.speakers = sp.apply(self.speakers, sp.decode(e.kind, e.payload))
        except (ag.AgendaError, vt.VoteError, el.ElectionError, bd.BodyError,
                sp.SpeakersError) as exc:  # fmt: skip
            raise ProceedingsError("replay_refused", seq=e.seq, detail=str(exc)) from None


def assemble(
    congress: Congress,
    events: Sequence[StoredEvent],
    register: Iterable[RegisterEntry],
    as_of: datetime | None = None,
) -> Proceedings:
    """The proceedings told by `events` (already cut with `events_until`) and the register.

    `as_of` is the export time (default: the last event's). The opening headcount is taken when
    the first agenda item starts."""
    if not events:
        raise ProceedingsError("empty_log")
    known = _by_number(sorted(register, key=lambda d: d.number))
    roll = _RollCall(known)
    meeting = _Meeting(ag.initial(congress.agenda))
    opening: Headcount | None = None
    for e in events:
        roll.apply(e)
        meeting.apply(e)
        if opening is None and e.kind == ag.ItemStarted.KIND:
            opening = roll.headcount(congress, e)
    when = as_of or event_time(events[-1])
    now = roll.headcount(congress, events[-1])
    return Proceedings(
        congress=congress,
        as_of=when,
        events=tuple(events),
        register=tuple(known[n] for n in sorted(roll.registered) if n in known),
        movements=tuple(roll.movements),
        status_changes=tuple(roll.changes),
        statuses=dict(roll.statuses),
        present=frozenset(roll.present),
        seats=dict(roll.seats),
        opening=opening,
        now=replace(now, at=when),
        agenda=meeting.agenda,
        votes=meeting.votes,
        elections=meeting.elections,
        bodies=meeting.bodies,
        speakers=meeting.speakers,
        open=still_open(meeting.agenda, meeting.votes, meeting.elections),
    )


# ----------------------------------------------------------------------------- what is open

_VOTE_DONE = frozenset({VoteStatus.PUBLISHED, VoteStatus.CANCELLED})
_ELECTION_DONE = frozenset({Step.COMPLETE, Step.STOPPED})


def still_open(
    agenda: AgendaState, votes: VoteBook, elections: ElectionBook
) -> tuple[OpenMatter, ...]:
    """Agenda items running or not yet taken, votes not announced or cancelled, elections whose
    next step is not 'complete' or 'stopped', in that order."""
    found = [
        OpenMatter(OpenKind.AGENDA_ITEM, s.key, s.item.title, s.status.value)
        for s in agenda.items
        if s.status in (ItemStatus.RUNNING, ItemStatus.PENDING)
    ]
    found += [
        OpenMatter(OpenKind.VOTE, v.id, v.title, v.status.value)
        for v in votes.votes
        if v.status not in _VOTE_DONE
    ]
    for e in elections.elections:
        step = el.outcome(e).step
        if step not in _ELECTION_DONE:
            found.append(OpenMatter(OpenKind.ELECTION, e.id, e.title, step.value))
    return tuple(found)
