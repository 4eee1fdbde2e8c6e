"""Defects found walking through the app as a new user would (real app, sample corpus): a policy whose title
the extractor missed had an empty heading and page title; the department page and 谁牵头 showed a machine-
converted traditional document in traditional characters, unlike search, the policy page and the overview,
and so did a saved query's result table and graph."""

from __future__ import annotations

import csv
import io
import json
import re

from flask.testing import FlaskClient

from tests.webapp.conftest import HUAIBEI_KJJ, csrf, find_id
from webapp.script import is_traditional

TRADITIONAL_MARKS = "轉機創關於實際產業發進"  # traditional forms the 淮北 seed uses throughout


def _untitled_policy(client: FlaskClient) -> dict:
    """A sample policy whose title the extractor did not find (seed 001 has none)."""
    links = client.get("/api/lists/policies", query_string={"page_size": 200}).get_json()["links"]
    for row in links:
        pid = row[0].rsplit("/", 1)[-1]
        body = client.get(f"/api/policies/{pid}").get_json()
        if not body["title"]:
            return body
    raise AssertionError("the sample corpus no longer has an untitled policy: pick another case for this test")


def test_untitled_policy_gets_a_heading_and_its_file_name(client: FlaskClient) -> None:
    p = _untitled_policy(client)
    html = client.get(f"/policies/{p['id']}").get_data(as_text=True)
    assert "<h1>（无标题）</h1>" in html
    assert re.search(r"<title>\s*（无标题）", html)
    note = re.search(r'<p class="hint" id="untitled-note">(.*?)</p>', html, re.S)
    assert note and p["source"].rsplit("/", 1)[-1] in note.group(1) and "/" not in note.group(1).replace("</code>", "")


def _visible(html: str, start: str, end: str) -> str:
    part = html[html.index(start):html.index(end)]
    return re.sub(r"<[^>]+>", "", part)


def test_department_page_shows_a_traditional_document_in_simplified(client: FlaskClient) -> None:
    dept = find_id(client, "department", HUAIBEI_KJJ, HUAIBEI_KJJ)
    html = client.get(f"/departments/{dept}").get_data(as_text=True)
    led = _visible(html, '<section id="led">', '<section id="supported">')
    assert "科技成果转移转化" in led and "推进中试基地建设" in led
    # 加大轉化落地扶持: a title with one traditional character follows its measure's text
    assert "加大转化落地扶持" in led
    assert not any(c in led for c in TRADITIONAL_MARKS), [c for c in TRADITIONAL_MARKS if c in led]


def test_who_leads_shows_a_traditional_document_in_simplified(client: FlaskClient) -> None:
    html = client.get("/who-leads", query_string={"q": "中试基地"}).get_data(as_text=True)
    cards = _visible(html, '<section class="leads"', '<aside class="supports"')
    assert "推进中试基地建设" in cards and HUAIBEI_KJJ in cards
    assert not any(c in cards for c in TRADITIONAL_MARKS), [c for c in TRADITIONAL_MARKS if c in cards]


def _node_names(data: dict) -> list[str]:
    """Names (departments) and titles (measures) of the nodes on the paths of a query result."""
    return [n["properties"].get("name") or n["properties"].get("title") for row in data["rows"] for cell in row
            if isinstance(cell, dict) for n in cell.get("nodes", [])]


def test_saved_query_page_shows_traditional_names_in_simplified(client: FlaskClient) -> None:
    html = client.get("/queries/collaboration_path", query_string={"run": "1"}).get_data(as_text=True)
    m = re.search(r'<script type="application/json" id="result-data">(.*?)</script>', html, re.S)
    assert m
    data = json.loads(m.group(1))
    names = _node_names(data)
    assert HUAIBEI_KJJ in names and len(names) > 2
    assert not [n for n in names if n and is_traditional(n)], names
    # the server-rendered table too, for path cells and node cells (a measure is a node here)
    for name in ("collaboration_path", "department_neighbourhood"):
        page = client.get(f"/queries/{name}", query_string={"run": "1"}).get_data(as_text=True)
        table = re.search(r'<table class="results-table".*?</table>', page, re.S)
        found = re.findall(r"<td>(.*?)</td>", table.group(0) if table else "", re.S)
        cells = [re.sub(r"<[^>]+>", "", c) for c in found]
        assert len(cells) > 2 and not [c for c in cells if is_traditional(c)], (name, cells)
    # the data itself is unchanged: the JSON API still gives the names as the document wrote them
    api = client.get("/api/queries/collaboration_path/run").get_json()
    raw = _node_names(api)
    assert any(n and is_traditional(n) for n in raw)


