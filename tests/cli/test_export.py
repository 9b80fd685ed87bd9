"""`presidium export` (printouts/export.py, session/proceedings.py): a whole congress driven
through the Store, exported, and every file checked against the database: the proceedings model,
the JSON against its schema, the CSVs loaded and added up, byte-identical re-exports (also as of
an earlier time, after the congress went on), the same export from PostgreSQL, atomic writing,
and both languages complete."""

import csv
import hashlib
import io
import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from db.store import Store
from presidium.cli import main
from printouts.export import (
    FILES,
    SUMS,
    ExportError,
    ExportFailed,
    export,
    parse_as_of,
    read_proceedings,
    run_export,
)
from printouts.minutes import minutes_document
from session import i18n
from session.bodies import Body
from session.demo import demo_register
from session.i18n import catalog, t
from session.proceedings import OpenKind, events_until
from session.quorum import Kind, Status
from session.roles import Role
from session.rollcall import Mode
from session.votes import VoteStatus
from tests.conftest import EXAMPLES, ROOT
from tests.harness.export_kit import (
    CARD_KEY,
    FIX_REASON,
    VOID_REASON,
    Clock,
    Congress,
    admit,
    afternoon,
    hold,
    load_csv,
    morning,
    new_store,
    run_congress,
)

SCHEMA = json.loads((ROOT / "docs" / "proceedings.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Congress]:
    return hold(tmp_path_factory)


@pytest.fixture(scope="module")
def exported(held: tuple[str, Congress], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "vi"
    with Store.open(held[0]) as store:
        export(store, out)
    return out


def load_json(folder: Path) -> dict[str, object]:
    return json.loads((folder / "proceedings.json").read_text(encoding="utf-8"))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ----------------------------------------------------------------------------- the model


def test_proceedings_tell_what_happened(held: tuple[str, Congress]) -> None:
    path, c = held
    with Store.open(path) as store:
        p = read_proceedings(store)
        assert p.last_seq == store.last_seq() and p.final_hash == store.events()[-1].hash
    assert not p.interim and p.open == () and p.closed_at is not None
    assert p.opening is not None and p.opening.verdict.attendance.present == 20
    att = p.now.verdict.attendance
    assert (att.summoned, att.base, att.present, att.absent_whole) == (28, 27, 20, 1)
    assert p.present == frozenset(c.voters)
    assert p.status_of(c.absent)[1] == "ốm nằm viện"
    corrected = p.votes.get(c.corrected_vote)
    assert corrected is not None and corrected.tally is not None
    assert corrected.tally.as_tuple() == (19, 1, 0) and corrected.corrections[0].before.yes == 18
    cancelled = p.votes.get(c.cancelled_vote)
    assert cancelled is not None and cancelled.status is VoteStatus.CANCELLED
    assert [p.elections.get("bch").rounds[0].status.value] == ["announced"]  # type: ignore[union-attr]
    credentials = p.delegate_statistics("vi")
    assert credentials.total == 28  # voting delegates; guests and alternates are not
    presidium = p.bodies.current(Body.PRESIDIUM)
    assert presidium is not None and len(presidium.members) == 3 and presidium.head is not None
    assert [a.body for a in p.bodies.bodies] == [
        Body.PRESIDIUM, Body.SECRETARIAT, Body.CREDENTIALS_COMMITTEE,
    ]  # fmt: skip


def test_an_earlier_moment_is_an_interim_report(held: tuple[str, Congress]) -> None:
    path, c = held
    with Store.open(path) as store:
        p = read_proceedings(store, c.interim_at)
        all_events = store.events()
    assert p.interim and p.as_of == c.interim_at
    assert all(e.at <= c.interim_at.isoformat() for e in p.events)
    assert p.events == tuple(all_events[: len(p.events)])  # a prefix of the chain
    kinds = {m.kind for m in p.open}
    assert kinds == {OpenKind.AGENDA_ITEM}  # items 10 (running) to 25; no vote left open
    assert p.open[0].ref == "item-10" and p.open[0].status == "running"
    assert p.elections.elections == () and p.closed_at is None


def test_as_of_without_offset_is_congress_local_time() -> None:
    from zoneinfo import ZoneInfo

    at = parse_as_of("2025-06-20T08:29", ZoneInfo("Asia/Ho_Chi_Minh"))
    assert at.utcoffset() is not None and at.isoformat() == "2025-06-20T08:29:00+07:00"
    with pytest.raises(ExportError):
        parse_as_of("noon", ZoneInfo("UTC"))


def test_events_until_stops_at_the_first_later_event(held: tuple[str, Congress]) -> None:
    with Store.open(held[0]) as store:
        events = store.events()
    cut = events_until(events, held[1].interim_at)
    assert 0 < len(cut) < len(events) and events[len(cut)].at > held[1].interim_at.isoformat()


# ----------------------------------------------------------------------------- the files


def test_every_file_is_written_and_summed(exported: Path) -> None:
    assert sorted(p.name for p in exported.iterdir()) == sorted([*FILES, SUMS])
    lines = (exported / SUMS).read_text(encoding="utf-8").splitlines()
    assert [line.split("  ")[1] for line in lines] == sorted(FILES)  # sha256sum -c format
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((exported / name).read_bytes()).hexdigest() == digest


def test_a_second_export_is_byte_identical(
    held: tuple[str, Congress], exported: Path, tmp_path: Path
) -> None:
    i18n.use("en")  # the process language must not leak into a Vietnamese export
    with Store.open(held[0]) as store:
        export(store, tmp_path / "again")
    assert tree(tmp_path / "again") == tree(exported)


def test_audit_log_is_the_chain_as_stored(held: tuple[str, Congress], exported: Path) -> None:
    from session.audit import StoredEvent, first_break

    rows = [json.loads(line) for line in (exported / "audit-log.jsonl").read_text().splitlines()]
    with Store.open(held[0]) as store:
        stored = store.events()
    events = [StoredEvent(**row) for row in rows]
    assert events == stored and first_break(events) is None
    assert load_json(exported)["chain"] == {  # type: ignore[comparison-overlap]
        "events": len(stored), "last_seq": stored[-1].seq, "final_hash": stored[-1].hash,
    }  # fmt: skip


def test_json_validates_against_the_documented_schema(
    held: tuple[str, Congress], exported: Path, tmp_path: Path
) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    with Store.open(held[0]) as store:
        export(store, tmp_path / "noon", as_of=held[1].interim_at, lang="en")
    for folder in (exported, tmp_path / "noon"):
        data = load_json(folder)
        jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
        assert data["schema_version"] == 3
    assert load_json(tmp_path / "noon")["interim"] is True
    documented = (ROOT / "docs" / "proceedings.md").read_text(encoding="utf-8")
    for key in SCHEMA["required"]:
        assert f"`{key}`" in documented, key
    broken = load_json(exported) | {"schema_version": 2}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_json_matches_the_database(held: tuple[str, Congress], exported: Path) -> None:
    from printouts.report import results_json

    data = load_json(exported)
    with Store.open(held[0]) as store:
        results = json.loads(json.dumps(results_json(store), ensure_ascii=False))
        assert data["congress"]["name"] == store.congress.name  # type: ignore[index]
    published = [v for v in data["votes"] if v["status"] == "published"]  # type: ignore[union-attr]
    for mine, theirs in zip(published, results["votes"], strict=True):
        for key in ("id", "counts", "rule", "snapshot", "not_voting", "corrections"):
            if key == "corrections":
                assert [c["reason"] for c in mine[key]] == [c["reason"] for c in theirs[key]]
            else:
                assert mine[key] == theirs[key], key
        assert mine["verdict"]["passed"] == theirs["verdict"]["passed"]
    assert [e["rounds"] for e in data["elections"]] == [  # type: ignore[union-attr]
        e["rounds"] for e in results["elections"]
    ]
    assert data["elections"][0]["elected_names"] == [  # type: ignore[index]
        "Trần Văn Hải", "Lê Văn Mai", "Phạm Văn Quang",
    ]  # fmt: skip


def test_attendance_csv_adds_up_to_who_is_present(
    held: tuple[str, Congress], exported: Path
) -> None:
    rows = load_csv(exported / "attendance.csv")
    present: dict[int, bool] = {}
    for row in rows:  # by number, then in log order: replaying them gives who is in the hall
        present[int(row["number"])] = row["action"] == "check_in"
        assert row["station"] in ("cửa-chính", "cửa-phụ") and row["at"].endswith("+07:00")
    inside = {n for n, here in present.items() if here}
    data = load_json(exported)
    assert inside == {d["number"] for d in data["delegates"] if d["present"]}  # type: ignore[union-attr]
    voting = {d["number"] for d in data["delegates"] if d["kind"] in ("official", "ex_officio")}  # type: ignore[union-attr]
    assert len(inside & voting) == data["attendance"]["as_of"]["present"] == 20  # type: ignore[index]
    corrections = [r for r in rows if r["method"] == "correction"]
    assert len(corrections) == 1 and corrections[0]["reverses"] and corrections[0]["reason"]


def test_votes_csv_adds_up(held: tuple[str, Congress], exported: Path) -> None:
    rows = load_csv(exported / "votes.csv")
    with Store.open(held[0]) as store:
        book = store.vote_book()
    assert [r["vote"] for r in rows] == [v.id for v in book.votes]
    for row, vote in zip(rows, book.votes, strict=True):
        assert row["status"] == vote.status.value
        if vote.verdict is None:
            assert row["yes"] == "" and row["passed"] == ""
            continue
        counts = [int(row[k]) for k in ("yes", "no", "abstain", "not_voting")]
        assert sum(counts) == int(row["present"]) == vote.snapshot.present  # type: ignore[union-attr]
        assert tuple(counts[:3]) == vote.verdict.tally.as_tuple()
        assert row["passed"] == str(vote.verdict.passed)
        assert int(row["needed"]) == vote.verdict.needed
    corrected = next(r for r in rows if r["vote"] == held[1].corrected_vote)
    assert (corrected["method"], corrected["corrections"]) == ("corrected", "1")
    assert corrected["correction_reasons"] == "Tổ 2 đếm sót khu C"


def test_election_results_csv_adds_up(held: tuple[str, Congress], exported: Path) -> None:
    rows = load_csv(exported / "election_results.csv")
    assert [r["person"] for r in rows] == ["p001", "p002", "p003", "p004"]
    assert [int(r["votes"]) for r in rows] == [20, 17, 17, 6]
    valid = int(rows[0]["valid"])
    assert sum(int(r["votes"]) for r in rows) <= valid * int(rows[0]["seats"])
    assert all(int(r["votes"]) <= valid for r in rows)
    assert [r["person"] for r in rows if r["elected"] == "True"] == held[1].elected


def test_voided_and_corrected_entries_are_exported_and_in_the_minutes(
    held: tuple[str, Congress], exported: Path
) -> None:
    """The count's trace (a voided entry, a corrected one) is in the JSON and the minutes, and
    the counting committee (recorded as delegates' ids) is named in the minutes."""
    (r1,) = load_json(exported)["elections"][0]["rounds"]  # type: ignore[index]
    assert [(v["team"], v["seq"], v["box"], v["ballot"]["numbers"], v["reason"])
            for v in r1["voided"]] == [("A", 1, "main", [1], VOID_REASON)]  # fmt: skip
    assert [(c["seq"], c["before"]["numbers"], c["after"]["numbers"], c["reason"])
            for c in r1["corrections"]] == [(2, [1], [4], FIX_REASON)]  # fmt: skip
    assert r1["reconciliation"]["valid"] == 20  # the voided entry counts nowhere
    with Store.open(held[0]) as store:
        names = store.person_names()
        committee = store.election_book().get("bch").committee  # type: ignore[union-attr]
        flat = " ".join(minutes_document(read_proceedings(store), "vi").texts())
    assert committee is not None and committee.head.startswith("d")
    assert f"Ban kiểm phiếu: {names[committee.head]} (trưởng ban)" in flat
    assert "Tổ A, phiếu nhập thứ 1 (hòm phiếu main): đã nhập là gạch tên: 1, hủy bỏ lúc " in flat
    assert f"Lý do: {VOID_REASON}" in flat
    assert (
        "phiếu nhập thứ 2 (hòm phiếu main): đã nhập là gạch tên: 1, sửa thành gạch tên: 4" in flat
    )


# ----------------------------------------------------------------------------- as of a time


def test_an_interim_export_is_reproduced_after_the_congress_went_on(tmp_path: Path) -> None:
    path = str(tmp_path / "congress.db")
    with new_store(path) as store:
        morning(store)
        noon = export(store, tmp_path / "noon")  # the export made at noon
        afternoon(store)
        export(store, tmp_path / "later", as_of=noon.as_of)  # made in the evening, as of noon
        final = export(store, tmp_path / "final")
    assert noon.interim and not final.interim
    assert tree(tmp_path / "later") == tree(tmp_path / "noon")
    assert tree(tmp_path / "final") != tree(tmp_path / "noon")


@pytest.mark.pg
def test_postgresql_gives_the_same_export_as_sqlite(
    make_store: Callable[..., Store], pg_url: str, exported: Path, tmp_path: Path
) -> None:
    store = make_store(pg_url, delegates=30, clock=Clock(), card_key=CARD_KEY)
    run_congress(store)
    export(store, tmp_path / "pg")
    assert store.verify() is None
    assert tree(tmp_path / "pg") == tree(exported)


# ----------------------------------------------------------------------------- the folder


def test_an_existing_folder_is_refused_unless_forced(
    held: tuple[str, Congress], tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    out = tmp_path / "out"
    with Store.open(held[0]) as store:
        export(store, out)
        (out / "notes.txt").write_text("added later")
        with pytest.raises(ExportError) as err:
            export(store, out)
        assert err.value.key == "not_empty" and (out / "notes.txt").exists()
        with pytest.raises(ExportError) as err:  # a file it did not write is never deleted
            export(store, out, force=True)
        assert err.value.key == "foreign_files" and "notes.txt" in str(err.value)
        (out / "notes.txt").unlink()
        export(store, out, force=True)  # an earlier export is replaced whole
        with pytest.raises(ExportError) as err:
            export(store, mine, force=True)  # any other folder never is
        assert err.value.key == "not_an_export" and (mine / "notes.txt").exists()
        (mine / SUMS).write_text("")  # (issue 13, finding 7: this was enough to delete it)
        with pytest.raises(ExportError) as err:
            export(store, mine, force=True)
        assert err.value.key == "foreign_files" and (mine / "notes.txt").exists()
        (mine / "notes.txt").unlink()
        with pytest.raises(ExportError) as err:  # SHA256SUMS alone: no export of this congress
            export(store, mine, force=True)
        assert err.value.key == "other_congress" and (mine / SUMS).exists()
        (tmp_path / "file").write_text("x")
        with pytest.raises(ExportError):
            export(store, tmp_path / "file")
        empty = tmp_path / "empty"
        empty.mkdir()
        told: list[tuple[int, int]] = []
        export(store, empty, progress=lambda done, total: told.append((done, total)))
    assert told == [(n, 10) for n in range(1, 11)]  # an empty folder is fine; one step a file
    assert (out / SUMS).exists()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["empty", "file", "mine", "out"]  # no temporary folder left


def test_force_replaces_only_an_export_of_this_congress(
    held: tuple[str, Congress], tmp_path: Path, sqlite_url: str
) -> None:
    data = tomllib.loads((EXAMPLES / "congress.toml").read_text(encoding="utf-8"))
    data["congress"]["name"] += " (another)"  # (the same file and clock make the same first event)
    with Store.create(sqlite_url, data, clock=Clock()) as other:
        other.import_register(demo_register(30), source="test")
        export(other, tmp_path / "out")
    with Store.open(held[0]) as store, pytest.raises(ExportError) as err:
        export(store, tmp_path / "out", force=True)
    assert err.value.key == "other_congress"
    assert (tmp_path / "out" / "audit-log.jsonl").read_bytes().count(b"\n") < 10  # untouched


def test_a_failed_export_leaves_nothing(tmp_path: Path) -> None:
    from dataclasses import replace

    path = str(tmp_path / "congress.db")
    with new_store(path) as store:
        record = replace(demo_register(30)[4], full_name="Nguyễn Văn 李")
        store.import_register([*demo_register(30)[:4], record, *demo_register(30)[5:]])
        store.set_status(5, Status.ABSENT_WHOLE, "ốm")  # the absent are named in the minutes
        with pytest.raises(ExportFailed, match="U\\+674E"):
            run_export(store, tmp_path / "out", None, None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["congress.db"]


def test_cli_export_then_verify(
    held: tuple[str, Congress], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    at = held[1].interim_at.isoformat()
    assert main(["--lang", "en", "export", "--db", held[0], "--out", str(out), "--as-of", at]) == 0
    printed = capsys.readouterr().out
    assert "written to" in printed and "Interim report: 16 matter(s)" in printed
    assert main(["--lang", "en", "verify", "--db", held[0], "--export", str(out)]) == 0
    assert "matches the database: 10 files" in capsys.readouterr().out
    assert main(["--lang", "en", "export", "--db", held[0], "--out", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["export", "--db", held[0], "--out", str(tmp_path / "x"), "--as-of", "?"]) == 1
    early = ["--lang", "en", "export", "--db", held[0], "--out", str(tmp_path / "y"),
             "--as-of", "2025-01-01T00:00"]  # fmt: skip
    assert main(early) == 1 and "nothing to export" in capsys.readouterr().err
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


# ----------------------------------------------------------------------------- languages


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_minutes_are_complete_in_both_languages(held: tuple[str, Congress], lang: str) -> None:
    with Store.open(held[0]) as store:
        documents = [
            minutes_document(read_proceedings(store, at), lang) for at in (None, held[1].interim_at)
        ]
    for document in documents:
        texts = list(document.texts())
        assert not [x for x in texts if "⟦" in x], "untranslated key"
        assert not [x for x in texts if re.search(r"\{[a-z_]+\}", x)], "unfilled placeholder"
        flat = " ".join(texts)
        if lang == "vi":
            assert "ngày 20 tháng 6 năm 2025" in flat and "20/06/2025" in flat
            assert "74,07 %" in flat and "BIÊN BẢN ĐẠI HỘI" in flat
        else:
            assert "2025-06-20" in flat and "74.07 %" in flat and "MINUTES OF THE CONGRESS" in flat
            assert "ngày" not in flat and "Kết luận" not in flat and "Trúng cử" not in flat


def test_every_proceedings_key_exists_in_both_catalogs() -> None:
    sources = ["session/proceedings.py", "printouts/minutes.py", "printouts/minutes_elections.py",
               "printouts/export.py", "db/backup.py", "printouts/minutes_text.py"]  # fmt: skip
    literal, prefixes = set(), set()
    for source in sources:
        text = (ROOT / source).read_text(encoding="utf-8")
        literal |= set(re.findall(r'"(proceedings\.[a-z_.]+[a-z_])"', text))
        prefixes |= set(re.findall(r'f"(proceedings\.[a-z_.]+\.)\{', text))
    literal.discard("proceedings.json")  # a file name, not a key
    assert len(literal) > 50 and prefixes
    for lang in ("vi", "en"):
        known = catalog(lang)
        assert sorted(k for k in literal if k not in known) == [], lang
        assert sorted(p for p in prefixes if not any(k.startswith(p) for k in known)) == []
    for key in ("level", "type", "open"):  # every value of the enums behind them
        assert {k for k in catalog("vi") if k.startswith(f"proceedings.{key}.")} == {
            k for k in catalog("en") if k.startswith(f"proceedings.{key}.")
        }
    for kind in Kind:
        assert f"kind.{kind.value}" in catalog("vi")


def test_headcounts_agree_with_the_roll_call(tmp_path: Path) -> None:
    """The proceedings count attendance from the log the way the store counts its table, also
    once an alternate is seated in place of an official absent for the whole congress."""
    from session.rollcall import Mode

    with new_store(str(tmp_path / "congress.db")) as store:
        run_congress(store)
        assert read_proceedings(store).now.verdict.attendance == store.snapshot().verdict.attendance
        activate = getattr(store, "activate_alternate", None)
        if activate is None:
            pytest.skip("this store cannot seat an alternate yet")
        official = next(d for d in store.delegates() if d.kind is Kind.OFFICIAL and not d.present)
        store.set_status(official.number, Status.ABSENT_WHOLE, "công tác đột xuất")
        alternate = next(d for d in store.delegates() if d.kind is Kind.ALTERNATE)
        store.scan(store.card_code(alternate.number, 0), Mode.ENTRY, "cửa-chính")
        activate(official.number, alternate.number, "thay đại biểu vắng mặt")
        after = read_proceedings(store).now.verdict.attendance
        assert after == store.snapshot().verdict.attendance and after.present == 21


def test_the_minutes_figures_are_presidium_statistics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The credentials statistics and the elected body's, in proceedings.json and in the
    minutes, are those `presidium statistics --json` gives from the database, also once an
    alternate holds the place of an official absent for the whole congress (counted there)."""
    from printouts.document import Grid
    from session import statistics
    from session.rollcall import Mode

    path = str(tmp_path / "congress.db")
    with new_store(path) as store:
        absent = run_congress(store).absent
        alternate = next(d for d in store.delegates() if d.kind is Kind.ALTERNATE)
        store.scan(store.card_code(alternate.number, 0), Mode.ENTRY, "cửa-chính")
        store.activate_alternate(absent, alternate.number, "thay đại biểu vắng mặt")
        export(store, tmp_path / "out")
        document = minutes_document(read_proceedings(store), "vi")
        figures = statistics.of_delegates(store.delegates(), store.congress)
    data = load_json(tmp_path / "out")
    capsys.readouterr()
    assert main(["statistics", "--json", "--db", path]) == 0
    assert data["credentials"] == json.loads(capsys.readouterr().out)
    assert main(["statistics", "--election", "bch", "--json", "--db", path]) == 0
    assert data["elections"][0]["elected_composition"] == json.loads(capsys.readouterr().out)  # type: ignore[index]
    credentials = data["credentials"]
    assert credentials["total"] == 28 and credentials["kinds"]["alternate"]["count"] == 1  # type: ignore[index]
    assert credentials["present"]["count"] == 21  # type: ignore[index]
    tables = [b for b in document.blocks if isinstance(b, Grid) and b.header[0] == "Tiêu chí"]
    printed = [(label.removeprefix("– "), count, share) for label, count, share in tables[0].rows]
    assert printed == [(r.label, r.count, r.percent) for r in statistics.rows(figures, "vi")]
    assert len(tables) == 2  # the delegates', then the elected committee's


def test_markdown_and_html_say_what_the_pdf_says(
    held: tuple[str, Congress], exported: Path
) -> None:
    from html import escape

    from printouts.minutes_text import md_escape

    with Store.open(held[0]) as store:
        document = minutes_document(read_proceedings(store), "vi")
    md = (exported / "minutes.md").read_text(encoding="utf-8")
    page = (exported / "minutes.html").read_text(encoding="utf-8")
    for text in list(document.texts())[1:]:  # the PDF prints exactly these (after its title)
        assert md_escape(text) in md, text
        assert escape(text, quote=True) in page, text
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "http" not in page.replace('"https://', "") and "<script" not in page  # self-contained
    assert "\r" not in md and "\r" not in page


def test_text_is_escaped_not_interpreted() -> None:
    from printouts.document import Document, Grid, Heading, Text
    from printouts.minutes_text import html, markdown

    nasty = '<script>alert("x")</script> & *bold* | [link](http://x) # 1. _u_'
    document = Document(
        "vi", nasty, (Heading(nasty), Text(nasty), Grid(("a|b",), ((nasty,),), (1,))), nasty, nasty
    )
    page, md = html(document), markdown(document)
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp;" in page
    assert "\\*bold\\*" in md and "a\\|b" in md and "\\[link\\]" in md and "\\<script" in md
    assert "\\_u\\_" in md


def test_a_present_alternate_is_no_guest(tmp_path: Path) -> None:
    """The minutes (one set of blocks for the PDF, Markdown and HTML) and proceedings.json
    count invited guests apart from delegates present without a vote (an alternate not seated
    in an official's place): at the opening one guest and one such alternate; once the
    alternate is seated, none."""
    from session.rollcall import Mode

    with new_store(str(tmp_path / "congress.db")) as store:
        delegates = store.delegates()
        guest = next(d for d in delegates if d.kind is Kind.GUEST)
        alternate = next(d for d in delegates if d.kind is Kind.ALTERNATE)
        admit(store, 5)
        official = next(d for d in store.delegates() if d.kind is Kind.OFFICIAL and not d.present)
        for d in (guest, alternate):
            store.scan(store.card_code(d.number, 0), Mode.ENTRY, "cửa-chính")
        store.start_item("item-01")  # the opening headcount
        store.set_status(official.number, Status.ABSENT_WHOLE, "công tác đột xuất")
        store.activate_alternate(official.number, alternate.number, "thay đại biểu vắng mặt")
        p = read_proceedings(store)
        export(store, tmp_path / "out", lang="en")
    for lang in ("vi", "en"):
        texts = list(minutes_document(p, lang).texts())
        label = guests_label(lang)
        heads = [x for x in texts if f"{label} " in x]
        assert len(heads) == 2 and all(x.endswith(f"{label} 1.") for x in heads), heads
        line = t("proceedings.minutes.attendance.non_voting", lang, count=1)
        assert texts.count(line) == 1  # at the opening only: the alternate is seated now
    md = (tmp_path / "out" / "minutes.md").read_text(encoding="utf-8")
    assert t("proceedings.minutes.attendance.non_voting", "en", count=1) in md
    data = load_json(tmp_path / "out")
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    counts = data["attendance"]
    assert counts["opening"]["guests_present"] == 1  # type: ignore[index]
    assert counts["opening"]["non_voting_present"] == 1  # type: ignore[index]
    assert (counts["as_of"]["guests_present"], counts["as_of"]["non_voting_present"]) == (1, 0)  # type: ignore[index]
    # the quorum gauge's Attendance.guests still counts both (everyone in the hall without a vote)
    assert p.opening is not None and p.opening.verdict.attendance.guests == 2
    assert (p.opening.guests, p.opening.non_voting) == (1, 1)
    assert (p.now.guests, p.now.non_voting, p.now.verdict.attendance.present) == (1, 0, 6)


def guests_label(lang: str) -> str:
    """The words before the guests' count in a headcount line ("guests in the hall:")."""
    return t("proceedings.minutes.attendance.now", lang).split("; ")[-1].split("{")[0].strip()


def test_the_minutes_name_a_delegation_s_alternates(make_hall: Callable[..., Store]) -> None:
    """Seen in an exported folder: the delegation's alternate (voted beyond the official seats
    and made alternate by the congress) was on the screen and in proceedings.json, but the
    minutes named only those elected."""
    from printouts.export import election_results_csv
    from session import elections as el
    from session.agenda import MotionKind
    from session.ballots import BallotInput
    from tests.harness.elections import decide, prepare, run_round

    spec = {"name": "dl", "kind": "delegates_higher", "title": "Bầu đoàn", "seats": 2}
    store = make_hall({**spec, "alternates": 1})
    item = prepare(store, "dl", 4, seats=2, alternates=1)
    # 28 ballots keeping two names: 20, 18, 16 and 2 votes; the third is over half (15)
    # beyond the two official seats.
    ballots = [BallotInput.struck(3, 4)] * 10 + [BallotInput.struck(2, 4)] * 8
    ballots += [BallotInput.struck(1, 4)] * 8 + [BallotInput.struck(2, 3)] * 2
    run_round(store, "dl", item, ballots)
    vote = decide(store, item, MotionKind.OTHER)
    store.record_election(lambda _b, now: el.OverflowDecided("dl", True, vote, now))
    e = store.election_book().get("dl")
    assert e is not None
    (slot,) = el.outcome(e).alternates
    name = e.people(slot)[0].full_name
    for lang in ("vi", "en"):
        texts = list(minutes_document(read_proceedings(store), lang).texts())
        assert t("proceedings.minutes.election.alternates", lang, names=name) in texts
    raw = election_results_csv(read_proceedings(store)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert [(r["full_name"], r["alternate"]) for r in rows if r["alternate"]] == [(name, "1")]


RUNNABLE = ('=HYPERLINK("http://x.example","y")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd")


def test_no_csv_cell_is_a_formula_a_spreadsheet_would_run(tmp_path: Path, sqlite_url: str) -> None:
    """Names and units that start as a spreadsheet formula would (=, +, -, @, a tab, a carriage
    return) are written with a leading apostrophe, which Excel and LibreOffice show as text;
    numbers stay numbers. (Finding 6 of issue 13: `=cmd|' /C calc'!A0` went in as it was.)"""
    register = demo_register(30)
    register[0] = replace(register[0], full_name=RUNNABLE[0], unit=RUNNABLE[3])
    register[1] = replace(register[1], full_name="=cmd|' /C calc'!A0", unit="Đảng bộ xã Hưng Hóa")
    store = new_store(sqlite_url, register)
    admit(store, 5)
    export(store, tmp_path / "out")
    store.close()
    rows = load_csv(tmp_path / "out" / "attendance.csv")
    first = next(r for r in rows if r["number"] == str(register[0].number))
    assert first["full_name"] == "'" + RUNNABLE[0] and first["unit"] == "'" + RUNNABLE[3]
    second = next(r for r in rows if r["number"] == str(register[1].number))
    assert second["full_name"] == "'=cmd|' /C calc'!A0" and second["unit"] == "Đảng bộ xã Hưng Hóa"
    for name in ("attendance.csv", "votes.csv", "election_results.csv"):
        for row in load_csv(tmp_path / "out" / name):
            assert not any(
                cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values()
            )
    assert all(r["number"].isdigit() and r["seq"].isdigit() for r in rows)  # numbers stay numbers


def test_the_documented_recipe_checks_every_line_of_the_audit_log(
    tmp_path: Path, sqlite_url: str
) -> None:
    """docs/proceedings.md's recipe, followed as written (its key list read from the page),
    gives every line's hash, those from a terminal signed in as a role included (issue 13,
    finding 10: the page left `role` out, so the manual check failed on them)."""
    page = (ROOT / "docs" / "proceedings.md").read_text(encoding="utf-8")
    recipe = re.search(r"`canonical` is the JSON of the line's\s+`\{([^}]*)\}`", page)
    assert recipe is not None
    keys = re.findall(r'"(\w+)"', recipe.group(1))
    with new_store(sqlite_url) as store:
        admit(store, 2)
        store.act_as(Role.DOOR, "Trần Văn Cửa")
        d = next(d for d in store.delegates() if d.votes and not d.present)
        store.scan(store.card_code(d.number, d.card_issue), Mode.ENTRY, "cửa-chính")
        export(store, tmp_path / "out")
    lines = [json.loads(x) for x in (tmp_path / "out" / "audit-log.jsonl").read_text().splitlines()]
    assert any("role" in line for line in lines)
    previous = "0" * 64
    for line in lines:
        body = {k: line[k] for k in keys if k in line}
        canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256((previous + "|" + canonical).encode()).hexdigest()
        assert (line["prev_hash"], line["hash"]) == (previous, digest), line["seq"]
        previous = digest
