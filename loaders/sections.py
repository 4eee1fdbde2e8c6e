"""Section structure: enumerated headings (一、 / (一) / 1. / (1)) and paragraph boundaries."""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

_CN_NUM = "一二三四五六七八九十百零〇"
# Level of each enumerator style; an enumerator counts only at a line start or after a sentence/tag end,
# so flattened one-line documents still get their structure.
_ENUM = re.compile(
    rf"(?:(?<=^)|(?<=\n)|(?<=[。;:)!?])|(?<=[。;:)]\s)|"
    # Flattened pages run a heading straight into the next one: …精准性(一)研究将…
    rf"(?<=[\u4e00-\u9fff])(?<!第)(?=\([{_CN_NUM}]{{1,3}}\)[\u4e00-\u9fff]))\s*"
    rf"(?P<e>(?P<l1>[{_CN_NUM}]{{1,3}}、)|(?P<l2>\([{_CN_NUM}]{{1,3}}\))|"
    rf"(?P<l3>\d{{1,2}}(?:\.|、)(?:(?!\d)|(?=20\d{{2}}年)))|"
    rf"(?P<l4>\(\d{{1,2}}\))|(?P<l5>[{_CN_NUM}]{{1,3}}是))"
)
_TITLE_END = re.compile(rf"[。:;!?\n]|(?<=[\u4e00-\u9fff])\([{_CN_NUM}]{{1,3}}\)")


@dataclass
class Heading:
    """An enumerated heading: its level (1 = 一、), where it starts and its short title."""

    level: int
    start: int
    body_start: int  # after the enumerator
    title: str
    label: str  # enumerator + title, e.g. "(一)推进成果转化机制改革"


def find_headings(text: str) -> list[Heading]:
    """Enumerated headings of a match text, in order."""
    out = []
    for m in _ENUM.finditer(text):
        level = next(i for i in range(1, 6) if m.group(f"l{i}"))
        body = m.end()
        stop = _TITLE_END.search(text, body, min(len(text), body + 60))
        title = text[body:stop.start()] if stop else ""
        if title and len(title) <= 40 and "," not in title:
            out.append(Heading(level, m.start("e"), body, title.strip(), m.group("e") + title.strip()))
        else:
            out.append(Heading(level, m.start("e"), body, "", m.group("e")))
    return out


class Outline:
    """Answers "which section is offset i in" for a text's headings."""

    def __init__(self, headings: list[Heading]):
        self.headings = headings
        self._starts = [h.start for h in headings]

    def path_at(self, pos: int) -> list[Heading]:
        """Headings enclosing `pos`, outermost first (one per level, deeper levels reset by shallower)."""
        stack: list[Heading] = []
        for h in self.headings[:bisect.bisect_right(self._starts, pos)]:
            while stack and stack[-1].level >= h.level:
                stack.pop()
            stack.append(h)
        return stack

    def last_before(self, pos: int, floor: int) -> Heading | None:
        """The last heading starting in [floor, pos)."""
        i = bisect.bisect_left(self._starts, pos) - 1
        if i >= 0 and self.headings[i].start >= floor:
            return self.headings[i]
        return None


def paragraph_start(text: str, pos: int) -> int:
    """Offset of the start of the line containing `pos`."""
    return text.rfind("\n", 0, pos) + 1
