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
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from core.errors import DocumentRejected
from core.ids import content_version, source_key
from core.loadlog import LoadLog
from core.records import Extraction, LoadError
from loaders.errors import GENERIC_ZH, LoaderError
from loaders.identity import Catalogue, Op
from loaders.worker import ExtractionWorker

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".md", ".docx", ".pdf")
# Loads of at most this many files refresh only the aliases of the departments they touch (two reads a document).
SCOPED_FINALIZE_MAX = 200
# Provenance notes shipped beside documents are not policy text.
NOTE_NAMES = ("SOURCES", "README", "LICENSE")


class GraphWriter(Protocol):
    def document_catalogue(self) -> list[dict[str, Any]]: ...
    def policy_text(self, doc_id: str) -> str: ...
    def replace_document(self, ex: Extraction) -> None: ...
    def set_sources(self, doc_id: str, lists: dict[str, list[str]]) -> None: ...
    def remove_document(self, doc_id: str) -> None: ...
    def finalize(self, departments: Collection[str] | None = None) -> int: ...
    def compact(self, wait: bool = True) -> None: ...
    def departments_of(self, doc_id: str) -> set[str]: ...


class PreparedBatch(Protocol):
    def commit(self) -> int: ...
    def cancel(self) -> None: ...


class IndexWriter(Protocol):
    def document_versions(self) -> dict[str, str]: ...
    def index_many(self, extractions: Iterable[Extraction], procs: int = 1, merge: bool = True) -> int: ...
    def prepare(self, extractions: Iterable[Extraction], procs: int = 1, merge: bool = True) -> PreparedBatch: ...
    def delete_document(self, doc_id: str) -> int: ...


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
    # Each file (as given) → the id of the policy it is a source of (unchanged files included).
    ids: dict[str, str] = field(default_factory=dict)
    # Sources of the same policy loaded from another file as well: (this file, the policy id).
    merged: list[tuple[str, str]] = field(default_factory=list)
    # Relative paths of files to load again: their policy's fact-giving file became another policy.
    reload: list[str] = field(default_factory=list)
    legacy: int = 0  # policies still holding ids an older version derived from file names
    # Each policy a file of this load is a source of → (title, measures), for the upload page's links.
    policies: dict[str, tuple[str, int]] = field(default_factory=dict)
    unchanged_paths: set[str] = field(default_factory=set)  # files (as given) skipped as already loaded

    def error_for(self, path: Path | str) -> LoadError | None:
        """The error record of one file of this load, if it failed."""
        return next((e for e in self.errors if e.source == shown(path)), None)

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents, "unchanged": self.unchanged, "measures": self.measures,
            "departments": len(self.departments), "errors": [e.to_json() for e in self.errors],
            "flagged": [{"source": src, "warnings": w} for src, w in self.flagged],
            "bytes": self.bytes_read, "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "merged": len(self.merged), "reload": list(self.reload), "legacy": self.legacy,
        }


STAGES: tuple[str, ...] = ("read", "extract", "graph", "index", "finalize")
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


