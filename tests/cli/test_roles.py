"""Roles without the screens: what each may do, passphrases (scrypt, per-role salt), what the Store
records and refuses for a role's terminal, and the `presidium roles` / `run --role` commands."""

import json
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from db.models import SCHEMA_VERSION, Event, RolePassphrase
from db.store import Store, StoreError
from presidium.cli import main
from session import elections as el
from session import roles
from session.doors import entries_at
from session.election_steps import Action
from session.i18n import t
from session.quorum import Status
from session.roles import (
    PASSPHRASE_SET,
    SIGN_IN_REFUSED,
    SIGNED_IN,
    Role,
    RoleError,
    box_election,
    box_steps,
    rights,
)
from session.rollcall import Mode
from session.tally import Snapshot
from tests.conftest import EXAMPLES
from tui.role_keys import role_keys

SECRET = "cửa chính mở lúc 7 giờ"


# ---------------------------------------------------------------- who may do what


def test_the_operator_may_do_everything() -> None:
    r, k = rights(Role.OPERATOR), role_keys(Role.OPERATOR)
    assert k.may("app.export") and k.may("vote.publish") and r.may_record("anything")
    assert r.modes == (Mode.ENTRY, Mode.EXIT, Mode.VOTING_CHECK)


def test_a_door_scans_in_and_out_and_nothing_else() -> None:
    r, k = rights(Role.DOOR), role_keys(Role.DOOR)
    assert r.modes == (Mode.ENTRY, Mode.EXIT) and r.takes_scans
    assert k.may("app.cycle_mode") and k.may("app.help") and k.may("app.quit")
    for action in ("manual", "correct", "absence", "reissue", "agenda", "vote", "elections"):
        assert not k.may(f"app.{action}"), action
    assert not k.may("app.export")
    assert r.may_record("check_in") and r.may_record("scan_refused")
    assert not r.may_record("status_changed") and not r.may_record("card_reissued")
    assert not r.may_record("vote_count_entered")


def test_a_teller_counts_and_confirms_and_decides_nothing() -> None:
    r, k = rights(Role.TELLER), role_keys(Role.TELLER)
    assert not r.takes_scans
    assert k.may("vote.count") and k.may("vote.unanimous")
    for action in ("open_vote", "recount", "publish", "correct_vote", "cancel_vote", "close"):
        assert not k.may(f"vote.{action}"), action
    assert r.may_record("vote_count_entered") and r.may_record("vote_unanimous_confirmed")
    assert not r.may_record("vote_published") and not r.may_record("check_in")


def test_the_counting_room_enters_ballots_and_cannot_leave() -> None:
    r, k = rights(Role.COUNTING), role_keys(Role.COUNTING)
    assert k.may("counting.invalid") and k.may("counting.correct")
    assert not k.may("counting.close") and not k.may("app.elections")
    assert r.may_record("election_ballot_entered")
    assert not r.may_record("election_results_announced")
    assert not r.may_record("election_box_counted")


def test_the_projector_changes_nothing() -> None:
    r = rights(Role.DISPLAY)
    assert not r.takes_scans and r.records == frozenset()
    assert not Role.DISPLAY.needs_passphrase
    assert all(role.needs_passphrase for role in Role if role is not Role.DISPLAY)
    k = role_keys(Role.DISPLAY)
    assert not any(k.may(f"app.{a}") for a in ("manual", "cycle_mode", "export", "vote"))


# ---------------------------------------------------------------- passphrases


def test_a_passphrase_is_stored_as_scrypt_with_its_own_salt() -> None:
    one, two = roles.hash_passphrase(SECRET), roles.hash_passphrase(SECRET)
    assert one.salt != two.salt and one.digest != two.digest  # a random salt each time
    assert SECRET.encode().hex() not in one.digest
    assert (one.n, one.r, one.p) == (roles.SCRYPT_N, roles.SCRYPT_R, roles.SCRYPT_P)
    assert roles.matches(one, SECRET) and roles.matches(two, SECRET)
    assert not roles.matches(one, SECRET + " ") and not roles.matches(one, "")


