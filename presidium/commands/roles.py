"""Who may open which terminal: the roles' passphrases listed or set (`roles`), and the check
before a terminal opens (a role that could not sign in, a sector or door the congress lacks)."""

import argparse
import getpass
from pathlib import Path

from db.store import Store
from presidium.opening import open_store
from presidium.refusals import CommandError
from session.i18n import t
from session.roles import Role


def cmd_roles(args: argparse.Namespace) -> int:
    """List which roles have a passphrase, or (`set ROLE`) set one."""
    with open_store(args) as store:
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


def check_role(store: Store, role: Role, sector: str | None, station: str | None) -> None:
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
