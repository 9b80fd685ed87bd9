"""Text and JSON views of the roll call for `presidium status` (and scripts)."""

from typing import Any

from db.store import Store
from session.i18n import number, t
from session.quorum import explain


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
    ]
    return [line for line in lines if line]


def status_json(store: Store) -> dict[str, Any]:
    snap = store.snapshot()
    v = snap.verdict
    att = v.attendance
    return {
        "congress": store.congress.name,
        "present": att.present,
        "summoned": att.summoned,
        "base": att.base,
        "guests_present": att.guests,
        "absent_whole_congress": att.absent_whole,
        "absent_excused": att.excused,
        "ruleset": v.rules.ruleset.value,
        "base_kind": v.rules.base.value,
        "decision_needs": v.decision_needs,
        "quorum_needs": v.quorum_needs,
        "quorum_ok": v.ok,
        "problems": [p.value for p in v.problems],
        "units": [
            {"unit": u.unit, "summoned": u.summoned, "present": u.present} for u in snap.units
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
