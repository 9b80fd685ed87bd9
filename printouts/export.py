"""The proceedings as files, and the proof that they are what the database says: a headless
service that `presidium export` / `presidium verify --export` and the app's F12 both call.

An export is a folder of: minutes.pdf, minutes.md, minutes.html (the same minutes), proceedings.json
(everything, schema in docs/proceedings.schema.json), attendance.csv, votes.csv,
election_results.csv, speakers.csv (printouts/speakers_csv.py; every CSV is written by
printouts/csv_files.py), audit-log.jsonl (the events it was made from, as stored, with their
hashes) and SHA256SUMS over all of them (`sha256sum -c SHA256SUMS` checks it).

Reproducible: every time in the files comes from the log (the export time is the last event's,
or --as-of), JSON keys are sorted, line endings fixed, the PDF is built in reportlab's invariant
mode; so exporting twice from the same database gives byte-identical files, and `verify` can
re-export at the recorded time and compare. The folder is written under a temporary name beside
the target and renamed into place, so a failed export leaves nothing half-written, and a killed
one's leftovers are cleared by the next (printouts/staging.py).
"""

import hashlib
import json
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db.store import Store
from printouts.csv_files import csv_bytes, local_time
from printouts.minutes import minutes_document
from printouts.minutes_text import html, markdown
from printouts.pdf import write_minutes_pdf
from printouts.report import vote_json
from printouts.speakers_csv import speakers_csv
from printouts.staging import staging
from session import bodies as bd
from session import elections as el
from session import statistics as st
from session.agenda import plan
from session.audit import StoredEvent
from session.i18n import Refusal, t
from session.proceedings import (
    SCHEMA_VERSION,
    Headcount,
    Proceedings,
    RegisterEntry,
    assemble,
    events_until,
)
from session.speakers import record as sr
from session.tally import arithmetic, explain
from session.votes import Vote, counts_of

SUMS = "SHA256SUMS"
# In the order verify compares them: the log first (everything else is derived from it).
FILES = (
    "audit-log.jsonl",
    "proceedings.json",
    "attendance.csv",
    "votes.csv",
    "election_results.csv",
    "speakers.csv",
    "minutes.md",
    "minutes.html",
    "minutes.pdf",
)


class ExportError(Refusal):
    prefix = "proceedings.export."


class ExportMismatch(Refusal):
    """What `verify_export` found: a key under 'proceedings.verify.' naming the file."""

    prefix = "proceedings.verify."


# ----------------------------------------------------------------------------- reading


def parse_as_of(text: str, zone: Any) -> datetime:
    """An ISO 8601 date and time; without an offset it is the congress's local time."""
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ExportError("bad_time", value=text) from None
    return at if at.tzinfo is not None else at.replace(tzinfo=zone)


def register_of(store: Store) -> list[RegisterEntry]:
    return [
        RegisterEntry(d.number, d.full_name, d.unit, d.kind, d.origin, d.gender,
                      d.date_of_birth, d.ethnicity, d.education)
        for d in store.delegates()
    ]  # fmt: skip


def read_proceedings(
    store: Store, as_of: datetime | None = None, through: int | None = None
) -> Proceedings:
    """The proceedings as of `as_of` (default: the last event), from events up to seq `through`
    at most (verify re-reads exactly the events an export covered)."""
    events = [e for e in store.events() if through is None or e.seq <= through]
    return assemble(store.congress, events_until(events, as_of), register_of(store), as_of)


# ----------------------------------------------------------------------------- JSON


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat()


def _headcount(h: Headcount | None) -> dict[str, object] | None:
    if h is None:
        return None
    v, att = h.verdict, h.verdict.attendance
    return {
        "at": _iso(h.at),
        "after_event": h.seq,
        "summoned": att.summoned,
        "present": att.present,
        "base": att.base,
        "adjusted": att.adjusted,
        "guests_present": h.guests,  # invited guests only (schema 3)
        "non_voting_present": h.non_voting,  # delegates present without a vote
        "absent_whole_congress": att.absent_whole,
        "absent_excused": att.excused,
        "decision_needs": v.decision_needs,
        "quorum_needs": v.quorum_needs,
        "quorum_ok": v.ok,
        "problems": [p.value for p in v.problems],
    }


