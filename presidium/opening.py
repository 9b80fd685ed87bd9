"""Opening the congress database for a command: the machine, station and operator named on
every event, the congress's language, the note of an upgrade, the operator's passphrase; and an
election found by name.

Once the operator has a passphrase, every command that changes the congress or reads all of it
asks for it before doing anything (:func:`operator_signs_in`, the one gate, in
:func:`open_store`): the parser marks the few that do not (`presidium.cli`). A wrong one is
refused on one line and counted in the database like a wrong one at a screen (db/roles.py), so
the same wait holds. The passphrase is typed without echo at a terminal, or given to a script
in PASSPHRASE_VAR, which is then removed from the environment (the projector's processes that
`serve` starts never inherit it); it is never an argument, which any user of the machine can
read in the process list.
"""

import argparse
import getpass
import os
import socket
import sys
from typing import TYPE_CHECKING

from db.errors import DatabaseFailure
from db.store import Store, StoreError
from presidium.refusals import CommandError
from session import i18n
from session.i18n import t
from session.roles import Role

if TYPE_CHECKING:
    from session.elections import Election


def operator_name(args: argparse.Namespace) -> str:
    """Who is at the keyboard: --operator, else the login name (recorded on every event)."""
    name = getattr(args, "operator", None)
    if name:
        return str(name)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


PASSPHRASE_VAR = "PRESIDIUM_OPERATOR_PASSPHRASE"


def open_store(args: argparse.Namespace) -> Store:
    """The database of --db (or $PRESIDIUM_DB), speaking the congress's language unless --lang,
    once the operator's passphrase is given (unless the parser marked the command open)."""
    # The terminal names the machine and station on every event; the station is the door's name.
    station = getattr(args, "station", None)
    terminal = f"{socket.gethostname()}/{station}" if station else socket.gethostname()
    store = Store.open(args.db, terminal=terminal, operator=operator_name(args))
    try:
        if args.lang is None:
            i18n.use(store.congress.language)
        if store.upgraded is not None:  # (said once, on the open that upgraded it)
            print(store.upgraded.line(), file=sys.stderr)
        if getattr(args, "operator_only", True):  # (a command the parser did not mark: asks)
            operator_signs_in(store)
    except BaseException:
        store.close()
        raise
    return store


def operator_signs_in(store: Store) -> None:
    """Ask for the operator's passphrase when one is set: refused (nothing done) unless right;
    the events the command appends then name the operator's role."""
    given = os.environ.pop(PASSPHRASE_VAR, None)  # (read once, whether needed or not: gone)
    if not store.has_passphrase(Role.OPERATOR):
        return
    if not store.check_passphrase(Role.OPERATOR, given or _typed_passphrase()):
        raise CommandError(t("roles.cli.operator_wrong"))
    store.act_as(Role.OPERATOR)


def check_operator_of(args: argparse.Namespace) -> None:
    """The gate for a command that does not open the database at --db with :func:`open_store`
    (`restore` replaces it; `demo` pointed at an existing file prints all its cards, or with
    --replace deletes it): its operator's passphrase, when it is a congress database that has
    one. One that is missing or cannot be read has no passphrase to ask for."""
    try:
        store = Store.open(args.db, terminal=socket.gethostname(), operator=operator_name(args))
    except (StoreError, DatabaseFailure):
        return
    with store:
        if args.lang is None:
            i18n.use(store.congress.language)
        operator_signs_in(store)


def _typed_passphrase() -> str:
    """The operator's passphrase typed at the terminal, without echo."""
    if not sys.stdin.isatty():  # a script without the variable: say so rather than hang
        raise CommandError(t("roles.cli.operator_needed", var=PASSPHRASE_VAR))
    try:
        typed = getpass.getpass(t("roles.cli.operator_prompt"))
    except EOFError:
        typed = ""
    if not typed:
        raise CommandError(t("roles.cli.operator_none_typed"))
    return typed


def election_named(store: Store, name: str) -> "Election":
    """The congress's election `name`, else the refusal that names it."""
    election = store.election_book().get(name)
    if election is None:
        raise CommandError(t("cli.no_election", election=name))
    return election
