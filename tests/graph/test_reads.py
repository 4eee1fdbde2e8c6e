"""Typed reads for the pages, on the real engine."""

from __future__ import annotations

from core.ids import entity_id
from core.records import Entity, Evidence, Relation
from graph import reads
from graph.store import FalkorStore
from tests.graph.records_factory import extraction, unit

KJJ, CZJ, JYJ, ZJ = "甲市科学技术局", "甲市财政局", "甲市教育局", "乙省科学技术厅"


def _load(store: FalkorStore) -> None:
    store.replace_document(extraction("pol-1", "v1", [
        ("建设中试基地", [unit(KJJ, "市科技局")], [unit(CZJ, "市财政局", 1)]),
        ("中试熟化平台", [unit(KJJ, "市科技局")], [unit(CZJ, "市财政局", 1), unit(JYJ, "市教育局", 2)]),
        ("人才评价", [unit(JYJ, "市教育局")], [unit("各县区人民政府", "各县区人民政府", 1)]),
    ], groups=["各县区人民政府"]))
    ex = extraction("pol-2", "v1", [("综合体考核中试", [unit(ZJ, "省科技厅")], [unit(JYJ, "市教育局", 1)])])
    ex.entities.append(Entity(entity_id("Department", "科学技术部"), "Department", "科学技术部"))
    ex.relations.append(Relation("REPORTS_TO", entity_id("Department", ZJ), entity_id("Department", "科学技术部"),
                                 Evidence(0, 4, "报送科技部")))
    ex.entities.append(Entity(entity_id("Region", "乙省"), "Region", "乙省"))
    ex.relations.append(Relation("LOCATED_IN", entity_id("Department", ZJ), entity_id("Region", "乙省")))
    store.replace_document(ex)
    store.finalize()


def test_who_leads_ranks_by_matching_measures_in_either_script(store: FalkorStore) -> None:
    _load(store)
    answer = reads.who_leads(store, "中試")  # traditional input
    assert [(a.name, a.measures) for a in answer.leads] == [(KJJ, 2), (ZJ, 1)]
    assert {e.text for e in answer.leads[0].evidence} == {"建设中试基地", "中试熟化平台"}
    assert dict((u.name, n) for u, n in answer.supports) == {CZJ: 2, JYJ: 2}
    assert reads.who_leads(store, "中试 基地").leads[0].measures == 1  # every word must match
    assert reads.who_leads(store, "   ").leads == []


def test_department_profile_has_collaborators_and_reporting_chain(store: FalkorStore) -> None:
    _load(store)
    kjj = reads.department(store, entity_id("Department", KJJ))
    assert kjj is not None and [(u.name, n) for u, n in kjj.collaborators] == [(CZJ, 2), (JYJ, 1)]
    zj = reads.department(store, entity_id("Department", ZJ))
    assert zj is not None and [u.name for u in zj.reporting_chain] == ["科学技术部"]
    assert zj.region == "乙省"


def test_neighbours_are_capped_and_say_so(store: FalkorStore) -> None:
    _load(store)
    full = reads.neighbours(store, entity_id("Department", JYJ))
    assert full is not None and full.total == 3 and not full.truncated and len(full.nodes) == 3
    capped = reads.neighbours(store, entity_id("Department", JYJ), limit=2)
    assert capped is not None and capped.truncated and len(capped.nodes) == 2
    assert {e["type"] for e in full.edges} == {"LEADS", "SUPPORTS"}
    assert reads.neighbours(store, "dep-unknown") is None


def test_network_filters(store: FalkorStore) -> None:
    _load(store)
    net = reads.collaboration_network(store)
    names = {n["name"] for n in net.nodes}
    assert names == {KJJ, CZJ, JYJ, ZJ}, "collective units are left out by default"
    weights = {frozenset((e["source"], e["target"])): e["weight"] for e in net.edges}
    assert weights[frozenset((entity_id("Department", KJJ), entity_id("Department", CZJ)))] == 2
    assert {n["name"] for n in reads.collaboration_network(store, min_weight=2).nodes} == {KJJ, CZJ}
    assert {n["name"] for n in reads.collaboration_network(store, policy="pol-2").nodes} == {ZJ, JYJ}
    assert "各县区人民政府" in {n["name"] for n in reads.collaboration_network(store, include_groups=True).nodes}
    assert reads.collaboration_network(store, limit=1).truncated
    assert all("betweenness" in n and "community" in n for n in net.nodes)


def test_region_page_lists_what_is_located_in_it(store: FalkorStore) -> None:
    _load(store)
    view = reads.region(store, entity_id("Region", "乙省"))
    assert view is not None and [link["name"] for link in view.links] == [ZJ]
    assert reads.programme(store, entity_id("Region", "乙省")) is None


def test_who_leads_among_candidates_matches_the_full_scan(store: FalkorStore) -> None:
    _load(store)
    full = reads.who_leads(store, "中试")
    among = reads.who_leads(store, "中试", candidates=[KJJ, ZJ, CZJ])
    assert [(a.name, a.measures) for a in among.leads] == [(a.name, a.measures) for a in full.leads]
    assert dict((u.name, n) for u, n in among.supports) == dict((u.name, n) for u, n in full.supports)
    assert reads.who_leads(store, "中试", candidates=[]).leads == []
