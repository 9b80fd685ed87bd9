"""Seals of the log (db/seals.py): a key made off the database (`seal-key`), the head sealed now
(`seal`, before an export or at the close), and the operator's terminal sealing every published
result by itself (`run --seal-key`)."""

import argparse
from pathlib import Path

from db.seals import Ed25519PrivateKey, SealError, load_key, new_key
from db.store import Store
from presidium.opening import open_store
from presidium.refusals import CommandError
from session.i18n import t


def cmd_seal_key(args: argparse.Namespace) -> int:
    """A new signing key in --out (kept off the database: a USB stick, the operator's home)."""
    try:
        public = new_key(Path(args.out))
    except SealError as exc:
        raise CommandError(str(exc)) from None
    print(t("seals.key_made", path=args.out, public=public))
    return 0


def signing_key(path: str) -> Ed25519PrivateKey:
    """The private key of --seal-key, or a one-line refusal naming the file."""
    try:
        return load_key(Path(path))
    except SealError as exc:
        raise CommandError(str(exc)) from None


def use_seal_key(store: Store, path: str | None) -> None:
    """From now on this store seals every result it publishes (nothing without --seal-key)."""
    if path:
        store.seal_with(signing_key(path))


def cmd_seal(args: argparse.Namespace) -> int:
    key = signing_key(args.key)
    with open_store(args) as store:
        seq, digest = store.seal(key)
    print(t("seals.sealed", seq=seq, hash=digest))
    return 0
