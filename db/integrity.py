"""The store's integrity check: recompute the hash chain, then replay the log against the
delegate table and through the reducers of the agenda, the votes, the elections, the bodies
and the lists of speakers."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from db.bodies import Bodies
from db.elections import election_replay_problem
from db.integrity_tables import (
    attendance_problem,
    congress_problem,
    passphrase_problem,
    register_problem,
)
from db.log import Log
from db.meeting import Meeting
from db.models import ChainHead, Delegate
from db.speakers import Speakers
from session import audit
from session.quorum import Status
from session.rollcall import Action


@dataclass(frozen=True, slots=True)
class IntegrityProblem:
    """What `verify` found; `key` is a translation key under 'verify.'."""

    key: str
    params: dict[str, object]


# The delegate columns `verify` replays from the log, and how a stored value compares.
_REPLAYED = (
    Delegate.present,
    Delegate.status,
    Delegate.card_issue,
    Delegate.replaced_by_alternate,
    Delegate.activated_for,
)


_IMPORTED = (False, Status.SUMMONED.value, 0, False, None)  # a delegate as imported


def _replayed_fields(values: Sequence[Any]) -> dict[str, object]:
    present, status, issue, replaced, activated_for = values
    return {
        "present": bool(present),
        "status": status,
        "card_issue": issue,
        "replaced_by_alternate": bool(replaced),
        "activated_for": activated_for,
    }


def replay_roll_call(events: Sequence[audit.StoredEvent]) -> dict[int, dict[str, object]]:
    """Each delegate's presence, status, card issue and alternate activation as the log alone
    tells it."""
    state: dict[int, dict[str, object]] = {}
    for e in events:
        p = e.payload
        if e.kind == "register_imported":
            for number in p.get("added", []):  # type: ignore[union-attr]
                state[int(number)] = _replayed_fields(_IMPORTED)
        elif e.kind in ("check_in", "check_out"):
            state[int(p["number"])]["present"] = e.kind == "check_in"  # type: ignore[arg-type]
        elif e.kind == "attendance_corrected":
            state[int(p["number"])]["present"] = p["action"] == Action.CHECK_IN.value  # type: ignore[arg-type]
        elif e.kind == "status_changed":
            state[int(p["number"])]["status"] = p["to"]  # type: ignore[arg-type]
        elif e.kind == "card_reissued":
            state[int(p["number"])]["card_issue"] = p["issue"]  # type: ignore[arg-type]
        elif e.kind in ("alternate_activated", "alternate_deactivated"):
            active = e.kind == "alternate_activated"
            official = int(p["official"])  # type: ignore[arg-type]
            state[official]["replaced_by_alternate"] = active
            state[int(p["number"])]["activated_for"] = official if active else None  # type: ignore[arg-type]
    return state


def verify(
    log: Log, meeting: Meeting, bodies: Bodies, speakers: Speakers
) -> IntegrityProblem | None:
    """Recompute the hash chain, then replay the log against the delegate table.

    The first problem found, or None: an altered, missing or reordered event (by its seq), a
    delegate whose presence, status, card issue or alternate activation differs from what the
    log says, or another row edited behind Presidium's back (db.integrity_tables: the congress
    row, the register, the status reasons, the attendance).
    """
    events = list(log.events())
    found = audit.first_break(events)
    if found is not None:
        return IntegrityProblem(found.problem, {"seq": found.seq})
    with Session(log.reader) as s:
        head = s.get(ChainHead, 1)
        rows = s.exec(select(Delegate.number, *_REPLAYED)).all()
    last_hash = events[-1].hash if events else audit.GENESIS
    if head is None or last_hash != head.hash or head.seq != len(events):
        return IntegrityProblem("head_mismatch", {"seq": head.seq if head else 0})
    expected = replay_roll_call(events)
    for number, *values in sorted(rows):
        want = expected.get(number)
        if want is None:
            return IntegrityProblem("state_unlogged", {"number": number})
        actual = _replayed_fields(values)
        for name, value in actual.items():
            if want[name] != value:
                return IntegrityProblem(
                    "state_mismatch",
                    {"number": number, "field": name, "stored": value, "logged": want[name]},
                )
    missing = expected.keys() - {r[0] for r in rows}
    if missing:
        return IntegrityProblem("state_deleted", {"number": min(missing)})
    with Session(log.reader) as s:
        table = (
            congress_problem(s, events)
            or register_problem(s, events)
            or attendance_problem(s, events)
            # (a role's own login may not read the hashes: the owner's verify checks them)
            or (None if log.own_login else passphrase_problem(s, events))
        )
    if table is not None:
        return IntegrityProblem(*table)
    refused = (
        meeting.replay_problem(events)
        or election_replay_problem(events)
        or bodies.bodies_replay_problem(events)
        or speakers.replay_problem(events)
    )
    if refused is not None:
        return IntegrityProblem("replay_refused", {"seq": refused[0], "detail": refused[1]})
    return None
