"""The whole demo congress driven through the Textual pilot, then exported (issue 5).

`presidium demo`'s congress (session/demo.py, presidium/demo.py `prepare_list`) with 40
delegates: 36 voting delegates, and the committee election `bch` created with the convening
committee's list (every eighth voting delegate: 5 names); its agenda is the Party agenda's two
sessions shortened to nine items (AGENDA). Through the pilot, as the presidium's desk would:

- the roll call: every voting delegate but three scanned in (scanner bursts), two guests, an
  alternate, a card scanned twice (yellow, nothing written), two exits (F3: exit mode) and one
  of them back (entry mode);
- the agenda (F7): every item started in turn, one skipped with a reason, the last one ended;
- show-of-hands votes on the vote screen (F8): two carried unanimously (F5, two tellers); one
  counted by sector with two tellers each (F3), passed with some against, announced (F6), then
  corrected (Ctrl+E) to a result that fails at exactly half the base;
- the committee election on the election screen (F9): the seats (4 for the 5 names), the list
  and the counting committee, each voted on the vote screen (F2 opens the vote), the box
  sealed, voting, 32 ballots counted one by one on the counting screen (F3), three of them
  invalid, the minutes signed and the result announced;
- F12: the proceedings exported from the app (with progress, checked against the database).

Then the export is checked against the database: the minutes PDF's text (every vote's counts and
verdict, the correction, the attendance, every elected name, the round's ballots and every
candidate's row, the final hash in every footer), proceedings.json against
docs/proceedings.schema.json and the store, the CSVs loaded and added up (attendance against the
scans, votes against the tallies, election results against the count), and `presidium verify
--export`.
"""

import asyncio
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader
from textual.pilot import Pilot
from textual.widgets import Input, Static

from db.store import ScanResult, Store
from presidium.cli import main
from presidium.demo import prepare_list
from session import elections as el
from session import i18n
from session.agenda import ItemStatus
from session.ballots import InvalidReason
from session.demo import DEMO_COMMITTEE, demo_congress, demo_register
from session.i18n import t
from session.quorum import Kind
from session.results import Outcome
from session.rollcall import Action, Mode, Reason
from session.tally import explain
from session.votes import Vote, VoteStatus, describe_counts
from tests.conftest import ROOT
from tests.harness.export_kit import load_csv
from tests.harness.screens import (
    answer_yes,
    confirm,
    count_round,
    enter_counts,
    export_to,
    select,
    step,
    take_vote,
)
from tui.app import PresidiumApp, make_app
from tui.forms import CorrectionDialog, ReasonDialog, TellerDialog
from tui.testing import press, settle, type_burst, wait_for

pytestmark = pytest.mark.slow

SIZE = (170, 55)
DELEGATES = 40
LANG = "vi"  # the demo congress's language, so the export's
SCHEMA = json.loads((ROOT / "docs" / "proceedings.schema.json").read_text(encoding="utf-8"))

# The roll call: 36 voting delegates summoned; 33 come, two go out and one comes back.
VOTERS, ABSENT, PRESENT = 36, 3, 32

