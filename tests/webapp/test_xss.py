"""A document with <script> in its title and measures, loaded through load_files, is shown escaped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from graph.engine import EmbeddedEngine
from tests.sample import Loaded, load_sample
from tests.webapp.conftest import csrf

PAYLOAD = "<script>alert(1)</script>"
XSS_DOC = """关于印发淮北市<script>alert(1)</script>行动方案的通知
各县区人民政府，市政府各部门：
现将《淮北市<script>alert(1)</script>行动方案》印发给你们，请认真贯彻落实。
淮北市人民政府
2023年5月10日
淮北市<script>alert(1)</script>行动方案
一、重点任务
1.建设<img src=x onerror=alert(2)>中试基地。支持企业建设"<script>alert(3)</script>"平台，对认定的给予奖励。\
（牵头单位：市科技局，配合单位：市财政局）
2.完善科技金融服务。设立科技成果转化基金。（牵头单位：市财政局，配合单位：市科技局）
"""


def write_xss_doc(folder: Path) -> Path:
    """The planted document (shared with the browser tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "xss_plan.txt"
    path.write_text(XSS_DOC, encoding="utf-8")
    return path


@pytest.fixture
def planted(engine: EmbeddedEngine, tmp_path: Path) -> Iterator[Loaded]:
    loaded = load_sample(engine, tmp_path / "index", [write_xss_doc(tmp_path / "docs")])
    assert not loaded.summary.errors and loaded.summary.documents == 1
    yield loaded
    loaded.index.close()
    loaded.store._admin.delete()


def _clean(html: str) -> None:
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html or "&lt;img" in html


def test_policy_measure_department_and_search_pages_escape(make_app, planted: Loaded) -> None:
    client: FlaskClient = make_app(planted).test_client()
    doc = planted.summary.ids[str(planted.files[0])]
    _clean(client.get(f"/policies/{doc}").get_data(as_text=True))
    body = client.get(f"/api/policies/{doc}").get_json()
    assert PAYLOAD in body["title"]  # the JSON keeps the text as it is; pages escape it
    measure = body["measures"][0]
    _clean(client.get(f"/measures/{measure['id']}").get_data(as_text=True))
    _clean(client.get(f"/departments/{measure['lead'][0]['id']}").get_data(as_text=True))
    _clean(client.get("/", query_string={"q": "中试基地"}).get_data(as_text=True))
    _clean(client.get("/who-leads", query_string={"q": "中试基地"}).get_data(as_text=True))


def test_query_results_escape(make_app, planted: Loaded) -> None:
    client: FlaskClient = make_app(planted).test_client()
    html = client.get("/queries/lead_departments_by_keyword", query_string={"keyword": "中试基地", "run": "1"})
    text = html.get_data(as_text=True)
    assert "<script>alert" not in text.split('id="result-data">')[0]
    assert "</script><script>" not in text  # the JSON data block cannot be closed early (tojson escapes <)
    res = client.post("/api/cypher", json={"query": "RETURN '<script>alert(9)</script>' AS x"},
                      headers={"X-CSRF-Token": csrf(client, "/console")})
    assert res.get_json()["rows"] == [["<script>alert(9)</script>"]] and res.mimetype == "application/json"
