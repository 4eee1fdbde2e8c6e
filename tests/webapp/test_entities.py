"""Measure, programme, platform and region pages and their JSON twins."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.sample import Loaded
from tests.webapp.conftest import HUAIBEI_KJJ


def _first(sample: Loaded, label: str) -> str:
    rows = sample.store.read(f"MATCH (n:{label})--() RETURN n.id AS id ORDER BY id LIMIT 1").records()
    assert rows, f"the sample has a {label}"
    return rows[0]["id"]


def test_measure_page_and_api(client: FlaskClient) -> None:
    hit = client.get("/api/search", query_string={"q": "中试基地", "type": "measure"}).get_json()["hits"][0]
    body = client.get(f"/api/measures/{hit['id']}").get_json()
    assert body["lead"][0]["name"] == HUAIBEI_KJJ and body["policy_id"] == hit["doc_id"]
    html = client.get(f"/measures/{hit['id']}").get_data(as_text=True)
    assert f'class="lead" href="/departments/{body["lead"][0]["id"]}"' in html
    assert client.get("/measures/mea-nope").status_code == 404


@pytest.mark.parametrize("label,path", [("Programme", "programmes"), ("Platform", "platforms"), ("Region", "regions")])
def test_entity_pages(client: FlaskClient, sample: Loaded, label: str, path: str) -> None:
    entity = _first(sample, label)
    body = client.get(f"/api/{path}/{entity}").get_json()
    assert body["id"] == entity and body["label"] == label and body["links"]
    html = client.get(f"/{path}/{entity}").get_data(as_text=True)
    assert body["name"] in html and 'class="linked"' in html
    assert client.get(f"/{path}/nope").status_code == 404
    assert client.get(f"/api/{path}/nope").get_json()["status"] == 404


def test_an_entity_of_another_kind_is_not_found(client: FlaskClient, sample: Loaded) -> None:
    programme = _first(sample, "Programme")
    assert client.get(f"/regions/{programme}").status_code == 404
