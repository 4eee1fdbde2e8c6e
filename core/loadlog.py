"""When each document was loaded: an append-only log in the instance folder, kept out of the graph.

    log = LoadLog(settings.load_log)            # <POLICYGRAPH_HOME>/loads.sqlite3
    log.record("loaded", doc_id)                # after the graph write of that document committed
    log.recent(10, present={...})               # the documents loaded last, newest first

The graph holds what documents say; when they were loaded is the loading machine's history,
so it is not part of the graph (nor of its consistency checksum: a load run twice writes the
same graph, but two log lines).  The log is one SQLite table of events, appended to and never
rewritten; SQLite makes each append atomic and lets web processes read while a loader writes.

A line is written after its document's graph write committed, so a load cut short between the
two (a few microseconds) leaves a loaded document without its line; it simply shows under its
previous load time, or not at all, until it is loaded again.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Container
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
EVENTS = ("loaded", "replaced", "removed")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS loads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    doc TEXT NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('loaded', 'replaced', 'removed'))
);
CREATE INDEX IF NOT EXISTS loads_doc ON loads (doc, seq);
"""
# Newest first; a reader stops once it has its documents, so it reads the log's tail only.
_NEWEST = "SELECT seq, at, doc, event FROM loads ORDER BY seq DESC"
_LAST = "SELECT at, event FROM loads WHERE doc = ? ORDER BY seq DESC LIMIT 1"
_SINCE_REMOVAL = """
SELECT at, event FROM loads WHERE doc = ? AND seq > coalesce(
    (SELECT max(seq) FROM loads WHERE doc = ? AND event = 'removed'), 0) ORDER BY seq LIMIT 1
"""


@dataclass(frozen=True)
class LoadTime:
    """A loaded document's last load (or replacement), and its first load when the log saw it."""

    doc: str
    last: datetime
    replaced: bool  # the last event replaced an earlier version of the document
    first: datetime | None  # None: loaded before the log began


class LoadLog:
    """The load log of one instance folder; the writer opens it once per load, readers per read."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # the loader writes from its graph-writes thread

    def record(self, event: str, doc: str, at: datetime | None = None) -> None:
        """Append one event ("loaded", "replaced" or "removed") for a document."""
        if event not in EVENTS:
            raise ValueError(f"unknown load-log event {event!r}")
        stamp = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
        with self._lock:
            conn = self._writer()
            with conn:
                conn.execute("INSERT INTO loads (at, doc, event) VALUES (?, ?, ?)", (stamp, doc, event))

    def stamp(self) -> str:
        """A cache key that changes when the log does: its file's and its write-ahead log's size and time."""
        parts = []
        for path in (self.path, self.path.with_name(self.path.name + "-wal")):
            try:
                st = path.stat()
            except OSError:
                parts.append("-")
                continue
            parts.append(f"{st.st_size}.{st.st_mtime_ns}")
        return ":" + ":".join(parts)

    def recent(self, limit: int, present: Container[str]) -> list[LoadTime]:
        """The `limit` documents loaded last that are still `present`, newest first (removed ones left out)."""
        return self._read(lambda conn: self._recent(conn, limit, present), [])

    def times(self, doc: str) -> LoadTime | None:
        """When one document was loaded (None: not in the log, or removed since)."""
        def read(conn: sqlite3.Connection) -> LoadTime | None:
            last = conn.execute(_LAST, (doc,)).fetchone()
            return None if last is None or last[1] == "removed" else _time(conn, doc, last[0], last[1])
        return self._read(read, None)

    def _read(self, query: Callable[[sqlite3.Connection], T], empty: T) -> T:
        try:
            conn = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, timeout=5)
        except sqlite3.OperationalError:  # no load has written a log here yet
            return empty
        try:
            return query(conn)
        except sqlite3.OperationalError as e:  # a log without its table yet, or unreadable: nothing known
            log.warning("the load log %s could not be read: %s", self.path, e)
            return empty
        finally:
            conn.close()

    def __enter__(self) -> LoadLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the writer's connection (if one was opened)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _writer(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")  # readers never wait for the loader, nor it for them
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            self._conn = conn
        return self._conn

    @staticmethod
    def _recent(conn: sqlite3.Connection, limit: int, present: Container[str]) -> list[LoadTime]:
        seen: set[str] = set()
        out: list[LoadTime] = []
        for _seq, at, doc, event in conn.execute(_NEWEST):
            if doc in seen:
                continue
            seen.add(doc)
            if event == "removed" or doc not in present:
                continue
            out.append(_time(conn, doc, at, event))
            if len(out) >= limit:
                break
        return out


def _time(conn: sqlite3.Connection, doc: str, at: str, event: str) -> LoadTime:
    """A document's LoadTime from its last event; its first load is the first event since its last removal."""
    first = conn.execute(_SINCE_REMOVAL, (doc, doc)).fetchone()
    known = first is not None and first[1] == "loaded"
    return LoadTime(doc, _parse(at), event == "replaced", _parse(first[0]) if known else None)


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def zh_time(moment: datetime) -> str:
    """A moment in the server's local time, as Chinese readers write it: 2026年12月7日 14:32."""
    local = moment.astimezone()
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


__all__ = ["LoadLog", "LoadTime", "zh_time"]
