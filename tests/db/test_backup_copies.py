"""Backups on a second disk or machine (issue 16, db/backup.py): every snapshot also written to
the [backups] copy_to folders (or PRESIDIUM_COPY_TO, which `presidium run --copy-to` sets),
atomically and rotated alike; a second place that is missing, full or failing is said and the
first place is still written; a copy restores on a "second machine" (another folder) and
verifies; `presidium backup --to DIR` writes one verified snapshot."""

import errno
import filecmp
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from db import backup as backup_module
from db.backup import (
    COPY_TO_VAR,
    BackupError,
    Written,
    copy_places,
    describe,
    restore,
    snapshot_everywhere,
    snapshot_verified,
    snapshots,
)
from db.store import Store
from presidium import cli
from presidium.cli import main
from presidium.opening import PASSPHRASE_VAR
from session.congress import Backups
from session.congress_file import ConfigError, parse_congress
from session.i18n import t
from session.roles import Role
from tests.harness.rollcall import admit_voters

MakeStore = Callable[..., Store]


def _events(path: Path | str) -> int:
    with Store.open(str(path)) as store:
        assert store.verify() is None
        return store.last_seq()


def _second_disk(tmp_path: Path) -> Path:
    """The folder made on the USB stick when the venue was set up."""
    folder = tmp_path / "media" / "usb" / "presidium"
    folder.mkdir(parents=True)
    return folder


