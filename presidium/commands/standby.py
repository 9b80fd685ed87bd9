"""`presidium standby`: a second PostgreSQL server that takes over (db.standby, issue 16).

- ``standby setup --primary URL --data DIR [--port N]``, on the standby's machine: the clone of
  the running primary, started, and the primary made to wait for it at every commit;
- ``standby status --db URL``: each server the URL names (a primary and its standby, as the
  terminals are given them), what it is, whom it waits for and how far behind the standby is;
- ``standby promote --db URL``: the standby takes writes (when the primary is lost);
- ``standby guard --db URL [--grace S]``, beside the primary: when the standby is lost the
  primary goes on alone and the log says so; when it is back it waits for it again.

They use the servers' superuser login (a technician's), not the operator's passphrase: whoever
holds that login holds the servers already (docs/security.md).
"""

import argparse
import signal
import time
from pathlib import Path
from typing import Any

from db.standby import (
    NAME,
    STANDBY_LOST,
    Guard,
    ServerState,
    StandbyError,
    cluster_state,
    guard_primary,
    promote,
    set_up,
)
from db.store import Store
from presidium.refusals import CommandError
from session.i18n import number, t

RECONNECT_SECONDS = 1.0


def cmd_standby(args: argparse.Namespace) -> int:
    try:
        match args.action:
            case "setup":
                return _setup(args)
            case "status":
                return _status(args)
            case "promote":
                print(t("standby.cli.promoted", where=promote(_db(args), force=args.force)))
                return 0
            case _:
                return _guard(args)
    except StandbyError as exc:
        raise CommandError(str(exc)) from None


def _db(args: argparse.Namespace) -> str:
    if not args.db:
        raise CommandError(t("standby.cli.db_needed", action=args.action))
    return str(args.db)


def _setup(args: argparse.Namespace) -> int:
    if not args.primary or not args.data:
        raise CommandError(t("standby.cli.setup_needs"))

    def say(key: str, values: dict[str, object]) -> None:
        print(t(f"standby.cli.step.{key}", **values), flush=True)

    set_up(args.primary, Path(args.data).resolve(), args.port, listen=args.listen, say=say)
    return 0


def _status(args: argparse.Namespace) -> int:
    for state in cluster_state(_db(args)):
        print(status_line(state))
    return 0


def status_line(state: ServerState) -> str:
    """One server: unreachable (why), a standby (how far behind), or a primary (whom it waits
    for, and each standby's state and lag)."""
    if not state.reachable:
        return t("standby.cli.unreachable", where=state.where, detail=state.detail)
    if state.standby:
        behind = number(state.behind_bytes or 0)
        return t("standby.cli.is_standby", where=state.where, behind=behind)
    waits = t("standby.cli.waits", name=NAME) if state.waits_for else t("standby.cli.alone")
    lines = [t("standby.cli.is_primary", where=state.where, waits=waits, commit=state.commit)]
    for r in state.replicas:
        lag = "" if r.replay_lag_ms is None else t("standby.cli.lag_ms", ms=number(r.replay_lag_ms))
        lines.append(t("standby.cli.replica", name=r.name, state=r.state, sync=r.sync_state,
                       behind=number(r.lag_bytes), lag=lag))  # fmt: skip
    if not state.replicas:
        lines.append(t("standby.cli.no_replica"))
    return "\n".join(lines)


def _guard(args: argparse.Namespace) -> int:
    """Until Ctrl-C: the primary's standby watched every half second (db.standby.guard_once);
    each change said here and recorded in the congress's log."""
    url = _db(args)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # (as read-ballots --watch)
    guard = Guard(float(args.grace))
    print(t("standby.cli.guarding", grace=args.grace), flush=True)
    with Store.open(url, terminal="guard", operator="") as store:

        def record(kind: str, payload: dict[str, Any]) -> None:
            store.append_note(kind, payload)
            lost = kind == STANDBY_LOST
            print(t("standby.cli.standby_lost") if lost else t("standby.cli.standby_attached"),
                  flush=True)  # fmt: skip

        try:
            while True:
                lost = guard_primary(url, guard, record)
                print(t("standby.cli.guard_lost", detail=lost), flush=True)
                time.sleep(RECONNECT_SECONDS)
        except KeyboardInterrupt:
            return 0
