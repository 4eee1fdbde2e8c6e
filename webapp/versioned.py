"""Values computed once per graph version (the corpus overview, the dated measures of the deadline board)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from webapp import services

log = logging.getLogger(__name__)

_KEY = "policygraph.versioned"


class VersionedCache:
    """One value per name, recomputed when the graph's version changes; one computation at a time per name."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, Any]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, name: str, version: str, make: Callable[[], Any]) -> Any:
        """The value of `name` at `version`, made when missing (others asking meanwhile wait for it)."""
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            item = self._items.get(name)
            if item is None or item[0] != version:
                log.info("computing %s for graph version %s", name, version)
                item = (version, make())
                self._items[name] = item
            return item[1]


def version() -> str:
    """The current graph version (asked at most every few seconds; see AnalyticsCache.version)."""
    svc = services.get()
    return svc.analytics.version(svc.store)


def cached(name: str, make: Callable[[], Any], also: str = "") -> tuple[str, Any]:
    """(graph version, the value of `name` at that version) for the current app; `also` is more of the
    value's key (a file it reads besides the graph)."""
    cache = current_app.extensions.setdefault(_KEY, VersionedCache())
    current = version()
    return current, cache.get(name, current + also, make)


def warm_pages(app: Flask) -> None:
    """Compute the overview and the deadline board's data now (at start), so their first visitor does not wait
    (at 10,000 documents: about 3 s and 10 s)."""
    from webapp.views import deadlines, overview

    try:
        with app.app_context():
            overview.home()
            deadlines._data()
        log.info("overview and deadline board ready")
    except Exception:  # a failed warm-up only means the first request computes them
        log.warning("could not pre-compute the overview and the deadline board", exc_info=True)
