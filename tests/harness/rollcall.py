"""The roll call in the tests: a card code for the rules alone, and voting delegates admitted
through the Store at the door. No pytest here."""

from db.store import Store
from session.cards import CardCode
from session.rollcall import Mode


def card(issue: int = 1, number: int = 17) -> CardCode:
    return CardCode(number=number, issue=issue, code="1" * 36)


def admit_voters(store: Store, how_many: int, start: int = 0) -> list[int]:
    """Scan in, at "door-1", `how_many` voting delegates from the `start`-th one (register
    order); their numbers."""
    voters = [d for d in store.delegates() if d.votes][start : start + how_many]
    for d in voters:
        store.scan(store.card_code(d.number, d.card_issue), Mode.ENTRY, "door-1")
    return [d.number for d in voters]
