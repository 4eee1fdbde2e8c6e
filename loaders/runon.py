"""Task tables whose cells ran together: a crawler's page text or a PDF's text layer with every separator lost.

    …主要任务分解表工作任务工作要求牵头单位配合/责任单位一、加强涉及市场主体的信息公开1.增强政策…营商环境。 区直各有关
    单位,各区属事业单位…2.加大…3.建立…推动优化投资和建设环境。区经济发展局区行政审批局区直各有关单位,各区属事业单位…

The header is a run of column names written one after another (at least three, one of them a unit column); the
rows are the numbered items after it, anchored on their numbers counting up from 1. In each row the work ends at
its last sentence end and the units follow, glued together where they stood in separate cells or lines. The unit
names are read one after another by the unit recogniser; where a lead column and a supporting column both exist,
the lead cell is the run of names before the first list that goes on with separators (、/,), and a space right
after the work means the lead cell was empty. A header naming the units' column before the work's
(`序号部门主要职责分工1区交通建设局牵头开展…`) is read the other way round: the unit first, then its duties, whose
partners (配合/会同 + a unit) support it. Numbers may be glued to the row's first word and start again from 1
after a group heading.
"""

from __future__ import annotations

import re

from loaders.grammar import DATE_CLAUSE, leading_units
from loaders.subjects import PARTNER
from loaders.tables import Cell, TableRow, role_of_column
from loaders.unitlex import NAME_END, is_named_unit, is_unit

# One column name of a run-together header.
_TOKEN = (r"(?:序号|编号|"
          r"(?:重点|主要|工作|具体|改革|政策|目标)?(?:任务|措施|举措|内容|要求|事项)(?:名称|内容|要求)?|"
          r"(?:牵头|责任|配合|协办|参与|主办|实施|落实|负责)(?:/(?:牵头|责任|配合|协办|参与|实施))?(?:单位|部门)|"
          r"(?:主要|工作)?职责(?:分工)?|部门|单位|"
          r"完成(?:时限|时间)|时间节点|时限|进度安排|备注)")
# A column name spaced out to fill its cell (`工 作 要 求`, `序 号`): read once its spaces are gone.
_SPACED = r"[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff]){1,5}"
_HEADER = re.compile(rf"(?:{_TOKEN})(?:{_TOKEN}|{_SPACED}){{2,}}")  # opens with an unspaced name (a fast anchor)
_PIECES = re.compile(rf"{_TOKEN}|{_SPACED}")
_TOKENS = re.compile(_TOKEN)
_SPACES = re.compile(r"[ \u3000]+")
# A row's number: `1.` / `1、`, or a bare number glued to the row's first word (`…常年3进一步深化…`).
_NUMBER = re.compile(r"(?<![\d.])(\d{1,3})(?:[.、]|(?=[\u4e00-\u9fff]))(?!\d)")
# A group heading between rows, after which the numbers may start again from 1: `(二)深化…` / `二、…`.
_GROUP = re.compile(r"\([一二三四五六七八九十]{1,3}\)|(?<![\u4e00-\u9fff])[一二三四五六七八九十]{1,3}、")
# A deadline cell after the units: `2015年6月` / `2016年底前` / `常年`.
_DEADLINE_CELL = re.compile(r"20\d{2}\s*年(?:\d{1,2}\s*月)?(?:底|末|上旬|中旬|下旬)?(?:前|以前)?(?:完成)?|"
                            r"常年|长期(?:坚持)?|持续(?:推进)?")
_WORK_END = re.compile(r"[。;!?]")
_SEPARATOR = re.compile(r"[,、]")
# a unit name's last character (unitlex.NAME_END), and 单位 / 国企 / a closing bracket, which end collectives
_NAME_ENDS = NAME_END | frozenset("位企)")
_MAX_NAME = 40
_MAX_ROW = 1500  # characters: a longer stretch between two numbers is no table row


def find_runon_rows(text: str, taken: list[tuple[int, int]]) -> list[TableRow]:
    """Rows of every run-together task table in a match text (see the module's docstring)."""
    rows: list[TableRow] = []
    for header in _HEADER.finditer(text):
        if any(a <= header.start() < b for a, b in taken) or rows and header.start() < rows[-1].end:
            continue
        names = [_SPACES.sub("", t.group()) for t in _PIECES.finditer(header.group())]
        if len(names) < 3 or not all(_TOKENS.fullmatch(n) for n in names):
            continue
        roles = [_column_role(n) for n in names]
        if not any(r in ("lead", "responsible", "support") for r in roles):
            continue
        rows += _rows(text, header.end(), roles)
    return rows


def _column_role(name: str) -> str | None:
    if "配合" in name or "协办" in name or "参与" in name:
        return "support"
    if name in ("部门", "单位"):
        return "responsible"
    if "职责" in name:
        return "text"
    return role_of_column(name)


