"""Which documents match a query, as bitsets: exact totals and facet counts without per-document Python.

A bitset is a Python int whose bit n is document n of one segment.  Term bitsets are read
once from the postings and cached by segment id (segments never change, except that they
gain deletions, which are masked out by the segment's live-document bitset); AND, OR, NOT
and popcount then run in C.  A phrase intersects its words' occurrences (document, position),
decoded once per segment and word into sorted numpy arrays.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.idsets import DocIdSet
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from search.codec import PACKED
from search.formats import POSITION_BYTES, PackedPositions
from search.whooshapi import block_data, next_block, term_matcher
from settings import Settings

_NONZERO = re.compile(rb"[^\x00]")


class BitsetCache:
    """A process-wide LRU of bitsets (and other per-segment values), bounded by size in bytes."""

    def __init__(self, max_bytes: int = Settings.search_cache_bytes) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[Any, ...], tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._making: dict[tuple[Any, ...], threading.Event] = {}  # keys some thread is making now

    def has(self, key: tuple[Any, ...]) -> bool:
        """Whether `key` is cached (without making it)."""
        with self._lock:
            return key in self._items

    def clear(self) -> None:
        """Forget everything (tests; a process that wants its memory back)."""
        with self._lock:
            self._items.clear()
            self._bytes = 0

    @property
    def bytes(self) -> int:
        """What the cached values take (as estimated by their size functions)."""
        return self._bytes

    def get(self, key: tuple[Any, ...], make: Callable[[], Any], size: Callable[[Any], int]) -> Any:
        """The cached value for `key`, made (outside the lock) when missing.

        A value another thread is making is waited for, not made twice: after a start the warm-up thread
        and the first searches need the same facet columns, and making them twice at once (under one GIL)
        made the first search wait twice as long. (A maker never needs its own key, so no thread waits for
        itself.)
        """
        while True:
            with self._lock:
                hit = self._items.get(key)
                if hit is not None:
                    self._items.move_to_end(key)
                    return hit[0]
                other = self._making.get(key)
                if other is None:
                    mine = self._making[key] = threading.Event()
                    break
            other.wait()  # then read it from the cache (or make it, if that failed or it was evicted)
        try:
            value = make()
            self.put(key, value, size(value))
            return value
        finally:
            with self._lock:
                self._making.pop(key, None)
            mine.set()

    def put(self, key: tuple[Any, ...], value: Any, nbytes: int) -> None:
        """Cache `value` under `key` (replacing what was there), evicting the least recently used."""
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, nbytes)
            self._bytes += nbytes
            while self._bytes > self.max_bytes and len(self._items) > 1:
                self._bytes -= self._items.popitem(last=False)[1][1]


CACHE = BitsetCache()


def _int_size(bits: int) -> int:
    return bits.bit_length() // 8 + 32


def bits_of(ids: Iterator[int] | np.ndarray, size: int) -> int:
    """A bitset of `size` bits with the given document numbers set."""
    flags = np.zeros(size, dtype=bool)
    flags[ids if isinstance(ids, np.ndarray) else np.fromiter(ids, dtype=np.int64)] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def members(bits: int) -> Iterator[int]:
    """The set bits of a bitset, ascending (cost grows with the number of non-zero bytes)."""
    raw = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for m in _NONZERO.finditer(raw):
        base, byte = m.start() * 8, raw[m.start()]
        for bit in range(8):
            if byte >> bit & 1:
                yield base + bit


@dataclass(frozen=True)
class Postings:
    """Document numbers (ascending, deleted ones included) and term frequencies of one term."""

    ids: np.ndarray  # int32
    weights: np.ndarray  # float64

    @property
    def nbytes(self) -> int:
        return int(self.ids.nbytes + self.weights.nbytes) + 64


# Hot-word files mapped by this process (see search.hotfile): segment id → its look-up of a
# (field, word), which gives the word's postings and occurrence keys, or None.
MAPPED: dict[str, Callable[[str, str], tuple[Postings, np.ndarray] | None]] = {}


def postings(seg: Segment, fieldname: str, text: str) -> Postings:
    """The postings of one term in a segment (mapped from its hot-word file, or read and cached)."""
    hot = _hot(seg, fieldname, text)
    if hot is not None:
        return hot[0]
    key = ("postings", seg.id, fieldname, text)
    return CACHE.get(key, lambda: read_postings(seg, fieldname, text), lambda p: p.nbytes)


def _hot(seg: Segment, fieldname: str, text: str) -> tuple[Postings, np.ndarray] | None:
    find = MAPPED.get(seg.id)
    return find(fieldname, text) if find is not None else None


def decode_term(seg: Segment, fieldname: str, text: str) -> tuple[Postings, np.ndarray]:
    """A term's postings and occurrence keys read from the segment itself (nothing cached)."""
    m = seg.raw_postings(fieldname, text)
    if m is not None and _packed(m):
        return _read_packed(m)
    return _read_plain_postings(m), _read_occurrences(seg, fieldname, text)  # each reads with its own matcher


