"""Query results for display and export: JSON body and CSV text (cells read as `graph.cells` writes them)."""

from __future__ import annotations

import csv
import io
from typing import Any

from graph.cells import cell_text, csv_cell
from graph.usercypher import UserQueryResult


def as_json(result: UserQueryResult, **extra: Any) -> dict[str, Any]:
    """The JSON body of a query run."""
    return {**extra, "columns": result.columns, "rows": result.rows, "truncated": result.truncated,
            "truncated_by": result.truncated_by, "truncated_notice": result.notice,
            "row_cap": result.row_cap, "byte_cap": result.byte_cap, "row_count": len(result.rows)}


def as_csv(result: UserQueryResult) -> str:
    """CSV with a header row (UTF-8 with BOM so spreadsheet programs show Chinese correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([csv_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()


__all__ = ["as_csv", "as_json", "cell_text"]
