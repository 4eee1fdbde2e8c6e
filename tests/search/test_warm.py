"""Warming the caches at start: the most frequent words are read first; searches give the same results."""

from __future__ import annotations

from whoosh import query as wq

from search.docsets import CACHE
from search.query import search
from search.warm import _most_frequent, warm
from tests.search.factory import extraction


def test_warm_reads_the_words_in_most_documents_and_changes_no_result(index):
    index.index_many([extraction(f"pol-{i:02d}", f"标题{i}", "推动科技成果转化。" + "加强人才培养。" * (i % 3),
                                 [("", "完善技术转移机制。")]) for i in range(12)])
    searcher = index.searcher()
    top = _most_frequent(searcher, "body", 3)
    df = {t: len(list(searcher.docs_for_query(wq.Term("body", t)))) for t in top}
    rest = [t.decode() for t, _ in searcher.reader().iter_field("body") if t.decode() not in top]
    assert all(len(list(searcher.docs_for_query(wq.Term("body", t)))) <= min(df.values()) for t in rest)
    before = search(index, "科技成果转化 OR 人才")
    CACHE.clear()
    assert warm(index, words=3) == 6  # three words in each of body and title
    assert any(key[0] == "occurrences" and key[3] in top for key in CACHE._items)
    assert search(index, "科技成果转化 OR 人才") == before
