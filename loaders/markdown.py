"""Markdown → plain text: front matter read as fields, headings and emphasis unmarked, tables kept as rows."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

_FRONT = re.compile(r"\A---\s*\n(?P<body>.*?)\n---\s*\n", re.S)
_KEY_VALUE = re.compile(r"^\s*(?P<k>[\w\u4e00-\u9fff]+)\s*:\s*(?P<v>.*?)\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_RULE_ROW = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def markdown_to_text(text: str) -> tuple[str, dict[str, str]]:
    """Plain text of a Markdown document and its front-matter fields (simple `key: value` YAML)."""
    fields: dict[str, str] = {}
    m = _FRONT.match(text)
    if m:
        fields = _front_matter(m.group("body"))
        text = text[m.end():]
    lines = [line for line in text.split("\n") if not _RULE_ROW.match(line)]
    text = _EMPHASIS.sub("", _HEADING.sub("", "\n".join(lines)))
    return text, fields


def _front_matter(body: str) -> dict[str, str]:
    out = {}
    for line in body.split("\n"):
        m = _KEY_VALUE.match(line)
        if m and m.group("v"):
            out[m.group("k").lower()] = m.group("v").strip("'\"")
    return out
