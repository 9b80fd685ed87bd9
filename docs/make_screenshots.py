"""SVG screenshots of the operator's app for the docs, from a demo congress driven headless.

    uv run python docs/make_screenshots.py [--lang vi en] [--out docs/screenshots]

Writes, per language: rollcall-<lang>.svg (the roll call after a few scans), manual-<lang>.svg
(the manual check-in dialog finding "nguyen van khoe"), help-<lang>.svg (the help screen),
agenda-<lang>.svg (the agenda in the morning: items done, one skipped, one added, one running
near its end), vote-<lang>.svg (a vote counted, with its verdict and arithmetic),
vote-counting-<lang>.svg (a vote being counted: sectors confirmed, disputed, waiting),
door-<lang>.svg (a door station right after a green admission), display-<lang>.svg (the
projector at the same moment: attendance, quorum, the running item, its vote counted and the
presidium's result announced), election-<lang>.svg (the afternoon's election of the executive
committee while it is counted: the approved list with provisional votes, the threshold, three
boxes on the status board, one counted) and counting-<lang>.svg (its counting screen: ballots
typed, one marked invalid, the running tallies).
The clock is fixed, so the pictures only change when the app does.
"""

import argparse
import asyncio
import random
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Button, Input, Select  # noqa: E402

from db.store import DelegateInfo, Store  # noqa: E402
from presidium.demo import prepare_list  # noqa: E402
from session import elections as el  # noqa: E402
from session import i18n  # noqa: E402
from session.agenda import AgendaItem, ItemKind, ItemStatus, MotionKind  # noqa: E402
from session.ballots import BallotInput, InvalidReason  # noqa: E402
from session.demo import DEMO_COMMITTEE, demo_congress, demo_register  # noqa: E402
from session.quorum import Kind, Status  # noqa: E402
from session.roles import Role  # noqa: E402
from session.rollcall import Mode  # noqa: E402
from tui.app import PresidiumApp, make_app  # noqa: E402
from tui.testing import settle, type_burst  # noqa: E402

SIZE = (160, 50)
DELEGATES = 300
MOMENT = datetime(2025, 6, 20, 0, 47, 12, tzinfo=UTC)  # 07:47:12 in Hà Nội
OPENING = datetime(2025, 6, 20, 0, 30, tzinfo=UTC)  # 07:30: the first item starts
TELLERS = ("Tổ kiểm phiếu 1", "Tổ kiểm phiếu 2")
COUNTERS = ("Đỗ Minh Kiểm", "Lê Thị Phiếu", "Vũ Văn Thành")  # the head first
BOXES = {"A": "1", "B": "2", "C": "3"}  # a ballot box for each sector of the hall
# How often each name on the ballot (in ballot order) is kept on the afternoon's ballots.
KEPT = (0.96, 0.71, 0.93, 0.88, 0.52, 0.97, 0.83, 0.90, 0.45, 0.94, 0.86)
TYPED = ("2 9", "5 9 11")  # the ballots typed on the counting screen, before and after...
SIGNED = "Có chữ ký ở mặt sau"  # ...one marked invalid with F3
TYPED_AFTER = ("9 11", "2 5 9")


class DemoClock:
    """The store's clock: earlier moments while the morning is set up, then MOMENT, then the
    afternoon step by step."""

    def __init__(self) -> None:
        self.now = OPENING - timedelta(minutes=20)

    def __call__(self) -> datetime:
        return self.now

    def at(self, minutes: float) -> None:
        self.now = OPENING + timedelta(seconds=round(minutes * 60))

    def wait(self, minutes: float) -> None:
        self.now += timedelta(seconds=round(minutes * 60))


def counts(store: Store, vote_id: str, *n: int) -> dict[str, object]:
    vote = store.vote_book().get(vote_id)
    assert vote is not None
    return {o.value: c for o, c in zip(vote.options, n, strict=True)}