def _congress(p: Proceedings) -> dict[str, object]:
    c = p.congress
    return {
        "name": c.name,
        "level": c.level,
        "term": c.term,
        "venue": c.venue,
        "start": c.start.isoformat(),
        "end": c.end.isoformat(),
        "timezone": c.timezone,
        "language": c.language,
        "type": c.type.value,
        "ruleset": c.rules.ruleset.value,
        "base": c.rules.base.value,
    }


def _delegates(p: Proceedings) -> list[dict[str, object]]:
    rows = []
    for d in p.register:
        status, reason = p.status_of(d.number)
        rows.append({
            "number": d.number, "full_name": d.full_name, "unit": d.unit, "kind": d.kind.value,
            "origin": d.origin, "gender": d.gender,
            "date_of_birth": d.date_of_birth.isoformat() if d.date_of_birth else None,
            "ethnicity": d.ethnicity, "education": d.education, "status": status.value,
            "status_reason": reason,
            "present": d.number in p.present,
        })  # fmt: skip
    return rows


def _movements(p: Proceedings) -> list[dict[str, object]]:
    return [
        {"seq": m.seq, "at": _iso(m.at), "number": m.number, "action": m.action.value,
         "method": m.method, "station": m.station, "reason": m.reason,
         "attendance": m.attendance, "reverses": m.reverses}
        for m in p.movements
    ]  # fmt: skip


def _agenda(p: Proceedings) -> list[dict[str, object]]:
    state, c = p.agenda, p.congress
    slots = {s.item: s for s in plan([s.item for s in state.items], c.start, c.zone)}
    return [
        {
            "key": s.key, "session": s.item.session, "title": s.item.title,
            "kind": s.item.kind.value, "presenter": s.item.presenter,
            "motion": s.item.motion.value if s.item.motion else None, "status": s.status.value,
            "planned_start": _iso(slots[s.key].start), "planned_minutes": slots[s.key].minutes,
            "spans": [{"start": _iso(x.start), "end": _iso(x.end), "auto_ended": x.auto_ended}
                      for x in s.spans],
            "skip_reason": s.skip_reason or None, "inserted": s.inserted_at is not None,
            "moved": s.moved,
        }
        for s in state.items
    ]  # fmt: skip


def _vote(v: Vote, store: Store, lang: str) -> dict[str, Any]:
    """`presidium results --json`'s vote, with its texts in the export's language (they are
    in the process's language there) and each correction's counts before and after."""
    data = vote_json(v, store)
    if v.verdict is not None:
        data["verdict"]["arithmetic"] = arithmetic(v.verdict, lang)
        data["verdict"]["text"] = explain(v.verdict, lang)
    data["history"] = [explain(h, lang) for h in v.history]
    options = [o.value for o in v.options]
    for entry, c in zip(data["corrections"], v.corrections, strict=True):
        entry["before"] = counts_of(options, c.before)
        entry["after"] = counts_of(options, c.after)
    data["cancel_reason"] = v.cancel_reason or None
    return data


def _statistics(figures: st.Statistics | None) -> dict[str, object] | None:
    """`presidium statistics --json`'s figures (its title in the export's language)."""
    return None if figures is None else st.to_json(figures)


def _election(p: Proceedings, e: el.Election, lang: str) -> dict[str, object]:
    data = el.to_json(e)
    names = {c.person.id: c.person.full_name for c in e.candidates}
    data["elected_names"] = [names[x] for x in el.elected(e)]
    data["elected_composition"] = _statistics(p.elected_statistics(e, lang))
    return data


