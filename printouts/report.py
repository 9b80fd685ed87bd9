"""Text and JSON views of the roll call for `presidium status` (and scripts)."""

from datetime import datetime
from typing import Any

from db.store import Store
from session import agenda, elections
from session.agenda import plan
from session.doors import describe as describe_doors
from session.i18n import number, t
from session.majority import format_percent
from session.quorum import explain
from session.tally import arithmetic as tally_arithmetic
from session.tally import explain as explain_verdict
from session.tally import rule_label
from session.votes import Vote, describe_counts


def status_lines(store: Store) -> list[str]:
    snap = store.snapshot()
    att = snap.verdict.attendance
    sentence, problems = explain(snap.verdict)
    lines = [
        store.congress.name,
        t(
            "report.counts",
            present=number(att.present),
            summoned=number(att.summoned),
            base=number(att.base),
            guests=number(att.guests),
        ),
        t(f"quorum.rule.{snap.verdict.rules.ruleset.value}"),
        sentence,
        t("report.ok") if snap.verdict.ok else t("report.not_ok"),
        *("  ✗ " + p for p in problems),
        describe_doors(snap.doors, store.congress.zone),
        *(t("report.activated", **pair) for pair in activations(store)),
    ]
    return [line for line in lines if line]


def activations(store: Store) -> list[dict[str, Any]]:
    """Each activated alternate and the official delegate whose place they hold."""
    delegates = {d.number: d for d in store.delegates()}
    return [
        {
            "alternate": d.number,
            "alternate_name": d.full_name,
            "official": d.activated_for,
            "official_name": delegates[d.activated_for].full_name,
        }
        for d in delegates.values()
        if d.activated_for is not None and d.activated_for in delegates
    ]


def status_json(store: Store) -> dict[str, Any]:
    snap = store.snapshot()
    v = snap.verdict
    att = v.attendance
    return {
        "congress": store.congress.name,
        "present": att.present,
        "summoned": att.summoned,
        "base": att.base,
        "without_vote_present": att.guests,  # guests and delegates without a vote
        "absent_whole_congress": att.absent_whole,
        "absent_excused": att.excused,
        "ruleset": v.rules.ruleset.value,
        "base_kind": v.rules.base.value,
        "decision_needs": v.decision_needs,
        "quorum_needs": v.quorum_needs,
        "quorum_ok": v.ok,
        "problems": [p.value for p in v.problems],
        "activated_alternates": activations(store),
        "units": [
            {"unit": u.unit, "summoned": u.summoned, "present": u.present} for u in snap.units
        ],
        "doors": [
            {
                "station": d.station,
                "entries": d.entries,  # those that stand: a corrected one no longer counts
                "exits": d.exits,
                "last_at": d.last_at.isoformat() if d.last_at else None,
            }
            for d in snap.doors
        ],
        "delegates_present": [
            {
                "number": d.number,
                "full_name": d.full_name,
                "unit": d.unit,
                "kind": d.kind.value,
                "since": d.since.isoformat() if d.since else None,
                "station": d.station,
            }
            for d in store.delegates(present=True)
        ],
        "last_event": snap.last_seq,
    }


def _local(at: datetime | None, store: Store) -> str:
    return at.astimezone(store.congress.zone).strftime(t("format.datetime")) if at else ""


def agenda_rows(store: Store, now: datetime) -> list[dict[str, Any]]:
    """The agenda in its running order: planned and actual times, status, timing of each item."""
    state = store.agenda_state()
    slots = {
        s.item: s
        for s in plan([i.item for i in state.items], store.congress.start, store.congress.zone)
    }
    rows = []
    for item_state in state.items:
        item, slot = item_state.item, slots[item_state.key]
        timing_ = agenda.timing(state, now, key=item_state.key) if item_state.spans else None
        rows.append(
            {
                "key": item.key,
                "title": item.title,
                "kind": item.kind.value,
                "presenter": item.presenter,
                "status": item_state.status.value,
                "current": state.current == item.key,
                "planned_start": slot.start.isoformat() if slot.start else None,
                "planned_minutes": slot.minutes,
                "started_at": item_state.started_at.isoformat() if item_state.started_at else None,
                "ended_at": item_state.ended_at.isoformat() if item_state.ended_at else None,
                "elapsed_seconds": timing_.elapsed if timing_ else None,
                "over_by_seconds": timing_.over_by if timing_ else None,
                "skip_reason": item_state.skip_reason or None,
            }
        )
    return rows


