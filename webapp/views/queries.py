"""Saved queries: `/queries`, `/queries/<name>` (form, results, permalink) and `/api/queries…` (JSON, CSV)."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from markupsafe import Markup, escape

from graph.errors import GraphError
from graph.saved import SavedQuery, SavedQueryError
from graph.usercypher import UserQueryResult
from webapp import results, services
from webapp.errors import AppError, not_found
from webapp.queryerrors import translate
from webapp.script import simplified

bp = Blueprint("queries", __name__)

_ASCII_RUN = re.compile(r"([!-~](?:[ -~]*[!-~])?)")


@bp.app_template_filter("codify")
def codify(text: str) -> Markup:
    """A Chinese message with its ASCII runs (Cypher, names, values) marked up as code; everything escaped."""
    parts = _ASCII_RUN.split(str(text))
    return Markup("").join(Markup("<code>{}</code>").format(p) if i % 2 and re.search(r"[A-Za-z]", p)
                           else escape(p) for i, p in enumerate(parts))


def _get(name: str) -> SavedQuery:
    try:
        return services.get().library.get(name)
    except SavedQueryError:
        raise not_found("该查询") from None


def _given(q: SavedQuery) -> dict[str, str]:
    """Declared parameters present in the query string (other keys such as `run` are ignored)."""
    return {p.name: request.args[p.name] for p in q.params if request.args.get(p.name, "") != ""}


def _run(q: SavedQuery, given: dict[str, str]) -> UserQueryResult:
    s = services.get()
    try:
        return s.library.run(s.query_store, q.name, given, timeout_ms=s.settings.query_timeout_ms,
                             row_cap=s.settings.row_cap, byte_cap=s.settings.response_byte_cap)
    except GraphError as e:
        raise translate(e) from e


@bp.get("/queries")
def library() -> str:
    return render_template("queries.html", queries=services.get().library.all())


@bp.get("/queries/<name>")
def page(name: str) -> str:
    q = _get(name)
    given = _given(q)
    result, error = None, None
    if "run" in request.args:
        try:
            result = _run(q, given)
        except AppError as e:  # shown beside the form, not as an error page
            error = e
    data = _shown(results.as_json(result)) if result else None
    return render_template("query.html", sq=q, given=given, result=result, data=data, error=error,
                           cell_text=_cell_text)


def _body(value: Any, like: str | None = None) -> str | None:
    """A node's own text (a measure's body), whose script decides for its short title."""
    props = value.get("properties") if isinstance(value, dict) else None
    text = props.get("text") if isinstance(props, dict) else None
    return text if isinstance(text, str) else like


def _cell_text(value: Any) -> str:
    return simplified(results.cell_text(value), _body(value))


def _shown(value: Any, like: str | None = None) -> Any:
    """Result data as the page shows it: text of machine-converted traditional documents in simplified
    characters, like the policy and search pages (keys, ids and numbers unchanged; exports keep the data)."""
    if isinstance(value, str):
        return simplified(value, like)
    if isinstance(value, list):
        return [_shown(v, like) for v in value]
    if isinstance(value, dict):
        inner = _body(value, like)
        return {k: _shown(v, inner) for k, v in value.items()}
    return value


@bp.get("/api/queries")
def api_library():
    return jsonify({"queries": [q.as_dict() for q in services.get().library.all()]})


@bp.get("/api/queries/<name>")
def api_query(name: str):
    return jsonify(_get(name).as_dict())


@bp.get("/api/queries/<name>/run")
def api_run(name: str):
    q = _get(name)
    given = _given(q)
    body: dict[str, Any] = results.as_json(_run(q, given), name=q.name, title=q.title, params=given)
    return jsonify(body)


@bp.get("/api/queries/<name>/run.csv")
def api_run_csv(name: str) -> Response:
    q = _get(name)
    text = results.as_csv(_run(q, _given(q)))
    return Response(text, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{q.name}.csv"'})
