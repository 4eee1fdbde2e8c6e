"""Hand-built Extraction records for the search tests (no dependency on the extractor)."""

from __future__ import annotations

from loaders.records import Document, Entity, Extraction, Measure, UnitRef

HR_NAME = "淮北市人力资源和社会保障局"
HR = Entity("dep-hr", "Department", HR_NAME, ["人社局", "市人社局"], region="淮北市")
SCI = Entity("dep-sci", "Department", "淮北市科学技术局", ["市科技局"], region="淮北市")


def unit(entity: Entity, mention: str | None = None, role: str = "牵头单位") -> UnitRef:
    """A UnitRef pointing at `entity`."""
    return UnitRef(mention or entity.name, entity.name, entity.id, role)


def extraction(
    doc_id: str,
    title: str,
    text: str,
    measures: list[tuple[str, str]] = (),  # type: ignore[assignment]
    *,
    version: str = "v1",
    issuers: tuple[str, ...] = ("淮北市人民政府",),
    date: str = "2020-03-01",
    region: str = "淮北市",
    lead: list[UnitRef] | None = None,
    support: list[UnitRef] | None = None,
    entities: list[Entity] | None = None,
) -> Extraction:
    """A document with measures given as (title, text) pairs, all led by `lead`."""
    doc = Document(doc_id, version, f"{doc_id}.txt", title, text, list(issuers), date, region=region)
    ms = [
        Measure(f"mea-{doc_id[4:]}-{i:03d}", mt, "一", mx, list(lead or []), list(support or []), "2020-06")
        for i, (mt, mx) in enumerate(measures)
    ]
    return Extraction(doc.source, doc, ms, list(entities or []))


def index_worker(directory: str, prefix: str, count: int, start: object) -> None:
    """Child process: open the index and index `count` documents one commit each."""
    from search.index import SearchIndex

    start.wait()  # type: ignore[attr-defined]  # a multiprocessing.Event: both processes start together
    with SearchIndex(directory, lock_timeout=60) as ix:
        for i in range(count):
            doc_id = f"pol-{prefix}{i:02d}"
            measures = [("", "措施一"), ("", "措施二")]
            ix.index_extraction(extraction(doc_id, f"{prefix}政策{i}", "推动科技成果转化。", measures))
