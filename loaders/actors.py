"""Acting bodies named in prose: `科技部将…`, `省级科技、财政部门要…`, `由X牵头`, `由X负责`, and who reports to whom.

Used for task items that carry no agency tag, and for REPORTS_TO (`X要于…前向Y报送…`, `X将…报Y`).
Everything works on match text (simplified, half-width); offsets index that text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from loaders.tags import LEAD, SUPPORT, Tag, TaggedUnit
from loaders.units import split_units

log = logging.getLogger(__name__)

# A unit list at the start of a sentence, then the word that makes it the actor.
_ACTOR = re.compile(
    r"(?P<x>(?:(?!由)[\u4e00-\u9fff、()]){2,40}?)"
    r"(?P<v>将|要|应当|应|须|必须|负责|牵头|会同|按照|根据|于(?=\d|每|年底|月底|年内))"
)
_BY = re.compile(r"由(?P<x>[^,。;:由()]{2,40}?)(?P<v>牵头|负责)")
# What an actor must look like: a department, office, association or a collective of them.
_UNITISH = re.compile(
    r"(部|厅|局|委|委员会|办|办公室|办公厅|政府|部门|单位|科协|协会|学会|中心|小组|署|银行|院|管委会|指挥部|机构)$"
)
_NOT_ACTOR = re.compile(r"^(各地|各级|有关方面|相关方面)$|示范区|试点|园区$|企业$|高校$")
_SENTENCE = re.compile(r"[^。;!?\n]+[。;!?]?")
_CN = "一二三四五六七八九十"
_LEADING = re.compile(rf"^[\s—\-·•]*(?:[{_CN}]+、|\([{_CN}]+\)|\d{{1,2}}[.、]|\(\d{{1,2}}\))?\s*")
_TO = re.compile(r"向(?P<y>[^,。;向]{2,40}?)(?:报送|报告|上报|汇报|报备|提交|备案)")
_SENT = re.compile(r"(?:报送|上报|报告|报)(?:至|给)?(?P<y>[^,。;()]{2,40}?)(?=[,。;(]|备案|审核|审定|汇总|$)")


@dataclass
class Actor:
    """Units acting in one sentence, the sentence's span and the word that marked them."""

    units: list[str]
    start: int
    end: int
    verb: str
    list_start: int


def sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Spans of the sentences in text[start:end]."""
    for m in _SENTENCE.finditer(text, start, len(text) if end is None else end):
        if m.group().strip():
            yield m.start(), m.end()


def trim_brackets(text: str) -> str:
    """A list without the bracket it was cut from: `(各地区、各部门` → 各地区、各部门 (a name is balanced)."""
    depth, unmatched_close = 0, 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth:
                depth -= 1
            else:
                unmatched_close += 1
    while depth and text.startswith("("):
        text, depth = text[1:], depth - 1
    while unmatched_close and text.endswith(")"):
        text, unmatched_close = text[:-1], unmatched_close - 1
    return text


def unit_list(text: str) -> list[str] | None:
    """The units of a written list when every item looks like an acting body, else None."""
    text = trim_brackets(text)
    if re.search(r"[,。;:]", text) or trim_brackets(text) != text or text.count("(") != text.count(")"):
        return None
    units = split_units(text)
    if not units or any(not _UNITISH.search(u) or _NOT_ACTOR.search(u) for u in units):
        return None
    return units


def sentence_actor(text: str, start: int, end: int) -> Actor | None:
    """The actor of the sentence text[start:end]: `由X牵头/负责` anywhere, or a unit list opening it."""
    sentence = text[start:end]
    lead = _LEADING.match(sentence)
    offset = lead.end() if lead else 0
    m = _ACTOR.match(sentence, offset)
    if m and (units := unit_list(m.group("x"))):
        return Actor(units, start, end, m.group("v"), start + m.start("x"))
    for b in _BY.finditer(sentence):
        if units := unit_list(b.group("x")):
            return Actor(units, start, end, b.group("v"), start + b.start("x"))
    return None


def item_tag(text: str, start: int, end: int) -> Tag:
    """Lead and support of an untagged task item: the first sentence naming an actor leads, later ones support."""
    tag = Tag(end, end, "", rule="task-item")
    seen: set[str] = set()
    first = True
    for s, e in sentences(text, start, end):
        actor = sentence_actor(text, s, e)
        if actor is None:
            continue
        role = LEAD if first else SUPPORT
        new = [u for u in actor.units if u not in seen]
        seen.update(new)
        tag.units += [TaggedUnit(u, actor.verb, role, actor.list_start) for u in new]
        if first:
            tag.start = s
        tag.end = e
        first = False
    tag.content = text[tag.start:tag.end]
    return tag


def reports(text: str) -> Iterator[tuple[Actor, list[str], int]]:
    """(reporting actor, recipient units, offset of the recipients) for `X要于…前向Y报送…` / `X将…报Y。`."""
    for s, e in sentences(text):
        sentence = text[s:e]
        if "报" not in sentence:
            continue
        actor = sentence_actor(text, s, e)
        if actor is None:
            continue
        for pattern in (_TO, _SENT):
            found = False
            for m in pattern.finditer(sentence):
                if s + m.start() < actor.list_start + len("".join(actor.units)):
                    continue
                if recipients := unit_list(m.group("y")):
                    yield actor, recipients, s + m.start("y")
                    found = True
            if found:
                break