def test_board_for_a_department_without_deadlines_names_it_and_offers_no_dead_calendar(client: FlaskClient) -> None:
    """The department page links every department to the board; one whose measures have no deadline
    (淮北市科学技术局 in the sample) showed its id in the menu and a calendar link that answered 404."""
    dept = find_id(client, "department", HUAIBEI_KJJ, HUAIBEI_KJJ)
    page = client.get(f"/departments/{dept}").get_data(as_text=True)
    assert f'href="/deadlines?department={dept}"' in page
    html = client.get("/deadlines", query_string={"department": dept}).get_data(as_text=True)
    chosen = re.search(rf'<option value="{dept}" selected>([^<]*)</option>', html)
    assert chosen and chosen.group(1).startswith(HUAIBEI_KJJ), chosen
    assert client.get(f"/deadlines/{dept}.ics").status_code == 404
    assert 'id="board-ics"' not in html and 'id="board-no-ics"' in html
    # a department with dated measures still gets its calendar link, and the link works
    board = client.get("/api/deadlines", query_string={"today": "2020-12-10"}).get_json()
    lead = next(u for bucket in board["buckets"].values() for r in bucket for u in r["lead"])
    html = client.get("/deadlines", query_string={"department": lead["id"]}).get_data(as_text=True)
    link = re.search(r'id="board-ics" href="([^"]+)"', html)
    assert link and client.get(link.group(1)).status_code == 200


def test_console_error_points_at_the_start_of_the_misspelt_word(client: FlaskClient) -> None:
    """FalkorDB stops inside a word it cannot accept (at the 'H' of a stray WHERE, the second 'R' of
    RETRN); the caret the console draws should sit under the word's first letter."""
    token = csrf(client, "/console")
    for query, word in [("MATCH (d:Department)\nRETURN d.name AS name\nORDER BY d.name LIMIT 5 WHERE", "WHERE"),
                        ("MATCH (d:Department) RETRN d", "RETRN")]:
        body = client.post("/api/cypher", json={"query": query, "params": {}},
                           headers={"X-CSRF-Token": token}).get_json()
        assert body["kind"] == "syntax", body
        line = query.splitlines()[body["line"] - 1]
        assert line[body["column"] - 1:].startswith(word), (body, line)
        assert f"第 {body['line']} 行第 {body['column']} 列" in body["error"]


def test_home_lists_documents_by_region_and_year_once(client: FlaskClient) -> None:
    """The overview lists documents by level, region and year; the browse block under it listed region and
    year a second time (with different orders and counts); on the home page it keeps only the issuers."""
    html = client.get("/").get_data(as_text=True)
    browse = re.search(r'<section class="browse-summary" id="browse-summary".*?</section>', html, re.S)
    overview = re.search(r'<div class="browse-columns" id="overview-lists">.*?</ul>\s*</div>', html, re.S)
    assert browse and overview
    assert "按发文机关" in browse.group(0) and "按地区" not in browse.group(0) and "按年份" not in browse.group(0)
    assert "按地区" in overview.group(0) and "按年份" in overview.group(0)
    missing = client.get("/", query_string={"q": "完全不存在的词语"}).get_data(as_text=True)
    browse = re.search(r'<section class="browse-summary" id="browse-summary".*?</section>', missing, re.S)
    assert browse and all(f"按{x}" in browse.group(0) for x in ("发文机关", "地区", "年份"))


def test_measures_export_gives_the_section_in_simplified_like_the_other_columns(client: FlaskClient) -> None:
    policy = find_id(client, "policy", "淮北市加快科技成果", "淮北市加快科技成果")
    text = client.get(f"/export/policies/{policy}/measures.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    section = rows[0].index("章节")
    sections = {r[section] for r in rows[1:] if r[section]}
    assert sections and any("重点任务" in s for s in sections), sections
    assert not [s for s in sections if is_traditional(s)], sections


def test_measure_list_shows_a_short_traditional_title_in_simplified(client: FlaskClient) -> None:
    body = client.get("/api/lists/measures", query_string={"page": 1}).get_json()
    rows, page = list(body["rows"]), 1
    while len(rows) < body["total"]:
        page += 1
        more = client.get("/api/lists/measures", query_string={"page": page}).get_json()["rows"]
        assert more
        rows += more
    titles = [r[0] for r in rows]
    assert "加大转化落地扶持" in titles and "加大轉化落地扶持" not in titles


def test_every_console_error_names_its_place_the_same_way(client: FlaskClient) -> None:
    """The engine's errors read 查询语法或执行错误（第 L 行第 C 列）：…; the checker's put the place at the end,
    after the hint. Both now say where first, then what is wrong."""
    token = csrf(client, "/console")
    for query in ["MATCH (d:Department RETURN d", "MATCH (d:Department) SET d.x = 1 RETURN d",
                  "MATCH (d:Department) RETRN d"]:
        body = client.post("/api/cypher", json={"query": query, "params": {}},
                           headers={"X-CSRF-Token": token}).get_json()
        assert re.match(r"^[^：（]+（第 \d+ 行第 \d+ 列）：\S", body["error"]), body["error"]
