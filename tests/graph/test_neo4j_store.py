"""The Neo4j adapter.

No Neo4j server can be installed on this machine (not on PyPI, Debian or npm), so the adapter is
checked with driver doubles — mocks standing in for a Neo4j server — that record the Cypher, parameters,
routing or access mode, database and timeout they are sent (their calls are bound against the real
driver's signatures and session options).  The opt-in tests at the bottom run against a real server when
NEO4J_URI is set.
"""

from __future__ import annotations

import inspect
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
from click.testing import CliRunner
from neo4j._conf import SessionConfig  # the driver's own check of session options (unknown keys raise)

from graph.__main__ import cli
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


def _timed_out() -> neo4j.exceptions.ClientError:
    """The error a Neo4j 5 server sends when it stops a transaction at its timeout."""
    return neo4j.exceptions.ClientError._hydrate_neo4j(
        code="Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
        message="The transaction has been terminated. Retry your operation in a new transaction, and you should "
                "see a successful result. The transaction has not completed within the timeout specified at its "
                "start by the client.")


def _bind(real: Any, *args: Any, **kwargs: Any) -> None:
    """Fail as the real driver would when a call does not fit its signature."""
    inspect.signature(real).bind(None, *args, **kwargs)


class ResultDouble:
    """Stands in for neo4j.Result: hands out records one at a time and counts how many were pulled."""

    def __init__(self, keys: list[str], records: Iterator[dict[str, Any]], server: ServerDouble) -> None:
        self._keys, self._records, self.server = keys, records, server

    def keys(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for record in self._records:
            self.server.pulled += 1
            yield record


class TransactionDouble:
    """Stands in for an explicit neo4j.Transaction; records the query text and parameters, and how it ended."""

    def __init__(self, server: ServerDouble) -> None:
        self.server, self.ended = server, ""

    def run(self, query: Any, parameters: dict[str, Any] | None = None, **kw: Any) -> ResultDouble:
        _bind(neo4j.Transaction.run, query, parameters, **kw)
        self.server.runs.append({"text": query, "params": parameters})
        return self.server.answer(query)

    def rollback(self) -> None:
        self.ended = self.ended or "rollback"

    def commit(self) -> None:
        self.ended = self.ended or "commit"

    def __enter__(self) -> TransactionDouble:
        return self

    def __exit__(self, kind: Any, *exc: Any) -> None:
        self.ended = self.ended or ("rollback" if kind else "commit")
        self.server.ended.append(self.ended)


class SessionDouble:
    """Stands in for neo4j.Session: records its access mode and every transaction's timeout."""

    def __init__(self, server: ServerDouble, config: dict[str, Any]) -> None:
        self.server, self.config = server, config

    def begin_transaction(self, *args: Any, **kwargs: Any) -> TransactionDouble:
        _bind(neo4j.Session.begin_transaction, *args, **kwargs)
        timeout = inspect.signature(neo4j.Session.begin_transaction).bind(None, *args, **kwargs).arguments.get(
            "timeout")
        self.server.transactions.append({"access_mode": self.config.get("default_access_mode", neo4j.WRITE_ACCESS),
                                         "timeout": timeout, "database": self.config.get("database"),
                                         "fetch_size": self.config.get("fetch_size")})
        return TransactionDouble(self.server)

    def __enter__(self) -> SessionDouble:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass


class ServerDouble(DriverDouble):
    """A driver double for user queries: sessions and explicit transactions over a stream of records (a mock
    standing in for a Neo4j server, which cannot run here).  `rows` answers every user query;
    `fail_after` raises the server's timeout error after that many records."""

    def __init__(self, rows: list[dict[str, Any]] | None = None, fail_after: int | None = None) -> None:
        super().__init__()
        self.user_rows = rows or []
        self.fail_after = fail_after
        self.transactions: list[dict[str, Any]] = []
        self.runs: list[dict[str, Any]] = []
        self.ended: list[str] = []
        self.pulled = 0

    def session(self, **config: Any) -> SessionDouble:
        SessionConfig(**config)  # an option the real driver does not know raises here
        return SessionDouble(self, config)

    def verify_connectivity(self) -> None:
        pass

    def answer(self, query: str) -> ResultDouble:
        def stream() -> Iterator[dict[str, Any]]:
            for i, row in enumerate(self.user_rows):
                if self.fail_after is not None and i >= self.fail_after:
                    raise _timed_out()
                yield row
            if self.fail_after is not None:
                raise _timed_out()

        keys = list(self.user_rows[0]) if self.user_rows else []
        return ResultDouble(keys, stream(), self)


def test_a_user_query_runs_in_a_read_transaction_with_its_timeout_row_cap_and_byte_cap() -> None:
    """Mock driver (no Neo4j server can run here): what the store sends and how much it reads."""
    server = ServerDouble(rows=[{"i": i, "s": "政策" * 100} for i in range(1, 5001)])
    store = Neo4jStore(server, database="policies")
    result = run_user_query(store, "UNWIND range(1, 5000) AS i RETURN i, $s AS s // 注释", {"s": "x"},
                            timeout_ms=1500, row_cap=10)
    assert server.transactions == [{"access_mode": neo4j.READ_ACCESS, "timeout": 1.5, "database": "policies",
                                     "fetch_size": 11}]
    assert server.runs == [{"text": "UNWIND range(1, 5000) AS i RETURN i, $s AS s // 注释", "params": {"s": "x"}}]
    assert [row[0] for row in result.rows] == list(range(1, 11))
    assert result.truncated and result.truncated_by == "rows" and "行数上限" in result.notice
    assert server.pulled == 11 and server.ended == ["rollback"]  # one row past the cap, then discarded
    assert server.calls == []  # nothing went through execute_query (no READ transaction with a cap there)

    server.pulled = 0
    cut = run_user_query(store, "UNWIND range(1, 5000) AS i RETURN i, 'x' AS s", timeout_ms=1500, row_cap=1000,
                         byte_cap=20_000)
    assert cut.truncated_by == "bytes" and "大小上限" in cut.notice
    assert 0 < len(cut.rows) < 1000 and len(json.dumps(cut.rows, ensure_ascii=False).encode()) <= 20_000
    assert server.pulled == len(cut.rows) + 1  # reading stopped at the first row over the cap


def test_a_user_query_the_server_stops_at_its_timeout_is_a_timeout() -> None:
    """Mock driver standing in for a Neo4j server that terminates the transaction at its timeout."""
    server = ServerDouble(rows=[{"n": 1}, {"n": 2}], fail_after=1)
    with pytest.raises(QueryTimeout):
        run_user_query(Neo4jStore(server), "UNWIND [1, 2] AS n RETURN n", timeout_ms=800)
    assert server.transactions[0]["timeout"] == 0.8 and server.ended == ["rollback"]


def test_user_queries_are_checked_before_the_server_sees_them() -> None:
    """Mock driver: refused Cypher (write, LOAD CSV, a quoted procedure, parser-stalling nesting) never
    reaches it."""
    server = ServerDouble()
    for bad in ("MATCH (n) SET n.x = 1 RETURN n", "LOAD CSV FROM 'https://127.0.0.1:1/x' AS r RETURN r",
                "CALL `dbms.procedures`()", "RETURN " + "NOT " * 24 + "true"):
        with pytest.raises(Exception, match="not allowed|too deeply|in a row"):
            run_user_query(Neo4jStore(server), bad)
    assert server.transactions == [] and server.runs == [] and server.calls == []


def test_the_cli_runs_saved_queries_on_neo4j_in_a_read_transaction(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    """`python -m graph query` with NEO4J_URI set, through the CLI's own entry point; the driver is a mock
    standing in for the Neo4j server."""
    server = ServerDouble(rows=[{"政策": "某政策", "部门": f"部门{i}", "牵头措施数": 10 - i} for i in range(5)])
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda uri, auth=None, **kw: server)
    env = {"POLICYGRAPH_HOME": str(tmp_path), "NEO4J_URI": "neo4j://db.example:7687", "NEO4J_PASSWORD": "x",
           "POLICYGRAPH_QUERY_TIMEOUT_MS": "2500", "POLICYGRAPH_ROW_CAP": "3"}
    out = CliRunner().invoke(cli, ["query", "lead_ranking_per_policy", "--param", "policy=淮北", "--csv"], env=env)
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[:2] == ["政策,部门,牵头措施数", "某政策,部门0,10"]
    assert len(out.stdout.splitlines()) == 4 and "行数上限" in out.stderr
    assert server.transactions == [{"access_mode": neo4j.READ_ACCESS, "timeout": 2.5, "database": "neo4j",
                                     "fetch_size": 4}]
    (run,) = server.runs
    assert "MATCH" in run["text"] and run["params"]["policy"] == "淮北" and server.pulled == 4

    stalled = ServerDouble(rows=[{"n": 1}], fail_after=0)
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda uri, auth=None, **kw: stalled)
    out = CliRunner().invoke(cli, ["query", "lead_ranking_per_policy", "--param", "policy=淮北"], env=env)
    assert out.exit_code == 1 and "查询超时" in out.stderr and "2.5 秒" in out.stderr, out.output
    assert "Traceback" not in out.output


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


