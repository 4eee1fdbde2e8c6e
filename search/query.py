"""Searching the index: parse, filter, rank, page, facet and highlight."""

from __future__ import annotations

import functools
import itertools
import logging
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from search import querylang
from search.analyzer import dictionary_size
from search.columns import mask_of
from search.compounds import segment
from search.departments import Lexicon, Reading, lexicon, read_line_of_work, widened
from search.departments import read as read_department
from search.docsets import MatchSet, Segment, matches, segments
from search.facets import MAX_VALUES, facet_counts, global_bits
from search.highlight import snippet_html
from search.index import SearchIndex
from search.ranking import best, ranking_query, scored
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
    groups: dict[str, list[Hit]] = field(default_factory=dict)  # kind → its best hits (with `per_kind`)
    # query words read as department names: {"text", "names", "notes"} (search.departments)
    departments: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able dict (facets as [value, count] lists)."""
        return asdict(self)


def search(
    index: SearchIndex, q: str, kind: str | None = None, page: int = 1, page_size: int = 20, per_kind: int = 0,
    facet_limit: int = MAX_VALUES,
) -> SearchResults:
    """Search the index; any query string is accepted (bad syntax is searched as text).

    `page_size=0` counts and facets the matches without ranking any (e.g. for who-leads);
    `per_kind` > 0 also returns the best hits of every kind that matched (`groups`), ranked
    in the same pass; `facet_limit` values per facet are counted (most frequent first).
    """
    page, page_size = max(1, int(page)), min(MAX_PAGE_SIZE, max(0, int(page_size)))
    per_kind = min(MAX_PAGE_SIZE, max(0, int(per_kind)))
    searcher = index.searcher()
    segs = segments(searcher)
    plan = _prepare(q, kind, dictionary_size(), lexicon(segs))
    documents = _numbered(searcher, segs, plan.numbers) if plan.numbers else ()
    if documents:  # 国发〔2019〕3号 海关总署牵头的任务: the number also stands for that document's entries
        plan = _prepare(q, kind, dictionary_size(), lexicon(segs), documents=documents)
    readings = [r.to_json() for r in plan.departments]
    if plan.main is None:
        return SearchResults(0, page, page_size, [], {}, q, list(plan.notes), departments=readings)
    matched = [_matched(seg, plan) for seg in segs]
    total = sum(bits.bit_count() for bits in matched)
    if not total:  # nothing as typed: let typed words match across a punctuation mark (“放管服”改革)
        relaxed = _prepare(q, kind, dictionary_size(), lexicon(segs), relaxed=True, documents=documents)
        if relaxed.main is not None and relaxed.main != plan.main:
            plan, matched = relaxed, [_matched(seg, relaxed) for seg in segs]
            total = sum(bits.bit_count() for bits in matched)
            readings = [r.to_json() for r in plan.departments]  # 人社 is read as departments only now
            if total:  # say so: these entries may hold only some of the words typed
                plan = replace(plan, notes=(*plan.notes, RELAXED_NOTE))
    facets = facet_counts(segs, matched, facet_limit)
    hits: list[Hit] = []
    groups: dict[str, list[Hit]] = {}
    if total and (page_size or per_kind):
        ranked = _Ranked(searcher, segs, matched, plan)
        hits = ranked.page(page, page_size)
        groups = {k: ranked.of_kind(k, per_kind) for k, _n in facets.get("kind", [])} if per_kind else {}
    return SearchResults(total, page, page_size, hits, facets, q, list(plan.notes), groups, readings)


RELAXED_NOTE = "按原样没有找到结果，以下是放宽匹配后的结果，可能只包含部分检索词"


@dataclass(frozen=True)
class _Plan:
    """A parsed query ready to run: what matches, how to rank, what to highlight."""

    main: wq.Query | None
    filter: wq.Query | None
    scoring: wq.Query | None  # None: rank in index order (filters only)
    terms: frozenset[str]
    notes: tuple[str, ...]
    departments: tuple[Reading, ...] = ()  # words read as department names
    numbers: tuple[str, ...] = ()  # document numbers typed beside other words (querylang.numbers_beside_words)


@functools.lru_cache(maxsize=1024)
def _prepare(q: str, kind: str | None, dictionary: int, lex: Lexicon, relaxed: bool = False,
             documents: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> _Plan:
    """Parse and build (cached per dictionary size and department names); on any parser failure fall back
    to plain text.  `relaxed`: the second try after no match (querylang.build); `documents`: the third, with
    the ids of the documents each typed number is the number of."""
    numbers: tuple[str, ...] = ()
    try:
        parsed = querylang.parse(q)
        segment(parsed, lex, relaxed)
        readings = _departments(parsed, lex, relaxed)
        named = {r.text: r.names for r in readings}
        numbers = querylang.numbers_beside_words(parsed)
        main, filt = querylang.build(parsed, kind, named, relaxed, dict(documents))
        titled = querylang.title_match(parsed, named) if main is not None else None
        main = wq.Or([main, titled]) if main is not None and titled is not None else main
    except Exception:  # noqa: BLE001 - the contract is: no query string raises
        log.warning("query %r could not be parsed; searching it as plain text", q, exc_info=True)
        parsed, readings = querylang.plain(q), ()
        main, filt = querylang.build(parsed, kind, relaxed=relaxed)
    terms = frozenset(querylang.highlight_terms(parsed))
    scoring = ranking_query(main) if main is not None else None
    bonus = querylang.title_bonus(parsed, {r.text: r.names for r in readings}) if scoring is not None else None
    scoring = wq.Or([scoring, bonus]) if scoring is not None and bonus is not None else scoring
    return _Plan(main, filt, scoring, terms, tuple(parsed.notes), readings, numbers)


def _numbered(searcher: Searcher, segs: list[Segment], numbers: tuple[str, ...]
              ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(number, ids of the documents whose policy entry holds it) for each document number: a few policies."""
    out = []
    for number in numbers:
        text = querylang.text_query(number, fields=("body",))
        if text is None:
            continue
        q = wq.And([wq.Term("kind", "policy"), text])
        docs = MatchSet(segs, [matches(seg, q) for seg in segs])
        ids = tuple(dict.fromkeys(searcher.stored_fields(d).get("doc_id", "") for d in itertools.islice(docs, 8)))
        if any(ids):
            out.append((number, tuple(i for i in ids if i)))
    return tuple(out)


