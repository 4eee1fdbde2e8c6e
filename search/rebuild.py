"""Rebuild the index from the graph in a fresh directory and swap it in under the live path.

The new index is written next to the live one (same filesystem).  Before the swap the live
index's write lock is taken, documents loaded meanwhile are caught up from the graph, and the
two directories are exchanged with one `renameat2(RENAME_EXCHANGE)` where the kernel offers
it (else two renames, during which searchers keep their open snapshot).  Searchers in other
processes notice the new directory on their next search.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.records import Extraction
from graph.export import iter_extractions
from graph.store import Store
from search.analyzer import USERDICT_NAME
from search.index import SearchIndex, write_locked

log = logging.getLogger(__name__)

BATCH = 500  # documents per commit: one segment each (per writer process), bigger than ordinary commits merge
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@dataclass
class RebuildReport:
    """What a rebuild wrote."""

    documents: int
    entries: int
    caught_up: int
    seconds: float


def rebuild(store: Store, directory: str | Path, procs: int = 1, lock_timeout: float = 300.0) -> RebuildReport:
    """Write a new index of every loaded document and swap it in for `directory`."""
    live, t0 = Path(directory), time.monotonic()
    fresh = _scratch(live, "rebuild")
    try:
        with SearchIndex(fresh) as new:
            _copy_userdict(live, new)
            documents, entries = _index_all(new, iter_extractions(store), procs)
            caught_up = _swap_when_current(store, new, live, fresh, lock_timeout)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)  # the old index after a swap, or a failed build
    log.info("rebuilt %s: %d documents, %d entries", live, documents, entries)
    return RebuildReport(documents, entries, caught_up, time.monotonic() - t0)


def _scratch(live: Path, purpose: str) -> Path:
    """An empty sibling directory of the live index."""
    path = live.parent / f".{live.name}.{purpose}-{os.getpid()}-{time.time_ns()}"
    live.parent.mkdir(parents=True, exist_ok=True)
    return path


def _copy_userdict(live: Path, new: SearchIndex) -> None:
    """Keep every word the live index segmented with (the rebuild adds the graph's names)."""
    source = live / USERDICT_NAME
    if source.exists():
        new.add_words(w for w in source.read_text(encoding="utf-8").split("\n") if w)


def _index_all(index: SearchIndex, extractions: Iterable[Extraction], procs: int) -> tuple[int, int]:
    """Index in commits of BATCH documents; returns (documents, entries)."""
    documents = entries = 0
    for batch in _batches(extractions, BATCH):
        entries += index.index_many(batch, procs=procs)
        documents += len(batch)
    return documents, entries


def _batches(items: Iterable[Extraction], size: int) -> Iterator[list[Extraction]]:
    batch: list[Extraction] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _swap_when_current(store: Store, new: SearchIndex, live: Path, fresh: Path, lock_timeout: float) -> int:
    """Under the live index's write lock: catch up with the graph, then swap; returns documents caught up."""
    if not live.exists():
        caught_up = _catch_up(store, new)
        os.rename(fresh, live)
        return caught_up
    with write_locked(live, lock_timeout):  # not opened: it may be an older version's index
        caught_up = _catch_up(store, new)
        exchange(fresh, live)
    return caught_up


def _catch_up(store: Store, index: SearchIndex) -> int:
    """Bring `index` to the graph's current documents; returns the number re-read or removed."""
    graph, indexed = store.document_versions(), index.document_versions()
    stale = [d for d, v in graph.items() if indexed.get(d) != v]
    for batch in _batches(iter_extractions(store, stale), BATCH):
        index.index_many(batch)
    gone = [d for d in indexed if d not in graph]
    for doc_id in gone:
        index.delete_document(doc_id)
    return len(stale) + len(gone)


def exchange(a: Path, b: Path) -> None:
    """Swap two directories: atomically with renameat2 when available, else with two renames."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return
        log.debug("renameat2 failed (%s); swapping with two renames", os.strerror(ctypes.get_errno()))
    parked = a.with_name(a.name + ".old")
    os.rename(b, parked)
    os.rename(a, b)
    os.rename(parked, a)
