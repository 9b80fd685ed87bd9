"""The operator's app writes every backup to a second place too (issue 16): after every published
result and on its interval, beside the congress file and in [backups] copy_to (or `presidium run
--copy-to`); a second place that is not there is said on screen once, the congress and the first
place go on, and the first copy written there again says so; a slow copy never holds the screen."""

import filecmp
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from db.backup import COPY_TO_VAR, describe, snapshots
from db.store import ScanResult, Store
from session.i18n import t
from session.rollcall import Mode
from tests.harness.votes import admit, resolution
from tui.app import make_app
from tui.testing import pause, scan_burst, settle, wait_for

MakeStore = Callable[..., Store]
SLOW = 30.0  # a backup of a congress file takes a few seconds on a busy machine
SIZE = (160, 50)


def published_vote(store: Store) -> str:
    """A result published at another terminal: the app's watcher sees it."""
    item = resolution(store)
    store.start_item(item)
    vote = store.open_item_vote(item)
    store.confirm_unanimous(vote.id, "Tổ 1")
    store.confirm_unanimous(vote.id, "Tổ 2")
    return store.publish_vote(vote.id).id


def scan_one_more(store: Store) -> None:
    voter = next(d for d in store.delegates() if d.votes and not d.present)
    store.scan(store.card_code(voter.number, 0), Mode.ENTRY, "d")


def said(app: Any, severity: str) -> list[str]:
    return [n.message for n in app._notifications if n.severity == severity]


async def test_both_places_after_a_result_and_on_the_interval(
    make_store: MakeStore, congress_data: dict[str, Any], sqlite_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv(COPY_TO_VAR, raising=False)
    usb = tmp_path / "usb" / "presidium"
    usb.mkdir(parents=True)
    congress_data["backups"] = {"every_minutes": 5, "keep": 3, "copy_to": str(usb)}
    store = make_store(sqlite_url)
    admit(store, 20)
    beside = Path(sqlite_url).parent / "backups"
    app = make_app(store)
    timers: list[tuple[float, Callable[[], object]]] = []
    set_interval = app.set_interval

    def spy(interval: float, callback: Callable[[], object], **kwargs: Any) -> Any:
        timers.append((interval, callback))
        return set_interval(interval, callback, **kwargs)

    monkeypatch.setattr(app, "set_interval", spy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (every,) = [callback for interval, callback in timers if interval == 5 * 60]
        published_vote(store)
        await wait_for(pilot, lambda: app.board.last_backup is not None, SLOW)
        done = app.board.last_backup
        assert done is not None and done.path is not None and done.complete
        (copy,) = done.copies
        assert copy.folder == usb and copy.path == usb / done.path.name
        assert filecmp.cmp(done.path, copy.path, shallow=False)
        assert describe(copy.path)[0] == store.last_seq()  # it holds the result

        scan_one_more(store)  # the congress goes on; the interval's turn
        await wait_for(pilot, lambda: app.desk.seen == store.last_seq(), SLOW)
        every()
        await wait_for(pilot, lambda: len(snapshots(usb, "congress")) == 2, SLOW)
        assert [p.name for p in snapshots(usb, "congress")] == [
            p.name for p in snapshots(beside, "congress")
        ]
        assert describe(snapshots(usb, "congress")[-1])[0] == store.last_seq()
        assert said(app, "error") == []


async def test_a_missing_second_place_is_said_once_and_its_return_too(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "usb"
    monkeypatch.setenv(COPY_TO_VAR, str(usb))  # as `presidium run --copy-to` sets it
    admit(store, 20)
    app = make_app(store)
    failed = t("tui.backup.copy_failed", folder=usb,
               detail=t("proceedings.backup.copy_missing", folder=usb))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        published_vote(store)
        await wait_for(pilot, lambda: app.board.last_backup is not None, SLOW)
        first = app.board.last_backup
        assert first is not None and first.path is not None and not first.complete
        assert describe(first.path)[0] == store.last_seq()  # nothing lost: the result is kept
        assert said(app, "error") == [failed] and not usb.exists()

        # Still unplugged: the interval tries again although nothing changed; said only once.
        app.desk.backup_if_changed()
        await wait_for(pilot, lambda: app.board.last_backup is not first, SLOW)
        assert said(app, "error") == [failed]
        scan_one_more(store)  # the congress goes on meanwhile
        await wait_for(pilot, lambda: app.desk.seen == store.last_seq(), SLOW)

        usb.mkdir()  # plugged in again
        app.desk.backup_if_changed()
        await wait_for(pilot, lambda: bool(snapshots(usb, "congress")), SLOW)
        await wait_for(pilot, lambda: app.board.last_backup.complete, SLOW)  # type: ignore[union-attr]
        (copy,) = snapshots(usb, "congress")
        assert describe(copy)[0] == store.last_seq()
        assert t("tui.backup.copy_back", folder=usb, path=copy) in said(app, "information")
        assert said(app, "error") == [failed]
        before = app.board.last_backup
        app.desk.backup_if_changed()  # all written, nothing changed: no copy to take
        await settle(pilot)
        assert app.board.last_backup is before


async def test_a_slow_copy_never_holds_the_screen(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setenv(COPY_TO_VAR, str(usb))
    release = threading.Event()
    copying = threading.Event()
    copyfileobj = shutil.copyfileobj

    def stuck(src: Any, dst: Any, length: int = 0) -> None:  # a USB stick that takes its time
        copying.set()
        release.wait(SLOW)
        copyfileobj(src, dst, length)

    monkeypatch.setattr(shutil, "copyfileobj", stuck)
    shown: list[ScanResult] = []
    app = make_app(store, on_result=shown.append)
    voter = next(d for d in store.delegates() if d.votes)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.desk.backup()
        while not copying.is_set():
            await pause(pilot)
        await scan_burst(pilot, store.card_code(voter.number, 0), wait=False)
        for _ in range(2000):  # the result shows while the copy is still under way
            if shown:
                break
            await pause(pilot)
        assert shown and shown[0].number == voter.number and app.board.last_backup is None
        release.set()
        await wait_for(pilot, lambda: app.board.last_backup is not None, SLOW)
        assert app.board.last_backup.complete  # type: ignore[union-attr]
