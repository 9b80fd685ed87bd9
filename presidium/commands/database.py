"""The congress database's life: created from the congress file (`init`), its audit chain
checked, and an export folder against it (`verify`), a verified snapshot written to a second
disk (`backup`), a backup brought back (`restore`)."""

import argparse
import tomllib
from pathlib import Path

from db.seals import SEALED, SealError, read_public, seal_problem
from db.store import Store
from presidium.opening import check_operator_of, open_store
from presidium.refusals import CommandError
from session import audit, i18n
from session.congress_file import load_congress
from session.i18n import t


def cmd_init(args: argparse.Namespace) -> int:
    congress = load_congress(Path(args.congress))
    if args.lang is None:
        i18n.use(congress.language)
    data = tomllib.loads(Path(args.congress).read_text(encoding="utf-8"))
    with Store.create(args.db, data, terminal="cli") as store:
        print(t("cli.initialised", name=congress.name, db=store.url))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    # What was typed is checked first: a mistyped anchor or key is said before any work.
    anchor = _anchor_given(args.anchor) if args.anchor else None
    public = _public_given(args.seal_key) if args.seal_key else None
    with open_store(args) as store:
        problem = store.verify()
        events = store.events() if anchor or public else []
        last, digest = store.head()
    if problem is not None:
        raise CommandError(t(f"verify.{problem.key}", **problem.params))
    print(t("verify.ok", count=last, hash=digest[:16] if last else "-"))
    if anchor is not None:
        print(_check_anchor(events, anchor))
    if public is not None:
        print(_check_seals(events, public))
    if args.export:  # the log holds: now the export folder against it
        from printouts.export import run_verify_export

        with open_store(args) as store:
            print(run_verify_export(store, Path(args.export)))
    return 0


def _anchor_given(given: str) -> str:
    anchor = audit.anchor_hash(given)
    if anchor is None:
        raise CommandError(t("verify.anchor_malformed", anchor=given, digits=audit.ANCHOR_DIGITS))
    return anchor


def _public_given(given: str) -> str:
    try:
        return read_public(given)
    except SealError as exc:
        raise CommandError(str(exc)) from None


def _check_anchor(events: list[audit.StoredEvent], anchor: str) -> str:
    """The event a hash copied from outside the database names, or why the log does not hold it."""
    found = audit.anchored_at(events, anchor)
    if not found:
        raise CommandError(t("verify.anchor_absent", anchor=anchor[:16]))
    if len(found) > 1:  # 16 hex digits make that a chance of one in 2**64 per pair of events
        raise CommandError(t("verify.anchor_ambiguous", anchor=anchor, count=len(found)))
    return t("verify.anchor_ok", anchor=anchor[:16], seq=found[0].seq, at=found[0].at)


def _check_seals(events: list[audit.StoredEvent], public: str) -> str:
    """Every seal genuine and every published result sealed, with a public key from outside."""
    problem = seal_problem(events, public)
    if problem is not None:
        raise CommandError(t(f"verify.{problem[0]}", **problem[1]))
    last = max(int(e.payload["seq"]) for e in events if e.kind == SEALED)  # type: ignore[call-overload]
    return t("seals.verified", public=public[:16], seq=last)


def cmd_backup(args: argparse.Namespace) -> int:
    """One snapshot into --to, checked as `restore` checks a backup (the app writes its own on
    its interval and after every result: db/backup.py)."""
    from db.backup import same_disk, snapshot_verified

    folder = Path(args.to).expanduser()
    with open_store(args) as store:
        path, events, digest = snapshot_verified(store, folder, store.congress.backups.keep)
        print(t("proceedings.backup.verified", path=path, events=events, hash=digest[:16]))
        if same_disk(folder, store.url):
            print(t("proceedings.backup.same_disk", folder=folder))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from db.backup import restore

    check_operator_of(args)  # the database replaced is the operator's to replace

    def confirmed(question: str) -> bool:
        if args.yes:
            return True
        try:
            return input(question).strip().lower() in ("yes", "y", "có", "co")
        except EOFError:  # no terminal to answer: no
            return False

    print(restore(args.db, Path(args.source), confirmed))
    return 0