def read_postings(seg: Segment, fieldname: str, text: str) -> Postings:
    m = seg.raw_postings(fieldname, text)
    if m is None:
        return Postings(np.zeros(0, dtype=np.int32), np.zeros(0))
    if _packed(m):  # the same blocks hold the positions: decode them now, a phrase will want them
        found, keys = _read_packed(m)
        CACHE.put(("occurrences", seg.id, fieldname, text), keys, _array_size(keys))
        return found
    return _read_plain_postings(m)


def _read_plain_postings(m: Any) -> Postings:
    """Postings of a term in Whoosh's own layout (or any layout, through its matcher; None: no postings)."""
    if m is None:
        return Postings(np.zeros(0, dtype=np.int32), np.zeros(0))
    ids: list[Any] = []
    weights: list[Any] = []
    if isinstance(m, W3LeafMatcher):  # on-disk postings: whole blocks at a time
        for block_ids, block_weights, _values in posting_blocks(m):
            ids.append(block_ids.astype(np.int32))
            weights.append(block_weights)
        if not ids:
            return Postings(np.zeros(0, dtype=np.int32), np.zeros(0))
        return Postings(np.concatenate(ids), np.concatenate(weights))
    while m.is_active():  # in-memory postings
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return Postings(np.asarray(ids, dtype=np.int32), np.asarray(weights, dtype=np.float64))


def _packed(m: Any) -> bool:
    return isinstance(m, W3LeafMatcher) and isinstance(m.format, PackedPositions)


def _read_packed(m: W3LeafMatcher) -> tuple[Postings, np.ndarray]:
    """Postings and (document << 32 | position) occurrence keys of a PackedPositions term, in one pass."""
    ids, weights, keys = [], [], []
    for block_ids, block_weights, vs in posting_blocks(m):
        lengths, blob = value_arrays(vs)
        counts = lengths // POSITION_BYTES
        positions = np.frombuffer(blob, dtype="<u4").astype(np.int64)
        ids.append(block_ids.astype(np.int32))
        weights.append(block_weights)
        keys.append((np.repeat(block_ids, counts) << 32) | positions)
    if not ids:
        return Postings(np.zeros(0, dtype=np.int32), np.zeros(0)), np.zeros(0, dtype=np.int64)
    return Postings(np.concatenate(ids), np.concatenate(weights)), np.concatenate(keys)


def _array_size(a: np.ndarray) -> int:
    return int(a.nbytes) + 64


def posting_blocks(m: W3LeafMatcher) -> Iterator[tuple[np.ndarray, np.ndarray, Any]]:
    """(ids, weights, values) of each block of an on-disk posting list, decoded in numpy.

    A block's data is an (ids, weights, values) tuple: flat arrays in PackedCodec's layout
    (see search.codec), Python objects in Whoosh's (id deltas, float weights, bytes values).
    Weights are None when all are 1.0, one float when all are equal.
    """
    while m.is_active():
        raw_ids, weights, vs = block_data(m)
        if isinstance(raw_ids, bytes):
            ids = np.frombuffer(raw_ids, dtype="<u4").astype(np.int64)
        else:
            ids = np.cumsum(np.asarray(raw_ids, dtype=np.int64))
        if weights is None:
            w = np.ones(len(ids))
        elif isinstance(weights, float):
            w = np.full(len(ids), weights)
        elif isinstance(weights, bytes):
            w = np.frombuffer(weights, dtype="<f4").astype(np.float64)
        else:
            w = np.asarray(weights, dtype=np.float64)[: len(ids)]
        yield ids, w, vs
        next_block(m)


