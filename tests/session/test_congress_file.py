"""The congress file (CONGRESS.toml): the example parses, and each mistake names its key."""

import copy
import dataclasses
import json
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from session.agenda import (
    Agenda,
    AgendaItem,
    ItemKind,
    MotionKind,
    PlannedStart,
    SessionKind,
    Template,
    default_agenda,
)
from session.congress import (
    PRESET_RULES,
    AttendanceQuorum,
    Backups,
    BaseKind,
    CongressType,
    RuleSetName,
    Sector,
    VoteRules,
    default_vote_rule,
)
from session.congress_file import ConfigError, load_congress, parse_congress
from session.demo import demo_congress
from session.majority import Ratio
from session.tally import RuleSource, VoteBase, VoteRule

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


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


# ---------------------------------------------------------------- the agenda and vote rules

AGENDA = {
    "sessions": [
        {
            "kind": "preparatory",
            "day": 1,
            "items": [
                {"kind": "ceremony", "title": "Chào cờ", "start": "07:30", "duration": 5},
                {
                    "kind": "vote",
                    "motion": "procedural_body",
                    "title": "Bầu Đoàn Chủ tịch, Đoàn Thư ký",
                    "presenter": "Cấp ủy triệu tập",
                    "duration": 10,
                },
                {
                    "kind": "vote",
                    "motion": "agenda",
                    "title": "Thông qua chương trình",
                    "duration": 5,
                },
            ],
        },
        {
            "kind": "official",
            "title": "Phiên chính thức – ngày thứ hai",
            "day": 2,
            "items": [
                {"key": "khai-mac", "kind": "procedural", "title": "Khai mạc", "start": time(8)},
                {"kind": "report", "title": "Báo cáo chính trị", "start": "08:20"},
                {"kind": "break", "title": "Nghỉ trưa", "start": "11:30", "duration": 120},
                {
                    "kind": "vote",
                    "motion": "resolution",
                    "title": "Thông qua Nghị quyết",
                    "start": datetime(2025, 6, 22, 15, 0),
                    "duration": 10,
                    "majority": {"ratio": "2/3", "strict": False},
                },
            ],
        },
    ]
}


def with_agenda(data: dict[str, Any], agenda: object) -> dict[str, Any]:
    data["agenda"] = copy.deepcopy(agenda)
    return data


def test_agenda_from_the_file(data: dict[str, Any]) -> None:
    congress = parse_congress(with_agenda(data, AGENDA))
    a = congress.agenda
    assert a.template is None
    assert [(s.key, s.kind, s.day) for s in a.sessions] == [
        ("session-1", SessionKind.PREPARATORY, 1),
        ("session-2", SessionKind.OFFICIAL, 2),
    ]
    assert a.sessions[0].title == "Phiên trù bị"  # from the catalog, in the congress language
    assert a.sessions[1].title == "Phiên chính thức – ngày thứ hai"
    assert [i.key for i in a.items] == [
        "item-01", "item-02", "item-03", "khai-mac", "item-05", "item-06", "item-07",
    ]  # fmt: skip
    first, bodies = a.items[0], a.items[1]
    assert first == AgendaItem(
        "item-01", "session-1", ItemKind.CEREMONY, "Chào cờ", "", PlannedStart(1, 450), 5
    )
    assert (bodies.motion, bodies.presenter, bodies.start) == (
        MotionKind.PROCEDURAL_BODY,
        "Cấp ủy triệu tập",
        None,
    )
    assert a.item("khai-mac").start == PlannedStart(2, 8 * 60)  # type: ignore[union-attr]
    resolution = a.items[-1]
    assert resolution.start == PlannedStart(3, 15 * 60)  # 2025-06-22 is the third day
    assert resolution.majority == VoteRule(
        Ratio(2, 3, strict=False), VoteBase.SUMMONED_ADJUSTED, RuleSource.ITEM
    )
    assert congress.vote_rule(MotionKind.RESOLUTION, resolution) == resolution.majority
    assert congress.vote_rule(MotionKind.RESOLUTION).source is RuleSource.RULESET


def test_a_flat_list_of_items_is_one_official_session(data: dict[str, Any]) -> None:
    data["congress"]["language"] = "en"
    agenda = {"items": [{"kind": "procedural", "title": "Call to order", "duration": 5}]}
    a = parse_congress(with_agenda(data, agenda)).agenda
    assert [(s.kind, s.title) for s in a.sessions] == [(SessionKind.OFFICIAL, "Official session")]
    assert a.items[0].session == "session-1"


