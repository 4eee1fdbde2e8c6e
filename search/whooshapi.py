"""The fence around Whoosh's internals: every private name of Whoosh that search/ relies on.

The faster engine (search.codec, .writer, .docsets, .columns, .ranking, .storage) reads
and writes Whoosh's files below its public API.  Other modules reach those internals only
through the functions here, or, where overriding is the point, through a subclass whose
private overrides are listed below.  tests/search/test_whooshapi.py fails, naming this
module, when the installed Whoosh is not WHOOSH_VERSION, when a listed name is missing,
or when a module of search/ touches a Whoosh private name not listed here.

Checked against Whoosh-Reloaded 2.7.5 (requirements.txt: whoosh-reloaded==2.7.5).

Private attributes read or written through this module's functions:

- whoosh.codec.whoosh3.W3Codec: `_blocklimit`, `_compression`, `_inlinelimit` (codec_options)
- whoosh.codec.whoosh3.W3PerDocWriter: `_colwriters` (always_write_stored_offsets)
- whoosh.columns.WrappedColumnWriter: `_child`; whoosh.columns.VarBytesColumn.Writer: `cutoff`
- whoosh.codec.whoosh3.W3PerDocReader: `_cached_reader` (lengths_column)
- whoosh.codec.whoosh3: `_lenfield`, `LENGTHS_COLUMN` (a lengths column's name and type, lengths_column)
- whoosh.columns.NumericColumn reader (a FixedBytesColumn.Reader): `_dbfile`, `_basepos`, `_count` (length_bytes)
- whoosh.reading.SegmentReader: `_perdoc` (per_document_reader), `_terms` (term_matcher, postings_source)
- whoosh.codec.whoosh3.W3TermsReader: `_codec`, `_postfile` (postings_source)
- whoosh.codec.whoosh3.W3LeafMatcher: `_data`, `_read_data`, `_next_block`, `_read_values`, `_values`
  (block_data, next_block, block_values)
- whoosh.codec.whoosh3.W3PostingsWriter: `_blocklimit`, `_ids`, `_weights`, `_values`, `_maxweight`,
  `_minlength`, `_maxlength`, `_write_block` (load_block, write_block);
  whoosh.codec.whoosh3.W3FieldWriter: `_postwriter` (postings_writer)
- whoosh.scoring.BM25F: `_field_B` (field_b)
- whoosh.filedb.filestore.FileStorage: `_fpath` (file_path)
- whoosh.index: `_DEF_INDEX_NAME`, the index name in the lock FileIndex.lock("WRITELOCK") takes (index_write_lock)
- whoosh.multiproc: module global `SegmentWriter`, replaced in a forked sub-writer (use_segment_writer)

Subclasses that override private methods (their own `self._…` uses are listed too):

- search.codec.PackedCodec(W3Codec): reads `_blocklimit`, `_compression`, `_inlinelimit`
- search.codec._PackedPostingsWriter(W3PostingsWriter): overrides `_write_block`, `_mini_ids`,
  `_mini_weights`, `_mini_values`; reads `_ids`, `_weights`, `_values`, `_format`, reads and sets `_compression`
- search.codec.PackedLeafMatcher(W3LeafMatcher): overrides `_read_ids`, `_read_weights`, `_read_values`;
  reads `_data`, calls `_read_data`, sets `_ids`, `_weights`, `_values`
- search.writer.WriterCodec(PackedCodec): reads `_blocklimit`, `_compression`, `_inlinelimit`
- search.writer._PerDocReader(W3PerDocReader): calls `_cached_reader`
- search.writer.BulkSegmentWriter(whoosh.writing.SegmentWriter): overrides `_flush_segment`; calls
  `_check_state`, `_doc_boost`, `_check_fields`, `_field_boost`, sets `_added`; uses its `pool`
  (whoosh.writing.PostingPool: `limit`, `fieldnames`, `current`, `runs`, `add`)
- search.writer.MpWriter(whoosh.multiproc.MpWriter): overrides `_new_task`, `_commit`, `_finish`,
  `_commit_toc`; uses `tasks`, `jobqueue`, `resultqueue`, `subargs`, `multisegment`

The on-disk meaning of what these hold (block tuples, columns) is described in docs/SEARCH.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whoosh import multiproc
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.index import _DEF_INDEX_NAME

WHOOSH_VERSION = (2, 7, 5)  # the Whoosh release every name below was checked against


@dataclass(frozen=True)
class Internal:
    """One private name of Whoosh relied on: `owner` is a class or module of `module` ("" for the module)."""

    module: str
    owner: str
    name: str
    kind: str  # "method", "attribute" (set in the owner's code) or "global" (a module-level name)


def _listed(module: str, owner: str, kind: str, *names: str) -> tuple[Internal, ...]:
    return tuple(Internal(module, owner, name, kind) for name in names)


W3 = "whoosh.codec.whoosh3"
RELIES_ON: tuple[Internal, ...] = (
    *_listed(W3, "W3Codec", "attribute", "_blocklimit", "_compression", "_inlinelimit"),
    *_listed(W3, "W3PerDocWriter", "attribute", "_colwriters"),
    *_listed("whoosh.columns", "WrappedColumnWriter", "attribute", "_child"),
    *_listed("whoosh.columns", "VarBytesColumn.Writer", "attribute", "cutoff"),
    *_listed(W3, "W3PerDocReader", "method", "_cached_reader"),
    *_listed(W3, "", "global", "_lenfield", "LENGTHS_COLUMN"),
    *_listed("whoosh.columns", "FixedBytesColumn.Reader", "attribute", "_dbfile", "_basepos", "_count"),
    *_listed("whoosh.reading", "SegmentReader", "attribute", "_perdoc", "_terms"),
    *_listed(W3, "W3TermsReader", "attribute", "_codec", "_postfile"),
    *_listed(W3, "W3LeafMatcher", "attribute", "_data", "_ids", "_weights", "_values"),
    *_listed(W3, "W3LeafMatcher", "method", "_read_data", "_next_block", "_read_ids", "_read_weights",
             "_read_values"),
    *_listed(W3, "W3PostingsWriter", "attribute", "_blocklimit", "_compression", "_format", "_ids", "_weights",
             "_values", "_maxweight", "_minlength", "_maxlength"),
    *_listed(W3, "W3PostingsWriter", "method", "_write_block", "_mini_ids", "_mini_weights", "_mini_values"),
    *_listed(W3, "W3FieldWriter", "attribute", "_postwriter"),
    *_listed("whoosh.scoring", "BM25F", "attribute", "_field_B"),
    *_listed("whoosh.filedb.filestore", "FileStorage", "method", "_fpath"),
    *_listed("whoosh.index", "", "global", "_DEF_INDEX_NAME"),
    *_listed("whoosh.writing", "SegmentWriter", "method", "_check_state", "_doc_boost", "_check_fields",
             "_field_boost", "_flush_segment"),
    *_listed("whoosh.writing", "SegmentWriter", "attribute", "_added", "pool"),
    *_listed("whoosh.writing", "PostingPool", "attribute", "limit", "fieldnames", "current", "runs"),
    *_listed("whoosh.multiproc", "", "global", "SegmentWriter"),
    *_listed("whoosh.multiproc", "MpWriter", "method", "_new_task", "_commit", "_finish", "_commit_toc"),
    *_listed("whoosh.multiproc", "MpWriter", "attribute", "tasks", "jobqueue", "resultqueue", "subargs",
             "multisegment"),
)


# ------------------------------------------------------------------ codec and per-document files
def codec_options(codec: Any) -> tuple[int, int, int]:
    """A W3 codec's (blocklimit, compression, inlinelimit), as its constructor took them."""
    return codec._blocklimit, codec._compression, codec._inlinelimit


