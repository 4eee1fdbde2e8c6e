"""The postings format of the text fields: positions as packed integers, not pickles.

Whoosh's own `Positions` format stores each posting's positions as a pickled list of deltas,
so reading a common word's positions costs one `pickle.loads` per document (2 million calls
for the frequent words of a 10,000-document index).  `PackedPositions` stores the absolute
positions as little-endian unsigned 32-bit integers: a whole block of postings then decodes
with one `numpy.frombuffer` (see `search.docsets`), and encoding at index time is one
`array.tobytes`.  Whoosh's own matchers and phrase queries read it through `decode_positions`.

Indexes written before this format are refused at open (search.index: the index format
version); `python -m search rebuild` rewrites them.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh.formats import Positions

from search.codec import pack, unpack
from search.pickled import stable

POSITION_BYTES = 4  # one uint32 a position


@stable("PackedPositions")
class PackedPositions(Positions):
    """Positions (ascending) as little-endian uint32; the term frequency is their count."""

    def encode(self, poslist: Iterable[int]) -> bytes:
        return pack("I", poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return unpack("I", valuestring).tolist()

    def decode_frequency(self, valuestring: bytes) -> int:  # Positions' decode_weight uses it
        return len(valuestring) // POSITION_BYTES
