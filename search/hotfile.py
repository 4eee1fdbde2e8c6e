"""Hot-word files: a segment's most common words with their postings and positions already decoded.

Reading a common word cold costs milliseconds per segment (term look-up, then every block's
header, zlib and arrays), in every web process, after every start; a bulk-loaded index has
tens of segments.  A hot-word file holds those words decoded, as flat little-endian arrays:
document numbers (int32), term frequencies (float64) and occurrence keys (int64,
document << 32 | position), as `search.docsets` uses them.  Processes map the file read-only,
so the arrays take no heap and the operating system keeps one copy for all of them.

A segment never changes (deletions are masked separately), so neither does its hot-word file.
It is named like the segment's own files (`MAIN_<segment>.hot`), so Whoosh deletes it together
with the segment.  The warm-up writes the missing ones, one process at a time.

Layout: MAGIC, the table's offset (uint64), the arrays (each 8-byte aligned), then the table:
JSON {field: {word: [offset, postings, occurrences]}}; a word's ids, then its frequencies, then
its occurrence keys follow each other from its offset.
"""

from __future__ import annotations

import fcntl
import json
import logging
import mmap
import os
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from search.docsets import MAPPED, Postings, Segment, decode_term

log = logging.getLogger(__name__)

MAGIC = b"PGHOT001"
SUFFIX = ".hot"
LOCK_NAME = "hot.lock"
MIN_SHARE = 0.005  # a word is hot in a segment when at least this share of its documents hold it …
MIN_DOCS = 64  # … and at least this many (rarer words are cheap to read cold)
MAX_BYTES = 256 * 2**20  # per segment, most frequent words first


class HotFile:
    """One segment's hot-word file, mapped read-only."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if self._map[:8] != MAGIC:
            raise ValueError(f"{path} is not a hot-word file")
        (table_at,) = struct.unpack("<Q", self._map[8:16])
        self.terms: dict[str, dict[str, list[int]]] = json.loads(self._map[table_at:].decode("utf-8"))

    def find(self, fieldname: str, text: str) -> tuple[Postings, np.ndarray] | None:
        """A hot word's postings and occurrence keys (views on the mapped file), or None."""
        entry = self.terms.get(fieldname, {}).get(text)
        if entry is None:
            return None
        at, n, n_occ = entry
        ids = np.frombuffer(self._map, dtype="<i4", count=n, offset=at)
        at += _aligned(4 * n)
        weights = np.frombuffer(self._map, dtype="<f8", count=n, offset=at)
        keys = np.frombuffer(self._map, dtype="<i8", count=n_occ, offset=at + 8 * n)
        return Postings(ids, weights), keys

    def __len__(self) -> int:
        return sum(len(words) for words in self.terms.values())


def _aligned(n: int) -> int:
    return (n + 7) // 8 * 8


def path_of(directory: Path, seg: Segment) -> Path:
    """Where a segment's hot-word file lives (beside the segment's own files)."""
    return directory / f"{seg.id}{SUFFIX}"


def hot_words(seg: Segment, fieldnames: tuple[str, ...]) -> list[tuple[str, str]]:
    """(field, word) pairs held by many of the segment's documents, most documents first."""
    threshold = max(MIN_DOCS, int(MIN_SHARE * seg.size))
    found = [(df, fieldname, text) for fieldname in fieldnames for text, df in seg.frequencies(fieldname)
             if df >= threshold]
    found.sort(key=lambda f: (-f[0], f[1], f[2]))
    return [(fieldname, text) for _df, fieldname, text in found]


def write(directory: Path, seg: Segment, fieldnames: tuple[str, ...], max_bytes: int = MAX_BYTES) -> Path:
    """Decode the segment's hot words and write its hot-word file (atomically); returns its path."""
    path = path_of(directory, seg)
    scratch = path.with_name(f"{path.name}.tmp{os.getpid()}")
    table: dict[str, dict[str, list[int]]] = {}
    try:
        with open(scratch, "wb") as out:
            out.write(MAGIC + struct.pack("<Q", 0))
            for fieldname, text in hot_words(seg, fieldnames):
                found, keys = decode_term(seg, fieldname, text)
                ids = found.ids.astype("<i4").tobytes()
                size = _aligned(len(ids)) + 8 * len(found.ids) + 8 * len(keys)
                if out.tell() + size > max_bytes:
                    break
                table.setdefault(fieldname, {})[text] = [out.tell(), len(found.ids), len(keys)]
                out.write(ids + bytes(_aligned(len(ids)) - len(ids)))
                out.write(found.weights.astype("<f8").tobytes() + keys.astype("<i8").tobytes())
            table_at = out.tell()
            out.write(json.dumps(table, ensure_ascii=False).encode("utf-8"))
            out.seek(8)
            out.write(struct.pack("<Q", table_at))
            out.flush()
            os.fsync(out.fileno())
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
    return path


class HotFiles:
    """Maps segments' hot-word files into this process (registered in `search.docsets.MAPPED`)."""

    def __init__(self) -> None:
        self._files: dict[str, HotFile] = {}
        self._lock = threading.Lock()

    def ensure(self, directory: Path, segs: list[Segment], fieldnames: tuple[str, ...]) -> int:
        """Map every segment's hot-word file, writing the missing ones first; returns the words mapped.

        One process writes at a time (a lock file in the index directory); the others then
        find the files written and map them.  Files of segments that are gone are let go.
        """
        with self._lock:
            current = {seg.id for seg in segs}
            for gone in [k for k in self._files if k not in current]:
                MAPPED.pop(gone, None)
                del self._files[gone]
            missing = [seg for seg in segs if seg.id not in self._files]
            if missing and not all(path_of(directory, seg).exists() for seg in missing):
                with _locked(directory / LOCK_NAME):
                    for seg in missing:
                        if not path_of(directory, seg).exists():
                            write(directory, seg, fieldnames)
            for seg in missing:
                try:
                    hot = HotFile(path_of(directory, seg))
                except (OSError, ValueError):  # a damaged file: that segment is read cold
                    log.warning("cannot map the hot-word file of segment %s", seg.id, exc_info=True)
                    continue
                self._files[seg.id] = hot
                MAPPED[seg.id] = hot.find
            return sum(len(self._files[seg.id]) for seg in segs if seg.id in self._files)

    def clear(self) -> None:
        """Let every mapped file go (tests)."""
        with self._lock:
            for seg_id in self._files:
                MAPPED.pop(seg_id, None)
            self._files = {}


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


HOT = HotFiles()
