"""The hash chain over the event log: any edit, deletion or reordering is found."""

import dataclasses
import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from session.audit import GENESIS, ChainBreak, StoredEvent, canonical, chain_hash, first_break


def build_chain(payloads: list[dict[str, object]]) -> list[StoredEvent]:
    events = []
    previous = GENESIS
    for seq, payload in enumerate(payloads, start=1):
        at = f"2025-06-20T07:{seq % 60:02d}:00+00:00"
        digest = chain_hash(
            previous, canonical(seq, at, "check_in", payload, "cửa-chính", "thư ký")
        )
        events.append(
            StoredEvent(seq, at, "check_in", payload, "cửa-chính", "thư ký", previous, digest)
        )
        previous = digest
    return events


def rehash(event: StoredEvent, previous: str) -> StoredEvent:
    """What a forger who knows the scheme writes: a self-consistent event after an edit."""
    content = canonical(
        event.seq, event.at, event.kind, event.payload, event.terminal, event.operator
    )
    return dataclasses.replace(event, prev_hash=previous, hash=chain_hash(previous, content))


CHAIN = build_chain(
    [{"number": n, "station": "cửa-chính", "name": "Nguyễn Văn Khỏe"} for n in range(1, 11)]
)


def test_intact_chain() -> None:
    assert first_break(CHAIN) is None
    assert first_break([]) is None


def test_chain_hash_definition() -> None:
    """sha256(previous hash | canonical JSON): documented so others can verify independently."""
    content = canonical(1, "2025-06-20T07:00:00+00:00", "k", {"b": 1, "a": "Đạt"}, "t", "o")
    assert (
        content
        == (
            '{"at":"2025-06-20T07:00:00+00:00","kind":"k","operator":"o",'
            '"payload":{"a":"Đạt","b":1},"seq":1,"terminal":"t"}'
        ).encode()
    )
    assert (
        chain_hash(GENESIS, content)
        == hashlib.sha256(GENESIS.encode() + b"|" + content).hexdigest()
    )


def test_canonical_form_ignores_key_order() -> None:
    a = canonical(1, "t", "k", {"x": 1, "y": [1, 2], "z": {"q": 1, "p": 2}}, "t", "o")
    b = canonical(1, "t", "k", {"z": {"p": 2, "q": 1}, "y": [1, 2], "x": 1}, "t", "o")
    assert a == b


def test_payload_survives_a_json_round_trip() -> None:
    """The store keeps payloads as JSON text; reading them back must hash the same."""
    for event in CHAIN:
        restored = json.loads(json.dumps(event.payload, ensure_ascii=False, sort_keys=True))
        assert canonical(
            event.seq, event.at, event.kind, restored, event.terminal, event.operator
        ) == (
            canonical(
                event.seq, event.at, event.kind, event.payload, event.terminal, event.operator
            )
        )


def test_edited_payload() -> None:
    events = list(CHAIN)
    events[3] = dataclasses.replace(events[3], payload={**events[3].payload, "number": 99})
    assert first_break(events) == ChainBreak(4, "bad_hash")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("at", "2025-06-20T09:00:00+00:00"),
        ("kind", "check_out"),
        ("terminal", "cửa-phụ"),
        ("operator", "người khác"),
        ("hash", "f" * 64),
    ],
)
def test_every_field_is_covered(field: str, value: str) -> None:
    events = list(CHAIN)
    events[5] = dataclasses.replace(events[5], **{field: value})
    assert first_break(events) == ChainBreak(6, "bad_hash")


def test_edited_and_rehashed_event_breaks_the_next_link() -> None:
    events = list(CHAIN)
    edited = dataclasses.replace(events[3], payload={"number": 99})
    events[3] = rehash(edited, events[2].hash)
    assert first_break(events) == ChainBreak(5, "bad_link")


def test_deleted_event() -> None:
    events = CHAIN[:4] + CHAIN[5:]
    assert first_break(events) == ChainBreak(5, "missing_event")


def test_deleted_first_event() -> None:
    assert first_break(CHAIN[1:]) == ChainBreak(1, "missing_event")


def test_deleted_and_renumbered() -> None:
    """Deleting an event and renumbering the rest still breaks the chain at the gap."""
    events = CHAIN[:4] + [dataclasses.replace(e, seq=e.seq - 1) for e in CHAIN[5:]]
    assert first_break(events) == ChainBreak(5, "bad_link")


def test_reordered_events() -> None:
    events = list(CHAIN)
    events[6], events[7] = events[7], events[6]
    assert first_break(events) == ChainBreak(7, "missing_event")


def test_reordered_and_renumbered() -> None:
    events = list(CHAIN)
    a, b = events[6], events[7]
    events[6] = dataclasses.replace(b, seq=7)
    events[7] = dataclasses.replace(a, seq=8)
    assert first_break(events) == ChainBreak(7, "bad_link")


def test_inserted_event() -> None:
    events = list(CHAIN)
    forged = rehash(dataclasses.replace(events[4], payload={"number": 77}), events[3].hash)
    events.insert(4, forged)
    assert first_break(events) == ChainBreak(6, "missing_event")


def test_deleting_the_tail_is_not_visible_in_the_events_alone() -> None:
    """Which is why the store also compares the chain head with the last event."""
    assert first_break(CHAIN[:-2]) is None


@given(
    st.integers(0, len(CHAIN) - 1),
    st.sampled_from(["payload", "at", "kind", "terminal", "operator"]),
)
def test_any_single_edit_is_found_at_its_event(index: int, field: str) -> None:
    events = list(CHAIN)
    value: object = {"tampered": True} if field == "payload" else "tampered"
    events[index] = dataclasses.replace(events[index], **{field: value})
    assert first_break(events) == ChainBreak(index + 1, "bad_hash")


@given(st.integers(0, len(CHAIN) - 1))
def test_any_single_deletion_is_found(index: int) -> None:
    events = CHAIN[:index] + CHAIN[index + 1 :]
    found = first_break(events)
    if index == len(CHAIN) - 1:
        assert found is None  # the tail: caught by the head check
    else:
        assert found == ChainBreak(index + 1, "missing_event")