@pytest.mark.parametrize(
    ("ruleset", "template"),
    [
        ("vn_party_2014", Template.PARTY),
        ("vn_party_2024", Template.PARTY),
        ("roberts_rules", Template.AGM),
        ("custom", Template.PARTY),
    ],
)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_default_agenda_for_each_rule_set(
    data: dict[str, Any], ruleset: str, template: Template, language: str
) -> None:
    data["rules"] = {"ruleset": ruleset}
    if ruleset == "custom":
        data["rules"] |= {"base": "summoned", "decision": {"ratio": "1/2"}}
    data["congress"]["language"] = language
    a = parse_congress(data).agenda
    assert a == default_agenda(template, language)
    assert a.template is template


def test_default_agenda_for_a_general_members_congress(data: dict[str, Any]) -> None:
    data["congress"]["type"] = "general_members"
    a = parse_congress(data).agenda
    assert a == default_agenda(Template.PARTY, "vi", general_members=True)


def test_template_can_be_chosen(data: dict[str, Any]) -> None:
    data["agenda"] = {"template": "agm"}
    assert parse_congress(data).agenda.template is Template.AGM


def test_the_database_copy_of_an_agenda_reparses_the_same(data: dict[str, Any]) -> None:
    with_agenda(data, AGENDA)
    stored = json.loads(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))
    assert parse_congress(stored) == parse_congress(data)


def test_vote_rules_default_to_the_rule_set(data: dict[str, Any]) -> None:
    party = parse_congress(data)
    assert party.vote_rules == VoteRules(VoteRule(Ratio(1, 2), VoteBase.SUMMONED_ADJUSTED))
    data["rules"] = {"ruleset": "roberts_rules"}
    assert parse_congress(data).vote_rule(MotionKind.AGENDA).base is VoteBase.YES_NO
    data["rules"] = {"ruleset": "roberts_rules", "base": "summoned"}  # of the entire membership
    assert parse_congress(data).vote_rule(MotionKind.AGENDA).base is VoteBase.ENTITLED
    data["rules"] = {"ruleset": "custom", "base": "present", "decision": {"ratio": "2/3"}}
    assert parse_congress(data).vote_rule(MotionKind.OTHER) == VoteRule(
        Ratio(2, 3), VoteBase.PRESENT
    )


def test_vote_rules_per_congress_and_per_motion(data: dict[str, Any]) -> None:
    data["rules"] = {
        "ruleset": "vn_party_2024",
        "votes": {
            "base": "present",
            "rules": {"ratio": "2/3", "strict": False},
            "withdrawal": {"base": "YN"},
        },
    }
    congress = parse_congress(data)
    assert congress.vote_rule(MotionKind.AGENDA) == VoteRule(
        Ratio(1, 2), VoteBase.PRESENT, RuleSource.CONGRESS
    )
    assert congress.vote_rule(MotionKind.RULES) == VoteRule(
        Ratio(2, 3, strict=False), VoteBase.PRESENT, RuleSource.MOTION
    )
    assert congress.vote_rule(MotionKind.WITHDRAWAL) == VoteRule(
        Ratio(1, 2), VoteBase.YES_NO, RuleSource.MOTION
    )
    assert congress.rules == PRESET_RULES[RuleSetName.VN_PARTY_2024]  # the quorum gauge unchanged


def test_an_item_rule_inherits_from_its_motion_rule(data: dict[str, Any]) -> None:
    data["rules"] = {"votes": {"resolution": {"ratio": "3/4", "base": "present"}}}
    agenda = {
        "items": [
            {
                "kind": "vote",
                "motion": "resolution",
                "title": "Nghị quyết",
                "duration": 5,
                "majority": {"strict": False},
            }
        ]
    }
    congress = parse_congress(with_agenda(data, agenda))
    assert congress.agenda.items[0].majority == VoteRule(
        Ratio(3, 4, strict=False), VoteBase.PRESENT, RuleSource.ITEM
    )


def test_a_congress_built_in_code_has_the_rule_sets_vote_rule() -> None:
    congress = parse_congress({"congress": {"name": "Chi bộ 3", "start": date(2025, 4, 2)}})
    bare = dataclasses.replace(congress, agenda=Agenda(), vote_rules=None)
    assert bare.vote_rule(MotionKind.OTHER) == default_vote_rule(bare.rules)
    assert bare.vote_rule(MotionKind.OTHER) == congress.vote_rule(MotionKind.OTHER)
    assert bare.agenda.items == () and congress.days == 1


