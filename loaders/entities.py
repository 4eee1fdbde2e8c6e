"""Entities and relations of one document: departments, regions, cited policies, programmes, platforms."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from core.citekeys import keys_of, placeholder_id
from core.ids import entity_id
from core.records import Entity, Evidence, Relation
from core.regions import NATIONAL, region
from loaders.departments import Resolved

log = logging.getLogger(__name__)


@dataclass
class EntityTable:
    """Entities by id (aliases merged) and the relations between them, in insertion order."""

    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def department(self, unit: Resolved) -> str:
        """Id of a resolved unit's Department entity (created on first sight), with its region and parent."""
        eid = entity_id("Department", unit.name)
        ent = self._upsert(eid, "Department", unit.name, unit.mention)
        ent.region = ent.region or unit.region
        ent.kind = ent.kind or unit.kind
        if unit.region:
            self.relate("LOCATED_IN", eid, self.region(unit.region),
                        derived=f"由部门名称推出：{unit.name}（原文“{unit.mention}”）位于{unit.region}")
        if unit.parent:
            parent = self._upsert(entity_id("Department", unit.parent), "Department", unit.parent, None)
            parent.region = parent.region or unit.region
            self.relate("PART_OF", eid, parent.id,
                        derived=f"由部门名称推出：{unit.name}（原文“{unit.mention}”）是{unit.parent}的内设机构")
        return eid

    def issued(self, unit: Resolved, doc_id: str, match: str, display: str) -> None:
        """ISSUED, with the first place the issuer is named (found in the match text, quoted from the display
        text: same offsets), else saying it comes from the document's metadata."""
        pos = match.find(unit.mention) if unit.mention else -1
        dept = self.department(unit)
        if pos >= 0:
            end = pos + len(unit.mention)
            self.relate("ISSUED", dept, doc_id, Evidence(pos, end, display[pos:end]))
        else:
            self.relate("ISSUED", dept, doc_id, derived=f"由文件元数据推出：发文机关“{unit.mention}”")

    def located(self, doc_id: str, region_name: str) -> None:
        """The document's region (read from its issuer and title)."""
        self.relate("LOCATED_IN", doc_id, self.region(region_name),
                    derived=f"由发文机关与标题推出：文件所属地区{region_name}")

    def region(self, name: str) -> str:
        """Id of a Region entity, with LOCATED_IN up to its province and 全国."""
        eid = entity_id("Region", name)
        if eid not in self.entities:
            self._upsert(eid, "Region", name, None)
            reg = region(name)
            parent = reg.parent if reg else None
            if parent and parent != name:
                self.relate("LOCATED_IN", eid, self.region(parent), derived=f"由行政区划推出：{name}属于{parent}")
            elif reg and reg.level == "province" and name != NATIONAL:
                self.relate("LOCATED_IN", eid, self.region(NATIONAL), derived=f"由行政区划推出：{name}属于{NATIONAL}")
        return eid

    def named(self, entity_type: str, name: str, alias: str | None = None) -> str:
        """Id of a Programme / Platform / Policy entity."""
        return self._upsert(entity_id(entity_type, name), entity_type, name, alias).id

    def cited(self, title: str, written: str, doc_number: str | None = None) -> str:
        """Id of the Policy node a citation 《title》(文号) points at until the load step resolves it to a
        loaded policy (graph.store): keyed on the 文号, else the normalised title, so 《X》 in two scripts
        or with and without its wrapper is one node."""
        return self._upsert(placeholder_id(keys_of(title, doc_number), title), "Policy", title, written).id

    def relate(self, rel_type: str, from_id: str, to_id: str, evidence: Evidence | None = None,
               **props: object) -> None:
        """Add a relation once per (type, from, to)."""
        key = (rel_type, from_id, to_id)
        if key in self._seen or from_id == to_id:
            return
        self._seen.add(key)
        self.relations.append(Relation(rel_type, from_id, to_id, evidence, tuple(props.items())))

    def _upsert(self, eid: str, entity_type: str, name: str, alias: str | None) -> Entity:
        ent = self.entities.get(eid)
        if ent is None:
            ent = self.entities[eid] = Entity(eid, entity_type, name)
        if alias and alias != name and alias not in ent.aliases:
            ent.aliases.append(alias)
        return ent
