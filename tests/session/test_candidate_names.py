"""Issue 13, finding 8, on candidate lists: a name printed on the ballots is refused, with its
line and field, when it holds a control character, a bidirectional override or nothing visible."""

import pytest

from session.candidates import parse_candidates
from session.register import RegisterError

HEADER = ("STT", "Họ và tên")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Lê Văn\x1b[2J An", "hidden_character"),
        ("Trần \u202eThị Bình", "hidden_character"),
        ("\u3164\u3164", "nothing_visible"),
        ("A" * 256, "too_long"),
    ],
)
def test_a_candidate_name_that_would_print_wrong_is_refused_with_its_line(
    name: str, problem: str
) -> None:
    rows = [(1, HEADER), (2, ("1", "Nguyễn Văn Khỏe")), (3, ("2", name))]

    with pytest.raises(RegisterError) as refused:
        parse_candidates(rows)

    found = [(p.line, p.key, p.column) for p in refused.value.problems]
    assert found == [(3, problem, "full_name")]


def test_a_vietnamese_name_passes() -> None:
    rows = [(1, HEADER), (2, ("1", "Nguyễn Thị Ánh Tuyết"))]
    assert [c.full_name for c in parse_candidates(rows)] == ["Nguyễn Thị Ánh Tuyết"]
