"""Each door station's entries and exits that stand (session/doors.py), and as the store reads
them (Store.snapshot().doors) on SQLite and PostgreSQL."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from db.store import Store
from session import i18n
from session.doors import DoorCount, describe, door_counts, entries_at
from session.rollcall import Action, Mode

MakeStore = Callable[..., Store]
NINE = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def test_the_congress_file_s_stations_come_first_even_before_their_first_scan() -> None:
    doors = door_counts(["cửa-chính", "cửa-phụ"], [("cửa-phụ", Action.CHECK_IN, 3, NINE)])
    assert doors == (DoorCount("cửa-chính"), DoorCount("cửa-phụ", entries=3, last_at=NINE))


def test_entries_and_exits_add_up_and_the_latest_time_is_kept() -> None:
    later = NINE + timedelta(minutes=5)
    doors = door_counts(
        ["cửa-chính"],
        [("cửa-chính", Action.CHECK_OUT, 2, later), ("cửa-chính", Action.CHECK_IN, 7, NINE)],
    )
    assert doors == (DoorCount("cửa-chính", entries=7, exits=2, last_at=later),)


def test_stations_the_file_does_not_name_follow_in_vietnamese_order() -> None:
    recorded = [
        ("bàn tổ chức", Action.CHECK_IN, 1, NINE),
        ("Đông", Action.CHECK_IN, 1, NINE),
        ("an ninh", Action.CHECK_IN, 1, NINE),
    ]
    doors = door_counts(["door-1"], recorded)
    assert [d.station for d in doors] == ["door-1", "an ninh", "bàn tổ chức", "Đông"]


def test_entries_at_a_station_with_none_is_zero() -> None:
    doors = door_counts(["a"], [("a", Action.CHECK_IN, 4, NINE)])
    assert (entries_at(doors, "a"), entries_at(doors, "b")) == (4, 0)


def test_one_line_names_each_door_with_its_latest_time_in_the_venue_s_zone() -> None:
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    doors = door_counts(["cửa-chính", "cửa-phụ"], [("cửa-chính", Action.CHECK_IN, 1_234, NINE)])
    i18n.use("en")
    assert describe(doors, hanoi) == (
        "At the doors: cửa-chính 1,234 in, 0 out (last 09:00) · cửa-phụ 0 in, 0 out"
    )
    i18n.use("vi")
    assert describe(doors, hanoi) == (
        "Tại các cửa: cửa-chính vào 1.234, ra 0 (lần cuối 09:00) · cửa-phụ vào 0, ra 0"
    )


def test_the_store_counts_what_stands_at_each_door(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=10)
    first, second = store.congress.stations[:2]
    voters = [d.number for d in store.delegates() if d.votes][:4]
    for number in voters[:3]:
        store.scan(store.card_code(number, 0), Mode.ENTRY, first)
    not_them = store.scan(store.card_code(voters[3], 0), Mode.ENTRY, second)
    left = store.scan(store.card_code(voters[0], 0), Mode.EXIT, second)
    mistaken = store.scan(store.card_code(voters[1], 0), Mode.ENTRY, first)  # already present
    assert mistaken.attendance_id is None
    wrong = store.scan(store.card_code(voters[2], 0), Mode.EXIT, first)
    assert wrong.attendance_id is not None and left.attendance_id is not None
    store.correct(wrong.attendance_id, "scanned the wrong card", "bàn tổ chức")
    assert not_them.attendance_id is not None
    store.correct(not_them.attendance_id, "a borrowed card", "bàn tổ chức")

    doors = store.snapshot().doors
    assert [(d.station, d.entries, d.exits) for d in doors] == [
        (first, 3, 0),  # the exit undone by a correction no longer counts
        (second, 0, 1),  # nor the entry (the corrections themselves count at no door)
    ]
    assert all(d.last_at is not None for d in doors)
