"""Ranking the exact matches: Whoosh's BM25F scores, computed over numpy columns.

The ranking query scores like the search query and matches at least its documents:
phrases are scored as the AND of their words (the exact phrase check has been done on the
match bitsets), exclusions are left to the filter, and a query of filters only has no
ranking at all (results come in index order).  Scores equal what Whoosh's own matchers give
(same formula, global statistics and one-byte field lengths), but are computed for a whole
segment at once from cached postings instead of document by document.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from search.columns import field_lengths, matched_documents
from search.docsets import CACHE, Segment, postings
from search.whooshapi import field_b


def ranking_query(q: wq.Query) -> wq.Query | None:
    """A query matching a superset of `q`'s documents and scoring like it; None when nothing scores."""
    if isinstance(q, wq.Phrase):
        return wq.And([wq.Term(q.fieldname, w, boost=q.boost) for w in q.words])
    if isinstance(q, wq.AndNot):
        return ranking_query(q.a)
    if isinstance(q, wq.Every):
        return None
    if isinstance(q, wq.And | wq.Or):
        parts = [r for sub in q.subqueries if (r := ranking_query(sub)) is not None]
        if not parts or (isinstance(q, wq.Or) and len(parts) < len(q.subqueries)):
            return None  # an OR with an unscored branch could miss matches: rank in index order
        return type(q)(parts, boost=q.boost)
    return q


def top_k(segs: list[Segment], matched: list[int], q: wq.Query, k: int) -> list[tuple[int, float]]:
    """(global document number, score) of the k best matched documents, best first.

    Scores are Whoosh's (BM25F, boosts, sums over AND/OR), for the matched documents only;
    equal scores go to the lower document number, as in Whoosh.
    """
    return best(*scored(segs, matched, q), k)


def scored(segs: list[Segment], matched: list[int], q: wq.Query) -> tuple[np.ndarray, np.ndarray]:
    """(global document numbers, scores) of every matched document, in index order.

    All segments are ranked as one: each term's postings and scores are kept concatenated
    over the current segments (global document numbers), so a query costs a few numpy calls
    per term, not per term and segment (a bulk-loaded index has tens of segments).
    """
    local = matched_documents(segs, matched)
    if not len(local):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    stats = _Stats(segs[0].searcher.get_parent())
    slots = np.full(_doc_count(segs), -1, dtype=np.int64)  # document → its index in `local`, -1 if not matched
    slots[local] = np.arange(len(local))
    score, _present = _evaluate(_Scope(tuple(segs), slots, len(local)), q, stats)
    return local, score


def _doc_count(segs: list[Segment]) -> int:
    return max((seg.offset + seg.size for seg in segs), default=0)