# The agenda: the Party agenda's preparatory and official sessions, shortened to what this test
# does at each item (the standard one has 25 items and the app redraws it on every change).
AGENDA = {
    "sessions": [
        {"kind": "preparatory", "items": [
            {"key": "chao-co", "kind": "ceremony", "title": "Chào cờ", "start": "07:30",
             "duration": 5},
            {"key": "doan-chu-tich", "kind": "vote", "motion": "procedural_body", "duration": 15,
             "title": "Bầu Đoàn Chủ tịch, Đoàn Thư ký và Ban Thẩm tra tư cách đại biểu"},
            {"key": "chuong-trinh", "kind": "vote", "motion": "agenda", "duration": 5,
             "title": "Thông qua chương trình đại hội"},
        ]},
        {"kind": "official", "items": [
            {"key": "khai-mac", "kind": "procedural", "title": "Diễn văn khai mạc đại hội",
             "start": "08:00", "duration": 15},
            {"key": "bao-cao", "kind": "report", "title": "Trình bày báo cáo chính trị",
             "duration": 45},
            {"key": "bau-bch", "kind": "election", "title": "Bầu Ban Chấp hành khóa mới",
             "duration": 90},
            {"key": "phieu-bi-thu", "kind": "election", "title": "Lấy phiếu giới thiệu Bí thư",
             "duration": 30},
            {"key": "nghi-quyet", "kind": "vote", "motion": "resolution", "duration": 10,
             "title": "Thông qua Nghị quyết đại hội"},
            {"key": "be-mac", "kind": "ceremony", "title": "Bế mạc, chào cờ", "duration": 10},
        ]},
    ]
}  # fmt: skip
UNANIMOUS = ("doan-chu-tich", "nghi-quyet")
BY_SECTOR = {  # the tellers' counts per sector: (in favour, against, other opinion)
    "chuong-trinh": {"A": (10, 1, 1), "B": (9, 1, 0), "C": (9, 0, 0)},  # 28 of 32: passes
}
CORRECTED = "chuong-trinh"  # sector B's tellers read 10 against as in favour: exactly half
CORRECTION = ((18, 12, 1), "Khu B ghi nhầm 10 phiếu không tán thành vào cột tán thành")
SKIPPED = {"phieu-bi-thu": "Lấy phiếu giới thiệu Bí thư tại hội nghị Ban Chấp hành khóa mới"}
ELECTION_ITEM = "bau-bch"

# The election: 4 seats for the 5 names; base 36, so more than half is 19 votes. Each valid
# ballot strikes one name (keeps 4); strikes per ballot number give 26, 21, 28, 19, 22 votes:
# number 4 passes (19 × 2 = 38 > 36) but ranks 5th of 4 seats.
SEATS = 4
STRIKES = {1: 3, 2: 8, 3: 1, 4: 10, 5: 7}
VALID = sum(STRIKES.values())  # 29
MARKED = 2  # invalid: signed or marked (F3 on the counting screen)
ALL_STRUCK = "1-5"  # invalid by itself: every name struck on a list with surplus
COUNTERS = "Trần Kiểm, Lê Phiếu"


@dataclass
class Held:
    """The congress as driven, for the tests to check the database and the export against."""

    db: str
    out: Path
    posted: list[int] = field(default_factory=list)  # the card numbers scanned, in order
    scans: list[ScanResult] = field(default_factory=list)  # the app's result of each scan
    votes: dict[str, str] = field(default_factory=dict)  # agenda item -> its vote's id


# ----------------------------------------------------------------------------- driving


def valid_ballots() -> list[str]:
    """The valid ballots as the counter types them (the struck name), interleaved."""
    left = dict(STRIKES)
    ballots = []
    while any(left.values()):
        for number in left:
            if left[number]:
                ballots.append(str(number))
                left[number] -= 1
    return ballots


def expected_votes() -> dict[int, int]:
    """Votes per ballot number: the valid ballots less those striking the name."""
    return {number: VALID - n for number, n in STRIKES.items()}


KEY_OF = {"agenda": "f7", "vote": "f8", "election": "f9"}


async def go(app: PresidiumApp, pilot: Pilot[None], where: str) -> None:
    """Show the agenda, vote or election screen (from the roll call or another of them)."""
    screen = getattr(app, f"{where}_screen")
    if app.screen is not screen:
        await press(pilot, KEY_OF[where])
    assert app.screen is screen, app.screen


async def roll_call(app: PresidiumApp, pilot: Pilot[None], store: Store, held: Held) -> None:
    delegates = store.delegates()
    voters = [d for d in delegates if d.votes]
    assert len(voters) == VOTERS
    guests = [d for d in delegates if d.kind is Kind.GUEST]
    alternate = next(d for d in delegates if d.kind is Kind.ALTERNATE)

    async def scan(*numbers: int) -> None:
        for number in numbers:  # as fast as the scanners at the doors can type
            d = store.delegate(number)
            assert d is not None
            type_burst(app, store.card_code(number, d.card_issue))
            held.posted.append(number)
        await wait_for(pilot, lambda: len(held.scans) == len(held.posted), seconds=120)
        await settle(pilot)

    await scan(*[d.number for d in voters[:-ABSENT]], *[d.number for d in guests])
    await scan(alternate.number, voters[0].number)  # a card scanned again: yellow
    await press(pilot, "f3")
    assert app.mode is Mode.EXIT
    await scan(voters[1].number, voters[2].number)
    await press(pilot, "f3", "f3")
    assert app.mode is Mode.ENTRY
    await scan(voters[2].number)


