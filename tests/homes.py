"""What a loader left in a home (graph and index), read back through the real engine and index."""

from __future__ import annotations

import time
from pathlib import Path

from graph.engine import EmbeddedEngine
from graph.store import FalkorStore
from search.index import SearchIndex


def home_state(home: Path) -> tuple[dict[str, int], str, dict[str, str], int]:
    """(graph counts, graph checksum, indexed document versions, index entries) of a home."""
    with EmbeddedEngine(home / "graph") as eng:
        assert eng.secrets is not None
        store = FalkorStore(str(eng.socket_path), eng.secrets.admin_password, eng.secrets.reader_password)
        graph = (store.counts(), store.checksum())
        store.close()
    with SearchIndex(home / "index") as index:
        return graph[0], graph[1], index.document_versions(), index.doc_count()


def wait_for_engine_exit(home: Path) -> None:
    """The engine is tied to the loader (PR_SET_PDEATHSIG) and exits when it dies; wait for that."""
    pid_file = home / "graph" / "run" / "engine.pid"
    for _ in range(200):
        if not pid_file.exists() or not Path(f"/proc/{int(pid_file.read_text() or 0)}").exists():
            return
        time.sleep(0.05)
