"""Facet counts over all matches: kind, issuer, region, year, lead."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from whoosh import sorting
from whoosh.searching import Results, Searcher

from search.schema import MULTI_VALUED

# Facet name shown to callers → index field.
FACETS = {"kind": "kind", "issuer": "issuer", "region": "region", "year": "year", "lead": "lead_facet"}
MAX_VALUES = 30  # values per facet, most frequent first
_CACHE_SIZE = 512
_cache: OrderedDict[tuple[str, str], list[list[str]]] = OrderedDict()
_cache_lock = threading.Lock()


class _ListCategorizer(sorting.Categorizer):
    """Multi-valued field categorizer whose per-segment value lists are cached.

    Segments never change once written, so the doc → values lists built from the
    postings are reused across searches (Whoosh's own categorizer rebuilds them
    for every search).
    """

    allow_overlap = True

    def __init__(self, fieldname: str) -> None:
        self.fieldname = fieldname
        self._lists: list[list[str]] = []

    def set_searcher(self, segment_searcher: Searcher, docoffset: int) -> None:
        """Load (or build and cache) the value lists of this segment."""
        reader = segment_searcher.reader()
        key = (reader.segment().segment_id(), self.fieldname)
        with _cache_lock:
            lists = _cache.get(key)
            if lists is not None:
                _cache.move_to_end(key)
        if lists is None:
            lists = _build_lists(reader, self.fieldname, segment_searcher.doc_count_all())
            with _cache_lock:
                _cache[key] = lists
                while len(_cache) > _CACHE_SIZE:
                    _cache.popitem(last=False)
        self._lists = lists

    def keys_for(self, matcher: Any, docid: int) -> list[str | None]:
        """All values of the document (None when it has none)."""
        return self._lists[docid] or [None]

    def key_for(self, matcher: Any, docid: int) -> str | None:
        """The first value of the document."""
        values = self._lists[docid]
        return values[0] if values else None


def _build_lists(reader: Any, fieldname: str, doc_count: int) -> list[list[str]]:
    """doc number → values of a KEYWORD field, read from its postings."""
    lists: list[list[str]] = [[] for _ in range(doc_count)]
    if fieldname not in reader.indexed_field_names():
        return lists
    for btext in reader.lexicon(fieldname):
        value = btext.decode("utf-8")
        for docid in reader.postings(fieldname, btext).all_ids():
            lists[docid].append(value)
    return lists


class ListFacet(sorting.FacetType):
    """Facet over a comma-separated KEYWORD field, a document counted once per value."""

    def __init__(self, fieldname: str) -> None:
        self.fieldname = fieldname
        self.allow_overlap = True
        self.maptype = sorting.Count

    def categorizer(self, global_searcher: Searcher) -> sorting.Categorizer:
        """A caching categorizer for this field."""
        return _ListCategorizer(self.fieldname)


def facet_spec() -> sorting.Facets:
    """The facets computed with every search."""
    facets = sorting.Facets()
    for name, field in FACETS.items():
        if field in MULTI_VALUED:
            facets.add_facet(name, ListFacet(field))
        else:
            facets.add_facet(name, sorting.FieldFacet(field, maptype=sorting.Count))
    return facets


def facet_counts(results: Results) -> dict[str, list[tuple[str, int]]]:
    """Per facet: (value, count) pairs, most frequent first, empty values left out."""
    out: dict[str, list[tuple[str, int]]] = {}
    for name in FACETS:
        groups = results.groups(name)
        pairs = [(_text(k), int(n)) for k, n in groups.items() if k not in (None, "", b"")]
        pairs.sort(key=lambda kv: (-kv[1], kv[0]))
        out[name] = pairs[:MAX_VALUES]
    return out


def _text(key: str | bytes) -> str:
    """Facet keys from columns come back as bytes."""
    return key.decode("utf-8") if isinstance(key, bytes) else str(key)
