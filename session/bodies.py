"""The bodies that run and assist the congress: the presidium (Đoàn Chủ tịch), the secretariat
(Đoàn Thư ký), the credentials committee (Ban Thẩm tra tư cách đại biểu) and the counting committee
(Ban Kiểm phiếu). Domain rules 3.1, 7.1, 7.2 step 2 and 8.2: the congress elects them by show of
hands (a vote on the motion `procedural_body`) and the minutes list their members.

Pure: one event (:class:`BodyAppointed`: the body, its members in order, each a member or the
head, the vote that elected them, the time) and a reducer. A later appointment of the same body
replaces the earlier one (the congress changed the list), and the earlier one stays in the book,
so the minutes can say so. The store checks the vote an appointment cites with
:func:`check_vote`, against the votes as the log has them at that moment; the same check runs
when `verify` replays the log.

One vote may elect several bodies (congresses often vote the presidium, the secretariat and the
credentials committee as one list), and the election counting committee of session.elections
(CountersAppointed) cites the same kind of vote: so a vote may be cited more than once.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from typing import Any, ClassVar

from session import codec
from session.agenda import MotionKind
from session.congress import CongressType
from session.i18n import Refusal, t
from session.text import nfc
from session.votes import VoteBook, VoteStatus


class BodyError(Refusal):
    """A refused appointment, with a translation key under 'bodies.error.'."""

    prefix = "bodies.error."


class Body(StrEnum):
    """In the order the minutes list them (domain rules 8.2)."""

    PRESIDIUM = "presidium"  # Đoàn Chủ tịch (a cell congress: the chair)
    SECRETARIAT = "secretariat"  # Đoàn Thư ký (a cell congress: the secretary)
    CREDENTIALS_COMMITTEE = "credentials_committee"  # Ban Thẩm tra tư cách đại biểu
    COUNTING_COMMITTEE = "counting_committee"  # Ban Kiểm phiếu


class Role(StrEnum):
    HEAD = "head"  # presides (the presidium), or heads the secretariat or a committee
    MEMBER = "member"


def bodies_of(congress_type: CongressType) -> tuple[Body, ...]:
    """The bodies a congress elects: a congress of all members has no credentials committee
    (domain rules 7.3; the convening committee reports on attendance instead)."""
    if congress_type is CongressType.GENERAL_MEMBERS:
        return tuple(b for b in Body if b is not Body.CREDENTIALS_COMMITTEE)
    return tuple(Body)


def body_name(body: Body, lang: str | None = None) -> str:
    return t(f"bodies.name.{body.value}", lang)


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    role: Role = Role.MEMBER

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role.value}


@dataclass(frozen=True, slots=True)
class BodyAppointed(codec.Event):
    KIND: ClassVar[str] = "body_appointed"
    body: Body
    members: tuple[Member, ...]
    vote: str
    at: datetime


_BY_KIND = codec.by_kind(BodyAppointed)
EVENT_KINDS = frozenset(_BY_KIND)


@dataclass(frozen=True, slots=True)
class Appointment:
    """A body as one vote elected it."""

    body: Body
    members: tuple[Member, ...]
    vote: str
    at: datetime

    @property
    def head(self) -> Member | None:
        return next((m for m in self.members if m.role is Role.HEAD), None)

    @property
    def signer(self) -> str:
        """Who signs the minutes for this body: its head, or its only member; "" otherwise
        (the name is then written by hand)."""
        head = self.head
        if head is not None:
            return head.name
        return self.members[0].name if len(self.members) == 1 else ""


@dataclass(frozen=True, slots=True)
class BodyBook:
    appointments: tuple[Appointment, ...] = ()  # every one, in log order: the trace

    def current(self, body: Body) -> Appointment | None:
        """The body's members now: its latest appointment."""
        return next((a for a in reversed(self.appointments) if a.body is body), None)

    def replaced(self, body: Body) -> tuple[Appointment, ...]:
        """The body's earlier appointments, oldest first (each replaced by the next)."""
        mine = tuple(a for a in self.appointments if a.body is body)
        return mine[:-1]

    @property
    def bodies(self) -> tuple[Appointment, ...]:
        """The current appointment of every body appointed so far, in the order of Body."""
        found = (self.current(b) for b in Body)
        return tuple(a for a in found if a is not None)


# ---------------------------------------------------------------- building and checking


def parse_names(text: str) -> tuple[str, ...]:
    """'A, B ,C' -> ('A', 'B', 'C'): the members as typed, comma separated, blanks dropped."""
    return tuple(name for name in (nfc(n) for n in text.split(",")) if name)


