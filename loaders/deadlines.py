"""Deadlines: 2020年6月底前 → "2020-06", 2024年底 → "2024-12", 持续推进 kept as text."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
              "十一": 11, "十二": 12}
_YEAR_MONTH = re.compile(r"(20\d{2})\s*年\s*(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月")
_YEAR_END = re.compile(r"(20\d{2})\s*年\s*(底|年底|末|年末|12月底)")
_BARE_MONTH = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(底|末|上旬|中旬|下旬|前|\d{1,2}日)")
_BARE_YEAR_END = re.compile(r"(?<![\d])(年底|年末)")
_YEAR_ONLY = re.compile(r"(20\d{2})\s*年")
_ISO = re.compile(r"(20\d{2})[-./](\d{1,2})")
_ONGOING = re.compile(r"持续推进|长期坚持|长期推进|持续开展|长期|持续|常态化")


def parse_deadline(text: str, plan_year: int | None = None) -> str | None:
    """Normalise a deadline phrase: "YYYY-MM", "YYYY", or the phrase itself for open-ended ones."""
    text = (text or "").strip().rstrip("。.;；,，)")
    if not text:
        return None
    if m := _YEAR_MONTH.search(text):
        return f"{m.group(1)}-{_month(m.group(2)):02d}"
    if m := _YEAR_END.search(text):
        return f"{m.group(1)}-12"
    if m := _ISO.search(text):
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    if plan_year and (m := _BARE_MONTH.search(text)):
        return f"{plan_year}-{int(m.group(1)):02d}"
    if plan_year and _BARE_YEAR_END.search(text):
        return f"{plan_year}-12"
    if m := _YEAR_ONLY.search(text):
        return m.group(1)
    if _ONGOING.search(text):
        return text
    log.debug("unparsed deadline %r kept as text", text)
    return text if len(text) <= 20 else None


def _month(token: str) -> int:
    return int(token) if token.isdigit() else _CN_DIGITS[token]
