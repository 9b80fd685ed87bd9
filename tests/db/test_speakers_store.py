"""The lists of speakers (issue 15) through the store on SQLite and PostgreSQL: every change one
chained event, the lists replayed from the log, refusals leaving nothing written, and verify
replaying the speakers' events."""

from collections.abc import Callable

import pytest

from db.store import Store
from session.agenda import ItemKind
from session.speakers import EntryStatus, Source, SpeakersError, SpeechKind

MakeStore = Callable[..., Store]


def discussion(store: Store) -> str:
    return next(s.key for s in store.agenda_state().items if s.item.kind is ItemKind.DISCUSSION)


def test_a_discussion_runs_through_the_log(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    item = discussion(store)
    store.add_speaker(item, "Nguyễn Văn An", SpeechKind.PREPARED, person="p001",
                      unit="Xã Hưng Hóa", title="Bí thư", source=Source.IMPORT)  # fmt: skip
    store.add_speaker(item, "Trần Thị Bình", SpeechKind.FLOOR, person="p002")
    store.add_speaker(item, "Lê Văn Chi", SpeechKind.POINT_OF_ORDER, person="p003")
    store.add_speaker(item, "Phạm Dũng", SpeechKind.WRITTEN, person="p004")
    store.move_speaker(item, 2, None)
    store.call_speaker(item, 3)
    store.start_speech(item, 3)
    store.pause_speech(item, 3)
    store.resume_speech(item, 3)
    store.end_speech(item, 3)
    store.remove_speaker(item, 1, "xin rút")
    state = store.close_speakers(item)
    speakers = state.of(item)
    assert [e.number for e in speakers.waiting] == [2]
    assert speakers.get(3).status is EntryStatus.DONE
    assert speakers.get(4).status is EntryStatus.WRITTEN
    assert speakers.get(1).removed_reason == "xin rút" and speakers.closed
    assert store.speakers_state() == state  # replayed from the log, identical
    kinds = [e.kind for e in store.events() if e.kind.startswith(("speaker", "speech"))]
    assert kinds == ["speaker_added"] * 4 + [
        "speaker_moved", "speaker_called", "speech_started", "speech_paused", "speech_resumed",
        "speech_ended", "speaker_removed", "speakers_list_closed",
    ]  # fmt: skip
    assert store.verify() is None


def test_a_refused_change_writes_nothing(make_store: MakeStore, db_url: str) -> None:
    store = make_store(db_url)
    item = discussion(store)
    store.add_speaker(item, "Nguyễn Văn An", SpeechKind.FLOOR, person="p001")
    before = len(store.events())
    for change, key in (
        (lambda: store.add_speaker(item, "Nguyễn Văn An", SpeechKind.FLOOR, person="p001"),
         "already_waiting"),
        (lambda: store.add_speaker("item-99", "Trần Bình", SpeechKind.FLOOR), "unknown_item"),
        (lambda: store.end_speech(item, 1), "not_speaking"),
        (lambda: store.remove_speaker(item, 1, "  "), "reason_required"),
    ):  # fmt: skip
        with pytest.raises(SpeakersError) as caught:
            change()
        assert caught.value.key == key
    assert len(store.events()) == before
    assert store.verify() is None
