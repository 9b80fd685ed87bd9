"""A door station as a process of its own, for the failover tests and bench/failover.py: it scans
the codes of a file one after another into the congress at a URL (both servers of a primary and
its standby), and writes each acknowledged scan to a file (flushed and synced before the next
scan, as a door's green light is shown only once the Store has answered). A scan the Store could
not record (the primary lost) is scanned again, as the delegate would be asked to, until one is
acknowledged. No pytest here.

    python -m tests.harness.door_process URL STATION CODES ACKS
"""

import os
import sys
import time

from db.store import Store, StoreError
from session.rollcall import Mode

RETRY_SECONDS = 0.1


def read_acks(path: str) -> list[tuple[int, str, float]]:
    """The scans a door has acknowledged so far: (delegate number, the result's reason, when
    the Store answered, as time.time()); a line still being written is left for later."""
    with open(path) as f:
        lines = f.read().split("\n")[:-1]  # (only whole lines: the last has no newline yet)
    return [(int(n), reason, float(t)) for n, reason, t in (line.split() for line in lines)]


def open_door(url: str, station: str) -> Store:
    """The door's Store; while no server takes writes (a takeover under way) it is opened
    again, as the door's operator would start it again."""
    while True:
        try:
            return Store.open(url, terminal=f"door/{station}")
        except StoreError:
            time.sleep(RETRY_SECONDS)


def scan_all(url: str, station: str, codes: list[str], acks_path: str) -> None:
    with open_door(url, station) as store, open(acks_path, "a") as acks:
        for code in codes:
            while True:
                try:
                    result = store.scan(code, Mode.ENTRY, station)
                except StoreError:
                    time.sleep(RETRY_SECONDS)  # NOT CONNECTED: the same card again
                    continue
                break
            acks.write(f"{result.number} {result.decision.reason.value} {time.time()}\n")
            acks.flush()
            os.fsync(acks.fileno())


if __name__ == "__main__":
    url, station, codes_path, acks_path = sys.argv[1:5]
    with open(codes_path) as f:
        scan_all(url, station, [line.strip() for line in f if line.strip()], acks_path)
