"""Warm the per-process caches, so the first searches after a start do not pay for reading the index.

The costly first reads are those of the most common words: their postings and positions span
much of the index.  Warming reads them for the most frequent words of the text fields (within
a share of the cache), plus the facet columns and field lengths every search uses.
"""

from __future__ import annotations

import heapq
import logging
import time

from search.columns import field_lengths
from search.docsets import CACHE, occurrences, postings, segments
from search.facets import facet_counts
from search.index import SearchIndex
from search.schema import TEXT_FIELDS

log = logging.getLogger(__name__)

WARM_FIELDS = ("body", "title")  # where common words have long postings (lead/support are short)


def warm(index: SearchIndex, words: int = 48, share: float = 0.25) -> int:
    """Read the `words` most frequent words of each warmed field; returns how many were read.

    Stops early once the cache holds `share` of its size, so warming never evicts itself.
    """
    started = time.perf_counter()
    searcher = index.searcher()
    segs = segments(searcher)
    facet_counts(segs, [seg.live for seg in segs])  # facet columns and their shared vocabulary
    for seg in segs:
        for fieldname in TEXT_FIELDS:
            field_lengths(seg, fieldname)
    read = 0
    for fieldname in WARM_FIELDS:
        for text in _most_frequent(searcher, fieldname, words):
            if CACHE.bytes > share * CACHE.max_bytes:
                break
            for seg in segs:
                seg.term(fieldname, text)
                postings(seg, fieldname, text)
                occurrences(seg, fieldname, text)
            read += 1
    log.info("search caches warmed in %.1f s: %d words, %.0f MB", time.perf_counter() - started, read,
             CACHE.bytes / 2**20)
    return read


def _most_frequent(searcher, fieldname: str, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The n words of `fieldname` in the most documents."""
    if fieldname not in searcher.schema:
        return []
    reader = searcher.reader()
    top = heapq.nlargest(n, ((info.doc_frequency(), text) for text, info in reader.iter_field(fieldname)))
    return [text.decode("utf-8") if isinstance(text, bytes) else text for _df, text in top]
