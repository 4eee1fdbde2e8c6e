"""The assignment grammar: how documents say who leads and who supports, composed of parts.

An assignment is a list of units with a role, written in one of a few ways that combine freely:

- a **label** then a list: `牵头单位:A、B` / `责任部门:A` / `主办:A` / `【配合单位】B` — a role word, an optional
  label noun (单位, 部门, 处室 …) and a colon or brackets;
- a list then a **verb**: `A、B牵头` / `A负责` / `A等按职责分工负责` / `A配合` — a role word with optional
  modifiers before it (按职责分工, 分别, 共同 …) and completions after it (负责, 落实 …);
- a verb **before** a list: `由A牵头,会同B` / `A会同B负责` / `A联合B`;
- an inline **marker** after a unit: `A(牵头)、B`;
- a **bare list** with no role word at all: `(A、B)` — read only when its items are units (loaders.unitlex);
- **trailing words** (`等`, `等有关部门`, `按职责分工负责`), **scope notes** (`下同`, `列第一位者为牵头单位`)
  and **deadlines** (`完成时限:2023年底前`, or a date clause `2024年6月底前完成`).

Each part is a list of words below; patterns are built from them, so a wording nobody wrote down, made of
known parts, still parses. When no unit is marked as lead, the first listed unit leads (FIRST_LISTED).
Everything works on match text (simplified, half-width); offsets index that text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from loaders.unitlex import is_role_marked_unit, is_unit, is_unit_list
from loaders.units import split_and, split_units

LEAD, SUPPORT, FIRST_LISTED = "lead", "support", "first"

# Role words, by the role they give the units they label.
LEAD_WORDS = ("牵头", "主办", "主责", "主要责任", "第一责任", "总牵头", "牵头负责", "主导")
SUPPORT_WORDS = ("配合", "协办", "参与", "协助", "协同", "支持", "参加", "次要责任", "协作", "配合落实")
NEUTRAL_WORDS = ("责任", "负责", "落实", "实施", "承办", "主管", "承担", "执行", "工作", "具体负责", "职能")
LABEL_NOUNS = ("单位", "部门", "处室", "科室", "机构", "主体")
# Verbs that follow a list and give it a role.
LEAD_VERBS = ("牵头负责", "牵头落实", "牵头推进", "牵头实施", "牵头组织", "牵头", "主办", "主责",
              "负总责", "总负责", "主抓", "抓总")
SUPPORT_VERBS = ("配合落实", "参与配合", "配合", "参与", "参加", "协助", "协办", "协同")
NEUTRAL_VERBS = ("组织实施", "负责落实", "具体负责", "抓好落实", "指导推进", "负责", "落实", "实施", "推进", "承担",
                 "指导", "督导", "统筹", "组织", "监督")
# Words between a list and its verb.
MODIFIERS = ("按职责分工", "按照职责分工", "按职能分工", "依职责", "依据职责", "根据职责", "按职责", "分别", "共同",
             "根据各自职责", "按照各自职责", "按各自职责", "依据各自职责", "根据各自职能", "按照各自职能", "按各自职能",
             "各自", "具体", "分工", "会同有关部门", "会同相关部门")
# Verbs before a list: `A会同B` — A leads, B supports.
JOINING_VERBS = ("会同", "联合", "协调")
# Notes about the list's scope, removed before reading.
SCOPE_NOTES = (r"[,;。]?\s*(?:列|排在?|排名|排序|位列)(?:第一|首|前)[^,;)]*", r"[,;]?\s*(?:以下|下)同",
               r"[,;]?\s*(?:以下|下列)?[^,;)]{0,12}?不再(?:一一|重复)?(?:列出|列明|标注|重复)",
               r"[,;]?\s*(?:以下|下列)任务[^,;)]*", r"[,;]?\s*以下[^,;)]{0,8}?均同")
# Labels that name the division of work itself; their value is a list or clauses with role verbs.
DIVISION_LABELS = ("责任分工", "职责分工", "任务分工", "工作分工", "分工")
DEADLINE_LABELS = ("完成时限", "完成时间", "整改时限", "办结时限", "时间节点", "时间安排", "进度安排", "完成期限",
                   "实施时间", "推进时间", "工作时限", "时限", "期限", "时间", "进度")


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


ROLE_WORDS = LEAD_WORDS + SUPPORT_WORDS + NEUTRAL_WORDS
LABEL = re.compile(
    # `牵头单位:` / `主办:` / `【牵头单位】` (brackets fold to parentheses in match text; a colon may follow).
    rf"(?P<open>(?:^|(?<=[\s;,。]))\()?"
    rf"(?:(?P<role>{_alt(ROLE_WORDS)})(?:[\u4e00-\u9fff]{{0,3}}?)(?P<noun>{_alt(LABEL_NOUNS)})|"  # 牵头考核单位
    # a division of work named as such: `责任分工:A负责…,B配合` (its value says the roles itself)
    rf"(?(open)(?!)|(?P<short>{_alt(('牵头', '主办', '协办', '配合', '责任', '负责', '参与') + DIVISION_LABELS)})))"
    rf"(?(open)\)\s*:?|\s*:)"
)
OTHER_LABEL = re.compile(r"(?<=[;,。])\s*[\u4e00-\u9fff]{2,6}\s*:")
DEADLINE_LABEL = re.compile(rf"(?:{_alt(DEADLINE_LABELS)})\s*:")
VERB = re.compile(
    rf"(?P<mod>(?:{_alt(MODIFIERS)})*)(?P<verb>{_alt(LEAD_VERBS + SUPPORT_VERBS + NEUTRAL_VERBS)})"
    rf"(?P<done>负责|落实|实施)?|(?P<join>{_alt(JOINING_VERBS)})"
)
MARKER = re.compile(rf"\((?P<m>{_alt(('牵头', '主办', '主责', '牵头单位', '牵头部门'))})\)")
SCOPE_NOTE = re.compile("|".join(SCOPE_NOTES))
DATE_CLAUSE = re.compile(r"(?:于)?(?:20\d{2}|\d{2})\s*年[^,;。()]{0,12}?(?:前|底|末|完成|启动|见效)[^,;。()]{0,6}|"
                         r"长期坚持|持续推进|长期推进|持续开展|常态化推进|长期")
# A time frame without a year (the plan's year applies): 6月底完成 / 年底前 / 5月底取得阶段性成效.
MONTH_CLAUSE = re.compile(r"(?:\d{1,2}月|年)(?:底|末|中旬|上旬|下旬)?[^,;。()]{0,12}|持续[^,;。()]{0,6}|按进度推进")
_LABEL_ROLE = {w: LEAD for w in LEAD_WORDS} | {w: SUPPORT for w in SUPPORT_WORDS}
_VERB_ROLE = {w: LEAD for w in LEAD_VERBS} | {w: SUPPORT for w in SUPPORT_VERBS}


@dataclass
class TaggedUnit:
    """A unit mention inside an assignment, with the word it was listed under."""

    mention: str
    role_word: str
    role: str  # LEAD, SUPPORT or FIRST_LISTED (lead only if first, when no unit is marked lead)
    start: int  # offset of the mention's list in the match text (for evidence)


@dataclass
class Tag:
    """One assignment found in the text: where it is, what it says, and which reading found it."""

    start: int
    end: int
    content: str
    units: list[TaggedUnit] = field(default_factory=list)
    deadline_text: str = ""
    rule: str = ""  # labelled / verb / bare-list / responsibility-line / table / prose / task-item


def blank(text: str, pattern: re.Pattern[str]) -> str:
    """`text` with every match of `pattern` replaced by spaces (offsets kept)."""
    return pattern.sub(lambda m: " " * len(m.group()), text)


def parse_assignment(content: str, offset: int = 0, bare: bool = True) -> Tag | None:
    """Read the inside of a bracket, a responsibility line or a table cell; None when it assigns no unit."""
    body = blank(content, SCOPE_NOTE)
    if LABEL.search(body):
        tag = _labelled(body, offset)
    elif MARKER.search(body) and not _verbs(blank(body, MARKER)):
        tag = Tag(0, 0, body, rule="marked-list")
        tag.units = [TaggedUnit(u, "牵头" if r else "", r or FIRST_LISTED, offset) for u, r in _value_units(body)[0]]
    elif _verbs(body):
        tag = parse_verbs(body, offset)
        tag.rule = "verb"
    elif bare:
        tag = _bare(body, offset)
    else:
        return None
    tag.content = content
    return tag if _plausible(tag) else None


def _plausible(tag: Tag) -> bool:
    """An assignment names units: its first unit is one, and most of the others too. A name right before a
    role verb (`办公室牵头` / `调控中心配合`) may be a unit named by its function alone."""
    if not tag.units:
        return False
    ok = [is_unit(u.mention) or (u.role_word in _VOUCHING and is_role_marked_unit(u.mention)) for u in tag.units]
    return ok[0] and sum(ok) >= (1.0 if len(ok) <= 2 else 0.75) * len(ok)


# Role verbs that, written right after a name, vouch for it being a unit.
_VOUCHING = frozenset("牵头 负责 配合 协助 参与 主办 协办 主责".split())


def _labelled(body: str, offset: int) -> Tag:
    tag = Tag(0, 0, body, rule="labelled")
    # (start, end, label match | None for a deadline label | False for any other field)
    marks: list[tuple[int, int, re.Match[str] | None | Literal[False]]]
    marks = sorted([(m.start(), m.end(), m) for m in LABEL.finditer(body)]
                   + [(m.start(), m.end(), None) for m in DEADLINE_LABEL.finditer(body)])
    taken = {start for start, _, _ in marks}
    # Any other field (`适用范围:…`, `备注:…`) ends the value before it; its own value is not read.
    marks = sorted(marks + [(m.start(), m.end(), False) for m in OTHER_LABEL.finditer(body)
                            if not any(m.start() <= t < m.end() for t in taken)])
    head = body[:marks[0][0]]
    if head.strip(" ,;") and VERB.search(head):
        before = parse_verbs(head, offset)  # `A牵头;完成时限:…` before any label, or `(持续推进,牵头…:…)`
        # only units: `(5月底取得明显成效并持续推进,牵头考核单位:A)` has a verb but names nobody before the label
        tag.units += [u for u in before.units if is_unit(u.mention)]
        # a dated clause (5月底取得明显成效并持续推进) over a bare 持续推进 read from the verbs
        dated = [m.group() for m in (DATE_CLAUSE.search(head), MONTH_CLAUSE.search(head))
                 if m and re.search(r"\d|年", m.group())]
        tag.deadline_text = (dated[0] if dated else "") or before.deadline_text
    elif head.strip(" ,;") and (clause := DATE_CLAUSE.search(head) or MONTH_CLAUSE.search(head)):
        tag.deadline_text = clause.group()  # `(6月底完成,牵头考核单位:A)`: a time frame before the label
    for i, (_, value_start, m) in enumerate(marks):
        value_end = marks[i + 1][0] if i + 1 < len(marks) else len(body)
        value = body[value_start:value_end].strip(" ,;。")
        if m is False:
            continue
        if m is None:
            tag.deadline_text = tag.deadline_text or value
            continue
        word = m.group("role") or m.group("short")
        role = _LABEL_ROLE.get(word, FIRST_LISTED)
        label = m.group().rstrip(":) ")
        if role == FIRST_LISTED and _verbs(value) and not MARKER.search(value):
            # `责任单位:A牵头,B、C配合`: the value says the roles itself
            said = parse_verbs(value, offset + value_start)
            if word in DIVISION_LABELS:  # `责任分工:按照规划要求,A负责…`: a clause may come before the first unit
                said.units = [u for u in said.units if is_unit(u.mention)]
            if said.units and is_unit_list([u.mention for u in said.units]):
                tag.units += said.units
                tag.deadline_text = tag.deadline_text or said.deadline_text
                continue
        units, date = _value_units(value)
        tag.deadline_text = tag.deadline_text or date
        tag.units += [TaggedUnit(u, label, r or role, offset + value_start) for u, r in units]
    return tag


def _value_units(value: str) -> tuple[list[tuple[str, str | None]], str]:
    """Units of a label's value (with inline `(牵头)` markers) and any date clause in it."""
    date = DATE_CLAUSE.search(value)
    if date:
        value = value[:date.start()] + " " * len(date.group()) + value[date.end():]
    marked = blank(value, MARKER)
    out: list[tuple[str, str | None]] = []
    for unit in split_units(marked):
        pos = marked.find(unit)
        after = value[pos + len(unit):pos + len(unit) + 8] if pos >= 0 else ""
        out.append((unit, LEAD if MARKER.match(after.lstrip()) else None))
    return out, date.group() if date else ""


