"""Opening the congress database for a command: the machine, station and operator named on
every event, the congress's language, the note of an upgrade; and an election found by name."""

import argparse
import getpass
import socket
import sys
from typing import TYPE_CHECKING

from db.store import Store
from presidium.refusals import CommandError
from session import i18n
from session.i18n import t

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


def open_store(args: argparse.Namespace) -> Store:
    """The database of --db (or $PRESIDIUM_DB), speaking the congress's language unless --lang."""
    # The terminal names the machine and station on every event; the station is the door's name.
    station = getattr(args, "station", None)
    terminal = f"{socket.gethostname()}/{station}" if station else socket.gethostname()
    store = Store.open(args.db, terminal=terminal, operator=operator_name(args))
    if args.lang is None:
        i18n.use(store.congress.language)
    if store.upgraded is not None:  # (said once, on the open that upgraded it)
        print(store.upgraded.line(), file=sys.stderr)
    return store


def election_named(store: Store, name: str) -> "Election":
    """The congress's election `name`, else the refusal that names it."""
    election = store.election_book().get(name)
    if election is None:
        raise CommandError(t("cli.no_election", election=name))
    return election
