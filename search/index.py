"""The search index: one Whoosh index directory holding policies, measures and departments."""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import re
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from loaders.records import Document, Entity, Extraction, Measure, UnitRef
from search.analyzer import fold, load_userdict, save_userdict
from search.errors import IndexLockedError, SearchError
from search.schema import ENTITY_KINDS, VALUE_SEPARATOR, build_schema

log = logging.getLogger(__name__)

_YEAR = re.compile(r"(\d{4})")
_LOCK_SLICE = 2.0  # seconds per writer() attempt; attempts repeat until lock_timeout


class SearchIndex:
    """A Whoosh index directory (created if missing) with per-document replace semantics."""

    def __init__(
        self, directory: str | Path, lock_timeout: float = 120.0, limitmb: int = 256, create: bool = True
    ) -> None:
        self.directory = Path(directory)
        if not create and not whoosh_index.exists_in(str(self.directory)):
            raise SearchError(f"no search index at {self.directory}: load some documents first")
        self.lock_timeout = lock_timeout
        self.limitmb = limitmb
        self._local = threading.local()
        try:
            self._ix = _open_or_create(self.directory)
        except (OSError, whoosh_index.IndexError) as exc:
            raise SearchError(f"cannot open search index at {self.directory}: {exc}") from exc
        load_userdict(self.directory)

    # ----------------------------------------------------------------- writing
    def add_words(self, words: Iterable[str]) -> list[str]:
        """Keep these names whole when segmenting; persisted in the index's userdict.txt."""
        fresh = save_userdict(self.directory, words)
        if fresh:
            log.info("added %d words to %s (documents indexed earlier keep their old segmentation)",
                     len(fresh), self.directory)
        return fresh

    def index_extraction(self, ex: Extraction) -> int:
        """Replace every entry of one document; returns the number of entries written."""
        return self.index_many([ex])

    def index_many(self, extractions: Iterable[Extraction], procs: int = 1) -> int:
        """Replace the entries of many documents in one commit; returns entries written.

        `procs` > 1 analyses in that many forked processes (one segment each; bulk loads
        only, and only where multiprocessing forks, so children share the dictionary).
        """
        latest = {ex.document.id: ex for ex in extractions}  # the last copy of a document wins
        self.add_words(_dictionary_words(latest.values()))
        written = 0
        with self._writer(procs) as writer:
            for ex in latest.values():
                writer.delete_by_term("doc_id", ex.document.id)
                for fields in _document_entries(ex):
                    writer.add_document(**fields)
                    written += 1
            for fields in _merged_entities(writer, latest.values()):
                writer.update_document(**fields)
                written += 1
        log.info("indexed %d documents (%d entries) into %s", len(latest), written, self.directory)
        return written

    def delete_document(self, doc_id: str) -> int:
        """Remove the policy and measure entries of one document; returns entries removed."""
        with self._writer() as writer:
            return writer.delete_by_term("doc_id", doc_id)

    @contextmanager
    def _writer(self, procs: int = 1) -> Iterator[IndexWriter]:
        """One writer at a time: wait for the lock (up to lock_timeout), commit or cancel."""
        writer = self._acquire_writer(procs if multiprocessing.get_start_method() == "fork" else 1)
        try:
            load_userdict(self.directory)  # another process may have added words
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def _acquire_writer(self, procs: int = 1) -> IndexWriter:
        """Open a Whoosh writer, retrying while another process holds the lock."""
        extra = {"procs": procs, "multisegment": True} if procs > 1 else {}
        deadline = time.monotonic() + self.lock_timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                timeout = max(0.0, min(_LOCK_SLICE, remaining))
                return self._ix.writer(timeout=timeout, limitmb=self.limitmb, **extra)
            except LockError:
                if remaining <= 0:
                    raise IndexLockedError(
                        f"search index {self.directory} stayed locked for {self.lock_timeout:.0f} s; "
                        "another loader is probably still writing — try again when it has finished"
                    ) from None
                log.debug("index %s is locked; waiting", self.directory)

    # ----------------------------------------------------------------- reading
    def searcher(self) -> Searcher:
        """A searcher on the latest committed state (cached per thread, refreshed per call)."""
        current = getattr(self._local, "searcher", None)
        if current is not None and current.reader().generation() == self._ix.latest_generation():
            return current
        if current is not None:  # not Searcher.refresh(): its reader reuse misses new deletions
            current.close()
        current = self._local.searcher = self._ix.searcher()
        return current

    def document_versions(self) -> dict[str, str]:
        """doc_id → version of every indexed policy (for the loader's consistency checks)."""
        docs = self.searcher().documents(kind="policy")
        return {d["doc_id"]: d.get("version", "") for d in docs}

    def doc_count(self) -> int:
        """Number of entries (policies, measures and entities) in the index."""
        return self.searcher().doc_count()

    def close(self) -> None:
        """Close the cached searcher of this thread and the index."""
        current = getattr(self._local, "searcher", None)
        if current is not None:
            current.close()
            self._local.searcher = None
        self._ix.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_or_create(directory: Path) -> whoosh_index.FileIndex:
    """Open the index in `directory`, creating it (once, under a file lock) when missing."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "create.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        if not whoosh_index.exists_in(str(directory)):
            log.info("creating search index in %s", directory)
            return whoosh_index.create_in(str(directory), build_schema())
    return whoosh_index.open_dir(str(directory))


# --------------------------------------------------------------------- entries
def _join(values: Iterable[str]) -> str:
    """Comma-join folded facet values (commas inside a value become spaces)."""
    clean = (fold(v).replace(VALUE_SEPARATOR, " ").strip() for v in values if v)
    return VALUE_SEPARATOR.join(dict.fromkeys(v for v in clean if v))


def _common(doc: Document) -> dict[str, Any]:
    """Fields every entry of a document shares."""
    year = _YEAR.match(doc.date or "")
    return {
        "doc_id": doc.id,
        "version": doc.version,
        "issuer": _join(doc.issuers),
        "region": fold(doc.region or ""),
        "year": year.group(1) if year else "",
        "policy_title": doc.title,
    }


def _document_entries(ex: Extraction) -> Iterator[dict[str, Any]]:
    """The policy entry and one entry per measure of an extraction."""
    doc, common = ex.document, _common(ex.document)
    yield {"uid": f"policy:{doc.id}", "kind": "policy", "id": doc.id, "title": doc.title,
           "body": doc.text, **common}
    aliases = {e.id: e.aliases for e in ex.entities}
    for m in ex.measures:
        yield _measure_entry(m, aliases, common)


def _measure_entry(m: Measure, aliases: dict[str, list[str]], common: dict[str, Any]) -> dict[str, Any]:
    """One measure: text, lead/support names with every alias, deadline."""
    return {
        "uid": f"measure:{m.id}", "kind": "measure", "id": m.id, "title": m.title, "body": m.text,
        "lead": _unit_text(m.lead, aliases), "support": _unit_text(m.support, aliases),
        "lead_facet": _join(u.name for u in m.lead), "support_facet": _join(u.name for u in m.support),
        "deadline": m.deadline or "", **common,
    }


def _unit_text(units: list[UnitRef], aliases: dict[str, list[str]]) -> str:
    """Canonical names, mentions and aliases, one per line (phrases never span lines)."""
    names: list[str] = []
    for u in units:
        names += [u.name, u.mention, *aliases.get(u.id, [])]
    return "\n".join(dict.fromkeys(n for n in names if n))


def _merged_entities(writer: IndexWriter, extractions: Iterable[Extraction]) -> Iterator[dict[str, Any]]:
    """Department/programme/platform entries, aliases merged with those already indexed."""
    merged: dict[str, Entity] = {}
    for ex in extractions:
        for e in ex.entities:
            if e.type in ENTITY_KINDS:
                seen = merged.setdefault(e.id, Entity(e.id, e.type, e.name, [], e.region, e.kind))
                seen.aliases = list(dict.fromkeys(seen.aliases + e.aliases))
                seen.region = seen.region or e.region
    with writer.searcher() as s:
        for e in merged.values():
            uid = f"{ENTITY_KINDS[e.type]}:{e.id}"
            stored = s.document(uid=uid) or {}
            known = list(dict.fromkeys([*stored.get("aliases", []), *e.aliases]))
            yield _entity_entry(e, uid, [a for a in known if a != e.name], e.region or stored.get("region"))


def _entity_entry(e: Entity, uid: str, aliases: list[str], region: str | None) -> dict[str, Any]:
    """One department/programme/platform entry (not tied to a document)."""
    return {"uid": uid, "kind": ENTITY_KINDS[e.type], "id": e.id, "doc_id": "", "title": e.name,
            "body": "\n".join(aliases), "aliases": aliases,
            "region": fold(region or "")}


def _dictionary_words(extractions: Iterable[Extraction]) -> list[str]:
    """Entity names and aliases, and unit names and mentions, to keep whole when segmenting."""
    words: list[str] = []
    for ex in extractions:
        for e in ex.entities:
            if e.type in ENTITY_KINDS:
                words += [e.name, *e.aliases]
        for m in ex.measures:
            words += [x for u in (*m.lead, *m.support) for x in (u.name, u.mention)]
    return [w for w in dict.fromkeys(words) if len(w) >= 2]
