"""A role's login carries its passphrase in the store's URL (db/logins.py): no message shows it."""

from db.engine import shown_url
from db.logins import login_url
from session.roles import Role


def test_a_login_s_passphrase_never_reaches_a_message() -> None:
    url = login_url("postgresql://owner@10.0.0.1:5432/congress", Role.DOOR, "cửa chính 2026!")

    shown = shown_url(url)

    assert "cửa" not in shown and "2026" not in shown and "***" in shown
    assert shown.endswith("@10.0.0.1:5432/congress")
    assert shown_url("sqlite:///tmp/congress.db") == "sqlite:///tmp/congress.db"
