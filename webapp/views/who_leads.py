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
    return reads.who_leads(services.get().store, q, limit=limit)


@bp.get("/who-leads")
def page() -> str:
    answer = _run()
    return render_template("who_leads.html", a=answer, wq=answer.query)


@bp.get("/api/who-leads")
def api():  # type: ignore[no-untyped-def]
    return jsonify(_run())
