"""Reads for the app: typed records, each query with a limit."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from core.text import match_text
from graph import cypher
from graph.analytics import Analysis, AnalyticsCache, annotate, policy_graph
from graph.store import Store


@dataclass(frozen=True)
class UnitLink:
    """A department as shown beside a measure."""

    id: str
    name: str
    mention: str = ""


@dataclass
class MeasureView:
    """A measure with its policy and units."""

    id: str
    title: str
    text: str
    deadline: str | None
    section: str
    ordinal: int
    policy_id: str
    policy_title: str
    lead: list[UnitLink] = field(default_factory=list)
    support: list[UnitLink] = field(default_factory=list)
    evidence: str = ""
    start: int | None = None
    end: int | None = None


@dataclass
class RoleEntry:
    """One measure a department leads or supports, with the words that say so."""

    role: str  # LEADS | SUPPORTS
    role_word: str
    mention: str
    evidence: str
    measure: MeasureView


@dataclass
class DepartmentView:
    """A department's profile page."""

    id: str
    name: str
    aliases: list[str]
    region: str | None
    kind: str
    parent: UnitLink | None
    children: list[UnitLink]
    led: dict[str, list[RoleEntry]]  # policy title → entries
    supported: dict[str, list[RoleEntry]]
    collaborators: list[tuple[UnitLink, int]] = field(default_factory=list)
    reporting_chain: list[UnitLink] = field(default_factory=list)
    led_total: int = 0  # all measures it leads / supports; `led` and `supported` hold the `limit` most recent
    supported_total: int = 0
    limit: int = 0

    @property
    def shown(self) -> int:
        """How many measures `led` and `supported` hold together."""
        return sum(map(len, self.led.values())) + sum(map(len, self.supported.values()))

    @property
    def truncated(self) -> bool:
        """Whether some of its measures were left out (the least recent policies' first)."""
        return self.shown < self.led_total + self.supported_total


@dataclass
class PolicyView:
    """A policy's page: metadata, text and measures."""

    id: str
    title: str
    text: str
    doc_number: str | None
    issuers: list[str]
    date: str | None
    region: str | None
    source: str
    properties: dict[str, Any]
    measures: list[MeasureView]
    links: list[dict[str, Any]] = field(default_factory=list)  # cited/implemented policies, programmes
    repair_marks: list[list[Any]] = field(default_factory=list)  # [start, end, kind, before] in `text`
    selfcheck: dict[str, Any] | None = None  # loaders.selfcheck: coverage, unassigned units, warnings


DEPARTMENT_MEASURES_SHOWN = 100  # a busy department leads or supports hundreds: the page shows the most recent
DEPARTMENT_MEASURES_ALL = 5000  # "show all"


def department(store: Store, dept_id: str, limit: int = DEPARTMENT_MEASURES_SHOWN) -> DepartmentView | None:
    """A department's profile with its `limit` most recent measures (and the totals), or None when unknown."""
    rows = store.read(cypher.DEPARTMENT, {"id": dept_id}).records()
    if not rows:
        return None
    row = rows[0]
    d = row["d"]
    led: dict[str, list[RoleEntry]] = defaultdict(list)
    supported: dict[str, list[RoleEntry]] = defaultdict(list)
    for r in store.read(cypher.DEPARTMENT_MEASURES, {"id": dept_id, "limit": limit}).records():
        entry = RoleEntry(r["role"], r["role_word"] or "", r["mention"] or "", r["evidence"] or "",
                          _measure(r["m"], r["p"]))
        (led if r["role"] == "LEADS" else supported)[r["p"]["title"] or r["p"]["id"]].append(entry)
    parent = row["parent"]
    return DepartmentView(
        id=d["id"], name=d.get("name", ""), aliases=sorted(set(d.get("aliases") or []) - {d.get("name")}),
        region=row["region_name"] or d.get("region"), kind=d.get("kind") or "",
        parent=UnitLink(parent["id"], parent["name"]) if parent and parent.get("id") else None,
        children=[UnitLink(c["id"], c["name"]) for c in row["children"] if c and c.get("id")],
        led=dict(led), supported=dict(supported),
        collaborators=_collaborators(store, dept_id), reporting_chain=_reporting_chain(store, dept_id),
        limit=limit, **_measure_totals(store, dept_id),
    )


def _measure_totals(store: Store, dept_id: str) -> dict[str, int]:
    counts = {r["role"]: int(r["n"]) for r in store.read(cypher.DEPARTMENT_MEASURE_COUNTS, {"id": dept_id}).records()}
    return {"led_total": counts.get("LEADS", 0), "supported_total": counts.get("SUPPORTS", 0)}


def _collaborators(store: Store, dept_id: str, limit: int = 10) -> list[tuple[UnitLink, int]]:
    rows = store.read(cypher.DEPARTMENT_COLLABORATORS, {"id": dept_id, "limit": limit}).records()
    return [(UnitLink(r["o"]["id"], r["o"]["name"]), int(r["n"])) for r in rows]


