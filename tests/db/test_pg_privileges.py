"""Least privilege that PostgreSQL enforces (issue 13, finding 1): each role's own login, set by
`presidium roles set`, can do its role's work and nothing else, even through a direct SQL
session; the card key and the passphrases' hashes are out of its reach, and the server checks
the cards (db/privileges.py, db/logins.py)."""

import random
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import create_engine
from sqlmodel import Session, text

from db.engine import database_url
from db.logins import login_name, set_login
from db.privileges import CARD_FUNCTION, check_card
from db.store import Store, StoreError
from db.watch import Watcher
from session import elections as el
from session.ballots import BallotInput
from session.cards import (
    CardCode,
    CardProblem,
    CardRejection,
    make_code,
    new_secret,
    normalise_scan,
    read_code,
)
from session.count import CountMode
from session.demo import demo_register
from session.roles import Role, rights
from session.rollcall import Colour, Mode
from tests.harness import every_event as every
from tests.harness.bch_election import E, election_ready_to_vote
from tests.harness.pg_logins import (
    PASSPHRASES,
    direct,
    drop_logins,
    owned_database,
    require_passwords,
    set_every_login,
)
from tests.harness.pg_server import PrivateServer
from tests.harness.rollcall import admit_voters
from tests.harness.votes import resolution

pytestmark = pytest.mark.pg

MakeStore = Callable[..., Store]
ROLES = tuple(Role)
NOT_OPERATOR = tuple(r for r in Role if r is not Role.OPERATOR)
DOOR = "cửa-chính"


@pytest.fixture
def owner(make_store: MakeStore, pg_url: str) -> Store:
    """A congress on PostgreSQL (its owner's store) whose every role has its login (dropped
    with the database by the pg_url fixture)."""
    store = make_store(pg_url, delegates=40)
    set_every_login(store)
    return store


def _refused(conn: psycopg.Connection[object], statement: str) -> bool:
    """Whether the server refuses `statement` for lack of privilege (or by a row policy)."""
    try:
        conn.execute(statement)  # type: ignore[arg-type]
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


# ---------------------------------------------------------------- what no role's login reads

FORBIDDEN_READS = (
    "SELECT secret FROM congress",
    "SELECT * FROM congress",
    "SELECT * FROM role_passphrase",
    "SELECT salt, digest FROM role_passphrase",
    "SELECT digest FROM role_passphrase WHERE role = 'operator'",
)


@pytest.mark.parametrize("role", NOT_OPERATOR)
def test_no_role_login_reads_the_card_key_or_the_hashes(owner: Store, role: Role) -> None:
    with direct(owner.url, role) as conn:
        refused = [q for q in FORBIDDEN_READS if not _refused(conn, q)]
        assert refused == [], f"{role} read: {refused}"
        # What its screens show it still reads: the congress, who has a passphrase, the log.
        assert conn.execute("SELECT name FROM congress").fetchone() == (owner.congress.name,)
        passphrases = conn.execute("SELECT role, set_at FROM role_passphrase").fetchall()
        assert len(passphrases) == len(Role) - 1  # (the projector's: none)
        assert conn.execute("SELECT count(*) FROM event").fetchone() == (owner.last_seq(),)
        assert conn.execute("SELECT count(*) FROM delegate").fetchone() == (40,)


def test_the_operator_login_reads_the_key_but_not_the_hashes(owner: Store) -> None:
    with direct(owner.url, Role.OPERATOR) as conn:
        assert conn.execute("SELECT secret FROM congress").fetchone() == (owner.secret,)
        assert _refused(conn, "SELECT digest FROM role_passphrase")


# ---------------------------------------------------------------- what no role's login writes


def _foreign_kind(role: Role) -> str:
    """An event kind `role` may not append (the operator's own)."""
    return next(
        k for k in ("status_changed", "register_imported") if not rights(role).may_record(k)
    )


def _event(seq: int, kind: str, role: str) -> str:
    return (
        "INSERT INTO event (seq, at, kind, payload, terminal, operator, prev_hash, hash, role) "
        f"VALUES ({seq}, '2025-01-01T00:00:00+00:00', '{kind}', '{{}}', 't', 'p', 'x', 'y', "
        f"'{role}')"
    )


