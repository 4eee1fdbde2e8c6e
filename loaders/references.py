"""Cited policies (《…》), programmes (“百城百园”行动, 科创中国) and platforms named in a document.

A programme is a quoted name followed or ended by 行动/计划/工程/品牌 (“百城百园”行动, “科创中国”服务品牌);
a platform is a quoted name followed within a few characters by 平台 (“羚羊”工业互联网平台).
"""

from __future__ import annotations

import logging
import re

from loaders.entities import EntityTable
from loaders.normalise import match_text
from loaders.records import Evidence, Extraction

log = logging.getLogger(__name__)

_CITED = re.compile(r"《(?P<t>[^《》\n]{4,80})》")
_QUOTED = re.compile(r"[“\"](?P<q>[^“”\"\n]{2,24})[”\"](?P<tail>[\u4e00-\u9fff]{0,10})")
_PROGRAMME_END = re.compile(r"(行动|计划|工程|专项行动|专项)$")
_PROGRAMME_TAIL = re.compile(r"^(专项行动|行动|计划|工程|服务品牌|品牌)")
_PLATFORM_TAIL = re.compile(r"^[\u4e00-\u9fff]{0,8}?平台")


def add_references(ex: Extraction, match: str, table: EntityTable) -> None:
    """Add CITES relations (document → cited policy)."""
    display = ex.document.text
    own = match_text(ex.document.title)
    for m in _CITED.finditer(match):
        title = m.group("t")
        if title in own:
            continue
        pid = table.named("Policy", title, display[m.start("t"):m.end("t")])
        table.relate("CITES", ex.document.id, pid, Evidence(m.start(), m.end(), display[m.start():m.end()]))
    for m in _QUOTED.finditer(match):
        kind, name = _named_thing(m.group("q"), m.group("tail"))
        if kind is None:
            continue
        eid = table.named(kind, name)
        evidence = Evidence(m.start(), m.end(), display[m.start():m.end()])
        measure = next((x for x in ex.measures if x.span[0] <= m.start() < x.span[1]), None)
        if measure is not None and kind == "Programme":
            table.relate("IMPLEMENTS", measure.id, eid, evidence)
        else:
            table.relate("MENTIONS", measure.id if measure else ex.document.id, eid, evidence)


def _named_thing(quoted: str, tail: str) -> tuple[str | None, str]:
    """("Programme" | "Platform" | None, canonical name) for a quoted name and the characters after it."""
    if (p := _PLATFORM_TAIL.match(tail)) and not _PROGRAMME_END.search(quoted):
        return "Platform", quoted + p.group()
    if (t := _PROGRAMME_TAIL.match(tail)) and t.group() in ("行动", "专项行动", "计划", "工程"):
        return "Programme", quoted + t.group()
    if _PROGRAMME_TAIL.match(tail) or _PROGRAMME_END.search(quoted):
        return "Programme", quoted
    return None, quoted
