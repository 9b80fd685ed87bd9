"""Elections through the store (SQLite and PostgreSQL): cited votes checked, ballots only to
present voters, attendance frozen from the roll call, counting that survives SIGKILL."""

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from db.elections import ElectionStoreError
from db.store import Store
from session import elections as el
from session.agenda import ItemKind, MotionKind
from session.ballots import BallotInput, ElectionError
from session.candidates import delegate_person_id
from session.count import CountMode
from session.quorum import Kind
from session.roles import Role
from session.rollcall import Mode
from tests.harness.bch_election import E, counter_ids, election_ready_to_vote, list_approved
from tests.harness.elections_kit import people
from tests.harness.rollcall import admit_voters

MakeStore = Callable[..., Store]
ROOT = Path(__file__).resolve().parents[2]


def test_cited_vote_must_be_published_and_passed(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=30)
    admit_voters(store, 20)
    item = next(s.key for s in store.agenda_state().items if s.item.kind is ItemKind.ELECTION)
    store.start_item(item)
    ruleset = store.congress.rules.ruleset.value
    store.record_election(
        lambda b, now: el.create_election(
            E, item, el.ElectionKind.COMMITTEE, "Bầu BCH", ruleset, now
        )
    )
    draft = store.create_vote(item, motion=MotionKind.SEAT_COUNT)

    with pytest.raises(ElectionStoreError) as err:
        store.record_election(
            lambda b, now: el.SeatsSet(E, 3, el.SeatsSource.VOTE, draft.id, 0, "", now)
        )
    assert err.value.key == "vote_not_published"
    with pytest.raises(ElectionStoreError):
        store.record_election(
            lambda b, now: el.SeatsSet(E, 3, el.SeatsSource.VOTE, "vote-99", 0, "", now)
        )


def test_ballots_go_only_to_present_voters_once(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url, delegates=30)
    admitted = admit_voters(store, 20)
    election_ready_to_vote(store)

    election = store.open_election_voting(E, 1)
    assert election.current.snapshot is not None and election.current.snapshot.present == 20

    voter = admitted[0]
    store.issue_ballot(E, 1, "main", store.card_code(voter, 0))
    with pytest.raises(ElectionError):  # a second ballot to the same delegate
        store.issue_ballot(E, 1, "main", store.card_code(voter, 0))
    guest = next(d.number for d in store.delegates() if not d.votes)
    store.scan(store.card_code(guest, 0), Mode.ENTRY, "door-1")
    with pytest.raises(ElectionStoreError) as err:
        store.issue_ballot(E, 1, "main", store.card_code(guest, 0))
    assert err.value.key == "no_ballot_for"
    absent = next(d.number for d in store.delegates() if d.votes and not d.present)
    with pytest.raises(ElectionStoreError) as err:
        store.issue_ballot(E, 1, "main", store.card_code(absent, 0))
    assert err.value.key == "not_in_hall"
    assert store.verify() is None


@pytest.mark.slow
def test_sigkill_mid_counting_resumes_with_every_ballot_once(
    make_store: MakeStore, sqlite_url: str
) -> None:
    store = make_store(sqlite_url, delegates=40)
    admit_voters(store, 30)
    election_ready_to_vote(store)
    store.open_election_voting(E, 1)
    store.record_election(lambda b, now: el.BallotsIssued(E, 1, "main", 30, "", now))
    store.record_election(lambda b, now: el.BoxClosed(E, 1, "main", now))
    store.record_election(lambda b, now: el.BoxOpened(E, 1, "main", 30, ("k1", "k2"), now))
    store.record_election(lambda b, now: el.CountingStarted(E, 1, CountMode.BALLOTS, ("A",), now))
    store.close()
    script = textwrap.dedent(f"""
        from db.store import Store
        from session.ballots import BallotInput
        store = Store.open({sqlite_url!r}, terminal="counting")
        for i in range(1000):
            store.enter_ballot({E!r}, 1, "A", "main", BallotInput.struck(1 + i % 4))
            print("ENTERED", i + 1, flush=True)
    """)
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    acknowledged = 0
    while acknowledged < 12:
        acknowledged = int(proc.stdout.readline().split()[1])
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()

    with Store.open(sqlite_url) as reopened:
        count = reopened.election_book().get(E).current.count  # type: ignore[union-attr]
        assert count is not None
        entered = count.team("A").ballots
        assert len(entered) >= acknowledged
        assert [b.seq for b in entered] == list(range(1, len(entered) + 1))  # each once, in order
        resumed = reopened.enter_ballot(E, 1, "A", "main", BallotInput.struck(2))
        assert len(resumed.current.count.team("A").ballots) == len(entered) + 1  # type: ignore[union-attr]
        assert reopened.verify() is None