def _forbidden_writes(role: Role, others: dict[Role, str], seq: int) -> list[str]:
    other_login = next(name for r, name in others.items() if r is not role)
    writes = [
        "UPDATE delegate SET status = 'absent_whole'",
        "UPDATE delegate SET full_name = 'X'",
        "UPDATE delegate SET kind = 'guest'",
        "UPDATE delegate SET card_issue = card_issue + 1",
        "DELETE FROM event",
        "DELETE FROM attendance",
        "DELETE FROM delegate",
        "TRUNCATE event",
        "UPDATE event SET payload = '{}'",
        "UPDATE attendance SET station = 'x'",
        "UPDATE congress SET config_json = '{}'",
        "UPDATE congress SET secret = 'ab'",
        "INSERT INTO role_passphrase VALUES ('x', '', '', 1, 1, 1, now())",
        "UPDATE role_passphrase SET digest = ''",
        "DELETE FROM role_passphrase",
        "UPDATE meta SET value = '1'",
        "UPDATE alembic_version SET version_num = 'x'",
        "CREATE ROLE intruder LOGIN",
        "CREATE TABLE intruder (i int)",
        "CREATE TEMP TABLE intruder (i int)",
        "CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        f"ALTER ROLE \"{other_login}\" PASSWORD 'taken over'",
        f'SET ROLE "{other_login}"',
        f'GRANT SELECT ON congress TO "{other_login}"',
        _event(seq, _foreign_kind(role), role.value),  # another role's kind
    ]
    own = sorted(rights(role).records or ())
    if own:  # its own kind, claiming another role (or the command line, which has none)
        writes += [_event(seq, own[0], "operator"), _event(seq, own[0], "")]
        # The chain head only moves forward, to an event of the log: not back, nor elsewhere.
        writes += [
            "UPDATE chain_head SET seq = seq - 1",
            "UPDATE chain_head SET hash = 'x'",
            "UPDATE chain_head SET seq = seq + 5",
        ]
    if not rights(role).may_record("check_in"):
        writes += ["UPDATE delegate SET present = true", _attendance()]
    if role not in (Role.DOOR, Role.SPEAKERS):  # (the speakers' desk takes cards too)
        writes.append(f"SELECT * FROM {CARD_FUNCTION}('1')")
    if not own:  # the projector moves nothing
        writes += ["UPDATE chain_head SET seq = 0", _event(seq, "check_in", "display")]
    return writes


def _attendance() -> str:
    return (
        "INSERT INTO attendance (delegate_id, action, method, at, station, reason, event_seq) "
        "VALUES (1, 'check_in', 'scan', now(), 'x', '', 1)"
    )


@pytest.mark.parametrize("role", NOT_OPERATOR)
def test_each_role_login_is_refused_every_write_beyond_its_work(owner: Store, role: Role) -> None:
    logins = {r: login_name(_database(owner), r) for r in Role}
    seq = owner.last_seq() + 1
    with direct(owner.url, role) as conn:
        allowed = [w for w in _forbidden_writes(role, logins, seq) if not _refused(conn, w)]
    assert allowed == [], f"{role} was let: {allowed}"
    assert owner.verify() is None  # and nothing changed


def test_the_operator_login_deletes_nothing_and_sets_no_passphrase(owner: Store) -> None:
    forbidden = [
        "DELETE FROM event",
        "DELETE FROM attendance",
        "DELETE FROM delegate",
        "TRUNCATE event",
        "UPDATE event SET payload = '{}'",
        "UPDATE congress SET secret = 'ab'",
        "INSERT INTO role_passphrase VALUES ('x', '', '', 1, 1, 1, now())",
        "CREATE ROLE intruder LOGIN",
        "CREATE TABLE intruder (i int)",
        _event(owner.last_seq() + 1, "check_in", "door"),  # claiming a door's scan
    ]
    with direct(owner.url, Role.OPERATOR) as conn:
        assert [w for w in forbidden if not _refused(conn, w)] == []


def _database(store: Store) -> str:
    with Session(store.reader) as s:
        return str(s.exec(text("SELECT current_database()")).one()[0])  # type: ignore[call-overload]


def test_a_login_of_another_congress_cannot_even_connect(
    owner: Store, make_store: MakeStore, pg_url: str
) -> None:
    """Logins belong to the whole server: another congress's door on the same server is
    refused at this database's door."""
    other_url = pg_url.rsplit("/", 1)[0] + "/test"
    database = _database(owner)
    with psycopg.connect(other_url, autocommit=True) as admin:
        stranger = sql.Identifier(f"{database}_stranger")
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(stranger))
        try:
            with pytest.raises(psycopg.OperationalError, match="permission denied"):
                psycopg.connect(
                    f"{other_url.rsplit('/', 1)[0]}/{database}", user=f"{database}_stranger"
                )
        finally:
            admin.execute(sql.SQL("DROP ROLE {}").format(stranger))


