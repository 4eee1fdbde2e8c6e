"""Everyday queries (tests/search/everyday_*.jsonl) through the real /api/search and /api/who-leads on the sample
corpus: the dev set must stay near its measured figures; the held-out set is printed, with a low floor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPORTS
from tests.sample import Loaded
from tests.search.everyday import (
    DEV,
    FAMILIES,
    HOLDOUT,
    HOLDOUT2,
    HOLDOUT3,
    MORE_FAMILIES,
    THIRD_FAMILIES,
    Scores,
    read_set,
    run,
)

# Measured (tests/search/README.md): dev 1.00 / 1.00 / 1.00 (before this work 0.64 / 0.71 / 0.67); held out
# 0.95 / 1.00 / 0.97 (before 0.65 / 0.85 / 0.72).
DEV_FLOOR = {"s@1": 0.90, "s@5": 0.95, "mrr": 0.92}
DEV_FAMILY_S5 = 0.80  # every family: a query family that breaks is not hidden by the others
HOLDOUT_FLOOR = {"s@1": 0.60, "s@5": 0.75, "mrr": 0.65}
# The second set: untouched 0.78 / 0.78 / 0.78, then tuned on (README.md); measured after 0.98 / 0.98 / 0.98
# (0.98 / 1.00 / 0.99 after the third set's mechanisms).
HOLDOUT2_FLOOR = {"s@1": 0.92, "s@5": 0.94, "mrr": 0.93}
# The third set: untouched 0.66 / 0.68 / 0.66, then tuned on (README.md); measured after 1.00 / 1.00 / 1.00.
HOLDOUT3_FLOOR = {"s@1": 0.94, "s@5": 0.96, "mrr": 0.95}


@pytest.fixture(scope="module")
def everyday_client(sample: Loaded) -> Any:
    from webapp import create_app

    return create_app({"TESTING": True, "GRAPH_STORE": sample.store, "SEARCH_INDEX": sample.index}).test_client()


def _report(name: str, scores: Scores) -> None:
    REPORTS.append(f"everyday queries, {name}\n{scores.table()}")


def test_dev_set_keeps_its_figures(everyday_client: Any) -> None:
    scores = run(everyday_client, read_set(DEV))
    _report("dev", scores)
    overall = scores.of()
    misses = [(o.query.q, o.rank) for o in scores.outcomes if o.rank != 1]
    for name, floor in DEV_FLOOR.items():
        assert overall[name] >= floor, (name, overall, misses)
    for family in FAMILIES:
        figures = scores.of(family)
        assert figures["n"] and figures["s@5"] >= DEV_FAMILY_S5, (family, figures, misses)


def test_holdout_set_above_a_low_floor(everyday_client: Any) -> None:
    scores = run(everyday_client, read_set(HOLDOUT))
    _report("held out (never tuned on)", scores)
    overall = scores.of()
    for name, floor in HOLDOUT_FLOOR.items():
        assert overall[name] >= floor, (name, overall)


@pytest.mark.parametrize(("path", "floors", "title"), [
    (HOLDOUT2, HOLDOUT2_FLOOR, "second set (tuned on after its untouched run)"),
    (HOLDOUT3, HOLDOUT3_FLOOR, "third set (tuned on after its untouched run)"),
], ids=["second", "third"])
def test_later_sets_keep_their_figures(everyday_client: Any, path: Path, floors: dict[str, float],
                                       title: str) -> None:
    scores = run(everyday_client, read_set(path))
    _report(title, scores)
    overall = scores.of()
    misses = [(o.query.q, o.rank) for o in scores.outcomes if o.rank != 1]
    for name, floor in floors.items():
        assert overall[name] >= floor, (name, overall, misses)


def test_the_third_set_is_apart_and_judged() -> None:
    third, earlier = read_set(HOLDOUT3), read_set(DEV) + read_set(HOLDOUT) + read_set(HOLDOUT2)
    assert len(third) == 50
    assert not {q.q for q in third} & {q.q for q in earlier}
    assert all(q.expect and q.api in ("search", "who-leads") and q.family in (*FAMILIES, *MORE_FAMILIES,
                                                                             *THIRD_FAMILIES) for q in third)
    assert {q.family for q in third} >= set(THIRD_FAMILIES)


def test_the_second_set_is_apart_and_judged() -> None:
    second, earlier = read_set(HOLDOUT2), read_set(DEV) + read_set(HOLDOUT)
    assert 40 <= len(second) <= 50
    assert not {q.q for q in second} & {q.q for q in earlier}
    assert all(q.expect and q.api in ("search", "who-leads") and q.family in (*FAMILIES, *MORE_FAMILIES)
               for q in second)


def test_the_sets_are_apart_and_judged() -> None:
    dev, holdout = read_set(DEV), read_set(HOLDOUT)
    assert len(dev) >= 60 and len(holdout) == 20
    assert not {q.q for q in dev} & {q.q for q in holdout}
    assert all(q.expect and q.api in ("search", "who-leads") and q.family in FAMILIES for q in dev + holdout)
