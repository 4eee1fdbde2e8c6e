"""Department resolution: a unit mention in a document → canonical name (issuer's region + official name).

市科技局 in a 淮北 document → 淮北市科学技术局; 省科技厅 in a 浙江 document → 浙江省科学技术厅;
科技部 → 科学技术部.
Abbreviations are expanded with the department-name knowledge base (core.deptnames: core/data/departments.json,
core/data/department_names.json) so that aliases such as 市人社局 / 市人力资源社会保障局 /
市人力资源和社会保障局 meet in one name, while look-alikes (经济和信息化局 vs 工业和信息化局) stay apart.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from core.deptnames import LOCAL_BODY, expand, national_names
from core.regions import NATIONAL, Region, find_region, is_national_body, region_prefix
from loaders.areas import areas, split_area
from loaders.units import is_group

log = logging.getLogger(__name__)

_LEVEL = re.compile(r"^(省|市|县|区)(?!场|级|内|外|直属|属|区|\(|、)")
_DIVISION = re.compile(
    r"^(?P<parent>.+?(?:厅|局|委员会|委|部|署|指挥部|政府))(?P<div>[^厅局委部署]{1,12}?(?:处|科|司|办公室|室|中心|局))$"
)
_DIVISION_TAIL = re.compile(r"(处|科|室|局|中心)$")
_SELF_REF = re.compile(r"^(省|市|县|区)(局|厅|委)(?=.)")
_TIER = re.compile(r"^(省|市|县)级(?=.{2})")
# Bodies that are not a local government's departments (customs, bank branches, companies, organising
# committees, branches of central regulators): 南昌海关 stays 南昌海关, never 南昌市海关.
_OUTSIDE_LOCAL_GOVERNMENT = re.compile(
    r"(海关|海事局|边检站|银行|分行|支行|分公司|公司|集团|组委会?|银保监局|证监局|监管局)$")


@dataclass(frozen=True)
class Resolved:
    """A unit's canonical identity."""

    mention: str
    name: str
    region: str | None
    kind: str = ""  # "group", "division" or ""
    parent: str | None = None  # canonical name of the parent department, for divisions


