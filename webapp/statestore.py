"""What every web process of one instance must agree on: admin sessions and rate-limit counts.

A small SQLite file in the instance home (`web-state.sqlite3`, mode 600, WAL), so `serve --workers N`
counts one limit and honours one logout across its processes.  Without a home (tests) it is an in-memory
database private to the store.  Times are wall-clock seconds, the one clock all processes share.
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
import threading
import time
import uuid
from pathlib import Path

from flask import Flask, current_app

log = logging.getLogger(__name__)

FILE = "web-state.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS admin_sessions (sid TEXT PRIMARY KEY, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS hits (bucket TEXT NOT NULL, client TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS hits_by_client ON hits (bucket, client, at);
"""
PRUNE_EVERY = 1000  # calls per process between sweeps of every client's old hits
LONGEST_WINDOW = 3600.0


class StateStore:
    """Sessions and sliding-window hit counts in one SQLite database shared by the instance's processes."""

    def __init__(self, home: Path | None) -> None:
        if home is None:
            self._target = f"file:policygraph-state-{uuid.uuid4().hex}?mode=memory&cache=shared"
        else:
            path = home / FILE
            home.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # SQLite gives its -wal/-shm this mode
            os.chmod(path, 0o600)
            self._target = path.as_uri()
        self._local = threading.local()
        self._calls = 0
        self._keep = self._connect()  # an in-memory database lives while one connection is open
        self._keep.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self._target, uri=True, timeout=10, isolation_level=None, check_same_thread=False)
        if not self._target.startswith("file:policygraph-state-"):
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL: a power cut may lose the last hits, never corrupt
        return conn

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    # -- admin sessions --------------------------------------------------------------------------------

    def new_session(self, max_age: float) -> str:
        """Record a new signed-in session and return its id (expired ones are forgotten)."""
        sid, now = secrets.token_urlsafe(24), time.time()
        with self._conn() as conn:
            conn.execute("DELETE FROM admin_sessions WHERE created < ?", (now - max_age,))
            conn.execute("INSERT INTO admin_sessions (sid, created) VALUES (?, ?)", (sid, now))
        return sid

    def session_valid(self, sid: object, max_age: float) -> bool:
        """True when `sid` was recorded by a sign-in less than `max_age` seconds ago and not ended."""
        if not isinstance(sid, str) or not sid:
            return False
        row = self._conn().execute("SELECT created FROM admin_sessions WHERE sid = ?", (sid,)).fetchone()
        return row is not None and row[0] >= time.time() - max_age

    def end_session(self, sid: object) -> None:
        """Forget `sid`: a copy of its cookie no longer signs anyone in, in any process."""
        if isinstance(sid, str):
            with self._conn() as conn:
                conn.execute("DELETE FROM admin_sessions WHERE sid = ?", (sid,))

    # -- sliding-window counts -------------------------------------------------------------------------

    def hit(self, bucket: str, client: str, limit: int, window: float) -> bool:
        """Record a hit by `client` unless it already has `limit` within `window` seconds; True if recorded."""
        now = time.time()
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")  # count and insert as one step against the other processes
        try:
            conn.execute("DELETE FROM hits WHERE bucket = ? AND client = ? AND at <= ?", (bucket, client, now - window))
            (count,) = conn.execute("SELECT count(*) FROM hits WHERE bucket = ? AND client = ?",
                                    (bucket, client)).fetchone()
            if count < limit:
                conn.execute("INSERT INTO hits (bucket, client, at) VALUES (?, ?, ?)", (bucket, client, now))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self._calls += 1
        if self._calls % PRUNE_EVERY == 0:
            self._prune(now)
        return count < limit

    def count(self, bucket: str, client: str, window: float) -> int:
        """Hits by `client` within the last `window` seconds (nothing is recorded)."""
        (count,) = self._conn().execute("SELECT count(*) FROM hits WHERE bucket = ? AND client = ? AND at > ?",
                                        (bucket, client, time.time() - window)).fetchone()
        return int(count)

    def _prune(self, now: float) -> None:
        with self._conn() as conn:  # idle clients' rows, so the file stays small
            conn.execute("DELETE FROM hits WHERE at < ?", (now - LONGEST_WINDOW,))


def init_app(app: Flask, home: Path | None) -> None:
    """Open the instance's state store for this app."""
    app.extensions["policygraph_state"] = StateStore(home)


def get() -> StateStore:
    """The state store of the current app."""
    return current_app.extensions["policygraph_state"]
