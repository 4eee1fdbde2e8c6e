"""A region page lists each neighbour once, however many documents assert the same relation."""

from __future__ import annotations

from collections import Counter

from core.ids import entity_id
from graph import reads
from tests.sample import Loaded


def test_region_page_lists_each_neighbour_once(sample: Loaded, client_for) -> None:
    rid = entity_id("Region", "江西省")
    asserted = sample.store.read("MATCH (:Region {id: $id})-[r:LOCATED_IN]->(n:Region) RETURN count(r)",
                                 {"id": rid}).rows[0][0]
    assert asserted > 1  # several documents place 江西省 in 全国
    view = reads.entity(sample.store, rid)
    assert view is not None
    html = client_for(sample).get(f"/regions/{rid}").get_data(as_text=True)
    assert html.count(">全国<") == 1
    keys = Counter((link.get("id"), link.get("type"), link.get("out")) for link in view.links)
    assert max(keys.values()) == 1