def _rows(text: str, start: int, roles: list[str | None]) -> list[TableRow]:
    line_end = text.find("\n", start)
    end = len(text) if line_end < 0 else line_end
    numbers: list[re.Match[str]] = []
    expected = 1
    for m in _NUMBER.finditer(text, start, end):
        if numbers and m.start() - numbers[-1].end() > _MAX_ROW:
            break
        if int(m.group(1)) == 1 and numbers and _GROUP.search(text, numbers[-1].end(), m.start()):
            expected = 1  # the next group's rows count again from 1
        if int(m.group(1)) == expected:
            numbers.append(m)
            expected += 1
    out = []
    for i, number in enumerate(numbers):
        stop = numbers[i + 1].start() if i + 1 < len(numbers) else min(end, number.end() + _MAX_ROW)
        row = _row(text, number.end(), stop, roles, last=i + 1 == len(numbers),
                   number_at=number.start() if "number" not in roles else number.end())
        if row is not None:
            out.append(row)
    return out


def _row(text: str, start: int, stop: int, roles: list[str | None], last: bool = False,
         number_at: int = -1) -> TableRow | None:
    """One row: the work up to its last sentence end that units follow, then the unit cells; or, when the
    header names the units' column before the work's (`序号部门主要职责分工`), the units, then the work."""
    unit_at = next((k for k, r in enumerate(roles) if r in ("lead", "responsible", "support")), -1)
    work_before = any(r in ("title", "text") for r in roles[:unit_at])
    if "text" in roles[unit_at:] and not work_before:
        return _units_first_row(text, start, stop, last)
    if "text" in roles[unit_at:]:
        row = _units_between_row(text, start, stop, roles)
        if row is not None and 0 <= number_at < start:  # no number column: the number is the task cell's own
            title = row.cells["title"][0]
            row.cells["title"] = [Cell(text[number_at:title.end], number_at, title.end)]
        return row
    for work_end in reversed([m.end() for m in _WORK_END.finditer(text, start, stop)]):
        names = _names(text, work_end, stop)
        if names:
            break
    else:
        return None
    cells: dict[str, list[Cell]] = {"text": [Cell(text[start:work_end], start, work_end)]}
    has_lead = "lead" in roles
    lead_empty = text[work_end:work_end + 1].isspace()
    if has_lead and "support" in roles and not lead_empty:
        k = _lead_cell_size(names)
        lead, support = names[:k], names[k:]
    elif has_lead and not lead_empty:
        lead, support = names, []
    else:
        lead, support = [], names  # no lead column, or an empty lead cell: the first listed leads
    for role, group in (("lead", lead), ("support" if lead else "responsible", support)):
        if group:
            cells[role] = [Cell("、".join(text[a:b] for a, b, _ in group), group[0][0], group[-1][1])]
    tail_end = names[-1][1]
    if "deadline" in roles and (date := DATE_CLAUSE.match(text, tail_end) or _DEADLINE_CELL.match(text, tail_end)):
        cells["deadline"] = [Cell(date.group(), date.start(), date.end())]
    return TableRow(start, tail_end, cells)


def _names(text: str, pos: int, stop: int) -> list[tuple[int, int, bool]]:
    """Unit names read one after another from `pos`: (start, end, followed by a separator)."""
    out: list[tuple[int, int, bool]] = []
    while pos < stop:
        while pos < stop and text[pos].isspace():
            pos += 1
        if out and _WORK_START.match(text, pos):
            break  # the next cell's work (`立足于方便企业…`) starts
        end = _longest_name(text, pos, stop)
        if end is None:
            break
        sep = _SEPARATOR.match(text, end)
        out.append((pos, end, sep is not None))
        pos = sep.end() if sep else end
    return out


def _longest_name(text: str, pos: int, stop: int) -> int | None:
    for end in range(min(stop, pos + _MAX_NAME), pos + 1, -1):
        if text[end - 1] in _NAME_ENDS and is_unit(text[pos:end]) and not _two_glued(text[pos:end]) \
                and not _unit_then_work(text[pos:end]):
            return end
    return None


def _unit_then_work(name: str) -> bool:
    """`各乡镇人民政府立足于方便企业` / `区经发局加快政府…`: a unit, then the start of the next cell's work."""
    return any(_BODY_END.search(name, 0, k) and is_unit(name[:k]) and _WORK_START.match(name, k)
               for k in range(3, len(name) - 1))


def _two_glued(name: str) -> bool:
    """`区经济发展局区行政审批局` / `区社会事业局各片区管理局`: a named unit, then another starting with a level
    word or 各, glued (two cells' names)."""
    return any(name[k] in "省市县区镇乡各" and is_named_unit(name[:k]) and is_unit(name[k:])
               for k in range(3, len(name) - 2))


