"""A re-import changes only what its file has columns for (issue 13, finding 9).

A secretariat re-imports a register with only the four required columns (a delegate moved to
another unit, a late delegate): that blanked the gender, date of birth, ethnicity, origin,
education and sector of every delegate. A column the file does not have is kept as it stands;
the import's event says exactly what changed, and `presidium verify` still agrees with the
database."""

import csv
import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from db.store import Store
from presidium.cli import main
from session.demo import demo_register
from session.register import DelegateRecord, read_register

REQUIRED_HEADER = ["number", "full_name", "unit", "kind"]
KEPT = ("origin", "gender", "date_of_birth", "ethnicity", "education", "sector")


def _required_columns_only(path: Path, records: list[DelegateRecord]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REQUIRED_HEADER)
    writer.writerows([r.number, r.full_name, r.unit, r.kind.value] for r in records)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _fields(store: Store) -> dict[int, tuple[object, ...]]:
    return {d.number: tuple(getattr(d, f) for f in KEPT) for d in store.delegates()}


def test_a_reimport_with_only_the_required_columns_keeps_every_other_field(
    make_store: Callable[..., Store],
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    records = demo_register(30)
    before = _fields(make_store(db_url, delegates=30))  # the demo register, every field filled
    assert all(gender for _, gender, *_ in before.values())  # the full register filled them

    moved = replace(records[4], unit="Xã Tân Phú")
    late = DelegateRecord(31, "Lò Văn Pó", "Xã Mường So", records[2].kind)
    changed = [*records[:4], moved, *records[5:], late]
    path = _required_columns_only(tmp_path / "required.csv", changed)

    assert main(["--lang", "en", "import", str(path), "--db", db_url]) == 0
    assert "1 added, 1 updated, 29 unchanged" in capsys.readouterr().out
    with Store.open(db_url) as store:
        after = _fields(store)
        assert {n: after[n] for n in before} == before  # nothing blanked
        assert after[31] == ("", "", None, "", "", "")  # a new delegate has what the file gave
        assert store.delegate(5).unit == "Xã Tân Phú"  # type: ignore[union-attr]
        event = store.events()[-1]
    assert event.kind == "register_imported"
    assert event.payload["updated"] == [{"number": 5, "fields": ["unit"]}]
    assert event.payload["added"] == [31]
    assert main(["--lang", "en", "verify", "--db", db_url]) == 0
    assert "Audit chain intact" in capsys.readouterr().out


def test_a_record_read_from_a_file_knows_its_columns(tmp_path: Path) -> None:
    records = read_register(_required_columns_only(tmp_path / "r.csv", demo_register(3)))
    assert all(r.given == frozenset(REQUIRED_HEADER) for r in records)
    assert demo_register(1)[0].given >= frozenset(KEPT)  # built in full: every field given
