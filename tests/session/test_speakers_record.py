"""The record of the discussion (session.speakers.record): which entries are contributions and in
what order, their durations without the pauses, the counts per item and for the congress (women
and units counted as people and units, once), items in agenda order, the JSON; and, for any
discussion, the counts adding up."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from session.speakers import (
    SpeakerAdded,
    SpeakerCalled,
    SpeakerRemoved,
    SpeakersEvent,
    SpeakersState,
    SpeechEnded,
    SpeechKind,
    SpeechPaused,
    SpeechResumed,
    SpeechStarted,
    replay,
)
from session.speakers.events import Source
from session.speakers.record import Counts, count, record, to_json

T0 = datetime(2025, 6, 20, 7, 0, tzinfo=UTC)  # 14:00 in Hà Nội
ITEM, OTHER = "item-14", "item-23"
AGENDA = [
    ("item-11", "Trình bày báo cáo chính trị"),
    (ITEM, "Thảo luận báo cáo chính trị"),
    (OTHER, "Thông qua Nghị quyết đại hội"),
]
GENDERS = {"d00001": "male", "d00002": "female", "d00003": "male", "d00004": "female",
           "d00005": "male"}  # fmt: skip
P, F, R, PO, W = (SpeechKind.PREPARED, SpeechKind.FLOOR, SpeechKind.REPLY,
                 SpeechKind.POINT_OF_ORDER, SpeechKind.WRITTEN)  # fmt: skip


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def gender(person: str) -> str:
    return GENDERS.get(person, "")


class Script:
    """Speakers' events in order, each a second or more after the last."""

    def __init__(self) -> None:
        self.events: list[SpeakersEvent] = []
        self.t = 0
        self.numbers: dict[str, int] = {}

    def tick(self, seconds: int = 1) -> datetime:
        self.t += seconds
        return at(self.t)

    def add(self, name: str, kind: SpeechKind, person: str = "", unit: str = "Xã Hưng Hóa",
            title: str = "Góp ý dự thảo Báo cáo chính trị", item: str = ITEM) -> int:  # fmt: skip
        number = self.numbers.get(item, 0) + 1
        self.numbers[item] = number
        self.events.append(SpeakerAdded(item, number, person, name, unit, title, kind, 0,
                                        Source.SEARCH, self.tick()))  # fmt: skip
        return number

    def speak(self, number: int, *stretches: int, pause: int = 30, item: str = ITEM) -> None:
        """Called, then spoken in stretches of these many seconds with pauses between."""
        self.events.append(SpeakerCalled(item, number, self.tick()))
        self.events.append(SpeechStarted(item, number, self.tick()))
        for i, seconds in enumerate(stretches):
            if i:
                self.events.append(SpeechResumed(item, number, self.tick(pause)))
            end = self.tick(seconds)
            last = i == len(stretches) - 1
            kind = SpeechEnded if last else SpeechPaused
            self.events.append(kind(item, number, end))

    def remove(self, number: int, item: str = ITEM) -> None:
        self.events.append(SpeakerRemoved(item, number, "xin rút", self.tick()))

    def state(self) -> SpeakersState:
        return replay(self.events)


def congress() -> Script:
    """Item 14: a prepared speech (7:30), a point of order (1:05), a written contribution, a
    speech paused and resumed (2:00 + 1:30), one removed, one still waiting; item 23: the same
    woman again and a guest."""
    s = Script()
    an = s.add("Nguyễn Văn An", P, "d00001", "Xã Hưng Hóa")
    binh = s.add("Trần Thị Bình", F, "d00002", "Xã Hiền Quan")
    s.add("Lê Thị Dung", W, "d00004", "Thị trấn Hưng Hóa")
    gone = s.add("Phạm Văn Em", F, "d00005", "Xã Thọ Văn")
    s.add("Hoàng Văn Chờ", F, "d00003", "Xã Thọ Văn")  # still waiting at the end
    s.speak(an, 450)
    order = s.add("Lê Văn Cường", PO, "d00003", "xã hưng hóa")  # the same unit, another case
    s.speak(order, 65)
    s.remove(gone)
    s.speak(binh, 120, 90)
    again = s.add("Trần Thị Bình", R, "d00002", "Xã Hiền Quan", item=OTHER)
    guest = s.add("Đồng chí Khách", F, "", "Tỉnh ủy Phú Thọ", "Ý kiến chỉ đạo", item=OTHER)
    s.speak(again, 60, item=OTHER)
    s.speak(guest, 30, item=OTHER)
    return s