def source_names(files: Iterable[Path], roots: Iterable[str | Path] | None = None) -> dict[Path, str]:
    """What each file is stored as: its path relative to the folder it was loaded from (a file given
    itself: its name).  Without roots, relative to the folder all the files share."""
    files = list(files)
    if roots is None:
        parents = [str(_resolved(f).parent) for f in files]
        roots = [os.path.commonpath(parents)] if parents else []
    bases = [_resolved(Path(r)) for r in roots]
    out: dict[Path, str] = {}
    for f in files:
        full = _resolved(f)
        rel = next((full.relative_to(b).as_posix() for b in bases if b != full and full.is_relative_to(b)), "")
        out[f] = rel or f.name
    return out


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def load_files(files: list[Path], graph: GraphWriter, index: IndexWriter,
               on_file: Callable[[Path, LoadSummary], None] | None = None, plan: IndexPlan | None = None,
               roots: Iterable[str | Path] | None = None, worker: ExtractionWorker | None = None,
               load_log: LoadLog | None = None, wait_compaction: bool = True) -> LoadSummary:
    """Load each file into graph and index; a bad file becomes an error record, the rest go on.

    `roots` are the folders (or files) the user named: sources are stored relative to them (see
    `source_names`).  Each file is extracted by `worker` (a child process under a memory and time
    limit; one is started for this load when none is given).  Each document's graph facts are
    written at once (in order, by a background thread); index entries follow in batches.  A
    document the graph or the index refuses for its content is removed from both and reported; a document
    counts as loaded only when both hold its version, so a run cut short anywhere is completed by
    running it again.  Which policy a file is (and whether it is another source of a policy
    already loaded) is `loaders.identity`'s decision.  `load_log`, when given, records when each
    document was written or removed (after its graph write committed).
    """
    if worker is None:
        with ExtractionWorker() as own:
            return load_files(files, graph, index, on_file, plan, roots, own, load_log, wait_compaction)
    summary = LoadSummary()
    plan = plan or IndexPlan.for_files(len(files))
    names = source_names(files, roots)
    held = graph.document_catalogue()
    events = _LoadEvents(load_log, {str(p["id"]) for p in held})
    catalogue = Catalogue(held, index.document_versions())
    seen: dict[str, Path] = {}
    # A small load refreshes only the aliases of the departments its documents named before and after it.
    touched: set[str] | None = set() if len(files) <= SCOPED_FINALIZE_MAX else None
    with _GraphWrites(graph, summary, events, touched) as graph_writes, \
            _IndexWrites(index, summary, plan) as index_writes:
        def text_of(doc_id: str) -> str:
            graph_writes.drain()  # the policy may have been written in this load
            return graph.policy_text(doc_id)

        def apply(ops: list[Op]) -> None:
            try:
                for op in ops:
                    graph_writes.put(op)
                    if op.kind == "write":
                        assert op.ex is not None
                        index_writes.add(op.ex)
                    elif op.kind == "delete":
                        index_writes.delete(op.doc_id)
            except Exception as e:  # the store or the index failed, not this file: stop the load
                raise _WriteFailed(e) from e

        def one(path: Path) -> None:
            try:
                _load_one(path, names[path], catalogue, summary, seen, apply, text_of, worker)
            except _WriteFailed as e:
                raise e.error from e.error.__cause__
            except LoaderError as e:
                summary.errors.append(LoadError(shown(path), str(e), e.zh))
                log.warning("%s", e)
            except Exception as e:  # a bug met on this file's content: report the file, load the rest
                log.exception("%s: failed", shown(path))
                summary.errors.append(LoadError(shown(path), f"{shown(path)}: internal error ({type(e).__name__}: "
                                                f"{e}); please report it with the file", GENERIC_ZH))

        for path in files:
            one(path)
            if on_file is not None:
                on_file(path, summary)
        # Files whose policy went with the file that gave its facts: extracted again when in this load.
        for key in [k for k in catalogue.displaced if k in seen]:
            one(seen[key])
    _drop_rejected(_refused(graph_writes, index_writes), graph, index, summary, events)
    summary.reload = sorted(catalogue.displaced.values())
    summary.legacy = len(catalogue.legacy)
    for src in summary.reload:
        log.warning("%s: the file that gave its policy's facts is now another policy; load %s again", src, src)
    if summary.legacy:
        log.warning("%d policies still have ids an older version derived from file names: load their files "
                    "again (from the same place) to replace them", summary.legacy)
    with _timed(summary, "finalize"):
        # Every department's aliases when files were found already loaded: a load cut short before its
        # finalize may have written them, and this run would not touch their departments again.
        graph.finalize(touched if touched is not None and not summary.unchanged else None)
        if summary.documents:
            graph.compact(wait=wait_compaction)
    return summary


class _WriteFailed(Exception):
    """A graph or index write failed for a reason outside the file (engine gone, disk full): not per-file."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def shown(path: Path | str) -> str:
    """A path as text that can be printed and stored (undecodable bytes in a file name become U+FFFD)."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# A document the graph refused (core.errors) or the index could not take (a LoaderError made here).
_Refusal = DocumentRejected | LoaderError


