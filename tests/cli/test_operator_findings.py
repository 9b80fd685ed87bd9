"""What a new user found running the congress from the screens alone (issue 7), one test each.

Each test drives the real app by its keys (tui.testing.press and type_burst, as a keyboard or a
scanner would) and reads the Store only to check what was, or was not, written. The number in
each test's name is the finding's in the issue; finding 16 (a refused command ends in a
traceback) is tested command by command in tests/cli/test_cli_refusals.py.
"""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from textual.widgets import Input

from db.store import Store
from presidium import cli
from presidium.demo import build_demo
from session import elections as el
from session.agenda import MotionKind
from session.ballots import BallotInput
from session.candidates import delegate_person_id
from session.i18n import t
from session.quorum import Status
from session.roles import Role
from session.rollcall import Mode
from session.votes import VoteStatus
from tests.harness.elections import counters, decide, election, open_count, prepare
from tests.harness.halls import COMMITTEE, E, Hall
from tests.harness.roles import PERSON, SECRET
from tui.app import PresidiumApp, make_app
from tui.dialog import Choice, ConfirmScreen, Dialog, NoticeScreen
from tui.elections.counting import CountingScreen
from tui.modals import AbsenceScreen, CorrectionScreen, ManualCheckInScreen
from tui.signin import SignInScreen
from tui.testing import press, screen_text, settle, type_burst, wait_for
from tui.widgets.meeting import NowBar

WIDE, LAPTOP = (160, 50), (80, 24)
DEMO = 50  # delegates: 46 voting, a decision needs 24


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    files = build_demo(tmp_path / "demo.db", DEMO, start=date.today())
    store = Store.open(str(files.db), terminal="test")
    for d in [d for d in store.delegates() if d.votes][:30]:
        store.scan(store.card_code(d.number, 0), Mode.ENTRY, "cửa-chính")
    yield store
    store.close()


def item(store: Store, number: int) -> str:
    return store.agenda_state().items[number - 1].key


def internal_ids(text: str) -> list[str]:
    return re.findall(r"\b(?:item|vote)-\d+\b", text)


async def typed(app: PresidiumApp, pilot: object, text: str, *keys: str) -> None:
    type_burst(app, text, enter=False)
    await settle(pilot)  # type: ignore[arg-type]
    await press(pilot, *keys)  # type: ignore[arg-type]


# ---------------------------------------------------------------- 1, 2: the election's F2


async def test_1_the_election_opens_its_vote_at_the_item_where_it_belongs(demo: Store) -> None:
    """Item 18 (the seats vote) running, F9, F2: the vote opens at item 18, not refused with
    "start item item-20 first"; no message names an internal id."""
    demo.start_item(item(demo, 18))
    app = make_app(demo)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f9", "f2")
        assert isinstance(app.screen, Dialog), screen_text(app)
        assert not internal_ids(screen_text(app))
        await press(pilot, "enter")
        assert app.screen is app.vote_screen, screen_text(app)
        vote = demo.vote_book().active
        assert vote is not None and vote.item == item(demo, 18)
        assert vote.motion is MotionKind.SEAT_COUNT and vote.proposal == 9
        assert not internal_ids(screen_text(app))


async def test_1_a_refusal_names_the_item_by_number_and_title(demo: Store) -> None:
    """The Store's own refusal (a vote on an item not running) names the item as the agenda
    screen shows it: its number and title."""
    with pytest.raises(Exception) as refused:
        demo.open_item_vote(item(demo, 20))
    said = str(refused.value)
    title = demo.agenda_state().items[19].item.title
    assert "20" in said and title in said and not internal_ids(said)


async def test_2_the_running_item_line_follows_at_once(demo: Store) -> None:
    """F7, F2 on an item, F9: the election screen's line shows that item straight away."""
    app = make_app(demo)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f9", "f7", *["down"] * 17, "f2")
        if isinstance(app.screen, ConfirmScreen):  # items before it not dealt with: asked
            await press(pilot, "enter")
        await press(pilot, "f9")
        title = demo.agenda_state().items[17].item.title
        now = app.election_screen.query_one(NowBar).text
        assert title in now, now


# ---------------------------------------------------------------- 3, 4, 5: the counting


