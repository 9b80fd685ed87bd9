"""The proceedings exported from the app (F12, with progress, then checked) and the app's rolling
backups of the congress file (after every announced result, and on its interval)."""

from pathlib import Path

from textual.widgets import Button, ProgressBar, Static

from db.backup import describe, snapshots
from db.store import Store
from printouts.export import verify_export
from session.i18n import t
from session.rollcall import Mode
from tests.harness.screens import export_to
from tests.harness.votes import admit, resolution
from tui.app import make_app
from tui.dialog import ConfirmScreen
from tui.testing import settle, wait_for

# An export or a backup of the demo congress takes a few seconds on a busy machine.
SLOW = 30.0

SIZE = (160, 50)


def published_vote(store: Store) -> str:
    item = resolution(store)
    store.start_item(item)
    vote = store.open_item_vote(item)
    store.confirm_unanimous(vote.id, "Tổ 1")
    store.confirm_unanimous(vote.id, "Tổ 2")
    return store.publish_vote(vote.id).id


async def test_export_from_the_app_is_written_checked_and_replaced_only_when_asked(
    store: Store, tmp_path: Path
) -> None:
    admit(store, 20)
    published_vote(store)
    out = tmp_path / "ho-so"
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await export_to(app, pilot, out)
        await wait_for(pilot, lambda: dialog.written is not None, SLOW)
        assert (out / "SHA256SUMS").exists() and (out / "minutes.pdf").exists()
        bar = dialog.query_one(ProgressBar)
        assert bar.total is not None and bar.progress == bar.total
        check = verify_export(store, out)
        status = str(dialog.query_one("#export-status", Static).content)
        assert status == t("tui.export.done", folder=str(out), files=check.files)
        await pilot.press("escape")
        await settle(pilot)

        # Again into the same folder: replaced only after "are you sure?".
        store.scan(
            store.card_code(
                next(d for d in store.delegates() if d.votes and not d.present).number, 0
            ),
            Mode.ENTRY,
            "d",
        )
        dialog = await export_to(app, pilot, out)
        assert isinstance(app.screen, ConfirmScreen)
        app.screen.query_one("#confirm", Button).press()
        await settle(pilot)
        await wait_for(pilot, lambda: dialog.written is not None, SLOW)
        assert verify_export(store, out).files == check.files

        # A folder that is not an export is never overwritten: said in the dialog.
        await pilot.press("escape")
        await settle(pilot)
        other = tmp_path / "other"
        other.mkdir()
        (other / "notes.txt").write_text("keep me", encoding="utf-8")
        dialog = await export_to(app, pilot, other)
        await wait_for(pilot, lambda: not dialog.running, SLOW)
        assert dialog.written is None
        assert str(dialog.query_one("#dialog-error", Static).content)
        assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]


async def test_a_backup_follows_every_announced_result(store: Store, tmp_path: Path) -> None:
    admit(store, 20)
    app = make_app(store)
    folder = Path(store.url.removeprefix("sqlite:///")).parent / "backups"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.board.last_backup is None
        published_vote(store)  # at another terminal: the poll sees it
        await wait_for(pilot, lambda: app.board.last_backup is not None, SLOW)
        assert app.board.last_backup is not None and app.board.last_backup.path is not None
        events, _hash = describe(app.board.last_backup.path)  # a congress file that verifies
        assert events == store.last_seq()
        # The interval's copy is taken only when something changed since the last one.
        first = snapshots(folder, "congress")
        app.desk.backup_if_changed()
        await settle(pilot)
        assert snapshots(folder, "congress") == first
        store.scan(
            store.card_code(
                next(d for d in store.delegates() if d.votes and not d.present).number, 0
            ),
            Mode.ENTRY,
            "d",
        )
        await wait_for(pilot, lambda: app.desk.seen == store.last_seq(), SLOW)
        app.desk.backup_if_changed()
        await wait_for(pilot, lambda: len(snapshots(folder, "congress")) == len(first) + 1, SLOW)
