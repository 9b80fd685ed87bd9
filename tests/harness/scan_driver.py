"""Run the real operator app headless and feed it scanner bursts read from stdin.

    python -m tests.harness.scan_driver --db PATH [--station NAME]

Each stdin line is typed into the app as a scanner would (a burst of keys and Enter). When the
app has put the result on screen it calls `on_result`, and only then does this print
``ACK <number> <reason> <attendance id>`` (flushed), so a test that kills this process knows
exactly which scans were acknowledged to the door staff.
"""

import argparse
import asyncio
import sys

from db.store import ScanResult, Store
from tui.app import make_app
from tui.testing import scan_burst


async def drive(db: str, station: str | None) -> None:
    store = Store.open(db, terminal=station or "harness")
    acknowledged = asyncio.Queue[ScanResult]()

    def on_result(result: ScanResult) -> None:
        number = result.delegate.number if result.delegate else 0
        print(
            f"ACK {number} {result.decision.reason.value} {result.attendance_id or 0}", flush=True
        )
        acknowledged.put_nowait(result)

    app = make_app(store, station=station, on_result=on_result)
    async with app.run_test(size=(160, 50)) as pilot:
        print("READY", flush=True)
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:
                break
            await scan_burst(pilot, line.strip())
            await asyncio.wait_for(acknowledged.get(), timeout=30)
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--station")
    args = parser.parse_args()
    asyncio.run(drive(args.db, args.station))


if __name__ == "__main__":
    main()
