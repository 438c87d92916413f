"""Failed attempts at a secret (the teacher key, a join code), counted per client address.

A client that fails `limit` times within `window` seconds is refused (429, with how long to wait)
until its oldest failure leaves the window: 300 guesses in two seconds become 10 a minute.
"""

import math
import threading
import time
from collections import deque

from app.errors import TooMany


class FailedAttempts:
    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, who: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(who, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def check(self, who: str) -> None:
        """Refuse a client that has failed too often lately (before its attempt is even looked at)."""
        now = time.monotonic()
        with self._lock:
            failures = self._recent(who, now)
            if len(failures) >= self.limit:
                wait = math.ceil(failures[0] + self.window - now)
                raise TooMany("", code="rate_limited", params={"seconds": max(1, wait)})
            if not failures:
                self._failures.pop(who, None)  # nothing to remember: the table stays small

    def failed(self, who: str) -> None:
        with self._lock:
            self._recent(who, time.monotonic()).append(time.monotonic())
