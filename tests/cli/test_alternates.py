"""Activating an alternate in place of an official delegate absent for the whole congress
(domain rules 1.1, 2.1 b, 5.3, 12.1, 12.13): the official's seat stays in the base, the alternate
votes; refusals, undo, persistence, verify, and the command line, on SQLite and PostgreSQL."""

import json
from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy import text

from db.elections import ElectionStoreError
from db.models import SCHEMA_VERSION, Delegate
from db.store import Store, StoreError
from presidium.cli import main
from session import elections as el
from session.agenda import ItemKind, MotionKind
from session.congress import PRESET_RULES, BaseKind, CongressType, RuleSetName
from session.i18n import catalog, t
from session.quorum import (
    ActivationRefusal,
    Kind,
    Member,
    Status,
    activation_refusal,
    attendance,
    verdict,
)
from session.register import DelegateRecord
from session.results import activation_base_change, can_be_replaced
from session.rollcall import Action, Colour, DelegateState, Mode, Reason, ScanDecision, decide
from session.tally import Snapshot
from session.votes import snapshot_of
from tests.harness.bch_election import E, election_ready_to_vote
from tests.harness.rollcall import admit_voters, card

MakeStore = Callable[..., Store]
PARTY = PRESET_RULES[RuleSetName.VN_PARTY_2014]
REP = CongressType.REPRESENTATIVE
ADJ = BaseKind.SUMMONED_ADJUSTED

OFFICIAL_AWAY = Member(Kind.OFFICIAL, Status.ABSENT_WHOLE, False)
ALTERNATE = Member(Kind.ALTERNATE, Status.SUMMONED, True)


def _activated(official: Member, alternate: Member) -> tuple[Member, Member]:
    return replace(official, replaced_by_alternate=True), replace(alternate, activated=True)


# ---------------------------------------------------------------- the domain: who votes


def test_an_alternate_votes_only_once_activated() -> None:
    assert not ALTERNATE.votes
    assert replace(ALTERNATE, activated=True).votes
    rejected = Member(Kind.ALTERNATE, Status.CREDENTIAL_REJECTED, True, activated=True)
    assert not rejected.votes
    assert not Member(Kind.GUEST, Status.SUMMONED, True, activated=True).votes


def _section_11(activated: int = 0, alternate_present: bool = True) -> list[tuple[Member, int]]:
    """Domain rules §11: 300 summoned, 10 absent for the whole congress (2 of them committee
    members), 287 present; `activated` of the 8 absent officials replaced by an alternate."""
    on, away = _activated(OFFICIAL_AWAY, replace(ALTERNATE, present=alternate_present))
    groups = [
        (Member(Kind.OFFICIAL, Status.SUMMONED, True), 257),
        (Member(Kind.EX_OFFICIO, Status.SUMMONED, True), 30),
        (Member(Kind.OFFICIAL, Status.SUMMONED, False), 3),
        (Member(Kind.EX_OFFICIO, Status.ABSENT_WHOLE, False), 2),
        (OFFICIAL_AWAY, 8 - activated),
        (ALTERNATE, 4 - activated),  # alternates in the hall, not activated
        (Member(Kind.GUEST, Status.SUMMONED, True), 12),
    ]
    if activated:
        groups += [(on, activated), (away, activated)]
    return groups


def test_activation_puts_the_seat_back_in_the_base_and_the_alternate_in_the_hall() -> None:
    before = attendance(_section_11(), REP, ADJ)
    after = attendance(_section_11(activated=1), REP, ADJ)
    assert (before.summoned, before.base, before.present) == (300, 290, 287)
    assert (after.summoned, after.base, after.present) == (300, 291, 288)
    assert (before.guests, after.guests) == (16, 15)  # the alternate no longer counts as a guest
    assert after.absent_whole == before.absent_whole == 10  # the official is still away
    assert (verdict(before, PARTY).decision_needs, verdict(after, PARTY).decision_needs) == (
        146,
        146,
    )
    two = attendance(_section_11(activated=2), REP, ADJ)
    assert (two.base, two.present, verdict(two, PARTY).decision_needs) == (292, 289, 147)


