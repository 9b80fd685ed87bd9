"""Reading CONGRESS.toml: the file validated into session.congress's dataclasses, each problem
named by its key (ConfigError)."""

import contextlib
import tomllib
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from session.agenda import (
    Agenda,
    AgendaItem,
    AgendaSession,
    ItemKind,
    MotionKind,
    PlannedStart,
    SessionKind,
    Template,
    default_agenda,
    item_key,
    parse_clock,
    session_key,
)
from session.congress import (
    LANGUAGES,
    LEVELS,
    PRESET_RULES,
    AttendanceQuorum,
    Backups,
    BaseKind,
    Congress,
    CongressType,
    ElectionSpec,
    Rules,
    RuleSetName,
    Sector,
    VoteRules,
    default_vote_rule,
)
from session.elections import POOLS, ElectionKind
from session.i18n import t
from session.majority import Ratio
from session.results import TiePolicy
from session.speakers.file import congress_speakers, item_speakers
from session.speakers.kinds import SpeakersError
from session.speakers.settings import ItemSpeakers, SpeakersSettings
from session.tally import RuleSource, VoteRule, parse_base
from session.text import nfc

_E = TypeVar("_E", bound=StrEnum)


class ConfigError(ValueError):
    """A congress file that cannot be used; the message names the key and the problem."""


@contextlib.contextmanager
def _speakers_refusal() -> Iterator[None]:
    """The discussion's settings are read by session.speakers.file, whose refusals are
    translated: the congress file still fails one way, as a ConfigError (with that text)."""
    try:
        yield
    except SpeakersError as exc:
        raise ConfigError(str(exc)) from None


def _require(table: dict[str, object], key: str, where: str) -> object:
    if key not in table or table[key] in ("", None):
        raise ConfigError(f"{where}: '{key}' is required")
    return table[key]


def _text(table: dict[str, object], key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default) if default is not None else _require(table, key, where)
    if not isinstance(value, str):
        raise ConfigError(f"{where}.{key}: expected text, got {value!r}")
    return nfc(value)


def _date(value: object, where: str) -> date:
    # A TOML date-time (2025-06-20T08:00:00) is a datetime, itself a date: keep its day, or
    # comparing it with a plain date raises TypeError. Strings are what the store re-reads.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for parse in (date.fromisoformat, lambda v: datetime.fromisoformat(v).date()):
            try:
                return parse(value.strip())
            except ValueError:
                pass
    raise ConfigError(f"{where}: expected a date like 2025-06-20, got {value!r}")


def _ratio(table: dict[str, object], where: str, default_strict: bool) -> Ratio:
    text = table.get("ratio")
    strict = table.get("strict", default_strict)
    if not isinstance(text, str) or not isinstance(strict, bool):
        raise ConfigError(f'{where}: needs ratio = "1/2" and strict = true/false')
    try:
        return Ratio.parse(text, strict)
    except ValueError as exc:
        raise ConfigError(f"{where}.ratio: {exc}") from exc


def _enum(kind: type[_E], value: object, where: str) -> _E:
    try:
        return kind(str(value))
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise ConfigError(f"{where}: {value!r} is not one of {allowed}") from None


_RULES_KEYS = frozenset({"ruleset", "base", "decision", "quorum", "votes"})
_RATIO_KEYS = frozenset({"ratio", "strict"})
_QUORUM_KEYS = _RATIO_KEYS | {"of", "enabled"}


def _known_keys(table: dict[str, object], allowed: frozenset[str], where: str) -> None:
    """A misspelt key in [rules] would silently change the arithmetic: refuse it."""
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{where}.{key}: unknown key (expected {', '.join(sorted(allowed))})")


def _subtable(table: dict[str, object], key: str, where: str) -> dict[str, object] | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ConfigError(f"{where}.{key}: expected a table [{where}.{key}], got {value!r}")
    return value


