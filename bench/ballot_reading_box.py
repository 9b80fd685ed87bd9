"""Figure 4 of bench/ballot_reading.py: a box of the 60-name list read into a real SQLite store
beside the hand count's tally sheets, until no double-entry difference remains; and the real
store that figures 4 and 5 count in (a demo congress, its election, counting started)."""

import multiprocessing as mp
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from ballot_reading import (
    WORKERS,
    Read,
    Scans,
    Source,
    as_checked,
    check,
    committee_ballot,
    generate,
    read_all,
    reader_pool,
)

from db.store import Store
from session import elections as el
from session.agenda import ItemKind, MotionKind
from session.ballot_reading import Verdict
from session.ballots import Person, judge
from session.candidates import delegate_person_id
from session.count import CountMode, Totals, by_candidate, differences
from session.demo import demo_congress, demo_register
from session.quorum import VOTING_KINDS, Kind
from session.rollcall import Mode
from tests.harness import ballot_scans as bs

E = "committee"
BOX = "main"
MACHINE, HAND = "Máy", "Tổ 1"
COUNTERS = ("k1", "k2", "k3")


# ----------------------------------------------------------------------------- a real store


def register_size(voters: int) -> int:
    """The smallest demo register with `voters` voting delegates (as bench/counting.py)."""
    seen = 0
    for record in demo_register(2 * voters + 25):
        seen += record.kind in VOTING_KINDS
        if seen == voters:
            return record.number
    raise AssertionError("the demo register has fewer voters than that")


def decide_vote(store: Store, item: str, motion: MotionKind) -> str:
    vote = store.open_vote(store.create_vote(item, motion=motion).id)
    store.confirm_unanimous(vote.id, "teller-1")
    store.confirm_unanimous(vote.id, "teller-2")
    return store.publish_vote(vote.id).id


def counting_store(
    db: str, candidates: int, seats: int, ballots: int, teams: tuple[str, ...], mode: CountMode
) -> None:
    """A demo congress in a new SQLite file, `ballots` voters admitted, a committee election of
    `candidates` delegates for `seats` seats, voting done with `ballots` ballots in the box and
    counting started with `teams`, MACHINE reading by machine (as bench/counting.py builds it,
    with the reader team)."""
    voters = max(ballots, candidates + len(COUNTERS))
    size = register_size(voters)
    with Store.create(db, demo_congress(size, date(2025, 6, 20)), terminal="bench") as store:
        store.import_register(demo_register(size), source="bench")
        for d in [d for d in store.delegates() if d.votes][:voters]:
            store.scan(store.card_code(d.number, d.card_issue), Mode.ENTRY, "cửa-chính")
        item = next(s.key for s in store.agenda_state().items if s.item.kind is ItemKind.ELECTION)
        store.start_item(item)
        seats_vote = decide_vote(store, item, MotionKind.SEAT_COUNT)
        list_vote = decide_vote(store, item, MotionKind.ELECTION_LIST)
        counters_vote = decide_vote(store, item, MotionKind.PROCEDURAL_BODY)
        ruleset = store.congress.rules.ruleset.value
        voting = [d for d in store.delegates() if d.votes]
        people = [
            Person.from_full_name(
                f"d{d.number:05d}",
                d.full_name,
                date_of_birth=d.date_of_birth,
                delegate=d.number,
                committee_member=d.kind is Kind.EX_OFFICIO,
            )
            for d in voting[:candidates]
        ]
        off_list = voting[candidates:][: len(COUNTERS)]
        counters = tuple(delegate_person_id(d.number) for d in off_list)
        store.record_election_batch(
            E,
            lambda b, now: [
                el.create_election(
                    E, item, el.ElectionKind.COMMITTEE, "Bầu Ban Chấp hành", ruleset, now
                ),
                el.SeatsSet(E, seats, el.SeatsSource.VOTE, seats_vote, 0, "", now),
                *(
                    el.CandidateAdded(E, p, el.Source.LIST, "", False, None, None, now)
                    for p in people
                ),
            ],
        )
        steps: list[Callable[[Any, Any], Any]] = [
            lambda b, now: el.ListApproved(E, 1, list_vote, now),
            lambda b, now: el.CountersAppointed(E, counters[0], counters, counters_vote, now),
            lambda b, now: el.BoxPrepared(E, 1, BOX, el.BoxKind.MAIN, now),
            lambda b, now: el.BoxSealed(E, 1, BOX, COUNTERS[:2], now),
        ]
        for build in steps:
            store.record_election(build)
        store.open_election_voting(E, 1)
        steps = [
            lambda b, now: el.BallotsIssued(E, 1, BOX, ballots, "", now),
            lambda b, now: el.BoxClosed(E, 1, BOX, now),
            lambda b, now: el.BoxOpened(E, 1, BOX, ballots, COUNTERS[:2], now),
            lambda b, now: el.CountingStarted(E, 1, mode, teams, now, MACHINE),
        ]
        for build in steps:
            store.record_election(build)


