"""Rolling snapshots of a SQLite congress database, and bringing one back.

A snapshot uses SQLite's online backup API (sqlite3.Connection.backup): it copies a consistent
image of the database page by page while the app keeps running (WAL: writers are not blocked
for long, and a write during the copy makes it start again on the changed pages), unlike a file
copy, which can catch the main file and its -wal out of step. Each snapshot is written under a
temporary name and renamed, and only the newest `keep` are kept.

Restoring checks the backup first (it opens as a congress and its hash chain and replay verify),
keeps a copy of the current file beside it, then copies the backup into the live file with the
same backup API, so the file's -wal and -shm stay consistent and another terminal that still has
it open sees either the old or the restored database, never a mix.

Each snapshot can also go to a second place (issue 16): folders on a second disk, a USB stick or
a share mounted from a second machine ([backups] copy_to, or `presidium run --copy-to`, which
sets COPY_TO_VAR). The file made beside the congress file is copied there byte for byte, under a
temporary name, fsynced and renamed, the folder fsynced, with the same rotation. Such a folder is
never created: one that is not there is a disk not plugged in (its mount point would put the
"copy" on this machine's own disk). Each place succeeds or fails on its own.

PostgreSQL has its own tools (pg_dump, base backups): these functions refuse its URLs.
"""

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from db.engine import database_url, is_sqlite
from db.store import Store, StoreError
from session.i18n import Refusal, t

SUFFIX = ".db"
COPY_TO_VAR = "PRESIDIUM_COPY_TO"  # folders (os.pathsep between them) instead of [backups] copy_to
ROOM = 1.1  # a copy needs this much of its size free in the folder, or it is not begun


class BackupError(Refusal):
    """A refused backup or restore, with a key under 'proceedings.backup.'."""

    prefix = "proceedings.backup."


def sqlite_file(location: str | None) -> Path:
    """The file behind --db (a path or a sqlite:/// URL); BackupError for PostgreSQL."""
    url = database_url(location)
    if not is_sqlite(url):
        raise BackupError("sqlite_only")
    return Path(url.removeprefix("sqlite:///"))


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite database `source` into `target` (created or replaced
    page by page) with the online backup API."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _name(store: Store, source: Path) -> str:
    return f"{source.stem}-{_stamp()}-e{store.last_seq():07d}{SUFFIX}"


def snapshot(store: Store, directory: Path, keep: int = 20) -> Path:
    """Copy the store's database into `directory` as `<name>-<UTC time>-e<last event>.db`, then
    delete all but the newest `keep` snapshots of this database there. The path written."""
    source = sqlite_file(store.url)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / _name(store, source)
    _write(target, source, from_file=False)
    _roll(directory, source.stem, keep)
    return target


@dataclass(frozen=True)
class Written:
    """One place of a snapshot: the file written there, or why it could not be."""

    folder: Path
    path: Path | None = None
    error: str = ""


def copy_places(configured: Sequence[str]) -> tuple[Path, ...]:
    """The second places: COPY_TO_VAR's folders when it is set, else `configured` (the congress
    file's copy_to), with ~ and $VARIABLES expanded on this machine."""
    given = os.environ.get(COPY_TO_VAR)
    folders = [f for f in given.split(os.pathsep) if f] if given else configured
    return tuple(Path(os.path.expandvars(f)).expanduser() for f in folders)


def snapshot_everywhere(
    store: Store, directory: Path, copy_to: Sequence[Path], keep: int
) -> tuple[Written, ...]:
    """One snapshot into `directory` (beside the congress file: created if missing), then the
    same file into each folder of `copy_to` (which must exist), each rotated to `keep`. What
    happened at each place, `directory` first; one place failing does not stop the others (if
    `directory` fails, the copies are taken from the live database instead)."""
    source = sqlite_file(store.url)
    name = _name(store, source)
    image: Path | None = None  # the first snapshot written: the others copy its bytes
    done = []
    for n, folder in enumerate((directory, *copy_to)):
        target = folder / name
        try:
            if n == 0:
                folder.mkdir(parents=True, exist_ok=True)
            else:
                _check_place(folder, image or source)
            _write(target, image or source, from_file=image is not None)
            _roll(folder, source.stem, keep)
        except Exception as exc:  # said on the operator's screen; the other places go on
            done.append(Written(folder, None, _why(exc)))
            continue
        image = image or target
        done.append(Written(folder, target))
    return tuple(done)


def snapshot_verified(store: Store, folder: Path, keep: int) -> tuple[Path, int, str]:
    """A snapshot into `folder` (which must exist), rotated to `keep`, then checked as `restore`
    checks a backup: (its path, events, last hash); BackupError if it does not verify."""
    source = sqlite_file(store.url)
    _check_place(folder, source)
    path = snapshot(store, folder, keep)
    events, digest = describe(path)
    return path, events, digest


