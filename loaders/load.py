"""The one place that writes: a document's graph facts and index entries, together.

Order per document: graph (one atomic query) then index.  A document whose
graph or index version differs from its file is (re)written in both, so a load
killed at any point is completed by simply running it again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from loaders.errors import LoaderError
from loaders.extract import extract_bytes
from loaders.ids import content_version, document_id
from loaders.limits import time_limit
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
    def index_many(self, extractions: Iterable[Extraction]) -> int: ...


@dataclass
class LoadSummary:
    """What a load did, for the CLI's closing lines and the upload page."""

    documents: int = 0
    unchanged: int = 0
    measures: int = 0
    departments: set[str] = field(default_factory=set)
    errors: list[LoadError] = field(default_factory=list)
    bytes_read: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents, "unchanged": self.unchanged, "measures": self.measures,
            "departments": len(self.departments), "errors": [e.to_json() for e in self.errors],
            "bytes": self.bytes_read, "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


STAGES = ("read", "extract", "graph", "index", "finalize")
INDEX_BATCH = 100  # documents per index commit: a Whoosh commit costs far more than a document


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
               on_file: Callable[[Path], None] | None = None, batch: int = INDEX_BATCH) -> LoadSummary:
    """Load each file into graph and index; a bad file becomes an error record, the rest go on.

    Each document's graph facts are written at once; index entries follow in batches.  A
    document counts as loaded only when both hold its version, so a run cut short anywhere
    is completed by running it again.
    """
    summary = LoadSummary()
    graph_versions, index_versions = graph.document_versions(), index.document_versions()
    pending: list[Extraction] = []
    for path in files:
        try:
            ex = _extract_changed(path, graph_versions, index_versions, summary)
        except LoaderError as e:
            summary.errors.append(LoadError(str(path), str(e)))
            log.warning("%s", e)
            ex = None
        if ex is not None:
            with _timed(summary, "graph"):
                graph.replace_document(ex)
            pending.append(ex)
            _count(summary, ex)
        if len(pending) >= batch:
            _flush(index, pending, summary)
        if on_file is not None:
            on_file(path)
    _flush(index, pending, summary)
    with _timed(summary, "finalize"):
        graph.finalize()
        if summary.documents:
            graph.compact()
    return summary


def _extract_changed(path: Path, graph_versions: dict[str, str], index_versions: dict[str, str],
                     summary: LoadSummary) -> Extraction | None:
    with _timed(summary, "read"):
        data = _read(path)
    summary.bytes_read += len(data)
    doc_id, version = document_id(path), content_version(data)
    if graph_versions.get(doc_id) == version and index_versions.get(doc_id) == version:
        summary.unchanged += 1
        return None
    with _timed(summary, "extract"), time_limit(str(path)):
        return extract_bytes(data, str(path))


def _flush(index: IndexWriter, pending: list[Extraction], summary: LoadSummary) -> None:
    if pending:
        with _timed(summary, "index"):
            index.index_many(pending)
        pending.clear()


def _count(summary: LoadSummary, ex: Extraction) -> None:
    summary.documents += 1
    summary.measures += len(ex.measures)
    summary.departments |= {u.id for m in ex.measures for u in m.lead + m.support}


class _timed:
    """Add the wall time of a block to one stage of a summary."""

    def __init__(self, summary: LoadSummary, stage: str) -> None:
        self.summary, self.stage = summary, stage

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.summary.seconds[self.stage] += time.perf_counter() - self.started


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LoaderError(f"{path}: file not found; check the path") from None
    except IsADirectoryError:
        raise LoaderError(f"{path}: is a folder with no loadable documents") from None
    except OSError as e:
        raise LoaderError(f"{path}: cannot be read ({e.strerror}); check its permissions") from None
