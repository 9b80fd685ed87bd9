"""A store's clock that a test moves by hand (times on the log must never go backwards). No
pytest here."""

from datetime import datetime, timedelta


class FakeClock:
    """Now, as the test says: `start`, then moved only by :meth:`advance`."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)
