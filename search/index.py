"""The search index: one Whoosh index directory holding policies, measures and departments."""

from __future__ import annotations

import fcntl
import json
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Segment
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.writing import MERGE_SMALL, NO_MERGE, IndexWriter

from core.records import Extraction
from search.analyzer import load_userdict, save_userdict
from search.entities import mentions_of, update_entities
from search.entries import dictionary_words, document_entries
from search.errors import IndexFormatError, IndexLockedError, SearchError
from search.schema import build_schema
from search.storage import MappedStorage
from search.whooshapi import index_write_lock
from search.writer import BLOCK_POSTINGS, BulkSegmentWriter, MpWriter, WriterCodec

log = logging.getLogger(__name__)

_LOCK_SLICE = 2.0  # seconds per writer() attempt; attempts repeat until lock_timeout
# Ordinary commits merge the segments smaller than this many entries (as Whoosh would, among them);
# bulk loads write bigger ones, which stay as written: Whoosh's policy would re-sort ~20 of them in
# one commit (2.5 minutes for a one-document load after 10k documents).
MERGE_BELOW = 4_000
OPTIMIZE_LIMIT_MB = 2048
MANY_SEGMENTS = 8  # a load that leaves this many suggests `optimize` (searches look up each word in each)
# The layout of what this version writes (fields and entries, posting format, codec, pickled names),
# stored with the index in FORMAT_NAME and checked at open.  Bump it when an index written before
# could not be read as it is now: such indexes are then refused with a request to rebuild.
INDEX_FORMAT = 1
FORMAT_NAME = "search-format.json"
REBUILD_HINT = "run `python -m search rebuild`"


class SearchIndex:
    """A Whoosh index directory (created if missing) with per-document replace semantics."""

    def __init__(
        self, directory: str | Path, lock_timeout: float = 120.0, limitmb: int = 256, create: bool = True
    ) -> None:
        """Open (or create) the index in `directory`; IndexFormatError if another version wrote it."""
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
            with writer.searcher() as searcher:
                before = mentions_of(searcher, latest)  # read before the deletions below
            for ex in latest.values():
                writer.delete_by_term("doc_id", ex.document.id)
                for fields in document_entries(ex):
                    writer.add_document(**fields)
                    written += 1
            written += update_entities(writer, before, latest.values())
        except BaseException:
            writer.cancel()
            raise
        return PreparedBatch(writer, merge, len(latest), written, self.directory)

    def optimize(self) -> int:
        """Merge every segment into one: fewer segments, faster searches (after a bulk load: about 100 s
        for 10,000 documents, searches go on meanwhile); returns the number of segments merged (0: nothing to do)."""
        writer = self._open_writer()
        merged = len(writer.segments)
        if merged <= 1 and not any(seg.has_deletions() for seg in writer.segments):
            writer.cancel()  # one whole segment already: rewriting it would change nothing
            return 0
        # The merge keeps every posting in memory to write them in order (about 600 MB at 200,000 measures);
        # past the limit the rest would go through Whoosh's far slower sorting pool.
        writer.pool.limit = max(writer.pool.limit, OPTIMIZE_LIMIT_MB * 2**20)
        writer.commit(optimize=True)
        return merged

    def delete_document(self, doc_id: str) -> int:
        """Remove one document's entries, and entities no other document mentions; returns entries removed."""
        with self._writer() as writer:
            with writer.searcher() as searcher:
                before = mentions_of(searcher, [doc_id])
            removed = writer.delete_by_term("doc_id", doc_id)
            update_entities(writer, before, [])
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
                           "codec": WriterCodec(blocklimit=BLOCK_POSTINGS)}
                if procs > 1:
                    return MpWriter(self._ix, procs=procs, multisegment=True, **options)
                return BulkSegmentWriter(self._ix, **options)
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
        # Another process (`loaders load`, another web worker) may have added words with what it committed:
        # queries must be segmented as its documents were, or a phrase of a new name finds nothing.
        load_userdict(self.directory)
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

    def segment_count(self) -> int:
        """Segments of the latest committed state (each search looks every word up in each)."""
        return len(self.searcher().reader().leaf_readers()) if self.doc_count() else 0

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


@contextmanager
def write_locked(directory: Path, timeout: float) -> Iterator[None]:
    """Hold an index directory's write lock (Whoosh's own) without opening the index: any version's index."""
    lock = index_write_lock(MappedStorage(str(directory)))
    deadline = time.monotonic() + timeout
    while not lock.acquire(blocking=False):
        if time.monotonic() > deadline:
            raise IndexLockedError(f"search index {directory} stayed locked for "
                                   f"{timeout:.0f} s; another loader is probably still writing")
        time.sleep(0.05)
    try:
        yield
    finally:
        lock.release()


def _open_or_create(directory: Path) -> whoosh_index.FileIndex:
    """Open the index in `directory`, creating it (once, under a file lock) when missing.

    The format stamp is written before the index itself, so an index never lacks it.
    """
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "create.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        storage = MappedStorage(str(directory))
        if not whoosh_index.exists_in(str(directory)):
            log.info("creating search index in %s", directory)
            _write_format(directory)
            return whoosh_index.FileIndex.create(storage, build_schema())
        check_format(directory)  # before Whoosh unpickles the table of contents
        return whoosh_index.FileIndex(storage)


def _write_format(directory: Path) -> None:
    scratch = directory / f"{FORMAT_NAME}.tmp{os.getpid()}"
    scratch.write_text(json.dumps({"format": INDEX_FORMAT}) + "\n", encoding="utf-8")
    os.replace(scratch, directory / FORMAT_NAME)


def index_format(directory: Path) -> int:
    """The format an index directory was written in (0: written before formats were stamped)."""
    try:
        return int(json.loads((directory / FORMAT_NAME).read_text(encoding="utf-8"))["format"])
    except FileNotFoundError:
        return 0
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexFormatError(f"search index {directory}: unreadable {FORMAT_NAME} ({exc}); {REBUILD_HINT}") from exc


def check_format(directory: Path) -> None:
    """Refuse an index written in another layout than this version's (IndexFormatError, saying what to do)."""
    found = index_format(directory)
    if found < INDEX_FORMAT:
        raise IndexFormatError(f"search index {directory}: this index was written by an older version "
                               f"(format {found}, this version reads {INDEX_FORMAT}): {REBUILD_HINT}")
    if found > INDEX_FORMAT:
        raise IndexFormatError(f"search index {directory} was written by a newer version (format {found}, "
                               f"this version reads {INDEX_FORMAT}): use that version, or {REBUILD_HINT}")
