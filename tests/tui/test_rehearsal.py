"""A whole congress rehearsed by keys alone, as the presidium's operator would run it (issue 7).

From `presidium demo`'s congress (50 delegates: 46 voting, base 46, a decision needs 24), only
key presses reach the app: the Store is used to read what happened and to assert it, never to
change anything. In Vietnamese and in English, each at 80×24 and at 160×50 (every screen of
every role in both languages at both sizes is also pictured by tests/tui/test_snapshots.py):

- the roll call: 30 cards scanned (scanner bursts), a forgotten card checked in by name (F2),
  a mistaken entry corrected (F4, with the confirmation that names it);
- the committee election, driven by F2 from the agenda's own items: the seats voted at item 18
  (the number put to the vote, then taken from it), the list voted at item 19, the counting
  committee voted at item 20 and chosen from the register by number; the ballots printed, the
  box sealed, voting, 30 ballots typed on the counting screen with one invalid (its reason
  chosen), an entry beyond the ballots found refused, a wrong entry voided (F7) and entered
  again; the counting minutes printed; three elected and two seats unfilled, so the congress
  votes another round, which elects the last two;
- the delegation election at item 22: created, its alternates voted, seven delegates put on its
  list (F4), the list and the counting committee voted, 30 ballots, the overflow beyond the
  official seats voted to become the alternate;
- the resolution voted at item 23, counted by two tellers in each hall sector, one sector's
  counts differing, recounted (F4) and confirmed, the result announced;
- the proceedings exported (F12).

It guards every later change to the screens: a key that no longer does what the screen says
fails here.
"""

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot

from db.store import Store
from presidium.demo import build_demo
from session import elections as el
from session import i18n
from session.agenda import ItemStatus
from session.demo import DEMO_COMMITTEE
from session.i18n import t
from session.rollcall import Action
from session.votes import SectorStatus, VoteStatus
from tui.app import PresidiumApp, make_app
from tui.dialog import ConfirmScreen, Dialog
from tui.elections.counting import CountingScreen
from tui.testing import press, scan_burst, screen_text, settle, type_burst, wait_for

DELEGATES = 50  # 46 voting delegates; the convening list is every eighth of them: 6 names
PRESENT = 30  # scanned in: a decision needs 24 of the base of 46
DELEGATION = "doan"
SIZES = {"wide": (160, 50), "laptop": (80, 24)}
# Each language once and each size once (about a minute and a half each, the longest tests of
# the suite): Vietnamese on the desk's screen, English on the laptop's. Every screen at both
# sizes in both languages is in the snapshots (tests/tui/test_snapshots.py).
RUNS = [("vi", "wide"), ("en", "laptop")]
# The resolution counted by sector: (first teller's, second teller's) counts in favour; sector
# B's second teller misread, the recount agrees.
SECTOR_COUNTS = {"A": (10, 10), "B": (10, 9), "C": (10, 10)}


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    files = build_demo(tmp_path / "demo.db", DELEGATES, start=date.today())
    store = Store.open(str(files.db), terminal="rehearsal")
    yield store
    store.close()


class Desk:
    """The operator's hands: keys and typing, nothing else; and eyes: the screen."""

    def __init__(self, app: PresidiumApp, pilot: Pilot[None]) -> None:
        self.app = app
        self.pilot = pilot

    async def keys(self, *keys: str) -> None:
        await press(self.pilot, *keys)

    async def type(self, text: str, *then: str) -> None:
        """Typed at a fast typist's speed (all at once), then the keys `then`."""
        type_burst(self.app, text, enter=False)
        await settle(self.pilot)
        await self.keys(*then)

    def sees(self, text: str) -> bool:
        return text in screen_text(self.app)

    async def until(self, condition: object, seconds: float = 20.0) -> None:
        await wait_for(self.pilot, condition, seconds)  # type: ignore[arg-type]

    def on(self, screen: object) -> None:
        assert self.app.screen is screen, (self.app.screen, screen_text(self.app))

    def in_dialog(self) -> Dialog[object]:
        dialog = self.app.screen
        assert isinstance(dialog, Dialog), (dialog, screen_text(self.app))
        return dialog

    async def yes(self) -> None:
        """Enter on the confirmation that names what will be recorded."""
        assert isinstance(self.app.screen, ConfirmScreen), screen_text(self.app)
        await self.keys("enter")