def _rules(table: dict[str, object]) -> Rules:
    _known_keys(table, _RULES_KEYS, "rules")
    ruleset = _enum(RuleSetName, table.get("ruleset", "vn_party_2014"), "rules.ruleset")
    preset = PRESET_RULES.get(ruleset)
    decision_table = _subtable(table, "decision", "rules")
    if preset is None and decision_table is None:
        raise ConfigError("rules.decision: the custom rule set needs a [rules.decision] table")
    if preset is None and "base" not in table:
        raise ConfigError(
            "rules.base: the custom rule set needs base = summoned_adjusted, summoned or present"
        )
    base = _enum(BaseKind, table.get("base", preset.base if preset else ""), "rules.base")
    decision = preset.decision if preset else Ratio(1, 2)
    if decision_table is not None:
        _known_keys(decision_table, _RATIO_KEYS, "rules.decision")
        decision = _ratio(decision_table, "rules.decision", True)
    quorum = preset.quorum if preset else None
    quorum_table = _subtable(table, "quorum", "rules")
    if quorum_table is not None:
        _known_keys(quorum_table, _QUORUM_KEYS, "rules.quorum")
        enabled = quorum_table.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(f"rules.quorum.enabled: expected true or false, got {enabled!r}")
        if not enabled:
            quorum = None
        else:
            of = _enum(BaseKind, quorum_table.get("of", "summoned"), "rules.quorum.of")
            if of is BaseKind.PRESENT:
                # "2/3 of those present are present" is always true: not a quorum.
                raise ConfigError("rules.quorum.of: must be summoned or summoned_adjusted")
            quorum = AttendanceQuorum(_ratio(quorum_table, "rules.quorum", False), of)
    return Rules(ruleset, base, decision, quorum)


_VOTE_RULE_KEYS = frozenset({"ratio", "strict", "base"})


def _vote_rule(
    table: dict[str, object], where: str, parent: VoteRule, source: RuleSource
) -> VoteRule:
    """A rule that changes what it names and keeps the rest of `parent`."""
    _known_keys(table, _VOTE_RULE_KEYS, where)
    ratio = parent.ratio
    if "ratio" in table or "strict" in table:
        text = table.get("ratio", f"{parent.ratio.num}/{parent.ratio.den}")
        strict = table.get("strict", parent.ratio.strict)
        if not isinstance(text, str) or not isinstance(strict, bool):
            raise ConfigError(f'{where}: needs ratio = "1/2" and strict = true/false')
        try:
            ratio = Ratio.parse(text, strict)
        except ValueError as exc:
            raise ConfigError(f"{where}.ratio: {exc}") from exc
    base = parent.base
    if "base" in table:
        value = table["base"]
        if not isinstance(value, str):
            raise ConfigError(f"{where}.base: expected text, got {value!r}")
        try:
            base = parse_base(value)
        except ValueError as exc:
            raise ConfigError(f"{where}.base: {exc}") from None
    return VoteRule(ratio, base, source)


def _vote_rules(rules_table: dict[str, object], rules: Rules) -> VoteRules:
    default = default_vote_rule(rules)
    table = _subtable(rules_table, "votes", "rules")
    if table is None:
        return VoteRules(default)
    _known_keys(table, _VOTE_RULE_KEYS | {m.value for m in MotionKind}, "rules.votes")
    own = {k: v for k, v in table.items() if k in _VOTE_RULE_KEYS}
    if own:
        default = _vote_rule(own, "rules.votes", default, RuleSource.CONGRESS)
    by_motion = []
    for motion in MotionKind:
        sub = _subtable(table, motion.value, "rules.votes")
        if sub is not None:
            where = f"rules.votes.{motion.value}"
            by_motion.append((motion, _vote_rule(sub, where, default, RuleSource.MOTION)))
    return VoteRules(default, tuple(by_motion))


_AGENDA_KEYS = frozenset({"template", "sessions", "items"})
_SESSION_KEYS = frozenset({"kind", "title", "day", "items"})
_ITEM_KEYS = frozenset(
    {"key", "kind", "title", "presenter", "start", "day", "duration", "motion", "majority"}
    | {"speakers"}
)