@pytest.fixture
def listed(make_hall: Hall) -> Store:
    """A 3-seat committee election: 4 on the list, the list approved by its vote."""
    store = make_hall(COMMITTEE)
    item_key = prepare(store, E, 4)
    vote = decide(store, item_key, MotionKind.ELECTION_LIST)
    store.record_election(lambda _b, now: el.ListApproved(E, 1, vote, now))
    decide(store, item_key, MotionKind.PROCEDURAL_BODY)
    return store


async def test_3_a_candidate_is_refused_as_head_of_the_counting_committee(listed: Store) -> None:
    candidate = election(listed).on_list()[0].person
    app = make_app(listed)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f9", "f2")
        assert isinstance(app.screen, Dialog)
        seq = listed.last_seq()
        await typed(app, pilot, str(candidate.delegate), "enter")
        assert isinstance(app.screen, Dialog) and listed.last_seq() == seq
        assert candidate.full_name in screen_text(app)  # named, with the reason
        assert election(listed).committee is None
        head = counters(listed, 1)[0]
        await press(pilot, "ctrl+u")
        await typed(app, pilot, str(head), "enter")
        assert app.screen is app.election_screen
        committee = election(listed).committee
        assert committee is not None and committee.head == delegate_person_id(head)


@pytest.fixture
def counting(make_hall: Hall) -> Store:
    """Box 1 opened with 6 ballots found, counting started (one team)."""
    store = make_hall(COMMITTEE)
    open_count(store, E, prepare(store, E, 4), 6)
    return store


async def test_4_a_ballot_beyond_those_found_is_refused_and_a_wrong_one_voided(
    counting: Store,
) -> None:
    app = make_app(counting)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f9")
        blocker = t("election.blocker.entries_missing", box="1", team="A", entered=0, found=6,
                    missing=6)  # fmt: skip
        assert blocker in screen_text(app)  # what the step waits for, with the numbers
        await press(pilot, "f3")
        for _ in range(6):
            await typed(app, pilot, "1", "enter")
        seq = counting.last_seq()
        await typed(app, pilot, "2", "enter")  # a 7th ballot for a box that held 6
        assert counting.last_seq() == seq
        said = t("election.error.box_full", box="1", found=6, team="A", entered=6)
        assert said in screen_text(app)
        await press(pilot, "f7")  # void entry 6 (offered), with the reason, after the question
        await typed(app, pilot, "nhập nhầm", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "enter")
        await typed(app, pilot, "2", "enter")
        r = election(counting).current
        assert r.count is not None and len(r.count.voids) == 1
        assert [b.voided for b in r.count.team("A").ballots] == [False] * 5 + [True, False]
        assert r.count.totals().ballots == 6


async def test_5_invalid_needs_its_reason_and_an_empty_line_records_nothing(
    counting: Store,
) -> None:
    app = make_app(counting)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f9", "f3")
        seq = counting.last_seq()
        await press(pilot, "enter")  # an empty line
        assert counting.last_seq() == seq
        assert t("tui.counting.empty_line") in screen_text(app)
        await press(pilot, "f3")  # the invalid-ballot dialog: no reason chosen in advance
        dialog = app.screen
        assert isinstance(dialog, Dialog)
        reason = dialog.query_one("#choice", Choice)
        assert reason.chosen is None and app.focused is reason
        await press(pilot, "enter")  # Enter opens the list of reasons: nothing recorded
        assert reason.expanded and counting.last_seq() == seq
        await press(pilot, "escape")  # the list closes
        dialog.query_one("#confirm").press()  # (the button, with no reason: said what is missing)
        await settle(pilot)
        assert t("tui.dialog.missing", field=t("tui.counting.invalid_reason")) in screen_text(app)
        await press(pilot, "escape")
        assert counting.last_seq() == seq and isinstance(app.screen, CountingScreen)


# ---------------------------------------------------------------- 6: another item, a vote open


async def test_6_starting_another_item_with_a_vote_open_asks_first(demo: Store) -> None:
    demo.start_item(item(demo, 4))
    vote = demo.open_item_vote(item(demo, 4))
    app = make_app(demo)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f7", "down", "f2")  # item 5
        assert isinstance(app.screen, ConfirmScreen)
        assert vote.title in screen_text(app)  # what stays open, said
        await press(pilot, "escape")
        assert demo.agenda_state().current == item(demo, 4)
        await press(pilot, "f2", "enter")
        assert demo.agenda_state().current == item(demo, 5)
        still = demo.vote_book().get(vote.id)
        assert still is not None and still.status is VoteStatus.OPEN and still.item == vote.item