def morning(store: Store, clock: DemoClock) -> tuple[str, str]:
    """The agenda up to 07:47: the first items held, the presidium elected by a show of hands
    (counted by sector, announced), the election regulation put off, a speech added; the agenda
    vote running near its planned end. Returns the agenda vote's item and the presidium vote."""
    items = [s.key for s in store.agenda_state().items]
    clock.at(0)
    store.start_item(items[0])  # flag salute
    clock.at(5.3)
    store.start_item(items[1])  # introduction
    clock.at(10.5)
    store.start_item(items[2])  # election of the presidium... (a vote)
    elect = store.create_vote(items[2])
    store.open_vote(elect.id)
    for sector, (yes, no, other) in (("A", (52, 1, 0)), ("B", (50, 0, 2)), ("C", (52, 1, 0))):
        for teller in TELLERS:
            store.enter_count(elect.id, sector, teller, counts(store, elect.id, yes, no, other))
    clock.at(12.8)
    store.publish_vote(elect.id)
    clock.at(13.2)
    store.skip_item(items[5], "Chuyển sang phiên chính thức theo đề nghị của Đoàn Chủ tịch")
    store.insert_item(
        AgendaItem(
            "",
            "",
            ItemKind.PROCEDURAL,
            "Phát biểu chào mừng của đại diện Mặt trận Tổ quốc",
            "Đại diện Mặt trận",
            duration=5,
        ),
        items[7],
    )
    clock.at(13.5)
    store.start_item(items[3])  # adoption of the agenda: 03:42 of 05:00 at 07:47:12
    return items[3], elect.id


