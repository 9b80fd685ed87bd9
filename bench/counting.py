"""Counting speed: ballots entered one by one through the store, with durable commits.

    uv run python bench/counting.py [--ballots 1600] [--candidates 200] [--seats 170]
                                    [--db PATH | --db postgresql://...] [--seed 4] [--screen]

Builds a congress whose register has enough voting delegates, admits `--ballots` of them by
scanning their cards, takes the show-of-hands decisions an election cites, creates a committee
election whose list has `--candidates` delegates, approves it, opens voting, issues one ballot
to each voter, closes and opens the box and starts counting ballot by ballot. Then:

- **per ballot**, on the counting terminal's store (opened on the running count, as the
  counting screen is): the time from the counter's Enter (``store.enter_ballot``) to the
  updated running tallies the screen reads (the team's figures and votes per candidate, the
  count in force, the double-entry differences, the last ballots), each including its durable
  commit; p50, p99, max, and the medians of the first and last tenth (a cost growing with the
  ballots already entered shows there). Like the app after its first load, the terminal
  freezes the objects it has so far for the garbage collector (``--no-freeze``: it does not);
- or, with ``--screen``, the same ballots through the real app (headless): its counting screen,
  each ballot typed and Enter, timed by the screen from the Enter to the tallies, figures and
  last ballots redrawn with the Store's answer (the app's polling of other terminals runs too);
- then the box counted and the minutes signed on that terminal (two writes, ``sign_s``);
- **results and minutes**, as ``presidium counting-minutes`` does in a new process: a fresh
  store opened, the election read (a replay of the whole log), the round's result computed and
  the counting minutes written as PDF (``minutes_total_s``).

Prints a table and writes bench/results/counting.json. Targets (issue 4): p99 under 50 ms per
ballot, results and minutes under 2 s, at 1,600 ballots of a 200-candidate list.
With a ``postgresql://`` URL a fresh database is created next to the one named, and dropped
afterwards.
"""

import argparse
import asyncio
import gc
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import machine_facts  # noqa: E402  (this folder, as the script runs)

from db.store import Store  # noqa: E402
from printouts.counting_minutes import write_counting_minutes  # noqa: E402
from session import elections as el  # noqa: E402
from session import i18n  # noqa: E402
from session.agenda import ItemKind, MotionKind  # noqa: E402
from session.ballots import BallotInput, InvalidReason, Person  # noqa: E402
from session.candidates import delegate_person_id  # noqa: E402
from session.count import CountMode, Totals, by_candidate, differences  # noqa: E402
from session.demo import demo_congress, demo_register  # noqa: E402
from session.quorum import VOTING_KINDS, Kind  # noqa: E402
from session.rollcall import Mode  # noqa: E402
from session.surplus import max_candidates  # noqa: E402

E = "committee"
BOX = "main"
TEAM = "A"
COUNTERS = ("k1", "k2", "k3")  # the names that seal, open and sign (free text)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# ----------------------------------------------------------------------------- set-up


def register_size(voters: int) -> int:
    """The smallest demo register with `voters` voting delegates (the demo also has guests and
    alternates, who get no ballot; a longer register starts with the same delegates)."""
    seen = 0
    for record in demo_register(2 * voters + 25):
        seen += record.kind in VOTING_KINDS
        if seen == voters:
            return record.number
    raise AssertionError("the demo register has fewer voters than that")


def admit(store: Store, voters: int) -> None:
    for d in [d for d in store.delegates() if d.votes][:voters]:
        store.scan(store.card_code(d.number, d.card_issue), Mode.ENTRY, "cửa-chính")


def decide(store: Store, item: str, motion: MotionKind) -> str:
    """A show-of-hands decision taken unanimously and published; its vote id."""
    vote = store.open_vote(store.create_vote(item, motion=motion).id)
    store.confirm_unanimous(vote.id, "teller-1")
    store.confirm_unanimous(vote.id, "teller-2")
    return store.publish_vote(vote.id).id