def parse_verbs(body: str, offset: int, prose: bool = False) -> Tag:
    """`A、B牵头,C配合` / `A、B负责` / `由A牵头,会同B` / `A会同有关部门负责` / `X牵头,Y等按职责分工负责`.

    In running text (`prose`), only what reads as units counts, and a list after the last verb ends where
    the units end (`会同B制定细则` → B).
    """
    tag = Tag(0, 0, body)
    date = DATE_CLAUSE.search(body)
    if date:
        tag.deadline_text = date.group()
        body = body[:date.start()] + " " * len(date.group()) + body[date.end():]
    pos, seen_lead, pending_join = 0, False, False
    for m in _verbs(body):
        chunk = body[pos:m.start()]
        if m.group("join"):
            role = LEAD if chunk.strip(" ,;由") else SUPPORT
            word = m.group("join")
        else:
            word = m.group("verb")
            if pending_join:
                role = SUPPORT
            elif word in NEUTRAL_VERBS:
                role = SUPPORT if seen_lead else FIRST_LISTED
            else:
                role = _VERB_ROLE.get(word, SUPPORT)
        units = _units_with_markers(chunk)
        if pos == 0 and not prose:  # `竹屿湖二期项目由A负责实施`: the unit after 由
            units = [(_after_by(u), r) for u, r in units]
        if prose:  # in running text, only what reads as a unit
            units = [(u, r) for u, r in units if is_unit(u)]
        elif pos > 0:  # after a verb, the unit an item opens with (负责本地区落实 names none)
            units = [(found, r) for u, r in units
                     if (found := _unit_of_clause(u, word))]
        tag.units += [TaggedUnit(u, word, r or role, offset + pos) for u, r in units]
        seen_lead = seen_lead or (bool(units) and role in (LEAD, FIRST_LISTED))
        pending_join = bool(m.group("join"))
        pos = m.end()
    tail = [] if prose else _units_with_markers(body[pos:])
    if prose or not all(is_unit(u) for u, _ in tail):
        # after the last verb only units count: `…;地方各级人民政府负责本地区落实` names no unit after 负责
        tail = [(u, None) for u in leading_units(body[pos:])]
    tag.units += [TaggedUnit(u, "会同" if pending_join else "", r or SUPPORT, offset + pos) for u, r in tail]
    return tag


