"""Department collaboration analytics with networkx, cached per graph version.

Two departments collaborate when both are named (as lead or support) on the same
measure; an edge's weight is the number of measures they share.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from graph import cypher, netfile
from graph.store import Store

log = logging.getLogger(__name__)


@dataclass
class Analysis:
    """The collaboration graph with centralities and communities on its nodes."""

    graph: nx.Graph
    version: str
    _ranked: dict[str, list[tuple[int, str, str]]] | None = None

    def ranked_edges(self, key: str) -> list[tuple[int, str, str]]:
        """Edges as (weight, a, b) for one weight key, strongest first; sorted once per version."""
        if self._ranked is None:
            self._ranked = {}
        if key not in self._ranked:
            ranked = [(d[key], a, b) for a, b, d in self.graph.edges(data=True) if d[key] > 0]
            ranked.sort(key=lambda e: (-e[0], e[1], e[2]))
            self._ranked[key] = ranked
        return self._ranked[key]


def build_graph(store: Store) -> nx.Graph:
    """The weighted department collaboration graph over every loaded document."""
    g = nx.Graph()
    for r in store.read(cypher.COLLABORATION_NODES).records():
        g.add_node(r["id"], name=r["name"] or r["id"], region=r["region"] or "", kind=r["kind"] or "",
                   leads=int(r["leads"]), supports=int(r["supports"]), policies=int(r["policies"]))
    _add_edges(g, store.read(cypher.COLLABORATION_EDGES).records())
    return g


def policy_graph(store: Store, policy: str, full: nx.Graph) -> nx.Graph:
    """The collaboration graph of one policy's measures; node attributes come from the full graph."""
    g = nx.Graph()
    _add_edges(g, store.read(cypher.COLLABORATION_EDGES_IN_POLICY, {"policy": policy}).records())
    for node, data in g.nodes(data=True):
        data.update({k: v for k, v in full.nodes[node].items() if k in ("name", "region", "kind", "leads",
                                                                        "supports", "policies")})
    return g


def _add_edges(g: nx.Graph, rows: list[dict[str, Any]]) -> None:
    for r in rows:
        g.add_edge(r["a"], r["b"], weight=int(r["weight"]), w_leads=int(r["w_leads"]),
                   w_supports=int(r["w_supports"]))


def annotate(g: nx.Graph, seed: int = 42) -> nx.Graph:
    """Add degree/betweenness/eigenvector centrality and a seeded Louvain community to every node."""
    n = g.number_of_nodes()
    if n == 0:
        return g
    degree = nx.degree_centrality(g)
    # Exact betweenness is O(V·E); past a few hundred nodes a seeded sample of sources is stable enough.
    between = nx.betweenness_centrality(g, k=min(n, 300) if n > 300 else None, seed=seed)
    eigen = _eigenvector(g)
    communities = nx.community.louvain_communities(g, weight="weight", seed=seed)
    community_of = {m: i for i, members in enumerate(sorted(communities, key=len, reverse=True)) for m in members}
    for node, data in g.nodes(data=True):
        data.update(degree=round(degree[node], 6), betweenness=round(between[node], 6),
                    eigenvector=round(eigen.get(node, 0.0), 6), community=community_of.get(node, -1))
    return g


def _eigenvector(g: nx.Graph, max_iter: int = 500, tol: float = 1e-6) -> dict[str, float]:
    """networkx's `eigenvector_centrality(g, weight="weight")`, the same power iteration on (A + I) with the
    same start, norm and stopping rule, done on numpy arrays.

    networkx walks Python dicts once per iteration; on the 10,000-document benchmark graph (5,520 departments,
    38,640 edges) it needed 483 iterations and 43 s, which made up nearly all of the network's build time.
    This takes 0.2 s and gives the same values to the six decimals that are stored.
    """
    nodes = list(g)
    n = len(nodes)
    position = {node: i for i, node in enumerate(nodes)}
    edges = [(position[a], position[b], float(d.get("weight", 1))) for a, b, d in g.edges(data=True) if a != b]
    loops = [(position[a], float(d.get("weight", 1))) for a, b, d in g.edges(data=True) if a == b]
    src = np.array([e[0] for e in edges] + [e[1] for e in edges] + [i for i, _ in loops], dtype=np.int64)
    dst = np.array([e[1] for e in edges] + [e[0] for e in edges] + [i for i, _ in loops], dtype=np.int64)
    weight = np.array([e[2] for e in edges] * 2 + [w for _, w in loops], dtype=float)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = last + np.bincount(dst, weights=last[src] * weight, minlength=n)
        norm = float(np.linalg.norm(x))
        x = x / (norm or 1.0)
        if float(np.abs(x - last).sum()) < n * tol:
            return dict(zip(nodes, x.tolist(), strict=True))
    log.warning("eigenvector centrality did not converge in %d iterations; reporting zeros", max_iter)
    return {}


def shortest_path(g: nx.Graph, source: str, target: str) -> list[str]:
    """Department ids on a shortest collaboration path (fewest hops), or [] when none."""
    try:
        return list(nx.shortest_path(g, source, target))
    except (nx.NodeNotFound, nx.NetworkXNoPath):
        return []