def same_disk(folder: Path, location: str | None) -> bool:
    """Whether `folder` is on the file system of the congress file at `location`."""
    try:
        return os.stat(folder).st_dev == os.stat(sqlite_file(location).parent).st_dev
    except OSError:
        return False


def _check_place(folder: Path, source: Path) -> None:
    """A second place must be there and have room for a copy of `source`."""
    if not folder.is_dir():
        raise BackupError("copy_missing", folder=folder)
    needed, free = source.stat().st_size * ROOM, shutil.disk_usage(folder).free
    if free < needed:
        raise BackupError("copy_full", folder=folder, free=_mib(free), needed=_mib(needed))


def _mib(size: float) -> str:
    return f"{size / (1 << 20):.1f}"


def _write(target: Path, source: Path, *, from_file: bool) -> None:
    """`source` into `target` atomically: a temporary name, fsynced, renamed, the folder fsynced.
    `from_file`: a finished snapshot, copied byte for byte; else the live database, by SQLite's
    online backup. Nothing is left behind on failure."""
    part = target.with_name(target.name + ".part")
    try:
        if from_file:
            with open(source, "rb") as src, open(part, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        else:
            copy_database(source, part)
        _fsync(part)
        part.replace(target)
        _fsync(target.parent)
    except BaseException:
        for left in (part, part.with_name(part.name + "-journal")):
            with contextlib.suppress(OSError):
                left.unlink(missing_ok=True)
        raise


def _fsync(path: Path) -> None:
    """The file's (or the folder's, where the system allows it) data on the disk."""
    if path.is_dir() and os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY if path.is_dir() else os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _roll(directory: Path, stem: str, keep: int) -> None:
    for old in snapshots(directory, stem)[:-keep] if keep > 0 else []:
        old.unlink()


def _why(exc: Exception) -> str:
    return str(exc) if isinstance(exc, BackupError) else f"{type(exc).__name__}: {exc}"


def snapshots(directory: Path, stem: str) -> list[Path]:
    """The snapshots of database `stem` in `directory`, oldest first (their names sort so)."""
    return sorted(p for p in directory.glob(f"{stem}-*{SUFFIX}") if p.is_file())


def describe(path: Path) -> tuple[int, str]:
    """(events, last hash) of a congress database that verifies; BackupError otherwise."""
    try:
        with Store.open(str(path)) as store:
            problem = store.verify()
            last = store.last_seq()
            events = store.events(after=last - 1) if last else []
    except StoreError as exc:
        raise BackupError("not_a_congress", path=path, detail=str(exc)) from None
    if problem is not None:
        raise BackupError("broken", path=path, detail=t(f"verify.{problem.key}", **problem.params))
    return last, events[-1].hash if events else "-"


def restore(location: str | None, backup: Path, confirm: Callable[[str], bool]) -> str:
    """Replace the database at `location` with `backup` once `confirm(question)` says yes.

    The current file is first copied to `<name>.before-restore-<UTC time>.db` beside it. The
    message to print; BackupError if the backup does not verify or the answer is no."""
    target = sqlite_file(location)
    if not backup.is_file():
        raise BackupError("not_a_congress", path=backup, detail="no such file")
    events, digest = describe(backup)
    current = _events_or_unknown(target)
    kept = target.with_name(f"{target.stem}.before-restore-{_stamp()}{SUFFIX}")
    existed = target.exists()  # (on a second machine there is no file yet: nothing to keep)
    question = (
        t("proceedings.backup.confirm", db=target, current=current, backup=backup,
          events=events, hash=digest[:16], kept=kept)
        if existed
        else t("proceedings.backup.confirm_new", db=target, backup=backup, events=events,
               hash=digest[:16])
    )  # fmt: skip
    if not confirm(question):
        raise BackupError("cancelled")
    if existed:
        copy_database(target, kept)
    copy_database(backup, target)
    describe(target)  # the restored file verifies as the backup did
    if not existed:
        return t("proceedings.backup.restored_new", db=target, backup=backup, events=events,
                 hash=digest[:16])  # fmt: skip
    return t("proceedings.backup.restored", db=target, backup=backup, events=events,
             hash=digest[:16], kept=kept)  # fmt: skip


def _events_or_unknown(path: Path) -> str:
    """How many events the current file holds, for the question ('?' if it cannot be read)."""
    if not path.exists():
        return "0"
    try:
        with Store.open(str(path)) as store:
            return str(store.last_seq())
    except StoreError:
        return "?"