def candidates_of(store: Store, n: int) -> list[Person]:
    """The list: the first `n` voting delegates, as `presidium candidates import` would make
    them."""
    chosen = [d for d in store.delegates() if d.votes][:n]
    return [
        Person.from_full_name(
            f"d{d.number:05d}",
            d.full_name,
            date_of_birth=d.date_of_birth,
            delegate=d.number,
            committee_member=d.kind is Kind.EX_OFFICIO,
        )
        for d in chosen
    ]


def prepare_election(store: Store, candidates: int, seats: int, ballots: int) -> None:
    """A committee election up to the first ballot to enter (counting started, one team)."""
    item = next(s.key for s in store.agenda_state().items if s.item.kind is ItemKind.ELECTION)
    store.start_item(item)
    seats_vote = decide(store, item, MotionKind.SEAT_COUNT)
    list_vote = decide(store, item, MotionKind.ELECTION_LIST)
    counters_vote = decide(store, item, MotionKind.PROCEDURAL_BODY)
    ruleset = store.congress.rules.ruleset.value
    people = candidates_of(store, candidates)
    # The counting committee: delegates from the register, none of them on the list (4.8).
    off_list = [d for d in store.delegates() if d.votes][candidates:][: len(COUNTERS)]
    counters = tuple(delegate_person_id(d.number) for d in off_list)
    store.record_election_batch(
        E,
        lambda b, now: [
            el.create_election(
                E, item, el.ElectionKind.COMMITTEE, "Bầu Ban Chấp hành", ruleset, now
            ),
            el.SeatsSet(E, seats, el.SeatsSource.VOTE, seats_vote, 0, "", now),
            *(el.CandidateAdded(E, p, el.Source.LIST, "", False, None, None, now) for p in people),
        ],
    )
    for build in (
        lambda b, now: el.ListApproved(E, 1, list_vote, now),
        lambda b, now: el.CountersAppointed(E, counters[0], counters, counters_vote, now),
        lambda b, now: el.BoxPrepared(E, 1, BOX, el.BoxKind.MAIN, now),
        lambda b, now: el.BoxSealed(E, 1, BOX, COUNTERS[:2], now),
    ):
        store.record_election(build)
    store.open_election_voting(E, 1)
    for build in (
        lambda b, now: el.BallotsIssued(E, 1, BOX, ballots, "", now),
        lambda b, now: el.BoxClosed(E, 1, BOX, now),
        lambda b, now: el.BoxOpened(E, 1, BOX, ballots, COUNTERS[:2], now),
        lambda b, now: el.CountingStarted(E, 1, CountMode.BALLOTS, (TEAM,), now),
    ):
        store.record_election(build)


def build(db: str, ballots: int, candidates: int, seats: int) -> dict[str, float]:
    started = time.perf_counter()
    voters = max(ballots, candidates)  # a short count of a long list still needs a quorum
    size = register_size(voters)
    with Store.create(db, demo_congress(size, date(2025, 6, 20)), terminal="bench") as store:
        store.import_register(demo_register(size), source="bench")
        admit(store, voters)
        admitted = time.perf_counter()
        prepare_election(store, candidates, seats, ballots)
    return {
        "register": size,
        "admit_s": admitted - started,
        "prepare_s": time.perf_counter() - admitted,
    }


# ----------------------------------------------------------------------------- the ballots


def random_ballots(n: int, candidates: int, seats: int, seed: int) -> list[BallotInput]:
    """Struck numbers as a hall marks them: most strike the surplus or a few more, some strike
    too few (invalid: too many names kept), about 2 % are spoilt outright."""
    rng = random.Random(seed)
    surplus = candidates - seats
    out = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.02:
            out.append(BallotInput.spoilt(InvalidReason.SIGNED_OR_MARKED))
            continue
        low = max(1, surplus - 3) if roll < 0.05 else max(1, surplus)
        struck = rng.sample(range(1, candidates + 1), rng.randint(low, min(candidates, low + 25)))
        out.append(BallotInput.struck(*sorted(struck)))
    return out


