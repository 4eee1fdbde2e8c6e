"""The bulk segment writer writes byte for byte what Whoosh's own SegmentWriter writes."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search.analyzer import ChineseTokenizer, word_positions
from search.bench import generate
from search.codec import SMALL_BLOCK
from search.entries import document_entries
from search.index import SearchIndex
from search.schema import build_schema
from search.writer import BLOCK_POSTINGS, BulkSegmentWriter, WriterCodec
from tests.search.factory import HR, SCI, extraction, unit

# Text with what the analyzer treats specially: stop words, traditional and full-width characters,
# long dictionary words (sub-words, suffixes), Latin words in mixed case, digits and punctuation.
ODD_TEXTS = [
    "推动科技成果轉化和技术转移，加快建设中试基地及孵化器。",
    "ＡＢＣ企業與高校的合作 Policy 2024年 淮北市人力资源和社会保障局牵头",
    "的 了 和 与 及 之 或 等",
    "（一）完善知识产权保护体系（市科技局、市人社局按职责分工负责）",
    "",
]


def _entries() -> list[dict]:
    """Entries of generated bench documents (frequent words span several blocks) and odd hand-made ones."""
    corpus = generate(12, 20, n_words=300)
    odd = [extraction(f"pol-odd{i}", text or "空", text, [(f"措施{i}", text), ("", ODD_TEXTS[0])],
                      lead=[unit(HR, "市人社局")], support=[unit(SCI, role="配合单位")], entities=[HR, SCI])
           for i, text in enumerate(ODD_TEXTS)]
    return [fields for ex in corpus.docs + odd for fields in document_entries(ex)]


def _write(directory: Path, writer_class: type, entries: list[dict], *, limit_bytes: int | None = None,
           boosts: bool = False, poured: list[bool] | None = None, codec: object = None) -> dict[str, str]:
    """Write `entries` as one segment with `writer_class`; returns the segment's files (extension → sha256).

    `poured` gets whether a bulk writer had moved its postings to Whoosh's pool before the commit.
    The codec is WriterCodec with blocks of 8 postings (many blocks a term) unless given.
    """
    directory.mkdir()
    ix = whoosh_index.create_in(str(directory), build_schema())
    writer = writer_class(ix, compound=False, codec=codec or WriterCodec(blocklimit=8))
    if limit_bytes is not None:
        writer.pool.limit = limit_bytes
    for i, fields in enumerate(entries):
        writer.add_document(**fields, **({"_boost": 1.0 + (i % 3) / 10, "_title_boost": 1.7} if boosts else {}))
    if poured is not None:
        poured.append(not writer._bulk)
    writer.commit()
    return {p.name.split(".", 1)[1]: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in directory.glob("MAIN_*.*") if p.suffix != ".toc"}


def test_bulk_segments_equal_whoosh_ones_byte_for_byte(tmp_path):
    entries = _entries()
    whoosh_files = _write(tmp_path / "whoosh", SegmentWriter, entries)
    assert {"pst", "trm", "_stored.col"} <= set(whoosh_files)
    poured: list[bool] = []
    assert _write(tmp_path / "bulk", BulkSegmentWriter, entries, poured=poured) == whoosh_files
    assert poured == [False]


def test_document_and_field_boosts_weigh_as_whoosh_weighs(tmp_path):
    entries = _entries()[:200]
    assert (_write(tmp_path / "bulk", BulkSegmentWriter, entries, boosts=True)
            == _write(tmp_path / "whoosh", SegmentWriter, entries, boosts=True)
            != _write(tmp_path / "plain", SegmentWriter, entries))


def test_a_table_over_the_memory_limit_goes_on_in_whooshs_pool_with_the_same_result(tmp_path):
    entries = _entries()
    whoosh_files = _write(tmp_path / "whoosh", SegmentWriter, entries)
    poured: list[bool] = []
    assert _write(tmp_path / "bulk", BulkSegmentWriter, entries, limit_bytes=200_000, poured=poured) == whoosh_files
    assert poured == [True]


@pytest.mark.parametrize("deletions", [False, True], ids=["whole segments", "segments with deletions"])
def test_merging_segments_into_a_bulk_writer_writes_what_whoosh_writes(tmp_path, deletions):
    """A merge copies old postings into the table block by block; the segment is Whoosh's, byte for byte."""
    entries = _entries()
    gone = sorted({e["doc_id"] for e in entries[:200]})[1::3] if deletions else []
    results, postings = {}, {}
    for name, writer_class in (("whoosh", SegmentWriter), ("bulk", BulkSegmentWriter)):
        directory = tmp_path / name
        directory.mkdir()
        ix = whoosh_index.create_in(str(directory), build_schema())
        for part in (entries[:100], entries[100:200]):
            writer = ix.writer(compound=False, codec=WriterCodec(blocklimit=8))
            for fields in part:
                writer.add_document(**fields)
            writer.commit(merge=False)
        if gone:
            writer = ix.writer(compound=False, codec=WriterCodec(blocklimit=8))
            for doc_id in gone:
                writer.delete_by_term("doc_id", doc_id)
            writer.commit(merge=False)
        writer = writer_class(ix, compound=False, codec=WriterCodec(blocklimit=8))
        for fields in entries[200:]:
            writer.add_document(**fields)
        writer.commit(optimize=True)
        if writer_class is BulkSegmentWriter:
            assert writer._bulk, "the merge went through Whoosh's pool, not the table"
        ix = whoosh_index.open_dir(str(directory))
        (segment,) = ix._segments()
        results[name] = {p.name.split(".", 1)[1]: hashlib.sha256(p.read_bytes()).hexdigest()
                         for p in directory.glob(f"{segment.segment_id()}.*")}
        with ix.searcher() as searcher:
            reader = searcher.reader()
            postings[name] = [(field, text, list(reader.postings(field, text).items_as("positions"))
                               if field in ("title", "body") else reader.doc_frequency(field, text))
                              for field, text in reader.all_terms()]
            assert reader.doc_count() == len(entries) - sum(e["doc_id"] in gone for e in entries[:200])
    assert {"pst", "trm", "_stored.col"} <= set(results["whoosh"])
    assert results["bulk"] == results["whoosh"]
    assert postings["bulk"] == postings["whoosh"]
    assert sum(1 for field, _, _ in postings["bulk"] if field == "body") > 100