def value_arrays(vs: Any) -> tuple[np.ndarray, bytes]:
    """A block's values as (byte length of each, all of them concatenated)."""
    if isinstance(vs, tuple) and vs and vs[0] == PACKED:
        return np.frombuffer(vs[1], dtype="<u4").astype(np.int64), vs[2]
    return np.fromiter(map(len, vs), dtype=np.int64, count=len(vs)), b"".join(vs)


class Segment:
    """One segment of a searcher: its reader, global offset and live documents."""

    def __init__(self, searcher: Searcher, offset: int) -> None:
        self.searcher, self.offset = searcher, offset
        self.reader = searcher.reader()
        self.id = self.reader.segment().segment_id()
        self.size = self.reader.doc_count_all()
        deleted = self.reader.deleted_docs_set
        self.live = CACHE.get(("live", self.id, len(deleted)), lambda: self._live(deleted), _int_size)

    def _live(self, deleted: frozenset[int]) -> int:
        return ((1 << self.size) - 1) & ~bits_of(iter(deleted), self.size)

    def term(self, fieldname: str, text: str) -> int:
        """Documents (deleted ones too) whose `fieldname` holds `text`."""
        return CACHE.get(("term", self.id, fieldname, text), lambda: self._read_term(fieldname, text), _int_size)

    def _read_term(self, fieldname: str, text: str) -> int:
        ids = postings(self, fieldname, text).ids
        return bits_of(ids, self.size) if len(ids) else 0

    def frequencies(self, fieldname: str) -> Iterator[tuple[str, int]]:
        """(word, documents holding it) of every word of `fieldname` in this segment, in term order."""
        if fieldname not in self.reader.indexed_field_names():
            return
        for raw, info in self.reader.iter_field(fieldname):
            yield (raw.decode("utf-8") if isinstance(raw, bytes) else raw), info.doc_frequency()

    def raw_postings(self, fieldname: str, text: str) -> Any:
        """The postings matcher of a term without the deleted-documents filter (None if absent)."""
        if fieldname not in self.reader.schema:
            return None
        field = self.reader.schema[fieldname]
        try:  # one look-up in the terms table (`in` and then the matcher would look twice)
            return term_matcher(self.reader, fieldname, field.to_bytes(text), field.format)
        except TermNotFound:
            return None


def segments(searcher: Searcher) -> list[Segment]:
    """The searcher's segments with their offsets (none for an empty index)."""
    return [Segment(s, offset) for s, offset in searcher.leaf_searchers() if s.reader().segment() is not None]


def matches(seg: Segment, q: wq.Query) -> int:
    """Live documents of the segment matching `q`."""
    return _bits(seg, q) & seg.live


def _bits(seg: Segment, q: wq.Query) -> int:
    """Documents matching `q` (before masking deletions)."""
    if isinstance(q, wq.Term):
        return seg.term(q.fieldname, q.text)
    if isinstance(q, wq.And):
        return _fold(seg, q.subqueries, lambda a, b: a & b)
    if isinstance(q, wq.Or):
        return _fold(seg, q.subqueries, lambda a, b: a | b)
    if isinstance(q, wq.AndNot):
        return _bits(seg, q.a) & ~_bits(seg, q.b)
    if isinstance(q, wq.Every):
        return seg.live
    if isinstance(q, wq.Phrase):
        key = ("phrase", seg.id, q.fieldname, tuple(q.words), q.slop)
        return CACHE.get(key, lambda: _phrase(seg, q), _int_size)
    return bits_of(q.matcher(seg.searcher).all_ids(), seg.size)  # anything else: Whoosh's matcher


def _fold(seg: Segment, queries: list[wq.Query], op: Callable[[int, int], int]) -> int:
    result = _bits(seg, queries[0])
    for sub in queries[1:]:
        result = op(result, _bits(seg, sub))
    return result


# A phrase whose words share few documents is checked document by document (positions decoded
# for those only); otherwise every occurrence of its words is decoded once into cached arrays.
# Per document costs about this many times one posting's decode (measured on Whoosh's pickled
# positions).  With PackedPositions a word's positions are decoded with its postings, so they are
# already cached when a phrase runs: the per-document check serves words evicted from the cache.
PER_DOCUMENT_COST = 15


