"""Databases that upgrade (issue 12): a congress database written by the release before Alembic
(tests/fixtures/congress-v3.db, and the same congress dumped from PostgreSQL) opens in this one,
backed up first and migrated in place; one from a newer release is refused and left as it was;
a new one is at the head revision; and the migrations build exactly the models' tables."""

import hashlib
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy import Connection, create_engine

from db import upgrade
from db.models import SCHEMA_VERSION
from db.store import Store, StoreError
from presidium.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
V3_SQLITE = FIXTURES / "congress-v3.db"
V3_POSTGRESQL = FIXTURES / "congress-v3.postgresql.sql"
V3_EVENTS = 47  # what tests/fixtures/make_congress_v3.py appended
V3_DELEGATES = 30
FUTURE = "0999"  # a revision no release has written yet


# ---------------------------------------------------------------- helpers


@pytest.fixture
def v3_file(tmp_path: Path) -> Path:
    """A copy of the database the release before Alembic wrote."""
    target = tmp_path / "congress-v3.db"
    shutil.copyfile(V3_SQLITE, target)
    return target


@pytest.fixture
def v3_postgresql(pg_url: str) -> str:
    """A fresh PostgreSQL database holding what the release before Alembic wrote there."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(V3_POSTGRESQL.read_text(encoding="utf-8"))  # type: ignore[arg-type]
    return pg_url


def sqlite_rows(path: Path, query: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(query).fetchall()


def rows(location: str, query: str) -> list[tuple[object, ...]]:
    """The rows of `query` on a SQLite file or a PostgreSQL URL."""
    if "://" not in location:
        return sqlite_rows(Path(location), query)
    with psycopg.connect(location) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def backups(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.before-upgrade-*.db"))


def revision_of(location: str) -> list[tuple[object, ...]]:
    return rows(location, "SELECT version_num FROM alembic_version")


EVENTS = "SELECT seq, kind, hash FROM event ORDER BY seq"
DELEGATES = (
    "SELECT number, full_name, status, card_issue, present, activated_for FROM delegate"
    " ORDER BY number"
)


def assert_opens_upgraded_and_verifies(location: str) -> None:
    """Open the pre-Alembic congress at `location`: upgraded to head, the same events and
    delegates as the release before wrote them, and `presidium verify` passes."""
    events_before = rows(location, EVENTS)
    delegates_before = rows(location, DELEGATES)
    with Store.open(location) as store:
        assert store.upgraded is not None
        assert store.upgraded.revision == upgrade.head()
        assert store.verify() is None
        assert store.last_seq() == V3_EVENTS
        assert len(store.delegates()) == V3_DELEGATES
        assert len(store.vote_book().votes) == 1
        assert len(store.election_book().elections) == 1
    assert revision_of(location) == [(upgrade.head(),)]
    assert rows(location, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
    assert rows(location, EVENTS) == events_before
    assert rows(location, DELEGATES) == delegates_before
    assert main(["--lang", "en", "verify", "--db", location]) == 0


# ---------------------------------------------------------------- SQLite: the file of before


def test_the_fixture_is_a_database_from_before_alembic() -> None:
    tables = {name for (name,) in sqlite_rows(V3_SQLITE, "SELECT name FROM sqlite_master")}
    assert "alembic_version" not in tables
    assert sqlite_rows(V3_SQLITE, "SELECT value FROM meta") == [("3",)]
    assert V3_SQLITE.stat().st_size < 1_000_000


def test_a_file_from_before_alembic_is_backed_up_then_upgraded(
    v3_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = sqlite_rows(v3_file, EVENTS)

    assert_opens_upgraded_and_verifies(str(v3_file))

    assert "Audit chain intact: 47 events" in capsys.readouterr().out
    [backup] = backups(v3_file.parent)
    assert backup.name.startswith("congress-v3.before-upgrade-")
    # The copy is the file as the release before left it: no revision, the same events.
    assert "alembic_version" not in {
        n for (n,) in sqlite_rows(backup, "SELECT name FROM sqlite_master")
    }
    assert sqlite_rows(backup, EVENTS) == original


def test_an_upgraded_file_opens_again_without_a_second_upgrade(v3_file: Path) -> None:
    Store.open(str(v3_file)).close()
    before = digest(v3_file)

    with Store.open(str(v3_file)) as store:
        assert store.upgraded is None
        assert store.verify() is None

    assert len(backups(v3_file.parent)) == 1
    assert digest(v3_file) == before


def test_two_terminals_opening_the_file_at_once_upgrade_it_once(v3_file: Path) -> None:
    opened: list[Store] = []
    failed: list[BaseException] = []

    def open_it() -> None:
        try:
            opened.append(Store.open(str(v3_file)))
        except BaseException as exc:  # pragma: no cover - reported below
            failed.append(exc)

    terminals = [threading.Thread(target=open_it) for _ in range(2)]
    for terminal in terminals:
        terminal.start()
    for terminal in terminals:
        terminal.join()

    assert failed == []
    assert sorted(s.upgraded is not None for s in opened) == [False, True]
    assert len(backups(v3_file.parent)) == 1
    for store in opened:
        store.close()


def test_a_failed_upgrade_changes_nothing(v3_file: Path) -> None:
    # A view where the revision table would go: the stamp is lost in it, so the upgrade then
    # builds the baseline's tables again, over the existing ones, and fails.
    with closing(sqlite3.connect(v3_file)) as conn, conn:
        conn.execute("CREATE VIEW alembic_version AS SELECT 'x' AS version_num WHERE 0")
    before = digest(v3_file)

    with pytest.raises(StoreError) as refused:
        Store.open(str(v3_file))

    assert refused.value.key == "upgrade_failed"
    assert str(refused.value).startswith(f"Cannot upgrade {v3_file} to this release's schema: ")
    assert str(refused.value).endswith("Nothing in it was changed")
    assert digest(v3_file) == before
    assert backups(v3_file.parent) == []  # the copy of an unchanged file is not kept


# ---------------------------------------------------------------- refused: newer or unknown


def _upgraded_then(v3_file: Path, *statements: str) -> Path:
    """The fixture upgraded by this release, then changed as a later release would leave it."""
    Store.open(str(v3_file)).close()
    for backup in backups(v3_file.parent):
        backup.unlink()
    with closing(sqlite3.connect(v3_file)) as conn, conn:
        for statement in statements:
            conn.execute(statement)
    return v3_file


def _assert_refused_untouched(path: Path, key: str, message: str) -> None:
    files = sorted(p.name for p in path.parent.iterdir())
    before = digest(path)

    with pytest.raises(StoreError) as refused:
        Store.open(str(path))
    assert main(["--lang", "en", "verify", "--db", str(path)]) != 0

    assert refused.value.key == key
    assert str(refused.value) == message
    assert "\n" not in str(refused.value)
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == files  # no backup, no -wal left


def test_a_file_from_a_newer_release_is_refused_untouched(v3_file: Path) -> None:
    newer = _upgraded_then(
        v3_file,
        f"UPDATE alembic_version SET version_num = '{FUTURE}'",
        "CREATE TABLE speaker (id INTEGER PRIMARY KEY)",  # what that release added
    )

    _assert_refused_untouched(
        newer,
        "schema_newer",
        f"{newer} was written by a newer Presidium (schema revision {FUTURE}; this Presidium"
        f" knows revisions up to {upgrade.head()}): open it with that release or a later one."
        " Nothing in it was changed",
    )


@pytest.mark.parametrize("alembic", [True, False], ids=["at-head", "before-alembic"])
def test_a_greater_schema_version_is_refused_untouched(v3_file: Path, alembic: bool) -> None:
    statements = ["UPDATE meta SET value = '99' WHERE key = 'schema_version'"]
    if alembic:
        newer = _upgraded_then(v3_file, *statements)
    else:
        newer = v3_file
        with closing(sqlite3.connect(newer)) as conn, conn:
            conn.execute(statements[0])

    _assert_refused_untouched(
        newer,
        "schema_version",
        f"{newer} has schema version 99, this Presidium speaks version {SCHEMA_VERSION}:"
        " use the matching Presidium version",
    )


def test_a_schema_older_than_the_baseline_is_refused_untouched(v3_file: Path) -> None:
    with closing(sqlite3.connect(v3_file)) as conn, conn:
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")

    _assert_refused_untouched(
        v3_file,
        "schema_version",
        f"{v3_file} has schema version 2, this Presidium speaks version {SCHEMA_VERSION}:"
        " use the matching Presidium version",
    )


# ---------------------------------------------------------------- PostgreSQL


@pytest.mark.pg
def test_a_postgresql_database_from_before_alembic_is_backed_up_then_upgraded(
    v3_postgresql: str,
) -> None:
    original = rows(v3_postgresql, EVENTS)
    assert original == sqlite_rows(V3_SQLITE, EVENTS)  # the same congress on both backends

    assert_opens_upgraded_and_verifies(v3_postgresql)

    [(schema,)] = rows(
        v3_postgresql,
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'presidium_before_upgrade_%'",
    )
    assert (
        rows(v3_postgresql, f"SELECT seq, kind, hash FROM {schema}.event ORDER BY seq") == original
    )
    assert rows(v3_postgresql, f"SELECT value FROM {schema}.meta") == [("3",)]


@pytest.mark.pg
def test_a_postgresql_database_from_a_newer_release_is_refused_untouched(
    v3_postgresql: str,
) -> None:
    Store.open(v3_postgresql).close()
    with psycopg.connect(v3_postgresql, autocommit=True) as conn:
        conn.execute(f"UPDATE alembic_version SET version_num = '{FUTURE}'")  # type: ignore[arg-type]
    state = (
        "SELECT (SELECT string_agg(version_num, ',') FROM alembic_version),"
        " (SELECT string_agg(nspname, ',') FROM pg_namespace),"
        " (SELECT count(*) FROM event), (SELECT max(xmin::text::bigint) FROM meta)"
    )
    before = rows(v3_postgresql, state)

    with pytest.raises(StoreError) as refused:
        Store.open(v3_postgresql)

    assert refused.value.key == "schema_newer"
    assert f"schema revision {FUTURE}; this Presidium knows revisions up to" in str(refused.value)
    assert rows(v3_postgresql, state) == before


# ---------------------------------------------------------------- new databases, the migrations


def test_a_new_database_is_at_head(make_store: Callable[..., Store], db_url: str) -> None:
    make_store(db_url).close()

    assert revision_of(db_url) == [(upgrade.head(),)]
    assert rows(db_url, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
    with Store.open(db_url) as store:
        assert store.upgraded is None


def test_the_baseline_builds_the_tables_of_before(
    make_store: Callable[..., Store], sqlite_url: str
) -> None:
    make_store(sqlite_url).close()
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"

    new = [r for r in sqlite_rows(Path(sqlite_url), schema) if r[2] != "alembic_version"]

    assert new == sqlite_rows(V3_SQLITE, schema)


@pytest.fixture
def head_connection(make_store: Callable[..., Store], db_url: str) -> Iterator[Connection]:
    make_store(db_url, delegates=0).close()
    url = db_url if "://" in db_url else f"sqlite:///{db_url}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def test_the_models_and_the_migrations_agree(head_connection: Connection) -> None:
    # `alembic check`: autogenerate finds nothing between the models and a database at head.
    command.check(upgrade.alembic_config(head_connection))


def test_every_revision_states_the_schema_version_it_leaves() -> None:
    scripts = list(upgrade.scripts().walk_revisions())
    numbers = {s.revision: s.module.schema_version for s in scripts}

    assert all(isinstance(n, int) for n in numbers.values()), numbers
    assert numbers[upgrade.head()] == SCHEMA_VERSION
    assert numbers[upgrade.BASELINE] == upgrade.BASELINE_SCHEMA_VERSION
    assert [s.revision for s in scripts][-1] == upgrade.BASELINE  # the root of the line


def test_the_migrations_run_only_on_a_connection_given() -> None:
    # env.py runs only through db.upgrade, on a connection it is given (no alembic.ini, no CLI).
    with pytest.raises(RuntimeError, match=r"only through db\.upgrade"):
        command.upgrade(upgrade.alembic_config(None), "head")


def test_the_migrations_ship_in_the_package() -> None:
    assert upgrade.MIGRATIONS.parent == Path(upgrade.__file__).resolve().parent
    assert (upgrade.MIGRATIONS / "env.py").is_file()
    assert (upgrade.MIGRATIONS / "script.py.mako").read_text(encoding="utf-8").count(
        "import sqlmodel"
    ) == 1


def test_the_terminal_says_where_the_copy_from_before_the_upgrade_is(tmp_path: Path) -> None:
    """The command line says it once on stderr, on the open that upgraded the file."""
    import shutil
    import subprocess
    import sys

    db = tmp_path / "congress.db"
    shutil.copy(V3_SQLITE, db)
    run = subprocess.run(
        [sys.executable, "-m", "presidium.cli", "--lang", "en", "status", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Upgraded this database from schema_version 3" in run.stderr
    assert "before-upgrade" in run.stderr
    again = subprocess.run(
        [sys.executable, "-m", "presidium.cli", "--lang", "en", "status", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Upgraded" not in again.stderr
