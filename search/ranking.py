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

from search.columns import field_lengths, mask_of
from search.docsets import CACHE, Segment, postings


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
    """(global document numbers, scores) of every matched document, in index order."""
    docs: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    scores: list[np.ndarray] = [np.zeros(0)]
    stats = _Stats(segs[0].searcher.get_parent()) if segs else None
    for seg, bits in zip(segs, matched, strict=True):
        if bits and stats is not None:
            local = np.flatnonzero(mask_of(bits, seg.size))
            slots = np.full(seg.size, -1, dtype=np.int64)  # document → its index in `local`, -1 if not matched
            slots[local] = np.arange(len(local))
            score, _present = _evaluate(_Scope(seg, slots, len(local)), q, stats)
            docs.append(local.astype(np.int64) + seg.offset)
            scores.append(score)
    return np.concatenate(docs), np.concatenate(scores)


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
    """What a ranking is computed over: the matched documents of one segment, numbered 0..size-1."""

    seg: Segment
    slots: np.ndarray  # segment document number → slot, -1 for documents not matched
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
        where, score = scope.hits(*_term(scope.seg, q, stats))
        total[where], present[where] = score, True
        return total, present
    if not isinstance(q, wq.And | wq.Or):
        return total, present  # ranking_query() produces nothing else
    is_and = isinstance(q, wq.And)
    if is_and:
        present[:] = True
    for sub in q.subqueries:
        if isinstance(sub, wq.Term):  # postings straight into the sums, no per-term arrays
            where, score = scope.hits(*_term(scope.seg, sub, stats))
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


def _term(seg: Segment, q: wq.Term, stats: _Stats) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and boosted scores of one term's postings."""
    if q.fieldname not in seg.reader.schema:
        return np.zeros(0, dtype=np.int32), np.zeros(0)
    p = postings(seg, q.fieldname, q.text)
    key = ("bm25", seg.id, q.fieldname, q.text, stats.key(q.fieldname))  # the statistics change with the index
    score = CACHE.get(key, lambda: _bm25f(stats, seg, q.fieldname, q.text, p.weights, p.ids),
                      lambda a: int(a.nbytes) + 64)
    return p.ids, score * q.boost if q.boost != 1.0 else score


def _bm25f(stats: _Stats, seg: Segment, fieldname: str, text: str, tf: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Whoosh's BM25F term score (scoring.bm25) for each posting, with the top searcher's statistics."""
    if not stats.searcher.schema[fieldname].scorable:
        return tf
    model = stats.model
    b, k1 = model._field_B.get(fieldname, model.B), model.K1
    idf = stats.searcher.idf(fieldname, text)
    fl = field_lengths(seg, fieldname)[ids]
    return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / stats.avg_field_length(fieldname))))
