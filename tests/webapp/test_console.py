"""Cypher console: read-only runs, refusals, syntax errors, time limit, row cap, rate limit, CSRF."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.sample import Loaded
from tests.webapp.conftest import HUAIBEI_KJJ, csrf


def _post(client: FlaskClient, query: str, params: dict | None = None, token: str | None = None):
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


def test_time_limit(make_app, sample: Loaded) -> None:
    client = make_app(sample, query_timeout_ms=1).test_client()
    heavy = "MATCH (a), (b), (c) RETURN count(*) AS n"
    res = _post(client, heavy, token=csrf(client, "/console"))
    assert res.status_code == 504 and res.get_json()["kind"] == "timeout" and "超时" in res.get_json()["error"]


def test_row_cap_is_reported(make_app, sample: Loaded) -> None:
    client = make_app(sample, row_cap=3).test_client()
    body = _post(client, "MATCH (d:Department) RETURN d.name", token=csrf(client, "/console")).get_json()
    assert body["truncated"] is True and len(body["rows"]) == 3 and body["row_cap"] == 3


def test_rate_limit_answers_429_in_chinese(make_app, sample: Loaded) -> None:
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


def _walk(value, kind: str):
    """Every node/relationship dict anywhere in a result cell (paths and lists included)."""
    if isinstance(value, list):
        for v in value:
            yield from _walk(v, kind)
    elif isinstance(value, dict):
        if value.get("_kind") == kind:
            yield value
        if value.get("_kind") == "path":
            yield from _walk(value["nodes" if kind == "node" else "relationships"], kind)
        elif "_kind" not in value:
            for v in value.values():
                yield from _walk(v, kind)


def test_every_example_runs_as_shipped(client: FlaskClient) -> None:
    import json

    from webapp.console_examples import EXAMPLES

    html = client.get("/console").get_data(as_text=True)
    token = csrf(client, "/console")
    assert len(EXAMPLES) >= 5
    for ex in EXAMPLES:
        assert ex.title in html
        res = _post(client, ex.query, json.loads(ex.params or "{}"), token)
        body = res.get_json()
        assert res.status_code == 200, (ex.title, body)
        assert body["rows"], f"{ex.title}: no rows on the sample corpus"
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in c) for c in body["columns"]), body["columns"]
        if not ex.graph:
            continue
        nodes = {n["ref"] for row in body["rows"] for n in _walk(row, "node")}
        rels = [r for row in body["rows"] for r in _walk(row, "relationship")]
        assert nodes and rels, ex.title
        # every relationship's two ends are among the nodes returned, so the graph view can draw it
        assert all(r["start_ref"] in nodes and r["end_ref"] in nodes for r in rels), ex.title


def test_the_prefilled_example_is_the_first_example(client: FlaskClient) -> None:
    import html as htmllib

    from webapp.console_examples import EXAMPLES

    page = client.get("/console").get_data(as_text=True)
    assert htmllib.escape(EXAMPLES[0].query, quote=False) in page


def test_a_syntax_error_names_line_column_and_a_chinese_hint(client: FlaskClient) -> None:
    token = csrf(client, "/console")
    # the console's old example: an unquoted Chinese alias, on line 2 after a Chinese string on line 1
    query = "MATCH (d:Department {name: '淮北市科学技术局'})\nRETURN d.name AS 部门"
    body = _post(client, query, token=token).get_json()
    assert body["kind"] == "syntax" and (body["line"], body["column"]) == (2, 18)
    assert query.splitlines()[1][body["column"] - 1] == "部"
    assert "反引号" in body["hint"] and "第 2 行第 18 列" in body["error"]
    typo = _post(client, "\n  MATCH (n)\nRETRUN n", token=token).get_json()
    assert typo["line"] == 3 and "关键字拼写有误" in typo["hint"]
    unknown = _post(client, "MATCH (n) RETURN nosuchfunction(n)", token=token).get_json()
    # refused before the engine sees it (an allow-list of functions), with its place in the query
    assert "nosuchfunction" in unknown["hint"] and (unknown["line"], unknown["column"]) == (1, 18)
    undefined = _post(client, "MATCH (n) RETURN m", token=token).get_json()
    assert "变量 m 未定义" in undefined["error"]


def test_neo4j_error_positions_are_read_too() -> None:
    """Neo4j (not runnable here) reports character positions in its own format; the message below is in that
    format, as the driver's CypherSyntaxError text gives it."""
    from webapp.queryerrors import hint, position

    message = ("Invalid input 'RETRUN': expected 'RETURN' or 'WITH' (line 3, column 1 (offset: 25))\n"
               '"RETRUN n"\n ^')
    where = position(message, "MATCH (n)\nWHERE n.x = 1\nRETRUN n")
    assert (where.line, where.column) == (3, 1) if where else False
    assert "关键字拼写有误" in hint(message)
    assert "变量 m 未定义" in hint("Variable `m` not defined (line 1, column 18 (offset: 17))")


def test_text_cut_inside_a_character_gets_a_hint(client: FlaskClient) -> None:
    res = _post(client, "MATCH (n) WHERE n:Policy OR n:Measure OR n:Department OR n:Programme OR n:Platform "
                "RETURN coalesce(n.text, '') + ' ' + coalesce(n.title, '') + ' ' + coalesce(n.name, '') AS t",
                token=csrf(client, "/console"))
    body = res.get_json()
    if res.status_code == 200:  # an engine version that concatenates correctly: nothing to explain
        assert body["rows"]
    else:
        assert body["kind"] == "syntax" and "substring()" in body["hint"]
