"""Stable, derived ids: every write is an idempotent upsert keyed on these."""

from __future__ import annotations

import hashlib
from pathlib import Path

_PREFIX = {
    "Policy": "pol",
    "Measure": "mea",
    "Department": "dep",
    "Programme": "prg",
    "Platform": "plt",
    "Region": "reg",
}


def _digest(text: str, n: int = 12) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def document_id(source: str | Path) -> str:
    """Id of a source document: derived from its file name, so an edited file keeps its id."""
    return f"pol-{_digest(Path(source).stem)}"


def content_version(data: bytes) -> str:
    """Content hash of a document's raw bytes: changes exactly when the file changes."""
    return hashlib.sha256(data).hexdigest()[:16]


def measure_id(doc_id: str, ordinal: int) -> str:
    """Id of the n-th measure (0-based) of a document."""
    return f"mea-{doc_id[4:]}-{ordinal:03d}"


def entity_id(entity_type: str, canonical_name: str) -> str:
    """Id of a department/programme/platform/region from its canonical name."""
    return f"{_PREFIX[entity_type]}-{_digest(canonical_name)}"
