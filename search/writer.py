"""Writing segments: the writer codec, a segment writer with a bulk postings path, and the forked writers.

Whoosh's `SegmentWriter` turns every posting into a tuple in a sorting pool, sorts them all
at commit and writes them back one `add_posting` call at a time, after analysing each text
field through a stream of Token objects.  At 20 measures a document that is most of the
indexing time.  `BulkSegmentWriter` writes the same segment files faster:

- text fields in `PackedPositions` analysed by `ChineseTokenizer` are grouped per word straight
  from `analyzer.word_positions` (no Token, no per-posting bytes);
- every new posting goes to an in-memory table per field and term (flat arrays), so the commit
  sorts terms, not postings, and writes each block's arrays in one go;
- segments merged into the writer join the table a decoded block at a time (Whoosh: one pool
  item a posting, all sorted again), which makes `SearchIndex.optimize` minutes faster.

The files are byte for byte what Whoosh writes (tests/search/test_writer.py).  A table that
outgrows the writer's `limitmb` is poured into Whoosh's pool, which takes everything from then
on (and spills to disk as Whoosh does).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from array import array
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3LeafMatcher, W3PerDocReader, W3PerDocWriter, W3Segment
from whoosh.fields import FieldType
from whoosh.multiproc import MpWriter as WhooshMpWriter
from whoosh.multiproc import SubWriterTask
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from core.process import die_with_parent
from search.analyzer import ChineseTokenizer, word_positions
from search.codec import PACKED, PackedCodec, array_bytes, pack
from search.docsets import posting_blocks, value_arrays
from search.errors import SearchError
from search.formats import POSITION_BYTES, PackedPositions
from search.whooshapi import (
    always_write_stored_offsets,
    block_limit,
    block_values,
    codec_options,
    lengths_column,
    load_block,
    per_document_reader,
    postings_source,
    postings_writer,
    use_segment_writer,
    write_block,
)

# Postings per block (Whoosh: 128).  Bigger blocks cost less per posting to read in bulk; skipping
# (Whoosh's matchers, phrases checked document by document) decodes a whole block at a time.
# Measured reading every posting of the 300 most frequent words of 1,000 bench documents cold:
# 128 → 0.45 s, 256 → 0.34 s, 512 → 0.29 s (and Whoosh's pickled layout: 1.18 s).
BLOCK_POSTINGS = 256
# Bytes a posting costs in the table, beside its positions (4 bytes each): id, weight, count
# and the arrays' growth; a term costs about 400 more.  Only for the `limitmb` check.
_POSTING_BYTES, _TERM_BYTES = 24, 400
_WATCH_S = 0.2  # how often a commit checks that its sub-writers are alive
_ANALYSED_VALUES = 4096  # values remembered per field (see BulkSegmentWriter._analysed)


class WriterCodec(PackedCodec):
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
        return W3Segment(PackedCodec(*codec_options(self)), indexname)

    def per_document_writer(self, storage: object, segment: W3Segment) -> W3PerDocWriter:
        writer = super().per_document_writer(storage, segment)
        always_write_stored_offsets(writer)
        return writer

    def per_document_reader(self, storage: object, segment: W3Segment) -> W3PerDocReader:
        return _PerDocReader(storage, segment)


class _PerDocReader(W3PerDocReader):
    """A written segment's per-document reader holding each field's lengths in memory (a few bytes a document)."""

    def __init__(self, storage: object, segment: W3Segment) -> None:
        super().__init__(storage, segment)
        self._lengths: dict[str, list[int | None] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        lengths = self.lengths(fieldname)
        return default if lengths is None else lengths[docnum]

    def lengths(self, fieldname: str) -> list[int | None] | None:
        """Every document's length of a field (None for no length, as Whoosh's reader answers); None without lengths."""
        if fieldname not in self._lengths:
            reader = lengths_column(self, fieldname)
            self._lengths[fieldname] = (None if reader is None else
                                        [byte_to_length(b) if b else None for b in reader.load()])
        return self._lengths[fieldname]


class _Postings:
    """One term's new postings, in document order: flat arrays, positions concatenated (packed fields).

    A packed term has `counts` and `positions` and no `values`; any other term has only `values`.  The
    writer knows which from the field, so the `# type: ignore[union-attr]`s below mark uses of the fields
    a term of that kind always has (one class with None fields costs less memory than two, per term).
    """

    __slots__ = ("ids", "weights", "counts", "positions", "values")

    def __init__(self, packed: bool) -> None:
        self.ids = array("I")
        self.weights = array("d")  # Whoosh compares weights as doubles, stores them as float32
        self.counts: array | None = array("I") if packed else None  # positions per posting
        self.positions: array | None = array("I") if packed else None
        self.values: list[bytes] | None = None if packed else []  # every posting's (b"": none); blocks keep the rest


class BulkSegmentWriter(SegmentWriter):
    """Whoosh's SegmentWriter with new postings kept per term in flat arrays (see the module's doc)."""

    def __init__(self, ix: whoosh_index.FileIndex, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self._table: dict[str, dict[Any, _Postings]] = {}  # field → term (str: packed fields, else bytes)
        self._table_bytes = 0
        self._memo: dict[str, dict[str, tuple]] = {}  # field → value → its field.index items
        schema, codec = self.schema, self.codec
        supported = (codec_options(codec)[2] <= 1
                     and not any(f.vector or f.separate_spelling() for _, f in schema.items()))
        self._bulk = supported and isinstance(codec, WriterCodec)  # False: every posting goes to Whoosh's pool
        self._packed = {name for name, field in schema.items()
                        if type(field.format) is PackedPositions and type(field.analyzer) is ChineseTokenizer}

    # ---------------------------------------------------------------- adding
    def add_document(self, **fields: Any) -> None:
        """Whoosh's add_document (same checks, stored fields, lengths and columns) into the table."""
        if not self._bulk:
            super().add_document(**fields)
            return
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    if fieldname in self._packed and isinstance(value, str):
                        length = self._add_positions(fieldname, value, field.format.field_boost, boost)
                    else:
                        length = self._add_items(fieldname, field, value, boost)
                    if not field.scorable:
                        length = 0
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()  # as Whoosh: postings already added stay (the caller cancels the writer)
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        if self._table_bytes > self.pool.limit:
            self._pour()  # too big to keep: Whoosh's pool from here on (it spills to disk)

    def _terms(self, fieldname: str) -> dict[Any, _Postings]:
        terms = self._table.get(fieldname)
        if terms is None:
            terms = self._table[fieldname] = {}
            self.pool.fieldnames.add(fieldname)
        return terms

    def _add_positions(self, fieldname: str, value: str, field_boost: float, boost: float) -> int:
        """A packed text field's postings for the current document; returns the field's length."""
        terms, docnum, length, fresh = self._terms(fieldname), self.docnum, 0, 0
        words = word_positions(value)
        for word, positions in words.items():
            postings = terms.get(word)
            if postings is None:
                postings = terms[word] = _Postings(packed=True)
                fresh += 1
            count = len(positions)
            postings.ids.append(docnum)
            postings.weights.append(count * field_boost * boost)  # Whoosh's order of products
            # a packed term (see _Postings): counts and positions are arrays
            postings.counts.append(count)  # type: ignore[union-attr]
            postings.positions.extend(positions)  # type: ignore[union-attr]
            length += count
        self._table_bytes += fresh * _TERM_BYTES + len(words) * _POSTING_BYTES + length * POSITION_BYTES
        return length

    def _analysed(self, fieldname: str, field: FieldType, value: Any) -> tuple:
        """`field.index(value)`, remembered per field for the first _ANALYSED_VALUES string values.

        Kind, region, year, issuer, department facets and the document id repeat across a
        document's measures and across documents; ids unique per entry only fill the memo once.
        """
        if not isinstance(value, str):
            return tuple(field.index(value))
        memo = self._memo.setdefault(fieldname, {})
        items = memo.get(value)
        if items is None:
            items = tuple(field.index(value))
            if len(memo) < _ANALYSED_VALUES:
                memo[value] = items
        return items

    def _add_items(self, fieldname: str, field: FieldType, value: Any, boost: float) -> int:
        """Any other indexed field, through the field's own `index` (as Whoosh); returns the summed frequency."""
        terms, docnum, length, size = self._terms(fieldname), self.docnum, 0, 0
        for btext, freq, weight, vbytes in self._analysed(fieldname, field, value):
            postings = terms.get(btext)
            if postings is None:
                postings = terms[btext] = _Postings(packed=False)
                size += _TERM_BYTES
            postings.ids.append(docnum)
            postings.weights.append(weight * boost)
            postings.values.append(vbytes or b"")  # type: ignore[union-attr]  # unpacked term: a list
            length += freq
            size += _POSTING_BYTES + len(vbytes or b"")
        self._table_bytes += size
        return length

    # ---------------------------------------------------------------- merging
    def write_per_doc(self, fieldnames: set[str], reader: Any) -> dict[int, int] | None:
        """Whoosh's copy of a merged segment's documents, reading each field's lengths once, not once a document."""
        perdoc = per_document_reader(reader)
        if not isinstance(perdoc, W3PerDocReader):
            return super().write_per_doc(fieldnames, reader)
        columns: dict[str, Any] = {}

        def doc_field_length(docnum: int, fieldname: str, default: int = 0) -> int:
            if fieldname not in columns:
                column = lengths_column(perdoc, fieldname)
                columns[fieldname] = None if column is None else column.load()
            column = columns[fieldname]
            return default if column is None else byte_to_length(column[docnum])

        reader.doc_field_length = doc_field_length  # what Whoosh's loop asks for every field of every document
        try:
            return super().write_per_doc(fieldnames, reader)
        finally:
            del reader.doc_field_length

    def add_postings_to_pool(self, reader: Any, startdoc: int, docmap: dict[int, int] | None) -> None:
        """A merged segment's postings into the table, a whole block at a time (Whoosh: one pool item a posting).

        Whoosh's `add_reader` has already copied the segment's documents (stored fields, lengths,
        columns) as documents `startdoc` on, or as `docmap` maps them when the segment has
        deletions (deleted documents are not in it: their postings are dropped).  Segments are
        merged in document order, so appending keeps every term's postings ascending.
        """
        if not self._bulk:
            super().add_postings_to_pool(reader, startdoc, docmap)
            return
        postings_reader, postfile = postings_source(reader)
        for fieldname in sorted(reader.indexed_field_names()):
            field = self.schema[fieldname] if fieldname in self.schema else None
            if field is None or not field.indexed:
                continue
            packed, terms = fieldname in self._packed, self._terms(fieldname)
            for btext, info in reader.iter_field(fieldname):  # the matcher from this term info: no second look-up
                m = postings_reader(postfile, info, field.format, term=(fieldname, btext))
                ids, weights, lengths, blob = _merged_postings(m)
                ids, weights, lengths, blob = _renumbered(ids, weights, lengths, blob, startdoc, docmap)
                if not len(ids):
                    continue  # every posting was a deleted document's: the term goes, as in Whoosh's merge
                term = btext.decode("utf-8") if packed else btext
                postings = terms.get(term)
                if postings is None:
                    postings = terms[term] = _Postings(packed)
                    self._table_bytes += _TERM_BYTES
                postings.ids.frombytes(ids.astype(np.uint32).tobytes())
                postings.weights.frombytes(weights.astype(np.float64).tobytes())
                if packed:  # union-attr: a packed term's counts and positions are arrays (see _Postings)
                    postings.counts.frombytes((lengths // POSITION_BYTES).astype(np.uint32).tobytes())  # type: ignore[union-attr]
                    postings.positions.frombytes(blob)  # type: ignore[union-attr]
                else:
                    ends = np.cumsum(lengths).tolist()  # union-attr: an unpacked term's values is a list
                    postings.values.extend(blob[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True))  # type: ignore[union-attr]
                self._table_bytes += len(ids) * _POSTING_BYTES + len(blob)
        if self._table_bytes > self.pool.limit:
            self._pour()  # the next segments go through Whoosh's pool

    # ---------------------------------------------------------------- writing
    def _pour(self) -> None:
        """Move the table into Whoosh's pool, which takes every posting from now on."""
        add = self.pool.add
        for fieldname, terms in self._table.items():
            for term, postings in terms.items():
                btext = term.encode("utf-8") if isinstance(term, str) else term
                if postings.positions is not None:  # arg-type: then counts is set too; else values is
                    start = 0
                    for docnum, weight, count in zip(postings.ids, postings.weights, postings.counts, strict=True):  # type: ignore[arg-type]
                        add((fieldname, btext, docnum, weight, array_bytes(postings.positions[start:start + count])))
                        start += count
                else:
                    for docnum, weight, value in zip(postings.ids, postings.weights, postings.values, strict=True):  # type: ignore[arg-type]
                        add((fieldname, btext, docnum, weight, value))
        self._table, self._table_bytes, self._bulk = {}, 0, False

    def iter_postings(self) -> Any:
        self._pour()
        return super().iter_postings()

    def _flush_segment(self) -> None:
        """Write the table's postings; Whoosh's own path when the pool holds postings (merged segments)."""
        if self.pool.current or self.pool.runs or not self._table:
            self._pour()
            super()._flush_segment()
            return
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        try:
            self._write_table(lengths)
        finally:
            lengths.close()
        self.fieldwriter.close()

    def _write_table(self, perdoc: _PerDocReader) -> None:
        """Every field's terms in order, each term's postings in blocks (Whoosh's FieldWriter.add_postings)."""
        fieldwriter = self.fieldwriter
        for fieldname in sorted(self._table):  # str order = UTF-8 byte order, Whoosh's sort order
            terms = self._table[fieldname]
            lengths = perdoc.lengths(fieldname)
            fieldwriter.start_field(fieldname, self.schema[fieldname])
            for term in sorted(terms):
                fieldwriter.start_term(term.encode("utf-8") if isinstance(term, str) else term)
                _write_postings(postings_writer(fieldwriter), terms[term], lengths)
                fieldwriter.finish_term()
            fieldwriter.finish_field()
        self._table = {}


def _write_postings(writer: Any, postings: _Postings, lengths: list[int | None] | None) -> None:
    """One term's postings as the postings writer's blocks, the last left for its finish_postings."""
    total, limit, start = len(postings.ids), block_limit(writer), 0
    for first in range(0, total, limit):
        last = min(total, first + limit)
        ids, weights = postings.ids[first:last], postings.weights[first:last]
        top = max(weights)
        present = [] if lengths is None else [n for n in map(lengths.__getitem__, ids) if n]
        minmax = (min(present), max(present)) if present else (None, 0)
        values = None
        if postings.positions is not None:
            counts = postings.counts[first:last]  # type: ignore[index]
            end = start + sum(counts)
            writer._packed_values = (PACKED, pack("I", [c * POSITION_BYTES for c in counts]),
                                     array_bytes(postings.positions[start:end]))
            start = end
        else:
            values = [v for v in postings.values[first:last] if v]  # type: ignore[index]
        # Whoosh: the block's largest weight above 0; weights are stored as float32
        load_block(writer, ids, array("f", weights), top if top > 0 else 0, minmax, values)
        if last < total:
            write_block(writer)


def _merged_postings(m: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, bytes]:
    """A term's postings in a segment: ids, weights, each value's byte length, the values concatenated."""
    if isinstance(m, W3LeafMatcher):
        ids, weights, lengths, blobs = [], [], [], []
        for block_ids, block_weights, vs in posting_blocks(m):
            if isinstance(vs, tuple) and vs and vs[0] == PACKED:
                block_lengths, blob = value_arrays(vs)
            else:  # Whoosh's layouts (fixed-size values, none, or a list): its own decoding
                values = [v or b"" for v in block_values(m)[: len(block_ids)]]
                block_lengths, blob = np.array([len(v) for v in values], np.int64), b"".join(values)
            ids.append(block_ids)
            weights.append(block_weights)
            lengths.append(block_lengths)
            blobs.append(blob)
        if ids:
            return np.concatenate(ids), np.concatenate(weights), np.concatenate(lengths), b"".join(blobs)
        return np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64), b""
    items = []  # postings inlined in the terms table (a single posting)
    while m.is_active():
        items.append((m.id(), m.weight(), m.value() or b""))
        m.next()
    values = [v for _, _, v in items]
    return (np.array([i for i, _, _ in items], np.int64), np.array([w for _, w, _ in items], np.float64),
            np.array([len(v) for v in values], np.int64), b"".join(values))


def _renumbered(ids: np.ndarray, weights: np.ndarray, lengths: np.ndarray, blob: bytes, startdoc: int,
                docmap: dict[int, int] | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, bytes]:
    """Postings with the merged segment's document numbers, without those of deleted documents."""
    if docmap is None:
        return ids + startdoc, weights, lengths, blob
    mapped = np.array([docmap.get(i, -1) for i in ids.tolist()], np.int64)
    keep = mapped >= 0
    if keep.all():
        return mapped, weights, lengths, blob
    raw = np.frombuffer(blob, np.uint8)
    return mapped[keep], weights[keep], lengths[keep], raw[np.repeat(keep, lengths)].tobytes()


class _SubWriterTask(SubWriterTask):
    """A Whoosh sub-writer process that dies with its parent and writes with BulkSegmentWriter.

    It shares the parent's index lock (an inherited `flock`) and would wait for work forever:
    an orphan left by a killed loader would keep the index locked.
    """

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.parent_pid = os.getpid()

    def run(self) -> None:
        die_with_parent(self.parent_pid, signal.SIGKILL)
        # The loader's objects, inherited: out of the collector's reach.  Each full collection would
        # walk them all and write their GC headers, copying every page of the parent's heap (+25%
        # of a writer's CPU under a loader holding a few million objects).
        gc.freeze()
        if self.multisegment:  # this (forked) process's Whoosh makes its segment writer: ours
            use_segment_writer(BulkSegmentWriter)
        super().run()


def _died(task: multiprocessing.Process) -> bool:
    """Whether a sub-writer has ended other than by exiting with 0, seen without reaping it.

    The commit's own `join` reaps the sub-writers; reaping one here too could leave `join`
    with no exit code to read (both threads would wait for the same child).
    """
    popen = getattr(task, "_popen", None)
    if popen is None:
        return False
    if popen.returncode is not None:  # join has reaped it
        return popen.returncode != 0
    try:
        info = os.waitid(os.P_PID, popen.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:  # reaped by join meanwhile: the next look reads its return code
        return False
    return info is not None and (info.si_code != os.CLD_EXITED or info.si_status != 0)


class MpWriter(WhooshMpWriter):
    """Whoosh's multi-process writer with sub-writers that die with the loader.

    Its job queue has no bound: the parent hands a whole batch over (as job files on disk)
    and goes on while the sub-writers work, instead of waiting for them every few jobs.
    """

    def __init__(self, ix: whoosh_index.FileIndex, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.jobqueue: multiprocessing.Queue[Any] = multiprocessing.Queue()

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

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        """Whoosh's commit, which waits for every sub-writer, watched: once one has died, the others are stopped.

        A sub-writer killed while taking a job holds the job queue's lock for ever: the others would
        wait on it, and this commit on them.  With every sub-writer ended, `_commit_toc` refuses the commit.
        """
        done = threading.Event()

        def watch() -> None:
            while not done.wait(_WATCH_S):
                if any(map(_died, self.tasks)):
                    for task in self.tasks:
                        if task.is_alive():
                            task.kill()
                    return

        watcher = threading.Thread(target=watch, name="index-writers-watch", daemon=True)
        watcher.start()
        try:
            super()._commit(mergetype, optimize, merge)
        finally:
            done.set()
            watcher.join()

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
