"""Bad input: every file either extracts or fails alone with a LoaderError naming it — never a crash.

The random part uses hypothesis; `python -m loaders.fuzz` runs the same properties for longer and
reports how many inputs were tried.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.store import FalkorStore, QueryResult
from loaders.errors import LoaderError
from loaders.extract import extract_bytes
from loaders.fuzz import TAG_ALPHABET, crashers, docx_of, hostile_docx, pathological_inputs
from loaders.limits import time_limit
from loaders.load import expand, load_files
from loaders.read import _UNSAFE
from loaders.wordxml import docx_text
from loaders.worker import GRACE, ExtractionWorker
from search.index import SearchIndex
from settings import ROOT, SAMPLE_CORPUS

SEEDS = sorted((SAMPLE_CORPUS / "seeds").glob("*.txt"))

SUFFIXES = [".txt", ".html", ".md", ".docx", ".pdf", ".htm"]


def _extract_or_error(data: bytes, name: str) -> None:
    try:
        with time_limit(name, 20):
            extract_bytes(data, name)
    except LoaderError as e:
        assert name in str(e)  # the message names the file


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_crash(data: bytes, suffix: str) -> None:
    _extract_or_error(data, f"fuzz{suffix}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.sampled_from(TAG_ALPHABET), max_size=300), codec=st.sampled_from(["utf-8", "gb18030",
                                                                                               "utf-16", "big5"]))
def test_tag_soup_in_any_encoding_never_crashes(parts: list[str], codec: str) -> None:
    text = "".join(parts)
    _extract_or_error(text.encode(codec, errors="ignore"), "soup.txt")


@pytest.mark.parametrize("name", sorted(pathological_inputs()))
def test_pathological_file_fails_alone_or_loads(name: str) -> None:
    _extract_or_error(pathological_inputs()[name], name)


def test_zip_bomb_docx_is_refused_before_unpacking() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document>" + "A" * 50_000_000 + "</w:document>")
    with pytest.raises(LoaderError, match="unpack to"):
        extract_bytes(buf.getvalue(), "bomb.docx")


def test_cut_last_character_still_loads() -> None:
    data = "关于印发行动方案的通知\n1.建设中试基地。（牵头单位：市科技局）".encode()
    ex = extract_bytes(data + "科".encode()[:2], "cut.txt")
    assert ex.measures and any("cut off" in w for w in ex.warnings)


def test_time_limit_names_the_file() -> None:
    with pytest.raises(LoaderError, match="slow.txt.*longer than 0.2s"), time_limit("slow.txt", 0.2):
        while True:
            pass


class _Graph:  # an in-memory writer: the batch behaviour under test is the loader's, not a store's
    def __init__(self) -> None:
        self.docs: dict[str, str] = {}

    def document_versions(self) -> dict[str, str]:
        return dict(self.docs)

    def document_catalogue(self) -> list[dict[str, object]]:
        return []

    def policy_text(self, doc_id: str) -> str:
        return ""

    def set_sources(self, doc_id: str, lists: dict[str, list[str]]) -> None:
        pass

    def remove_document(self, doc_id: str) -> None:
        self.docs.pop(doc_id, None)

    def delete_document(self, doc_id: str) -> int:
        return int(self.docs.pop(doc_id, None) is not None)

    def replace_document(self, ex) -> None:
        self.docs[ex.document.id] = ex.document.version

    def finalize(self, departments=None) -> int:
        return 0

    def compact(self, wait: bool = True) -> None:
        pass

    def departments_of(self, doc_id: str) -> set[str]:
        return set()


class _Index(_Graph):
    def index_many(self, extractions) -> int:
        for ex in extractions:
            self.replace_document(ex)
        return 0


def test_bad_files_in_a_batch_do_not_stop_the_good_ones(tmp_path: Path) -> None:
    bad = []
    for name, data in pathological_inputs().items():
        if name == "ten_mb_line.txt":
            continue  # valid text, just big (~10 s to extract): covered on its own above
        (tmp_path / name).write_bytes(data)
        bad.append(tmp_path / name)
    good = sorted((SAMPLE_CORPUS / "seeds").glob("*.txt"))
    graph, index = _Graph(), _Index()
    summary = load_files(bad[:3] + good[:2] + bad[3:] + good[2:], graph, index)
    assert summary.documents + len(summary.errors) == len(bad) + len(good)
    assert {e.source for e in summary.errors} <= {str(p) for p in bad}
    assert len(graph.docs) == len(index.docs) >= len(good)


# -- issue 21: files that once ended a whole load, and hostile .docx ---------------------------------------

@pytest.mark.parametrize("name", sorted(crashers()))
def test_former_crashers_extract_with_their_measures(name: str) -> None:
    ex = extract_bytes(crashers()[name], name)
    assert "市科学技术局" in [u.name for m in ex.measures for u in m.lead]
    assert not _UNSAFE.search(ex.document.text) and "中试基地" in ex.document.text


def test_a_contradicting_bom_and_lone_surrogates_are_reported_as_warnings() -> None:
    assert any("reads as utf-16-be" in w for w in extract_bytes(crashers()["bom_le_text_be.txt"], "b.txt").warnings)
    assert any("undecodable" in w for w in extract_bytes(crashers()["lone_surrogate.txt"], "s.txt").warnings)
    assert any("removed 2 control" in w for w in extract_bytes(crashers()["nul_byte.html"], "n.html").warnings)


def test_docx_reads_paragraphs_and_tables_in_order_with_spans_and_merges() -> None:
    cell = '<w:tc>{}<w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>'
    span, merge = '<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>', '<w:tcPr><w:vMerge/></w:tcPr>'
    restart = '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
    body = ("<w:p><w:r><w:t>前文</w:t></w:r></w:p><w:tbl>"
            f"<w:tr>{cell.format(span, '任务')}{cell.format(restart, '科技局')}</w:tr>"
            f"<w:tr>{cell.format('', 'A')}{cell.format('', 'B')}{cell.format(merge, '')}</w:tr>"
            "</w:tbl><w:p><w:r><w:t>后文</w:t><w:tab/><w:t>完</w:t></w:r></w:p>")
    # a horizontally spanned cell once (as an HTML colspan reads), a vertically merged one in every row
    assert docx_text(docx_of(body), "t.docx").split("\n") == [
        "前文", "| 任务 | 科技局 |", "| A | B | 科技局 |", "后文\t完"]


@pytest.mark.parametrize("name", sorted(hostile_docx()))
def test_hostile_docx_is_bounded(name: str) -> None:
    """Each fails with an error naming it (or loads, capped) in the child, fast, with bounded memory."""
    started = time.monotonic()
    with ExtractionWorker() as worker:
        try:
            ex = worker.extract(hostile_docx()[name], name)
            assert len(ex.document.text) < 1_000_000  # huge_gridspan: spans capped, so it loads small
        except LoaderError as e:
            assert name in str(e) and e.zh and "/" not in e.zh
        assert worker.peak_rss < 400 * 2**20, f"{name} reached {worker.peak_rss / 2**20:.0f} MB"
    assert time.monotonic() - started < 30


def test_falsified_zip_sizes_do_not_pass() -> None:
    data = hostile_docx()["lying_zip_sizes.docx"]
    with pytest.raises(LoaderError, match="lying.docx: cannot read the .docx"):
        extract_bytes(data, "lying.docx")
    with pytest.raises(LoaderError, match=r"padded.docx.*(unpacks to more|Text node too long)"):
        extract_bytes(hostile_docx()["padded_bomb.docx"], "padded.docx")


def test_the_worker_stops_a_file_over_its_memory_limit_and_goes_on() -> None:
    big = pathological_inputs()["ten_mb_line.txt"]
    with ExtractionWorker(memory_bytes=48 * 2**20) as worker:
        with pytest.raises(LoaderError, match=r"big.txt: .*(more than 48 MB|process reading the file stopped)") as e:
            worker.extract(big, "big.txt")
        assert "内存" in e.value.zh or "进程" in e.value.zh
        good = SEEDS[0].read_bytes()
        assert worker.extract(good, "good.txt").measures  # a fresh child took over


def test_the_worker_stops_a_file_over_its_time_limit_and_goes_on() -> None:
    with ExtractionWorker(seconds=0.5) as worker:
        started = time.monotonic()
        with pytest.raises(LoaderError, match=r"slow.txt: extraction took longer than 0.5s") as e:
            worker.extract(pathological_inputs()["ten_mb_line.txt"], "slow.txt")
        assert time.monotonic() - started < 0.5 + GRACE + 2 and "时限" in e.value.zh
        assert worker.extract(SEEDS[0].read_bytes(), "good.txt").measures


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"POLICYGRAPH_HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


def bad_batch(folder: Path) -> tuple[list[str], list[str]]:
    """Crashing and hostile files mixed with the seeds: (names that must load, names that must fail)."""
    folder.mkdir(parents=True, exist_ok=True)
    inputs = crashers() | hostile_docx() | {k: v for k, v in pathological_inputs().items()
                                            if k in ("zip_bomb.docx", "not_a_docx.docx", "nul_bytes.txt")}
    for name, data in inputs.items():
        (folder / name).write_bytes(data)
    for seed in SEEDS:
        (folder / seed.name).write_bytes(seed.read_bytes())
    failing = [n for n in inputs if n not in crashers() and n != "huge_gridspan.docx"]
    return [*crashers(), *(s.name for s in SEEDS)], failing


def test_cli_load_of_a_bad_batch_loads_the_good_files_and_names_each_bad_one(tmp_path: Path) -> None:
    good, failing = bad_batch(tmp_path / "batch")
    run = _cli(tmp_path / "home", "loaders", "load", "--no-progress", str(tmp_path / "batch"))
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    errors = [line for line in run.stdout.splitlines() if line.startswith("  error: ")]
    assert sorted(n for n in failing if any(n in line for line in errors)) == sorted(failing), run.stdout
    assert len(errors) == len(failing)
    assert f"documents loaded: {len(good) + 1}" in run.stdout  # huge_gridspan.docx loads, its spans capped
    check = _cli(tmp_path / "home", "search", "check")
    assert check.returncode == 0 and "agree" in check.stdout, check.stdout + check.stderr
    again = _cli(tmp_path / "home", "loaders", "load", "--no-progress", str(tmp_path / "batch"))
    assert f"unchanged: {len(good) + 1}" in again.stdout and again.stdout.count("  error: ") == len(failing)


class _Refusing(FalkorStore):
    """The real store and engine; the engine really refuses the write of one document (fault injection)."""

    poison = "poison"

    def write(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        if params and self.poison in str(params) and "doc" in params:
            query = "RETURN $x +"  # a query the engine rejects, as it would a document it cannot take
        return super().write(query, params)


def test_a_document_the_graph_refuses_is_left_out_of_both_and_named(engine, tmp_path: Path) -> None:
    from search.consistency import check

    store = _Refusing(str(engine.socket_path), engine.secrets.admin_password, engine.secrets.reader_password,
                      graph_name=f"t_{uuid.uuid4().hex[:8]}")
    store.setup_schema()
    (tmp_path / "docs").mkdir()
    for seed in SEEDS[:3]:
        (tmp_path / "docs" / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "docs" / "poison.txt").write_text("关于印发poison方案的通知\n1.建设中试基地。（牵头单位：市科技局）\n")
    try:
        with SearchIndex(tmp_path / "index") as index:
            summary = load_files(expand([tmp_path / "docs"]), store, index)
            assert [e.source.rsplit("/", 1)[-1] for e in summary.errors] == ["poison.txt"]
            assert "refused" in summary.errors[0].reason and "图数据库" in summary.errors[0].zh
            assert summary.documents == 3 and len(store.document_versions()) == 3
            assert store.document_versions() == index.document_versions()
            assert check(store, index).ok
    finally:
        store._admin.delete()
        store.close()


class _Choking(SearchIndex):
    """The real Whoosh index; a batch holding one document fails as if that document broke it (fault injection)."""

    def prepare(self, extractions, procs: int = 1, merge: bool = True):
        extractions = list(extractions)
        if any("poison" in ex.document.text for ex in extractions):
            raise ValueError("the analyzer choked on a document")
        return super().prepare(extractions, procs, merge)


def test_a_document_the_index_refuses_is_left_out_of_both_and_named(store, tmp_path: Path) -> None:
    from search.consistency import check

    (tmp_path / "docs").mkdir()
    for seed in SEEDS[:3]:
        (tmp_path / "docs" / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "docs" / "poison.txt").write_text("关于印发poison方案的通知\n1.建设中试基地。（牵头单位：市科技局）\n")
    with _Choking(tmp_path / "index") as index:
        summary = load_files(expand([tmp_path / "docs"]), store, index)
        assert [e.source.rsplit("/", 1)[-1] for e in summary.errors] == ["poison.txt"]
        assert "search index could not take" in summary.errors[0].reason and "检索索引" in summary.errors[0].zh
        assert summary.documents == 3 and len(index.document_versions()) == 3
        assert check(store, index).ok