def _drop_rejected(rejected: list[tuple[str, Extraction | None, _Refusal]], graph: GraphWriter,
                   index: IndexWriter, summary: LoadSummary, events: _LoadEvents) -> None:
    """Documents the graph or the index refused for their content: out of both, each file an error."""
    for doc_id, ex, error in rejected:
        graph.remove_document(doc_id)
        events.removed(doc_id)
        index.delete_document(doc_id)
        source = ex.source if ex is not None else doc_id
        summary.errors.append(LoadError(source, str(error), error.zh))
        log.warning("%s", error)
        if ex is not None:
            summary.documents -= 1
            summary.measures -= len(ex.measures)
            summary.flagged = [f for f in summary.flagged if f[0] != source]
        for key in [k for k, v in summary.ids.items() if v == doc_id]:
            del summary.ids[key]


def _refused(graph_writes: _GraphWrites, index_writes: _IndexWrites) -> list[tuple[str, Extraction | None,
                                                                                     _Refusal]]:
    out: list[tuple[str, Extraction | None, _Refusal]] = [(op.doc_id, op.ex, e) for op, e in graph_writes.rejected]
    for ex, e in index_writes.rejected:
        out.append((ex.document.id, ex, LoaderError(
            f"{ex.source}: the search index could not take the document ({type(e).__name__}: {str(e)[:200]}); "
            "it was left out of graph and index: check the file's content and load it again",
            "检索索引无法写入这个文件的内容，已跳过，请检查文件内容后重新导入。")))
    return out


def _load_one(path: Path, name: str, catalogue: Catalogue, summary: LoadSummary, seen: dict[str, Path],
              apply: Callable[[list[Op]], None], text_of: Callable[[str], str], worker: ExtractionWorker) -> None:
    with _timed(summary, "read"):
        data = read_file(path)
    summary.bytes_read += len(data)
    key, version = source_key(path), content_version(data)
    seen[key] = path
    apply(catalogue.retire_legacy(path, version))
    doc_id = catalogue.unchanged(key, version)
    if doc_id is not None:
        summary.unchanged += 1
        summary.unchanged_paths.add(str(path))
        summary.ids[str(path)] = doc_id
        held = catalogue.policies[doc_id]
        summary.policies[doc_id] = (held.title, held.measures)
        return
    with _timed(summary, "extract"):
        ex = worker.extract(data, shown(path), name=shown(name))
    ops = catalogue.place(ex, key, text_of)
    apply(ops)
    summary.ids[str(path)] = ex.document.id
    summary.documents += 1
    if any(op.kind == "write" and op.ex is ex for op in ops):
        _count(summary, ex)
    held = catalogue.policies[ex.document.id]
    summary.policies[ex.document.id] = (held.title or ex.document.title, held.measures)
    if len(held.keys) > 1:
        summary.merged.append((str(path), ex.document.id))
        log.info("%s: one policy (%s) with %s", path, ex.document.id, ", ".join(held.sources))


