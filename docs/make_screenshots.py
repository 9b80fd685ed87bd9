"""SVG screenshots of the operator's app for the docs, from a demo congress driven headless.

    uv run python docs/make_screenshots.py [--lang vi en] [--out docs/screenshots]

Writes, per language: rollcall-<lang>.svg (the roll call after a few scans), manual-<lang>.svg
(the manual check-in dialog finding "nguyen van khoe"), help-<lang>.svg (the help screen),
agenda-<lang>.svg (the agenda in the morning: items done, one skipped, one added, one running
near its end), vote-<lang>.svg (a vote counted, with its verdict and arithmetic) and
vote-counting-<lang>.svg (a vote being counted: sectors confirmed, disputed, waiting).
The clock is fixed, so the pictures only change when the app does.
"""

import argparse
import asyncio
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.store import Store  # noqa: E402
from session import i18n  # noqa: E402
from session.agenda import AgendaItem, ItemKind  # noqa: E402
from session.demo import demo_congress, demo_register  # noqa: E402
from session.quorum import Kind, Status  # noqa: E402
from session.rollcall import Mode  # noqa: E402
from tui.app import make_app  # noqa: E402
from tui.testing import settle, type_burst  # noqa: E402

SIZE = (160, 50)
DELEGATES = 300
MOMENT = datetime(2025, 6, 20, 0, 47, 12, tzinfo=UTC)  # 07:47:12 in Hà Nội
OPENING = datetime(2025, 6, 20, 0, 30, tzinfo=UTC)  # 07:30: the first item starts


class DemoClock:
    """The store's clock: earlier moments while the morning is set up, then MOMENT."""

    def __init__(self) -> None:
        self.now = OPENING - timedelta(minutes=20)

    def __call__(self) -> datetime:
        return self.now

    def at(self, minutes: float) -> None:
        self.now = OPENING + timedelta(seconds=round(minutes * 60))


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
        for teller in ("Tổ kiểm phiếu 1", "Tổ kiểm phiếu 2"):
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


async def shoot(lang: str, out: Path) -> list[Path]:
    i18n.use(lang)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        congress = demo_congress(DELEGATES, date(2025, 6, 20))
        clock = DemoClock()
        store = Store.create(str(Path(tmp) / "demo.db"), congress, terminal="demo", clock=clock)
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