def _reporting_chain(store: Store, dept_id: str) -> list[UnitLink]:
    rows = store.read(cypher.REPORTING_CHAIN, {"id": dept_id}).records()
    return [UnitLink(n["id"], n["name"]) for n in rows[0]["chain"][1:]] if rows else []


def policy(store: Store, policy_id: str, limit: int = 1000) -> PolicyView | None:
    """A policy with its measures, or None when the id is unknown."""
    rows = store.read(cypher.POLICY, {"id": policy_id}).records()
    if not rows:
        return None
    p = rows[0]["p"]
    measures = [
        _measure(r["m"], p, r["lead"], r["support"])
        for r in store.read(cypher.POLICY_MEASURES, {"id": policy_id, "limit": limit}).records()
    ]
    return PolicyView(
        id=p["id"], title=p.get("title", ""), text=p.get("text", ""), doc_number=p.get("doc_number"),
        issuers=list(p.get("issuers") or []), date=p.get("date"), region=p.get("region"),
        source=p.get("source", ""), properties=p, measures=measures,
        links=store.read(cypher.POLICY_LINKS, {"id": policy_id, "limit": 200}).records(),
        repair_marks=json.loads(p.get("repair_marks") or "[]"),
        selfcheck=json.loads(p["selfcheck"]) if p.get("selfcheck") else None,
    )


def measure(store: Store, measure_id: str) -> MeasureView | None:
    """One measure with its policy and units, or None."""
    rows = store.read(cypher.MEASURE, {"id": measure_id}).records()
    if not rows:
        return None
    r = rows[0]
    return _measure(r["m"], r["p"], r["lead"], r["support"])


@dataclass
class Evidence:
    """A matching measure a department leads, with the sentence that says so."""

    measure_id: str
    title: str
    text: str
    evidence: str
    mention: str
    policy_id: str
    policy_title: str


@dataclass
class LeadAnswer:
    """One department in a who-leads answer."""

    id: str
    name: str
    region: str | None
    measures: int
    evidence: list[Evidence]


@dataclass
class WhoLeads:
    """Lead departments ranked by matching measures, with supporting departments beside them."""

    query: str
    words: list[str]
    leads: list[LeadAnswer]
    supports: list[tuple[UnitLink, int]]


def who_leads(store: Store, text: str, limit: int = 20, evidence_per_department: int = 5,
              candidates: list[str] | None = None) -> WhoLeads:
    """Departments leading measures whose text contains every word of `text` (either script).

    `candidates` (canonical department names, e.g. the search index's lead facet for the same words)
    narrows the scan to those departments' own measures, which keeps large graphs fast; without it
    every measure is scanned.
    """
    words = [w for w in match_text(text).split() if w][:8]
    if not words or candidates == []:
        return WhoLeads(text, words, [], [])
    if candidates is None:
        rows = store.read(cypher.WHO_LEADS, {"words": words, "limit": limit}).records()
    else:
        rows = store.read(cypher.WHO_LEADS_AMONG, {"words": words, "limit": limit,
                                                   "names": candidates[: limit * 2]}).records()
    leads = [LeadAnswer(r["d"]["id"], r["d"]["name"], r["d"].get("region"), int(r["n"]),
                        [_evidence(item) for item in r["items"][:evidence_per_department]]) for r in rows]
    if candidates is None:
        support_rows = store.read(cypher.WHO_SUPPORTS, {"words": words, "limit": limit}).records()
    else:
        measure_ids = sorted({item["measure"] for r in rows for item in r["items"]})
        support_rows = store.read(cypher.WHO_SUPPORTS_OF, {"measures": measure_ids, "limit": limit}).records()
    supports = [(UnitLink(r["d"]["id"], r["d"]["name"]), int(r["n"])) for r in support_rows]
    return WhoLeads(text, words, leads, supports)


def _evidence(item: dict[str, Any]) -> Evidence:
    return Evidence(item["measure"], item.get("title") or "", item.get("text") or "", item.get("evidence") or "",
                    item.get("mention") or "", item["policy"], item.get("policy_title") or "")


def find_departments(store: Store, name: str, limit: int = 20) -> list[UnitLink]:
    """Departments whose canonical name or an alias equals `name`."""
    rows = store.read(cypher.FIND_DEPARTMENTS, {"name": name, "limit": limit}).records()
    return [UnitLink(r["d"]["id"], r["d"]["name"]) for r in rows]


def _measure(m: dict[str, Any], p: dict[str, Any], lead: list[Any] | None = None,
             support: list[Any] | None = None) -> MeasureView:
    return MeasureView(
        id=m["id"], title=m.get("title") or "", text=m.get("text") or "", deadline=m.get("deadline"),
        section=m.get("section") or "", ordinal=int(m.get("ordinal") or 0), policy_id=p["id"],
        policy_title=p.get("title") or "", lead=_units(lead), support=_units(support),
        evidence=m.get("evidence") or "", start=m.get("start"), end=m.get("end"),
    )


def _units(rows: list[Any] | None) -> list[UnitLink]:
    # FalkorDB projects a map from a null OPTIONAL MATCH as {id: null, …}; Neo4j gives null.
    return [UnitLink(u["id"], u.get("name") or "", u.get("mention") or "") for u in rows or [] if u and u.get("id")]