def _item(**changes: object) -> dict[str, Any]:
    item: dict[str, Any] = {"kind": "report", "title": "Báo cáo", "duration": 10}
    item.update(changes)
    return {"items": [item]}


@pytest.mark.parametrize(
    ("agenda", "named"),
    [
        ("chương trình", "[agenda]"),
        ({"template": "party", "items": _item()["items"]}, "agenda.template"),
        ({"template": "congress"}, "agenda.template"),
        ({"sessions": [], "items": []}, "agenda"),
        ({"session": []}, "agenda.session"),
        ({"items": []}, "agenda.items"),
        ({"items": "Chào cờ"}, "agenda.items"),
        ({"sessions": [{"kind": "plenary", "items": _item()["items"]}]}, "agenda.sessions[0].kind"),
        ({"sessions": [{"day": 4, "items": _item()["items"]}]}, "agenda.sessions[0].day"),
        ({"sessions": [{"day": 0, "items": _item()["items"]}]}, "agenda.sessions[0].day"),
        ({"sessions": [{"title": "", "items": _item()["items"]}]}, "agenda.sessions[0].title"),
        ({"sessions": [{"kind": "official"}]}, "agenda.sessions[0].items"),
        ({"sessions": [{"items": _item()["items"], "start": "07:00"}]}, "agenda.sessions[0].start"),
        (_item(kind="speech"), "agenda.items[0].kind"),
        (_item(kind=None), "agenda.items[0]"),
        (_item(title=""), "agenda.items[0]"),
        (_item(title=7), "agenda.items[0].title"),
        (_item(presenter=3), "agenda.items[0].presenter"),
        (_item(duration=0), "agenda.items[0].duration"),
        (_item(duration="10"), "agenda.items[0].duration"),
        (_item(duration=True), "agenda.items[0].duration"),
        (_item(duration=1441), "agenda.items[0].duration"),
        (_item(duration=None), "agenda.items[0]"),
        (_item(start="7h30"), "agenda.items[0].start"),
        (_item(start="25:00"), "agenda.items[0].start"),
        (_item(start="07:30:15"), "agenda.items[0].start"),
        (_item(start=datetime(2025, 7, 1, 8, 0)), "agenda.items[0].start"),
        (_item(start=datetime(2025, 6, 21, 8, 0), day=2), "agenda.items[0].day"),
        (_item(start="08:00", day=9), "agenda.items[0].day"),
        (_item(day=2), "agenda.items[0].day"),
        (_item(key=""), "agenda.items[0].key"),
        (_item(motion="resolution"), "agenda.items[0].motion"),
        (_item(majority={"ratio": "2/3"}), "agenda.items[0].majority"),
        (_item(kind="vote"), "agenda.items[0]"),
        (_item(kind="vote", motion="budget"), "agenda.items[0].motion"),
        (_item(kind="vote", motion="other", majority="2/3"), "agenda.items[0].majority"),
        (
            _item(kind="vote", motion="other", majority={"base": "members"}),
            "agenda.items[0].majority.base",
        ),
        (
            _item(kind="vote", motion="other", majority={"ratio": "3/2"}),
            "agenda.items[0].majority.ratio",
        ),
        (
            _item(kind="vote", motion="other", majority={"ratio": "2/3", "bse": "present"}),
            "agenda.items[0].majority.bse",
        ),
        (_item(titel="Báo cáo"), "agenda.items[0].titel"),
    ],
)
def test_bad_agenda_names_its_key(data: dict[str, Any], agenda: object, named: str) -> None:
    data["agenda"] = agenda
    assert named in refused(data)


def test_duplicate_item_keys(data: dict[str, Any]) -> None:
    items = [
        {"kind": "report", "title": "A", "duration": 5, "key": "item-02"},
        {"kind": "report", "title": "B", "duration": 5},  # item-02 by position
    ]
    message = refused(with_agenda(data, {"items": items}))
    assert "agenda.items[1].key" in message and "agenda.items[0]" in message


def test_planned_starts_must_not_go_backwards(data: dict[str, Any]) -> None:
    items = [
        {"kind": "report", "title": "A", "start": "09:00"},
        {"kind": "report", "title": "B", "duration": 5},
        {"kind": "report", "title": "C", "start": "08:30"},
    ]
    message = refused(with_agenda(data, {"items": items}))
    assert "agenda.items[2].start" in message and "agenda.items[0]" in message
    items[2]["day"] = 2  # the next morning is fine
    assert parse_congress(with_agenda(data, {"items": items})).agenda.items[2].start == (
        PlannedStart(2, 510)
    )


