"""Facet counts over all matches (kind, issuer, region, year, lead) from per-segment columns.

Each segment keeps its (document, value) pairs as numpy arrays grouped by document
(`search.columns`); the values of all current segments share one sorted vocabulary, so a
count is one gather of the matched documents' values and one `bincount` per segment,
whatever the number of values (thousands of departments).
"""

from __future__ import annotations

import numpy as np

from search.columns import facet_column, matched_documents
from search.docsets import CACHE, Segment

# Facet name shown to callers → index field.
FACETS = {"kind": "kind", "issuer": "issuer", "region": "region", "year": "year", "lead": "lead_facet"}
MAX_VALUES = 30  # values per facet, most frequent first


def global_bits(segs: list[Segment], per_segment: list[int]) -> int:
    """One bitset over the whole index from per-segment bitsets."""
    out = 0
    for seg, bits in zip(segs, per_segment, strict=True):
        out |= bits << seg.offset
    return out


def facet_counts(segs: list[Segment], matched: list[int], limit: int = MAX_VALUES,
                 names: tuple[str, ...] = tuple(FACETS)) -> dict[str, list[tuple[str, int]]]:
    """Per facet: (value, count) pairs among the matched documents, most frequent first.

    `matched` holds one bitset of live matching documents per segment; equal counts are
    ordered by value; empty values are left out; at most `limit` values per facet.
    """
    docs = matched_documents(segs, matched)
    return {name: _top(segs, docs, FACETS[name], limit) for name in names}


def _top(segs: list[Segment], docs: np.ndarray, field: str, limit: int = MAX_VALUES) -> list[tuple[str, int]]:
    values, indptr, codes = _vocabulary(segs, field)
    if not len(docs) or not len(codes):
        return []
    counts = np.bincount(_codes_of(indptr, codes, docs), minlength=len(values))
    present = np.flatnonzero(counts)
    best = present[np.lexsort((present, -counts[present]))][:limit]  # codes follow value order
    return [(values[i], int(counts[i])) for i in best]


def _codes_of(indptr: np.ndarray, codes: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """The value codes of the given documents: the runs codes[indptr[d]:indptr[d + 1]], concatenated."""
    starts = indptr[docs]
    lengths = indptr[docs + 1] - starts
    if not len(lengths) or lengths.max() <= 1:  # at most one value per document: no runs to expand
        return codes[starts[lengths == 1]]
    # positions of every pair of every matched document: each run starts[i] … starts[i] + lengths[i] - 1
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return codes[offsets + np.arange(int(lengths.sum()))]


def _vocabulary(segs: list[Segment], field: str) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """The sorted values of `field` over these segments, and one (indptr, codes) column over all of them."""
    key = ("facet-vocabulary", field, tuple(s.id for s in segs))
    return CACHE.get(key, lambda: _build_vocabulary(segs, field),
                     lambda v: int(v[1].nbytes + v[2].nbytes) + 64 * len(v[0]))


def _build_vocabulary(segs: list[Segment], field: str) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    columns = [facet_column(seg, field) for seg in segs]
    values = tuple(sorted({v for col in columns for v in col.values}))
    code = {v: i for i, v in enumerate(values)}
    size = max((seg.offset + seg.size for seg in segs), default=0)
    indptr = np.zeros(size + 1, dtype=np.int64)  # global document → its run of codes
    codes: list[np.ndarray] = [np.zeros(0, dtype=np.int32)]
    base = 0
    for seg, col in zip(segs, columns, strict=True):
        remap = np.array([code[v] for v in col.values], dtype=np.int32)
        indptr[seg.offset:seg.offset + seg.size] = col.indptr[:-1] + base
        codes.append(remap[col.codes])
        base += len(col.codes)
        indptr[seg.offset + seg.size:] = base  # documents after this segment start where its runs end
    return values, indptr, np.concatenate(codes)
