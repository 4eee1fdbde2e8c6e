"""The store interface every other package uses, and its embedded FalkorDB implementation."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from core.errors import DocumentRejected
from core.records import Extraction
from graph import citations, cypher
from graph.errors import GraphError, QueryFailed, QueryTimeout
from graph.payload import build_payload

log = logging.getLogger(__name__)


@dataclass
class QueryResult:
    """Columns and rows of a query, with graph values converted to plain dicts."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


class Store(ABC):
    """What loaders, search and the web app need from a graph backend."""

    @abstractmethod
    def setup_schema(self) -> None:
        """Create indexes and constraints; safe to run at every start."""

    @abstractmethod
    def write(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run one write query (loader only)."""

    @abstractmethod
    def read(self, query: str, params: dict[str, Any] | None = None,
             timeout_ms: int | None = None) -> QueryResult:
        """Run one query read-only (as the reader user / in a READ transaction)."""

    def read_capped(self, query: str, params: dict[str, Any] | None, timeout_ms: int, row_cap: int,
                    byte_cap: int = 0) -> QueryResult:
        """Run a user query read-only; the caller keeps `row_cap` rows and `byte_cap` bytes of them.

        A backend returns at most `row_cap + 1` rows, and stops reading once the rows pass `byte_cap`
        bytes (`row_bytes`), so the caller can tell that a limit cut.  The embedded engines bound rows
        and replies themselves (`RESULTSET_SIZE`, the client output buffer: graph/sandbox.py)."""
        return self.read(query, params, timeout_ms=timeout_ms)

    def close(self) -> None:  # noqa: B027 - optional for backends with nothing to release
        """Release connections."""

    def compact(self, wait: bool = True) -> None:  # noqa: B027 - only the embedded engine keeps a log to rewrite
        """Rewrite the engine's append-only log after a bulk load, so restarts stay fast (`wait`: until done)."""

    @abstractmethod
    def explain(self, query: str, params: dict[str, Any] | None = None) -> list[str]:
        """The engine's plan for a query, without running it."""

    # -- document writes, shared by both backends -----------------------------
    def replace_document(self, ex: Extraction) -> None:
        """Replace everything previously derived from this document, in one atomic query.

        Text is cleaned of what the engine cannot take (NUL and other controls, lone surrogates)
        whatever reader produced it.  A refusal caused by the document (the engine rejects the
        query, or it runs over its time or memory limit) is a DocumentRejected naming the file, so
        the loader can report it and go on; a lost connection stays a GraphError.
        """
        payload = build_payload(ex, citations.resolve(self, ex))
        stubs = citations.placeholders_naming(self, ex)
        query = cypher.replace_document(payload.entity_params, payload.rel_params, absorb=bool(stubs))
        params = {**payload.params, "absorb": stubs} if stubs else payload.params
        try:
            self.write(query, clean_params(params))
        except (QueryFailed, QueryTimeout) as e:
            raise DocumentRejected(
                f"{ex.source}: the graph engine refused the document ({str(e)[:200]}); it was left out of "
                "graph and index: check the file's content and load it again",
                "图数据库拒绝写入这个文件的内容（可能含有异常字符或规模过大），已跳过，"
                "请检查文件内容后重新导入。") from e

    def delete_document(self, doc_id: str) -> None:
        """Remove a document and its measures; shared entities keep other documents' facts."""
        named = self.departments_of(doc_id)
        self.remove_document(doc_id)
        self.finalize(named)

    def remove_document(self, doc_id: str) -> None:
        """Remove a document and its measures (the loader prunes orphans once at its end); other documents'
        citations of it go back to placeholders first."""
        citations.split_off(self, doc_id)
        self.write(cypher.DELETE_DOCUMENT, {"doc": doc_id})

    def set_sources(self, doc_id: str, lists: dict[str, list[str]]) -> None:
        """Replace a policy's list of source files (`sources`, `source_keys`, `source_versions`)."""
        self.write(cypher.SET_SOURCES, {"doc": doc_id, **lists})

    def document_catalogue(self) -> list[dict[str, Any]]:
        """Every loaded policy with its sources, title and size (see loaders.identity)."""
        return self.read(cypher.DOCUMENT_CATALOGUE).records()

    def policy_text(self, doc_id: str) -> str:
        """A policy's display text ("" when it is not loaded)."""
        rows = self.read(cypher.POLICY_TEXT, {"id": doc_id}).rows
        return str(rows[0][0] or "") if rows else ""

    def finalize(self, departments: Collection[str] | None = None) -> int:
        """Remove entities no document speaks of and refresh aliases; idempotent.

        `departments`: refresh only these departments' aliases (the ones a small load touched, before and
        after its writes); None refreshes every department's.
        """
        removed = sum(_scalar(self.write(q)) for q in (cypher.REMOVE_ORPHAN_ENTITIES, cypher.REMOVE_ORPHAN_STUBS))
        ids = sorted(departments if departments is not None else
                     (r[0] for r in self.read(cypher.DEPARTMENT_IDS).rows))
        for at in range(0, len(ids), cypher.ALIAS_BATCH):  # bounded memory per query, whatever the corpus size
            self.write(cypher.REFRESH_ALIASES_OF, {"ids": ids[at:at + cypher.ALIAS_BATCH]})
        return removed

    def departments_of(self, doc_id: str) -> set[str]:
        """Ids of the departments a document's facts name."""
        return {r[0] for r in self.read(cypher.DEPARTMENTS_OF_DOCUMENT, {"doc": doc_id}).rows}

    def document_versions(self) -> dict[str, str]:
        """Loaded document id → content version."""
        return {r["id"]: r["version"] for r in self.read(cypher.DOCUMENT_VERSIONS).records()}

    def counts(self) -> dict[str, int]:
        """Node counts by label and relationship counts by type."""
        out = {r["label"]: r["n"] for r in self.read(cypher.COUNT_LABELS).records()}
        out.update({r["type"]: r["n"] for r in self.read(cypher.COUNT_TYPES).records()})
        return out


    def checksum(self) -> str:
        """A digest of every node and relationship with its properties (order-independent)."""
        nodes = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False, default=str)
                       for r in self.read(cypher.ALL_NODES).records())
        rels = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False, default=str)
                      for r in self.read(cypher.ALL_RELATIONSHIPS).records())
        return hashlib.sha256("\n".join(nodes + ["--"] + rels).encode("utf-8")).hexdigest()


