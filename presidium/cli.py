"""The `presidium` command: one entry point for the venue's scripts and the operator.

Exit status 0 on success. Otherwise one line on stderr, `presidium: ` and the reason, never a
traceback; `main` is the one place that decides, so the commands just raise:

- 1: a refusal, the user's to fix. Every `session.i18n.Refusal` (the domain's translated
  refusals: ElectionError, StoreError, RoleError, BodyError, BackupError, ExportError...) and
  the few user errors outside that family (`REFUSALS`, `LAZY_REFUSALS`: a bad congress file, no
  database given, a name the PDF fonts cannot print, a list too long for one ballot, a file or
  folder the system refuses, a database the driver cannot open or write). An import file with
  several bad rows is the one refusal on more than one line: each row (`FILE: line N: ...`),
  then the `presidium: ` summary; a single bad row is one line.
- 2: argparse's usage errors (its usage line, then the error), before any work.
- 70 (EX_SOFTWARE): any other exception is a bug in Presidium, not a refusal: one line naming
  an internal error with the exception's type and message. With PRESIDIUM_TRACEBACK=1 in the
  environment the exception is raised as it is, traceback and all, for the bug report.
- 130: interrupted (Ctrl-C).
"""

import argparse
import getpass
import json
import os
import shlex
import socket
import sys
import tomllib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from db.engine import ENV_VAR, DatabaseLocationError
from db.errors import DatabaseFailure, driver_reason
from db.store import Store, file_digest
from session import i18n
from session.bodies import Body
from session.cards import MAX_DELEGATE_NUMBER
from session.congress_file import ConfigError, load_congress
from session.i18n import Refusal, t
from session.register import RegisterError, RowProblem, read_register
from session.roles import Role
from session.text import nfc

if TYPE_CHECKING:
    from session.elections import Election

T = TypeVar("T")


class CommandError(Exception):
    """A failure to report on one line of stderr."""


EXIT_REFUSED, EXIT_INTERNAL, EXIT_INTERRUPTED = 1, 70, 130  # and argparse: 2
TRACEBACK_VAR = "PRESIDIUM_TRACEBACK"

# The user errors that are not `Refusal`s (their modules are not the CLI's to change).
REFUSALS: tuple[type[Exception], ...] = (
    CommandError,
    Refusal,
    ConfigError,  # the congress file
    DatabaseLocationError,  # no --db and no $PRESIDIUM_DB
    RegisterError,  # an import file (the commands say it row by row, through _read_or_report)
    OSError,  # a file or folder the system refuses: named with the system's reason
    DatabaseFailure,  # the database driver cannot open or write the database
)
# The same, from modules only some commands load (reportlab is slow to import), by name: an
# exception of a module never imported cannot have been raised.
LAZY_REFUSALS = (
    ("printouts.fonts", "MissingGlyphError"),  # a name the PDF fonts cannot print
    ("printouts.ballots", "BallotLayoutError"),  # a list that fits no ballot page
    ("printouts.export", "ExportFailed"),
)


def _operator(args: argparse.Namespace) -> str:
    """Who is at the keyboard: --operator, else the login name (recorded on every event)."""
    name = getattr(args, "operator", None)
    if name:
        return str(name)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _open(args: argparse.Namespace) -> Store:
    # The terminal names the machine and station on every event; the station is the door's name.
    station = getattr(args, "station", None)
    terminal = f"{socket.gethostname()}/{station}" if station else socket.gethostname()
    store = Store.open(args.db, terminal=terminal, operator=_operator(args))
    if args.lang is None:
        i18n.use(store.congress.language)
    if store.upgraded is not None:  # (said once, on the open that upgraded it)
        print(store.upgraded.line(), file=sys.stderr)
    return store


def _problem_line(p: RowProblem) -> str:
    where = t("import.line", line=p.line) if p.line else t("import.whole_file")
    params: dict[str, object] = {"column": p.column, "value": p.value}
    if p.key == "duplicate_number":
        number, _, first = p.value.partition("|")
        params.update(number=number, first=first)
    return f"{where}: {t('import.' + p.key, **params)}"


