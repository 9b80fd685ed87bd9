"""The `bch` committee election built through the Store, event by event, on the example congress
of the `make_store` fixture (tests/conftest.py): its votes decided, its list approved, its
counting committee appointed and a box sealed, ready for voting. No pytest here."""

from db.store import Store
from session import elections as el
from session.agenda import ItemKind, MotionKind
from session.candidates import delegate_person_id
from tests.harness.elections_kit import people

E = "bch"


def counter_ids(store: Store, how_many: int = 2) -> tuple[str, ...]:
    """Person ids of official delegates for the counting committee: the register's last voters,
    so none is a candidate of tests.harness.elections_kit.people (delegates 1, 2, ...)."""
    voters = [d.number for d in store.delegates() if d.votes]
    return tuple(delegate_person_id(n) for n in voters[-how_many:])


def decide(store: Store, item: str, motion: MotionKind) -> str:
    """A show-of-hands decision taken unanimously and published; its vote id."""
    vote = store.open_vote(store.create_vote(item, motion=motion).id)
    store.confirm_unanimous(vote.id, "teller-1")
    store.confirm_unanimous(vote.id, "teller-2")
    return store.publish_vote(vote.id).id


def list_approved(store: Store) -> str:
    """A committee election (3 seats, 4 candidates) up to its approved list, and a published
    vote for its counting committee: that vote's id."""
    item = next(s.key for s in store.agenda_state().items if s.item.kind is ItemKind.ELECTION)
    store.start_item(item)
    seats_vote = decide(store, item, MotionKind.SEAT_COUNT)
    list_vote = decide(store, item, MotionKind.ELECTION_LIST)
    ruleset = store.congress.rules.ruleset.value
    store.record_election(
        lambda b, now: el.create_election(
            E, item, el.ElectionKind.COMMITTEE, "Bầu BCH", ruleset, now
        )
    )
    store.record_election(
        lambda b, now: el.SeatsSet(E, 3, el.SeatsSource.VOTE, seats_vote, 0, "", now)
    )
    for person in people(4):  # p001... p004: delegates 1 to 4
        store.record_election(
            lambda b, now, p=person: el.CandidateAdded(
                E, p, el.Source.LIST, "", False, None, None, now
            )
        )
    store.record_election(lambda b, now: el.ListApproved(E, 1, list_vote, now))
    return decide(store, item, MotionKind.PROCEDURAL_BODY)


def election_ready_to_vote(store: Store) -> None:
    """Committee election with 3 seats and 4 candidates, list approved, counting committee
    appointed (two official delegates), one box sealed."""
    counters_vote = list_approved(store)
    head, member = counter_ids(store)
    store.record_election(
        lambda b, now: el.CountersAppointed(E, head, (head, member), counters_vote, now)
    )
    store.record_election(lambda b, now: el.BoxPrepared(E, 1, "main", el.BoxKind.MAIN, now))
    store.record_election(lambda b, now: el.BoxSealed(E, 1, "main", ("k1", "k2"), now))