def _whole(value: object, where: str, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{where}: expected {what} from {low} to {high}, got {value!r}")
    return value


def _tables(value: object, where: str) -> list[dict[str, object]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where}: expected a list of tables ([[{where}]] blocks)")
    if not value:
        raise ConfigError(f"{where}: needs at least one entry")
    return value


class _AgendaReader:
    """Reads [agenda]: sessions of items, or items alone (one official session)."""

    def __init__(
        self, congress_start: date, days: int, lang: str, votes: VoteRules,
        speakers: SpeakersSettings,
    ) -> None:  # fmt: skip
        self.congress_start = congress_start
        self.days = days
        self.lang = lang
        self.votes = votes
        self.speakers = speakers
        self.item_speakers: dict[str, ItemSpeakers] = {}  # the items that set their own
        self.sessions: list[AgendaSession] = []
        self.items: list[AgendaItem] = []
        self.where_of: dict[str, str] = {}
        self.last_start: tuple[PlannedStart, str] | None = None

    def session(self, table: dict[str, object], where: str, items_where: str) -> None:
        _known_keys(table, _SESSION_KEYS, where)
        kind = _enum(SessionKind, table.get("kind", "official"), f"{where}.kind")
        title = _text(table, "title", where, t(f"agenda.session.{kind.value}", self.lang))
        if not title:
            raise ConfigError(f"{where}.title: must not be empty")
        previous = self.sessions[-1].day if self.sessions else 1
        day = _whole(table.get("day", previous), f"{where}.day", 1, self.days, "a congress day")
        key = session_key(len(self.sessions) + 1)
        self.sessions.append(AgendaSession(key, kind, title, day))
        for i, item in enumerate(_tables(table.get("items"), items_where)):
            self.item(item, f"{items_where}[{i}]", self.sessions[-1])

    def _start(self, table: dict[str, object], where: str, day: int) -> PlannedStart | None:
        value = table.get("start")
        if value is None:
            if "day" in table:
                raise ConfigError(f"{where}.day: only meaningful with a planned start")
            return None
        if "day" in table:
            day = _whole(table["day"], f"{where}.day", 1, self.days, "a congress day")
        if isinstance(value, str) and "-" in value:  # the database copy of a TOML date-time
            with contextlib.suppress(ValueError):
                value = datetime.fromisoformat(value.strip())
        if isinstance(value, datetime):
            if "day" in table:
                raise ConfigError(f"{where}.day: the start already gives the date")
            day = (value.date() - self.congress_start).days + 1
            if not 1 <= day <= self.days:
                raise ConfigError(f"{where}.start: {value.date()} is not a day of the congress")
            value = value.time()
        if isinstance(value, time):
            value = value.isoformat()
        try:
            return PlannedStart(day, parse_clock(str(value)))
        except ValueError:
            raise ConfigError(
                f'{where}.start: expected a time like "07:30", got {value!r}'
            ) from None

    def item(self, table: dict[str, object], where: str, session: AgendaSession) -> None:
        _known_keys(table, _ITEM_KEYS, where)
        kind = _enum(ItemKind, _require(table, "kind", where), f"{where}.kind")
        key = _text(table, "key", where, item_key(len(self.items) + 1))
        if not key:
            raise ConfigError(f"{where}.key: must not be empty")
        if key in self.where_of:
            raise ConfigError(f"{where}.key: {key!r} is already the key of {self.where_of[key]}")
        start = self._start(table, where, session.day)
        duration = None
        if "duration" in table:
            duration = _whole(table["duration"], f"{where}.duration", 1, 24 * 60, "minutes")
        if start is None and duration is None:
            raise ConfigError(f"{where}: needs a planned start or a duration (minutes)")
        if start is not None:
            if self.last_start is not None and (start.day, start.minute) < (
                self.last_start[0].day,
                self.last_start[0].minute,
            ):
                before, other = self.last_start
                raise ConfigError(
                    f"{where}.start: {start.label} on day {start.day} is before the planned "
                    f"start of {other} ({before.label} on day {before.day})"
                )
            self.last_start = (start, where)
        motion = None
        majority = None
        if kind is ItemKind.VOTE:
            motion = _enum(MotionKind, _require(table, "motion", where), f"{where}.motion")
            rule = _subtable(table, "majority", where)
            if rule is not None:
                parent = self.votes.for_motion(motion)
                majority = _vote_rule(rule, f"{where}.majority", parent, RuleSource.ITEM)
        else:
            for only_votes in ("motion", "majority"):
                if only_votes in table:
                    raise ConfigError(f"{where}.{only_votes}: only vote items have one")
        if "speakers" in table:
            with _speakers_refusal():
                own = item_speakers(table["speakers"], f"{where}.speakers", self.speakers)
            self.item_speakers[key] = own
        self.where_of[key] = where
        self.items.append(
            AgendaItem(
                key=key,
                session=session.key,
                kind=kind,
                title=_text(table, "title", where),
                presenter=_text(table, "presenter", where, ""),
                start=start,
                duration=duration,
                motion=motion,
                majority=majority,
            )
        )


def _agenda(
    data: dict[str, object],
    congress_type: "CongressType",
    rules: Rules,
    language: str,
    start: date,
    days: int,
    votes: VoteRules,
    speakers: SpeakersSettings,
) -> tuple[Agenda, Mapping[str, ItemSpeakers]]:
    """The agenda, and the discussion settings of the items that set their own."""
    table = data.get("agenda", {})
    if not isinstance(table, dict):
        raise ConfigError("[agenda] must be a table")
    _known_keys(table, _AGENDA_KEYS, "agenda")
    sessions, items = table.get("sessions"), table.get("items")
    if sessions is not None and items is not None:
        raise ConfigError("agenda: give [[agenda.sessions]] or [[agenda.items]], not both")
    if "template" in table and (sessions is not None or items is not None):
        raise ConfigError("agenda.template: only for a congress file without its own agenda")
    if sessions is None and items is None:
        preset = Template.AGM if rules.ruleset is RuleSetName.ROBERTS_RULES else Template.PARTY
        template = _enum(Template, table.get("template", preset.value), "agenda.template")
        members = congress_type is CongressType.GENERAL_MEMBERS
        return default_agenda(template, language, general_members=members), {}
    reader = _AgendaReader(start, days, language, votes, speakers)
    if items is not None:
        reader.session({"items": items}, "agenda", "agenda.items")
    else:
        for i, session in enumerate(_tables(sessions, "agenda.sessions")):
            where = f"agenda.sessions[{i}]"
            reader.session(session, where, f"{where}.items")
    return Agenda(tuple(reader.sessions), tuple(reader.items)), reader.item_speakers


_ELECTION_KEYS = frozenset(
    {"name", "kind", "title", "seats", "alternates", "tie_policy", "auxiliary_boxes", "pool"}
)


def _election_pool(
    table: dict[str, object], kind: "ElectionKind", earlier: list[ElectionSpec], where: str
) -> str:
    """`pool`: the earlier election whose elected members are the only candidates (a standing
    committee, secretary, deputy or inspection chair; a declared opinion ballot is the secretary
    nomination ballot over the committee)."""

    pooled = kind in POOLS or kind is ElectionKind.OPINION_POLL
    pool = table.get("pool", "")
    if not isinstance(pool, str):
        raise ConfigError(f"{where}.pool: expected the name of an election")
    if not pooled and pool:
        raise ConfigError(f"{where}.pool: a {kind.value} election takes no pool")
    if pooled and not pool:
        raise ConfigError(f"{where}.pool: a {kind.value} election needs the election it draws on")
    if pooled and not any(spec.name == pool for spec in earlier):
        raise ConfigError(f"{where}.pool: {pool!r} is not an election declared before it")
    return pool


def _elections(data: dict[str, object], ruleset: RuleSetName) -> tuple[ElectionSpec, ...]:
    """Reads [[elections]]: each with a unique name, a known kind and a number of seats."""
    # Imported here: session.results (under session.elections) imports this module.

    specs: list[ElectionSpec] = []
    declared = data.get("elections")
    for i, table in enumerate(_tables(declared, "elections") if declared is not None else []):
        where = f"elections[{i}]"
        _known_keys(table, _ELECTION_KEYS, where)
        name = _text(table, "name", where)
        if any(spec.name == name for spec in specs):
            raise ConfigError(f"{where}.name: the election {name!r} is declared twice")
        kind = _enum(ElectionKind, _require(table, "kind", where), f"{where}.kind")
        alternates = _whole(table.get("alternates", 0), f"{where}.alternates", 0, 999, "seats")
        if alternates and kind is not ElectionKind.DELEGATES_HIGHER:
            raise ConfigError(f"{where}.alternates: only a delegation has alternate seats")
        auxiliary = table.get("auxiliary_boxes", ruleset is RuleSetName.ROBERTS_RULES)
        if not isinstance(auxiliary, bool):
            raise ConfigError(f"{where}.auxiliary_boxes: expected true or false")
        pool = _election_pool(table, kind, specs, where)
        nomination = kind is ElectionKind.OPINION_POLL
        seats = table.get("seats", 1) if nomination else _require(table, "seats", where)
        specs.append(
            ElectionSpec(
                name=name,
                kind=kind.value,
                title=_text(table, "title", where),
                seats=_whole(seats, f"{where}.seats", 1, 999, "seats"),
                pool=pool,
                alternates=alternates,
                tie_policy=_enum(
                    TiePolicy, table.get("tie_policy", "revote_tied"), f"{where}.tie_policy"
                ).value,
                auxiliary_boxes=auxiliary,
            )
        )
    return tuple(specs)


def _backups(data: dict[str, object]) -> Backups:
    from pathlib import PureWindowsPath  # (a folder such as E:\presidium is absolute too)

    section = data.get("backups", {})
    if not isinstance(section, dict):
        raise ConfigError("backups: expected a table")
    _known_keys(section, frozenset({"every_minutes", "keep", "copy_to"}), "backups")
    every = _whole(section.get("every_minutes", 10), "backups.every_minutes", 0, 1440, "minutes")
    keep = _whole(section.get("keep", 20), "backups.keep", 1, 10_000, "copies")
    # A folder or a list of them; absolute ("~" and "$VAR" are expanded where the app runs).
    given = section.get("copy_to", [])
    folders = [given] if isinstance(given, str) else given
    if not isinstance(folders, list) or not all(isinstance(f, str) and f for f in folders):
        raise ConfigError(f"backups.copy_to: expected a folder or a list of folders, got {given!r}")
    for folder in folders:
        if not (folder.startswith(("/", "~", "$")) or PureWindowsPath(folder).is_absolute()):
            raise ConfigError(f"backups.copy_to: expected an absolute folder, got {folder!r}")
    if len(set(folders)) < len(folders):
        raise ConfigError(f"backups.copy_to: a folder named twice in {folders!r}")
    return Backups(every, keep, tuple(folders))


def parse_congress(data: dict[str, object]) -> Congress:
    """Validate a parsed TOML document into a Congress; raises ConfigError naming the key."""
    section = data.get("congress")
    if not isinstance(section, dict):
        raise ConfigError("[congress] table is missing")
    level = _text(section, "level", "congress", "other")
    if level not in LEVELS:
        raise ConfigError(f"congress.level: {level!r} is not one of {', '.join(LEVELS)}")
    language = _text(section, "language", "congress", "vi")
    if language not in LANGUAGES:
        raise ConfigError(f"congress.language: {language!r} is not one of vi, en")
    timezone = _text(section, "timezone", "congress", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Asia" is a directory
        raise ConfigError(f"congress.timezone: unknown time zone {timezone!r}") from None
    start = _date(_require(section, "start", "congress"), "congress.start")
    end = _date(section.get("end", start), "congress.end")
    if end < start:
        raise ConfigError("congress.end: the congress ends before it starts")
    rules_table = data.get("rules", {})
    if not isinstance(rules_table, dict):
        raise ConfigError("[rules] must be a table")
    sectors = []
    for i, item in enumerate(data.get("sectors", []) or []):  # type: ignore[union-attr]
        if not isinstance(item, dict):
            raise ConfigError(f"sectors[{i}]: expected a table with code and name")
        sectors.append(
            Sector(_text(item, "code", f"sectors[{i}]"), _text(item, "name", f"sectors[{i}]"))
        )
    codes = [s.code for s in sectors]
    for code in codes:
        if codes.count(code) > 1:
            raise ConfigError(f"sectors: two sectors share the code {code!r}")
    stations = section.get("stations", ["door-1"])
    if (
        not isinstance(stations, list)
        or not stations
        or not all(isinstance(s, str) and nfc(s) for s in stations)
    ):
        raise ConfigError("congress.stations: expected a non-empty list of station names")
    stations = [nfc(s) for s in stations]
    for station in stations:
        if stations.count(station) > 1:
            raise ConfigError(f"congress.stations: the station {station!r} is listed twice")
    congress_type = _enum(CongressType, section.get("type", "representative"), "congress.type")
    rules = _rules(rules_table)
    votes = _vote_rules(rules_table, rules)
    days = (end - start).days + 1
    with _speakers_refusal():
        speakers = congress_speakers(data.get("speakers"))
    agenda, own = _agenda(data, congress_type, rules, language, start, days, votes, speakers)
    return Congress(
        name=_text(section, "name", "congress"),
        level=level,
        term=_text(section, "term", "congress", ""),
        venue=_text(section, "venue", "congress", ""),
        start=start,
        end=end,
        language=language,
        timezone=timezone,
        type=congress_type,
        rules=rules,
        sectors=tuple(sectors),
        stations=tuple(stations),
        agenda=agenda,
        vote_rules=votes,
        elections=_elections(data, rules.ruleset),
        young_age_limit=_whole(
            section.get("young_age_limit", 42), "congress.young_age_limit", 18, 99, "years"
        ),
        backups=_backups(data),
        speakers=SpeakersSettings(speakers.limits, speakers.unit_seconds, own),
        raw=data,
    )


def load_congress(path: Path) -> Congress:
    """Read and validate a congress file; ConfigError names the file, line or key at fault."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:  # a directory, no permission...
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    try:
        return parse_congress(data)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