def _read_or_report(path: Path, reader: Callable[[Path], T]) -> T:
    """Read an import file; on bad rows, list every one on stderr and import nothing (a single
    bad row is the one line of the refusal)."""
    try:
        return reader(path)
    except RegisterError as exc:
        if len(exc.problems) == 1:
            problem = _problem_line(exc.problems[0])
            raise CommandError(t("cli.refusal.import_one", path=path, problem=problem)) from None
        for problem in exc.problems:
            print(f"{path}: {_problem_line(problem)}", file=sys.stderr)
        raise CommandError(t("import.nothing_imported", count=len(exc.problems))) from None


def _election(store: Store, name: str) -> "Election":
    election = store.election_book().get(name)
    if election is None:
        raise CommandError(t("cli.no_election", election=name))
    return election


def cmd_init(args: argparse.Namespace) -> int:
    congress = load_congress(Path(args.congress))
    if args.lang is None:
        i18n.use(congress.language)
    data = tomllib.loads(Path(args.congress).read_text(encoding="utf-8"))
    with Store.create(args.db, data, terminal="cli") as store:
        print(t("cli.initialised", name=congress.name, db=store.url))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with _open(args) as store:
        records = _read_or_report(path, read_register)
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
        shown = ", ".join(map(str, report.not_in_file[:20])) + (
            "…" if len(report.not_in_file) > 20 else ""
        )
        print(t("import.not_in_file", count=len(report.not_in_file), numbers=shown))
    return 0


def cmd_cards(args: argparse.Namespace) -> int:
    from printouts.cards import card_data, write_card_list, write_cards

    with _open(args) as store:
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


def cmd_candidates(args: argparse.Namespace) -> int:
    from presidium.candidates import import_candidates
    from session.candidates import read_candidates

    path = Path(args.file)
    with _open(args) as store:
        rows = _read_or_report(path, read_candidates)
        report = import_candidates(store, args.election, rows)
    print(t("cli.candidates_imported", added=report.added, already=report.already,
            election=args.election))  # fmt: skip
    return 0


def cmd_ballots(args: argparse.Namespace) -> int:
    from printouts.ballots import suggested_copies, write_ballots

    with _open(args) as store:
        election = _election(store, args.election)
        round_no = args.round or election.current.number
        copies = args.copies or suggested_copies(store.snapshot().verdict.attendance.present)
        out = Path(args.out)
        write_ballots(out, store.congress, election, round_no, copies)
    print(t("cli.ballots_written", count=copies, path=out, round=round_no))
    return 0


def cmd_counting_minutes(args: argparse.Namespace) -> int:
    from printouts.counting_minutes import write_counting_minutes

    with _open(args) as store:
        election = _election(store, args.election)
        round_no = args.round or election.current.number
        out = Path(args.out)
        names = store.person_names()  # the counting committee is recorded by delegate id
        write_counting_minutes(out, store.congress, election, round_no, names=names)
    print(t("cli.minutes_written", path=out, round=round_no))
    return 0


def cmd_reissue(args: argparse.Namespace) -> int:
    with _open(args) as store:
        code = store.reissue_card(args.number, args.reason)
        delegate = store.delegate(args.number)
    assert delegate is not None
    print(t("cli.reissued", number=args.number, name=delegate.full_name, issue=delegate.card_issue))
    print(code)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from printouts.report import status_json, status_lines

    with _open(args) as store:
        if args.json:
            print(json.dumps(status_json(store), ensure_ascii=False, indent=2))
        else:
            for line in status_lines(store):
                print(line)
    return 0