def test_cli_ballots_and_results_json(
    make_store: MakeStore, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from pypdf import PdfReader

    from presidium.cli import main

    store = make_store(sqlite_url, delegates=30)
    admit_voters(store, 20)
    election_ready_to_vote(store)
    store.close()
    out = Path(sqlite_url).with_name("ballots.pdf")
    capsys.readouterr()

    assert (
        main(["--lang", "en", "ballots", "--election", E, "--db", sqlite_url, "--out", str(out)])
        == 0
    )
    assert "26 ballot(s) for round 1" in capsys.readouterr().out  # 20 present + 5, made even
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    for person in people(4):
        assert person.given in text
    assert main(["ballots", "--election", "nope", "--db", sqlite_url, "--out", str(out)]) == 1

    capsys.readouterr()
    assert main(["results", "--db", sqlite_url, "--json"]) == 0
    elections = json.loads(capsys.readouterr().out)["elections"]
    assert [e["id"] for e in elections] == [E]
    assert elections[0]["rounds"][0]["number"] == 1


def test_candidates_import_from_file_all_or_nothing(
    make_store: MakeStore, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from presidium.cli import main

    make_store(sqlite_url, delegates=30).close()
    good = tmp_path / "ung-cu.csv"
    good.write_text(
        "STT,Số đại biểu,Họ và tên,Ngày sinh\n1,2,,\n2,3,,\n3,,Phạm Thị Ngọc Ánh,12/03/1975\n",
        encoding="utf-8",
    )
    bad = tmp_path / "sai.csv"
    bad.write_text(
        "Số đại biểu,Họ và tên,Ngày sinh\n2,,\n99999,,\n,Lê Văn Tám,31/02/1970\n,,\n",
        encoding="utf-8",
    )
    capsys.readouterr()

    assert main(["--lang", "en", "candidates", "import", str(bad), "--election", "committee",
                 "--db", sqlite_url]) == 1  # fmt: skip
    assert "line 4" in capsys.readouterr().err  # the bad date; nothing imported
    with Store.open(sqlite_url) as store:
        assert store.election_book().get("committee") is None

    assert main(["--lang", "en", "candidates", "import", str(good), "--election", "committee",
                 "--db", sqlite_url]) == 0  # fmt: skip
    assert "3 candidate(s) added to committee (0 already" in capsys.readouterr().out
    assert main(["--lang", "en", "candidates", "import", str(good), "--election", "committee",
                 "--db", sqlite_url]) == 0  # fmt: skip
    assert "0 candidate(s) added to committee (3 already" in capsys.readouterr().out
    with Store.open(sqlite_url) as store:
        election = store.election_book().get("committee")
        assert election is not None and election.kind is el.ElectionKind.COMMITTEE
        names = sorted(c.person.full_name for c in election.candidates)
        assert "Phạm Thị Ngọc Ánh" in names and store.delegate(2).full_name in names  # type: ignore[union-attr]
        assert store.verify() is None
    assert main(["candidates", "import", str(good), "--election", "nope", "--db", sqlite_url]) == 1
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("Số đại biểu\n2\n90001\n90002\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--lang", "en", "candidates", "import", str(unknown), "--election",
                 "committee", "--db", sqlite_url]) == 1  # fmt: skip
    assert "line(s): 3 (90001), 4 (90002)" in capsys.readouterr().err


def test_cli_counting_minutes(
    make_store: MakeStore, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfReader

    from presidium.cli import main

    store = make_store(sqlite_url, delegates=30)
    admit_voters(store, 20)
    election_ready_to_vote(store)
    store.open_election_voting(E, 1)
    store.record_election(lambda b, now: el.BallotsIssued(E, 1, "main", 20, "", now))
    store.record_election(lambda b, now: el.BoxClosed(E, 1, "main", now))
    store.record_election(lambda b, now: el.BoxOpened(E, 1, "main", 20, ("k1", "k2"), now))
    store.record_election(lambda b, now: el.CountingStarted(E, 1, CountMode.BALLOTS, ("A",), now))
    for i in range(20):
        store.enter_ballot(E, 1, "A", "main", BallotInput.struck(1 + i % 4))
    store.close()
    out = Path(sqlite_url).with_name("minutes.pdf")
    capsys.readouterr()

    assert main(["--lang", "en", "counting-minutes", "--election", E, "--db", sqlite_url,
                 "--out", str(out)]) == 0  # fmt: skip

    assert "round 1" in capsys.readouterr().out
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Bầu BCH" in text and "20" in text


def test_the_counting_committee_is_chosen_from_the_official_delegates(
    make_store: MakeStore, db_url: str
) -> None:
    store = make_store(db_url, delegates=30)
    admit_voters(store, 20)
    vote = list_approved(store)
    head, member = counter_ids(store)
    guest = next(d for d in store.delegates() if d.kind is Kind.GUEST)
    candidate = people(4)[1]  # delegate 2 on the register, listed as p002

    def appoint(*members: str) -> el.Election:
        return store.record_election(
            lambda b, now: el.CountersAppointed(E, members[0], members, vote, now)
        )

    for members, key, shown in [
        (("Trần Kiểm", head), "counter_not_delegate", "«Trần Kiểm»"),  # free text, as before
        ((head, "d99999"), "counter_not_delegate", "«d99999»"),  # no such delegate
        ((head, delegate_person_id(guest.number)), "counter_not_official", guest.full_name),
    ]:
        seq = store.last_seq()
        with pytest.raises(ElectionStoreError) as err:
            appoint(*members)
        assert (err.value.key, store.last_seq()) == (key, seq)
        assert shown in str(err.value)
    with pytest.raises(ElectionError) as err:  # the reducer: a candidate, by delegate number
        appoint(head, delegate_person_id(2))
    assert err.value.key == "counter_is_candidate"
    assert candidate.full_name in str(err.value) and "Bầu BCH" in str(err.value)
    appointed = appoint(head, member)
    assert appointed.committee is not None and appointed.committee.members == (head, member)
    names = store.person_names()
    assert len(names) == len(store.delegates())
    assert names[head] == next(
        d.full_name for d in store.delegates() if head.endswith(f"{d.number:05d}")
    )
    assert store.verify() is None


def test_a_box_holds_no_more_entries_than_found_and_a_void_is_replayed(
    make_store: MakeStore, db_url: str, tmp_path: Path
) -> None:
    """The 7th ballot of a box opened with 6 found is refused; the counting room voids a wrong
    entry (with its reason) and enters the 6th; the log verifies and replays to the same book,
    and the counting minutes name the committee and list the voided entry."""
    from pypdf import PdfReader

    from printouts.counting_minutes import write_counting_minutes

    store = make_store(db_url, delegates=30)
    admit_voters(store, 20)
    election_ready_to_vote(store)
    store.open_election_voting(E, 1)
    store.record_election(lambda b, now: el.BallotsIssued(E, 1, "main", 6, "", now))
    store.record_election(lambda b, now: el.BoxClosed(E, 1, "main", now))
    store.record_election(lambda b, now: el.BoxOpened(E, 1, "main", 6, ("k1", "k2"), now))
    store.record_election(lambda b, now: el.CountingStarted(E, 1, CountMode.BALLOTS, ("A",), now))
    for i in range(6):
        store.enter_ballot(E, 1, "A", "main", BallotInput.struck(1 + i % 4))
    seq = store.last_seq()
    with pytest.raises(ElectionError) as err:
        store.enter_ballot(E, 1, "A", "main", BallotInput.struck(2))
    assert err.value.key == "box_full" and store.last_seq() == seq
    assert "6 ballots were found and team A has entered 6" in str(err.value)
    store.act_as(Role.COUNTING, "Tổ kiểm phiếu A")  # the counting room may void
    with pytest.raises(ElectionError) as err:
        store.record_election(lambda b, now: el.BallotVoided(E, 1, "A", 2, "  ", now))
    assert err.value.key == "reason_required"
    store.record_election(lambda b, now: el.BallotVoided(E, 1, "A", 2, "phiếu nhập hai lần", now))
    election = store.enter_ballot(E, 1, "A", "main", BallotInput.struck(4))
    store.act_as(Role.OPERATOR)
    store.record_election(lambda b, now: el.BoxCounted(E, 1, "main", now))
    count = election.current.count
    assert count is not None and [b.seq for b in count.team("A").ballots] == list(range(1, 8))
    assert count.team("A").ballots[1].voided and count.standing("A", "main") == 6
    assert store.verify() is None
    with Store.open(db_url) as fresh:
        assert fresh.election_book() == store.election_book()
    out = tmp_path / "minutes.pdf"
    book = store.election_book().get(E)
    assert book is not None
    write_counting_minutes(out, store.congress, book, 1, names=store.person_names())
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    head = store.person_names()[book.committee.head]  # type: ignore[union-attr]
    assert head in text and "d000" not in text  # the committee by name, never by id
    assert "phiếu nhập hai lần" in text and "hủy bỏ, không tính" in text
