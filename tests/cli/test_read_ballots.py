"""`presidium read-ballots` (issue 14) on a real SQLite congress whose `bch` count has a machine
team, with scans of its own printed ballots clearly marked (tests/harness/reading_store.py): a
folder read into a box, one reading per paper ballot and each file kept in the archive under its
SHA-256; the same scan read again adds nothing; --check records nothing; a broken file is named
and makes the exit status 1 once the others are read; a ballot of another election or round is
invalid here, one whose code this congress does not know goes to the committee; --watch reads
each file once it is complete, once, also with two watchers on one box, and stops on Ctrl-C with
its summary; the counting role's passphrase is asked and its role named on what is recorded.

The command runs through `presidium.cli.main` (stdout and stderr captured), --watch as a real
process stopped with SIGINT. What is asserted is behaviour, not the reader's tuning: the marks
are full felt-pen strikes on stamped ballots, scanned without defects."""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.store import Store
from presidium.cli import main
from presidium.opening import ROLE_PASSPHRASE_VAR
from printouts.reading.archive import ENVIRONMENT as ARCHIVE_VAR
from printouts.reading.archive import archive_for
from session.ballot_reading import Doubt, Verdict
from session.elections import Reading
from session.roles import SIGN_IN_CLEARED, SIGN_IN_REFUSED, Role
from tests.conftest import ROOT
from tests.harness.bch_election import E
from tests.harness.reading_store import (
    BOX,
    MACHINE,
    Struck,
    another_election,
    another_round,
    bch,
    counting_store,
    expected,
    scan,
)

# A strike-out list of 4 names for 3 seats: valid, valid, invalid (all kept), invalid (all
# struck), valid. A5 ballots two to a page: a PDF of three pages, the last ballot alone.
VOTES: list[Struck] = [(1,), (2, 3), (), (1, 2, 3, 4), (4,)]
COUNTING = "ban kiểm phiếu đếm bằng máy"


