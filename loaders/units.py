"""Splitting a written list of units (`A、B和各市、县(市、区)人民政府等`) into unit mentions.

Works on match text (simplified, half-width). Nested parentheses are never split, and collective units
such as 各市、县(市、区) or 各省、自治区、直辖市人民政府 stay whole.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from core.regions import region_prefix
from loaders.areas import split_area
from loaders.unitlex import is_region_list, is_unit

log = logging.getLogger(__name__)

_SEPARATORS = "、,;/"
# Suffixes that end a unit name: used to decide whether 和/及 joins two units or sits inside one name
# (省财政厅和各市 splits; 人力资源和社会保障局 does not).
UNIT_END = re.compile(
    r"(局|厅|委|部|办|府|会|院|行|署|司|处|科|室|中心|公司|集团|单位|部门|小组|分局|支行|总队|支队|团|社|所|馆|站|联|协|"
    r"管委会|政府|机构|企业|银行|高校|地区|省|市|县|区)$"
)
_AND = re.compile(r"(?:以及|及|和|与)")
_ADMIN_CONTINUATION = re.compile(r"^各?(县|区|自治区|直辖市|计划单列市|新疆生产建设兵团|旗|乡|镇|街道|州|盟|地)")
_COLLECTIVE_START = re.compile(r"^(各|有关|相关|所在|全省|全市|沿线)")
_TRAILING = re.compile(
    r"(等(?:省直|市直|县直|区直|镇直|乡直|国务院|中央)?(?:有关|相关|其他)?(?:责任)?(?:部门|单位)(?:部门|单位)?|等相关部门|等有关部门|等相关单位|等有关单位|等部门|等单位|等|按职责分工|按职能分工|分别|按职责|共同|依职责|"
    r"根据职责|按照职责分工|按照职责|(?:根据|按照|按|依据)各自(?:职责|职能)(?:分工)?|具体)+$"
)
_LEADING = re.compile(r"^(由|请|和|及|以及|与|会同|并|其中)+")
# Lists that only scope the task ("relevant departments") name no unit.
_SCOPE_ONLY = re.compile(r"^(有关部门|相关部门|有关单位|相关单位|其他部门|其他有关部门|其他相关部门)$")
GROUP = re.compile(
    r"^(各|有关|相关|所在|全省|全市)|成员单位|(各|有关|相关)[^、]*(部门|单位|政府|地区)$|县区政府$|县区人民政府$|"
    r"^(省|市|县|区|设区市|地市)(级)?、"
)
# A level on its own, first in a collective list: 市、县(区)人民政府.
_BARE_LEVEL = re.compile(r"^(省|市|县|区|设区市|地市|省级|市级|县级)$")
# `…部门` ending a list whose earlier items are bare areas: the areas share it.
_SPACE = re.compile(r"\s+")
_SHARED_TAIL = re.compile(r"^(?P<core>.+?)(?:等(?:省直|市直|县直|国务院)?(?:相关|有关)?)?(?:主管)?部门$")


def split_units(text: str) -> list[str]:
    """Unit mentions of a list, in order; scope-only words and trailing 等/按职责分工 removed."""
    return list(_split_units(text))


@lru_cache(maxsize=8192)  # the same lists recur: tags, table cells, the self-check's rescans
def _split_units(text: str) -> tuple[str, ...]:
    parts = [part for item in _split_top_level(text.strip()) for part in split_and(item)]
    out = []
    for part in _share_suffix(_merge_place_runs(_merge_region_lists(_merge_collectives(parts)), text)):
        part = clean_unit(part)
        if part and not _SCOPE_ONLY.match(part):
            out.append(part)
    return tuple(out)


def clean_unit(text: str) -> str:
    """Strip list glue (由, 等, 按职责分工 ...) and whitespace from one unit mention."""
    text = _SPACE.sub("", text).strip("。.:：")
    prev = None
    while prev != text:
        prev = text
        text = _TRAILING.sub("", _LEADING.sub("", text))
    return text


def is_group(mention: str) -> bool:
    """True for collective units (各县区人民政府, 各市、县(市、区), 市委人才工作领导小组成员单位 ...)."""
    return bool(GROUP.search(mention))


def _split_top_level(text: str) -> list[str]:
    items: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch in "(〈<":
            depth += 1
        elif ch in ")〉>":
            depth = max(0, depth - 1)
        if depth == 0 and ch in _SEPARATORS:
            items.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    items.append("".join(cur))
    return [i for i in (s.strip() for s in items) if i]


def _merge_collectives(items: list[str]) -> list[str]:
    out: list[str] = []
    merging = False
    for item in items:
        if out and _ADMIN_CONTINUATION.match(item) and (merging or _COLLECTIVE_START.match(out[-1])
                                                        or _BARE_LEVEL.match(out[-1])) \
                and not _ends_with_body(out[-1]):
            out[-1] = out[-1] + "、" + item
            merging = True
            continue
        out.append(item)
        merging = False
    return out


def _ends_with_body(item: str) -> bool:
    """`各区属国企` (a body of its own: 区国资局 after it is another unit), not `各市` / `各县(市)` (levels that
    the next item's body completes: 各市、县人民政府)."""
    bare = re.sub(r"\([^()]*\)", "", item.strip())
    return bool(bare) and bare[-1] not in "省市县区乡镇旗州盟地" and not bare.endswith("街道")


def _merge_region_lists(items: list[str]) -> list[str]:
    """`山东、江苏、浙江公司`: bare regions before a region's unit share its body, kept as one collective."""
    out: list[str] = []
    run: list[str] = []
    for item in items:
        stripped = item.strip()
        found = region_prefix(stripped)
        if found is not None and found[1] == stripped and len(stripped) <= 8:
            run.append(stripped)
            continue
        if run and is_region_list("、".join([*run, stripped])):
            out.append("、".join([*run, stripped]))
        else:
            out += run + [item]
        run = []
    return out + run


_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
_NUMERAL = re.compile(r"^[一二三四五六七八九十百零〇两]+$")


def _merge_place_runs(items: list[str], text: str) -> list[str]:
    """`金井、澳前片区开发管理局`: short place names before a unit named after a place share its body; the list is
    kept whole, as written (the places are no units on their own)."""
    out: list[str] = []
    run: list[str] = []
    for item in items:
        stripped = item.strip()
        if _PLACE.match(stripped) and not _NUMERAL.match(stripped) and not UNIT_END.search(stripped) \
                and not is_unit(stripped) and split_area(stripped) is None:
            run.append(stripped)
            continue
        if run and len(stripped) > 4 and _PLACE.match(stripped[:2]) and is_unit(stripped) \
                and not _COLLECTIVE_START.match(stripped) and "、".join([*run, stripped]) in text:
            out.append("、".join([*run, stripped]))
        else:
            out += run + [item]
        run = []
    return out + run


def _share_suffix(items: list[str]) -> list[str]:
    """`省发展改革、工业和信息化部门` → 省发展改革部门, 工业和信息化部门: bare areas before an area's 部门 share it."""
    out = list(items)
    for j, item in enumerate(out):
        m = _SHARED_TAIL.match(item.strip())
        if not m or split_area(m.group("core")) is None:
            continue
        k = j - 1
        while k >= 0 and (area := split_area(out[k].strip())) is not None and not area[2]:
            out[k] = out[k].strip() + "部门"
            k -= 1
        if k < j - 1 or "等" in item:
            out[j] = m.group("core") + "部门"
    return out


def split_and(item: str) -> list[str]:
    """Split `A和B` only where A already ends like a unit name and B starts a new one."""
    parts, start = [], 0
    for m in _AND.finditer(item):
        left, right = item[start:m.start()], item[m.end():]
        left_unit = UNIT_END.search(left) or UNIT_END.search(left.removesuffix("等"))  # `A等和各省级人民政府`
        if _depth_at(item, m.start()) == 0 and left_unit and _starts_unit(right):
            parts.append(left)
            start = m.end()
    parts.append(item[start:])
    return parts


def _starts_unit(text: str) -> bool:
    return bool(re.match(r"(各|有关|相关|省|市|县|区|国家|国务院|中国|人民|[\u4e00-\u9fff]{1,3}(省|市|县|区)|"
                         r"[\u4e00-\u9fff]{2,})", text)) and len(text) >= 2


def _depth_at(text: str, pos: int) -> int:
    return text[:pos].count("(") - text[:pos].count(")")
