"""Search page and /api/search on the real sample index."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.sample import Loaded
from tests.webapp.conftest import HUAIBEI_KJJ


def test_search_groups_results_by_type_with_links(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "中试基地"}).get_data(as_text=True)
    assert 'id="group-measure"' in html and 'id="group-policy"' in html
    assert "<mark>" in html and HUAIBEI_KJJ in html
    assert re.search(r'href="/measures/mea-[^"]+"', html) and re.search(r'href="/policies/pol-[^"]+"', html)


def test_facets_are_links_that_filter(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "科技成果转化"}).get_data(as_text=True)
    lead_links = re.findall(r'href="(/\?q=[^"]*lead:[^"]*)"', html)
    assert lead_links, "lead facet values link to a filtered search"
    filtered = client.get(lead_links[0].replace("&amp;", "&")).get_data(as_text=True)
    assert 'class="active"' in filtered and "✕" in filtered
    type_link = re.search(r'href="(/\?q=[^"]*type=measure)"', html)
    assert type_link
    assert "共找到" in client.get(type_link.group(1).replace("&amp;", "&")).get_data(as_text=True)


def test_filtered_search_pages(client: FlaskClient) -> None:
    first = client.get("/api/search", query_string={"q": "科技", "type": "measure"}).get_json()
    assert first["total"] > 20 and len(first["hits"]) == 20
    html = client.get("/", query_string={"q": "科技", "type": "measure"}).get_data(as_text=True)
    assert 'rel="next"' in html and "共 " in html
    second = client.get("/api/search", query_string={"q": "科技", "type": "measure", "page": 2}).get_json()
    assert second["page"] == 2 and {h["uid"] for h in second["hits"]}.isdisjoint({h["uid"] for h in first["hits"]})


def test_api_search_json_has_hits_facets_and_groups(client: FlaskClient) -> None:
    body = client.get("/api/search", query_string={"q": "中试基地"}).get_json()
    assert body["total"] >= 2 and body["facets"]["kind"]
    assert "measure" in body["groups"] and body["groups"]["measure"]["hits"][0]["lead"] == [HUAIBEI_KJJ]
    empty = client.get("/api/search").get_json()
    browse, suggestions = empty.pop("browse"), empty.pop("suggestions")  # never a dead end (issue 19)
    assert empty == {"query": "", "type": None, "total": 0, "hits": [], "facets": {}}
    assert browse["total"] > 0 and suggestions["departments"]


def test_search_terms_are_escaped(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": '<script>alert(1)</script>"'}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unfiltered_page_groups_match_per_kind_searches(client: FlaskClient, sample: Loaded) -> None:
    from search.query import search

    body = client.get("/api/search?q=科技成果").get_json()
    assert len(body["hits"]) <= 20 and body["groups"]
    for kind, group in body["groups"].items():
        alone = search(sample.index, "科技成果", kind=kind, page_size=5)
        assert group["total"] == alone.total
        assert [h["id"] for h in group["hits"]] == [h.id for h in alone.hits]


def test_a_second_page_of_all_types_lists_its_hits(client: FlaskClient) -> None:
    """The grouped view is page 1's; a later page without a type lists that page's hits of every type."""
    second = client.get("/api/search", query_string={"q": "科技", "page": 2}).get_json()
    assert second["hits"]
    html = client.get("/", query_string={"q": "科技", "page": 2}).get_data(as_text=True)
    assert "没有找到" not in html and 'id="group-' not in html
    assert all(re.search(f'/{h["id"]}["?]', html) for h in second["hits"])  # ?hl= the words, for policies/measures
