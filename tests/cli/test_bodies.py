"""The congress's bodies (session/bodies.py, db/bodies.py, `presidium bodies`, tui/bodies.py, the
minutes): the presidium, the secretariat, the credentials and counting committees, each elected
by a show-of-hands vote that must have passed, recorded as one chained event, replaced by a
later vote with the trace kept, replayed by verify, and printed in the minutes and the JSON."""

import json
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from db.store import Store
from presidium.cli import main
from printouts.document import Signatures
from printouts.export import export, read_proceedings
from printouts.minutes import minutes_document
from session import bodies as bd
from session.agenda import MotionKind
from session.bodies import Body, BodyAppointed, BodyBook, BodyError, Member, Role
from session.congress import CongressType
from session.rollcall import Mode
from session.votes import VoteBook

MakeStore = Callable[..., Store]
AT = datetime(2025, 6, 20, 0, 40, tzinfo=UTC)
ZERO = {"tan_thanh": 0, "khong_tan_thanh": 0, "y_kien_khac": 0}
BODIES_ITEM = "item-03"  # the standard agenda's "elect the presidium, secretariat..."


def event(body: Body, *names: str, head: str = "", vote: str = "vote-01") -> BodyAppointed:
    return bd.appoint(body, names, vote, AT, head)


# ----------------------------------------------------------------------------- the reducer


def test_an_appointment_keeps_the_order_and_the_head() -> None:
    book = bd.apply(BodyBook(), event(Body.PRESIDIUM, "Lê Văn Ba", "An Thị Hai", head="An Thị Hai"))
    presidium = book.current(Body.PRESIDIUM)
    assert presidium is not None and presidium.vote == "vote-01" and presidium.at == AT
    assert presidium.members == (Member("Lê Văn Ba"), Member("An Thị Hai", Role.HEAD))
    assert presidium.head == Member("An Thị Hai", Role.HEAD) and presidium.signer == "An Thị Hai"
    assert book.current(Body.SECRETARIAT) is None and book.bodies == (presidium,)


def test_names_are_stored_in_nfc_with_single_spaces() -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn  Văn Khỏe ")
    book = bd.apply(BodyBook(), event(Body.SECRETARIAT, nfd, head=nfd))
    secretariat = book.current(Body.SECRETARIAT)
    assert secretariat is not None and secretariat.members[0].name == "Nguyễn Văn Khỏe"
    assert secretariat.signer == "Nguyễn Văn Khỏe"  # the only member signs, head or not
    assert bd.parse_names(" A ,, B,  C  ") == ("A", "B", "C")


@pytest.mark.parametrize(
    ("members", "key"),
    [
        ((), "no_members"),
        ((Member("A"), Member(" ")), "empty_name"),
        ((Member("Lê Văn Ba"), Member("lê văn ba")), "duplicate_member"),
        ((Member("A", Role.HEAD), Member("B", Role.HEAD)), "two_heads"),
    ],
)
def test_a_bad_list_is_refused(members: tuple[Member, ...], key: str) -> None:
    with pytest.raises(BodyError) as refused:
        bd.apply(BodyBook(), BodyAppointed(Body.PRESIDIUM, members, "vote-01", AT))
    assert refused.value.key == key and "⟦" not in str(refused.value)


def test_a_head_must_be_a_member_and_a_vote_and_zone_are_needed() -> None:
    with pytest.raises(BodyError) as refused:
        event(Body.PRESIDIUM, "A", "B", head="C")
    assert refused.value.key == "head_not_member"
    with pytest.raises(BodyError) as refused:
        bd.apply(BodyBook(), event(Body.PRESIDIUM, "A", vote=" "))
    assert refused.value.key == "vote_required"
    naive = BodyAppointed(Body.PRESIDIUM, (Member("A"),), "vote-01", datetime(2025, 6, 20))
    with pytest.raises(BodyError) as refused:
        bd.apply(BodyBook(), naive)
    assert refused.value.key == "bad_time"