async def start_item(desk: Desk, store: Store, number: int) -> None:
    """F7, the cursor to item `number` of the running order, F2 (and Enter on the question
    that says what stays open)."""
    app = desk.app
    if app.screen is not app.agenda_screen:
        await desk.keys("f7")
    desk.on(app.agenda_screen)
    table = app.agenda_screen.query_one("#agenda-items")
    row = table.cursor_row  # type: ignore[attr-defined]
    step = "down" if number - 1 > row else "up"
    await desk.keys(*[step] * abs(number - 1 - row))
    await desk.keys("f2")
    if isinstance(app.screen, ConfirmScreen):
        await desk.yes()
    key = store.agenda_state().items[number - 1].key
    await desk.until(lambda: store.agenda_state().current == key)


async def vote_unanimously(desk: Desk, proposal: str = "") -> None:
    """F2 on the election screen opened the vote its step needs: the form (the number put to
    the vote), then two tellers confirm all in favour, F6 announces, and the election comes
    back by itself."""
    app = desk.app
    desk.in_dialog()
    if proposal:
        await desk.keys("ctrl+u")  # (clear the number offered)
        await desk.type(proposal)
    await desk.keys("enter")
    await desk.until(lambda: app.screen is app.vote_screen)
    for teller in ("Tổ 1", "Tổ 2"):
        await desk.keys("f5")
        desk.in_dialog()
        await desk.type(teller, "enter")
    await desk.keys("f6")
    await desk.yes()
    await desk.until(lambda: app.screen is app.election_screen)


async def next_step(desk: Desk, *then: str) -> None:
    """F2 on the election screen, then the keys `then`."""
    desk.on(desk.app.election_screen)
    await desk.keys("f2", *then)


def committee(store: Store) -> el.Election:
    found = store.election_book().get(DEMO_COMMITTEE)
    assert found is not None
    return found


def delegation(store: Store) -> el.Election:
    found = store.election_book().get(DELEGATION)
    assert found is not None
    return found


async def roll_call(desk: Desk, store: Store) -> None:
    voters = [d for d in store.delegates() if d.votes]
    for d in voters[1 : PRESENT + 1]:  # (number 1 forgot the card)
        await scan_burst(desk.pilot, store.card_code(d.number, 0))
    assert store.snapshot().verdict.attendance.present == PRESENT
    # Number PRESENT + 1 was scanned by mistake: corrected.
    mistaken = voters[PRESENT].number
    # The forgotten card: F2, the name without diacritics, Tab, the reason, Enter.
    await desk.keys("f2")
    await desk.type("nguyen van khoe", "tab")
    await desk.type("quên thẻ", "enter")
    await desk.until(lambda: desk.app.screen is desk.app.rollcall)
    khoe = store.delegate(1)
    assert khoe is not None and khoe.present
    entry = store.attendance_log(1)[0]
    assert entry.method == "manual" and entry.reason == "quên thẻ"
    # F4: the number filters the entries, Tab, the reason, Enter, and the confirmation.
    await desk.keys("f4")
    await desk.type(str(mistaken), "tab")
    await desk.type("quét nhầm thẻ", "enter")
    assert desk.sees(t("tui.correct.confirm"))
    await desk.yes()
    await desk.until(lambda: not store.delegate(mistaken).present)  # type: ignore[union-attr]
    last = store.attendance_log(1)[0]
    assert last.is_correction and last.number == mistaken
    assert last.action is Action.CHECK_OUT
    assert store.snapshot().verdict.attendance.present == PRESENT


