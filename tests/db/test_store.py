"""The store on real databases: every flow runs on a SQLite file and on PostgreSQL."""

import gc
import json
from collections.abc import Callable

import pytest
from sqlalchemy import text

from db.store import Store, StoreError
from session.demo import demo_register
from session.quorum import Kind, Status
from session.register import DelegateRecord
from session.rollcall import Action, Colour, Mode, Reason

MakeStore = Callable[..., Store]


def _voter(store: Store) -> int:
    return next(d.number for d in store.delegates() if d.votes)


def _guest(store: Store) -> int:
    return next(d.number for d in store.delegates() if d.kind is Kind.GUEST)


def test_scan_admits_once_then_reports_already_present(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    number = _voter(store)
    code = store.card_code(number, 0)

    first = store.scan(code, Mode.ENTRY, "door-1")
    second = store.scan(code, Mode.ENTRY, "door-2")

    assert (first.decision.colour, first.decision.reason) == (Colour.GREEN, Reason.ADMITTED)
    assert first.delegate is not None and first.delegate.present
    assert (second.decision.colour, second.decision.reason) == (
        Colour.YELLOW,
        Reason.ALREADY_PRESENT,
    )
    assert second.previous_station == "door-1"
    assert store.check_in_counts() == {number: 1}
    assert store.snapshot().verdict.attendance.present == 1


def test_exit_mode_records_exit_and_never_flips(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    number = _voter(store)
    code = store.card_code(number, 0)

    not_in = store.scan(code, Mode.EXIT, "door-1")
    store.scan(code, Mode.ENTRY, "door-1")
    out = store.scan(code, Mode.EXIT, "door-1")
    again = store.scan(code, Mode.EXIT, "door-1")

    assert not_in.decision.reason is Reason.NOT_IN_HALL
    assert out.decision.action is Action.CHECK_OUT
    assert again.decision.reason is Reason.NOT_IN_HALL
    assert store.delegate(number).present is False  # type: ignore[union-attr]


def test_rejections_change_nothing(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    number = _voter(store)
    code = store.card_code(number, 0)
    forged = code[:-1] + str((int(code[-1]) + 1) % 10)
    unknown = store.card_code(9999, 0)
    before = store.snapshot().verdict.attendance

    assert store.scan(forged, Mode.ENTRY, "d").decision.reason is Reason.FORGED
    assert store.scan(unknown, Mode.ENTRY, "d").decision.reason is Reason.UNKNOWN_NUMBER
    assert store.scan("hello", Mode.ENTRY, "d").decision.reason is Reason.MALFORMED
    assert store.scan("", Mode.ENTRY, "d").decision.reason is Reason.EMPTY
    assert store.snapshot().verdict.attendance == before
    assert store.check_in_counts() == {}


def test_reissue_revokes_old_card(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    number = _voter(store)
    old = store.card_code(number, 0)

    new = store.reissue_card(number, "lost at the hotel")

    assert store.scan(old, Mode.ENTRY, "d").decision.reason is Reason.REVOKED
    assert store.scan(new, Mode.ENTRY, "d").decision.reason is Reason.ADMITTED
    with pytest.raises(StoreError) as err:
        store.reissue_card(number, "  ")
    assert err.value.key == "reason_required"


def test_guest_counts_nowhere_and_is_refused_at_voting_check(
    make_store: MakeStore, db_url: str
) -> None:
    store = make_store(db_url)
    guest = _guest(store)
    code = store.card_code(guest, 0)

    entry = store.scan(code, Mode.ENTRY, "d")
    check = store.scan(code, Mode.VOTING_CHECK, "d")

    assert entry.decision.reason is Reason.ADMITTED_GUEST
    assert check.decision.colour is Colour.RED and check.decision.reason is Reason.NOT_ENTITLED
    att = store.snapshot().verdict.attendance
    assert (att.present, att.guests) == (0, 1)


def test_manual_check_in_requires_reason_and_is_recorded(
    make_store: MakeStore, db_url: str
) -> None:
    store = make_store(db_url)
    number = _voter(store)
    with pytest.raises(StoreError):
        store.manual(number, Mode.ENTRY, "desk", "")

    result = store.manual(number, Mode.ENTRY, "desk", "quên thẻ")

    assert result.decision.reason is Reason.ADMITTED
    entry = store.attendance_log(limit=1)[0]
    assert (entry.method, entry.reason, entry.number) == ("manual", "quên thẻ", number)


def test_correction_is_a_new_entry_and_keeps_history(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    number = _voter(store)
    scan = store.scan(store.card_code(number, 0), Mode.ENTRY, "door-1")
    assert scan.attendance_id is not None

    store.correct(scan.attendance_id, "scanned the wrong card", "desk")

    assert store.delegate(number).present is False  # type: ignore[union-attr]
    log = store.attendance_log(number=number)
    assert [e.is_correction for e in log] == [True, False]
    assert log[1].reversed
    with pytest.raises(StoreError) as err:
        store.correct(scan.attendance_id, "again", "desk")
    assert err.value.key == "already_corrected"
    assert store.verify() is None


def test_undoing_an_exit_restores_arrival_time(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    number = _voter(store)
    code = store.card_code(number, 0)
    entry = store.scan(code, Mode.ENTRY, "door-1")
    out = store.scan(code, Mode.EXIT, "door-2")
    assert out.attendance_id is not None

    store.correct(out.attendance_id, "delegate did not leave", "desk")

    delegate = store.delegate(number)
    assert delegate is not None and delegate.present
    assert delegate.station == "door-1"
    assert entry.delegate is not None and delegate.since == entry.delegate.since


def test_absence_for_whole_congress_lowers_base(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    number = _voter(store)
    base = store.snapshot().verdict.attendance.base

    store.set_status(number, Status.ABSENT_WHOLE, "ốm nằm viện")
    assert store.snapshot().verdict.attendance.base == base - 1
    refused = store.scan(store.card_code(number, 0), Mode.ENTRY, "d")
    assert refused.decision.reason is Reason.ABSENT_WHOLE

    store.set_status(number, Status.SUMMONED, "đã đến")
    assert store.snapshot().verdict.attendance.base == base


def test_absence_refused_while_present(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    number = _voter(store)
    store.scan(store.card_code(number, 0), Mode.ENTRY, "d")
    with pytest.raises(StoreError) as err:
        store.set_status(number, Status.ABSENT_WHOLE, "x")
    assert err.value.key == "absent_but_present"


def test_reimport_is_noop_and_changes_are_updates(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=20)
    records = demo_register(20)
    seq = store.last_seq()

    same = store.import_register(records)
    assert not same.changed and same.unchanged == 20 and store.last_seq() == seq

    changed = list(records)
    r = changed[4]
    changed[4] = DelegateRecord(
        r.number,
        r.full_name + " Anh",
        r.unit,
        r.kind,
        r.origin,
        r.gender,
        r.date_of_birth,
        r.ethnicity,
        r.education,
        r.sector,
    )
    report = store.import_register(changed)
    assert report.updated == [(r.number, ["full_name"])]
    assert store.last_seq() == seq + 1


def test_search_ignores_diacritics(store: Store) -> None:
    found = store.search("nguyen van khoe")
    assert found and found[0].full_name == "Nguyễn Văn Khỏe"
    assert store.search("1")[0].number == 1


def test_verify_names_first_tampered_event(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    for number in range(2, 6):
        store.scan(store.card_code(number, 0), Mode.ENTRY, "d")
    assert store.verify() is None
    target = 4
    with store.engine.begin() as conn:
        payload = conn.execute(
            text("SELECT payload FROM event WHERE seq = :s"), {"s": target}
        ).scalar_one()
        edited = json.loads(payload)
        edited["station"] = "elsewhere"
        conn.execute(
            text("UPDATE event SET payload = :p WHERE seq = :s"),
            {"p": json.dumps(edited, sort_keys=True, ensure_ascii=False), "s": target},
        )

    broken = store.verify()

    assert broken is not None and (broken.key, broken.params) == ("bad_hash", {"seq": target})


def test_verify_catches_a_row_edited_behind_the_log(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    store.scan(store.card_code(2, 0), Mode.ENTRY, "d")
    store.reissue_card(3, "lost")
    assert store.verify() is None
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE delegate SET present = :t WHERE number = 5"), {"t": True})

    broken = store.verify()

    assert broken is not None and broken.key == "state_mismatch"
    assert broken.params["number"] == 5 and broken.params["field"] == "present"


def test_verify_catches_a_deleted_event(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    for number in (2, 3, 4):
        store.scan(store.card_code(number, 0), Mode.ENTRY, "d")
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM event WHERE seq = 3"))

    broken = store.verify()

    assert broken is not None and (broken.key, broken.params) == ("missing_event", {"seq": 3})


def test_every_change_is_one_event(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    number = _voter(store)
    start = store.last_seq()
    store.scan(store.card_code(number, 0), Mode.ENTRY, "d")
    store.set_status(_voter(store) + 1, Status.ABSENT_EXCUSED, "họp")
    kinds = [e.kind for e in store.events(after=start)]
    assert kinds == ["check_in", "status_changed"]
    assert all(e.terminal == "cli" for e in store.events(after=start))


def test_open_rejects_other_schema_version(make_store: MakeStore, sqlite_url: str) -> None:
    store = make_store(sqlite_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE meta SET value = '99' WHERE key = 'schema_version'"))
    with pytest.raises(StoreError) as err:
        Store.open(sqlite_url)
    assert err.value.key == "schema_version"
    assert "99" in str(err.value)


def test_open_missing_file_and_non_presidium_db(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError) as err:
        Store.open(str(tmp_path / "nope.db"))
    assert err.value.key == "no_database"
    assert not (tmp_path / "nope.db").exists()
    import sqlite3

    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.close()
    with pytest.raises(StoreError) as err:
        Store.open(str(other))
    assert err.value.key == "not_initialised"


def test_init_twice_refused(make_store: MakeStore, sqlite_url: str, congress_data) -> None:  # type: ignore[no-untyped-def]
    make_store(sqlite_url)
    with pytest.raises(StoreError) as err:
        Store.create(sqlite_url, congress_data)
    assert err.value.key == "already_initialised"


def test_sqlite_pragmas(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


@pytest.mark.filterwarnings("error::ResourceWarning")
def test_closing_a_store_closes_a_connection_still_in_use(
    make_store: MakeStore, db_url: str
) -> None:
    """A terminal quits while one of its workers is still reading: the connection that worker
    returns afterwards is closed, not left open for the garbage collector (psycopg warns)."""
    make_store(db_url, delegates=2)
    store = Store.open(db_url, terminal="quitting")
    busy = store.reader.connect()  # the worker's read, under way
    busy.execute(text("SELECT 1"))
    dbapi = busy.connection.dbapi_connection
    store.close()
    busy.close()  # the worker's read ends after the terminal closed its store
    assert dbapi is not None
    with pytest.raises(Exception, match=r"(?i)closed"):
        dbapi.cursor().execute("SELECT 1")
    store.delegates()  # a read begun after the close works, and holds nothing open after
    gc.collect()  # nothing left open to warn about
