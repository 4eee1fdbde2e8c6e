"""Who leads: `/who-leads?q=` and `/api/who-leads?q=` — lead departments ranked by matching measures."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from graph import reads
from graph.reads import WhoLeads
from webapp import services

bp = Blueprint("who_leads", __name__)


def _run() -> WhoLeads:
    q = request.args.get("q", "").strip()[:200]
    limit = max(1, min(request.args.get("limit", 20, type=int) or 20, 100))
    svc = services.get()
    # The index counts lead departments over every matching measure (its lead facet); the graph then
    # reads evidence from those departments' own measures instead of scanning all of them.
    words = " ".join(f'"{w}"' for w in q.replace('"', " ").split())
    facet = svc.search(words, kind="measure", page_size=0).facets.get("lead", []) if words else []
    return reads.who_leads(svc.store, q, limit=limit, candidates=[name for name, _n in facet])


@bp.get("/who-leads")
def page() -> str:
    answer = _run()
    return render_template("who_leads.html", a=answer, wq=answer.query)


@bp.get("/api/who-leads")
def api():  # type: ignore[no-untyped-def]
    return jsonify(_run())