@pytest.mark.parametrize(
    ("votes", "named"),
    [
        ({"ratio": "2:3"}, "rules.votes.ratio"),
        ({"ratio": 0.5}, "rules.votes"),
        ({"strict": "yes"}, "rules.votes"),
        ({"base": "members"}, "rules.votes.base"),
        ({"base": 3}, "rules.votes.base"),
        ({"budget": {"ratio": "2/3"}}, "rules.votes.budget"),
        ({"resolution": "2/3"}, "rules.votes.resolution"),
        ({"resolution": {"ratio": "2/3", "stric": False}}, "rules.votes.resolution.stric"),
        ({"resolution": {"base": "valid_votes"}}, "rules.votes.resolution.base"),
        ("1/2", "rules.votes"),
    ],
)
def test_bad_vote_rules_name_their_key(data: dict[str, Any], votes: object, named: str) -> None:
    data["rules"] = {"ruleset": "vn_party_2014", "votes": votes}
    assert named in refused(data)


def test_the_docs_agenda_example(tmp_path: Path) -> None:
    """The documented two-day congress: its lunch break lasts until the election, 120 minutes,
    and its Resolution needs two thirds of those present."""
    from session.agenda import planned_minutes

    doc = (EXAMPLES.parent / "docs" / "congress-file.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in doc.split("```toml\n")[1:]]
    block = next(b for b in blocks if "[congress]" in b and "[[agenda.sessions]]" in b)
    path = tmp_path / "c.toml"
    path.write_text(block, encoding="utf-8")
    congress = load_congress(path)
    items = congress.agenda.items
    lunch = next(i for i in items if i.kind is ItemKind.BREAK)
    assert planned_minutes(items)[lunch.key] == 120
    assert lunch.start == PlannedStart(2, 11 * 60 + 30)
    resolution = items[-1]
    assert congress.vote_rule(MotionKind.RESOLUTION, resolution) == VoteRule(
        Ratio(2, 3, strict=False), VoteBase.PRESENT, RuleSource.MOTION
    )


def test_example_declares_committee_and_delegation_elections() -> None:
    congress = load_congress(EXAMPLES / "congress.toml")
    by_name = {e.name: e for e in congress.elections}
    assert set(by_name) == {"committee", "delegation"}
    assert (by_name["committee"].kind, by_name["committee"].seats) == ("committee", 45)
    delegation = by_name["delegation"]
    assert (delegation.kind, delegation.seats, delegation.alternates) == ("delegates_higher", 12, 2)
    assert congress.young_age_limit == 42


@pytest.mark.parametrize(
    ("election", "message"),
    [
        ({"kind": "committee", "title": "x", "seats": 5}, "elections[0]: 'name' is required"),
        ({"name": "a", "kind": "council", "title": "x", "seats": 5}, "elections[0].kind"),
        ({"name": "a", "kind": "committee", "title": "x", "seats": 0}, "elections[0].seats"),
        (
            {"name": "a", "kind": "committee", "title": "x", "seats": 5, "alternates": 2},
            "elections[0].alternates",
        ),
        (
            {"name": "a", "kind": "committee", "title": "x", "seats": 5, "tie_policy": "coin"},
            "elections[0].tie_policy",
        ),
        (
            {"name": "a", "kind": "committee", "title": "x", "seats": 5, "colour": "red"},
            "elections[0].colour",
        ),
    ],
)
def test_bad_election_declarations_name_the_key(election: dict[str, object], message: str) -> None:
    data = {"congress": {"name": "X", "start": "2025-06-20"}, "elections": [election]}
    with pytest.raises(ConfigError) as err:
        parse_congress(data)
    assert message in str(err.value)


def test_an_election_name_is_declared_once() -> None:
    one = {"name": "a", "kind": "committee", "title": "x", "seats": 5}
    data = {"congress": {"name": "X", "start": "2025-06-20"}, "elections": [one, one]}
    with pytest.raises(ConfigError, match="declared twice"):
        parse_congress(data)


def test_backups_have_defaults_and_are_checked() -> None:
    data = tomllib.loads((EXAMPLES / "congress.toml").read_text(encoding="utf-8"))
    assert parse_congress(data).backups == Backups(10, 20)
    data["backups"] = {"every_minutes": 0, "keep": 5}
    assert parse_congress(data).backups == Backups(0, 5)
    data["backups"] = {"every_minutes": -1}
    with pytest.raises(ConfigError, match=r"backups\.every_minutes"):
        parse_congress(data)
    data["backups"] = {"every": 5}
    with pytest.raises(ConfigError, match=r"backups\.every: unknown key"):
        parse_congress(data)