async def count_box(
    desk: Desk, ballots: list[str], *, invalid: int = 0, void: bool = False
) -> None:
    """F2 (the next step is to enter the ballots) opens the counting screen: each ballot's
    struck numbers and Enter; `invalid` ballots with F3 (the reason chosen); with `void`, one
    entry too many is refused, the wrong one voided (F7) and the right one entered; Esc."""
    app = desk.app
    await next_step(desk)
    assert isinstance(app.screen, CountingScreen), screen_text(app)
    counting = app.screen
    for text in ballots:
        await desk.type(text, "enter")
    for _ in range(invalid):
        await desk.keys("f3")
        desk.in_dialog()  # nothing is chosen in advance: Enter opens the list of reasons
        await desk.keys("enter", "down", "enter")  # the second reason chosen
        await desk.keys("enter")  # recorded
    if void:
        await desk.type(ballots[0], "enter")  # one more than the box held: refused
        assert counting.query_one("#counting-status").has_class("-refused")
        await desk.keys("f7")  # the last entry is the wrong one: voided with the reason
        desk.in_dialog()  # (the cursor starts in the reason: the entry's number is offered)
        await desk.type("nhập nhầm phiếu", "enter")
        await desk.yes()
        await desk.type(ballots[0], "enter")  # and the right one entered
    await desk.keys("escape")
    desk.on(app.election_screen)


async def election_round(
    desk: Desk,
    store: Store,
    get: object,
    ballots: list[str],
    *,
    first: bool,
    invalid: int = 0,
    void: bool = False,
) -> None:
    """From the approved list to the announced result: box, seal, voting, ballots issued, box
    closed and opened, counting, the box counted, the minutes signed and printed, announced."""
    election = get  # a function of the store
    if first:
        await next_step(desk, "enter")  # the box, "1", the main one
    await next_step(desk, "enter")  # sealed by the committee named
    await next_step(desk, "enter")  # voting opens (no reason needed)...
    await desk.yes()  # ...after the question
    await next_step(desk, "enter")  # a ballot to each voter present
    await next_step(desk)  # the box closed: the confirmation
    await desk.yes()
    await next_step(desk)
    await desk.type(str(len(ballots) + invalid), "enter")  # the ballots found; opened by...
    await next_step(desk, "enter")  # counting starts: one team, ballot by ballot
    await count_box(desk, ballots, invalid=invalid, void=void)
    r = election(store).current  # type: ignore[operator]
    assert r.count is not None and r.count.totals().ballots == len(ballots) + invalid
    await next_step(desk)  # the box counted
    await desk.yes()
    await next_step(desk, "enter")  # the minutes signed by the committee
    app = desk.app
    app.election_screen.last_printed = None
    await desk.keys("f6")  # the counting minutes
    await desk.until(lambda: app.election_screen.last_printed is not None, seconds=30)
    await next_step(desk)  # announced
    await desk.yes()
    assert election(store).round(r.number).announced_at is not None  # type: ignore[operator]


