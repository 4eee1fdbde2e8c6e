"""Task tables (分工表): `| 序号 | 重点任务 | 工作措施 | 完成时限 | 牵头部门 | 配合单位 |` rows → measures.

HTML tables and Markdown tables both reach this module as `| a | b |` lines of match text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from loaders.tags import FIRST_LISTED, LEAD, SUPPORT, Tag, TaggedUnit
from loaders.units import split_units

log = logging.getLogger(__name__)

_ROW = re.compile(r"^\|.*\|[ \t]*$", re.M)
# Column name → what it holds; the first matching pattern wins.
_COLUMNS = (
    ("lead", re.compile(r"牵头(单位|部门)|主办(单位|部门)|主责(单位|部门)")),
    ("support", re.compile(r"(配合|协办|参与|协助)(单位|部门)")),
    ("responsible", re.compile(r"(责任|负责|落实|实施)(单位|部门|主体)")),
    ("deadline", re.compile(r"时限|时间|进度|节点")),
    ("number", re.compile(r"^(序号|编号|序列)$")),
    ("title", re.compile(r"^(重点任务|主要任务|任务名称|工作任务|任务|事项|项目)$")),
    ("text", re.compile(r"措施|内容|任务|举措|要求|目标|事项")),
)


@dataclass
class Cell:
    """One table cell: its text and span in the match text."""

    text: str
    start: int
    end: int


@dataclass
class TableRow:
    """A data row of a task table, with its cells keyed by column role."""

    start: int
    end: int
    cells: dict[str, list[Cell]]


def find_table_rows(text: str) -> list[TableRow]:
    """Data rows of every task table in a match text (tables whose header names a unit column)."""
    rows: list[TableRow] = []
    header: list[str | None] | None = None
    last_end = -2
    for m in _ROW.finditer(text):
        cells = _cells(text, m.start(), m.end())
        if m.start() != last_end + 1:
            header = None  # a new table starts after any non-row line
        last_end = m.end()
        roles = [_role(c.text) for c in cells]
        named = sum(r is not None for r in roles)
        if any(r in ("lead", "responsible", "support") for r in roles) and named >= 2:
            header = roles
            continue
        if header is None or len(cells) != len(header):
            continue
        grouped: dict[str, list[Cell]] = {}
        for role, cell in zip(header, cells, strict=True):
            if role and cell.text:
                grouped.setdefault(role, []).append(cell)
        rows.append(TableRow(m.start(), m.end(), grouped))
    return rows


def row_tag(row: TableRow) -> Tag:
    """The row's unit columns as a Tag (lead column → 牵头, responsible → first listed, support → 配合)."""
    tag = Tag(row.start, row.end, "")
    has_lead = "lead" in row.cells
    for role, cell_role, word in (("lead", LEAD, "牵头单位"), ("responsible", None, "责任单位"),
                                  ("support", SUPPORT, "配合单位")):
        for cell in row.cells.get(role, []):
            unit_role = cell_role or (SUPPORT if has_lead else FIRST_LISTED)
            tag.units += [TaggedUnit(u, word, unit_role, cell.start) for u in split_units(cell.text)]
    if row.cells.get("deadline"):
        tag.deadline_text = row.cells["deadline"][0].text
    return tag


def _cells(text: str, start: int, end: int) -> list[Cell]:
    out, pos = [], start + 1
    line = text[start:end].rstrip()
    for part in line[1:-1].split("|"):
        left = len(part) - len(part.lstrip())
        body = part.strip()
        out.append(Cell(body, pos + left, pos + left + len(body)))
        pos += len(part) + 1
    return out


def _role(name: str) -> str | None:
    name = re.sub(r"\s+", "", name)
    if not name or len(name) > 12:
        return None
    return next((role for role, pattern in _COLUMNS if pattern.search(name)), None)