@dataclass
class Neighbourhood:
    """A node and up to `limit` of its neighbours, for expanding a graph view."""

    center: dict[str, Any]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    total: int
    truncated: bool


def neighbours(store: Store, node_id: str, limit: int = 100) -> Neighbourhood | None:
    """A node's neighbours (any label), at most `limit`; `truncated` says when more exist."""
    limit = max(1, min(limit, 100))
    rows = store.read(cypher.NEIGHBOURS, {"id": node_id, "limit": limit}).records()
    if not rows or not rows[0]["c"] or not rows[0]["c"].get("id"):
        return None
    center = _node(rows[0]["c"])
    nodes, edges = [], []
    for n in rows[0]["ns"]:
        if not n or not n.get("id"):
            continue
        nodes.append(_node(n))
        src, dst = (center["id"], n["id"]) if n.get("out") else (n["id"], center["id"])
        edges.append({"source": src, "target": dst, "type": n.get("type")})
    total = int(store.read(cypher.NEIGHBOUR_COUNT, {"id": node_id}).rows[0][0])
    return Neighbourhood(center, nodes, edges, total, total > len(nodes))


def _node(n: dict[str, Any]) -> dict[str, Any]:
    name = n.get("name") or n.get("title") or (n.get("text") or "")[:80] or n["id"]
    return {"id": n["id"], "label": n.get("label"), "name": name}


@dataclass
class Network:
    """A department collaboration network with centralities, ready to draw."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    truncated: bool
    filters: dict[str, Any]


def collaboration_network(store: Store, policy: str | None = None, region: str | None = None,
                          role: str | None = None, min_weight: int = 1, limit: int = 500,
                          include_groups: bool = False, cache: AnalyticsCache | None = None) -> Network:
    """Departments sharing measures (edge weight = shared measures), filtered, strongest edges first.

    The whole network is computed once per graph version (pass the app's `cache`); filters then
    apply in memory.  Centralities are those of the whole network, or of the policy's own network
    when `policy` is given.  Collective units (各地区, 各县区人民政府 …) are left out unless
    `include_groups`: they would otherwise be the largest hubs of every network.
    """
    if role not in (None, "LEADS", "SUPPORTS"):
        raise ValueError("role must be LEADS or SUPPORTS")
    analysis = (cache or AnalyticsCache()).get(store)
    if policy:
        analysis = Analysis(annotate(policy_graph(store, policy, analysis.graph)), analysis.version)
    g = analysis.graph
    key = {"LEADS": "w_leads", "SUPPORTS": "w_supports"}.get(role or "", "weight")
    edges: list[dict[str, Any]] = []
    truncated = False
    for weight, a, b in analysis.ranked_edges(key):
        if weight < max(1, min_weight):
            break  # ranked strongest first: nothing lighter can pass
        if not _keep(g, a, b, region, include_groups):
            continue
        if len(edges) == limit:
            truncated = True
            break
        edges.append({"source": a, "target": b, "weight": weight})
    ids = {e["source"] for e in edges} | {e["target"] for e in edges}
    nodes = [{"id": n, **g.nodes[n]} for n in sorted(ids)]
    filters = {"policy": policy, "region": region, "role": role, "min_weight": min_weight, "groups": include_groups}
    return Network(nodes, edges, truncated, filters)


def _keep(g: Any, a: str, b: str, region: str | None, include_groups: bool) -> bool:
    na, nb = g.nodes[a], g.nodes[b]
    if not include_groups and "group" in (na.get("kind"), nb.get("kind")):
        return False
    return region is None or region in (na.get("region"), nb.get("region"))


@dataclass
class EntityView:
    """A programme, platform or region with the things linked to it."""

    id: str
    label: str
    name: str
    properties: dict[str, Any]
    links: list[dict[str, Any]]


def entity(store: Store, entity_id: str, limit: int = 500) -> EntityView | None:
    """A programme, platform or region page, or None when the id is unknown."""
    rows = store.read(cypher.ENTITY, {"id": entity_id, "limit": limit}).records()
    if not rows or not rows[0]["e"] or not rows[0]["e"].get("id"):
        return None
    e = rows[0]["e"]
    links = [{**_node(n), "type": n.get("type"), "out": n.get("out"), "doc_id": n.get("doc_id")}
             for n in rows[0]["ns"] if n and n.get("id")]
    return EntityView(e["id"], e.get("label", ""), e.get("name", ""), e, links)


def programme(store: Store, entity_id: str) -> EntityView | None:
    """A programme page (百城百园行动, 科创中国 …)."""
    view = entity(store, entity_id)
    return view if view and view.label == "Programme" else None


def platform(store: Store, entity_id: str) -> EntityView | None:
    """A platform page (成果平台 …)."""
    view = entity(store, entity_id)
    return view if view and view.label == "Platform" else None


def region(store: Store, entity_id: str) -> EntityView | None:
    """A region page (淮北市 …) with what is located in it."""
    view = entity(store, entity_id)
    return view if view and view.label == "Region" else None
