"""Department pages: `/departments/<id>`, `/api/departments/<id>` and its small network."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, jsonify, render_template, request

from graph import reads
from graph.reads import DepartmentView
from webapp import netdata, services
from webapp.errors import not_found
from webapp.script import simplified

bp = Blueprint("departments", __name__)


def _load(dept_id: str, everything: bool = False) -> DepartmentView:
    limit = reads.DEPARTMENT_MEASURES_ALL if everything else reads.DEPARTMENT_MEASURES_SHOWN
    view = reads.department(services.get().store, dept_id, limit=limit)
    if view is None:
        raise not_found("该部门")
    return view


def _everything() -> bool:
    """`?all=1`: every measure, not only the most recent."""
    return request.args.get("all", "") not in ("", "0")


@bp.get("/departments/<dept_id>")
def page(dept_id: str) -> str:
    return render_template("department.html", d=_load(dept_id, _everything()), simplified=simplified)


@bp.get("/api/departments/<dept_id>")
def api(dept_id: str):
    view = _load(dept_id, _everything())
    return jsonify({**asdict(view), "shown": view.shown, "truncated": view.truncated})


@bp.get("/api/departments/<dept_id>/network")
def api_network(dept_id: str):
    _load(dept_id)  # a 404 for an unknown id, not an empty network
    return jsonify(netdata.ego(services.get().analysis().graph, dept_id))
