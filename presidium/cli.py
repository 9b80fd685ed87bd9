"""The `presidium` command: one entry point for the venue's scripts and the operator.

This module holds the argument parser and `main`, which runs the chosen command and decides
its exit status; the commands are in `presidium.commands`, grouped by what they serve, and
the refusals in `presidium.refusals`.

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

Whatever a command prints goes through `presidium.refusals.visible_output`: a control character
(in a delegate's name, say) is shown escaped, never sent raw to the terminal.

Once the operator has a passphrase, every command asks for it first (presidium.opening) but the
few the parser marks open: `init` (the database does not exist yet), `read-ballots` (the
counting committee's: it asks the counting role's passphrase instead), `verify` (it says only
whether the record holds and the head of its chain: anyone checking the record may run it,
an observer with a copy of the database included), `run` (the app signs in itself: a door
terminal signs in with the door's passphrase, never the operator's) and `demo` (its own
database; replacing an existing one asks, as `restore` does).
"""

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from db.backup import COPY_TO_VAR
from presidium.arguments import ARGPARSE_TEXTS, translate_argparse, whole_number
from presidium.commands.database import cmd_backup, cmd_init, cmd_restore, cmd_verify
from presidium.commands.paper import cmd_ballots, cmd_cards, cmd_counting_minutes, cmd_export
from presidium.commands.register import (
    cmd_activate_alternate,
    cmd_candidates,
    cmd_import,
    cmd_reissue,
)
from presidium.commands.reports import (
    cmd_agenda,
    cmd_bodies,
    cmd_results,
    cmd_statistics,
    cmd_status,
)
from presidium.commands.roles import cmd_roles
from presidium.commands.seals import cmd_seal, cmd_seal_key
from presidium.commands.speakers import cmd_speakers
from presidium.commands.standby import cmd_standby
from presidium.commands.terminals import cmd_demo, cmd_run, cmd_serve
from presidium.opening import PASSPHRASE_VAR
from presidium.refusals import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_REFUSED,
    LAZY_REFUSALS,
    REFUSALS,
    TRACEBACK_VAR,
    CommandError,
    is_refusal,
    reason,
    say,
    visible_output,
)
from session import i18n
from session.bodies import Body
from session.cards import MAX_DELEGATE_NUMBER
from session.i18n import t
from session.roles import Role

__all__ = [  # what the scripts and tests use: the commands, the exit statuses, the refusals
    "ARGPARSE_TEXTS",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_REFUSED",
    "LAZY_REFUSALS",
    "REFUSALS",
    "TRACEBACK_VAR",
    "CommandError",
    "cmd_activate_alternate",
    "cmd_agenda",
    "cmd_backup",
    "cmd_ballots",
    "cmd_bodies",
    "cmd_candidates",
    "cmd_cards",
    "cmd_counting_minutes",
    "cmd_demo",
    "cmd_export",
    "cmd_import",
    "cmd_init",
    "cmd_read_ballots",
    "cmd_reissue",
    "cmd_restore",
    "cmd_results",
    "cmd_roles",
    "cmd_run",
    "cmd_serve",
    "cmd_speakers",
    "cmd_statistics",
    "cmd_status",
    "cmd_verify",
    "main",
]

Handler = Callable[[argparse.Namespace], int]

translate_argparse()


# The commands anyone may run once the operator has a passphrase (why: this module's docstring).
OPEN_COMMANDS = frozenset({"init", "verify", "run", "demo", "read-ballots", "standby"})


def _passphrase_note() -> str:
    return t("roles.cli.passphrase_help", var=PASSPHRASE_VAR)


class _Commands:
    """The subcommands being declared, in the order `--help` lists them; each takes --lang, and
    all but the demo --db. The handler is the name's value in this module when the parser is
    built (so a test may replace `cmd_status`, say). Each but OPEN_COMMANDS is the operator's:
    `presidium.opening.open_store` asks for its passphrase."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self._sub = parser.add_subparsers(dest="command", required=True)

    def add(self, name: str, handler: Handler, db: bool = True) -> argparse.ArgumentParser:
        """Declare the command `name`, run by `handler`; its own arguments are the caller's."""
        operator_only = db and name not in OPEN_COMMANDS  # (without --db: no congress to ask)
        epilog = _passphrase_note() if operator_only else None
        p = self._sub.add_parser(name, help=t(f"cli.help.{name}"), epilog=epilog)
        p.set_defaults(handler=handler, operator_only=operator_only)
        p.add_argument(
            "--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS, help=t("cli.help.lang")
        )
        if db:
            p.add_argument("--db", help=t("cli.help.db"))
        return p


