"""Programmes (“百城百园”行动, 科创中国) and platforms (“羚羊”工业互联网平台, 江西省小微客户融资服务平台)
named in a document.

A programme is a quoted name followed or ended by 行动/计划/工程/品牌 (“百城百园”行动, “科创中国”服务品牌);
a platform is a quoted name ending in 平台 or followed within a few characters by 平台 (“羚羊”工业互联网平台),
or an unquoted name that starts with a region (or 全国/国家/中国) and ends in 平台.  Names must be well formed
(`loaders.names`): no clause, no list, no kind of thing instead of a named one.

Programme names are canonical across documents: quotes dropped, the 行动/计划/工程 word kept once, so
“百城百园”行动 in one notice and 以实施“百城百园”行动为抓手 in another are one node; a long name with
`(以下简称“百城百园”行动)` is an alias of the short one, and the halves of a programme (“百城”行动, “百园”行动)
are that programme. A bare “百城百园” in a document that names the programme elsewhere is that programme.

Relations: IMPLEMENTS (开展/实施“X”行动, or a measure about it → the programme), MENTIONS otherwise.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from core.records import Evidence, Extraction
from core.regions import region_prefix
from loaders.entities import EntityTable
from loaders.names import is_concept, programme_name, well_formed

log = logging.getLogger(__name__)

_QUOTED = re.compile(r"[“\"](?P<q>[^“”\"\n]{2,30})[”\"](?P<tail>[\u4e00-\u9fff]{0,10})")
_PROGRAMME_END = re.compile(r"(行动|计划|工程|专项行动|专项)$")
_PROGRAMME_TAIL = re.compile(r"^(专项行动|行动计划|行动|计划|工程|服务品牌|品牌)")
_PLATFORM_TAIL = re.compile(r"^[\u4e00-\u9fff]{0,8}?平台")
# Words that show the characters before 平台 are a clause, not part of the platform's name.
_CLAUSE_WORDS = re.compile(r"积极|应用|发布|加强|推动|开展|利用|依托|支持|通过|引导|鼓励|对接|参与|加入|入驻")
_SHORT_NAME = re.compile(r"\s*\(以下简称(?P<a>[^()\n]{2,30})\)")
_IMPLEMENTS_PROGRAMME = re.compile(r"(开展|实施|组织实施|启动|推进|落实|实施好|开展好)[^,。;“”\n]{0,2}$")


@dataclass(frozen=True)
class PlatformMention:
    """A platform named in the match text: its span and entity id (for OPERATES)."""

    start: int
    end: int
    id: str

def add_named_things(ex: Extraction, match: str, table: EntityTable, where: Callable[[int], str | None],
                     evidence: Callable[[int, int], Evidence]) -> list[PlatformMention]:
    """Add the programmes and platforms a document names (IMPLEMENTS / MENTIONS); where platforms are named."""
    found = _quoted_names(match)
    programmes = _merge_parts({_core(n): n for _, k, n, _ in found
                               if k == "Programme" and programme_name(n, n[len(_core(n)):])})
    _check_platforms(found, match, programmes)
    platforms: list[PlatformMention] = []
    short_platforms: dict[str, str] = {}
    for m, kind, name, alias in found:
        if m is None:
            short_platforms[alias] = table.named(kind, name, alias)
            continue
        if kind is None or (kind == "Programme" and _core(name) not in programmes):
            if _core(m.group("q")) not in programmes:
                continue
            kind, name = "Programme", programmes[_core(m.group("q"))]
        elif kind == "Programme" and programmes.get(_core(name), name) != name:
            name, alias = programmes[_core(name)], alias or name
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
    for start, end, name in _regional_platforms(match):
        eid = table.named("Platform", name)
        platforms.append(PlatformMention(start, end, eid))
        table.relate("MENTIONS", where(start) or ex.document.id, eid, evidence(start, end))
    return platforms


def _quoted_names(match: str) -> list:
    """(match, kind, name, alias) for each quoted name (kind None: not a programme or platform by itself),
    and (None, "Platform", name, short name) for a platform's `(以下简称“X”)`."""
    found: list[tuple[re.Match[str] | None, str | None, str, str | None]] = []
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
        if (kind == "Platform" and "等" in m.group("tail")) or (kind == "Programme" and m.group("tail")[:1] == "等"):
            _list_before(found, match, kind)
    return found


