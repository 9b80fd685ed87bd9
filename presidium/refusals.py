"""How the `presidium` command fails: its exit statuses, the errors that are the user's to fix
(the refusals, said on one line of stderr), and an import file's bad rows said row by row.

`presidium.cli.main` decides what each exception is; the commands just raise (`CommandError`
for the few refusals of their own). Everything the command writes, on stdout and stderr, goes
through :func:`visible_output`: a character a terminal would act on rather than show (ESC, BEL,
backspace, a carriage return, a bidirectional override, a zero-width space) is written as its
escape, so a name in the register can neither rewrite the operator's screen nor hide itself.
"""

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, TypeVar

from db.engine import ENV_VAR, DatabaseLocationError
from db.errors import DatabaseFailure, driver_reason
from session.congress_file import ConfigError
from session.i18n import Refusal, t
from session.register import RegisterError, RowProblem

T = TypeVar("T")


class CommandError(Exception):
    """A failure to report on one line of stderr."""


EXIT_REFUSED, EXIT_INTERNAL, EXIT_INTERRUPTED = 1, 70, 130  # and argparse: 2
TRACEBACK_VAR = "PRESIDIUM_TRACEBACK"

# The user errors that are not `Refusal`s (their modules are not the CLI's to change).
REFUSALS: tuple[type[Exception], ...] = (
    CommandError,
    Refusal,
    ConfigError,  # the congress file
    DatabaseLocationError,  # no --db and no $PRESIDIUM_DB
    RegisterError,  # an import file (the commands say it row by row, through read_or_report)
    OSError,  # a file or folder the system refuses: named with the system's reason
    DatabaseFailure,  # the database driver cannot open or write the database
)
# The same, from modules only some commands load (reportlab is slow to import), by name: an
# exception of a module never imported cannot have been raised.
LAZY_REFUSALS = (
    ("printouts.fonts", "MissingGlyphError"),  # a name the PDF fonts cannot print
    ("printouts.ballot_layout", "BallotLayoutError"),  # a list that fits no ballot page
    ("printouts.export", "ExportFailed"),
)


def is_refusal(exc: Exception) -> bool:
    """Whether `exc` is the user's to fix (exit 1), not a bug in Presidium (exit 70)."""
    lazy = [getattr(sys.modules[m], name) for m, name in LAZY_REFUSALS if m in sys.modules]
    return isinstance(exc, (*REFUSALS, *lazy))


def reason(exc: Exception, args: argparse.Namespace) -> str:
    """A refusal's reason, for the one line."""
    if isinstance(exc, DatabaseLocationError):  # (its own text is English only)
        return t("cli.refusal.no_database")
    if isinstance(exc, RegisterError):
        return "; ".join(problem_line(p) for p in exc.problems)
    if isinstance(exc, DatabaseFailure):
        db = getattr(args, "db", None) or os.environ.get(ENV_VAR) or ""
        return t("cli.refusal.database", db=db, detail=driver_reason(exc))
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)


# C0 controls but tab and newline, DEL and C1; the invisible and direction-changing formats
# (zero-width space to right-to-left mark, line and paragraph separators, the bidirectional
# embeddings, overrides and isolates, word joiner, Arabic letter mark, byte order mark).
_UNSHOWN = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\u061c\ufeff]"
)


def visible(text: str) -> str:
    """`text` with every character a terminal would not simply show written as its escape
    (ESC as \\x1b, a right-to-left override as \\u202e)."""
    return _UNSHOWN.sub(_escape, text)


def json_visible(text: str) -> str:
    """JSON text with those characters as JSON's own escapes (\\u001b), so that it stays
    JSON; outside its strings JSON holds none of them."""
    return _UNSHOWN.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _escape(found: re.Match[str]) -> str:
    code = ord(found[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class VisibleText:
    """A text stream that writes what it is given through :func:`visible`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(visible(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, close...
        return getattr(self._stream, name)


@contextmanager
def visible_output() -> Iterator[None]:
    """While the command runs, its stdout and stderr write through :func:`visible`."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = VisibleText(out), VisibleText(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def say(message: str) -> None:
    """`presidium: ` and the message, on one line of stderr whatever the message holds."""
    line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    print(f"presidium: {line}", file=sys.stderr)


def problem_line(p: RowProblem) -> str:
    """One bad row of an import file: where it is, and what is wrong with it."""
    where = t("import.line", line=p.line) if p.line else t("import.whole_file")
    params: dict[str, object] = {"column": p.column, "value": p.value}
    if p.key == "duplicate_number":
        number, _, first = p.value.partition("|")
        params.update(number=number, first=first)
    return f"{where}: {t('import.' + p.key, **params)}"


def read_or_report(path: Path, reader: Callable[[Path], T]) -> T:
    """Read an import file; on bad rows, list every one on stderr and import nothing (a single
    bad row is the one line of the refusal)."""
    try:
        return reader(path)
    except RegisterError as exc:
        if len(exc.problems) == 1:
            problem = problem_line(exc.problems[0])
            raise CommandError(t("cli.refusal.import_one", path=path, problem=problem)) from None
        for problem in exc.problems:
            print(f"{path}: {problem_line(problem)}", file=sys.stderr)
        raise CommandError(t("import.nothing_imported", count=len(exc.problems))) from None
