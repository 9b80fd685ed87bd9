"""The projector's discussion panel (issue 15): who speaks, for how long, and who comes next.

Which list it follows: the one with someone at the microphone (speaking or paused) or called to
it; else the running agenda item's, if anyone waits on it; else none, and the panel is hidden.
It shows the speaker's name, unit and title, a large countdown coloured by how the speech stands
(running, near its end, over, paused; called and not started yet: the time they will have), and
the next three speakers, the one called first. The countdown and its levels are the session's
(session.speakers.timing); this module only chooses the words and the colours' classes.
"""

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Digits, Static

from session.agenda import AgendaState
from session.i18n import t
from session.speakers import (
    Entry,
    EntryStatus,
    ItemSpeakers,
    Level,
    SpeakersList,
    SpeakersSettings,
    SpeakersState,
    SpeechKind,
    TimeLimits,
    clock,
    countdown,
    limit_of,
)
from session.speakers.units import unit_time
from tui.widgets.redraw import show

NEXT_SHOWN = 3  # the next speakers the hall sees
FULL_HEIGHT = 12  # the rows the whole panel needs inside its border; fewer: one line
IDLE = "idle"  # nobody at the microphone or called: no countdown
PAUSED = "paused"
CALLED = "called"
# The panel's classes, one at a time: the speech's level (as session.speakers.Level says), paused,
# called, or idle. The same colour meanings as the item bar's (-ok, -soon, -over).
STANDINGS = (*(level.value for level in Level), PAUSED, CALLED, IDLE)
NOTED_KINDS = (SpeechKind.POINT_OF_ORDER, SpeechKind.REPLY)  # named beside the next speakers


def css_class(standing: str) -> str:
    """'near_end' -> '-near-end'."""
    return "-" + standing.replace("_", "-")


# ---------------------------------------------------------------- what it says, as text


def shown_list(state: SpeakersState, agenda: AgendaState) -> SpeakersList | None:
    """The list the projector follows (see the module's docstring); the running item's first
    when two lists have someone at the microphone."""
    running = agenda.current
    lists = sorted(state.lists, key=lambda s: s.item != running)
    for speakers in lists:
        if speakers.current is not None:
            return speakers
    for speakers in lists:
        if speakers.called is not None:
            return speakers
    if running is not None and state.of(running).waiting:
        return state.of(running)
    return None


def on_stage(speakers: SpeakersList) -> Entry | None:
    """Who the panel's top shows: the speaker at the microphone, else the one called to it."""
    return speakers.current or speakers.called


def next_speakers(speakers: SpeakersList) -> tuple[Entry, ...]:
    """The next NEXT_SHOWN speakers after the one on stage, the one called first."""
    stage = on_stage(speakers)
    waiting = [e for e in speakers.waiting if stage is None or e.number != stage.number]
    waiting.sort(key=lambda e: e.status is not EntryStatus.CALLED)  # (a stable sort)
    return tuple(waiting[:NEXT_SHOWN])


def panel_title(speakers: SpeakersList, agenda: AgendaState) -> str:
    found = agenda.find(speakers.item)
    return t("roles.display.speakers.title", item=found.item.title if found else speakers.item)


def speaker_lines(entry: Entry | None) -> list[str]:
    """The name; the unit and the kind of contribution; the title (each on its own line)."""
    if entry is None:
        return [t("roles.display.speakers.nobody")]
    unit = " · ".join(p for p in (entry.unit, t(f"speakers.kind.{entry.kind.value}")) if p)
    lines = [entry.name, unit]
    if entry.title:
        lines.append(t("roles.display.speakers.speech_title", title=entry.title))
    return lines


def standing(entry: Entry | None, limits: TimeLimits, now: datetime) -> tuple[str, str]:
    """The countdown's digits and the panel's standing (a name of STANDINGS): the seconds left
    of a speech ('-0:07' once over), the whole time of one called and not started."""
    if entry is None:
        return "", IDLE
    if entry.status is EntryStatus.CALLED:
        return clock(limit_of(entry, limits)), CALLED
    left = countdown(entry, limits, now)
    if entry.status is EntryStatus.PAUSED:
        return clock(left.left), PAUSED
    return clock(left.left), left.level.value


