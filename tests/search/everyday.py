"""Everyday queries: what staff type, run through the real entry points and scored against judged answers.

Each line of everyday_queries.jsonl (dev), everyday_holdout.jsonl (kept apart: never tuned on),
everyday_holdout2.jsonl and everyday_holdout3.jsonl (a second and a third set, each measured untouched once,
then tuned on: see README.md) is
{"q", "api": "search" | "who-leads", "family", "expect": [...]}.  For "search" the expected entries are index
uids (policy:pol-…, measure:mea-…) or department:<canonical name>; for "who-leads" canonical names of the lead
departments a staff member wants first.  A query succeeds at k when any expected entry is among the first k
results (the flat `hits` of /api/search, the `leads` of /api/who-leads); MRR uses the first expected one.

    .venv/bin/python -m tests.search.everyday            # dev set, failures listed
    .venv/bin/python -m tests.search.everyday --holdout  # holdout: figures only
    .venv/bin/python -m tests.search.everyday --holdout2 # second set: figures only
    .venv/bin/python -m tests.search.everyday --holdout3 # third set: figures only
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.ids import entity_id

HERE = Path(__file__).resolve().parent
DEV = HERE / "everyday_queries.jsonl"
HOLDOUT = HERE / "everyday_holdout.jsonl"
HOLDOUT2 = HERE / "everyday_holdout2.jsonl"
HOLDOUT3 = HERE / "everyday_holdout3.jsonl"
FAMILIES = ("department", "question", "topic", "mixed", "year-doctype", "traditional", "nospace")
# Families only the second set has: programme/platform names, policy titles typed partly or with wrong
# quotes, document numbers in several writings, filler words around a topic, two topics in one query.
MORE_FAMILIES = ("programme", "title", "docnumber", "filler", "multi")
# Families only the third set has: colloquial department words (科技口, 发改那边, 人社), questions across
# documents or two topics at once (…和…分别由谁牵头, 两个文件都提到的…), text pasted from a document
# (a measure's sentence with its punctuation or its responsibility note, a title in 《》), full-width digits
# and letters or extra spaces.
THIRD_FAMILIES = ("colloquial", "compare", "fragment", "width")
PAGE = 10


@dataclass(frozen=True)
class Everyday:
    """One judged query."""

    q: str
    api: str
    family: str
    expect: tuple[str, ...]


@dataclass
class Outcome:
    """Where the first expected answer of one query came (0: not in the first PAGE results)."""

    query: Everyday
    rank: int
    got: list[str]


@dataclass
class Scores:
    """success@1, success@5 and MRR over a set of outcomes, overall and per family."""

    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, family: str | None = None) -> dict[str, float]:
        """The three figures (over one family, or all)."""
        ranks = [o.rank for o in self.outcomes if family is None or o.query.family == family]
        n = len(ranks) or 1
        return {"n": len(ranks), "s@1": sum(r == 1 for r in ranks) / n, "s@5": sum(1 <= r <= 5 for r in ranks) / n,
                "mrr": sum(1 / r for r in ranks if r) / n}

    def table(self) -> str:
        """A plain-text table, one row per family and a total."""
        rows = ["family         n   s@1   s@5   MRR"]
        for family in (*FAMILIES, *MORE_FAMILIES, *THIRD_FAMILIES, None):
            f = self.of(family)
            if f["n"]:
                rows.append(f"{family or 'ALL':<12} {f['n']:>3}  {f['s@1']:.2f}  {f['s@5']:.2f}  {f['mrr']:.2f}")
        return "\n".join(rows)


def read_set(path: Path) -> list[Everyday]:
    """The judged queries of one file."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Everyday(d["q"], d["api"], d["family"], tuple(d["expect"])) for d in lines]


def _wanted(query: Everyday) -> set[str]:
    """The expected entries as the API names them (department names → department ids)."""
    if query.api == "who-leads":
        return {entity_id("Department", name) for name in query.expect}
    return {f"department:{entity_id('Department', e.split(':', 1)[1])}" if e.startswith("department:") else e
            for e in query.expect}


def results(client: Any, query: Everyday) -> list[str]:
    """The ranked answers of the real endpoint: index uids (search) or lead department ids (who-leads)."""
    if query.api == "who-leads":
        body = client.get("/api/who-leads", query_string={"q": query.q, "limit": PAGE}).get_json()
        return [lead["id"] for lead in body["leads"]][:PAGE]
    body = client.get("/api/search", query_string={"q": query.q, "page_size": PAGE}).get_json()
    return [hit["uid"] for hit in body["hits"]][:PAGE]


def run(client: Any, queries: list[Everyday]) -> Scores:
    """Run every query through the app and score it."""
    scores = Scores()
    for query in queries:
        got = results(client, query)
        wanted = _wanted(query)
        rank = next((i + 1 for i, uid in enumerate(got) if uid in wanted), 0)
        scores.outcomes.append(Outcome(query, rank, got))
    return scores


def _main() -> int:
    parser = argparse.ArgumentParser(description="Score the everyday queries on the sample corpus.")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--holdout", action="store_true", help="the held-out set (figures only, no failures)")
    which.add_argument("--holdout2", action="store_true", help="the second set (figures only, no failures)")
    which.add_argument("--holdout2-failures", action="store_true",
                       help="the second set with its failures (only once it is no longer held out)")
    which.add_argument("--holdout3", action="store_true", help="the third set (figures only, no failures)")
    which.add_argument("--holdout3-failures", action="store_true",
                       help="the third set with its failures (only once it is no longer held out)")
    args = parser.parse_args()
    path = (HOLDOUT if args.holdout else HOLDOUT2 if args.holdout2 or args.holdout2_failures
            else HOLDOUT3 if args.holdout3 or args.holdout3_failures else DEV)
    from graph.engine import EmbeddedEngine
    from tests.sample import SAMPLE_CORPUS, load_sample
    from webapp import create_app

    with tempfile.TemporaryDirectory() as tmp:
        engine = EmbeddedEngine(Path(tmp) / "engine").start()
        try:
            loaded = load_sample(engine, Path(tmp) / "index", [SAMPLE_CORPUS])
            client = create_app({"TESTING": True, "GRAPH_STORE": loaded.store,
                                 "SEARCH_INDEX": loaded.index}).test_client()
            scores = run(client, read_set(path))
            loaded.index.close()
        finally:
            engine.stop()
    print(scores.table())
    if not (args.holdout or args.holdout2 or args.holdout3):
        for o in scores.outcomes:
            if o.rank != 1:
                print(f"[{o.query.family}] {o.query.q!r} rank={o.rank} want={list(o.query.expect)} got={o.got[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
