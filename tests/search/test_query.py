"""Search behaviour on a real Whoosh index: phrases, script folding, aliases, facets, snippets."""

from __future__ import annotations

import pytest

from search.query import search
from tests.search.factory import HR, SCI, extraction, unit

NEAR = "pol-near"
FAR = "pol-far"


@pytest.fixture
def corpus(index):
    """Five policies: the phrase together, the words far apart, traditional text, two others."""
    index.index_many([
        extraction(NEAR, "关于促进科技成果转化的若干措施", "第一条 推动高校科技成果转化,完善技术转移机制。",
                   [("科技成果转化", "建立科技成果转化收益分配制度。"),
                    ("技术转移", "建设区域技术转移中心。")],
                   lead=[unit(HR, "人社局")], support=[unit(SCI)], entities=[HR, SCI]),
        extraction(FAR, "科技成果统计办法", "各地要统计科技成果。经费使用情况另行规定,然后才能转化为制度。",
                   [("", "统计科技成果的数量,年底前报送;有关经验将来再转化推广。")],
                   issuers=("科学技术部",), date="2019-05-01", region="", lead=[unit(SCI)], entities=[SCI]),
        extraction("pol-trad", "關於疫情防控期間支持企業的通知",
                   "各單位要做好疫情防控工作,推動科技成果轉化。",
                   issuers=("江西省人民政府",), date="2020-02-10", region="江西省"),
        extraction("pol-xss", "网页抓取", "注意<script>alert('x')</script>疫情防控 & 复工复产"),
        extraction("pol-other", "农机装备产业发展意见", "提升农机装备水平,疫情期间防控物资运输不中断。",
                   issuers=("国务院",), date="2018-12-01", region=""),
    ])
    return index


def uids(results) -> set[str]:
    return {h.uid for h in results.hits}


def doc_ids(results) -> set[str]:
    return {h.doc_id for h in results.hits}


def test_single_word_is_a_phrase_not_a_loose_and(corpus):
    r = search(corpus, "科技成果转化")
    assert NEAR in doc_ids(r)
    assert FAR not in doc_ids(r)  # 科技成果 … 转化 far apart does not match
    assert "measure:mea-near-000" in uids(r)


def test_quoted_phrase_and_shorter_word_recall(corpus):
    assert FAR not in doc_ids(search(corpus, '"科技成果转化"'))
    # a sub-word keeps recall: 成果 is inside the word 科技成果 in both documents
    assert {NEAR, FAR} <= doc_ids(search(corpus, "成果"))
    # a phrase that starts inside a word still matches (成果 is a sub-word of 科技成果)
    assert NEAR in doc_ids(search(corpus, '"成果转化"'))


@pytest.mark.parametrize("q, expected", [("技术转移", {NEAR}), ("疫情防控", {"pol-trad", "pol-xss"})])
def test_phrases(corpus, q, expected):
    assert doc_ids(search(corpus, q)) == expected  # pol-other has 疫情 … 防控 apart


def test_traditional_query_finds_simplified_text(corpus):
    r = search(corpus, "科技成果轉化")
    assert NEAR in doc_ids(r) and FAR not in doc_ids(r)
    assert doc_ids(r) == doc_ids(search(corpus, "科技成果转化"))


def test_simplified_query_finds_traditional_text_and_highlights_original(corpus):
    r = search(corpus, "疫情防控 type:policy issuer:江西省人民政府")
    assert [h.uid for h in r.hits] == ["policy:pol-trad"]
    assert "<mark>疫情防控</mark>" in r.hits[0].snippet_html
    assert "各單位要做好" in r.hits[0].snippet_html  # original characters, not the folded text
    assert r.hits[0].title == "關於疫情防控期間支持企業的通知"


def test_alias_finds_measure_led_by_canonical_department(corpus):
    r = search(corpus, "人社局 type:measure")
    assert uids(r) == {"measure:mea-near-000", "measure:mea-near-001"}
    assert r.hits[0].lead == [HR.name]
    assert r.hits[0].support == [SCI.name]
    # the department has its own entry, found by the alias too
    assert "department:dep-hr" in uids(search(corpus, "市人社局"))
    # and the lead: filter accepts alias or canonical name
    assert uids(search(corpus, "lead:人社局")) == uids(search(corpus, f"lead:{HR.name}"))
    assert len(search(corpus, "lead:人社局").hits) == 2


def test_full_name_without_city_prefix_finds_the_department(corpus):
    r = search(corpus, "人力资源和社会保障局")
    assert "department:dep-hr" in uids(r)
    assert "measure:mea-near-000" in uids(r)


def test_facet_counts(corpus):
    r = search(corpus, "科技成果")
    assert r.total == 5  # policies near, far, trad (科技成果轉化); measures near-000, far-000
    facets = {name: dict(values) for name, values in r.facets.items()}
    assert facets["kind"] == {"policy": 3, "measure": 2}
    assert facets["year"] == {"2020": 3, "2019": 2}
    assert facets["issuer"] == {"淮北市人民政府": 2, "科学技术部": 2, "江西省人民政府": 1}
    assert facets["region"] == {"淮北市": 2, "江西省": 1}
    assert facets["lead"] == {SCI.name: 1, HR.name: 1}
    assert r.facets["kind"][0] == ("policy", 3)  # most frequent first
    measures = search(corpus, "人社局 OR 统计")
    assert dict(measures.facets["lead"]) == {HR.name: 2, SCI.name: 1}
    assert measures.facets["lead"][0] == (HR.name, 2)