class Resolver:
    """Resolves the unit mentions of one document, given the document's region and issuer."""

    def __init__(self, region: Region | None, issuer: str | None = None):
        self.region = region
        self.issuer = issuer

    def resolve_list(self, mentions: list[str]) -> list[Resolved]:
        """Resolve a tag's list; unprefixed local names inherit the last explicit level (省发改委、工信厅)."""
        out, level, parent, area_level = [], None, None, None
        for mention in mentions:
            m = _LEVEL.match(mention)
            if m:
                level = m.group(1)
            area = split_area(mention)
            if area is not None and area[2]:
                # 省级科技、财政部门: the second area inherits the first one's level word.
                area_level = area[0] or area_level or level
                out.append(self.resolve(mention, area_level))
                parent = None
                continue
            if parent and not m and _DIVISION_TAIL.search(mention) and not region_prefix(mention):
                # 省局行政审批处、登记注册局: later divisions drop their parent's name.
                res = self.resolve(parent + mention, level)
                out.append(Resolved(mention, res.name, res.region, res.kind, res.parent))
                continue
            division = _DIVISION.match(mention)
            self_ref = _SELF_REF.match(mention)
            parent = division.group("parent") if division else (self_ref.group() if self_ref else None)
            out.append(self.resolve(mention, level))
        return out

    def resolve(self, mention: str, inherited: str | None = None) -> Resolved:
        """Canonical identity of one mention."""
        area = self._area(mention, inherited)
        if area is not None:
            return area
        tier = _TIER.match(mention)
        if tier and not is_group(mention):
            # 省级科协: the province's own body in a provincial document, the collective in a national one.
            region = self._region_of_level(tier.group(1))
            if region and region != NATIONAL:
                return Resolved(mention, region + mention[len(tier.group()):], region)
            return Resolved(mention, "各" + mention, None, "group")
        if is_group(mention):
            return Resolved(mention, self._grouped(mention), self._region_of_level(_level(mention)), "group")
        division = _DIVISION.match(mention)
        if division and not is_national_body(mention) and not mention.endswith("办公厅"):
            parent = self.resolve(division.group("parent"), inherited)
            parent_name = self._issuer_if_self(division.group("parent")) or parent.name
            name = parent_name + division.group("div")
            return Resolved(mention, name, parent.region, "division", parent_name)
        name, region = self._department(mention, inherited)
        return Resolved(mention, name, region)

    def _area(self, mention: str, inherited: str | None) -> Resolved | None:
        """`省财政部门` → 江西省财政厅 in a 江西 document; `省级科技部门` in a national one → group 各省级科技部门."""
        found = split_area(mention)
        if found is None or not found[2]:
            return None
        word, area, _ = found
        word = word or inherited
        provincial, local = areas()[area]
        level = {"省": "省", "省级": "省", "市": "市", "市级": "市"}.get(word or "")
        if word is None and self.region is not None and not self._is_national_doc():
            level = "市" if self.region.level == "city" else "省"
        region = self._region_of_level(level) if level else None
        if region and region != NATIONAL and self.region is not None:  # a region implies self.region
            body = provincial if level == "省" or self.region.level == "province" else local
            return Resolved(mention, region + body, region)
        tier = {"省": "省级", "省级": "省级", "各省级": "省级", "市": "市级", "市级": "市级", "各市级": "市级",
                "县": "县级", "县级": "县级", "各县级": "县级", "区": "县级"}.get(word or "", "级")
        local_region = self.region.name if self.region and not self._is_national_doc() else ""
        return Resolved(mention, f"{local_region}各{tier}{area}部门", local_region or None, "group")

    def _department(self, mention: str, inherited: str | None) -> tuple[str, str | None]:
        national = national_names()
        if mention in national and (self._is_national_doc() or _clearly_national(mention)):
            return national[mention], NATIONAL
        level = _level(mention)
        body = mention[1:] if level else mention
        if level is None and (found := region_prefix(mention)):
            reg, surface = found
            rest = mention[len(surface):]
            if rest and _OUTSIDE_LOCAL_GOVERNMENT.search(rest):
                return mention, reg.name
            return (reg.name + expand(rest) if rest else reg.name + "人民政府"), reg.name
        if level is None and is_national_body(mention):
            return national.get(mention, mention), NATIONAL
        if level is None and (inside := find_region(mention)):
            return mention, inside.name
        if level is None and LOCAL_BODY.search(mention):
            level = inherited or self._default_level(mention)
        region = self._region_of_level(level)
        if region is None or region == NATIONAL:
            return (level or "") + expand(body), region
        return region + expand(body), region

    def _default_level(self, mention: str) -> str | None:
        if self._is_national_doc():
            return None
        if mention.endswith("厅"):
            return "省"
        return "市" if self.region and self.region.level == "city" else "省"

    def _region_of_level(self, level: str | None) -> str | None:
        reg = self.region
        if reg is None:
            return None
        if level is None:
            return reg.name
        if level == "省":
            return reg.province if reg.level in ("province", "city") else None
        if level == "市":
            if reg.level == "city" or (reg.level == "province" and reg.name.endswith("市")):
                return reg.name
            return None
        return None

    def _grouped(self, mention: str) -> str:
        if re.match(r"^(省|市|县|区|设区市|地市)(级)?、", mention):
            mention = "各" + mention  # 市、县(区)人民政府 is the collective 各市、县(区)人民政府
        level = _level(mention)
        region = self._region_of_level(level)
        body = mention[1:] if level and region else mention
        return body if region in (None, NATIONAL) else region + body

    def _issuer_if_self(self, parent_mention: str) -> str | None:
        # 省局行政审批处 in a document issued by 江西省市场监管局: "省局" is the issuer itself.
        if self.issuer and re.fullmatch(r"(省|市|县|区)?(局|厅|委|部)", parent_mention):
            return self.issuer
        return None

    def _is_national_doc(self) -> bool:
        return self.region is not None and self.region.level == "national"


def _level(mention: str) -> str | None:
    m = _LEVEL.match(mention)
    return m.group(1) if m else None


def _clearly_national(mention: str) -> bool:
    return bool(re.search(r"(部|总局|总署|署|会)$|^(国家|中国|中央|国务院|全国)", mention))
