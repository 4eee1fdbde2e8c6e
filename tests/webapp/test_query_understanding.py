"""Queries that name departments, and questions on who-leads, through /api/search and /api/who-leads on the
real sample index (issue 19): short forms, region + short name, traditional characters, natural questions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.webapp.conftest import HUAIBEI_KJJ

HUAIBEI_RSJ = "淮北市人力资源和社会保障局"
ZHEJIANG_KJT = "浙江省科学技术厅"
NDRC = "国家发展和改革委员会"


def _search(client: FlaskClient, q: str, **params: Any) -> dict[str, Any]:
    return client.get("/api/search", query_string={"q": q, **params}).get_json()


def _who(client: FlaskClient, q: str) -> dict[str, Any]:
    return client.get("/api/who-leads", query_string={"q": q}).get_json()


def _leads_first(body: dict[str, Any], name: str, n: int) -> None:
    """The department's entry first, then at least `n` hits that it leads, before any hit that it does not."""
    hits = body["hits"]
    assert hits[0]["kind"] == "department" and hits[0]["title"] == name, [h["title"] for h in hits[:3]]
    measures = [h for h in hits if h["kind"] == "measure"]
    led = [i for i, h in enumerate(measures) if name in h["lead"]]
    assert len(led) >= n and led == list(range(len(led))), "measures it leads come before text matches"


@pytest.mark.parametrize("q", ["淮北市科技局", "淮北科技局", "淮北市科学技术局", "市科技局", "科技局",
                               "安徽省淮北市科技局", "淮北市科技局 "])
def test_huaibei_science_bureau_in_any_form(client: FlaskClient, q: str) -> None:
    body = _search(client, q)
    assert body["departments"] and HUAIBEI_KJJ in body["departments"][0]["names"]
    _leads_first(body, HUAIBEI_KJJ, 10)


def test_traditional_characters(client: FlaskClient) -> None:
    assert _search(client, "浙江科技廳")["total"] == _search(client, "浙江科技厅")["total"] > 0
    for q, name in (("淮北科學技術局", HUAIBEI_KJJ), ("發改委", NDRC), ("浙江科技廳", ZHEJIANG_KJT),
                    ("銀保監會", "中国银行保险监督管理委员会")):
        found = _search(client, q)
        assert name in found["departments"][0]["names"], q
        assert any(h["kind"] == "department" and h["title"] == name for h in found["hits"][:5]), q


def test_provincial_form_with_region(client: FlaskClient) -> None:
    for q in ("浙江科技厅", "浙江省科技厅", "浙江省科学技术厅"):
        body = _search(client, q)
        assert body["departments"][0]["names"] == [ZHEJIANG_KJT], q
        _leads_first(body, ZHEJIANG_KJT, 5)


def test_short_form_without_region_finds_every_region(client: FlaskClient) -> None:
    body = _search(client, "人社局")
    assert body["total"] > 0 and body["hits"][0]["title"] == HUAIBEI_RSJ
    assert any(HUAIBEI_RSJ in h["support"] for h in body["hits"])
    hall = _search(client, "科技厅")
    names = set(hall["departments"][0]["names"])
    assert names >= {ZHEJIANG_KJT, "江西省科学技术厅"} and HUAIBEI_KJJ not in names
    regions = {value for value, _n in hall["facets"]["region"]}
    assert {"浙江省", "江西省"} <= regions, "a region facet to pick one"
    ndrc = _search(client, "发改委")
    assert set(ndrc["departments"][0]["names"]) >= {NDRC, "淮北市发展和改革委员会", "浙江省发展和改革委员会"}
    assert ndrc["total"] >= 20
    assert {h["title"] for h in ndrc["groups"]["department"]["hits"]} >= {NDRC, "淮北市发展和改革委员会"}


def test_national_short_forms(client: FlaskClient) -> None:
    body = _search(client, "科技部")
    assert body["hits"][0]["title"] == "科学技术部"
    assert [h for h in body["hits"][:6] if h["kind"] == "measure"][0]["lead"] == ["科学技术部"]
    for q, name in (("央行", "中国人民银行"), ("网信办", "国家互联网信息办公室"),
                    ("市场监管总局", "国家市场监督管理总局")):
        assert _search(client, q)["hits"][0]["title"] == name, q


def test_successor_finds_the_former_body_with_a_note(client: FlaskClient) -> None:
    body = _search(client, "金融监管总局")
    reading = body["departments"][0]
    assert reading["names"] == ["中国银行保险监督管理委员会"] and "2023" in reading["notes"][0]
    assert body["hits"][0]["title"] == "中国银行保险监督管理委员会"
    html = client.get("/", query_string={"q": "金融监管总局"}).get_data(as_text=True)
    assert "按部门理解" in html and "机构改革：2023年" in html


