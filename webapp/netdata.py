"""Network payloads for cytoscape.js drawn from the cached collaboration graph (graph.analytics)."""

from __future__ import annotations

from typing import Any

import networkx as nx

NODE_FIELDS = ("name", "region", "degree", "betweenness", "eigenvector", "community", "leads", "supports")
EXPAND_CAP = 100


def node_json(g: nx.Graph, node: str) -> dict[str, Any]:
    """One department node with its centralities and community."""
    data = g.nodes[node]
    return {"id": node, **{k: data.get(k) for k in NODE_FIELDS}}


def ego(g: nx.Graph, center: str, limit: int = 30) -> dict[str, Any]:
    """A department and its strongest `limit` collaborators, with the edges among them."""
    if center not in g:
        return {"center": center, "nodes": [], "edges": [], "truncated": False, "total": 0}
    ranked = sorted(g[center].items(), key=lambda kv: (-kv[1].get("weight", 1), kv[0]))
    keep = [center] + [n for n, _ in ranked[:limit]]
    sub = g.subgraph(keep)
    nodes = [node_json(g, n) for n in keep]
    return {"center": center, "nodes": nodes, "edges": _edges(sub), "communities": communities(nodes),
            "truncated": len(ranked) > limit, "total": len(ranked)}


def expand(g: nx.Graph, center: str, offset: int = 0, limit: int = EXPAND_CAP) -> dict[str, Any]:
    """The next `limit` (at most 100) collaborators of `center`, strongest first, with their edges to it."""
    limit = max(1, min(limit, EXPAND_CAP))
    ranked = sorted(g[center].items(), key=lambda kv: (-kv[1].get("weight", 1), kv[0])) if center in g else []
    page = ranked[offset:offset + limit]
    edges = [_edge(center, n, d) for n, d in page]
    return {"center": center, "nodes": [node_json(g, n) for n, _ in page], "edges": edges,
            "offset": offset, "total": len(ranked), "next_offset": offset + len(page),
            "truncated": offset + len(page) < len(ranked), "cap": limit}


def communities(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The communities among `nodes`, largest first, each named by its most central department.

    "Most central" is the highest degree centrality, then betweenness, then the name (so ties are stable);
    a node without a community (-1 or None) belongs to none."""
    groups: dict[int, list[dict[str, Any]]] = {}
    for n in nodes:
        c = n.get("community")
        if c is not None and c >= 0:
            groups.setdefault(int(c), []).append(n)
    out = []
    for c, members in groups.items():
        top = min(members, key=lambda n: (-(n.get("degree") or 0), -(n.get("betweenness") or 0), n.get("name") or ""))
        out.append({"id": c, "name": top.get("name") or top["id"], "center": top["id"], "size": len(members)})
    out.sort(key=lambda c: (-c["size"], c["name"]))
    return out


def _edges(g: nx.Graph) -> list[dict[str, Any]]:
    return [_edge(a, b, d) for a, b, d in g.edges(data=True)]


def _edge(a: str, b: str, data: dict[str, Any]) -> dict[str, Any]:
    a, b = sorted((a, b))
    return {"source": a, "target": b, "weight": int(data.get("weight", 1))}