def test_a_later_appointment_replaces_the_earlier_one_and_keeps_it() -> None:
    first = event(Body.PRESIDIUM, "A", "B", vote="vote-01")
    second = event(Body.PRESIDIUM, "A", "C", head="C", vote="vote-02")
    book = bd.replay([first, event(Body.SECRETARIAT, "D"), second])
    current = book.current(Body.PRESIDIUM)
    assert current is not None and [m.name for m in current.members] == ["A", "C"]
    assert [a.vote for a in book.replaced(Body.PRESIDIUM)] == ["vote-01"]
    assert [a.body for a in book.bodies] == [Body.PRESIDIUM, Body.SECRETARIAT]
    data = bd.to_json(book)
    assert [(a["body"], a["current"]) for a in data] == [
        ("presidium", False), ("secretariat", True), ("presidium", True),
    ]  # fmt: skip


def test_the_event_reads_back_as_written() -> None:
    written = bd.normalised(event(Body.CREDENTIALS_COMMITTEE, "A", "B", head="B"))
    payload = json.loads(json.dumps(written.payload(), ensure_ascii=False))
    assert bd.decode(BodyAppointed.KIND, payload) == written
    with pytest.raises(BodyError) as refused:
        bd.decode(BodyAppointed.KIND, dict(payload, body="choir"))
    assert refused.value.key == "bad_event"


def test_a_congress_of_all_members_has_no_credentials_committee() -> None:
    assert bd.bodies_of(CongressType.REPRESENTATIVE) == tuple(Body)
    assert Body.CREDENTIALS_COMMITTEE not in bd.bodies_of(CongressType.GENERAL_MEMBERS)
    with pytest.raises(BodyError) as refused:
        bd.check_allowed(Body.CREDENTIALS_COMMITTEE, CongressType.GENERAL_MEMBERS)
    assert "Credentials committee" in str(refused.value)


def test_the_cited_vote_must_exist() -> None:
    with pytest.raises(BodyError) as refused:
        bd.check_vote(VoteBook(), "vote-09")
    assert refused.value.key == "unknown_vote"


# ----------------------------------------------------------------------------- the store


def admit(store: Store, how_many: int = 20) -> list[str]:
    """Admit voters; their names (the bodies are elected from the delegates)."""
    voters = [d for d in store.delegates() if d.votes][:how_many]
    for d in voters:
        store.scan(store.card_code(d.number, d.card_issue), Mode.ENTRY, "cửa-chính")
    return [d.full_name for d in voters]


def decide(store: Store, motion: MotionKind | None = None, *, passed: bool = True) -> str:
    """A vote on the running item, announced: unanimous, or (not passed) nobody in favour."""
    vote = store.open_vote(store.create_vote(BODIES_ITEM, motion=motion).id)
    if passed:
        store.confirm_unanimous(vote.id, "Tổ 1")
        store.confirm_unanimous(vote.id, "Tổ 2")
    else:
        for sector in vote.sectors:
            for teller in ("Tổ 1", "Tổ 2"):
                store.enter_count(vote.id, sector.code, teller, ZERO)
    return store.publish_vote(vote.id).id


def running(store: Store) -> list[str]:
    names = admit(store)
    for key in ("item-01", "item-02", BODIES_ITEM):
        store.start_item(key)
    return names