_SEPARATOR = re.compile(r"[、,;/\s]")


_BY = re.compile(r"(?<![自理缘经])由")
# `建立由A、B牵头的…机制`: 由 names who a body is made of, not who does the task.
_FORMED_BY = re.compile(r"(?:建立|成立|组建|设立|组成|形成|构建|健全|实行|实施)$")


def _after_by(item: str) -> str:
    """`其他项目由A` → A when A is a unit, else the item unchanged."""
    parts = _BY.split(item)
    if len(parts) < 2 or _FORMED_BY.search(parts[-2]) or not is_unit(parts[-1]):
        return item
    return parts[-1]


def _unit_of_clause(item: str, word: str) -> str | None:
    """The unit a list item between two role verbs names: the item itself, the unit after its `由`
    (`其他项目由A` 负责), or the unit it opens with before a few words of the verb phrase
    (`B业务检查` 指导 / `C作为业主单位`)."""
    if is_unit(item) or (word in _VOUCHING and is_role_marked_unit(item)):
        return item
    if (after := _after_by(item)) != item:
        return after
    for k in range(len(item) - 1, 1, -1):
        if len(item) - k > _MAX_TAIL:
            break
        if is_unit(item[:k]):
            return None if re.search(r"\d", item[k:]) else item[:k]
    return None