async def unanimous(app: PresidiumApp, pilot: Pilot[None]) -> None:
    """On the vote screen: all present in favour, confirmed by two tellers."""
    for teller in ("Tổ 1", "Tổ 2"):
        await press(pilot, "f5")
        assert isinstance(app.screen, TellerDialog), app.screen
        app.screen.query_one("#teller", Input).value = teller
        await confirm(app, pilot)


async def by_sector(
    app: PresidiumApp, pilot: Pilot[None], counts: dict[str, tuple[int, int, int]]
) -> None:
    """On the vote screen: each sector counted by two tellers who agree."""
    for sector, figures in counts.items():
        for teller in ("Tổ 1", "Tổ 2"):
            await enter_counts(app, pilot, sector, teller, *figures)
            assert app.screen is app.vote_screen, app.screen


async def correct(app: PresidiumApp, pilot: Pilot[None]) -> None:
    """Ctrl+E on the announced vote: the corrected counts and the reason, confirmed."""
    await press(pilot, "ctrl+e")
    dialog = app.screen
    assert isinstance(dialog, CorrectionDialog), dialog
    counts, reason = CORRECTION
    for option, value in zip(("tan_thanh", "khong_tan_thanh", "y_kien_khac"), counts, strict=True):
        dialog.query_one(f"#count-{option}", Input).value = str(value)
    dialog.query_one("#reason", Input).value = reason
    await confirm(app, pilot)
    await answer_yes(app, pilot)
    assert app.screen is app.vote_screen


async def item_vote(
    app: PresidiumApp, pilot: Pilot[None], store: Store, item: str, held: Held
) -> None:
    """F8; F2 opens the running item's vote; the tellers count; F6 announces it."""
    await go(app, pilot, "vote")
    await press(pilot, "f2")
    vote = store.vote_book().active
    assert vote is not None and vote.item == item and vote.status is VoteStatus.OPEN
    assert vote.snapshot is not None and vote.snapshot.present == PRESENT
    held.votes[item] = vote.id
    if item in UNANIMOUS:
        await unanimous(app, pilot)
    else:
        await by_sector(app, pilot, BY_SECTOR[item])
    await press(pilot, "f6")
    await answer_yes(app, pilot)
    assert store.vote_book().get(vote.id).status is VoteStatus.PUBLISHED  # type: ignore[union-attr]
    if item == CORRECTED:
        await correct(app, pilot)


async def skip(app: PresidiumApp, pilot: Pilot[None], item: str, reason: str) -> None:
    await select(app, pilot, item)
    await press(pilot, "f4")
    assert isinstance(app.screen, ReasonDialog), app.screen
    app.screen.query_one("#reason", Input).value = reason
    await confirm(app, pilot)
    assert app.screen is app.agenda_screen


async def committee_election(app: PresidiumApp, pilot: Pilot[None], store: Store) -> None:
    """F9 on the running election item, from the seats to the announced result."""
    await go(app, pilot, "election")
    e = store.election_book().get(DEMO_COMMITTEE)
    assert e is not None and e.item == ELECTION_ITEM and len(e.on_list()) == SEATS + 1
    await take_vote(app, pilot, proposal=str(SEATS))  # the number of seats, put to the vote
    await step(app, pilot)  # ... and taken from it
    await take_vote(app, pilot)  # the list
    await step(app, pilot)
    await take_vote(app, pilot)  # the counting committee, from the register (not candidates:
    head, member = [d.number for d in store.delegates() if d.votes][1:3]  # every 8th is one)
    await step(app, pilot, head=str(head), members=str(member))
    await step(app, pilot)  # the box prepared
    await step(app, pilot, by=COUNTERS)  # inspected empty and sealed
    await step(app, pilot)  # voting opens: the attendance frozen
    await step(app, pilot, count=str(PRESENT))  # a ballot to each voter present
    await step(app, pilot)  # the box closed
    await step(app, pilot, returned=str(PRESENT))  # opened: every ballot came back
    await step(app, pilot, teams="A")
    await count_round(app, pilot, [*valid_ballots(), ALL_STRUCK], spoilt=MARKED)
    await step(app, pilot)  # the box counted
    await step(app, pilot, signers=COUNTERS)  # the counting minutes signed
    await step(app, pilot)  # the results announced


