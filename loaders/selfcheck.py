"""Self-check: did the extractor understand who does what in a document? Says so when it did not.

Independently of how measures were found, this scans the text for units written where assignments are
written — a bracketed list of units, a `责任单位:` / `牵头单位:` line, a unit list before 牵头 / 负责 / 配合 /
会同, a unit opening a sentence with `要` / `负责` — and compares them with the units the measures carry.

- **coverage**: the share of those units that ended up leading or supporting some measure;
- **unassigned**: those that did not (the places to look at);
- **measures without a lead**.

A document that names units in such places but yields no assignment, or whose coverage is low, gets a
warning (in Chinese: staff read it on the policy page, in /api and in the load summary). Works on match
text (simplified, half-width).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from core.text import match_text
from loaders.grammar import LABEL
from loaders.unitlex import COLLECTIVE, is_unit, unit_kind
from loaders.units import split_units

# Places where assignments are written (the units are group "u").
_BRACKET = re.compile(r"\((?P<u>[^()\n]{2,200})\)")
_LABELLED = re.compile(rf"(?:{LABEL.pattern})(?P<u>[^\n)]{{2,200}})")
_BEFORE_ROLE = re.compile(r"(?:^|(?<=[,。;:\n(]))\s*(?:由)?(?P<u>[^,。;:()\n]{2,60}?)"
                          r"(?:牵头|负责|配合|会同|联合|参与|协助|要|应|将)")
_STOP = re.compile(r"[;:]|(?:牵头|配合|负责|参与|协助|完成|时限|时间)")
LOW_COVERAGE = 0.6  # below this share the document gets a warning
MIN_UNITS = 3  # fewer distinct candidate units: too little to judge


@dataclass
class SelfCheck:
    """What the self-check found for one document."""

    candidates: int  # distinct units written in assignment-like places
    assigned: int  # of those, units on some measure
    coverage: float | None  # assigned / candidates (None when there are no candidates)
    unassigned: list[str] = field(default_factory=list)
    measures: int = 0
    without_lead: int = 0
    warnings: list[str] = field(default_factory=list)  # for users: Chinese

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def check(match: str, measures: list[Any]) -> SelfCheck:
    """Compare the units written in assignment-like places of `match` with the measures' units.

    `measures` are RawMeasure or Measure objects: anything with `lead` and `support` lists of objects
    that have a `mention`.
    """
    candidates = _candidates(match)
    on_measures = {_key(u.mention) for m in measures for u in m.lead + m.support}
    assigned = [c for c in candidates if _key(c) in on_measures or _covered(c, on_measures)]
    unassigned = [c for c in candidates if c not in assigned]
    without_lead = sum(1 for m in measures if not m.lead)
    coverage = len(assigned) / len(candidates) if candidates else None
    result = SelfCheck(len(candidates), len(assigned), None if coverage is None else round(coverage, 3),
                       unassigned[:50], len(measures), without_lead)
    with_units = sum(1 for m in measures if m.lead or m.support)
    if len(candidates) >= MIN_UNITS and with_units == 0:
        result.warnings.append(f"文中有 {len(candidates)} 个部门出现在分工位置，但未识别出任何牵头或配合分工，"
                               "请人工核对原文。")
    elif len(candidates) >= MIN_UNITS and coverage is not None and coverage < LOW_COVERAGE:
        result.warnings.append(f"分工识别可能不完整：分工位置出现的 {len(candidates)} 个部门中只有 "
                               f"{len(assigned)} 个落到措施上（覆盖率 {coverage:.0%}），未落到措施的部门："
                               f"{'、'.join(unassigned[:8])}{'等' if len(unassigned) > 8 else ''}。")
    if measures and without_lead > len(measures) / 2:
        result.warnings.append(f"{len(measures)} 项措施中有 {without_lead} 项未识别出牵头单位。")
    return result


def _candidates(match: str) -> list[str]:
    found: dict[str, None] = {}
    for pattern in (_BRACKET, _LABELLED, _BEFORE_ROLE):
        for m in pattern.finditer(match):
            value = m.group("u")
            stop = _STOP.search(value) if pattern is not _BEFORE_ROLE else None
            items = split_units(value[:stop.start()] if stop else value)
            units = [u for u in items if is_unit(u) and unit_kind(u) != COLLECTIVE]
            if pattern is _BRACKET and (len(units) < max(1, len(items) * 0.75) or len(items) > 12):
                continue  # a bracket of prose, not a list of units
            for unit in units:
                found.setdefault(unit)
    return list(found)


def _key(mention: str) -> str:
    # measures carry mentions as the document writes them; the check reads match text (simplified, half-width)
    return re.sub(r"\s+", "", match_text(mention))


def _covered(candidate: str, on_measures: set[str]) -> bool:
    """A candidate counts as assigned when a measure carries it under a longer or shorter written form
    (市水务局 / 市水务局(海洋局))."""
    key = _key(candidate)
    return any(key in m or m in key for m in on_measures if len(m) >= 3)
