"""Facet counts from numpy columns agree with counting the stored fields of Whoosh's own matches."""

from __future__ import annotations

import random
from collections import Counter

from whoosh import query as wq

from core.records import Entity
from search.docsets import matches, segments
from search.facets import FACETS, MAX_VALUES, facet_counts
from search.schema import VALUE_SEPARATOR
from tests.search.factory import extraction, unit

DEPARTMENTS = [Entity(f"dep-{i:02d}", "Department", f"测试市第{i}局", [], region="测试市") for i in range(40)]
ISSUERS = ["甲市人民政府", "乙省人民政府", "科学技术部"]
WORDS = "科技 成果 转化 推动 平台 建设 人才 企业".split()


def _docs(rng: random.Random, n: int, prefix: str):
    out = []
    for i in range(n):
        lead = rng.sample(DEPARTMENTS, rng.randint(1, 3))
        measures = [("", "".join(rng.choices(WORDS, k=rng.randint(2, 8)))) for _ in range(rng.randint(1, 4))]
        out.append(extraction(f"pol-{prefix}{i:03d}", "标题", "".join(rng.choices(WORDS, k=12)), measures,
                              issuers=tuple(rng.sample(ISSUERS, rng.randint(1, 2))),
                              date=f"{rng.randint(2018, 2022)}-01-01", region=rng.choice(["甲市", "乙省", "丙县"]),
                              lead=[unit(d) for d in lead], entities=lead))
    return out


def _expected(searcher, q: wq.Query) -> dict[str, list[tuple[str, int]]]:
    """Counts from the stored facet values of every document Whoosh matches (deleted ones excluded)."""
    out = {}
    for name, field in FACETS.items():
        counts: Counter[str] = Counter()
        for docnum in searcher.docs_for_query(q):
            stored = searcher.stored_fields(docnum).get(field) or ""
            counts.update(v for v in stored.split(VALUE_SEPARATOR) if v)
        out[name] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_VALUES]
    return out


def test_facet_counts_equal_stored_values_of_the_matches_across_segments_and_deletions(index):
    rng = random.Random(8)
    index.index_many(_docs(rng, 60, "a"))
    index.index_many(_docs(rng, 60, "b"))  # a second segment
    for i in range(0, 60, 4):
        index.delete_document(f"pol-a{i:03d}")
    searcher = index.searcher()
    segs = segments(searcher)
    assert len(segs) >= 2 and searcher.reader().has_deletions()
    queries = [wq.Every(), wq.Term("kind", "measure"), wq.Term("kind", "policy")]
    queries += [wq.Term("body", w) for w in WORDS]
    queries += [wq.And([wq.Term("body", a), wq.Term("body", b), wq.Term("body", c)])
                for a, b, c in (rng.sample(WORDS, 3) for _ in range(10))]
    queries += [wq.Term("lead_facet", d.name) for d in DEPARTMENTS[:5]]
    for q in queries:
        matched = [matches(s, q) for s in segs]
        assert facet_counts(segs, matched) == _expected(searcher, q), q


def test_facet_values_are_capped_and_ordered_by_count_then_value(index):
    rng = random.Random(2)
    index.index_many(_docs(rng, 80, "a"))
    segs = segments(index.searcher())
    lead = facet_counts(segs, [matches(s, wq.Every()) for s in segs])["lead"]
    assert len(lead) == MAX_VALUES < len(DEPARTMENTS)
    assert lead == sorted(lead, key=lambda kv: (-kv[1], kv[0]))
