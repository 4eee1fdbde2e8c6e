"""The department-name knowledge base: official names, short forms and former names of government bodies.

data/department_names.json lists them (with the names bodies had before the 2018 and 2023 reforms);
data/departments.json expands abbreviations of local bodies (科技局 → 科学技术局, 人社局 →
人力资源和社会保障局).  loaders.departments resolves the unit mentions of documents with it;
search reads department names typed in a query with `read_name` (淮北科技局 → 淮北市 + 科学技术局).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.regions import NATIONAL, Region, region_prefix

TABLES = Path(__file__).with_name("data") / "departments.json"
_NAMES = Path(__file__).with_name("data") / "department_names.json"
# How a local government body's name ends (厅, 局, 委, 办, 委员会, 政府).
LOCAL_BODY = re.compile(r"(厅|局|委|办|委员会|政府)$")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    data = json.loads(TABLES.read_text(encoding="utf-8"))
    local = [(re.compile(pattern + "$"), full) for pattern, full in data["local_suffixes"]]
    return {**knowledge().national, **data["national"]}, local


@lru_cache(maxsize=8192)  # a pure function of a short name: the same few thousand bodies recur in every document
def expand(body: str) -> str:
    """Official form of a local department body: 科技局 → 科学技术局, 人社局 → 人力资源和社会保障局."""
    for pattern, full in _tables()[1]:
        new = pattern.sub(full, body)
        if new != body:
            return new
    return knowledge().local.get(body, body)


def national_names() -> dict[str, str]:
    """Short or official form → official name of a national body (科技部 → 科学技术部)."""
    return _tables()[0]


@dataclass(frozen=True)
class Body:
    """A government body of the knowledge base: a national body's whole name, or a local body without region."""

    name: str  # 国家发展和改革委员会; 科学技术局
    level: str  # "national", "province" (厅), "local" (city/district 局) or "both"
    note: str = ""  # set when reached through a former name: the reform that renamed or merged it

    @property
    def national(self) -> bool:
        return self.level == "national"


@dataclass(frozen=True)
class Knowledge:
    """The knowledge base as look-ups: unambiguous short forms for resolving, every form for reading queries."""

    national: dict[str, str]  # short or official form → official name of a national body
    local: dict[str, str]  # short form → official form of a local body (科技局 → 科学技术局)
    forms: dict[str, tuple[Body, ...]]  # any form, former names included → the bodies it may mean


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """The department-name knowledge base (data/department_names.json)."""
    data = json.loads(_NAMES.read_text(encoding="utf-8"))
    national: dict[str, set[str]] = {}
    local: dict[str, set[str]] = {}
    forms: dict[str, list[Body]] = {}
    for level_of, entries in (("national", data["national"]), (None, data["local"])):
        for entry in entries:
            body = Body(entry["name"], level_of or entry["level"])
            same = national if body.national else local
            for form in (entry["name"], *entry["short"]):
                same.setdefault(form, set()).add(entry["name"])
                forms.setdefault(form, []).append(body)
            for former in entry.get("former", []):
                # 银保监会 finds 国家金融监督管理总局 and 金融监管总局 finds the documents of 银保监会.
                renamed, predecessor = Body(entry["name"], body.level, former["note"]), Body(
                    former["name"], body.level, former["note"])
                for form in (former["name"], *former["short"]):
                    forms.setdefault(form, []).extend([renamed, Body(former["name"], body.level)])
                for form in (entry["name"], *entry["short"]):
                    forms[form].append(predecessor)
    return Knowledge(
        national={form: next(iter(names)) for form, names in national.items() if len(names) == 1},
        local={form: next(iter(names)) for form, names in local.items() if len(names) == 1 and form not in names},
        forms={form: _distinct(bodies) for form, bodies in forms.items()},
    )


def _distinct(bodies: list[Body]) -> tuple[Body, ...]:
    """One body per name, in order; a body written as is wins over the same body reached through a renaming."""
    plain = {b.name for b in bodies if not b.note}
    out: dict[str, Body] = {}
    for b in bodies:
        if b.name not in out and (not b.note or b.name not in plain):
            out[b.name] = b
    return tuple(out.values())


@dataclass(frozen=True)
class NameReading:
    """A department name as typed in a query: the region it names, a level word, and the bodies it may mean."""

    text: str
    region: Region | None  # 淮北 → 淮北市; None: every region
    level: str | None  # 省/市/区/县 written without a region (市人社局)
    bodies: tuple[Body, ...]

    def body_of(self, name: str) -> Body | None:
        """The body a canonical department name is an instance of under this reading, or None."""
        for body in self.bodies:
            if body.national:
                if self.region is None and self.level is None and name == body.name:
                    return body
            elif name.endswith(body.name) and self._region_fits(name[: -len(body.name)]):
                return body
        return None

    def _region_fits(self, prefix: str) -> bool:
        """Whether the part of a name before its body is this reading's region (a district of it is too)."""
        if self.region is not None:
            return prefix == self.region.name or bool(
                prefix.startswith(self.region.name) and _DISTRICT.fullmatch(prefix[len(self.region.name):]))
        found = region_prefix(prefix)
        if found is None:
            return False
        reg, surface = found
        district = prefix[len(surface):]
        if surface != reg.name or (district and not _DISTRICT.fullmatch(district)):
            return False
        return _level_fits(self.level, reg, district)


_DISTRICT = re.compile(r"[\u4e00-\u9fff]{1,8}?(区|县|市|旗)")
_QUERY_LEVEL = re.compile(r"^(省|市|区|县)(?=..)")


def _level_fits(level: str | None, reg: Region, district: str) -> bool:
    """Whether a region (and district) is at the level a query wrote (省科技厅, 市人社局, 区科技局)."""
    if level is None:
        return True
    if level in ("区", "县"):
        return bool(district)
    if district:
        return False
    if level == "省":
        return reg.level == "province"
    return reg.level == "city" or reg.name.endswith("市")


def read_name(text: str) -> NameReading | None:
    """Read a department name typed in a query (simplified characters): 淮北市科技局, 浙江科技厅, 人社局, 发改委.

    A region may be written in full or short (淮北/淮北市, 安徽省淮北市), or a level word alone (市人社局);
    the body may be official, short or a former name. None when the text does not name a body.
    """
    text = text.strip()
    rest, reg = text, None
    while (found := region_prefix(rest)) and found[0].name != NATIONAL and len(rest) > len(found[1]):
        reg, rest = found[0], rest[len(found[1]):]
    level = None
    if reg is None and (m := _QUERY_LEVEL.match(rest)) and _bodies(rest[1:]):
        level, rest = m.group(1), rest[1:]
    bodies = _bodies(rest)
    if reg is not None:
        bodies = tuple(b for b in bodies if not b.national)
        if not bodies and LOCAL_BODY.search(rest) and len(rest) >= 2:
            bodies = (Body(expand(rest), "local"),)  # 淮北市数据资源管理局: a body the base does not list
    elif level is not None:
        bodies = tuple(b for b in bodies if not b.national)
    return NameReading(text, reg, level, bodies) if bodies else None


@lru_cache(maxsize=4096)
def _bodies(form: str) -> tuple[Body, ...]:
    """The bodies a written form (without region) may mean: its own entries, or those of its official form."""
    forms = knowledge().forms
    found = forms.get(form) or forms.get(expand(form)) or ()
    if not found and form in _tables()[0]:
        found = (Body(_tables()[0][form], "national"),)
    return found
