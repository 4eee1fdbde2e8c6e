"""Bad input: every file either extracts or fails alone with a LoaderError naming it — never a crash.

The random part uses hypothesis; `python -m loaders.fuzz` runs the same properties for longer and
reports how many inputs were tried.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.errors import LoaderError
from loaders.extract import extract_bytes
from loaders.fuzz import TAG_ALPHABET, pathological_inputs
from loaders.limits import time_limit
from loaders.load import load_files
from settings import SAMPLE_CORPUS

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

    def replace_document(self, ex) -> None:  # type: ignore[no-untyped-def]
        self.docs[ex.document.id] = ex.document.version

    def finalize(self) -> int:
        return 0

    def compact(self) -> None:
        pass


class _Index(_Graph):
    def index_many(self, extractions) -> int:  # type: ignore[no-untyped-def]
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
