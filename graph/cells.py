"""Query values as a table cell reads them: one rendering for the web's tables and downloads and the CLI's CSV.

    cell_text(["甲", "乙"])                 # "甲、乙"
    cell_text({"_kind": "node", ...})       # the node's name (or title)
    csv_cell("=1+1")                        # "'=1+1": never a formula in a spreadsheet

Values are those `graph.store.to_plain` returns: scalars, lists, and dicts marked `_kind` node,
relationship or path.  Relationship types are written in Chinese (牵头, 配合 …), never LEADS.
"""

from __future__ import annotations

import json
from typing import Any

# Relationship types as a user reads them.
REL_NAMES = {"LEADS": "牵头", "SUPPORTS": "配合", "CONTAINS": "包含", "ISSUED": "发布", "IMPLEMENTS": "承接",
             "CITES": "引用", "REPORTS_TO": "报送", "PART_OF": "属于", "LOCATED_IN": "位于", "MENTIONS": "提及",
             "OPERATES": "运营"}
_FORMULA_STARTS = ("=", "+", "-", "@")


def cell_text(value: Any) -> str:
    """Plain text for one value: nodes by name, relationships by their Chinese type, paths as chains, lists
    joined with 、 (甲、乙、丙), None as empty; a bare relationship type (type(r) = "LEADS") in Chinese too."""
    if isinstance(value, dict):
        return _dict_text(value)
    if isinstance(value, list | tuple):
        return "、".join(cell_text(v) for v in value)
    if value is None:
        return ""
    text = str(value)
    return REL_NAMES.get(text, text)


def formula_safe(text: str) -> str:
    """A leading =, +, - or @ makes spreadsheets evaluate the cell as a formula: quote it."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: its text, quoted against formulas."""
    return formula_safe(cell_text(value))


def _dict_text(value: dict[str, Any]) -> str:
    kind = value.get("_kind")
    if kind == "node":
        props = value.get("properties") or {}
        return str(props.get("name") or props.get("title") or props.get("text") or value.get("id") or "")
    if kind == "relationship":
        return f"[{REL_NAMES.get(value.get('type') or '', value.get('type'))}]"
    if kind == "path":
        return " → ".join(cell_text(n) for n in value.get("nodes") or [])
    return json.dumps(value, ensure_ascii=False)


__all__ = ["REL_NAMES", "cell_text", "csv_cell", "formula_safe"]