def export(g: nx.Graph, fmt: str) -> bytes:
    """Serialise as GraphML, GEXF or node-link JSON."""
    plain = _exportable(g)
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(plain, buf, encoding="utf-8")
        return buf.getvalue()
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(plain, buf, encoding="utf-8")
        return buf.getvalue()
    if fmt == "json":
        return json.dumps(nx.node_link_data(plain, edges="links"), ensure_ascii=False).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r} (graphml, gexf, json)")


def _exportable(g: nx.Graph) -> nx.Graph:
    # GraphML/GEXF take scalars only: lists become a joined string.
    out = nx.Graph()
    for n, data in g.nodes(data=True):
        out.add_node(n, **{k: ("|".join(v) if isinstance(v, list) else v) for k, v in data.items()})
    out.add_edges_from(g.edges(data=True))
    return out


class AnalyticsCache:
    """Recompute the annotated graph only when the set of loaded document versions changes.

    Listing every document's version costs a query that grows with the corpus (about 200 ms at
    10,000 documents, with the engine's share), so it is asked at most every `recheck_s` seconds:
    a network may lag a load made by another process by that long.  A load in this process calls
    `invalidate`, so its uploader sees it at once.  (Every 2 s, four web processes spent about a
    fifth of a core on the question.)  With a `directory`, each version's network is saved there
    and shared by every process (see graph.netfile).

    Only the first network is built while the caller waits.  A newer graph version found later (a
    load by another process) is built in a background thread while readers keep getting the network
    they had (`updating` says so), so a network request never waits for a rebuild; `invalidate`
    (this process loaded) makes the next `get` build the new one at once, as its uploader expects.
    """

    def __init__(self, recheck_s: float = 30.0, directory: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._cached: Analysis | None = None
        self._checked = 0.0
        self.recheck_s = recheck_s
        self.directory = directory
        self._version: str | None = None  # `version` without the network (the overview pages)
        self._version_lock = threading.Lock()
        self._version_checked = 0.0
        self._checked_floor = 0.0  # `invalidate` time: versions asked before it are stale
        self._forced = False  # set by `invalidate`: the next `get` builds in the caller
        self._building: str | None = None  # the version a background thread is building

    def _network(self, store: Store, version: str) -> nx.Graph:
        if self.directory is None:
            return annotate(build_graph(store))
        return netfile.load_or_build(self.directory, version, lambda: annotate(build_graph(store)))

    @property
    def updating(self) -> bool:
        """True while a newer graph version's network is being built in the background."""
        return self._building is not None

    def invalidate(self) -> None:
        """Ask for the graph's version at the next `get` (after a load by this process)."""
        with self._lock:
            self._checked = float("-inf")
            self._checked_floor = time.monotonic()
            self._forced = True

    def get(self, store: Store) -> Analysis:
        with self._lock:
            now = time.monotonic()
            if self._cached is not None and now - self._checked < self.recheck_s:
                return self._cached
            version = graph_version(store)
            self._checked = time.monotonic()
            if self._cached is not None and self._cached.version == version:
                self._forced, self._building = False, None  # a build of another version is no longer wanted
                return self._cached
            if self._cached is None or self._forced:
                self._cached = Analysis(self._network(store, version), version)
                self._forced, self._building = False, None
                return self._cached
            if self._building != version:
                self._building = version
                threading.Thread(target=self._build_in_background, args=(store, version),
                                 name="network-rebuild", daemon=True).start()
            return self._cached

    def _build_in_background(self, store: Store, version: str) -> None:
        started = time.perf_counter()
        try:
            built = Analysis(self._network(store, version), version)
        except Exception:  # the readers keep the network they have; the next check tries again
            log.warning("could not rebuild the collaboration network for version %s", version, exc_info=True)
            with self._lock:
                if self._building == version:
                    self._building = None  # asked again after `recheck_s`
            return
        with self._lock:
            if self._building == version:  # not overtaken by a newer version or an `invalidate` build
                self._cached, self._building = built, None
                log.info("collaboration network rebuilt in the background in %.1f s",
                         time.perf_counter() - started)

    def version(self, store: Store) -> str:
        """The graph's version, asked no more often than `get` asks it, without building the network.

        It never waits for a network being built (tens of seconds at 10,000 documents): `get` holds
        `_lock` meanwhile, so this reads `get`'s last answer without it and asks the graph under its own lock.
        """
        now = time.monotonic()
        cached, checked = self._cached, self._checked
        if cached is not None and now - checked < self.recheck_s:
            return cached.version
        with self._version_lock:
            if self._version is None or now - self._version_checked >= self.recheck_s \
                    or self._version_checked < self._checked_floor:
                self._version, self._version_checked = graph_version(store), time.monotonic()
            return self._version


def graph_version(store: Store) -> str:
    """A digest of every loaded document's id and version: changes with every load."""
    versions = sorted(store.document_versions().items())
    return hashlib.sha1(json.dumps(versions).encode()).hexdigest()[:16]


def node_summary(g: nx.Graph, node: str) -> dict[str, Any]:
    """A node's attributes plus its top collaborators by weight."""
    data = dict(g.nodes[node])
    neighbours = sorted(g[node].items(), key=lambda kv: (-kv[1]["weight"], kv[0]))
    data["collaborators"] = [{"id": n, "name": g.nodes[n]["name"], "weight": e["weight"]} for n, e in neighbours]
    return data


__all__ = ["AnalyticsCache", "annotate", "build_graph", "policy_graph", "export", "shortest_path", "node_summary"]
