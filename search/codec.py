"""Whoosh's W3 codec with posting blocks laid out as flat arrays, so numpy reads a block in a few calls.

Whoosh's W3 codec pickles each block of up to `blocklimit` postings as a tuple of Python
objects: one int per document-number delta, one float per weight and one bytes object per
posting value.  Reading a common word cold then builds millions of objects.
`PackedCodec` writes the same blocks (same header, statistics, compression and block
boundaries), but with flat data:

- ids: the document numbers as one little-endian uint32 string;
- weights: None or one float when all are equal (as Whoosh does), else one float32 string;
- values: ("packed", uint32 byte lengths, all values concatenated).

`PackedLeafMatcher` reads them back for Whoosh's own matchers (same `Matcher` interface);
`search.docsets` reads the flat arrays directly.  Indexes whose segments were written with the
plain W3 codec are refused at open (search.index: the index format version).
"""

from __future__ import annotations

import sys
from array import array
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter

from search.pickled import stable
from search.whooshapi import codec_options

PACKED = "packed"  # first item of a block's packed values tuple (Whoosh's own tuple holds bytes only)
_SWAP = sys.byteorder == "big"  # the layout is little-endian on every machine
if array("I").itemsize != 4:  # pragma: no cover - no such platform in use
    raise ImportError("search.codec needs a 4-byte array('I')")


def pack(typecode: str, values: Any) -> bytes:
    """Numbers as little-endian bytes of `typecode` ('I': uint32, 'f': float32)."""
    packed = array(typecode, values)
    if _SWAP:  # pragma: no cover - little-endian machines only here
        packed.byteswap()
    return packed.tobytes()


def array_bytes(values: array) -> bytes:
    """An array's numbers as little-endian bytes (`pack` for an array already built)."""
    if _SWAP:  # pragma: no cover
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def unpack(typecode: str, raw: bytes) -> array:
    """Little-endian bytes as an array of `typecode` ('I': uint32, 'f': float32)."""
    out = array(typecode)
    out.frombytes(raw)
    if _SWAP:  # pragma: no cover
        out.byteswap()
    return out


@stable("PackedCodec")
class PackedCodec(W3Codec):
    """W3 with flat-array posting blocks; everything else (terms, columns, stored fields) is W3's."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        if byteids:  # term vectors: Whoosh's layout
            return super().postings_writer(dbfile, byteids=byteids)
        blocklimit, compression, inlinelimit = codec_options(self)
        return _PackedPostingsWriter(dbfile, blocklimit=blocklimit, byteids=False,
                                     compression=compression, inlinelimit=inlinelimit)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return PackedLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


# Blocks of fewer postings are written uncompressed (the block header says so; Whoosh's readers
# follow it).  Most terms have a posting or two; zlib costs 5-60 µs a call even for a hundred
# bytes, which it then lengthens.
SMALL_BLOCK = 16


class _PackedPostingsWriter(W3PostingsWriter):
    _compression: int  # zlib level, set by W3PostingsWriter.__init__

    def _write_block(self, last: bool = False) -> None:
        if len(self._ids) >= SMALL_BLOCK or not self._compression:
            super()._write_block(last)
            return
        level, self._compression = self._compression, 0
        try:
            super()._write_block(last)
        finally:
            self._compression = level

    def _mini_ids(self) -> bytes:
        return pack("I", self._ids)

    # A block's values already packed (PACKED, lengths, blob), set by search.writer's bulk path in
    # place of one bytes object per posting in `_values`.
    _packed_values: tuple[str, bytes, bytes] | None = None

    def _mini_weights(self) -> Any:
        weights = self._weights  # array("f"): counted in C, not per posting in Python
        if weights.count(1.0) == len(weights):
            return None
        if weights.count(weights[0]) == len(weights):
            return weights[0]
        return pack("f", weights)

    def _mini_values(self) -> Any:
        if self._packed_values is not None:
            packed, self._packed_values = self._packed_values, None
            return packed
        values = self._values
        fixedsize = self._format.fixed_value_size()
        if (fixedsize is None or fixedsize < 0) and len(values) == len(self._ids):
            return (PACKED, pack("I", map(len, values)), b"".join(values))
        return super()._mini_values()  # fixed-size or absent values: Whoosh's own (already flat) layout


class PackedLeafMatcher(W3LeafMatcher):
    """Whoosh's on-disk matcher over packed blocks."""

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = unpack("I", self._data[0])

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        if isinstance(weights, bytes):
            self._weights = unpack("f", weights)
        else:
            super()._read_weights()

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        vs = self._data[2]
        if isinstance(vs, tuple) and vs and vs[0] == PACKED:
            blob, values, start = vs[2], [], 0
            for length in unpack("I", vs[1]):
                values.append(blob[start:start + length])
                start += length
            self._values = tuple(values)
        else:
            super()._read_values()