def cmd_agenda(args: argparse.Namespace) -> int:
    from printouts.report import agenda_lines, agenda_rows

    with _open(args) as store:
        now = store.clock()
        if args.json:
            state = store.agenda_state()
            print(
                json.dumps(
                    {
                        "congress": store.congress.name,
                        "current": state.current,
                        "items": agenda_rows(store, now),
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            print("\n".join(agenda_lines(store, now)))
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    from printouts.report import results_json, results_lines

    with _open(args) as store:
        if args.json:
            print(json.dumps(results_json(store), ensure_ascii=False, indent=2))
        else:
            print("\n".join(results_lines(store)))
    return 0


def cmd_activate_alternate(args: argparse.Namespace) -> int:
    with _open(args) as store:
        change = store.deactivate_alternate if args.undo else store.activate_alternate
        done = change(args.official, args.alternate, args.reason)
    print(t("cli.deactivated" if args.undo else "cli.activated",
            alternate=done.alternate.number, alternate_name=done.alternate.full_name,
            official=done.official.number, official_name=done.official.full_name,
            before=done.base_before, after=done.base_after))  # fmt: skip
    return 0


def cmd_statistics(args: argparse.Namespace) -> int:
    from session import statistics

    with _open(args) as store:
        delegates = store.delegates()
        if args.election:
            by_number = {d.number: d for d in delegates}
            stats = statistics.of_election(_election(store, args.election), by_number,
                                           store.congress)  # fmt: skip
        else:
            stats = statistics.of_delegates(delegates, store.congress)
    if args.json:
        print(json.dumps(statistics.to_json(stats), ensure_ascii=False, indent=2))
    else:
        print("\n".join(statistics.lines(stats)))
    return 0


def cmd_bodies(args: argparse.Namespace) -> int:
    """List the congress's bodies, or (`set`) record the members a vote elected to one."""
    from session import bodies

    with _open(args) as store:
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
        print(json.dumps(bodies.to_json(book), ensure_ascii=False, indent=2))
    else:
        print("\n".join(bodies.lines(book, zone)))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    with _open(args) as store:
        problem = store.verify()
        last = store.last_seq()
        tail = store.events(after=last - 1) if last else []
        head = tail[-1] if tail else None
    if problem is not None:
        raise CommandError(t(f"verify.{problem.key}", **problem.params))
    print(t("verify.ok", count=last, hash=head.hash[:16] if head else "-"))
    if args.export:  # the log holds: now the export folder against it
        from printouts.export import run_verify_export

        with _open(args) as store:
            print(run_verify_export(store, Path(args.export)))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from printouts.export import run_export

    with _open(args) as store:
        lines = run_export(store, Path(args.out), args.as_of, args.lang, args.force)
    print("\n".join(lines))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from db.backup import restore

    def confirmed(question: str) -> bool:
        if args.yes:
            return True
        try:
            return input(question).strip().lower() in ("yes", "y", "có", "co")
        except EOFError:  # no terminal to answer: no
            return False

    print(restore(args.db, Path(args.source), confirmed))
    return 0


def _check_role(store: Store, role: Role, sector: str | None, station: str | None) -> None:
    """Refuse to open a role's terminal that could not sign in, a sector the hall lacks, or a
    door station the congress file does not name (a typo would file the door's scans under a
    station nobody counts)."""
    if role.needs_passphrase and role is not Role.OPERATOR and not store.has_passphrase(role):
        raise CommandError(t("roles.cli.no_passphrase", role=role.value))
    codes = [s.code for s in store.congress.sectors]
    if sector is not None and sector not in codes:
        raise CommandError(t("roles.cli.no_sector", sector=sector, sectors=", ".join(codes)))
    stations = store.congress.stations
    if role is Role.DOOR and station is not None and station not in stations:
        raise CommandError(t("roles.cli.no_station", station=station, stations=", ".join(stations)))


def cmd_run(args: argparse.Namespace) -> int:
    from tui.app import make_app

    # `presidium demo` comes here too, without the role options: the operator's app.
    role = Role(getattr(args, "role", Role.OPERATOR.value))
    sector, election = getattr(args, "sector", None), getattr(args, "election", None)
    if args.station:  # as the congress file's names are: NFC (a Mac terminal may type NFD)
        args.station = nfc(args.station)
    store = _open(args)
    try:
        _check_role(store, role, sector, args.station)
        if role is not Role.OPERATOR:  # the person signs in: not the machine's login name
            store.act_as(role, getattr(args, "operator", None) or "")
        welcome = getattr(args, "welcome", "")
        app = make_app(
            store,
            station=args.station,
            role=role,
            sector=sector,
            election=election,
            welcome=welcome,
        )
        app.run()
    finally:
        store.close()
    return 0


def _read_passphrase(args: argparse.Namespace) -> str:
    """From --passphrase-file (its first line), else typed twice without echo."""
    from session.roles import check_new

    if args.passphrase_file:
        lines = Path(args.passphrase_file).read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    first = getpass.getpass(t("roles.cli.prompt", role=args.role))
    check_new(first)
    if getpass.getpass(t("roles.cli.prompt_again")) != first:
        raise CommandError(t("roles.cli.mismatch"))
    return first


def cmd_roles(args: argparse.Namespace) -> int:
    """List which roles have a passphrase, or (`set ROLE`) set one."""
    with _open(args) as store:
        if args.action == "set":
            if args.role is None:
                raise CommandError(t("roles.cli.set_needs"))
            role = Role(args.role)
            store.set_passphrase(role, _read_passphrase(args))
            print(t("roles.cli.set", role=role.value))
            return 0
        have, zone = store.passphrases(), store.congress.zone
    for role in Role:
        if not role.needs_passphrase:
            state = t("roles.cli.open")
        elif role in have:
            since = have[role].astimezone(zone).strftime(t("format.datetime"))
            state = t("roles.cli.is_set", since=since)
        else:
            state = t(f"roles.cli.not_set_{'operator' if role is Role.OPERATOR else 'other'}")
        print(f"{role.value:<10} {state}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """The projector in a browser: textual-serve starts one read-only display per page."""
    from textual_serve.server import Server

    with _open(args) as store:
        title, url = store.congress.name, store.url
    # Each page's display process finds the database here, not on its command line (which
    # textual-serve would otherwise show as the page's title, password and all).
    os.environ[ENV_VAR] = url
    lang = ["--lang", args.lang] if args.lang else []
    command = [sys.executable, "-m", "presidium", *lang, "run", "--role", Role.DISPLAY.value]
    command += ["--station", args.station]
    print(t("roles.cli.serving", url=f"http://{args.host}:{args.port}/"), flush=True)
    Server(shlex.join(command), host=args.host, port=args.port, title=title).serve()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from presidium.demo import build_demo

    db_path = Path(args.db) if args.db else Path("demo") / "presidium-demo.db"
    args.db = str(db_path)  # (named if the database cannot be opened)
    if args.lang is None:
        i18n.use("vi")
    result = build_demo(db_path, args.delegates, start=date.today(), replace=args.replace)
    note = "\n".join(
        [
            t("cli.demo_written", db=result.db, cards=result.cards, codes=result.codes),
            t("cli.demo_howto", codes=result.codes),
        ]
    )
    print(note)
    if args.no_open:
        return 0
    args.db = str(result.db)
    args.station = None
    args.welcome = note  # the full-screen app covers what was printed: it shows the note too
    status = cmd_run(args)
    print(note)  # and again once the app has closed, for the paths
    return status


# argparse's own texts ("usage:", "options", its error messages), looked up through the catalog:
# argparse fetches each through its module's `_` and `ngettext` when it needs it (gettext's
# hook), so these two names are all that is replaced. Placeholders stay in %-style.
ARGPARSE_TEXTS = {
    "usage: ": "usage",
    "positional arguments": "positionals",
    "options": "options",
    "show this help message and exit": "help",
    "argument %(argument_name)s: %(message)s": "argument",
    "can't open '%(filename)s': %(error)s": "cannot_open",
    "unrecognized arguments: %s": "unrecognized",
    "not allowed with argument %s": "not_allowed_with",
    "the following arguments are required: %s": "required",
    "one of the arguments %s is required": "one_required",
    "expected one argument": "expected_one",
    "expected at most one argument": "expected_at_most_one",
    "expected at least one argument": "expected_at_least_one",
    "expected %s argument": "expected_n",
    "expected %s arguments": "expected_n",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "invalid %(type)s value: %(value)r": "invalid_type",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "%(prog)s: error: %(message)s\n": "error",
}


def _argparse_text(message: str) -> str:
    key = ARGPARSE_TEXTS.get(message)
    return t(f"cli.argparse.{key}") if key else message


def _argparse_plural(singular: str, plural: str, n: int) -> str:
    return _argparse_text(singular if n == 1 else plural)


argparse._ = _argparse_text  # type: ignore[attr-defined]
argparse.ngettext = _argparse_plural  # type: ignore[attr-defined]


def _whole(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` (to `high`), else argparse's usage error."""

    def whole(text: str) -> int:
        try:
            value: int | None = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            key = "cli.refusal.at_least" if high is None else "cli.refusal.range"
            raise argparse.ArgumentTypeError(t(key, low=low, high=high, value=text))
        return value

    return whole


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="presidium", description=t("cli.description"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=t("cli.help.lang"))
    sub = parser.add_subparsers(dest="command", required=True)

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], db: bool = True
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=t(f"cli.help.{name}"))
        p.set_defaults(handler=handler)
        p.add_argument(
            "--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS, help=t("cli.help.lang")
        )
        if db:
            p.add_argument("--db", help=t("cli.help.db"))
        return p

    p = command("init", cmd_init)
    p.add_argument("congress", metavar="CONGRESS.toml", help=t("cli.help.congress_file"))
    p = command("import", cmd_import)
    p.add_argument("file", metavar="FILE", help=t("cli.help.register_file"))
    p = command("cards", cmd_cards)
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=t("cli.help.pdf_out"))
    p.add_argument("--number", type=int, action="append", help=t("cli.help.number"))
    p.add_argument("--list", action="store_true", help=t("cli.help.list"))
    p = command("candidates", cmd_candidates)
    p.add_argument("action", choices=["import"], help=t("cli.help.candidates_action"))
    p.add_argument("file", metavar="FILE", help=t("cli.help.candidates_file"))
    p.add_argument("--election", required=True, metavar="NAME", help=t("cli.help.election"))
    p = command("ballots", cmd_ballots)
    p.add_argument("--election", required=True, metavar="NAME", help=t("cli.help.election"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=t("cli.help.pdf_out"))
    p.add_argument("--round", type=int, help=t("cli.help.round"))
    p.add_argument("--copies", type=_whole(1), help=t("cli.help.copies"))
    p = command("counting-minutes", cmd_counting_minutes)
    p.add_argument("--election", required=True, metavar="NAME", help=t("cli.help.election"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=t("cli.help.pdf_out"))
    p.add_argument("--round", type=int, help=t("cli.help.round"))
    p = command("reissue", cmd_reissue)
    p.add_argument("number", type=int, help=t("cli.help.reissue_number"))
    p.add_argument("--reason", required=True, help=t("cli.help.reason"))
    p = command("run", cmd_run)
    p.add_argument("--role", choices=[r.value for r in Role], default=Role.OPERATOR.value,
                   help=t("cli.help.role"))  # fmt: skip
    p.add_argument("--station", help=t("cli.help.station"))
    p.add_argument("--operator", help=t("cli.help.operator"))
    p.add_argument("--sector", metavar="CODE", help=t("cli.help.sector"))
    p.add_argument("--election", metavar="ID", help=t("cli.help.counting_election"))
    p = command("roles", cmd_roles)
    p.add_argument("action", nargs="?", choices=["set"], help=t("cli.help.roles_action"))
    p.add_argument("role", nargs="?", choices=[r.value for r in Role],
                   help=t("cli.help.roles_role"))  # fmt: skip
    p.add_argument("--passphrase-file", metavar="FILE", help=t("cli.help.passphrase_file"))
    p = command("serve", cmd_serve)
    p.add_argument("--role", choices=[Role.DISPLAY.value], default=Role.DISPLAY.value,
                   help=t("cli.help.serve_role"))  # fmt: skip
    p.add_argument("--host", default="127.0.0.1", help=t("cli.help.host"))
    p.add_argument("--port", type=_whole(1, 65535), default=8000, help=t("cli.help.port"))
    p.add_argument("--station", default="browser", help=t("cli.help.serve_station"))
    p = command("status", cmd_status)
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p = command("agenda", cmd_agenda)
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p = command("results", cmd_results)
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p = command("activate-alternate", cmd_activate_alternate)
    p.add_argument("--official", type=int, required=True, help=t("cli.help.official"))
    p.add_argument("--alternate", type=int, required=True, help=t("cli.help.alternate"))
    p.add_argument("--reason", required=True, help=t("cli.help.reason"))
    p.add_argument("--undo", action="store_true", help=t("cli.help.undo"))
    p = command("statistics", cmd_statistics)
    p.add_argument("--election", metavar="NAME", help=t("cli.help.statistics_election"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p = command("bodies", cmd_bodies)
    p.add_argument("action", nargs="?", choices=["set"], help=t("cli.help.bodies_action"))
    p.add_argument("--body", choices=[b.value for b in Body], help=t("cli.help.body"))
    p.add_argument("--members", metavar="NAMES", help=t("cli.help.members"))
    p.add_argument("--head", metavar="NAME", help=t("cli.help.head"))
    p.add_argument("--vote", metavar="ID", help=t("cli.help.vote"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p = command("verify", cmd_verify)
    p.add_argument("--export", metavar="DIR", help=t("cli.help.verify_export"))
    p = command("export", cmd_export)
    p.add_argument("--out", required=True, metavar="DIR", help=t("cli.help.out_dir"))
    p.add_argument("--as-of", metavar="ISO", help=t("cli.help.as_of"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p = command("restore", cmd_restore)
    p.add_argument("--from", dest="source", required=True, metavar="FILE",
                   help=t("cli.help.from_backup"))  # fmt: skip
    p.add_argument("--yes", action="store_true", help=t("cli.help.yes"))
    p = command("demo", cmd_demo, db=False)
    p.add_argument("--delegates", type=_whole(1, MAX_DELEGATE_NUMBER), default=300,
                   help=t("cli.help.delegates"))  # fmt: skip
    p.add_argument("--db", help=t("cli.help.demo_db"))
    p.add_argument("--no-open", action="store_true", help=t("cli.help.no_open"))
    p.add_argument("--replace", action="store_true", help=t("cli.help.replace"))
    p.add_argument("--operator", help=t("cli.help.operator"))
    return parser


def _is_refusal(exc: Exception) -> bool:
    lazy = [getattr(sys.modules[m], name) for m, name in LAZY_REFUSALS if m in sys.modules]
    return isinstance(exc, (*REFUSALS, *lazy))


def _reason(exc: Exception, args: argparse.Namespace) -> str:
    """A refusal's reason, for the one line."""
    if isinstance(exc, DatabaseLocationError):  # (its own text is English only)
        return t("cli.refusal.no_database")
    if isinstance(exc, RegisterError):
        return "; ".join(_problem_line(p) for p in exc.problems)
    if isinstance(exc, DatabaseFailure):
        db = getattr(args, "db", None) or os.environ.get(ENV_VAR) or ""
        return t("cli.refusal.database", db=db, detail=driver_reason(exc))
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)


def _say(message: str) -> None:
    """`presidium: ` and the message, on one line of stderr whatever the message holds."""
    line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    print(f"presidium: {line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in argv[:-1]:
        lang = argv[argv.index("--lang") + 1]
        if lang in i18n.LANGUAGES:
            i18n.use(lang)
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:  # `presidium agenda | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        _say(t("cli.refusal.interrupted"))
        return EXIT_INTERRUPTED
    except Exception as exc:
        if _is_refusal(exc):
            _say(_reason(exc, args))
            return EXIT_REFUSED
        if os.environ.get(TRACEBACK_VAR):
            raise
        detail = " ".join(str(exc).split())
        error = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        _say(t("cli.refusal.internal", error=error, var=TRACEBACK_VAR))
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
