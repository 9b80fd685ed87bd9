"""Every event the store writes reads back through its codec and encodes again to the very bytes
that were stored, so that a change of the codecs never leaves an old log unverifiable (issue 12).

tests/harness/every_event.py takes the example congress through every procedure: its log holds
every kind of event the code defines (a new kind without a step there fails here). Each stored
payload is decoded by its family's decoder and encoded again; the JSON text the store writes,
and the hash chain over it, come out the same, byte for byte. So do the payloads of
tests/fixtures/every-event.jsonl, written by the code of their day: a changed encoder is caught
against those bytes, not only against itself.

The roll call's, the register's and the roles' events carry payloads db/ builds as plain dicts:
there is no codec of theirs to check, but the run and the fixture must hold them too.
"""

import ast
import json
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from session import agenda, audit, bodies, roles, votes
from session import elections as el
from tests.harness.every_event import (
    FIXTURE,
    ROOT,
    Stored,
    every_event_store,
    fixture_payloads,
    stored_rows,
)

Decode = Callable[[str, Mapping[str, Any]], Any]
DECODERS: dict[str, Decode] = {
    **dict.fromkeys(agenda.EVENT_KINDS, agenda.decode),
    **dict.fromkeys(votes.EVENT_KINDS, votes.decode),
    **dict.fromkeys(bodies.EVENT_KINDS, bodies.decode),
    **dict.fromkeys(el.EVENT_KINDS, el.decode),
}


def as_stored(payload: Mapping[str, object]) -> str:
    """The payload as db/store.py's `_add_event` writes it to the event table."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def encoded_again(kind: str, stored: str) -> dict[str, object]:
    """The stored payload decoded by its family and encoded again."""
    event = DECODERS[kind](kind, json.loads(stored))
    assert kind == event.KIND
    payload: dict[str, object] = event.payload()
    return payload


def kinds_the_store_writes() -> frozenset[str]:
    """The kinds db/ appends with a payload it builds itself (no event class): the names its
    transactions return or hand to `append_note`, read from the source so that a new one
    is noticed."""
    found: set[str] = set()
    for path in sorted((ROOT / "db").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            found |= _kinds_in(node)
    return frozenset(found)


def _kinds_in(node: ast.AST) -> set[str]:
    match node:
        case ast.Return(value=ast.Tuple(elts=[_, kind, _])):  # (result, kind, payload)
            return _names(kind)
        case ast.Assign(targets=[ast.Name(id="kind")], value=kind):
            return _names(kind)
        case ast.Call(func=ast.Attribute(attr="append_note"), args=[kind, *_]):
            return _names(kind)
    return set()


def _names(node: ast.expr) -> set[str]:
    """The names an expression can give: a literal, either side of a conditional, a constant
    of session.roles."""
    match node:
        case ast.Constant(value=str() as name):
            return {name}
        case ast.IfExp(body=body, orelse=orelse):
            return _names(body) | _names(orelse)
        case ast.Attribute(value=ast.Name(id="roles"), attr=attr):
            return {getattr(roles, attr)}
    return set()


STORE_KINDS = kinds_the_store_writes()


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> list[Stored]:
    url = str(tmp_path_factory.mktemp("every-event") / "congress.db")
    with every_event_store(url) as store:
        assert store.verify() is None
    return stored_rows(url)


def test_the_store_s_own_kinds_are_found_in_its_source() -> None:
    assert {"congress_created", "check_in", "alternate_deactivated"} <= STORE_KINDS
    assert {roles.SIGNED_IN, roles.PASSPHRASE_SET} <= STORE_KINDS
    assert not STORE_KINDS & DECODERS.keys()


def test_the_run_holds_every_kind_of_event(rows: list[Stored]) -> None:
    assert {row.kind for row in rows} == DECODERS.keys() | STORE_KINDS


def test_every_stored_payload_encodes_again_to_its_bytes(rows: list[Stored]) -> None:
    for row in rows:
        if row.kind in DECODERS:
            assert as_stored(encoded_again(row.kind, row.payload)) == row.payload, row.seq


def test_the_chain_over_the_payloads_encoded_again_holds(rows: list[Stored]) -> None:
    previous = audit.GENESIS
    for row in rows:
        ours = row.kind in DECODERS  # (the store's own kinds have no codec: read as stored)
        payload = encoded_again(row.kind, row.payload) if ours else json.loads(row.payload)
        content = audit.canonical(
            row.seq, row.at, row.kind, payload, row.terminal, row.operator, row.role
        )
        assert audit.chain_hash(previous, content) == row.hash, row.seq
        previous = row.hash


def test_the_fixture_holds_every_kind_of_event() -> None:
    """A new kind: add its step to the harness and run `python -m tests.harness.every_event`."""
    assert {kind for kind, _ in fixture_payloads()} == DECODERS.keys() | STORE_KINDS


def test_the_fixture_s_payloads_encode_again_to_their_bytes() -> None:
    for line, (kind, stored) in enumerate(fixture_payloads(), 1):
        if kind in DECODERS:
            assert as_stored(encoded_again(kind, stored)) == stored, f"{FIXTURE.name}:{line}"