REAL = pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="opt-in: set NEO4J_URI to test a real Neo4j 5")


def _real_store() -> Neo4jStore:
    return Neo4jStore.connect(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USERNAME", "neo4j"),
                              os.environ.get("NEO4J_PASSWORD", ""), os.environ.get("NEO4J_DATABASE", "neo4j"))


@REAL
def test_real_neo4j_round_trip() -> None:
    store = _real_store()
    try:
        store.setup_schema()
        store.replace_document(extraction("pol-neo4j-test", "v1", [("中试", [unit("测试局", "测试局")], [])]))
        assert store.document_versions()["pol-neo4j-test"] == "v1"
        store.delete_document("pol-neo4j-test")
    finally:
        store.close()


@REAL
def test_real_neo4j_user_queries_are_read_only_capped_and_time_limited() -> None:
    store = _real_store()
    try:
        capped = run_user_query(store, "UNWIND range(1, 5000) AS i RETURN i", row_cap=10)
        assert capped.truncated_by == "rows" and [r[0] for r in capped.rows] == list(range(1, 11))
        cut = run_user_query(store, "UNWIND range(1, 1000) AS i RETURN i, reduce(s = '', x IN range(1, 100) | "
                                    "s + 'abcdefghij') AS s", byte_cap=20_000)
        assert cut.truncated_by == "bytes" and 0 < len(cut.rows) < 1000
        # The server itself refuses a write in the READ transaction (the check is bypassed here on purpose).
        with pytest.raises(QueryFailed):
            store.read_capped("CREATE (:PolicyGraphReadOnlyProbe) RETURN 1 AS one", None, 5000, 10)
        assert store.read("MATCH (n:PolicyGraphReadOnlyProbe) RETURN count(n) AS n").rows == [[0]]
        started = time.monotonic()
        with pytest.raises(QueryTimeout):  # 10^10 rows: minutes of work, stopped by the server at 1 s
            run_user_query(store, "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN count(*) AS n",
                           timeout_ms=1000)
        assert time.monotonic() - started < 10
        assert run_user_query(store, "RETURN 1 AS one").rows == [[1]]
    finally:
        store.close()
