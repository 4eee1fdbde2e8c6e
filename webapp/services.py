"""The graph store and search index the views use, attached to the app once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from graph.store import Store
from search.index import SearchIndex


@dataclass
class Services:
    """What a request may use: the graph store, the search index and a restart hook."""

    store: Store
    index: SearchIndex
    ensure_running: Any = None


def init_app(app: Flask) -> None:
    """Attach services given in the config (the serve command and tests open them)."""
    store, index = app.config.get("GRAPH_STORE"), app.config.get("SEARCH_INDEX")
    if store is None or index is None:
        raise RuntimeError("create_app needs GRAPH_STORE and SEARCH_INDEX; use `python -m webapp serve`")
    app.extensions["policygraph"] = Services(store, index, app.config.get("ENSURE_RUNNING"))

    @app.before_request
    def _engine_alive() -> None:
        hook = app.extensions["policygraph"].ensure_running
        if hook is not None:
            hook()


def get() -> Services:
    """The services of the current app."""
    return current_app.extensions["policygraph"]
