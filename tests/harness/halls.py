"""Congresses for the election tests: the example congress with elections declared, every voting
delegate in the hall and the election item running (shared by the test modules through the
`make_hall` fixture of tests/conftest.py)."""

import tomllib
from collections.abc import Callable
from pathlib import Path

from db.store import Store
from session.agenda import ItemKind
from session.demo import demo_register
from session.rollcall import Mode

ROOT = Path(__file__).resolve().parent.parent.parent
E = "committee"
COMMITTEE = {"name": E, "kind": "committee", "title": "Bầu Ban Chấp hành khóa mới", "seats": 3}
Hall = Callable[..., Store]


def election_running(url: str, *elections: dict[str, object]) -> Store:
    """The example congress at `url` with `elections`, 30 demo delegates, every voter in the
    hall and the election item running. The caller closes it."""
    data = tomllib.loads((ROOT / "examples" / "congress.toml").read_text(encoding="utf-8"))
    store = Store.create(url, {**data, "elections": list(elections)})
    store.import_register(demo_register(30), source="test")
    for d in [d for d in store.delegates() if d.votes]:
        store.scan(store.card_code(d.number, 0), Mode.ENTRY, "door")
    item = next(s.key for s in store.agenda_state().items if s.item.kind is ItemKind.ELECTION)
    store.start_item(item)
    return store
