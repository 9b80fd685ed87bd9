"""Store.open_as on a SQLite file: the file is the boundary (no logins), the passphrase is
checked against its hash there, and the store then acts as the role. On PostgreSQL, see
tests/db/test_pg_privileges.py."""

from collections.abc import Callable

import pytest

from db.store import Store, StoreError
from session.roles import Role, rights

MakeStore = Callable[..., Store]
PASSPHRASE = "cửa chính mở lúc 7 giờ"


def test_a_role_opens_a_sqlite_congress_with_its_passphrase_and_acts_as_it(
    make_store: MakeStore, sqlite_url: str
) -> None:
    make_store(sqlite_url).set_passphrase(Role.DOOR, PASSPHRASE)
    for wrong in ("cửa phụ mở lúc 7 giờ", ""):
        with pytest.raises(StoreError) as refused:
            Store.open_as(sqlite_url, Role.DOOR, wrong)
        assert refused.value.key == "login_refused"
    with Store.open_as(sqlite_url, Role.DOOR, PASSPHRASE, person="Lan") as door:
        assert (door.role, door.operator) == ("door", "Lan")
        assert door.records == rights(Role.DOOR).records
        assert door.secret  # on one laptop the file holds the key: the file is the boundary


def test_a_role_without_a_passphrase_is_refused(make_store: MakeStore, sqlite_url: str) -> None:
    make_store(sqlite_url)
    with pytest.raises(StoreError) as refused:
        Store.open_as(sqlite_url, Role.TELLER, PASSPHRASE)
    assert refused.value.key == "login_refused"
