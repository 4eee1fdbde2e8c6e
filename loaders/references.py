"""Documents a document cites (《title》(文号)): CITES, IMPLEMENTS and repeals; then the programmes and
platforms it names (loaders.named).

Relations: CITES (document → cited policy, with the title and 文号 as written; `repeals` when the document
says the cited one is 废止), IMPLEMENTS (为贯彻落实 / 根据 / 按照《X》, and the titles listed right after →
the document or measure implements X).  A cited policy is a placeholder (`EntityTable.cited`) until the
load step resolves it to a loaded policy (graph.store, core.citekeys).
"""

from __future__ import annotations

import logging
import re

from core.citekeys import NUMBER, keys_of
from core.records import Evidence, Extraction
from core.text import match_text
from loaders.entities import EntityTable
from loaders.named import PlatformMention, add_named_things

log = logging.getLogger(__name__)

_CITED = re.compile(r"《(?P<t>[^《》\n]{4,80})》")
_IMPLEMENTS_POLICY = re.compile(r"(贯彻落实|贯彻|落实|根据|依据|按照)[^。;,《》\n]{0,16}$")
# What may stand between two titles of one list (`根据《A》(文号)、《B》和《C》`): the next title is
# governed by the same verb as the first.
_LIST_GAP = re.compile(r"^(?:\s*\((?:[^()\n]|\([^()\n]{0,8}\)){0,40}\))?\s*(?:、|和|及|以及|与|,)?\s*$")
_CITED_NUMBER = re.compile(rf"(?:的(?:通知|函|决定))?\s*\(\s*(?P<n>{NUMBER.pattern})")
# `原《A》(文号)和《B》同时废止`: the titles before 废止 in one clause are repealed by this document.
_REPEALED = re.compile(r"[^,。;:\n]{0,160}?(?:同时|予以|一并)?废止")
# 《X》 inside `(以下简称《X》)` / `(简称“《X》”)` is a short name of a title already cited.
_ALIAS_BEFORE = re.compile(r"简称[“\"]?$")
_ISSUES = re.compile(r"(?:印发|转发|下发|发布)[《<]?(?P<x>[^《》<>]{4,}?)[》>]?(?:的(?:通知|决定|函))?$")


def _names_itself(title: str, own: str) -> bool:
    """A title that is the document's own: its title, or the plan its 印发…的通知 transmits (written with or
    without 的).  A title merely inside the document's title (关于贯彻落实《X》的实施意见) is not."""
    def bare(text: str) -> str:
        return re.sub(r"[的\W_]", "", text)
    mine = {bare(keys_of(own).t), bare(keys_of(own).s), bare(own)}
    if m := _ISSUES.search(re.sub(r"\s+", "", own)):
        mine.add(bare(m.group("x")))
    cited = bare(title)
    return bool(cited) and (cited in mine or bare(keys_of(title).t) in mine)


def add_references(ex: Extraction, match: str, table: EntityTable) -> list[PlatformMention]:
    """Add CITES / IMPLEMENTS / MENTIONS relations; returns where platforms are named."""
    display = ex.document.text
    own = match_text(ex.document.title)

    def where(pos: int) -> str | None:
        return next((x.id for x in ex.measures if x.span[0] <= pos < x.span[1]), None)

    def evidence(start: int, end: int) -> Evidence:
        return Evidence(start, end, display[start:end])

    implemented_until = -1  # end of the last title that a 贯彻落实/根据… governs
    last: tuple[str, dict[str, str]] | None = None
    aliases: dict[str, tuple[str, dict[str, str]]] = {}  # (以下简称《X》): 《X》 is the title cited before it
    for m in _CITED.finditer(match):
        title = m.group("t")
        if _ALIAS_BEFORE.search(match, max(0, m.start() - 6), m.start()):
            if last is not None:
                aliases[title] = last
            continue
        if _names_itself(title, own):
            continue
        number = _CITED_NUMBER.match(match, m.end())
        end = number.end() if number else m.end()
        pid, props = aliases.get(title) or _cited(table, display, m, number)
        last = (pid, props)
        repeal = _REPEALED.match(match, end)
        extra = {"repeals": True} if repeal else {}
        table.relate("CITES", ex.document.id, pid, evidence(m.start(), repeal.end() if repeal else end), **props,
                     **extra)
        governed = _IMPLEMENTS_POLICY.search(match, max(0, m.start() - 24), m.start()) or (
            implemented_until >= 0 and _LIST_GAP.match(match[implemented_until:m.start()]))
        if governed:
            table.relate("IMPLEMENTS", where(m.start()) or ex.document.id, pid, evidence(m.start(), end), **props)
        implemented_until = m.end() if governed else -1
    return add_named_things(ex, match, table, where, evidence)


def _cited(table: EntityTable, display: str, m: re.Match[str],
           number: re.Match[str] | None) -> tuple[str, dict[str, str]]:
    """The placeholder a citation 《title》(文号) points at, and the props every edge to it keeps."""
    written = display[m.start("t"):m.end("t")]
    doc_number = display[number.start("n"):number.end("n")] if number else None
    return table.cited(m.group("t"), written, doc_number), {"cited": written, "cited_no": doc_number or ""}
