"""Agenda and show-of-hands votes through the store, on SQLite and PostgreSQL."""

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest

from db.meeting import AgendaVotesError
from db.store import Store
from session.agenda import AgendaError, ItemKind, ItemStatus, MotionKind
from session.votes import Method, SectorStatus, VoteError, VoteStatus
from tests.harness.rollcall import admit_voters

MakeStore = Callable[..., Store]


def _resolution_item(store: Store) -> str:
    state = store.agenda_state()
    return next(
        s.key
        for s in state.items
        if s.item.kind is ItemKind.VOTE and s.item.motion is MotionKind.RESOLUTION
    )


def _counts(yes: int, no: int, other: int) -> dict[str, object]:
    return {"tan_thanh": yes, "khong_tan_thanh": no, "y_kien_khac": other}


def test_agenda_start_end_skip_insert_are_logged(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    first, second, third = (s.key for s in store.agenda_state().items[:3])

    store.start_item(first)
    store.start_item(second)  # ends the first at the same moment
    store.skip_item(third, "dời sang chiều")
    state = store.end_item(second)

    assert state.find(first).status is ItemStatus.DONE  # type: ignore[union-attr]
    assert state.find(third).status is ItemStatus.SKIPPED  # type: ignore[union-attr]
    assert state.current is None
    with pytest.raises(AgendaError):
        store.end_item(second)
    kinds = [e.kind for e in store.events() if e.kind.startswith("agenda_")]
    assert kinds == [
        "agenda_item_started",
        "agenda_item_started",
        "agenda_item_skipped",
        "agenda_item_ended",
    ]
    assert store.agenda_state() == state  # replayed from the log, identical
    assert store.verify() is None


def test_whole_vote_with_dispute_recount_publish_and_correction(
    make_store: MakeStore, db_url: str
) -> None:
    store = make_store(db_url, delegates=60)
    admit_voters(store, 40)
    item = _resolution_item(store)
    vote = store.create_vote(item)
    with pytest.raises(AgendaVotesError):
        store.open_vote(vote.id)  # its agenda item is not running
    store.start_item(item)

    vote = store.open_vote(vote.id)
    assert vote.status is VoteStatus.OPEN and vote.snapshot is not None
    assert vote.snapshot.present == 40

    store.enter_count(vote.id, "A", "teller-1", _counts(12, 1, 0))
    store.enter_count(vote.id, "A", "teller-2", _counts(12, 1, 0))
    store.enter_count(vote.id, "B", "teller-1", _counts(13, 0, 0))
    vote = store.enter_count(vote.id, "B", "teller-2", _counts(12, 1, 0))
    assert vote.sector("B").status is SectorStatus.DISPUTED  # type: ignore[union-attr]
    store.recount_sector(vote.id, "B", "hai tổ trưởng lệch nhau")
    store.enter_count(vote.id, "B", "teller-1", _counts(13, 0, 0))
    store.enter_count(vote.id, "B", "teller-2", _counts(13, 0, 0))
    store.enter_count(vote.id, "C", "teller-1", _counts(13, 0, 1))
    vote = store.enter_count(vote.id, "C", "teller-2", _counts(13, 0, 1))

    assert vote.status is VoteStatus.COUNTED
    verdict = vote.verdict
    assert verdict is not None and verdict.passed
    assert (vote.tally.yes, vote.tally.no, vote.tally.abstain) == (38, 1, 1)  # type: ignore[union-attr]

    store.publish_vote(vote.id)
    corrected = store.correct_vote(vote.id, _counts(37, 2, 1), "tổ A đếm nhầm một thẻ")
    assert corrected.method is Method.CORRECTED
    assert [v.passed for v in corrected.history] == [True, True]
    assert store.vote_book().get(vote.id) == corrected
    assert store.verify() is None


def test_refused_counts_write_nothing(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=30)
    admit_voters(store, 20)
    item = _resolution_item(store)
    store.start_item(item)
    vote = store.open_vote(store.create_vote(item).id)
    seq = store.last_seq()

    for bad in (
        _counts(-1, 0, 0),
        {"tan_thanh": "mười", "khong_tan_thanh": 0, "y_kien_khac": 0},
        _counts(21, 0, 0),
    ):
        with pytest.raises(VoteError):
            store.enter_count(vote.id, "A", "teller-1", bad)
    assert store.last_seq() == seq


def test_opening_without_possible_outcome_needs_a_reason(
    make_store: MakeStore, db_url: str
) -> None:
    store = make_store(db_url, delegates=30)
    admit_voters(store, 3)
    item = _resolution_item(store)
    store.start_item(item)
    vote = store.create_vote(item)
    assert store.vote_warnings(vote.id)

    with pytest.raises(VoteError):
        store.open_vote(vote.id)
    opened = store.open_vote(vote.id, "Đoàn Chủ tịch xác nhận tiếp tục")
    assert opened.open_reason


def test_unanimous_needs_two_tellers(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=30)
    admit_voters(store, 20)
    item = _resolution_item(store)
    store.start_item(item)
    vote = store.open_vote(store.create_vote(item).id)

    once = store.confirm_unanimous(vote.id, "teller-1")
    assert once.status is not VoteStatus.COUNTED
    twice = store.confirm_unanimous(vote.id, "teller-2")
    assert twice.status is VoteStatus.COUNTED and twice.tally.yes == 20  # type: ignore[union-attr]


def test_verify_refuses_an_impossible_vote_history(make_store: MakeStore, sqlite_url: str) -> None:
    """Events rewritten with a consistent hash chain are still caught by the replay."""
    store = make_store(sqlite_url, delegates=30)
    admit_voters(store, 20)
    item = _resolution_item(store)
    store.start_item(item)
    vote = store.open_vote(store.create_vote(item).id)
    store.enter_count(vote.id, "A", "teller-1", _counts(5, 0, 0))
    store.enter_count(vote.id, "A", "teller-2", _counts(5, 0, 0))
    # Replay the same teller's entry twice by forging a whole new, internally consistent chain.
    events = list(store.events())
    import json

    from session import audit

    last = events[-1]
    payload = dict(last.payload, teller="teller-1")
    content = audit.canonical(last.seq, last.at, last.kind, payload, last.terminal, last.operator)
    digest = audit.chain_hash(last.prev_hash, content)
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE event SET payload = ?, hash = ? WHERE seq = ?",
            (json.dumps(payload, sort_keys=True, ensure_ascii=False), digest, last.seq),
        )
        conn.exec_driver_sql("UPDATE chain_head SET hash = ? WHERE id = 1", (digest,))

    problem = store.verify()

    assert problem is not None and problem.key == "replay_refused"
    assert problem.params["seq"] == last.seq


