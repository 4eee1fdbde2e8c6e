"""Measure pages: `/measures/<id>` and `/api/measures/<id>`."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from graph import reads
from graph.reads import MeasureView
from webapp import services
from webapp.errors import not_found
from webapp.script import display

bp = Blueprint("measures", __name__)


def _load(measure_id: str) -> MeasureView:
    view = reads.measure(services.get().store, measure_id)
    if view is None:
        raise not_found("该措施")
    return view


@bp.get("/measures/<measure_id>")
def page(measure_id: str) -> str:
    m = _load(measure_id)
    return render_template("measure.html", m=m, shown=display(" ".join((m.text, m.title, m.evidence)), request.args))


@bp.get("/api/measures/<measure_id>")
def api(measure_id: str):
    return jsonify(_load(measure_id))
