"""The demo congress at the moments the pictures show: built through the Store, on a clock that
moves only when told, so that the same calls give the same database, event for event.

Shared by docs/make_screenshots.py (the docs' screenshots) and tests/tui/test_snapshots.py (the
snapshot tests): the morning's check-in and agenda up to 07:47:12 (:func:`open_congress`), the
day from there to the executive committee's election (:func:`to_the_election`), and that
election step by step (:func:`listed`, :func:`approved`, :func:`at_the_boxes`, :func:`voted`,
:func:`counting`). No pytest here.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from textual.pilot import Pilot
from textual.widgets import Button, Input, Select

from db.store import DelegateInfo, Store
from presidium.demo import prepare_list
from session import elections as el
from session.agenda import AgendaItem, ItemKind, ItemStatus, MotionKind
from session.ballots import BallotInput, InvalidReason
from session.candidates import delegate_person_id
from session.demo import DEMO_COMMITTEE, demo_congress, demo_register
from session.quorum import Kind, Status
from session.rollcall import Mode
from session.speakers import SpeechKind
from tui.app import PresidiumApp
from tui.testing import settle, type_burst

DAY = date(2025, 6, 20)
MOMENT = datetime(2025, 6, 20, 0, 47, 12, tzinfo=UTC)  # 07:47:12 in Hà Nội
OPENING = datetime(2025, 6, 20, 0, 30, tzinfo=UTC)  # 07:30: the first item starts
TELLERS = ("Tổ kiểm phiếu 1", "Tổ kiểm phiếu 2")
# The counting committee: voting delegates in the hall since the morning and on no list (the
# list is every eighth voter, presidium.demo.prepare_list), by their place among the voters;
# the head first.
COUNTERS = (33, 34, 35)
BOXES = {"A": "1", "B": "2", "C": "3"}  # a ballot box for each sector of the hall
# How often each name on the ballot (in ballot order) is kept on the afternoon's ballots.
KEPT = (0.96, 0.71, 0.93, 0.88, 0.52, 0.97, 0.83, 0.90, 0.45, 0.94, 0.86)
TYPED = ("2 9", "5 9 11")  # the ballots typed on the counting screen, before and after...
SIGNED = "Có chữ ký ở mặt sau"  # ...one marked invalid with F3
TYPED_AFTER = ("9 11", "2 5 9")


class DemoClock:
    """The store's clock: earlier moments while the morning is set up, then MOMENT, then the
    afternoon step by step."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now if now is not None else OPENING - timedelta(minutes=20)

    def __call__(self) -> datetime:
        return self.now

    def at(self, minutes: float) -> None:
        self.now = OPENING + timedelta(seconds=round(minutes * 60))

    def wait(self, minutes: float) -> None:
        self.now += timedelta(seconds=round(minutes * 60))


@dataclass(frozen=True)
class Hall:
    """Who is who in the demo register, as :func:`open_congress` seated them."""

    voters: list[DelegateInfo]  # the voting delegates, in register order
    guest: DelegateInfo
    side_door: str
    came: int  # voters[30:came] came in through the side door before 07:47
    agenda_item: str  # the agenda vote's item, running at 07:47
    presidium_vote: str  # the presidium's election, announced

    def latecomers(self) -> list[DelegateInfo]:
        """Those who come in after lunch: all but the first three (scanned at the desk at
        07:47), the one at the side door at 07:47 and the last five."""
        return self.voters[3:30] + self.voters[self.came + 1 : -5]

    def counters(self) -> tuple[str, ...]:
        """The counting committee's person ids, the head first."""
        return tuple(delegate_person_id(self.voters[i].number) for i in COUNTERS)


def counts(store: Store, vote_id: str, *n: int) -> dict[str, object]:
    vote = store.vote_book().get(vote_id)
    assert vote is not None
    return {o.value: c for o, c in zip(vote.options, n, strict=True)}


# A teller's count of a sector's hands: (sector, teller, (against, other)); those in favour are
# the rest of the sector's delegates present when the vote opened, whatever the hall's size.
Hands = tuple[tuple[str, str, tuple[int, int]], ...]


def count_sectors(store: Store, vote_id: str, entries: Hands) -> None:
    """Each teller's count entered, as the tellers' terminals would."""
    for sector, teller, (against, other) in entries:
        vote = store.vote_book().get(vote_id)
        assert vote is not None and vote.snapshot is not None
        here = vote.snapshot.in_sector(sector) or 0
        n = (here - against - other, against, other)
        store.enter_count(vote_id, sector, teller, counts(store, vote_id, *n))