def _verbs(body: str) -> list[re.Match[str]]:
    """Verb matches that are not inside a unit's name (协调 in 国务院职能转变协调办, 推进 in 推进办)."""
    found = list(VERB.finditer(body))
    out = []
    for i, m in enumerate(found):
        item_start = max((s.end() for s in _SEPARATOR.finditer(body, 0, m.start())), default=0)
        stop = _SEPARATOR.search(body, m.end())
        item_end = min(stop.start() if stop else len(body), found[i + 1].start() if i + 1 < len(found) else len(body))
        inside = m.end() < item_end and (is_unit(body[item_start:item_end])
                                         or _inside_listed_unit(body, item_start, item_end, m))
        if inside and not (m.start() == item_start and is_unit(body[m.end():item_end])):
            continue  # 协调办 / 推进办 are names; 会同省商务厅 is a verb and a unit
        out.append(m)
    return out


def _inside_listed_unit(body: str, start: int, end: int, m: re.Match[str]) -> bool:
    """The verb sits inside one unit of a list glued with 和/及 or opened by 由 (`由区市场监督管理局和社会事业局`)."""
    item = body[start:end]
    for part in split_units(item):
        at = item.find(part)
        if at >= 0 and start + at <= m.start() and m.end() < start + at + len(part) and is_unit(part):
            return True
    return False


