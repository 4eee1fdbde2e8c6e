"""Read loaded documents back out of the graph as Extraction records (to rebuild the search index).

    for ex in iter_extractions(store):          # every loaded document, 200 per query batch
        index.index_many([ex])

What comes back is what the search index needs: the Document, its Measures with lead and
support UnitRefs (mention, role, rank from the LEADS/SUPPORTS edges) and the departments,
programmes and platforms the document speaks of, with the surface forms it used as aliases.
Relations other than those, and repairs and warnings, are not reconstructed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from core.records import Document, Entity, Extraction, Measure, UnitRef
from graph import cypher
from graph.store import Store

BATCH = 200  # documents per read query
ENTITY_TYPES = ("Department", "Programme", "Platform")


def document_ids(store: Store) -> list[str]:
    """Ids of every loaded document (cited-policy stubs have no version and are left out)."""
    return [r["id"] for r in store.read(cypher.EXPORT_DOCUMENT_IDS).records()]


def iter_extractions(store: Store, doc_ids: Iterable[str] | None = None,
                     batch: int = BATCH) -> Iterator[Extraction]:
    """Extraction records of the given (default: all) loaded documents, in id order.

    Ids that are not loaded documents are skipped.  Each batch of `batch` documents costs
    four read queries.
    """
    ids = sorted(set(doc_ids)) if doc_ids is not None else document_ids(store)
    for i in range(0, len(ids), batch):
        yield from _read_batch(store, ids[i : i + batch])


def _read_batch(store: Store, ids: list[str]) -> Iterator[Extraction]:
    """One batch: policies, measures with units, entities with their parents."""
    params = {"ids": ids}
    policies = {r["p"]["id"]: r["p"] for r in store.read(cypher.EXPORT_POLICIES, params).records()}
    measures: dict[str, list[dict[str, Any]]] = {doc: [] for doc in policies}
    for r in store.read(cypher.EXPORT_MEASURES, params).records():
        measures[r["doc"]].append(r)
    entities = _entities(store, params)
    for doc in ids:
        if doc in policies:
            rows = sorted(measures[doc], key=lambda r: r["m"].get("ordinal", 0))
            document = _document(policies[doc])
            yield Extraction(document.source, document, [_measure(r) for r in rows],
                             list(entities.get(doc, {}).values()))


def _entities(store: Store, params: dict[str, Any]) -> dict[str, dict[str, Entity]]:
    """doc id → entity id → Entity (aliases: the surface forms the document used)."""
    out: dict[str, dict[str, Entity]] = {}
    for r in store.read(cypher.EXPORT_ENTITIES, params).records():
        e = r["e"]
        entity = out.setdefault(r["doc"], {}).setdefault(e["id"], _entity(r["type"], e, []))
        if r["mention"] and r["mention"] != entity.name and r["mention"] not in entity.aliases:
            entity.aliases.append(r["mention"])
    departments = {eid for by_id in out.values() for eid, e in by_id.items() if e.type == "Department"}
    parents = {r["id"]: r["e"] for r in store.read(cypher.EXPORT_PARENTS, {"ids": sorted(departments)}).records()}
    for by_id in out.values():
        for e in by_id.values():
            e.aliases.sort()
        for eid in [k for k, e in by_id.items() if e.type == "Department" and k in parents]:
            parent = parents[eid]
            by_id.setdefault(parent["id"], _entity("Department", parent, []))
    return out


def _entity(entity_type: str, row: dict[str, Any], aliases: list[str]) -> Entity:
    """An Entity from a node's properties."""
    return Entity(row["id"], entity_type, row.get("name") or "", aliases, row.get("region"),
                  row.get("kind") or "")


def _document(p: dict[str, Any]) -> Document:
    """A Document from a Policy node's properties."""
    listed = list(p.get("source_keys") or []) not in ([], [""])  # [""]: written outside the load step
    return Document(
        id=p["id"], version=p.get("version") or "", source=p.get("source") or "", title=p.get("title") or "",
        text=p.get("text") or "", issuers=list(p.get("issuers") or []), date=p.get("date"),
        doc_number=p.get("doc_number"), region=p.get("region"), encoding=p.get("encoding") or "",
        url=p.get("url"), valid_until=p.get("valid_until"), addressees=list(p.get("addressees") or []),
        effective_from=p.get("effective_from"), id_basis=p.get("id_basis") or "",
        sources=list(p.get("sources") or []) if listed else [],
        source_keys=list(p.get("source_keys") or []) if listed else [],
        source_versions=list(p.get("source_versions") or []) if listed else [],
    )


def _measure(row: dict[str, Any]) -> Measure:
    """A Measure from its node and the LEADS/SUPPORTS edges into it (units ordered by rank)."""
    m = row["m"]
    units = sorted((u for u in row["units"] if u), key=lambda u: (u.get("rank") or 0, u.get("name") or ""))
    return Measure(
        id=m["id"], title=m.get("title") or "", section=m.get("section") or "", text=m.get("text") or "",
        lead=[_unit(u) for u in units if u["type"] == "LEADS"],
        support=[_unit(u) for u in units if u["type"] == "SUPPORTS"],
        deadline=m.get("deadline"), span=(int(m.get("start") or 0), int(m.get("end") or 0)),
        evidence=m.get("evidence") or "",
    )


def _unit(u: dict[str, Any]) -> UnitRef:
    """A UnitRef from one LEADS/SUPPORTS edge."""
    return UnitRef(mention=u.get("mention") or u.get("name") or "", name=u.get("name") or "",
                   id=u.get("id") or "", role=u.get("role") or "", rank=int(u.get("rank") or 0))
