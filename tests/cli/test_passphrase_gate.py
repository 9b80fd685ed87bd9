"""The operator's passphrase at the command line (issue 13, finding 2): once it is set, every
command that changes the congress or reads all of it asks for it first, refuses a wrong one on
one line with nothing done, counts it in the database as a screen does, and names the
operator's role on what it appends; `roles set` needs it too, the operator's own included.

The commands run through `presidium.cli.main` on a real SQLite congress; the prompt and the wait
that outlives a process run as real processes (the prompt on a pseudo-terminal)."""

import argparse
import os
import pty
import select
import socket
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db.backup import snapshot
from db.store import Store
from presidium import cli
from presidium.cli import OPEN_COMMANDS, main
from presidium.opening import PASSPHRASE_VAR
from session.i18n import t
from session.roles import PASSPHRASE_SET, SIGN_IN_CLEARED, SIGN_IN_REFUSED, Role, SignInWait
from tests.conftest import EXAMPLES, ROOT

SECRET = "người điều hành 2025"
NEW = "mật khẩu mới của điều hành"
DOOR = "cửa chính mở lúc 7 giờ"

# Every command that is the operator's, with arguments it would run with (what it would write
# goes under the test's out/ folder; "X" is an election the congress does not have).
OPERATOR_COMMANDS: dict[str, tuple[str, ...]] = {
    "import": ("import", str(EXAMPLES / "delegates.csv")),
    "cards": ("cards", "--out", "{out}/cards.pdf"),
    "candidates": ("candidates", "import", "{out}/c.csv", "--election", "X"),
    "ballots": ("ballots", "--election", "X", "--out", "{out}/b.pdf"),
    "counting-minutes": ("counting-minutes", "--election", "X", "--out", "{out}/m.pdf"),
    "reissue": ("reissue", "2", "--reason", "mất thẻ"),
    "roles": ("roles", "set", "door", "--passphrase-file", "{phrase}"),
    "serve": ("serve", "--port", "8765"),
    "status": ("status", "--json"),
    "agenda": ("agenda",),
    "results": ("results",),
    "activate-alternate": (
        "activate-alternate",
        "--official",
        "1",
        "--alternate",
        "8",
        "--reason",
        "ốm",
    ),
    "statistics": ("statistics",),
    "bodies": ("bodies",),
    "speakers": ("speakers",),
    "backup": ("backup", "--to", "{out}"),
    "export": ("export", "--out", "{out}/export"),
    "restore": ("restore", "--from", "{backup}", "--yes"),
    "seal": ("seal", "--key", "{seal_key}"),
}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The example congress with its register, the operator's passphrase set."""
    monkeypatch.delenv(PASSPHRASE_VAR, raising=False)
    path = str(tmp_path / "congress.db")
    assert main(["init", str(EXAMPLES / "congress.toml"), "--db", path]) == 0
    assert main(["import", str(EXAMPLES / "delegates.csv"), "--db", path]) == 0
    with Store.open(path) as store:
        store.set_passphrase(Role.OPERATOR, SECRET)
    return path


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, db: str) -> list[object]:
    """What `serve` would have served (it records instead of serving)."""
    started: list[object] = []
    monkeypatch.setattr("textual_serve.server.Server.serve", lambda self: started.append(self))
    monkeypatch.setenv("PRESIDIUM_DB", db)  # (serve sets it for its displays: put back after)
    return started


def _args(name: str, tmp_path: Path, db: str) -> list[str]:
    phrase = tmp_path / "door.txt"
    phrase.write_text(DOOR + "\n", encoding="utf-8")
    with Store.open(db) as store:
        backup = snapshot(store, tmp_path / "backups")
    seal_key = tmp_path / "seal.key"
    if name == "seal":
        assert main(["seal-key", "--out", str(seal_key)]) == 0
    fill = {"out": tmp_path / "out", "phrase": phrase, "backup": backup, "seal_key": seal_key}
    return ["--lang", "en", *(a.format(**fill) for a in OPERATOR_COMMANDS[name]), "--db", db]


def _events(db: str) -> list[tuple[str, str]]:
    with Store.open(db) as store:
        return [(e.kind, e.role) for e in store.events()]


def _with_a_database() -> set[str]:
    """The commands that open a congress database (--db)."""
    parser = cli._parser()
    found = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {
        name
        for name, command in found.choices.items()
        if any("--db" in action.option_strings for action in command._actions)
    }


COMMANDS = sorted(_with_a_database() & set(OPERATOR_COMMANDS))


def test_every_command_on_the_database_is_the_operator_s_but_six() -> None:
    """(A new command is the operator's unless the parser marks it open: it is then added above.)
    `read-ballots` is the counting committee's: it asks the counting role's passphrase instead
    (tests/cli/test_read_ballots.py); `standby` is the servers' technician's, whose superuser
    login is its gate (tests/db/test_failover.py)."""
    assert _with_a_database() - OPEN_COMMANDS <= set(OPERATOR_COMMANDS)
    assert sorted(OPEN_COMMANDS) == ["demo", "init", "read-ballots", "run", "standby", "verify"]