def leading_units(text: str) -> list[str]:
    """The units a running text starts with: `市财政局、市教育局制定细则` → 市财政局, 市教育局."""
    out = []
    items = [part for item in re.split(r"[、,;/]", text.lstrip(" ,;")) for part in split_and(item)]
    for item in items:
        item = item.strip()
        if is_unit(item):
            out.append(item)
            continue
        prefix = next((item[:k] for k in range(len(item) - 1, 1, -1) if is_unit(item[:k])), None)
        if prefix:
            out.append(prefix)
        break
    return out


def _units_with_markers(chunk: str) -> list[tuple[str, str | None]]:
    if not chunk.strip(" ,;、由"):
        return []
    return _value_units(chunk)[0]


_MAX_TAIL = 6


def _bare(body: str, offset: int) -> Tag:
    """`A、B` — or `A、B<word>` where <word> is a short role word nobody listed (指导, 督办 …)."""
    units = split_units(body)
    if units and not is_unit(units[-1]):
        last = units[-1]
        prefix = next((last[:k] for k in range(len(last) - 1, 1, -1) if is_unit(last[:k])), None)
        if prefix and len(last) - len(prefix) <= _MAX_TAIL and not re.search(r"\d", last):
            units[-1] = prefix
    tag = Tag(0, 0, body, rule="bare-list")
    tag.units = [TaggedUnit(u, "", FIRST_LISTED, offset) for u in units]
    return tag


def split_roles(units: list[TaggedUnit]) -> tuple[list[TaggedUnit], list[TaggedUnit]]:
    """Lead and support units: units marked lead lead; when none are, the first listed leads."""
    marked = [u for u in units if u.role == LEAD]
    lead, rest = (marked, [u for u in units if u.role != LEAD]) if marked else (units[:1], units[1:])
    # a unit named again later in the same assignment (`A负责…,B配合,C指导并协助A…`) keeps its first role
    seen = {u.mention for u in lead}
    support = []
    for u in rest:
        if u.mention not in seen:
            seen.add(u.mention)
            support.append(u)
    return lead, support
