"""The home page's corpus overview and the lists its numbers link to, on the sample corpus."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from tests.webapp.conftest import csrf


def cypher_value(client: FlaskClient, query: str) -> Any:
    """The single value a read-only Cypher query returns, through the console's API."""
    body = client.post("/api/cypher", json={"query": query}, headers={"X-CSRF-Token": csrf(client)}).get_json()
    assert "rows" in body, body
    return body["rows"][0][0]


COUNTS = {
    "policies": "MATCH (p:Policy) WHERE p.version IS NOT NULL RETURN count(p)",
    "measures": "MATCH (m:Measure) RETURN count(m)",
    "departments": "MATCH (d:Department) RETURN count(d)",
    "programmes": "MATCH (g:Programme) RETURN count(g)",
}


def test_counts_agree_with_cypher(client: FlaskClient) -> None:
    body = client.get("/api/overview").get_json()
    for key, query in COUNTS.items():
        assert body["counts"][key] == cypher_value(client, query) > 0, key
    without = cypher_value(client, "MATCH (m:Measure) WHERE NOT ()-[:LEADS]->(m) RETURN count(m)")
    assert body["without_lead"] == without
    flagged = cypher_value(client, "MATCH (p:Policy) WHERE p.selfcheck CONTAINS '\"warnings\": [\"' RETURN count(p)")
    assert body["flagged"] == flagged


def test_documents_by_year_region_and_level_add_up(client: FlaskClient) -> None:
    body = client.get("/api/overview").get_json()
    total = body["counts"]["policies"]
    for facet in ("by_year", "by_region", "by_level"):
        assert sum(n for _value, n in body[facet]) == total, facet
    regions = dict(body["by_region"])
    assert regions["全国"] == dict(body["by_level"])["国家级"]
    in_2020 = cypher_value(client, "MATCH (p:Policy) WHERE p.version IS NOT NULL AND p.date STARTS WITH '2020' "
                                   "RETURN count(p)")
    assert dict(body["by_year"])["2020"] == in_2020
    # provinces on the map: a city's document counts for its province (淮北市 → 安徽省)
    provinces = {p["province"]: p for p in body["by_province"]}
    assert provinces["安徽省"]["map_name"] == "安徽" and provinces["江西省"]["n"] == regions["江西省"]


def test_top_lead_departments_match_cypher(client: FlaskClient) -> None:
    leads = client.get("/api/overview").get_json()["leads"]
    assert 0 < len(leads) <= 20 and [d["n"] for d in leads] == sorted((d["n"] for d in leads), reverse=True)
    top = leads[0]
    n = cypher_value(client, f"MATCH (d:Department {{id: '{top['id']}'}})-[:LEADS]->(m:Measure) RETURN count(m)")
    assert top["n"] == n


