"""End to end on the real parts: seeds → extractor → embedded graph + Whoosh index → Flask pages."""

from __future__ import annotations

import re

from core.text import to_simplified
from graph import reads
from graph.engine import EmbeddedEngine
from loaders.load import load_files
from search.query import search
from tests.sample import SEEDS, Loaded, load_sample

HUAIBEI_KJJ = "淮北市科学技术局"
ZHEJIANG_KJT = "浙江省科学技术厅"


def _zhongshi_measures(loaded: Loaded) -> list[dict]:
    # Found through Cypher on the graph, not through the extractor's output.
    rows = loaded.store.read(
        "MATCH (d:Department)-[:LEADS]->(m:Measure)<-[:CONTAINS]-(p:Policy) "
        "WHERE m.text_s CONTAINS '中试基地' RETURN d.name AS dept, d.id AS dept_id, m.id AS mid, p.title AS title"
    ).records()
    return rows


def test_huaibei_bureau_leads_the_pilot_base_measure_and_differs_from_zhejiang(sample: Loaded) -> None:
    rows = _zhongshi_measures(sample)
    huaibei = [r for r in rows if r["dept"] == HUAIBEI_KJJ]
    assert huaibei, f"no 中试基地 measure led by {HUAIBEI_KJJ}: {rows}"
    assert "淮北" in huaibei[0]["title"]
    zj = reads.find_departments(sample.store, ZHEJIANG_KJT)
    assert len(zj) == 1 and zj[0].id != huaibei[0]["dept_id"]
    # both documents wrote the short form 科技局/科技厅: the aliases stay with their own region
    assert {u.name for u in reads.find_departments(sample.store, "市科技局")} >= {HUAIBEI_KJJ}
    assert ZHEJIANG_KJT not in {u.name for u in reads.find_departments(sample.store, "市科技局")}


def test_search_finds_the_pilot_base_measure(sample: Loaded) -> None:
    measure_ids = {r["mid"] for r in _zhongshi_measures(sample) if r["dept"] == HUAIBEI_KJJ}
    results = search(sample.index, "中试基地", kind="measure")
    assert measure_ids & {h.id for h in results.hits}
    hit = next(h for h in results.hits if h.id in measure_ids)
    assert "<mark>" in hit.snippet_html and HUAIBEI_KJJ in hit.lead


def test_department_page_lists_the_measure_with_a_link_to_its_policy(sample: Loaded, client_for) -> None:
    row = next(r for r in _zhongshi_measures(sample) if r["dept"] == HUAIBEI_KJJ)
    client = client_for(sample)
    html = client.get(f"/departments/{row['dept_id']}").get_data(as_text=True)
    assert HUAIBEI_KJJ in html and f"/measures/{row['mid']}" in html
    assert "中试基地" in to_simplified(html)  # the page shows the document's own (traditional) characters
    policy_links = set(re.findall(r'href="(/policies/[^"#]+)', html))
    assert policy_links, "the department page links to the policy text"
    policy_html = client.get(sorted(policy_links)[0]).get_data(as_text=True)
    assert "中试基地" in to_simplified(policy_html)


def test_search_page_then_click_through_to_the_lead_department(sample: Loaded, client_for) -> None:
    client = client_for(sample)
    page = client.get("/?q=中试基地")
    assert page.status_code == 200
    measure_link = re.search(r'href="(/measures/[^"]+)"', page.get_data(as_text=True))
    assert measure_link
    measure_page = client.get(measure_link.group(1)).get_data(as_text=True)
    dept_link = re.search(r'class="lead" href="(/departments/[^"]+)"', measure_page)
    assert dept_link
    assert client.get(dept_link.group(1)).status_code == 200


def test_loading_twice_changes_nothing(engine: EmbeddedEngine, tmp_path) -> None:
    loaded = load_sample(engine, tmp_path / "index", [SEEDS])
    try:
        assert not loaded.summary.errors and loaded.summary.documents == 5
        before, index_before = loaded.store.counts(), loaded.index.doc_count()
        again = load_files(loaded.files, loaded.store, loaded.index)
        assert again.unchanged == 5 and again.documents == 0
        assert loaded.store.counts() == before and loaded.index.doc_count() == index_before
        # and forcing a rewrite of every document (as after a crash) also changes nothing
        from loaders.extract import extract_bytes
        from loaders.load import source_names

        names = source_names(loaded.files)  # what the load stored them as: relative to their folder
        for path in loaded.files:
            ex = extract_bytes(path.read_bytes(), str(path), name=names[path])
            loaded.store.replace_document(ex)
            loaded.index.index_extraction(ex)
        loaded.store.finalize()
        assert loaded.store.counts() == before and loaded.index.doc_count() == index_before
    finally:
        loaded.index.close()
        loaded.store._admin.delete()