def _lead_cell_size(names: list[tuple[int, int, bool]]) -> int:
    """How many names the lead cell holds: the glued run before the first name that a separated list goes on
    from (`区经济发展局区行政审批局区直各有关单位,各区属事业单位…` → 2); all but the last when nothing is separated."""
    first_glued = next((k for k, (_, _, separated) in enumerate(names) if not separated), None)
    for k, (_, _, separated) in enumerate(names):
        if separated:
            if k == 0 and first_glued is not None:
                # `A、B` then glued `C,D…`: the lead cell is a list of its own (A、B), ending where names glue
                while first_glued + 1 < len(names) and not names[first_glued + 1][2]:
                    first_glued += 1
                return first_glued + 1
            return max(1, k)
    return max(1, len(names) - 1)


_MAX_TITLE = 50
_BODY_END = re.compile(r"(?:政府|局|委|办|厅|中心|单位|部门|公司)$")
# What a requirements cell opens with (not words that also end names: 管理局 / 服务中心 / 监督站 are names).
_WORK_START = re.compile(r"[对在将要把从为按]|立足|(?:要|应|须)?(?:加快|加强|加大|推进|推动|做好|落实|开展|完善|"
                         r"建立|健全|制定|组织|负责|牵头|会同|配合|协助|强化|提升|深化|积极|全面|持续|切实|认真|及时|坚持|进一步)")
_LEVEL_START = frozenset("省市县区镇乡各国中")  # where a named unit glued after a task name may start


def _units_between_row(text: str, start: int, stop: int, roles: list[str | None]) -> TableRow | None:
    """`3.做好权责清单调整和公开工作区行政审批局区直有关单位,各乡镇人民政府全面完成…`: a task name, the unit cells,
    then the requirements (`工作任务 牵头单位 责任单位 工作要求`). The task name ends at a space (an empty cell
    follows) or where a named unit starts; a space right after it means the lead cell was empty."""
    limit = min(stop, start + _MAX_TITLE)
    names_at = next((p for p in range(start + 2, limit) if text[p] in _LEVEL_START
                     and (e := _longest_name(text, p, stop)) is not None and is_named_unit(text[p:e])), -1)
    if names_at < 0:
        space = re.search(r"[ \u3000\t]+", text[start:limit])
        if not space or space.start() < 2:
            return None
        names_at = start + space.end()
    title_end = names_at
    while title_end > start and text[title_end - 1].isspace():
        title_end -= 1
    names = _names(text, names_at, stop)
    if not names or not text[start:title_end].strip():
        return None
    cells: dict[str, list[Cell]] = {"title": [Cell(text[start:title_end], start, title_end)]}
    lead_empty = names_at > title_end
    if "lead" in roles and not lead_empty:
        k = _lead_cell_size(names[:-1] + [(names[-1][0], names[-1][1], True)]) if len(names) > 1 else 1
        lead, rest = names[:k], names[k:]
    else:
        lead, rest = [], names
    for role, group in (("lead", lead), ("support" if lead else "responsible", rest)):
        if group:
            cells[role] = [Cell("、".join(text[a:b] for a, b, _ in group), group[0][0], group[-1][1])]
    return TableRow(start, title_end, cells)


def _units_first_row(text: str, start: int, stop: int, last: bool) -> TableRow | None:
    """`1区交通建设局牵头开展结构安全排查整治…;会同有关部门…。`: the unit, then its work up to the next row (the
    table's last row up to its last sentence end: page text such as `相关文件:…` may follow it)."""
    names = _names(text, start, stop)
    if not names or names[-1][2]:
        names = names[:1]  # a separator after the last name: the work starts with a list, keep the first
    work_start = names[-1][1] if names else start
    end = stop
    if last and (ends := [m.end() for m in _WORK_END.finditer(text, work_start, stop)]):
        end = ends[-1]
    while end > work_start and text[end - 1].isspace():
        end -= 1
    if not names or end - work_start < 4:
        return None
    unit = Cell("、".join(text[a:b] for a, b, _ in names), names[0][0], names[-1][1])
    cells = {"responsible": [unit], "text": [Cell(text[work_start:end], work_start, end)]}
    partners = _partners(text, work_start, end, {text[a:b] for a, b, _ in names})
    if partners:
        cells["support"] = [Cell("、".join(p for p, _ in partners), partners[0][1], partners[-1][1])]
    return TableRow(start, end, cells)


def _partners(text: str, start: int, end: int, known: set[str]) -> list[tuple[str, int]]:
    """Units a duty row's unit works with (`…配合市场监管局推动…` / `会同区财政局…`): its supporters."""
    out: list[tuple[str, int]] = []
    for m in PARTNER.finditer(text, start, end):
        for unit in leading_units(text[m.end():min(end, m.end() + 80)]):
            if unit not in known and is_unit(unit):
                out.append((unit, m.end()))
                known.add(unit)
    return out
