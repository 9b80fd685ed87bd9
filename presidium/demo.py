"""`presidium demo`: a ready-made congress in an SQLite file, with its cards and code list."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from db.store import Store
from session.demo import demo_congress, demo_register


@dataclass(frozen=True)
class DemoFiles:
    db: Path
    cards: Path
    codes: Path


def build_demo(db: Path, delegates: int, start: date, replace: bool = False) -> DemoFiles:
    """Write the demo database and, beside it, the cards PDF and the printed list of codes.

    An existing demo database is reused as it is (so a second `presidium demo` keeps the scans)
    unless `replace` is given.
    """
    from printouts.cards import card_data, write_card_list, write_cards

    db.parent.mkdir(parents=True, exist_ok=True)
    files = DemoFiles(
        db, db.with_name(db.stem + "-cards.pdf"), db.with_name(db.stem + "-codes.pdf")
    )
    if replace:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    if db.exists():
        store = Store.open(str(db), terminal="demo")
    else:
        store = Store.create(str(db), demo_congress(delegates, start), terminal="demo")
        store.import_register(demo_register(delegates), source="demo")
    with store:
        cards = card_data(store)
        write_cards(files.cards, store.congress, cards)
        write_card_list(files.codes, store.congress, cards)
    return files
