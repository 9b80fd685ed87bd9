"""What each role's own database login may do on PostgreSQL, enforced by the server, and the
card check that keeps the card key on the server.

**The grants.** Every role's login reads what its screens show: the register, attendance, the
log, the chain head, the congress row without its key, and which roles have a passphrase (not
the hashes). It writes only what its work writes: a door inserts attendance and events and
updates the presence columns of a delegate; a teller, the counting room and the speakers' desk
insert events (the desk also asks the server whether a scanned code is a card); every role that
appends moves the chain head (only forward, onto an event of the log: a trigger checks it at
COMMIT); the projector writes nothing; the operator's login does the operator's work (no
DELETE, no DDL, no roles). Which events a login may insert is a row
policy on the event table generated from :func:`session.roles.rights`: the role's own kinds,
under its own name. The owner of the database (the login given to ``presidium init`` with
``--db``) keeps everything; PostgreSQL exempts a table's owner from its row policies.

**The card key.** Two ways would keep it from the door terminals: public-key signatures (a door
holds only the public key) or a function on the server that holds the key. Signatures would
change every printed card: an Ed25519 signature is 64 bytes, about 155 decimal digits, a code
four times as long in a bigger QR code, and cards already printed would stop working. So the key
stays where it is and a SECURITY DEFINER function, owned by the database's owner, checks a
scanned code for a login that may not read it (:data:`CARD_FUNCTION`). It computes exactly what
``session.cards.read_code`` does, with PostgreSQL's built-in ``sha256`` (HMAC written out: no
extension to install or to trust), and answers only "this delegate, this issue" or why not.
The door thus still cannot make a card; it can ask whether a code is one, as the scanner does.

Every statement here is composed with psycopg's ``sql`` module (identifiers and literals quoted
by the driver). Grants, policies and functions exist only on PostgreSQL; on SQLite, where the
file is the boundary, :func:`card_key` reads the key and :func:`check_card` is ``read_code``.
"""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Connection as SAConnection
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from db.models import CongressRow, Delegate
from session.cards import (
    CODE_LENGTH,
    CardCode,
    CardProblem,
    CardRejection,
    normalise_scan,
    read_code,
)
from session.roles import Role, rights
from session.rollcall import Action
from session.speakers import SpeakerAdded

Connection = psycopg.Connection[Any]

CARD_FUNCTION = "presidium_read_card"
CARDS_READ = "presidium_cards_read"  # the cards the function read, by transaction (owner only)
SCAN_GUARD = "presidium_scan_guard"
HEAD_GUARD = "presidium_head_moves_forward"
READ_POLICY = "presidium_reads"
# Read by every role's login: the screens show them (the register, the counts, the log).
READ_TABLES = ("meta", "alembic_version", "delegate", "attendance", "event", "chain_head")
KEY_COLUMN = "secret"
CONGRESS_COLUMNS = tuple(c.name for c in CongressRow.__table__.columns if c.name != KEY_COLUMN)
# Which roles have a passphrase and since when; never the salt, the digest or the cost.
PASSPHRASE_COLUMNS = ("role", "set_at")
PRESENCE_COLUMNS = ("present", "present_since", "present_station")
HEAD_COLUMNS = ("seq", "hash")
# The roll call's own columns: set by an import or a standing change, never by the roll call.
DELEGATE_COLUMNS = tuple(c.name for c in Delegate.__table__.columns if c.name != "id")


MAX_IDENTIFIER = 63  # PostgreSQL cuts longer names silently: two could become one
_UNSAFE = re.compile(r"[^a-z0-9]+")


def login_name(database: str, role: Role) -> str:
    """`role`'s login for the congress in `database`: the database's name made plain (lower
    case ASCII letters, digits, underscores), the role, and a digest of the exact name, so
    that two databases whose names read alike keep apart logins."""
    plain = _UNSAFE.sub("_", database.lower()).strip("_")[:32] or "congress"
    digest = hashlib.sha256(database.encode()).hexdigest()[:8]
    name = f"{plain}_{role.value}_{digest}"
    assert len(name) <= MAX_IDENTIFIER
    return name


@dataclass(frozen=True, slots=True)
class Grants:
    """What one role's login may do beyond reading what every role reads."""

    reads_key: bool = False
    inserts: tuple[str, ...] = ()
    updates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sequences: tuple[str, ...] = ()
    checks_cards: bool = False


