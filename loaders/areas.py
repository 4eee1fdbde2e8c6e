"""Functional areas of government work (科技, 财政, 发展改革 ...) and the department each area names per level.

`省发展改革、工业和信息化部门` lists two areas sharing the suffix 部门; `省级科技部门` in a national document is the
group of provincial science departments; `省财政部门` in a 江西 document is 江西省财政厅.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from core.deptnames import TABLES

_DATA = TABLES  # core/data/departments.json
# Level words that may precede an area: 省 / 省级 / 各省级 / 各级 / 市县 ...
LEVELS = ("各省级", "各市级", "各县级", "各级", "省级", "市级", "县级", "省", "市", "县", "区")


@lru_cache(maxsize=1)
def areas() -> dict[str, tuple[str, str]]:
    """Area → (provincial department body, city/county department body)."""
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return {k: (v[0], v[1]) for k, v in data["areas"].items()}


@lru_cache(maxsize=1)
def _area_unit() -> re.Pattern[str]:
    names = "|".join(sorted(map(re.escape, areas()), key=len, reverse=True))
    levels = "|".join(LEVELS)
    return re.compile(rf"^(?P<level>{levels})?(?P<area>{names})(?:主管|行政|管理)?(?P<suffix>部门)?$")


def split_area(text: str) -> tuple[str | None, str, bool] | None:
    """(level word, area, has 部门 suffix) when `text` is an area (with level and 部门) and nothing else."""
    m = _area_unit().match(text)
    if not m:
        return None
    return m.group("level"), m.group("area"), bool(m.group("suffix"))
