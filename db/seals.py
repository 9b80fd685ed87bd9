"""Seals: checkpoints of the log signed with a key the database never holds.

Whoever holds the database can rewrite the log and recompute every hash after the edit: the
chain has no key (issue 13, finding 3). A seal is an event, ``chain_sealed``, whose payload
signs the seq and hash of the event before it with an Ed25519 key kept off the database (a
file on the operator's machine or a USB stick, made by ``presidium seal-key``). Rewriting the
log before a seal then needs that key: the forger can drop the seals, but ``presidium verify
--seal-key PUBLIC`` (the public key from outside the database: the .pub file, the minutes)
expects one after every published result and names the first missing, forged or foreign one.

Ed25519 because a seal is checked by people who must not be able to make one (an observer,
an IT reviewer with the public key); an HMAC would give every checker the power to forge.
The operator's terminal seals every published result by itself when started with --seal-key;
``presidium seal`` seals the head at any time (before an export, at the close).
"""

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from session import audit
from session.i18n import Refusal

SEALED = "chain_sealed"
# The events that publish a result: each must be covered by a later seal.
PUBLISHED = frozenset({"vote_published", "election_results_announced"})
_DOMAIN = b"presidium-seal-v1|"


class SealError(Refusal):
    """A key file that cannot be used; a translation key under 'seals.'."""

    prefix = "seals."


def _signed_bytes(seq: int, digest: str) -> bytes:
    return _DOMAIN + f"{seq}|{digest}".encode()


def public_hex(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def new_key(path: Path) -> str:
    """Write a new private key to `path` (owner-only, never over an existing file) and its
    public half beside it as PATH.pub; the public key in hex."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SealError("seal_key_exists", path=str(path)) from None
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public = public_hex(key)
    Path(f"{path}.pub").write_text(public + "\n", encoding="ascii")
    return public


def load_key(path: Path) -> Ed25519PrivateKey:
    """The private key in `path`, or a refusal that names the file."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise SealError("seal_key_unreadable", path=str(path), detail=exc.strerror) from None
    except ValueError:
        raise SealError("seal_key_invalid", path=str(path)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SealError("seal_key_invalid", path=str(path))
    return key


def read_public(given: str) -> str:
    """A public key given as 64 hex digits or as the path of a .pub file; checked."""
    text = given
    if Path(given).is_file():
        text = Path(given).read_text(encoding="ascii", errors="replace")
    bare = "".join(text.split()).lower()
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(bare))
    except ValueError:
        raise SealError("seal_public_invalid", given=given) from None
    return bare


def seal_payload(key: Ed25519PrivateKey, seq: int, digest: str) -> dict[str, Any]:
    """The payload of a seal over event `seq` whose hash is `digest`."""
    signature = key.sign(_signed_bytes(seq, digest))
    return {"seq": seq, "hash": digest, "public_key": public_hex(key), "signature": signature.hex()}


def needs_seal(kinds: Sequence[str]) -> bool:
    """Whether a transaction that appended these kinds published a result."""
    return any(kind in PUBLISHED for kind in kinds)


def seal_problem(
    events: Sequence[audit.StoredEvent], public: str
) -> tuple[str, dict[str, object]] | None:
    """The first seal that is forged, foreign or over another history, or the first published
    result no seal covers; None when the log before its last seal is the one that was sealed."""
    checker = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public))
    hashes = {e.seq: e.hash for e in events}
    sealed_up_to = 0
    for e in events:
        if e.kind != SEALED:
            continue
        p = e.payload
        seq, digest = int(p["seq"]), str(p["hash"])  # type: ignore[call-overload]
        if p.get("public_key") != public:
            return ("seal_foreign", {"seq": e.seq})
        try:
            checker.verify(bytes.fromhex(str(p["signature"])), _signed_bytes(seq, digest))
        except (InvalidSignature, ValueError):
            return ("seal_forged", {"seq": e.seq})
        if hashes.get(seq) != digest:
            return ("seal_mismatch", {"seq": e.seq, "sealed": seq})
        sealed_up_to = max(sealed_up_to, seq)
    for e in events:
        if e.kind in PUBLISHED and e.seq > sealed_up_to:
            return ("seal_missing", {"seq": e.seq, "kind": e.kind})
    if sealed_up_to == 0:
        return ("seal_none", {})
    return None
