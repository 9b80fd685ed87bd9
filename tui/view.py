"""What a result looks like on screen: plain text and a colour, from the Store's answer.

No Textual here, so it is easy to test: the widgets only put these strings in place.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from db.store import DelegateInfo, ScanResult
from session.congress import Congress
from session.i18n import t
from session.quorum import Kind, Status
from session.rollcall import Colour

BELLS = {Colour.GREEN: 1, Colour.YELLOW: 2, Colour.RED: 3}
INFO = "info"  # the colour of operator actions' confirmations
READY = "ready"


@dataclass(frozen=True, slots=True)
class ResultView:
    colour: str  # a Colour value, INFO or READY
    headline: str
    who: str = ""
    detail: str = ""
    time: str = ""
    bells: int = 0


def local(moment: datetime, zone: tzinfo) -> datetime:
    """A stored moment in the venue's time zone (naive moments are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone)


def clock_text(moment: datetime, zone: tzinfo) -> str:
    return local(moment, zone).strftime(t("tui.clock.time"))


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def sector_name(congress: Congress, code: str) -> str:
    for sector in congress.sectors:
        if sector.code == code:
            return sector.name
    return code


def who_line(d: DelegateInfo) -> str:
    return t("tui.result.who", name=d.full_name, number=d.number)


def detail_line(d: DelegateInfo, congress: Congress) -> str:
    parts = [d.unit]
    if d.sector:
        parts.append(t("tui.result.sector", sector=sector_name(congress, d.sector)))
    if d.kind is not Kind.OFFICIAL:
        parts.append(t(f"kind.{d.kind.value}"))
    if d.status is not Status.SUMMONED:
        parts.append(t(f"status.{d.status.value}"))
    return " · ".join(p for p in parts if p)


def scan_view(
    result: ScanResult,
    congress: Congress,
    now: datetime,
    *,
    card_number: int | None = None,
    manual_reason: str | None = None,
) -> ResultView:
    """The banner for one scan (or manual check-in) result."""
    zone = congress.zone
    d = result.delegate
    decision = result.decision
    since = result.previous_since or (d.since if d else None)
    # Every scan.* text takes what it needs of these (str.format ignores the others).
    headline = capitalised(
        t(
            f"scan.{decision.reason.value}",
            since=local(since, zone).strftime(t("format.time")) if since else "?",
            station=result.previous_station or (d.station if d else None) or "?",
            number=card_number if card_number is not None else (d.number if d else "?"),
            kind=t(f"kind.{d.kind.value}") if d else "?",
        )
    )
    detail = detail_line(d, congress) if d else ""
    if manual_reason:
        manual = t("tui.result.manual", reason=manual_reason)
        detail = f"{detail} · {manual}" if detail else manual
    return ResultView(
        decision.colour.value,
        headline,
        who_line(d) if d else "",
        detail,
        clock_text(now, zone),
        BELLS[decision.colour],
    )


def ready_view() -> ResultView:
    return ResultView(READY, t("tui.result.ready"), detail=t("tui.result.ready_hint"))
