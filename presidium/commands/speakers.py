"""The discussion from the command line (issue 15): `presidium speakers` prints the lists of
speakers (text, or JSON for other programs: docs/file-formats.md), and `presidium speakers
import FILE` puts the contributions registered before the congress on their lists, all or
none (session.speakers_import reads the file, db.speakers appends every event in one
transaction)."""

import argparse
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from db.store import Store
from presidium.opening import open_store
from presidium.refusals import CommandError, json_visible, read_or_report
from session.agenda import AgendaState
from session.elections.list_steps import delegate_number
from session.i18n import t
from session.speakers import (
    Entry,
    EntryStatus,
    ItemSpeakers,
    SpeakersError,
    SpeakersList,
    SpeakersState,
    SpeechKind,
    clock,
    limit_of,
)
from session.speakers.units import unit_times
from session.speakers_import import Registered, read_contributions


def cmd_speakers(args: argparse.Namespace) -> int:
    if args.action == "import":
        return _import(args)
    return _print(args)


# ---------------------------------------------------------------- import


def _import(args: argparse.Namespace) -> int:
    if args.file is None:
        raise CommandError(t("speakers_cli.file_needed"))
    if args.json:
        raise CommandError(t("speakers_cli.json_not_for_import"))
    path = Path(args.file)
    with open_store(args) as store:
        register = {d.number: Registered(d.number, d.full_name, d.unit) for d in store.delegates()}
        agenda = store.agenda_state()
        keys = [s.key for s in agenda.items]
        rows = read_or_report(path, lambda p: read_contributions(p, register, keys, args.item))
        _, events = store.add_speakers(rows)
    added = Counter(e.item for e in events)
    print(t("speakers_cli.imported", added=len(events), already=len(rows) - len(events)))
    for key in (s.key for s in agenda.items if s.key in added):
        print("  " + t("speakers_cli.imported_item", item=agenda.label(key), count=added[key]))
    return 0


# ---------------------------------------------------------------- the lists


@dataclass(frozen=True, slots=True)
class _Shown:
    """One item's list as printed, with what it runs by."""

    key: str
    label: str
    title: str
    speakers: SpeakersList
    settings: ItemSpeakers


