"""The congress definition: plain dataclasses for what a CONGRESS.toml file says.

Everything that differs between assemblies is here: the rule set, the base of decisions, an
optional attendance quorum, the rule of show-of-hands votes (overridable per motion kind and per
agenda item), the language, the hall sectors, the door stations and the agenda. The file itself
is read and validated by session.congress_file (which knows the elections; these types do not,
so the elections can use them without a circle).
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from zoneinfo import ZoneInfo

from session.agenda import (
    Agenda,
    AgendaItem,
    MotionKind,
)
from session.majority import Ratio
from session.speakers.settings import SpeakersSettings
from session.tally import VoteBase, VoteRule


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
class VoteRules:
    """The rule of show-of-hands votes: one for every vote, and overrides per motion kind."""

    default: VoteRule
    by_motion: tuple[tuple[MotionKind, VoteRule], ...] = ()

    def for_motion(self, motion: MotionKind) -> VoteRule:
        return next((rule for m, rule in self.by_motion if m is motion), self.default)


@dataclass(frozen=True, slots=True)
class ElectionSpec:
    """An election declared in the congress file ([[elections]]), referred to by `name`.

    `seats` is the number the presidium proposes (the congress votes it by show of hands); for a
    delegation to the higher congress it is the official seats allocated from above, and
    `alternates` the alternate seats the congress will vote.
    """

    name: str
    kind: str  # a session.elections.ElectionKind value
    title: str
    seats: int
    alternates: int = 0
    tie_policy: str = "revote_tied"  # a session.results.TiePolicy value
    auxiliary_boxes: bool = False
    pool: str = ""  # the election whose elected members are the candidates (see _election_pool)


@dataclass(frozen=True, slots=True)
class Backups:
    """[backups]: the app's rolling snapshots of an SQLite congress file (also taken after every
    published result); 0 minutes: only after results. `copy_to`: folders on a second disk or a
    share from a second machine where every snapshot is also written (db/backup.py)."""

    every_minutes: int = 10
    keep: int = 20
    copy_to: tuple[str, ...] = ()


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
    agenda: Agenda = field(default_factory=Agenda)
    vote_rules: VoteRules | None = None  # None: the rule set's (default_vote_rule)
    elections: tuple[ElectionSpec, ...] = ()
    young_age_limit: int = 42  # for the statistics of delegates and elected bodies (7.4)
    backups: Backups = field(default_factory=Backups)
    speakers: SpeakersSettings = field(default_factory=SpeakersSettings)  # [speakers], issue 15
    raw: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def vote_rule(self, motion: MotionKind, item: AgendaItem | None = None) -> VoteRule:
        """The rule a show-of-hands vote on `motion` follows: the agenda item's own majority,
        else [rules.votes.<motion>], else [rules.votes], else the rule set's."""
        if item is not None and item.majority is not None:
            return item.majority
        rules = self.vote_rules or VoteRules(default_vote_rule(self.rules))
        return rules.for_motion(motion)


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


_VOTE_BASE_OF = {
    BaseKind.SUMMONED_ADJUSTED: VoteBase.SUMMONED_ADJUSTED,
    BaseKind.SUMMONED: VoteBase.ENTITLED,
    BaseKind.PRESENT: VoteBase.PRESENT,
}


def default_vote_rule(rules: Rules) -> VoteRule:
    """Show-of-hands votes follow the congress's decision rule and base (domain rules 3.3), except
    under Robert's Rules, where a motion needs a majority of the votes cast, abstentions
    excluded (yes + no, domain rules 9.1), unless [rules] base names a fixed base."""
    if rules.ruleset is RuleSetName.ROBERTS_RULES and rules.base is BaseKind.PRESENT:
        return VoteRule(rules.decision, VoteBase.YES_NO)
    return VoteRule(rules.decision, _VOTE_BASE_OF[rules.base])
