"""Task items of documents without agency tags: numbered items in the task sections become measures.

A 通知 such as `二、实施内容 / (一)开展“百城”先进技术成果推广应用。…` or `三、重点任务 / 1.打造…平台。…` lists
its tasks without naming units in brackets. Items under sections about aims and principles (总体要求, 指导思想,
主要目标 ...) are not tasks; a top-level item with its own text (`一、以…为重点,发挥…。示范区要…`) is one.
Units come only from what the item's prose says (`科技部将…`, `由X负责`); otherwise the lead stays empty.
"""

from __future__ import annotations

import logging
import re

from loaders.actors import item_tag
from loaders.sections import Heading, Outline
from loaders.tags import split_roles

log = logging.getLogger(__name__)

_NOT_TASKS = re.compile(
    r"总体要求|指导思想|基本原则|工作原则|主要目标|工作目标|总体目标|发展目标|预期目标|重要意义|背景|适用范围|"
    r"进度安排|时间安排|实施步骤|工作步骤|步骤安排|时间节点|名词解释|附则|附件|联系方式|政策依据|申报"
)
_CLOSING = re.compile(r"^[ \t]*(联系人|联系电话|联系方式|附件|抄送|特此通知)", re.M)
_BULLET = re.compile(r"^[ \t]*(—+|-{2,}|●|◆|■)", re.M)
_MIN_ITEM = 12


def find_task_items(text: str, outline: Outline) -> list[tuple[int, int, int, Heading | None]]:
    """(item start, text start, end, heading) of each untagged task item, in order."""
    heads = outline.headings
    if not heads:
        return []
    top = min(h.level for h in heads)
    last_top = max(h.start for h in heads if h.level == top)
    closing = _CLOSING.search(text, last_top)
    stop = closing.start() if closing else len(text)
    heads = [h for h in heads if h.start < stop]
    items: list[tuple[int, int, int, Heading | None]] = []
    for i, h in enumerate(heads):
        if h.level == top:
            items += _items(text, heads, i, _end(heads, i, stop))
    return [it for it in items if len(text[it[1]:it[2]].strip()) >= _MIN_ITEM]


def _end(heads: list[Heading], i: int, stop: int) -> int:
    level = heads[i].level
    return next((h.start for h in heads[i + 1:] if h.level <= level), stop)


def _line_end(text: str, pos: int, end: int) -> int:
    nl = text.find("\n", pos, end)
    return end if nl < 0 else nl


def _items(text: str, heads: list[Heading], i: int, end: int) -> list[tuple[int, int, int, Heading | None]]:
    h = heads[i]
    if h.title and _NOT_TASKS.search(h.title):
        return []
    line_end = _line_end(text, h.body_start, end)
    nested = [j for j in range(i + 1, len(heads)) if heads[j].start < end and heads[j].start >= line_end]
    own = text[h.body_start + len(h.title):line_end].strip(" \t。.:;")
    if not h.title or len(own) >= 4:
        # The heading line carries the item's own text; it ends at its line or at the next heading.
        item_end = next((heads[j].start for j in range(i + 1, len(heads))
                         if h.start < heads[j].start < line_end and heads[j].level <= h.level), line_end)
        return [(h.start, h.body_start, item_end, h)]
    if nested:
        level = min(heads[j].level for j in nested)
        out = []
        for j in nested:
            if heads[j].level == level:
                out += _items(text, heads, j, _end(heads, j, end))
        return out
    return _bullets(text, line_end, end)


def _bullets(text: str, start: int, end: int) -> list[tuple[int, int, int, Heading | None]]:
    """`——加强组织领导。…` paragraphs of a task section without numbered items."""
    out: list[tuple[int, int, int, Heading | None]] = []
    for m in _BULLET.finditer(text, start, end):
        out.append((m.start(), m.end(), _line_end(text, m.end(), end), None))
    return out


def task_tag_roles(text: str, start: int, end: int):
    """The prose tag of an item and its lead/support units."""
    tag = item_tag(text, start, end)
    lead, support = split_roles(tag.units)
    return tag, lead, support
