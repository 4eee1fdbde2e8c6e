"""Regions: a small gazetteer of provinces and prefecture-level cities (data/regions.json) with hierarchy."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

NATIONAL = "全国"  # region of national bodies (国务院, 科技部 ...); None means "unknown"
_DATA = Path(__file__).with_name("data") / "regions.json"
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市", "地区", "盟")
_NATIONAL_MARK = re.compile(
    r"^(国务院|中共中央|全国|国家|中国|中央|最高人民)|^[\u4e00-\u9fff]{1,8}(部|总局|总署)(办公厅)?$"
)


@dataclass(frozen=True)
class Region:
    """A region: its canonical name, level ("national", "province", "city") and parent province."""

    name: str
    level: str
    province: str | None = None

    @property
    def parent(self) -> str | None:
        """Canonical name of the enclosing region (province of a city, 全国 of a province)."""
        if self.level == "city":
            return self.province
        return NATIONAL if self.level == "province" else None


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, Region], list[str]]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    by_name: dict[str, Region] = {NATIONAL: Region(NATIONAL, "national")}
    for province, cities in data.items():
        # 北京市 etc. are provincial-level: their 市 departments are the province's.
        by_name[province] = Region(province, "province", province)
        for city in cities:
            by_name[city] = Region(city, "city", province)
    aliases = dict(by_name)
    for full, region in by_name.items():
        short = _short(full)
        if short and len(short) >= 2 and short not in aliases:
            aliases[short] = region
    by_alias = {**aliases}
    return by_alias, sorted(by_alias, key=len, reverse=True)


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    m = re.match(r"^(.{2,}?)(?:[\u4e00-\u9fff]{0,6}族)*自治州$", name)
    return m.group(1) if m else ""


def region(name: str) -> Region | None:
    """The region a full or short name refers to (淮北 / 淮北市 → 淮北市)."""
    return _gazetteer()[0].get(name)


def region_prefix(text: str) -> tuple[Region, str] | None:
    """The region a text starts with and the surface form used (浙江银保监局 → 浙江省, "浙江")."""
    by_alias, names = _gazetteer()
    for k in range(min(len(text), len(names[0])), 1, -1):  # longest name first, as a dict lookup each
        found = by_alias.get(text[:k])
        if found is not None:
            return found, text[:k]
    return None


def find_region(text: str) -> Region | None:
    """The first region named anywhere in a text (full names preferred over short ones)."""
    by_alias, names = _gazetteer()
    best: tuple[int, int, Region] | None = None
    for name in names:
        pos = text.find(name)
        if pos >= 0:
            full = by_alias[name].name == name
            key = (pos, 0 if full else 1)
            if best is None or key < best[:2]:
                best = (pos, key[1], by_alias[name])
    return best[2] if best else None


def is_national_body(name: str) -> bool:
    """True for names of national bodies: 国务院…, 国家…, 中国…, 科技部, 税务总局."""
    return bool(_NATIONAL_MARK.search(name))