# ---------------------------------------------------------------- each does its own work


def test_a_door_login_admits_through_the_store_and_the_server_checks_its_cards(
    owner: Store,
) -> None:
    with Store.open_as(owner.url, Role.DOOR, PASSPHRASES[Role.DOOR], person="Lan") as door:
        assert door.secret == ""  # never read: the server checks its cards
        with pytest.raises(StoreError) as refused:
            door.card_code(5, 0)
        assert refused.value.key == "card_key_withheld"
        door.sign_in(DOOR)
        code = owner.card_code(5, 0)
        assert door.scan(code, Mode.ENTRY, DOOR).decision.colour is Colour.GREEN
        forged = code[:-1] + str((int(code[-1]) + 1) % 10)
        assert door.scan(forged, Mode.ENTRY, DOOR).decision.reason.value == "forged"
        foreign = make_code(new_secret(), 6, 0)
        assert door.scan(foreign, Mode.ENTRY, DOOR).decision.colour is Colour.RED
    admitted = owner.delegate(5)
    assert admitted is not None and admitted.present
    assert [e.role for e in owner.events()[-4:]] == ["door"] * 4
    assert owner.verify() is None


def test_a_teller_login_enters_its_sector_count(owner: Store) -> None:
    admit_voters(owner, 30)
    item = resolution(owner)
    owner.start_item(item)
    vote = owner.open_item_vote(item)
    with Store.open_as(owner.url, Role.TELLER, PASSPHRASES[Role.TELLER]) as teller:
        counts = {"tan_thanh": 9, "khong_tan_thanh": 1, "y_kien_khac": 0}
        counted = teller.enter_count(vote.id, "A", "teller-1", counts)
    assert counted.sector("A") is not None
    assert owner.events()[-1].role == "teller"


def test_a_counting_login_enters_a_ballot(owner: Store) -> None:
    admit_voters(owner, 30)
    election_ready_to_vote(owner)
    owner.open_election_voting(E, 1)
    owner.record_election(lambda b, now: el.BallotsIssued(E, 1, "main", 30, "", now))
    owner.record_election(lambda b, now: el.BoxClosed(E, 1, "main", now))
    owner.record_election(lambda b, now: el.BoxOpened(E, 1, "main", 30, ("k1", "k2"), now))
    owner.record_election(lambda b, now: el.CountingStarted(E, 1, CountMode.BALLOTS, ("A",), now))
    with Store.open_as(owner.url, Role.COUNTING, PASSPHRASES[Role.COUNTING]) as room:
        election = room.enter_ballot(E, 1, "A", "main", BallotInput.struck(1))
    count = election.current.count
    assert count is not None and count.team("A").entered == 1
    assert owner.verify() is None


def test_the_projector_login_reads_the_hall(owner: Store) -> None:
    admit_voters(owner, 12)
    with Store.open_as(owner.url, Role.DISPLAY, PASSPHRASES[Role.DISPLAY]) as display:
        assert display.snapshot().verdict.attendance.present == 12
        assert display.agenda_state().items


# ---------------------------------------------------------------- the server's card check


def _cases(secret: str, rng: random.Random) -> list[str]:
    """Codes to read: cards, forgeries, other congresses', and what is no card at all."""
    codes = [make_code(secret, rng.randint(1, 99_999), rng.randint(0, 99)) for _ in range(40)]
    cases = list(codes)
    for code in codes[:20]:  # one digit of the tag or of the body changed
        i = rng.choice([rng.randrange(11, 36), rng.randrange(4, 11)])
        cases.append(code[:i] + str((int(code[i]) + rng.randint(1, 9)) % 10) + code[i + 1 :])
    cases += [make_code(new_secret(), rng.randint(1, 500), 0) for _ in range(20)]
    body = codes[0][:4]
    cases += [body + "".join(rng.choice("0123456789") for _ in range(32)) for _ in range(20)]
    cases += [str(v) + codes[1][1:] for v in range(10)]  # every version digit
    cases += ["", "1", codes[2][:-1], codes[2] + "0", codes[3] * 2, "x" * 36, "١" * 36]
    cases += [" ".join(codes[4][i : i + 4] for i in range(0, 36, 4)), codes[5] + "\r\n"]
    azerty = str.maketrans("0123456789", "à&é\"'(-è_ç")
    cases += [codes[6].translate(azerty), codes[7][:20] + "\u00a0" + codes[7][20:]]
    return cases