def _parser() -> argparse.ArgumentParser:
    """The whole command line, its texts in the language in use now."""
    parser = argparse.ArgumentParser(
        prog="presidium", description=t("cli.description"), epilog=_passphrase_note()
    )
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=t("cli.help.lang"))
    commands = _Commands(parser)
    _add_preparation(commands)
    _add_election_paper(commands)
    _add_terminals(commands)
    _add_reports(commands)
    _add_speakers(commands)
    _add_standby(commands)
    _add_record(commands)
    _add_demo(commands)
    return parser


def _add_preparation(commands: _Commands) -> None:
    """Before the congress: the database, the register, the cards, the candidates."""
    p = commands.add("init", cmd_init)
    p.add_argument("congress", metavar="CONGRESS.toml", help=t("cli.help.congress_file"))
    p = commands.add("import", cmd_import)
    p.add_argument("file", metavar="FILE", help=t("cli.help.register_file"))
    p = commands.add("cards", cmd_cards)
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=t("cli.help.pdf_out"))
    p.add_argument("--number", type=int, action="append", help=t("cli.help.number"))
    p.add_argument("--list", action="store_true", help=t("cli.help.list"))
    p = commands.add("candidates", cmd_candidates)
    p.add_argument("action", choices=["import"], help=t("cli.help.candidates_action"))
    p.add_argument("file", metavar="FILE", help=t("cli.help.candidates_file"))
    p.add_argument("--election", required=True, metavar="NAME", help=t("cli.help.election"))


