"""Department, programme and platform entries: one per entity, kept while an indexed document mentions it.

Which entities a document mentions, and the aliases it used for each, live on the
document's policy entry (`mentions`, indexed, and `entity_aliases`), so an entity entry
changes only when its name, region or set of aliases does: a bulk load rewrites the few
entities whose aliases it extends, not every entity it mentions (each rewrite used to carry
the list of every mentioning document, which grew with the index).  When a document is
replaced or deleted its contribution is taken away; an entry left with no document is
deleted, and its aliases are always the union of the remaining documents'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from core.records import Entity, Extraction
from search.analyzer import fold
from search.schema import ENTITY_KINDS, VALUE_SEPARATOR

Sources = dict[str, list[str]]  # document id → the aliases it used for one entity


@dataclass
class Mentions:
    """What documents about to be replaced or deleted contributed to entity entries (read before they go)."""

    gone: set[str] = field(default_factory=set)
    by_entity: dict[str, Sources] = field(default_factory=dict)  # uid → {gone document: aliases}


def policy_mentions(ex: Extraction) -> dict[str, Any]:
    """The policy entry's fields recording the entities a document mentions and the aliases it used."""
    used: dict[str, list[str]] = {}
    for e in ex.entities:
        if e.type in ENTITY_KINDS:
            used.setdefault(f"{ENTITY_KINDS[e.type]}:{e.id}", list(e.aliases))
    return {"mentions": VALUE_SEPARATOR.join(used), "entity_aliases": used}


def mentions_of(searcher: Searcher, doc_ids: Iterable[str]) -> Mentions:
    """The entity mentions of these documents as indexed now (call before deleting their entries)."""
    out = Mentions(set(doc_ids))
    for doc_id in out.gone:
        docnum = searcher.document_number(uid=f"policy:{doc_id}")
        if docnum is None:
            continue
        used = searcher.stored_fields(docnum).get("entity_aliases") or {}
        for uid, aliases in used.items():
            out.by_entity.setdefault(uid, {})[doc_id] = list(aliases)
    return out


def update_entities(writer: IndexWriter, before: Mentions, extractions: Iterable[Extraction]) -> int:
    """Take the `before.gone` documents' mentions away, add those of `extractions`; returns entries written."""
    incoming = _incoming(extractions)
    written = 0
    with writer.searcher() as searcher:
        for uid in sorted(set(incoming) | set(before.by_entity)):
            docnum = _live_entry(searcher, uid)
            stored = searcher.stored_fields(docnum) if docnum is not None else {}
            entity, fresh = incoming.get(uid, (None, {}))
            lost = _union(before.by_entity.get(uid, {}))
            if docnum is None or not lost or (fresh and set(lost) <= set(_union(fresh))):
                kept = list(stored.get("aliases") or [])  # nothing these documents took away
                alive = docnum is not None or bool(fresh)
            else:
                others = _other_mentions(searcher, uid, before.gone)
                kept, alive = _union(others), bool(others or fresh)
            if not alive:
                if docnum is not None:
                    writer.delete_document(docnum)
                continue
            entry = _entry(uid, entity, stored, _ordered([*kept, *_union(fresh)]))
            if docnum is not None and all(stored.get(k) == v for k, v in entry.items()):
                continue
            if docnum is not None:
                writer.delete_document(docnum)
            writer.add_document(**entry)
            written += 1
    return written


def _incoming(extractions: Iterable[Extraction]) -> dict[str, tuple[Entity, Sources]]:
    """uid → (entity, {doc id: aliases that document used}) for the entities of these documents."""
    out: dict[str, tuple[Entity, Sources]] = {}
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
    """The document number of the entry `uid` (unique), looking in the newest segments first."""
    for reader, base in reversed(list(searcher.reader().leaf_readers())):
        if ("uid", uid) in reader:
            for docnum in reader.postings("uid", uid).all_ids():  # deleted copies are left out
                return base + docnum
    return None


def _other_mentions(searcher: Searcher, uid: str, gone: set[str]) -> Sources:
    """{document id: aliases} of the indexed documents, other than `gone`, whose policy entries mention `uid`."""
    out: Sources = {}
    for docnum in searcher.document_numbers(mentions=uid):
        stored = searcher.stored_fields(docnum)
        if stored.get("doc_id") not in gone:
            out[stored["doc_id"]] = list((stored.get("entity_aliases") or {}).get(uid, []))
    return out


def _union(sources: Sources) -> list[str]:
    """Every alias of these sources."""
    return _ordered(a for d in sources for a in sources[d])


def _ordered(aliases: Iterable[str]) -> list[str]:
    """Distinct aliases, sorted: the same entry whatever the order (and batches) documents came in."""
    return sorted({a for a in aliases if a})


def _entry(uid: str, entity: Entity | None, stored: dict[str, Any], aliases: list[str]) -> dict[str, Any]:
    """The entry's fields: name, aliases, region."""
    name = entity.name if entity else stored.get("title", "")
    aliases = [a for a in aliases if a != name]
    region = (entity.region if entity else None) or stored.get("region") or ""
    return {"uid": uid, "kind": uid.split(":", 1)[0], "id": entity.id if entity else stored.get("id", ""),
            "doc_id": "", "title": name, "body": "\n".join(aliases), "aliases": aliases,
            "region": fold(region)}
