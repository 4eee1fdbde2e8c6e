"""Hand-made extraction records for graph tests (independent of the extractor)."""

from __future__ import annotations

from core.ids import entity_id, measure_id
from core.records import Document, Entity, Evidence, Extraction, Measure, Relation, UnitRef


def unit(name: str, mention: str, rank: int = 0, role: str = "牵头单位") -> UnitRef:
    return UnitRef(mention=mention, name=name, id=entity_id("Department", name), role=role, rank=rank)


def extraction(doc_id: str, version: str, measures: list[tuple[str, list[UnitRef], list[UnitRef]]],
               issuer: str | None = None, groups: tuple[str, ...] | list[str] = ()) -> Extraction:
    """A document with the given (text, lead, support) measures."""
    doc = Document(id=doc_id, version=version, source=f"{doc_id}.txt", title=f"标题{doc_id}",
                   text="\n".join(t for t, _, _ in measures), date="2023-01-01")
    ms = [Measure(id=measure_id(doc_id, i), title="", section="", text=t, lead=lead, support=sup,
                  span=(0, len(t)), evidence=t) for i, (t, lead, sup) in enumerate(measures)]
    ex = Extraction(source=doc.source, document=doc, measures=ms)
    ex.entities += [Entity(entity_id("Department", g), "Department", g, kind="group") for g in groups]
    if issuer:
        dep = Entity(id=entity_id("Department", issuer), type="Department", name=issuer)
        ex.entities.append(dep)
        ex.relations.append(Relation("ISSUED", dep.id, doc_id, Evidence(0, 2, "发文"), (("mention", issuer),)))
    return ex
