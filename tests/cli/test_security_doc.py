"""docs/security.md says which test checks each of its claims: every test it names exists."""

import re

from tests.conftest import ROOT

PAGE = ROOT / "docs" / "security.md"
CITED = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")


def test_every_test_the_security_page_cites_exists() -> None:
    cited = CITED.findall(PAGE.read_text(encoding="utf-8"))
    assert len(cited) >= 15, "the page cites its tests"
    for path, name in cited:
        source = ROOT / path
        assert source.is_file(), f"docs/security.md cites {path}, which does not exist"
        if name:
            assert re.search(rf"def {name}\(", source.read_text(encoding="utf-8")), (
                f"docs/security.md cites {path}::{name}, which does not exist"
            )
