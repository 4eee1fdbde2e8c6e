"""Open the configured graph backend: Neo4j when NEO4J_URI is set, else the embedded engine."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from graph.engine import EmbeddedEngine
from graph.errors import EngineBusy
from graph.secrets import load_or_create_secrets
from graph.store import FalkorStore, Store
from settings import Settings

log = logging.getLogger(__name__)


@dataclass
class GraphHandle:
    """An open store, and the engine process when this process owns one."""

    store: Store
    engine: EmbeddedEngine | None = None

    def ensure_running(self) -> None:
        """Restart an owned engine that crashed (its append-only file keeps the data)."""
        if self.engine is not None:
            self.engine.ensure_running()


@contextmanager
def open_graph(settings: Settings, attach: bool = False) -> Iterator[GraphHandle]:
    """Open the store for the duration of a `with` block; stop what was started on exit.

    `attach=True` (the loader CLI) reuses an embedded engine that another PolicyGraph
    process already runs on the same data directory instead of refusing.
    """
    if settings.uses_neo4j:
        from graph.neo4j_store import Neo4jStore

        store: Store = Neo4jStore.connect(settings.neo4j_uri, settings.neo4j_username,
                                          settings.neo4j_password, settings.neo4j_database)
        handle = GraphHandle(store)
    else:
        handle = _open_embedded(settings, attach)
    try:
        handle.store.setup_schema()
        yield handle
    finally:
        handle.store.close()
        if handle.engine is not None:
            handle.engine.stop()


def _open_embedded(settings: Settings, attach: bool) -> GraphHandle:
    engine = EmbeddedEngine(settings.engine_dir, timeout_max_ms=max(60_000, settings.query_timeout_ms))
    try:
        engine.start()
    except EngineBusy:
        if not attach:
            raise
        log.info("attaching to the graph engine another process runs on %s", settings.engine_dir)
        secrets = load_or_create_secrets(engine.data_dir)
        store = FalkorStore(str(engine.socket_path), secrets.admin_password, secrets.reader_password,
                            settings.graph_name)
        return GraphHandle(store)
    assert engine.secrets is not None
    store = FalkorStore(str(engine.socket_path), engine.secrets.admin_password,
                        engine.secrets.reader_password, settings.graph_name)
    return GraphHandle(store, engine)