@pytest.mark.slow
def test_sigkill_between_tellers_keeps_first_entry(make_store: MakeStore, sqlite_url: str) -> None:
    store = make_store(sqlite_url, delegates=30)
    admit_voters(store, 20)
    item = _resolution_item(store)
    store.start_item(item)
    vote = store.open_vote(store.create_vote(item).id)
    store.close()
    script = textwrap.dedent(f"""
        import sys, time
        from db.store import Store
        store = Store.open({sqlite_url!r}, terminal="teller-terminal")
        store.enter_count({vote.id!r}, "A", "teller-1",
                          {{"tan_thanh": 6, "khong_tan_thanh": 1, "y_kien_khac": 0}})
        print("ENTERED", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ENTERED"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()

    with Store.open(sqlite_url) as reopened:
        after = reopened.vote_book().get(vote.id)
        assert after is not None and after.status is VoteStatus.COUNTING
        assert after.sector("A").status is SectorStatus.AWAITING_SECOND  # type: ignore[union-attr]
        done = reopened.enter_count(
            vote.id, "A", "teller-2", {"tan_thanh": 6, "khong_tan_thanh": 1, "y_kien_khac": 0}
        )
        assert done.sector("A").status is SectorStatus.CONFIRMED  # type: ignore[union-attr]
        assert reopened.verify() is None


def test_checking_an_opening_writes_nothing(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=30)
    admit_voters(store, 3)
    item = _resolution_item(store)
    store.start_item(item)
    seq = store.last_seq()

    check = store.opening_check(item)

    assert check.warnings and check.explained()[0]
    assert store.last_seq() == seq and store.vote_book().for_item(item) == ()
    with pytest.raises(VoteError):
        store.open_item_vote(item)  # warned: a reason is required
    assert store.last_seq() == seq
    vote = store.open_item_vote(item, "Đoàn Chủ tịch đề nghị tiếp tục")
    assert vote.status is VoteStatus.OPEN and vote.open_reason
    assert [e.kind for e in store.events(after=seq)] == ["vote_created", "vote_opened"]
