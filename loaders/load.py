"""The one place that writes: a document's graph facts and index entries, together.

Each document's graph facts are written by one atomic query, in a background thread (the
engine is another process: the loader would otherwise wait on a socket while it could be
extracting and indexing); its index entries follow in batches, one Whoosh commit each.  A
document whose graph or index version differs from its file is (re)written in both, so a
load killed at any point is completed by simply running it again.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from loaders.errors import LoaderError
from loaders.extract import extract_bytes
from loaders.ids import content_version, document_id
from loaders.limits import time_limit
from loaders.records import Extraction, LoadError

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".md", ".docx", ".pdf")
# Provenance notes shipped beside documents are not policy text.
NOTE_NAMES = ("SOURCES", "README", "LICENSE")


class GraphWriter(Protocol):
    def document_versions(self) -> dict[str, str]: ...
    def replace_document(self, ex: Extraction) -> None: ...
    def finalize(self) -> int: ...
    def compact(self) -> None: ...


class PreparedBatch(Protocol):
    def commit(self) -> int: ...
    def cancel(self) -> None: ...


class IndexWriter(Protocol):
    def document_versions(self) -> dict[str, str]: ...
    def index_many(self, extractions: Iterable[Extraction], procs: int = 1, merge: bool = True) -> int: ...
    def prepare(self, extractions: Iterable[Extraction], procs: int = 1, merge: bool = True) -> PreparedBatch: ...


@dataclass
class LoadSummary:
    """What a load did, for the CLI's closing lines and the upload page."""

    documents: int = 0
    unchanged: int = 0
    measures: int = 0
    departments: set[str] = field(default_factory=set)
    errors: list[LoadError] = field(default_factory=list)
    # Documents the self-check flags (assignments not understood): (source, Chinese warnings).
    flagged: list[tuple[str, list[str]]] = field(default_factory=list)
    bytes_read: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents, "unchanged": self.unchanged, "measures": self.measures,
            "departments": len(self.departments), "errors": [e.to_json() for e in self.errors],
            "flagged": [{"source": src, "warnings": w} for src, w in self.flagged],
            "bytes": self.bytes_read, "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


STAGES = ("read", "extract", "graph", "index", "finalize")
INDEX_BATCH = 100  # documents per index commit: a Whoosh commit costs far more than a document
# Bulk loads (at least BULK_FILES files): bigger commits, written by BULK_PROCS forked processes while
# the loader extracts the next batch, never merged (a Whoosh merge re-sorts every posting of the merged
# segments: minutes at 10k documents).  Each writer process holds about a batch's postings in memory.
BULK_FILES = 500
BULK_BATCH = 1000
BULK_PROCS = min(2, os.cpu_count() or 1)
GRAPH_QUEUE = 200  # documents extracted ahead of the graph writes at most


@dataclass(frozen=True)
class IndexPlan:
    """How a load commits to the index: documents per commit, writer processes, whether commits merge."""

    batch: int = INDEX_BATCH
    procs: int = 1
    merge: bool = True

    @classmethod
    def for_files(cls, count: int) -> IndexPlan:
        """Small loads (a web upload) keep Whoosh's merging; bulk loads write big unmerged segments."""
        return cls(BULK_BATCH, BULK_PROCS, merge=False) if count >= BULK_FILES else cls()

    @property
    def deferred(self) -> bool:
        """Commit each batch once the next one is ready: other processes write it meanwhile."""
        return self.procs > 1

    def options(self) -> dict[str, Any]:
        """`index_many` keyword arguments other than its defaults (none for a small load)."""
        out: dict[str, Any] = {}
        if self.procs != 1:
            out["procs"] = self.procs
        if not self.merge:
            out["merge"] = False
        return out


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files to load: the given files, and the supported files under the given folders."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if _is_document(p))
        else:
            out.append(path)
    return out