def always_write_stored_offsets(perdocwriter: Any) -> None:
    """Make a W3 per-document writer write the stored-fields column's offsets whatever the segment's size."""
    perdocwriter._colwriters["_stored"]._child.cutoff = 0  # a PickleColumn writer around a VarBytes writer


def lengths_column(perdoc: Any, fieldname: str) -> Any:
    """The one-byte field-lengths column reader of `fieldname` (None without lengths, or without such a reader)."""
    if not hasattr(perdoc, "_cached_reader"):
        return None
    return perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)


def length_bytes(column: Any, size: int) -> bytes | None:
    """The raw one-byte lengths of the first `size` documents of a lengths column, or None for other readers."""
    if not hasattr(column, "_dbfile"):
        return None
    return column._dbfile.get(column._basepos, min(column._count, size))


def per_document_reader(reader: Any) -> Any:
    """A segment reader's per-document reader (None for other readers)."""
    return getattr(reader, "_perdoc", None)


# ------------------------------------------------------------------ terms and posting blocks
def term_matcher(reader: Any, fieldname: str, btext: bytes, format_: Any) -> Any:
    """A segment's matcher for one term without the deleted-documents filter; raises TermNotFound."""
    return reader._terms.matcher(fieldname, btext, format_)


def postings_source(reader: Any) -> tuple[Any, Any]:
    """(the codec's postings_reader, the postings file) of a segment reader, to open matchers from term infos."""
    terms = reader._terms
    return terms._codec.postings_reader, terms._postfile


def block_data(m: Any) -> tuple[Any, Any, Any]:
    """The current block of an on-disk matcher as stored: (ids, weights, values), read if not yet."""
    if m._data is None:
        m._read_data()
    return m._data


def next_block(m: Any) -> None:
    """Move an on-disk matcher to its next block."""
    m._next_block()


def block_values(m: Any) -> Any:
    """The current block's values decoded by the matcher's own code (Whoosh's layouts)."""
    m._read_values()
    return m._values


def postings_writer(fieldwriter: Any) -> Any:
    """A W3 field writer's postings writer."""
    return fieldwriter._postwriter


def block_limit(postwriter: Any) -> int:
    """Postings per block of a postings writer."""
    return postwriter._blocklimit


def load_block(postwriter: Any, ids: Any, weights: Any, maxweight: float, minmax: tuple[int | None, int],
               values: Any = None) -> None:
    """Put one whole block's postings in a postings writer, as its add() would have one by one.

    `maxweight` is the largest weight above 0 (else 0), `minmax` the (smallest, largest) field
    length of the block's documents; `values` the posting values (list), left as they are when
    None (a packed block sets its own).
    """
    postwriter._ids, postwriter._weights, postwriter._maxweight = ids, weights, maxweight
    postwriter._minlength, postwriter._maxlength = minmax
    if values is not None:
        postwriter._values = values


def write_block(postwriter: Any) -> None:
    """Write the postings writer's current block (not the term's last: finish_postings writes that)."""
    postwriter._write_block()


# ------------------------------------------------------------------ scoring, storage, processes
def field_b(model: Any, fieldname: str) -> float:
    """BM25F's B for a field (its per-field value, else the model's)."""
    return model._field_B.get(fieldname, model.B)


def file_path(storage: Any, name: str) -> str:
    """The path of a file of a FileStorage."""
    return storage._fpath(name)


def index_write_lock(storage: Any) -> Any:
    """The lock a writer of the storage's (default-named) index takes, got without reading the index."""
    return storage.lock(f"{_DEF_INDEX_NAME}_WRITELOCK")


def use_segment_writer(cls: type) -> None:
    """Make this process's whoosh.multiproc build its segment writers from `cls` (forked sub-writers only)."""
    multiproc.SegmentWriter = cls
