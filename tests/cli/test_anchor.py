"""Issue 13, finding 3: a log rewritten by someone who holds the database, every later hash
recomputed, passes the chain check; the hash the minutes printed does not let it pass."""

import json
import re
import sqlite3
from pathlib import Path

import pytest

from db.store import Store
from presidium.cli import main
from printouts.export import export
from session import audit
from tests.harness.export_kit import hold


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A held congress and the final hash its exported minutes print."""
    path, _ = hold(tmp_path_factory)
    out = tmp_path_factory.mktemp("export") / "minutes"
    with Store.open(path) as store:
        export(store, out)
    printed = re.findall(r"\b[0-9a-f]{64}\b", (out / "minutes.md").read_text(encoding="utf-8"))
    assert printed, "the minutes print the chain's final hash"
    return path, printed[-1]


def _rewrite_chain(path: str, seq: int) -> None:
    """Edit event `seq` as a forger would, then recompute every hash after it and the head."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE event SET operator = 'mallory' WHERE seq = ?", (seq,))
        rows = conn.execute(
            "SELECT seq, at, kind, payload, terminal, operator, role FROM event ORDER BY seq"
        ).fetchall()
        previous = audit.GENESIS
        for n, at, kind, payload, terminal, operator, role in rows:
            content = audit.canonical(n, at, kind, json.loads(payload), terminal, operator, role)
            digest = audit.chain_hash(previous, content)
            conn.execute(
                "UPDATE event SET prev_hash = ?, hash = ? WHERE seq = ?", (previous, digest, n)
            )
            previous = digest
        conn.execute("UPDATE chain_head SET hash = ? WHERE id = 1", (previous,))


def _copy(path: str, tmp_path: Path) -> str:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return str(copy)


def test_the_printed_hash_anchors_the_log(
    held: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, printed = held
    spaced = " ".join(printed[i : i + 4] for i in range(0, 32, 4)).upper()  # as copied by hand

    assert main(["--lang", "en", "verify", "--db", path, "--anchor", spaced]) == 0

    assert re.search(r"Anchor [0-9a-f]{16}… is event \d+", capsys.readouterr().out)


def test_a_rewritten_chain_passes_verify_but_not_its_anchor(
    held: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, printed = held
    forged = _copy(path, tmp_path)
    _rewrite_chain(forged, 5)
    capsys.readouterr()

    assert main(["--lang", "en", "verify", "--db", forged]) == 0  # the chain alone holds
    assert main(["--lang", "en", "verify", "--db", forged, "--anchor", printed]) == 1

    err = capsys.readouterr().err
    assert f"No event of this log has the hash {printed[:16]}" in err


@pytest.mark.parametrize("given", ["12ab", "zz" * 16, "0" * 65])
def test_an_anchor_that_is_not_a_hash_is_named(
    held: tuple[str, str], given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "verify", "--db", held[0], "--anchor", given]) == 1

    assert f"--anchor {given}: not a hash" in capsys.readouterr().err
