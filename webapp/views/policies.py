"""Policy pages: `/policies/<id>` and `/api/policies/<id>` (measures table, text with measure spans)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from flask import Blueprint, jsonify, render_template, request

from graph import reads
from graph.reads import PolicyView
from webapp import services
from webapp.errors import not_found
from webapp.script import Display, display
from webapp.spans import REPAIR_LABELS, segments

bp = Blueprint("policies", __name__)


def _load(policy_id: str) -> PolicyView:
    view = reads.policy(services.get().store, policy_id)
    if view is None:
        raise not_found("该政策文件")
    return view


@bp.get("/policies/<policy_id>")
def page(policy_id: str) -> str:
    p = _load(policy_id)
    shown: Display = display(p.text, request.args)
    # t2s maps one character to one, so the measure spans, repairs and matches keep their offsets
    pieces = segments(shown.text(p.text), [(m.start, m.end, m.ordinal) for m in p.measures], p.repair_marks,
                      shown.matches(p.text))
    repair_counts = Counter(str(mark[2]) for mark in p.repair_marks)
    return render_template("policy.html", p=p, pieces=pieces, repair_counts=repair_counts,
                           repair_labels=REPAIR_LABELS, shown=shown)


@bp.get("/api/policies/<policy_id>")
def api(policy_id: str):  # type: ignore[no-untyped-def]
    body = asdict(_load(policy_id))
    body.pop("properties", None)  # the raw node repeats the fields above, plus internal versions
    shown = display(body["text"], {})
    body["script"] = "traditional" if shown.traditional else "simplified"
    if shown.traditional:  # the text as the page shows it by default (same offsets)
        body["text_simplified"] = shown.text(body["text"])
    return jsonify(body)
