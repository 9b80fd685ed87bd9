"""Every refusal of every `presidium` command is one line on stderr, never a traceback (finding 16).

Each command of the parser, and each action of those that take one (`candidates import`,
`roles set`, `bodies set`), is run where it must refuse: exit status 1 and exactly one line on
stderr, `presidium: ` and the reason. The commands come from the parser itself, so a command
added without a refusal case here fails `test_every_command_refuses_on_one_line`. A few cases
run again in a real process; the last tests pin what a user sees for a bug (one line naming an
internal error, status 70), for Ctrl-C, and for argparse's own usage errors.
"""

import argparse
import importlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from db.store import Store
from presidium import cli
from presidium.cli import main
from session.quorum import Kind
from tests.conftest import EXAMPLES, ROOT

Setup = Callable[[Store, Path], dict[str, str]]


@dataclass(frozen=True)
class Case:
    command: str  # as the parser names it, with its action: "bodies set"
    argv: tuple[str, ...]  # after `presidium --lang en`; {db}, {tmp}, {examples} and setup's keys
    says: str  # a fragment of the English reason
    congress: bool = True  # {db} holds the example congress with 30 delegates
    setup: Setup | None = None  # on that congress, before the command; extra argv fields


def _listed(store: Store, tmp: Path) -> dict[str, str]:
    """The committee election, created with the convening committee's list, not yet approved."""
    from presidium.candidates import import_candidates
    from session.candidates import read_candidates

    path = tmp / "list.csv"
    path.write_text("Số đại biểu\n2\n3\n", encoding="utf-8")
    import_candidates(store, "committee", read_candidates(path))
    return {}


def _pair(store: Store, tmp: Path) -> dict[str, str]:
    """An official delegate who is not absent, and an alternate."""
    delegates = store.delegates()
    official = next(d for d in delegates if d.kind is Kind.OFFICIAL)
    alternate = next(d for d in delegates if d.kind is Kind.ALTERNATE)
    return {"official": str(official.number), "alternate": str(alternate.number)}


