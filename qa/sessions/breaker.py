"""A circuit breaker for the session store: when the store is down or hung, fail at once instead
of making every request wait out a timeout.

Closed: calls go through. After `threshold` failures in a row it opens: calls fail at once for
`cooldown` seconds. Then one call is let through as a probe (half-open): success closes the
breaker, failure opens it again. Other calls fail at once while the probe is out."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from qa.errors import SessionStoreError

T = TypeVar("T")
FAILURES_TO_OPEN = 3
COOLDOWN_S = 1.0


class CircuitBreaker:
    def __init__(
        self,
        what: str,
        threshold: int = FAILURES_TO_OPEN,
        cooldown: float = COOLDOWN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what, self.threshold, self.cooldown, self.clock = what, threshold, cooldown, clock
        self.failures = 0
        self.open_until: float | None = None
        self.probing = False
        self.last_error = ""
        self._lock = threading.Lock()

    def _admit(self) -> bool:
        """Whether this call may go to the store; True for the one probe of a half-open breaker."""
        with self._lock:
            if self.open_until is None:
                return True
            if self.clock() < self.open_until or self.probing:
                return False
            self.probing = True
            return True

    def call(self, fn: Callable[[], T]) -> T:
        """fn(), which raises SessionStoreError on failure; or SessionStoreError at once while open."""
        if not self._admit():
            raise SessionStoreError(f"{self.what} is unavailable ({self.last_error}); failing fast until it answers")
        try:
            result = fn()
        except SessionStoreError as exc:
            self._failed(exc)
            raise
        with self._lock:
            self.failures, self.open_until, self.probing = 0, None, False
        return result

    def _failed(self, exc: SessionStoreError) -> None:
        with self._lock:
            self.failures += 1
            self.last_error = exc.message
            self.probing = False
            if self.failures >= self.threshold or self.open_until is not None:
                self.open_until = self.clock() + self.cooldown
