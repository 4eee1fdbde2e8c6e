"""A per-client sliding-window rate limit, counted once for all web processes of an instance."""

from __future__ import annotations

from webapp.statestore import StateStore


class RateLimit:
    """Allow at most `limit` calls per client within `window` seconds (at most an hour)."""

    def __init__(self, store: StateStore, name: str, limit: int, window: float) -> None:
        self.store, self.name, self.limit, self.window = store, name, limit, window

    def allow(self, client: str) -> bool:
        """Record a call by `client`; False when it is over the limit."""
        return self.store.hit(self.name, client, self.limit, self.window)

    def blocked(self, client: str) -> bool:
        """True when `client` already used up its calls in the window (nothing is recorded)."""
        return self.store.count(self.name, client, self.window) >= self.limit