def _tampered(store: Store, tmp: Path) -> dict[str, str]:
    with sqlite3.connect(store.url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE event SET operator = 'mallory' WHERE seq = 2")
    conn.close()
    return {}


def _files(tmp: Path) -> None:
    """The broken inputs the cases name."""
    (tmp / "empty.csv").write_bytes(b"")
    (tmp / "broken.toml").write_text("[congress\n", encoding="utf-8")
    (tmp / "short.txt").write_text("short\n", encoding="utf-8")
    (tmp / "not-a-database").write_text("hello\n", encoding="utf-8")
    (tmp / "in-the-way").write_text("a file where a folder should be\n", encoding="utf-8")
    sqlite3.connect(tmp / "empty.db").close()  # an SQLite file without a congress


PDF = ("--out", "{tmp}/out.pdf")
MISSING = "{tmp}/missing.db"

CASES = (
    Case("init", ("init", "{tmp}/broken.toml", "--db", "{tmp}/new.db"), "broken.toml",
         congress=False),
    Case("init", ("init", "{examples}/congress.toml", "--db", "{db}"), "already holds a congress"),
    Case("init", ("init", "{examples}/congress.toml", "--db", "{tmp}/no-such-folder/new.db"),
         "unable to open database file", congress=False),
    Case("import", ("import", "{tmp}/empty.csv", "--db", "{db}"), "The file is empty"),
    Case("cards", ("cards", "--db", "{db}", *PDF, "--number", "999"), "No delegate number 999"),
    Case("candidates import",
         ("candidates", "import", "{tmp}/empty.csv", "--election", "committee", "--db", "{db}"),
         "The file is empty"),
    Case("ballots", ("ballots", "--election", "committee", "--db", "{db}", *PDF),
         "list of election «committee» is not approved", setup=_listed),
    Case("ballots", ("ballots", "--election", "committee", "--db", "{db}", *PDF, "--round", "9"),
         "has no round 9", setup=_listed),
    Case("ballots", ("ballots", "--election", "nope", "--db", "{db}", *PDF),
         "No election named nope"),
    Case("read-ballots", ("read-ballots", "--election", "committee", "--db", "{db}",
                          "{tmp}/short.txt"), "--box"),
    Case("read-ballots", ("read-ballots", "--election", "nope", "--box", "1", "--db", "{db}",
                          "{tmp}/short.txt"), "No election named nope"),
    Case("read-ballots", ("read-ballots", "--check", "--db", "{db}", "{tmp}/missing.pdf"),
         "missing.pdf"),
    Case("counting-minutes", ("counting-minutes", "--election", "committee", "--db", "{db}", *PDF),
         "Counting of round 1 has not started", setup=_listed),
    Case("reissue", ("reissue", "999", "--reason", "lost", "--db", "{db}"),
         "No delegate number 999"),
    Case("run", ("run", "--db", MISSING), "no such database file", congress=False),
    Case("run", ("run", "--role", "teller", "--db", "{db}"), "has no passphrase yet"),
    Case("roles", ("roles", "--db", MISSING), "no such database file", congress=False),
    Case("roles set",
         ("roles", "set", "teller", "--passphrase-file", "{tmp}/short.txt", "--db", "{db}"),
         "at least 8 characters"),
    Case("serve", ("serve", "--db", MISSING), "no such database file", congress=False),
    Case("status", ("status", "--db", MISSING), "no such database file", congress=False),
    Case("status", ("status",), "No database given", congress=False),
    Case("agenda", ("agenda", "--db", "{tmp}/empty.db"), "holds no Presidium congress",
         congress=False),
    Case("results", ("results", "--db", "{tmp}"), "Cannot open", congress=False),
    Case("activate-alternate",
         ("activate-alternate", "--official", "{official}", "--alternate", "{alternate}",
          "--reason", "ill", "--db", "{db}"),
         "is not recorded as absent", setup=_pair),
    Case("statistics", ("statistics", "--election", "nope", "--db", "{db}"),
         "No election named nope"),
    Case("bodies", ("bodies", "--db", MISSING), "no such database file", congress=False),
    Case("backup", ("backup", "--db", "{db}", "--to", "{tmp}/no-such-folder"), "is not there"),
    Case("standby setup", ("standby", "setup", "--data", "{tmp}/standby"),
         "needs --primary URL and --data DIR", congress=False),
    Case("standby setup",
         ("standby", "setup", "--primary", "postgresql://postgres@127.0.0.1:1/x",
          "--data", "{tmp}/standby"), "Cannot reach the server at 127.0.0.1:1", congress=False),
    Case("standby status", ("standby", "status"), "needs --db", congress=False),
    Case("standby promote", ("standby", "promote", "--db", "postgresql://postgres@127.0.0.1:1/x"),
         "None of the servers given is a standby", congress=False),
    Case("standby guard", ("standby", "guard"), "needs --db", congress=False),
    Case("speakers", ("speakers", "--db", "{db}", "--item", "item-99"),
         "There is no agenda item item-99"),
    Case("speakers import", ("speakers", "import", "{tmp}/empty.csv", "--db", "{db}"),
         "The file is empty"),
    Case("bodies set",
         ("bodies", "set", "--body", "presidium", "--members", "Lê Văn An, Trần Thị Bình",
          "--head", "Phạm Văn Cường", "--vote", "v1", "--db", "{db}"),
         "is not among the members"),
    Case("verify", ("verify", "--db", "{db}"), "Event 2 was altered", setup=_tampered),
    Case("verify", ("verify", "--db", "{db}", "--anchor", "12ab"), "not a hash"),
    Case("verify", ("verify", "--db", "{db}", "--seal-key", "{tmp}/short.txt"), "not a public key"),
    Case("seal", ("seal", "--db", "{db}", "--key", "{tmp}/short.txt"),
         "is not a Presidium signing key"),
    Case("seal-key", ("seal-key", "--out", "{tmp}/short.txt"), "already exists", congress=False),
    Case("export", ("export", "--db", "{db}", "--out", "{tmp}/in-the-way"), "is not a folder"),
    Case("restore", ("restore", "--db", "{db}", "--from", "{tmp}/not-a-database", "--yes"),
         "is not a Presidium congress database"),
    Case("demo", ("demo", "--db", "{tmp}/not-a-database", "--no-open", "--delegates", "5"),
         "Cannot open", congress=False),
)  # fmt: skip


def _commands() -> list[str]:
    """Every command the parser knows, and every action of a command that takes one."""
    sub = next(a for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction))
    found = []
    for name, parser in sub.choices.items():
        action = next((a for a in parser._actions if a.dest == "action"), None)
        if action is None or action.nargs == "?":  # usable without an action too
            found.append(name)
        if action is not None:
            found += [f"{name} {choice}" for choice in action.choices or ()]
    return found


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No database from the environment, and tracebacks not asked for."""
    monkeypatch.delenv("PRESIDIUM_DB", raising=False)
    monkeypatch.delenv("PRESIDIUM_TRACEBACK", raising=False)
    yield


def _argv(case: Case, make_store: Callable[..., Store], tmp: Path) -> list[str]:
    """The state the case needs, and its command line."""
    _files(tmp)
    db = str(tmp / "congress.db")
    fields = {"db": db, "tmp": str(tmp), "examples": str(EXAMPLES)}
    if case.congress:
        store = make_store(db, delegates=30)
        if case.setup is not None:
            fields.update(case.setup(store, tmp))
        store.close()
    return ["--lang", "en", *(a.format(**fields) for a in case.argv)]


def _one_line_problem(case: Case, status: int, out: str, err: str) -> str | None:
    """What is wrong with how the command refused, or None."""
    lines = err.splitlines()
    if "Traceback" in out + err:
        return f"a traceback: {err[-300:]}"
    if status != 1:
        return f"exit status {status}, stderr {err!r}"
    if len(lines) != 1 or not lines[0].startswith("presidium: "):
        return f"not one 'presidium: ' line on stderr: {err!r}"
    if case.says not in lines[0]:
        return f"{lines[0]!r} does not say {case.says!r}"
    return None


@pytest.mark.parametrize("command", _commands())
def test_every_command_refuses_on_one_line(
    command: str,
    make_store: Callable[..., Store],
    tmp_path: Path,
    no_env: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cases = [c for c in CASES if c.command == command]
    assert cases, f"no refusal case for `presidium {command}`: add one to CASES"
    problems = []
    for n, case in enumerate(cases):
        folder = tmp_path / str(n)
        folder.mkdir()
        argv = _argv(case, make_store, folder)
        capsys.readouterr()
        try:
            status = main(argv)
        except BaseException as exc:  # what a user sees as a traceback (or argparse's usage)
            problems.append(f"{argv[2:]}: raised {type(exc).__name__}: {exc}")
            continue
        out, err = capsys.readouterr()
        problem = _one_line_problem(case, status, out, err)
        if problem:
            problems.append(f"{argv[2:]}: {problem}")
    assert problems == []


def test_every_case_is_a_command_of_the_parser() -> None:
    assert {c.command for c in CASES} - set(_commands()) == set()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["ballots", "counting-minutes", "import"])
def test_a_real_process_refuses_on_one_line_too(
    command: str, make_store: Callable[..., Store], tmp_path: Path, no_env: None
) -> None:
    case = next(c for c in CASES if c.command == command)
    argv = _argv(case, make_store, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "presidium", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k != "PRESIDIUM_DB"},
    )
    assert _one_line_problem(case, proc.returncode, proc.stdout, proc.stderr) is None


def test_refusal_in_vietnamese(
    sqlite_url: str, no_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "vi", "status"]) == 1
    assert capsys.readouterr().err == (
        "presidium: Chưa chỉ định cơ sở dữ liệu: dùng --db ĐƯỜNG_DẪN hoặc đặt PRESIDIUM_DB\n"
    )


# ------------------------------------------------------------------ what is not a refusal


def _bug(exc: BaseException) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        raise exc

    return handler


@pytest.mark.parametrize("exc", [KeyError("seats"), ValueError("a plain ValueError is a bug")])
def test_a_bug_is_one_line_naming_an_internal_error(
    exc: Exception,
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    no_env: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(cli, "cmd_status", _bug(exc))

    assert main(["--lang", "en", "status", "--db", sqlite_url]) == cli.EXIT_INTERNAL == 70

    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"presidium: internal error ({type(exc).__name__}: ")
    assert "PRESIDIUM_TRACEBACK=1" in lines[0]


def test_the_traceback_of_a_bug_on_request(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, no_env: None
) -> None:
    monkeypatch.setattr(cli, "cmd_status", _bug(KeyError("seats")))
    monkeypatch.setenv("PRESIDIUM_TRACEBACK", "1")
    with pytest.raises(KeyError):
        main(["--lang", "en", "status", "--db", sqlite_url])


@pytest.mark.slow
def test_a_bug_in_a_real_process_is_one_line(sqlite_url: str, no_env: None) -> None:
    script = (
        "import sys\nfrom presidium import cli\n"
        "def bug(args):\n    return {}['seats']\n"
        "cli.cmd_status = bug\nsys.exit(cli.main(sys.argv[1:]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PRESIDIUM_DB", "PRESIDIUM_TRACEBACK")}
    proc = subprocess.run(
        [sys.executable, "-c", script, "--lang", "en", "status", "--db", sqlite_url],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )  # fmt: skip
    assert proc.returncode == 70
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("presidium: internal error (KeyError: 'seats')")
    assert len(proc.stderr.splitlines()) == 1


def test_ctrl_c_is_one_line(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, no_env: None,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setattr(cli, "cmd_status", _bug(KeyboardInterrupt()))
    try:
        status = main(["--lang", "en", "status", "--db", sqlite_url])
    except KeyboardInterrupt:  # (it would stop pytest itself)
        pytest.fail("Ctrl-C came out of main() as KeyboardInterrupt: a traceback")
    assert status == 130
    assert capsys.readouterr().err == "presidium: interrupted\n"


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["ballots", "--election", "x", "--out", "b.pdf", "--copies", "-1"], "--copies"),
        (["ballots", "--election", "x", "--out", "b.pdf", "--copies", "0"], "--copies"),
        (["serve", "--port", "70000"], "--port"),
        (["demo", "--delegates", "0", "--no-open"], "--delegates"),
    ],
)
def test_numbers_out_of_range_are_usage_errors(
    argv: list[str], option: str, no_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused by argparse (status 2, its usage line and one error line), before any work:
    before, `--copies -1` was a ValueError's traceback and `--port 70000` an OverflowError's
    after the 'served at' line, and `demo --delegates 0` made an empty congress."""
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", "en", *argv])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"error: argument {option}: " in err.splitlines()[-1]
    assert "Traceback" not in err


def test_the_printouts_refusals_named_lazily_exist() -> None:
    """cli looks up the printouts' refusals by name (they load reportlab); a rename would
    silently turn them into internal errors."""
    for module, name in cli.LAZY_REFUSALS:
        assert issubclass(getattr(importlib.import_module(module), name), Exception)
