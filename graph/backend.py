"""Open the configured graph backend: Neo4j when NEO4J_URI is set, else the embedded engine."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from graph.engine import EmbeddedEngine
from graph.errors import EngineBusy, EngineError, GraphError
from graph.sandbox import SandboxEngine, SandboxStore, sandbox_dir
from graph.secrets import load_or_create_secrets
from graph.store import FalkorStore, Store
from settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class GraphHandle:
    """An open store, and the engine process when this process owns one.

    `user_store` runs user-typed and saved queries: on the embedded backend a disposable copy of the
    graph in a second engine process (graph/sandbox.py), when `open_graph(user_queries=True)`.
    """

    store: Store
    engine: EmbeddedEngine | None = None
    user_store: Store | None = None
    sandbox: SandboxEngine | None = None

    def ensure_running(self) -> None:
        """Restart an owned engine that crashed (its append-only file keeps the data)."""
        if self.engine is not None:
            self.engine.ensure_running()


@contextmanager
def open_graph(settings: Settings, attach: bool = False, user_queries: bool = False) -> Iterator[GraphHandle]:
    """Open the store for the duration of a `with` block; stop what was started on exit.

    `attach=True` (the loader CLI) reuses an embedded engine that another PolicyGraph
    process already runs on the same data directory instead of refusing.  `user_queries=True`
    (the web app, `graph query`) also opens the user-query engine: started here when this process
    owns the main engine or no other process runs one, attached to otherwise.
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
        if user_queries:
            _open_user_queries(handle, settings)
        yield handle
    finally:
        if handle.user_store is not None and handle.user_store is not handle.store:
            handle.user_store.close()
        if handle.sandbox is not None:
            handle.sandbox.stop()
        handle.store.close()
        if handle.engine is not None:
            handle.engine.stop()


def _open_user_queries(handle: GraphHandle, settings: Settings) -> None:
    """The store user queries run on: the disposable engine (embedded), or the main store (Neo4j)."""
    if not isinstance(handle.store, FalkorStore):
        handle.user_store = handle.store  # Neo4j: its transaction timeout and READ access apply
        return
    directory = sandbox_dir(settings.engine_dir)
    sandbox = SandboxEngine(directory, settings.query_timeout_ms, settings.row_cap, reply_cap_bytes(settings),
                            settings.user_query_mem_bytes, settings.user_query_headroom_bytes)
    try:
        # The main engine's owner runs and watches the user-query engine (`serve`; its workers attach to
        # it).  An attached `graph query` whose main engine a `loaders load` owns finds none, and starts its own.
        handle.sandbox = sandbox.start()
    except EngineBusy:
        if handle.engine is not None:
            raise
        log.info("attaching to the user-query engine another process runs on %s", directory)
    handle.user_store = SandboxStore(handle.store, directory, settings.graph_name, settings.query_timeout_ms,
                                     settings.user_query_grace_ms, settings.user_query_headroom_bytes)


def reply_cap_bytes(settings: Settings) -> int:
    """The largest reply the user-query engine may send (a bigger one closes the connection)."""
    return max(32 * 1024 * 1024, 4 * settings.response_byte_cap)


def wait_for_engine(connect: Callable[[], T], data_dir: Path, wait_s: float = Settings.engine_attach_wait_s) -> T:
    """`connect()` once the engine another process owns answers; it restarts a crashed engine within
    seconds, so wait that long before saying it is down (naming the owner and what to do)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return connect()
        except GraphError as e:
            if time.monotonic() >= deadline:
                owner = _owner(data_dir)
                raise EngineError(f"the graph engine of {data_dir} (owned by process {owner}) has not answered for "
                                  f"{wait_s:.0f}s ({e}); restart the app that owns it (or stop it and run this "
                                  "command alone, which starts its own engine), then run the same command again"
                                  ) from e
            time.sleep(0.5)


def _owner(data_dir: Path) -> str:
    try:
        return (data_dir / "engine.lock").read_text().strip() or "?"
    except OSError:
        return "?"


def _open_embedded(settings: Settings, attach: bool) -> GraphHandle:
    engine = EmbeddedEngine(settings.engine_dir, timeout_max_ms=max(60_000, settings.query_timeout_ms),
                            query_mem_bytes=settings.engine_query_mem_bytes)
    try:
        engine.start()
    except EngineBusy:
        if not attach:
            raise
        log.info("attaching to the graph engine another process runs on %s", settings.engine_dir)
        secrets = load_or_create_secrets(engine.data_dir)
        store = wait_for_engine(lambda: FalkorStore(str(engine.socket_path), secrets.admin_password,
                                                    secrets.reader_password, settings.graph_name),
                                engine.data_dir, settings.engine_attach_wait_s)
        return GraphHandle(store)
    engine.supervise()  # restarted after a crash whether or not a request comes in
    assert engine.secrets is not None
    store = FalkorStore(str(engine.socket_path), engine.secrets.admin_password,
                        engine.secrets.reader_password, settings.graph_name)
    return GraphHandle(store, engine)