def appoint(
    body: Body, names: Sequence[str], vote: str, at: datetime, head: str = ""
) -> BodyAppointed:
    """The event for `names` (in order) with `head` ("" for none), which must be one of them."""
    head = nfc(head)
    if head and head not in {nfc(n) for n in names}:
        raise BodyError("head_not_member", head=head)
    members = tuple(
        Member(nfc(n), Role.HEAD if head and nfc(n) == head else Role.MEMBER) for n in names
    )
    return BodyAppointed(body, members, vote, at)


def normalised(event: BodyAppointed) -> BodyAppointed:
    """The event as it is stored (names NFC, single spaces), or BodyError: no member, an empty
    name, a name twice (case aside), more than one head, no vote, or a time without a zone."""
    members = tuple(Member(nfc(m.name), m.role) for m in event.members)
    if not members:
        raise BodyError("no_members", body=body_name(event.body))
    if any(not m.name for m in members):
        raise BodyError("empty_name", body=body_name(event.body))
    seen: set[str] = set()
    for m in members:
        if m.name.casefold() in seen:
            raise BodyError("duplicate_member", name=m.name)
        seen.add(m.name.casefold())
    if sum(m.role is Role.HEAD for m in members) > 1:
        raise BodyError("two_heads", body=body_name(event.body))
    vote = event.vote.strip()
    if not vote:
        raise BodyError("vote_required")
    if event.at.tzinfo is None:
        raise BodyError("bad_time", value=event.at.isoformat())
    return BodyAppointed(event.body, members, vote, event.at)


def check_allowed(body: Body, congress_type: CongressType) -> None:
    if body not in bodies_of(congress_type):
        raise BodyError("not_in_this_congress", body=body_name(body))


def check_vote(votes: VoteBook, vote_id: str) -> None:
    """The vote an appointment cites: a published show-of-hands vote on the congress's bodies
    that passed (as the votes stand when the appointment is recorded)."""
    vote = votes.get(vote_id)
    if vote is None:
        raise BodyError("unknown_vote", vote=vote_id)
    if vote.motion is not MotionKind.PROCEDURAL_BODY:
        motion = t(f"vote.motion.{vote.motion.value}")
        raise BodyError("wrong_motion", vote=vote_id, motion=motion)
    if vote.status is not VoteStatus.PUBLISHED:
        raise BodyError("vote_not_published", vote=vote_id)
    if vote.verdict is None or not vote.verdict.passed:
        raise BodyError("vote_not_passed", vote=vote_id)


# ---------------------------------------------------------------- the reducer


def apply(book: BodyBook, event: BodyAppointed) -> BodyBook:
    """The book with `event` (normalised and checked) appended; the body's earlier appointment,
    if any, is replaced and kept."""
    e = normalised(event)
    return BodyBook((*book.appointments, Appointment(e.body, e.members, e.vote, e.at)))


def decode(kind: str, payload: Mapping[str, Any]) -> BodyAppointed:
    """The event a stored (kind, payload) pair describes; BodyError('bad_event'), or 'bad_time'
    for a time without its zone, otherwise."""
    return codec.decode(_BY_KIND, kind, payload, BodyError)


def replay(events: Iterable[BodyAppointed]) -> BodyBook:
    book = BodyBook()
    for event in events:
        book = apply(book, event)
    return book


# ---------------------------------------------------------------- as text and as data


def members_text(appointment: Appointment, lang: str | None = None) -> str:
    """'Nguyễn Văn A (chủ trì), Trần Thị B' in `lang`."""
    head = t(f"bodies.head.{appointment.body.value}", lang)
    return ", ".join(
        f"{m.name} ({head})" if m.role is Role.HEAD else m.name for m in appointment.members
    )


def lines(book: BodyBook, zone: tzinfo, lang: str | None = None) -> list[str]:
    """Each body's members now, the vote that elected them and the lists they replaced."""
    if not book.appointments:
        return [t("bodies.cli.none", lang)]
    stamp = t("format.datetime", lang)
    out = []
    for a in book.bodies:
        name = body_name(a.body, lang)
        out.append(t("bodies.cli.body", lang, body=name, members=members_text(a, lang)))
        when = a.at.astimezone(zone).strftime(stamp)
        out.append(t("bodies.cli.elected", lang, vote=a.vote, time=when))
        for old in book.replaced(a.body):
            when = old.at.astimezone(zone).strftime(stamp)
            members = members_text(old, lang)
            out.append(t("bodies.cli.replaced", lang, time=when, vote=old.vote, members=members))
    return out


def to_json(book: BodyBook) -> list[dict[str, object]]:
    """Every appointment in log order (times in UTC); `current` marks each body's members now,
    the others were replaced by a later vote."""
    latest = {a.body: i for i, a in enumerate(book.appointments)}
    return [
        {
            "body": a.body.value,
            "members": [m.to_json() for m in a.members],
            "vote": a.vote,
            "at": a.at.astimezone(UTC).isoformat(),
            "current": latest[a.body] == i,
        }
        for i, a in enumerate(book.appointments)
    ]
