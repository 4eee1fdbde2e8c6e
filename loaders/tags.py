"""Agency tags: `(牵头单位:A,配合单位:B、C)`, `(A、B负责)`, `(A牵头,B配合)`, `(责任单位:A;完成时限:…)`.

Everything here works on match text (simplified, half-width), so one rule covers both scripts and both
punctuation widths. Offsets are offsets into that text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from loaders.units import UNIT_END, split_units

log = logging.getLogger(__name__)

LEAD, SUPPORT, FIRST_LISTED = "lead", "support", "first"

_LABEL = re.compile(
    r"(?P<role>牵头|责任|配合|协办|主办|参与|承办|协助|协同|支持|落实|实施|主责|主要责任|负责)(?P<noun>单位|部门|处室|机构)"
    r"\s*[:]"
)
_TIME_LABEL = re.compile(r"(完成|整改|办结|实施|落实|工作|时间)?(时限|时间|期限|进度)\s*[:]")
_VERB = re.compile(r"按职责分工牵头|牵头|负责|配合|参与|协助|协办|会同|主办|落实")
_RULE_NOTE = re.compile(
    r"[,;。]?\s*(列|排在?|排名|排序)(第一|首|前)[^,;)]*|[,;]?\s*下同|[,;]?\s*以下同|[,;]?\s*不再列出"
)
_LABEL_ROLE = {"牵头": LEAD, "主办": LEAD, "主责": LEAD, "主要责任": LEAD, "配合": SUPPORT, "协办": SUPPORT,
               "参与": SUPPORT, "协助": SUPPORT, "协同": SUPPORT, "支持": SUPPORT}
_VERB_ROLE = {"牵头": LEAD, "按职责分工牵头": LEAD, "主办": LEAD, "配合": SUPPORT, "参与": SUPPORT,
              "协助": SUPPORT, "协办": SUPPORT}


@dataclass
class TaggedUnit:
    """A unit mention inside a tag, with the role word it was listed under."""

    mention: str
    role_word: str
    role: str  # LEAD, SUPPORT or FIRST_LISTED (lead only if first, when no unit is marked 牵头)
    start: int  # offset of the mention's list in the match text (for evidence)


@dataclass
class Tag:
    """One agency tag found in the text."""

    start: int  # offset of "(" in the match text
    end: int  # offset after ")"
    content: str
    units: list[TaggedUnit] = field(default_factory=list)
    deadline_text: str = ""


def find_tags(text: str) -> list[Tag]:
    """All agency tags in a match text, in order."""
    tags = []
    pos = 0
    while (open_at := text.find("(", pos)) >= 0:
        close_at = _matching_paren(text, open_at)
        if close_at < 0:
            pos = open_at + 1
            continue
        tag = parse_tag(text[open_at + 1:close_at], open_at + 1)
        if tag is not None:
            tag.start, tag.end = open_at, close_at + 1
            tags.append(tag)
            pos = close_at + 1
        else:
            pos = open_at + 1
    return tags


def _matching_paren(text: str, open_at: int, limit: int = 400) -> int:
    depth = 0
    for i in range(open_at, min(len(text), open_at + limit)):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        elif ch == "\n":
            return -1
    return -1


def parse_tag(content: str, offset: int = 0) -> Tag | None:
    """Parse the inside of a parenthesis; None when it is not an agency tag."""
    if _LABEL.search(content):
        return _parse_labelled(content, offset)
    if _VERB.search(content) and _looks_like_units(content):
        return parse_prose(content, offset)
    return None


def _looks_like_units(content: str) -> bool:
    head = _RULE_NOTE.sub("", content)
    m = _VERB.search(head)
    if not m or len(head) > 250:
        return False
    before = re.sub(r"(按职责分工|按职能分工|分别|等|共同|依职责|按照职责分工)+$", "", head[:m.start()])
    before = before.lstrip("由")
    return bool(before) and bool(UNIT_END.search(before)) and not re.search(r"[。]", head)


def _parse_labelled(content: str, offset: int) -> Tag:
    tag = Tag(0, 0, content)
    marks = sorted([(m.start(), m.end(), m) for m in _LABEL.finditer(content)]
                   + [(m.start(), m.end(), None) for m in _TIME_LABEL.finditer(content)])
    for i, (_, value_start, m) in enumerate(marks):
        value_end = marks[i + 1][0] if i + 1 < len(marks) else len(content)
        value = content[value_start:value_end].strip(" ,;")
        if m is None:
            tag.deadline_text = value
            continue
        role = _LABEL_ROLE.get(m.group("role"), FIRST_LISTED)
        word = m.group("role") + m.group("noun")
        tag.units += [TaggedUnit(u, word, role, offset + value_start) for u in split_units(value)]
    return tag


def parse_prose(content: str, offset: int) -> Tag:
    """`A、B牵头,C配合` / `A、B负责` / `由A牵头,会同B` / `A会同有关部门负责` / `X牵头,Y等按职责分工负责`."""
    tag = Tag(0, 0, content)
    body = _RULE_NOTE.sub(lambda m: " " * len(m.group()), content)
    pos, seen_lead, pending_cohost = 0, False, False
    for m in _VERB.finditer(body):
        chunk = body[pos:m.start()]
        verb = m.group()
        if verb == "会同":
            role = LEAD if chunk.strip(" ,;由") else SUPPORT
        elif pending_cohost:
            role = SUPPORT
        elif verb == "负责":
            role = SUPPORT if seen_lead else FIRST_LISTED
        else:
            role = _VERB_ROLE.get(verb, SUPPORT)
        units = split_units(chunk)
        tag.units += [TaggedUnit(u, verb, role, offset + pos) for u in units]
        seen_lead = seen_lead or (role == LEAD and bool(units)) or (role == FIRST_LISTED and bool(units))
        pending_cohost = verb == "会同"
        pos = m.end()
    tail = split_units(body[pos:])
    tag.units += [TaggedUnit(u, "会同" if pending_cohost else "", SUPPORT, offset + pos) for u in tail]
    return tag


def split_roles(units: list[TaggedUnit]) -> tuple[list[TaggedUnit], list[TaggedUnit]]:
    """Lead and support units: units marked 牵头 lead; when none are, the first listed leads."""
    marked = [u for u in units if u.role == LEAD]
    if marked:
        return marked, [u for u in units if u.role != LEAD]
    if not units:
        return [], []
    return units[:1], units[1:]
