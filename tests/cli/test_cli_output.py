"""What the command line prints never holds a control character raw (issue 13, finding 8): a
name holding ESC, BEL, backspace, a right-to-left override or a zero-width space (put in the
register with SQL, as a database written by an older release or by hand could hold it) is shown
with those characters escaped, on stdout and in a refusal on stderr, and JSON stays JSON. The
commands run as real processes: what reaches the terminal is checked byte for byte."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from presidium.cli import main
from presidium.refusals import visible
from tests.conftest import EXAMPLES, ROOT

# ESC [31m (red), BEL, backspace, a right-to-left override, a zero-width space, DEL, a C1 CSI.
HOSTILE = "Lê\x1b[31mVăn\x07Ba\x08\u202eTư\u200b\x7f\x9b"
SHOWN = "Lê\\x1b[31mVăn\\x07Ba\\x08\\u202eTư\\u200b\\x7f\\x9b"
UNIT = "Đơn vị\x1b]0;owned\x07\u202e\x9b"  # (OSC 0: would retitle the terminal)
RAW = ("\x1b", "\x07", "\x08", "\u202e", "\u200b", "\x7f", "\x9b", "\r")


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "congress.db")
    assert main(["init", str(EXAMPLES / "congress.toml"), "--db", path]) == 0
    assert main(["import", str(EXAMPLES / "delegates.csv"), "--db", path]) == 0
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE delegate SET full_name = ?, unit = ? WHERE number = 2",
                     (HOSTILE, UNIT))  # fmt: skip
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESIDIUM_")}
    return subprocess.run(
        [sys.executable, "-m", "presidium", "--lang", "en", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def _no_raw(text: str) -> None:
    found = sorted({hex(ord(c)) for c in text if c in RAW})
    assert not found, found


def test_visible_escapes_what_a_terminal_would_act_on() -> None:
    assert visible(HOSTILE) == SHOWN
    assert visible("Nguyễn Thị Lan\tA\n") == "Nguyễn Thị Lan\tA\n"  # text, tab and newline stay


def test_reissue_prints_the_name_escaped(db: str) -> None:
    done = _run("reissue", "2", "--reason", "mất thẻ", "--db", db)
    assert done.returncode == 0, done.stderr
    _no_raw(done.stdout + done.stderr)
    assert SHOWN in done.stdout


def test_a_refusal_naming_the_character_prints_it_escaped(db: str) -> None:
    done = _run("cards", "--out", str(Path(db).with_name("cards.pdf")), "--db", db)
    assert done.returncode == 1 and done.stdout == ""
    _no_raw(done.stderr)
    assert done.stderr.startswith("presidium: ") and "\\x1b" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_json_output_stays_json_with_the_characters_escaped(db: str) -> None:
    done = _run("status", "--json", "--db", db)
    assert done.returncode == 0, done.stderr
    _no_raw(done.stdout)
    units = [u["unit"] for u in json.loads(done.stdout)["units"]]
    assert UNIT in units  # escaped the JSON way: read back, it is the unit as stored


def test_every_line_of_a_command_goes_through_the_same_escape(db: str) -> None:
    done = _run("activate-alternate", "--official", "2", "--alternate", "6", "--reason", "ốm",
                "--db", db)  # fmt: skip
    assert done.returncode == 1 and SHOWN in done.stderr
    _no_raw(done.stdout + done.stderr)


def test_the_cards_refusal_follows_lang_not_the_congress_s_language(db: str) -> None:
    """Issue 13, finding 8: the congress speaks Vietnamese; under --lang en the refusal, and the
    place it names, are English (the cards themselves stay in the congress's language)."""
    done = _run("cards", "--out", str(Path(db).with_name("cards.pdf")), "--db", db)

    assert done.stderr.startswith("presidium: Delegate 2: the character"), done.stderr
    assert "is not in the print font" in done.stderr and "Đại biểu" not in done.stderr
