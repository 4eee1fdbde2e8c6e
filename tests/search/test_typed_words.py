"""Typed words on the real sample-corpus index: a word written across a quote mark in the document, and a
topic that a policy's title names."""

from __future__ import annotations

from search.query import search
from tests.sample import Loaded

FANGGUANFU = "policy:pol-50aa9b13dada"  # 全国深化“放管服”改革优化营商环境…分工方案


def test_a_word_across_a_quote_mark_is_found_on_a_second_try(sample: Loaded) -> None:
    found = search(sample.index, "放管服改革", page_size=20)
    assert FANGGUANFU in [h.uid for h in found.hits]
    assert search(sample.index, '"放管服改革"').total == 0  # a quoted phrase stays exact


def test_a_policy_titled_with_the_topic_comes_first(sample: Loaded) -> None:
    hits = search(sample.index, "营商环境", page_size=5).hits
    assert hits[0].kind == "policy" and "营商环境" in hits[0].title


def test_a_question_in_the_search_box_searches_its_topic(sample: Loaded) -> None:
    hits = search(sample.index, "谁牵头中试基地建设", page_size=5).hits
    assert hits and hits[0].uid == "measure:mea-f17784cf74e2-022"  # 推進中試基地建設


def test_a_document_number_typed_without_its_brackets_finds_the_policy(sample: Loaded) -> None:
    """国发〔2018〕42号 as staff type it: brackets left out, 年 for the brackets, spaces, 第."""
    written = search(sample.index, "国发〔2018〕42号").hits
    assert written and written[0].kind == "policy" and "农机装备" in written[0].title
    for typed in ("国发2018年42号", "国发2018 42号", "国发 2018 42 号", "国发[2018]42号", "国发（2018）第42号"):
        hits = search(sample.index, typed).hits
        assert hits and hits[0].uid == written[0].uid, typed


def test_a_role_word_beside_a_department_does_not_empty_the_search(sample: Loaded) -> None:
    """牵头单位 / 责任单位 are written in tags, not in the indexed text: as a word of their own they are left out."""
    plain = [h.uid for h in search(sample.index, "发改委", page_size=10).hits]
    assert plain
    for typed in ("牵头单位 发改委", "发改委 责任单位", "牵头 发改委"):
        assert [h.uid for h in search(sample.index, typed, page_size=10).hits] == plain, typed
