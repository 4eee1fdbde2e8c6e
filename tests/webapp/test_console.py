"""Cypher console: read-only runs, refusals, syntax errors, time limit, row cap, rate limit, CSRF."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.sample import Loaded
from tests.webapp.conftest import HUAIBEI_KJJ, csrf


def _post(client: FlaskClient, query: str, params: dict | None = None, token: str | None = None):  # type: ignore[no-untyped-def]
    headers = {"X-CSRF-Token": token} if token else {}
    return client.post("/api/cypher", json={"query": query, "params": params or {}}, headers=headers)


def test_console_page(client: FlaskClient) -> None:
    html = client.get("/console").get_data(as_text=True)
    assert 'id="cypher"' in html and "/static/js/console.js" in html and "只读" in html
    assert "保存到查询库" not in html  # only for a signed-in admin


def test_read_query_runs_from_the_page_with_its_token(client: FlaskClient) -> None:
    token = csrf(client, "/console")
    res = _post(client, "MATCH (d:Department {name: $n}) RETURN d.name AS name, d", {"n": HUAIBEI_KJJ}, token)
    body = res.get_json()
    assert res.status_code == 200 and body["columns"] == ["name", "d"] and body["rows"][0][0] == HUAIBEI_KJJ
    assert body["rows"][0][1]["_kind"] == "node" and body["truncated"] is False


def test_write_is_refused_with_400_and_the_graph_is_unchanged(client: FlaskClient, sample: Loaded) -> None:
    before = sample.store.counts()
    res = _post(client, "MATCH (n) DETACH DELETE n", token=csrf(client, "/console"))
    assert res.status_code == 400
    body = res.get_json()
    assert body["kind"] == "refused" and "查询被拒绝" in body["error"] and "只允许读取" in body["error"]
    assert sample.store.counts() == before


def test_syntax_error_and_bad_body(client: FlaskClient) -> None:
    token = csrf(client, "/console")
    res = _post(client, "MATCH (n RETURN n", token=token)
    assert res.status_code == 400 and res.get_json()["kind"] == "syntax" and "语法" in res.get_json()["error"]
    bad = client.post("/api/cypher", data="not json", headers={"X-CSRF-Token": token})
    assert bad.status_code == 400 and "JSON" in bad.get_json()["error"]
    two = _post(client, "RETURN 1; RETURN 2", token=token)
    assert two.status_code == 400 and "一次只能运行一条语句" in two.get_json()["error"]


def test_time_limit(make_app, sample: Loaded) -> None:  # type: ignore[no-untyped-def]
    client = make_app(sample, query_timeout_ms=1).test_client()
    heavy = "MATCH (a), (b), (c) RETURN count(*) AS n"
    res = _post(client, heavy, token=csrf(client, "/console"))
    assert res.status_code == 504 and res.get_json()["kind"] == "timeout" and "超时" in res.get_json()["error"]


def test_row_cap_is_reported(make_app, sample: Loaded) -> None:  # type: ignore[no-untyped-def]
    client = make_app(sample, row_cap=3).test_client()
    body = _post(client, "MATCH (d:Department) RETURN d.name", token=csrf(client, "/console")).get_json()
    assert body["truncated"] is True and len(body["rows"]) == 3 and body["row_cap"] == 3


def test_rate_limit_answers_429_in_chinese(make_app, sample: Loaded) -> None:  # type: ignore[no-untyped-def]
    client = make_app(sample, config={"CYPHER_RATE_LIMIT": (3, 10.0)}).test_client()
    token = csrf(client, "/console")
    codes = [_post(client, "RETURN 1 AS one", token=token).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "请求过于频繁" in _post(client, "RETURN 1", token=token).get_json()["error"]


def test_cross_site_posts_are_refused(client: FlaskClient) -> None:
    form = client.post("/api/cypher", data={"query": "RETURN 1"})
    assert form.status_code == 400 and "CSRF" in form.get_json()["error"]
    cross = client.post("/api/cypher", json={"query": "RETURN 1"}, headers={"Origin": "https://evil.example"})
    assert cross.status_code == 400
    fetch_site = client.post("/api/cypher", json={"query": "RETURN 1"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert fetch_site.status_code == 400
    script = client.post("/api/cypher", json={"query": "RETURN 1 AS one"})  # curl-like JSON client
    assert script.status_code == 200 and script.get_json()["rows"] == [[1]]
