"""The `presidium` command as the venue's scripts use it: exit codes, stderr, JSON."""

import argparse
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

from db.store import Store
from presidium.cli import main
from session.rollcall import Mode
from tests.conftest import EXAMPLES


def _init(db: str) -> None:
    assert main(["init", str(EXAMPLES / "congress.toml"), "--db", db]) == 0


def test_init_import_status_verify(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _init(sqlite_url)
    assert (
        main(["--lang", "en", "import", str(EXAMPLES / "delegates.csv"), "--db", sqlite_url]) == 0
    )
    out = capsys.readouterr().out
    assert "8 added, 0 updated, 0 unchanged" in out

    assert (
        main(["--lang", "en", "import", str(EXAMPLES / "delegates.csv"), "--db", sqlite_url]) == 0
    )
    assert "0 added, 0 updated, 8 unchanged" in capsys.readouterr().out

    assert main(["status", "--db", sqlite_url, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "present 0 / summoned 6 / base 6" in out
    assert "present 0 of base 6: decisions need at least 4" in out

    assert main(["verify", "--db", sqlite_url, "--lang", "en"]) == 0
    assert "Audit chain intact: 2 events" in capsys.readouterr().out


def test_status_json_lists_present_delegates(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _init(sqlite_url)
    main(["import", str(EXAMPLES / "delegates.csv"), "--db", sqlite_url])
    with Store.open(sqlite_url) as store:
        store.scan(store.card_code(2, 0), Mode.ENTRY, "cửa-chính")
        store.scan(store.card_code(3, 0), Mode.ENTRY, "cửa-phụ")
    capsys.readouterr()

    assert main(["status", "--db", sqlite_url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)

    assert (data["present"], data["summoned"], data["base"]) == (2, 6, 6)
    assert data["quorum_ok"] is False and data["problems"] == ["no_decision_possible"]
    assert [(d["number"], d["full_name"], d["station"]) for d in data["delegates_present"]] == [
        (2, "Trần Thị Ánh", "cửa-chính"),
        (3, "Lê Đức Điệp", "cửa-phụ"),
    ]
    assert [(d["station"], d["entries"], d["exits"]) for d in data["doors"]] == [
        ("cửa-chính", 1, 0),
        ("cửa-phụ", 1, 0),
    ]
    assert all(d["last_at"] for d in data["doors"])
    assert main(["--lang", "en", "status", "--db", sqlite_url]) == 0
    assert "At the doors: cửa-chính 1 in, 0 out (last " in capsys.readouterr().out


def test_bad_register_imports_nothing_and_names_every_row(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _init(sqlite_url)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "number,full_name,unit,kind,date_of_birth\n"
        "1,Nguyễn Văn A,Xã A,official,1980-01-01\n"
        "2,,Xã A,official,\n"
        "1,Trần B,Xã B,official,\n"
        "4,Lê C,Xã C,president,\n"
        "5,Phạm D,Xã D,official,31/02/1980\n",
        encoding="utf-8",
    )
    capsys.readouterr()

    assert main(["--lang", "en", "import", str(bad), "--db", sqlite_url]) == 1

    err = capsys.readouterr().err
    for line in ("line 3:", "line 4:", "line 5:", "line 6:"):
        assert line in err
    assert "Number 1 already used on line 2" in err
    assert "Nothing was imported: 4 problem(s)" in err
    with Store.open(sqlite_url) as store:
        assert store.delegates() == []


def test_env_var_sets_database(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _init(sqlite_url)
    monkeypatch.setenv("PRESIDIUM_DB", sqlite_url)
    assert main(["--lang", "en", "status"]) == 0
    assert "summoned 0" in capsys.readouterr().out


@pytest.mark.pg
def test_postgresql_url(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _init(pg_url)
    assert main(["import", str(EXAMPLES / "delegates.csv"), "--db", pg_url]) == 0
    capsys.readouterr()
    assert main(["status", "--db", pg_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summoned"] == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--db", "{tmp}/missing.db"], "no such database file"),
        (["init", "{tmp}/missing.toml", "--db", "{tmp}/x.db"], "no such file"),
        (["import", "{tmp}/missing.csv", "--db", "{db}"], "Cannot read the file"),
        (["status", "--db", "{tmp}"], "Cannot open"),
    ],
)
def test_failures_are_one_line_on_stderr(
    args: list[str], message: str, sqlite_url: str, tmp_path: Path
) -> None:
    _init(sqlite_url)
    argv = [a.format(tmp=tmp_path, db=sqlite_url) for a in args]
    proc = subprocess.run(
        [sys.executable, "-m", "presidium", "--lang", "en", *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    lines = [line for line in proc.stderr.splitlines() if line]
    assert len(lines) >= 1 and message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_congress_file_names_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    congress = tmp_path / "c.toml"
    congress.write_text(
        '[congress]\nname = "X"\nstart = 2025-01-01\n[rules]\nruleset = "nope"\n', encoding="utf-8"
    )
    assert main(["init", str(congress), "--db", str(tmp_path / "c.db")]) == 1
    err = capsys.readouterr().err
    assert "rules.ruleset" in err and "'nope'" in err
    assert not (tmp_path / "c.db").exists()


def test_reissue_prints_new_code_and_revokes(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _init(sqlite_url)
    main(["import", str(EXAMPLES / "delegates.csv"), "--db", sqlite_url])
    capsys.readouterr()
    assert main(["reissue", "3", "--reason", "mất thẻ", "--db", sqlite_url]) == 0
    code = capsys.readouterr().out.strip().splitlines()[-1]
    with Store.open(sqlite_url) as store:
        assert store.scan(code, Mode.ENTRY, "d").decision.reason.value == "admitted"
        assert store.scan(store.card_code(3, 0), Mode.ENTRY, "d").decision.reason.value == "revoked"


def test_demo_no_open_writes_database_and_cards(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("printouts.cards")
    db = tmp_path / "demo.db"
    assert main(["--lang", "en", "demo", "--delegates", "40", "--db", str(db), "--no-open"]) == 0
    out = capsys.readouterr().out
    assert str(db) in out and "cards.pdf" in out
    assert (tmp_path / "demo-cards.pdf").stat().st_size > 10_000
    assert (tmp_path / "demo-codes.pdf").exists()
    with Store.open(str(db)) as store:
        assert len(store.delegates()) == 40


def test_verify_fails_naming_the_altered_event(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    _init(sqlite_url)
    main(["import", str(EXAMPLES / "delegates.csv"), "--db", sqlite_url])
    with sqlite3.connect(sqlite_url) as conn:
        conn.execute("UPDATE event SET operator = 'mallory' WHERE seq = 2")
    capsys.readouterr()

    assert main(["--lang", "en", "verify", "--db", sqlite_url]) == 1

    assert "Event 2 was altered" in capsys.readouterr().err


def _published_resolution(db: str) -> None:
    from session.agenda import MotionKind

    with Store.open(db) as store:
        for d in [d for d in store.delegates() if d.votes][:5]:
            store.scan(store.card_code(d.number, d.card_issue), Mode.ENTRY, "d")
        item = next(
            s.key for s in store.agenda_state().items if s.item.motion is MotionKind.RESOLUTION
        )
        store.start_item(item)
        vote = store.open_vote(store.create_vote(item).id)
        counts = {"tan_thanh": 5, "khong_tan_thanh": 0, "y_kien_khac": 0}
        store.enter_count(vote.id, "A", "t1", counts)
        store.enter_count(vote.id, "A", "t2", counts)
        for sector in ("B", "C"):
            zero = {"tan_thanh": 0, "khong_tan_thanh": 0, "y_kien_khac": 0}
            store.enter_count(vote.id, sector, "t1", zero)
            store.enter_count(vote.id, sector, "t2", zero)
        store.publish_vote(vote.id)


def test_agenda_and_results(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _init(sqlite_url)
    main(["import", str(EXAMPLES / "delegates.csv"), "--db", sqlite_url])
    _published_resolution(sqlite_url)
    capsys.readouterr()

    assert main(["agenda", "--db", sqlite_url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    current = [i for i in data["items"] if i["current"]]
    assert data["current"] == current[0]["key"] and current[0]["started_at"]
    assert data["items"][0]["planned_start"].endswith("07:30:00+07:00")

    assert main(["--lang", "en", "results", "--db", sqlite_url]) == 0
    out = capsys.readouterr().out
    assert "in favour 5 · against 0 · other opinion 0 · not voting 0" in out
    assert "5 × 2 = 10 > 6: passed, 83.33 % of the base" in out

    assert main(["results", "--db", sqlite_url, "--json"]) == 0
    vote = json.loads(capsys.readouterr().out)["votes"][0]
    assert vote["counts"] == {"tan_thanh": 5, "khong_tan_thanh": 0, "y_kien_khac": 0}
    assert vote["verdict"]["passed"] is True and vote["verdict"]["arithmetic"] == "5 × 2 = 10 > 6"
    assert vote["rule"] == {
        "ratio": "1/2",
        "strict": True,
        "base": "summoned_adjusted",
        "source": "ruleset",
        "ruleset": "vn_party_2014",
    }


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_command_and_option_explains_itself_in_both_languages(lang: str) -> None:
    """`presidium X --help` says what each argument is for, from the catalog (no ⟦key⟧)."""
    from presidium.cli import _parser
    from session import i18n

    i18n.use(lang)  # (the conftest puts English back after the test)
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    unexplained = [
        f"{name} {' '.join(arg.option_strings) or arg.dest}"
        for name, sub in commands.choices.items()
        for arg in sub._actions
        if arg.dest != "help" and (not arg.help or "⟦" in arg.help)
    ]
    untitled = [c.dest for c in commands._choices_actions if not c.help or "⟦" in c.help]
    assert unexplained == [] and untitled == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_command_s_help_prints(lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`presidium X --help` prints and exits 0 for every X (a "%" in a text broke one once)."""
    from presidium.cli import _parser
    from session import i18n

    i18n.use(lang)
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name in commands.choices:
        with pytest.raises(SystemExit) as exit_:
            main(["--lang", lang, name, "--help"])
        assert exit_.value.code == 0, name
        assert "--help" in capsys.readouterr().out, name


def test_argparse_speaks_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "vi", "cards", "--db", "x.db"])
    assert "presidium cards: lỗi: thiếu tham số bắt buộc: --out" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--lang", "vi", "roles", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("cách dùng: presidium roles") and "tùy chọn:" in out
    with pytest.raises(SystemExit):
        main(["--lang", "en", "run", "--role", "nobody"])
    assert "error: argument --role: invalid choice: 'nobody'" in capsys.readouterr().err


def test_every_argparse_text_translated_is_one_this_python_s_argparse_has() -> None:
    """A Python release that rewords one of argparse's texts would leave it untranslated."""
    from presidium.cli import ARGPARSE_TEXTS

    source = inspect.getsource(argparse)
    missing = [m for m in ARGPARSE_TEXTS if repr(m)[1:-1] not in source and m not in source]
    assert missing == []
