"""Department page: names, aliases, measures by policy, top collaborators, reporting chain, small network."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from graph import reads
from tests.sample import Loaded
from tests.webapp.conftest import HUAIBEI_CZJ, HUAIBEI_KJJ


def _kjj(sample: Loaded) -> str:
    return reads.find_departments(sample.store, HUAIBEI_KJJ)[0].id


def test_top_collaborator_of_the_science_bureau_is_the_finance_bureau(client: FlaskClient, sample: Loaded) -> None:
    dept = _kjj(sample)
    body = client.get(f"/api/departments/{dept}").get_json()
    assert body["name"] == HUAIBEI_KJJ and body["region"] == "淮北市" and "市科技局" in body["aliases"]
    assert body["collaborators"][0][0]["name"] == HUAIBEI_CZJ
    html = client.get(f"/departments/{dept}").get_data(as_text=True)
    first = re.search(r'<ol class="collaborators">\s*<li><a href="/departments/[^"]+">([^<]+)</a>', html)
    assert first and first.group(1) == HUAIBEI_CZJ


def test_department_page_groups_measures_by_policy(client: FlaskClient, sample: Loaded) -> None:
    html = client.get(f"/departments/{_kjj(sample)}").get_data(as_text=True)
    assert re.search(r"牵头的措施（\d+）", html) and re.search(r"配合的措施（\d+）", html)
    assert '<details class="policy-group"' in html and "淮北市加快科技成果" in html.replace("轉", "转")
    assert "市科技局" in html  # alias
    assert 'id="cy"' in html and "/static/vendor/cytoscape.min.js" in html


def test_department_network_is_an_ego_network(client: FlaskClient, sample: Loaded) -> None:
    dept = _kjj(sample)
    body = client.get(f"/api/departments/{dept}/network").get_json()
    assert body["center"] == dept and body["nodes"][0]["id"] == dept
    names = {n["name"] for n in body["nodes"]}
    assert HUAIBEI_CZJ in names and len(body["nodes"]) <= 31
    assert all({"degree", "community"} <= set(n) for n in body["nodes"])
    assert any(dept in (e["source"], e["target"]) for e in body["edges"])


def test_unknown_department_404(client: FlaskClient) -> None:
    page = client.get("/departments/dep-nope")
    assert page.status_code == 404 and "未找到该部门" in page.get_data(as_text=True)
    assert client.get("/api/departments/dep-nope").status_code == 404
    assert client.get("/api/departments/dep-nope/network").status_code == 404


def test_measure_and_policy_links_of_the_department_page_resolve(client: FlaskClient, sample: Loaded) -> None:
    html = client.get(f"/departments/{_kjj(sample)}").get_data(as_text=True)
    measures = re.findall(r'<a href="(/measures/[^"#]+)">', html)
    policies = set(re.findall(r'<a href="(/policies/[^"#]+)#m-\d+">查看政策原文', html))
    assert len(measures) >= 20 and policies
    for link in measures[:5] + sorted(policies):
        assert client.get(link).status_code == 200, link


def test_a_busy_department_shows_its_most_recent_measures_with_the_true_totals(
        client: FlaskClient, sample: Loaded, monkeypatch) -> None:
    dept = _kjj(sample)
    full = client.get(f"/api/departments/{dept}?all=1").get_json()
    led = sum(map(len, full["led"].values()))
    assert not full["truncated"] and full["led_total"] == led >= 20
    assert full["supported_total"] == sum(map(len, full["supported"].values()))
    assert "measures-truncated" not in client.get(f"/departments/{dept}?all=1").get_data(as_text=True)

    monkeypatch.setattr(reads, "DEPARTMENT_MEASURES_SHOWN", 5)
    part = client.get(f"/api/departments/{dept}").get_json()
    assert part["shown"] == 5 and part["truncated"]
    assert (part["led_total"], part["supported_total"]) == (full["led_total"], full["supported_total"])
    html = client.get(f"/departments/{dept}").get_data(as_text=True)
    assert f"牵头的措施（{full['led_total']}）" in html and 'id="measures-truncated"' in html
    assert len(re.findall(r'<a href="/measures/[^"#]+">', html)) == 5
    assert f'href="/departments/{dept}?all=1"' in html
