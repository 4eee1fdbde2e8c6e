"""Relations read from prose between departments and things: REPORTS_TO and OPERATES.

- `省级科技部门要于10月31日前向科技部报送…` / `各责任单位要将…报省科技领导小组办公室` → REPORTS_TO.
- `科技部将进一步加强“…平台”建设` / `由X负责建设运营…平台` → X OPERATES the platform.
Evidence is the sentence. Reporting and operating bodies must open the sentence (or follow 由), so a bare
mention of a department never becomes an edge.
"""

from __future__ import annotations

import logging
import re

from core.records import Evidence, Extraction
from loaders.actors import reports, sentence_actor, sentences, unit_list
from loaders.departments import Resolver
from loaders.entities import EntityTable
from loaders.named import PlatformMention

log = logging.getLogger(__name__)

_OPERATE_AFTER = re.compile(r"\s*(?:\([^()\n]{0,30}\))?\s*(?:的)?(?:建设|运营|运行|管理|维护|搭建|升级)")
_OPERATE_BEFORE = re.compile(r"(?:建设|运营|运行|管理|维护|搭建|建立|开通|打造|上线)(?:好|完善)?$")
_BY_OPERATOR = re.compile(r"由(?P<x>[^,。;由()]{2,30}?)(?:负责|牵头)?(?:建设|运营|运行|管理|维护|搭建)")


def add_links(ex: Extraction, match: str, resolver: Resolver, table: EntityTable,
              platforms: list[PlatformMention]) -> None:
    """Add REPORTS_TO and OPERATES relations found in the document's sentences."""
    display = ex.document.text
    for actor, recipients, _ in reports(match):
        ev = Evidence(actor.start, actor.end, display[actor.start:actor.end])
        for sender in resolver.resolve_list(actor.units):
            for receiver in resolver.resolve_list(recipients):
                table.relate("REPORTS_TO", table.department(sender), table.department(receiver), ev)
    bounds = list(sentences(match))
    for p in platforms:
        s, e = next(((a, b) for a, b in bounds if a <= p.start < b), (p.start, p.end))
        operators = _operators(match, s, e, p)
        if not operators:
            continue
        ev = Evidence(s, e, display[s:e])
        for unit in resolver.resolve_list(operators):
            table.relate("OPERATES", table.department(unit), p.id, ev)


def _operators(match: str, s: int, e: int, p: PlatformMention) -> list[str]:
    for m in _BY_OPERATOR.finditer(match, s, e):
        if m.start() < p.end + 30 and (units := unit_list(m.group("x"))):
            return units
    near = _OPERATE_AFTER.match(match, p.end, e) or _OPERATE_BEFORE.search(match, max(s, p.start - 8), p.start)
    actor = sentence_actor(match, s, e)
    if near and actor is not None and actor.verb not in ("按照", "根据"):
        return actor.units
    return []
