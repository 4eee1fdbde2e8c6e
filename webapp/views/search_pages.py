"""Search: `/` and its JSON twin `/api/search` (results grouped by type, facets that filter, pages)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, jsonify, render_template, request, url_for

from loaders.ids import entity_id
from search import querylang
from search.query import SearchResults
from webapp import services

bp = Blueprint("search", __name__)

KIND_LABELS = {"department": "部门", "policy": "政策文件", "measure": "政策措施",
               "programme": "专项行动", "platform": "平台"}
FACET_LABELS = {"kind": "类型", "issuer": "发文机关", "region": "地区", "year": "年份", "lead": "牵头部门"}
PER_GROUP = 5
PAGE_SIZE = 20


@dataclass
class SearchPage:
    """What the search page shows: a filtered page, or the top hits of every type."""

    q: str
    kind: str
    results: SearchResults | None
    groups: dict[str, SearchResults]


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
        return SearchPage(q, kind, None, {})
    if kind or page > 1:
        return SearchPage(q, kind, services.get().search(q, kind=kind or None, page=page, page_size=PAGE_SIZE), {})
    results = services.get().search(q, page=1, page_size=PAGE_SIZE if all_kinds_page else 0, per_kind=PER_GROUP)
    return SearchPage(q, kind, results, _groups(results))


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
    return render_template("search.html", v=view, q=view.q, kind_labels=KIND_LABELS, facet_labels=FACET_LABELS,
                           facet_filter=facet_filter, search_href=_href_maker(), topic_of=topic_of,
                           department_id=department_id)


@bp.get("/api/search")
def api_search():  # type: ignore[no-untyped-def]
    view = _run()
    body: dict[str, Any] = {"query": view.q, "type": view.kind or None, "total": 0, "hits": [], "facets": {}}
    if view.results is not None:
        body.update(view.results.to_json())
        body["groups"] = {k: {"total": g.total, "hits": g.to_json()["hits"]} for k, g in view.groups.items()}
    return jsonify(body)