def grants(role: Role) -> Grants:
    """What `role`'s work writes, from what the role may append (session.roles.rights)."""
    if role is Role.OPERATOR:
        return Grants(
            reads_key=True,  # the operator prints and reissues the cards
            inserts=("delegate", "attendance", "event"),
            updates={"delegate": DELEGATE_COLUMNS, "chain_head": HEAD_COLUMNS},
            sequences=("delegate_id_seq", "attendance_id_seq"),
        )
    allowed = rights(role)
    if not allowed.records:
        return Grants()  # the projector: it reads
    if allowed.may_record(Action.CHECK_IN.value):  # a door: its scans
        return Grants(
            inserts=("attendance", "event"),
            updates={"delegate": PRESENCE_COLUMNS, "chain_head": HEAD_COLUMNS},
            sequences=("attendance_id_seq",),
            checks_cards=True,
        )
    # The speakers' desk puts a delegate on a list by their card: it asks the server whether a
    # code is one, as a door does, and records no attendance.
    speakers = allowed.may_record(SpeakerAdded.KIND)
    return Grants(inserts=("event",), updates={"chain_head": HEAD_COLUMNS}, checks_cards=speakers)


def _columns(names: Iterable[str]) -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(n) for n in names)


def _appends(role: Role) -> sql.Composable:
    """The row policy's check on an event `role`'s login inserts: its kinds, its own name.
    The operator appends any kind, as the operator or as the command line (no role)."""
    own = sql.Literal(role.value)
    records = rights(role).records
    if records is None:
        return sql.SQL("role IN ({}, '')").format(own)
    kinds = sql.SQL(", ").join(sql.Literal(k) for k in sorted(records))
    return sql.SQL("kind IN ({}) AND role = {}").format(kinds, own)


def policy_name(role: Role) -> str:
    return f"presidium_{role.value}_appends"


# ---------------------------------------------------------------- the database, once


def provision(conn: Connection) -> None:
    """Close what PUBLIC may do in this database and install the row policy's base and the card
    function; idempotent, run by the owner whenever a role's login is set."""
    database = sql.Identifier(conn.info.dbname)
    schema = sql.Identifier(_schema(conn))
    # Logins are cluster-wide: one of another congress must not even connect here, and no
    # login may create objects (a temporary function could shadow a name in a search path).
    conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(database))
    conn.execute(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(schema))
    conn.execute(sql.SQL("ALTER TABLE {}.event ENABLE ROW LEVEL SECURITY").format(schema))
    conn.execute(sql.SQL("DROP POLICY IF EXISTS {} ON {}.event").format(_id(READ_POLICY), schema))
    conn.execute(
        sql.SQL("CREATE POLICY {} ON {}.event FOR SELECT USING (true)").format(
            _id(READ_POLICY), schema
        )
    )
    conn.execute(_HEAD_GUARD_SQL.format(schema=schema, name=_id(HEAD_GUARD)))
    conn.execute(
        sql.SQL("DROP TRIGGER IF EXISTS {} ON {}.chain_head").format(_id(HEAD_GUARD), schema)
    )
    conn.execute(_HEAD_TRIGGER_SQL.format(schema=schema, name=_id(HEAD_GUARD)))
    cards = _id(CARDS_READ)
    conn.execute(sql.SQL(
        "CREATE TABLE IF NOT EXISTS {}.{} (tx bigint NOT NULL, number integer NOT NULL)"
    ).format(schema, cards))  # fmt: skip
    conn.execute(sql.SQL("REVOKE ALL ON {}.{} FROM PUBLIC").format(schema, cards))
    conn.execute(_CARD_FUNCTION_SQL.format(schema=schema, name=_id(CARD_FUNCTION), cards=cards))
    door = sql.Literal(login_name(conn.info.dbname, Role.DOOR))
    guard = _id(SCAN_GUARD)
    conn.execute(_SCAN_GUARD_SQL.format(schema=schema, name=guard, door=door, cards=cards))
    for table, when in (("attendance", "INSERT"), ("delegate", "UPDATE")):
        drop = sql.SQL("DROP TRIGGER IF EXISTS {} ON {}.{}")
        conn.execute(drop.format(guard, schema, _id(table)))
        create = (
            "CREATE TRIGGER {} BEFORE " + when + " ON {}.{} FOR EACH ROW EXECUTE FUNCTION {}.{}()"
        )
        conn.execute(sql.SQL(create).format(guard, schema, _id(table), schema, guard))
    conn.execute(
        sql.SQL("REVOKE ALL ON FUNCTION {}.{}(text) FROM PUBLIC").format(schema, _id(CARD_FUNCTION))
    )


