"""Search: `/` and its JSON twin `/api/search` (results grouped by type, facets that filter, pages)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask import Blueprint, jsonify, render_template, request

from search.query import SearchResults
from webapp import services

bp = Blueprint("search", __name__)

KIND_LABELS = {"department": "部门", "policy": "政策文件", "measure": "政策措施",
               "programme": "专项行动", "platform": "平台"}
FACET_LABELS = {"kind": "类型", "issuer": "发文机关", "region": "地区", "year": "年份", "lead": "牵头部门"}
PER_GROUP = 5
PAGE_SIZE = 20
GROUP_POOL = 60  # hits of the unfiltered search that the per-kind groups are taken from


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


def _run() -> SearchPage:
    q, kind, page = _params()
    if not q:
        return SearchPage(q, kind, None, {})
    if kind or page > 1:
        return SearchPage(q, kind, services.get().search(q, kind=kind or None, page=page, page_size=PAGE_SIZE), {})
    pool = services.get().search(q, page=1, page_size=GROUP_POOL)
    first_page = replace(pool, hits=pool.hits[:PAGE_SIZE], page_size=PAGE_SIZE)
    return SearchPage(q, kind, first_page, _groups(q, pool))


def _groups(q: str, results: SearchResults) -> dict[str, SearchResults]:
    """Top hits of every kind, taken from one ranked search; a kind it missed gets its own search.

    Each search costs a full pass over the matches, so one search instead of one per kind keeps
    the page's cost flat however many kinds match.
    """
    totals = {value: count for value, count in results.facets.get("kind", []) if count}
    groups: dict[str, SearchResults] = {}
    for k in (k for k in KIND_LABELS if k in totals):
        hits = [h for h in results.hits if h.kind == k][:PER_GROUP]
        if hits or totals[k] == 0:
            groups[k] = SearchResults(totals[k], 1, PER_GROUP, hits, {}, q, [])
        else:
            groups[k] = services.get().search(q, kind=k, page=1, page_size=PER_GROUP)
    return groups


def facet_filter(name: str, value: str) -> str:
    """The query-language filter a facet link adds, e.g. issuer:"浙江省人民政府"."""
    return f'{name}:"{value}"'


@bp.get("/")
def index() -> str:
    view = _run()
    return render_template("search.html", v=view, q=view.q, kind_labels=KIND_LABELS, facet_labels=FACET_LABELS,
                           facet_filter=facet_filter)


@bp.get("/api/search")
def api_search():  # type: ignore[no-untyped-def]
    view = _run()
    body: dict[str, Any] = {"query": view.q, "type": view.kind or None, "total": 0, "hits": [], "facets": {}}
    if view.results is not None:
        body.update(view.results.to_json())
        body["groups"] = {k: {"total": g.total, "hits": g.to_json()["hits"]} for k, g in view.groups.items()}
    return jsonify(body)