def store_source(db: str, kind: str) -> Source:
    with Store.open(db, terminal="bench") as store:
        election = store.election_book().get(E)
        assert election is not None
        return Source(kind, store.congress, election)


def totals_of(scans: Scans, ballots: Iterable[bs.BallotTruth]) -> Totals:
    totals = Totals.zero(scans.candidates)
    for b in ballots:
        totals = totals.add(judge(committee_ballot(scans.fmt, b), scans.candidates, scans.seats))
    return totals


def batches_of(scans: Scans, size: int = 100) -> dict[str, str]:
    """Whole files in tray order grouped into batches of about `size` ballots: file -> batch."""
    per_file = Counter(key[0] for key in scans.truth)
    out: dict[str, str] = {}
    batch, held = 1, 0
    for f in scans.files:
        if held >= size:
            batch, held = batch + 1, 0
        out[f] = f"b{batch:02d}"
        held += per_file[f]
    return out


# ----------------------------------------------------------------------------- part 4


def part_box(n: int, seed: int, tmp: Path, dpi: float, decide_s: float) -> dict[str, object]:
    """A box of the 60-name list read into a real store beside the hand count's tally sheets."""
    db = str(tmp / "box.db")
    started = time.perf_counter()
    counting_store(db, 60, 50, n, (HAND, MACHINE), CountMode.SHEETS)
    setup_s = time.perf_counter() - started
    source = store_source(db, "60")
    folder = tmp / "box"
    folder.mkdir()
    with mp.get_context("fork").Pool(WORKERS) as pool:
        scans = generate(pool, "box", source, n, seed + 104729, folder, dpi)
    print(f"  box: store in {setup_s:.0f} s, {n} ballots generated in {scans.generate_s:.0f} s",
          flush=True)  # fmt: skip
    batch_of = batches_of(scans)
    with Store.open(db, terminal="counting-bench", operator="bench") as store:
        for batch in sorted(set(batch_of.values())):
            ballots = [t for k, t in scans.truth.items() if batch_of[k[0]] == batch]
            totals = totals_of(scans, ballots)
            store.record_election(
                lambda b, now, batch=batch, totals=totals: el.SheetEntered(
                    E, 1, HAND, BOX, batch, totals, "", now
                )
            )
        with reader_pool({"box": source}, (E, 1)) as pool:
            first = time.perf_counter()
            reads: list[Read] = []
            undecided: list[Read] = []
            record_s = 0.0
            for file_reads in read_all(pool, scans, ordered=True):
                for r in file_reads:
                    before = time.perf_counter()
                    store.record_reading(E, 1, BOX, batch_of[r.place.file], r.place, r.code,
                                         r.marks, r.outcome.doubts, r.outcome)  # fmt: skip
                    record_s += time.perf_counter() - before
                    reads.append(r)
                    if r.outcome.verdict is Verdict.UNDECIDED:
                        undecided.append(r)
            read_done = time.perf_counter()
        no_truth = 0
        for r in undecided:
            truth = scans.truth.get((r.place.file, r.place.page, r.place.slot))
            if truth is None:
                no_truth += 1
                continue
            store.decide_reading(E, 1, r.place.key, committee_ballot(scans.fmt, truth), "bench")
        decided = time.perf_counter()
        election = store.election_book().get(E)
        assert election is not None and election.current.count is not None
        diffs = differences(election.current.count)
        checked = time.perf_counter()
    c = check(scans, as_checked(reads))
    total_s = checked - first
    return {
        "ballots": n, "files": len(scans.files), "batches": len(set(batch_of.values())),
        "setup_s": round(setup_s, 1), "generate_s": round(scans.generate_s, 1),
        "read_and_record_s": round(read_done - first, 2), "record_s": round(record_s, 2),
        "decide_s": round(decided - read_done, 2), "check_s": round(checked - decided, 3),
        "total_s": round(total_s, 2), "undecided": len(undecided),
        "undecided_without_truth": no_truth,
        "committee_time_s_at_pace": len(undecided) * decide_s,
        "differences": [d.to_json() for d in diffs][:20], "batches_differing": len(diffs),
        "candidates_differing": len(by_candidate(diffs)),
        "no_differences": not diffs and not no_truth,
        "check": c.to_json(),
    }  # fmt: skip
