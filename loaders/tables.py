"""Task tables (分工表): `| 序号 | 重点任务 | 工作措施 | 完成时限 | 牵头部门 | 配合单位 |` rows → measures.

HTML tables and Markdown tables both reach this module as `| a | b |` lines of match text. Tables copied out
of a web page or a word processor as plain text arrive as one cell per line or per blank-line-separated
block (`序号` / `任务名称` / `牵头部门` …, then `1` / `…` / `区科委` …): those are read too (block tables).
Rows whose cells do not line up with the header — merged cells (rowspan), cells wrapped over several
blocks, empty cells that vanished — are aligned to the columns by what each cell holds (units, a date,
text), not by position alone.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from loaders.grammar import DATE_CLAUSE, parse_assignment
from loaders.tags import FIRST_LISTED, LEAD, SUPPORT, Tag, TaggedUnit
from loaders.unitlex import NAME_END, is_unit_list
from loaders.units import split_units

log = logging.getLogger(__name__)

_ROW = re.compile(r"^\|.*\|[ \t]*$", re.M)
# Column name → what it holds; the first matching pattern wins.
# A unit column's name is a role word and a body word, perhaps with the work between them (负责考核部门,
# 牵头推进单位, 配合落实部门): the name says who, whatever the task word in it.
_BODY_WORD = r"(单位|部门|主体|处室|科室|机构)"
_COLUMNS = (
    ("lead", re.compile(rf"(牵头|主办|主责)[\u4e00-\u9fff]{{0,4}}?{_BODY_WORD}")),
    ("support", re.compile(rf"(配合|协办|参与|协助)[\u4e00-\u9fff]{{0,4}}?{_BODY_WORD}")),
    ("responsible", re.compile(r"(责任|负责|落实|实施|推进|承办|承担|主管|完成|指导|督导|主导|执行|组织)"
                               rf"[\u4e00-\u9fff]{{0,4}}?{_BODY_WORD}|"
                               r"^(责任|负责)(单位|部门)?$")),
    ("deadline", re.compile(r"时限|时间|进度|节点|期限")),
    ("number", re.compile(r"^(序号|编号|序列|序)$")),
    ("title", re.compile(r"^(重点任务|主要任务|任务名称|工作任务|任务|事项|项目|改革事项|任务分类)$")),
    ("text", re.compile(r"措施|内容|任务|举措|要求|目标|事项")),
)
# Divisions inside one of the units (`市卫健委内牵头处室` / `局内配合科室`): who does the work inside that unit,
# not another unit of the assignment.
_INTERNAL = re.compile(r"内(?:设)?[\u4e00-\u9fff]{0,4}?(?:处室|科室|处|科)$")
# Other column names a header may hold (`参考文件`, `政策依据`, `备注` …): read as unknown columns.
_OTHER_COLUMN = re.compile(r"类型|类别|名称|依据|备注|领域|指标|分类|板块|方向|专项|载体|项目|文件|标准|说明|成果|形式|"
                           r"备注|阶段|环节|重点|工作")


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


_UNIT_COLUMNS = ("lead", "responsible", "support")
_SECTION_NUMBER = re.compile(r"^[一二三四五六七八九十]+[、.]?$")


def find_table_rows(text: str) -> list[TableRow]:
    """Data rows of every task table in a match text (tables whose header names a unit column)."""
    rows: list[TableRow] = []
    header: list[str | None] | None = None
    spare: list[int] = []  # columns of a header that names no text column and leaves them unnamed
    table: list[tuple[TableRow, list[Cell] | None]] = []
    last_end = -2
    previous: TableRow | None = None
    for m, cells in _row_lines(text):
        if m.start() != last_end + 1:
            rows += _work_by_content(table, spare)
            header, previous, table = None, None, []  # a new table starts after any non-row line
        last_end = m.end()
        roles = [role_of_column(c.text) for c in cells]
        if _is_header(roles):
            if header is not None and previous is None and len(roles) == len(header):
                # A second header row under the first: `责任单位` above `牵头 | 配合`.
                header = [sub or top for top, sub in zip(header, roles, strict=True)]
            else:
                rows += _work_by_content(table, spare)
                table = []
                named = [r if r is not None or not _OTHER_COLUMN.search(c.text) else "other"
                         for r, c in zip(roles, cells, strict=True)]
                header = [None if r == "other" else r for r in _with_task_column(named)]
                spare = [] if "text" in named or "title" in named else \
                    [j for j, r in enumerate(header) if r is None and named[j] == "other"]
            continue
        if header is None or not any(c.text for c in cells):
            continue
        if sum(1 for c in cells if c.text) == 1 and len(header) > 2:
            previous = None  # a section row spanning the table (`| 二、科技成果转化激励方面 |`): no data
            continue
        if len(cells) == len(header):
            grouped = _group(list(zip(header, cells, strict=True)))
        else:
            grouped = _group(align([c for c in cells if c.text], header))
        if previous is not None and not any(r in grouped for r in ("lead", "responsible")) \
                and not _SECTION_NUMBER.match(grouped.get("number", [Cell("", 0, 0)])[0].text):
            # An empty lead cell under a merged (rowspan) one: the unit above carries on (not into a row
            # numbered 二、 under rows numbered 1, 2 …: that one opens the next group).
            for role in ("lead", "responsible"):
                if role in previous.cells and ("text" in grouped or "title" in grouped):
                    grouped[role] = previous.cells[role]
        row = TableRow(m.start(), m.end(), grouped)
        table.append((row, cells if len(cells) == len(header) else None))
        previous = row
    rows += _work_by_content(table, spare)
    rows += implicit_rows(text, [(r.start, r.end) for r in rows])
    return rows + find_block_rows(text, [(r.start, r.end) for r in rows])


def _work_by_content(table: list[tuple[TableRow, list[Cell] | None]], spare: list[int]) -> list[TableRow]:
    """A table's rows, with the work read from the column that holds it when the header does not say which:
    `| 序号 | 考核项目 | 分值 | 考核指标 | 负责考核部门 |` names no task column, so the first named one (考核项目)
    was taken as the title; when another named column holds far more text (考核指标), that is the work."""
    rows = [row for row, _ in table]
    if not spare or not rows:
        return rows
    full = [(row, cells) for row, cells in table if cells is not None]
    title = sum(len(c.text) for row in rows for c in row.cells.get("title", []))
    total, best = max((sum(len(cells[j].text) for _, cells in full), j) for j in spare)
    if total <= 1.5 * title:
        return rows
    for row, cells in full:
        if cells[best].text:
            row.cells["text"] = [cells[best]]
    return rows


# --- tables whose header names no unit column ----------------------------------------------------------

_IMPLICIT_MIN_UNITS = 3  # distinct unit names a column must hold
_IMPLICIT_SHARE = 0.4  # of the column's non-empty cells
_IMPLICIT_TEXT = 15  # characters: the average length of a column that holds the work


def implicit_rows(text: str, taken: list[tuple[int, int]]) -> list[TableRow]:
    """Rows of tables whose header names no unit column but one column holds unit names row after row
    (an assessment table: `| 序号 | 考核项目 | 考核项目 | 分值 | 考核内容 | 评分标准 |`, the second 考核项目
    column naming the department assessed): that column says who, the column with the most text says what.

    A column counts when at least three different cells are unit lists and they make up a good share of its
    non-empty cells; a table whose cells are mostly names (a list of members) has no text column and is left
    alone, and so is any table the header-based reader took.
    """
    out: list[TableRow] = []
    for block in _row_blocks(text):
        if any(a <= block[0][0].start() < b or a <= block[-1][0].start() < b for a, b in taken):
            continue
        width = max({len(c) for _, c in block}, key=lambda w: sum(len(c) == w for _, c in block))
        rows = [(m, cells) for m, cells in block if len(cells) == width]
        if len(rows) < _IMPLICIT_MIN_UNITS:
            continue
        unit_col, text_col = _implicit_columns([cells for _, cells in rows], width)
        if unit_col is None or text_col is None:
            continue
        for m, cells in rows:
            unit, work = cells[unit_col], cells[text_col]
            if not work.text or not _unit_cell(unit.text) or _header_role(unit.text)[0]:
                continue
            out.append(TableRow(m.start(), m.end(), {"responsible": [unit], "text": [work]}))
    return out


def _row_blocks(text: str) -> list[list[tuple[re.Match[str], list[Cell]]]]:
    """`| a | b |` lines grouped into tables: consecutive lines, one group per run."""
    blocks: list[list[tuple[re.Match[str], list[Cell]]]] = []
    last_end = -2
    for m, cells in _row_lines(text):
        if m.start() != last_end + 1 or not blocks:
            blocks.append([])
        blocks[-1].append((m, cells))
        last_end = m.end()
    return blocks


def _implicit_columns(rows: list[list[Cell]], width: int) -> tuple[int | None, int | None]:
    """(the column of unit names, the column of the work) of a table without a unit header, or Nones."""
    best: tuple[int, int] | None = None  # (distinct units, column)
    for j in range(width):
        values = [cells[j].text for cells in rows if cells[j].text]
        units = {v for v in values if _unit_cell(v) and not _header_role(v)[0]}
        if len(units) >= _IMPLICIT_MIN_UNITS and sum(v in units for v in values) >= _IMPLICIT_SHARE * len(values) \
                and (best is None or len(units) > best[0]):
            best = (len(units), j)
    if best is None:
        return None, None
    lengths = [(sum(len(cells[j].text) for cells in rows), j) for j in range(width) if j != best[1]]
    total, text_col = max(lengths, default=(0, -1))
    if text_col < 0 or total < _IMPLICIT_TEXT * len(rows):
        return best[1], None
    return best[1], text_col


def _is_header(roles: list[str | None]) -> bool:
    named = sum(r is not None for r in roles)
    return any(r in _UNIT_COLUMNS for r in roles) and named >= 2


def _group(pairs: list[tuple[str | None, Cell]]) -> dict[str, list[Cell]]:
    grouped: dict[str, list[Cell]] = {}
    for role, cell in pairs:
        if role and cell.text and not (role in _UNIT_COLUMNS and _EMPTY.match(cell.text)):
            grouped.setdefault(role, []).append(cell)
    return grouped


# --- aligning cells to columns by content -----------------------------------------------------------

_EMPTY = re.compile(r"^[\s/—\-无]*$")
_DATE = re.compile(r"\d{4}\s*年|\d{4}[-./]\d|年底|年内|长期|持续|常态|每年|每季|每月|按期|适时|季度|半年|月底|月前")
_SKIP, _DROP, _MERGE = -0.3, -1.0, -0.5
_BARE_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-z()]{2,12}$")


def _bare_name(text: str) -> bool:
    """A short cell of letters only that is no column name (a header row repeated, or the next table's)."""
    return bool(_BARE_NAME.match(text)) and not _header_role(text)[0]


def _fit(role: str | None, text: str) -> float:
    """How well a cell's content suits a column (positive: suits it)."""
    unit_list = _is_units(text)
    if role in _UNIT_COLUMNS:
        if _EMPTY.match(text):
            return 0.5
        return 3.0 if unit_list else -4.0
    if role == "deadline":
        return 2.0 if _DATE.search(text) or DATE_CLAUSE.search(text) else -3.0
    if role == "number":
        return 2.0 if text.strip().rstrip(".、").isdigit() else -3.0
    if role in ("title", "text"):
        return -3.0 if unit_list else 1.0 + (role == "text" and len(text) > 30)
    return -1.0 if unit_list else 0.0


def align(cells: list[Cell], columns: list[str | None]) -> list[tuple[str | None, Cell]]:
    """Assign cells, in order, to columns, in order: columns may be skipped (merged or empty cells), a text
    column may take several consecutive cells (wrapped text), so may a supporting or responsible column when
    each cell is a unit list, and trailing cells may be left over (a group label of the next rows). Picks the
    assignment whose cells best suit their columns."""
    n, k = len(cells), len(columns)
    neg = float("-inf")
    # f[i][j]: best score with the first i cells placed in the first j columns;
    # g[i][j]: the same, with cell i-1 placed in column j-1 exactly.
    f = [[neg] * (k + 1) for _ in range(n + 1)]
    g = [[neg] * (k + 1) for _ in range(n + 1)]
    back: dict[tuple[str, int, int], tuple[str, int, int]] = {}
    f[0][0] = 0.0
    for j in range(1, k + 1):
        f[0][j] = f[0][j - 1] + _SKIP - 0.01 * j
        back[("f", 0, j)] = ("f", 0, j - 1)
    for i in range(1, n + 1):
        for j in range(1, k + 1):
            fit = _fit(columns[j - 1], cells[i - 1].text)
            new, merged = f[i - 1][j - 1] + fit, neg
            if columns[j - 1] in ("title", "text", None):
                merged = g[i - 1][j] + min(fit, 0.0) + _MERGE  # wrapping costs; it never earns
            elif columns[j - 1] in ("support", "responsible") and (fit > 1.0 or _bare_name(cells[i - 1].text)):
                # a unit cell exported one name per block (上港集团 / 市道路运输局 / 上海海关 …): one cell; a short
                # name the recogniser does not know (中远海运 / 试点堆场) may go on a list begun by a known unit
                merged = g[i - 1][j] + (1.0 if fit > 1.0 else 0.3)
            g[i][j] = max(new, merged)
            back[("g", i, j)] = ("f", i - 1, j - 1) if new >= merged else ("g", i - 1, j)
            skip = f[i][j - 1] + _SKIP - 0.01 * j
            f[i][j] = max(g[i][j], skip)
            back[("f", i, j)] = ("g", i, j) if g[i][j] >= skip else ("f", i, j - 1)
    best_i = max(range(n + 1), key=lambda i: f[i][k] + _DROP * (n - i))
    placed: list[tuple[str | None, Cell]] = []
    state = ("f", best_i, k)
    while state in back:
        prev = back[state]
        if state[0] == "g":
            placed.append((columns[state[2] - 1], cells[state[1] - 1]))
        state = prev
    return placed[::-1]


# --- block tables: one cell per line or per blank-line-separated block ---------------------------------

@dataclass
class _Line:
    start: int
    end: int
    text: str
    gap: bool  # a blank line before it


_LINE = re.compile(r"[^\n]+")
_ANCHOR = re.compile(r"^(\d{1,3})[.、]?$")
_MAX_HEADER = 12


def _lines(text: str) -> list[_Line]:
    out, last_end = [], 0
    for m in _LINE.finditer(text):
        body = m.group().strip()
        if not body:
            continue
        lead = len(m.group()) - len(m.group().lstrip())
        gap = text.count("\n", last_end, m.start()) > 1
        out.append(_Line(m.start() + lead, m.start() + lead + len(body), body, gap))
        last_end = m.end()
    return out


def _header_role(text: str) -> tuple[bool, str | None]:
    name = re.sub(r"\s+", "", text)
    if not name or len(name) > _MAX_HEADER or "|" in name:
        return False, None
    role = role_of_column(name)
    return role is not None or bool(_OTHER_COLUMN.search(name)) and len(name) <= 8, role


def _with_task_column(roles: list[str | None]) -> list[str | None]:
    """A unit table with no task column (`序号 | 创建领域 | 责任单位`): its first other named column (None in block
    headers, "other" in pipe headers) after the number says what each row's work is."""
    if any(r in ("text", "title") for r in roles):
        return roles
    start = roles.index("number") + 1 if "number" in roles else 0
    for k in range(start, len(roles)):
        if roles[k] in (None, "other"):
            return roles[:k] + ["title"] + roles[k + 1:]
    return roles


def find_block_rows(text: str, taken: list[tuple[int, int]]) -> list[TableRow]:
    """Rows of tables written one cell per line or per blank-line-separated block, anchored on `序号`."""
    lines = _lines(text)
    rows: list[TableRow] = []
    i = 0
    while i < len(lines):
        j = i
        roles: list[str | None] = []
        while j < len(lines) and (hr := _header_role(lines[j].text))[0]:
            roles.append(hr[1])
            j += 1
        if len(roles) < 3 or not _is_header(roles) or any(a <= lines[i].start < b for a, b in taken) \
                or "number" not in roles and not {"text", "title"} & set(roles):
            i = max(j, i + 1)
            continue
        roles = _with_task_column(roles)
        by_gap = all(line.gap for line in lines[i + 1:j])
        blocks = _blocks(lines[j:], by_gap)
        # numbered rows (`1` / `2` …); else (no number column, or numbers such as `(一)` restarting under each
        # group) rows closed by their unit cells
        found = (_block_table(blocks, roles) if "number" in roles else []) or _unnumbered_table(blocks, roles)
        rows += found
        i = _line_after(lines, found[-1].end) if found else j
    return rows


_ALIAS_LINE = re.compile(r"\((?![一二三四五六七八九十百\d]+\))[^()]{2,12}\)")  # not a number such as (四)


def _blocks(lines: list[_Line], by_gap: bool) -> list[Cell]:
    """Cells: each line, or (when the header's cells are separated by blank lines) each block of lines."""
    out: list[Cell] = []
    for line in lines:
        # A list cut after its separator (`区绿化市容局、` / `区农业农村委`) goes on in the next block.
        # So does a unit's other name on a line of its own (`市商务委` / `(市口岸办)`).
        cut = bool(out) and (out[-1].text.endswith(("、", ",")) or bool(_ALIAS_LINE.fullmatch(line.text)))
        if out and ((by_gap and not line.gap) or cut):
            last = out[-1]
            out[-1] = Cell(last.text + "\n" + line.text, last.start, line.end)
        else:
            out.append(Cell(line.text, line.start, line.end))
    return out


def _block_table(blocks: list[Cell], roles: list[str | None]) -> list[TableRow]:
    """Rows anchored on consecutive numbers in the `序号` column; the cells after each number fill the
    columns after it (columns before it hold group labels, which are skipped)."""
    number_at = roles.index("number")
    after = roles[number_at + 1:]
    limit = 2 * len(after) + 6  # room for unit cells written one name per block
    # the next row's number may come later still when a row lists many units one per block: the expected
    # number itself is evidence enough within a longer reach
    reach = limit + 24
    anchors: list[int] = []
    expected: int | None = None
    for pos, cell in enumerate(blocks):
        m = _ANCHOR.match(cell.text)
        if m and (expected is None or int(m.group(1)) == expected):
            if anchors and pos - anchors[-1] > reach:
                break
            anchors.append(pos)
            expected = int(m.group(1)) + 1
        elif anchors and (pos - anchors[-1] > reach or pos - anchors[-1] > limit and not _list_tail(cell.text)):
            break  # past a row's room only unit, date or empty cells may follow (not prose or a page number)
    rows: list[TableRow] = []
    for n, pos in enumerate(anchors):
        stop = anchors[n + 1] if n + 1 < len(anchors) else min(len(blocks), pos + 1 + limit)
        # the last row ends where the next table's header starts (`序号` / `交通子行业` / `责任单位` …)
        stop = next((k for k in range(pos + 1, stop) if role_of_column(blocks[k].text) == "number"), stop)
        cells = blocks[pos + 1:stop]
        placed = align(cells, after)
        while placed and placed[-1][0] in _UNIT_COLUMNS and not _unit_cell(placed[-1][1].text):
            # bare words closing what the row holds are the next rows' group label (市场准入) or prose after
            # the table, not units; bare names followed by the row's deadline stay
            cells = cells[:cells.index(placed.pop()[1])]
        grouped = _group(placed)
        while cells and _bare_name(cells[-1].text) and not _unit_cell(cells[-1].text):
            cells = cells[:-1]  # a group label of the next rows (产业园区) closing the row is none of its cells
        # A unit cell merged into the row above: fewer cells than columns, or no cell that could be a name.
        vanished = len(cells) < len(after) or not any(_name_like(c.text) for c in cells)
        if rows and vanished and not any(r in grouped for r in _UNIT_COLUMNS) and ("text" in grouped
                                                                                   or "title" in grouped):
            # A unit cell merged over several rows (rowspan) is written once, on the first row: it carries on.
            grouped.update({r: c for r, c in rows[-1].cells.items() if r in _UNIT_COLUMNS})
        if any(r in grouped for r in _UNIT_COLUMNS) and ("text" in grouped or "title" in grouped):
            row_cells = [c for cs in grouped.values() for c in cs]
            rows.append(TableRow(blocks[pos].start, max(c.end for c in row_cells), grouped))
    return rows


def _list_tail(text: str) -> bool:
    """A cell that may continue a row's long unit or date columns: units, a short name, a date, nothing."""
    return _unit_cell(text) or _bare_name(text) or bool(_EMPTY.match(text)) or _fit("deadline", text) > 0


def _unit_text(text: str) -> str:
    """A unit cell's text with its line breaks read: between two names they separate them (`区财政局 区科委`),
    inside one name they are only wrapping (`区土方工作` / `专班`)."""
    split = _LINE_BREAK_IN_LIST.sub("、", text)
    if split == text or _is_units(split):
        return split
    joined = _LINE_BREAK_IN_LIST.sub("", text)
    return joined if _is_units(joined) else split


def _is_units(text: str) -> bool:
    units = split_units(text)
    return bool(units) and len(text) <= 200 and is_unit_list(units)


def _unit_cell(text: str) -> bool:
    return _is_units(_unit_text(text))


def _unnumbered_table(blocks: list[Cell], roles: list[str | None]) -> list[TableRow]:
    """Rows of a block table with no number column (`工作任务` / `主要工作内容` / `牵头单位` / `配合单位`): each
    run of unit cells (or empty marks such as `——`) closes a row, filling the unit columns in header order; the
    cell before the run is the row's work, a short date cell after it the deadline. The table ends at the
    first stretch of cells that holds no unit cell for longer than a row could."""
    units_in_order = [r for r in roles if r in _UNIT_COLUMNS]
    limit = len(roles) + 4
    rows: list[TableRow] = []
    pos, last_row_end = 0, 0
    while pos < len(blocks):
        if pos - last_row_end > limit:
            break
        cell = blocks[pos]
        if not (_unit_cell(cell.text) and pos > 0) or _unit_cell(blocks[pos - 1].text) \
                or _EMPTY.match(blocks[pos - 1].text):
            pos += 1
            continue
        run = pos
        while run < len(blocks) and run - pos < len(units_in_order) + 2 \
                and (_unit_cell(blocks[run].text) or _EMPTY.match(blocks[run].text)):
            run += 1
        cells = blocks[pos:run]
        grouped: dict[str, list[Cell]] = {"text": [blocks[pos - 1]]}
        for k, unit_cell in enumerate(cells):
            role = units_in_order[min(k, len(units_in_order) - 1)]
            if not _EMPTY.match(unit_cell.text):
                grouped.setdefault(role, []).append(unit_cell)
        end = cells[-1].end
        if "deadline" in roles and run < len(blocks) and len(blocks[run].text) <= 30 \
                and _fit("deadline", blocks[run].text) > 0:
            grouped["deadline"] = [blocks[run]]
            end, run = blocks[run].end, run + 1
        if any(r in grouped for r in _UNIT_COLUMNS):
            rows.append(TableRow(blocks[pos - 1].start, end, grouped))
        pos = last_row_end = run
    return rows


def _name_like(text: str) -> bool:
    """A short cell ending like a body's name (区工商联): maybe a unit the recogniser does not know."""
    text = text.strip()
    return 2 <= len(text) <= 25 and text[-1] in NAME_END


def _line_after(lines: list[_Line], pos: int) -> int:
    return next((k for k, line in enumerate(lines) if line.start >= pos), len(lines))


# A line break (rendered as a space) between two names in a unit cell separates them.
_LINE_BREAK_IN_LIST = re.compile(r"(?<=[\u4e00-\u9fff)])[ \t\n]+(?=[\u4e00-\u9fff])")
_SAYS_ROLES = re.compile(r"牵头|配合|主责|协办|参与|:")


def row_tag(row: TableRow) -> Tag:
    """The row's unit columns as a Tag (lead column → 牵头, responsible → first listed, support → 配合)."""
    tag = Tag(row.start, row.end, "", rule="table")
    has_lead = "lead" in row.cells
    for role, cell_role, word in (("lead", LEAD, "牵头单位"), ("responsible", None, "责任单位"),
                                  ("support", SUPPORT, "配合单位")):
        for cell in row.cells.get(role, []):
            unit_role = cell_role or (SUPPORT if has_lead else FIRST_LISTED)
            text = _unit_text(cell.text)  # 县行政审批局(牵头)<br>县数据资源局
            said = parse_assignment(text, cell.start) if _SAYS_ROLES.search(text) else None
            if said is not None:
                # `牵头:县司法局;配合:县公安局` / `县行政审批局(牵头)、县数据资源局`: the cell says the roles
                tag.units += [TaggedUnit(u.mention, u.role_word or word, unit_role if u.role == FIRST_LISTED
                                         else u.role, cell.start) for u in said.units]
                continue
            tag.units += [TaggedUnit(u, word, unit_role, cell.start) for u in split_units(text)]
    if row.cells.get("deadline"):
        tag.deadline_text = row.cells["deadline"][0].text
    return tag


# A row copied out of a word processor or a spreadsheet as plain text: cells separated by tabs.
_TAB_ROW = re.compile(r"^[^\t\n|]*(?:\t[^\t\n]*){2,}$", re.M)


def _row_lines(text: str) -> list[tuple[re.Match[str], list[Cell]]]:
    """Table rows in document order: `| a | b |` lines, and lines of three or more tab-separated cells."""
    rows = [(m, _cells(text, m.start(), m.end())) for m in _ROW.finditer(text)]
    if "\t" in text:
        rows += [(m, _tab_cells(text, m.start(), m.end())) for m in _TAB_ROW.finditer(text)]
        rows.sort(key=lambda r: r[0].start())
    return rows


def _tab_cells(text: str, start: int, end: int) -> list[Cell]:
    out, pos = [], start
    for part in text[start:end].rstrip().split("\t"):
        left = len(part) - len(part.lstrip())
        body = part.strip()
        out.append(Cell(body, pos + left, pos + left + len(body)))
        pos += len(part) + 1
    return out


def _cells(text: str, start: int, end: int) -> list[Cell]:
    out, pos = [], start + 1
    line = text[start:end].rstrip()
    for part in line[1:-1].split("|"):
        left = len(part) - len(part.lstrip())
        body = part.strip()
        out.append(Cell(body, pos + left, pos + left + len(body)))
        pos += len(part) + 1
    return out


def role_of_column(name: str) -> str | None:
    """What a column named `name` holds (lead, support, responsible, deadline, number, title, text), or None."""
    name = re.sub(r"\s+", "", name)
    if not name or len(name) > 12 or _INTERNAL.search(name):
        return None
    return next((role for role, pattern in _COLUMNS if pattern.search(name)), None)