def test_a_passphrase_typed_decomposed_still_matches() -> None:
    stored = roles.hash_passphrase(SECRET)
    assert roles.matches(stored, unicodedata.normalize("NFD", SECRET))


def test_a_short_passphrase_is_refused() -> None:
    with pytest.raises(RoleError) as err:
        roles.hash_passphrase("1234567")
    assert err.value.key == "too_short"
    assert str(err.value) == t("roles.error.too_short", minimum=roles.MIN_LENGTH)


def test_wrong_passphrases_make_the_next_attempt_wait_longer() -> None:
    delays = [roles.retry_delay(n) for n in range(1, 10)]
    assert delays[:2] == [0.0, 0.0]
    assert delays[2:6] == [2.0, 4.0, 8.0, 16.0]
    assert delays[-1] == roles.MAX_DELAY


# ---------------------------------------------------------------- the Store


def test_setting_a_passphrase_is_logged_without_it(store: Store) -> None:
    assert store.passphrases() == {} and not store.has_passphrase(Role.DOOR)
    store.set_passphrase(Role.DOOR, SECRET)
    assert set(store.passphrases()) == {Role.DOOR}
    assert store.check_passphrase(Role.DOOR, SECRET)
    assert not store.check_passphrase(Role.DOOR, "cửa phụ mở lúc 7 giờ")
    assert not store.check_passphrase(Role.TELLER, SECRET)  # none set: nobody gets in
    set_event, refused = store.events()[-2:]  # the wrong one is counted: never what was typed
    assert set_event.kind == PASSPHRASE_SET and set(set_event.payload) == {"role", "stored"}
    assert set_event.payload["role"] == "door" and SECRET not in json.dumps(set_event.payload)
    assert refused.kind == SIGN_IN_REFUSED and refused.payload == {"role": "door"}
    with Session(store.reader) as s:
        row = s.exec(select(RolePassphrase)).one()
        raw = s.exec(select(Event.payload)).all()
    assert row.role == "door" and len(row.salt) == 2 * roles.SALT_BYTES
    assert not any(SECRET in p for p in raw) and SECRET not in row.digest
    store.set_passphrase(Role.DOOR, SECRET + "!")  # replaced: the old one no longer works
    assert not store.check_passphrase(Role.DOOR, SECRET)
    assert store.verify() is None


def test_the_projector_has_no_passphrase_to_set(store: Store) -> None:
    with pytest.raises(RoleError) as err:
        store.set_passphrase(Role.DISPLAY, SECRET)
    assert err.value.key == "display_open"


def test_every_event_of_a_role_terminal_names_the_role_station_and_person(
    store: Store, sqlite_url: str
) -> None:
    with Store.open(sqlite_url, terminal="host-2/cửa-phụ") as door:
        door.act_as(Role.DOOR, "Nguyễn Thị Lan")
        door.sign_in("cửa-phụ")
        door.scan(door.card_code(2, 0), Mode.ENTRY, "cửa-phụ")
        signed, scanned = door.events()[-2:]
        assert (signed.kind, signed.payload) == (
            SIGNED_IN,
            {"role": "door", "person": "Nguyễn Thị Lan", "station": "cửa-phụ"},
        )
        for e in (signed, scanned):
            assert (e.role, e.terminal, e.operator) == ("door", "host-2/cửa-phụ", "Nguyễn Thị Lan")
        doors = door.snapshot().doors
        assert (entries_at(doors, "cửa-phụ"), entries_at(doors, "cửa-chính")) == (1, 0)
    assert store.events()[0].role == ""  # the command line's events name no role
    assert store.verify() is None


