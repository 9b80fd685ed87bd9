"""What a terminal reads after a change (tui/feed.py): the agenda, votes and elections are
replayed again only when an event may have changed them, not for every scan in the hall."""

from collections.abc import Callable

from db.store import Store
from session.rollcall import Mode
from tests.harness.votes import resolution
from tui.feed import read_meeting

MakeStore = Callable[..., Store]


def test_scans_alone_keep_the_meeting_as_read_and_move_its_seq(
    make_store: MakeStore, db_url: str
) -> None:
    store = make_store(db_url, delegates=10)
    first = read_meeting(store, None)
    assert first is not None and first.seq == store.last_seq()
    assert read_meeting(store, first) is None  # nothing logged since

    voters = [d.number for d in store.delegates() if d.votes]
    store.scan(store.card_code(voters[0], 0), Mode.ENTRY, "cửa-chính")
    scanned = store.scan(store.card_code(voters[1], 0), Mode.ENTRY, "cửa-phụ")
    assert scanned.attendance_id is not None
    store.correct(scanned.attendance_id, "a borrowed card", "bàn")
    after_scans = read_meeting(store, first)
    assert after_scans is not None and after_scans.seq == store.last_seq()
    assert after_scans.agenda is first.agenda and after_scans.book is first.book  # not replayed

    store.start_item(resolution(store))
    store.scan(store.card_code(voters[2], 0), Mode.ENTRY, "cửa-chính")  # a scan after it, too
    moved = read_meeting(store, after_scans)
    assert moved is not None and moved.seq == store.last_seq()
    assert moved.agenda.current == resolution(store)  # read again: the item runs
    assert store.meeting_moved_since(after_scans.seq)
    assert not store.meeting_moved_since(moved.seq)