def grant(conn: Connection, role: Role, login: str) -> None:
    """Give `login` exactly `role`'s privileges (what it had before is revoked first)."""
    schema = sql.Identifier(_schema(conn))
    who = sql.Identifier(login)
    conn.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(schema, who))
    conn.execute(sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(schema, who))
    conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}").format(schema, who))
    card_function = sql.SQL("{}.{}(text)").format(schema, _id(CARD_FUNCTION))
    conn.execute(sql.SQL("REVOKE ALL ON FUNCTION {} FROM {}").format(card_function, who))
    conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(_id(conn.info.dbname), who))
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, who))
    allowed = grants(role)
    for table in READ_TABLES:
        _grant(conn, sql.SQL("SELECT ON {}.{}").format(schema, _id(table)), who)
    congress = (*CONGRESS_COLUMNS, KEY_COLUMN) if allowed.reads_key else CONGRESS_COLUMNS
    _grant(conn, sql.SQL("SELECT ({}) ON {}.congress").format(_columns(congress), schema), who)
    passphrases = sql.SQL("SELECT ({}) ON {}.role_passphrase")
    _grant(conn, passphrases.format(_columns(PASSPHRASE_COLUMNS), schema), who)
    for table in allowed.inserts:
        _grant(conn, sql.SQL("INSERT ON {}.{}").format(schema, _id(table)), who)
    for table, columns in allowed.updates.items():
        update = sql.SQL("UPDATE ({}) ON {}.{}").format(_columns(columns), schema, _id(table))
        _grant(conn, update, who)
    for sequence in allowed.sequences:
        _grant(conn, sql.SQL("USAGE ON SEQUENCE {}.{}").format(schema, _id(sequence)), who)
    if allowed.checks_cards:
        _grant(conn, sql.SQL("EXECUTE ON FUNCTION {}").format(card_function), who)
    _set_policy(conn, schema, role, who, "event" in allowed.inserts)


def _set_policy(
    conn: Connection, schema: sql.Identifier, role: Role, who: sql.Identifier, appends: bool
) -> None:
    name = _id(policy_name(role))
    conn.execute(sql.SQL("DROP POLICY IF EXISTS {} ON {}.event").format(name, schema))
    if appends:
        create = sql.SQL("CREATE POLICY {} ON {}.event FOR INSERT TO {} WITH CHECK ({})")
        conn.execute(create.format(name, schema, who, _appends(role)))


def _grant(conn: Connection, what: sql.Composable, who: sql.Identifier) -> None:
    """GRANT `what` TO `who`, for a table that exists (alembic_version is newer than some)."""
    try:
        with conn.transaction():  # a savepoint: a missing table leaves the rest standing
            conn.execute(sql.SQL("GRANT {} TO {}").format(what, who))
    except psycopg.errors.UndefinedTable:
        pass


def _id(name: str) -> sql.Identifier:
    return sql.Identifier(name)


def _schema(conn: Connection) -> str:
    """The schema the congress's tables are in (the connection's first)."""
    row = conn.execute("SELECT current_schema()").fetchone()
    assert row is not None and row[0], "no schema in the search path"
    return str(row[0])


# ---------------------------------------------------------------- the chain head

# A login that appends must move the chain head, so it may update it; this trigger lets it move
# the head only forward, onto an event of the log (checked at COMMIT, once the transaction's
# events are in), so that one UPDATE cannot set every terminal's next append on a seq already
# taken or hide the last events. The owner (and a superuser) are not held: they own the table
# and could drop the trigger anyway; verify is what answers for them.
_HEAD_GUARD_SQL = sql.SQL("""
CREATE OR REPLACE FUNCTION {schema}.{name}() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE')
    THEN
        RETURN NULL;
    END IF;
    IF NEW.seq <= OLD.seq OR NOT EXISTS (
        SELECT 1 FROM {schema}.event AS e WHERE e.seq = NEW.seq AND e.hash = NEW.hash
    ) THEN
        RAISE EXCEPTION 'the chain head moves only forward, onto an event of the log'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$fn$
""")
_HEAD_TRIGGER_SQL = sql.SQL("""
CREATE CONSTRAINT TRIGGER {name} AFTER UPDATE ON {schema}.chain_head
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {schema}.{name}()
""")


# ---------------------------------------------------------------- the card check