def _phrase(seg: Segment, q: wq.Phrase) -> int:
    """Documents where the words occur in order, each 1..slop positions after the previous.

    Each word's occurrences are (document << 32 | position) keys, decoded once per segment
    and cached; a phrase is then a chain of sorted-array intersections in numpy.
    """
    candidates = _fold(seg, [wq.Term(q.fieldname, w) for w in q.words], lambda a, b: a & b)
    if not candidates:
        return 0
    decoded = all(_decoded(seg, q.fieldname, w) for w in q.words)
    if not decoded and candidates.bit_count() * PER_DOCUMENT_COST < sum(
            len(postings(seg, q.fieldname, w).ids) for w in q.words):
        return _phrase_per_document(seg, q, candidates)
    reach = occurrences(seg, q.fieldname, q.words[0])
    for word in q.words[1:]:
        keys = occurrences(seg, q.fieldname, word)
        reach = np.unique(np.concatenate([keys[np.isin(keys - d, reach, assume_unique=True)]
                                          for d in range(1, q.slop + 1)]))
        if not len(reach):
            return 0
    return bits_of(np.unique(reach >> 32), seg.size)


def _phrase_per_document(seg: Segment, q: wq.Phrase, candidates: int) -> int:
    """The phrase check on the candidate documents only, reading their positions as they come."""
    matchers = [seg.raw_postings(q.fieldname, w) for w in q.words]
    found = []
    for docnum in members(candidates):
        reach: set[int] | None = None
        for m in matchers:
            m.skip_to(docnum)  # candidates ascend, so every matcher only moves forward
            positions = m.value_as("positions")
            reach = set(positions) if reach is None else {
                p for p in positions if any(p - d in reach for d in range(1, q.slop + 1))}
            if not reach:
                break
        if reach:
            found.append(docnum)
    return bits_of(np.asarray(found, dtype=np.int64), seg.size)


def occurrences(seg: Segment, fieldname: str, text: str) -> np.ndarray:
    """Sorted (document << 32 | position) keys of every occurrence of a term in a segment.

    Mapped from the segment's hot-word file, or read and cached.
    """
    hot = _hot(seg, fieldname, text)
    if hot is not None:
        return hot[1]
    key = ("occurrences", seg.id, fieldname, text)
    return CACHE.get(key, lambda: _read_occurrences(seg, fieldname, text), _array_size)


def _decoded(seg: Segment, fieldname: str, text: str) -> bool:
    """Whether a term's occurrences are at hand without reading the segment."""
    return _hot(seg, fieldname, text) is not None or CACHE.has(("occurrences", seg.id, fieldname, text))


def _read_occurrences(seg: Segment, fieldname: str, text: str) -> np.ndarray:
    m = seg.raw_postings(fieldname, text)
    if m is None:
        return np.zeros(0, dtype=np.int64)
    if _packed(m):  # the postings come with them: cache those too
        found, keys = _read_packed(m)
        CACHE.put(("postings", seg.id, fieldname, text), found, found.nbytes)
        return keys
    docs: list[int] = []
    deltas: list[list[int]] = []
    while m.is_active():  # a posting inlined in the terms table, or a field of another format
        found = m.value_as("positions")
        docs.append(m.id())
        deltas.append([b - a for a, b in zip([0, *found], found, strict=False)])
        m.next()
    counts = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
    flat = np.fromiter(itertools.chain.from_iterable(deltas), dtype=np.int64, count=int(counts.sum()))
    # positions: running sums of the deltas, restarted at every document
    running = np.cumsum(flat)
    starts = np.cumsum(counts) - counts
    positions = running - np.repeat(np.concatenate([[0], running])[starts], counts)
    return (np.repeat(np.asarray(docs, dtype=np.int64), counts) << 32) | positions



class MatchSet(DocIdSet):
    """Global document numbers of per-segment bitsets, for Whoosh's `filter=` (membership only)."""

    def __init__(self, segs: list[Segment], bits: list[int]) -> None:
        self._parts = [(s.offset, s.size, b.to_bytes((s.size + 7) // 8, "little")) for s, b in zip(segs, bits,
                                                                                                    strict=True)]

    def __contains__(self, docnum: int) -> bool:
        for offset, size, raw in self._parts:
            if offset <= docnum < offset + size:
                local = docnum - offset
                return bool(raw[local >> 3] >> (local & 7) & 1)
        return False

    def __iter__(self) -> Iterator[int]:
        for offset, _, raw in self._parts:
            yield from (offset + d for d in members(int.from_bytes(raw, "little")))

    def __len__(self) -> int:
        return sum(int.from_bytes(raw, "little").bit_count() for _, _, raw in self._parts)
