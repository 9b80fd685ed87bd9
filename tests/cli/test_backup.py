"""Backups (db/backup.py) and `presidium restore`: rolling snapshots taken with SQLite's online
backup API while the store is open, restored after confirmation, verified before and after;
a backup that does not verify, a "no", and PostgreSQL are refused."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from db.backup import BackupError, restore, snapshot, snapshots
from db.store import Store
from presidium.cli import main
from tests.harness.rollcall import admit_voters

MakeStore = Callable[..., Store]


def _events(path: Path | str) -> int:
    with Store.open(str(path)) as store:
        assert store.verify() is None
        return store.last_seq()


def test_snapshots_are_consistent_copies_and_roll(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path
) -> None:
    store = make_store(sqlite_url, delegates=30)
    folder = tmp_path / "backups"
    taken = []
    for i in range(4):
        admit_voters(store, 2, start=2 * i)
        taken.append(snapshot(store, folder, keep=2))  # the store stays open and writable
    kept = snapshots(folder, Path(sqlite_url).stem)
    assert kept == taken[-2:] and not any(p.suffix == ".part" for p in folder.iterdir())
    assert _events(kept[-1]) == store.last_seq()
    assert _events(kept[0]) == store.last_seq() - 2
    assert f"-e{store.last_seq():07d}.db" in kept[-1].name


def test_restore_brings_back_the_snapshot_and_keeps_the_current_file(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path
) -> None:
    store = make_store(sqlite_url, delegates=30)
    admit_voters(store, 5)
    backup = snapshot(store, tmp_path / "backups")
    at_backup = store.last_seq()
    admit_voters(store, 5, start=5)  # the congress goes on; then the file is damaged
    later = store.last_seq()
    store.close()
    asked: list[str] = []

    message = restore(sqlite_url, backup, lambda q: asked.append(q) or True)

    assert _events(sqlite_url) == at_backup
    assert len(asked) == 1 and f"({later} " in asked[0] and f"({at_backup} " in asked[0]
    kept = [p for p in Path(sqlite_url).parent.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1 and _events(kept[0]) == later and str(kept[0]) in message


def test_no_confirmation_restores_nothing(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    store = make_store(sqlite_url, delegates=30)
    backup = snapshot(store, tmp_path / "backups")
    admit_voters(store, 3)
    later = store.last_seq()
    store.close()
    monkeypatch.setattr("builtins.input", lambda question: "no")

    assert main(["--lang", "en", "restore", "--db", sqlite_url, "--from", str(backup)]) == 1

    assert "Nothing was restored" in capsys.readouterr().err
    assert _events(sqlite_url) == later

    assert (
        main(["--lang", "en", "restore", "--db", sqlite_url, "--from", str(backup), "--yes"]) == 0
    )
    assert "restored from" in capsys.readouterr().out
    assert _events(sqlite_url) < later


def test_a_backup_that_does_not_verify_is_refused(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path
) -> None:
    store = make_store(sqlite_url, delegates=30)
    admit_voters(store, 3)
    backup = snapshot(store, tmp_path / "backups")
    store.close()
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE event SET operator = 'mallory' WHERE seq = 3")
    with pytest.raises(BackupError) as err:
        restore(sqlite_url, backup, lambda q: True)
    assert err.value.key == "broken" and "Event 3 was altered" in str(err.value)
    stranger = tmp_path / "notes.db"
    sqlite3.connect(stranger).close()
    with pytest.raises(BackupError) as err:
        restore(sqlite_url, stranger, lambda q: True)
    assert err.value.key == "not_a_congress"
    with pytest.raises(BackupError):
        restore(sqlite_url, tmp_path / "missing.db", lambda q: True)


@pytest.mark.pg
def test_postgresql_is_left_to_its_own_tools(
    make_store: MakeStore, pg_url: str, tmp_path: Path
) -> None:
    store = make_store(pg_url, delegates=5)
    with pytest.raises(BackupError) as err:
        snapshot(store, tmp_path)
    assert err.value.key == "sqlite_only"
    with pytest.raises(BackupError):
        restore(pg_url, tmp_path / "x.db", lambda q: True)