def test_the_server_reads_codes_exactly_as_read_code(owner: Store) -> None:
    secret = owner.secret
    cases = _cases(secret, random.Random(13))
    with Store.open_as(owner.url, Role.DOOR, PASSPHRASES[Role.DOOR]) as door:
        assert door.secret == ""
        differ = [c for c in cases if check_card(door.reader, "", c) != read_code(c, secret)]
        # The function alone, without the shape checks in front of it, on what a scan becomes.
        query = text(f"SELECT problem, detail, number, issue FROM {CARD_FUNCTION}(:code)")
        with door.reader.connect() as conn:
            for case in cases:
                code = normalise_scan(case)
                problem, detail, number, issue = conn.execute(query, {"code": code}).one()
                answer: CardCode | CardRejection = (
                    CardRejection(CardProblem(problem), detail)
                    if problem
                    else CardCode(number, issue, code)
                )
                if answer != read_code(code, secret):
                    differ.append(case)
    assert differ == []
    kinds = {type(read_code(c, secret)) for c in cases}
    problems = {r.problem for c in cases if isinstance(r := read_code(c, secret), CardRejection)}
    assert kinds == {CardCode, CardRejection} and problems == set(CardProblem)


def test_a_wrong_passphrase_is_refused_by_name_not_by_a_url(owner: Store) -> None:
    """On the trusting test server any password connects: only the login's name is checked
    here (a role without a login); the password itself on a scram server, below."""
    drop_logins(database_url(owner.url).replace("+psycopg", ""))
    with pytest.raises(StoreError) as refused:
        Store.open_as(owner.url, Role.DOOR, PASSPHRASES[Role.DOOR])
    assert refused.value.key == "login_refused"
    assert PASSPHRASES[Role.DOOR] not in str(refused.value)


# ---------------------------------------------------------------- a server that asks passwords