async def hold_congress(store: Store, held: Held) -> None:
    app = make_app(store, on_result=held.scans.append)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await roll_call(app, pilot, store, held)
        for s in store.agenda_state().items:
            await go(app, pilot, "agenda")
            if s.key in SKIPPED:
                await skip(app, pilot, s.key, SKIPPED[s.key])
                continue
            await select(app, pilot, s.key)
            await press(pilot, "f2")  # started; the one running ends at the same moment
            assert store.agenda_state().current == s.key
            if s.key in UNANIMOUS or s.key in BY_SECTOR:
                await item_vote(app, pilot, store, s.key, held)
            elif s.key == ELECTION_ITEM:
                await committee_election(app, pilot, store)
        await go(app, pilot, "agenda")
        await press(pilot, "f3")  # the last item ended: the congress is closed
        # F12: the proceedings written (with progress) and checked against the database
        dialog = await export_to(app, pilot, held.out)
        await wait_for(pilot, lambda: not dialog.running, seconds=120)
        said = dialog.query_one("#dialog-error", Static).content
        assert dialog.written == held.out.resolve(), said
        await press(pilot, "escape")


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> Held:
    """The demo congress as `presidium demo` builds it (presidium/demo.py), with AGENDA."""
    i18n.use("en")  # the desk's screens in English; the export in the congress's language
    folder = tmp_path_factory.mktemp("demo")
    congress = Held(str(folder / "congress.db"), folder / "proceedings")
    data = {**demo_congress(DELEGATES, date.today()), "agenda": AGENDA}
    with Store.create(congress.db, data, terminal="desk", operator="Thư ký") as store:
        store.import_register(demo_register(DELEGATES), source="demo")
        prepare_list(store)
        asyncio.run(hold_congress(store, congress))
    return congress


@pytest.fixture
def store(held: Held) -> Iterator[Store]:
    with Store.open(held.db) as opened:
        yield opened


# ----------------------------------------------------------------------------- reading


