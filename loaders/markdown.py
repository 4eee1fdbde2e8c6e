"""Markdown → plain text: front matter read as fields, headings and emphasis unmarked, tables kept as rows.

Pipe tables may be written without their outer pipes (`序号 | 任务 | 牵头单位`, as html2text and many editors
write them, and as GitHub reads them): their rows get the outer pipes back, so that every table reaches the
table reader as `| a | b |` lines.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

_FRONT = re.compile(r"\A---\s*\n(?P<body>.*?)\n---\s*\n", re.S)
_KEY_VALUE = re.compile(r"^\s*(?P<k>[\w\u4e00-\u9fff]+)\s*:\s*(?P<v>.*?)\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")
_RULE_ROW = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


# A line break inside a table cell, as converters write it: one cell, two lines (two names in a unit cell).
_BR = re.compile(r"<br\s*/?>", re.I)


def markdown_to_text(text: str) -> tuple[str, dict[str, str]]:
    """Plain text of a Markdown document and its front-matter fields (simple `key: value` YAML)."""
    fields: dict[str, str] = {}
    m = _FRONT.match(text)
    if m:
        fields = _front_matter(m.group("body"))
        text = text[m.end():]
    lines = [_BR.sub(" ", line) if line.lstrip().startswith("|") else line
             for line in _outer_pipes(text.split("\n")) if not _RULE_ROW.match(line)]
    text = _EMPHASIS.sub("", _HEADING.sub("", "\n".join(lines)))
    return text, fields


def _outer_pipes(lines: list[str]) -> list[str]:
    """Rows of pipe tables written without outer pipes, with them: from the header above a delimiter row
    (`---|---`, at least one inner pipe) down to the first blank line. A row with no pipe at all (a section row
    spanning the table) becomes one cell."""
    out = list(lines)
    k = 1
    while k < len(out):
        if not (_DELIMITER.match(out[k]) and "|" in out[k - 1]):
            k += 1
            continue
        start, k = k - 1, k + 1
        while k < len(out) and out[k].strip():
            k += 1
        for i in range(start, k):
            row = out[i].strip()
            if i == start + 1 or not row:
                continue
            if not row.startswith("|"):
                row = "| " + row
            if not row.endswith("|") or row.endswith("\\|") or len(row) == 1:
                row += " |"
            out[i] = row
    return out


def _front_matter(body: str) -> dict[str, str]:
    out = {}
    for line in body.split("\n"):
        m = _KEY_VALUE.match(line)
        if m and m.group("v"):
            out[m.group("k").lower()] = m.group("v").strip("'\"")
    return out
