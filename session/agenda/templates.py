"""The built-in agendas, for a congress file without one: the Party congress's (domain rules 7.1,
7.2) and a short annual general meeting's (Robert's Rules), titled in the congress language.
"""

from dataclasses import replace

from session.agenda.plan import (
    Agenda,
    AgendaItem,
    AgendaSession,
    ItemKind,
    MotionKind,
    PlannedStart,
    SessionKind,
    Template,
    item_key,
    session_key,
)
from session.i18n import t

_PREP, _OFF = SessionKind.PREPARATORY, SessionKind.OFFICIAL
_K = ItemKind
_M = MotionKind
# (session, slug, kind, motion, minutes, presenter role). Titles: agenda.template.<t>.<slug>;
# presenters: agenda.presenter.<role>. Domain rules 7.1 (two sessions) and 7.2 (the sequence).
# fmt: off
_PARTY: tuple[tuple[SessionKind, str, ItemKind, MotionKind | None, int, str], ...] = (
    (_PREP, "flag_preparatory", _K.CEREMONY, None, 5, "convening_committee"),
    (_PREP, "introduction", _K.PROCEDURAL, None, 5, "convening_committee"),
    (_PREP, "elect_bodies", _K.VOTE, _M.PROCEDURAL_BODY, 15, "convening_committee"),
    (_PREP, "adopt_agenda", _K.VOTE, _M.AGENDA, 5, "presidium"),
    (_PREP, "adopt_rules", _K.VOTE, _M.RULES, 10, "presidium"),
    (_PREP, "adopt_election_regulation", _K.VOTE, _M.ELECTION_REGULATION, 10, "presidium"),
    (_OFF, "flag_official", _K.CEREMONY, None, 10, "presidium"),
    (_OFF, "opening_speech", _K.PROCEDURAL, None, 15, "presidium"),
    (_OFF, "credentials_report", _K.REPORT, None, 15, "credentials_committee"),
    (_OFF, "adopt_credentials_report", _K.VOTE, _M.CREDENTIALS_REPORT, 5, "presidium"),
    (_OFF, "political_report", _K.REPORT, None, 45, "presidium"),
    (_OFF, "review_report", _K.REPORT, None, 20, "presidium"),
    (_OFF, "break_morning", _K.BREAK, None, 15, ""),
    (_OFF, "discussion", _K.DISCUSSION, None, 95, "presidium"),
    (_OFF, "break_lunch", _K.BREAK, None, 90, ""),
    (_OFF, "higher_leader_speech", _K.PROCEDURAL, None, 30, "higher_leader"),
    (_OFF, "presidium_reply", _K.PROCEDURAL, None, 15, "presidium"),
    (_OFF, "vote_seat_count", _K.VOTE, _M.SEAT_COUNT, 5, "presidium"),
    (_OFF, "vote_election_list", _K.VOTE, _M.ELECTION_LIST, 15, "presidium"),
    (_OFF, "elect_committee", _K.ELECTION, None, 90, "counting_committee"),
    (_OFF, "nominate_secretary", _K.ELECTION, None, 30, "counting_committee"),
    (_OFF, "elect_delegation", _K.ELECTION, None, 60, "counting_committee"),
    (_OFF, "adopt_resolution", _K.VOTE, _M.RESOLUTION, 10, "secretariat"),
    (_OFF, "closing_speech", _K.PROCEDURAL, None, 10, "presidium"),
    (_OFF, "flag_closing", _K.CEREMONY, None, 5, "presidium"),
)
_AGM: tuple[tuple[SessionKind, str, ItemKind, MotionKind | None, int, str], ...] = (
    (_OFF, "call_to_order", _K.PROCEDURAL, None, 5, "chair"),
    (_OFF, "adopt_agenda", _K.VOTE, _M.AGENDA, 5, "chair"),
    (_OFF, "approve_minutes", _K.VOTE, _M.OTHER, 5, "secretary"),
    (_OFF, "reports", _K.REPORT, None, 30, "chair"),
    (_OFF, "adopt_accounts", _K.VOTE, _M.OTHER, 10, "treasurer"),
    (_OFF, "elect_board", _K.ELECTION, None, 30, "chair"),
    (_OFF, "other_business", _K.DISCUSSION, None, 20, "chair"),
    (_OFF, "adjourn", _K.PROCEDURAL, None, 5, "chair"),
)
# fmt: on
# A general-members congress has no credentials committee (domain rules 7.3) and hears a report
# on the members attending instead of a credentials report (7.2 step 5).
_MEMBERS_SLUGS = {
    "elect_bodies": ("elect_bodies_members", "convening_committee"),
    "credentials_report": ("attendance_report", "convening_committee"),
    "adopt_credentials_report": ("adopt_attendance_report", "presidium"),
}
_PARTY_FIRST_START = PlannedStart(1, 7 * 60 + 30)  # "7 giờ 30"
TEMPLATES = {Template.PARTY: _PARTY, Template.AGM: _AGM}


def default_agenda(
    template: Template, lang: str, *, general_members: bool = False, first_day: int = 1
) -> Agenda:
    """The built-in agenda, titled in `lang`. Keys are item-01, item-02... in order."""
    rows = TEMPLATES[template]
    sessions: list[AgendaSession] = []
    items: list[AgendaItem] = []
    for kind, slug, item_kind, motion, minutes, role in rows:
        if not sessions or sessions[-1].kind is not kind:
            title = t(f"agenda.session.{kind.value}", lang)
            sessions.append(AgendaSession(session_key(len(sessions) + 1), kind, title, first_day))
        if general_members and slug in _MEMBERS_SLUGS:
            slug, role = _MEMBERS_SLUGS[slug]
        start = None
        if template is Template.PARTY and not items:
            start = replace(_PARTY_FIRST_START, day=first_day)
        items.append(
            AgendaItem(
                key=item_key(len(items) + 1),
                session=sessions[-1].key,
                kind=item_kind,
                title=t(f"agenda.template.{template.value}.{slug}", lang),
                presenter=t(f"agenda.presenter.{role}", lang) if role else "",
                start=start,
                duration=minutes,
                motion=motion,
            )
        )
    return Agenda(tuple(sessions), tuple(items), template)