def test_every_snapshot_lands_in_both_places_atomically_and_rolls_alike(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(sqlite_url, delegates=30)
    beside, usb, share = tmp_path / "backups", _second_disk(tmp_path), tmp_path / "share"
    share.mkdir()
    synced: list[str] = []
    fsync = os.fsync

    def spy(fd: int) -> None:  # which files and folders reached the disk
        synced.append(os.path.realpath(f"/proc/self/fd/{fd}"))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    taken = []
    for i in range(4):
        admit_voters(store, 2, start=2 * i)
        taken.append(snapshot_everywhere(store, beside, (usb, share), keep=2))
    for written in taken:
        assert [w.folder for w in written] == [beside, usb, share]
        assert all(w.path is not None and w.error == "" for w in written)
        first = written[0].path
        assert first is not None
        for copy in written[1:]:  # the same file, byte for byte, under the same name
            assert copy.path is not None and copy.path.name == first.name
    last = taken[-1]
    for place in (beside, usb, share):
        kept = snapshots(place, "congress")
        assert [p.name for p in kept] == [w[0].path.name for w in taken[-2:]]  # type: ignore[union-attr]
        assert not [p for p in place.iterdir() if p.suffix != ".db"]  # no .part, no journal
    assert all(filecmp.cmp(last[0].path, w.path, shallow=False) for w in last[1:])  # type: ignore[arg-type]
    assert describe(last[1].path)[0] == store.last_seq()  # type: ignore[arg-type]
    for w in last:  # each file fsynced, and its folder after the rename
        assert w.path is not None
        assert os.path.realpath(w.folder) in synced
        assert os.path.realpath(w.folder / (w.path.name + ".part")) in synced


def test_a_missing_second_place_is_said_never_created_and_the_first_is_written(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path
) -> None:
    store = make_store(sqlite_url, delegates=30)
    admit_voters(store, 3)
    unplugged = tmp_path / "media" / "usb" / "presidium"  # the stick is not in
    beside, other = tmp_path / "backups", _second_disk(tmp_path / "b")

    first, missing, good = snapshot_everywhere(store, beside, (unplugged, other), keep=5)

    assert first.path is not None and _events(first.path) == store.last_seq()
    assert missing == Written(
        unplugged, None, t("proceedings.backup.copy_missing", folder=unplugged)
    )
    assert not (tmp_path / "media").exists()  # nothing written to this machine's own disk
    assert good.path is not None and filecmp.cmp(first.path, good.path, shallow=False)


def test_a_full_or_failing_second_place_leaves_nothing_half_written(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store(sqlite_url, delegates=30)
    admit_voters(store, 3)
    beside, usb = tmp_path / "backups", _second_disk(tmp_path)
    disk_usage = shutil.disk_usage

    def full(path: Any) -> Any:  # the stick has 100 KiB left
        usage = disk_usage(path)
        return usage._replace(free=100 << 10) if Path(path) == usb else usage

    monkeypatch.setattr(shutil, "disk_usage", full)
    first, copy = snapshot_everywhere(store, beside, (usb,), keep=5)
    assert first.path is not None and copy.path is None
    needed = f"{first.path.stat().st_size * 1.1 / (1 << 20):.1f}"
    assert copy.error == t("proceedings.backup.copy_full", folder=usb, free="0.1", needed=needed)
    assert list(usb.iterdir()) == []

    monkeypatch.setattr(shutil, "disk_usage", disk_usage)
    copyfileobj = shutil.copyfileobj

    def fails_midway(src: Any, dst: Any, length: int = 0) -> None:  # full after all, or pulled
        dst.write(src.read(4096))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copyfileobj", fails_midway)
    first, copy = snapshot_everywhere(store, beside, (usb,), keep=5)
    assert first.path is not None and first.path.exists()
    assert copy.path is None and "No space left on device" in copy.error
    assert list(usb.iterdir()) == []  # the .part is gone

    monkeypatch.setattr(shutil, "copyfileobj", copyfileobj)
    if os.geteuid() != 0:  # (root writes anywhere)
        usb.chmod(0o500)
        try:
            _, copy = snapshot_everywhere(store, beside, (usb,), keep=5)
            assert copy.path is None and "Permission" in copy.error
        finally:
            usb.chmod(0o700)
    # The place is back: written again, the first place kept its rotation throughout.
    _, copy = snapshot_everywhere(store, beside, (usb,), keep=5)
    assert copy.path is not None and _events(copy.path) == store.last_seq()


def test_when_the_first_place_fails_the_copies_come_from_the_live_database(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path
) -> None:
    store = make_store(sqlite_url, delegates=30)
    admit_voters(store, 3)
    blocked = tmp_path / "backups"
    blocked.write_text("a file where the backups folder should be", encoding="utf-8")
    usb = _second_disk(tmp_path)
    first, copy = snapshot_everywhere(store, blocked, (usb,), keep=5)
    assert first.path is None and first.error
    assert copy.path is not None and _events(copy.path) == store.last_seq()


def test_a_copy_restores_on_a_second_machine_and_verifies(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = make_store(sqlite_url, delegates=30)
    admit_voters(store, 6)
    usb = _second_disk(tmp_path)
    _, copy = snapshot_everywhere(store, tmp_path / "backups", (usb,), keep=5)
    at_copy = store.last_seq()
    assert copy.path is not None
    store.close()
    Path(sqlite_url).unlink()  # the first laptop is gone

    laptop = tmp_path / "second-laptop"
    laptop.mkdir()
    target = laptop / "congress.db"
    asked: list[str] = []
    said = restore(str(target), copy.path, lambda q: asked.append(q) or True)
    assert asked == [
        t("proceedings.backup.confirm_new", db=target, backup=copy.path, events=at_copy,
          hash=describe(copy.path)[1][:16])
    ]  # fmt: skip
    assert said.startswith(f"{target} restored from {copy.path}: {at_copy} events")
    assert _events(target) == at_copy
    assert not [p for p in laptop.iterdir() if ".before-restore-" in p.name]  # nothing to keep
    with Store.open(str(target)) as restored:  # the congress goes on there
        admit_voters(restored, 1, start=6)
        assert restored.verify() is None and restored.last_seq() == at_copy + 1
    # The same by the command, for a script: no question.
    again = laptop / "again.db"
    assert main(["--lang", "en", "restore", "--db", str(again), "--from", str(copy.path),
                 "--yes"]) == 0  # fmt: skip
    assert "restored from" in capsys.readouterr().out and _events(again) == at_copy


def test_the_backup_command_writes_one_verified_snapshot(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv(PASSPHRASE_VAR, raising=False)
    store = make_store(sqlite_url, delegates=30)
    admit_voters(store, 4)
    usb = _second_disk(tmp_path)
    assert main(["--lang", "en", "backup", "--db", sqlite_url, "--to", str(usb)]) == 0
    out = capsys.readouterr().out.splitlines()
    (written,) = snapshots(usb, "congress")
    events, digest = describe(written)
    assert events == store.last_seq()
    assert out == [
        t("proceedings.backup.verified", "en", path=written, events=events, hash=digest[:16]),
        t("proceedings.backup.same_disk", "en", folder=usb),  # (a test's folders share a disk)
    ]
    # Verified: a snapshot that does not verify is refused, as restore refuses it.
    monkeypatch.setattr(backup_module, "describe", _broken)
    with pytest.raises(BackupError, match="does not pass verification"):
        snapshot_verified(store, usb, keep=5)


def _broken(path: Path) -> tuple[int, str]:
    raise BackupError("broken", path=path, detail="Event 3 was altered")


def test_the_backup_command_refuses_on_one_line_and_is_the_operator_s(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv(PASSPHRASE_VAR, raising=False)
    store = make_store(sqlite_url, delegates=30)
    unplugged = tmp_path / "media" / "usb"
    assert main(["--lang", "en", "backup", "--db", sqlite_url, "--to", str(unplugged)]) == 1
    err = capsys.readouterr().err
    assert err == f"presidium: {t('proceedings.backup.copy_missing', 'en', folder=unplugged)}\n"
    assert not unplugged.exists()

    store.set_passphrase(Role.OPERATOR, "người điều hành 2025")
    usb = _second_disk(tmp_path)
    assert main(["--lang", "en", "backup", "--db", sqlite_url, "--to", str(usb)]) == 1
    assert t("roles.cli.operator_needed", "en", var=PASSPHRASE_VAR) in capsys.readouterr().err
    assert list(usb.iterdir()) == []  # the snapshot holds the card key: never without it
    monkeypatch.setenv(PASSPHRASE_VAR, "người điều hành 2025")
    assert main(["--lang", "en", "backup", "--db", sqlite_url, "--to", str(usb)]) == 0
    assert len(snapshots(usb, "congress")) == 1


def test_run_copy_to_names_the_second_places_instead_of_the_congress_file_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(COPY_TO_VAR, "")  # (put back as it was after the test: `run` sets it)
    monkeypatch.delenv(COPY_TO_VAR)
    configured = ("/media/usb/presidium", "~/share/presidium", "$BACKUP_DISK/presidium")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BACKUP_DISK", "/mnt/disk2")
    assert copy_places(configured) == (
        Path("/media/usb/presidium"),
        tmp_path / "home" / "share" / "presidium",
        Path("/mnt/disk2/presidium"),
    )
    seen: list[str | None] = []
    monkeypatch.setattr(cli, "cmd_run", lambda args: seen.append(os.environ.get(COPY_TO_VAR)) or 0)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--db", "x.db", "--copy-to", "/media/usb/p", "--copy-to", "share"]) == 0
    assert seen == [os.pathsep.join(["/media/usb/p", str(tmp_path / "share")])]
    assert copy_places(configured) == (Path("/media/usb/p"), tmp_path / "share")


def test_copy_to_in_the_congress_file(congress_data: dict[str, object]) -> None:
    congress_data["backups"] = {"copy_to": "/media/usb/presidium"}
    assert parse_congress(congress_data).backups == Backups(10, 20, ("/media/usb/presidium",))
    congress_data["backups"] = {"every_minutes": 5, "copy_to": ["/media/usb/p", "E:\\presidium"]}
    assert parse_congress(congress_data).backups.copy_to == ("/media/usb/p", "E:\\presidium")
    for bad, says in [
        ("usb/presidium", "expected an absolute folder"),
        (["/a", "/a"], "a folder named twice"),
        ([""], "expected a folder or a list of folders"),
        (3, "expected a folder or a list of folders"),
    ]:
        congress_data["backups"] = {"copy_to": bad}
        with pytest.raises(ConfigError, match=f"backups.copy_to: {says}"):
            parse_congress(congress_data)