async def door(db: str, clock: DemoClock, station: str, code: str, out: Path, lang: str) -> Path:
    """The side door's own terminal, the moment after it let a delegate in (green)."""
    terminal = Store.open(db, terminal=f"demo/{station}", clock=clock)
    try:
        app = make_app(terminal, role=Role.DOOR, station=station, sign_in=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            type_burst(app, code)
            await settle(pilot)
            await pilot.pause(0.5)  # the station's counts follow the log
            await settle(pilot)
            return Path(app.save_screenshot(f"door-{lang}.svg", str(out)))
    finally:
        terminal.close()


async def projector(db: str, clock: DemoClock, out: Path, lang: str) -> Path:
    """The projector's terminal: what the hall sees at the same moment."""
    terminal = Store.open(db, terminal="demo/projector", clock=clock)
    try:
        app = make_app(terminal, role=Role.DISPLAY)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.pause(0.5)
            await settle(pilot)
            return Path(app.save_screenshot(f"display-{lang}.svg", str(out)))
    finally:
        terminal.close()


def unanimous(
    store: Store,
    clock: DemoClock,
    item: str,
    motion: MotionKind | None = None,
    title: str | None = None,
) -> str:
    """The running item's vote (or one on `motion`, with its `title`), all present in favour as
    both tellers confirm, announced two minutes later; its id."""
    vote = store.open_item_vote(item, motion=motion, title=title)
    for teller in TELLERS:
        store.confirm_unanimous(vote.id, teller)
    clock.wait(2)
    return store.publish_vote(vote.id).id


def to_the_election(store: Store, clock: DemoClock, latecomers: list[DelegateInfo]) -> str:
    """The day from the morning's moment to the executive committee's election: each item in
    turn for its planned length, the vote items carried unanimously (the seats and the list of
    the election among them), the latecomers in after lunch. Returns the election's item, now
    running."""
    for state in store.agenda_state().items:
        if state.status is not ItemStatus.PENDING:
            continue
        start = clock.now
        store.start_item(state.key)
        if state.item.kind is ItemKind.ELECTION:
            return state.key
        if state.item.kind is ItemKind.VOTE:
            unanimous(store, clock, state.key)
        clock.now = start + timedelta(minutes=state.item.duration)
        if state.item.kind is ItemKind.BREAK and state.item.duration >= 60:  # lunch
            for d in latecomers:
                store.scan(store.card_code(d.number, 0), Mode.ENTRY, store.congress.stations[0])
    raise AssertionError("the demo's agenda has an election item")


def ballots(count: int, rng: random.Random) -> list[BallotInput]:
    """`count` ballots of the 11 names for 9 seats: each name struck as KEPT says, and at least
    two struck on each (the least kept first), so none keeps more names than there are seats."""
    found = []
    for _ in range(count):
        struck = {n for n, kept in enumerate(KEPT, 1) if rng.random() > kept}
        for n in sorted(range(1, len(KEPT) + 1), key=lambda n: KEPT[n - 1]):
            if len(struck) >= 2:
                break
            struck.add(n)
        found.append(BallotInput.struck(*sorted(struck)))
    return found


def election(store: Store, clock: DemoClock, item: str) -> None:
    """The executive committee's election through the Store, as the election screen's steps
    and the ballot desk write it: the convening committee's list, the seats and the list citing
    the votes of the two items before, the counting committee voted, a box sealed for each
    sector, a ballot to each voter in the hall at the box of their sector, the boxes closed and
    opened, box 1 counted and box 2 half-way."""
    e = DEMO_COMMITTEE
    decided = {v.motion: v.id for v in store.vote_book().votes}
    prepare_list(store)
    clock.wait(2)
    counters = unanimous(
        store, clock, item, motion=MotionKind.PROCEDURAL_BODY, title="Bầu Ban Kiểm phiếu"
    )

    def step(minutes: float, build: Callable[[datetime], el.ElectionEvent]) -> None:
        clock.wait(minutes)
        store.record_election(lambda _book, now: build(now))

    seats, listed = decided[MotionKind.SEAT_COUNT], decided[MotionKind.ELECTION_LIST]
    step(1, lambda now: el.SeatsSet(e, 9, el.SeatsSource.VOTE, seats, 0, "", now))
    step(1, lambda now: el.ListApproved(e, 1, listed, now))
    step(1, lambda now: el.CountersAppointed(e, COUNTERS[0], COUNTERS, counters, now))
    for box in BOXES.values():
        step(1, lambda now, box=box: el.BoxPrepared(e, 1, box, el.BoxKind.MAIN, now))
    for box in BOXES.values():
        step(1, lambda now, box=box: el.BoxSealed(e, 1, box, COUNTERS[:2], now))
    clock.wait(2)
    store.open_election_voting(e, 1)
    returned = dict.fromkeys(BOXES.values(), 0)
    for d in (d for d in store.delegates(present=True) if d.votes):
        clock.wait(0.05)  # the ballot desk scans a card every 3 s
        store.issue_ballot(e, 1, BOXES[d.sector], store.card_code(d.number, 0))
        returned[BOXES[d.sector]] += 1  # every ballot comes back
    for box in BOXES.values():
        step(1, lambda now, box=box: el.BoxClosed(e, 1, box, now))
    for box in BOXES.values():
        step(2, lambda now, box=box: el.BoxOpened(e, 1, box, returned[box], COUNTERS, now))
    step(1, lambda now: el.CountingStarted(e, 1, el.CountMode.BALLOTS, ("A",), now))
    rng = random.Random(2025)
    for box, found in (("1", returned["1"]), ("2", returned["2"] // 2)):
        for b in ballots(found, rng):
            clock.wait(0.1)  # a ballot read out every 6 s
            store.enter_ballot(e, 1, "A", box, b)
        if box == "1":
            step(1, lambda now: el.BoxCounted(e, 1, "1", now))
    clock.wait(0.5)


async def count_some(app: PresidiumApp, pilot: Pilot[None]) -> None:
    """On the counting screen: ballots typed (struck names, Enter), one marked invalid (F3)."""
    for text in TYPED:
        type_burst(app, text)
        await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    app.screen.query_one("#choice", Select).value = InvalidReason.SIGNED_OR_MARKED.value
    app.screen.query_one("#note", Input).value = SIGNED
    app.screen.query_one("#confirm", Button).press()
    await settle(pilot)
    for text in TYPED_AFTER:
        type_burst(app, text)
        await settle(pilot)


async def shoot(lang: str, out: Path) -> list[Path]:
    i18n.use(lang)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "demo.db")
        congress = demo_congress(DELEGATES, date(2025, 6, 20))
        clock = DemoClock()
        store = Store.create(db, congress, terminal="demo", clock=clock)
        try:
            store.import_register(demo_register(DELEGATES), source="demo")
            everyone = store.delegates()
            voters = [d for d in everyone if d.votes]
            guest = next(d for d in everyone if d.kind is Kind.GUEST)
            side_door = congress["congress"]["stations"][1]  # type: ignore[index]
            for d in voters[30:190]:  # most of the hall came in through the side door
                store.scan(store.card_code(d.number, 0), Mode.ENTRY, side_door)
            store.set_status(voters[-1].number, Status.ABSENT_WHOLE, "ốm nằm viện")
            store.set_status(voters[-2].number, Status.ABSENT_EXCUSED, "đi công tác buổi sáng")
            agenda_item, _ = morning(store, clock)
            clock.now = MOMENT

            app = make_app(store)
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                forged = store.card_code(voters[3].number, 0)[:-3] + "000"
                scans = [
                    store.card_code(voters[0].number, 0),
                    store.card_code(voters[1].number, 0),
                    store.card_code(voters[30].number, 0),  # already in: yellow
                    forged,  # red
                    store.card_code(guest.number, 0),
                    store.card_code(voters[2].number, 0),  # green, on the banner
                ]
                for code in scans:
                    type_burst(app, code)
                    await settle(pilot)
                written.append(Path(app.save_screenshot(f"rollcall-{lang}.svg", str(out))))

                await pilot.press("f2")
                type_burst(app, "nguyen van khoe", enter=False)
                await pilot.pause(0.4)
                await settle(pilot)
                written.append(Path(app.save_screenshot(f"manual-{lang}.svg", str(out))))
                await pilot.press("escape")
                await settle(pilot)

                await pilot.press("f1")
                await settle(pilot)
                written.append(Path(app.save_screenshot(f"help-{lang}.svg", str(out))))
                await pilot.press("escape")
                await settle(pilot)

                await pilot.press("f7")
                await settle(pilot)
                written.append(Path(app.save_screenshot(f"agenda-{lang}.svg", str(out))))

                # the agenda vote, being counted: A confirmed, B disputed, C waiting
                vote = store.open_vote(store.create_vote(agenda_item).id)
                for sector, teller, n in (
                    ("A", "Tổ kiểm phiếu 1", (55, 0, 0)),
                    ("A", "Tổ kiểm phiếu 2", (55, 0, 0)),
                    ("B", "Tổ kiểm phiếu 3", (52, 1, 0)),
                    ("B", "Tổ kiểm phiếu 4", (51, 2, 0)),
                    ("C", "Tổ kiểm phiếu 5", (53, 0, 1)),
                ):
                    store.enter_count(vote.id, sector, teller, counts(store, vote.id, *n))
                await pilot.press("f8")
                await pilot.pause(1.0)  # the poll reads another terminal's entries
                await settle(pilot)
                written.append(Path(app.save_screenshot(f"vote-counting-{lang}.svg", str(out))))

                store.recount_sector(vote.id, "B", "Hai tổ đếm lệch nhau")
                for sector, teller, n in (
                    ("B", "Tổ kiểm phiếu 3", (52, 1, 0)),
                    ("B", "Tổ kiểm phiếu 4", (52, 1, 0)),
                    ("C", "Tổ kiểm phiếu 6", (53, 0, 1)),
                ):
                    store.enter_count(vote.id, sector, teller, counts(store, vote.id, *n))
                await pilot.pause(1.0)
                await settle(pilot)
                written.append(Path(app.save_screenshot(f"vote-{lang}.svg", str(out))))

            # the other terminals at that moment: a late delegate at the side door, the hall
            late = voters[190]
            written.append(
                await door(db, clock, side_door, store.card_code(late.number, 0), out, lang)
            )
            written.append(await projector(db, clock, out, lang))

            # the afternoon: the rest of the morning's agenda, lunch, the election
            clock.wait(1)
            store.publish_vote(vote.id)
            item = to_the_election(store, clock, voters[3:30] + voters[191:-5])
            election(store, clock, item)
            app = make_app(store)
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                await pilot.press("f9")
                await settle(pilot)
                written.append(Path(app.save_screenshot(f"election-{lang}.svg", str(out))))

                await pilot.press("f3")
                await settle(pilot)
                await count_some(app, pilot)
                written.append(Path(app.save_screenshot(f"counting-{lang}.svg", str(out))))
        finally:
            store.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", nargs="+", default=["vi", "en"], choices=i18n.LANGUAGES)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for lang in args.lang:
        for path in asyncio.run(shoot(lang, args.out)):
            print(path)


if __name__ == "__main__":
    main()
