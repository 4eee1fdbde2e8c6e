"""Repairs of known damage: pinyin annotations, shifted-GBK mojibake, dropped 年, web boilerplate.

Every repair is found on the raw decoded text and recorded as a `Repair` whose span indexes that text;
the edits never overlap, so they can be applied in one pass.
"""

from __future__ import annotations

import logging
import re

import rjieba

from core.records import Repair
from core.text import is_common_char, to_simplified

log = logging.getLogger(__name__)

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A tone mark is required: it is what separates `(zhuǎn)` from `(NQI)` or `(可加v)`.
PINYIN = re.compile(rf"(?<=\S)\([a-zü]*[{_TONED}][a-zü]*\)")
DROPPED_NIAN = re.compile(r"(?<![\d年])(20\d{2})(1[0-2]|[1-9])(?=月)")
_MOJIBAKE_START = re.compile(r"\?")
_BOILERPLATE = re.compile(
    r"热门搜索|扫描二维码|扫一扫|Copyright|版权所有|ICP备|公网安备|在线客服|访问次数|主管单位|主办单位：|"
    r"热线[:：]|联系电话[:：]|当前位置[:：]|首页\s*(>|›|政策)|分享到|打印本页|关闭窗口|【字体|上一篇|下一篇|"
    r"项目申报通知$|相关(链接|阅读|文章)",
    re.I,
)


def find_repairs(raw: str) -> list[Repair]:
    """All repairs for a raw text, sorted by position and non-overlapping."""
    found = _boilerplate(raw) + _pinyin(raw) + _mojibake(raw) + _dropped_nian(raw)
    found.sort(key=lambda r: (r.start, -(r.end - r.start)))
    kept: list[Repair] = []
    for rep in found:
        if kept and rep.start < kept[-1].end:
            continue  # inside a removed line, or overlapping an earlier repair
        kept.append(rep)
    return kept


def apply_repairs(raw: str, repairs: list[Repair]) -> str:
    """Apply non-overlapping repairs (sorted by start) to the raw text."""
    parts, pos = [], 0
    for rep in repairs:
        parts.append(raw[pos:rep.start])
        parts.append(rep.after)
        pos = rep.end
    parts.append(raw[pos:])
    return "".join(parts)


def _pinyin(raw: str) -> list[Repair]:
    return [Repair("pinyin", m.start(), m.end(), m.group(), "") for m in PINYIN.finditer(raw)]


def _dropped_nian(raw: str) -> list[Repair]:
    return [
        Repair("dropped_nian", m.start(), m.end(), m.group(), f"{m.group(1)}年{m.group(2)}")
        for m in DROPPED_NIAN.finditer(raw)
    ]


def _boilerplate(raw: str) -> list[Repair]:
    """Whole lines of site chrome (navigation, hotlines, copyright) that are not policy text."""
    out, pos = [], 0
    for line in raw.splitlines(keepends=True):
        body = line.strip()
        if body and len(body) < 160 and _BOILERPLATE.search(to_simplified(body)):
            out.append(Repair("boilerplate", pos, pos + len(line), line, ""))
        pos += len(line)
    return out


def _mojibake(raw: str) -> list[Repair]:
    """Runs of traditional text that were GBK-encoded and decoded one byte out of step.

    The lost lead byte shows as `?`; the run ends at a single-byte trail byte (ASCII 0x40–0x7E). Full-width
    characters inside the run were later folded to ASCII, so they are unfolded before re-encoding.
    """
    out: list[Repair] = []
    for m in _MOJIBAKE_START.finditer(raw):
        fix = _realign(raw, m.start())
        if fix and (not out or m.start() >= out[-1].end):
            end, after = fix
            out.append(Repair("mojibake", m.start(), end, raw[m.start():end], after))
    return out


def _realign(raw: str, start: int) -> tuple[int, str] | None:
    window = re.match(r"\S{1,40}", raw[start + 1:])
    if not window or all(ch.isascii() or is_common_char(ch) for ch in window.group()):
        return None  # nothing odd after the question mark: a genuine one
    best: tuple[float, int, str] | None = None
    left = PINYIN.sub("", raw[max(0, start - 16):start])[-4:]
    for end in range(start + 2, min(len(raw), start + 40) + 1):
        last = raw[end - 1]
        if raw[end - 2].isspace() or last.isspace():
            break
        if not ("\x40" <= last <= "\x7e"):
            continue
        right = PINYIN.sub("", raw[end:end + 16])[:6]
        for cand in _candidates(raw[start + 1:end - 1], last):
            if all(is_common_char(ch) for ch in cand):
                score = _segmentation_score(left + cand + right)
                if best is None or score > best[0]:
                    best = (score, end, cand)
    if best is None:
        return None
    return best[1], best[2]


def _segmentation_score(text: str) -> float:
    """Higher when the text falls into fewer, longer dictionary words: real text, not mojibake."""
    han = "".join(ch for ch in to_simplified(text) if "\u4e00" <= ch <= "\u9fff")
    tokens = rjieba.cut(han, False)
    return -len(tokens) + 0.01 * sum(len(t) ** 2 for t in tokens)


def _candidates(middle: str, trail: str) -> list[str]:
    unfolded = "".join(chr(ord(ch) + 0xFEE0) if "\x21" <= ch <= "\x7e" else ch for ch in middle)
    try:
        body = unfolded.encode("gbk") + trail.encode("ascii")
    except UnicodeEncodeError:
        return []
    out = []
    for lead in range(0x81, 0xFF):
        try:
            out.append(bytes([lead]).__add__(body).decode("gbk"))
        except UnicodeDecodeError:
            continue
    return out