def create(location: str, delegates: int, clock: DemoClock, terminal: str = "demo") -> Store:
    """The demo congress with `delegates` delegates in the register."""
    store = Store.create(location, demo_congress(delegates, DAY), terminal=terminal, clock=clock)
    try:
        store.import_register(demo_register(delegates), source="demo")
    except BaseException:
        store.close()
        raise
    return store


def open_congress(store: Store, clock: DemoClock, came: int = 190) -> Hall:
    """The morning up to 07:47:12: voters[30:came] in through the side door, two absences, the
    agenda as :func:`morning` leaves it; the clock at MOMENT."""
    everyone = store.delegates()
    voters = [d for d in everyone if d.votes]
    guest = next(d for d in everyone if d.kind is Kind.GUEST)
    side_door = store.congress.stations[1]
    for d in voters[30:came]:  # most of the hall came in through the side door
        store.scan(store.card_code(d.number, 0), Mode.ENTRY, side_door)
    store.set_status(voters[-1].number, Status.ABSENT_WHOLE, "ốm nằm viện")
    store.set_status(voters[-2].number, Status.ABSENT_EXCUSED, "đi công tác buổi sáng")
    agenda_item, presidium_vote = morning(store, clock)
    clock.now = MOMENT
    return Hall(voters, guest, side_door, came, agenda_item, presidium_vote)


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
    for sector, hands in (("A", (1, 0)), ("B", (0, 2)), ("C", (1, 0))):
        count_sectors(store, elect.id, tuple((sector, teller, hands) for teller in TELLERS))
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


# The agenda vote being counted, as other terminals enter it: sector A confirmed, B disputed,
# C waiting for its second teller; then B recounted and C's second count.
DISPUTED: Hands = (
    ("A", "Tổ kiểm phiếu 1", (0, 0)),
    ("A", "Tổ kiểm phiếu 2", (0, 0)),
    ("B", "Tổ kiểm phiếu 3", (1, 0)),
    ("B", "Tổ kiểm phiếu 4", (2, 0)),
    ("C", "Tổ kiểm phiếu 5", (0, 1)),
)
RECOUNTED: Hands = (
    ("B", "Tổ kiểm phiếu 3", (1, 0)),
    ("B", "Tổ kiểm phiếu 4", (1, 0)),
    ("C", "Tổ kiểm phiếu 6", (0, 1)),
)
RECOUNT_REASON = "Hai tổ đếm lệch nhau"


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


def discussion(store: Store, clock: DemoClock, hall: Hall) -> str:
    """The discussion item's list of speakers: a prepared contribution six minutes into its
    seven asked for, a comment from the floor called next, a point of order at the head of those
    waiting, a reply, and one in writing. Returns the item."""
    item = next(s.key for s in store.agenda_state().items if s.item.kind is ItemKind.DISCUSSION)
    speakers = (
        (hall.voters[4], SpeechKind.PREPARED, "Nâng cao năng lực lãnh đạo của tổ chức cơ sở", 7),
        (hall.voters[9], SpeechKind.FLOOR, "", 0),
        (hall.voters[15], SpeechKind.REPLY, "Về chỉ tiêu thu ngân sách", 0),
        (hall.voters[21], SpeechKind.WRITTEN, "Góp ý dự thảo báo cáo chính trị", 0),
        (hall.voters[12], SpeechKind.POINT_OF_ORDER, "", 0),
    )
    for i, (d, kind, title, minutes) in enumerate(speakers):
        if i == len(speakers) - 1:  # the point of order asked for once the next was called
            store.start_speech(item, 1)
            store.call_speaker(item, 2)
        store.add_speaker(item, d.full_name, kind, person=delegate_person_id(d.number),
                          unit=d.unit, title=title, asked=minutes * 60)  # fmt: skip
    clock.wait(6)
    return item


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


# ---------------------------------------------------------------- the election, step by step
# The executive committee's election through the Store, as the election screen's steps and the
# ballot desk write it. Each stage goes on from the one before.


def _step(
    store: Store, clock: DemoClock, minutes: float, build: Callable[[datetime], el.ElectionEvent]
) -> None:
    clock.wait(minutes)
    store.record_election(lambda _book, now: build(now))


def listed(store: Store, clock: DemoClock) -> None:
    """The election created with the convening committee's list: F2 asks for the seats."""
    prepare_list(store)
    clock.wait(2)


