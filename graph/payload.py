"""Turn one document's extraction records into the rows of its replace query."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from core.citekeys import keys_of
from core.records import Evidence, Extraction, Measure, Relation, UnitRef
from core.text import match_text
from core.vocab import ENTITY_LABELS, NODE_LABELS, RELATION_TYPES, label_of
from graph.cypher import MEASURE_TYPES


@dataclass
class DocumentPayload:
    """Parameters and shape of one document's replace query."""

    doc_id: str
    params: dict[str, Any] = field(default_factory=dict)
    entity_params: dict[str, str] = field(default_factory=dict)
    rel_params: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def build_payload(ex: Extraction, resolved: dict[str, str] | None = None) -> DocumentPayload:
    """Rows for the policy, its measures, its entities and every relation.

    `resolved` maps the placeholder of a cited policy to the loaded policy the citation names
    (graph.store finds them); those citations point at the loaded policy and keep the placeholder's
    id in `ref`, so removing that policy can give them their placeholder back.
    """
    doc = ex.document
    resolved = {k: v for k, v in (resolved or {}).items() if v != doc.id}
    payload = DocumentPayload(doc.id)
    payload.params = {"doc": doc.id, "policy": _policy_row(ex), "measures": []}
    payload.params["measures"] = [_measure_row(doc.id, i, m) for i, m in enumerate(ex.measures)]
    _add_entities(payload, ex, resolved)
    # CONTAINS/LEADS/SUPPORTS come from the Measure records themselves; the extractor's copies are skipped.
    extracted = [_resolve(r, resolved) for r in ex.relations if r.type not in MEASURE_TYPES]
    _add_relations(payload, _unit_relations(ex) + [r for r in extracted if r is not None])
    return payload


def cited_numbers(ex: Extraction) -> dict[str, str]:
    """Placeholder id → the 文号 a citation gave it ("" when none)."""
    out: dict[str, str] = {}
    for r in ex.relations:
        if r.type == "CITES":
            number = str(dict(r.props).get("cited_no") or "")
            if number or r.to_id not in out:
                out[r.to_id] = number
    return out


def _resolve(r: Relation, resolved: dict[str, str]) -> Relation | None:
    target = resolved.get(r.to_id)
    if target is None:
        return r
    if target == r.from_id or target == "":
        return None
    return Relation(r.type, r.from_id, target, r.evidence, r.props + (("ref", r.to_id),))


def _policy_row(ex: Extraction) -> dict[str, Any]:
    doc = ex.document
    row = {
        "id": doc.id, "version": doc.version, "source": doc.source, "title": doc.title,
        "title_s": match_text(doc.title),
        "text": doc.text, "issuers": list(doc.issuers), "date": doc.date, "doc_number": doc.doc_number,
        "region": doc.region, "encoding": doc.encoding, "url": doc.url, "valid_until": doc.valid_until,
        "effective_from": doc.effective_from,
        "addressees": list(doc.addressees), "repairs": len(ex.repairs),
        "repair_marks": json.dumps(repair_marks(ex), ensure_ascii=False),
        "measure_count": len(ex.measures), "id_basis": doc.id_basis or None,
        # Every file of this policy, the one its text and facts come from first (loaders.identity).
        "sources": list(doc.sources) or [doc.source],
        "source_keys": list(doc.source_keys) or [""],
        "source_versions": list(doc.source_versions) or [doc.version],
        "selfcheck": json.dumps(ex.selfcheck.to_json(), ensure_ascii=False) if ex.selfcheck is not None else None,
        **keys_of(doc.title, doc.doc_number).as_props(),
    }
    return {k: v for k, v in row.items() if v is not None}


def repair_marks(ex: Extraction) -> list[list[object]]:
    """Each repair as [start, end, kind, before] in display-text offsets (end == start: text removed there).

    Repairs are recorded against the raw text; they are sorted and non-overlapping, so each one's
    display position is its raw position shifted by what the earlier repairs added or removed.
    """
    marks: list[list[object]] = []
    shift = 0
    for rep in ex.repairs:
        start = rep.start + shift
        marks.append([start, start + len(rep.after), rep.kind, rep.before[:200]])
        shift += len(rep.after) - (rep.end - rep.start)
    return marks


