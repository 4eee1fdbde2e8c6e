"""The query that ranks the exact matches: cheap to score, matching at least every exact match.

Phrases are scored as the AND of their words (the exact phrase check has been done on the
match bitsets), exclusions are left to the filter, and a query of filters only has no
ranking at all (results come in index order).
"""

from __future__ import annotations

import heapq
from typing import Any

from whoosh import query as wq

from search.docsets import Segment, members, seek


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


# Up to this many matches are scored one by one; more go to Whoosh's block-max top-k.  When
# the ranking query matches exactly the matches (no phrase, exclusion or filter), Whoosh's
# top-k skips well and one-by-one scoring only pays for small result sets.
RESTRICTED_MAX = 2000
EXACT_RESTRICTED_MAX = 300


def top_k(segs: list[Segment], matched: list[int], q: wq.Query, k: int) -> list[tuple[int, float]]:
    """(global document number, score) of the k best matched documents, best first.

    Scores are Whoosh's (BM25F, boosts, sums over AND/OR), computed only for the matched
    documents; ties go to the lower document number, as in Whoosh.
    """
    best: list[tuple[float, int]] = []
    for seg, bits in zip(segs, matched, strict=True):
        if bits:
            tree = _tree(seg, q)
            for d in members(bits):
                item = (_score(tree, d) or 0.0, -(seg.offset + d))
                if len(best) < k:
                    heapq.heappush(best, item)
                elif item > best[0]:
                    heapq.heapreplace(best, item)
    return [(-negdoc, score) for score, negdoc in sorted(best, reverse=True)]


def _tree(seg: Segment, q: wq.Query) -> tuple[str, Any, float]:
    """The ranking query as ("term", matcher | None, boost) / ("and" | "or", children, boost) nodes."""
    if isinstance(q, wq.Term):
        return ("term", _term_matcher(seg, q.fieldname, q.text), q.boost)
    if isinstance(q, wq.And | wq.Or):
        return ("and" if isinstance(q, wq.And) else "or", [_tree(seg, s) for s in q.subqueries], q.boost)
    return ("term", None, 0.0)  # ranking_query() produces nothing else


def _term_matcher(seg: Segment, fieldname: str, text: str) -> Any:
    """Raw postings scored with the searcher's weighting (global statistics)."""
    m = seg.raw_postings(fieldname, text)
    if m is not None:
        m.scorer = seg.searcher.weighting.scorer(seg.searcher, fieldname, text)
    return m


def _score(node: tuple[str, Any, float], d: int) -> float | None:
    """The node's score at document d, None when it does not match there."""
    kind, value, boost = node
    if kind == "term":
        if value is None:
            return None
        seek(value, d)
        return value.score() * boost if value.is_active() and value.id() == d else None
    scores = [_score(child, d) for child in value] if kind == "or" else _all_scores(value, d)
    present = [s for s in scores if s is not None] if scores is not None else []
    return sum(present) * boost if present else None


def _all_scores(children: list[tuple[str, Any, float]], d: int) -> list[float | None] | None:
    """Scores of every child of an AND, None as soon as one does not match."""
    out: list[float | None] = []
    for child in children:
        s = _score(child, d)
        if s is None:
            return None
        out.append(s)
    return out
