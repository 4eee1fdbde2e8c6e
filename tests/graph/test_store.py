"""The store contract on the real embedded engine: per-document replace, idempotence, orphans."""

from __future__ import annotations

from graph import reads
from graph.store import FalkorStore
from tests.graph.records_factory import extraction, unit

KJJ = "淮北市科学技术局"
CZJ = "淮北市财政局"
ZJ_KJT = "浙江省科学技术厅"


def _doc_a(version: str = "v1"):
    return extraction("pol-a", version, [
        ("建设中试基地", [unit(KJJ, "市科技局")], [unit(CZJ, "市财政局", 1, "配合单位")]),
        ("改革人才评价", [unit(CZJ, "市财政局")], []),
    ], issuer="淮北市人民政府")


def _doc_b():
    return extraction("pol-b", "v1", [("综合体考核", [unit(ZJ_KJT, "省科技厅")], [unit(KJJ, "市科技局", 1)])])


def test_replace_is_idempotent(store: FalkorStore) -> None:
    store.replace_document(_doc_a())
    store.finalize()
    first = store.counts()
    store.replace_document(_doc_a())
    store.finalize()
    assert store.counts() == first
    assert first["Measure"] == 2 and first["LEADS"] == 2 and first["SUPPORTS"] == 1 and first["ISSUED"] == 1


def test_replacing_one_document_keeps_facts_of_others(store: FalkorStore) -> None:
    store.replace_document(_doc_a())
    store.replace_document(_doc_b())
    store.finalize()
    edited = extraction("pol-a", "v2", [("只剩一条", [unit(CZJ, "市财政局")], [])])
    store.replace_document(edited)
    store.finalize()
    kjj = reads.find_departments(store, KJJ)
    assert len(kjj) == 1, "the bureau still supports a measure of pol-b"
    view = reads.department(store, kjj[0].id)
    assert view is not None and not view.led
    assert [e.measure.text for entries in view.supported.values() for e in entries] == ["综合体考核"]
    assert store.document_versions() == {"pol-a": "v2", "pol-b": "v1"}
    assert store.counts()["Measure"] == 2
    # the issuer of the first version is no longer spoken of by any document
    assert reads.find_departments(store, "淮北市人民政府") == []


def test_same_surface_form_in_two_regions_stays_two_departments(store: FalkorStore) -> None:
    store.replace_document(_doc_a())
    store.replace_document(_doc_b())
    store.finalize()
    assert reads.find_departments(store, KJJ)[0].id != reads.find_departments(store, ZJ_KJT)[0].id
    assert reads.find_departments(store, "省科技厅")[0].name == ZJ_KJT  # aliases come from mentions


def test_delete_document_removes_its_measures_and_orphans(store: FalkorStore) -> None:
    store.replace_document(_doc_a())
    store.replace_document(_doc_b())
    store.delete_document("pol-a")
    counts = store.counts()
    assert counts["Measure"] == 1 and counts["Policy"] == 1
    assert reads.find_departments(store, CZJ) == []


def test_reads_policy_and_measure(store: FalkorStore) -> None:
    store.replace_document(_doc_a())
    pol = reads.policy(store, "pol-a")
    assert pol is not None
    assert [m.text for m in pol.measures] == ["建设中试基地", "改革人才评价"]
    first = pol.measures[0]
    assert [u.name for u in first.lead] == [KJJ] and [u.name for u in first.support] == [CZJ]
    m = reads.measure(store, first.id)
    assert m is not None and m.policy_title == "标题pol-a" and m.lead[0].mention == "市科技局"
    assert reads.policy(store, "pol-missing") is None and reads.measure(store, "nope") is None
