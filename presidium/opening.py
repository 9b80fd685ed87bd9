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

from db.engine import database_url, is_sqlite
from db.errors import DatabaseFailure
from db.logins import given_passphrase
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
ROLE_PASSPHRASE_VAR = "PRESIDIUM_ROLE_PASSPHRASE"  # a role terminal's login, for scripts


def _terminal_name(args: argparse.Namespace) -> str:
    station = getattr(args, "station", None)
    return f"{socket.gethostname()}/{station}" if station else socket.gethostname()


def open_store(args: argparse.Namespace) -> Store:
    """The database of --db (or $PRESIDIUM_DB), speaking the congress's language unless --lang,
    once the operator's passphrase is given (unless the parser marked the command open)."""
    # The terminal names the machine and station on every event; the station is the door's name.
    store = Store.open(args.db, terminal=_terminal_name(args), operator=operator_name(args))
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


def open_terminal(args: argparse.Namespace, role: Role) -> Store:
    """A terminal's database. The operator's, and every terminal on SQLite (the file is the
    boundary), as `open_store` opens it. Another role's terminal on PostgreSQL connects as the
    role's own login (db/logins.py), so that whatever is sent from it, the server lets it do
    only its role's work: the role's passphrase is asked here, typed without echo (or read once
    from ROLE_PASSPHRASE_VAR and removed), before the app starts; the app's sign-in then checks
    each person's passphrase with the server."""
    if role is Role.OPERATOR or is_sqlite(database_url(args.db)):
        return open_store(args)
    url = database_url(args.db)
    given = os.environ.pop(ROLE_PASSPHRASE_VAR, None) or given_passphrase(url, role)
    prompt = t("roles.login.prompt", role=role.value)
    needed = t("roles.login.needed", role=role.value, var=ROLE_PASSPHRASE_VAR)
    phrase = given if given is not None else _typed_passphrase(prompt, needed)
    store = Store.open_as(args.db, role, phrase, terminal=_terminal_name(args))
    if args.lang is None:
        i18n.use(store.congress.language)
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


def role_signs_in(store: Store, role: Role) -> None:
    """A role's own command on SQLite, where the file is the boundary (on PostgreSQL it connects
    with the role's login instead: :func:`open_terminal`): the role's passphrase when one is set
    (typed without echo, or read once from ROLE_PASSPHRASE_VAR and removed); then its events
    name the role and the store records only the role's work."""
    given = os.environ.pop(ROLE_PASSPHRASE_VAR, None)
    if store.has_passphrase(role):
        prompt = t("reading.cli.role_prompt", role=role.value)
        needed = t("reading.cli.role_needed", role=role.value, var=ROLE_PASSPHRASE_VAR)
        phrase = given if given is not None else _typed_passphrase(prompt, needed)
        if not store.check_passphrase(role, phrase):
            raise CommandError(t("reading.cli.wrong_passphrase", role=role.value))
    store.act_as(role)


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


def _typed_passphrase(prompt: str = "", needed: str = "") -> str:
    """A passphrase (the operator's, unless `prompt` says whose) typed at the terminal, without
    echo; `needed` says what to do without a terminal."""
    if not sys.stdin.isatty():  # a script without the variable: say so rather than hang
        raise CommandError(needed or t("roles.cli.operator_needed", var=PASSPHRASE_VAR))
    try:
        typed = getpass.getpass(prompt or t("roles.cli.operator_prompt"))
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