def running_tallies(election: el.Election) -> tuple[Totals, int]:
    """What the counting screen reads after a ballot (tui/counting.py): the team's figures for
    its box and its votes per candidate, the count in force, the double-entry differences and
    the last ballots (shown for correction). The count in force and the ballots entered."""
    count = election.current.count
    assert count is not None
    count.team_totals(TEAM, BOX)
    count.team_totals(TEAM)
    by_candidate(differences(count))
    count.team(TEAM).last(10)
    return count.totals(), count.team(TEAM).entered


def counting_terminal(
    db: str, ballots: list[BallotInput], freeze: bool
) -> tuple[list[float], dict[str, float]]:
    """The counting team's terminal: it opens on the running count, enters every ballot, then
    records the box as counted and the minutes as signed. Per-ballot latencies (ms) and the
    other times (s)."""
    latencies = []
    with Store.open(db, terminal="counting-1", operator="bench") as store:
        started = time.perf_counter()
        running_tallies(store.election_book().get(E))  # type: ignore[arg-type]
        opened = time.perf_counter()
        if freeze:  # as the app does after its first load (tui/app.py): no full-heap GC pauses
            gc.collect()
            gc.freeze()
        for ballot in ballots:
            before = time.perf_counter()
            election = store.enter_ballot(E, 1, TEAM, BOX, ballot)
            totals, entered = running_tallies(election)
            latencies.append((time.perf_counter() - before) * 1000)
            assert totals.ballots == entered
        entered_all = time.perf_counter()
        store.record_election(lambda b, now: el.BoxCounted(E, 1, BOX, now))
        store.record_election(lambda b, now: el.MinutesSigned(E, 1, COUNTERS, now))
        signed = time.perf_counter()
    gc.unfreeze()
    return latencies, {"screen_open_s": opened - started, "sign_s": signed - entered_all}


async def screen_terminal_async(db: str, ballots: list[BallotInput]) -> list[float]:
    """The same ballots through the real app (headless): the election screen (F9), its counting
    screen (F3), each ballot typed into the field and Enter (a spoilt one through the screen's
    own entry path, as F3's form does). The screen times each ballot from its Enter to the
    tallies, figures and last ballots redrawn with the Store's answer (ms)."""
    from textual.widgets import Input

    from tui.app import make_app
    from tui.elections.counting import CountingScreen
    from tui.testing import settle

    with Store.open(db, terminal="counting-1", operator="bench") as store:
        app = make_app(store)
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            await pilot.press("f9")
            await settle(pilot)
            await pilot.press("f3")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CountingScreen), screen
            field = screen.query_one("#ballot", Input)
            for i, ballot in enumerate(ballots, 1):
                if ballot.invalid is not None:
                    screen._enter(ballot)
                else:
                    field.value = " ".join(str(n) for n in ballot.numbers)
                    await pilot.press("enter")
                for _ in range(20_000):  # a refusal (said on the screen) records no time
                    if len(screen.latencies) >= i:
                        break
                    await pilot.pause(0.001)
                else:
                    status = screen.query_one("#counting-status").render()  # the refusal
                    raise SystemExit(f"ballot {i} was not stored: {status}")
            return [x * 1000 for x in screen.latencies]


def screen_terminal(db: str, ballots: list[BallotInput]) -> list[float]:
    return asyncio.run(screen_terminal_async(db, ballots))


# ----------------------------------------------------------------------------- results


