"""Which policy a loaded file is: one id per policy, whatever its files are called.

A file's extraction carries its natural id (`core.ids.document_identity`).  The catalogue of
what the graph holds (read once per load, kept up to date as the load goes) decides what to write:

- a file loaded before (same location fingerprint, `source_key`) that changed replaces the facts of
  the policy it gave; if its 文号/title changed so that it is now another policy, it leaves the old
  one (which is removed when no other file holds it);
- a file whose natural id is held by another file joins that policy as a second source only when it
  is the same document: compatible titles and mostly the same text (the gov.cn page and its PDF).
  Otherwise it is another document and gets an id of its own (`variant_id`): two documents never
  share an id, and a mis-read 文号 at worst splits one policy in two, never merges two;
- of a policy's sources, the richest (most measures, then longest text, then the smallest relative
  path, so the outcome does not depend on load order) gives the text and facts; the others are kept
  in the policy's `sources` / `source_keys` / `source_versions` lists, the fact-giving one first;
- a policy written by a version that took ids from file names (no `sources`) is "legacy": loading
  the file it came from (same content, or same path) removes it; the rest are reported.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.ids import legacy_document_id, measure_id, title_key, variant_id
from core.records import Extraction
from core.text import match_text

log = logging.getLogger(__name__)

SAME_TEXT = 0.5  # share of the shorter text's 4-character pieces found in the other: one document


@dataclass
class Held:
    """One policy as the graph holds it (or will, once the queued writes are done)."""

    id: str
    version: str  # content version of the source its facts come from: what the index must hold
    title: str = ""
    measures: int = 0
    text_len: int = 0
    sources: list[str] = field(default_factory=list)  # relative paths, the fact-giving one first
    keys: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    legacy_source: str | None = None  # set for a policy written with a file-name id

    def lists(self) -> dict[str, list[str]]:
        return {"sources": list(self.sources), "source_keys": list(self.keys),
                "source_versions": list(self.versions)}


@dataclass(frozen=True)
class Op:
    """One write: `write` an extraction (its policy's facts), set a policy's `sources`, or `delete` it."""

    kind: str
    doc_id: str
    ex: Extraction | None = None
    lists: dict[str, list[str]] | None = None


class Catalogue:
    """Policies by id and by the files they were loaded from."""

    def __init__(self, rows: Iterable[dict[str, Any]], index_versions: dict[str, str]) -> None:
        self.policies: dict[str, Held] = {}
        self.legacy: dict[str, Held] = {}
        self.by_key: dict[str, str] = {}
        self.index_versions = index_versions
        self.displaced: dict[str, str] = {}  # source key → relative path of a file whose policy was removed
        for r in rows:
            held = Held(r["id"], r["version"], r.get("title") or "", int(r.get("measure_count") or 0),
                        int(r.get("text_len") or 0))
            if r.get("sources") is None:
                held.legacy_source = r.get("source") or ""
                self.legacy[held.id] = held
                continue
            held.sources, held.keys = list(r["sources"]), list(r.get("source_keys") or [])
            held.versions = list(r.get("source_versions") or [])
            self.policies[held.id] = held
            self.by_key.update(dict.fromkeys(held.keys, held.id))

    # -- before extraction ---------------------------------------------------------------------
    def unchanged(self, key: str, version: str) -> str | None:
        """The policy id when this file, at this version, is already in graph and index."""
        doc_id = self.by_key.get(key)
        held = self.policies.get(doc_id) if doc_id else None
        if doc_id is None or held is None or held.versions[held.keys.index(key)] != version:
            return None
        return doc_id if self.index_versions.get(doc_id) == held.version else None

    def retire_legacy(self, path: Path, version: str) -> list[Op]:
        """Remove the file-name-id policy this file gave under an older version (same content or path)."""
        lid = legacy_document_id(path)
        held = self.legacy.get(lid)
        if held is None:
            return []
        old = Path(held.legacy_source or "")
        same_path = bool(held.legacy_source) and _resolved(old) == _resolved(path)
        if held.version != version and not same_path:
            return []
        del self.legacy[lid]
        log.info("%s: replacing its policy %s written with a file-name id by an older version", path, lid)
        return [Op("delete", lid)]

    # -- after extraction ----------------------------------------------------------------------
    def place(self, ex: Extraction, key: str, text_of: Callable[[str], str]) -> list[Op]:
        """The writes that put this file's extraction where it belongs; updates the catalogue."""
        doc = ex.document
        self.displaced.pop(key, None)
        target = self._resolve(ex, key, text_of)
        ops: list[Op] = []
        old_id = self.by_key.get(key)
        if old_id is not None and old_id != target:
            ops += self._leave(old_id, key)
        if target != doc.id:
            rekey(ex, target)
        return ops + self._join(ex, key)

    def _resolve(self, ex: Extraction, key: str, text_of: Callable[[str], str]) -> str:
        doc = ex.document
        candidate = doc.id
        for _ in range(8):
            held = self.policies.get(candidate)
            if held is None or key in held.keys or _same_document(held, ex, text_of):
                return candidate
            log.info("%s: its natural id %s is held by another document (%s); it gets an id of its own",
                     doc.source, candidate, ", ".join(held.sources))
            candidate = variant_id(candidate, doc.source)
        raise AssertionError(f"no free id for {doc.source}")  # eight hash collisions in a row

    def _leave(self, doc_id: str, key: str) -> list[Op]:
        held = self.policies[doc_id]
        i = held.keys.index(key)
        del self.by_key[key]
        for lst in (held.sources, held.keys, held.versions):
            del lst[i]
        if i > 0:
            return [Op("sources", doc_id, lists=held.lists())]
        # The file that gave this policy its facts is now another policy: its facts go; any other
        # file of it has to be extracted again (in this load when it is part of it).
        del self.policies[doc_id]
        for k, src in zip(held.keys, held.sources, strict=True):
            del self.by_key[k]
            self.displaced[k] = src
        return [Op("delete", doc_id)]

    def _join(self, ex: Extraction, key: str) -> list[Op]:
        doc = ex.document
        held = self.policies.get(doc.id)
        if held is None:
            held = Held(doc.id, doc.version, sources=[doc.source], keys=[key], versions=[doc.version])
            return [self._write(held, ex)]
        if key in held.keys:
            i = held.keys.index(key)
            held.sources[i], held.versions[i] = doc.source, doc.version
        else:
            held.sources.append(doc.source)
            held.keys.append(key)
            held.versions.append(doc.version)
            self.by_key[key] = doc.id
            i = len(held.keys) - 1
        if i == 0 or _richer(ex, held):
            _first(held, i)
            return [self._write(held, ex)]
        return [Op("sources", doc.id, lists=held.lists())]

    def _write(self, held: Held, ex: Extraction) -> Op:
        doc = ex.document
        held.version, held.title = doc.version, doc.title
        held.measures, held.text_len = len(ex.measures), len(doc.text)
        doc.sources, doc.source_keys, doc.source_versions = list(held.sources), list(held.keys), list(held.versions)
        self.policies[held.id] = held
        self.by_key.update(dict.fromkeys(held.keys, held.id))
        return Op("write", held.id, ex=ex)


def _first(held: Held, i: int) -> None:
    for lst in (held.sources, held.keys, held.versions):
        lst.insert(0, lst.pop(i))


def _richer(ex: Extraction, held: Held) -> bool:
    """Does this file give more than the policy's fact-giving one (ties: the smaller relative path)?"""
    mine = (len(ex.measures), len(ex.document.text))
    theirs = (held.measures, held.text_len)
    return mine > theirs or (mine == theirs and ex.document.source < held.sources[0])


def _same_document(held: Held, ex: Extraction, text_of: Callable[[str], str]) -> bool:
    """Two files with one natural id are one document: compatible titles and mostly the same text."""
    a, b = title_key(held.title), title_key(ex.document.title)
    if a and b and a != b and not (len(a) >= 4 and len(b) >= 4 and (a in b or b in a)):
        return False
    return text_overlap(text_of(held.id), ex.document.text) >= SAME_TEXT


def text_overlap(a: str, b: str) -> float:
    """Share of the shorter text's distinct 4-character pieces (letters and digits only) found in the other."""
    pa, pb = _pieces(a), _pieces(b)
    if not pa or not pb:
        return 1.0 if _words(a) == _words(b) else 0.0
    return len(pa & pb) / min(len(pa), len(pb))


def _words(text: str) -> str:
    return re.sub(r"[\W_]+", "", match_text(text))


def _pieces(text: str) -> set[str]:
    w = _words(text)
    return {w[i:i + 4] for i in range(len(w) - 3)}


def rekey(ex: Extraction, new_id: str) -> None:
    """Give an extraction another policy id: its measures' ids and every relation follow."""
    old_id = ex.document.id
    ex.document.id = new_id
    renamed = {old_id: new_id}
    for i, m in enumerate(ex.measures):
        new = measure_id(new_id, i)
        renamed[m.id] = new
        m.id = new
    ex.relations = [dataclasses.replace(r, from_id=renamed.get(r.from_id, r.from_id),
                                        to_id=renamed.get(r.to_id, r.to_id)) for r in ex.relations]


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path
