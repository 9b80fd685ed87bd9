"""`presidium demo`: a ready-made congress in an SQLite file, with its cards and code list."""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from db.store import Store
from session import election_records as records
from session import elections as el
from session.agenda import ItemKind
from session.candidates import delegate_person
from session.demo import DEMO_CANDIDATES, DEMO_COMMITTEE, demo_congress, demo_register
from session.election_steps import election_from_spec, election_item
from session.quorum import Kind
from session.speakers import SpeechKind
from session.speakers_import import Contribution


@dataclass(frozen=True)
class DemoFiles:
    db: Path
    cards: Path
    codes: Path


def prepare_list(store: Store) -> None:
    """The committee election created with the convening committee's list (every eighth voting
    delegate), so F9 in the demo starts at the seats vote."""
    voters = [d for d in store.delegates() if d.votes][::8][:DEMO_CANDIDATES]
    spec = next(s for s in store.congress.elections if s.name == DEMO_COMMITTEE)
    item = election_item(store.agenda_state())
    assert item is not None
    ruleset = store.congress.rules.ruleset.value

    def events(_book: el.ElectionBook, now: datetime) -> list[el.ElectionEvent]:
        people = [delegate_person(d.number, d.full_name, d.date_of_birth,
                                  committee_member=d.kind is Kind.EX_OFFICIO, english=False)
                  for d in voters]  # fmt: skip
        added = [records.listed(spec.name, p, now) for p in people]
        return [election_from_spec(spec, item, ruleset, now), *added]

    store.record_election_batch(spec.name, events)


# The contributions (tham luận) the demo's units registered before the congress: title, minutes
# asked (0: the kind's limit), written only.
DEMO_CONTRIBUTIONS = (
    ("Nâng cao năng lực lãnh đạo và sức chiến đấu của tổ chức cơ sở đảng", 10, False),
    ("Phát triển nông nghiệp công nghệ cao gắn với xây dựng nông thôn mới", 8, False),
    ("Chuyển đổi số trong cải cách hành chính cấp xã", 7, False),
    ("Công tác cán bộ và bồi dưỡng cán bộ trẻ", 0, False),
    ("Bảo vệ môi trường lưu vực sông Thao", 0, True),
)


def register_contributions(store: Store) -> None:
    """The discussion item's list as the file of registered contributions would put it (F10
    in the demo starts with it), from delegates of different units."""
    item = next(s.key for s in store.agenda_state().items if s.item.kind is ItemKind.DISCUSSION)
    voters = [d for d in store.delegates() if d.votes][3::11]
    registered = zip(voters, DEMO_CONTRIBUTIONS, strict=False)  # (a small register: fewer)
    rows = [
        Contribution(line, item, d.number, d.full_name, d.unit, title,
                     SpeechKind.WRITTEN if written else SpeechKind.PREPARED, minutes * 60)
        for line, (d, (title, minutes, written)) in enumerate(registered, 2)
    ]  # fmt: skip
    store.add_speakers(rows)


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
        prepare_list(store)
        register_contributions(store)
    with store:
        cards = card_data(store)
        write_cards(files.cards, store.congress, cards)
        write_card_list(files.codes, store.congress, cards)
    return files
