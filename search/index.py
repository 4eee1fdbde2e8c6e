"""The search index: one Whoosh index directory holding policies, measures and departments."""

from __future__ import annotations

import ctypes
import fcntl
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, W3PerDocWriter, W3Segment, _lenfield
from whoosh.index import LockError
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length
from whoosh.writing import MERGE_SMALL, NO_MERGE, IndexWriter

from loaders.records import Extraction
from search.analyzer import load_userdict, save_userdict
from search.codec import PackedCodec
from search.entities import update_entities
from search.entries import dictionary_words, document_entries
from search.errors import IndexLockedError, SearchError
from search.formats import PackedPositions
from search.schema import TEXT_FIELDS, build_schema

log = logging.getLogger(__name__)

_LOCK_SLICE = 2.0  # seconds per writer() attempt; attempts repeat until lock_timeout
# Ordinary commits merge the segments smaller than this many entries (as Whoosh would, among them);
# bulk loads write bigger ones, which stay as written: Whoosh's policy would re-sort ~20 of them in
# one commit (2.5 minutes for a one-document load after 10k documents).
MERGE_BELOW = 4_000


class SearchIndex:
    """A Whoosh index directory (created if missing) with per-document replace semantics."""

    def __init__(
        self, directory: str | Path, lock_timeout: float = 120.0, limitmb: int = 256, create: bool = True
    ) -> None:
        self.directory = Path(directory)
        if not create and not whoosh_index.exists_in(str(self.directory)):
            raise SearchError(f"no search index at {self.directory}: load some documents first")
        self.lock_timeout = lock_timeout
        self.limitmb = limitmb
        self._local = threading.local()
        try:
            self._ix = _open_or_create(self.directory)
        except (OSError, whoosh_index.IndexError) as exc:
            raise SearchError(f"cannot open search index at {self.directory}: {exc}") from exc
        load_userdict(self.directory)

    # ----------------------------------------------------------------- writing
    def add_words(self, words: Iterable[str]) -> list[str]:
        """Keep these names whole when segmenting; persisted in the index's userdict.txt."""
        fresh = save_userdict(self.directory, words)
        if fresh:
            log.info("added %d words to %s (documents indexed earlier keep their old segmentation)",
                     len(fresh), self.directory)
        return fresh

    def index_extraction(self, ex: Extraction) -> int:
        """Replace every entry of one document; returns the number of entries written."""
        return self.index_many([ex])

    def index_many(self, extractions: Iterable[Extraction], procs: int = 1, merge: bool = True) -> int:
        """Replace the entries of many documents in one commit; returns entries written.

        The bulk path for loaders: same result as `index_extraction` per document, but one
        lock, one commit and one pass over the departments per call (batches of a few
        hundred documents are a good size).  `procs` > 1 analyses in that many forked
        processes (one segment each; bulk loads only, and only where multiprocessing forks,
        so children share the dictionary).  The commit merges segments smaller than
        MERGE_BELOW entries, as Whoosh would; `merge=False` leaves every segment alone (bulk
        loads: a Whoosh merge re-sorts every posting of the segments it merges).
        """
        return self.prepare(extractions, procs, merge).commit()

    def prepare(self, extractions: Iterable[Extraction], procs: int = 1, merge: bool = True) -> PreparedBatch:
        """`index_many` up to its commit, which the returned batch makes (or cancels).

        Until then the write lock stays taken and, with `procs` > 1, the forked processes
        analyse the batch while the caller goes on (a loader extracts its next batch).
        """
        latest = {ex.document.id: ex for ex in extractions}  # the last copy of a document wins
        self.add_words(dictionary_words(latest.values()))
        writer = self._open_writer(procs)
        try:
            written = 0
            for ex in latest.values():
                writer.delete_by_term("doc_id", ex.document.id)
                for fields in document_entries(ex):
                    writer.add_document(**fields)
                    written += 1
            written += update_entities(writer, latest, latest.values())
        except BaseException:
            writer.cancel()
            raise
        return PreparedBatch(writer, merge, len(latest), written, self.directory)

    def optimize(self) -> None:
        """Merge every segment into one (fewer segments, faster searches; minutes for 10k documents)."""
        self._open_writer().commit(optimize=True)

    def delete_document(self, doc_id: str) -> int:
        """Remove one document's entries, and entities no other document mentions; returns entries removed."""
        with self._writer() as writer:
            removed = writer.delete_by_term("doc_id", doc_id)
            update_entities(writer, [doc_id], [])
        return removed

    @contextmanager
    def _writer(self) -> Iterator[IndexWriter]:
        """One writer at a time: wait for the lock (up to lock_timeout), commit or cancel."""
        writer = self._open_writer()
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=_merge_small_segments)

    def _open_writer(self, procs: int = 1) -> IndexWriter:
        """A writer holding the lock (waiting up to lock_timeout), with the dictionary up to date."""
        writer = self._acquire_writer(procs if multiprocessing.get_start_method() == "fork" else 1)
        try:
            load_userdict(self.directory)  # another process may have added words
        except BaseException:
            writer.cancel()
            raise
        return writer

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the write lock without a writer (other writers wait, searchers go on).

        Only the lock: a Whoosh writer would clean up its temporary files by path, which
        after a directory swap is the other index.
        """
        lock = self._ix.lock("WRITELOCK")
        deadline = time.monotonic() + self.lock_timeout
        while not lock.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise IndexLockedError(f"search index {self.directory} stayed locked for "
                                       f"{self.lock_timeout:.0f} s; another loader is probably still writing")
            time.sleep(0.05)
        try:
            yield
        finally:
            lock.release()

    def _acquire_writer(self, procs: int = 1) -> IndexWriter:
        """Open a Whoosh writer, retrying while another process holds the lock."""
        deadline = time.monotonic() + self.lock_timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                timeout = max(0.0, min(_LOCK_SLICE, remaining))
                # compound=False: Whoosh copies every sub-file of a compound segment into memory
                # when a searcher opens it (BufferFile → BytesIO), hundreds of MB per searcher
                options = {"timeout": timeout, "limitmb": self.limitmb, "compound": False,
                           "codec": _WriterCodec(blocklimit=BLOCK_POSTINGS)}
                if procs > 1:
                    return _MpWriter(self._ix, procs=procs, multisegment=True, **options)
                return self._ix.writer(**options)
            except LockError:
                if remaining <= 0:
                    raise IndexLockedError(
                        f"search index {self.directory} stayed locked for {self.lock_timeout:.0f} s; "
                        "another loader is probably still writing — try again when it has finished"
                    ) from None
                log.debug("index %s is locked; waiting", self.directory)

    # ----------------------------------------------------------------- reading
    def searcher(self) -> Searcher:
        """A searcher on the latest committed state (cached per thread, refreshed per call).

        A rebuild swaps a new directory in under the same path: the directory's inode is part
        of what "latest" means, so the new index is picked up even at an equal generation.
        """
        current = getattr(self._local, "searcher", None)
        state = self.state()
        if current is not None and (state is None or state == self._local.state):
            return current  # state None: the directory is being swapped; keep the old snapshot
        if current is not None:  # not Searcher.refresh(): its reader reuse misses new deletions
            current.close()
        current = self._local.searcher = self._ix.searcher()
        self._local.state = state
        return current

    def state(self) -> tuple[int, int] | None:
        """(directory inode, latest generation): changes with every commit and rebuild; None while there is no index."""
        try:
            inode = os.stat(self.directory).st_ino
            generation = self._ix.latest_generation()
        except OSError:
            return None
        return (inode, generation) if generation >= 0 else None

    def document_versions(self) -> dict[str, str]:
        """doc_id → version of every indexed policy (for the loader's consistency checks)."""
        docs = self.searcher().documents(kind="policy")
        return {d["doc_id"]: d.get("version", "") for d in docs}

    def doc_count(self) -> int:
        """Number of entries (policies, measures and entities) in the index."""
        return self.searcher().doc_count()

    def close(self) -> None:
        """Close the cached searcher of this thread and the index."""
        current = getattr(self._local, "searcher", None)
        if current is not None:
            current.close()
            self._local.searcher = None
        self._ix.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Postings per block (Whoosh: 128).  Bigger blocks cost less per posting to read in bulk; skipping
# (Whoosh's matchers, phrases checked document by document) decodes a whole block at a time.
# Measured reading every posting of the 300 most frequent words of 1,000 bench documents cold:
# 128 → 0.45 s, 256 → 0.34 s, 512 → 0.29 s (and Whoosh's pickled layout: 1.18 s).
BLOCK_POSTINGS = 256


class _WriterCodec(PackedCodec):
    """The codec for writing (PackedCodec), reading each field's lengths once per segment.

    Writing a segment asks for a document's field length once per posting: a file read, and
    for a field without lengths (ID, KEYWORD) a file-existence check.  The segments it makes
    record the plain PackedCodec, so readers never need this class.

    It also writes the stored-fields column's offsets whatever the segment's size (Whoosh: only
    past 32,768 documents).  Without them every new reader of a segment derives them from the
    lengths in a Python loop (about 6 ms for 10,000 documents), in every searcher of every thread;
    segments written without them are still read as before.
    """

    def new_segment(self, storage: object, indexname: str) -> W3Segment:
        return W3Segment(PackedCodec(self._blocklimit, self._compression, self._inlinelimit), indexname)

    def per_document_writer(self, storage: object, segment: W3Segment) -> W3PerDocWriter:
        writer = super().per_document_writer(storage, segment)
        stored = writer._colwriters["_stored"]  # a PickleColumn writer around Whoosh's VarBytes writer
        stored._child.cutoff = 0
        return writer

    def per_document_reader(self, storage: object, segment: W3Segment) -> W3PerDocReader:
        return _PerDocReader(storage, segment)


class _PerDocReader(W3PerDocReader):
    """A written segment's per-document reader holding each field's lengths in memory (a few bytes a document)."""

    def __init__(self, storage: object, segment: W3Segment) -> None:
        super().__init__(storage, segment)
        self._lengths: dict[str, list[int | None] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        if fieldname not in self._lengths:
            self._lengths[fieldname] = self._load_lengths(fieldname)
        lengths = self._lengths[fieldname]
        return default if lengths is None else lengths[docnum]

    def _load_lengths(self, fieldname: str) -> list[int | None] | None:
        """Every document's length of a field (None for no length, as Whoosh's reader answers); None without lengths."""
        reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if reader is None:
            return None
        return [byte_to_length(b) if b else None for b in reader.load()]


class _SubWriterTask(SubWriterTask):
    """A Whoosh sub-writer process that dies with its parent.

    It shares the parent's index lock (an inherited `flock`) and would wait for work forever:
    an orphan left by a killed loader would keep the index locked.
    """

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.parent_pid = os.getpid()

    def run(self) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != self.parent_pid:  # the parent died before prctl
            os._exit(1)
        super().run()


class _MpWriter(MpWriter):
    """Whoosh's multi-process writer with sub-writers that die with the loader.

    Its job queue has no bound: the parent hands a whole batch over (as job files on disk)
    and goes on while the sub-writers work, instead of waiting for them every few jobs.
    """

    def __init__(self, ix: whoosh_index.FileIndex, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.jobqueue = multiprocessing.Queue()

    def cancel(self) -> None:
        """Stop the sub-writers too: Whoosh only flags its copy of them, and they keep the lock while they live."""
        for task in self.tasks:
            task.kill()
            task.join()
        super().cancel()

    def _new_task(self) -> SubWriterTask:
        task = _SubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                              self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def _finish(self) -> None:
        """Release the lock and end the job queue's feeder thread (it only queues file names: never blocks)."""
        super()._finish()
        self.jobqueue.close()
        self.jobqueue.join_thread()

    def _commit_toc(self, segments: list[W3Segment]) -> None:
        """Record the new segments, unless a sub-writer failed (Whoosh would commit without its part)."""
        failed = [task.exitcode for task in self.tasks if task.exitcode != 0]
        if failed:
            raise SearchError(f"an index writer process stopped (exit code {failed[0]}); nothing was committed")
        super()._commit_toc(segments)


class PreparedBatch:
    """A batch of documents in an open index writer: `commit` makes it visible, `cancel` drops it."""

    def __init__(self, writer: IndexWriter, merge: bool, documents: int, entries: int, directory: Path) -> None:
        self._writer, self._merge = writer, merge
        self.documents, self.entries, self.directory = documents, entries, directory

    def commit(self) -> int:
        """Commit (after the writer processes finish) and release the lock; returns the entries written."""
        try:
            self._writer.commit(mergetype=_merge_small_segments if self._merge else NO_MERGE)
        except BaseException:
            if not self._writer.is_closed:
                self._writer.cancel()  # releases the lock
            raise
        log.info("indexed %d documents (%d entries) into %s", self.documents, self.entries, self.directory)
        return self.entries

    def cancel(self) -> None:
        """Drop the batch and release the lock."""
        self._writer.cancel()


def _merge_small_segments(writer: IndexWriter, segments: list[W3Segment]) -> list[W3Segment]:
    """Whoosh's default merge policy over the segments below MERGE_BELOW entries; returns those kept as they are."""
    kept = MERGE_SMALL(writer, [s for s in segments if s.doc_count_all() < MERGE_BELOW])
    return [s for s in segments if s.doc_count_all() >= MERGE_BELOW or s in kept]


def _open_or_create(directory: Path) -> whoosh_index.FileIndex:
    """Open the index in `directory`, creating it (once, under a file lock) when missing."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "create.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        if not whoosh_index.exists_in(str(directory)):
            log.info("creating search index in %s", directory)
            return whoosh_index.create_in(str(directory), build_schema())
        return _upgraded(whoosh_index.open_dir(str(directory)))


def _upgraded(ix: whoosh_index.FileIndex) -> whoosh_index.FileIndex:
    """Add the fields an index written by an older version lacks (a rebuild fills them in)."""
    have = ix.schema
    missing = [(name, field) for name, field in build_schema().items() if name not in have]
    if missing:
        writer = ix.writer(timeout=120.0)
        for name, field in missing:
            writer.add_field(name, field)
        writer.commit()
        log.warning("search index %s: added fields %s; run `python -m search rebuild` to fill them",
                    ix.storage.folder, ", ".join(n for n, _ in missing))
    unpacked = [name for name in TEXT_FIELDS if not isinstance(have[name].format, PackedPositions)]
    if unpacked:
        log.warning("search index %s stores the positions of %s in Whoosh's older pickled format, which makes "
                    "phrase searches slower; run `python -m search rebuild` to rewrite it", ix.storage.folder,
                    ", ".join(unpacked))
    return ix