def test_appointing_a_body_is_one_chained_event(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    names = running(store)
    vote = decide(store)
    before = store.last_seq()
    done = store.appoint_body(Body.PRESIDIUM, names[:3], vote, head=names[1])
    assert store.last_seq() == before + 1
    last = store.events()[-1]
    assert last.kind == "body_appointed" and last.payload["vote"] == vote
    assert done.head is not None and done.head.name == names[1]
    assert store.bodies().current(Body.PRESIDIUM) == done
    again = store.appoint_body(Body.PRESIDIUM, [names[0], names[4]], vote)  # the list corrected
    book = store.bodies()
    assert book.current(Body.PRESIDIUM) == again and book.replaced(Body.PRESIDIUM) == (done,)
    assert store.verify() is None


def test_only_a_published_passed_vote_on_the_bodies_elects(
    make_store: MakeStore, db_url: str
) -> None:
    store = make_store(db_url)
    names = running(store)
    draft = store.create_vote(BODIES_ITEM).id
    failed = decide(store, passed=False)
    agenda = decide(store, MotionKind.AGENDA)
    passed = decide(store)
    seq = store.last_seq()
    for vote, key in [(draft, "vote_not_published"), (failed, "vote_not_passed"),
                      (agenda, "wrong_motion"), ("vote-99", "unknown_vote")]:  # fmt: skip
        with pytest.raises(BodyError) as refused:
            store.appoint_body(Body.SECRETARIAT, names[:2], vote)
        assert refused.value.key == key, vote
    with pytest.raises(BodyError) as refused:
        store.appoint_body(Body.SECRETARIAT, [names[0], names[0]], passed)
    assert refused.value.key == "duplicate_member"
    assert store.last_seq() == seq and store.bodies() == BodyBook()  # nothing written


def test_a_congress_of_all_members_refuses_a_credentials_committee(
    make_store: MakeStore, sqlite_url: str, congress_data: dict[str, Any]
) -> None:
    congress_data["congress"]["type"] = "general_members"
    store = make_store(sqlite_url)
    names = running(store)
    vote = decide(store, MotionKind.PROCEDURAL_BODY)
    with pytest.raises(BodyError) as refused:
        store.appoint_body(Body.CREDENTIALS_COMMITTEE, names[:3], vote)
    assert refused.value.key == "not_in_this_congress"
    store.appoint_body(Body.COUNTING_COMMITTEE, names[:3], vote)


def test_verify_replays_the_appointments(make_store: MakeStore, sqlite_url: str) -> None:
    """An appointment the store would have refused (here: citing a vote that did not pass),
    written straight into the chain, is named by verify."""
    store = make_store(sqlite_url)
    names = running(store)
    failed = decide(store, passed=False)
    store.appoint_body(Body.PRESIDIUM, names[:2], decide(store))
    assert store.verify() is None
    forged = bd.normalised(bd.appoint(Body.SECRETARIAT, names[2:4], failed, AT))
    seq = store.append_note(forged.KIND, forged.payload())
    problem = store.verify()
    assert problem is not None and problem.key == "replay_refused"
    assert problem.params["seq"] == seq and failed in str(problem.params["detail"])


# ----------------------------------------------------------------------------- the command


def test_cli_records_and_lists_the_bodies(
    make_store: MakeStore, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = make_store(sqlite_url)
    names = running(store)
    vote = decide(store)
    store.close()
    db = ["--db", sqlite_url]
    assert main(["--lang", "en", "bodies", *db]) == 0
    assert "No body of the congress recorded yet" in capsys.readouterr().out
    members = f"{names[0]}, {names[1]} ,{names[2]}"
    set_ = ["--lang", "en", "bodies", "set", "--body", "presidium", "--members", members]
    assert main([*set_, "--head", names[1], "--vote", vote, *db]) == 0
    assert f"Recorded Presidium: {names[0]}, {names[1]} (presiding), {names[2]}" in (
        capsys.readouterr().out
    )
    assert main([*set_, "--vote", "vote-99", *db]) == 1
    assert "There is no vote vote-99" in capsys.readouterr().err
    assert main(["--lang", "en", "bodies", "set", "--body", "presidium", *db]) == 1
    assert "needs --body, --members and --vote" in capsys.readouterr().err
    assert main(["bodies", "--json", *db]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["name"] for m in data[0]["members"]] == names[:3] and data[0]["current"]
    assert main(["bodies", *db]) == 0  # the congress's language
    out = capsys.readouterr().out
    assert f"Đoàn Chủ tịch: {names[0]}, {names[1]} (chủ trì)" in out and vote in out


# ----------------------------------------------------------------------------- the minutes


@pytest.fixture
def minuted(make_store: MakeStore, sqlite_url: str) -> tuple[Store, list[str], str, str]:
    """A presidium elected, then corrected by a second vote; a secretariat of one."""
    store = make_store(sqlite_url)
    names = running(store)
    first, second = decide(store), decide(store)
    store.appoint_body(Body.PRESIDIUM, names[:3], first, head=names[0])
    store.appoint_body(Body.PRESIDIUM, [names[0], names[1], names[5]], second, head=names[0])
    store.appoint_body(Body.SECRETARIAT, names[3:4], first)
    return store, names, first, second


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_minutes_list_the_bodies_and_the_votes_that_elected_them(
    minuted: tuple[Store, list[str], str, str], lang: str
) -> None:
    store, names, _, _ = minuted
    document = minutes_document(read_proceedings(store), lang)
    text = "\n".join(document.texts())
    head = "chủ trì" if lang == "vi" else "presiding"
    assert f"{names[0]} ({head}), {names[1]}, {names[5]}." in text  # the presidium now
    assert f": {names[0]} ({head}), {names[1]}, {names[2]}." in text  # the list it replaced
    if lang == "vi":
        assert "Đoàn Chủ tịch (3 đồng chí)" in text and "Đoàn Thư ký (1 đồng chí)" in text
        assert "biểu quyết số 2 ở mục VI (" in text and "Ban Kiểm phiếu: chưa ghi nhận." in text
        assert "Ban Thẩm tra tư cách đại biểu: chưa ghi nhận." in text
    else:
        assert "Presidium (3 members)" in text and "vote 2 of section VI (" in text
        assert "Counting committee: not recorded." in text
    assert "⟦" not in text
    signatures = next(b for b in document.blocks if isinstance(b, Signatures))
    assert [name for _, name in signatures.people] == [names[3], names[0]]


def test_the_export_holds_every_appointment(
    minuted: tuple[Store, list[str], str, str], tmp_path: Path
) -> None:
    store, names, first, second = minuted
    export(store, tmp_path / "out")
    data = json.loads((tmp_path / "out" / "proceedings.json").read_text(encoding="utf-8"))
    assert [(a["body"], a["vote"], a["current"]) for a in data["bodies"]] == [
        ("presidium", first, False), ("presidium", second, True), ("secretariat", first, True),
    ]  # fmt: skip
    assert data["bodies"][1]["members"][0] == {"name": names[0], "role": "head"}
    assert "(chủ trì)" in (tmp_path / "out" / "minutes.md").read_text(encoding="utf-8")


def test_no_body_recorded_is_said_once(make_store: MakeStore, sqlite_url: str) -> None:
    store = make_store(sqlite_url)
    running(store)
    text = "\n".join(minutes_document(read_proceedings(store), "en").texts())
    assert "are not recorded (presidium bodies set)" in text and "not recorded." not in text


# ----------------------------------------------------------------------------- the dialog


async def test_the_dialog_records_a_body(make_store: MakeStore, sqlite_url: str) -> None:
    from textual.widgets import Button, Input, Select

    from tui.app import make_app
    from tui.elections.bodies import BodiesDialog, open_bodies_dialog
    from tui.testing import settle

    store = make_store(sqlite_url)
    names = running(store)
    vote = decide(store)
    decide(store, MotionKind.AGENDA)  # not a vote on the bodies: not offered
    app = make_app(store)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        open_bodies_dialog(app.desk, app.push_screen)
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BodiesDialog)
        votes = dialog.query_one("#vote", Select)
        assert [v for _, v in votes._options] == [vote]
        dialog.query_one("#body", Select).value = "secretariat"
        await settle(pilot)
        dialog.query_one("#members", Input).value = f"{names[0]}, {names[0]}"
        dialog.query_one("#confirm", Button).press()
        await settle(pilot)
        assert app.screen is dialog and "twice" in str(dialog.query_one("#dialog-error").render())
        dialog.query_one("#members", Input).value = f"{names[0]}, {names[1]}"
        dialog.query_one("#head", Input).value = names[1]
        dialog.query_one("#confirm", Button).press()
        await settle(pilot)
        assert app.screen is not dialog
        secretariat = store.bodies().current(Body.SECRETARIAT)
        assert secretariat is not None and secretariat.signer == names[1]
        open_bodies_dialog(app.desk, app.push_screen)  # again: the secretariat's members filled in
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BodiesDialog)
        dialog.query_one("#body", Select).value = "secretariat"
        await settle(pilot)
        assert dialog.query_one("#members", Input).value == f"{names[0]}, {names[1]}"
        assert dialog.query_one("#head", Input).value == names[1]


async def test_without_a_vote_the_dialog_does_not_open(
    make_store: MakeStore, sqlite_url: str
) -> None:
    from tui.app import make_app
    from tui.elections.bodies import BodiesDialog, open_bodies_dialog
    from tui.testing import settle

    store = make_store(sqlite_url)
    running(store)
    app = make_app(store)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        open_bodies_dialog(app.desk, app.push_screen)
        await settle(pilot)
        assert not isinstance(app.screen, BodiesDialog)