def test_the_search_index_writes_with_the_bulk_writer(tmp_path):
    with SearchIndex(tmp_path / "index") as index:
        writer = index._open_writer()
        try:
            assert type(writer) is BulkSegmentWriter and writer._bulk
        finally:
            writer.cancel()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="科技成果转化轉移的了和与及之或等市人社局淮北ＡＢab Ｃ12，。、（）()\n", max_size=60))
def test_word_positions_group_what_the_tokenizer_yields(text):
    grouped: dict[str, list[int]] = defaultdict(list)
    for token in ChineseTokenizer()(text, positions=True):
        grouped[token.text].append(token.pos)
    assert word_positions(text) == dict(grouped)


def test_small_posting_blocks_are_written_uncompressed_and_read_back(tmp_path):
    """Blocks under SMALL_BLOCK postings skip zlib (their header says so); bigger ones are compressed."""
    count = BLOCK_POSTINGS + SMALL_BLOCK  # the common word: a full block, then one of SMALL_BLOCK postings
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    writer = BulkSegmentWriter(ix, compound=False, codec=WriterCodec(blocklimit=BLOCK_POSTINGS))
    for i in range(count):
        writer.add_document(uid=f"u{i}", kind="measure", body="创新" + ("孵化" if i == 7 else ""))
    writer.commit()
    blocks = {}
    with whoosh_index.open_dir(str(tmp_path)).searcher() as searcher:
        for word in ("创新", "孵化"):
            matcher, blocks[word] = searcher.reader().postings("body", word), []
            while matcher.is_active():
                matcher._read_ids()
                blocks[word].append((matcher._compression, list(matcher._ids)))
                matcher._next_block()
    assert blocks["孵化"] == [(0, [7])]
    assert [level for level, _ in blocks["创新"]] == [3, 3]
    assert [d for _, ids in blocks["创新"] for d in ids] == list(range(count))
