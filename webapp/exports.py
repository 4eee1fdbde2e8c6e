"""Tables as downloads: CSV (UTF-8 with BOM, so Excel shows Chinese) and Excel .xlsx (openpyxl).

Every cell reads as `graph.cells` writes it (lists with 、, nodes by name, 牵头/配合), as in
`python -m graph query --csv`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from graph.cells import cell_text, csv_cell, formula_safe
from webapp.errors import not_found

FORMATS = ("csv", "xlsx")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot hold (openpyxl refuses them): control characters other than tab and newlines.
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Table:
    """A download: a file name (Chinese is fine), Chinese column headers and rows of plain values."""

    name: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def as_csv(table: Table) -> bytes:
    """The table as CSV, UTF-8 with a byte-order mark."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def as_xlsx(table: Table) -> bytes:
    """The table as one Excel sheet, headers bold; every cell is text (never a formula)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_SHEET_BAD.sub("_", table.name)[:31] or "Sheet1")
    header_font = Font(bold=True)
    headers = []
    for text in table.headers:
        c = WriteOnlyCell(sheet, value=text)
        c.font = header_font
        headers.append(c)
    sheet.append(headers)
    for row in table.rows:
        sheet.append([_xlsx_value(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = _XML_BAD.sub("", cell_text(value))
    return formula_safe(text)  # openpyxl stores a string starting with = as a formula


def respond(table: Table, fmt: str) -> Response:
    """The table as a download in `fmt` (csv or xlsx); an unknown format is a 404."""
    if fmt not in FORMATS:
        raise not_found("该导出格式（可用 csv 或 xlsx）")
    body, mime = (as_csv(table), "text/csv") if fmt == "csv" else (as_xlsx(table), XLSX_MIME)
    return Response(body, mimetype=mime, headers={"Content-Disposition": disposition(f"{table.name}.{fmt}")})


def disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback name and the real (Chinese) name per RFC 6266/5987."""
    ext = filename.rsplit(".", 1)[-1] if "." in filename else ""
    plain = re.fullmatch(r"[A-Za-z0-9._-]+", filename) is not None
    fallback = filename if plain else "policygraph-export" + (f".{ext}" if ext.isascii() and ext.isalnum() else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