def _measure_row(doc_id: str, ordinal: int, m: Measure) -> dict[str, Any]:
    row = {
        "id": m.id, "doc_id": doc_id, "ordinal": ordinal, "title": m.title, "section": m.section,
        "text": m.text, "text_s": match_text(m.text), "title_s": match_text(m.title),
        "deadline": m.deadline, "start": m.span[0], "end": m.span[1], "evidence": m.evidence,
    }
    return {k: v for k, v in row.items() if v is not None}


def _add_entities(payload: DocumentPayload, ex: Extraction, resolved: dict[str, str]) -> None:
    rows: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    numbers = cited_numbers(ex)
    for e in ex.entities:
        if e.type in ENTITY_LABELS:
            row = {"id": e.id, "name": e.name, "kind": e.kind, "region": e.region}
            rows[e.type][e.id] = {k: v for k, v in row.items() if v is not None}
        elif e.type == "Policy" and e.id != ex.document.id and e.id not in resolved:  # cited, not loaded (yet)
            number = numbers.get(e.id) or None
            rows["Policy"][e.id] = {"id": e.id, "title": e.name, **({"doc_number": number} if number else {}),
                                    **keys_of(e.name, number).as_props()}
    for m in ex.measures:  # units named only in tags still become nodes
        for unit in m.lead + m.support:
            rows["Department"].setdefault(unit.id, {"id": unit.id, "name": unit.name})
    for label, by_id in sorted(rows.items()):
        param = f"ent_{label.lower()}"
        payload.entity_params[param] = label
        payload.params[param] = list(by_id.values())


def _unit_relations(ex: Extraction) -> list[Relation]:
    rels: list[Relation] = []
    for m in ex.measures:
        ev = _unit_evidence(ex.document.text, m)
        rels += [_unit_relation("LEADS", u, m, ev) for u in m.lead]
        rels += [_unit_relation("SUPPORTS", u, m, ev) for u in m.support]
    return rels


def _unit_evidence(text: str, m: Measure) -> Evidence:
    """Where the units of a measure were read: their sentence or tag in the text, else the measure itself."""
    pos = text.find(m.evidence, m.span[0]) if m.evidence else -1
    if pos < 0 and m.evidence:
        pos = text.find(m.evidence)
    if pos >= 0:
        return Evidence(pos, pos + len(m.evidence), m.evidence)
    return Evidence(m.span[0], m.span[1], text[m.span[0]:m.span[1]][:500])


def _unit_relation(rel_type: str, unit: UnitRef, m: Measure, ev: Evidence) -> Relation:
    props = (("role", unit.role), ("rank", unit.rank), ("mention", unit.mention), ("evidence", m.evidence))
    return Relation(rel_type, unit.id, m.id, Evidence(ev.start, ev.end, ""), props)


def _add_relations(payload: DocumentPayload, relations: list[Relation]) -> None:
    groups: dict[tuple[str, str, str], dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for r in relations:
        src, dst = label_of(r.from_id), label_of(r.to_id)
        if r.type not in RELATION_TYPES or src not in NODE_LABELS or dst not in NODE_LABELS:
            continue  # the extractor's contract forbids these; never build Cypher from them
        props = dict(r.props)
        props["doc"] = payload.doc_id
        if r.evidence is not None:  # LEADS/SUPPORTS keep their text in `evidence` already
            props.update(ev_start=r.evidence.start, ev_end=r.evidence.end)
            if r.evidence.text:
                props["ev_text"] = r.evidence.text
        clean = {k: v for k, v in props.items() if isinstance(v, str | int | float | bool)}
        groups[(r.type, src, dst)][(r.from_id, r.to_id)] = {"src": r.from_id, "dst": r.to_id, "props": clean}
    for i, (shape, rows) in enumerate(sorted(groups.items())):
        param = f"rel_{i}"
        payload.rel_params[param] = shape
        payload.params[param] = list(rows.values())
