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
typed, one marked invalid, the running tallies) and speakers-<lang>.svg (the list of speakers:
a prepared contribution at the microphone, the next speaker called, a point of order waiting).
The clock is fixed, so the pictures only change when the app does. The congress and its day are
built by tests/harness/scenes.py, which the snapshot tests (tests/tui/test_snapshots.py) share.
"""

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.store import Store  # noqa: E402
from session import i18n  # noqa: E402
from session.roles import Role  # noqa: E402
from tests.harness.scenes import (  # noqa: E402
    DISPUTED,
    RECOUNT_REASON,
    RECOUNTED,
    DemoClock,
    count_sectors,
    count_some,
    create,
    discussion,
    election,
    open_congress,
    to_the_election,
)
from tui.app import make_app  # noqa: E402
from tui.testing import settle, type_burst  # noqa: E402

SIZE = (160, 50)
DELEGATES = 300


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


async def shoot(lang: str, out: Path) -> list[Path]:
    i18n.use(lang)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "demo.db")
        clock = DemoClock()
        store = create(db, DELEGATES, clock)
        try:
            hall = open_congress(store, clock)
            voters, guest, side_door = hall.voters, hall.guest, hall.side_door

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
                vote = store.open_vote(store.create_vote(hall.agenda_item).id)
                count_sectors(store, vote.id, DISPUTED)
                await pilot.press("f8")
                await pilot.pause(1.0)  # the poll reads another terminal's entries
                await settle(pilot)
                written.append(Path(app.save_screenshot(f"vote-counting-{lang}.svg", str(out))))

                store.recount_sector(vote.id, "B", RECOUNT_REASON)
                count_sectors(store, vote.id, RECOUNTED)
                await pilot.pause(1.0)
                await settle(pilot)
                written.append(Path(app.save_screenshot(f"vote-{lang}.svg", str(out))))

            # the other terminals at that moment: a late delegate at the side door, the hall
            late = voters[hall.came]
            written.append(
                await door(db, clock, side_door, store.card_code(late.number, 0), out, lang)
            )
            written.append(await projector(db, clock, out, lang))

            # the afternoon: the rest of the morning's agenda, lunch, the election
            clock.wait(1)
            store.publish_vote(vote.id)
            item = to_the_election(store, clock, hall.latecomers())
            election(store, clock, item, hall)
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

                # the discussion's list of speakers: a prepared contribution at the microphone
                discussion(store, clock, hall)
                await pilot.press("escape")
                await settle(pilot)
                await pilot.press("f10")
                await pilot.pause(1.0)  # the list follows the log
                await settle(pilot)
                written.append(Path(app.save_screenshot(f"speakers-{lang}.svg", str(out))))
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