_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_params(value: Any) -> Any:
    """Query parameters with every string cleaned of control characters and lone surrogates."""
    if isinstance(value, str):
        return _UNSAFE.sub("", value) if _UNSAFE.search(value) else value
    if isinstance(value, dict):
        return {k: clean_params(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_params(v) for v in value]
    return value


def _scalar(result: QueryResult) -> int:
    return int(result.rows[0][0]) if result.rows else 0


class FalkorStore(Store):
    """The embedded FalkorDB, reached over its unix socket with the `falkordb` client."""

    def __init__(self, socket_path: str, admin_password: str, reader_password: str,
                 graph_name: str = "policygraph", default_timeout_ms: int = 30_000,
                 reader_socket_timeout: float | None = None) -> None:
        from falkordb import FalkorDB

        self._socket_path, self._admin_password = socket_path, admin_password
        with _translated():  # the client connects at once: a dead engine is a GraphError, not a traceback
            self._admin_db = FalkorDB(unix_socket_path=socket_path, username="admin", password=admin_password)
            self._reader_db = FalkorDB(unix_socket_path=socket_path, username="reader", password=reader_password,
                                       **_no_retry(reader_socket_timeout))
        self._admin = self._admin_db.select_graph(graph_name)
        self._reader = self._reader_db.select_graph(graph_name)
        self.default_timeout_ms = default_timeout_ms

    def setup_schema(self) -> None:
        existing = self._existing_indexes()
        for query in cypher.FALKOR_INDEXES:
            if query not in existing:
                self.write(query)
        self._unique_ids()

    def _existing_indexes(self) -> set[str]:
        try:
            rows = self._reader.ro_query(cypher.FALKOR_LIST_INDEXES).result_set
        except Exception:  # a graph that does not exist yet has no indexes
            return set()
        have = set()
        for row in rows:
            label, props, relationship = row[0], row[1], "RELATIONSHIP" in row
            have |= {cypher.falkor_index(label, p, relationship) for p in props}
        return have

    def _unique_ids(self) -> None:
        for label in cypher.NODE_LABELS:
            try:
                self._admin.execute_command(
                    "GRAPH.CONSTRAINT", "CREATE", self._admin.name, "UNIQUE", "NODE", label,
                    "PROPERTIES", "1", "id")
            except Exception as e:  # already there: the command has no IF NOT EXISTS
                if "already" not in str(e).lower():
                    raise GraphError(f"could not create the unique constraint on {label}.id: {e}") from e

    def write(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        with _translated():
            result = self._admin.query(query, params or {}, timeout=self.default_timeout_ms)
        return _convert(result)

    def read(self, query: str, params: dict[str, Any] | None = None,
             timeout_ms: int | None = None) -> QueryResult:
        with _translated():
            result = self._reader.ro_query(query, params or {}, timeout=timeout_ms or self.default_timeout_ms)
        return _convert(result)

    def explain(self, query: str, params: dict[str, Any] | None = None) -> list[str]:
        """The engine's plan for a query, without running it."""
        with _translated():
            plan = self._reader.explain(query, params or {})
        return [str(line) for line in getattr(plan, "plan", plan)]

    def raw_admin(self) -> Any:
        """A plain redis client (bytes replies) logged in as the admin user: DUMP/RESTORE of the graph key."""
        import redis

        return redis.Redis(unix_socket_path=self._socket_path, username="admin", password=self._admin_password)

    def dump_graph(self) -> bytes | None:
        """The whole graph in Redis DUMP format, indexes included (None when it does not exist yet)."""
        client = self.raw_admin()
        try:
            with _translated():
                return client.dump(self._admin.name)
        finally:
            client.close()

    def compact(self, wait: bool = True, wait_s: float = 300.0) -> None:
        """Rewrite the append-only log, and wait for it when the engine may stop soon after (a stop during the
        rewrite would lose its benefit); an engine that outlives the load (the app's) finishes it alone."""
        import time

        import redis

        conn = self._admin_db.connection
        try:
            conn.execute_command("BGREWRITEAOF")
        except redis.ResponseError as e:  # one already running is as good as ours
            log.info("append-only rewrite not started: %s", e)
        if not wait:
            return
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            stats = conn.info("persistence")
            if not stats.get("aof_rewrite_in_progress") and not stats.get("aof_rewrite_scheduled"):
                return
            time.sleep(0.05)
        log.warning("append-only rewrite still running after %.0fs", wait_s)

    def close(self) -> None:
        for db in (self._admin_db, self._reader_db):
            try:
                db.connection.close()
            except Exception:  # closing a dead connection is not an error worth reporting
                log.debug("closing a FalkorDB connection failed", exc_info=True)


def row_bytes(row: list[Any]) -> int:
    """A result row's size as the app sends it (JSON, UTF-8, one separator)."""
    return len(json.dumps(row, ensure_ascii=False, default=str).encode("utf-8")) + 1


def _no_retry(socket_timeout: float | None) -> dict[str, Any]:
    """Client options for a socket time limit: a timed-out query must never be sent again (redis-py
    retries a timed-out command ten times by default, which would re-run a query that stalls)."""
    if socket_timeout is None:
        return {}
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {"socket_timeout": socket_timeout, "retry": Retry(NoBackoff(), 0)}


@contextmanager
def _translated() -> Iterator[None]:
    import redis

    try:
        yield
    except redis.ResponseError as e:
        message = str(e)
        if "timed out" in message.lower():
            raise QueryTimeout("the query ran over its time limit and was stopped") from e
        raise QueryFailed(message) from e
    except redis.RedisError as e:
        raise GraphError(f"the graph engine could not be reached: {e}") from e
    except UnicodeDecodeError as e:  # FalkorDB's substring() can split a UTF-8 sequence
        raise QueryFailed("the engine returned text that is not valid UTF-8 (FalkorDB's substring() cuts "
                          "Chinese text inside a character); use left()/size() in Python or avoid substring()") from e


def _convert(result: Any) -> QueryResult:
    columns = [h[1] if isinstance(h, list | tuple) else str(h) for h in (result.header or [])]
    rows = [[to_plain(v) for v in row] for row in (result.result_set or [])]
    return QueryResult(columns, rows)


_SCALARS = (str, int, float, bool, type(None))


def to_plain(value: Any) -> Any:
    """Convert FalkorDB nodes, edges and paths into plain dicts carrying our own `id`."""
    if isinstance(value, _SCALARS):  # most values: return before anything else is looked at
        return value
    from falkordb import Edge, Node, Path

    if isinstance(value, Node):
        # `ref` is the engine's own id, valid within one result: it ties relationships to their end nodes.
        return {"_kind": "node", "id": value.properties.get("id"), "labels": list(value.labels),
                "properties": dict(value.properties), "ref": value.id}
    if isinstance(value, Edge):
        return {"_kind": "relationship", "type": value.relation, "properties": dict(value.properties),
                "start": _edge_end(value.src_node), "end": _edge_end(value.dest_node),
                "start_ref": _edge_ref(value.src_node), "end_ref": _edge_ref(value.dest_node)}
    if isinstance(value, Path):
        return {"_kind": "path", "nodes": [to_plain(n) for n in value.nodes()],
                "relationships": [to_plain(e) for e in value.edges()]}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


def _edge_ref(node: Any) -> Any:
    return node.id if hasattr(node, "properties") else node


def _edge_end(node: Any) -> Any:
    # The client gives an internal node id here; our own id is only known for full nodes.
    return node.properties.get("id") if hasattr(node, "properties") else node
