"""Network explorer: `/network`, `/api/network` (filtered collaboration graph), GraphML export, expand, find."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import networkx as nx
from flask import Blueprint, Response, current_app, jsonify, render_template, request

from graph import analytics, reads
from graph.reads import Network
from webapp import netdata, services
from webapp.errors import bad_request, not_found

bp = Blueprint("network", __name__)

ROLES = {"LEADS": "牵头", "SUPPORTS": "配合"}
MAX_EDGES = 500


def _filters() -> dict[str, Any]:
    role = request.args.get("role") or None
    if role not in (None, *ROLES):
        raise bad_request("role 只能是 LEADS（牵头）或 SUPPORTS（配合）。")
    min_weight = request.args.get("min_weight", 1, type=int)
    if min_weight is None or min_weight < 1:
        raise bad_request("min_weight（最少共同措施数）须为不小于 1 的整数。")
    return {"policy": request.args.get("policy") or None, "region": request.args.get("region") or None,
            "role": role, "min_weight": min(min_weight, 1000)}


def _network(filters: dict[str, Any] | None = None) -> Network:
    svc = services.get()  # the app-wide cache: the whole network is built once per graph version
    return reads.collaboration_network(svc.store, limit=MAX_EDGES, cache=svc.analytics, **(filters or _filters()))


def _policies() -> list[tuple[str, str]]:
    docs = services.get().index.searcher().documents(kind="policy")
    return sorted(((d["doc_id"], d.get("title") or d["doc_id"]) for d in docs), key=lambda x: x[1])


def _regions() -> list[str]:
    g = services.get().analysis().graph
    return sorted({data.get("region") for _, data in g.nodes(data=True) if data.get("region")})


@bp.get("/network")
def page() -> str:
    regions = _regions()  # builds the first network, or finds a newer graph version being built
    return render_template("network.html", f=_filters(), policies=_policies(), regions=regions, roles=ROLES,
                           focus=request.args.get("focus", ""), max_edges=MAX_EDGES, cap=netdata.EXPAND_CAP,
                           updating=services.get().analytics.updating)


@bp.get("/api/network")
def api() -> Response:
    """The filtered network as JSON, serialised once per graph version and filter.

    `updating` is true while a newer graph version's network is built in the background (this one lags it).
    """
    svc, filters = services.get(), _filters()
    version, updating = svc.analysis().version, svc.analytics.updating
    key = ("network", version, updating, tuple(sorted(filters.items())))
    body = svc.responses.get(key, lambda: current_app.json.dumps(
        _payload(_network(filters)) | {"updating": updating}).encode())
    return Response(body, mimetype="application/json")


def _payload(net: Network) -> dict[str, Any]:
    """The network with its communities named for the legend."""
    return {**asdict(net), "communities": netdata.communities(net.nodes)}


@bp.get("/api/network.graphml")
def graphml() -> Response:
    net = _network()
    g = nx.Graph()
    for n in net.nodes:
        g.add_node(n["id"], **{k: v for k, v in n.items() if k != "id" and v is not None})
    for e in net.edges:
        g.add_edge(e["source"], e["target"], weight=e["weight"])
    return Response(analytics.export(g, "graphml"), mimetype="application/graphml+xml",
                    headers={"Content-Disposition": 'attachment; filename="policygraph-network.graphml"'})


@bp.get("/api/network/expand/<node_id>")
def expand(node_id: str):
    g = services.get().analysis().graph
    if node_id not in g:
        raise not_found("该部门（或它没有协作部门）")
    offset = max(0, request.args.get("offset", 0, type=int) or 0)
    return jsonify(netdata.expand(g, node_id, offset=offset))


@bp.get("/api/network/find")
def find():
    q = (request.args.get("q") or "").strip()
    g = services.get().analysis().graph
    hits = [netdata.node_json(g, n) for n, d in g.nodes(data=True) if q and q in (d.get("name") or "")]
    hits.sort(key=lambda n: (len(n["name"] or ""), n["name"] or ""))
    return jsonify({"query": q, "departments": hits[:20]})


@bp.get("/api/nodes/<node_id>/neighbours")
def neighbours(node_id: str):
    limit = max(1, min(request.args.get("limit", netdata.EXPAND_CAP, type=int) or netdata.EXPAND_CAP,
                       netdata.EXPAND_CAP))
    hood = reads.neighbours(services.get().store, node_id, limit=limit)
    if hood is None:
        raise not_found("该节点")
    return jsonify(hood)