def _is_document(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and path.stem.upper() not in NOTE_NAMES


def load_files(files: list[Path], graph: GraphWriter, index: IndexWriter,
               on_file: Callable[[Path], None] | None = None, plan: IndexPlan | None = None) -> LoadSummary:
    """Load each file into graph and index; a bad file becomes an error record, the rest go on.

    Each document's graph facts are written at once (in order, by a background thread);
    index entries follow in batches.  A document counts as loaded only when both hold its
    version, so a run cut short anywhere is completed by running it again.
    """
    summary = LoadSummary()
    plan = plan or IndexPlan.for_files(len(files))
    graph_versions, index_versions = graph.document_versions(), index.document_versions()
    with _GraphWrites(graph, summary) as graph_writes, _IndexWrites(index, summary, plan) as index_writes:
        for path in files:
            try:
                ex = _extract_changed(path, graph_versions, index_versions, summary)
            except LoaderError as e:
                summary.errors.append(LoadError(str(path), str(e)))
                log.warning("%s", e)
                ex = None
            if ex is not None:
                graph_writes.put(ex)
                index_writes.add(ex)
                _count(summary, ex)
            if on_file is not None:
                on_file(path)
    with _timed(summary, "finalize"):
        graph.finalize()
        if summary.documents:
            graph.compact()
    return summary


def _extract_changed(path: Path, graph_versions: dict[str, str], index_versions: dict[str, str],
                     summary: LoadSummary) -> Extraction | None:
    with _timed(summary, "read"):
        data = _read(path)
    summary.bytes_read += len(data)
    doc_id, version = document_id(path), content_version(data)
    if graph_versions.get(doc_id) == version and index_versions.get(doc_id) == version:
        summary.unchanged += 1
        return None
    with _timed(summary, "extract"), time_limit(str(path)):
        return extract_bytes(data, str(path))


def _count(summary: LoadSummary, ex: Extraction) -> None:
    summary.documents += 1
    summary.measures += len(ex.measures)
    summary.departments |= {u.id for m in ex.measures for u in m.lead + m.support}
    if ex.selfcheck is not None and ex.selfcheck.warnings:
        summary.flagged.append((ex.source, list(ex.selfcheck.warnings)))


class _IndexWrites:
    """Index entries in batches of `plan.batch` documents, one commit each.

    A deferred plan commits a batch only when the next one is ready, so the forked writer
    processes analyse it while the loader extracts; a block left by an exception drops the
    batch still uncommitted.
    """

    def __init__(self, index: IndexWriter, summary: LoadSummary, plan: IndexPlan) -> None:
        self.index, self.summary, self.plan = index, summary, plan
        self.pending: list[Extraction] = []
        self.prepared: PreparedBatch | None = None

    def __enter__(self) -> _IndexWrites:
        return self

    def add(self, ex: Extraction) -> None:
        """Queue one document's entries; writes a batch when it is full."""
        self.pending.append(ex)
        if len(self.pending) >= self.plan.batch:
            self._flush()

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is not None:
            if self.prepared is not None:
                self.prepared.cancel()
            return
        self._flush()
        self._commit()

    def _flush(self) -> None:
        if not self.pending:
            return
        self._commit()
        with _timed(self.summary, "index"):
            if self.plan.deferred:
                self.prepared = self.index.prepare(self.pending, **self.plan.options())
            else:
                self.index.index_many(self.pending, **self.plan.options())
        self.pending = []

    def _commit(self) -> None:
        prepared, self.prepared = self.prepared, None
        if prepared is not None:
            with _timed(self.summary, "index"):
                prepared.commit()


class _GraphWrites:
    """Graph writes, in order, in one background thread while the loader extracts and indexes.

    `put` waits while GRAPH_QUEUE documents are queued (that wait is the summary's "graph"
    time).  The first failed write stops the writes: it is raised by the next `put` or when
    the block ends, which waits for every queued write.  A block left by an exception skips
    the writes still queued.
    """

    def __init__(self, graph: GraphWriter, summary: LoadSummary) -> None:
        self.graph, self.summary = graph, summary
        self.queue: queue.Queue[Extraction | None] = queue.Queue(maxsize=GRAPH_QUEUE)
        self.error: BaseException | None = None
        self.skip = False
        self.thread = threading.Thread(target=self._run, name="graph-writes", daemon=True)

    def __enter__(self) -> _GraphWrites:
        self.thread.start()
        return self

    def put(self, ex: Extraction) -> None:
        """Queue one document's graph write; raises the error of an earlier write."""
        self._raise_failure()
        with _timed(self.summary, "graph"):
            self.queue.put(ex)

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.skip = exc_type is not None
        with _timed(self.summary, "graph"):
            self.queue.put(None)
            self.thread.join()
        if exc_type is None:
            self._raise_failure()

    def _run(self) -> None:
        while (ex := self.queue.get()) is not None:
            if self.error is None and not self.skip:
                try:
                    self.graph.replace_document(ex)
                except BaseException as e:  # noqa: BLE001 - handed to the loading thread, which raises it
                    self.error = e

    def _raise_failure(self) -> None:
        if self.error is not None:
            raise self.error


class _timed:
    """Add the wall time of a block to one stage of a summary."""

    def __init__(self, summary: LoadSummary, stage: str) -> None:
        self.summary, self.stage = summary, stage

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.summary.seconds[self.stage] += time.perf_counter() - self.started


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LoaderError(f"{path}: file not found; check the path") from None
    except IsADirectoryError:
        raise LoaderError(f"{path}: is a folder with no loadable documents") from None
    except OSError as e:
        raise LoaderError(f"{path}: cannot be read ({e.strerror}); check its permissions") from None
