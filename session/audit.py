"""The hash chain over the event log: each event's hash covers its content and the previous hash.

Changing, inserting or deleting any stored event changes every hash after it, so
``presidium verify`` can name the first event that does not match. The canonical form is JSON
with sorted keys and no whitespace, so the same event always hashes the same on every backend.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(
    seq: int,
    at: str,
    kind: str,
    payload: dict[str, object],
    terminal: str,
    operator: str,
    role: str = "",
) -> bytes:
    body: dict[str, object] = {
        "seq": seq,
        "at": at,
        "kind": kind,
        "payload": payload,
        "terminal": terminal,
        "operator": operator,
    }
    if role:  # only when a terminal signed in as a role, so every older event hashes as before
        body["role"] = role
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(previous: str, content: bytes) -> str:
    return hashlib.sha256(previous.encode() + b"|" + content).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredEvent:
    seq: int
    at: str
    kind: str
    payload: dict[str, object]
    terminal: str
    operator: str
    prev_hash: str
    hash: str
    role: str = ""  # the role the terminal signed in as ("" from the command line)


@dataclass(frozen=True, slots=True)
class ChainBreak:
    seq: int
    problem: str  # translation key under 'verify.'


def first_break(events: Iterable[StoredEvent]) -> ChainBreak | None:
    """The first event whose sequence, link or hash does not match; None if the chain holds."""
    previous = GENESIS
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            return ChainBreak(expected_seq, "missing_event")
        if event.prev_hash != previous:
            return ChainBreak(event.seq, "bad_link")
        content = canonical(
            event.seq,
            event.at,
            event.kind,
            event.payload,
            event.terminal,
            event.operator,
            event.role,
        )
        if chain_hash(previous, content) != event.hash:
            return ChainBreak(event.seq, "bad_hash")
        previous = event.hash
        expected_seq += 1
    return None


ANCHOR_DIGITS = 16  # the shortest hash prefix an anchor may give (the part `verify` prints)


def anchor_hash(text: str) -> str | None:
    """A hash as a person copies it from the minutes or the projector (spaces, upper case and
    line breaks allowed), or None when it is not at least ANCHOR_DIGITS hexadecimal digits."""
    bare = "".join(text.split()).lower()
    if (
        len(bare) < ANCHOR_DIGITS
        or len(bare) > 64
        or any(c not in "0123456789abcdef" for c in bare)
    ):
        return None
    return bare


def anchored_at(events: Iterable[StoredEvent], anchor: str) -> list[StoredEvent]:
    """The events whose hash starts with `anchor` (a checked, lower-case prefix).

    A hash printed in the minutes or shown on the projector came from outside the database:
    a log rewritten before that point (even with every later hash recomputed) no longer holds
    an event with it, because each hash covers every event before it."""
    return [e for e in events if e.hash.startswith(anchor)]
