"""The console's 执行计划 button: POST /api/cypher/explain answers the engine's plan without running the query,
under the same checks as running it (real app, real user-query engine, sample corpus)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.sample import Loaded
from tests.webapp.conftest import csrf
from webapp.console_examples import EXAMPLES


def _explain(client: FlaskClient, query: str, params: dict[str, Any] | None = None, token: str = "") -> Any:
    headers = {"X-CSRF-Token": token} if token else {}
    return client.post("/api/cypher/explain", json={"query": query, "params": params or {}}, headers=headers)


def _count(sample: Loaded) -> int:
    return sample.store.read("MATCH (n) RETURN count(n) AS n").rows[0][0]


def test_every_console_example_has_a_plan(client: FlaskClient) -> None:
    import json

    token = csrf(client, "/console")
    for ex in EXAMPLES:
        res = _explain(client, ex.query, json.loads(ex.params) if ex.params else {}, token)
        assert res.status_code == 200, (ex.title, res.get_json())
        plan = res.get_json()["plan"]
        assert plan and all(isinstance(step, str) and step.strip() for step in plan), plan
        assert any("Scan" in step or "Seek" in step or "Project" in step for step in plan), plan


def test_a_write_is_refused_in_chinese_and_nothing_runs(client: FlaskClient, sample: Loaded) -> None:
    before = _count(sample)
    token = csrf(client, "/console")
    for query in ("MATCH (n) DETACH DELETE n", "PROFILE MATCH (n) RETURN n", "CREATE (:Policy {id: 'x'})"):
        res = _explain(client, query, token=token)
        assert res.status_code == 400, query
        assert any("\u4e00" <= c <= "\u9fff" for c in res.get_json()["error"]), res.get_json()
    assert _count(sample) == before


def test_cross_site_posts_are_refused(client: FlaskClient) -> None:
    cross = client.post("/api/cypher/explain", json={"query": "RETURN 1"}, headers={"Origin": "https://evil.example"})
    assert cross.status_code in (400, 403)
    form = client.post("/api/cypher/explain", data={"query": "RETURN 1"})
    assert form.status_code in (400, 403)


def test_the_console_page_offers_the_button(client: FlaskClient) -> None:
    html = client.get("/console").get_data(as_text=True)
    assert 'id="explain"' in html and "执行计划" in html and 'id="console-plan"' in html