def test_an_activated_alternate_out_of_the_hall_still_keeps_the_seat_in_the_base() -> None:
    after = attendance(_section_11(activated=1, alternate_present=False), REP, ADJ)
    assert (after.summoned, after.base, after.present) == (300, 291, 287)


def test_the_seat_is_counted_once() -> None:
    """One official replaced by one alternate: the summoned do not grow, the base grows by one,
    as session.results.activation_base_change says."""
    on, alt = _activated(OFFICIAL_AWAY, ALTERNATE)
    before = attendance([(OFFICIAL_AWAY, 1), (ALTERNATE, 1)], REP, ADJ)
    after = attendance([(on, 1), (alt, 1)], REP, ADJ)
    assert (before.summoned, before.base, before.present) == (1, 0, 0)
    assert (after.summoned, after.base, after.present) == (1, 1, 1)
    assert after.base - before.base == activation_base_change(OFFICIAL_AWAY)
    for base in (BaseKind.SUMMONED, BaseKind.PRESENT):
        assert attendance([(on, 1), (alt, 1)], REP, base).base == 1


def test_vote_snapshots_count_the_activated_alternate() -> None:
    before = snapshot_of(verdict(attendance(_section_11(), REP, ADJ), PARTY))
    after = snapshot_of(verdict(attendance(_section_11(activated=1), REP, ADJ), PARTY))
    assert before == Snapshot(287, 300, 290, None)
    assert after == Snapshot(288, 300, 291, None)


@pytest.mark.parametrize(
    ("member", "gets"),
    [
        (ALTERNATE, False),
        (replace(ALTERNATE, activated=True), True),
        (replace(ALTERNATE, activated=True, status=Status.CREDENTIAL_REJECTED), False),
        (Member(Kind.OFFICIAL, Status.SUMMONED, True), True),
    ],
)
def test_ballots_go_to_an_activated_alternate(member: Member, gets: bool) -> None:
    assert el.may_receive_ballot(member) is gets


# ---------------------------------------------------------------- the domain: refusals


@pytest.mark.parametrize(
    ("official", "alternate", "refusal"),
    [
        (OFFICIAL_AWAY, ALTERNATE, None),
        (OFFICIAL_AWAY, replace(ALTERNATE, present=False), None),  # activated before arriving
        (replace(OFFICIAL_AWAY, kind=Kind.EX_OFFICIO), ALTERNATE, ActivationRefusal.NOT_OFFICIAL),
        (replace(OFFICIAL_AWAY, kind=Kind.GUEST), ALTERNATE, ActivationRefusal.NOT_OFFICIAL),
        (
            replace(OFFICIAL_AWAY, status=Status.ABSENT_EXCUSED),
            ALTERNATE,
            ActivationRefusal.NOT_ABSENT_WHOLE,
        ),
        (
            replace(OFFICIAL_AWAY, replaced_by_alternate=True),
            ALTERNATE,
            ActivationRefusal.ALREADY_REPLACED,
        ),
        (OFFICIAL_AWAY, replace(ALTERNATE, kind=Kind.OFFICIAL), ActivationRefusal.NOT_ALTERNATE),
        (OFFICIAL_AWAY, replace(ALTERNATE, activated=True), ActivationRefusal.ALREADY_ACTIVATED),
        (
            OFFICIAL_AWAY,
            replace(ALTERNATE, status=Status.CREDENTIAL_REJECTED),
            ActivationRefusal.ALTERNATE_REJECTED,
        ),
        (
            OFFICIAL_AWAY,
            replace(ALTERNATE, status=Status.ABSENT_WHOLE, present=False),
            ActivationRefusal.ALTERNATE_ABSENT,
        ),
    ],
)
def test_activation_refusals(
    official: Member, alternate: Member, refusal: ActivationRefusal | None
) -> None:
    assert activation_refusal(official, alternate) is refusal
    assert (activation_refusal(official, ALTERNATE) is None) is can_be_replaced(official)


