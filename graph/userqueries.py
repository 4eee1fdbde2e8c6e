"""User-saved queries kept in the graph database, so every app process and a Neo4j deployment share them.

Each is one `:SavedQuery` node keyed by `name` with title, description, the Cypher text, its parameters
(JSON text), owner and created/updated times (ISO, UTC). Earlier versions kept them as JSON files in
`<home>/queries/`; `migrate_files` copies those into the graph once and renames each file `*.json.migrated`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph import cypher
from graph.saved import Param, SavedQuery
from graph.store import Store

log = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _from_row(row: dict[str, Any]) -> SavedQuery:
    params = [Param(**p) for p in json.loads(row.get("params") or "[]")]
    return SavedQuery(row["name"], row.get("title") or row["name"], row.get("description") or "",
                      row.get("query") or "", params, [], builtin=False, owner=row.get("owner") or "",
                      created=row.get("created") or "", updated=row.get("updated") or "")


class UserQueryStore:
    """Read, save and delete user queries in the graph (writes go through the store's admin path)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def all(self) -> list[SavedQuery]:
        """Every user query, sorted by name."""
        return [_from_row(r) for r in self.store.read(cypher.USER_QUERIES).records()]

    def save(self, q: SavedQuery) -> SavedQuery:
        """Create or replace `q` by name; its created time is kept, its updated time set to now."""
        self.store.write(cypher.SAVE_USER_QUERY, {
            "name": q.name, "title": q.title, "description": q.description, "query": q.query,
            "params": json.dumps([asdict(p) for p in q.params], ensure_ascii=False), "owner": q.owner,
            "now": _now()})
        return next(u for u in self.all() if u.name == q.name)

    def delete(self, name: str) -> bool:
        """Remove a user query; False when there was none of that name."""
        rows = self.store.write(cypher.DELETE_USER_QUERY, {"name": name}).rows
        return bool(rows and rows[0][0])

    def migrate_files(self, folder: Path) -> int:
        """Copy `folder/*.json` (the old file store) into the graph once; returns how many were copied."""
        copied = 0
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.store.write(cypher.ADD_USER_QUERY_IF_NEW, {
                    "name": data["name"], "title": data.get("title") or data["name"],
                    "description": data.get("description") or "", "query": data["query"],
                    "params": json.dumps(data.get("params") or [], ensure_ascii=False),
                    "owner": data.get("owner") or data.get("author") or "",
                    "created": data.get("created") or "", "updated": data.get("updated") or data.get("created") or ""})
                path.replace(path.with_name(path.name + ".migrated"))
                copied += 1
            except FileNotFoundError:  # another process migrated it first
                continue
            except (ValueError, KeyError, TypeError) as e:
                log.warning("user query file %s could not be migrated: %s", path.name, e)
        if copied:
            log.info("migrated %d user queries from %s into the graph", copied, folder)
        return copied
