"""speakers.csv, the discussion's annex of the export (issue 15): one row per contribution, the
record the minutes and proceedings.json give (session.speakers.record), by agenda item in
order. Columns: docs/file-formats.md, "speakers.csv"."""

from printouts.csv_files import csv_bytes, local_time
from session.proceedings import Proceedings

SPEAKER_COLUMNS = ("item", "item_number", "item_title", "order", "entry", "person", "name",
                   "unit", "title", "kind", "spoken", "gender", "at", "ended_at",
                   "seconds")  # fmt: skip


def speakers_csv(p: Proceedings) -> bytes:
    """Every contribution (a speech given or one submitted in writing; a speaker removed from
    the list or not heard yet is none), by item in agenda order, then in the order given;
    times in the congress's time zone, `seconds` spoken with pauses left out (empty in
    writing)."""
    rows = []
    for item in p.discussion().items:
        for c in item.contributions:
            rows.append((
                item.item, item.number, item.title, c.order, c.entry, c.person, c.name, c.unit,
                c.title, c.kind.value, c.spoken, c.gender, local_time(c.at, p),
                local_time(c.ended_at, p), c.seconds,
            ))  # fmt: skip
    return csv_bytes(SPEAKER_COLUMNS, rows)