@pytest.mark.parametrize("name", COMMANDS)
def test_an_operator_command_without_the_passphrase_does_nothing(
    name: str,
    tmp_path: Path,
    db: str,
    served: list[object],
    capsys: pytest.CaptureFixture[str],
) -> None:
    args, before = _args(name, tmp_path, db), _events(db)
    capsys.readouterr()
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == (
        f"presidium: {t('roles.cli.operator_needed', 'en', var=PASSPHRASE_VAR)}\n"
    )
    assert _events(db) == before and not served
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob("*before-restore*"))


@pytest.mark.parametrize("name", COMMANDS)
def test_a_wrong_passphrase_is_refused_and_counted(
    name: str,
    tmp_path: Path,
    db: str,
    served: list[object],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args, before = _args(name, tmp_path, db), _events(db)
    monkeypatch.setenv(PASSPHRASE_VAR, SECRET + " ")
    capsys.readouterr()
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == f"presidium: {t('roles.cli.operator_wrong', 'en')}\n"
    assert _events(db) == [*before, (SIGN_IN_REFUSED, "")]  # (the attempt itself: nowhere)
    assert not served and not (tmp_path / "out").exists()
    assert not list(tmp_path.glob("*before-restore*"))


def test_the_right_passphrase_runs_the_command_as_the_operator(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = len(_events(db))
    monkeypatch.setenv(PASSPHRASE_VAR, SECRET)
    assert main(_args("reissue", tmp_path, db)) == 0
    # Read from the environment once, then gone: the processes a command starts (the
    # projector's, for `serve`) never inherit it.
    assert PASSPHRASE_VAR not in os.environ
    assert "issue 1" in capsys.readouterr().out
    monkeypatch.setenv(PASSPHRASE_VAR, SECRET)
    assert main(_args("roles", tmp_path, db)) == 0
    assert _events(db)[before:] == [("card_reissued", "operator"), (PASSPHRASE_SET, "operator")]
    monkeypatch.setenv(PASSPHRASE_VAR, SECRET)
    assert main(_args("status", tmp_path, db)) == 0  # reads: appends nothing
    assert len(_events(db)) == before + 2
    assert main(["verify", "--db", db]) == 0  # open to anyone


def test_the_operator_s_passphrase_is_replaced_only_with_the_current_one(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    new = tmp_path / "new.txt"
    new.write_text(NEW + "\n", encoding="utf-8")
    change = ["--lang", "en", "roles", "set", "operator", "--passphrase-file", str(new)]
    assert main([*change, "--db", db]) == 1
    monkeypatch.setenv(PASSPHRASE_VAR, NEW)  # the new one is not the current one
    assert main([*change, "--db", db]) == 1
    err = capsys.readouterr().err
    assert PASSPHRASE_VAR in err and t("roles.cli.operator_wrong", "en") in err
    with Store.open(db) as store:
        assert store.has_passphrase(Role.OPERATOR)
    assert _still(db, SECRET) and not _still(db, NEW)
    monkeypatch.setenv(PASSPHRASE_VAR, SECRET)
    assert main([*change, "--db", db]) == 0
    assert _still(db, NEW) and not _still(db, SECRET)


def _still(db: str, phrase: str) -> bool:
    """Whether `phrase` is the operator's (checked from another terminal, so as not to count)."""
    with Store.open(db, terminal="test-checker") as store:
        try:
            return store.check_passphrase(Role.OPERATOR, phrase)
        except SignInWait:
            return False


def test_restore_and_demo_replace_only_with_the_passphrase(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`demo --db` pointed at a real congress would print all its cards, `--replace` delete it."""
    monkeypatch.setattr("tui.app.PresidiumApp.run", lambda self: None)
    before = _events(db)
    for replace in ([], ["--replace"]):
        assert main(["--lang", "en", "demo", "--db", db, "--no-open", *replace]) == 1
        assert PASSPHRASE_VAR in capsys.readouterr().err
    assert _events(db) == before and not list(tmp_path.glob("*.pdf"))
    monkeypatch.setenv(PASSPHRASE_VAR, SECRET)
    assert main(["--lang", "en", "demo", "--db", db, "--no-open"]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["congress-cards.pdf",
                                                              "congress-codes.pdf"]  # fmt: skip


def test_help_says_how_a_script_gives_the_passphrase(capsys: pytest.CaptureFixture[str]) -> None:
    for lang in ("en", "vi"):
        for command in ([], ["export"]):
            with pytest.raises(SystemExit) as done:
                main(["--lang", lang, *command, "--help"])
            assert done.value.code == 0
            out = " ".join(capsys.readouterr().out.split())
            assert t("roles.cli.passphrase_help", lang, var=PASSPHRASE_VAR) in out
    with pytest.raises(SystemExit):
        main(["--lang", "en", "verify", "--help"])
    assert PASSPHRASE_VAR not in capsys.readouterr().out  # verify is open


# ---------------------------------------------------------------- typed at a terminal


def _on_a_terminal(args: list[str], typed: str) -> tuple[int, str]:
    """`presidium ARGS` with a pseudo-terminal as its controlling terminal, `typed` and Enter
    sent once it asks; its exit status and everything the terminal showed."""
    env = {k: v for k, v in os.environ.items() if k != PASSPHRASE_VAR}
    main_fd, terminal_fd = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "presidium", *args],
        stdin=terminal_fd, stdout=terminal_fd, stderr=terminal_fd, cwd=ROOT, env=env,
        start_new_session=True, close_fds=True,
    )  # fmt: skip
    os.close(terminal_fd)
    shown = _read_until(main_fd, lambda text: "(not shown as you type)" in text)
    os.write(main_fd, typed.encode() + b"\r")
    shown += _read_until(main_fd, lambda text: False)
    os.close(main_fd)
    return process.wait(timeout=60), shown


def _read_until(fd: int, done: Callable[[str], bool]) -> str:
    data = b""
    while not done(data.decode(errors="replace")):
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            raise AssertionError(f"the command said nothing more: {data!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the command has ended and its terminal closed
            break
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")


def test_the_passphrase_is_asked_at_the_terminal_and_never_shown(db: str) -> None:
    status, shown = _on_a_terminal(["--lang", "en", "agenda", "--db", db], SECRET)
    assert status == 0, shown
    assert t("roles.cli.operator_prompt", "en") in shown and SECRET not in shown
    assert "Chào cờ" in shown  # the agenda itself
    status, shown = _on_a_terminal(["--lang", "en", "agenda", "--db", db], "sai mật khẩu")
    assert status == 1 and t("roles.cli.operator_wrong", "en") in shown
    assert "sai mật khẩu" not in shown


# ---------------------------------------------------------------- the wait, kept in the database


def _guessed(db: str, at: datetime, terminal: str = "") -> None:
    """A wrong passphrase of the operator typed at `terminal` (this machine's) at `at`."""
    with Store.open(db, terminal=terminal or socket.gethostname(), clock=lambda: at) as store:
        try:
            assert not store.check_passphrase(Role.OPERATOR, "đoán bừa một mật khẩu")
        except SignInWait as wait:
            assert wait.wrong


def test_the_wait_after_wrong_passphrases_outlives_the_process(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seven wrong ones, each after the wait the ones before it brought: the next waits 30 s.
    now = datetime.now(UTC)
    for back in (30, 30, 30, 28, 24, 16, 0):
        _guessed(db, now - timedelta(seconds=back))
    before = _events(db)
    monkeypatch.setenv(PASSPHRASE_VAR, SECRET)  # the right one: still not checked
    assert main(["--lang", "en", "status", "--db", db]) == 1
    err = capsys.readouterr().err
    assert err.startswith("presidium: Too many wrong passphrases at this terminal")
    done = subprocess.run(
        [sys.executable, "-m", "presidium", "--lang", "en", "status", "--db", db],
        cwd=ROOT, env={**os.environ, PASSPHRASE_VAR: SECRET}, capture_output=True, text=True,
        timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("presidium: Too many wrong passphrases at this terminal")
    assert _events(db) == before  # nothing checked, nothing appended


def test_the_wait_is_kept_per_role_and_terminal(
    make_store: Callable[..., Store], db_url: str
) -> None:
    clock = [datetime(2026, 5, 1, 8, tzinfo=UTC)]
    make_store(db_url, clock=lambda: clock[0]).set_passphrase(Role.DOOR, DOOR)

    def door(terminal: str = "host/cửa-phụ") -> Store:
        return Store.open(db_url, terminal=terminal, clock=lambda: clock[0])

    with door() as first:
        first.act_as(Role.DOOR)
        assert not first.check_passphrase(Role.DOOR, "sai 1 mật khẩu")
        assert not first.check_passphrase(Role.DOOR, "sai 2 mật khẩu")
        with pytest.raises(SignInWait) as third:
            first.check_passphrase(Role.DOOR, "sai 3 mật khẩu")
        assert third.value.wrong and third.value.seconds == 2.0
    with door() as restarted:  # a new process at the same terminal: the wait holds
        restarted.act_as(Role.DOOR)
        seq = restarted.last_seq()
        with pytest.raises(SignInWait) as again:
            restarted.check_passphrase(Role.DOOR, DOOR)
        assert not again.value.wrong and restarted.last_seq() == seq
        with door("host/cửa-chính") as other:  # another door is not locked out
            other.act_as(Role.DOOR)
            assert other.check_passphrase(Role.DOOR, DOOR) and other.last_seq() == seq
        clock[0] += timedelta(seconds=2)
        assert restarted.check_passphrase(Role.DOOR, DOOR)
        refused, cleared = restarted.events(after=seq - 1)[-2:]
        assert (refused.kind, cleared.kind) == (SIGN_IN_REFUSED, SIGN_IN_CLEARED)
        assert cleared.payload == {"role": "door"} and cleared.terminal == "host/cửa-phụ"
        assert cleared.role == "door"
        assert not restarted.check_passphrase(Role.DOOR, "sai 4 mật khẩu")  # counted anew
        assert restarted.verify() is None
