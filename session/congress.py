"""The congress definition: what a CONGRESS.toml file says, validated into plain dataclasses.

Everything that differs between assemblies is here: the rule set, the base of decisions, an
optional attendance quorum, the language, the hall sectors and the door stations.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from session.majority import Ratio
from session.text import nfc

_E = TypeVar("_E", bound=StrEnum)


class ConfigError(ValueError):
    """A congress file that cannot be used; the message names the key and the problem."""


class RuleSetName(StrEnum):
    VN_PARTY_2014 = "vn_party_2014"
    VN_PARTY_2024 = "vn_party_2024"
    ROBERTS_RULES = "roberts_rules"
    CUSTOM = "custom"


class BaseKind(StrEnum):
    """What the decision base counts (domain rules 2.1, 2.2, 9.1)."""

    SUMMONED_ADJUSTED = "summoned_adjusted"  # Party: summoned minus whole-congress absences
    SUMMONED = "summoned"  # every voting delegate on the register
    PRESENT = "present"  # those present at the moment


class CongressType(StrEnum):
    REPRESENTATIVE = "representative"
    GENERAL_MEMBERS = "general_members"


LEVELS = ("cell", "grassroots", "district", "province", "national", "other")
LANGUAGES = ("vi", "en")


@dataclass(frozen=True, slots=True)
class AttendanceQuorum:
    """'At least 2/3 of the summoned present' and the like (domain rules 2.3)."""

    ratio: Ratio
    of: BaseKind = BaseKind.SUMMONED


@dataclass(frozen=True, slots=True)
class Rules:
    ruleset: RuleSetName
    base: BaseKind
    decision: Ratio  # what a decision needs, measured against `base`
    quorum: AttendanceQuorum | None


@dataclass(frozen=True, slots=True)
class Sector:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Congress:
    name: str
    level: str
    term: str
    venue: str
    start: date
    end: date
    language: str
    timezone: str
    type: CongressType
    rules: Rules
    sectors: tuple[Sector, ...] = ()
    stations: tuple[str, ...] = ("door-1",)
    raw: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


PRESET_RULES: dict[RuleSetName, Rules] = {
    RuleSetName.VN_PARTY_2014: Rules(
        RuleSetName.VN_PARTY_2014, BaseKind.SUMMONED_ADJUSTED, Ratio(1, 2, strict=True), None
    ),
    RuleSetName.VN_PARTY_2024: Rules(
        RuleSetName.VN_PARTY_2024, BaseKind.SUMMONED_ADJUSTED, Ratio(1, 2, strict=True), None
    ),
    # RONR: quorum is a majority of the delegates registered; motions need a majority of votes cast,
    # so the gauge can only show the quorum before a vote: no fixed base (PRESENT), hence no
    # "decisions need at least N" (domain rules 9.1).
    RuleSetName.ROBERTS_RULES: Rules(
        RuleSetName.ROBERTS_RULES,
        BaseKind.PRESENT,
        Ratio(1, 2, strict=True),
        AttendanceQuorum(Ratio(1, 2, strict=True), BaseKind.SUMMONED),
    ),
}


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


_RULES_KEYS = frozenset({"ruleset", "base", "decision", "quorum"})
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
    return Congress(
        name=_text(section, "name", "congress"),
        level=level,
        term=_text(section, "term", "congress", ""),
        venue=_text(section, "venue", "congress", ""),
        start=start,
        end=end,
        language=language,
        timezone=timezone,
        type=_enum(CongressType, section.get("type", "representative"), "congress.type"),
        rules=_rules(rules_table),
        sectors=tuple(sectors),
        stations=tuple(stations),
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
