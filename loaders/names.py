"""Whether a string read from prose is a well-formed name of a programme, platform or unit.

Structure, not lists of bad strings: a name has balanced brackets, holds no clause (的, a verb such as
设立/搭建/依托) and no list (等, 和, 、), and has a distinctive part of its own besides its category
word (“双创平台” is a kind of platform, “羚羊”工业互联网平台 one platform).  A quoted term that the
document goes on to use as a modifier of several other nouns (“双创”政策, “双创”发展生态, “双创”
升级版) is a concept, and what it qualifies is a kind of thing, not a named one.
"""

from __future__ import annotations

import re

_OPEN, _CLOSE = "(（[【〔《“", ")）]】〕》”"
_CLAUSE = re.compile(r"的|等|和|与|及|、|设立|搭建|建设|建立|打造|开通|支持|依托|利用|通过|推动|加强|发挥|积极|开展|"
                     r"参与|加入|入驻|对接|引导|鼓励|应用|发布|相关")
_OPERATOR = re.compile(r"[+＋]")  # 互联网+社区: a mode of working, not a proper name
_COUNTED = re.compile(r"[一二三四五六七八九十两多][个类项]?$")  # “一云一池三平台”: a count of platforms
MIN_DISTINCT = 3


def balanced(name: str) -> bool:
    """Every bracket opened in the name is closed in it, in order."""
    stack: list[str] = []
    for ch in name:
        if ch in _OPEN:
            stack.append(_CLOSE[_OPEN.index(ch)])
        elif ch in _CLOSE:
            if not stack or stack.pop() != ch:
                return False
    return not stack


def well_formed(name: str, category: str = "") -> bool:
    """A name: balanced, no clause or list inside, and a distinctive part besides its category word."""
    if not name or not balanced(name) or _CLAUSE.search(name) or _OPERATOR.search(name):
        return False
    distinct = name[: -len(category)] if category and name.endswith(category) else name
    if category and distinct != name and _COUNTED.search(distinct):
        return False
    return len(re.sub(r"[^\w]", "", distinct)) >= MIN_DISTINCT


def programme_name(name: str, word: str) -> bool:
    """A programme name ending in its word (行动/计划/工程): balanced, no clause, and its last listed item
    says what the programme is (“守底线、划区域、定范围、有计划” ends in 有计划, "has a plan": not one)."""
    if not balanced(name) or "的" in name:
        return False
    core = name[: -len(word)] if word and name.endswith(word) else name
    last = re.split(r"[、,，]", core)[-1]
    return len(re.sub(r"[^\w]", "", last)) >= 2


def is_concept(term: str, text: str, min_uses: int = 3) -> bool:
    """A term (quoted in `text`) used before at least `min_uses` different nouns is a concept: “双创”政策,
    “双创”支撑平台, “双创”发展生态 … (two characters after the term are taken as the noun it qualifies)."""
    followers = {m.group(1) for m in re.finditer(re.escape(term) + r"[”\"’']?([\u4e00-\u9fff]{2})", text)}
    return len(followers - {"平台"}) >= min_uses
