"""The FTS5 peer of the benchmark (bench/peers.py) answers the product's query syntax as the product means it:
words and "phrases", OR, -exclusions and type: filters, over entries pre-tokenised with the product's analyzer.
A peer that silently searched something else would make the side-by-side figures meaningless."""

from __future__ import annotations

from pathlib import Path

from bench.peers import Entry, _fts5, fts5_query, phrase_check

ENTRIES = [
    Entry("policy:a", "policy", "2021", "淮北市", "行动方案", "推进技术转移和中试基地建设。", "", ""),
    Entry("measure:b", "measure", "2021", "淮北市", "加快技术转移", "加快技术转移，服务企业。", "市科技局", ""),
    Entry("measure:c", "measure", "2022", "淮北市", "技术人才", "引进技术人才，促进成果转移。", "", ""),
    Entry("measure:d", "measure", "2022", "淮北市", "人才评价", "开展人才评价改革。", "", "市人社局"),
]


def _search(queries: list[str], tmp_path: Path) -> list[set[str]]:
    _figures, hits = _fts5(ENTRIES, queries, tmp_path / "fts5.sqlite3")
    return [set(h) for h in hits]


def test_fts5_answers_the_product_syntax(tmp_path: Path) -> None:
    queries = ['"技术转移"', "技术转移 -中试基地", "技术转移 type:measure", "中试基地 OR 人才评价", "技术 year:2022"]
    assert _search(queries, tmp_path) == [{"policy:a", "measure:b"}, {"measure:b"}, {"measure:b"},
                                          {"policy:a", "measure:d"}, {"measure:c"}]


def test_a_query_of_exclusions_only_finds_nothing_in_fts5() -> None:
    assert fts5_query("-技术转移") is None
    assert fts5_query("技术转移") is not None


def test_the_phrase_check_counts_hits_without_the_phrase() -> None:
    queries = ['"技术转移"', "人才"]
    checked = phrase_check(ENTRIES, queries, {"right": [["policy:a", "measure:b"], []],
                                              "wrong": [["measure:c"], []], "none": [[], []]})
    assert checked["queries"] == 1 and checked["entries_with_phrase"] == 2
    assert checked["right"] == {"hits": 2, "without_phrase": 0, "queries_without_hits": 0}
    assert checked["wrong"] == {"hits": 1, "without_phrase": 1, "queries_without_hits": 0}
    assert checked["none"] == {"hits": 0, "without_phrase": 0, "queries_without_hits": 1}
