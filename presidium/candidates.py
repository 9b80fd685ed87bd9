"""`presidium candidates import`: the convening committee's list into an election, at once."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from db.store import Store, StoreError
from session import election_records as records
from session import elections as el
from session.ballots import Person
from session.candidates import CandidateRow, delegate_person
from session.congress import ElectionSpec, RuleSetName
from session.election_steps import election_from_spec, election_item
from session.quorum import Kind


@dataclass(frozen=True, slots=True)
class CandidatesReport:
    added: int
    already: int
    created: bool  # the election was created from its [[elections]] declaration


def _person(store: Store, row: CandidateRow, english: bool) -> Person:
    if row.delegate is not None:
        info = store.delegate(row.delegate)
        if info is None:
            raise StoreError("candidate_not_delegate", line=row.line, number=row.delegate)
        member = (
            info.kind is Kind.EX_OFFICIO if row.committee_member is None else row.committee_member
        )
        return delegate_person(row.delegate, info.full_name, info.date_of_birth,
                               committee_member=member, english=english)  # fmt: skip
    if row.given:
        return Person(row.person_id, row.family, row.middle, row.given, row.date_of_birth,
                      None, bool(row.committee_member), row.full_name)  # fmt: skip
    return Person.from_full_name(row.person_id, row.full_name, english=english,
                                 date_of_birth=row.date_of_birth,
                                 committee_member=bool(row.committee_member))  # fmt: skip


def _creation(store: Store, spec: ElectionSpec, now: datetime) -> el.ElectionEvent:
    """The election declared in the congress file, on the agenda's election item."""
    item = election_item(store.agenda_state())
    if item is None:
        raise StoreError("no_election_item", election=spec.name)
    return election_from_spec(spec, item, store.congress.rules.ruleset.value, now)


def import_candidates(store: Store, name: str, rows: Sequence[CandidateRow]) -> CandidatesReport:
    english = store.congress.rules.ruleset not in (RuleSetName.VN_PARTY_2014,
                                                   RuleSetName.VN_PARTY_2024)  # fmt: skip
    unknown = [r for r in rows if r.delegate is not None and store.delegate(r.delegate) is None]
    if unknown:  # every one at once, like the register's import
        lines = ", ".join(f"{r.line} ({r.delegate})" for r in unknown)
        raise StoreError("candidates_not_delegates", lines=lines)
    people = [_person(store, row, english) for row in rows]
    existing = store.election_book().get(name)
    spec = next((e for e in store.congress.elections if e.name == name), None)
    if existing is None and spec is None:
        raise StoreError("no_such_election", election=name)
    on_list = {c.id for c in existing.candidates} if existing else set()
    new = [p for p in people if p.id not in on_list]

    def build(book: el.ElectionBook, now: datetime) -> list[el.ElectionEvent]:
        events: list[el.ElectionEvent] = []
        if book.get(name) is None:
            assert spec is not None
            events.append(_creation(store, spec, now))
        events += [records.listed(name, p, now) for p in new]
        return events

    if existing is not None and not new:
        return CandidatesReport(0, len(people), created=False)
    store.record_election_batch(name, build)
    return CandidatesReport(len(new), len(people) - len(new), created=existing is None)
