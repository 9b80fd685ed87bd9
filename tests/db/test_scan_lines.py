"""A scanned line holding two card codes admits nobody (issue 13, finding 10).

The roll call's scan field hands the store the code its line ends with, or the whole line when
it ends with none (session.scanner.split_trailing_code): this is that path, on a real database.
"""

import pytest

from db.store import Store
from session.cards import display_groups
from session.rollcall import Mode, Reason
from session.scanner import split_trailing_code


def _as_the_scan_field_hands_it(line: str) -> str:
    found = split_trailing_code(line)
    return found[1] if found is not None else line


@pytest.mark.parametrize("separator", ["", " ", "\t"])
def test_a_line_with_two_codes_admits_nobody(store: Store, separator: str) -> None:
    first, second = store.card_code(3, 0), store.card_code(4, 0)
    seq = store.last_seq()
    for line in (first + separator + second, display_groups(first) + " " + display_groups(second)):
        result = store.scan(_as_the_scan_field_hands_it(line), Mode.ENTRY, "door")
        assert result.decision.reason is Reason.MALFORMED
        assert result.delegate is None and result.seq is None
    assert store.check_in_counts() == {}
    assert store.last_seq() == seq  # nothing reached the log
    assert store.scan(_as_the_scan_field_hands_it(second), Mode.ENTRY, "door").delegate
