"""The Neo4j adapter.

No Neo4j server can be installed on this machine (not on PyPI, Debian or npm), so the adapter is
checked with a driver double that records the Cypher, parameters, routing, database and timeout it
is sent.  The opt-in test at the bottom runs against a real server when NEO4J_URI is set.
"""

from __future__ import annotations

import os
from typing import Any

import neo4j
import pytest

from graph.errors import BackendUnavailable, QueryFailed, QueryTimeout
from graph.neo4j_store import Neo4jStore
from graph.usercypher import run_user_query
from tests.graph.records_factory import extraction, unit


class DriverDouble:
    """Stands in for neo4j.Driver: records every execute_query call (a Neo4j server cannot run here)."""

    def __init__(self, rows: list[dict[str, Any]] | None = None, error: Exception | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.rows = rows or []
        self.error = error
        self.closed = False

    def execute_query(self, query: Any, parameters_: dict[str, Any] | None = None, routing_: Any = None,
                      database_: str | None = None, **kwargs: Any) -> tuple[list[Any], None, list[str]]:
        self.calls.append({"query": query, "params": parameters_, "routing": routing_, "database": database_})
        if self.error:
            raise self.error
        keys = list(self.rows[0]) if self.rows else []
        return [dict(r) for r in self.rows], None, keys

    def close(self) -> None:
        self.closed = True


def test_reads_use_read_routing_database_and_timeout() -> None:
    driver = DriverDouble(rows=[{"n": 3}])
    store = Neo4jStore(driver, database="policies", default_timeout_ms=4000)
    result = store.read("MATCH (n) RETURN count(n) AS n", {"x": 1}, timeout_ms=1500)
    call = driver.calls[0]
    assert result.columns == ["n"] and result.rows == [[3]]
    assert call["routing"] == neo4j.RoutingControl.READ and call["database"] == "policies"
    assert isinstance(call["query"], neo4j.Query) and call["query"].timeout == 1.5
    assert call["query"].text == "MATCH (n) RETURN count(n) AS n" and call["params"] == {"x": 1}


def test_document_replace_is_one_write_with_unwound_rows() -> None:
    driver = DriverDouble()
    store = Neo4jStore(driver)
    store.replace_document(extraction("pol-a", "v1", [("建设中试基地", [unit("淮北市科学技术局", "市科技局")], [])]))
    # One write; the other calls are read-routed look-ups of placeholders this policy absorbs.
    (call,) = [c for c in driver.calls if c["routing"] == neo4j.RoutingControl.WRITE]
    assert all(c["routing"] == neo4j.RoutingControl.READ and "key_" in c["query"].text
               for c in driver.calls if c is not call)
    text = call["query"].text
    assert text.count("MERGE (p:Policy {id: $doc})") == 1 and "FOREACH (r IN $measures" in text
    assert call["params"]["doc"] == "pol-a" and call["params"]["measures"][0]["text_s"] == "建设中试基地"
    assert "$ent_department" in text and "[r:LEADS {doc: $doc}]" in text


def test_schema_setup_is_idempotent_ddl() -> None:
    driver = DriverDouble()
    Neo4jStore(driver).setup_schema()
    assert driver.calls and all("IF NOT EXISTS" in c["query"].text for c in driver.calls)


def test_user_query_is_checked_before_it_reaches_the_driver() -> None:
    driver = DriverDouble()
    with pytest.raises(Exception, match="not allowed"):
        run_user_query(Neo4jStore(driver), "MATCH (n) DETACH DELETE n")
    assert driver.calls == []


def test_errors_are_translated() -> None:
    timeout = neo4j.exceptions.ClientError._hydrate_neo4j(
        code="Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", message="timed out")
    with pytest.raises(QueryTimeout):
        Neo4jStore(DriverDouble(error=timeout)).read("RETURN 1")
    syntax = neo4j.exceptions.ClientError._hydrate_neo4j(code="Neo.ClientError.Statement.SyntaxError",
                                                         message="Invalid input")
    with pytest.raises(QueryFailed, match="Invalid input"):
        Neo4jStore(DriverDouble(error=syntax)).read("RETRUN 1")
    with pytest.raises(BackendUnavailable, match="NEO4J_URI"):
        Neo4jStore(DriverDouble(error=neo4j.exceptions.ServiceUnavailable("down"))).read("RETURN 1")


def test_unreachable_server_gives_one_line_error_naming_the_variable() -> None:
    with pytest.raises(BackendUnavailable) as info:
        Neo4jStore.connect("neo4j://127.0.0.1:1", "neo4j", "x", "neo4j")
    message = str(info.value)
    assert "NEO4J_URI=neo4j://127.0.0.1:1" in message and "\n" not in message


@pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="opt-in: set NEO4J_URI to test a real Neo4j 5")
def test_real_neo4j_round_trip() -> None:
    store = Neo4jStore.connect(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USERNAME", "neo4j"),
                               os.environ.get("NEO4J_PASSWORD", ""), os.environ.get("NEO4J_DATABASE", "neo4j"))
    try:
        store.setup_schema()
        store.replace_document(extraction("pol-neo4j-test", "v1", [("中试", [unit("测试局", "测试局")], [])]))
        assert store.document_versions()["pol-neo4j-test"] == "v1"
        store.delete_document("pol-neo4j-test")
    finally:
        store.close()