def test_department_with_topic_and_filters(client: FlaskClient) -> None:
    body = _search(client, "科技局 中试基地")
    assert body["hits"][0]["kind"] == "measure" and body["hits"][0]["lead"] == [HUAIBEI_KJJ]
    led = _search(client, 'lead:"市科技局"', type="measure")
    assert led["total"] >= 10 and all(HUAIBEI_KJJ in h["lead"] or "科技局" in h["snippet_html"] for h in led["hits"])


def test_topics_are_not_read_as_departments(client: FlaskClient) -> None:
    for q in ("中试基地", "科技金融", "科技成果转化", '"淮北市科技局"'):
        assert _search(client, q)["departments"] == [], q


def test_search_page_says_how_a_department_was_read(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "人社局"}).get_data(as_text=True)
    reading = re.search(r'<p class="reading">(.*?)</p>', html, re.S)
    assert reading and "按部门理解" in reading.group(1) and HUAIBEI_RSJ in reading.group(1)
    assert re.search(r'href="/departments/dep-[^"]+">' + HUAIBEI_RSJ, reading.group(1))


def test_who_leads_link_of_a_filtered_search_drops_the_filters(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": '科技成果 region:"淮北市"'}).get_data(as_text=True)
    link = re.search(r'class="who-leads-link" href="([^"]+)"', html)
    assert link and "region" not in link.group(1)
    answer = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert HUAIBEI_KJJ in answer


@pytest.mark.parametrize("q", ["谁牵头推进中试基地建设", "中试基地由哪个部门负责", "中试基地是谁牵头的？",
                               "中試基地由哪個部門負責"])
def test_questions_about_a_topic(client: FlaskClient, q: str) -> None:
    body = _who(client, q)
    assert body["reading"]["kind"] == "topic" and body["reading"]["label"] == "按主题：中试基地"
    assert body["leads"][0]["name"] == HUAIBEI_KJJ


def test_which_departments_handle_science_finance(client: FlaskClient) -> None:
    body = _who(client, "哪些部门负责科技金融")
    assert body["reading"]["label"] == "按主题：科技金融" and body["words"] == ["科技金融"]
    assert "淮北市地方金融监督管理局" in [lead["name"] for lead in body["leads"][:3]]


@pytest.mark.parametrize("q", ["淮北市科技局牵头了哪些任务", "淮北科技局负责哪些工作", "市科技局"])
def test_questions_about_a_department(client: FlaskClient, q: str) -> None:
    body = _who(client, q)
    assert body["by_department"] and body["reading"]["kind"] == "department"
    assert body["reading"]["label"] == f"按部门：{HUAIBEI_KJJ}"
    first = body["leads"][0]
    assert first["name"] == HUAIBEI_KJJ and first["measures"] >= 10 and len(first["evidence"]) == 5
    html = client.get("/who-leads", query_string={"q": q}).get_data(as_text=True)
    assert "理解为：" in html and f"按部门：{HUAIBEI_KJJ}" in html and "常协作部门" in html


def test_department_and_topic_in_one_question(client: FlaskClient) -> None:
    for q in ("淮北市科技局 中试基地", "科技局牵头的中试基地"):
        body = _who(client, q)
        assert body["reading"]["label"] == f"按部门：{HUAIBEI_KJJ} · 主题：中试基地", q
        assert [lead["name"] for lead in body["leads"]] == [HUAIBEI_KJJ]
        assert "中試基地" in body["leads"][0]["evidence"][0]["title"]


def test_a_short_form_question_lists_every_region_and_supports(client: FlaskClient) -> None:
    body = _who(client, "人社局负责哪些工作")
    assert [lead["name"] for lead in body["leads"]] == [HUAIBEI_RSJ]
    lead = body["leads"][0]
    assert body["supported"][lead["id"]] >= 3
    html = client.get("/who-leads", query_string={"q": "发改委牵头了哪些任务"}).get_data(as_text=True)
    for name in (NDRC, "淮北市发展和改革委员会", "浙江省发展和改革委员会"):
        assert f">{name}</a>" in html


def test_who_leads_page_shows_how_the_question_was_read(client: FlaskClient) -> None:
    html = client.get("/who-leads", query_string={"q": "谁牵头推进中试基地建设"}).get_data(as_text=True)
    assert re.search(r'id="reading">理解为：<strong>按主题：中试基地</strong>', html)
    assert HUAIBEI_KJJ in html
    none = client.get("/who-leads", query_string={"q": "谁负责完全不存在的事项"}).get_data(as_text=True)
    assert "没有找到由某个部门牵头" in none and "完全不存在" in none
