"""Text folding: simplified characters and half-width punctuation, offset-for-offset with the display text.

`match_text` is the text the loaders parse and the graph stores for keyword matching (`title_s`, `text_s`),
and the root of every policy id and citation key (core.ids, core.citekeys).  The search index folds with
the same tables and converter but a slightly different recipe (search.analyzer explains why).
"""

from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache

log = logging.getLogger(__name__)

_COMMON_PUNCT = frozenset("，。、；：？！“”‘’（）《》〔〕【】—…·")


def is_common_char(ch: str) -> bool:
    """True for the 3,755 level-1 GB2312 characters (in either script) and ordinary CJK punctuation."""
    return _is_common(ch)


@lru_cache(maxsize=65536)
def _is_common(ch: str) -> bool:
    if ch in _COMMON_PUNCT:
        return True
    try:
        raw = _char_t2s(ch).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(raw) == 2 and 0xB0 <= raw[0] <= 0xD7


# The folding tables, one definition each (search.analyzer builds the index's folding from them too).
# Full-width ASCII and the ideographic space → half width.
WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# CJK brackets of 文号 and headings → ASCII parentheses (match text only: the index keeps them).
BRACKETS = {ord("〔"): ord("("), ord("〕"): ord(")"), ord("【"): ord("("), ord("】"): ord(")")}
# Kangxi radicals and CJK radical supplements that PDF text layers emit for ordinary characters
# (省发展改⾰委 with ⾰ U+2F95 for 革): the ordinary character, one for one.
RADICALS = {cp: ord(n) for cp in (*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6))
            if len(n := unicodedata.normalize("NFKC", chr(cp))) == 1 and n != chr(cp)}
# simplified-form supplements that have no compatibility mapping (人⺠政府, ⻰头企业)
RADICALS.update({ord(a): ord(b) for a, b in zip("⺠⻰⻓⻔⻢⻛⻜⻅⻋⻘⻝⻚⻉⻆⻄⻩⻬⻮⻳⺟⻥⻦⻨⻈⻌⻙",
                                                "民龙长门马风飞见车青食页贝角西黄齐齿龟母鱼鸟麦讠辶韦", strict=True)})
_FOLD = WIDTH | BRACKETS | RADICALS


@lru_cache(maxsize=1)
def _converter():
    import opencc  # noqa: PLC0415 - loaded once, on first use

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified with opencc t2s, guaranteed to keep the length (falls back per character)."""
    if not text:
        return text
    out = _converter().convert(text)
    if len(out) == len(text):
        return out
    log.debug("t2s changed the length (%d → %d); converting per character", len(text), len(out))
    return "".join(_char_t2s(ch) for ch in text)


@lru_cache(maxsize=65536)
def _char_t2s(ch: str) -> str:
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


def fold_width(text: str) -> str:
    """Full-width ASCII and CJK brackets → half-width, one character for one."""
    return text.translate(_FOLD)


def match_text(display: str) -> str:
    """The text parsers work on: simplified, half-width; index i here is index i of `display`."""
    return fold_width(to_simplified(display))
