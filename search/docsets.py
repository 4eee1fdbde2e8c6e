"""Which documents match a query, as bitsets: exact totals and facet counts without per-document Python.

A bitset is a Python int whose bit n is document n of one segment.  Term bitsets are read
once from the postings and cached by segment id (segments never change, except that they
gain deletions, which are masked out by the segment's live-document bitset); AND, OR, NOT
and popcount then run in C.  Phrases are verified with positions on the candidates only.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.idsets import DocIdSet
from whoosh.searching import Searcher

CACHE_BYTES = 96 * 2**20  # per process
_NONZERO = re.compile(rb"[^\x00]")


class BitsetCache:
    """A process-wide LRU of bitsets (and other per-segment values), bounded by size in bytes."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[Any, ...], tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], make: Callable[[], Any], size: Callable[[Any], int]) -> Any:
        """The cached value for `key`, made (outside the lock) when missing."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit[0]
        value = make()
        with self._lock:
            self._items[key] = (value, size(value))
            self._bytes += self._items[key][1]
            while self._bytes > self.max_bytes and len(self._items) > 1:
                self._bytes -= self._items.popitem(last=False)[1][1]
        return value


CACHE = BitsetCache()


def _int_size(bits: int) -> int:
    return bits.bit_length() // 8 + 32


def bits_of(ids: Iterator[int], size: int) -> int:
    """A bitset of `size` bits with the given document numbers set."""
    buf = bytearray((size + 7) // 8)
    for i in ids:
        buf[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buf, "little")


def members(bits: int) -> Iterator[int]:
    """The set bits of a bitset, ascending (cost grows with the number of non-zero bytes)."""
    raw = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for m in _NONZERO.finditer(raw):
        base, byte = m.start() * 8, raw[m.start()]
        for bit in range(8):
            if byte >> bit & 1:
                yield base + bit


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
        matcher = self.raw_postings(fieldname, text)
        return bits_of(posting_ids(matcher), self.size) if matcher is not None else 0

    def raw_postings(self, fieldname: str, text: str) -> Any:
        """The postings matcher of a term without the deleted-documents filter (None if absent)."""
        if fieldname not in self.reader.schema or (fieldname, text) not in self.reader:
            return None
        field = self.reader.schema[fieldname]
        return self.reader._terms.matcher(fieldname, field.to_bytes(text), field.format)


def posting_ids(m: Any) -> Iterator[int]:
    """Every document number of a postings matcher (block by block for on-disk postings)."""
    if not isinstance(m, W3LeafMatcher):
        yield from m.all_ids()
        return
    while m.is_active():
        m._read_ids()
        yield from m._ids
        m._next_block()


def seek(m: Any, target: int) -> None:
    """Move a postings matcher to the first document >= target (binary search inside a block)."""
    if not isinstance(m, W3LeafMatcher):
        m.skip_to(target)
        return
    if m.id() >= target:
        return
    if target > m.block_max_id():
        m._skip_to_block(lambda: target > m.block_max_id())
    if m.is_active():
        if m._ids is None:
            m._read_ids()
        m._i = bisect.bisect_left(m._ids, target, m._i)


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


def _phrase(seg: Segment, q: wq.Phrase) -> int:
    """Documents where the words occur in order, each 1..slop positions after the previous."""
    candidates = _fold(seg, [wq.Term(q.fieldname, w) for w in q.words], lambda a, b: a & b)
    if not candidates:
        return 0
    postings = [seg.raw_postings(q.fieldname, w) for w in q.words]
    return bits_of((d for d in members(candidates) if _in_order(postings, d, q.slop)), seg.size)


def _in_order(postings: list[Any], docnum: int, slop: int) -> bool:
    """True when some chain p0 < p1 < … of the words' positions has 1 <= p[i+1] - p[i] <= slop.

    Positions are decoded word by word and the check stops at the first word that breaks
    every chain (the matchers only move forward: documents must come in ascending order).
    """
    reach: set[int] | None = None
    for m in postings:
        seek(m, docnum)
        positions = m.value_as("positions")
        if reach is None:
            reach = set(positions)
        else:
            reach = {p for p in positions if any(p - d in reach for d in range(1, slop + 1))}
        if not reach:
            return False
    return True


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
