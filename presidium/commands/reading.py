"""`presidium read-ballots`: the counting committee's scanners read a box's ballots (issue 14).

Each file (PDF, TIFF, PNG, JPEG as a scanner saves them; folders are read file by file, in name
order) is kept in the archive beside the database under its SHA-256, and each paper ballot in
it becomes one reading in the log for the count's machine team: valid or invalid by rule at
once, or waiting for the counting committee's decision (the counting screen takes them one by
one). A sheet already read (the same file dropped twice, or read by another table) is said so
and not counted again. `--check` reads without recording anything, to try a scanner's
settings; `--watch` keeps reading what the scanners drop into the folders until Ctrl-C.
A file that cannot be read (cut short, not a picture, empty) is named and nothing of it is kept;
the others are read, then the status is 1. Ctrl-C prints the summary, then the status is 130.

It is the counting committee's command: on PostgreSQL it connects as the counting role's login,
and on SQLite it asks the counting role's passphrase when one is set; the store then lets it
record only the counting committee's events.
"""

import argparse
import json
import signal
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from db.engine import database_url, is_sqlite
from db.store import Store
from presidium.opening import open_terminal, operator_name, role_signs_in
from presidium.refusals import EXIT_INTERRUPTED, EXIT_REFUSED, CommandError, say
from printouts.reading.archive import archive_for, keep, save_picture
from printouts.reading.pages import UnreadableFile, readable
from printouts.reading.reader import BallotReader, SheetResult, doubt_picture
from printouts.reading.shelf import Templates
from session import i18n
from session.ballot_reading import Verdict, marks_text
from session.ballots import ElectionError
from session.i18n import t
from session.roles import Role

SETTLE_SECONDS = 1.0  # a file seen unchanged (size, time) for this long is complete
TICK_MS = 500  # how often the watched folders are looked at again when nothing is said


def cmd_read_ballots(args: argparse.Namespace) -> int:
    """0 when every file was read; 1 when some could not be (after reading the others, each
    named); 130 on Ctrl-C (how --watch is stopped), after the summary."""
    sources = [Path(s) for s in args.sources]
    missing = [s for s in sources if not s.exists()]
    if missing:
        raise CommandError(t("reading.cli.missing", path=missing[0]))
    if args.watch and not any(s.is_dir() for s in sources):
        raise CommandError(t("reading.cli.watch_folders"))
    with _open_counting(args) as store:
        run = _Run.start(store, args)
        try:  # (with --watch the folders' files are read once complete: Run.watch)
            for path in _files(s for s in sources if not (args.watch and s.is_dir())):
                run.read(path)
            if args.watch:
                run.watch([s for s in sources if s.is_dir()])
        except KeyboardInterrupt:
            run.summary()
            say(t("cli.refusal.interrupted"))
            return EXIT_INTERRUPTED
        run.summary()
    return EXIT_REFUSED if run.broken else 0


def _open_counting(args: argparse.Namespace) -> Store:
    """The database as the counting committee: its own login on PostgreSQL; on SQLite the
    counting role's passphrase, when one is set, before anything is read."""
    if not is_sqlite(database_url(args.db)):
        return open_terminal(args, Role.COUNTING)
    store = Store.open(args.db, terminal="read-ballots", operator=operator_name(args))
    try:
        if args.lang is None:
            i18n.use(store.congress.language)
        role_signs_in(store, Role.COUNTING)
    except BaseException:
        store.close()
        raise
    return store


def _files(sources: Iterable[Path]) -> Iterator[Path]:
    for source in sources:
        if source.is_dir():
            yield from sorted(p for p in source.iterdir() if p.is_file() and readable(p))
        else:
            yield source


Signature = tuple[int, int]  # a file's size and modification time (ns): changed, read again


def _signature(path: Path) -> Signature | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


@dataclass
class _Tally:
    files: int = 0
    sheets: int = 0
    valid: int = 0
    invalid: int = 0
    undecided: int = 0
    again: int = 0  # sheets already read before


