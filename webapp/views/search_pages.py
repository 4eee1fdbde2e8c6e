"""Search: `/` and its JSON twin `/api/search` (results grouped by type, facets that filter, pages)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, jsonify, render_template, request, url_for

from core.ids import entity_id
from search import querylang
from search.departments import lexicon
from search.docsets import segments
from search.query import SearchResults
from search.suggest import BROWSE_FILTERS, DepartmentSuggestion, Suggestions, browse, suggest
from webapp import services
from webapp.script import simplified
from webapp.views import overview

bp = Blueprint("search", __name__)

KIND_LABELS = {"department": "部门", "policy": "政策文件", "measure": "政策措施",
               "programme": "专项行动", "platform": "平台"}
FACET_LABELS = {"kind": "类型", "issuer": "发文机关", "region": "地区", "year": "年份", "lead": "牵头部门"}
PER_GROUP = 5
PAGE_SIZE = 20
EMPTY_DEPARTMENTS = 8  # departments offered on the empty search page
BROWSE_SHOWN = 12  # values per facet in the compact browse block of a dead-end search


@dataclass
class SearchPage:
    """What the search page shows: a filtered page, or the top hits of every type."""

    q: str
    kind: str
    results: SearchResults | None
    groups: dict[str, SearchResults]
    suggestions: Suggestions | None = None  # an empty or zero-result search: what to try instead
    corpus: SearchResults | None = None  # …and the corpus by issuer, region and year


def _params() -> tuple[str, str, int]:
    q = request.args.get("q", "").strip()[:500]
    kind = request.args.get("type") or ""
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 500))
    return q, kind if kind in KIND_LABELS else "", page


def _run(all_kinds_page: bool = True) -> SearchPage:
    """The search; without a type, the best hits of every type, and also the first page of all
    hits when `all_kinds_page` (the JSON twin; the page shows only the groups then)."""
    q, kind, page = _params()
    if not q:
        return _dead_end(SearchPage(q, kind, None, {}))
    if kind or page > 1:
        view = SearchPage(q, kind, services.get().search(q, kind=kind or None, page=page, page_size=PAGE_SIZE), {})
    else:
        results = services.get().search(q, page=1, page_size=PAGE_SIZE if all_kinds_page else 0, per_kind=PER_GROUP)
        view = SearchPage(q, kind, results, _groups(results))
    return _dead_end(view) if view.results is not None and not view.results.total else view


def _dead_end(view: SearchPage) -> SearchPage:
    """A search that found nothing (or asked nothing) gets suggestions and the corpus to browse."""
    index = services.get().index
    if view.q:
        view.suggestions = suggest(index, view.q, view.kind or None)
    else:  # nothing asked yet: the departments that lead most
        counts = lexicon(segments(index.searcher())).counts
        top = sorted(counts, key=lambda n: (-counts[n], n))[:EMPTY_DEPARTMENTS]
        view.suggestions = Suggestions([DepartmentSuggestion(n, counts[n], "", 0.0) for n in top], [])
    view.corpus = browse(index, page_size=0)
    return view


def _groups(results: SearchResults) -> dict[str, SearchResults]:
    """Top hits of every kind that matched (ranked in the same search), in display order."""
    totals = {value: count for value, count in results.facets.get("kind", []) if count}
    return {k: SearchResults(totals[k], 1, PER_GROUP, results.groups.get(k, []), {}, results.query, [])
            for k in KIND_LABELS if k in totals}


def facet_filter(name: str, value: str) -> str:
    """The query-language filter a facet link adds, e.g. issuer:"浙江省人民政府"."""
    return f'{name}:"{value}"'


def _href_maker() -> Callable[[str, str | None], str]:
    """search_href(q, type): a search page link, built without url_for (a page has up to 150 facet links)."""
    base = url_for("search.index")

    def search_href(q: str, kind: str | None = None) -> str:
        return base + "?" + urlencode({"q": q, **({"type": kind} if kind else {})}, safe=":")
    return search_href


def topic_of(q: str) -> str:
    """The words of a query without its filters and exclusions, for the who-leads link (region:"…" is no topic)."""
    parsed = querylang.parse(q)
    return " ".join(c.text for group in parsed.groups for c in group if not c.negated)


def department_id(name: str) -> str:
    """The id of a department's page from its canonical name."""
    return entity_id("Department", name)


@bp.get("/")
def index() -> str:
    view = _run(all_kinds_page=False)
    ov = None if view.q else overview.home()  # the home page: the corpus overview
    charts = overview.chart_data(ov) if ov else None
    loaded = overview.recently_loaded(ov) if ov else []
    return render_template("search.html", v=view, ov=ov, charts=charts, loaded=loaded, q=view.q,
                           kind_labels=KIND_LABELS,
                           facet_labels=FACET_LABELS,
                           facet_filter=facet_filter, search_href=_href_maker(), topic_of=topic_of,
                           department_id=department_id, browse_filters=BROWSE_FILTERS, browse_shown=BROWSE_SHOWN,
                           simplified=simplified)


@bp.get("/api/search")
def api_search():
    view = _run()
    body: dict[str, Any] = {"query": view.q, "type": view.kind or None, "total": 0, "hits": [], "facets": {}}
    if view.results is not None:
        body.update(view.results.to_json())
        body["groups"] = {k: {"total": g.total, "hits": g.to_json()["hits"]} for k, g in view.groups.items()}
    if view.suggestions is not None:
        body["suggestions"] = view.suggestions.to_json()
    if view.corpus is not None:
        body["browse"] = _corpus_json(view.corpus)
    return jsonify(body)


def _corpus_json(corpus: SearchResults) -> dict[str, Any]:
    """The policies by issuer, region and year: {"total", "issuer": [[value, count]…], …}."""
    return {"total": corpus.total, **{name: corpus.facets.get(name, []) for name in BROWSE_FILTERS}}


def _browse_params() -> tuple[dict[str, str], int]:
    filters = {name: value.strip()[:100] for name in BROWSE_FILTERS if (value := request.args.get(name, ""))}
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 500))
    return filters, page


def browse_href(filters: dict[str, str], **change: str | None) -> str:
    """A browse link with some filters changed (None removes one)."""
    merged = {**filters, **change}
    return url_for("search.browse_page", **{k: v for k, v in merged.items() if v})


@bp.get("/browse")
def browse_page() -> str:
    filters, page = _browse_params()
    corpus = browse(services.get().index, filters, page=page, page_size=PAGE_SIZE)
    return render_template("browse.html", c=corpus, filters=filters, browse_filters=BROWSE_FILTERS,
                           facet_labels=FACET_LABELS, browse_href=browse_href, simplified=simplified,
                           search_filter=lambda: " ".join(facet_filter(k, v) for k, v in filters.items()))


@bp.get("/api/browse")
def api_browse():
    filters, page = _browse_params()
    corpus = browse(services.get().index, filters, page=page, page_size=PAGE_SIZE)
    return jsonify({"filters": filters, "page": page, "page_size": PAGE_SIZE, **_corpus_json(corpus),
                    "policies": [{"id": h.id, "title": h.title, "title_simplified": simplified(h.title)}
                                 for h in corpus.hits]})
