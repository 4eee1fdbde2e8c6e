"""Warm the per-process caches, so the first searches after a start do not pay for reading the index.

The costly first reads are those of the most common words: their postings and positions span
much of the index, in every segment.  Warming first maps each segment's hot-word file (writing
the missing ones: see search.hotfile), which holds those words decoded and costs no heap; then
reads the facet columns and field lengths every search uses; then the words in the most
documents of every text field (a word such as 科技 has long postings in the lead and support
fields too, through department names), most frequent first: their ranking scores, and their
postings and positions where no hot-word file holds them, until the words take their share of
the cache.  That share is counted apart from the columns, and stays below the cache's size, so
warming never evicts what it read.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable

from whoosh.searching import Searcher

from search.columns import field_lengths
from search.docsets import CACHE, Segment, occurrences, postings, segments
from search.facets import facet_counts
from search.hotfile import HOT
from search.index import SearchIndex
from search.ranking import warm_scores
from search.schema import TEXT_FIELDS
from settings import Settings

log = logging.getLogger(__name__)

WORD_SHARE = 0.6  # of the cache, for warmed words (on top of the columns)
MAX_WORDS = 600  # (field, word) pairs looked at, most frequent first


def warm(index: SearchIndex, words: int = MAX_WORDS, share: float = WORD_SHARE) -> int:
    """Read the `words` most frequent (field, word) pairs of the text fields; returns how many were read.

    Stops early once the words hold `share` of the cache (or the cache is nearly full).
    """
    started = time.perf_counter()
    searcher = index.searcher()
    segs = segments(searcher)
    mapped = HOT.ensure(index.directory, segs, TEXT_FIELDS)
    facet_counts(segs, [seg.live for seg in segs])  # facet columns and their shared vocabulary
    for seg in segs:
        for fieldname in TEXT_FIELDS:
            field_lengths(seg, fieldname)
    columns = CACHE.bytes
    limit = min(columns + share * CACHE.max_bytes, 0.9 * CACHE.max_bytes)
    read = 0
    for fieldname, text in most_frequent(searcher, TEXT_FIELDS, words) if words > 0 else []:
        if CACHE.bytes >= limit:
            break
        _read_word(segs, fieldname, text)
        read += 1
    log.info("search caches warmed in %.1f s: %d hot words mapped; %d words read, %.0f MB (columns %.0f MB)",
             time.perf_counter() - started, mapped, read, CACHE.bytes / 2**20, columns / 2**20)
    return read


def keep_warm(index: SearchIndex, stop: threading.Event | None = None,
              every_s: float = Settings.search_rewarm_s) -> None:
    """Warm the caches now, then again (lightly) whenever the index changes, until `stop` is set.

    A load or an upload adds segments (and Whoosh may merge some): their hot-word files are
    written and mapped, and the facet columns read, so the first searches after a change do not
    read them cold.  Ranking scores are left to the searches themselves: recomputing those of
    every common word in every process after each small upload would cost more than it saves.
    """
    stop = stop or threading.Event()
    seen = _warm_safely(index, MAX_WORDS)
    while not stop.wait(every_s):
        seen = rewarm_if_changed(index, seen)


def rewarm_if_changed(index: SearchIndex, seen: tuple[int, int] | None) -> tuple[int, int] | None:
    """Warm again (without ranking scores) when the index's state differs from `seen`; the state warmed."""
    now = index.state()
    if now is None or now == seen:
        return seen
    return _warm_safely(index, 0)


def _warm_safely(index: SearchIndex, words: int) -> tuple[int, int] | None:
    state = index.state()
    try:
        warm(index, words=words)
    except Exception:  # a failed warm-up only means the first searches read the index themselves
        log.warning("could not warm the search caches", exc_info=True)
    return state


def _read_word(segs: list[Segment], fieldname: str, text: str) -> None:
    for seg in segs:
        seg.term(fieldname, text)
        postings(seg, fieldname, text)
        occurrences(seg, fieldname, text)
    warm_scores(segs, fieldname, text)


def most_frequent(searcher: Searcher, fieldnames: Iterable[str], n: int) -> list[tuple[str, str]]:
    """The n (field, word) pairs in the most documents, most first (ties by field and word)."""
    counted = ((df, fieldname, text) for fieldname in fieldnames
               for text, df in _document_frequencies(searcher, fieldname).items())
    return [(fieldname, text) for _df, fieldname, text in heapq.nsmallest(
        n, counted, key=lambda c: (-c[0], c[1], c[2]))]


def _document_frequencies(searcher: Searcher, fieldname: str) -> Counter[str]:
    """Word → documents holding it in `fieldname`, summed segment by segment.

    Each segment's terms are read in order on their own: iterating the whole index's terms
    would merge every segment's term list word by word (seconds on a bulk-loaded index).
    """
    out: Counter[str] = Counter()
    if fieldname in searcher.schema:
        for seg in segments(searcher):
            for text, df in seg.frequencies(fieldname):
                out[text] += df
    return out
