"""Who leads: lead departments ranked by matching measures, with evidence and supporting departments."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.webapp.conftest import HUAIBEI_KJJ


def test_pilot_base_is_led_by_the_huaibei_science_bureau(client: FlaskClient) -> None:
    body = client.get("/api/who-leads", query_string={"q": "中试基地"}).get_json()
    first = body["leads"][0]
    assert first["name"] == HUAIBEI_KJJ and first["measures"] >= 1
    assert first["evidence"] and "中試基地" in first["evidence"][0]["title"] + first["evidence"][0]["text"]
    assert {s[0]["name"] for s in body["supports"]} >= {"淮北市发展和改革委员会"}


def test_who_leads_page_links_department_measure_and_policy(client: FlaskClient) -> None:
    html = client.get("/who-leads", query_string={"q": "中试基地"}).get_data(as_text=True)
    first = re.search(r'id="lead-1".*?class="lead-name" href="(/departments/[^"]+)">([^<]+)<', html, re.S)
    assert first and first.group(2) == HUAIBEI_KJJ
    assert client.get(first.group(1)).status_code == 200
    assert re.search(r'href="/measures/mea-', html) and re.search(r'href="/policies/pol-', html)
    assert "配合部门" in html and "淮北市发展和改革委员会" in html


def test_who_leads_without_a_match_says_so(client: FlaskClient) -> None:
    html = client.get("/who-leads", query_string={"q": "完全不存在的事项"}).get_data(as_text=True)
    assert "没有找到由某个部门牵头" in html
    assert client.get("/api/who-leads", query_string={"q": ""}).get_json()["leads"] == []
