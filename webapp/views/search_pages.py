"""Search: `/` and its JSON twin `/api/search`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, jsonify, render_template, request

from search.query import search
from webapp import services

bp = Blueprint("search", __name__)

KIND_LABELS = {"policy": "政策文件", "measure": "政策措施", "department": "部门",
               "programme": "专项行动", "platform": "平台"}


def _run() -> tuple[str, Any]:
    q = request.args.get("q", "").strip()[:500]
    kind = request.args.get("type") or None
    page = max(1, request.args.get("page", 1, type=int) or 1)
    if not q:
        return q, None
    return q, search(services.get().index, q, kind=kind if kind in KIND_LABELS else None, page=page)


@bp.get("/")
def index() -> str:
    q, results = _run()
    return render_template("search.html", q=q, results=results, kind=request.args.get("type") or "",
                           kind_labels=KIND_LABELS)


@bp.get("/api/search")
def api_search():  # type: ignore[no-untyped-def]
    q, results = _run()
    if results is None:
        return jsonify({"query": q, "total": 0, "hits": [], "facets": {}})
    return jsonify(asdict(results))
