"""Facet counts over all matches (kind, issuer, region, year, lead) with bitsets.

For each facet value the documents holding it form a bitset over the whole index (built
once per set of segments and cached); a count is one AND and one popcount.  Values are
tried most frequent first and counting stops once no remaining value can enter the top.
"""

from __future__ import annotations

import heapq

from search.docsets import CACHE, Segment, bits_of, posting_ids

# Facet name shown to callers → index field.
FACETS = {"kind": "kind", "issuer": "issuer", "region": "region", "year": "year", "lead": "lead_facet"}
MAX_VALUES = 30  # values per facet, most frequent first


def global_bits(segs: list[Segment], per_segment: list[int]) -> int:
    """One bitset over the whole index from per-segment bitsets."""
    out = 0
    for seg, bits in zip(segs, per_segment, strict=True):
        out |= bits << seg.offset
    return out


def facet_counts(segs: list[Segment], matched: int) -> dict[str, list[tuple[str, int]]]:
    """Per facet: (value, count) pairs, most frequent first, empty values left out."""
    return {name: _top(_value_bits(segs, field), matched) for name, field in FACETS.items()}


def _top(values: list[tuple[str, int, int]], matched: int) -> list[tuple[str, int]]:
    """The MAX_VALUES most frequent values among `matched` (values sorted by total count)."""
    best: list[tuple[int, _Desc]] = []  # min-heap: the weakest kept value on top
    for value, bits, total in values:
        if len(best) >= MAX_VALUES and total < best[0][0]:
            break
        count = (bits & matched).bit_count()
        if count:
            item = (count, _Desc(value))
            if len(best) < MAX_VALUES:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heapreplace(best, item)
    return sorted(((str(v), c) for c, v in best), key=lambda kv: (-kv[1], kv[0]))


class _Desc(str):
    """A string ordering in reverse, so that among equal counts the smaller value ranks higher."""

    def __lt__(self, other: object) -> bool:
        return str.__gt__(self, other)  # type: ignore[operator]

    def __gt__(self, other: object) -> bool:
        return str.__lt__(self, other)  # type: ignore[operator]


def _value_bits(segs: list[Segment], field: str) -> list[tuple[str, int, int]]:
    """(value, global bitset, total) of every value of `field`, most frequent first (cached)."""
    key = ("facet", field, tuple((s.id, s.offset) for s in segs))
    return CACHE.get(key, lambda: _build(segs, field), lambda vs: sum(b.bit_length() // 8 + 64 for _, b, _ in vs))


def _build(segs: list[Segment], field: str) -> list[tuple[str, int, int]]:
    """Read the lexicon and postings of `field` in every segment."""
    merged: dict[str, int] = {}
    for seg in segs:
        per_segment = CACHE.get(("facet-segment", seg.id, field), lambda s=seg: _segment_values(s, field),
                                lambda vs: sum(b.bit_length() // 8 + 64 for _, b in vs))
        for value, bits in per_segment:
            merged[value] = merged.get(value, 0) | (bits << seg.offset)
    live = global_bits(segs, [s.live for s in segs])
    out = [(v, b, (b & live).bit_count()) for v, b in merged.items() if v]
    return sorted(out, key=lambda t: (-t[2], t[0]))


def _segment_values(seg: Segment, field: str) -> list[tuple[str, int]]:
    """(value, bitset) of every value of `field` in one segment."""
    reader = seg.reader
    if field not in reader.schema or field not in reader.indexed_field_names():
        return []
    out = []
    for btext in reader.lexicon(field):
        value = btext.decode("utf-8")
        out.append((value, bits_of(posting_ids(seg.raw_postings(field, value)), seg.size)))
    return out