# ---------------------------------------------------------------- 7, 8: keys and sign-in


async def test_7_fast_typing_across_tab_lands_in_each_field(demo: Store) -> None:
    demo.start_item(item(demo, 4))
    demo.open_item_vote(item(demo, 4))
    app = make_app(demo)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f8", "f3")
        type_burst(app, "Tổ A1\t2\t0\t0\r", enter=False)  # no pauses at all
        await settle(pilot)
        vote = demo.vote_book().active
        assert vote is not None
        entry = vote.sector("A").entries[0]  # type: ignore[union-attr]
        assert entry.teller == "Tổ A1" and entry.tally.as_tuple() == (2, 0, 0)
        # Keys typed right after Enter in a form go where the form sends the cursor.
        await press(pilot, "f2")  # (the vote screen's F2 is off: nothing happens)
        await press(pilot, "escape", "f2")  # roll call, manual check-in
        assert isinstance(app.screen, ManualCheckInScreen)
        absent = next(d for d in demo.delegates() if d.votes and not d.present)
        type_burst(app, f"{absent.number}\rquên thẻ\r", enter=False)  # Enter: on to the reason
        await settle(pilot)
        await wait_for(pilot, lambda: app.screen is app.rollcall)
        entry_in = demo.attendance_log(1)[0]
        assert entry_in.number == absent.number and entry_in.reason == "quên thẻ"


async def test_7_a_passphrase_typed_fast_after_the_name_goes_in_its_field(
    demo: Store,
) -> None:
    demo.set_passphrase(Role.DOOR, SECRET)
    app = make_app(demo, role=Role.DOOR, station="cửa-phụ")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        type_burst(app, f"{PERSON}\t{SECRET}\r", enter=False)
        await settle(pilot)
        await wait_for(pilot, lambda: not isinstance(app.screen, SignInScreen))
        assert demo.events()[-1].operator == PERSON  # the sign-in event names the person


async def test_8_after_wrong_passphrases_the_cursor_stays_in_the_passphrase(
    demo: Store,
) -> None:
    demo.set_passphrase(Role.DOOR, SECRET)
    app = make_app(demo, role=Role.DOOR, station="cửa-phụ")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        await typed(app, pilot, PERSON, "tab")
        for n in range(3):
            await typed(app, pilot, f"sai {n}", "enter")
            await wait_for(pilot, lambda: "…" not in screen.message)
        field = screen.query_one("#signin-passphrase", Input)
        assert app.focused is field  # not the name field: what is typed next stays hidden
        await typed(app, pilot, SECRET, "enter")  # during the wait: refused, not checked
        assert screen.query_one("#signin-person", Input).value == PERSON
        assert SECRET not in screen_text(app)
        assert isinstance(app.screen, SignInScreen)


# ---------------------------------------------------------------- 9: all present in favour


async def test_9_all_present_in_favour_shows_in_every_sector(demo: Store) -> None:
    demo.start_item(item(demo, 4))
    vote = demo.open_item_vote(item(demo, 4))
    demo.confirm_unanimous(vote.id, "Tổ 1")
    demo.confirm_unanimous(vote.id, "Tổ 2")
    app = make_app(demo)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f8")
        text = screen_text(app)
        assert t("tui.vote.sector_unanimous") in text
        assert t("vote.sector_state.missing") not in text
        assert t("tui.now.vote_unanimous", status=t("vote.status.counted"), count=2) in text
        assert "0/3" not in text
        boxes = list(app.vote_screen.query("SectorBox"))
        assert len(boxes) == 3 and all(b.has_class("-confirmed") for b in boxes)


# ---------------------------------------------------------------- 10: one way for dialogs