def test_every_refusal_has_a_message_with_known_placeholders() -> None:
    params = {"official", "official_name", "official_kind", "alternate", "alternate_name"}
    params |= {"alternate_kind", "holder", "seat"}
    keys = [f"error.activation.{r.value}" for r in ActivationRefusal]
    keys += ["error.alternate_not_in_place", "error.activation_in_force"]
    for lang in ("vi", "en"):
        for key in keys:
            assert key in catalog(lang), (lang, key)
            if key != "error.activation_in_force":
                assert "{" not in t(key, lang, **dict.fromkeys(params, 1)), (lang, key)


# ---------------------------------------------------------------- the domain: the roll call


def _state(activated: bool, present: bool = False, kind: Kind = Kind.ALTERNATE) -> DelegateState:
    return DelegateState(17, kind, Status.SUMMONED, 1, present, activated=activated)


@pytest.mark.parametrize(
    ("mode", "activated", "present", "expected"),
    [
        (Mode.ENTRY, False, False, (Colour.GREEN, Reason.ADMITTED_ALTERNATE, Action.CHECK_IN)),
        (Mode.ENTRY, True, False, (Colour.GREEN, Reason.ADMITTED, Action.CHECK_IN)),
        (Mode.ENTRY, True, True, (Colour.YELLOW, Reason.ALREADY_PRESENT, None)),
        (Mode.VOTING_CHECK, False, True, (Colour.RED, Reason.NOT_ENTITLED, None)),
        (Mode.VOTING_CHECK, True, True, (Colour.GREEN, Reason.ENTITLED_PRESENT, None)),
        (
            Mode.VOTING_CHECK,
            True,
            False,
            (Colour.GREEN, Reason.ENTITLED_ADMITTED, Action.CHECK_IN),
        ),
        (Mode.EXIT, True, True, (Colour.GREEN, Reason.EXIT_RECORDED, Action.CHECK_OUT)),
    ],
)
def test_the_roll_call_treats_an_activated_alternate_as_a_voter(
    mode: Mode,
    activated: bool,
    present: bool,
    expected: tuple[Colour, Reason, Action | None],
) -> None:
    assert decide(mode, card(), _state(activated, present)) == ScanDecision(*expected)


def test_the_activated_flag_means_nothing_for_a_guest() -> None:
    guest = _state(True, kind=Kind.GUEST)
    assert decide(Mode.VOTING_CHECK, card(), guest).reason is Reason.NOT_ENTITLED
    assert decide(Mode.ENTRY, card(), guest).reason is Reason.ADMITTED_GUEST


# ---------------------------------------------------------------- the store

# demo_register(40): ex officio 1, 11, 21, 31; guests 7, 32; alternates 13, 38; the rest official.
OFFICIAL, OTHER_OFFICIAL, ALT, OTHER_ALT, GUEST, EX_OFFICIO = 2, 3, 13, 38, 7, 1


def _store(make_store: MakeStore, url: str) -> Store:
    store = make_store(url, delegates=40)
    for number in (OFFICIAL, OTHER_OFFICIAL, EX_OFFICIO):
        store.set_status(number, Status.ABSENT_WHOLE, "ốm dài ngày")
    return store


def _base(store: Store) -> tuple[int, int, int]:
    att = store.snapshot().verdict.attendance
    return att.summoned, att.base, att.present


def test_activation_is_one_event_and_changes_the_base(make_store: MakeStore, db_url: str) -> None:
    store = _store(make_store, db_url)
    assert _base(store) == (36, 33, 0)
    seq = store.last_seq()

    done = store.activate_alternate(OFFICIAL, ALT, "  Đại hội   biểu quyết thay thế ")

    assert (done.base_before, done.base_after) == (33, 34)
    assert done.official.replaced_by_alternate and done.alternate.activated_for == OFFICIAL
    assert done.alternate.votes and done.seq == seq + 1
    assert _base(store) == (36, 34, 0)
    [event] = store.events(after=seq)
    assert event.kind == "alternate_activated"
    assert event.payload == {
        "number": ALT,
        "official": OFFICIAL,
        "reason": "Đại hội biểu quyết thay thế",
        "base_before": 33,
        "base_after": 34,
    }
    changes = store.changes_since(seq)
    assert sorted(d.number for d in changes.delegates) == [OFFICIAL, ALT]
    assert store.verify() is None


