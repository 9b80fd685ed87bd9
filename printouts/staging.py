"""A folder built beside its target and renamed into place, so that nobody ever sees it
half-written, and what a killed build leaves behind is cleared by the next (issue 13, finding 10).

The build happens in a hidden staging folder beside the target, ``.<name>.partial-<8 random
characters>``, which holds a marker file naming the target and, under it, the folder being built
(``export``). While the build runs its process holds an exclusive lock on the marker; the kernel
drops the lock when the process dies, however it dies. A later build for the same target
removes a staging folder only when all of this holds: its name has that exact pattern, it is a
real folder (no link), it holds nothing but the marker and our two folders, the marker's text
names this very target, and nobody holds its lock (a build still running is left alone). Any
other folder, a look-alike included, is never touched. Where the system has no such lock
(Windows), nothing is cleared: a running build could not be told from a killed one.
"""

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

MARKER = "PRESIDIUM-BUILD-IN-PROGRESS"
_BUILT = "export"  # the folder being built, renamed to the target when finished
_OLD = "old"  # the target it replaces, moved aside for the moment of the swap
_RANDOM = "[a-z0-9_]{8}"  # what tempfile.mkdtemp puts after its prefix


def _prefix(out: Path) -> str:
    return f".{out.name}.partial-"


def marker_text(out: Path) -> str:
    return f"Presidium is building {out} here; a folder left behind by a killed run.\n"


def _lock(marker: IO[str]) -> None:
    """Take the marker's lock now, or raise BlockingIOError (its build is still running)."""
    assert fcntl is not None
    fcntl.flock(marker.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


class Staged:
    """A build under way: `folder` to write into, `finish()` to put it in place as `out`."""

    def __init__(self, root: Path, out: Path) -> None:
        self._root = root
        self.out = out
        self.folder = root / _BUILT

    def finish(self) -> None:
        """Rename the built folder to `out`; an existing `out` is set aside in the staging
        folder first and goes with it (renames within one filesystem are atomic), or comes back
        if the new one cannot take its place."""
        self.folder.chmod(0o755)  # an export is for reading
        if not self.out.exists():
            self.folder.rename(self.out)
            return
        old = self._root / _OLD
        self.out.rename(old)
        try:
            self.folder.rename(self.out)
        except BaseException:
            old.rename(self.out)
            raise


@contextmanager
def staging(out: Path) -> Iterator[Staged]:
    """A staging folder for `out` in `out`'s parent (which exists), removed on the way out
    whatever happens; a SIGKILL leaves it for the next build's :func:`clear_stale`."""
    clear_stale(out)
    root = Path(tempfile.mkdtemp(prefix=_prefix(out), dir=out.parent))
    try:
        with (root / MARKER).open("x", encoding="utf-8") as marker:
            if fcntl is not None:
                _lock(marker)  # before the text: a marker whose text names `out` is locked
            marker.write(marker_text(out))
            marker.flush()
            (root / _BUILT).mkdir()
            yield Staged(root, out)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def clear_stale(out: Path) -> list[Path]:
    """Remove the staging folders killed builds of `out` left beside it; the ones removed."""
    if fcntl is None or not out.parent.is_dir():
        return []
    name = re.compile(re.escape(_prefix(out)) + _RANDOM)
    found = [entry for entry in out.parent.iterdir() if name.fullmatch(entry.name)]
    return [entry for entry in found if _remove_if_stale(entry, out)]


def _remove_if_stale(entry: Path, out: Path) -> bool:
    try:
        if entry.is_symlink() or not entry.is_dir():
            return False
        if {p.name for p in entry.iterdir()} - {MARKER, _BUILT, _OLD}:
            return False  # something we never put there
        marker = entry / MARKER
        if marker.is_symlink() or not marker.is_file():
            return False
        with marker.open(encoding="utf-8") as text:
            if text.read(4096) != marker_text(out):
                return False
            _lock(text)  # held while removing: no build can be using it
            shutil.rmtree(entry, ignore_errors=True)
    except (OSError, UnicodeDecodeError):  # BlockingIOError: its build is alive
        return False
    return True
