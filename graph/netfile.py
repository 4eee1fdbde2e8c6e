"""The annotated collaboration network saved per graph version, so one process builds it for all.

Building it reads every LEADS/SUPPORTS pair from the engine and computes centralities and
communities: tens of seconds at 10,000 documents.  Every web process needs it, and after a
restart needs it again although the graph has not changed.  The first process to need a
version builds it and saves it as node-link JSON in the instance folder; the others wait for
it (a lock file) and read the file, which takes about a second.  Files of older versions are
removed when a newer one is saved.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

import networkx as nx

log = logging.getLogger(__name__)

PREFIX = "network-"
LOCK_NAME = "network.lock"


def load_or_build(directory: Path, version: str, build: Callable[[], nx.Graph]) -> nx.Graph:
    """The network of graph `version`: read from `directory` when saved, else built and saved."""
    path = directory / f"{PREFIX}{version}.json"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        lock = open(directory / LOCK_NAME, "a+b")  # closed by the with block below
    except OSError:  # a read-only instance folder: every process builds its own
        log.warning("cannot keep the collaboration network in %s; building it in this process", directory,
                    exc_info=True)
        return build()
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if path.exists():
            try:
                return _read(path)
            except (OSError, ValueError, KeyError, nx.NetworkXError):
                log.warning("the saved collaboration network %s cannot be read; building it again", path,
                            exc_info=True)
        g = build()
        _write(path, g)
    return g


def _read(path: Path) -> nx.Graph:
    data = json.loads(path.read_text(encoding="utf-8"))
    return nx.node_link_graph(data, edges="links")


def _write(path: Path, g: nx.Graph) -> None:
    scratch = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        scratch.write_text(json.dumps(nx.node_link_data(g, edges="links"), ensure_ascii=False), encoding="utf-8")
        os.replace(scratch, path)
    except OSError:  # a read-only or full instance folder: the network still serves from memory
        log.warning("could not save the collaboration network to %s", path, exc_info=True)
        scratch.unlink(missing_ok=True)
        return
    for old in path.parent.glob(f"{PREFIX}*.json"):
        if old != path:
            old.unlink(missing_ok=True)
