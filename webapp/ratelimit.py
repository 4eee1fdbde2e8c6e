"""A small per-client sliding-window rate limit (in memory, per process)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class RateLimit:
    """Allow at most `limit` calls per client within `window` seconds."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._calls: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        """Record a call by `client`; False when it is over the limit."""
        now = time.monotonic()
        with self._lock:
            calls = self._calls[client]
            while calls and now - calls[0] > self.window:
                calls.popleft()
            if len(calls) >= self.limit:
                return False
            calls.append(now)
            if len(self._calls) > 10_000:  # forget idle clients so memory stays bounded
                self._forget_idle(now)
            return True

    def blocked(self, client: str) -> bool:
        """True when `client` already used up its calls in the window (nothing is recorded)."""
        now = time.monotonic()
        with self._lock:
            calls = self._calls.get(client)
            return bool(calls) and sum(1 for t in calls if now - t <= self.window) >= self.limit

    def _forget_idle(self, now: float) -> None:
        for client in [c for c, q in self._calls.items() if not q or now - q[-1] > self.window]:
            del self._calls[client]