def _add_election_paper(commands: _Commands) -> None:
    """An election's ballots and counting minutes."""
    p = commands.add("ballots", cmd_ballots)
    p.add_argument("--election", required=True, metavar="NAME", help=t("cli.help.election"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=t("cli.help.pdf_out"))
    p.add_argument("--round", type=int, help=t("cli.help.round"))
    # (argparse formats help with %: the text's "5 %" must reach it as "5 %%")
    p.add_argument("--copies", type=whole_number(1), help=t("cli.help.copies").replace("%", "%%"))
    p = commands.add("read-ballots", cmd_read_ballots)
    p.add_argument("sources", nargs="+", metavar="FILE_OR_FOLDER", help=t("cli.help.scans"))
    p.add_argument("--election", metavar="NAME", help=t("cli.help.election"))
    p.add_argument("--box", metavar="BOX", help=t("cli.help.read_box"))
    p.add_argument("--batch", metavar="BATCH", help=t("cli.help.read_batch"))
    p.add_argument("--round", type=int, help=t("cli.help.round"))
    p.add_argument("--check", action="store_true", help=t("cli.help.read_check"))
    p.add_argument("--watch", action="store_true", help=t("cli.help.read_watch"))
    p.add_argument("--json", action="store_true", help=t("cli.help.read_json"))
    p.add_argument("--verbose", action="store_true", help=t("cli.help.read_verbose"))
    p = commands.add("counting-minutes", cmd_counting_minutes)
    p.add_argument("--election", required=True, metavar="NAME", help=t("cli.help.election"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=t("cli.help.pdf_out"))
    p.add_argument("--round", type=int, help=t("cli.help.round"))


def _add_terminals(commands: _Commands) -> None:
    """At the desks and doors: a lost card reissued, the terminals, their roles' passphrases,
    the projector in browsers."""
    p = commands.add("reissue", cmd_reissue)
    p.add_argument("number", type=int, help=t("cli.help.reissue_number"))
    p.add_argument("--reason", required=True, help=t("cli.help.reason"))
    p = commands.add("run", _run)
    p.add_argument("--role", choices=[r.value for r in Role], default=Role.OPERATOR.value,
                   help=t("cli.help.role"))  # fmt: skip
    p.add_argument("--station", help=t("cli.help.station"))
    p.add_argument("--operator", help=t("cli.help.operator"))
    p.add_argument("--sector", metavar="CODE", help=t("cli.help.sector"))
    p.add_argument("--election", metavar="ID", help=t("cli.help.counting_election"))
    p.add_argument("--seal-key", metavar="FILE", help=t("cli.help.run_seal_key"))
    p.add_argument("--copy-to", action="append", metavar="DIR", help=t("cli.help.copy_to"))
    p = commands.add("roles", cmd_roles)
    p.add_argument("action", nargs="?", choices=["set"], help=t("cli.help.roles_action"))
    p.add_argument("role", nargs="?", choices=[r.value for r in Role],
                   help=t("cli.help.roles_role"))  # fmt: skip
    p.add_argument("--passphrase-file", metavar="FILE", help=t("cli.help.passphrase_file"))
    p = commands.add("serve", cmd_serve)
    p.add_argument("--role", choices=[Role.DISPLAY.value], default=Role.DISPLAY.value,
                   help=t("cli.help.serve_role"))  # fmt: skip
    p.add_argument("--host", default="127.0.0.1", help=t("cli.help.host"))
    p.add_argument("--port", type=whole_number(1, 65535), default=8000, help=t("cli.help.port"))
    p.add_argument("--station", default="browser", help=t("cli.help.serve_station"))


def _add_reports(commands: _Commands) -> None:
    """During the congress: what the presidium reads, and what it records from here."""
    for name, handler in (("status", cmd_status), ("agenda", cmd_agenda), ("results", cmd_results)):
        p = commands.add(name, handler)
        p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p = commands.add("activate-alternate", cmd_activate_alternate)
    p.add_argument("--official", type=int, required=True, help=t("cli.help.official"))
    p.add_argument("--alternate", type=int, required=True, help=t("cli.help.alternate"))
    p.add_argument("--reason", required=True, help=t("cli.help.reason"))
    p.add_argument("--undo", action="store_true", help=t("cli.help.undo"))
    p = commands.add("statistics", cmd_statistics)
    p.add_argument("--election", metavar="NAME", help=t("cli.help.statistics_election"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p = commands.add("bodies", cmd_bodies)
    p.add_argument("action", nargs="?", choices=["set"], help=t("cli.help.bodies_action"))
    p.add_argument("--body", choices=[b.value for b in Body], help=t("cli.help.body"))
    p.add_argument("--members", metavar="NAMES", help=t("cli.help.members"))
    p.add_argument("--head", metavar="NAME", help=t("cli.help.head"))
    p.add_argument("--vote", metavar="ID", help=t("cli.help.vote"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))


def _add_speakers(commands: _Commands) -> None:
    """The discussion: `speakers` prints the lists, `speakers import FILE` fills them before
    the congress (optional positionals, as `roles` and `bodies set`: both forms parse)."""
    p = commands.add("speakers", cmd_speakers)
    p.add_argument("action", nargs="?", choices=["import"], help=t("cli.help.speakers_action"))
    p.add_argument("file", nargs="?", metavar="FILE", help=t("cli.help.speakers_file"))
    p.add_argument("--item", metavar="KEY", help=t("cli.help.speakers_item"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))


def _add_standby(commands: _Commands) -> None:
    """A second PostgreSQL server that takes over (presidium.commands.standby): the servers'
    superuser URL in --db, not a congress's operator (no passphrase of ours to ask)."""
    p = commands.add("standby", cmd_standby, db=False)
    p.add_argument("action", choices=["setup", "status", "promote", "guard"],
                   help=t("cli.help.standby_action"))  # fmt: skip
    p.add_argument("--db", help=t("cli.help.standby_db"))
    p.add_argument("--primary", metavar="URL", help=t("cli.help.standby_primary"))
    p.add_argument("--data", metavar="DIR", help=t("cli.help.standby_data"))
    p.add_argument("--port", type=whole_number(1, 65535), default=5432,
                   help=t("cli.help.standby_port"))  # fmt: skip
    p.add_argument("--listen", default="*", help=t("cli.help.standby_listen"))
    p.add_argument("--grace", type=whole_number(1, 600), default=5,
                   help=t("cli.help.standby_grace"))  # fmt: skip
    p.add_argument("--force", action="store_true", help=t("cli.help.standby_force"))


def _add_record(commands: _Commands) -> None:
    """The record: its chain checked, the proceedings exported, a backup brought back."""
    p = commands.add("verify", cmd_verify)
    p.add_argument("--export", metavar="DIR", help=t("cli.help.verify_export"))
    p.add_argument("--anchor", metavar="HASH", help=t("cli.help.verify_anchor"))
    p.add_argument("--seal-key", metavar="PUBLIC", help=t("cli.help.verify_seal_key"))
    p = commands.add("seal", cmd_seal)
    p.add_argument("--key", required=True, metavar="FILE", help=t("cli.help.seal_key_file"))
    p = commands.add("seal-key", cmd_seal_key, db=False)
    p.add_argument("--out", required=True, metavar="FILE", help=t("cli.help.seal_key_out"))
    p = commands.add("export", cmd_export)
    p.add_argument("--out", required=True, metavar="DIR", help=t("cli.help.out_dir"))
    p.add_argument("--as-of", metavar="ISO", help=t("cli.help.as_of"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.add_argument("--seal-key", metavar="FILE", help=t("cli.help.export_seal_key"))
    p = commands.add("backup", cmd_backup)
    p.add_argument("--to", required=True, metavar="DIR", help=t("cli.help.backup_to"))
    p = commands.add("restore", cmd_restore)
    p.add_argument("--from", dest="source", required=True, metavar="FILE",
                   help=t("cli.help.from_backup"))  # fmt: skip
    p.add_argument("--yes", action="store_true", help=t("cli.help.yes"))


def _add_demo(commands: _Commands) -> None:
    """The demo congress, its own database (no --db of a real congress)."""
    p = commands.add("demo", _demo, db=False)
    p.add_argument("--delegates", type=whole_number(1, MAX_DELEGATE_NUMBER), default=300,
                   help=t("cli.help.delegates"))  # fmt: skip
    p.add_argument("--db", help=t("cli.help.demo_db"))
    p.add_argument("--no-open", action="store_true", help=t("cli.help.no_open"))
    p.add_argument("--replace", action="store_true", help=t("cli.help.replace"))
    p.add_argument("--operator", help=t("cli.help.operator"))


def cmd_read_ballots(args: argparse.Namespace) -> int:
    """`presidium read-ballots` (presidium.commands.reading), imported when it runs: the image
    libraries it needs (OpenCV, numpy) would cost every other command half a second to load."""
    from presidium.commands.reading import cmd_read_ballots as read_ballots

    return read_ballots(args)


def _run(args: argparse.Namespace) -> int:
    """`presidium run` through this module's `cmd_run` (looked up when it runs): --copy-to goes
    to the operator's backups as db.backup.COPY_TO_VAR, as PRESIDIUM_DB stands for --db."""
    if args.copy_to:
        folders = (str(Path(folder).expanduser().absolute()) for folder in args.copy_to)
        os.environ[COPY_TO_VAR] = os.pathsep.join(folders)
    return cmd_run(args)


def _demo(args: argparse.Namespace) -> int:
    """`presidium demo`, opening the app through this module's `cmd_run` (looked up when the
    demo runs, as `run` is)."""
    return cmd_demo(args, run=cmd_run)


def _use_asked_language(argv: list[str]) -> None:
    """--lang before the parser speaks: its help and usage errors are in that language."""
    if "--lang" in argv[:-1]:
        lang = argv[argv.index("--lang") + 1]
        if lang in i18n.LANGUAGES:
            i18n.use(lang)


def main(argv: Sequence[str] | None = None) -> int:
    with visible_output():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _use_asked_language(argv)
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:  # `presidium agenda | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        say(t("cli.refusal.interrupted"))
        return EXIT_INTERRUPTED
    except Exception as exc:
        if not is_refusal(exc) and os.environ.get(TRACEBACK_VAR):
            raise  # a bug, for its report: the traceback as it is
        return _failed(exc, args)


def _failed(exc: Exception, args: argparse.Namespace) -> int:
    """A refusal's one line (exit 1), or a bug's (exit 70)."""
    if is_refusal(exc):
        say(reason(exc, args))
        return EXIT_REFUSED
    detail = " ".join(str(exc).split())
    error = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    say(t("cli.refusal.internal", error=error, var=TRACEBACK_VAR))
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
