"""`presidium verify --db PATH --export DIR`: the log, then the folder. One changed byte in an
exported file, a file rewritten together with its SHA256SUMS line, a file added, a row of the
database edited behind Presidium's back, and a history rewritten with a recomputed chain: each
is caught and named."""

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from db.store import Store
from presidium.cli import main
from printouts.export import SUMS, ExportMismatch, export, verify_export
from session import audit
from tests.harness.export_kit import Clock, Congress, run_congress

MakeStore = Callable[..., Store]


@pytest.fixture
def exported(make_store: MakeStore, db_url: str, tmp_path: Path) -> tuple[str, Path, Congress]:
    """A held congress (SQLite or PostgreSQL) and its export."""
    store = make_store(db_url, delegates=30, clock=Clock())
    congress = run_congress(store)
    export(store, tmp_path / "export")
    return db_url, tmp_path / "export", congress


def verify(db: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--lang", "en", "verify", "--db", db, "--export", str(folder)])
    captured = capsys.readouterr()
    return code, captured.err if code else captured.out


def test_an_intact_export_verifies(
    exported: tuple[str, Path, Congress], capsys: pytest.CaptureFixture[str]
) -> None:
    db, folder, _ = exported
    code, text = verify(db, folder, capsys)
    assert code == 0, text
    assert "Audit chain intact" in text and "matches the database: 10 files" in text


@pytest.mark.parametrize("name", ["minutes.pdf", "votes.csv", "proceedings.json"])
def test_one_changed_byte_names_the_file(
    exported: tuple[str, Path, Congress], capsys: pytest.CaptureFixture[str], name: str
) -> None:
    db, folder, _ = exported
    path = folder / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    code, text = verify(db, folder, capsys)
    assert code == 1
    assert f"{name} was changed after the export" in text


def test_a_file_rewritten_with_its_sum_is_caught_by_the_re_export(
    exported: tuple[str, Path, Congress], capsys: pytest.CaptureFixture[str]
) -> None:
    db, folder, _ = exported
    minutes = folder / "minutes.md"
    forged = minutes.read_text(encoding="utf-8").replace("tán thành 19", "tán thành 9")
    minutes.write_text(forged, encoding="utf-8")
    sums = folder / SUMS
    digest = hashlib.sha256(minutes.read_bytes()).hexdigest()
    lines = [
        f"{digest}  minutes.md" if line.endswith("  minutes.md") else line
        for line in sums.read_text(encoding="utf-8").splitlines()
    ]
    sums.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, text = verify(db, folder, capsys)
    assert code == 1
    assert "minutes.md does not match the database as of 2025-06-20T09:" in text


def test_a_file_added_or_removed_is_named(
    exported: tuple[str, Path, Congress], capsys: pytest.CaptureFixture[str]
) -> None:
    db, folder, _ = exported
    (folder / "extra.csv").write_text("x\n")
    assert (
        "extra.csv is in the export folder but not in SHA256SUMS" in verify(db, folder, capsys)[1]
    )
    (folder / "extra.csv").unlink()
    (folder / "attendance.csv").unlink()
    assert "attendance.csv is listed in SHA256SUMS but missing" in verify(db, folder, capsys)[1]
    (folder / SUMS).unlink()
    assert "has no SHA256SUMS" in verify(db, folder, capsys)[1]


def _execute(db: str, sql: str, params: tuple[object, ...]) -> None:
    if db.startswith("postgresql"):
        with psycopg.connect(db) as conn:
            conn.execute(sql.replace("?", "%s"), params)
    else:
        with sqlite3.connect(db) as conn:
            conn.execute(sql, params)


def _payload(db: str, seq: int) -> dict[str, object]:
    with Store.open(db) as store:
        return store.events(after=seq - 1)[0].payload


def test_an_event_edited_in_the_database_is_named(
    exported: tuple[str, Path, Congress], capsys: pytest.CaptureFixture[str]
) -> None:
    db, folder, congress = exported
    with Store.open(db) as store:
        corrected = next(
            e for e in store.events() if e.kind == "vote_corrected"
        )  # the correction of the agenda vote: 19 in favour
    payload = dict(corrected.payload) | {"counts": {"tan_thanh": 20, "khong_tan_thanh": 0,
                                                    "y_kien_khac": 0}}  # fmt: skip
    _execute(db, "UPDATE event SET payload = ? WHERE seq = ?",
             (json.dumps(payload, ensure_ascii=False, sort_keys=True), corrected.seq))  # fmt: skip
    code, text = verify(db, folder, capsys)
    assert code == 1
    assert f"Event {corrected.seq} was altered" in text
    assert congress.corrected_vote in json.dumps(_payload(db, corrected.seq))


def test_a_rewritten_history_with_a_recomputed_chain_is_caught_by_the_export(
    exported: tuple[str, Path, Congress], capsys: pytest.CaptureFixture[str]
) -> None:
    """Someone who edits a reason and recomputes every hash after it passes the chain check;
    the export made before no longer matches, and verify names the log file first."""
    db, folder, _ = exported
    with Store.open(db) as store:
        events = store.events()
    target = next(i for i, e in enumerate(events) if e.kind == "vote_corrected")
    previous = events[target - 1].hash
    for i, e in enumerate(events[target:], start=target):
        payload = dict(e.payload)
        if i == target:
            payload["reason"] = "lý do khác"
        content = audit.canonical(e.seq, e.at, e.kind, payload, e.terminal, e.operator)
        digest = audit.chain_hash(previous, content)
        _execute(db, "UPDATE event SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                 (json.dumps(payload, ensure_ascii=False, sort_keys=True), previous, digest,
                  e.seq))  # fmt: skip
        previous = digest
    _execute(db, "UPDATE chain_head SET hash = ? WHERE id = 1", (previous,))
    with Store.open(db) as store:
        assert store.verify() is None  # the chain alone cannot tell
        with pytest.raises(ExportMismatch) as err:
            verify_export(store, folder)
    assert err.value.key == "differs" and err.value.params["file"] == "audit-log.jsonl"
    code, text = verify(db, folder, capsys)
    assert code == 1 and "audit-log.jsonl does not match the database" in text


def test_verify_of_an_interim_export_after_the_congress_went_on(
    exported: tuple[str, Path, Congress], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _, congress = exported
    with Store.open(db) as store:
        export(store, tmp_path / "noon", as_of=congress.interim_at)
    code, text = verify(db, tmp_path / "noon", capsys)
    assert code == 0, text
    assert "as of 2025-06-20T08:32+07:00" in text