@pytest.fixture(autouse=True)
def _no_archive_override(monkeypatch: pytest.MonkeyPatch) -> None:
    """The archive beside the database, as at the venue; no passphrase from the environment."""
    monkeypatch.delenv(ARCHIVE_VAR, raising=False)
    monkeypatch.delenv(ROLE_PASSPHRASE_VAR, raising=False)
    monkeypatch.delenv("PRESIDIUM_DB", raising=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The congress, counting bch's box with the machine; closed: the command opens it."""
    path = tmp_path / "congress.db"
    counting_store(path).close()
    return path


def scans(db: Path, folder: Path, name: str, votes: list[Struck], **kwargs: object) -> Path:
    with Store.open(str(db), terminal="test") as store:
        return scan(folder / name, store.congress, bch(store), votes, **kwargs)  # type: ignore[arg-type]


def read(db: Path, *args: object, election: bool = True) -> int:
    """The command in English, into bch's box unless `election` is false."""
    target = ["--election", E, "--box", BOX] if election else []
    return main(["read-ballots", "--db", str(db), "--lang", "en", *target, *map(str, args)])


def readings(db: Path) -> tuple[Reading, ...]:
    with Store.open(str(db), terminal="test") as store:
        return bch(store).current.readings


def machine_entries(db: Path) -> int:
    with Store.open(str(db), terminal="test") as store:
        count = bch(store).current.count
        assert count is not None
        return len(count.team(MACHINE).ballots)


def last_seq(db: Path) -> int:
    with Store.open(str(db), terminal="test") as store:
        return store.last_seq()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verdicts(found: tuple[Reading, ...]) -> list[Verdict]:
    ordered = sorted(found, key=lambda r: (r.place.file, r.place.sheet))
    return [r.verdict for r in ordered]


# ----------------------------------------------------------------------------- a folder read


def test_a_folder_is_read_into_the_box_one_reading_per_paper_ballot(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tray = tmp_path / "tray"
    pdf = scans(db, tray, "tray-1.pdf", VOTES)
    png = scans(db, tray, "tray-2.png", [(2,)], seed=1)
    tif = scans(db, tray, "tray-3.tif", [(3, 4), (1, 2)], seed=2)
    (tray / "notes.txt").write_text("not a scan: left alone in a folder", "utf-8")

    assert read(db, tray) == 0

    out = capsys.readouterr().out
    found = readings(db)
    assert len(found) == 8 and machine_entries(db) == 8  # every paper ballot, entered at once
    assert {r.place.key for r in found} == {
        *((sha256(pdf), page, slot) for page, slot in [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]),
        (sha256(png), 1, 1),
        (sha256(tif), 1, 1),
        (sha256(tif), 1, 2),
    }
    wanted = [expected(v).verdict for v in [*VOTES, (2,), (3, 4), (1, 2)]]
    assert verdicts(found) == wanted
    assert sorted(r.seq for r in found) == list(range(1, 9))  # the machine team's entries
    assert {(r.box, r.batch) for r in found} == {(BOX, BOX)}  # the batch: the box by default
    archive = archive_for(f"sqlite:///{db}")
    assert archive == tmp_path / "congress-ballots"
    kept = {p.name: p.read_bytes() for p in archive.iterdir()}
    assert kept == {
        f"{sha256(p)}{p.suffix}": p.read_bytes() for p in (pdf, png, tif)
    }  # the files themselves, under their SHA-256, and nothing else (no doubtful sheet)
    assert "Read 3 file(s), 8 sheet(s): 6 valid, 2 invalid by rule, 0 for" in out
    assert "tray-1.pdf: 1 file(s), 5 sheet(s) so far" in out  # progress, file by file


def test_json_says_each_sheet_where_it_is_and_what_was_read(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = scans(db, tmp_path / "tray", "tray-1.pdf", VOTES)

    assert read(db, "--json", pdf) == 0

    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [(x["file"], x["page"], x["slot"], x["sheet"]) for x in lines] == [
        ("tray-1.pdf", 1, 1, 1), ("tray-1.pdf", 1, 2, 2), ("tray-1.pdf", 2, 1, 3),
        ("tray-1.pdf", 2, 2, 4), ("tray-1.pdf", 3, 1, 5),
    ]  # fmt: skip
    assert [x["verdict"] for x in lines] == [expected(v).verdict.value for v in VOTES]
    assert [x["struck"] for x in lines] == [list(v) for v in VOTES]
    assert lines[0]["kept"] == [2, 3, 4] and lines[1]["kept"] == [1, 4]
    assert all(x["reasons"] == [] and x["recorded"] and x["image"] == sha256(pdf) for x in lines)
    assert "Read 1 file(s), 5 sheet(s)" in captured.err  # the summary leaves stdout to JSON


# ----------------------------------------------------------------------------- read twice


def test_the_same_scan_read_again_adds_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = scans(db, tmp_path / "tray", "tray-1.pdf", VOTES)
    assert read(db, pdf) == 0
    seq = last_seq(db)
    capsys.readouterr()

    assert read(db, pdf) == 0  # the same file again
    again = tmp_path / "table-2" / "copy of tray-1.pdf"
    again.parent.mkdir()
    shutil.copyfile(pdf, again)
    assert read(db, "--json", again.parent) == 0  # a copy under another name, elsewhere

    captured = capsys.readouterr()
    assert last_seq(db) == seq and len(readings(db)) == 5
    assert "Read 1 file(s), 5 sheet(s): 0 valid, 0 invalid by rule, 0 for the counting " \
        "committee; 5 already read before" in captured.out  # fmt: skip
    lines = [json.loads(line) for line in captured.out.splitlines() if line.startswith("{")]
    assert len(lines) == 5 and not any(x["recorded"] for x in lines)
    assert all("already" in x["note"] and "tray-1.pdf" in x["note"] for x in lines)


def test_the_same_scan_twice_in_one_run_is_read_once(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = scans(db, tmp_path / "tray", "a.pdf", VOTES)
    shutil.copyfile(pdf, pdf.with_name("b.pdf"))

    assert read(db, pdf.parent) == 0

    out = capsys.readouterr().out
    assert len(readings(db)) == 5
    assert "b.pdf: the same scan as a.pdf, read already: nothing added" in out


# ----------------------------------------------------------------------------- --check


def test_check_records_nothing_and_still_says_the_verdicts(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = scans(db, tmp_path / "tray", "tray-1.pdf", VOTES)
    seq = last_seq(db)

    assert read(db, "--check", "--json", pdf, election=False) == 0  # no --election needed

    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [x["verdict"] for x in lines] == [expected(v).verdict.value for v in VOTES]
    assert not any(x["recorded"] for x in lines)
    assert "Checked 1 file(s), 5 sheet(s), nothing recorded: 3 would be valid" in captured.err
    assert last_seq(db) == seq and readings(db) == ()
    assert not (tmp_path / "congress-ballots").exists()

    assert read(db, "--check", "--verbose", pdf) == 0  # with --election too: still nothing
    assert "tray-1.pdf, page 1, ballot 1 (sheet 1): valid" in capsys.readouterr().out
    assert last_seq(db) == seq and not (tmp_path / "congress-ballots").exists()


def test_without_a_count_named_it_says_how(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = scans(db, tmp_path / "tray", "tray-1.pdf", VOTES[:1])
    assert read(db, pdf, election=False) == 1
    assert "--election NAME --box BOX" in capsys.readouterr().err
    assert readings(db) == ()


# ----------------------------------------------------------------------------- broken files


def test_broken_files_are_named_the_others_read_and_the_status_is_1(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tray = tmp_path / "tray"
    good = scans(db, tray, "b-good.pdf", VOTES)
    whole = scans(db, tmp_path / "elsewhere", "a-cut.pdf", [(1,), (2,)], seed=3).read_bytes()
    (tray / "a-cut.pdf").write_bytes(whole[: len(whole) // 2])  # the scanner stopped half way
    (tray / "c-text.jpg").write_text("Biên bản kiểm phiếu, not a picture", "utf-8")
    (tray / "d-empty.png").write_bytes(b"")
    seq = last_seq(db)

    assert read(db, tray) == 1

    captured = capsys.readouterr()
    err = captured.err.splitlines()
    for name in ("a-cut.pdf", "c-text.jpg", "d-empty.png"):
        assert any(line.startswith(f"{name}: ") for line in err), (name, err)
    assert "d-empty.png: the file is empty" in captured.err
    assert "3 file(s) could not be read, nothing recorded from them: a-cut.pdf, c-text.jpg, " \
        "d-empty.png" in captured.err  # fmt: skip
    assert "Read 1 file(s), 5 sheet(s)" in captured.out and "3 file(s) unreadable" in captured.out
    # the good file was read, after the broken one before it; nothing of the broken ones kept
    found = readings(db)
    assert len(found) == 5 and {r.place.file for r in found} == {"b-good.pdf"}
    assert last_seq(db) == seq + 5
    assert [p.name for p in (tmp_path / "congress-ballots").iterdir()] == [f"{sha256(good)}.pdf"]


def test_a_file_that_is_not_a_scan_given_by_name(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", "utf-8")
    assert read(db, notes) == 1
    assert "notes.txt: not a scan Presidium reads" in capsys.readouterr().err
    assert read(db, tmp_path / "nowhere.pdf") == 1
    assert "nowhere.pdf: no such file or folder" in capsys.readouterr().err
    assert readings(db) == () and not (tmp_path / "congress-ballots").exists()


# ----------------------------------------------------------------------------- other ballots


def test_a_ballot_of_another_election_or_round_is_invalid_in_this_box(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(str(db), terminal="test") as store:
        congress, election = store.congress, bch(store)
    tray = tmp_path / "tray"
    other = scan(tray / "other.pdf", congress, another_election(election), [(1,)])
    second = scan(tray / "round-2.pdf", congress, another_round(election), [(2,)], round_no=2)

    assert read(db, "--json", other, second) == 0

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_code = {x["code"]: x for x in lines if x["code"]}  # (the reader's extra sheets: below)
    assert sorted(tuple(k.split("|")[1:3]) for k in by_code) == [("bch", "2"), ("bk", "1")]
    assert all(x["verdict"] == "invalid" and x["recorded"] for x in by_code.values())
    found = {r.code: r for r in readings(db) if r.code}
    assert all(r.verdict is Verdict.INVALID and r.ballot is not None for r in found.values())
    assert len(found) == 2


def test_a_ballot_of_another_election_is_one_sheet(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(str(db), terminal="test") as store:
        congress, election = store.congress, bch(store)
    other = scan(tmp_path / "other.pdf", congress, another_election(election), [(1,), (2,)])
    assert read(db, other) == 0
    assert len(readings(db)) == 2  # two paper ballots: two readings


def test_a_code_this_congress_does_not_know_goes_to_the_committee(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(str(db), terminal="test") as store:
        congress, election = store.congress, bch(store)
    # bch's round 1 printed on A4: its code names bch's round 1, with a digest it never printed
    a4 = scan(tmp_path / "a4.pdf", congress, election, [(1,)], paper="a4")
    blotted = scan(tmp_path / "blotted.pdf", congress, election, [(2,)], hide_code=True)

    assert read(db, "--json", a4, blotted) == 0

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines and all(x["verdict"] == "undecided" and x["recorded"] for x in lines)
    reasons = {x["file"]: x["reasons"] for x in lines}
    assert reasons["a4.pdf"] == [Doubt.UNKNOWN_CODE.value]
    assert reasons["blotted.pdf"] == [Doubt.NOT_ALIGNED.value]
    found = readings(db)
    assert found and all(r.pending for r in found)
    assert machine_entries(db) == 0  # nothing in the count until the committee decides
    pictures = [p.name for p in (tmp_path / "congress-ballots").glob("*-p*-s*.png")]
    assert len(pictures) == len(found)  # what the counting screen shows the committee


# ----------------------------------------------------------------------------- the counting role


def test_the_counting_role_passphrase_is_asked_and_its_role_named(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(str(db), terminal="test") as store:
        store.set_passphrase(Role.COUNTING, COUNTING)
    pdf = scans(db, tmp_path / "tray", "tray-1.pdf", VOTES[:2])
    seq = last_seq(db)

    assert read(db, pdf) == 1  # no terminal to type it at, nothing in the environment
    err = capsys.readouterr().err
    assert ROLE_PASSPHRASE_VAR in err and "counting" in err
    assert last_seq(db) == seq and not (tmp_path / "congress-ballots").exists()

    monkeypatch.setenv(ROLE_PASSPHRASE_VAR, "không phải")
    assert read(db, pdf) == 1
    assert "Wrong passphrase for the counting role: nothing was read" in capsys.readouterr().err
    assert readings(db) == () and not (tmp_path / "congress-ballots").exists()
    with Store.open(str(db), terminal="test") as store:  # counted, as at a screen
        assert [e.kind for e in store.events(seq)] == [SIGN_IN_REFUSED]
    assert ROLE_PASSPHRASE_VAR not in os.environ  # read once, and removed

    monkeypatch.setenv(ROLE_PASSPHRASE_VAR, COUNTING)
    seq = last_seq(db)
    assert read(db, pdf) == 0
    assert len(readings(db)) == 2
    with Store.open(str(db), terminal="test") as store:
        added = store.events(seq)
    assert [e.kind for e in added] == [SIGN_IN_CLEARED] + ["election_ballot_read"] * 2
    assert all(e.role == Role.COUNTING.value for e in added[1:])


def test_without_a_passphrase_the_readings_still_name_the_counting_role(
    db: Path, tmp_path: Path
) -> None:
    pdf = scans(db, tmp_path / "tray", "tray-1.pdf", VOTES[:1])
    seq = last_seq(db)
    assert read(db, pdf) == 0
    with Store.open(str(db), terminal="test") as store:
        (event,) = store.events(seq)
    assert event.kind == "election_ballot_read" and event.role == Role.COUNTING.value


# ----------------------------------------------------------------------------- --watch


def _ignore_ctrl_c() -> None:
    """Started as a script or a service may start it: with Ctrl-C ignored, which a process
    inherits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Watcher:
    """`presidium read-ballots --watch` as a process, its output collected line by line."""

    def __init__(self, db: Path, *args: object, ctrl_c_ignored: bool = False) -> None:
        env = {k: v for k, v in os.environ.items() if k not in (ARCHIVE_VAR, ROLE_PASSPHRASE_VAR)}
        env.update(PRESIDIUM_DB=str(db), PYTHONUNBUFFERED="1")
        command = [sys.executable, "-m", "presidium.cli", "read-ballots", "--lang", "en",
                   "--election", E, "--box", BOX, "--watch", *map(str, args)]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", preexec_fn=_ignore_ctrl_c if ctrl_c_ignored else None,
        )  # fmt: skip
        self.out: list[str] = []
        self.err: list[str] = []
        self._threads = [
            threading.Thread(target=self._collect, args=(stream, into), daemon=True)
            for stream, into in ((self.process.stdout, self.out), (self.process.stderr, self.err))
        ]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def _collect(stream: object, into: list[str]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            into.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.out):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no {text!r} in {self.out} / {self.err}")

    def stop(self) -> int:
        """Ctrl-C, as the operator stops it; its exit status once it has said its summary."""
        self.process.send_signal(signal.SIGINT)
        try:
            status = self.process.wait(timeout=10)
        finally:
            self.close()
        return status

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for thread in self._threads:
            thread.join(timeout=5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def watchers() -> Iterator[list[Watcher]]:
    started: list[Watcher] = []
    yield started
    for w in started:
        w.close()


def wait_for_readings(db: Path, count: int, timeout: float = 20) -> tuple[Reading, ...]:
    deadline = time.monotonic() + timeout
    while True:
        found = readings(db)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


@pytest.mark.slow
def test_watch_reads_a_file_written_in_two_steps_once_and_whole(
    db: Path, tmp_path: Path, watchers: list[Watcher]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    whole = scans(db, tmp_path / "made", "tray-1.pdf", VOTES).read_bytes()
    w = Watcher(db, inbox)
    watchers.append(w)
    w.wait_for("Watching")

    target = inbox / "tray-1.pdf"
    with target.open("wb") as f:  # the scanner writes half, stops a while, writes the rest
        f.write(whole[: len(whole) // 2])
        f.flush()
        time.sleep(2.5)  # longer than the watcher waits for a file to settle
        f.write(whole[len(whole) // 2 :])
    found = wait_for_readings(db, 5)
    time.sleep(1.5)  # nothing more comes of it

    assert w.stop() == 130
    found = readings(db)
    assert len(found) == 5 and {r.place.image for r in found} == {sha256(target)}
    assert verdicts(found) == [expected(v).verdict for v in VOTES]
    archive = tmp_path / "congress-ballots"
    assert [p.name for p in archive.iterdir()] == [f"{sha256(target)}.pdf"]
    summary = (
        "Read 1 file(s), 5 sheet(s): 3 valid, 2 invalid by rule, 0 for the counting "
        "committee; 0 already read before, 0 file(s) unreadable"
    )  # (the half was, a while)
    assert summary in w.out, w.out
    assert "presidium: interrupted" in w.err
    assert not any("Traceback" in line for line in w.err), w.err


@pytest.mark.slow
def test_watch_reads_a_file_dropped_twice_once(
    db: Path, tmp_path: Path, watchers: list[Watcher]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    made = scans(db, tmp_path / "made", "tray-1.pdf", VOTES)
    early = scans(db, inbox, "already-there.png", [(3,)], seed=5)  # before the watcher starts
    w = Watcher(db, inbox)
    watchers.append(w)
    w.wait_for("Watching")

    shutil.copyfile(made, inbox / "tray-1.pdf")
    wait_for_readings(db, 6)
    shutil.copyfile(made, inbox / "tray-1 (2).pdf")  # the operator drops it again
    (inbox / "note.jpg").write_text("not a picture", "utf-8")  # and something that is no scan
    w.wait_for("tray-1 (2).pdf")
    time.sleep(1.5)

    assert w.stop() == 130
    found = readings(db)
    assert len(found) == 6
    assert {r.place.image for r in found} == {sha256(made), sha256(early)}
    assert any("tray-1 (2).pdf: the same scan as tray-1.pdf" in line for line in w.out), w.out
    assert len([line for line in w.err if line.startswith("note.jpg: ")]) == 1, w.err  # once
    assert any("1 file(s) could not be read" in line and "note.jpg" in line for line in w.err)


@pytest.mark.slow
def test_two_watchers_read_into_one_box_each_sheet_once(
    db: Path, tmp_path: Path, watchers: list[Watcher]
) -> None:
    left, right = tmp_path / "table-1", tmp_path / "table-2"
    left.mkdir()
    right.mkdir()
    made = tmp_path / "made"
    files = [scans(db, made, f"t{i}.pdf", VOTES[i % 2 :], seed=i) for i in range(4)]
    for w in (Watcher(db, left), Watcher(db, right)):
        watchers.append(w)
    for w in watchers:
        w.wait_for("Watching")

    for i, f in enumerate(files):  # two tables scan at once, and t0 lands on both
        shutil.copyfile(f, (left if i % 2 == 0 else right) / f.name)
    shutil.copyfile(files[0], right / "t0-again.pdf")
    sheets = sum(len(VOTES[i % 2 :]) for i in range(4))
    wait_for_readings(db, sheets)
    time.sleep(1)

    assert [w.stop() for w in watchers] == [130, 130]
    found = readings(db)
    assert len(found) == sheets == len({r.place.key for r in found})
    assert {r.place.image for r in found} == {sha256(f) for f in files}
    assert machine_entries(db) == sheets
    with Store.open(str(db), terminal="test") as store:
        assert store.verify() is None
    for w in watchers:
        assert not any("Traceback" in line for line in w.err), w.err


@pytest.mark.slow
def test_ctrl_c_stops_the_watch_even_where_it_was_inherited_ignored(
    db: Path, tmp_path: Path, watchers: list[Watcher]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    w = Watcher(db, inbox, ctrl_c_ignored=True)
    watchers.append(w)
    w.wait_for("Watching")
    assert w.stop() == 130