def test_the_contributions_of_an_item_in_the_order_given() -> None:
    r = record(congress().state(), AGENDA, gender)
    first = r.items[0]
    assert (first.item, first.title, first.number) == (ITEM, "Thảo luận báo cáo chính trị", 2)
    names = [c.name for c in first.contributions]
    # the written one was recorded first; then by when each speech started
    assert names == ["Lê Thị Dung", "Nguyễn Văn An", "Lê Văn Cường", "Trần Thị Bình"]
    assert [c.order for c in first.contributions] == [1, 2, 3, 4]
    assert [c.entry for c in first.contributions] == [3, 1, 6, 2]
    assert "Phạm Văn Em" not in names and "Hoàng Văn Chờ" not in names  # removed, waiting
    written, an, order, binh = first.contributions
    assert (written.spoken, written.seconds, written.ended_at) == (False, None, None)
    assert written.at == at(3)  # when it was recorded
    assert (an.spoken, an.seconds, an.kind) == (True, 450, P)
    assert an.ended_at is not None and an.ended_at - an.at == timedelta(seconds=450)
    assert (order.seconds, order.kind) == (65, PO)
    assert binh.seconds == 210  # 2:00 and 1:30, the 30 s pause left out
    assert binh.ended_at is not None and (binh.ended_at - binh.at).seconds == 240
    assert (binh.gender, binh.woman, an.woman) == ("female", True, False)


def test_the_counts_of_an_item_and_of_the_congress() -> None:
    r = record(congress().state(), AGENDA, gender)
    assert [i.item for i in r.items] == [ITEM, OTHER]  # item-11 had no contribution
    assert r.items[0].counts == Counts(contributions=4, spoken=3, written=1, people=4, women=2,
                                       units=3, seconds=450 + 65 + 210)  # fmt: skip
    assert r.items[1].counts == Counts(2, 2, 0, 2, 1, 2, 90)
    # Bình spoke on both items: one person, one woman; Xã Hiền Quan one unit
    assert r.counts == Counts(contributions=6, spoken=5, written=1, people=5, women=2, units=4,
                              seconds=450 + 65 + 210 + 90)  # fmt: skip
    assert len(r.contributions) == 6


def test_women_count_people_not_contributions() -> None:
    s = Script()
    for _ in range(3):  # the same woman three times
        n = s.add("Trần Thị Bình", F, "d00002")
        s.speak(n, 10)
    s.add("Trần Thị Bình", W, "d00002")
    counts = record(s.state(), AGENDA, gender).counts
    assert (counts.contributions, counts.people, counts.women) == (4, 1, 1)


def test_a_guest_is_counted_by_name_and_never_as_a_woman() -> None:
    s = Script()
    for name in ("Khách Thị Một", "khách thị một", "Khách Văn Hai"):
        n = s.add(name, F, "", "")
        s.speak(n, 5)
    r = record(s.state(), AGENDA, lambda person: "female")  # the register knows no guest
    assert (r.counts.people, r.counts.women, r.counts.units) == (2, 0, 0)  # empty unit: none
    assert [c.gender for c in r.contributions] == ["", "", ""]


def test_unknown_gender_is_empty_and_not_a_woman() -> None:
    s = Script()
    n = s.add("Người Lạ", F, "d00099")
    s.speak(n, 5)
    c = record(s.state(), AGENDA, gender).contributions[0]
    assert (c.person, c.gender, c.woman) == ("d00099", "", False)


def test_items_follow_the_agenda_and_a_list_off_the_agenda_comes_last() -> None:
    s = Script()
    for item in ("item-zz", OTHER, ITEM):
        n = s.add("Nguyễn Văn An", W, "d00001", item=item)
        assert n == 1
    r = record(s.state(), AGENDA, gender)
    assert [(i.item, i.number, i.title) for i in r.items] == [
        (ITEM, 2, "Thảo luận báo cáo chính trị"), (OTHER, 3, "Thông qua Nghị quyết đại hội"),
        ("item-zz", 4, "item-zz"),
    ]  # fmt: skip


def test_nothing_said_is_an_empty_record() -> None:
    s = Script()
    n = s.add("Nguyễn Văn An", F, "d00001")
    s.add("Trần Thị Bình", F, "d00002")
    s.events.append(SpeakerCalled(ITEM, n, s.tick()))
    s.events.append(SpeechStarted(ITEM, n, s.tick()))  # at the microphone: not yet
    r = record(s.state(), AGENDA, gender)
    assert r.items == () and r.counts == Counts() and r.contributions == ()
    assert to_json(r) == {"counts": {"contributions": 0, "spoken": 0, "written": 0, "people": 0,
                                     "women": 0, "units": 0, "spoken_seconds": 0},
                          "items": []}  # fmt: skip