def proceedings_json(p: Proceedings, store: Store, lang: str) -> dict[str, object]:
    """Everything the minutes say, as data (docs/proceedings.md describes every field)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "language": lang,
        "as_of": _iso(p.as_of),
        "interim": p.interim,
        "chain": {"events": len(p.events), "last_seq": p.last_seq, "final_hash": p.final_hash},
        "congress": _congress(p),
        "attendance": {"opening": _headcount(p.opening), "as_of": _headcount(p.now)},
        "delegates": _delegates(p),
        "status_changes": [
            {
                "seq": s.seq,
                "at": _iso(s.at),
                "number": s.number,
                "from": s.before.value,
                "to": s.after.value,
                "reason": s.reason,
            }
            for s in p.status_changes
        ],
        "movements": _movements(p),
        "bodies": bd.to_json(p.bodies),
        "credentials": _statistics(p.delegate_statistics(lang)),
        "agenda": _agenda(p),
        "votes": [_vote(v, store, lang) for v in p.votes.votes],
        "elections": [_election(p, e, lang) for e in p.elections.elections],
        "discussion": sr.to_json(p.discussion()),
        "open": [
            {"kind": m.kind.value, "ref": m.ref, "title": m.title, "status": m.status}
            for m in p.open
        ],
        "closed_at": _iso(p.closed_at),
    }


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


# ----------------------------------------------------------------------------- CSV

ATTENDANCE_COLUMNS = ("number", "full_name", "unit", "kind", "seq", "at", "action", "method",
                      "station", "reason", "attendance", "reverses")  # fmt: skip
VOTE_COLUMNS = ("vote", "item", "title", "motion", "status", "opened_at", "published_at",
                "present", "entitled", "base_adjusted", "rule_ratio", "rule_strict", "rule_base",
                "options", "yes", "no", "abstain", "not_voting", "verdict_base", "needed",
                "passed", "percent_of_base", "method", "corrections", "correction_reasons",
                "cancel_reason")  # fmt: skip
RESULT_COLUMNS = ("election", "election_title", "round", "phase", "status", "seats", "number",
                  "person", "full_name", "delegate", "votes", "base", "valid",
                  "percent_of_base", "percent_of_valid", "rank", "passed", "outcome",
                  "elected", "alternate")  # fmt: skip


def attendance_csv(p: Proceedings) -> bytes:
    """Each delegate's entries and exits (corrections included), by number then time."""
    rows = []
    for m in sorted(p.movements, key=lambda m: (m.number, m.seq)):
        d = p.delegate(m.number)
        rows.append((
            m.number, d.full_name if d else "", d.unit if d else "", d.kind.value if d else "",
            m.seq, local_time(m.at, p), m.action.value, m.method, m.station, m.reason,
            m.attendance, m.reverses,
        ))  # fmt: skip
    return csv_bytes(ATTENDANCE_COLUMNS, rows)


def _vote_row(v: Vote, p: Proceedings) -> tuple[object, ...]:
    s, verdict, tally = v.snapshot, v.verdict, v.tally
    counts = tally.as_tuple() if tally is not None and verdict is not None else (None,) * 3
    return (
        v.id, v.item, v.title, v.motion.value, v.status.value, local_time(v.opened_at, p),
        local_time(v.published_at, p), s.present if s else None, s.entitled if s else None,
        s.adjusted if s else None, f"{v.rule.ratio.num}/{v.rule.ratio.den}",
        v.rule.ratio.strict, v.rule.base.value, "|".join(o.value for o in v.options), *counts,
        verdict.not_voting if verdict else None, verdict.base if verdict else None,
        verdict.needed if verdict else None, verdict.passed if verdict else None,
        verdict.percent_of_base if verdict else None, v.method.value if v.method else None,
        len(v.corrections), " | ".join(c.reason for c in v.corrections), v.cancel_reason,
    )  # fmt: skip


def votes_csv(p: Proceedings) -> bytes:
    """One row per vote: the count and verdict in force (after any correction); percentages
    in hundredths."""
    return csv_bytes(VOTE_COLUMNS, (_vote_row(v, p) for v in p.votes.votes))


def election_results_csv(p: Proceedings) -> bytes:
    """One row per candidate and signed round, in ballot order; `elected` is the final
    outcome of the election for that person, `alternate` a delegation's alternate's place in
    the order of alternates (empty for everyone else)."""
    rows = []
    for e in p.elections.elections:
        winners = set(el.elected(e))
        places = {p: i for i, slot in enumerate(el.outcome(e).alternates, 1) for p in slot}
        for r in e.rounds:
            res = e.result(r.number)
            if res is None:
                continue
            for row in res.rows:
                person = e.candidate(row.person)
                assert person is not None
                rows.append((
                    e.id, e.title, r.number, r.phase.value, r.status.value, r.seats, row.number,
                    row.person, person.person.full_name, person.person.delegate, row.votes,
                    res.base, res.totals.valid, row.percent_of_base, row.percent_of_valid,
                    row.rank, row.passed, row.outcome.value, row.person in winners,
                    places.get(row.person),
                ))  # fmt: skip
    return csv_bytes(RESULT_COLUMNS, rows)