async def committee_election(desk: Desk, store: Store) -> None:
    app = desk.app
    await start_item(desk, store, 18)  # "Biểu quyết số lượng Ban Chấp hành khóa mới"
    await desk.keys("f9")
    desk.on(app.election_screen)
    # The seats: F2 opens the vote at item 18 (the number put to the vote), then takes it.
    await next_step(desk)
    await vote_unanimously(desk, proposal="5")  # 6 names for 5 seats: one more, at most
    await next_step(desk, "enter")
    assert committee(store).seats == 5
    # The list: voted at item 19, which F2 starts first.
    await next_step(desk)
    await vote_unanimously(desk)
    item_19 = store.agenda_state().items[18].key
    assert store.vote_book().for_item(item_19)[-1].status is VoteStatus.PUBLISHED
    await next_step(desk, "enter")
    await desk.yes()
    assert committee(store).current.approved_at is not None
    app.election_screen.last_printed = None
    await desk.keys("f6", "enter")  # the ballots: as many as present plus the margin
    await desk.until(lambda: app.election_screen.last_printed is not None, seconds=30)
    # The counting committee: voted at the election's own item 20, chosen from the register.
    await next_step(desk)
    await vote_unanimously(desk)
    voters = [d for d in store.delegates() if d.votes]
    listed = {c.person.delegate for c in committee(store).on_list()}
    a_candidate = next(iter(listed))
    head, member = [d.number for d in voters if d.number not in listed][2:4]
    await next_step(desk)
    await desk.type(str(a_candidate), "enter")  # a candidate: refused with the reason
    assert isinstance(app.screen, Dialog) and committee(store).committee is None
    await desk.keys("ctrl+u")
    await desk.type(str(head), "tab")
    await desk.type(str(member), "enter")
    c = committee(store).committee
    assert c is not None and len(c.members) == 2
    # Round 1: the ballots keep names 1-3 (4-6 struck), one more is invalid, one voided.
    await election_round(
        desk, store, committee, ["4 5 6"] * (PRESENT - 1), first=True, invalid=1, void=True
    )
    e = committee(store)
    assert len(el.outcome(e).elected) == 3 and el.outcome(e).step is el.Step.NEXT_ROUND
    if app.size.width >= 160:  # the outcomes whole beside the figures (names 4-6: no votes)
        assert desk.sees(t("election.outcome.below_threshold"))
    assert e.round(1).count is not None and len(e.round(1).count.voids) == 1
    # Two seats unfilled: the congress votes another round.
    await next_step(desk)
    await vote_unanimously(desk)
    await next_step(desk, "enter", "enter")  # the choice: the first, another round
    await desk.keys("enter")
    assert committee(store).current.number == 2
    await next_step(desk, "enter")  # its list (the three not elected) approved
    await desk.yes()
    await election_round(desk, store, committee, ["3"] * PRESENT, first=True)
    out = el.outcome(committee(store))
    assert out.step is el.Step.COMPLETE and len(out.elected) == 5


async def delegation_election(desk: Desk, store: Store) -> None:
    app = desk.app
    await start_item(desk, store, 22)  # "Bầu đoàn đại biểu đi dự đại hội cấp trên"
    await desk.keys("f9")
    await next_step(desk, "enter")  # created from the congress file
    await next_step(desk)  # its alternates are voted (the official seats are allocated)
    assert desk.sees(t("vote.motion.alternate_count"))  # (not a committee's size)
    await vote_unanimously(desk, proposal="1")
    await next_step(desk)  # the official seats: 5 as allocated, the alternates as voted
    assert desk.sees(t("tui.election.alternates_from_vote", title="")[:30])
    await desk.keys("enter")
    assert (delegation(store).seats, delegation(store).alternate_seats) == (5, 1)
    voters = [d for d in store.delegates() if d.votes]
    taken = {
        p
        for e in store.election_book().elections
        for p in (e.committee.members if e.committee else ())
    }
    names = [d.number for d in voters if f"d{d.number:05d}" not in taken][-7:]
    for number in names:  # F4: the number, Tab to the source, the first one (the list), Enter
        await desk.keys("f4")
        await desk.type(str(number), "tab", "down", "up", "enter", "enter")
        desk.on(app.election_screen)
    assert len(delegation(store).on_list()) == 7
    await next_step(desk)  # the list vote
    await vote_unanimously(desk)
    await next_step(desk, "enter")
    await desk.yes()
    await next_step(desk)  # the counting committee, voted at this item too
    await vote_unanimously(desk)
    await next_step(desk, "enter")  # the same members as before, offered
    # The ballots keep five of the seven: name k struck on n_k ballots, and name 7 on all: 25,
    # 25, 25, 25, 26 and 24 votes, every one more than half the base; the sixth is beyond the
    # five official seats.
    struck = {1: 5, 2: 5, 3: 5, 4: 5, 5: 4, 6: 6}
    ballots = [f"{k} 7" for k, n in struck.items() for _ in range(n)]
    await election_round(desk, store, delegation, ballots, first=True)
    assert el.outcome(delegation(store)).step is el.Step.OVERFLOW
    await next_step(desk)  # the overflow beyond the official seats: the congress decides
    await vote_unanimously(desk)
    await next_step(desk, "enter", "enter", "enter")  # yes (the first choice), recorded
    out = el.outcome(delegation(store))
    assert out.step is el.Step.COMPLETE and len(out.elected) == 5 and len(out.alternates) == 1