def test_an_activated_alternate_is_admitted_and_checked_as_a_voter(
    make_store: MakeStore, db_url: str
) -> None:
    store = _store(make_store, db_url)
    store.activate_alternate(OFFICIAL, ALT, "thay thế")
    unit = store.delegate(ALT).unit  # type: ignore[union-attr]
    unit_before = next(u for u in store.snapshot().units if u.unit == unit)

    entry = store.scan(store.card_code(ALT, 0), Mode.ENTRY, "door-1")
    check = store.scan(store.card_code(ALT, 0), Mode.VOTING_CHECK, "door-1")
    other = store.scan(store.card_code(OTHER_ALT, 0), Mode.VOTING_CHECK, "door-1")

    assert entry.decision.reason is Reason.ADMITTED
    assert check.decision.reason is Reason.ENTITLED_PRESENT
    assert other.decision.reason is Reason.NOT_ENTITLED
    assert _base(store) == (36, 34, 1)
    unit_after = next(u for u in store.snapshot().units if u.unit == unit)
    assert (unit_after.summoned, unit_after.present) == (
        unit_before.summoned,
        unit_before.present + 1,
    )
    assert ALT not in {d.number for d in store.missing()}
    assert OTHER_ALT not in {d.number for d in store.missing()}
    assert store.verify() is None


def test_a_vote_opened_after_activation_freezes_the_new_base(
    make_store: MakeStore, db_url: str
) -> None:
    store = _store(make_store, db_url)
    admit_voters(store, 20)
    present = _base(store)[2]
    store.activate_alternate(OFFICIAL, ALT, "thay thế")
    store.scan(store.card_code(ALT, 0), Mode.ENTRY, "door-1")
    item = next(s.key for s in store.agenda_state().items if s.item.kind is ItemKind.VOTE)
    store.start_item(item)

    vote = store.open_vote(store.create_vote(item, motion=MotionKind.AGENDA).id)

    assert vote.snapshot == Snapshot(present + 1, 36, 34)


def test_ballots_refused_to_an_alternate_not_activated(make_store: MakeStore, db_url: str) -> None:
    store = _store(make_store, db_url)
    admit_voters(store, 20)
    store.scan(store.card_code(OTHER_ALT, 0), Mode.ENTRY, "door-1")
    election_ready_to_vote(store)
    store.open_election_voting(E, 1)
    with pytest.raises(ElectionStoreError) as err:
        store.issue_ballot(E, 1, "main", store.card_code(OTHER_ALT, 0))
    assert err.value.key == "no_ballot_for"


def _row(store: Store, number: int) -> Delegate:
    from sqlmodel import Session, select

    with Session(store.engine) as s:
        return s.exec(select(Delegate).where(Delegate.number == number)).one()


def test_the_ballot_desk_sees_the_activation(make_store: MakeStore, db_url: str) -> None:
    """The ballot desk's Member, as the stored row gives it (Delegate.member())."""
    store = _store(make_store, db_url)
    store.activate_alternate(OFFICIAL, ALT, "thay thế")
    assert el.may_receive_ballot(_row(store, ALT).member())
    assert not el.may_receive_ballot(_row(store, OTHER_ALT).member())
    assert _row(store, OFFICIAL).member().replaced_by_alternate


def test_a_ballot_is_issued_to_an_activated_alternate(make_store: MakeStore, db_url: str) -> None:
    store = _store(make_store, db_url)
    admit_voters(store, 20)
    store.activate_alternate(OFFICIAL, ALT, "thay thế")
    store.scan(store.card_code(ALT, 0), Mode.ENTRY, "door-1")
    election_ready_to_vote(store)
    store.open_election_voting(E, 1)
    election = store.issue_ballot(E, 1, "main", store.card_code(ALT, 0))
    assert ALT in election.current.issued_to


