"""Network explorer: page, filtered network JSON, GraphML, capped expansion, find."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET

from flask.testing import FlaskClient

from graph import reads
from tests.sample import HUAIBEI_PLAN, Loaded, policy_id
from tests.webapp.conftest import HUAIBEI_CZJ, HUAIBEI_KJJ


def test_network_json_has_centralities_and_communities(client: FlaskClient) -> None:
    body = client.get("/api/network").get_json()
    assert body["nodes"] and body["edges"]
    node = body["nodes"][0]
    assert {"id", "name", "degree", "betweenness", "eigenvector", "community", "leads", "supports"} <= set(node)
    ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids and e["weight"] >= 1 for e in body["edges"])


def test_network_filters(client: FlaskClient) -> None:
    policy = policy_id(HUAIBEI_PLAN)
    body = client.get("/api/network", query_string={"policy": policy}).get_json()
    assert body["nodes"] and all(n["region"] in ("淮北市", "") for n in body["nodes"])
    strong = client.get("/api/network", query_string={"min_weight": 5}).get_json()
    assert strong["edges"] and all(e["weight"] >= 5 for e in strong["edges"])
    assert client.get("/api/network", query_string={"role": "BOSS"}).status_code == 400
    assert client.get("/api/network", query_string={"min_weight": 0}).status_code == 400


def test_network_page_has_controls(client: FlaskClient) -> None:
    html = client.get("/network").get_data(as_text=True)
    for marker in ('id="network"', 'id="find"', 'id="export-png"', 'href="/api/network.graphml', 'id="expand"',
                   "/static/js/network.js", "淮北市"):
        assert marker in html


def test_graphml_export(client: FlaskClient) -> None:
    res = client.get("/api/network.graphml", query_string={"min_weight": 3})
    assert res.status_code == 200 and "attachment" in res.headers["Content-Disposition"]
    root = ET.fromstring(res.data)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert root.findall(".//g:node", ns) and root.findall(".//g:edge", ns)


def test_expand_is_capped_at_100_and_pages_on(client: FlaskClient, sample: Loaded) -> None:
    dept = reads.find_departments(sample.store, HUAIBEI_KJJ)[0].id
    body = client.get(f"/api/network/expand/{dept}").get_json()
    assert body["cap"] == 100 and len(body["nodes"]) <= 100 and body["total"] >= len(body["nodes"])
    assert body["nodes"][0]["name"] == HUAIBEI_CZJ  # strongest first
    rest = client.get(f"/api/network/expand/{dept}", query_string={"offset": 5}).get_json()
    assert rest["offset"] == 5 and rest["nodes"][0]["id"] == body["nodes"][5]["id"]
    assert client.get("/api/network/expand/dep-nope").status_code == 404


def test_find_a_department(client: FlaskClient) -> None:
    found = client.get("/api/network/find", query_string={"q": "科学技术局"}).get_json()["departments"]
    assert HUAIBEI_KJJ in {d["name"] for d in found}
    assert client.get("/api/network/find", query_string={"q": ""}).get_json()["departments"] == []


def test_neighbours_of_a_node(client: FlaskClient, sample: Loaded) -> None:
    programme = sample.store.read("MATCH (n:Programme)--() RETURN n.id AS id LIMIT 1").rows[0][0]
    hood = client.get(f"/api/nodes/{programme}/neighbours").get_json()
    assert hood["center"]["id"] == programme and 0 < len(hood["nodes"]) <= 100
    assert hood["total"] >= len(hood["nodes"])
    assert client.get("/api/nodes/nope/neighbours").status_code == 404


def test_neighbours_of_a_busy_department(client: FlaskClient, sample: Loaded) -> None:
    dept = reads.find_departments(sample.store, HUAIBEI_KJJ)[0].id
    hood = client.get(f"/api/nodes/{dept}/neighbours").get_json()
    assert hood["center"]["id"] == dept and 0 < len(hood["nodes"]) <= 100


def test_network_api_uses_the_apps_cache(app, client: FlaskClient) -> None:
    analytics = app.extensions["policygraph"].analytics
    assert analytics._cached is None
    first = client.get("/api/network?min_weight=2").get_json()
    built = analytics._cached
    assert built is not None, "the network must be built once per graph version, not per request"
    assert client.get("/api/network?min_weight=2").get_json() == first
    assert analytics._cached is built


def test_network_json_follows_a_load(make_app, engine, tmp_path) -> None:
    """The serialised network is reused per graph version, and a load makes a new one."""
    from loaders.load import load_files
    from tests.sample import ZHEJIANG_PLAN, load_sample

    loaded = load_sample(engine, tmp_path / "index", [HUAIBEI_PLAN])
    app = make_app(loaded)
    app.extensions["policygraph"].analytics.recheck_s = 0.0  # look at the graph version on every request
    client = app.test_client()
    before = client.get("/api/network").get_json()
    assert client.get("/api/network").get_json() == before
    assert not any("浙江" in n["name"] for n in before["nodes"])
    assert before["updating"] is False
    load_files([ZHEJIANG_PLAN], loaded.store, loaded.index)  # as another process would: no invalidate here
    # The next requests answer at once with the network they had while the new one is built in the
    # background (and say so); then the new one is served.
    after = client.get("/api/network").get_json()
    deadline = time.monotonic() + 60
    while not any("浙江" in n["name"] for n in after["nodes"]) and time.monotonic() < deadline:
        assert after["updating"] is True and after["nodes"] == before["nodes"]
        assert "正在后台更新" in client.get("/network").get_data(as_text=True) or not \
            app.extensions["policygraph"].analytics.updating
        time.sleep(0.05)
        after = client.get("/api/network").get_json()
    assert any("浙江" in n["name"] for n in after["nodes"]) and after["updating"] is False
    assert "正在后台更新" not in client.get("/network").get_data(as_text=True)
    assert {n["id"] for n in before["nodes"]} < {n["id"] for n in after["nodes"]}
    loaded.index.close()


def test_communities_are_named_by_their_most_central_department(client) -> None:
    body = client.get("/api/network").get_json()
    comms = body["communities"]
    assert comms and [c["size"] for c in comms] == sorted((c["size"] for c in comms), reverse=True)
    by_id = {n["id"]: n for n in body["nodes"]}
    for c in comms:
        members = [n for n in body["nodes"] if n["community"] == c["id"]]
        assert len(members) == c["size"]
        assert by_id[c["center"]]["name"] == c["name"]
        assert by_id[c["center"]]["degree"] == max(n["degree"] for n in members)


def test_department_page_ranks_collaborators_with_sparkbars(client) -> None:
    import re

    from tests.webapp.conftest import HUAIBEI_KJJ

    dept = client.get("/api/network/find", query_string={"q": HUAIBEI_KJJ}).get_json()["departments"][0]["id"]
    html = client.get(f"/departments/{dept}").get_data(as_text=True)
    counts = [int(n) for n in re.findall(r"共同措施 (\d+)</span>", html)]
    bars = [int(w) for w in re.findall(r'<rect class="bar" width="(\d+)"', html)]
    assert counts and counts == sorted(counts, reverse=True) and len(bars) == len(counts)
    assert bars[0] == 80 and all(b <= 80 for b in bars) and bars == sorted(bars, reverse=True)