def agenda_lines(store: Store, now: datetime) -> list[str]:
    state = store.agenda_state()
    lines = [store.congress.name]
    for row, item_state in zip(agenda_rows(store, now), state.items, strict=True):
        marker = "▶" if row["current"] else {"done": "✓", "skipped": "–"}.get(row["status"], " ")
        planned = (
            _local(datetime.fromisoformat(row["planned_start"]), store)[-5:]
            if row["planned_start"]
            else "     "
        )
        actual = ""
        if item_state.spans:
            timing_ = agenda.timing(state, now, key=item_state.key)
            started = _local(item_state.started_at, store)[-5:]
            ended = _local(item_state.ended_at, store)[-5:] if item_state.ended_at else "…"
            actual = f"  [{started}–{ended}] {agenda.describe_timing(timing_) if timing_ else ''}"
        lines.append(f"{marker} {planned}  {row['title']}{actual}")
    return lines


def vote_json(vote: Vote, store: Store) -> dict[str, Any]:
    verdict = vote.verdict
    tally = vote.tally
    return {
        "id": vote.id,
        "item": vote.item,
        "motion": vote.motion.value,
        "title": vote.title,
        "status": vote.status.value,
        "method": vote.method.value if vote.method else None,
        "options": [o.value for o in vote.options],
        "counts": dict(
            zip([o.value for o in vote.options], [tally.yes, tally.no, tally.abstain], strict=True)
        )
        if tally
        else None,
        "not_voting": verdict.not_voting if verdict else None,
        "snapshot": {
            "present": vote.snapshot.present,
            "entitled": vote.snapshot.entitled,
            "base": vote.snapshot.adjusted,
        }
        if vote.snapshot
        else None,
        "rule": {
            "ratio": f"{vote.rule.ratio.num}/{vote.rule.ratio.den}",
            "strict": vote.rule.ratio.strict,
            "base": vote.rule.base.value,
            "source": vote.rule.source.value,
            "ruleset": vote.ruleset,
        },
        "verdict": {
            "passed": verdict.passed,
            "base": verdict.base,
            "needed": verdict.needed,
            "percent_of_base": format_percent(verdict.percent_of_base),
            "arithmetic": tally_arithmetic(verdict),
            "text": explain_verdict(verdict),
        }
        if verdict
        else None,
        "opened_at": vote.opened_at.isoformat() if vote.opened_at else None,
        "published_at": vote.published_at.isoformat() if vote.published_at else None,
        "open_reason": vote.open_reason or None,
        "corrections": [{"reason": c.reason, "at": c.at.isoformat()} for c in vote.corrections],
        "history": [explain_verdict(v) for v in vote.history],
    }


def results_json(store: Store) -> dict[str, Any]:
    """Every published vote, and every election with each of its rounds."""
    return {
        "congress": store.congress.name,
        "votes": [vote_json(v, store) for v in store.vote_book().published],
        "elections": [elections.to_json(e) for e in store.election_book().elections],
    }


def results_lines(store: Store) -> list[str]:
    lines = [store.congress.name]
    published = store.vote_book().published
    if not published:
        lines.append(t("report.no_results"))
    for vote in published:
        verdict = vote.verdict
        lines.append("")
        lines.append(f"{vote.title} ({_local(vote.published_at, store)})")
        lines.append("  " + describe_counts(vote))
        lines.append("  " + rule_label(vote.rule))
        if verdict:
            lines.append("  " + explain_verdict(verdict))
        for correction, earlier in zip(vote.corrections, vote.history, strict=False):
            lines.append(
                "  "
                + t(
                    "report.corrected",
                    at=_local(correction.at, store),
                    reason=correction.reason,
                    earlier=explain_verdict(earlier),
                )
            )
    return lines
