"""The OpenAPI 3.1 description of the JSON API, built from a compact table of routes."""

from __future__ import annotations

from typing import Any

_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}


def _q(name: str, desc: str, kind: str = "string", required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": desc, "schema": {"type": kind}}


_NET = [_q("policy", "policy id"), _q("region", "region name"), _q("role", "LEADS or SUPPORTS"),
        _q("min_weight", "minimum shared measures per edge", "integer")]

ROUTES: list[tuple[str, str, str, list[dict[str, Any]]]] = [
    ("get", "/api/search", "Full-text search; facets; `groups` holds the top hits of each type; an empty or "
     "zero-result search also has `suggestions` (nearest departments, fewer words, no filters) and `browse`",
     [_q("q", "query (words, \"phrases\", OR, -word, type:/issuer:/region:/year:/lead: filters)"),
      _q("type", "policy|measure|department|programme|platform"), _q("page", "page number", "integer")]),
    ("get", "/api/browse", "The policies by issuer, region and year (counts), one page of them",
     [_q("issuer", "issuer name"), _q("region", "region name"), _q("year", "year"),
      _q("page", "page number", "integer")]),
    ("get", "/api/who-leads", "Lead departments ranked by matching measures, with evidence; supporting departments",
     [_q("q", "what the work is about, e.g. 中试基地", required=True), _q("limit", "max departments", "integer")]),
    ("get", "/api/overview", "The corpus overview on the home page: counts, documents by level/region/year/"
     "province, top lead departments, measures due per month, recently issued (`recent`), recently loaded "
     "(`recently_loaded`, from the load log) and flagged documents", []),
    ("get", "/api/lists/{id}", "A list the overview links to: measures, measures-without-lead, departments, "
     "programmes, flagged, policies (filters level, year, region, province)",
     [_ID, _q("page", "page number", "integer"), _q("level", "国家级|省级|市级|其他"), _q("year", "year"),
      _q("region", "region name"), _q("province", "province (a city's documents count for it)")]),
    ("get", "/api/deadlines", "The deadline board: dated measures overdue, due this month, due next month",
     [_q("department", "department id (lead or support)"), _q("region", "the policy's region"),
      _q("today", "YYYY-MM-DD to look from (default: today)"),
      _q("limit", "measures per bucket (counts are always complete; default 500, at most 5000)", "integer")]),
    ("get", "/api/policies/{id}", "A policy: metadata, text and measures with lead/support units and spans, "
     "when it was first loaded and last replaced (`loaded`)", [_ID]),
    ("get", "/api/measures/{id}", "A measure with its policy, units, deadline and evidence", [_ID]),
    ("get", "/api/departments/{id}", "A department: aliases, region, parent/divisions, its most recent measures "
     "with the totals (`led_total`, `supported_total`, `truncated`), collaborators",
     [_ID, _q("all", "1: every measure, not only the most recent", "integer")]),
    ("get", "/api/departments/{id}/network", "A department and its strongest collaborators (ego network)", [_ID]),
    ("get", "/api/programmes/{id}", "A programme and what is linked to it", [_ID]),
    ("get", "/api/platforms/{id}", "A platform and what is linked to it", [_ID]),
    ("get", "/api/regions/{id}", "A region and what is located in it", [_ID]),
    ("get", "/api/network", "Department collaboration network with centralities and communities", _NET),
    ("get", "/api/network.graphml", "The same network as GraphML", _NET),
    ("get", "/api/network/expand/{id}", "The next collaborators of a department, at most 100 per call",
     [_ID, _q("offset", "how many were already shown", "integer")]),
    ("get", "/api/network/find", "Departments whose name contains q", [_q("q", "part of a name", required=True)]),
    ("get", "/api/nodes/{id}/neighbours", "Any node's neighbours (at most 100) with `total` and `truncated`",
     [_ID, _q("limit", "at most 100", "integer")]),
    ("get", "/api/queries", "The saved-query library (title, description, params)", []),
    ("get", "/api/queries/{id}", "One saved query", [_ID]),
    ("get", "/api/queries/{id}/run", "Run a saved query; parameters by name in the query string", [_ID]),
    ("get", "/api/queries/{id}/run.csv", "Run a saved query; CSV", [_ID]),
    ("post", "/api/cypher", "Run read-only Cypher under the time limit and row cap (rate-limited)", []),
    ("post", "/api/cypher/explain", "The plan of a read-only Cypher query, without running it (rate-limited)", []),
]

_CYPHER_BODY = {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["query"],
    "properties": {"query": {"type": "string"}, "params": {"type": "object"}}}}}}
_ERROR = {"description": "Error: {error (Chinese), status, detail?, kind?}",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _operation(summary: str, params: list[dict[str, Any]], path: str) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "parameters": params,
                          "responses": {"200": {"description": "OK"}, "400": _ERROR, "404": _ERROR}}
    if path.startswith("/api/cypher"):
        op["requestBody"] = _CYPHER_BODY
        op["responses"].update({"429": _ERROR, "504": _ERROR})
    return op


def spec(server_url: str) -> dict[str, Any]:
    """The OpenAPI document for the JSON twins of the pages."""
    paths: dict[str, Any] = {}
    for method, path, summary, params in ROUTES:
        paths.setdefault(path, {})[method] = _operation(summary, params, path)
    return {
        "openapi": "3.1.0",
        "info": {"title": "PolicyGraph (政策图谱) JSON API", "version": "1.0",
                 "description": "Every page has a JSON twin under /api/. Read-only except POST /api/cypher, "
                                "which only reads. Errors are JSON with a Chinese `error` message."},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": {"Error": {"type": "object", "properties": {
            "error": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
            "kind": {"type": "string"}}}}},
    }