@pytest.mark.parametrize(
    ("official", "alternate", "key"),
    [
        (EX_OFFICIO, ALT, "activation.not_official"),
        (GUEST, ALT, "activation.not_official"),
        (5, ALT, "activation.not_absent_whole"),
        (OFFICIAL, 5, "activation.not_alternate"),
        (OFFICIAL, GUEST, "activation.not_alternate"),
        (OFFICIAL, 99, "no_such_delegate"),
    ],
)
def test_activation_refused_writes_nothing(
    make_store: MakeStore, sqlite_url: str, official: int, alternate: int, key: str
) -> None:
    store = _store(make_store, sqlite_url)
    seq = store.last_seq()
    with pytest.raises(StoreError) as err:
        store.activate_alternate(official, alternate, "thay thế")
    assert err.value.key == key
    assert "{" not in str(err.value) and "⟦" not in str(err.value)
    assert store.last_seq() == seq and _base(store) == (36, 33, 0)


def test_one_seat_one_alternate(make_store: MakeStore, db_url: str) -> None:
    store = _store(make_store, db_url)
    store.activate_alternate(OFFICIAL, ALT, "thay thế")

    with pytest.raises(StoreError) as err:
        store.activate_alternate(OFFICIAL, OTHER_ALT, "thay thế")
    assert err.value.key == "activation.already_replaced"
    assert f"alternate {ALT}" in str(err.value)

    with pytest.raises(StoreError) as err:
        store.activate_alternate(OTHER_OFFICIAL, ALT, "thay thế")
    assert err.value.key == "activation.already_activated"
    assert f"official delegate {OFFICIAL}" in str(err.value)

    with pytest.raises(StoreError) as err:
        store.activate_alternate(OTHER_OFFICIAL, OTHER_ALT, " ")
    assert err.value.key == "reason_required"


@pytest.mark.parametrize(
    ("status", "key"),
    [
        (Status.CREDENTIAL_REJECTED, "activation.alternate_rejected"),
        (Status.ABSENT_WHOLE, "activation.alternate_absent"),
    ],
)
def test_an_alternate_who_cannot_attend_is_refused(
    make_store: MakeStore, sqlite_url: str, status: Status, key: str
) -> None:
    store = _store(make_store, sqlite_url)
    store.set_status(ALT, status, "quyết định")
    with pytest.raises(StoreError) as err:
        store.activate_alternate(OFFICIAL, ALT, "thay thế")
    assert err.value.key == key


def test_the_activation_holds_until_undone(make_store: MakeStore, db_url: str) -> None:
    """While it stands, neither the official's standing nor the alternate's right to attend
    may change (one seat would have two votes, or none); an excused absence is fine."""
    store = _store(make_store, db_url)
    store.activate_alternate(OFFICIAL, ALT, "thay thế")
    for number, status in [
        (OFFICIAL, Status.SUMMONED),
        (OFFICIAL, Status.CREDENTIAL_REJECTED),
        (ALT, Status.ABSENT_WHOLE),
        (ALT, Status.CREDENTIAL_REJECTED),
    ]:
        with pytest.raises(StoreError) as err:
            store.set_status(number, status, "sửa")
        assert err.value.key == "activation_in_force"
    store.set_status(ALT, Status.ABSENT_EXCUSED, "về địa phương buổi chiều")
    store.set_status(ALT, Status.SUMMONED, "đã trở lại")
    assert _base(store) == (36, 34, 0)


def test_a_register_import_cannot_change_an_activated_alternates_kind(
    make_store: MakeStore, sqlite_url: str
) -> None:
    store = _store(make_store, sqlite_url)
    store.activate_alternate(OFFICIAL, ALT, "thay thế")
    info = store.delegate(ALT)
    assert info is not None
    record = DelegateRecord(ALT, info.full_name, info.unit, Kind.OFFICIAL)
    with pytest.raises(StoreError) as err:
        store.import_register([record])
    assert err.value.key == "activation_in_force"
    assert store.delegate(ALT).kind is Kind.ALTERNATE  # type: ignore[union-attr]


