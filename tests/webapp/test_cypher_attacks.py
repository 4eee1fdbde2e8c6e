"""Untrusted Cypher through the HTTP console: every attack refused, the graph's checksum unchanged,
and other requests answered while a slow query runs into its time limit."""

from __future__ import annotations

import threading

from flask.testing import FlaskClient

from tests.graph.test_usercypher import ATTACKS, SLOW
from tests.sample import Loaded
from tests.webapp.conftest import csrf


def test_at_least_40_attacks_refused_over_http_with_the_graph_unchanged(client: FlaskClient, sample: Loaded) -> None:
    assert len(ATTACKS) >= 40
    before = sample.store.checksum()
    token = csrf(client, "/console")
    for attack in ATTACKS:
        res = client.post("/api/cypher", json={"query": attack, "params": {}}, headers={"X-CSRF-Token": token},
                          environ_base={"REMOTE_ADDR": f"10.0.{ATTACKS.index(attack)}.1"})  # stay under the rate limit
        assert res.status_code == 400, (attack, res.status_code, res.get_data(as_text=True)[:200])
        assert "Traceback" not in res.get_data(as_text=True)
    assert sample.store.checksum() == before


def test_other_requests_are_answered_while_a_query_runs_into_its_limit(make_app, sample: Loaded) -> None:
    app = make_app(sample, query_timeout_ms=1500)
    slow_client, other = app.test_client(), app.test_client()
    token = csrf(slow_client, "/console")
    outcome: dict[str, int] = {}

    def slow() -> None:
        res = slow_client.post("/api/cypher", json={"query": SLOW}, headers={"X-CSRF-Token": token})
        outcome["status"] = res.status_code

    worker = threading.Thread(target=slow)
    worker.start()
    answered = [other.get("/api/search?q=中试基地").status_code for _ in range(5)]
    worker.join(60)
    assert answered == [200] * 5
    assert outcome["status"] == 504
