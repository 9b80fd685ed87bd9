"""The operator's app on both backends: the same door flow on a SQLite file and on PostgreSQL,
and two app instances (two doors) on one database seeing each other's scans."""

from collections.abc import Callable

from db.store import ScanResult, Store
from session.rollcall import Mode, Reason
from tui.app import make_app
from tui.testing import scan_burst, screen_text, settle

MakeStore = Callable[..., Store]


async def test_door_flow_through_the_app(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=30)
    voter = next(d for d in store.delegates() if d.votes)
    code = store.card_code(voter.number, voter.card_issue)
    forged = code[:-1] + str((int(code[-1]) + 3) % 10)
    shown: list[ScanResult] = []
    app = make_app(store, on_result=shown.append)

    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        for raw in (code, code, forged):
            await scan_burst(pilot, raw)
        text = screen_text(app)

    assert [r.decision.reason for r in shown] == [
        Reason.ADMITTED,
        Reason.ALREADY_PRESENT,
        Reason.FORGED,
    ]
    assert voter.full_name in text
    assert store.check_in_counts() == {voter.number: 1}
    assert store.verify() is None


async def test_second_door_sees_first_doors_scan(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=30)
    other = Store.open(db_url, terminal="door-2")
    voter = next(d for d in store.delegates() if d.votes)
    shown: list[ScanResult] = []
    app = make_app(other, station="door-2", on_result=shown.append)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            assert "Present 0" in screen_text(app)
            store.scan(store.card_code(voter.number, 0), Mode.ENTRY, "door-1")
            for _ in range(40):  # the app polls the log; give it up to 4 s
                await pilot.pause(0.1)
                if "Present 1" in screen_text(app):
                    break
            assert "Present 1" in screen_text(app), "the other door's scan never showed"
            await scan_burst(pilot, store.card_code(voter.number, 0))
        assert shown[0].decision.reason is Reason.ALREADY_PRESENT
        assert shown[0].previous_station == "door-1"
    finally:
        other.close()
