"""Documents that reached us machine-converted to traditional characters (the 淮北 seed) are shown in simplified
characters by default, with a switch to the original; matches in traditional text are highlighted (issue 19)."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from core.text import to_simplified
from tests.webapp.conftest import HUAIBEI_PLAN_TITLE, find_id
from webapp.script import highlight_spans, is_traditional
from webapp.spans import segments

SIMPLIFIED_TITLE = "关于印发淮北市加快科技成果转移转化行动方案的通知"


@pytest.fixture
def huaibei(client: FlaskClient) -> str:
    return find_id(client, "policy", "淮北市加快科技成果", HUAIBEI_PLAN_TITLE)


def _text(html: str) -> str:
    m = re.search(r'<div class="doctext">(.*?)</div>', html, re.S)
    assert m
    return re.sub(r"<[^>]+>", "", m.group(1))


def test_traditional_policy_is_shown_simplified_with_a_switch(client: FlaskClient, huaibei: str) -> None:
    body = client.get(f"/api/policies/{huaibei}").get_json()
    assert body["script"] == "traditional" and len(body["text_simplified"]) == len(body["text"])
    html = client.get(f"/policies/{huaibei}").get_data(as_text=True)
    assert f"<h1>{SIMPLIFIED_TITLE}</h1>" in html
    shown = _text(html)
    assert "转化" in shown and "轉化" not in shown
    switch = re.search(r'<p class="script-switch" id="script-switch">(.*?)</p>', html, re.S)
    assert switch and "现按简体显示" in switch.group(1)
    original = re.search(r'id="show-original" href="([^"]+)"', html)
    assert original
    raw = client.get(original.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "轉化" in _text(raw) and "现显示原文" in raw and body["title"] in raw
    zhejiang_id = find_id(client, "policy", "科技新政", "科技新政")
    zhejiang = client.get(f"/api/policies/{zhejiang_id}").get_json()
    assert zhejiang["script"] == "simplified" and "text_simplified" not in zhejiang
    assert 'id="script-switch"' not in client.get(f"/policies/{zhejiang_id}").get_data(as_text=True)


def test_measure_spans_keep_their_offsets_in_simplified_text(client: FlaskClient, huaibei: str) -> None:
    body = client.get(f"/api/policies/{huaibei}").get_json()
    html = client.get(f"/policies/{huaibei}").get_data(as_text=True)
    spans = re.findall(r'<a class="span" id="span-(\d+)" href="#m-\d+">(.*?)</a>', html, re.S)
    with_span = {m["ordinal"]: m for m in body["measures"] if m["start"] is not None}
    assert spans and len(spans) == len(with_span)
    for ordinal, inner in spans:
        m = with_span[int(ordinal)]
        expected = to_simplified(body["text"][m["start"]:m["end"]])
        assert expected.startswith(re.sub(r"<[^>]+>", "", inner).replace("&#34;", '"').replace("&#39;", "'")[:10])


def test_search_matches_are_marked_in_traditional_text(client: FlaskClient, huaibei: str) -> None:
    html = client.get(f"/policies/{huaibei}", query_string={"hl": "中试基地"}).get_data(as_text=True)
    marks = re.findall(r'<mark class="hl">(.*?)</mark>', _doctext_html(html))
    assert len(marks) >= 3 and set(marks) == {"中试基地"}
    raw = client.get(f"/policies/{huaibei}", query_string={"hl": "中试基地", "script": "original"})
    assert set(re.findall(r'<mark class="hl">(.*?)</mark>', _doctext_html(raw.get_data(as_text=True)))) == {"中試基地"}
    # a traditional query marks the same places
    trad = client.get(f"/policies/{huaibei}", query_string={"hl": "中試基地"}).get_data(as_text=True)
    assert len(re.findall(r'<mark class="hl">', _doctext_html(trad))) == len(marks)


def _doctext_html(html: str) -> str:
    m = re.search(r'<div class="doctext">(.*?)</div>', html, re.S)
    assert m
    return m.group(1)


def test_search_links_carry_the_words_and_snippets_mark_traditional_matches(client: FlaskClient,
                                                                            huaibei: str) -> None:
    body = client.get("/api/search", query_string={"q": "中试基地"}).get_json()
    measure = next(h for h in body["hits"] if h["kind"] == "measure")
    assert "<mark>中試基地</mark>" in measure["snippet_html"], "the whole word, not only 基地"
    html = client.get("/", query_string={"q": "中试基地"}).get_data(as_text=True)
    assert f'href="/policies/{huaibei}?hl=%E4%B8%AD%E8%AF%95%E5%9F%BA%E5%9C%B0"' in html
    assert "<mark>中试基地</mark>" in html and "中試" not in html, "the results page shows simplified characters"
    page = client.get(f"/measures/{measure['id']}", query_string={"hl": "中试基地"}).get_data(as_text=True)
    text = re.search(r'<p class="measure-text">(.*?)</p>', page, re.S)
    assert text and '<mark class="hl">中试基地</mark>' in text.group(1) and "轉化" not in text.group(1)
    assert 'id="show-original"' in page and "<h1>推进中试基地建设</h1>" in page
    raw = client.get(f"/measures/{measure['id']}", query_string={"script": "original"}).get_data(as_text=True)
    assert "<h1>推進中試基地建設</h1>" in raw


def test_detection_and_spans() -> None:
    assert is_traditional(SIMPLIFIED_TITLE.replace("关于印发", "關于印發").replace("转移转化行动", "轉移轉化行動"))
    assert not is_traditional(SIMPLIFIED_TITLE) and not is_traditional("著作权保护")
    assert highlight_spans("推進中試基地建設，中试基地", ["中试基地"]) == [(2, 6), (9, 13)]
    pieces = segments("甲乙丙丁戊", [(0, 3, 1)], [], [(2, 4)])
    assert [(p.text, p.measure, p.hit) for p in pieces] == [("甲乙", 1, False), ("丙", 1, True), ("丁", None, True),
                                                            ("戊", None, False)]
