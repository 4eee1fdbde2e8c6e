"""Saved queries: library, parameter form, results table, CSV/JSON export, permalink, errors."""

from __future__ import annotations

import csv
import io
import re

from flask.testing import FlaskClient

from tests.webapp.conftest import HUAIBEI_CZJ, HUAIBEI_KJJ


def test_library_lists_titles_and_descriptions(client: FlaskClient) -> None:
    html = client.get("/queries").get_data(as_text=True)
    assert 'href="/queries/top_collaborators"' in html and "部门的主要协作单位" in html
    body = client.get("/api/queries").get_json()
    names = {q["name"] for q in body["queries"]}
    assert {"top_collaborators", "lead_departments_by_keyword"} <= names
    one = client.get("/api/queries/top_collaborators").get_json()
    assert [p["name"] for p in one["params"]] == ["department", "limit"]


def test_form_runs_with_a_parameter_and_shows_a_table(client: FlaskClient) -> None:
    html = client.get("/queries/top_collaborators").get_data(as_text=True)
    assert 'name="department"' in html and 'name="limit"' in html and "运行查询" in html
    assert 'class="results-table"' not in html  # nothing runs until asked
    page = client.get("/queries/top_collaborators", query_string={"department": HUAIBEI_KJJ, "limit": "3",
                                                                  "run": "1"})
    text = page.get_data(as_text=True)
    rows = re.findall(r"<tr><td>", text)
    assert len(rows) == 3 and HUAIBEI_CZJ in text
    permalink = re.search(r'id="permalink" href="([^"]+)"', text)
    assert permalink and "run=1" in permalink.group(1)
    assert client.get(permalink.group(1).replace("&amp;", "&")).get_data(as_text=True).count("<tr><td>") == 3
    assert 'type="application/json" id="result-data"' in text


def test_json_and_csv_export(client: FlaskClient) -> None:
    args = {"department": HUAIBEI_KJJ, "limit": "5"}
    body = client.get("/api/queries/top_collaborators/run", query_string=args).get_json()
    assert body["columns"] == ["协作单位", "共同措施数"] and body["rows"][0][0] == HUAIBEI_CZJ
    assert body["params"] == args and body["truncated"] is False
    res = client.get("/api/queries/top_collaborators/run.csv", query_string=args)
    assert res.mimetype == "text/csv" and "attachment" in res.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(res.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["协作单位", "共同措施数"] and rows[1][0] == HUAIBEI_CZJ and len(rows) == 6


def test_nodes_and_paths_come_back_for_the_graph_view(client: FlaskClient) -> None:
    body = client.get("/api/queries/collaboration_path/run").get_json()
    assert body["rows"], "the default departments are connected"
    html = client.get("/queries/collaboration_path", query_string={"run": "1"}).get_data(as_text=True)
    assert 'id="result-graph"' in html and "/static/js/query.js" in html


def test_bad_parameter_is_a_chinese_error(client: FlaskClient) -> None:
    res = client.get("/api/queries/top_collaborators/run", query_string={"limit": "many"})
    assert res.status_code == 400 and res.get_json()["error"].startswith("参数有误")
    html = client.get("/queries/top_collaborators", query_string={"limit": "many", "run": "1"})
    assert html.status_code == 200 and "参数有误" in html.get_data(as_text=True)
    assert client.get("/queries/nope").status_code == 404
    assert client.get("/api/queries/nope/run").status_code == 404


def test_truncation_is_visible(make_app, sample) -> None:
    client = make_app(sample, row_cap=2).test_client()
    args = {"department": HUAIBEI_KJJ, "limit": "10", "run": "1"}
    html = client.get("/queries/top_collaborators", query_string=args).get_data(as_text=True)
    assert "结果已截断" in html and html.count("<tr><td>") == 2
    assert client.get("/api/queries/top_collaborators/run", query_string=args).get_json()["truncated"] is True


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_saved_query_speaks_chinese(client: FlaskClient) -> None:
    """Titles, descriptions and result columns are Chinese; role cells say 牵头/配合, never LEADS."""
    for q in client.get("/api/queries").get_json()["queries"]:
        assert _has_chinese(q["title"]) and _has_chinese(q["description"]), q["name"]
        body = client.get(f"/api/queries/{q['name']}/run").get_json()
        assert all(_has_chinese(c) for c in body["columns"]), (q["name"], body["columns"])
    res = client.get("/api/queries/department_portfolio/run.csv", query_string={"department": HUAIBEI_KJJ})
    rows = list(csv.reader(io.StringIO(res.get_data(as_text=True).lstrip("\ufeff"))))
    roles = {r[rows[0].index("角色")] for r in rows[1:]}
    assert roles == {"牵头", "配合"}
    text = res.get_data(as_text=True)
    assert "LEADS" not in text and "SUPPORTS" not in text


def _refs(value, kind: str) -> list[dict]:
    if isinstance(value, list):
        return [x for v in value for x in _refs(v, kind)]
    if isinstance(value, dict) and value.get("_kind") == "path":
        return _refs(value["nodes" if kind == "node" else "relationships"], kind)
    return [value] if isinstance(value, dict) and value.get("_kind") == kind else []


def test_at_least_five_saved_queries_draw_a_graph(client: FlaskClient) -> None:
    drawn = []
    for q in client.get("/api/queries").get_json()["queries"]:
        rows = client.get(f"/api/queries/{q['name']}/run").get_json()["rows"]
        nodes = {n["ref"] for row in rows for n in _refs(row, "node")}
        rels = [r for row in rows for r in _refs(row, "relationship")]
        if nodes and rels and all(r["start_ref"] in nodes and r["end_ref"] in nodes for r in rels):
            drawn.append(q["name"])
    assert len(drawn) >= 5, drawn
    html = client.get("/queries/department_neighbourhood", query_string={"run": "1"}).get_data(as_text=True)
    table = html.split('<section id="results">')[1].split("</table>")[0]
    assert 'id="result-graph"' in html and ">部门<" in table and "Department" not in table


def test_an_empty_result_says_so_in_chinese(client: FlaskClient) -> None:
    html = client.get("/queries/lead_departments_by_keyword",
                      query_string={"keyword": "没有这种措施的关键词", "run": "1"}).get_data(as_text=True)
    assert 'id="no-rows"' in html and "没有符合条件的结果" in html
    assert 'id="no-rows"' not in client.get("/queries/top_collaborators", query_string={"run": "1"}).get_data(
        as_text=True)
