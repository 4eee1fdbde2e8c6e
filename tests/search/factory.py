"""Hand-built Extraction records for the search tests (no dependency on the extractor)."""

from __future__ import annotations

from core.records import Document, Entity, Extraction, Measure, UnitRef

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
    # assignment: an immutable empty default; the function only iterates it
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


WRITER_DOCS = 4  # documents replaced in every round of rewrite_worker
MEASURES = 3


def rewrite_worker(directory: str, rounds: int, start: object) -> None:
    """Child process: every round, replace WRITER_DOCS documents by a new version and add one more."""
    from search.index import SearchIndex

    start.wait(60)  # type: ignore[attr-defined]  # set by the searcher once it is searching
    with SearchIndex(directory, lock_timeout=60) as ix:
        for r in range(rounds):
            docs = [f"pol-w{i}" for i in range(WRITER_DOCS)] + [f"pol-n{r:03d}"]
            ix.index_many([_round_doc(doc_id, r) for doc_id in docs])


def _round_doc(doc_id: str, r: int):
    measures = [(f"第{r}轮", f"共同词 措施{i}") for i in range(MEASURES)]
    return extraction(doc_id, f"第{r}轮政策", "共同词。", measures, version=f"v{r}")


def search_worker(directory: str, start: object, done: object, out: object) -> None:
    """Child process: search while the writer writes; report (searches, inconsistencies) on `out`."""
    # attr-defined below: start and done are multiprocessing.Events, out a Queue, typed `object` here
    from search.index import SearchIndex
    from search.query import search

    problems: list[str] = []
    searches, last_total = 0, 0
    with SearchIndex(directory) as ix:  # opened once, like a web worker
        while not done.is_set() or searches < 2:  # type: ignore[attr-defined]
            try:
                r = search(ix, "共同词 type:measure", page_size=100)
            except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
                problems.append(f"search raised {exc!r}")
                continue
            problems += _inconsistencies(r, last_total)
            last_total, searches = r.total, searches + 1
            start.set()  # type: ignore[attr-defined]  # the writer starts once searches are running
    out.put((searches, problems[:5]))  # type: ignore[attr-defined]


def _inconsistencies(r, last_total: int) -> list[str]:
    """A snapshot is consistent when every document shows all its measures from one version."""
    by_doc: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for h in r.hits:
        by_doc.setdefault(h.doc_id, set()).add(h.title)
        counts[h.doc_id] = counts.get(h.doc_id, 0) + 1
    out = [f"{d}: {n} measures" for d, n in counts.items() if n != MEASURES]
    out += [f"{d}: versions {sorted(v)}" for d, v in by_doc.items() if len(v) != 1]
    if r.total != len(r.hits) or r.total % MEASURES or r.total < last_total:
        out.append(f"total {r.total} after {last_total}, {len(r.hits)} hits")
    return out
