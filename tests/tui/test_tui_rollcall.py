"""The roll-call screen driven like a door: scanner bursts, results on screen, the database after.

A USB scanner is simulated by posting key events in a burst (pilot.press types at ~63 ms a key,
far slower than a scanner); `settle` waits for the Store workers and their messages.
"""

import random
from collections.abc import Callable
from datetime import UTC

import pytest

import tui.app
import tui.board
import tui.desk
from db.store import ScanResult, Store
from session.i18n import t
from session.rollcall import Action, Colour, Mode, Reason
from tests.harness.screens import banner, scan
from tui.app import PresidiumApp, make_app
from tui.testing import screen_text, settle, type_burst, wait_for
from tui.view import capitalised, ready_view
from tui.widgets.banners import ResultBanner
from tui.widgets.scan_input import ScanField
from tui.widgets.tables import MISSING_ROWS, MissingTable, RecentScans, UnitsTable
from tui.widgets.vitals import Vitals

SIZE = (160, 50)
GUEST = 7  # demo_register: number 7 is a guest
AZERTY = str.maketrans("0123456789", "à&é\"'(-è_ç")


def colour_of(app: PresidiumApp) -> str:
    classes = app.rollcall.query_one(ResultBanner).classes
    return next(c[1:] for c in classes if c in {"-green", "-yellow", "-red", "-info", "-ready"})


async def test_opens_ready_on_the_entry_mode_with_counts(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, ScanField)
        text = screen_text(app)
        assert t("mode.entry") in text and store.congress.stations[0] in text
        assert t("tui.result.ready") in text
        assert "Present 0" in text and "summoned 28" in text and "base 28" in text
        assert app.rollcall.query_one(MissingTable).total == 28
        assert app.rollcall.query_one(UnitsTable).row_count > 0


async def test_green_admission_shows_the_delegate_and_updates_counts(store: Store) -> None:
    seen: list[tuple[ScanResult, str]] = []
    app = make_app(store, on_result=lambda r: seen.append((r, banner(app))))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(app, pilot, store.card_code(2, 0))
        d = store.delegate(2)
        assert d is not None and d.present and d.station == store.congress.stations[0]
        text = banner(app)
        assert t("scan.admitted") in text
        assert d.full_name in text and d.unit in text and "Khu" in text  # seat sector
        assert colour_of(app) == "green"
        # on_result came after the banner showed the result
        assert len(seen) == 1 and seen[0][0].decision.reason is Reason.ADMITTED
        assert d.full_name in seen[0][1]
        screen = screen_text(app)
        assert "Present 1" in screen
        assert app.rollcall.query_one(MissingTable).total == 27
        assert 2 not in app.rollcall.query_one(MissingTable).numbers_shown()
        assert app.latencies and max(app.latencies) < 1.0


async def test_the_desk_sees_what_each_door_recorded(store: Store) -> None:
    """The operator's screen counts every station's entries, the other doors' included."""
    first, second = store.congress.stations[:2]
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"{first} 0 in, 0 out · {second} 0 in, 0 out" in screen_text(app)
        await scan(app, pilot, store.card_code(2, 0))  # at this desk's station
        store.scan(store.card_code(3, 0), Mode.ENTRY, second)  # another door's terminal
        await wait_for(pilot, lambda: f"{second} 1 in, 0 out (last " in screen_text(app))
        assert f"{first} 1 in, 0 out (last " in screen_text(app)


async def test_second_scan_is_yellow_with_time_and_station_and_changes_nothing(
    store: Store,
) -> None:
    app = make_app(store, station=store.congress.stations[1])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        code = store.card_code(3, 0)
        await scan(app, pilot, code)
        await scan(app, pilot, code)
        d = store.delegate(3)
        assert d is not None and d.present and d.since is not None
        since = d.since.replace(tzinfo=d.since.tzinfo or UTC).astimezone(store.congress.zone)
        expected = t(
            "scan.already_present",
            since=since.strftime(t("format.time")),
            station=store.congress.stations[1],
        )
        assert expected in banner(app)
        assert colour_of(app) == "yellow"
        assert store.check_in_counts()[3] == 1  # never a silent toggle
        assert len(store.attendance_log(number=3)) == 1


