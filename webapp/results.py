"""Query results for display and export: JSON body, CSV text and short cell labels."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from graph.usercypher import UserQueryResult

# Relationship types as a user reads them (CSV cells, tables).
REL_NAMES = {"LEADS": "牵头", "SUPPORTS": "配合", "CONTAINS": "包含", "ISSUED": "发布", "IMPLEMENTS": "承接",
             "CITES": "引用", "REPORTS_TO": "报送", "PART_OF": "属于", "LOCATED_IN": "位于", "MENTIONS": "提及",
             "OPERATES": "运营"}


def as_json(result: UserQueryResult, **extra: Any) -> dict[str, Any]:
    """The JSON body of a query run."""
    return {**extra, "columns": result.columns, "rows": result.rows, "truncated": result.truncated,
            "truncated_by": result.truncated_by, "truncated_notice": result.notice,
            "row_cap": result.row_cap, "byte_cap": result.byte_cap, "row_count": len(result.rows)}


def cell_text(value: Any) -> str:
    """A plain-text rendering of one cell (nodes by name, relationships by type, paths as chains)."""
    if isinstance(value, dict) and value.get("_kind") == "node":
        props = value.get("properties") or {}
        return str(props.get("name") or props.get("title") or props.get("text") or value.get("id") or "")
    if isinstance(value, dict) and value.get("_kind") == "relationship":
        return f"[{REL_NAMES.get(value.get('type') or '', value.get('type'))}]"
    if isinstance(value, dict) and value.get("_kind") == "path":
        return " → ".join(cell_text(n) for n in value.get("nodes") or [])
    if isinstance(value, list):  # a list reads as Chinese prose: 甲、乙、丙
        return "、".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def as_csv(result: UserQueryResult) -> str:
    """CSV with a header row (UTF-8 with BOM so spreadsheet programs show Chinese correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_csv_safe(cell_text(v)) for v in row])
    return "\ufeff" + buf.getvalue()


def _csv_safe(text: str) -> str:
    # A leading =, +, - or @ makes spreadsheets evaluate the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