async def test_10_a_confirmation_records_on_enter_and_esc_says_nothing_was(
    demo: Store,
) -> None:
    demo.start_item(item(demo, 4))
    vote = demo.open_item_vote(item(demo, 4))
    demo.confirm_unanimous(vote.id, "Tổ 1")
    demo.confirm_unanimous(vote.id, "Tổ 2")
    app = make_app(demo)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f8", "f6")
        assert isinstance(app.screen, ConfirmScreen)
        assert t("tui.dialog.confirm_hint", action=t("tui.publish.confirm")) in screen_text(app)
        await press(pilot, "escape")
        assert t("tui.dialog.cancelled", title=t("tui.publish.question", title=vote.title)) in (
            screen_text(app)
        )
        assert demo.vote_book().get(vote.id).status is VoteStatus.COUNTED  # type: ignore[union-attr]
        await press(pilot, "f6", "enter")
        assert demo.vote_book().get(vote.id).status is VoteStatus.PUBLISHED  # type: ignore[union-attr]


async def test_10_the_roll_call_dialogs_start_where_you_type(demo: Store) -> None:
    app = make_app(demo)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        voters = [d for d in demo.delegates() if d.votes]
        await press(pilot, "f4")  # the correction: the cursor in the number filter
        assert isinstance(app.screen, CorrectionScreen)
        assert app.focused is app.screen.query_one("#entry-filter")
        await typed(app, pilot, str(voters[3].number))
        await wait_for(pilot, lambda: app.screen.selected is not None  # type: ignore[attr-defined]
                       and app.screen.selected.number == voters[3].number)  # fmt: skip
        await press(pilot, "tab")
        assert app.focused is app.screen.query_one("#reason")  # not the list
        await press(pilot, "escape", "f2")  # the manual check-in: Tab from the search
        assert isinstance(app.screen, ManualCheckInScreen)
        await typed(app, pilot, "nguyen", "tab")
        assert app.focused is app.screen.query_one("#reason")
        await press(pilot, "escape", "f5")  # the absence: nothing chosen in advance
        assert isinstance(app.screen, AbsenceScreen)
        assert app.screen.choice() is None


# ---------------------------------------------------------------- 11, 12: 80 and 160 columns


async def test_11_at_80_by_24_every_key_and_figure_is_there(demo: Store) -> None:
    app = make_app(demo)
    async with app.run_test(size=LAPTOP) as pilot:
        await settle(pilot)
        text = screen_text(app)
        gauge = app.rollcall.query_one("#vitals")
        assert gauge.size.width >= 70  # the gauge the whole width, not one word a line
        assert re.search(r"Present 30 +· +summoned 46", text)
        for key in ("f6", "f9", "f12"):  # every key in the footer, none scrolled away
            assert re.search(rf"\b{key}\b", text), key
        await press(pilot, "f8")
        assert app.screen.max_scroll_y == 0  # the vote screen fits: its heading stays
        await press(pilot, "f9")
        assert app.screen.max_scroll_y == 0
        boxes = app.election_screen.query_one("#boxes")
        assert boxes.virtual_size.width <= boxes.size.width  # the box table not cut
    small = make_app(demo)
    async with small.run_test(size=(70, 20)) as pilot:
        await settle(pilot)
        assert isinstance(small.screen, NoticeScreen)
        assert t("tui.too_small.title") in screen_text(small)


async def test_12_at_160_columns_the_words_that_matter_are_whole(demo: Store) -> None:
    absent = next(d for d in demo.delegates() if d.votes and not d.present)
    demo.set_status(absent.number, Status.ABSENT_WHOLE, "ốm")
    app = make_app(demo)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert t("status.absent_whole_congress") in screen_text(app)  # whole, not "absent…"
        await press(pilot, "f7")
        text = screen_text(app)
        for kind in ("agenda.kind.election", "agenda.kind.vote", "agenda.kind.ceremony"):
            assert t(kind) in text, kind
        assert "Cấp ủy triệu tập đại hội" in text  # the presenter, whole
        await press(pilot, "f9")
        assert t("election.source.list") in screen_text(app)  # the candidate's source, whole


# ---------------------------------------------------------------- 13, 14: figures