def test_a_wrong_passphrase_cannot_connect_where_the_server_asks_passwords(
    private_pg: PrivateServer,
    congress_data: dict[str, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As at a venue: the server asks for passwords (SCRAM) and the congress's owner is a login
    that may create roles, not the superuser. A password file on the terminal holding the
    door's passphrase does not stand in for an empty one."""
    require_passwords(private_pg)
    url = owned_database(private_pg, "presidium", "owner's own password", createrole=True)
    with Store.create(url, congress_data) as owner:
        owner.import_register(demo_register(10), source="test")
        owner.set_passphrase(Role.DOOR, PASSPHRASES[Role.DOOR])
        code = owner.card_code(3, 0)
    passfile = tmp_path / "pgpass"
    login = login_name("congress", Role.DOOR)
    passfile.write_text(f"*:*:*:{login}:{PASSPHRASES[Role.DOOR]}\n", encoding="utf-8")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    for wrong in ("not the passphrase", PASSPHRASES[Role.TELLER], ""):
        with pytest.raises(StoreError) as refused:
            Store.open_as(url, Role.DOOR, wrong)
        assert refused.value.key == "login_refused"
    for wrong in ("not the passphrase", PASSPHRASES[Role.TELLER]):  # and the server says so
        with (
            pytest.raises(psycopg.OperationalError, match="password authentication failed"),
            direct(url, Role.DOOR, wrong),
        ):
            pass
    with Store.open_as(url, Role.DOOR, PASSPHRASES[Role.DOOR], person="Lan") as door:
        watcher = Watcher.for_store(door)  # its own connection, the passphrase's spaces and all
        try:
            assert watcher.connected
        finally:
            watcher.close()
        assert door.scan(code, Mode.ENTRY, DOOR).decision.colour is Colour.GREEN


def test_an_owner_who_may_not_create_roles_changes_no_passphrase(
    private_pg: PrivateServer, congress_data: dict[str, object]
) -> None:
    url = owned_database(private_pg, "presidium", "owner's own password", createrole=False)
    with Store.create(url, congress_data) as owner:
        with pytest.raises(StoreError) as refused:
            owner.set_passphrase(Role.DOOR, PASSPHRASES[Role.DOOR])
        assert refused.value.key == "login_not_set"
        assert PASSPHRASES[Role.DOOR] not in str(refused.value)
        assert not owner.has_passphrase(Role.DOOR)  # the transaction was rolled back whole


def test_setting_a_passphrase_again_undoes_what_a_login_did_to_itself(owner: Store) -> None:
    """A login may change its own password and session defaults (PostgreSQL lets every role;
    no grant prevents it): `roles set` again gives the role back its passphrase and defaults."""
    login = login_name(_database(owner), Role.DOOR)
    with direct(owner.url, Role.DOOR) as conn:
        conn.execute(
            sql.SQL("ALTER ROLE {} SET statement_timeout = 1").format(sql.Identifier(login))
        )
    owner.set_passphrase(Role.DOOR, PASSPHRASES[Role.DOOR])
    with direct(owner.url, Role.DOOR) as conn:
        assert conn.execute("SHOW statement_timeout").fetchone() == ("0",)


def test_the_operator_login_does_the_operators_work(
    pg_url: str, congress_data: dict[str, object]
) -> None:
    """The roll call, the agenda, the votes and every election, through the operator's own
    login (the example run that writes every kind of event; the passphrases, set with the
    owner's connection, aside)."""
    with Store.create(pg_url, {**congress_data, "elections": every.ELECTIONS}) as owner:
        owner.set_passphrase(Role.OPERATOR, PASSPHRASES[Role.OPERATOR])
    passphrase = PASSPHRASES[Role.OPERATOR]
    with Store.open_as(pg_url, Role.OPERATOR, passphrase, person="Lan") as operator:
        operator.import_register(demo_register(30), source="demo")
        every.roll_call(operator)
        every.agenda_changes(operator)
        every.show_of_hands(operator)
        every.committee_election(operator, "item-20")
        every.delegation_election(operator, "item-22")
        every.inspection_election(operator, "item-22")
        assert operator.verify() is None
    with direct(pg_url, Role.OPERATOR) as conn:
        roles = conn.execute("SELECT DISTINCT role FROM event WHERE seq > 2").fetchall()
    assert roles == [("operator",)]


# ---------------------------------------------------------------- an upgrade


@pytest.mark.pg
def test_an_upgrade_gives_the_logins_the_tables_it_adds(pg_url: str) -> None:
    """A database from the release before Alembic, its door login set before the upgrade (no
    alembic_version table then, so no grant on it): once upgraded, the door's login reads the
    table the migrations added, and its terminal opens (it examines the schema there first)."""
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "congress-v3.postgresql.sql"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(fixture.read_text(encoding="utf-8"))  # type: ignore[arg-type]
    engine = create_engine(database_url(pg_url))
    try:
        with Session(engine) as s:
            set_login(s, Role.DOOR, PASSPHRASES[Role.DOOR])
            s.commit()
    finally:
        engine.dispose()
    Store.open(pg_url).close()  # the operator's machine opens it first: upgraded

    with direct(pg_url, Role.DOOR) as door:
        assert door.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    with Store.open_as(pg_url, Role.DOOR, PASSPHRASES[Role.DOOR]) as terminal:
        assert terminal.last_seq() > 0


# ---------------------------------------------------------------- a door's presence writes


def _delegate_id(owner: Store, number: int) -> int:
    with Session(owner.reader) as s:
        found = s.exec(text(f"SELECT id FROM delegate WHERE number = {number}")).one()  # type: ignore[call-overload]
        return int(found[0])


def _entry(delegate_id: int) -> str:
    return (
        "INSERT INTO attendance (delegate_id, action, method, at, station, reason, event_seq) "
        f"VALUES ({delegate_id}, 'check_in', 'scan', now(), 'cửa-chính', '', 1)"
    )


def test_a_door_login_marks_present_only_the_card_it_read_in_the_same_transaction(
    owner: Store,
) -> None:
    """Through SQL, a door cannot mark anyone present without their card: the server's card
    function records the card it read in this transaction, and the scan guard lets the door's
    login write the presence and the entry of that delegate only."""
    three, four = _delegate_id(owner, 3), _delegate_id(owner, 4)
    code = owner.card_code(3, 0)
    with direct(owner.url, Role.DOOR) as conn:  # autocommit: each statement its own transaction
        assert _refused(conn, "UPDATE delegate SET present = true WHERE number = 3")
        assert _refused(conn, _entry(three))
        conn.execute(f"SELECT * FROM {CARD_FUNCTION}(%s)", (code,))  # read, then committed
        assert _refused(conn, _entry(three)), "a card read in an earlier transaction"
        with conn.transaction():
            conn.execute(f"SELECT * FROM {CARD_FUNCTION}(%s)", (code,))
            conn.execute("UPDATE delegate SET present = true WHERE number = 3")
            conn.execute(_entry(three))
            assert _refused(conn, "UPDATE delegate SET present = true WHERE number = 4")
            raise psycopg.Rollback  # (nothing of this is left in the congress)
        assert _refused(conn, _entry(four))
    assert owner.verify() is None