# session.cards.read_code, step for step, on a normalised code (36 digits to be a card). The
# key is 32 random bytes written in hex: under SHA-256's 64-byte block, so HMAC pads it with
# zeros. The tags are compared through their hashes, so the time taken tells nothing of how
# much of a forged tag was right.
_CARD_FUNCTION_SQL = sql.SQL("""
CREATE OR REPLACE FUNCTION {schema}.{name}(code text)
RETURNS TABLE (problem text, detail text, number integer, issue integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    key_hex text;
    key bytea;
    inner_pad bytea;
    outer_pad bytea;
    mac bytea;
    tag numeric := 0;
    body text := left(code, 11);
    congress_code text;
BEGIN
    IF code IS NULL OR code = '' THEN
        RETURN QUERY SELECT 'empty', '', NULL::integer, NULL::integer;
        RETURN;
    END IF;
    IF length(code) <> 36 OR code !~ '^[0-9]+$' THEN
        RETURN QUERY SELECT 'malformed', length(code)::text, NULL::integer, NULL::integer;
        RETURN;
    END IF;
    IF left(code, 1) <> '1' THEN
        RETURN QUERY SELECT 'malformed', left(code, 1), NULL::integer, NULL::integer;
        RETURN;
    END IF;
    SELECT c.secret INTO key_hex FROM {schema}.congress AS c WHERE c.id = 1;
    congress_code := lpad((('x' || encode(substring(
        sha256(convert_to('presidium-congress-code|' || key_hex, 'UTF8')) FROM 1 FOR 4
    ), 'hex'))::bit(32)::bigint % 1000)::text, 3, '0');
    IF substr(code, 2, 3) <> congress_code THEN
        RETURN QUERY SELECT 'other_congress', substr(code, 2, 3), NULL::integer, NULL::integer;
        RETURN;
    END IF;
    key := decode(key_hex, 'hex');
    IF length(key) > 64 THEN
        key := sha256(key);
    END IF;
    key := key || decode(repeat('00', 64 - length(key)), 'hex');
    inner_pad := key;
    outer_pad := key;
    FOR i IN 0..63 LOOP
        inner_pad := set_byte(inner_pad, i, get_byte(key, i) # 54);
        outer_pad := set_byte(outer_pad, i, get_byte(key, i) # 92);
    END LOOP;
    mac := sha256(outer_pad || sha256(
        inner_pad || convert_to('presidium-card-v1|' || body, 'UTF8')
    ));
    FOR i IN 0..9 LOOP
        tag := tag * 256 + get_byte(mac, i);
    END LOOP;
    IF sha256(convert_to(right(code, 25), 'UTF8'))
        <> sha256(convert_to(lpad(tag::text, 25, '0'), 'UTF8')) THEN
        RETURN QUERY SELECT 'forged', '', NULL::integer, NULL::integer;
        RETURN;
    END IF;
    -- What a door may record in this transaction: this card's delegate (the scan guard).
    INSERT INTO {schema}.{cards} (tx, number) VALUES (txid_current(), substr(code, 5, 5)::integer);
    RETURN QUERY SELECT '', '', substr(code, 5, 5)::integer, substr(code, 10, 2)::integer;
END
$fn$
""")

# A door's login writes presence only for the card the function read in the same transaction:
# through SQL it cannot mark anyone present without their card (session_user: the login, even
# inside this owner's function).
_SCAN_GUARD_SQL = sql.SQL("""
CREATE OR REPLACE FUNCTION {schema}.{name}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    card integer;
BEGIN
    IF session_user <> {door} THEN
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'attendance' THEN
        SELECT d.number INTO card FROM {schema}.delegate AS d WHERE d.id = NEW.delegate_id;
    ELSE
        card := NEW.number;
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM {schema}.{cards} AS c WHERE c.tx = txid_current() AND c.number = card
    ) THEN
        RAISE EXCEPTION 'a door records only the card it read in this transaction'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$fn$
""")


def card_key(s: Session) -> str:
    """The card key, or "" when this login may not read it (a role's own login on PostgreSQL,
    whose cards the server checks: :func:`check_card`)."""
    if s.get_bind().dialect.name == "postgresql":
        may = text(f"SELECT has_column_privilege('congress', '{KEY_COLUMN}', 'SELECT')")
        if not s.exec(may).one()[0]:  # type: ignore[call-overload]
            return ""
    return s.exec(select(CongressRow.secret).where(CongressRow.id == 1)).one()


def check_card(reader: Engine, key: str, raw: str) -> CardCode | CardRejection:
    """``read_code``'s answer for a scanned code: with the key when this login holds it, else
    from the server's function. A code that is no card by its shape never reaches the server."""
    if key:
        return read_code(raw, key)
    shaped = card_shape(raw)
    if isinstance(shaped, CardRejection):
        return shaped
    with reader.connect() as connection:
        return server_card(connection, shaped)


def card_shape(raw: str) -> str | CardRejection:
    """A scanned code normalised, or why it is no card by its shape alone."""
    code = normalise_scan(raw)
    if not code:
        return CardRejection(CardProblem.EMPTY)
    if len(code) != CODE_LENGTH or not (code.isdigit() and code.isascii()):
        return CardRejection(CardProblem.MALFORMED, f"{len(raw)}")
    return code


def server_card(connection: SAConnection, code: str) -> CardCode | CardRejection:
    """The server's function's answer for a well-shaped code, in `connection`'s transaction (a
    door's scan asks inside its write: the guard then lets it record that delegate only)."""
    query = text(f"SELECT problem, detail, number, issue FROM {CARD_FUNCTION}(:code)")
    problem, detail, number, issue = connection.execute(query, {"code": code}).one()
    if problem:
        return CardRejection(CardProblem(problem), detail)
    return CardCode(number=number, issue=issue, code=code)
