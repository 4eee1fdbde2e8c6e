"""Cited policies (《…》), programmes (“百城百园”行动, 科创中国) and platforms named in a document.

A programme is a quoted name followed or ended by 行动/计划/工程/品牌 (“百城百园”行动, “科创中国”服务品牌);
a platform is a quoted name ending in 平台 or followed within a few characters by 平台 (“羚羊”工业互联网平台).

Programme names are canonical across documents: quotes dropped, the 行动/计划/工程 word kept once, so
“百城百园”行动 in one notice and 以实施“百城百园”行动为抓手 in another are one node; a long name with
`(以下简称“百城百园”行动)` is an alias of the short one. A bare “百城百园” in a document that names the
programme elsewhere is that programme.

Relations: CITES (document → cited policy), IMPLEMENTS (为贯彻落实《X》 → the document or measure implements X;
开展/实施“X”行动 → implements the programme), MENTIONS otherwise.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from loaders.citekeys import NUMBER
from loaders.entities import EntityTable
from loaders.normalise import match_text
from loaders.records import Evidence, Extraction

log = logging.getLogger(__name__)

_CITED = re.compile(r"《(?P<t>[^《》\n]{4,80})》")
_QUOTED = re.compile(r"[“\"](?P<q>[^“”\"\n]{2,30})[”\"](?P<tail>[\u4e00-\u9fff]{0,10})")
_PROGRAMME_END = re.compile(r"(行动|计划|工程|专项行动|专项)$")
_PROGRAMME_TAIL = re.compile(r"^(专项行动|行动|计划|工程|服务品牌|品牌)")
_PLATFORM_TAIL = re.compile(r"^[\u4e00-\u9fff]{0,8}?平台")
# Words that show the characters before 平台 are a clause, not part of the platform's name.
_CLAUSE_WORDS = re.compile(r"积极|应用|发布|加强|推动|开展|利用|依托|支持|通过|引导|鼓励|对接|参与|加入|入驻")
_SHORT_NAME = re.compile(r"\s*\(以下简称(?P<a>[^()\n]{2,30})\)")
_IMPLEMENTS_POLICY = re.compile(r"(贯彻落实|贯彻|落实|根据|依据|按照)[^。;《》\n]{0,16}$")
# What may stand between two titles of one list (`根据《A》(文号)、《B》和《C》`): the next title is
# governed by the same verb as the first.
_LIST_GAP = re.compile(r"^(?:\s*\((?:[^()\n]|\([^()\n]{0,8}\)){0,40}\))?\s*(?:、|和|及|以及|与|,)?\s*$")
_CITED_NUMBER = re.compile(rf"\s*\(\s*(?P<n>{NUMBER.pattern})")
_IMPLEMENTS_PROGRAMME = re.compile(r"(开展|实施|组织实施|启动|推进|落实|实施好|开展好)[^,。;“”\n]{0,2}$")


@dataclass(frozen=True)
class PlatformMention:
    """A platform named in the match text: its span and entity id (for OPERATES)."""

    start: int
    end: int
    id: str


def add_references(ex: Extraction, match: str, table: EntityTable) -> list[PlatformMention]:
    """Add CITES / IMPLEMENTS / MENTIONS relations; returns where platforms are named."""
    display = ex.document.text
    own = match_text(ex.document.title)

    def where(pos: int) -> str | None:
        return next((x.id for x in ex.measures if x.span[0] <= pos < x.span[1]), None)

    def evidence(start: int, end: int) -> Evidence:
        return Evidence(start, end, display[start:end])

    implemented_until = -1  # end of the last title that a 贯彻落实/根据… governs
    for m in _CITED.finditer(match):
        title = m.group("t")
        if title in own:
            continue
        number = _CITED_NUMBER.match(match, m.end())
        written = display[m.start("t"):m.end("t")]
        doc_number = display[number.start("n"):number.end("n")] if number else None
        pid = table.cited(title, written, doc_number)
        end = number.end() if number else m.end()
        props = {"cited": written, "cited_no": doc_number or ""}
        table.relate("CITES", ex.document.id, pid, evidence(m.start(), end), **props)
        governed = _IMPLEMENTS_POLICY.search(match, max(0, m.start() - 24), m.start()) or (
            implemented_until >= 0 and _LIST_GAP.match(match[implemented_until:m.start()]))
        if governed:
            table.relate("IMPLEMENTS", where(m.start()) or ex.document.id, pid, evidence(m.start(), end), **props)
            implemented_until = m.end()
        else:
            implemented_until = -1
    return _named_things(ex, match, table, where, evidence)


def _named_things(ex, match, table, where, evidence) -> list[PlatformMention]:
    found = []
    for m in _QUOTED.finditer(match):
        kind, name = named_thing(m.group("q"), m.group("tail"))
        alias = _SHORT_NAME.match(match, m.end("q") + 1)
        if kind is not None and alias:
            short = alias.group("a")
            q = re.match(r"^[“\"](?P<q>[^”\"]+)[”\"](?P<tail>.*)$", short)
            short_kind, short_name = named_thing(q.group("q"), q.group("tail")) if q else (kind, short)
            if kind == "Programme" and short_kind == "Programme":
                found.append((m, kind, short_name, m.group("q")))
                continue
            found.append((m, kind, name, None))
            if kind == "Platform":
                found.append((None, kind, name, re.sub(r"[“”\"]", "", short)))
            continue
        found.append((m, kind, name, None))
    programmes = {_core(n): n for _, k, n, _ in found if k == "Programme"}
    platforms: list[PlatformMention] = []
    short_platforms: dict[str, str] = {}
    for m, kind, name, alias in found:
        if m is None:
            short_platforms[alias] = table.named(kind, name, alias)
            continue
        if kind is None:
            if _core(m.group("q")) not in programmes:
                continue
            kind, name = "Programme", programmes[_core(m.group("q"))]
        eid = table.named(kind, name, alias)
        ev = evidence(m.start(), m.end())
        measure = where(m.start())
        if kind == "Platform":
            platforms.append(PlatformMention(m.start(), m.end(), eid))
            table.relate("MENTIONS", measure or ex.document.id, eid, ev)
            continue
        launched = bool(_IMPLEMENTS_PROGRAMME.search(match, max(0, m.start() - 8), m.start()))
        if measure is not None:
            table.relate("IMPLEMENTS", measure, eid, ev)
        if launched:
            table.relate("IMPLEMENTS", ex.document.id, eid, ev)
        elif measure is None:
            table.relate("MENTIONS", ex.document.id, eid, ev)
    for short, eid in short_platforms.items():
        for m in re.finditer(re.escape(short), match):
            platforms.append(PlatformMention(m.start(), m.end(), eid))
    return platforms


def canonical(quoted: str) -> str:
    """A quoted name without its quotes and spaces: 科技抗疫-先进技术推广应用‘百城百园’行动 → …百城百园行动."""
    return re.sub(r"[‘’'\"“”\s]", "", quoted)


def _core(name: str) -> str:
    return re.sub(r"(专项行动|行动|计划|工程)$", "", canonical(name))


def named_thing(quoted: str, tail: str) -> tuple[str | None, str]:
    """("Programme" | "Platform" | None, canonical name) for a quoted name and the characters after it."""
    name = canonical(quoted)
    if name.endswith("平台"):
        return "Platform", name
    if (p := _PLATFORM_TAIL.match(tail)) and not _PROGRAMME_END.search(name) \
            and not _CLAUSE_WORDS.search(p.group()):
        return "Platform", name + p.group()
    if (t := _PROGRAMME_TAIL.match(tail)) and t.group() in ("行动", "专项行动", "计划", "工程"):
        return "Programme", name if name.endswith(t.group()) else name + t.group()
    if _PROGRAMME_TAIL.match(tail) or _PROGRAMME_END.search(name):
        return "Programme", name
    return None, name
