"""A killed export leaves a hidden staging folder beside --out; the next export of that folder
removes it, and nothing else (issue 13, finding 10).

The exports here are real processes killed with SIGKILL while their files are being written
(they wait, through the export's own progress callback, at the step the test names). The
look-alikes beside them (no marker, a marker for another folder, a file the export never
writes, a link, the name an older release used) are never touched, nor is the staging folder of
an export still running.
"""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from db.store import Store
from printouts.export import FILES, SUMS, check_sums, export
from printouts.staging import MARKER, clear_stale, marker_text
from tests.conftest import ROOT
from tests.harness.export_kit import Congress, hold

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and flock are POSIX")

STEPS = len(FILES) + 1  # the export's progress steps: one a file, SHA256SUMS last

# An export that stops at a step (its files so far written) and waits there to be killed.
DRIVER = """
import sys, time
from pathlib import Path
from db.store import Store
from printouts.export import export

db, out, stop, force = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "force"

def progress(done: int, total: int) -> None:
    if done == stop:
        print("waiting", flush=True)
        time.sleep(600)

with Store.open(db) as store:
    export(store, out, force=force, progress=progress)
"""


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Congress]:
    return hold(tmp_path_factory)


def start_export(db: str, out: Path, stop: int, force: bool = False) -> subprocess.Popen[str]:
    """An export process waiting at step `stop`, its files up to there written."""
    argv = [sys.executable, "-c", DRIVER, db, str(out), str(stop), "force" if force else ""]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # "" if it died first: the test fails below
    assert line == "waiting\n", proc.wait(timeout=60)
    return proc


def kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    assert proc.stdout is not None
    proc.stdout.close()


def staging_folders(parent: Path, out: Path) -> list[Path]:
    return sorted(p for p in parent.iterdir() if p.name.startswith(f".{out.name}.partial-"))


def look_alikes(parent: Path, out: Path, killed: Path) -> dict[Path, set[str]]:
    """Folders beside `out` a careless cleaner would take for a killed export's; their files."""
    marker = marker_text(out)
    made: dict[Path, list[tuple[str, str]]] = {
        parent / f".{out.name}.partial-nomarker": [("notes.txt", "mine")],
        parent / f".{out.name}.partial-elsewher": [(MARKER, marker.replace(str(out), "/x"))],
        parent / f".{out.name}.partial-userfile": [(MARKER, marker), ("scan.pdf", "mine")],
        parent / f".{out.name}.abcd1234": [("minutes.pdf", "an older release's, or a user's")],
        parent / f".{out.name}.partial-": [(MARKER, marker)],  # not the exact pattern
    }
    for folder, files in made.items():
        folder.mkdir()
        for name, text in files:
            (folder / name).write_text(text, encoding="utf-8")
    target = parent / "linked-target"
    shutil.copytree(killed, target)
    (parent / f".{out.name}.partial-linkedto").symlink_to(target, target_is_directory=True)
    return {p: {n.name for n in p.iterdir()} for p in [*made, target]}


@pytest.mark.slow
@pytest.mark.parametrize("stop", [1, STEPS])  # the PDF alone written; every file but not moved
@pytest.mark.parametrize("force", [False, True])
def test_a_killed_export_s_folder_is_removed_by_the_next_and_nothing_else(
    held: tuple[str, Congress], tmp_path: Path, stop: int, force: bool
) -> None:
    db, out = held[0], tmp_path / "out"
    if force:
        with Store.open(db) as store:
            export(store, out)  # the earlier export --force replaces
    before = set(tmp_path.iterdir())
    kill(start_export(db, out, stop, force))
    [killed] = set(tmp_path.iterdir()) - before  # what the finding saw: a hidden partial folder
    assert killed.name.startswith(f".{out.name}.") and any(killed.rglob("minutes.pdf"))
    untouched = look_alikes(tmp_path, out, killed)

    with Store.open(db) as store:
        export(store, out, force=force)

    assert not killed.exists()
    for folder, names in untouched.items():
        assert {p.name for p in folder.iterdir()} == names, folder
    assert sorted(p.name for p in out.iterdir()) == sorted([*FILES, SUMS])
    check_sums(out)


@pytest.mark.slow
def test_a_running_export_s_folder_is_left_alone(
    held: tuple[str, Congress], tmp_path: Path
) -> None:
    db, out = held[0], tmp_path / "out"
    running = start_export(db, out, 1)
    try:
        [staged] = staging_folders(tmp_path, out)
        assert clear_stale(out) == []
        with Store.open(db) as store:
            export(store, tmp_path / "other")  # another folder's export beside it
            export(store, out)  # this folder's, while the first still runs
        assert (staged / "export" / "minutes.pdf").is_file()
    finally:
        kill(running)
    assert clear_stale(out) == [staged] and not staged.exists()
    assert staging_folders(tmp_path, out) == []


def test_a_failed_export_leaves_no_staging_folder(
    held: tuple[str, Congress], tmp_path: Path
) -> None:
    """An exception while the files are written (here from the progress callback)."""

    def fail(done: int, total: int) -> None:
        if done == 3:
            raise OSError(28, "No space left on device")

    with Store.open(held[0]) as store, pytest.raises(OSError, match="No space"):
        export(store, tmp_path / "out", progress=fail)
    assert os.listdir(tmp_path) == []
