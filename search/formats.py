"""The postings format of the text fields: positions as packed integers, not pickles.

Whoosh's own `Positions` format stores each posting's positions as a pickled list of deltas,
so reading a common word's positions costs one `pickle.loads` per document (2 million calls
for the frequent words of a 10,000-document index).  `PackedPositions` stores the absolute
positions as little-endian unsigned 32-bit integers: a whole block of postings then decodes
with one `numpy.frombuffer` (see `search.docsets`), and encoding at index time is one
`array.tobytes`.  Whoosh's own matchers and phrase queries read it through `decode_positions`.

Indexes written before this format keep Whoosh's `Positions` in their stored schema and are
still read (more slowly); `python -m search rebuild` rewrites them in this format.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable

from whoosh.formats import Positions

POSITION_BYTES = 4
_SWAP = sys.byteorder == "big"  # the format is little-endian on every machine
if array("I").itemsize != POSITION_BYTES:  # pragma: no cover - no such platform in use
    raise ImportError("search.formats needs a 4-byte array('I')")


class PackedPositions(Positions):
    """Positions (ascending) as little-endian uint32; the term frequency is their count."""

    def encode(self, poslist: Iterable[int]) -> bytes:
        packed = array("I", poslist)
        if _SWAP:  # pragma: no cover - little-endian machines only here
            packed.byteswap()
        return packed.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        packed = array("I")
        packed.frombytes(valuestring)
        if _SWAP:  # pragma: no cover
            packed.byteswap()
        return packed.tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // POSITION_BYTES

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost

    def combine(self, vs: Iterable[bytes]) -> bytes:
        seen: set[int] = set()
        for v in vs:
            seen.update(self.decode_positions(v))
        return self.encode(sorted(seen))
