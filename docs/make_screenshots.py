"""SVG screenshots of the operator's app for the docs, from a demo congress driven headless.

    uv run python docs/make_screenshots.py [--lang vi en] [--out docs/screenshots]

Writes, per language: rollcall-<lang>.svg (the roll call after a few scans), manual-<lang>.svg
(the manual check-in dialog finding "nguyen van khoe") and help-<lang>.svg (the help screen).
The clock is fixed, so the pictures only change when the app does.
"""

import argparse
import asyncio
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.store import Store  # noqa: E402
from session import i18n  # noqa: E402
from session.demo import demo_congress, demo_register  # noqa: E402
from session.quorum import Kind, Status  # noqa: E402
from session.rollcall import Mode  # noqa: E402
from tui.app import make_app  # noqa: E402
from tui.testing import settle, type_burst  # noqa: E402

SIZE = (160, 50)
DELEGATES = 300
MOMENT = datetime(2025, 6, 20, 0, 47, 12, tzinfo=UTC)  # 07:47:12 in Hà Nội


async def shoot(lang: str, out: Path) -> list[Path]:
    i18n.use(lang)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        congress = demo_congress(DELEGATES, date(2025, 6, 20))
        store = Store.create(
            str(Path(tmp) / "demo.db"), congress, terminal="demo", clock=lambda: MOMENT
        )
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
