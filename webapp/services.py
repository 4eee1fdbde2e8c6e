"""The graph store, search index, settings, query library and analytics the views use, attached once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from core.loadlog import LoadLog
from graph.analytics import Analysis, AnalyticsCache
from graph.saved import QueryLibrary
from graph.store import Store
from search.index import SearchIndex
from search.query import SearchResults, search
from settings import ROOT, Settings


class ResponseCache:
    """Rendered responses keyed by graph version and request, for the few costly pages that repeat."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], make: Callable[[], bytes]) -> bytes:
        """The cached body for `key`, made (outside the lock) when missing."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        body = make()
        with self._lock:
            self._items[key] = body
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return body


@dataclass
class Services:
    """What a request may use; `home` is None when the app has no instance folder (tests)."""

    store: Store
    index: SearchIndex
    settings: Settings
    home: Path | None
    library: QueryLibrary
    analytics: AnalyticsCache = field(default_factory=AnalyticsCache)
    responses: ResponseCache = field(default_factory=ResponseCache)
    ensure_running: Any = None
    user_store: Store | None = None  # where console and saved queries run (None: `store`)
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    # A search over a large index holds hundreds of MB while it counts facets: bound how many run at once.
    search_slots: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(Settings.search_concurrency))

    def search(self, q: str, **kwargs: Any) -> SearchResults:
        """Run one search on the app's index, at most `settings.search_concurrency` at a time."""
        with self.search_slots:
            return search(self.index, q, **kwargs)

    @property
    def query_store(self) -> Store:
        """The store user-typed and saved queries run on: the disposable user-query engine when there is one."""
        return self.user_store or self.store

    @property
    def load_log(self) -> LoadLog | None:
        """When each document was loaded (None for an app without an instance folder)."""
        return LoadLog(self.settings.load_log) if self.home is not None else None

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
    # User queries live in the graph (shared by every process); old JSON files in home/queries are migrated.
    library = QueryLibrary(ROOT / "queries", home / "queries" if home else None, store)
    # The collaboration network is saved per graph version, so one web process builds it for all.
    analytics = AnalyticsCache(directory=home / "cache" if home else None)
    settings = settings or Settings()
    app.extensions["policygraph"] = Services(store, index, settings, home, library, analytics,
                                             ensure_running=app.config.get("ENSURE_RUNNING"),
                                             user_store=app.config.get("USER_STORE"),
                                             search_slots=threading.BoundedSemaphore(settings.search_concurrency))

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