def results_and_minutes(db: str, out: Path) -> dict[str, float | int]:
    """What `presidium counting-minutes` does: open the store, read the election (a replay of
    the whole log: a new process has no cache), compute the round's result, write the PDF."""
    with Store.open(db, terminal="cli") as store:
        opened = time.perf_counter()
        election = store.election_book().get(E)
        assert election is not None
        read = time.perf_counter()
        result = election.result(1)
        assert result is not None
        computed = time.perf_counter()
        write_counting_minutes(out, store.congress, election, 1)
        written = time.perf_counter()
    return {
        "read_s": read - opened,
        "result_s": computed - read,
        "pdf_s": written - computed,
        "minutes_total_s": written - opened,
        "elected": sum(1 for r in result.rows if r.outcome.value == "elected"),
        "pdf_kib": out.stat().st_size / 1024,
    }


# ----------------------------------------------------------------------------- databases


@contextmanager
def database(location: str | None, tmp: Path) -> Iterator[str]:
    """The bench's database: a fresh PostgreSQL database next to the URL given (dropped after),
    a new SQLite file at the path given, or one in `tmp`."""
    if location and location.startswith(("postgresql://", "postgres://")):
        import psycopg

        name = f"presidium_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(location, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{location.rsplit('/', 1)[0]}/{name}"
        finally:
            with psycopg.connect(location, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    path = Path(location) if location else tmp / "counting.db"
    if path.exists():
        raise SystemExit(f"{path} exists: the bench builds its own congress")
    yield str(path)


# ----------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1600)
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--seats", type=int, default=170, help="must pass the surplus check")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--db", help="SQLite file to create, or a postgresql:// URL")
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="leave start-up objects to the GC (the app freezes them)",
    )
    parser.add_argument(
        "--screen",
        action="store_true",
        help="enter the ballots through the app's counting screen instead of the store",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "counting.json")
    args = parser.parse_args()
    if not args.seats < args.candidates <= max_candidates(args.seats):
        parser.error(f"{args.candidates} candidates for {args.seats} seats fail the surplus check")
    i18n.use("vi")
    with tempfile.TemporaryDirectory() as tmp, database(args.db, Path(tmp)) as db:
        row: dict[str, object] = {
            "backend": "postgresql" if db.startswith("postgres") else "sqlite",
            "ballots": args.ballots,
            "candidates": args.candidates,
            "seats": args.seats,
        }
        row.update(build(db, args.ballots, args.candidates, args.seats))
        ballots = random_ballots(args.ballots, args.candidates, args.seats, args.seed)
        row["load_before"] = os.getloadavg()[0]
        row["gc_freeze"] = not args.no_freeze
        if args.screen:
            row["path"] = "app: Enter -> tallies redrawn"
            latencies = screen_terminal(db, ballots)
            with Store.open(db, terminal="counting-1") as store:
                store.record_election(lambda b, now: el.BoxCounted(E, 1, BOX, now))
                store.record_election(lambda b, now: el.MinutesSigned(E, 1, COUNTERS, now))
            row.update(summary(latencies))
        else:
            row["path"] = "store: call -> tallies read"
            latencies, times = counting_terminal(db, ballots, freeze=not args.no_freeze)
            row.update(summary(latencies))
            row.update(times)
        row.update(results_and_minutes(db, Path(tmp) / "minutes.pdf"))
        # ru_maxrss is in KiB on Linux: the peak of the whole run.
        row["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print_row(row)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        **machine_facts(),
        "rows": [row],
        "latencies_ms": [round(x, 3) for x in latencies],
    }
    args.out.write_text(json.dumps(report, indent=2))
    print(f"\nwritten to {args.out}")


def summary(latencies: list[float]) -> dict[str, float]:
    tenth = max(1, len(latencies) // 10)
    return {
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies),
        # The first and last tenth: a cost that grows with the ballots already entered shows here.
        "first_tenth_p50_ms": statistics.median(latencies[:tenth]),
        "last_tenth_p50_ms": statistics.median(latencies[-tenth:]),
    }


def print_row(row: dict[str, object]) -> None:
    width = max(len(k) for k in row)
    for key, value in row.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{key:>{width}} | {shown:>12}")


if __name__ == "__main__":
    main()