def best(doc: np.ndarray, score: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k highest scores, best first; equal scores by ascending document number."""
    if k <= 0 or not len(doc):
        return []
    if len(score) > k:  # keep the k best (and every tie of the k-th) before sorting
        kth = np.partition(score, len(score) - k)[len(score) - k]
        keep = score >= kth
        doc, score = doc[keep], score[keep]
    order = np.lexsort((doc, -score))[:k]
    return [(int(doc[i]), float(score[i])) for i in order]


class _Stats:
    """The index-wide statistics BM25F needs, looked up once per ranking."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        model = searcher.weighting
        if not isinstance(model, BM25F):
            raise TypeError(f"ranking expects Whoosh's BM25F weighting, not {type(model).__name__}")
        self.model = model
        self._avgfl: dict[str, float] = {}
        self._keys: dict[str, tuple[int, float]] = {}

    def key(self, fieldname: str) -> tuple[int, float]:
        """What the statistics of `fieldname` depend on: documents in the index, total field length."""
        if fieldname not in self._keys:  # the searcher sums it over every segment on each call
            self._keys[fieldname] = self.searcher.doc_count_all(), self.searcher.field_length(fieldname)
        return self._keys[fieldname]

    def avg_field_length(self, fieldname: str) -> float:
        if fieldname not in self._avgfl:
            self._avgfl[fieldname] = self.searcher.avg_field_length(fieldname) or 1
        return self._avgfl[fieldname]


class _Scope(NamedTuple):
    """What a ranking is computed over: the matched documents of all segments, numbered 0..size-1."""

    segs: tuple[Segment, ...]
    slots: np.ndarray  # global document number → slot, -1 for documents not matched
    size: int

    def hits(self, ids: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The slots and scores of the postings that fall on matched documents."""
        where = self.slots[ids]
        keep = where >= 0
        return where[keep], score[keep]


def _evaluate(scope: _Scope, q: wq.Query, stats: _Stats) -> tuple[np.ndarray, np.ndarray]:
    """(score, present) per matched document; score is 0 where not present."""
    total, present = np.zeros(scope.size), np.zeros(scope.size, dtype=bool)
    if isinstance(q, wq.Term):
        where, score = scope.hits(*_term(scope.segs, q, stats))
        total[where], present[where] = score, True
        return total, present
    if not isinstance(q, wq.And | wq.Or):
        return total, present  # ranking_query() produces nothing else
    is_and = isinstance(q, wq.And)
    if is_and:
        present[:] = True
    for sub in q.subqueries:
        if isinstance(sub, wq.Term):  # postings straight into the sums, no per-term arrays
            where, score = scope.hits(*_term(scope.segs, sub, stats))
            total[where] += score  # a term's documents are distinct
            if is_and:
                here = np.zeros(scope.size, dtype=bool)
                here[where] = True
                present &= here
            else:
                present[where] = True
            continue
        score, here = _evaluate(scope, sub, stats)
        total += score
        if is_and:
            present &= here
        else:
            present |= here
    if is_and:
        total[~present] = 0.0
    if q.boost != 1.0:
        total *= q.boost
    return total, present


def warm_scores(segs: list[Segment], fieldname: str, text: str) -> None:
    """Compute and cache one word's ranking scores over all segments, as a first search would."""
    if segs:
        _term(tuple(segs), wq.Term(fieldname, text), _Stats(segs[0].searcher.get_parent()))


def _term(segs: tuple[Segment, ...], q: wq.Term, stats: _Stats) -> tuple[np.ndarray, np.ndarray]:
    """Global document numbers and boosted scores of one term's postings in every segment."""
    key = ("bm25", tuple(seg.id for seg in segs), q.fieldname, q.text, stats.key(q.fieldname))  # statistics change
    ids, score = CACHE.get(key, lambda: _term_scores(segs, q.fieldname, q.text, stats),
                           lambda v: int(v[0].nbytes + v[1].nbytes) + 64)
    return ids, score * q.boost if q.boost != 1.0 else score


def _term_scores(segs: tuple[Segment, ...], fieldname: str, text: str, stats: _Stats) -> tuple[np.ndarray, np.ndarray]:
    ids: list[np.ndarray] = [np.zeros(0, dtype=np.int32)]
    scores: list[np.ndarray] = [np.zeros(0)]
    if fieldname in stats.searcher.schema:
        scorable = stats.searcher.schema[fieldname].scorable
        idf = stats.searcher.idf(fieldname, text) if scorable else 0.0
        for seg in segs:
            p = postings(seg, fieldname, text)
            if len(p.ids):
                ids.append(p.ids + np.int32(seg.offset))
                scores.append(_bm25f(stats, seg, fieldname, idf, p.weights, p.ids) if scorable else p.weights)
    return np.concatenate(ids), np.concatenate(scores)


def _bm25f(stats: _Stats, seg: Segment, fieldname: str, idf: float, tf: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Whoosh's BM25F term score (scoring.bm25) for each posting, with the top searcher's statistics."""
    model = stats.model
    b, k1 = field_b(model, fieldname), model.K1
    fl = field_lengths(seg, fieldname)[ids]
    return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / stats.avg_field_length(fieldname))))