async def test_13_a_teller_sees_their_sectors_present(demo: Store) -> None:
    demo.set_passphrase(Role.TELLER, SECRET)
    demo.start_item(item(demo, 4))
    vote = demo.open_item_vote(item(demo, 4))
    assert vote.snapshot is not None
    seated = vote.snapshot.in_sector("B")
    assert seated is not None and 0 < seated < vote.snapshot.present
    teller = Store.open(demo.url, terminal="teller")
    try:
        app = make_app(teller, role=Role.TELLER, sector="B")
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            await typed(app, pilot, PERSON, "tab")
            await typed(app, pilot, SECRET, "enter")
            await wait_for(pilot, lambda: not isinstance(app.screen, SignInScreen))
            await wait_for(pilot, lambda: app.screen.query_one("#number-present").value != "")
            shown = app.screen.query_one("#number-present").value  # type: ignore[attr-defined]
            assert shown == str(seated)
            assert t("roles.teller.present_sector", sector="B") in screen_text(app)
    finally:
        teller.close()


async def test_14_fewer_ballots_than_voters_and_a_wrong_clock_are_said(
    listed: Store, tmp_path: Path
) -> None:
    present = listed.snapshot().verdict.attendance.present
    app = make_app(listed)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f9", "f6")
        await typed(app, pilot, "10", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert t("sanity.print_below_present", copies=10, present=present) in screen_text(app)
        await press(pilot, "escape", "escape")
    stale = Store.open(listed.url, terminal="clock", clock=lambda: datetime(2019, 1, 2, tzinfo=UTC))
    try:
        late = make_app(stale)
        async with late.run_test(size=WIDE) as pilot:
            await settle(pilot)
            assert late.clock_warning and "2019-01-02" in late.clock_warning
    finally:
        stale.close()


# ---------------------------------------------------------------- 15, 17


def test_15_the_demo_s_note_is_shown_inside_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, str] = {}

    def run(args: object) -> int:
        seen["welcome"] = getattr(args, "welcome", "")
        return 0

    monkeypatch.setattr(cli, "cmd_run", run)
    assert cli.main(["demo", "--db", str(tmp_path / "d.db"), "--delegates", "30"]) == 0
    assert (
        "codes.pdf" in seen["welcome"] and t("cli.demo_howto", codes="")[:20] in (seen["welcome"])
    )


async def test_15_the_welcome_note_is_the_first_thing_on_screen(demo: Store) -> None:
    app = make_app(demo, welcome="Mã thẻ: demo/presidium-demo-codes.pdf")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NoticeScreen)
        assert "presidium-demo-codes.pdf" in screen_text(app)
        await press(pilot, "enter")
        assert app.screen is app.rollcall


async def test_17_ctrl_a_works_from_the_ballot_field_and_is_in_footer_and_palette(
    make_hall: Hall,
) -> None:
    store = make_hall(COMMITTEE)
    open_count(store, E, prepare(store, E, 4), 2, teams=("A", "B"))
    n = election(store).current.number
    for team, ballot in (("A", BallotInput.struck(1)), ("B", BallotInput.struck(2))):
        store.enter_ballot(E, n, team, "1", ballot)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f9", "f3")
        screen = app.screen
        assert isinstance(screen, CountingScreen)
        assert app.focused is screen.query_one("#ballot")
        assert "^a" in screen_text(app)  # in the footer
        titles = [c.title for c in app.get_system_commands(screen)]
        assert t("tui.command.counting_accept.title") in titles
        assert t("tui.command.counting_void.title") in titles
        await press(pilot, "ctrl+a")
        assert isinstance(app.screen, Dialog), screen_text(app)
        assert t("tui.counting.accept_title", batch="1") in screen_text(app)


def test_every_finding_but_16_has_its_test() -> None:
    names = [n for n in globals() if n.startswith("test_")]
    found = {int(m.group(1)) for n in names if (m := re.match(r"test_(\d+)_", n))}
    assert found == set(range(1, 18)) - {16}


async def test_opening_a_vote_with_nothing_running_does_not_say_an_item_ends(demo: Store) -> None:
    """Seen in tmux after the demo opened: F9, F2 said "(the running item ends)" with no item
    running; it says so only when one is."""
    app = make_app(demo)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f9", "f2")
        assert isinstance(app.screen, Dialog), screen_text(app)
        started = t("tui.election.vote_starts_item", item="#").split("#")[1]
        ending = t("tui.election.vote_starts_item_ending", item="#").split("#")[1]
        text = screen_text(app)
        assert started in text and ending not in text
        await press(pilot, "escape")