def approved(store: Store, clock: DemoClock, item: str) -> None:
    """The counting committee voted, the seats and the list set citing the votes of the two
    items before: F2 appoints the counting committee."""
    e = DEMO_COMMITTEE
    decided = {v.motion: v.id for v in store.vote_book().votes}
    unanimous(store, clock, item, motion=MotionKind.PROCEDURAL_BODY, title="Bầu Ban Kiểm phiếu")
    seats, listed = decided[MotionKind.SEAT_COUNT], decided[MotionKind.ELECTION_LIST]
    _step(store, clock, 1, lambda now: el.SeatsSet(e, 9, el.SeatsSource.VOTE, seats, 0, "", now))
    _step(store, clock, 1, lambda now: el.ListApproved(e, 1, listed, now))


def at_the_boxes(store: Store, clock: DemoClock, hall: Hall) -> None:
    """The counting committee appointed, a box prepared and sealed for each sector of the hall:
    F2 opens the voting."""
    e, counters = DEMO_COMMITTEE, hall.counters()
    procedural = [v for v in store.vote_book().votes if v.motion is MotionKind.PROCEDURAL_BODY]
    vote = procedural[-1].id
    _step(store, clock, 1, lambda now: el.CountersAppointed(e, counters[0], counters, vote, now))
    for box in BOXES.values():
        _step(store, clock, 1, lambda now, box=box: el.BoxPrepared(e, 1, box, el.BoxKind.MAIN, now))
    for box in BOXES.values():
        _step(store, clock, 1, lambda now, box=box: el.BoxSealed(e, 1, box, counters[:2], now))
    clock.wait(2)


def voted(store: Store, clock: DemoClock) -> dict[str, int]:
    """The voting opened, a ballot to each voter in the hall at the box of their sector; returns
    the ballots each box holds."""
    store.open_election_voting(DEMO_COMMITTEE, 1)
    returned = dict.fromkeys(BOXES.values(), 0)
    for d in (d for d in store.delegates(present=True) if d.votes):
        clock.wait(0.05)  # the ballot desk scans a card every 3 s
        store.issue_ballot(DEMO_COMMITTEE, 1, BOXES[d.sector], store.card_code(d.number, 0))
        returned[BOXES[d.sector]] += 1  # every ballot comes back
    return returned


def counting(store: Store, clock: DemoClock, hall: Hall, returned: dict[str, int]) -> None:
    """The boxes closed and opened, box 1 counted and box 2 half-way."""
    e, counters = DEMO_COMMITTEE, hall.counters()
    for box in BOXES.values():
        _step(store, clock, 1, lambda now, box=box: el.BoxClosed(e, 1, box, now))
    for box in BOXES.values():
        _step(
            store,
            clock,
            2,
            lambda now, box=box: el.BoxOpened(e, 1, box, returned[box], counters, now),
        )
    _step(store, clock, 1, lambda now: el.CountingStarted(e, 1, el.CountMode.BALLOTS, ("A",), now))
    rng = random.Random(2025)
    for box, found in (("1", returned["1"]), ("2", returned["2"] // 2)):
        for b in ballots(found, rng):
            clock.wait(0.1)  # a ballot read out every 6 s
            store.enter_ballot(e, 1, "A", box, b)
        if box == "1":
            _step(store, clock, 1, lambda now: el.BoxCounted(e, 1, "1", now))
    clock.wait(0.5)


def election(store: Store, clock: DemoClock, item: str, hall: Hall) -> None:
    """The whole election up to its counting (every stage above)."""
    listed(store, clock)
    approved(store, clock, item)
    at_the_boxes(store, clock, hall)
    counting(store, clock, hall, voted(store, clock))


async def count_some(app: PresidiumApp, pilot: Pilot[None]) -> None:
    """On the counting screen: ballots typed (struck names, Enter), one marked invalid (F3)."""
    for text in TYPED:
        type_burst(app, text)
        await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    mark_invalid(app)
    await settle(pilot)
    for text in TYPED_AFTER:
        type_burst(app, text)
        await settle(pilot)


def mark_invalid(app: PresidiumApp) -> None:
    """In the invalid-ballot form (F3 on the counting screen): signed, with the note; sent."""
    app.screen.query_one("#choice", Select).value = InvalidReason.SIGNED_OR_MARKED.value
    app.screen.query_one("#note", Input).value = SIGNED
    app.screen.query_one("#confirm", Button).press()