async def resolution_by_sectors(desk: Desk, store: Store) -> None:
    await start_item(desk, store, 23)  # "Thông qua Nghị quyết đại hội"
    await desk.keys("f8", "f2")
    vote = store.vote_book().active
    assert vote is not None and vote.status is VoteStatus.OPEN
    codes = list(SECTOR_COUNTS)
    for i, (code, counts) in enumerate(SECTOR_COUNTS.items()):
        for n, teller in zip(counts, (f"Tổ {code}1", f"Tổ {code}2"), strict=True):
            await desk.keys("f3")
            desk.in_dialog()
            await desk.type(teller, "tab")
            await desk.type(str(n), "tab")
            await desk.type("0", "tab")
            await desk.type("0", "enter")
        if code == "B":  # the two tellers differ: recounted
            disputed = store.vote_book().get(vote.id).sector("B")  # type: ignore[union-attr]
            assert disputed is not None and disputed.status is SectorStatus.DISPUTED
            await desk.keys("f4")
            await desk.type("hai tổ lệch nhau, đếm lại", "enter")
            for teller in ("Tổ B1", "Tổ B3"):
                await desk.keys("f3")
                await desk.type(teller, "tab")
                await desk.type("10", "tab")
                await desk.type("0", "tab")
                await desk.type("0", "enter")
        if i + 1 < len(codes):
            await desk.keys("right")  # the next sector
    counted = store.vote_book().get(vote.id)
    assert counted is not None and counted.status is VoteStatus.COUNTED
    assert counted.verdict is not None and counted.verdict.passed
    await desk.keys("f6")
    await desk.yes()
    assert store.vote_book().get(vote.id).status is VoteStatus.PUBLISHED  # type: ignore[union-attr]


async def export(desk: Desk, store: Store, folder: Path) -> None:
    await desk.keys("f12")
    desk.in_dialog()
    await desk.keys("ctrl+u")
    await desk.type(str(folder), "enter")
    await desk.until(lambda: (folder / "SHA256SUMS").exists(), seconds=120)
    await desk.until(
        lambda: desk.sees(t("tui.export.done", folder=str(folder.resolve()), files="")[:20])
    )
    await desk.keys("escape")


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "size"), RUNS)
async def test_a_whole_congress_by_keys_alone(
    demo: Store, tmp_path: Path, lang: str, size: str
) -> None:
    i18n.use(lang)
    app = make_app(demo)
    started = time.monotonic()
    async with app.run_test(size=SIZES[size]) as pilot:
        desk = Desk(app, pilot)
        await settle(pilot)
        phases = (
            ("roll call", lambda: roll_call(desk, demo)),
            ("committee", lambda: committee_election(desk, demo)),
            ("delegation", lambda: delegation_election(desk, demo)),
            ("resolution", lambda: resolution_by_sectors(desk, demo)),
            ("export", lambda: export(desk, demo, tmp_path / "proceedings")),
        )
        for name, phase in phases:
            began = time.monotonic()
            await phase()
            print(f"  {name}: {time.monotonic() - began:.1f} s")
    assert demo.verify() is None
    states = {s.status for s in demo.agenda_state().items}
    assert ItemStatus.RUNNING in states
    assert all(v.status is VoteStatus.PUBLISHED for v in demo.vote_book().votes)
    print(f"rehearsal {lang} {size}: {time.monotonic() - started:.1f} s")
