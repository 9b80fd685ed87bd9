"""Shared fixtures: real SQLite files, a fresh PostgreSQL database per test, a populated store."""

import os
import tomllib
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from db.store import Store
from session import i18n
from session.demo import demo_register
from tests.harness.halls import Hall, election_running
from tests.harness.pg_logins import drop_logins
from tests.harness.pg_server import PrivateServer, pg_bin

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PG_ADMIN = os.environ.get("PRESIDIUM_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _language() -> Iterator[None]:
    """Tests read English messages unless they switch; the process language is restored after."""
    i18n.use("en")
    yield
    i18n.use("en")


@pytest.fixture
def congress_data() -> dict[str, object]:
    return tomllib.loads((EXAMPLES / "congress.toml").read_text(encoding="utf-8"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "congress.db")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test."""
    name = f"presidium_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:  # pragma: no cover - CI starts the server
        pytest.fail(f"PostgreSQL not reachable at {PG_ADMIN}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    drop_logins(f"{base}/{name}")  # the roles' logins (db/logins.py) belong to the whole server
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on a SQLite file and on PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def make_store(congress_data: dict[str, object]) -> Iterator[Callable[..., Store]]:
    """Create a congress at a URL with `delegates` demo delegates; closed after the test."""
    stores: list[Store] = []

    def make(url: str, delegates: int = 30, **kwargs: object) -> Store:
        store = Store.create(url, congress_data, **kwargs)  # type: ignore[arg-type]
        if delegates:
            store.import_register(demo_register(delegates), source="test")
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def store(make_store: Callable[..., Store], sqlite_url: str) -> Store:
    return make_store(sqlite_url)


@pytest.fixture
def private_pg() -> Iterator[PrivateServer]:
    bindir = pg_bin()
    if bindir is None or not (bindir / "initdb").exists():
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    server = PrivateServer(bindir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_hall(sqlite_url: str) -> Iterator[Hall]:
    """The example congress with the given [[elections]], every voting delegate in the hall and
    the election item running (tests/harness/halls.py)."""
    stores: list[Store] = []

    def make(*elections: dict[str, object]) -> Store:
        store = election_running(sqlite_url, *elections)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()
