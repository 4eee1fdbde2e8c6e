"""Warming the caches at start: the most frequent words are read first; searches give the same results."""

from __future__ import annotations

import threading

import pytest
from whoosh import query as wq

from search import hotfile
from search import warm as warm_module
from search.docsets import CACHE, MAPPED, segments
from search.hotfile import path_of
from search.query import search
from search.warm import most_frequent, warm
from tests.search.factory import extraction

pytestmark = pytest.mark.usefixtures("fresh_caches")


def _load(index):
    index.index_many([extraction(f"pol-{i:02d}", f"标题{i}", "推动科技成果转化。" + "加强人才培养。" * (i % 3),
                                 [("", "完善技术转移机制。")]) for i in range(12)])
    index.index_many([extraction(f"pol-b{i:02d}", "标题", "推动人才工作。", []) for i in range(3)])


def test_most_frequent_counts_documents_over_every_segment(index):
    _load(index)
    searcher = index.searcher()
    assert len(segments(searcher)) == 2
    top = most_frequent(searcher, ("body", "title"), 5)
    df = {pair: len(list(searcher.docs_for_query(wq.Term(*pair)))) for pair in top}
    assert [df[p] for p in top] == sorted(df.values(), reverse=True)
    everything = [("body", t.decode()) for t, _ in searcher.reader().iter_field("body")]
    rest = [p for p in everything if p not in top]
    assert all(len(list(searcher.docs_for_query(wq.Term(*p)))) <= min(df.values()) for p in rest)


def test_warm_reads_the_words_in_most_documents_and_changes_no_result(index):
    _load(index)
    before = search(index, "科技成果转化 OR 人才")
    CACHE.clear()
    top = most_frequent(index.searcher(), ("title", "body", "lead", "support"), 4)
    assert warm(index, words=4) == 4
    assert {(key[2], key[3]) for key in CACHE._items if key[0] == "bm25"} == set(top)
    assert search(index, "科技成果转化 OR 人才") == before


def test_warm_stops_at_its_share_of_the_cache_without_evicting_the_columns(index, monkeypatch):
    _load(index)
    monkeypatch.setattr(CACHE, "max_bytes", 10**9)
    warm(index, words=0)
    columns, needed = set(CACHE._items), CACHE.bytes
    CACHE.clear()
    monkeypatch.setattr(CACHE, "max_bytes", int(needed / 0.9))  # the columns fill what warming may use
    assert warm(index) == 0
    assert columns <= set(CACHE._items)


def test_warm_maps_every_segment_hot_word_file(index, monkeypatch):
    monkeypatch.setattr(hotfile, "MIN_DOCS", 2)
    _load(index)
    warm(index, words=0)
    segs = segments(index.searcher())
    assert all(path_of(index.directory, s).exists() and s.id in MAPPED for s in segs)


def test_a_serving_process_warms_again_after_the_index_changes(index, monkeypatch):
    monkeypatch.setattr(hotfile, "MIN_DOCS", 2)
    _load(index)
    calls = []
    real_warm = warm_module.warm
    monkeypatch.setattr(warm_module, "warm", lambda ix, words: calls.append(words) or real_warm(ix, words=words))
    seen = warm_module._warm_safely(index, 4)
    assert warm_module.rewarm_if_changed(index, seen) == seen and calls == [4]  # nothing changed: nothing done
    index.index_many([extraction(f"pol-c{i:02d}", "标题", "推动人才工作。", []) for i in range(3)])
    now = warm_module.rewarm_if_changed(index, seen)
    assert now != seen and now == index.state() and calls == [4, 0]
    assert all(s.id in MAPPED for s in segments(index.searcher()))  # the new segment's hot words too


def test_keep_warm_stops_when_told(index):
    _load(index)
    stop = threading.Event()
    stop.set()
    warm_module.keep_warm(index, stop, every_s=0.01)  # warms once, then returns at once
    assert any(key[0] == "bm25" for key in CACHE._items)
