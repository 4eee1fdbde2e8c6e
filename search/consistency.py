"""Are the graph and the index holding the same documents at the same versions?"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.store import Store
from search.index import SearchIndex


@dataclass
class Consistency:
    """Differences between the graph's and the index's documents (ids sorted)."""

    only_graph: list[str] = field(default_factory=list)
    only_index: list[str] = field(default_factory=list)
    version_mismatch: list[tuple[str, str, str]] = field(default_factory=list)  # (id, graph, index)

    @property
    def ok(self) -> bool:
        """True when both sides hold the same documents at the same versions."""
        return not (self.only_graph or self.only_index or self.version_mismatch)

    def lines(self) -> list[str]:
        """A human-readable report."""
        out = [f"in the graph, not in the index: {d}" for d in self.only_graph]
        out += [f"in the index, not in the graph: {d}" for d in self.only_index]
        out += [f"version differs: {d} graph {g} index {i}" for d, g, i in self.version_mismatch]
        return out


def compare(graph: dict[str, str], index: dict[str, str]) -> Consistency:
    """Differences between two doc id → version maps."""
    return Consistency(
        only_graph=sorted(set(graph) - set(index)),
        only_index=sorted(set(index) - set(graph)),
        version_mismatch=sorted((d, graph[d], index[d]) for d in set(graph) & set(index) if graph[d] != index[d]),
    )


def check(store: Store, index: SearchIndex) -> Consistency:
    """Compare the loaded documents of the graph with those of the index."""
    return compare(store.document_versions(), index.document_versions())