def test_the_json_carries_every_contribution_in_utc() -> None:
    data = to_json(record(congress().state(), AGENDA, gender))
    assert data["counts"]["contributions"] == 6 and data["counts"]["women"] == 2  # type: ignore[index]
    item = data["items"][0]  # type: ignore[index]
    assert (item["item"], item["number"], item["counts"]["spoken_seconds"]) == (ITEM, 2, 725)
    written, an = item["contributions"][:2]
    assert written == {
        "order": 1, "entry": 3, "person": "d00004", "name": "Lê Thị Dung",
        "unit": "Thị trấn Hưng Hóa", "title": "Góp ý dự thảo Báo cáo chính trị", "kind": "written",
        "spoken": False, "gender": "female", "at": "2025-06-20T07:00:03+00:00",
        "ended_at": None, "seconds": None,
    }  # fmt: skip
    assert (an["kind"], an["spoken"], an["seconds"]) == ("prepared", True, 450)
    assert an["at"].endswith("+00:00") and an["ended_at"].endswith("+00:00")


# ----------------------------------------------------------------------------- any discussion

KINDS = list(SpeechKind)
FATES = ("spoken", "paused", "removed", "waiting")
speaker = st.tuples(
    st.sampled_from([ITEM, OTHER, "item-11"]),  # the item
    st.integers(0, 7),  # who: 0 a guest, else d0000n
    st.sampled_from(["", "Xã A", "Xã B", "xã a", "Xã C"]),  # the unit
    st.sampled_from(KINDS),
    st.sampled_from(FATES),
    st.lists(st.integers(0, 900), min_size=1, max_size=3),  # stretches spoken
)


def discussion(plan: list[tuple[str, int, str, SpeechKind, str, list[int]]]) -> tuple[Script, int]:
    """The speakers of `plan` added and treated in turn; and the seconds spoken in all."""
    s = Script()
    waiting: set[tuple[str, str, SpeechKind]] = set()
    spoken = 0
    for item, who, unit, kind, fate, stretches in plan:
        person = f"d{who:05d}" if who else ""
        if (item, person, kind) in waiting:
            continue  # the reducer refuses the same delegate waiting twice for the same kind
        name = f"Người {who}" if who else f"Khách {len(s.events) % 3}"
        number = s.add(name, kind, person, unit, item=item)
        if not kind.spoken:
            continue
        if fate in ("spoken", "paused"):
            s.speak(number, *stretches, item=item)
            spoken += sum(stretches)
        if fate == "paused":  # paused, then ended while paused: the pause is not spoken
            s.events[-1] = SpeechPaused(item, number, s.events[-1].at)
            s.events.append(SpeechEnded(item, number, s.tick(60)))
        elif fate == "removed":
            s.remove(number, item=item)
        elif fate == "waiting" and person:
            waiting.add((item, person, kind))
    return s, spoken


@settings(max_examples=150, deadline=None)
@given(st.lists(speaker, max_size=14))
def test_the_counts_add_up_for_any_discussion(
    plan: list[tuple[str, int, str, SpeechKind, str, list[int]]],
) -> None:
    def genders(person: str) -> str:
        return ("female", "male", "")[int(person[1:]) % 3]

    script, spoken = discussion(plan)
    state = script.state()
    r = record(state, AGENDA, genders)
    given_ = [e for lst in state.lists for e in lst.entries
              if e.status.value in ("done", "written")]  # fmt: skip
    assert len(r.contributions) == len(given_) == r.counts.contributions
    assert r.counts.seconds == spoken  # every stretch, no pause
    for c in (r.counts, *(i.counts for i in r.items)):
        assert c.spoken + c.written == c.contributions
        assert 0 <= c.women <= c.people <= c.contributions
        assert 0 <= c.units <= c.contributions
    for i in r.items:
        assert i.counts == count(i.contributions) and i.counts.contributions >= 1
        assert [c.order for c in i.contributions] == list(range(1, len(i.contributions) + 1))
        assert [c.at for c in i.contributions] == sorted(c.at for c in i.contributions)
        assert i.counts.seconds == sum(c.seconds or 0 for c in i.contributions)
    items = r.items
    assert [i.number for i in items] == sorted(i.number for i in items)
    assert r.counts.seconds == sum(i.counts.seconds for i in items)
    assert r.counts.written == sum(i.counts.written for i in items)
    for field in ("people", "women", "units"):
        per_item = [getattr(i.counts, field) for i in items]
        assert max(per_item, default=0) <= getattr(r.counts, field) <= sum(per_item)
    assert all((c.seconds is None) is (not c.spoken) for c in r.contributions)
    assert all(c.woman == (c.gender == "female") for c in r.contributions)
