"""Searching the index: parse, filter, rank, page, facet and highlight."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from whoosh.searching import Hit as WhooshHit

from search import querylang
from search.facets import facet_counts, facet_spec
from search.highlight import snippet_html
from search.index import SearchIndex
from search.schema import VALUE_SEPARATOR

log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 100


@dataclass
class Hit:
    """One result: a policy, measure or department entry."""

    uid: str
    kind: str
    id: str
    doc_id: str
    title: str
    snippet_html: str  # escaped original text with <mark>…</mark> around matches
    policy_title: str
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    deadline: str = ""
    score: float = 0.0


@dataclass
class SearchResults:
    """One page of results with facet counts over all matches."""

    total: int
    page: int
    page_size: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    query: str
    notes: list[str] = field(default_factory=list)  # what the parser ignored or changed

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able dict (facets as [value, count] lists)."""
        return asdict(self)


def search(
    index: SearchIndex, q: str, kind: str | None = None, page: int = 1, page_size: int = 20
) -> SearchResults:
    """Search the index; any query string is accepted (bad syntax is searched as text)."""
    page, page_size = max(1, int(page)), min(MAX_PAGE_SIZE, max(1, int(page_size)))
    parsed, main, filt = _prepare(q, kind)
    empty = SearchResults(0, page, page_size, [], {}, q, parsed.notes)
    if main is None:
        return empty
    searcher = index.searcher()
    results = searcher.search(main, filter=filt, limit=page * page_size, groupedby=facet_spec())
    terms = querylang.highlight_terms(parsed)
    hits = [_hit(h, terms) for h in results[(page - 1) * page_size : page * page_size]]
    return SearchResults(len(results), page, page_size, hits, facet_counts(results), q, parsed.notes)


def _prepare(q: str, kind: str | None) -> tuple[querylang.ParsedQuery, Any, Any]:
    """Parse and build; on any parser failure fall back to plain text."""
    try:
        parsed = querylang.parse(q)
        main, filt = querylang.build(parsed, kind)
    except Exception:  # noqa: BLE001 - the contract is: no query string raises
        log.warning("query %r could not be parsed; searching it as plain text", q, exc_info=True)
        parsed = querylang.plain(q)
        main, filt = querylang.build(parsed, kind)
    return parsed, main, filt


def _hit(h: WhooshHit, terms: set[str]) -> Hit:
    """A display hit from a Whoosh hit: stored fields plus a highlighted snippet."""
    body = h.get("body") or ""
    return Hit(
        uid=h["uid"], kind=h.get("kind", ""), id=h.get("id", ""), doc_id=h.get("doc_id", ""),
        title=h.get("title") or "", snippet_html=snippet_html(body, terms),
        policy_title=h.get("policy_title") or "", lead=_split(h.get("lead_facet")),
        support=_split(h.get("support_facet")), deadline=h.get("deadline") or "", score=float(h.score or 0.0),
    )


def _split(value: str | None) -> list[str]:
    """A comma-joined stored facet value as a list."""
    return [v for v in (value or "").split(VALUE_SEPARATOR) if v]