def test_the_role_is_in_the_hash_chain(store: Store) -> None:
    store.act_as(Role.DOOR, "Lan")
    store.scan(store.card_code(2, 0), Mode.ENTRY, "cửa-chính")
    seq = store.last_seq()
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE event SET role = 'operator' WHERE seq = :seq"), {"seq": seq})
    problem = store.verify()
    assert problem is not None and (problem.key, problem.params) == ("bad_hash", {"seq": seq})


def test_a_door_terminal_cannot_append_what_a_door_may_not(store: Store) -> None:
    store.act_as(Role.DOOR, "Lan")
    before = store.last_seq()
    with pytest.raises(StoreError) as err:
        store.set_status(3, Status.ABSENT_EXCUSED, "ốm")
    assert err.value.key == "role_refused"
    assert "door" in str(err.value) and "status_changed" in str(err.value)
    with pytest.raises(StoreError):
        store.reissue_card(3, "mất thẻ")
    assert store.last_seq() == before
    d = store.delegate(3)
    assert d is not None and d.status is Status.SUMMONED and d.card_issue == 0


def test_a_projector_appends_nothing_at_all(store: Store) -> None:
    store.act_as(Role.DISPLAY)
    before = store.last_seq()
    with pytest.raises(StoreError) as err:
        store.scan(store.card_code(2, 0), Mode.ENTRY, "cửa-chính")
    assert err.value.key == "role_refused"
    assert store.last_seq() == before
    d = store.delegate(2)
    assert d is not None and not d.present
    assert store.check_in_counts().get(2, 0) == 0


def test_the_schema_version_covers_the_roles(store: Store) -> None:
    assert SCHEMA_VERSION == 3
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT role FROM event LIMIT 1")).scalar_one() == ""
        assert conn.execute(text("SELECT count(*) FROM role_passphrase")).scalar_one() == 0


# ---------------------------------------------------------------- the command line


def _db(tmp_path: Path) -> str:
    db = str(tmp_path / "congress.db")
    assert main(["init", str(EXAMPLES / "congress.toml"), "--db", db]) == 0
    return db


def _phrase_file(tmp_path: Path, phrase: str = SECRET) -> str:
    path = tmp_path / "phrase.txt"
    path.write_text(phrase + "\n", encoding="utf-8")
    return str(path)


