"""Per-segment numpy columns read once from a Whoosh segment: field lengths and facet values.

Whoosh segments never change after they are written (they only gain deletions, which the
callers mask out), so what is read here is cached by segment id in the process-wide
`docsets.CACHE` and shared by every searcher and thread.  Scoring and facet counting then
run over these arrays in numpy instead of per document in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.util.numeric import byte_to_length

from search.docsets import CACHE, Segment, read_postings
from search.whooshapi import length_bytes, lengths_column

_BYTE_LENGTHS = np.array([byte_to_length(b) if b else 0 for b in range(256)], dtype=np.float64)
_EMPTY_IDS = np.zeros(0, dtype=np.int32)


@dataclass(frozen=True)
class FacetColumn:
    """Every (document, value) pair of one facet field in one segment, grouped by document.

    `codes[indptr[d]:indptr[d+1]]` are the value numbers of document d; `values[code]` the text.
    """

    values: tuple[str, ...]
    indptr: np.ndarray  # int64, size + 1
    codes: np.ndarray  # int32

    @property
    def nbytes(self) -> int:
        return int(self.indptr.nbytes + self.codes.nbytes) + 64 * len(self.values)


def mask_of(bits: int, size: int) -> np.ndarray:
    """A bitset (bit n = document n) as a boolean array of `size` entries."""
    raw = np.frombuffer(bits.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(raw, count=size, bitorder="little").view(bool)


def matched_documents(segs: list[Segment], matched: list[int]) -> np.ndarray:
    """Global numbers (ascending) of the documents set in per-segment bitsets."""
    parts = [np.flatnonzero(mask_of(bits, seg.size)) + seg.offset for seg, bits in zip(segs, matched, strict=True)
             if bits]
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


def field_lengths(seg: Segment, fieldname: str) -> np.ndarray:
    """Each document's length in `fieldname` as Whoosh scores it (its one-byte quantised length)."""
    key = ("lengths", seg.id, fieldname)
    return CACHE.get(key, lambda: _read_lengths(seg, fieldname), lambda a: int(a.nbytes) + 64)


def _read_lengths(seg: Segment, fieldname: str) -> np.ndarray:
    reader = seg.reader
    column = lengths_column(reader, fieldname)
    raw = length_bytes(column, seg.size) if column is not None else None
    if raw is not None:
        out = np.zeros(seg.size, dtype=np.uint8)
        out[:len(raw)] = np.frombuffer(raw, dtype=np.uint8)
        return _BYTE_LENGTHS[out]
    lengths = [reader.doc_field_length(d, fieldname, 0) or 0 for d in range(seg.size)]  # other codecs
    return np.asarray(lengths, dtype=np.float64)


def facet_column(seg: Segment, fieldname: str) -> FacetColumn:
    """The facet pairs of one field in a segment (cached per segment)."""
    key = ("facet-column", seg.id, fieldname)
    return CACHE.get(key, lambda: _read_facet(seg, fieldname), lambda c: c.nbytes)


def _read_facet(seg: Segment, fieldname: str) -> FacetColumn:
    reader = seg.reader
    values: list[str] = []
    doc_parts: list[np.ndarray] = []
    if fieldname in reader.schema and fieldname in reader.indexed_field_names():
        for btext in reader.lexicon(fieldname):
            value = btext.decode("utf-8")
            if not value:
                continue
            doc_parts.append(read_postings(seg, fieldname, value).ids)  # read once: not cached per value
            values.append(value)
    if not doc_parts:
        return FacetColumn((), np.zeros(seg.size + 1, dtype=np.int64), _EMPTY_IDS)
    docs = np.concatenate(doc_parts)
    codes = np.repeat(np.arange(len(values), dtype=np.int32), [len(p) for p in doc_parts])
    order = np.argsort(docs, kind="stable")  # by document, values in lexicon order within one
    indptr = np.zeros(seg.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=seg.size), out=indptr[1:])
    return FacetColumn(tuple(values), indptr, codes[order])
