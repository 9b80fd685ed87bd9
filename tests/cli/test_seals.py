"""Issue 13, finding 3: checkpoints signed with a key the database never holds. A log
rewritten before a seal, or stripped of its seals, fails `verify --seal-key`."""

import os
from pathlib import Path

import pytest

from db.seals import PUBLISHED, SEALED, load_key
from db.store import Store
from presidium.cli import main
from tests.harness.export_kit import new_store, run_congress
from tests.harness.tamper import copy_db, rewrite_chain


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A congress held by an operator's terminal that sealed every result it published."""
    key = tmp_path_factory.mktemp("usb") / "seal.pem"
    assert main(["--lang", "en", "seal-key", "--out", str(key)]) == 0
    path = str(tmp_path_factory.mktemp("congress") / "congress.db")
    with new_store(path) as store:
        store.seal_with(load_key(key))
        run_congress(store)
    return path, key


def _verify(db: str, public: str) -> int:
    return main(["--lang", "en", "verify", "--db", db, "--seal-key", public])


def test_the_key_stays_off_the_database_and_only_its_owner_reads_it(
    sealed: tuple[str, Path],
) -> None:
    path, key = sealed
    assert os.stat(key).st_mode & 0o077 == 0
    assert key.read_bytes() not in Path(path).read_bytes()
    assert main(["--lang", "en", "seal-key", "--out", str(key)]) == 1  # never over a key


def test_every_published_result_is_sealed_and_verifies(
    sealed: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path, key = sealed
    with Store.open(path) as store:
        events = store.events()
    results = [e.seq for e in events if e.kind in PUBLISHED]
    assert results, "the congress published results"
    for seq in results:  # each in the transaction that published it
        assert events[seq].kind == SEALED and events[seq].payload["seq"] == seq
    public = Path(f"{key}.pub").read_text().strip()

    assert _verify(path, public) == 0
    assert _verify(path, f"{key}.pub") == 0
    assert "every published result is sealed" in capsys.readouterr().out


def test_a_rewritten_log_fails_its_seals(
    sealed: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, key = sealed
    forged = copy_db(path, tmp_path)
    rewrite_chain(forged, 5)
    capsys.readouterr()

    assert main(["--lang", "en", "verify", "--db", forged]) == 0  # the chain alone holds
    assert _verify(forged, f"{key}.pub") == 1

    assert "signed another history" in capsys.readouterr().err


def test_a_log_stripped_of_its_seals_names_the_first_unsealed_result(
    sealed: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, key = sealed
    forged = copy_db(path, tmp_path)
    rewrite_chain(forged, 5, drop_kind=SEALED)
    capsys.readouterr()

    assert _verify(forged, f"{key}.pub") == 1

    assert "published a result that no seal covers" in capsys.readouterr().err


def test_seals_checked_against_another_key_are_refused(
    sealed: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.pem"
    assert main(["seal-key", "--out", str(other)]) == 0
    capsys.readouterr()

    assert _verify(sealed[0], f"{other}.pub") == 1

    assert "made with another key" in capsys.readouterr().err


def test_seal_seals_the_head_now(
    sealed: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, key = sealed
    copy = copy_db(path, tmp_path)
    with Store.open(copy) as store:
        head = store.last_seq()
    assert main(["--lang", "en", "seal", "--db", copy, "--key", str(key)]) == 0
    with Store.open(copy) as store:
        last = store.events()[-1]
        assert (last.kind, last.payload["seq"]) == (SEALED, head)
        assert store.verify() is None
    capsys.readouterr()
    assert _verify(copy, f"{key}.pub") == 0
    assert f"sealed up to event {head}" in capsys.readouterr().out  # the event sealed, not the seal


@pytest.mark.parametrize("content", [b"", b"-----BEGIN PRIVATE KEY-----\nnot a key\n"])
def test_a_key_file_that_is_not_a_key_is_named(
    sealed: tuple[str, Path], tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_bytes(content)

    assert main(["--lang", "en", "seal", "--db", sealed[0], "--key", str(bad)]) == 1

    assert f"{bad} is not a Presidium signing key" in capsys.readouterr().err


def test_an_export_with_the_key_ends_on_a_seal(sealed: tuple[str, Path], tmp_path: Path) -> None:
    path, key = sealed
    copy = copy_db(path, tmp_path)
    out = tmp_path / "minutes"

    assert (
        main(["--lang", "en", "export", "--db", copy, "--out", str(out), "--seal-key", str(key)])
        == 0
    )

    with Store.open(copy) as store:
        last = store.events()[-1]
    assert last.kind == SEALED and last.hash in (out / "minutes.md").read_text(encoding="utf-8")
    assert main(["verify", "--db", copy, "--seal-key", f"{key}.pub", "--export", str(out)]) == 0