async def test_forged_code_is_red(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        good = store.card_code(4, 0)
        forged = good[:-1] + ("0" if good[-1] != "0" else "1")
        await scan(app, pilot, forged)
        assert t("scan.forged") in banner(app)
        assert colour_of(app) == "red"
        d = store.delegate(4)
        assert d is not None and not d.present


async def test_old_card_is_red_after_reissue_and_new_one_works(store: Store) -> None:
    old = store.card_code(5, 0)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        new = store.reissue_card(5, "lost in the car park")
        await scan(app, pilot, old)
        assert t("scan.revoked") in banner(app) and colour_of(app) == "red"
        await scan(app, pilot, new)
        assert t("scan.admitted") in banner(app) and colour_of(app) == "green"


async def test_unknown_number_names_the_number(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(app, pilot, store.card_code(4321, 0))
        assert t("scan.unknown_number", number=4321) in banner(app)
        assert colour_of(app) == "red"


async def test_guest_is_refused_at_a_voting_check(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3", "f3")
        assert app.mode is Mode.VOTING_CHECK
        assert t("mode.voting_check") in screen_text(app)
        await scan(app, pilot, store.card_code(GUEST, 0))
        assert colour_of(app) == "red"
        assert capitalised(t("scan.not_entitled", kind=t("kind.guest"))) in banner(app)
        d = store.delegate(GUEST)
        assert d is not None and not d.present
        await scan(app, pilot, store.card_code(8, 0))
        assert t("scan.entitled_admitted") in banner(app) and colour_of(app) == "green"


async def test_exit_mode_records_an_exit(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        code = store.card_code(6, 0)
        await scan(app, pilot, code)
        await pilot.press("f3")
        assert app.mode is Mode.EXIT
        assert t("mode.exit") in screen_text(app)
        await scan(app, pilot, code)
        assert t("scan.exit_recorded") in banner(app) and colour_of(app) == "green"
        d = store.delegate(6)
        assert d is not None and not d.present
        assert [e.action for e in store.attendance_log(number=6)] == [
            Action.CHECK_OUT,
            Action.CHECK_IN,
        ]
        await scan(app, pilot, code)  # out already: yellow, nothing recorded
        assert t("scan.not_in_hall") in banner(app) and colour_of(app) == "yellow"
        assert len(store.attendance_log(number=6)) == 2
        assert 6 in app.rollcall.query_one(MissingTable).numbers_shown()


async def test_scan_while_a_table_has_focus(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.rollcall.query_one(MissingTable)
        table.focus()
        await pilot.pause()
        assert app.focused is table
        await scan(app, pilot, store.card_code(9, 0))
        d = store.delegate(9)
        assert d is not None and d.present
        assert t("scan.admitted") in banner(app)
        assert isinstance(app.focused, ScanField)  # focus back on the scan field


async def test_azerty_digit_row_is_accepted(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(app, pilot, store.card_code(10, 0).translate(AZERTY))
        d = store.delegate(10)
        assert d is not None and d.present
        assert colour_of(app) == "green"
        app.rollcall.query_one(UnitsTable).focus()  # and through the key sniffer too
        await pilot.pause()
        await scan(app, pilot, store.card_code(12, 0).translate(AZERTY))
        d = store.delegate(12)
        assert d is not None and d.present


async def test_garbage_is_red_or_ignored_never_a_crash(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        events_before = store.last_seq()
        rng = random.Random(2025)
        await scan(app, pilot, "".join(chr(rng.randrange(32, 256)) for _ in range(300)))
        assert colour_of(app) == "red"
        await scan(app, pilot, "7" * 5000)  # a runaway line
        assert colour_of(app) == "red"
        assert t("scan.malformed") in banner(app)
        field = app.rollcall.query_one(ScanField)
        assert field.value == ""
        # control characters (ctrl+q, ctrl+p among them) inside a burst: no quitting, no palette
        await scan(app, pilot, "12\x11\x10\x01\x02\x03\x05\x0b\x15\x17abc\x7f\x1b[2~")
        assert app.screen is app.rollcall
        assert colour_of(app) == "red"
        # an empty Enter: nothing happens
        app.rollcall.show_result(ready_view(), remember=False)
        await scan(app, pilot, "")
        assert colour_of(app) == "ready"
        # random bytes while a table has focus: the sniffer ignores them
        app.rollcall.query_one(MissingTable).focus()
        await scan(app, pilot, "".join(chr(rng.randrange(0, 256)) for _ in range(500)))
        app.rollcall.focus_scan()
        await pilot.pause()
        assert app.screen is app.rollcall
        # nothing but refusals reached the log; a good card still works
        assert store.check_in_counts() == {}
        assert store.last_seq() == events_before
        await scan(app, pilot, store.card_code(14, 0))
        assert colour_of(app) == "green"


async def test_quorum_gauge_turns_green_and_back_red(store: Store) -> None:
    # base 28 (30 delegates, a guest and an alternate do not vote): decisions need 15 present
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        vitals = app.rollcall.query_one(Vitals)
        assert vitals.has_class("-not-ok")
        voters = [d.number for d in store.delegates() if d.votes]
        for n in voters[:14]:  # another terminal admits 14: the poll picks it up
            store.scan(store.card_code(n, 0), Mode.ENTRY, "cửa-phụ")
        await wait_for(pilot, lambda: "Present 14" in screen_text(app))
        assert vitals.has_class("-not-ok")
        assert t("quorum.problem.no_decision_possible", present=14, base=28, needs=15) in (
            screen_text(app)
        )
        await scan(app, pilot, store.card_code(voters[14], 0))
        assert vitals.has_class("-ok") and not vitals.has_class("-not-ok")
        text = screen_text(app)
        assert t("quorum.decision", present=15, base=28, needs=15) in text
        assert t("quorum.rule.vn_party_2014")[:40] in text
        assert app.rollcall.query_one(UnitsTable).row_count > 0
        await pilot.press("f3")  # exit mode: one leaves, the gauge is red again
        await scan(app, pilot, store.card_code(voters[14], 0))
        assert vitals.has_class("-not-ok")


async def test_recent_list_keeps_the_last_ten(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for n in range(15, 27):
            type_burst(app, store.card_code(n, 0))
        await settle(pilot)
        recent = app.rollcall.query_one(RecentScans)
        assert len(recent.lines) == 10
        last = store.delegate(26)
        assert last is not None and last.full_name in recent.lines[0]
        assert all(store.delegate(n).present for n in range(15, 27))  # type: ignore[union-attr]


async def test_result_returns_to_ready(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # Long enough that a loaded machine still sees the result before it goes; then wait for
    # "ready" however long the machine takes (the test checks what happens, not how fast).
    monkeypatch.setattr("tui.board.RESULT_SECONDS", 2.0)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(app, pilot, store.card_code(2, 0))
        assert colour_of(app) == "green"
        for _ in range(100):
            if colour_of(app) == "ready":
                break
            await pilot.pause(0.1)
        assert colour_of(app) == "ready"
        assert len(app.rollcall.query_one(RecentScans).lines) == 1


def test_colours_ring_distinct_bells() -> None:
    from tui.view import BELLS

    assert BELLS == {Colour.GREEN: 1, Colour.YELLOW: 2, Colour.RED: 3}


async def test_each_colour_rings_its_own_bells(store: Store) -> None:
    app = make_app(store)
    rings: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
        for code, expected in (
            (store.card_code(2, 0), 1),
            (store.card_code(2, 0), 2),
            ("0" * 36, 3),
        ):
            rings.clear()
            await scan(app, pilot, code)
            await pilot.pause(0.5)  # the bells are spaced ~150 ms apart
            assert len(rings) == expected, code


async def test_missing_list_is_capped_and_filled_in_batches(
    make_store: Callable[..., Store], sqlite_url: str
) -> None:
    store = make_store(sqlite_url, delegates=400)
    missing = [d.number for d in store.missing()]
    assert len(missing) > MISSING_ROWS
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.rollcall.query_one(MissingTable)
        assert table.total == len(missing)
        assert table.numbers_shown() == set(missing[:MISSING_ROWS])
        assert table.row_count == MISSING_ROWS
        title = str(table.border_title)
        assert t("tui.missing.capped", shown=MISSING_ROWS) in title
        # someone shown arrives: the next one in number order takes the free row
        await scan(app, pilot, store.card_code(missing[0], 0))
        assert table.numbers_shown() == set(missing[1 : MISSING_ROWS + 1])
        # and leaves again: back in its place, in order
        await pilot.press("f3")
        await scan(app, pilot, store.card_code(missing[0], 0))
        assert table.numbers_shown() == set(missing[:MISSING_ROWS])
        first = table.get_row_at(0)[0]
        assert first.plain == str(missing[0])


async def test_a_failing_read_is_said_once_and_scans_go_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tui.desk, "POLL_SECONDS", 0.5)  # the backstop poll, not the watcher
    app = make_app(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)

        def broken() -> int:
            raise RuntimeError("disk unplugged")

        with monkeypatch.context() as unplugged:
            unplugged.setattr(store, "last_seq", broken)
            await pilot.pause(1.6)  # polls fail
            await settle(pilot)
            said = [n.message for n in app._notifications]
            assert len([m for m in said if "disk unplugged" in m]) == 1
            await scan(app, pilot, store.card_code(2, 0))  # writes do not depend on the poll
            assert t("scan.admitted") in banner(app)
        # The next poll reads again by itself (within a few of them on a busy machine).
        await wait_for(pilot, lambda: "Present 1" in screen_text(app))


async def test_a_busy_door_s_cards_hold_nothing_back(store: Store) -> None:
    """A scan's Enter moves no focus: the next card's keys (100 ms later at a busy door) do not
    wait for the screen to settle, so results do not queue behind each other's redraws. A hand's
    Enter in the same field still holds what follows until it is handled."""
    seen: list[int] = []
    app = make_app(store, on_result=lambda r: seen.append(r.number))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        waits: list[str] = []
        keys = app._keys
        real_wait = keys._wait

        def counting_wait() -> None:
            waits.append("wait")
            real_wait()

        keys._wait = counting_wait
        for number in (2, 3, 4):
            type_burst(app, store.card_code(number, 0))
        await settle(pilot)
        assert seen == [2, 3, 4] and waits == []
        await pilot.press("1", "2", "enter")  # typed by hand: not a scan
        await settle(pilot)
        assert waits == ["wait"]


async def test_a_burst_goes_into_the_scan_field_at_once_and_hand_typing_still_works(
    store: Store,
) -> None:
    """A scanner's digits change the scan field once per burst, not once per digit (each change
    is a redraw the next card would wait behind); keys typed by hand land as typed, a Backspace
    after them included."""
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = app.rollcall.query_one(ScanField)
        changes: list[str] = []
        insert = field.insert_text_at_cursor

        def counted(text: str) -> None:
            changes.append(text)
            insert(text)

        field.insert_text_at_cursor = counted  # type: ignore[method-assign]
        code = store.card_code(5, 0)
        type_burst(app, code, enter=False)
        await settle(pilot)
        assert field.value == code
        assert 1 <= len(changes) < len(code) // 4, len(changes)
        field.value = ""
        await pilot.press("1", "2", "3", "backspace", "4")
        await settle(pilot)
        assert field.value == "124"


async def test_a_code_in_the_scan_field_lays_nothing_out_and_a_runaway_line_still_scrolls(
    store: Store,
) -> None:
    """Input gives itself its text's width as virtual width, and every change of that width
    lays the whole screen out again (twice a scan). The scan field keeps at least its own width:
    a code typed or cleared changes nothing but the field, and a line longer than the field
    still scrolls to its end (the code of a scanner that kept typing is at the end)."""
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = app.rollcall.query_one(ScanField)
        for number in (5, 6):
            type_burst(app, store.card_code(number, 0), enter=False)
            await settle(pilot)
            assert field.virtual_size.width == field.content_size.width
            field.value = ""
            await settle(pilot)
            assert field.virtual_size.width == field.content_size.width
        type_burst(app, "9" * 200, enter=False)
        await settle(pilot)
        assert field.virtual_size.width > field.content_size.width
        assert field.scroll_x > 0  # the cursor at the end, in view


async def test_a_scanner_s_code_goes_to_the_scan_unshown_and_hand_typing_shows_on_a_pause(
    store: Store,
) -> None:
    """A code and its Enter typed without a pause (a scanner) go to the scan with nothing drawn
    in the field first: a frame drawn for the digits would hold the answer's back by one or two
    frames. Typed by hand, the characters are in the field once the keys pause, at the cursor."""
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = app.rollcall.query_one(ScanField)
        shown: list[str] = []

        def changed(value: str) -> None:
            shown.append(value)

        field.watch(field, "value", changed, init=False)
        type_burst(app, store.card_code(5, 0))
        await settle(pilot)
        assert shown == [] and field.value == ""
        d = store.delegate(5)
        assert d is not None and d.present and colour_of(app) == "green"
        assert d.full_name in banner(app)
        await pilot.press("1", "2")
        await wait_for(pilot, lambda: field.value == "12")
        field.cursor_position = 1
        await pilot.press("9")
        await wait_for(pilot, lambda: field.value == "192")


async def test_a_long_answer_at_80_columns_ends_in_an_ellipsis_clear_of_its_time(
    store: Store,
) -> None:
    """At 80 x 24 the answer's headline has one line: one too long for it (an alternate's,
    in Vietnamese) ends in "…" a column short of the time instead of running into it."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await scan(app, pilot, store.card_code(13, 0))  # demo_register: 13 is an alternate
        headline = app.rollcall.query_one("#result-headline")
        time = app.rollcall.query_one("#result-time")
        assert time.region.x > headline.region.right
        line = screen_text(app).splitlines()[headline.region.y]
        assert "…" in line and line.rstrip().endswith(str(time.render()).strip())