@dataclass
class _Run:
    store: Store
    reader: BallotReader
    args: argparse.Namespace
    archive: Path
    target: tuple[str, int] | None
    tally: _Tally = field(default_factory=_Tally)
    seen: dict[str, str] = field(default_factory=dict)  # files read in this run: SHA-256 → name
    broken: dict[Path, str] = field(default_factory=dict)  # files that could not be read: why
    done: dict[Path, Signature | None] = field(default_factory=dict)  # each file as last tried

    @classmethod
    def start(cls, store: Store, args: argparse.Namespace) -> "_Run":
        book = store.election_book()
        shelf = Templates(store.congress, book.get)
        target = None
        if not args.check:
            if not args.election or not args.box:
                raise CommandError(t("reading.cli.election_and_box"))
            election = book.get(args.election)
            if election is None:
                raise CommandError(t("cli.no_election", election=args.election))
            target = (election.id, args.round or election.current.number)
        reader = BallotReader(shelf, target)
        return cls(store, reader, args, archive_for(store.url), target)

    def read(self, path: Path) -> None:
        """Read one file, whole, and record its sheets; a file that cannot be read is said so
        (once, until it changes) and nothing of it is kept."""
        self.done[path] = _signature(path)
        try:
            scanned, results = self.reader.read(path)
        except UnreadableFile as exc:
            if self.broken.get(path) != str(exc):  # (said again only if it changes)
                self._say(str(exc), error=True)
            self.broken[path] = str(exc)
            return
        self.broken.pop(path, None)
        first = self.seen.get(scanned.sha256)
        if first is not None:
            if not self.args.json:
                self._say(t("reading.cli.same_file", file=path.name, first=first))
            return
        self.seen[scanned.sha256] = path.name
        self.tally.files += 1
        if not self.args.check:
            keep(self.archive, path, scanned.sha256)
        for result in results:
            self._sheet(result)
        self._progress(path)

    def _sheet(self, result: SheetResult) -> None:
        self.tally.sheets += 1
        recorded, note = self._record(result)
        verdict = result.outcome.verdict
        if recorded or self.args.check:
            counter = {Verdict.VALID: "valid", Verdict.INVALID: "invalid"}.get(verdict, "undecided")
            setattr(self.tally, counter, getattr(self.tally, counter) + 1)
        if self.args.json:
            print(json.dumps(_as_json(result, recorded, note), ensure_ascii=False), flush=True)
        elif self.args.verbose or (verdict is Verdict.UNDECIDED and (recorded or not note)):
            print(_as_line(result, note))

    def _record(self, result: SheetResult) -> tuple[bool, str]:
        if self.target is None:
            return False, ""
        o = result.outcome
        if o.verdict is Verdict.UNDECIDED:  # the picture the counting screen shows, first
            template = self.reader.templates.get_round(*self.target)
            if template is not None:
                save_picture(self.archive, result.place, doubt_picture(result, template))
        try:
            self.store.record_reading(
                self.target[0], self.target[1], self.args.box, self.args.batch or "",
                result.place, result.code, marks_text(result.marks), o.doubts, o,
            )  # fmt: skip
        except ElectionError as exc:
            if exc.key != "sheet_already_read":
                raise
            self.tally.again += 1
            return False, str(exc)
        return True, ""

    def _progress(self, path: Path) -> None:
        if self.args.json:
            return
        n = self.tally
        print(t("reading.cli.progress", file=path.name, files=n.files, sheets=n.sheets,
                valid=n.valid, invalid=n.invalid, undecided=n.undecided, again=n.again),
              flush=True)  # fmt: skip

    def summary(self) -> None:
        n = self.tally
        key = "reading.cli.checked" if self.args.check else "reading.cli.summary"
        line = t(key, files=n.files, sheets=n.sheets, valid=n.valid, invalid=n.invalid,
                 undecided=n.undecided, again=n.again, unreadable=len(self.broken))  # fmt: skip
        print(line, file=sys.stderr if self.args.json else sys.stdout, flush=True)
        if self.broken:
            names = ", ".join(sorted(p.name for p in self.broken))
            print(t("reading.cli.unread", count=len(self.broken), files=names), file=sys.stderr)

    def _say(self, text: str, error: bool = False) -> None:
        print(text, file=sys.stderr if error or self.args.json else sys.stdout, flush=True)

    def watch(self, folders: list[Path]) -> None:
        """Read each file the scanners drop into `folders` once it is complete, and again only
        if it changes, until Ctrl-C. Complete: its size and time seen unchanged for
        SETTLE_SECONDS (by this machine's clock: a shared folder's may differ). The folders
        are looked at whole on every change and every TICK_MS: no file is missed for want of
        an event, nor for arriving before the watch began."""
        from watchfiles import watch

        # Ctrl-C is how the counting room stops it: even when started from a script or a
        # service that left Ctrl-C ignored (which a process inherits), it stops the watch.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self._say(t("reading.cli.watching", folders=", ".join(str(f) for f in folders)))
        changing: dict[Path, tuple[Signature, float]] = {}  # a file as last seen, since when
        for _ in watch(*folders, rust_timeout=TICK_MS, yield_on_timeout=True, debounce=TICK_MS):
            now = time.monotonic()
            present = {p: _signature(p) for p in _files(folders)}
            for path in [p for p in self.broken if not p.exists()]:  # taken away: forgotten
                del self.broken[path]
            for path, signature in present.items():
                if signature is None or self.done.get(path) == signature:
                    continue
                if path not in changing or changing[path][0] != signature:
                    changing[path] = (signature, now)
                elif now - changing[path][1] >= SETTLE_SECONDS:
                    del changing[path]
                    self.read(path)


def _as_json(result: SheetResult, recorded: bool, note: str) -> dict[str, object]:
    o, p = result.outcome, result.place
    kept = struck = None
    if o.ballot is not None and o.ballot.invalid is None:
        struck = list(o.ballot.numbers)
        kept = [n for n in range(1, len(result.marks) + 1) if n not in o.ballot.numbers
                and n not in o.ballot.unclear]  # fmt: skip
    return {
        "file": p.file,
        "image": p.image,
        "page": p.page,
        "slot": p.slot,
        "sheet": p.sheet,
        "code": result.code,
        "verdict": o.verdict.value,
        "kept": kept,
        "struck": struck,
        "marks": marks_text(result.marks),
        "reasons": [d.value for d in o.doubts],
        "recorded": recorded,
        "note": note,
    }


def _as_line(result: SheetResult, note: str) -> str:
    p, o = result.place, result.outcome
    where = t("reading.cli.where", file=p.file, page=p.page, slot=p.slot, sheet=p.sheet)
    what = t(f"election.reading.verdict.{o.verdict.value}")
    if o.doubts:
        what += ": " + ", ".join(t(f"election.reading.doubt.{d.value}") for d in o.doubts)
    elif o.ballot is not None and o.ballot.numbers:
        what += " — " + t("reading.cli.struck", numbers=" ".join(map(str, o.ballot.numbers)))
    return f"{where}: {what}" + (f" ({note})" if note else "")