def flat(text: str) -> str:
    """NFC, and every run of white space (line and cell wrapping) one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def minutes_text(path: Path, final_hash: str) -> str:
    """The minutes' text without the page footers (the chain's final hash and "Trang x/y" on
    every page, checked here), so a sentence broken across pages reads whole."""
    pages = [unicodedata.normalize("NFC", p.extract_text()) for p in PdfReader(path).pages]
    assert len(pages) >= 2
    body = []
    for number, page in enumerate(pages, 1):
        footer = f"Trang {number}/{len(pages)}"
        lines = page.splitlines()
        assert final_hash in page.replace("\n", "") and footer in lines[-2:], number
        body += [x for x in lines if final_hash not in x and x.strip() != footer]
    return flat(" ".join(body))


def percent(votes: int, of: int) -> str:
    """'72,22 %': hundredths rounded half up, written the Vietnamese way."""
    hundredths = (votes * 20000 + of) // (2 * of)
    return f"{hundredths // 100},{hundredths % 100:02d} %"


def committee(store: Store) -> el.Election:
    found = store.election_book().get(DEMO_COMMITTEE)
    assert found is not None
    return found


def vote_of(store: Store, held: Held, item: str) -> Vote:
    found = store.vote_book().get(held.votes[item])
    assert found is not None and found.verdict is not None and found.tally is not None
    return found


def sector_totals(item: str) -> tuple[int, int, int]:
    counts = list(BY_SECTOR[item].values())
    return (sum(c[0] for c in counts), sum(c[1] for c in counts), sum(c[2] for c in counts))


# ----------------------------------------------------------------------------- the database


def test_the_congress_was_held_through_the_screens(held: Held, store: Store) -> None:
    assert store.verify() is None
    state = store.agenda_state()
    assert state.current is None
    assert [s.key for s in state.items if s.status is ItemStatus.SKIPPED] == list(SKIPPED)
    assert {s.status for s in state.items} == {ItemStatus.DONE, ItemStatus.SKIPPED}
    att = store.snapshot().verdict.attendance
    # guests: the two guests and the alternate (present, not voting)
    assert (att.summoned, att.base, att.present, att.guests) == (VOTERS, VOTERS, PRESENT, 3)

    book = store.vote_book()
    assert {v.status for v in book.votes} == {VoteStatus.PUBLISHED}
    assert len(book.votes) == len(UNANIMOUS) + len(BY_SECTOR) + 3  # seats, list, counters
    for item in UNANIMOUS:
        vote = vote_of(store, held, item)
        assert vote.tally.as_tuple() == (PRESENT, 0, 0) and vote.verdict.passed  # type: ignore[union-attr]
    counted, corrected = vote_of(store, held, CORRECTED).history
    assert counted.tally.as_tuple() == sector_totals(CORRECTED) == (28, 2, 1)
    assert counted.passed and counted.not_voting == 1  # 28 × 2 = 56 > 36
    assert corrected.tally.as_tuple() == CORRECTION[0]
    assert not corrected.passed and corrected.needed == 19  # 18 × 2 = 36: not more than half
    assert [c.reason for c in vote_of(store, held, CORRECTED).corrections] == [CORRECTION[1]]

    e = committee(store)
    r = e.current
    assert r.number == 1 and r.count is not None and e.seats == SEATS
    totals = r.count.totals()
    assert (totals.valid, totals.invalid_total) == (VALID, MARKED + 1)
    assert totals.invalid_by_reason() == {
        InvalidReason.SIGNED_OR_MARKED.value: MARKED,
        InvalidReason.ALL_STRUCK_WITH_SURPLUS.value: 1,
    }
    assert dict(enumerate(totals.votes, 1)) == expected_votes()
    out = el.outcome(e)
    assert out.step is el.Step.COMPLETE
    assert out.elected == tuple(r.ballot[n - 1] for n in (3, 1, 5, 2))  # by votes


# ----------------------------------------------------------------------------- minutes.pdf


def test_the_minutes_pdf_says_what_the_database_says(held: Held, store: Store) -> None:
    text = minutes_text(held.out / "minutes.pdf", store.events()[-1].hash)
    assert flat(store.congress.name) in text and "BIÊN BẢN ĐẠI HỘI" in text
    att = store.snapshot().verdict.attendance
    assert (att.present, att.summoned - att.present, att.guests) == (PRESENT, 4, 3)
    # At the opening and now: 2 invited guests; the alternate in the hall is no guest.
    assert "có mặt 32, vắng mặt 4; khách mời có mặt: 2." in text
    assert flat(t("proceedings.minutes.attendance.non_voting", LANG, count=1)) in text
    actions = [s.decision.action for s in held.scans]
    entries, exits = actions.count(Action.CHECK_IN), actions.count(Action.CHECK_OUT)
    assert (entries, exits) == (len(held.posted) - 3, 2)
    moves = t("proceedings.minutes.attendance.movements", LANG, entries=entries, exits=exits,
              corrections=0)  # fmt: skip
    assert flat(moves) in text
    for vote in store.vote_book().votes:
        assert vote.verdict is not None
        assert flat(vote.title) in text, vote.id
        assert flat(describe_counts(vote, LANG)) in text, vote.id
        assert flat(explain(vote.verdict, LANG)) in text, vote.id
    # the same, written out from what the tellers entered, not by the code that wrote the PDF
    assert "tán thành 32 · không tán thành 0 · ý kiến khác 0 · không biểu quyết 0" in text
    assert "tán thành 18 · không tán thành 12 · ý kiến khác 1 · không biểu quyết 1" in text
    assert "18 × 2 = 36" in text and "28 × 2 = 56 > 36" in text  # before the correction
    corrected = vote_of(store, held, CORRECTED)
    assert CORRECTION[1] in text and flat(explain(corrected.history[0], LANG)) in text
    for item, reason in SKIPPED.items():
        assert flat(reason) in text, item

    e = committee(store)
    out = el.outcome(e)
    assert len(out.elected) == SEATS
    for person in e.people(out.elected):
        assert flat(person.full_name) in text, person.full_name
    names = ", ".join(p.full_name for p in e.people(out.elected))
    assert flat(t("proceedings.minutes.election.elected", LANG, names=names)) in text
    ballots = t("proceedings.minutes.round.ballots", LANG, issued=PRESENT, returned=PRESENT,
                valid=VALID, invalid=MARKED + 1)  # fmt: skip
    assert flat(ballots) in text
    for reason, count in ((InvalidReason.ALL_STRUCK_WITH_SURPLUS, 1),
                          (InvalidReason.SIGNED_OR_MARKED, MARKED)):  # fmt: skip
        label = t(f"election.invalid.{reason.value}", LANG)
        assert flat(t("ballot_pdf.minutes.ballots.reason", LANG, reason=label, count=count)) in text
    result = e.result(1)
    assert result is not None
    for row in result.rows:  # each candidate's row of the results table, as counted
        votes = expected_votes()[row.number]
        assert row.votes == votes
        name = e.candidate(row.person).person.full_name  # type: ignore[union-attr]
        outcome = t(f"ballot_pdf.minutes.outcome.{row.outcome.value}", LANG)
        shares = f"{percent(votes, VOTERS)} {percent(votes, VALID)}"
        line = f"{row.number} {name} {votes} {shares} {outcome}"
        assert flat(line) in text, line


# ----------------------------------------------------------------------------- proceedings.json


def test_the_json_validates_against_its_schema_and_matches(held: Held, store: Store) -> None:
    data = json.loads((held.out / "proceedings.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert data["language"] == LANG and data["interim"] is False and data["open"] == []
    events = store.events()
    assert data["chain"] == {
        "events": len(events), "last_seq": events[-1].seq, "final_hash": events[-1].hash,
    }  # fmt: skip
    now = data["attendance"]["as_of"]
    assert (now["summoned"], now["present"], now["base"]) == (VOTERS, PRESENT, VOTERS)
    assert data["attendance"]["opening"]["present"] == PRESENT
    book = store.vote_book()
    assert [v["id"] for v in data["votes"]] == [v.id for v in book.votes]
    for mine, vote in zip(data["votes"], book.votes, strict=True):
        assert vote.verdict is not None and vote.tally is not None
        assert mine["status"] == "published" and mine["verdict"]["passed"] is vote.verdict.passed
        assert mine["verdict"]["text"] == explain(vote.verdict, LANG)
        counts = dict(zip((o.value for o in vote.options), vote.tally.as_tuple(), strict=True))
        assert mine["counts"] == counts, vote.id
    e = committee(store)
    (election,) = data["elections"]
    assert election["elected_names"] == [p.full_name for p in e.people(el.elected(e))]
    assert len(election["elected_names"]) == SEATS
    (round_,) = election["rounds"]
    check = round_["reconciliation"]
    assert (check["issued"], check["returned"], check["valid"], check["invalid"]) == (
        PRESENT, PRESENT, VALID, MARKED + 1,
    )  # fmt: skip
    assert check["problems"] == [] and check["kept"] == VALID * SEATS
    votes = {row["number"]: row["votes"] for row in round_["result"]["rows"]}
    assert votes == expected_votes() and round_["result"]["needed"] == 19


# ----------------------------------------------------------------------------- the CSVs


def test_attendance_csv_adds_up_to_the_scans(held: Held, store: Store) -> None:
    rows = load_csv(held.out / "attendance.csv")
    assert len(held.scans) == len(held.posted)  # every scan had its result on screen
    reasons = [s.decision.reason for s in held.scans]
    assert reasons.count(Reason.ALREADY_PRESENT) == 1 and reasons.count(Reason.EXIT_RECORDED) == 2
    written = [s for s in held.scans if s.decision.action is not None]
    assert len(written) == len(held.posted) - 1  # the card scanned twice wrote nothing
    assert len(rows) == len(written) == len(store.attendance_log(limit=10_000))
    assert sorted(int(r["seq"]) for r in rows) == sorted(s.seq or 0 for s in written)
    accepted = list(held.posted)
    accepted.remove(held.posted[0])  # one of the two scans of the first card
    assert [int(r["number"]) for r in rows] == sorted(accepted)
    assert {r["method"] for r in rows} == {"scan"}
    assert [r["action"] for r in rows].count(Action.CHECK_OUT.value) == 2
    inside: dict[int, bool] = {}
    for row in rows:  # by number, then in the log's order: replayed, who is in the hall now
        inside[int(row["number"])] = row["action"] == Action.CHECK_IN.value
    here = {n for n, yes in inside.items() if yes}
    assert here == {d.number for d in store.delegates() if d.present}
    assert len(here & {d.number for d in store.delegates() if d.votes}) == PRESENT


def test_votes_csv_adds_up(held: Held, store: Store) -> None:
    rows = load_csv(held.out / "votes.csv")
    book = store.vote_book()
    assert [r["vote"] for r in rows] == [v.id for v in book.votes]
    for row, vote in zip(rows, book.votes, strict=True):
        assert vote.verdict is not None and vote.tally is not None and vote.snapshot is not None
        counts = [int(row[k]) for k in ("yes", "no", "abstain", "not_voting")]
        assert tuple(counts[:3]) == vote.tally.as_tuple(), vote.id
        assert sum(counts) == int(row["present"]) == vote.snapshot.present == PRESENT, vote.id
        assert (int(row["base_adjusted"]), int(row["needed"])) == (VOTERS, vote.verdict.needed)
        assert (row["status"], row["passed"]) == ("published", str(vote.verdict.passed))
    by_item = {r["item"]: r for r in rows}
    assert set(by_item) == {*UNANIMOUS, CORRECTED, ELECTION_ITEM}
    fixed = by_item[CORRECTED]  # the count in force: the corrected one
    assert [fixed[k] for k in ("yes", "no", "abstain", "not_voting", "passed")] == [
        "18", "12", "1", "1", "False",
    ]  # fmt: skip
    assert (fixed["corrections"], fixed["correction_reasons"]) == ("1", CORRECTION[1])
    assert fixed["method"] == "corrected"
    assert [by_item[item]["method"] for item in UNANIMOUS] == ["unanimous"] * len(UNANIMOUS)


def test_election_results_csv_adds_up(held: Held, store: Store) -> None:
    rows = load_csv(held.out / "election_results.csv")
    e = committee(store)
    result = e.result(1)
    assert result is not None
    assert [r["person"] for r in rows] == [row.person for row in result.rows]
    assert {int(r["number"]): int(r["votes"]) for r in rows} == expected_votes()
    assert {(r["valid"], r["base"], r["seats"]) for r in rows} == {(f"{VALID}", "36", "4")}
    assert result.totals.valid == VALID
    assert sum(int(r["votes"]) for r in rows) == VALID * SEATS  # every valid ballot kept four
    winners = set(el.elected(e))
    assert [r["person"] for r in rows if r["elected"] == "True"] == [
        p for p in e.current.ballot if p in winners
    ]
    beyond = next(r for r in rows if r["number"] == "4")
    assert (beyond["votes"], beyond["passed"], beyond["elected"]) == ("19", "True", "False")
    assert beyond["outcome"] == Outcome.BEYOND_SEATS.value


def test_verify_proves_the_exported_folder(held: Held, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "verify", "--db", held.db, "--export", str(held.out)]) == 0
    assert "matches the database" in capsys.readouterr().out
