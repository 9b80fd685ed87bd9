"""The congress file (CONGRESS.toml): the example parses, and each mistake names its key."""

import copy
import json
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from session.congress import (
    PRESET_RULES,
    AttendanceQuorum,
    BaseKind,
    ConfigError,
    CongressType,
    RuleSetName,
    Sector,
    load_congress,
    parse_congress,
)
from session.demo import demo_congress
from session.majority import Ratio

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def data(congress_data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(congress_data)


def refused(data: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_congress(data)
    return str(caught.value)


# ---------------------------------------------------------------- good files


def test_example_congress_file() -> None:
    congress = load_congress(EXAMPLES / "congress.toml")
    assert congress.name.startswith("Đại hội đại biểu Đảng bộ huyện Tam Nông lần thứ XXIV")
    assert congress.level == "district"
    assert congress.term == "2025–2030"
    assert (congress.start, congress.end) == (date(2025, 6, 20), date(2025, 6, 22))
    assert congress.language == "vi"
    assert congress.timezone == "Asia/Ho_Chi_Minh"
    assert congress.zone.key == "Asia/Ho_Chi_Minh"
    assert congress.type is CongressType.REPRESENTATIVE
    assert congress.stations == ("cửa-chính", "cửa-phụ")
    assert [s.code for s in congress.sectors] == ["A", "B", "C"]
    assert congress.sectors[0] == Sector("A", "Khu A – bên trái")
    assert congress.rules == PRESET_RULES[RuleSetName.VN_PARTY_2014]
    assert congress.rules.base is BaseKind.SUMMONED_ADJUSTED
    assert congress.rules.decision == Ratio(1, 2, strict=True)
    assert congress.rules.quorum is None


def test_defaults_of_a_minimal_file() -> None:
    congress = parse_congress({"congress": {"name": "Đại hội chi bộ 3", "start": date(2025, 4, 2)}})
    assert congress.end == congress.start
    assert (congress.level, congress.language, congress.timezone) == (
        "other",
        "vi",
        "Asia/Ho_Chi_Minh",
    )
    assert congress.type is CongressType.REPRESENTATIVE
    assert congress.rules.ruleset is RuleSetName.VN_PARTY_2014
    assert congress.stations == ("door-1",)
    assert congress.sectors == ()
    assert (congress.term, congress.venue) == ("", "")


def test_demo_congress_is_valid() -> None:
    congress = parse_congress(demo_congress(300, date(2025, 6, 20)))
    assert congress.end == date(2025, 6, 22)
    assert len(congress.sectors) == 3


def test_the_database_copy_reparses_the_same(data: dict[str, Any]) -> None:
    """The store keeps the file as JSON (dates become text) and re-validates it on every open."""
    data["congress"]["start"] = datetime(2025, 6, 20, 7, 30)
    stored = json.loads(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))
    assert parse_congress(stored) == parse_congress(data)


def test_a_toml_date_time_counts_as_its_day(data: dict[str, Any]) -> None:
    data["congress"]["start"] = datetime(2025, 6, 20, 7, 30)
    data["congress"]["end"] = date(2025, 6, 22)
    congress = parse_congress(data)
    assert congress.start == date(2025, 6, 20) and type(congress.start) is date


def test_names_are_nfc(data: dict[str, Any]) -> None:
    data["congress"]["name"] = "Đại hội  chi bộ\u00a0Khối Doanh nghiệp".replace(
        "ộ", "o\u0323\u0302"
    )
    assert parse_congress(data).name == "Đại hội chi bộ Khối Doanh nghiệp"


def test_general_members_congress(data: dict[str, Any]) -> None:
    data["congress"]["type"] = "general_members"
    data["congress"]["level"] = "cell"
    assert parse_congress(data).type is CongressType.GENERAL_MEMBERS


@pytest.mark.parametrize("ruleset", ["vn_party_2014", "vn_party_2024", "roberts_rules"])
def test_presets(data: dict[str, Any], ruleset: str) -> None:
    data["rules"] = {"ruleset": ruleset}
    rules = parse_congress(data).rules
    assert rules == PRESET_RULES[RuleSetName(ruleset)]


def test_party_rulesets_use_the_summoned_adjusted_base_and_no_attendance_quorum() -> None:
    for name in (RuleSetName.VN_PARTY_2014, RuleSetName.VN_PARTY_2024):
        rules = PRESET_RULES[name]
        assert rules.base is BaseKind.SUMMONED_ADJUSTED
        assert rules.decision == Ratio(1, 2, strict=True)
        assert rules.quorum is None


def test_attendance_quorum_on_a_party_ruleset(data: dict[str, Any]) -> None:
    data["rules"] = {"ruleset": "vn_party_2024", "quorum": {"ratio": "2/3"}}
    rules = parse_congress(data).rules
    assert rules.quorum == AttendanceQuorum(Ratio(2, 3, strict=False), BaseKind.SUMMONED)
    assert rules.base is BaseKind.SUMMONED_ADJUSTED


def test_quorum_options(data: dict[str, Any]) -> None:
    data["rules"] = {"quorum": {"ratio": "2/3", "strict": True, "of": "summoned_adjusted"}}
    assert parse_congress(data).rules.quorum == AttendanceQuorum(
        Ratio(2, 3, True), BaseKind.SUMMONED_ADJUSTED
    )


def test_roberts_rules_quorum_can_be_switched_off(data: dict[str, Any]) -> None:
    data["rules"] = {"ruleset": "roberts_rules", "quorum": {"enabled": False}}
    assert parse_congress(data).rules.quorum is None


def test_custom_rules(data: dict[str, Any]) -> None:
    data["rules"] = {
        "ruleset": "custom",
        "base": "summoned",
        "decision": {"ratio": "2/3", "strict": False},
        "quorum": {"ratio": "1/2", "strict": True},
    }
    rules = parse_congress(data).rules
    assert rules.ruleset is RuleSetName.CUSTOM
    assert rules.base is BaseKind.SUMMONED
    assert rules.decision == Ratio(2, 3, strict=False)
    assert rules.quorum == AttendanceQuorum(Ratio(1, 2, True), BaseKind.SUMMONED)


def test_decision_ratio_is_strict_by_default(data: dict[str, Any]) -> None:
    data["rules"] = {"ruleset": "custom", "base": "present", "decision": {"ratio": "1/2"}}
    assert parse_congress(data).rules.decision == Ratio(1, 2, strict=True)


def test_the_docs_examples_parse(tmp_path: Path) -> None:
    """Every complete ```toml example in docs/congress-file.md is a valid congress file."""
    doc = (EXAMPLES.parent / "docs" / "congress-file.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in doc.split("```toml\n")[1:]]
    complete = [b for b in blocks if "[congress]" in b]
    assert len(complete) >= 2
    for block in complete:
        path = tmp_path / "c.toml"
        path.write_text(block, encoding="utf-8")
        load_congress(path)


# ---------------------------------------------------------------- each mistake names its key


def _set(data: dict[str, Any], dotted: str, value: object) -> dict[str, Any]:
    *parents, last = dotted.split(".")
    table = data
    for name in parents:
        table = table.setdefault(name, {})
    table[last] = value
    return data


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("rules.ruleset", "vn_party_2030", "rules.ruleset"),
        ("rules.ruleset", "openslides_custom", "rules.ruleset"),
        ("congress.level", "county", "congress.level"),
        ("congress.level", 3, "congress.level"),
        ("congress.start", "20/06/2025", "congress.start"),
        ("congress.start", "2025-02-30", "congress.start"),
        ("congress.start", 20250620, "congress.start"),
        ("congress.end", "next week", "congress.end"),
        ("congress.end", date(2025, 6, 19), "congress.end"),  # before the start
        ("congress.timezone", "Mars/Olympus_Mons", "congress.timezone"),
        ("congress.timezone", "Asia", "congress.timezone"),  # a directory of zones, not a zone
        ("congress.timezone", "", "congress.timezone"),
        ("congress.timezone", "../../etc/passwd", "congress.timezone"),
        ("congress.language", "fr", "congress.language"),
        ("congress.type", "plenary", "congress.type"),
        ("congress.name", "", "name"),
        ("congress.name", 42, "congress.name"),
        ("congress.stations", [], "congress.stations"),
        ("congress.stations", "cửa-chính", "congress.stations"),
        ("congress.stations", ["cửa-chính", ""], "congress.stations"),
        ("congress.stations", ["cửa-chính", "cửa-chính"], "congress.stations"),
        ("rules.base", "valid", "rules.base"),
        ("rules.quorum", {"ratio": "3/2"}, "rules.quorum"),
        ("rules.quorum", {"ratio": "2:3"}, "rules.quorum"),
        ("rules.quorum", {"ratio": "2/0"}, "rules.quorum"),
        ("rules.quorum", {"ratio": 0.66}, "rules.quorum"),
        ("rules.quorum", {"ratio": "2/3", "strict": "yes"}, "rules.quorum"),
        ("rules.quorum", {"ratio": "2/3", "of": "present"}, "rules.quorum.of"),
        ("rules.quorum", {"ratio": "2/3", "of": "registered"}, "rules.quorum.of"),
        ("rules.quorum", {"ratio": "2/3", "enabled": "no"}, "rules.quorum.enabled"),
        ("rules.quorum", {"ratio": "2/3", "stric": True}, "rules.quorum.stric"),
        ("rules.quorum", "2/3", "rules.quorum"),
        (
            "rules.decision",
            {"ratio": "1/2", "strict": True, "base": "valid"},
            "rules.decision.base",
        ),
        ("rules.decision", "1/2", "rules.decision"),
        ("rules.bse", "summoned", "rules.bse"),
    ],
)
def test_bad_value_names_its_key(data: dict[str, Any], key: str, value: object, named: str) -> None:
    message = refused(_set(data, key, value))
    assert named in message


def test_missing_name(data: dict[str, Any]) -> None:
    del data["congress"]["name"]
    assert "name" in refused(data)


def test_missing_start(data: dict[str, Any]) -> None:
    del data["congress"]["start"]
    assert "start" in refused(data)


def test_missing_congress_table() -> None:
    assert "[congress]" in refused({"rules": {}})


def test_rules_not_a_table(data: dict[str, Any]) -> None:
    data["rules"] = "vn_party_2014"
    assert "[rules]" in refused(data)


def test_duplicate_sector_code(data: dict[str, Any]) -> None:
    data["sectors"].append({"code": "B", "name": "Khu B – ban công"})
    message = refused(data)
    assert "sectors" in message and "'B'" in message


@pytest.mark.parametrize(
    "sectors", [[{"code": "A"}], [{"name": "Khu A"}], ["A"], [{"code": "", "name": "Khu A"}]]
)
def test_bad_sector(data: dict[str, Any], sectors: list[object]) -> None:
    data["sectors"] = sectors
    assert "sectors[0]" in refused(data)


def test_custom_rules_need_a_decision(data: dict[str, Any]) -> None:
    data["rules"] = {"ruleset": "custom", "base": "summoned"}
    assert "rules.decision" in refused(data)


def test_custom_rules_need_a_base(data: dict[str, Any]) -> None:
    data["rules"] = {"ruleset": "custom", "decision": {"ratio": "1/2"}}
    assert "rules.base" in refused(data)


def test_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[congress]\nname = "Đại hội\nstart = 2025-06-20\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_congress(path)
    assert str(path) in str(caught.value)
    assert "line 2" in str(caught.value)
    with pytest.raises(tomllib.TOMLDecodeError):  # the same file really is invalid TOML
        tomllib.loads(path.read_text(encoding="utf-8"))


def test_load_names_the_file_for_a_bad_key(tmp_path: Path) -> None:
    text = (
        (EXAMPLES / "congress.toml").read_text(encoding="utf-8").replace('"district"', '"county"')
    )
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_congress(path)
    assert str(path) in str(caught.value) and "congress.level" in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_congress(tmp_path / "nope.toml")


def test_a_directory_is_not_a_congress_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_congress(tmp_path)
    assert str(tmp_path) in str(caught.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes('[congress]\nname = "Đại hội"\n'.encode("utf-16"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_congress(path)