def test_home_page_shows_the_overview_with_links_and_chart_data(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    body = client.get("/api/overview").get_json()
    assert 'id="overview"' in html and "/static/vendor/echarts.min.js" in html and "/static/js/overview.js" in html
    for key in ("policies", "measures", "departments", "programmes"):
        assert f'data-count="{key}">{body["counts"][key]}<' in html
    for href in ("/browse", "/lists/measures", "/lists/departments", "/lists/programmes",
                 "/lists/measures-without-lead", "/lists/flagged"):
        assert f'href="{href}"' in html, href
    assert re.search(r'<script type="application/json" id="overview-data">\{.*"provinces"', html)
    assert "<script>" not in html  # no inline script (CSP)
    # a search page is not the home page: no overview there
    assert 'id="overview"' not in client.get("/", query_string={"q": "中试基地"}).get_data(as_text=True)


def test_every_list_the_overview_links_to_has_its_count(client: FlaskClient) -> None:
    body = client.get("/api/overview").get_json()
    expected = {"measures": body["counts"]["measures"], "departments": body["counts"]["departments"],
                "programmes": body["counts"]["programmes"], "measures-without-lead": body["without_lead"],
                "flagged": body["flagged"], "policies": body["counts"]["policies"]}
    for name, total in expected.items():
        listed = client.get(f"/api/lists/{name}").get_json()
        assert listed["total"] == total, name
        assert len(listed["rows"]) == min(total, listed["page_size"]), name
        assert client.get(f"/lists/{name}").status_code == 200
    last = (body["without_lead"] - 1) // 50 + 1
    seen = [row for page in range(1, last + 1)
            for row in client.get("/api/lists/measures-without-lead", query_string={"page": page}).get_json()["links"]]
    assert len(seen) == body["without_lead"]
    assert client.get("/lists/nothing").status_code == 404


def test_policies_list_filters_by_level_year_and_region(client: FlaskClient) -> None:
    body = client.get("/api/overview").get_json()
    for facet, param in (("by_level", "level"), ("by_year", "year"), ("by_region", "region")):
        for value, n in body[facet]:
            listed = client.get("/api/lists/policies", query_string={param: value}).get_json()
            assert listed["total"] == n, (param, value)
    for province in body["by_province"]:  # a city's documents count for its province (淮北市 → 安徽省)
        listed = client.get("/api/lists/policies", query_string={"province": province["province"]}).get_json()
        assert listed["total"] == province["n"], province
    html = client.get("/lists/policies", query_string={"level": "市级"}).get_data(as_text=True)
    assert "淮北市" in html and "层级：市级" in html


def test_overview_is_computed_once_per_graph_version(client: FlaskClient, app) -> None:
    first = client.get("/api/overview").get_json()
    cache = app.extensions["policygraph.versioned"]
    kept = cache._items["overview"]
    assert client.get("/api/overview").get_json() == first
    assert cache._items["overview"] is kept  # the same object: not read again
    assert first["version"] == kept[0]


def test_an_upload_shows_on_the_overview_and_the_board_at_once(make_app, engine, tmp_path) -> None:
    import io

    from tests.sample import SEEDS, ZHEJIANG_PLAN, load_sample
    from tests.webapp.conftest import sign_in

    loaded = load_sample(engine, tmp_path / "index", [SEEDS / "000_ea2e05c557d4a99d.txt"])
    try:
        client = make_app(loaded).test_client()
        before = client.get("/api/overview").get_json()
        board = client.get("/api/deadlines", query_string={"today": "2020-12-10"}).get_json()
        sign_in(client)
        data = ZHEJIANG_PLAN.read_bytes()  # a plan with 整改时限 on its measures
        res = client.post("/admin/upload", data={"csrf_token": csrf(client, "/admin/"),
                                                 "files": (io.BytesIO(data), "浙江方案.txt")},
                          content_type="multipart/form-data")
        assert res.status_code == 200 and "浙江方案.txt" in res.get_data(as_text=True)  # the page streams the load
        after = client.get("/api/overview").get_json()
        assert after["version"] != before["version"]
        assert after["counts"]["policies"] == before["counts"]["policies"] + 1
        assert after["counts"]["measures"] == cypher_value(client, COUNTS["measures"]) > before["counts"]["measures"]
        assert "浙江省" in dict(after["by_region"]) and "浙江省" not in dict(before["by_region"])
        # the upload went through the load log too: the only document loaded through it heads 最近导入
        assert before["recently_loaded"] == []
        (uploaded,) = after["recently_loaded"]
        assert uploaded["region"] == "浙江省" and uploaded["replaced"] is False and "年" in uploaded["loaded_at_zh"]
        later = client.get("/api/deadlines", query_string={"today": "2020-12-10"}).get_json()
        assert sum(later["counts"].values()) > sum(board["counts"].values())
    finally:
        loaded.index.close()
        loaded.store._admin.delete()
        loaded.store.close()


def test_start_up_warm_computes_the_overview_and_the_board(app) -> None:
    from webapp.versioned import warm_pages

    warm_pages(app)
    cache = app.extensions["policygraph.versioned"]
    assert set(cache._items) == {"overview", "deadline_board"}
    body = app.test_client().get("/api/overview").get_json()
    assert body["version"] == cache._items["overview"][0]
