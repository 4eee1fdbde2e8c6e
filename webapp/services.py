"""The graph store, search index, settings, query library and analytics the views use, attached once."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from graph.analytics import Analysis, AnalyticsCache
from graph.saved import QueryLibrary
from graph.store import Store
from search.index import SearchIndex
from search.query import SearchResults, search
from settings import ROOT, Settings

SEARCH_CONCURRENCY = 2


@dataclass
class Services:
    """What a request may use; `home` is None when the app has no instance folder (tests)."""

    store: Store
    index: SearchIndex
    settings: Settings
    home: Path | None
    library: QueryLibrary
    analytics: AnalyticsCache = field(default_factory=AnalyticsCache)
    ensure_running: Any = None
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    # A search over a large index holds hundreds of MB while it counts facets: bound how many run at once.
    search_slots: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(SEARCH_CONCURRENCY))

    def search(self, q: str, **kwargs: Any) -> SearchResults:
        """Run one search on the app's index, at most SEARCH_CONCURRENCY at a time."""
        with self.search_slots:
            return search(self.index, q, **kwargs)

    def analysis(self) -> Analysis:
        """The collaboration graph with centralities, recomputed only after a load."""
        return self.analytics.get(self.store)


def init_app(app: Flask) -> None:
    """Attach services given in the config (the serve command and tests open them)."""
    store, index = app.config.get("GRAPH_STORE"), app.config.get("SEARCH_INDEX")
    if store is None or index is None:
        raise RuntimeError("create_app needs GRAPH_STORE and SEARCH_INDEX; use `python -m webapp serve`")
    settings: Settings | None = app.config.get("SETTINGS")
    home = settings.home if settings is not None else None
    library = QueryLibrary(ROOT / "queries", home / "queries" if home else None)
    app.extensions["policygraph"] = Services(store, index, settings or Settings(), home, library,
                                             ensure_running=app.config.get("ENSURE_RUNNING"))

    @app.before_request
    def _engine_alive() -> None:
        hook = app.extensions["policygraph"].ensure_running
        if hook is not None:
            hook()


def get() -> Services:
    """The services of the current app."""
    return get_from(current_app)


def get_from(app: Flask) -> Services:
    """The services attached to `app`."""
    return app.extensions["policygraph"]