def _departments(parsed: querylang.ParsedQuery, lex: Lexicon, relaxed: bool = False) -> tuple[Reading, ...]:
    """The words of a query (text words and lead:/support: values, not phrases) that name departments; on the
    second try (`relaxed`), also a body's name without its end typed as a word of its own (人社 技能人才评价)."""
    words = [c.text for group in parsed.groups for c in group if not c.phrase]
    words += [p.text for group in parsed.groups for c in group for p in c.parts]
    words += [n.text for group in parsed.groups for c in group for p in c.parts for n in p.parts]  # 国务院和江西
    words += [c.text for c in parsed.filters if c.field in ("lead", "support")]
    found = {r.text: r for w in dict.fromkeys(words)
             if (r := _reading(w, lex, relaxed)) is not None}
    return tuple(found.values())


def _reading(word: str, lex: Lexicon, relaxed: bool) -> Reading | None:
    """A word's departments; on the second try a bare line of work (人社) too, and a body typed without region
    (人社局) as its whole line of work."""
    found = read_department(word, lex)
    if not relaxed:
        return found
    if found is None:
        return read_line_of_work(word, lex)
    wider = widened(word, lex)
    return Reading(found.text, tuple(dict.fromkeys((*found.names, *wider.names))), found.notes) if wider else found


def _matched(seg: Segment, plan: _Plan) -> int:
    """Live documents of one segment matching the query and its filters."""
    bits = matches(seg, plan.main) if plan.main is not None else 0
    return bits & matches(seg, plan.filter) if plan.filter is not None and bits else bits


class _Ranked:
    """The matches of one search with their scores, computed once, from which pages are cut."""

    def __init__(self, searcher: Searcher, segs: list[Segment], matched: list[int], plan: _Plan) -> None:
        self.searcher, self.segs, self.matched, self.plan = searcher, segs, matched, plan
        self.doc: np.ndarray | None
        self.score: np.ndarray | None
        self.doc, self.score = scored(segs, matched, plan.scoring) if plan.scoring is not None else (None, None)

    def page(self, page: int, size: int) -> list[Hit]:
        """The hits of one page of all matches."""
        return self._hits(self.matched, page, size)

    def of_kind(self, kind: str, size: int) -> list[Hit]:
        """The best `size` matches of one kind."""
        return self._hits([bits & seg.term("kind", kind) for seg, bits in zip(self.segs, self.matched, strict=True)],
                          1, size)

    def _hits(self, matched: list[int], page: int, size: int) -> list[Hit]:
        first = (page - 1) * size
        if self.doc is None or self.score is None:  # nothing to rank by: index order
            docnums = itertools.islice(MatchSet(self.segs, matched), first, first + size)
            return [_hit(self.searcher.stored_fields(d), 0.0, self.plan.terms) for d in docnums]
        doc, score = self.doc, self.score
        if matched is not self.matched:  # a subset: keep the documents whose bit is set
            keep = mask_of(global_bits(self.segs, matched), self.searcher.doc_count_all())[doc]
            doc, score = doc[keep], score[keep]
        ranked = best(doc, score, page * size)[first:]
        return [_hit(self.searcher.stored_fields(d), s, self.plan.terms) for d, s in ranked]


def _hit(fields: dict[str, Any], score: float, terms: frozenset[str]) -> Hit:
    """A display hit from stored fields plus a highlighted snippet."""
    body = fields.get("body") or ""
    return Hit(
        uid=fields["uid"], kind=fields.get("kind", ""), id=fields.get("id", ""), doc_id=fields.get("doc_id", ""),
        title=fields.get("title") or "", snippet_html=snippet_html(body, set(terms)),
        policy_title=fields.get("policy_title") or "", lead=_split(fields.get("lead_facet")),
        support=_split(fields.get("support_facet")), deadline=fields.get("deadline") or "", score=score,
    )


def _split(value: str | None) -> list[str]:
    """A comma-joined stored facet value as a list."""
    return [v for v in (value or "").split(VALUE_SEPARATOR) if v]
