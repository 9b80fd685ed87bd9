"""The terminals: the app for a role at a desk, door or screen (`run`), the projector served to
web browsers (`serve`), and the app opened on a ready-made demo congress (`demo`)."""

import argparse
import os
import shlex
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from db.engine import ENV_VAR
from presidium.commands.roles import check_role
from presidium.commands.seals import use_seal_key
from presidium.opening import check_operator_of, open_terminal
from session import i18n
from session.i18n import t
from session.roles import Role
from session.text import nfc


def cmd_run(args: argparse.Namespace) -> int:
    from tui.app import make_app

    # `presidium demo` comes here too, without the role options: the operator's app.
    role = Role(getattr(args, "role", Role.OPERATOR.value))
    sector, election = getattr(args, "sector", None), getattr(args, "election", None)
    if args.station:  # as the congress file's names are: NFC (a Mac terminal may type NFD)
        args.station = nfc(args.station)
    store = open_terminal(args, role)
    try:
        check_role(store, role, sector, args.station)
        use_seal_key(store, getattr(args, "seal_key", None))
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


def cmd_serve(args: argparse.Namespace) -> int:
    """The projector in a browser: textual-serve starts one read-only display per page."""
    from textual_serve.server import Server

    with open_terminal(args, Role.DISPLAY) as store:  # its pages connect as the projector
        title, url = store.congress.name, store.url
    # Each page's display process finds the database here, not on its command line (which
    # textual-serve would otherwise show as the page's title, password and all); on PostgreSQL
    # the URL is the projector's own login's, password included (presidium.opening).
    os.environ[ENV_VAR] = url
    lang = ["--lang", args.lang] if args.lang else []
    command = [sys.executable, "-m", "presidium", *lang, "run", "--role", Role.DISPLAY.value]
    command += ["--station", args.station]
    print(t("roles.cli.serving", url=f"http://{args.host}:{args.port}/"), flush=True)
    Server(shlex.join(command), host=args.host, port=args.port, title=title).serve()
    return 0


def cmd_demo(args: argparse.Namespace, run: Callable[[argparse.Namespace], int]) -> int:
    """Write the demo congress, then (unless --no-open) open the operator's app on it with
    `run` (the command line's `run` command, handed in by `presidium.cli`)."""
    from presidium.demo import build_demo

    db_path = Path(args.db) if args.db else Path("demo") / "presidium-demo.db"
    args.db = str(db_path)  # (named if the database cannot be opened)
    if args.lang is None:
        i18n.use("vi")
    if db_path.exists():  # reused (its cards printed again) or replaced: a real congress's?
        check_operator_of(args)
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
    status = run(args)
    print(note)  # and again once the app has closed, for the paths
    return status
