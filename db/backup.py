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

PostgreSQL has its own tools (pg_dump, base backups): these functions refuse its URLs.
"""

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from db.engine import database_url, is_sqlite
from db.store import Store, StoreError
from session.i18n import Refusal, t

SUFFIX = ".db"


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


def snapshot(store: Store, directory: Path, keep: int = 20) -> Path:
    """Copy the store's database into `directory` as `<name>-<UTC time>-e<last event>.db`, then
    delete all but the newest `keep` snapshots of this database there. The path written."""
    source = sqlite_file(store.url)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{source.stem}-{_stamp()}-e{store.last_seq():07d}{SUFFIX}"
    part = target.with_name(target.name + ".part")
    copy_database(source, part)
    part.replace(target)
    for old in snapshots(directory, source.stem)[:-keep] if keep > 0 else []:
        old.unlink()
    return target


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
    question = t("proceedings.backup.confirm", db=target, current=current, backup=backup,
                 events=events, hash=digest[:16], kept=kept)  # fmt: skip
    if not confirm(question):
        raise BackupError("cancelled")
    if target.exists():
        copy_database(target, kept)
    copy_database(backup, target)
    describe(target)  # the restored file verifies as the backup did
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
