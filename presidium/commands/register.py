"""The people of the congress: the delegate register imported (`import`), the convening
committee's candidates put into an election (`candidates import`), a lost card reissued
(`reissue`), an alternate seated in an official delegate's place (`activate-alternate`)."""

import argparse
from pathlib import Path

from db.store import file_digest
from presidium.opening import open_store
from presidium.refusals import read_or_report
from session.i18n import t
from session.register import read_register

NOT_IN_FILE_SHOWN = 20  # the numbers missing from the file, listed before "…"


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with open_store(args) as store:
        records = read_or_report(path, read_register)
        report = store.import_register(
            records, source=path.name, digest=file_digest(path.read_bytes())
        )
    print(
        t(
            "import.summary",
            added=len(report.added),
            updated=len(report.updated),
            unchanged=report.unchanged,
        )
    )
    for number, fields in report.updated:
        print("  " + t("import.updated_row", number=number, fields=", ".join(fields)))
    if report.not_in_file:
        _say_not_in_file(report.not_in_file)
    return 0


def _say_not_in_file(numbers: list[int]) -> None:
    """The delegates of the database the file no longer lists (the first few numbers)."""
    shown = ", ".join(map(str, numbers[:NOT_IN_FILE_SHOWN])) + (
        "…" if len(numbers) > NOT_IN_FILE_SHOWN else ""
    )
    print(t("import.not_in_file", count=len(numbers), numbers=shown))


def cmd_candidates(args: argparse.Namespace) -> int:
    from presidium.candidates import import_candidates
    from session.candidates import read_candidates

    path = Path(args.file)
    with open_store(args) as store:
        rows = read_or_report(path, read_candidates)
        report = import_candidates(store, args.election, rows)
    print(t("cli.candidates_imported", added=report.added, already=report.already,
            election=args.election))  # fmt: skip
    return 0


def cmd_reissue(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        code = store.reissue_card(args.number, args.reason)
        delegate = store.delegate(args.number)
    assert delegate is not None
    print(t("cli.reissued", number=args.number, name=delegate.full_name, issue=delegate.card_issue))
    print(code)
    return 0


def cmd_activate_alternate(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        change = store.deactivate_alternate if args.undo else store.activate_alternate
        done = change(args.official, args.alternate, args.reason)
    print(t("cli.deactivated" if args.undo else "cli.activated",
            alternate=done.alternate.number, alternate_name=done.alternate.full_name,
            official=done.official.number, official_name=done.official.full_name,
            before=done.base_before, after=done.base_after))  # fmt: skip
    return 0
