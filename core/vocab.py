"""Graph vocabulary: node labels, relation types and the id prefix of each label.

Labels and relation types never come from user input: anything written to the graph uses one of these
(graph.cypher's builders check them), and every id says its label in its prefix (core.ids).
"""

from __future__ import annotations

NODE_LABELS = ("Policy", "Measure", "Department", "Programme", "Platform", "Region")
ENTITY_LABELS = ("Department", "Programme", "Platform", "Region")
# Types an Entity record may have: the entity labels, and Policy for a cited policy.
ENTITY_TYPES = (*ENTITY_LABELS, "Policy")
RELATION_TYPES = (
    "ISSUED", "CONTAINS", "LEADS", "SUPPORTS", "IMPLEMENTS", "CITES", "REPORTS_TO",
    "PART_OF", "LOCATED_IN", "MENTIONS", "OPERATES",
)
ID_PREFIXES = {
    "Policy": "pol",
    "Measure": "mea",
    "Department": "dep",
    "Programme": "prg",
    "Platform": "plt",
    "Region": "reg",
}
_LABEL_OF_PREFIX = {prefix: label for label, prefix in ID_PREFIXES.items()}


def label_of(node_id: str) -> str | None:
    """The node label encoded in an id's prefix (`dep-…` → Department), None for an unknown prefix."""
    return _LABEL_OF_PREFIX.get(node_id.split("-", 1)[0])
