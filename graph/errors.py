"""The graph package's exceptions: one root, specific children."""


class GraphError(Exception):
    """Root of every error raised by the graph layer."""


class EngineError(GraphError):
    """The embedded engine could not be started, reached or stopped."""


class EngineBusy(EngineError):
    """Another PolicyGraph process already owns the data directory."""


class BackendUnavailable(GraphError):
    """A configured graph backend (e.g. Neo4j at NEO4J_URI) cannot be used."""


class QueryRefused(GraphError):
    """A user query was refused before it ran (writes, LOAD CSV, several statements …)."""

    # Where in the query, 1-based, when the refusal points at a place (set by graph.cypherlex.refuse).
    line: int | None = None
    column: int | None = None


class QuerySyntaxError(QueryRefused):
    """A user query was refused because it is not well-formed (a bracket or quote left open …)."""


class QueryTimeout(GraphError):
    """A query ran over its time limit and was stopped."""


class QueryFailed(GraphError):
    """The engine rejected a query (syntax error, unknown function …)."""