def state_lines(
    speakers: SpeakersList, entry: Entry | None, item: ItemSpeakers, name: str, now: datetime
) -> list[str]:
    """Beside the digits: how the speech stands, in words, its time limit, and, where the item
    gives each unit its time, what the speaker's unit has left of it."""
    if entry is None:
        return []
    limit = clock(limit_of(entry, item.limits))
    lines = [
        t(f"roles.display.speakers.standing.{name}"),
        t("roles.display.speakers.limit", limit=limit),
    ]
    if item.unit_seconds > 0 and entry.unit:
        unit = unit_time(speakers, entry.unit, item.unit_seconds, now)
        if unit.left < 0:
            lines.append(t("roles.display.speakers.unit_over", time=clock(-unit.left)))
        else:
            lines.append(t("roles.display.speakers.unit_left", time=clock(unit.left)))
    return lines


def next_lines(entries: tuple[Entry, ...], closed: bool) -> list[str]:
    """'Next' and the next speakers, numbered: '1. Name (point of order) · unit'."""
    heading = t("roles.display.speakers.next_closed" if closed else "roles.display.speakers.next")
    lines = [heading]
    for position, entry in enumerate(entries, 1):
        name = entry.name
        if entry.kind in NOTED_KINDS:
            kind = t(f"speakers.kind.{entry.kind.value}")
            name = t("roles.display.speakers.noted", name=name, kind=kind)
        lines.append(f"{position}. " + " · ".join(p for p in (name, entry.unit) if p))
    if not entries:
        lines.append(t("roles.display.speakers.none_next"))
    return lines


def compact_line(entry: Entry | None, digits: str, name: str) -> str:
    """The panel in one line, when it has no room for more: '-0:07 OVER TIME · Name · unit'."""
    if entry is None:
        return t("roles.display.speakers.nobody")
    who = " · ".join(p for p in (entry.name, entry.unit) if p)
    state = t(f"roles.display.speakers.standing.{name}")
    return t("roles.display.speakers.compact", clock=digits, state=state, who=who)


# ---------------------------------------------------------------- the panel


class SpeakersPanel(Vertical):
    """The discussion on the projector; hidden by its screen while there is none to show."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[SpeakersList, ItemSpeakers, datetime] | None = None

    def compose(self) -> ComposeResult:
        yield Static(markup=False, id="speakers-now")
        with Horizontal(id="speakers-clock"):
            yield Digits("", id="speakers-countdown")
            yield Static(markup=False, id="speakers-state")
        yield Static(markup=False, id="speakers-next")

    def follow(
        self, state: SpeakersState, agenda: AgendaState, settings: SpeakersSettings, now: datetime
    ) -> bool:
        """The discussion as it stands at `now`; False when there is none to show."""
        speakers = shown_list(state, agenda)
        if speakers is None:
            self._shown = None
            return False
        self.border_title = panel_title(speakers, agenda)
        self._shown = (speakers, settings.of(speakers.item), now)
        self._draw()
        return True

    def on_resize(self, event: Resize) -> None:
        self.set_class(self.content_region.height < FULL_HEIGHT, "-compact")
        self._draw()

    def _draw(self) -> None:
        if self._shown is None:
            return
        speakers, item, now = self._shown
        entry = on_stage(speakers)
        digits, name = standing(entry, item.limits, now)
        for each in STANDINGS:
            self.set_class(each == name, css_class(each))
        now_text = (
            compact_line(entry, digits, name)
            if self.has_class("-compact")
            else "\n".join(speaker_lines(entry))
        )
        show(self.query_one("#speakers-now", Static), now_text)
        self.query_one("#speakers-countdown", Digits).update(digits)
        state = state_lines(speakers, entry, item, name, now)
        show(self.query_one("#speakers-state", Static), "\n".join(state))
        lines = next_lines(next_speakers(speakers), speakers.closed)
        show(self.query_one("#speakers-next", Static), "\n".join(lines))

    @property
    def text(self) -> str:
        """What it says (not the digits), for tests."""
        parts = [self.query_one(f"#speakers-{name}", Static) for name in ("now", "state", "next")]
        return "\n".join(str(p.content) for p in parts)

    @property
    def digits(self) -> str:
        return self.query_one("#speakers-countdown", Digits).value