def test_roles_set_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _db(tmp_path)
    capsys.readouterr()
    assert main(["--lang", "en", "roles", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert t("roles.cli.not_set_operator") in listed and t("roles.cli.not_set_other") in listed
    assert t("roles.cli.open") in listed
    args = ["--lang", "en", "roles", "set", "door", "--db", db]
    assert main([*args, "--passphrase-file", _phrase_file(tmp_path)]) == 0
    assert t("roles.cli.set", role="door") in capsys.readouterr().out
    assert main(["--lang", "en", "roles", "--db", db]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert "passphrase set" in lines["door"] and "no passphrase" in lines["teller"]
    with Store.open(db) as store:
        assert store.check_passphrase(Role.DOOR, SECRET)  # the file's newline is not in it
        assert store.verify() is None
    assert main(["verify", "--db", db]) == 0


def test_roles_set_refuses_the_display_a_short_phrase_and_no_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _db(tmp_path)
    capsys.readouterr()
    phrase = _phrase_file(tmp_path)
    assert (
        main(["--lang", "en", "roles", "set", "display", "--db", db, "--passphrase-file", phrase])
        == 1
    )
    assert t("roles.error.display_open", role="display") in capsys.readouterr().err
    short = _phrase_file(tmp_path, "short")
    assert (
        main(["--lang", "en", "roles", "set", "teller", "--db", db, "--passphrase-file", short])
        == 1
    )
    assert "at least 8" in capsys.readouterr().err
    assert main(["--lang", "en", "roles", "set", "--db", db]) == 1
    assert t("roles.cli.set_needs") in capsys.readouterr().err


def test_roles_set_asks_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _db(tmp_path)
    answers = iter([SECRET, SECRET + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["--lang", "en", "roles", "set", "operator", "--db", db]) == 1
    assert t("roles.cli.mismatch") in capsys.readouterr().err
    answers = iter([SECRET, SECRET])
    assert main(["--lang", "en", "roles", "set", "operator", "--db", db]) == 0
    with Store.open(db) as store:
        assert store.check_passphrase(Role.OPERATOR, SECRET)


def test_run_refuses_a_role_without_its_passphrase_before_opening(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _db(tmp_path)
    opened: list[object] = []
    monkeypatch.setattr("tui.app.PresidiumApp.run", lambda self: opened.append(self))
    capsys.readouterr()
    assert main(["--lang", "en", "run", "--role", "door", "--db", db]) == 1
    err = capsys.readouterr().err
    assert "presidium roles set door" in err and not opened
    assert main(["--lang", "en", "run", "--role", "teller", "--sector", "Z", "--db", db]) == 1
    assert t("roles.cli.no_passphrase", role="teller") in capsys.readouterr().err
    # the projector needs none; the operator's run works as before, without signing in
    assert main(["run", "--role", "display", "--db", db]) == 0
    assert main(["run", "--db", db]) == 0
    display, operator = opened
    assert display.role is Role.DISPLAY and display.desk.signed_in  # type: ignore[attr-defined]
    assert operator.role is Role.OPERATOR and operator.desk.signed_in  # type: ignore[attr-defined]
    # with the operator's passphrase set, the operator's app starts at the sign-in
    args = ["roles", "set", "operator", "--db", db, "--passphrase-file", _phrase_file(tmp_path)]
    assert main(args) == 0
    assert main(["run", "--db", db]) == 0
    assert not opened[-1].desk.signed_in  # type: ignore[attr-defined]


def test_run_refuses_a_sector_the_hall_does_not_have(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _db(tmp_path)
    monkeypatch.setattr("tui.app.PresidiumApp.run", lambda self: None)
    main(["roles", "set", "teller", "--db", db, "--passphrase-file", _phrase_file(tmp_path)])
    capsys.readouterr()
    assert main(["--lang", "en", "run", "--role", "teller", "--sector", "Z", "--db", db]) == 1
    assert "no hall sector Z" in capsys.readouterr().err
    assert main(["--lang", "en", "run", "--role", "teller", "--sector", "A", "--db", db]) == 0


def test_run_refuses_a_door_station_the_congress_file_does_not_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _db(tmp_path)
    opened: list[str] = []
    monkeypatch.setattr("tui.app.PresidiumApp.run", lambda self: opened.append(self.station))
    main(["roles", "set", "door", "--db", db, "--passphrase-file", _phrase_file(tmp_path)])
    capsys.readouterr()
    door = ["--lang", "en", "run", "--role", "door", "--db", db, "--station"]
    assert main([*door, "cửa-chinh"]) == 1  # a typo: the scans would go to a station nobody counts
    err = capsys.readouterr().err
    assert "no door station cửa-chinh" in err and "cửa-chính, cửa-phụ" in err
    assert opened == []
    typed_on_a_mac = unicodedata.normalize("NFD", "cửa-phụ")
    assert main([*door, typed_on_a_mac]) == 0
    assert opened == ["cửa-phụ"]  # NFC, as the congress file has it


# ---------------------------------------------------------------- the teller's ballot boxes

BOX_EVENTS = (el.BoxPrepared, el.BoxSealed, el.BallotsIssued, el.BoxClosed, el.BoxOpened)
# The presidium's and the counting committee's: never from a teller's terminal.
BEYOND_THE_BOX = (
    el.ListApproved,
    el.CountersAppointed,
    el.VotingOpened,
    el.BallotIssuedTo,
    el.CountingStarted,
    el.BallotEntered,
    el.BoxCounted,
    el.MinutesSigned,
    el.ResultsAnnounced,
)


def test_a_teller_does_the_box_steps_and_no_other_election_step() -> None:
    r, k = rights(Role.TELLER), role_keys(Role.TELLER)
    for action in Action:
        assert k.may(f"box.{action.value}") is (action in roles.TELLER_BOX_STEPS), action
    assert all(r.may_record(kind.KIND) for kind in BOX_EVENTS)
    assert not any(r.may_record(kind.KIND) for kind in BEYOND_THE_BOX)
    for other in (Role.DOOR, Role.COUNTING, Role.DISPLAY):
        assert not role_keys(other).may("box.close_box"), other
        assert not any(rights(other).may_record(kind.KIND) for kind in BOX_EVENTS), other


def test_the_box_steps_offered_follow_the_chosen_box() -> None:
    at = datetime(2026, 5, 1, 8, tzinfo=UTC)

    def box(status: el.BoxStatus) -> el.Box:
        return el.Box("1", el.BoxKind.MAIN, status, at)

    def offered(r: el.Round, status: el.BoxStatus) -> frozenset[Action]:
        b = box(status)
        return box_steps(replace(r, boxes=(b,)), b)

    before = el.Round(1, el.Phase.MAIN, el.RoundReason.FIRST, 3, approved_at=at)
    assert before.status is el.RoundStatus.LIST_APPROVED
    assert box_steps(before, None) == {Action.PREPARE_BOX}
    assert offered(before, el.BoxStatus.PREPARED) == {Action.PREPARE_BOX, Action.SEAL_BOX}
    assert offered(before, el.BoxStatus.SEALED) == {Action.PREPARE_BOX}  # voting: the presidium
    voting = replace(before, snapshot=Snapshot(20, 28, 28), voting_at=at)
    assert offered(voting, el.BoxStatus.VOTING) == {Action.ISSUE_BALLOTS, Action.CLOSE_BOX}
    assert offered(voting, el.BoxStatus.CLOSED) == {Action.OPEN_BOX}
    for status in (el.BoxStatus.OPENED, el.BoxStatus.COUNTED, el.BoxStatus.SIGNED):
        assert offered(voting, status) == frozenset(), status  # counting: not the teller's
    assert box_election(el.ElectionBook(), None) is None


def test_a_teller_terminal_records_the_box_and_is_refused_the_rest(sqlite_url: str) -> None:
    from tests.harness.elections import SEALERS, hall_at_boxes
    from tests.harness.halls import E

    hall = hall_at_boxes(sqlite_url)
    try:
        running = hall.agenda_state().current
        found = box_election(hall.election_book(), running)
        assert found is not None and found.id == E
        with Store.open(sqlite_url, terminal="host/to-a") as teller:
            teller.act_as(Role.TELLER, "Nguyễn Thị Lan")

            def record(build: el.ElectionEvent) -> None:
                teller.record_election(lambda _b, _now: build)

            def refused(call: object) -> None:
                seq = hall.last_seq()
                with pytest.raises(StoreError) as err:
                    call()  # type: ignore[operator]
                assert err.value.key == "role_refused" and hall.last_seq() == seq

            first = hall.last_seq()
            at = datetime.now(UTC)
            record(el.BoxPrepared(E, 1, "1", el.BoxKind.MAIN, at))
            record(el.BoxSealed(E, 1, "1", SEALERS, at))
            refused(lambda: teller.open_election_voting(E, 1))
            hall.open_election_voting(E, 1)
            record(el.BallotsIssued(E, 1, "1", 20, "", at))
            record(el.BoxClosed(E, 1, "1", at))
            record(el.BoxOpened(E, 1, "1", 20, SEALERS[:1], at))
            refused(lambda: record(el.CountingStarted(E, 1, el.CountMode.BALLOTS, ("A",), at)))
        ours = [e for e in hall.events(after=first) if e.role == "teller"]
        assert [e.kind for e in ours] == [k.KIND for k in BOX_EVENTS]
        assert {e.operator for e in ours} == {"Nguyễn Thị Lan"}
        assert hall.verify() is None
    finally:
        hall.close()
