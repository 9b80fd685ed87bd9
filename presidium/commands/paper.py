"""The paper the congress prints: the delegates' cards (`cards`), an election's ballots
(`ballots`) and counting minutes (`counting-minutes`), the proceedings exported (`export`)."""

import argparse
from pathlib import Path

from presidium.commands.seals import signing_key
from presidium.opening import election_named, open_store
from presidium.refusals import CommandError
from session.i18n import t


def cmd_cards(args: argparse.Namespace) -> int:
    from printouts.cards import card_data, write_card_list, write_cards

    with open_store(args) as store:
        cards = card_data(store, numbers=args.number)
        if not cards:
            raise CommandError(t("cli.no_cards"))
        out = Path(args.out)
        if args.list:
            write_card_list(out, store.congress, cards)
        else:
            write_cards(out, store.congress, cards)
    print(t("cli.cards_written", count=len(cards), path=out))
    return 0


def cmd_ballots(args: argparse.Namespace) -> int:
    from printouts.ballots import suggested_copies, write_ballots

    with open_store(args) as store:
        election = election_named(store, args.election)
        round_no = args.round or election.current.number
        copies = args.copies or suggested_copies(store.snapshot().verdict.attendance.present)
        out = Path(args.out)
        write_ballots(out, store.congress, election, round_no, copies)
    print(t("cli.ballots_written", count=copies, path=out, round=round_no))
    return 0


def cmd_counting_minutes(args: argparse.Namespace) -> int:
    from printouts.counting_minutes import write_counting_minutes

    with open_store(args) as store:
        election = election_named(store, args.election)
        round_no = args.round or election.current.number
        out = Path(args.out)
        names = store.person_names()  # the counting committee is recorded by delegate id
        write_counting_minutes(out, store.congress, election, round_no, names=names)
    print(t("cli.minutes_written", path=out, round=round_no))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from printouts.export import run_export

    key = signing_key(args.seal_key) if args.seal_key else None  # a bad key: nothing done
    with open_store(args) as store:
        if key is not None and args.as_of is None:  # the export's own seal, in the log it writes
            print(t("seals.sealed", seq=store.seal(key)[0], hash=store.head()[1][:16]))
        lines = run_export(store, Path(args.out), args.as_of, args.lang, args.force)
    print("\n".join(lines))
    return 0
