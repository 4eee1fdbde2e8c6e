"""Cypher console: `/console` and `POST /api/cypher` — read-only, time-limited, row-capped, rate-limited."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from graph.errors import GraphError
from graph.usercypher import explain_user_query, run_user_query
from webapp import results, services, statestore
from webapp.console_examples import EXAMPLES
from webapp.errors import AppError, bad_request
from webapp.queryerrors import translate
from webapp.ratelimit import RateLimit

log = logging.getLogger(__name__)

bp = Blueprint("console", __name__)

EXAMPLE, EXAMPLE_PARAMS = EXAMPLES[0].query, EXAMPLES[0].params


def _limiter() -> RateLimit:
    limit, window = current_app.config["CYPHER_RATE_LIMIT"]
    return RateLimit(statestore.get(), "cypher", int(limit), float(window))  # shared by every web process


def _body() -> tuple[str, dict[str, Any]]:
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than Python's parser goes (silent= only covers ValueError)
        raise bad_request("请求体的 JSON 嵌套过深，请简化参数。") from None
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        raise bad_request('请求体须为 JSON：{"query": "MATCH …", "params": {…}}。')
    params = body.get("params") or {}
    if not isinstance(params, dict):
        raise bad_request("params 须为 JSON 对象，例如 {\"keyword\": \"中试基地\"}。")
    return body["query"], params


@bp.get("/console")
def page() -> str:
    query = request.args.get("query") or EXAMPLE
    params = request.args.get("params") or (EXAMPLE_PARAMS if "query" not in request.args else "")
    s = services.get().settings
    return render_template("console.html", query=query, params=params, timeout_ms=s.query_timeout_ms,
                           row_cap=s.row_cap, examples=EXAMPLES)


def _throttle() -> None:
    if not _limiter().allow(request.remote_addr or "?"):
        limit, window = current_app.config["CYPHER_RATE_LIMIT"]
        raise AppError(429, f"请求过于频繁：每 {window:g} 秒最多运行 {limit} 次查询，请稍后再试。")


@bp.post("/api/cypher/explain")
def explain() -> Response:
    """The engine's plan for a query, without running it (the console's 执行计划 button): the same checks,
    the same rate limit and the same disposable engine as running it."""
    _throttle()
    query, params = _body()
    try:
        plan = explain_user_query(services.get().query_store, query, params)
    except GraphError as e:
        log.info("console explain refused or failed: %s", e)
        raise translate(e, query) from e
    return jsonify({"plan": plan})


@bp.post("/api/cypher")
def api():
    _throttle()
    query, params = _body()
    s = services.get()
    started = time.monotonic()
    try:
        result = run_user_query(s.query_store, query, params, timeout_ms=s.settings.query_timeout_ms,
                                row_cap=s.settings.row_cap, byte_cap=s.settings.response_byte_cap)
    except GraphError as e:
        log.info("console query refused or failed: %s", e)
        raise translate(e, query) from e
    elapsed = round((time.monotonic() - started) * 1000)
    return jsonify(results.as_json(result, elapsed_ms=elapsed))
