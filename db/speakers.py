"""The discussion's lists of speakers (issue 15), persisted as events and rebuilt by replaying
them (session.speakers is the pure reducer). Every change is one write transaction: replay the
stored speakers' events, build the new event from the state and the transaction's clock, apply
it (which refuses an impossible change with SpeakersError and rolls the transaction back), and
append it to the hash-chained log.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from db.delegates import DelegateInfo, info
from db.log import Log
from db.meeting import agenda_in, stored_events
from db.models import Delegate
from db.privileges import check_card
from session import speakers as sp
from session.cards import CardProblem, CardRejection
from session.i18n import t
from session.speakers import SpeakersError, SpeakersEvent, SpeakersState, SpeechKind
from session.speakers_import import Contribution, additions

Build = Callable[[SpeakersState, datetime], SpeakersEvent]
BuildMany = Callable[[SpeakersState, datetime], Sequence[SpeakersEvent]]
Recorded = tuple[SpeakersState, tuple[SpeakersEvent, ...]]


def speakers_in(s: Session) -> SpeakersState:
    """The lists of speakers as the log in this session tells them."""
    return sp.replay(sp.decode(k, p) for k, p in stored_events(s, sp.EVENT_KINDS))


class Speakers:
    """Each agenda item's list of speakers, on the log."""

    def __init__(self, log: Log) -> None:
        self._log = log

    def state(self) -> SpeakersState:
        with Session(self._log.reader) as s:
            return speakers_in(s)

    def record(self, build: Build) -> SpeakersState:
        """One change: `build(state, now)` names the event; the new state, or SpeakersError."""

        def work(s: Session, seq: int, now: datetime) -> tuple[SpeakersState, str, Any]:
            state = speakers_in(s)
            event = build(state, now)
            if agenda_in(self._log.congress, s).find(event.item) is None:
                raise SpeakersError("unknown_item", item=event.item)
            return sp.apply(state, event), event.KIND, event.payload()

        return self._log.transact(work)

    def record_many(self, build: BuildMany) -> Recorded:
        """Several changes in one transaction, all or none (a file of contributions):
        `build(state, now)` names the events in order, each applied to the state the ones before
        it left, so a refusal of any rolls every one back. The new state and the events
        appended (none when `build` names none: then nothing is written)."""

        def work(s: Session, seq: int, now: datetime) -> tuple[Recorded, Any, Any]:
            state = speakers_in(s)
            events = tuple(build(state, now))
            agenda = agenda_in(self._log.congress, s)
            for event in events:
                if agenda.find(event.item) is None:
                    raise SpeakersError("unknown_item", item=event.item)
                state = sp.apply(state, event)
            # A list of (kind, payload): the log chains each in this one transaction.
            return (state, events), [(e.KIND, e.payload()) for e in events], {}

        return self._log.transact(work)

    def add(
        self, item: str, name: str, kind: SpeechKind, *, person: str = "", unit: str = "",
        title: str = "", asked: int = 0, source: sp.Source = sp.Source.SEARCH,
    ) -> SpeakersState:  # fmt: skip
        """Put a speaker on `item`'s list under the next number (a point of order at the head,
        a written contribution recorded at once)."""
        return self.record(
            lambda state, now: sp.SpeakerAdded(item, state.of(item).next_number, person, name,
                                               unit, title, kind, asked, source, now)
        )  # fmt: skip

    def card_holder(self, raw: str) -> DelegateInfo:
        """The delegate whose card was scanned at the speakers' desk (nothing is recorded: a
        card puts no one in the hall here), or SpeakersError naming what is wrong with it."""
        card = check_card(self._log.reader, self._log.secret, raw)
        if isinstance(card, CardRejection):
            raise SpeakersError("card", problem=_card_problem(card.problem))
        with Session(self._log.reader) as s:
            row = s.exec(select(Delegate).where(Delegate.number == card.number)).first()
        if row is None:
            problem = t("scan.unknown_number", number=card.number)
            raise SpeakersError("card", problem=problem)
        if card.issue != row.card_issue:
            newer = card.issue < row.card_issue
            raise SpeakersError("card", problem=t("scan.revoked" if newer else "scan.unissued"))
        return info(row)

    def replay_problem(self, events: Iterable[Any]) -> tuple[int, str] | None:
        """The first stored speakers' event the reducer refuses: (seq, reason)."""
        state = SpeakersState()
        for e in events:
            if e.kind in sp.EVENT_KINDS:
                try:
                    state = sp.apply(state, sp.decode(e.kind, e.payload))
                except SpeakersError as exc:
                    return e.seq, str(exc)
        return None


def _card_problem(problem: CardProblem) -> str:
    """What is wrong with a code that is no card of this congress, as a door says it."""
    match problem:
        case CardProblem.EMPTY:
            return t("scan.empty")
        case CardProblem.MALFORMED:
            return t("scan.malformed")
        case CardProblem.OTHER_CONGRESS:
            return t("scan.other_congress")
    return t("scan.forged")


class SpeakerChanges:
    """The Store's operations on the lists of speakers (a base class of it, as
    db.elections.Readings is): each one event in one transaction, on its `_speakers`."""

    _speakers: Speakers

    def speakers_state(self) -> SpeakersState:
        return self._speakers.state()

    def speaker_card(self, raw: str) -> DelegateInfo:
        return self._speakers.card_holder(raw)

    def add_speaker(
        self, item: str, name: str, kind: SpeechKind, *, person: str = "", unit: str = "",
        title: str = "", asked: int = 0, source: sp.Source = sp.Source.SEARCH,
    ) -> SpeakersState:  # fmt: skip
        return self._speakers.add(item, name, kind, person=person, unit=unit, title=title,
                                  asked=asked, source=source)  # fmt: skip

    def add_speakers(
        self, rows: Sequence[Contribution], source: sp.Source = sp.Source.IMPORT
    ) -> Recorded:
        """Put a file's contributions on their lists at once, all or none; those already on
        their list are left out (session.speakers_import.additions). The events appended."""
        return self._speakers.record_many(lambda state, now: additions(state, rows, source, now))

    def move_speaker(self, item: str, number: int, after: int | None) -> SpeakersState:
        return self._speakers.record(lambda _s, now: sp.SpeakerMoved(item, number, after, now))

    def remove_speaker(self, item: str, number: int, reason: str) -> SpeakersState:
        return self._speakers.record(lambda _s, now: sp.SpeakerRemoved(item, number, reason, now))

    def call_speaker(self, item: str, number: int) -> SpeakersState:
        return self._speakers.record(lambda _s, now: sp.SpeakerCalled(item, number, now))

    def start_speech(self, item: str, number: int) -> SpeakersState:
        return self._speakers.record(lambda _s, now: sp.SpeechStarted(item, number, now))

    def pause_speech(self, item: str, number: int) -> SpeakersState:
        return self._speakers.record(lambda _s, now: sp.SpeechPaused(item, number, now))

    def resume_speech(self, item: str, number: int) -> SpeakersState:
        return self._speakers.record(lambda _s, now: sp.SpeechResumed(item, number, now))

    def end_speech(self, item: str, number: int) -> SpeakersState:
        return self._speakers.record(lambda _s, now: sp.SpeechEnded(item, number, now))

    def close_speakers(self, item: str) -> SpeakersState:
        return self._speakers.record(lambda _s, now: sp.ListClosed(item, now))

    def reopen_speakers(self, item: str) -> SpeakersState:
        return self._speakers.record(lambda _s, now: sp.ListReopened(item, now))
