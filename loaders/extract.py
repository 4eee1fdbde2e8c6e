"""Public entry point: a file (path or bytes) → an `Extraction` (document, measures, entities, relations).

Pipeline: read (sniff format, decode) → html/markdown to text → repair → match text (t2s + width fold,
offset-preserving) → metadata → measures and tags (or, in documents without any tag, the numbered task items
with units from their prose) → department resolution → entities and relations (ISSUED, CONTAINS, LEADS,
SUPPORTS, CITES, IMPLEMENTS, MENTIONS, REPORTS_TO, OPERATES).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from core.ids import content_version, document_identity, measure_id
from core.records import Document, Evidence, Extraction, Measure, UnitRef
from core.regions import region_prefix
from core.text import match_text
from loaders import selfcheck
from loaders.departments import Resolved, Resolver
from loaders.entities import EntityTable
from loaders.errors import LoaderError
from loaders.html import html_to_text
from loaders.links import add_links
from loaders.markdown import markdown_to_text
from loaders.measures import RawMeasure, find_measures
from loaders.metadata import Metadata, read_metadata
from loaders.read import read_bytes
from loaders.references import add_references
from loaders.repair import apply_repairs, find_repairs
from loaders.tags import TaggedUnit

log = logging.getLogger(__name__)


def extract_path(path: str | Path) -> Extraction:
    """Extract one file; raises LoaderError naming the file, the reason and what to do."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoaderError(
            f"{path}: cannot read the file ({exc.strerror}); check the path and permissions",
            "无法读取这个文件，请检查路径和文件权限。",
        ) from exc
    return extract_bytes(data, str(path))


def extract_bytes(data: bytes, source: str, name: str | None = None) -> Extraction:
    """Extract a document from its raw bytes; `source` names it in messages (its suffix is only a hint).

    `name` is what the document is stored as: its path relative to the folder (or file) it was loaded
    from (default: `source`).  Without a 文号 or an issuer and title, the document's id comes from it.
    """
    decoded = read_bytes(data, source)
    raw, page, page_title = decoded.text.replace("\r\n", "\n").replace("\r", "\n"), "", ""
    front: dict[str, str] = {}
    if decoded.format == "html":
        converted = html_to_text(raw)
        raw, page, page_title = converted.body, converted.page, converted.title
    elif decoded.format == "markdown":
        raw, front = markdown_to_text(raw)
    repairs = find_repairs(raw)
    display = apply_repairs(raw, repairs)
    if not display.strip():
        raise LoaderError(
            f"{source}: no text left after removing page chrome; check that it is a policy document",
            "去掉网页导航等内容后没有剩下正文，请确认这是一份政策文件。",
        )
    match = match_text(display)
    meta = read_metadata(match, match_text(page), match_text(page_title))
    _apply_front_matter(meta, front)
    doc = _document(name or source, data, display, meta, decoded.encoding)
    extraction = Extraction(source, doc, repairs=repairs, warnings=decoded.warnings + meta.warnings)
    _add_measures(extraction, match, meta)
    extraction.selfcheck = selfcheck.check(match, extraction.measures)
    log.debug("%s: %d measures, %d entities", source, len(extraction.measures), len(extraction.entities))
    return extraction


def _document(source: str, data: bytes, display: str, meta: Metadata, encoding: str) -> Document:
    start, end = meta.title_span
    title = display[start:end].replace("\n", "") if end else meta.title
    number = re.sub(r"\((\d{4})\)", r"〔\1〕", meta.doc_number) if meta.doc_number else None
    return Document(  # the id is set once the issuers are resolved (`_identify`)
        id="", version=content_version(data), source=source, title=title or meta.title,
        text=display, issuers=meta.issuers, date=meta.date, doc_number=number,
        region=meta.region.name if meta.region else None, encoding=encoding, addressees=meta.addressees,
        effective_from=meta.effective_from, valid_until=meta.valid_until,
    )


def _identify(doc: Document) -> None:
    """A policy's id from what it is: 文号, else canonical issuer + title (+ date), else its relative path."""
    doc.id, doc.id_basis = document_identity(doc.doc_number, doc.issuers, doc.title, doc.date, doc.source)


def _apply_front_matter(meta: Metadata, front: dict[str, str]) -> None:
    meta.title = front.get("title", meta.title)
    meta.date = front.get("date", meta.date)
    meta.doc_number = front.get("doc_number", front.get("文号", meta.doc_number))
    if "issuer" in front:
        meta.issuers = [front["issuer"]]


