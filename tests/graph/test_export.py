"""Extraction records read back from the real graph: documents, measures, units, entities."""

from __future__ import annotations

from dataclasses import replace

from core.records import Entity, Extraction
from graph.export import document_ids, iter_extractions
from graph.store import FalkorStore
from loaders.extract import extract_bytes
from loaders.load import source_names
from tests.graph.records_factory import extraction, unit

KJJ = "淮北市科学技术局"
CZJ = "淮北市财政局"


def _doc_a(version: str = "v1") -> Extraction:
    ex = extraction("pol-a", version, [
        ("建设中试基地", [unit(KJJ, "市科技局")], [unit(CZJ, "市财政局", 1, "配合单位"), unit(KJJ, KJJ, 2)]),
        ("改革人才评价", [unit(CZJ, "市财政局")], []),
    ], issuer="淮北市人民政府")
    ex.document.issuers, ex.document.region, ex.document.doc_number = ["淮北市人民政府"], "淮北市", "淮政〔2020〕1号"
    ex.entities.append(Entity("prg-x", "Programme", "揭榜挂帅"))
    return ex


def test_round_trip_of_documents_measures_and_units(store: FalkorStore) -> None:
    original = _doc_a()
    store.replace_document(original)
    store.replace_document(extraction("pol-b", "v1", [("综合体考核", [unit(KJJ, "市科技局")], [])]))
    store.finalize()
    (back,) = iter_extractions(store, ["pol-a", "pol-missing"])
    assert back.document == replace(original.document)
    assert [(m.id, m.text, m.deadline, m.span, m.evidence) for m in back.measures] == \
        [(m.id, m.text, m.deadline, m.span, m.evidence) for m in original.measures]
    assert [(m.lead, m.support) for m in back.measures] == [(m.lead, m.support) for m in original.measures]


def test_entities_carry_the_mentions_of_this_document_as_aliases(store: FalkorStore) -> None:
    store.replace_document(_doc_a())
    store.replace_document(extraction("pol-b", "v1", [("综合体考核", [unit(KJJ, "科技局")], [])]))
    store.finalize()
    by_doc = {ex.document.id: {e.name: e for e in ex.entities} for ex in iter_extractions(store)}
    assert set(by_doc["pol-a"]) == {KJJ, CZJ, "淮北市人民政府"}  # programmes need a relation to be linked
    assert by_doc["pol-a"][KJJ].aliases == ["市科技局"]  # not 科技局, which only pol-b used
    assert by_doc["pol-a"][CZJ].aliases == ["市财政局"]
    assert by_doc["pol-b"][KJJ].aliases == ["科技局"]
    assert all(e.type == "Department" for e in by_doc["pol-a"].values())


def test_all_documents_in_batches_in_id_order(store: FalkorStore) -> None:
    for i in range(7):
        store.replace_document(extraction(f"pol-{i}", "v1", [(f"措施{i}", [unit(KJJ, "市科技局")], [])]))
    store.finalize()
    assert document_ids(store) == [f"pol-{i}" for i in range(7)]
    docs = list(iter_extractions(store, batch=3))
    assert [ex.document.id for ex in docs] == [f"pol-{i}" for i in range(7)]
    assert [len(ex.measures) for ex in docs] == [1] * 7
    assert list(iter_extractions(store, [])) == []


def test_sample_documents_come_back_as_extracted(sample) -> None:
    names = source_names(sample.files)
    for path in sample.files[:4]:
        original = extract_bytes(path.read_bytes(), str(path), name=names[path])  # stored relative to the load root
        (back,) = iter_extractions(sample.store, [original.document.id])
        assert back.document.sources == [names[path]] and len(back.document.source_keys) == 1
        assert replace(back.document, sources=[], source_keys=[], source_versions=[]) == original.document
        assert [(m.id, m.title, m.section, m.text, m.lead, m.support, m.deadline, m.span)
                for m in back.measures] == \
            [(m.id, m.title, m.section, m.text, m.lead, m.support, m.deadline, m.span) for m in original.measures]
        wanted = {e.id for e in original.entities if e.type in ("Department", "Programme", "Platform")}
        assert {e.id for e in back.entities} <= wanted