def test_filters(corpus):
    assert doc_ids(search(corpus, "科技成果 year:2019")) == {FAR}
    assert doc_ids(search(corpus, "科技成果 region:江西省")) == {"pol-trad"}
    assert {h.kind for h in search(corpus, "科技成果", kind="measure").hits} == {"measure"}
    assert search(corpus, "科技成果 type:措施").total == 2
    assert search(corpus, "科技成果 type:nonsense").total == 0


def test_or_and_exclude(corpus):
    assert doc_ids(search(corpus, "农机装备 OR 技术转移")) == {"pol-other", NEAR}
    assert doc_ids(search(corpus, "疫情防控 -复工复产")) == {"pol-trad"}
    assert doc_ids(search(corpus, "科技成果 -type:measure")) == {NEAR, FAR, "pol-trad"}
    assert search(corpus, "农机装备 技术转移").total == 0  # AND by default


def test_snippet_escapes_document_text_and_marks_match(corpus):
    r = search(corpus, "复工复产")
    (hit,) = r.hits
    assert "<mark>复工复产</mark>" in hit.snippet_html
    assert "&lt;/script&gt;" in hit.snippet_html
    assert "</script>" not in hit.snippet_html
    assert "&amp;" in hit.snippet_html
    assert hit.snippet_html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_paging(corpus):
    first = search(corpus, "科技成果", page=1, page_size=4)
    second = search(corpus, "科技成果", page=2, page_size=4)
    assert (first.total, len(first.hits), len(second.hits)) == (5, 4, 1)
    assert not uids(first) & uids(second)
    assert search(corpus, "科技成果", page=9, page_size=4).hits == []


@pytest.mark.parametrize("q", ['"unclosed', "AND OR", "type:", "((", "-", "*", "", "   ", "OR", ")(", '""',
                               "lead:", "-type:", "科技:成果", "a:b:c", "year:abc", '"科技成果', "科技 OR",
                               "\x00\ufffd", "&lt;<>", "x" * 1000, "科技(" * 250])
def test_malformed_queries_never_raise(corpus, q):
    r = search(corpus, q)
    assert r.total == len(r.hits) <= 20 or r.total > 20
    assert r.query == q


def test_malformed_queries_still_search_the_text(corpus):
    assert NEAR in doc_ids(search(corpus, '"科技成果转化'))  # unclosed quote: phrase to the end
    assert NEAR in doc_ids(search(corpus, "((科技成果转化"))
    assert search(corpus, "type:").notes == ["筛选条件 type 没有值，已忽略"]
    junk = "锟斤拷烫烫烫" * 200
    r = search(corpus, junk)
    assert r.total == 0 and r.notes == ["查询太长，只用了前 256 个字"]


def test_empty_query_returns_nothing(corpus):
    r = search(corpus, "")
    assert (r.total, r.hits, r.facets) == (0, [], {})


def test_json_is_serialisable(corpus):
    import json

    data = search(corpus, "技术转移").to_json()
    assert json.loads(json.dumps(data, ensure_ascii=False))["hits"][0]["doc_id"] == NEAR


def test_page_size_zero_counts_and_facets_without_hits(tmp_path) -> None:
    from search.index import SearchIndex
    from search.query import search
    from tests.search.factory import SCI, extraction, unit

    with SearchIndex(tmp_path / "ix") as ix:
        ix.index_extraction(extraction("pol-d1", "标题", "正文", [("建设", "建设中试基地"), ("熟化", "推进中试熟化")],
                                       lead=[unit(SCI, "市科技局")], entities=[SCI]))
        full, bare = search(ix, "中试", kind="measure"), search(ix, "中试", kind="measure", page_size=0)
    assert bare.hits == [] and bare.total == full.total == 2
    assert bare.facets["lead"] == full.facets["lead"] == [("淮北市科学技术局", 2)]


@pytest.mark.parametrize("q", ["科技成果", "人社局", "疫情防控 OR 技术转移", "科技成果 -type:policy", "year:2020"])
def test_per_kind_groups_equal_searching_each_kind_on_its_own(corpus, q):
    r = search(corpus, q, page_size=3, per_kind=2)
    kinds = [k for k, n in r.facets["kind"] if n]
    assert set(r.groups) == set(kinds) and kinds
    for k in kinds:
        alone = search(corpus, q, kind=k, page_size=2)
        assert [(h.uid, round(h.score, 6)) for h in r.groups[k]] == [(h.uid, round(h.score, 6)) for h in alone.hits]
    assert [h.uid for h in r.hits] == [h.uid for h in search(corpus, q, page_size=3).hits]
    assert search(corpus, q).groups == {}  # only on request
