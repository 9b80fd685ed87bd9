"""Two doors scanning into one database at once: real processes, real SQLite file and PostgreSQL."""

import multiprocessing as mp
import random
from collections.abc import Callable

import pytest

from db.store import Store
from session.rollcall import Mode, Reason

MakeStore = Callable[..., Store]


def _door(
    url: str,
    station: str,
    codes: list[str],
    barrier: "mp.synchronize.Barrier",
    results: "mp.Queue[tuple[str, str, str]]",
) -> None:
    """A door station process: scans its codes as fast as it can and reports each reason."""
    store = Store.open(url, terminal=station)
    try:
        barrier.wait(timeout=30)
        for code in codes:
            try:
                result = store.scan(code, Mode.ENTRY, station)
                results.put((station, code, result.decision.reason.value))
            except Exception as exc:  # report what a user would see
                results.put((station, code, f"error: {exc}"))
    finally:
        store.close()


def _run_doors(url: str, plans: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(plans))
    queue: mp.Queue[tuple[str, str, str]] = ctx.Queue()
    procs = [
        ctx.Process(target=_door, args=(url, station, codes, barrier, queue))
        for station, codes in plans.items()
    ]
    for p in procs:
        p.start()
    expected = sum(len(c) for c in plans.values())
    results = [queue.get(timeout=120) for _ in range(expected)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return results


@pytest.mark.slow
def test_two_doors_same_register(make_store: MakeStore, db_url: str) -> None:
    """Two doors scan the whole register, each in its own order, every card at both doors."""
    store = make_store(db_url, delegates=60)
    codes = [store.card_code(d.number, d.card_issue) for d in store.delegates()]
    rng = random.Random(7)
    plans = {"door-1": rng.sample(codes, len(codes)), "door-2": rng.sample(codes, len(codes))}

    results = _run_doors(db_url, plans)

    assert not [r for r in results if r[2].startswith("error")]
    by_code: dict[str, list[str]] = {}
    for _, code, reason in results:
        by_code.setdefault(code, []).append(reason)
    for reasons in by_code.values():
        admitted = [r for r in reasons if r.startswith("admitted")]
        assert len(admitted) == 1, reasons
        assert reasons.count(Reason.ALREADY_PRESENT.value) == 1, reasons
    assert set(store.check_in_counts().values()) == {1}
    assert len(store.check_in_counts()) == 60
    assert store.verify() is None


@pytest.mark.slow
def test_same_card_at_both_doors_at_once(make_store: MakeStore, db_url: str) -> None:
    """The same card at both doors at the same instant, repeated for many cards."""
    store = make_store(db_url, delegates=40)
    codes = [store.card_code(d.number, d.card_issue) for d in store.delegates() if d.votes][:25]

    results = _run_doors(db_url, {"door-1": codes, "door-2": codes})

    reasons = [r[2] for r in results]
    assert not [r for r in reasons if r.startswith("error")]
    assert reasons.count(Reason.ADMITTED.value) == len(codes)
    assert reasons.count(Reason.ALREADY_PRESENT.value) == len(codes)
    assert store.snapshot().verdict.attendance.present == len(codes)
    assert store.verify() is None
