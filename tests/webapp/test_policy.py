"""Policy page: metadata, the 50 measures of the Huaibei plan, measure spans highlighted in the text."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from core.text import to_simplified
from tests.sample import HUAIBEI_PLAN, SEEDS, policy_id

HUAIBEI_ID = policy_id(HUAIBEI_PLAN)


def test_huaibei_plan_lists_50_measures_with_units(client: FlaskClient) -> None:
    html = client.get(f"/policies/{HUAIBEI_ID}").get_data(as_text=True)
    assert '<span id="measure-count">50</span>' in html
    rows = re.findall(r'<tr id="m-\d+">', html)
    assert len(rows) == 50
    for header in ("措施", "牵头单位", "配合单位", "完成时限"):
        assert re.search(rf"<th[^>]*>{header}</th>", html)
    assert "淮北市科学技术局" in html and 'data-filter-table="measures-table"' in html
    assert '<script src="/static/js/table.js"></script>' in html


def test_measure_spans_are_highlighted_in_the_original_text(client: FlaskClient) -> None:
    body = client.get(f"/api/policies/{HUAIBEI_ID}").get_json()
    html = client.get(f"/policies/{HUAIBEI_ID}").get_data(as_text=True)
    spans = re.findall(r'<a class="span" id="span-(\d+)" href="#m-\d+">', html)
    with_span = [m for m in body["measures"] if m["start"] is not None]
    assert with_span and len(spans) == len({m["ordinal"] for m in with_span})
    m = with_span[0]
    piece = body["text"][m["start"]:m["end"]]  # traditional: shown in simplified characters by default
    assert piece.strip() and to_simplified(piece[:20]) in html
    original = client.get(f"/policies/{HUAIBEI_ID}", query_string={"script": "original"}).get_data(as_text=True)
    assert piece[:20] in original


def test_policy_api_is_the_json_twin(client: FlaskClient) -> None:
    body = client.get(f"/api/policies/{HUAIBEI_ID}").get_json()
    assert body["id"] == HUAIBEI_ID and "淮北" in body["title"] and len(body["measures"]) == 50
    assert "properties" not in body
    assert {"lead", "support", "deadline", "start", "end"} <= set(body["measures"][0])


def test_unknown_policy_is_a_chinese_404_and_a_json_404(client: FlaskClient) -> None:
    page = client.get("/policies/pol-doesnotexist")
    assert page.status_code == 404 and "未找到该政策文件" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    api = client.get("/api/policies/pol-doesnotexist")
    assert api.status_code == 404 and api.get_json() == {"error": api.get_json()["error"], "status": 404}
    assert "未找到" in api.get_json()["error"]
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/api/no/such").get_json()["status"] == 404


def test_the_self_check_shows_on_the_policy_page_and_in_the_api(client: FlaskClient) -> None:
    # 001 (科技成果转化示范区 notice): its items name no acting department, which the self-check says.
    flagged = policy_id(SEEDS / "001_9b1470b7e4c19b99.txt")
    body = client.get(f"/api/policies/{flagged}").get_json()
    assert body["selfcheck"]["warnings"] and "未识别出牵头单位" in body["selfcheck"]["warnings"][0]
    html = client.get(f"/policies/{flagged}").get_data(as_text=True)
    assert 'id="selfcheck"' in html and "分工识别提示" in html
    # The Huaibei plan is read in full: a coverage figure, no warning.
    body = client.get(f"/api/policies/{HUAIBEI_ID}").get_json()
    assert body["selfcheck"]["coverage"] >= 0.9 and body["selfcheck"]["warnings"] == []
    html = client.get(f"/policies/{HUAIBEI_ID}").get_data(as_text=True)
    assert 'id="coverage"' in html and 'id="selfcheck"' not in html
