"""The graph layer: stores (embedded FalkorDB, Neo4j), schema, Cypher, reads and analytics.

Everything that writes or reads the graph goes through a `Store`; all Cypher lives
in this package (plus the saved queries in `queries/`).
"""
