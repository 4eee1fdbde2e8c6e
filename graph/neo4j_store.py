"""Neo4j 5 through the official `neo4j` driver (selected by NEO4J_URI)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from graph import cypher
from graph.errors import BackendUnavailable, GraphError, QueryFailed, QueryTimeout
from graph.store import QueryResult, Store, row_bytes

log = logging.getLogger(__name__)


class Neo4jStore(Store):
    """A Store over an injected neo4j Driver; reads are routed to READ in read transactions."""

    def __init__(self, driver: Any, database: str = "neo4j", default_timeout_ms: int = 30_000) -> None:
        self.driver = driver
        self.database = database
        self.default_timeout_ms = default_timeout_ms

    @classmethod
    def connect(cls, uri: str, username: str, password: str, database: str) -> Neo4jStore:
        """Open a driver and check connectivity; a one-line error naming NEO4J_URI otherwise."""
        import neo4j

        try:
            driver = neo4j.GraphDatabase.driver(uri, auth=(username, password))
            driver.verify_connectivity()
        except Exception as e:  # the driver raises many kinds; all mean "cannot use this server"
            raise BackendUnavailable(f"cannot use Neo4j at NEO4J_URI={uri}: {type(e).__name__}: {e}") from e
        return cls(driver, database)

    def setup_schema(self) -> None:
        for query in cypher.NEO4J_SCHEMA:
            self.write(query)

    def write(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        import neo4j

        return self._run(query, params, neo4j.RoutingControl.WRITE, self.default_timeout_ms)

    def read(self, query: str, params: dict[str, Any] | None = None,
             timeout_ms: int | None = None) -> QueryResult:
        import neo4j

        return self._run(query, params, neo4j.RoutingControl.READ, timeout_ms or self.default_timeout_ms)

    def read_capped(self, query: str, params: dict[str, Any] | None, timeout_ms: int, row_cap: int,
                    byte_cap: int = 0) -> QueryResult:
        """A user query in one READ transaction with a server-side timeout, read as a stream: at most
        `row_cap + 1` rows, and no further row once they pass `byte_cap` bytes; the rest is discarded
        on the server (the driver fetches `fetch_size` records at a time) and the transaction rolled back.

        An explicit transaction rather than `execute_read`: a managed transaction is retried for up to
        30 s after a transient failure, and a user query must run once, within its limit."""
        import neo4j

        fetch = max(1, min(row_cap + 1, 1000))
        with _translated():
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS,
                                     fetch_size=fetch) as session:
                with session.begin_transaction(timeout=timeout_ms / 1000) as tx:
                    result = tx.run(query, params or {})
                    keys: list[str] = list(result.keys())
                    rows: list[list[Any]] = []
                    size = 0
                    for record in result:
                        row = [to_plain(record[k]) for k in keys]
                        rows.append(row)
                        size += row_bytes(row) if byte_cap else 0
                        if len(rows) > row_cap or (byte_cap and size > byte_cap):
                            break
                    tx.rollback()  # a read has nothing to commit; this also discards what was not read
        return QueryResult(keys, rows)

    def _run(self, query: str, params: dict[str, Any] | None, routing: Any, timeout_ms: int) -> QueryResult:
        import neo4j

        with _translated():
            records, _summary, keys = self.driver.execute_query(
                neo4j.Query(query, timeout=timeout_ms / 1000), parameters_=params or {},
                routing_=routing, database_=self.database,
            )
        return QueryResult(list(keys), [[to_plain(record[k]) for k in keys] for record in records])

    def explain(self, query: str, params: dict[str, Any] | None = None) -> list[str]:
        import neo4j

        with _translated():
            _records, summary, _keys = self.driver.execute_query(
                neo4j.Query("EXPLAIN " + query, timeout=self.default_timeout_ms / 1000),
                parameters_=params or {}, routing_=neo4j.RoutingControl.READ, database_=self.database)
        return _plan_lines(getattr(summary, "plan", None) or {})

    def close(self) -> None:
        self.driver.close()


@contextmanager
def _translated() -> Iterator[None]:
    """The driver's errors as the graph package's: a timeout, a refused query, an unreachable server."""
    import neo4j

    try:
        yield
    except neo4j.exceptions.ClientError as e:
        # Neo.ClientError.Transaction.TransactionTimedOut(ClientConfiguration); a transaction stopped while
        # its records stream may also say Transaction.Terminated (the driver makes that a ClientError)
        code = e.code or ""
        if "TimedOut" in code or "Timeout" in code or code.endswith("Transaction.Terminated"):
            raise QueryTimeout("the query ran over its time limit and was stopped") from e
        raise QueryFailed(e.message or str(e)) from e
    except neo4j.exceptions.Neo4jError as e:
        raise GraphError(f"Neo4j error: {e}") from e
    except neo4j.exceptions.DriverError as e:
        raise BackendUnavailable(f"Neo4j at NEO4J_URI could not be reached: {e}") from e


def _plan_lines(plan: dict[str, Any], depth: int = 0) -> list[str]:
    lines = ["    " * depth + str(plan.get("operatorType", "?"))]
    for child in plan.get("children", []):
        lines += _plan_lines(child, depth + 1)
    return lines


def to_plain(value: Any) -> Any:
    """Convert driver nodes, relationships and paths into the same dicts as the FalkorDB store."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        props = dict(value)
        return {"_kind": "node", "id": props.get("id"), "labels": sorted(value.labels), "properties": props,
                "ref": value.element_id}
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return {"_kind": "relationship", "type": value.type, "properties": dict(value),
                "start": start.get("id") if start else None, "end": end.get("id") if end else None,
                "start_ref": start.element_id if start else None, "end_ref": end.element_id if end else None}
    if isinstance(value, Path):
        return {"_kind": "path", "nodes": [to_plain(n) for n in value.nodes],
                "relationships": [to_plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value
