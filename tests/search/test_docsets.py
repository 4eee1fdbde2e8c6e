"""Bitset matching agrees with Whoosh's own matchers (phrases with slop, AND/OR/NOT, deletions)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Positions

from search.codec import PackedCodec
from search.docsets import MatchSet, bits_of, matches, members, occurrences, segments
from search.entries import document_entries
from search.errors import IndexFormatError
from search.facets import global_bits
from search.formats import PackedPositions
from search.index import SearchIndex
from search.schema import TEXT_FIELDS, build_schema
from tests.search.factory import extraction

WORDS = "科技 成果 转化 推动 平台 建设 人才 的 和 企业".split()


def _random_docs(rng: random.Random, n: int, prefix: str):
    return [extraction(f"pol-{prefix}{i:03d}", "标题", "".join(rng.choices(WORDS, k=rng.randint(3, 30))),
                       [("", "".join(rng.choices(WORDS, k=rng.randint(2, 12))))]) for i in range(n)]


def _queries(rng: random.Random) -> list[wq.Query]:
    out: list[wq.Query] = []
    for _ in range(60):
        words = [w for w in rng.choices(WORDS, k=rng.randint(2, 3)) if w not in ("的", "和")] or ["科技"]
        phrase = wq.Phrase("body", words, slop=rng.choice((1, 1, 2)))
        out += [phrase, wq.And([wq.Term("body", words[0]), phrase]), wq.Or([phrase, wq.Term("title", "标题")]),
                wq.AndNot(wq.Term("body", words[0]), phrase), wq.AndNot(wq.Every(), wq.Term("body", words[-1]))]
    return out


def _legacy_index(directory: Path, extractions: list) -> SearchIndex:
    """An index written before PackedPositions and PackedCodec, holding `extractions`, opened.

    Its stored schema has Whoosh's pickled Positions and its segment Whoosh's W3 codec; opening it
    raises IndexFormatError (its read path has been removed).
    """
    schema = build_schema()
    for name in TEXT_FIELDS:
        schema[name].format = Positions(field_boost=schema[name].format.field_boost)
    directory.mkdir()
    writer = whoosh_index.create_in(str(directory), schema).writer(compound=False)
    for ex in extractions:
        for fields in document_entries(ex):
            writer.add_document(**fields)
    writer.commit()
    return SearchIndex(directory, lock_timeout=30)


def test_an_index_with_whooshs_pickled_positions_is_refused_with_a_request_to_rebuild(tmp_path):
    with pytest.raises(IndexFormatError, match=r"this index was written by an older version.*python -m search rebuild"):
        _legacy_index(tmp_path / "legacy", _random_docs(random.Random(3), 5, "a"))


@pytest.mark.parametrize("layout", ["packed"])
@pytest.mark.parametrize("per_document_cost", [0, 10**9], ids=["position-arrays", "document-by-document"])
def test_bitsets_match_whoosh_on_random_documents_across_segments_and_deletions(tmp_path, monkeypatch, caplog,
                                                                                per_document_cost, layout):
    from search import docsets

    monkeypatch.setattr(docsets, "PER_DOCUMENT_COST", per_document_cost)
    docsets.CACHE.clear()
    rng = random.Random(3)
    first = _random_docs(rng, 300, "a")  # common words span several 128-posting blocks
    if layout == "packed":
        index = SearchIndex(tmp_path / "ix", lock_timeout=30)
        index.index_many(first)
    else:  # an old segment, then one written now (PackedCodec, but still the index's pickled Positions)
        index = _legacy_index(tmp_path / "legacy", first)
    assert ("older pickled format" in caplog.text) == (layout != "packed")
    assert type(index.searcher().schema["body"].format) is (Positions if layout != "packed" else PackedPositions)
    index.index_many(_random_docs(rng, 40, "b"))  # a second segment
    codecs = [type(s.reader().segment().codec()) for s, _ in index.searcher().leaf_searchers()]
    assert codecs == ([PackedCodec, PackedCodec] if layout == "packed" else [W3Codec, PackedCodec])
    for i in range(0, 300, 3):
        index.delete_document(f"pol-a{i:03d}")
    searcher = index.searcher()
    segs = segments(searcher)
    assert len(segs) >= 2 and searcher.reader().has_deletions()
    for q in _queries(rng):
        expected = set(searcher.docs_for_query(q))
        got = global_bits(segs, [matches(s, q) for s in segs])
        assert set(members(got)) == expected, q
    index.close()


def test_packed_positions_round_trip_through_whoosh_matchers(index):
    """Positions read in bulk (numpy) equal those Whoosh's own matcher decodes posting by posting."""
    rng = random.Random(8)
    index.index_many(_random_docs(rng, 200, "p"))
    searcher = index.searcher()
    (seg,) = segments(searcher)
    for word in ("科技", "平台", "人才"):
        keys = occurrences(seg, "body", word)
        m = seg.raw_postings("body", word)
        expected = []
        while m.is_active():
            expected += [(m.id() << 32) | p for p in m.value_as("positions")]
            assert m.value_as("frequency") == len(m.value_as("positions"))
            m.next()
        assert len(expected) > 128 and keys.tolist() == expected


def test_bitset_helpers():
    bits = bits_of(iter([0, 3, 9, 64, 65]), 70)
    assert list(members(bits)) == [0, 3, 9, 64, 65]
    assert bits.bit_count() == 5
    assert list(members(0)) == []


def test_match_set_membership_uses_global_numbers(index):
    index.index_many(_random_docs(random.Random(1), 5, "a"))
    index.index_many(_random_docs(random.Random(2), 5, "b"))
    segs = segments(index.searcher())
    everything = [matches(s, wq.Every()) for s in segs]
    ms = MatchSet(segs, everything)
    assert len(ms) == index.doc_count()
    assert sorted(ms) == sorted(index.searcher().docs_for_query(wq.Every()))
    assert all(d in ms for d in ms) and -1 not in ms and 10_000 not in ms


def test_scoring_only_the_matches_ranks_like_whoosh(index):
    from search.ranking import top_k

    rng = random.Random(5)
    index.index_many(_random_docs(rng, 40, "a"))
    index.index_many(_random_docs(rng, 40, "b"))
    index.delete_document("pol-a003")
    for batch in ("c", "d"):  # ranked again once the index has changed (its statistics and segments)
        searcher = index.searcher()
        segs = segments(searcher)
        for _ in range(30):
            a, b, c = rng.sample(["科技", "成果", "转化", "推动", "平台", "建设", "人才", "企业"], 3)
            q = wq.Or([wq.And([wq.Term("body", a), wq.Term("body", b, boost=1.5)]),
                       wq.Term("title", "标题", boost=2.0), wq.Term("body", c)])
            q = wq.And([q, wq.Term("body", a)])
            # limit=None: with a limit Whoosh's block-quality skipping can miss a better document
            expected = [(h.docnum, round(h.score, 6)) for h in searcher.search(q, limit=None)][:15]
            got = top_k(segs, [matches(s, q) for s in segs], q, 15)
            assert [(d, round(s, 6)) for d, s in got] == expected, q
        index.index_many(_random_docs(rng, 30, batch))