def _print(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        now = store.clock()
        shown = _lists(store, args.item)
        zone = store.congress.zone
        congress = store.congress.name
    if args.json:  # its text as it is, but what a terminal would act on (as `status --json`)
        print(json_visible(json.dumps(speakers_json(congress, shown, now), ensure_ascii=False,
                                      indent=2)))  # fmt: skip
    else:
        print("\n".join(speakers_lines(shown, now, zone)))
    return 0


def _lists(store: Store, item: str | None) -> list[_Shown]:
    """The item asked for, or every item someone was put on (or whose list was closed), in the
    agenda's running order."""
    agenda, state = store.agenda_state(), store.speakers_state()
    if item is not None:
        if agenda.find(item) is None:
            raise SpeakersError("unknown_item", item=item)
        keys = [item]
    else:
        listed = {s.item for s in state.lists if s.entries or s.closed}
        keys = [s.key for s in agenda.items if s.key in listed]
    return [_shown(agenda, state, store.congress.speakers.of(k), k) for k in keys]


def _shown(agenda: AgendaState, state: SpeakersState, settings: ItemSpeakers, key: str) -> _Shown:
    found = agenda.find(key)
    title = found.item.title if found is not None else key
    return _Shown(key, agenda.label(key), title, state.of(key), settings)


def _removed(speakers: SpeakersList) -> tuple[Entry, ...]:
    return tuple(e for e in speakers.entries if e.removed_reason)


# ---------------------------------------------------------------- as text


def speakers_lines(shown: Sequence[_Shown], now: datetime, zone: ZoneInfo) -> list[str]:
    if not shown:
        return [t("speakers_cli.none")]
    lines: list[str] = []
    for one in shown:
        lines += _item_lines(one, now, zone)
    return lines


def _item_lines(one: _Shown, now: datetime, zone: ZoneInfo) -> list[str]:
    speakers, limits = one.speakers, one.settings.limits
    state = t("speakers_cli.closed" if speakers.closed else "speakers_cli.open")
    lines = [f"{one.label} [{one.key}]: {state}"]
    current = speakers.current
    if current is not None:
        spoken, limit = current.spoken(now), limit_of(current, limits)
        timing = t("speakers_cli.speaking_for", spoken=clock(spoken), limit=clock(limit))
        lines.append("  " + t("speakers_cli.at_microphone", entry=_entry(current), time=timing))
    lines += _section("speakers_cli.waiting", speakers.waiting,
                      lambda e: _waiting_time(e, one.settings))  # fmt: skip
    lines += _section("speakers_cli.contributions", speakers.contributions,
                      lambda e: _spoken_time(e, one.settings, now, zone))  # fmt: skip
    lines += _section("speakers_cli.removed", _removed(speakers),
                      lambda e: t("speakers_cli.reason", reason=e.removed_reason))  # fmt: skip
    if one.settings.unit_seconds:
        lines += _unit_lines(speakers, one.settings.unit_seconds, now)
    return lines


def _section(title: str, entries: Sequence[Entry], detail: Callable[[Entry], str]) -> list[str]:
    if not entries:
        return []
    lines = ["  " + t(title, count=len(entries))]
    return lines + [f"    {_entry(e)}: {detail(e)}" for e in entries]


def _entry(entry: Entry) -> str:
    """'3. Lê Văn Chi (delegate 12), Xã Hưng Hóa — point of order «Title»'."""
    who = entry.name
    number = delegate_number(entry.person)
    if number is not None:
        who += " " + t("speakers_cli.delegate", number=number)
    if entry.unit:
        who += f", {entry.unit}"
    kind = t(f"speakers.kind.{entry.kind.value}")
    title = f" «{entry.title}»" if entry.title else ""
    return f"{entry.number}. {who} — {kind}{title}"


def _waiting_time(entry: Entry, settings: ItemSpeakers) -> str:
    limit = clock(limit_of(entry, settings.limits))
    called = t("speakers_cli.called") + ", " if entry.status is EntryStatus.CALLED else ""
    key = "speakers_cli.asked" if entry.asked else "speakers_cli.limit"
    return called + t(key, limit=limit)


def _spoken_time(entry: Entry, settings: ItemSpeakers, now: datetime, zone: ZoneInfo) -> str:
    if entry.kind is SpeechKind.WRITTEN:
        return t("speakers_cli.in_writing", at=_local(entry.added_at, zone))
    spoken, limit = entry.spoken(now), limit_of(entry, settings.limits)
    start = entry.started_at or entry.added_at
    return t("speakers_cli.spoke", at=_local(start, zone), spoken=clock(spoken), limit=clock(limit))


def _local(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%H:%M")


def _unit_lines(speakers: SpeakersList, unit_seconds: int, now: datetime) -> list[str]:
    units = unit_times(speakers, unit_seconds, now)
    if not units:
        return []
    lines = ["  " + t("speakers_cli.units", each=clock(unit_seconds))]
    for unit in units:
        left = t("speakers_cli.unit_over" if unit.left < 0 else "speakers_cli.unit_left",
                 left=clock(abs(unit.left)))  # fmt: skip
        lines.append(f"    {unit.unit}: " + t("speakers_cli.unit_used", used=clock(unit.used))
                     + f", {left}")  # fmt: skip
    return lines


# ---------------------------------------------------------------- as JSON


def speakers_json(congress: str, shown: Sequence[_Shown], now: datetime) -> dict[str, object]:
    """The lists for other programs (docs/file-formats.md): times in seconds, instants in UTC
    ISO 8601, kinds and statuses as their English names."""
    return {"congress": congress, "at": _utc(now), "lists": [_list_json(s, now) for s in shown]}


def _list_json(one: _Shown, now: datetime) -> dict[str, object]:
    speakers, settings = one.speakers, one.settings
    current = speakers.current
    units = unit_times(speakers, settings.unit_seconds, now)
    return {
        "item": one.key,
        "title": one.title,
        "closed": speakers.closed,
        "limits": {k.value: settings.limits.of(k) for k in SpeechKind if k.spoken},
        "unit_seconds": settings.unit_seconds,
        "current": None if current is None else _entry_json(current, settings, now),
        "waiting": [_entry_json(e, settings, now) for e in speakers.waiting],
        "contributions": [_entry_json(e, settings, now) for e in speakers.contributions],
        "removed": [_entry_json(e, settings, now) for e in _removed(speakers)],
        "units": [
            {"unit": u.unit, "allowed": u.allowed, "used": u.used,
             "left": u.left if u.limited else None, "level": u.level.value}
            for u in units
        ],
    }  # fmt: skip


def _entry_json(entry: Entry, settings: ItemSpeakers, now: datetime) -> dict[str, object]:
    return {
        "number": entry.number,
        "delegate": delegate_number(entry.person),
        "person": entry.person,
        "name": entry.name,
        "unit": entry.unit,
        "title": entry.title,
        "kind": entry.kind.value,
        "status": entry.status.value,
        "source": entry.source.value,
        "asked": entry.asked,
        "limit": limit_of(entry, settings.limits),
        "spoken": entry.spoken(now),
        "added_at": _utc(entry.added_at),
        "started_at": _utc(entry.started_at),
        "ended_at": _utc(entry.ended_at),
        "removed_reason": entry.removed_reason,
    }


def _utc(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat()