def audit_log(events: Iterable[StoredEvent]) -> bytes:
    """Every event as stored, one JSON object a line: enough to recompute the chain."""
    lines = [
        json.dumps(
            {"seq": e.seq, "at": e.at, "kind": e.kind, "payload": e.payload,
             "terminal": e.terminal, "operator": e.operator, "prev_hash": e.prev_hash,
             "hash": e.hash,
             # as session.audit.canonical hashes it: the role only when a terminal signed in
             **({"role": e.role} if e.role else {})},
            ensure_ascii=False, sort_keys=True, separators=(",", ":"),
        )
        for e in events
    ]  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


# ----------------------------------------------------------------------------- the folder


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


Progress = Callable[[int, int], None]  # (files written, files in all): for the app's bar


def write_export(
    p: Proceedings, store: Store, lang: str, folder: Path, progress: Progress | None = None
) -> list[str]:
    """Write every file of the export into the (existing, empty) `folder`; their names."""
    tell = progress or (lambda done, total: None)
    total = len(FILES) + 1
    document = minutes_document(p, lang)
    write_minutes_pdf(folder / "minutes.pdf", document)  # first: it refuses missing glyphs
    tell(1, total)
    contents: dict[str, Callable[[], bytes]] = {
        "audit-log.jsonl": lambda: audit_log(p.events),
        "proceedings.json": lambda: _json_bytes(proceedings_json(p, store, lang)),
        "attendance.csv": lambda: attendance_csv(p),
        "votes.csv": lambda: votes_csv(p),
        "election_results.csv": lambda: election_results_csv(p),
        "speakers.csv": lambda: speakers_csv(p),
        "minutes.md": lambda: markdown(document).encode(),
        "minutes.html": lambda: html(document).encode(),
    }
    for done, (name, build) in enumerate(contents.items(), start=2):
        (folder / name).write_bytes(build())
        tell(done, total)
    sums = "".join(f"{_sha256(folder / name)}  {name}\n" for name in sorted(FILES))
    (folder / SUMS).write_bytes(sums.encode())
    tell(total, total)
    return [*FILES, SUMS]


