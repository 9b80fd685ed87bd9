"""Issue 13, finding 3: a log rewritten by someone who holds the database, every later hash
recomputed, passes the chain check; the hash the minutes printed does not let it pass."""

import re
from pathlib import Path

import pytest

from db.store import Store
from presidium.cli import main
from printouts.export import export
from tests.harness.export_kit import hold
from tests.harness.tamper import copy_db, rewrite_chain


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A held congress and the final hash its exported minutes print."""
    path, _ = hold(tmp_path_factory)
    out = tmp_path_factory.mktemp("export") / "minutes"
    with Store.open(path) as store:
        export(store, out)
    printed = re.findall(r"\b[0-9a-f]{64}\b", (out / "minutes.md").read_text(encoding="utf-8"))
    assert printed, "the minutes print the chain's final hash"
    return path, printed[-1]


def test_the_printed_hash_anchors_the_log(
    held: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, printed = held
    spaced = " ".join(printed[i : i + 4] for i in range(0, 32, 4)).upper()  # as copied by hand

    assert main(["--lang", "en", "verify", "--db", path, "--anchor", spaced]) == 0

    assert re.search(r"Anchor [0-9a-f]{16}… is event \d+", capsys.readouterr().out)


def test_a_rewritten_chain_passes_verify_but_not_its_anchor(
    held: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, printed = held
    forged = copy_db(path, tmp_path)
    rewrite_chain(forged, 5)
    capsys.readouterr()

    assert main(["--lang", "en", "verify", "--db", forged]) == 0  # the chain alone holds
    assert main(["--lang", "en", "verify", "--db", forged, "--anchor", printed]) == 1

    err = capsys.readouterr().err
    assert f"No event of this log has the hash {printed[:16]}" in err


@pytest.mark.parametrize("given", ["12ab", "zz" * 16, "0" * 65])
def test_an_anchor_that_is_not_a_hash_is_named(
    held: tuple[str, str], given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "verify", "--db", held[0], "--anchor", given]) == 1

    said = capsys.readouterr()
    assert f"--anchor {given}: not a hash" in said.err
    assert said.out == ""  # said before anything was checked: no "intact" first
