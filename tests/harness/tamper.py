"""What a forger holding the SQLite file does: copy it, rewrite an event and recompute every
hash after it, so the chain alone still holds."""

import json
import sqlite3
from pathlib import Path

from session import audit


def copy_db(path: str, folder: Path) -> str:
    """A consistent copy of the SQLite congress at `path` (the forger's working copy)."""
    copy = folder / "copy.db"
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return str(copy)


def rewrite_chain(path: str, seq: int, drop_kind: str | None = None) -> None:
    """Edit event `seq` (its operator), optionally delete every event of `drop_kind`, then
    renumber and recompute every hash and the chain head."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE event SET operator = 'mallory' WHERE seq = ?", (seq,))
        if drop_kind is not None:
            conn.execute("DELETE FROM event WHERE kind = ?", (drop_kind,))
        rows = conn.execute(
            "SELECT seq, at, kind, payload, terminal, operator, role FROM event ORDER BY seq"
        ).fetchall()
        conn.execute("DELETE FROM event")
        previous = audit.GENESIS
        for n, (_, at, kind, payload, terminal, operator, role) in enumerate(rows, start=1):
            content = audit.canonical(n, at, kind, json.loads(payload), terminal, operator, role)
            digest = audit.chain_hash(previous, content)
            conn.execute(
                "INSERT INTO event (seq, at, kind, payload, terminal, operator, prev_hash, hash,"
                " role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (n, at, kind, payload, terminal, operator, previous, digest, role),
            )
            previous = digest
        conn.execute("UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1", (len(rows), previous))
