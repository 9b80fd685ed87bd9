"""What the presidium reads during the congress, as text or JSON: attendance and quorum
(`status`), the agenda (`agenda`), the published votes (`results`), the delegates' composition
(`statistics`), and the congress's bodies (`bodies`, which also records one the congress voted)."""

import argparse
import json

from presidium.opening import election_named, open_store
from presidium.refusals import CommandError, json_visible
from session.i18n import t


def _print_json(data: object) -> None:
    """A report as JSON, its text as it is (not \\u-escaped) but for the characters a terminal
    would act on (escaped the JSON way: the output still parses)."""
    print(json_visible(json.dumps(data, ensure_ascii=False, indent=2)))


def cmd_status(args: argparse.Namespace) -> int:
    from printouts.report import status_json, status_lines

    with open_store(args) as store:
        if args.json:
            _print_json(status_json(store))
        else:
            for line in status_lines(store):
                print(line)
    return 0


def cmd_agenda(args: argparse.Namespace) -> int:
    from printouts.report import agenda_lines, agenda_rows

    with open_store(args) as store:
        now = store.clock()
        if args.json:
            state = store.agenda_state()
            items = agenda_rows(store, now)
            _print_json({"congress": store.congress.name, "current": state.current, "items": items})
        else:
            print("\n".join(agenda_lines(store, now)))
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    from printouts.report import results_json, results_lines

    with open_store(args) as store:
        if args.json:
            _print_json(results_json(store))
        else:
            print("\n".join(results_lines(store)))
    return 0


def cmd_statistics(args: argparse.Namespace) -> int:
    from session import statistics

    with open_store(args) as store:
        delegates = store.delegates()
        if args.election:
            by_number = {d.number: d for d in delegates}
            stats = statistics.of_election(election_named(store, args.election), by_number,
                                           store.congress)  # fmt: skip
        else:
            stats = statistics.of_delegates(delegates, store.congress)
    if args.json:
        _print_json(statistics.to_json(stats))
    else:
        print("\n".join(statistics.lines(stats)))
    return 0


def cmd_bodies(args: argparse.Namespace) -> int:
    """List the congress's bodies, or (`set`) record the members a vote elected to one."""
    from session import bodies

    with open_store(args) as store:
        if args.action == "set":
            if not (args.body and args.members and args.vote):
                raise CommandError(t("bodies.cli.set_needs"))
            names = bodies.parse_names(args.members)
            done = store.appoint_body(bodies.Body(args.body), names, args.vote, args.head or "")
            print(t("bodies.cli.appointed", body=bodies.body_name(done.body),
                    members=bodies.members_text(done), vote=done.vote))  # fmt: skip
            return 0
        book, zone = store.bodies(), store.congress.zone
    if args.json:
        _print_json(bodies.to_json(book))
    else:
        print("\n".join(bodies.lines(book, zone)))
    return 0
