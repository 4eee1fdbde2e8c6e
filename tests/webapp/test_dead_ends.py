"""Never a dead end (issue 19): an empty or zero-result search offers the nearest department names, the query
with fewer words, the query without its filters and a browse view of the corpus; who-leads without an answer
suggests something too.  Through /api/search, /api/who-leads, /api/browse and the pages, on the sample corpus."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from search.query import RELAXED_NOTE
from tests.webapp.conftest import HUAIBEI_KJJ

HUAIBEI_RSJ = "淮北市人力资源和社会保障局"


def _search(client: FlaskClient, q: str, **params: Any) -> dict[str, Any]:
    return client.get("/api/search", query_string={"q": q, **params}).get_json()


def _suggested(body: dict[str, Any]) -> list[str]:
    return [s["q"] for s in body["suggestions"]["queries"]]


def test_a_near_miss_department_name_suggests_the_department(client: FlaskClient) -> None:
    # 淮北市科学局 is no longer a dead end: a region's body written with fewer characters, in order, is read as
    # that body (search.departments), so the department is found directly.
    direct = _search(client, "淮北市科学局")
    assert direct["total"] > 0 and direct["hits"][0]["title"] == HUAIBEI_KJJ
    for q, name in (("淮北人社处", HUAIBEI_RSJ), ("科技委员会", HUAIBEI_KJJ)):
        body = _search(client, q)
        assert body["total"] == 0, q
        names = [d["name"] for d in body["suggestions"]["departments"]]
        assert names and names[0] == name, (q, names)
        found = _search(client, names[0])
        assert found["total"] > 0 and found["hits"][0]["title"] == name
    # 发改局 is no longer a dead end either: a body typed without its region reads as that line of work in every
    # region (search.departments), so the 发改委 departments come first, found directly.
    short = _search(client, "发改局")
    assert short["total"] > 0
    first = [h["title"] for h in short["hits"][:4] if h.get("kind") == "department"]
    assert set(first) >= {"国家发展和改革委员会", "淮北市发展和改革委员会"}, first


def test_a_topic_is_not_offered_unrelated_departments(client: FlaskClient) -> None:
    assert _search(client, "量子计算中试")["suggestions"]["departments"] == []


def test_fewer_words(client: FlaskClient) -> None:
    body = _search(client, "中试基地 火星探测")
    assert body["total"] == 0
    first = body["suggestions"]["queries"][0]
    assert first["q"] == "中试基地" and first["total"] == _search(client, "中试基地")["total"] > 0
    assert first["label"] == "去掉“火星探测”"
    # a word that matches nothing as typed but whose parts do (量子计算 → 计算) gets the relaxed reading's
    # results, and the answer says they may hold only some of the words
    relaxed = _search(client, "中试基地 量子计算")
    assert relaxed["total"] > 0 and RELAXED_NOTE in relaxed["notes"]
    assert RELAXED_NOTE not in _search(client, "中试基地")["notes"]
    long = _search(client, "科技成果转化量子计算")
    assert long["total"] == 0 and "科技成果 转化 计算" in _suggested(long)
    for s in long["suggestions"]["queries"]:
        assert _search(client, s["q"])["total"] == s["total"] > 0, s


def test_without_filters(client: FlaskClient) -> None:
    body = _search(client, '中试基地 region:"浙江省"')
    assert body["total"] == 0
    first = body["suggestions"]["queries"][0]
    assert first == {"q": "中试基地", "type": None, "total": _search(client, "中试基地")["total"],
                     "reason": "without_filters", "label": "去掉筛选条件：地区=浙江省"}
    typed = _search(client, "中试基地", type="department")
    assert typed["total"] == 0 and typed["suggestions"]["queries"][0]["type"] is None
    assert typed["suggestions"]["queries"][0]["label"] == "去掉筛选条件：类型=部门"
    kept = _search(client, 'region:"淮北市" 量子计算')
    assert kept["total"] == 0 and any('region:"淮北市"' in q for q in _suggested(kept))


def test_results_have_no_suggestions(client: FlaskClient) -> None:
    body = _search(client, "中试基地")
    assert body["total"] > 0 and "suggestions" not in body and "browse" not in body


def test_empty_and_zero_result_searches_show_the_corpus(client: FlaskClient) -> None:
    for q in ("", "完全不存在的词语"):
        body = _search(client, q)
        browse = body["browse"]
        assert browse["total"] == 17, q
        assert ["淮北市", 1] in browse["region"] and ["2020", 10] in browse["year"]
        assert browse["issuer"][0] == ["国务院办公厅", 4]
    empty = _search(client, "")
    assert empty["suggestions"]["departments"], "the departments that lead most"
    html = client.get("/").get_data(as_text=True)
    assert 'id="browse-summary"' in html and 'href="/browse"' in html and "按发文机关" in html
    assert "牵头、配合措施最多的部门" in html


def test_zero_result_page_shows_suggestions_and_browse(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "科技委员会"}).get_data(as_text=True)  # 淮北市科学局 is now found
    section = re.search(r'<section class="suggestions".*?</section>', html, re.S)
    assert section and "您要找的是不是这些部门" in section.group(0) and HUAIBEI_KJJ in section.group(0)
    assert 'id="browse-summary"' in html and "按地区" in html and "按年份" in html
    html = client.get("/", query_string={"q": "中试基地 火星探测"}).get_data(as_text=True)
    link = re.search(r'<ul class="suggest-queries">\s*<li><a href="([^"]+)">中试基地</a>', html)
    assert link and "去掉“火星探测”" in html
    assert "中试基地" in client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)


def test_browse_page_and_api(client: FlaskClient) -> None:
    body = client.get("/api/browse").get_json()
    assert body["total"] == 17 and len(body["policies"]) == 17
    assert {"issuer", "region", "year"} <= set(body)
    jiangxi = client.get("/api/browse", query_string={"region": "江西省", "year": "2020"}).get_json()
    assert jiangxi["total"] == 6 and jiangxi["region"] == [["江西省", 6]]
    assert all(t["title"].startswith("江西省") for t in jiangxi["policies"])
    huaibei = client.get("/api/browse", query_string={"region": "淮北市"}).get_json()
    assert huaibei["total"] == 1
    assert huaibei["policies"][0]["title_simplified"] == "关于印发淮北市加快科技成果转移转化行动方案的通知"
    html = client.get("/browse", query_string={"region": "江西省"}).get_data(as_text=True)
    assert '<strong id="browse-total">6</strong>' in html
    assert re.search(r'<li class="active"><a href="/browse">江西省 ✕</a>', html)
    assert html.count('href="/policies/pol-') == 6
    assert 'href="/browse?region=%E6%B1%9F%E8%A5%BF%E7%9C%81&amp;year=2020"' in html
    nothing = client.get("/browse", query_string={"region": "火星"}).get_data(as_text=True)
    assert "没有符合条件的文件" in nothing


def test_who_leads_without_an_answer_suggests(client: FlaskClient) -> None:
    body = client.get("/api/who-leads", query_string={"q": "中试基地 量子"}).get_json()
    assert body["leads"] == []
    suggested = body["suggestions"]["queries"]
    assert suggested and suggested[0]["q"] == "中试基地" and HUAIBEI_KJJ in suggested[0]["label"]
    html = client.get("/who-leads", query_string={"q": "中试基地 量子"}).get_data(as_text=True)
    assert 'id="suggestions"' in html and 'href="/who-leads?q=%E4%B8%AD%E8%AF%95%E5%9F%BA%E5%9C%B0"' in html
    by_department = client.get("/api/who-leads", query_string={"q": "淮北市科技局 量子计算"}).get_json()
    assert by_department["leads"] == []
    first = by_department["suggestions"]["queries"][0]
    assert first["q"] == "淮北市科技局" and first["reason"] == "department_only"
    answer = client.get("/api/who-leads", query_string={"q": first["q"]}).get_json()
    assert answer["leads"][0]["name"] == HUAIBEI_KJJ
    found = client.get("/api/who-leads", query_string={"q": "中试基地"}).get_json()
    assert found["leads"] and found["suggestions"] is None
