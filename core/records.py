"""Typed records that the extraction stages hand to the load step.

These are the contract between `loaders/` (which produces them), `graph/` and
`search/` (which store them); their types come from `core.vocab`.  They are plain
dataclasses: no driver objects, no sessions.  `Extraction.to_json()` gives the JSON-lines schema printed by
`python -m loaders extract`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: a character span of the document's display text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class UnitRef:
    """One unit (department or collective group) named in a measure's tag or prose."""

    mention: str  # the unit as written, simplified characters
    name: str  # canonical name, e.g. 淮北市科学技术局
    id: str  # canonical entity id (see Entity.id)
    role: str = ""  # the original role word: 牵头单位, 配合单位, 责任单位, 负责 ...
    rank: int = 0  # position in the tag's list, 0 = first


@dataclass
class Measure:
    """One measure (task) of a policy with its lead and supporting units."""

    id: str
    title: str  # heading such as 改革人才评价机制 ("" when none)
    section: str  # section path, e.g. "二、即知即改任务清单 / (一)…"
    text: str  # measure text without its agency tag (display characters)
    lead: list[UnitRef] = field(default_factory=list)
    support: list[UnitRef] = field(default_factory=list)
    deadline: str | None = None  # "2020-06", "2024", or kept text such as 持续推进
    span: tuple[int, int] = (0, 0)  # span of the measure in Document.text
    evidence: str = ""  # the sentence / tag the units were read from
    rule: str = ""  # which reading assigned the units: labelled / verb / bare-list / table / subject / …


@dataclass
class Entity:
    """A department, programme, platform or region."""

    id: str
    type: str  # one of core.vocab.ENTITY_TYPES
    name: str
    aliases: list[str] = field(default_factory=list)
    region: str | None = None  # canonical region name, for departments
    kind: str = ""  # e.g. "group" for collective units, "division" for 处/科/司


@dataclass(frozen=True)
class Relation:
    """A typed edge between two entity/measure/policy ids, with its evidence."""

    type: str  # one of core.vocab.RELATION_TYPES
    from_id: str
    to_id: str
    evidence: Evidence | None = None
    props: tuple[tuple[str, Any], ...] = ()  # e.g. (("role", "牵头单位"), ("rank", 0))


@dataclass(frozen=True)
class Repair:
    """One repair applied to the raw text (pinyin removed, mojibake fixed, 年 added ...)."""

    kind: str
    start: int  # span in the raw decoded text
    end: int
    before: str
    after: str


@dataclass
class Document:
    """Document-level metadata and its display text (repaired, original characters)."""

    id: str  # what the policy is: from its 文号, issuer + title, or relative path (see core.ids)
    version: str  # content hash of the raw bytes of the file its facts come from
    source: str  # that file's path relative to the folder (or file) it was loaded from
    title: str
    text: str  # display text: repaired, boilerplate removed, original script
    issuers: list[str] = field(default_factory=list)
    date: str | None = None  # ISO yyyy-mm-dd or yyyy-mm
    doc_number: str | None = None
    region: str | None = None
    encoding: str = ""
    url: str | None = None
    valid_until: str | None = None
    effective_from: str | None = None
    addressees: list[str] = field(default_factory=list)
    id_basis: str = ""  # how the id was derived: doc_number | issuer_title | path
    # Every file this policy was loaded from (the gov.cn page and its PDF), the one its facts come
    # from first: relative paths, fingerprints of their locations, content versions.  Filled by the
    # load step (loaders.identity); empty in a bare extraction.
    sources: list[str] = field(default_factory=list)
    source_keys: list[str] = field(default_factory=list)
    source_versions: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything extracted from one document."""

    source: str
    document: Document
    measures: list[Measure] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    selfcheck: Any = None  # loaders.selfcheck.SelfCheck: did the extractor understand the assignments?

    def to_json(self) -> dict[str, Any]:
        """The JSON object printed by `python -m loaders extract` (one per line)."""
        doc = self.document
        return {
            "source": self.source,
            "document": {
                "id": doc.id,
                "id_basis": doc.id_basis,
                "title": doc.title,
                "issuers": doc.issuers,
                "date": doc.date,
                "doc_number": doc.doc_number,
                "region": doc.region,
                "encoding": doc.encoding,
                "effective_from": doc.effective_from,
                "valid_until": doc.valid_until,
            },
            "measures": [_measure_json(m) for m in self.measures],
            "entities": [asdict(e) for e in self.entities],
            "relations": [_relation_json(r) for r in self.relations],
            "repairs": [asdict(r) for r in self.repairs],
            "warnings": self.warnings,
            "selfcheck": self.selfcheck.to_json() if self.selfcheck is not None else None,
        }


@dataclass(frozen=True)
class LoadError:
    """A file that could not be read or parsed: names the file and the reason."""

    source: str
    reason: str
    zh: str = ""  # the reason in Chinese, for web pages: no server path, says what to do

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "error": self.reason, "error_zh": self.zh}


def _unit_json(u: UnitRef) -> dict[str, Any]:
    return {"mention": u.mention, "name": u.name, "id": u.id, "role": u.role, "rank": u.rank}


def _measure_json(m: Measure) -> dict[str, Any]:
    return {
        "id": m.id,
        "title": m.title,
        "section": m.section,
        "text": m.text,
        "lead": [_unit_json(u) for u in m.lead],
        "support": [_unit_json(u) for u in m.support],
        "deadline": m.deadline,
        "span": list(m.span),
        "rule": m.rule,
    }


def _relation_json(r: Relation) -> dict[str, Any]:
    out: dict[str, Any] = {"type": r.type, "from": r.from_id, "to": r.to_id}
    out["evidence"] = asdict(r.evidence) if r.evidence else None
    if r.props:
        out["props"] = dict(r.props)
    return out