def _check_platforms(found: list, match: str, programmes: dict[str, str]) -> None:
    """Keep well-formed platform names; a short or ill-formed one named by the same quoted term as a
    well-formed one is that platform (“羚羊”平台 and “羚羊”工业互联网等平台); other ones are dropped."""
    concepts: dict[str, bool] = {}

    def ok(m: re.Match[str], name: str) -> bool:
        term = canonical(m.group("q"))
        if term not in concepts:
            concepts[term] = term not in programmes and is_concept(term, match)
        return well_formed(name, "平台") and not concepts[term]

    verdicts = {i: ok(m, n) for i, (m, k, n, _) in enumerate(found) if k == "Platform" and m is not None}
    named = {canonical(found[i][0].group("q")): found[i][2] for i, good in verdicts.items() if good}
    for i, good in verdicts.items():
        if not good:
            m, _kind, name, _alias = found[i]
            other = named.get(canonical(m.group("q")))
            found[i] = (m, "Platform", other, name) if other else (m, None, name, None)


_PLATFORM_RUN = re.compile(r"[\u4e00-\u9fff()]{4,30}?平台")
_NATIONWIDE = ("全国", "国家", "中国")
# Words before a name that make it a kind of platform: …等国家科技创新平台, 一批国家高水平大学科研平台.
_KIND_BEFORE = re.compile(r"(等|一批|若干|各类|各级|多个|拥有)$")


def _regional_platforms(match: str) -> list[tuple[int, int, str]]:
    """Platforms named without quotes but with a region (or 全国/国家/中国) first: 江西省小微客户融资服务平台,
    全国一体化政务服务平台; the name starts at the first region that leaves a well-formed name with a part
    of its own besides regions (中国(内蒙古)平台 has none)."""
    out = []
    for m in _PLATFORM_RUN.finditer(match):
        run = m.group()
        for i in range(len(run) - 4):
            name = run[i:]
            prefix = region_prefix(name)
            if not (prefix or name.startswith(_NATIONWIDE)) or name.startswith(("国家级", "全国性")):
                continue
            if _KIND_BEFORE.search(match, max(0, m.start() + i - 2), m.start() + i):
                break
            own = re.sub(r"\([^()]*\)", "", name[len(prefix[1]) if prefix else 2:-2])
            if well_formed(name, "平台") and len(own) >= 3:
                out.append((m.start() + i, m.end(), name))
            break
    return out


def _list_before(found: list, match: str, kind: str) -> None:
    """“A”“B”、“C”等平台 / “A”“B”“C计划”等活动: the quoted names listed right before the one that ends the
    list are of its kind too."""
    i = len(found) - 1
    while i > 0:
        prev, cur = found[i - 1][0], found[i][0]
        if prev is None or cur is None or found[i - 1][1] is not None \
                or not re.fullmatch(r"[、,和及]?", match[prev.end():cur.start()]) or prev.group("tail"):
            return
        found[i - 1] = (prev, kind, canonical(prev.group("q")), None)
        i -= 1


def _merge_parts(programmes: dict[str, str]) -> dict[str, str]:
    """Programme core → name, a part of another programme's name being that programme: “百城”行动 and
    “百园”行动 are the two halves of “百城百园”行动, one programme."""
    out = dict(programmes)
    for whole in programmes:
        for part in programmes:
            rest = whole[len(part):] if whole.startswith(part) else ""
            if part != whole and rest in programmes and rest != part:
                out[part] = out[rest] = programmes[whole]
    return out


def canonical(quoted: str) -> str:
    """A quoted name without its quotes and spaces: 科技抗疫-先进技术推广应用‘百城百园’行动 → …百城百园行动."""
    return re.sub(r"[‘’'\"“”\s]", "", quoted)


def _core(name: str) -> str:
    return re.sub(r"(专项行动|行动计划|行动|计划|工程)$", "", canonical(name))


def named_thing(quoted: str, tail: str) -> tuple[str | None, str]:
    """("Programme" | "Platform" | None, canonical name) for a quoted name and the characters after it."""
    name = canonical(quoted)
    if name.endswith("平台"):
        return "Platform", name
    if (p := _PLATFORM_TAIL.match(tail)) and not _PROGRAMME_END.search(name) \
            and not _CLAUSE_WORDS.search(p.group()) and "的" not in p.group():
        # “羚羊”工业互联网等平台: the platform is 羚羊工业互联网平台, one of several; “A”“B”等平台: A and B.
        before, _, _ = p.group().partition("等")
        return "Platform", name + (before + "平台" if before else "") if "等" in p.group() else name + p.group()
    if (t := _PROGRAMME_TAIL.match(tail)) and t.group() in ("行动", "专项行动", "行动计划", "计划", "工程"):
        return "Programme", name if name.endswith(t.group()) else name + t.group()
    if _PROGRAMME_TAIL.match(tail) or _PROGRAMME_END.search(name):
        return "Programme", name
    return None, name
