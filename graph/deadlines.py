"""The deadline board: dated measures bucketed as overdue / due this month / due next month, relative to a day."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph import cypher
from graph.overview import month_of
from graph.reads import UnitLink
from graph.store import Store

BUCKETS = {"overdue": "已逾期", "this_month": "本月到期", "next_month": "下月到期"}
SHOWN_PER_BUCKET = 50  # the page lists this many per bucket (counts and exports have them all)
JSON_PER_BUCKET, JSON_MAX = 500, 5000  # the JSON twin: measures per bucket by default, and at most (`limit`)
EXPORT_MAX = 10_000  # rows in a board download (a 10k-document corpus has ~100k overdue measures)


@dataclass(frozen=True)
class DeadlineRow:
    """A measure with a dated deadline, its policy and its units."""

    measure_id: str
    title: str
    text: str
    deadline: str  # as written on the measure: YYYY-MM or YYYY
    month: str  # YYYY-MM it is due by (a bare year: its December)
    ordinal: int
    evidence: str
    policy_id: str
    policy_title: str
    policy_region: str | None
    lead: tuple[UnitLink, ...]
    support: tuple[UnitLink, ...]

    def role_of(self, department_id: str) -> str | None:
        """牵头 or 配合 for a department named on this measure."""
        if any(u.id == department_id for u in self.lead):
            return "牵头"
        return "配合" if any(u.id == department_id for u in self.support) else None

    def to_json(self) -> dict[str, Any]:
        return {"measure_id": self.measure_id, "title": self.title, "text": self.text, "deadline": self.deadline,
                "month": self.month, "evidence": self.evidence, "policy_id": self.policy_id,
                "policy_title": self.policy_title, "region": self.policy_region,
                "lead": [u.__dict__ for u in self.lead], "support": [u.__dict__ for u in self.support]}


@dataclass
class Board:
    """Dated measures relative to `today`, filtered by department and region."""

    today: date
    this_month: str
    next_month: str
    department: str | None
    region: str | None
    buckets: dict[str, list[DeadlineRow]] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[str, DeadlineRow]]:
        """Every row of the board with its bucket, in bucket order."""
        return [(name, row) for name in BUCKETS for row in self.buckets.get(name, [])]

    def to_json(self, limit: int) -> dict[str, Any]:
        """The board as JSON: every bucket's count, and its first `limit` measures."""
        return {"today": self.today.isoformat(), "this_month": self.this_month, "next_month": self.next_month,
                "filters": {"department": self.department, "region": self.region}, "limit": limit,
                "counts": {name: len(self.buckets.get(name, [])) for name in BUCKETS},
                "buckets": {name: [r.to_json() for r in self.buckets.get(name, [])[:limit]] for name in BUCKETS}}


def deadline_rows(store: Store) -> list[DeadlineRow]:
    """Every measure whose deadline is a month or a year, soonest first (cache per graph version)."""
    units: dict[str, dict[str, list[tuple[Any, UnitLink]]]] = defaultdict(lambda: {"LEADS": [], "SUPPORTS": []})
    for r in store.read(cypher.DEADLINE_UNITS).records():
        units[r["measure"]][r["role"]].append((r["rank"] if r["rank"] is not None else 1 << 30,
                                               UnitLink(r["id"], r["name"] or "")))
    rows = []
    for r in store.read(cypher.DEADLINE_MEASURES).records():
        m, p = r["m"], r["p"]
        month = month_of(m.get("deadline"))
        if month is None:
            continue
        named = units.get(m["id"], {"LEADS": [], "SUPPORTS": []})
        rows.append(DeadlineRow(m["id"], m.get("title") or "", m.get("text") or "", m["deadline"], month,
                                int(m.get("ordinal") or 0), m.get("evidence") or "", p["id"], p.get("title") or "",
                                p.get("region"), _ranked(named["LEADS"]), _ranked(named["SUPPORTS"])))
    rows.sort(key=lambda row: (row.month, row.policy_id, row.ordinal))
    return rows


def _ranked(units: list[tuple[Any, UnitLink]]) -> tuple[UnitLink, ...]:
    return tuple(u for _rank, u in sorted(units, key=lambda ru: (ru[0], ru[1].name)))


@dataclass
class BoardData:
    """The dated measures with what the board's filters need, built once per graph version.

    Every list is in `rows` order (by month), so a bucket is a slice found by bisection.
    """

    rows: list[DeadlineRow]
    by_department: dict[str, list[DeadlineRow]]
    by_region: dict[str, list[DeadlineRow]]
    departments: list[tuple[UnitLink, int]]  # named on dated measures, most first

    @property
    def regions(self) -> list[str]:
        """The policy regions of dated measures, sorted."""
        return sorted(self.by_region)


def board_data(store: Store) -> BoardData:
    """Read the dated measures and index them by department and by region."""
    rows = deadline_rows(store)
    by_department: dict[str, list[DeadlineRow]] = defaultdict(list)
    by_region: dict[str, list[DeadlineRow]] = defaultdict(list)
    names: dict[str, UnitLink] = {}
    for row in rows:
        for u in row.lead + row.support:
            if not by_department[u.id] or by_department[u.id][-1] is not row:
                by_department[u.id].append(row)
            names[u.id] = u
        if row.policy_region:
            by_region[row.policy_region].append(row)
    ranked = sorted(((names[d], len(items)) for d, items in by_department.items()), key=lambda un: (-un[1], un[0].name))
    return BoardData(rows, dict(by_department), dict(by_region), ranked)


def month_after(month: str) -> str:
    """The month after "YYYY-MM"."""
    year, mon = int(month[:4]), int(month[5:])
    return f"{year + 1}-01" if mon == 12 else f"{year}-{mon + 1:02d}"


def board(data: BoardData, today: date, department: str | None = None, region: str | None = None) -> Board:
    """Bucket the dated measures relative to `today`: overdue (a month before this one), due this month, next."""
    this_month = f"{today.year}-{today.month:02d}"
    view = Board(today, this_month, month_after(this_month), department, region)
    if department:
        rows = [r for r in data.by_department.get(department, []) if not region or r.policy_region == region]
    else:
        rows = data.by_region.get(region, []) if region else data.rows
    cuts = [bisect_left(rows, month, key=_month_key) for month in (this_month, view.next_month,
                                                                   month_after(view.next_month))]
    view.buckets = {"overdue": rows[:cuts[0]], "this_month": rows[cuts[0]:cuts[1]], "next_month": rows[cuts[1]:cuts[2]]}
    return view


def _month_key(row: DeadlineRow) -> str:
    return row.month