def _add_measures(ex: Extraction, match: str, meta: Metadata) -> None:
    doc = ex.document
    issuer_mentions = [i for i in meta.issuers if i]
    resolver = Resolver(meta.region)
    issuers = [resolver.resolve(i) for i in issuer_mentions]
    resolver.issuer = issuers[0].name if issuers else None
    table = EntityTable()
    doc.issuers = [u.name for u in issuers]
    _identify(doc)
    for unit in issuers:
        table.issued(unit, doc.id, match, doc.text)
    if doc.region:
        table.located(doc.id, doc.region)
    unglued: dict[str, str] = {}
    for ordinal, raw in enumerate(find_measures(match, meta.plan_year)):
        for tagged in raw.lead + raw.support:
            if tagged.mention not in unglued:
                unglued[tagged.mention] = _without_topic(tagged.mention, match)
            tagged.mention = unglued[tagged.mention]
        ex.measures.append(_measure(ex, raw, ordinal, resolver, table, match))
    platforms = add_references(ex, match, table)
    add_links(ex, match, resolver, table, platforms)
    ex.entities = list(table.entities.values())
    ex.relations = table.relations


_LEVEL = "区市县省"
_QUANTIFIER = re.compile(r"^(各|有关|相关|其他|其它|所在|属地|本|该|全|沿线|涉及|重点|部分)")


def _without_topic(mention: str, match: str) -> str:
    """A unit read together with the topic word written right before it (`(4)河道区水务局负责…`,
    `计量管理区绿化市容局负责…`): the unit alone, when the document itself says the glued prefix is no place —
    the unit (`区水务局`) stands elsewhere without it, the prefix (`河道`) stands elsewhere without the level
    character (twice or more), prefix + level (`河道区`) occurs nowhere else, and the glued form opens an item or
    a line. A real place (`黄浦区水务局`) fails the test: `黄浦区` stands elsewhere on its own, or `黄浦` is not
    written twice without `区`, or the unit stands in a list."""
    for cut in range(2, len(mention) - 2):
        if mention[cut] not in _LEVEL:
            continue
        prefix, unit = mention[:cut], mention[cut:]
        if not all("\u4e00" <= c <= "\u9fff" for c in prefix) or _QUANTIFIER.match(prefix) \
                or region_prefix(prefix) is not None:
            return mention  # `各有关区…` / `相关市人民政府`; a place (`济南市政府`)
        glued = match.count(mention)
        # and the glued form opens a numbered item or a line, where a topic is written before its unit (a
        # district named in a list, 、黄浦区水务局, is never taken for one)
        opens = re.search(rf"(?:^|\n|\))[ \t]*{re.escape(mention)}", match)
        if opens and match.count(unit) > glued and match.count(prefix + unit[0]) == glued \
                and match.count(prefix) >= glued + 2:
            return unit
    return mention


def _surface(mention: str, raw: RawMeasure, match: str, display: str) -> str:
    """A mention as the document writes it (traditional script, PDF radicals such as 人⺠政府): the display
    text where the folded mention stands in the tag; the folded mention when the tag was read across a
    line break."""
    lo, hi = min(raw.tag.start, raw.start), max(raw.tag.end, raw.end)
    at = match.find(mention, max(0, lo - 2), hi + 2)
    if at < 0 and mention.endswith("部门") and len(mention) > 3:
        # an area that shares the list's 部门 (`城管执法、交通等部门` → 城管执法部门): written as the bare area
        bare = mention[:-2]
        at = match.find(bare, max(0, lo - 2), hi + 2)
        return display[at:at + len(bare)] if at >= 0 else mention
    return display[at:at + len(mention)] if at >= 0 else mention


def _measure(ex: Extraction, raw: RawMeasure, ordinal: int, resolver: Resolver, table: EntityTable,
             match: str) -> Measure:
    display = ex.document.text
    mid = measure_id(ex.document.id, ordinal)
    tag_text = display[raw.tag.start:raw.tag.end]
    units = raw.lead + raw.support
    resolved = dict(zip(map(id, units), resolver.resolve_list([u.mention for u in units]), strict=True))
    evidence = Evidence(raw.tag.start, raw.tag.end, tag_text)
    table.relate("CONTAINS", ex.document.id, mid, Evidence(raw.start, raw.end, display[raw.start:raw.end]))

    def refs(group: list[TaggedUnit], rel: str) -> list[UnitRef]:
        out = []
        for unit in group:
            res: Resolved = resolved[id(unit)]
            rank = next(i for i, u in enumerate(raw.tag.units) if u is unit)
            eid = table.department(res)
            table.relate(rel, eid, mid, evidence, role=unit.role_word, rank=rank)
            out.append(UnitRef(_surface(unit.mention, raw, match, display), res.name, eid, unit.role_word, rank))
        return out

    return Measure(
        id=mid,
        title=display[raw.title[0]:raw.title[1]],
        section=" / ".join(display[a:b] for a, b in raw.section),
        text=display[raw.start:raw.end],
        lead=refs(raw.lead, "LEADS"),
        support=refs(raw.support, "SUPPORTS"),
        deadline=raw.deadline,
        span=(raw.start, raw.end),
        evidence=tag_text,
        rule=raw.tag.rule if raw.lead or raw.support else "",
    )