def _count(summary: LoadSummary, ex: Extraction) -> None:
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
        self.rejected: list[tuple[Extraction, Exception]] = []  # documents the index could not take

    def __enter__(self) -> _IndexWrites:
        return self

    def add(self, ex: Extraction) -> None:
        """Queue one document's entries; writes a batch when it is full."""
        self.pending.append(ex)
        if len(self.pending) >= self.plan.batch:
            self._flush()

    def delete(self, doc_id: str) -> None:
        """Remove a policy's entries, after every queued entry (one of them may be its own)."""
        self._flush()
        self._commit()
        with _timed(self.summary, "index"):
            self.index.delete_document(doc_id)

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
        batch, self.pending = self.pending, []
        with _timed(self.summary, "index"):
            try:
                self._write(batch)
            except (OSError, MemoryError):
                raise  # the disk or the machine, not a document
            except Exception as e:
                if len(batch) == 1:
                    raise
                log.warning("an index batch failed (%s); writing its %d documents one at a time", e, len(batch))
                self._one_at_a_time(batch, e)

    def _write(self, batch: list[Extraction], alone: bool = False) -> None:
        if alone:
            self.index.index_many(batch)  # one document: a small commit of its own
        elif self.plan.deferred:
            self.prepared = self.index.prepare(batch, **self.plan.options())
        else:
            self.index.index_many(batch, **self.plan.options())

    def _one_at_a_time(self, batch: list[Extraction], first: Exception) -> None:
        """Find the documents the index cannot take; when none of them goes in, the index itself is at fault."""
        failed: list[tuple[Extraction, Exception]] = []
        for ex in batch:
            try:
                self._write([ex], alone=True)
            except (OSError, MemoryError):
                raise
            except Exception as e:
                failed.append((ex, e))
        if len(failed) == len(batch):
            raise first
        self.rejected += failed

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

    def __init__(self, graph: GraphWriter, summary: LoadSummary, events: _LoadEvents,
                 touched: set[str] | None = None) -> None:
        self.graph, self.summary, self.events = graph, summary, events
        self.touched = touched  # departments named by the documents written or removed (None: not kept)
        self.queue: queue.Queue[Op | None] = queue.Queue(maxsize=GRAPH_QUEUE)
        self.error: BaseException | None = None
        self.rejected: list[tuple[Op, DocumentRejected]] = []  # writes refused for a document's content
        self.skip = False
        self.thread = threading.Thread(target=self._run, name="graph-writes", daemon=True)

    def __enter__(self) -> _GraphWrites:
        self.thread.start()
        return self

    def put(self, op: Op) -> None:
        """Queue one graph write; raises the error of an earlier write."""
        self._raise_failure()
        with _timed(self.summary, "graph"):
            self.queue.put(op)

    def drain(self) -> None:
        """Wait until every queued write is done (before reading what they wrote)."""
        with _timed(self.summary, "graph"):
            self.queue.join()
        self._raise_failure()

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.skip = exc_type is not None
        with _timed(self.summary, "graph"):
            self.queue.put(None)
            self.thread.join()
        if exc_type is None:
            self._raise_failure()

    def _run(self) -> None:
        while (op := self.queue.get()) is not None:
            if self.error is None and not self.skip:
                try:
                    self._apply(op)
                except DocumentRejected as e:
                    self.rejected.append((op, e))
                except BaseException as e:  # noqa: BLE001 - handed to the loading thread, which raises it
                    self.error = e
            self.queue.task_done()
        self.queue.task_done()

    def _apply(self, op: Op) -> None:
        if op.kind == "write":
            assert op.ex is not None
            self._touch(op.ex.document.id)
            self.graph.replace_document(op.ex)
            self._touch(op.ex.document.id)
            self.events.written(op.ex.document.id)
        elif op.kind == "sources":
            assert op.lists is not None
            self.graph.set_sources(op.doc_id, op.lists)
        else:
            self._touch(op.doc_id)
            self.graph.remove_document(op.doc_id)
            self.events.removed(op.doc_id)

    def _touch(self, doc_id: str) -> None:
        if self.touched is not None:
            self.touched |= self.graph.departments_of(doc_id)

    def _raise_failure(self) -> None:
        if self.error is not None:
            raise self.error


class _LoadEvents:
    """What a load tells the load log: each document written (loaded anew or replacing a version) or removed."""

    def __init__(self, load_log: LoadLog | None, held: set[str]) -> None:
        self.load_log, self.held = load_log, held  # held: the policies in the graph now

    def written(self, doc_id: str) -> None:
        self._record("replaced" if doc_id in self.held else "loaded", doc_id)
        self.held.add(doc_id)

    def removed(self, doc_id: str) -> None:
        if doc_id in self.held:
            self._record("removed", doc_id)
        self.held.discard(doc_id)

    def _record(self, event: str, doc_id: str) -> None:
        if self.load_log is None:
            return
        try:
            self.load_log.record(event, doc_id)
        except Exception:  # the log only dates loads: a full disk there must not stop the load itself
            log.warning("could not record in the load log %s; this load goes on without it", self.load_log.path,
                        exc_info=True)
            self.load_log = None


class _timed:
    """Add the wall time of a block to one stage of a summary."""

    def __init__(self, summary: LoadSummary, stage: str) -> None:
        self.summary, self.stage = summary, stage

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.summary.seconds[self.stage] += time.perf_counter() - self.started


def read_file(path: Path) -> bytes:
    """A file's bytes; a LoaderError naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LoaderError(f"{shown(path)}: file not found; check the path", "找不到这个文件，请检查路径。") from None
    except IsADirectoryError:
        raise LoaderError(f"{shown(path)}: is a folder with no loadable documents",
                          "这是一个文件夹，其中没有可导入的文档。") from None
    except OSError as e:
        raise LoaderError(f"{shown(path)}: cannot be read ({e.strerror}); check its permissions",
                          "无法读取这个文件，请检查文件权限。") from None