def test_undo_leaves_a_trace(make_store: MakeStore, db_url: str) -> None:
    store = _store(make_store, db_url)
    store.activate_alternate(OFFICIAL, ALT, "thay thế")
    seq = store.last_seq()

    with pytest.raises(StoreError) as err:
        store.deactivate_alternate(OTHER_OFFICIAL, ALT, "nhầm")
    assert err.value.key == "alternate_not_in_place"
    undone = store.deactivate_alternate(OFFICIAL, ALT, "đồng chí đã đến dự")

    assert (undone.base_before, undone.base_after) == (34, 33)
    assert not undone.official.replaced_by_alternate and undone.alternate.activated_for is None
    assert not undone.alternate.votes
    assert [e.kind for e in store.events(after=seq)] == ["alternate_deactivated"]
    assert [e.kind for e in store.events()].count("alternate_activated") == 1
    store.set_status(OFFICIAL, Status.SUMMONED, "đã đến")  # no longer in force
    store.activate_alternate(OTHER_OFFICIAL, ALT, "thay thế")  # free for another seat
    assert store.verify() is None


@pytest.mark.parametrize(
    ("number", "column", "value", "field"),
    [
        (ALT, "activated_for", None, "activated_for"),
        (OTHER_ALT, "activated_for", OTHER_OFFICIAL, "activated_for"),
        (OTHER_OFFICIAL, "replaced_by_alternate", True, "replaced_by_alternate"),
        (OFFICIAL, "replaced_by_alternate", False, "replaced_by_alternate"),
    ],
)
def test_verify_catches_an_activation_edited_behind_the_log(
    make_store: MakeStore, db_url: str, number: int, column: str, value: object, field: str
) -> None:
    store = _store(make_store, db_url)
    store.activate_alternate(OFFICIAL, ALT, "thay thế")
    assert store.verify() is None
    with store.engine.begin() as conn:
        conn.execute(
            text(f"UPDATE delegate SET {column} = :v WHERE number = :n"), {"v": value, "n": number}
        )

    broken = store.verify()

    assert broken is not None and broken.key == "state_mismatch"
    assert (broken.params["number"], broken.params["field"]) == (number, field)


def test_the_schema_version_says_the_column_exists(store: Store) -> None:
    assert SCHEMA_VERSION >= 2  # 2 added the column (3: the roles)
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'"))
        assert stored.scalar_one() == str(SCHEMA_VERSION)


# ---------------------------------------------------------------- the command line


def test_cli_activate_undo_and_status(
    make_store: MakeStore, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _store(make_store, sqlite_url).close()
    db = ["--db", sqlite_url, "--lang", "en"]
    pair = ["--official", str(OFFICIAL), "--alternate", str(ALT), "--reason", "thay thế"]

    assert main(["activate-alternate", *pair, *db]) == 0
    out = capsys.readouterr().out
    assert f"Alternate {ALT} (" in out and "base 33 → 34" in out

    assert main(["activate-alternate", *pair, *db]) == 1
    assert "already replaced by alternate 13" in capsys.readouterr().err

    assert main(["status", *db]) == 0
    assert f"Alternate {ALT} (" in capsys.readouterr().out
    assert main(["status", "--json", *db]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(a["alternate"], a["official"]) for a in data["activated_alternates"]] == [
        (ALT, OFFICIAL)
    ]
    assert data["base"] == 34

    assert main(["activate-alternate", *pair, "--undo", *db]) == 0
    assert "no longer holds the place" in capsys.readouterr().out
    assert main(["status", "--json", *db]) == 0
    assert json.loads(capsys.readouterr().out)["activated_alternates"] == []
    assert main(["verify", *db]) == 0


def test_cli_activation_refused_in_vietnamese(
    make_store: MakeStore, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _store(make_store, sqlite_url).close()
    args = ["activate-alternate", "--official", "5", "--alternate", str(ALT), "--reason", "x"]
    assert main([*args, "--db", sqlite_url, "--lang", "vi"]) == 1
    assert "chưa được ghi nhận vắng suốt đại hội" in capsys.readouterr().err
