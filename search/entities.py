"""Department, programme and platform entries: one per entity, kept while an indexed document mentions it.

Each entry stores which documents mention it (`mentioned_in`, indexed so a document's
entities can be found again) and the aliases each of them used (`alias_sources`).  When a
document is replaced or deleted its contribution is taken away; an entry left with no
document is deleted, and its aliases are always the union of the remaining documents'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from loaders.records import Entity, Extraction
from search.analyzer import fold
from search.schema import ENTITY_KINDS, VALUE_SEPARATOR

LEGACY = ""  # alias_sources key for aliases indexed before documents were tracked


def update_entities(writer: IndexWriter, removed: Iterable[str], extractions: Iterable[Extraction]) -> int:
    """Take the `removed` documents' mentions away, add those of `extractions`; returns entries written."""
    gone = set(removed)
    incoming = _incoming(extractions)
    written = 0
    with writer.searcher() as searcher:
        for uid in sorted(set(incoming) | _mentioning(searcher, gone)):
            docnum = _live_entry(searcher, uid)
            stored = searcher.stored_fields(docnum) if docnum is not None else {}
            entity, fresh = incoming.get(uid, (None, {}))
            sources = {d: a for d, a in _sources(stored).items() if d not in gone} | fresh
            if docnum is not None:
                writer.delete_document(docnum)
            if sources:
                writer.add_document(**_entry(uid, entity, stored, sources))
                written += 1
    return written


def _incoming(extractions: Iterable[Extraction]) -> dict[str, tuple[Entity, dict[str, list[str]]]]:
    """uid → (entity, {doc id: aliases that document used}) for the entities of these documents."""
    out: dict[str, tuple[Entity, dict[str, list[str]]]] = {}
    for ex in extractions:
        for e in ex.entities:
            if e.type in ENTITY_KINDS:
                uid = f"{ENTITY_KINDS[e.type]}:{e.id}"
                if uid not in out:
                    out[uid] = (replace(e), {})  # a copy: its region is filled in below
                first, sources = out[uid]
                sources[ex.document.id] = list(e.aliases)
                first.region = first.region or e.region
    return out


def _live_entry(searcher: Searcher, uid: str) -> int | None:
    """The document number of the entry `uid` (unique), looking in the newest segments first.

    Every batch rewrites the entities its documents mention, so older segments mostly hold
    deleted copies: the search usually ends in the first segment or two, not in every one.
    """
    for reader, base in reversed(list(searcher.reader().leaf_readers())):
        if ("uid", uid) in reader:
            for docnum in reader.postings("uid", uid).all_ids():  # deleted copies are left out
                return base + docnum
    return None


def _mentioning(searcher: Searcher, doc_ids: set[str]) -> set[str]:
    """uids of the entity entries that any of these documents mentions."""
    uids: set[str] = set()
    for doc_id in doc_ids:
        uids.update(searcher.stored_fields(n)["uid"] for n in searcher.document_numbers(mentioned_in=doc_id))
    return uids


def _sources(stored: dict[str, Any]) -> dict[str, list[str]]:
    """The stored per-document aliases (entries written before tracking count as one legacy source)."""
    if not stored:
        return {}
    return dict(stored.get("alias_sources") or {LEGACY: list(stored.get("aliases") or [])})


def _entry(uid: str, entity: Entity | None, stored: dict[str, Any], sources: dict[str, list[str]]) -> dict[str, Any]:
    """The entry's fields: name, merged aliases, region, mentioning documents."""
    name = entity.name if entity else stored.get("title", "")
    aliases = [a for a in dict.fromkeys(a for d in sorted(sources) for a in sources[d]) if a and a != name]
    region = (entity.region if entity else None) or stored.get("region") or ""
    return {"uid": uid, "kind": uid.split(":", 1)[0], "id": entity.id if entity else stored.get("id", ""),
            "doc_id": "", "title": name, "body": "\n".join(aliases), "aliases": aliases,
            "region": fold(region), "mentioned_in": VALUE_SEPARATOR.join(sorted(d for d in sources if d)),
            "alias_sources": sources}
