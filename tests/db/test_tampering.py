"""Issue 13, finding 3: someone holding the database edits a row that changes a result, a base
or the minutes; `verify` names it, on SQLite and PostgreSQL alike."""

from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy import text

from db.store import Store
from session.demo import demo_register
from session.quorum import Status
from session.roles import Role
from session.rollcall import Mode

MakeStore = Callable[..., Store]

# Each edit, in SQL as a technician would type it, and what verify must name.
TAMPERING = {
    "rule set: base changed": (
        "UPDATE congress SET config_json = replace(config_json, 'vn_party_2014', 'roberts_rules')",
        ("congress_mismatch", {"field": "config"}),
    ),
    "congress renamed": (
        "UPDATE congress SET name = 'Another congress'",
        ("congress_mismatch", {"field": "name"}),
    ),
    "signing key replaced": (
        "UPDATE congress SET secret = '" + "ab" * 32 + "'",
        ("congress_mismatch", {"field": "card_key"}),
    ),
    "officials made guests": (
        "UPDATE delegate SET kind = 'guest' WHERE number = 4",
        ("state_mismatch", {"number": 4, "field": "kind"}),
    ),
    "name changed": (
        "UPDATE delegate SET full_name = 'Người Khác' WHERE number = 5",
        ("state_mismatch", {"number": 5, "field": "name_folded"}),
    ),
    "name and search key changed together": (
        "UPDATE delegate SET full_name = 'Người Khác', name_folded = 'nguoi khac' WHERE number = 5",
        ("state_mismatch", {"number": 5, "field": "full_name"}),
    ),
    "unit changed": (
        "UPDATE delegate SET unit = 'Elsewhere' WHERE number = 6",
        ("state_mismatch", {"number": 6, "field": "unit"}),
    ),
    "date of birth changed": (
        "UPDATE delegate SET date_of_birth = NULL WHERE number = 6",
        ("state_mismatch", {"number": 6, "field": "date_of_birth"}),
    ),
    "status reason rewritten": (
        "UPDATE delegate SET status_reason = 'no reason' WHERE number = 7",
        ("state_mismatch", {"number": 7, "field": "status_reason"}),
    ),
    "attendance station edited": (
        "UPDATE attendance SET station = 'elsewhere' WHERE id = 1",
        ("attendance_mismatch", {"id": 1, "field": "station"}),
    ),
    "attendance time edited": (
        "UPDATE attendance SET at = at - INTERVAL '1 hour' WHERE id = 1",
        ("attendance_mismatch", {"id": 1, "field": "at"}),
    ),
    "attendance row deleted": (
        "DELETE FROM attendance WHERE id = 2",
        ("attendance_deleted", None),
    ),
    "a role's passphrase replaced": (
        "UPDATE role_passphrase SET digest = '" + "cd" * 32 + "' WHERE role = 'door'",
        ("passphrase_mismatch", {"role": "door"}),
    ),
    "a passphrase planted for a role": (
        "INSERT INTO role_passphrase (role, salt, digest, n, r, p, set_at)"
        " SELECT 'teller', salt, digest, n, r, p, set_at FROM role_passphrase WHERE role = 'door'",
        ("passphrase_unlogged", {"role": "teller"}),
    ),
    "attendance row added": (
        "INSERT INTO attendance (delegate_id, action, method, at, station, reason, event_seq)"
        " SELECT delegate_id, 'check_in', 'manual', at, station, '', event_seq FROM attendance"
        " JOIN delegate ON delegate.id = attendance.delegate_id WHERE attendance.id = 1",
        ("attendance_unlogged", None),
    ),
}


def _held(make_store: MakeStore, url: str) -> Store:
    """A congress two delegates entered, one withdrew from, one of them excused."""
    store = make_store(url)
    store.scan(store.card_code(2, 0), Mode.ENTRY, "door-1")
    store.scan(store.card_code(3, 0), Mode.ENTRY, "door-1")
    store.set_status(7, Status.ABSENT_EXCUSED, "ốm")
    store.set_passphrase(Role.DOOR, "cửa chính mở lúc 7 giờ")
    return store


def _sqlite_time(sql: str, url: str) -> str:
    """The same edit in SQLite's dialect of date arithmetic."""
    if url.startswith("sqlite") or not url.startswith("postgresql"):
        return sql.replace("at - INTERVAL '1 hour'", "datetime(at, '-1 hour')")
    return sql


@pytest.mark.parametrize("edit", sorted(TAMPERING))
def test_verify_names_each_row_edited_outside_presidium(
    make_store: MakeStore, db_url: str, edit: str
) -> None:
    store = _held(make_store, db_url)
    assert store.verify() is None
    sql, (key, params) = TAMPERING[edit]
    with store.engine.begin() as conn:
        conn.execute(text(_sqlite_time(sql, db_url)))

    found = store.verify()

    assert found is not None, f"verify passed after: {edit}"
    assert found.key == key
    if params is not None:
        assert {k: found.params[k] for k in params} == params


def test_a_reimport_logs_what_verify_checks_the_register_against(
    make_store: MakeStore, db_url: str
) -> None:
    store = _held(make_store, db_url)
    changed = [replace(r, unit="Tổ mới") if r.number == 4 else r for r in demo_register(30)]
    store.import_register(changed, source="again")
    assert store.verify() is None
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE delegate SET unit = 'Tổ cũ' WHERE number = 4"))

    found = store.verify()

    assert found is not None and found.key == "state_mismatch"
    assert found.params == {"number": 4, "field": "unit", "stored": "Tổ cũ", "logged": "Tổ mới"}


def test_the_last_event_deleted_and_the_head_moved_back_is_named(
    make_store: MakeStore, db_url: str
) -> None:
    store = _held(make_store, db_url)
    store.scan(store.card_code(9, 0), Mode.ENTRY, "door-1")
    last = store.last_seq()
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM event WHERE seq = :s"), {"s": last})
        previous = conn.execute(
            text("SELECT hash FROM event WHERE seq = :s"), {"s": last - 1}
        ).scalar_one()
        conn.execute(
            text("UPDATE chain_head SET seq = :s, hash = :h WHERE id = 1"),
            {"s": last - 1, "h": previous},
        )

    found = store.verify()

    assert found is not None  # the entry it wrote is still there (or the delegate present)
    assert found.key in ("state_mismatch", "attendance_unlogged")


def test_a_delegate_renamed_by_a_reimport_is_found_by_the_new_name_and_verifies(
    make_store: MakeStore, db_url: str
) -> None:
    store = _held(make_store, db_url)
    renamed = [
        replace(r, full_name="Đặng Thị Mới") if r.number == 4 else r for r in demo_register(30)
    ]

    report = store.import_register(renamed, source="again")

    assert report.updated == [(4, ["full_name"])]  # what the operator is told changed
    assert [d.number for d in store.search("dang thi moi")] == [4]
    assert store.verify() is None