def _check_target(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError("not_a_folder", path=out)
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise ExportError("not_empty", path=out)
        # --force replaces an earlier export, never just any folder (a mistyped --out . or ~)
        if not (out / SUMS).is_file():
            raise ExportError("not_an_export", path=out)
        # ...and never deletes a file it did not write (scans added to it, a downloads folder)
        ours = {*FILES, SUMS}
        foreign = sorted(p.name for p in out.iterdir() if p.name not in ours or not p.is_file())
        if foreign:
            raise ExportError("foreign_files", path=out, names=", ".join(foreign[:5]))


def _check_same_congress(out: Path, first: StoredEvent) -> None:
    """An earlier export `--force` replaces is of this congress: its log starts with the same
    event (the chain's first hash)."""
    if not out.is_dir() or not any(out.iterdir()):
        return
    try:
        with (out / "audit-log.jsonl").open(encoding="utf-8") as log:
            same = json.loads(log.readline()).get("hash") == first.hash
    except (OSError, ValueError, AttributeError):
        same = False
    if not same:
        raise ExportError("other_congress", path=out)


def export(
    store: Store,
    out: Path,
    *,
    as_of: datetime | None = None,
    lang: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> Proceedings:
    """Write the proceedings as of `as_of` (default: the last event) into the folder `out`.

    ExportError for a folder that exists and is not empty (unless `force`, which replaces only
    an earlier export); MissingGlyphError for a name the fonts cannot print. Nothing is left
    behind on failure, and a staging folder a killed export left is removed (printouts.staging).
    `progress(done, total)` is told after each file."""
    out = out.resolve()  # "." or ".." have no name to build the temporary folder's from
    _check_target(out, force)
    proceedings = read_proceedings(store, as_of)
    _check_same_congress(out, proceedings.events[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    with staging(out) as staged:  # clears what a killed export of `out` left beside it
        write_export(proceedings, store, lang or store.congress.language, staged.folder, progress)
        staged.finish()
    return proceedings


# ----------------------------------------------------------------------------- verify

_SUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


@dataclass(frozen=True, slots=True)
class ExportCheck:
    files: int  # files matched (SHA256SUMS included)
    as_of: datetime


def read_sums(folder: Path) -> dict[str, str]:
    """SHA256SUMS: file name -> hash, in the file's order."""
    path = folder / SUMS
    if not path.is_file():
        raise ExportMismatch("no_sums", path=folder)
    listed = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        found = _SUM_LINE.fullmatch(line)
        if found is None or "/" in found[2] or found[2] in (".", ".."):
            raise ExportMismatch("bad_sums", line=number)
        listed[found[2]] = found[1]
    return listed


def check_sums(folder: Path) -> dict[str, str]:
    """Every listed file present with its hash, and nothing unlisted beside them."""
    listed = read_sums(folder)
    for name, digest in listed.items():
        path = folder / name
        if not path.is_file():
            raise ExportMismatch("missing", file=name)
        if _sha256(path) != digest:
            raise ExportMismatch("changed", file=name)
    for path in sorted(folder.iterdir()):
        if path.name != SUMS and path.name not in listed:
            raise ExportMismatch("unlisted", file=path.name)
    return listed


def _recorded(folder: Path) -> tuple[datetime, str, int]:
    """The export's time, language and last event, from its proceedings.json."""
    try:
        data = json.loads((folder / "proceedings.json").read_text(encoding="utf-8"))
        as_of = datetime.fromisoformat(data["as_of"])
        return as_of, str(data["language"]), int(data["chain"]["last_seq"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ExportMismatch("bad_json", detail=str(exc) or type(exc).__name__) from None


def verify_export(store: Store, folder: Path) -> ExportCheck:
    """Check an export folder against SHA256SUMS, then re-export the database at the export's
    recorded time and compare file by file. ExportMismatch names the first file that differs."""
    listed = check_sums(folder)
    as_of, lang, last = _recorded(folder)
    proceedings = read_proceedings(store, as_of, through=last)
    with tempfile.TemporaryDirectory(prefix=".presidium-verify-") as tmp:
        again = Path(tmp)
        names = write_export(proceedings, store, lang, again)
        for name in [n for n in names if n != SUMS] + [SUMS]:
            mine = folder / name
            if not mine.is_file() or mine.read_bytes() != (again / name).read_bytes():
                local = as_of.astimezone(store.congress.zone).isoformat(timespec="minutes")
                raise ExportMismatch("differs", file=name, time=local)
    return ExportCheck(len(listed) + 1, as_of)


# ----------------------------------------------------------------------------- the commands


class ExportFailed(Exception):
    """Any refusal of `run_export` or `run_verify_export`, as the one line to print."""


def run_export(
    store: Store, out: Path, as_of: str | None, lang: str | None, force: bool = False
) -> list[str]:
    """`presidium export`: the lines to print. ExportFailed with the reason otherwise."""
    from printouts.fonts import MissingGlyphError

    try:
        when = parse_as_of(as_of, store.congress.zone) if as_of else None
        p = export(store, out, as_of=when, lang=lang, force=force)
    except (Refusal, MissingGlyphError) as exc:
        raise ExportFailed(str(exc)) from None
    local = p.as_of.astimezone(store.congress.zone).isoformat(timespec="minutes")
    lines = [
        t("proceedings.export.written", time=local, path=out, files=len(FILES) + 1,
          hash=p.final_hash[:16]),
    ]  # fmt: skip
    if p.interim:
        lines.append(t("proceedings.export.interim", count=len(p.open)))
    return lines


def run_verify_export(store: Store, folder: Path) -> str:
    """`presidium verify --export DIR` once the log itself checked out: the line to print."""
    from printouts.fonts import MissingGlyphError

    try:
        check = verify_export(store, folder)
    except (Refusal, MissingGlyphError) as exc:
        raise ExportFailed(str(exc)) from None
    local = check.as_of.astimezone(store.congress.zone).isoformat(timespec="minutes")
    return t("proceedings.verify.ok", path=folder, files=check.files, time=local)
