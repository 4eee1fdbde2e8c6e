"""The one place that writes: a document's graph facts and index entries, together.

Order per document: graph (one atomic query) then index.  A document whose
graph or index version differs from its file is (re)written in both, so a load
killed at any point is completed by simply running it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from loaders.errors import LoaderError
from loaders.extract import extract_bytes
from loaders.ids import content_version, document_id
from loaders.records import Extraction, LoadError

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".md", ".docx", ".pdf")
# Provenance notes shipped beside documents are not policy text.
NOTE_NAMES = ("SOURCES", "README", "LICENSE")


class GraphWriter(Protocol):
    def document_versions(self) -> dict[str, str]: ...
    def replace_document(self, ex: Extraction) -> None: ...
    def finalize(self) -> int: ...
    def compact(self) -> None: ...


class IndexWriter(Protocol):
    def document_versions(self) -> dict[str, str]: ...
    def index_extraction(self, ex: Extraction) -> int: ...


@dataclass
class LoadSummary:
    """What a load did, for the CLI's closing lines and the upload page."""

    documents: int = 0
    unchanged: int = 0
    measures: int = 0
    departments: set[str] = field(default_factory=set)
    errors: list[LoadError] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents, "unchanged": self.unchanged, "measures": self.measures,
            "departments": len(self.departments), "errors": [e.to_json() for e in self.errors],
        }


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files to load: the given files, and the supported files under the given folders."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if _is_document(p))
        else:
            out.append(path)
    return out


def _is_document(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and path.stem.upper() not in NOTE_NAMES


def load_files(files: list[Path], graph: GraphWriter, index: IndexWriter,
               on_file: Callable[[Path], None] | None = None) -> LoadSummary:
    """Load each file into graph and index; a bad file becomes an error record, the rest go on."""
    summary = LoadSummary()
    graph_versions, index_versions = graph.document_versions(), index.document_versions()
    for path in files:
        try:
            _load_one(path, graph, index, graph_versions, index_versions, summary)
        except LoaderError as e:
            summary.errors.append(LoadError(str(path), str(e)))
            log.warning("%s", e)
        if on_file is not None:
            on_file(path)
    graph.finalize()
    if summary.documents:
        graph.compact()
    return summary


def _load_one(path: Path, graph: GraphWriter, index: IndexWriter, graph_versions: dict[str, str],
              index_versions: dict[str, str], summary: LoadSummary) -> None:
    data = _read(path)
    doc_id, version = document_id(path), content_version(data)
    if graph_versions.get(doc_id) == version and index_versions.get(doc_id) == version:
        summary.unchanged += 1
        return
    ex = extract_bytes(data, str(path))
    graph.replace_document(ex)
    index.index_extraction(ex)
    summary.documents += 1
    summary.measures += len(ex.measures)
    summary.departments |= {u.id for m in ex.measures for u in m.lead + m.support}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LoaderError(f"{path}: file not found; check the path") from None
    except IsADirectoryError:
        raise LoaderError(f"{path}: is a folder with no loadable documents") from None
    except OSError as e:
        raise LoaderError(f"{path}: cannot be read ({e.strerror}); check its permissions") from None
