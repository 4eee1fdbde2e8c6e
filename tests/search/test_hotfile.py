"""Hot-word files: what a search reads from them equals what the segment holds, and they live and die with it."""

from __future__ import annotations

import random
import threading
import time

import numpy as np
import pytest

from search import hotfile
from search.docsets import CACHE, MAPPED, decode_term, occurrences, postings, segments
from search.hotfile import HOT, HotFile, hot_words, path_of
from search.query import search
from search.schema import TEXT_FIELDS
from tests.search.factory import HR, SCI, extraction, unit

WORDS = "科技 成果 转化 推动 平台 建设 人才 企业 技术 转移".split()
QUERIES = ["科技成果转化", '"技术转移"', "平台 OR 人才", "科技 -企业", "成果 type:measure", "人才 lead:人社局"]


@pytest.fixture(autouse=True)
def _hot_when_in_two_documents(monkeypatch, fresh_caches):
    """Every word in two or more documents is hot, so small indexes have hot files."""
    monkeypatch.setattr(hotfile, "MIN_DOCS", 2)


def _docs(prefix: str, n: int, seed: int = 3):
    rng = random.Random(seed)
    return [extraction(f"pol-{prefix}{i:03d}", "".join(rng.choices(WORDS, k=3)),
                       "".join(rng.choices(WORDS, k=rng.randint(5, 40))),
                       [("", "".join(rng.choices(WORDS, k=rng.randint(2, 12))))] * 2,
                       lead=[unit(rng.choice([HR, SCI]))], entities=[HR, SCI]) for i in range(n)]


def _results(index):
    return [search(index, q, page_size=50).to_json() for q in QUERIES]


def test_a_hot_file_holds_exactly_what_the_segment_decodes_and_searches_do_not_change(index):
    index.index_many(_docs("a", 40))
    index.index_many(_docs("b", 30, seed=4))
    cold = _results(index)
    CACHE.clear()
    segs = segments(index.searcher())
    assert HOT.ensure(index.directory, segs, TEXT_FIELDS) > 0
    for seg in segs:
        hot = HotFile(path_of(index.directory, seg))
        words = hot_words(seg, TEXT_FIELDS)
        assert len(hot) == len(words) > 0
        for fieldname, text in words:
            mapped_postings, mapped_keys = hot.find(fieldname, text)
            read_postings, read_keys = decode_term(seg, fieldname, text)
            assert np.array_equal(mapped_postings.ids, read_postings.ids)
            assert np.array_equal(mapped_postings.weights, read_postings.weights)
            assert np.array_equal(mapped_keys, read_keys)
        # the search path takes them from the file, not from the cache
        fieldname, text = words[0]
        assert not postings(seg, fieldname, text).ids.flags.writeable  # a view on the read-only mapping
        assert not CACHE.has(("postings", seg.id, fieldname, text))
        assert len(occurrences(seg, fieldname, text)) == len(decode_term(seg, fieldname, text)[1])
    CACHE.clear()
    assert _results(index) == cold


def test_words_held_by_few_documents_stay_out(index, monkeypatch):
    index.index_many(_docs("a", 40))
    monkeypatch.setattr(hotfile, "MIN_DOCS", 10**6)
    seg = segments(index.searcher())[0]
    HOT.ensure(index.directory, [seg], TEXT_FIELDS)
    assert len(HotFile(path_of(index.directory, seg))) == 0
    assert seg.id in MAPPED
    assert _results(index) == _results(index)  # and the segment is read as before


def test_a_size_cap_keeps_the_most_frequent_words(index):
    index.index_many(_docs("a", 40))
    seg = segments(index.searcher())[0]
    everything = hotfile.write(index.directory, seg, TEXT_FIELDS).stat().st_size
    hotfile.write(index.directory, seg, TEXT_FIELDS, max_bytes=everything // 3)
    kept = HotFile(path_of(index.directory, seg))
    words = hot_words(seg, TEXT_FIELDS)
    assert 0 < len(kept) < len(words)
    assert all(kept.find(f, t) is not None for f, t in words[:len(kept)])


def test_a_segment_merged_away_takes_its_hot_file_along(index):
    index.index_many(_docs("a", 40))
    first = segments(index.searcher())
    HOT.ensure(index.directory, first, TEXT_FIELDS)
    assert path_of(index.directory, first[0]).exists()
    index.index_many(_docs("b", 10, seed=5))
    index.optimize()
    now = segments(index.searcher())
    assert {s.id for s in now}.isdisjoint(s.id for s in first)
    assert not path_of(index.directory, first[0]).exists()  # Whoosh cleaned it with the segment's files
    HOT.ensure(index.directory, now, TEXT_FIELDS)
    assert first[0].id not in MAPPED and all(s.id in MAPPED for s in now)
    assert list(index.directory.glob("*.tmp*")) == []


def test_a_damaged_hot_file_is_passed_over(index, caplog):
    index.index_many(_docs("a", 40))
    cold = _results(index)
    seg = segments(index.searcher())[0]
    path_of(index.directory, seg).write_bytes(b"not a hot file at all")
    CACHE.clear()
    HOT.ensure(index.directory, [seg], TEXT_FIELDS)
    assert seg.id not in MAPPED
    assert "cannot map the hot-word file" in caplog.text
    assert _results(index) == cold


def test_one_writer_at_a_time_and_the_others_map_its_file(index):
    index.index_many(_docs("a", 40))
    segs = segments(index.searcher())
    written = []
    real_write = hotfile.write

    def slow_write(*args, **kwargs):
        written.append(threading.get_ident())
        time.sleep(0.2)
        return real_write(*args, **kwargs)

    others = [hotfile.HotFiles() for _ in range(3)]
    original = hotfile.write
    hotfile.write = slow_write
    try:
        threads = [threading.Thread(target=h.ensure, args=(index.directory, segs, TEXT_FIELDS)) for h in others]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        hotfile.write = original
    assert len(written) == len(segs)  # the file lock let one of them write; the rest found the file
    assert all(len(h._files) == len(segs) for h in others)
