"""Assignments written as sentences whose subject is a unit: `区财政局加强对…资金支持保障。`

Plans often end (保障措施, 职责分工) or run entirely in prose: `区数据局会同行业主管部门推进完成…平台建设`,
`建设主管部门和区规划资源局在项目规划…中增加…`. A sentence that opens with one or more named units and
goes on with what they do assigns that work to them: the first unit leads, the others listed with it
support, and units after `会同` / `联合` / `配合` support. The measure runs from that sentence to the next
such sentence or the end of its paragraph.

Not assignments: collectives as subjects (`各地要…`, `各级政府要…`, `各有关部门要…`: general calls; only a
city plan's 各区政府 / 属地街镇 are taken), a unit followed by `的` / `是` / `为` / `已` (a description), a unit
followed by anything but an action (`合肥市推进…行动方案` as a title line), and addressee lines (`…人民政府:`).

Duty lists are read here too: `区民防办:负责…` lines, or a heading that is only a unit with its duties below.
Works on match text (simplified, half-width).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from loaders.grammar import FIRST_LISTED, LEAD, SUPPORT, Tag, TaggedUnit, leading_units
from loaders.sections import Heading
from loaders.unitlex import COLLECTIVE, NAME_END, is_county, is_named_unit, is_region_list, is_unit, unit_kind
from loaders.units import split_units

_OPENING = re.compile(r"^[\s—\-·•*#>]*(?:[一二三四五六七八九十]+[、.是]|\([一二三四五六七八九十\d]+\)|\d{1,2}[.、)]|"
                      r"其[一二三四五六七八九十]是?|第[一二三四五六七八九十]+[,、]?|另外[,]?|同时[,]?|此外[,]?|"
                      r"[^;:。]{0,80}?其中[:,])?\s*"
                      # a time or linking phrase before the subject: `2024年底前,市规划资源局要…`
                      r"(?:[^,;。]{0,16}?(?:前|后|起|内|期间|以来|为此|同时|此外|其中|底|末|基础上)\s*,|"
                      # or a condition: `根据违法用地梳理情况,区专项治理行动领导小组确定…`
                      r"(?:根据|按照|依据|结合|针对|围绕|为了?)[^,;。]{1,24},)?\s*")
_LIST_GLUE = ("、", "和", "及", "与", "以及", "或", ",")
_NOT_ACTION = re.compile(r"^(?:的|是|为|已|印发|同意|关于|:|等?\s*$|主要|作为|系|即|指|包括|下设|成员|办公室设在|"
                         r"设在|位于|名单|联系|电话|地址|\d(?!\d?月)|[\u4e00-\u9fff]{1,4}的)")
# What a subject does: an optional modal or adverb, then an action verb. A sentence whose unit is followed by
# anything else (a description, a noun phrase, a document number) assigns nothing.
_MODALS = (
    "要 应当 应 须 必须 将 可 负责 牵头 继续 进一步 积极 全面 持续 切实 认真 主动 及时 "
    "定期 适时 统一 重点 具体 分别 共同 要求 按照职责 按职责 依法 依职责 同步 另行 每年 "
    "每季度 每月 年内"
).split()
_ACTIONS = (
    "负责 牵头 会同 联合 配合 协同 协助 加强 加快 加大 做好 推进 推动 完善 建立 健全 制定 "
    "制订 研究 组织 开展 落实 指导 督促 支持 统筹 协调 强化 提供 根据 按照 依据 对 在 "
    "结合 会商 承担 编制 建设 实施 抓好 督导 审核 审批 监督 管理 出台 发布 印发 明确 优化 "
    "提升 提高 推广 探索 引导 鼓励 设立 成立 搭建 打造 培育 梳理 排查 核查 检查 整治 清理 "
    "规范 保障 确保 安排 给予 加紧 依托 牵头负责 做实 持续 深化 深入 全力 着力 聚焦 围绕 "
    "针对 通过 利用 运用 会签 审查 核定 核准 备案 汇总 报送 上报 向 与 同 指定 确定 部署 "
    "召开 启动 完成 形成 构建 申报 申请 争取 发挥 参与 借鉴 做 抓 把 将 为 从 自 于 "
    "适时 及时 定期 跟踪 评估 考核 督办 通报 公布 公开 宣传 培训 调度 收集 整合 共享 对接 "
    "衔接 拟定 修订 起草 编报 谋划 筹建 筛选 组建 签订 牵头组织 设置 新建 新增 改造 推行 实行 派出 派员 "
    "汇集 认定 审定 公示 发放 拨付 下达 牵头开展"
).split()
_MODAL = "|".join(sorted(_MODALS, key=len, reverse=True))
# a time the subject must act by, written before the verb (`国网客服中心6月底前完成…` / `…要在5月底前完成…`)
_WHEN = r"(?:在|于)?(?:20\d\d年)?(?:\d{1,2}月(?:底|中旬|上旬|下旬|末)?|年底|年内|年中|上半年|下半年)(?:前|以前)?,?"
_VERBS = "|".join(sorted(_ACTIONS, key=len, reverse=True))
_ACTION = re.compile(rf"^(?:(?:{_MODAL}|{_WHEN}|试点|率先|先行)\s*)*(?:{_VERBS})")
_JOIN = re.compile(r"^(?:要|应|须|将|可)?(?:会同|联合|配合|协同|协助)")
_LEADS = re.compile(r"^(?:要|应|须|将|可)?牵头(?=各|区|市|县|省|镇|有关|相关)")  # A牵头各乡镇…: A leads, they support
_TRAILING = re.compile(r"等(?:有关|相关)?(?:部门|单位)?")  # used with .match(s, pos): no ^
_SENTENCE = re.compile(r"[^。;!?\n]+[。;!?]?")
# 由 opening a clause early in the sentence (`年初,对遴选出的项目,由省政府督查室汇总形成…`).
_BY_IN = re.compile(r"^(?:[^。;]{0,40}?,)?[^,。;]{0,12}?(?<![自理经缘事])由")
# As subjects, only the districts' or towns' governments of a city plan (各区政府要… / 属地街镇负责…): the
# collectives of a provincial or national text (各级政府 / 各地政府 / 各市、县政府要…) are general calls.
_SUBJECT_COLLECTIVE = re.compile(
    r"^(?:各(?:区|郊区|街镇|镇|乡镇|街道)(?:政府|人民政府)?|(?:属地|所在)[\u4e00-\u9fff]{0,4}|有关区)(?:\([^()]{1,12}\))?$"
)
# Collectives of governments of one level (各区政府, 各郊区, 各市、县人民政府), not 各地区 / 各部门: units a
# duty list may be given to.
_LEVEL_COLLECTIVE = re.compile(r"^(?!.*(?:有关|相关))(?!各地区)"
                               r".*(?:政府|(?<!园)区|县|市|镇|街镇|乡|街道|管委会)(?:\([^()]*\))?$")
_MAX_NAME = 30


class _Span:
    """A sentence or a clause of one: the part of re.Match that find_subjects uses."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._text[self._start:self._end]


# A clause after a comma that hands work to a unit of its own: `…上线,各省公司要…` / `…,B负责…`.
# A cover letter's sentence about the document itself: `A会同有关部门制定了《…》,现印发给你们`.
_DOCUMENT_MADE = re.compile(r"(?:制定|制订|起草|编制|修订|拟定)了《|现(?:将|予)?印发|印发给你们")
_CLAUSE_MODAL = re.compile(r"^(?:要|负责|牵头|应当|应|须|必须|会同|联合(?!会|体))")


def _clauses(text: str, start: int, end: int) -> Iterator[_Span]:
    """Sentences, and within one the clauses that open with a unit of their own and a modal
    (`国网客服中心要在1月底前完成…,各省公司要…扩大触达率,7月底前完成…`): each is the work of its subject."""
    for m in _SENTENCE.finditer(text, start, end):
        cut = m.start()
        for at in subject_clause_starts(text, m.start(), m.end()):
            yield _Span(text, cut, at)
            cut = at
        yield _Span(text, cut, m.end())


def subject_clause_starts(text: str, start: int, end: int) -> Iterator[int]:
    """Offsets in text[start:end] right after a comma where a clause opens with a named unit and a modal."""
    for comma in re.finditer(",", text[start:end]):
        at = start + comma.end()
        units, rest = subject_units(text[at:end])
        if units and is_named_unit(units[0]) and _CLAUSE_MODAL.match(text[at + rest:end]):
            yield at


# Areas of work sharing one 部门: `城市管理综合执法、公安、交通、海事等部门要…` / `生态环境、城管执法部门要…`.
_SHARED_BODY_LIST = re.compile(r"(?:[\u4e00-\u9fff]{2,12}、){1,8}[\u4e00-\u9fff]{2,12}?(?:等(?:相关|有关)?)?部门")


def subject_units(sentence: str) -> tuple[list[str], int]:
    """Units the sentence opens with and the offset where the rest of the sentence starts."""
    pos, units = 0, []
    while pos < len(sentence):
        k = _longest_unit(sentence, pos)
        if k == 0:
            break
        if sentence.startswith(("会同", "联合"), pos + k - 1) and is_unit(sentence[pos:pos + k - 1]):
            k -= 1  # 省级科协会同…: the name ends before 会同
        name = sentence[pos:pos + k]
        bare = re.sub(r"^所在地?", "", name)
        units.append(bare if bare != name and is_named_unit(bare) else name)  # 所在镇政府: the 镇政府 in question
        pos += k
        if sentence.startswith("(", pos):  # 区委组织部(区公务员局): another name of the same unit
            close = sentence.find(")", pos)
            pos = close + 1 if 0 < close - pos <= 20 else pos
        glue = next((g for g in _LIST_GLUE if sentence.startswith(g, pos)), None)
        if glue is None or _longest_unit(sentence, pos + len(glue)) == 0:
            break
        pos += len(glue)
    if not units and (shared := _SHARED_BODY_LIST.match(sentence)):
        # no name opens it, but areas sharing one 部门 do (城市管理综合执法、公安、交通等部门要…)
        listed = split_units(shared.group())
        if len(listed) > 1 and all(is_unit(u) for u in listed):
            return listed, shared.end()
    trailing = _TRAILING.match(sentence, pos)
    return units, trailing.end() if trailing else pos


def _longest_unit(text: str, pos: int) -> int:
    limit = min(len(text), pos + _MAX_NAME)
    for end in range(limit, pos + 1, -1):
        if text[end - 1] in NAME_END and is_unit(text[pos:end]):
            return end - pos
    return 0


def find_subjects(text: str, start: int, end: int, ended: frozenset[int] = frozenset()) -> Iterator[Tag]:
    """Subject assignments in the paragraph text[start:end], each spanning to the next one or the end.

    `ended`: positions of line breaks that stand for a sentence's end (a one-line dump broken into items).
    """
    found: list[Tag] = []
    for m in _clauses(text, start, end):
        opening = _OPENING.match(m.group())
        at = m.start() + (opening.end() if opening else 0)
        sentence = text[at:m.end()]
        units, rest_at = subject_units(sentence)
        if not units and (by := _BY_IN.search(sentence)):
            # `对确定的项目,由省政府办公厅派出专项督查组…`: the units after 由 do what the sentence says.
            units, rest_at = subject_units(sentence[by.end():])
            rest_at += by.end()
            if sentence[rest_at:].lstrip().startswith(("牵头", "负责", "会同")):
                units = []  # 由A牵头/负责/会同…: read by loaders.tags.find_prose
        if not units or (unit_kind(units[0]) == COLLECTIVE and not _SUBJECT_COLLECTIVE.search(units[0])
                         and not is_region_list(units[0])):
            continue  # 各地区、各部门要…: a general call; 各区政府要… / 有关区要…: the districts' task
        if all(is_county(u) for u in units):
            continue  # 静安区聚焦…: the place as a whole, not its government given a task
        if m.group()[-1] not in "。;!?" and m.start() == start and m.end() == end and m.end() not in ended:
            continue  # a whole line without a sentence's end: a title or heading (合肥市推进…行动方案)
        rest = sentence[rest_at:].lstrip(" ,")  # 由A、B(单位),组织评估…: a comma may follow the units
        if not rest.strip(" 。;!?") or _NOT_ACTION.match(rest) or not _ACTION.match(rest) \
                or _DOCUMENT_MADE.search(m.group()):
            continue
        join = _JOIN.match(rest) or _LEADS.match(rest)
        partners = leading_units(rest[join.end():]) if join else []
        if found and set(units) <= {u.mention for u in found[-1].units}:
            # The same units again (`发展改革委将…`): still their measure, with any partners it names.
            known = {u.mention for u in found[-1].units}
            label = join.group() if join else ""  # partners are only read after a join word
            found[-1].units += [TaggedUnit(u, label, SUPPORT, at) for u in partners if u not in known]
            continue
        tag = Tag(at, m.end(), sentence, rule="subject")
        if join and partners and join.group().endswith(("配合", "协助")):
            # `A要配合B做好…`: B leads the work and A supports it.
            tag.units = [TaggedUnit(u, join.group(), LEAD, at) for u in partners]
            tag.units += [TaggedUnit(u, "", SUPPORT, at) for u in units if u not in partners]
            found.append(tag)
            continue
        # `A、B会同C…`: A and B lead; otherwise the first listed leads.
        tag.units = [TaggedUnit(u, "", LEAD if join else FIRST_LISTED, at) for u in units]
        if join:
            tag.units += [TaggedUnit(u, join.group(), SUPPORT, at) for u in partners]
        found.append(tag)
    for i, tag in enumerate(found):
        tag.end = found[i + 1].start if i + 1 < len(found) else end
        _add_partners(text, tag)
        yield tag


# Partners named later in a unit's own work: `区商务委负责…;对…会同区规划资源局开展…评价` / `…,联合区房管局指导…`.
PARTNER = re.compile(r"(?:会同|联合(?!会|体)|协同|配合|协助|组织(?=[^,。;]{2,40}?(?:开展|实施|做好|落实|推进)))")


def _add_partners(text: str, tag: Tag) -> None:
    """Units that the tag's lead works with (会同 / 联合 / 协同 + named units) inside the tag's span: supporters."""
    known = {u.mention for u in tag.units}
    for m in PARTNER.finditer(text, tag.start, tag.end):
        if m.start() == tag.start:
            continue
        after = text[m.end():min(tag.end, m.end() + 80)]
        shared = _SHARED_BODY_LIST.match(after)
        listed = split_units(shared.group()) if shared else []
        for unit in listed if len(listed) > 1 and all(is_unit(u) for u in listed) else leading_units(after):
            if unit not in known and (is_named_unit(unit) or unit in listed):
                tag.units.append(TaggedUnit(unit, m.group(), SUPPORT, m.end()))
                known.add(unit)


# A closing sentence that only says who does the item: `国家发展改革委、科技部等部门按职责分工负责。`
_CLOSING_REST = re.compile(r"^(?:要|应|须)?(?:按照?职责(?:分工)?|根据职责|分别|共同|按分工)?\s*"
                           r"(?:牵头)?(?:负责|落实|实施|推进|承担)(?:落实|实施|推进)?\s*[。;]?\s*$")


def find_closing(text: str, taken: list[tuple[int, int]]) -> list[Tag]:
    """Sentences that end a paragraph and consist of units and 负责 / 按职责分工负责: the paragraph's tag
    (the work is the text before them, as with a bracketed tag)."""
    out = []
    for para in re.finditer(r"[^\n]+", text):
        last = None
        for sentence_match in _SENTENCE.finditer(text, para.start(), para.end()):
            last = sentence_match
        if last is None or last.start() == para.start() or any(a <= last.start() < b for a, b in taken):
            continue
        at = last.start() + len(last.group()) - len(last.group().lstrip())
        sentence = text[at:last.end()]
        units, rest_at = subject_units(sentence)
        if not units or not _CLOSING_REST.match(sentence[rest_at:]) or not any(is_named_unit(u) for u in units):
            continue
        tag = Tag(at, last.end(), sentence, rule="closing")
        tag.units = [TaggedUnit(u, "", FIRST_LISTED, at) for u in units]
        out.append(tag)
    return out


# Duty lists: `区民防办:负责制定…` (a unit, a colon, its duties), or a heading that is only a unit
# (`一、区数据局`) with its duties in the paragraphs below it.
_DUTY_LINE = re.compile(r"^[ \t]*(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.、])?"
                        r"[ \t]*"
                        r"(?P<u>[^:\n。;,]{2,60}?)[ \t]*:[ \t]*(?P<rest>[^\n]*)$", re.M)
_UNIT_HEADING = re.compile(r"^[ \t]*(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\))[ \t]*"
                           # a unit, perhaps with its other name: 六、公安青浦分局(交警支队)
                           r"(?P<u>[^:\n。;,()]{2,40}?)(?:\([^()\n]{1,30}\))?[ \t]*$", re.M)


_DUTY_WORD = re.compile(r"^(?:主要)?(?:负责|牵头|参与|配合|承担|协助|指导|组织)")


def find_duties(text: str) -> Iterator[Tag]:
    """Duty-list entries: a Tag per duty (its span is the duty text; its units the unit it is listed under).

    A `unit: text` line counts when its text opens with a duty word (负责 / 牵头 …) or when it stands in a
    list of such lines; a lone `各设区市科技局:现将…` is an addressee line, not a duty."""
    lines = [line for line in re.finditer(r"[^\n]+", text) if line.group().strip()]
    duty_at = [_duty_line(line.group()) for line in lines]
    heading: tuple[list[str], int] | None = None  # units of the last unit heading, and where they stand
    for i, line in enumerate(lines):
        found = duty_at[i]
        if found is not None:
            m, units = found
            listed = any(0 <= j < len(lines) and duty_at[j] is not None for j in (i - 1, i + 1))
            if listed or _DUTY_WORD.match(m.group("rest").strip()):
                yield _duty(units, line.start() + m.start("rest"), line.end(), line.start() + m.start("u"), text)
                heading = None
                continue
        duty = _DUTY_LINE.match(line.group())
        h = _UNIT_HEADING.match(line.group())
        if h and (units := _duty_units(h.group("u"))):
            heading = (units, line.start() + h.start("u"))
            continue
        if h or duty or line.group().lstrip().startswith(("附件", "附表")):
            heading = None  # another heading ends the unit's section
            continue
        if heading is not None and not _is_numbered_title(line.group()):
            yield _duty(heading[0], line.start(), line.end(), heading[1], text)


def _duty_line(line: str) -> tuple[re.Match[str], list[str]] | None:
    m = _DUTY_LINE.match(line)
    if m is None or not m.group("rest").strip():
        return None
    units = _duty_units(m.group("u"))
    return (m, units) if units else None


def _duty_units(label: str) -> list[str]:
    units = split_units(label)
    if not units or not all(is_unit(u) for u in units):
        return []
    if unit_kind(units[0]) == COLLECTIVE and not _LEVEL_COLLECTIVE.search(units[0]):
        return []
    return units


def _duty(units: list[str], start: int, end: int, at: int, text: str = "") -> Tag:
    tag = Tag(start, end, "", rule="duty-list")
    tag.units = [TaggedUnit(u, "", FIRST_LISTED, at) for u in units]
    if text:
        _add_partners(text, tag)
    return tag


def _is_numbered_title(line: str) -> bool:
    """`1、线索处置与闭环管理`: a short numbered title inside a unit's section, not a duty of its own."""
    stripped = line.strip()
    return len(stripped) <= 20 and bool(re.match(r"^\d{1,2}[、.]", stripped)) and not stripped.endswith("。")


# Unit-led items: enumerated items that each open with a unit and go on with its duties —
# `五、职责分工(一)区党群工作部按照…(二)区宣传与影视发展部充分发挥…` or `(1)国家发展改革委:负责…`. The whole item,
# sub-items included, is the unit's duty: one measure per item, running to the next item of its level.
_DUTY_SECTION = re.compile(r"职责|分工|责任")
_UNIT_ITEM_STOP = re.compile(r"^(?:的|是|为|等|和|及|与|、|,|或|在|已)")
_MAX_UNIT = 25


def find_unit_items(text: str, headings: list[Heading]) -> Iterator[Tag]:
    """Tags of unit-led items (one per item; its span is the item; its unit leads, its partners support).

    Sibling items count when at least two open with a unit and their section's title speaks of duties
    (职责 / 分工 / 责任), or when at least three open with a unit followed by a colon or a full stop (a list of
    units and their duties, whatever the section's title)."""
    parents: dict[int, list[int]] = {}
    stack: list[int] = []
    for i, h in enumerate(headings):
        while stack and headings[stack[-1]].level >= h.level:
            stack.pop()
        parents.setdefault(stack[-1] if stack else -1, []).append(i)
        stack.append(i)
    for parent, children in parents.items():
        by_level: dict[int, list[int]] = {}
        for i in children:
            by_level.setdefault(headings[i].level, []).append(i)
        duty_section = parent >= 0 and bool(_DUTY_SECTION.search(headings[parent].title))
        for siblings in by_level.values():
            opened = {i: _unit_opening(text, headings[i].body_start) for i in siblings}
            led = [i for i in siblings if opened[i] is not None]
            labelled = [i for i in led if text[opened[i][1]:opened[i][1] + 1] in ":。"]  # type: ignore[index]
            if not (len(led) >= 2 and duty_section or len(labelled) >= 3 and len(labelled) * 2 >= len(siblings)):
                continue
            for i in led:
                unit, _ = opened[i]  # type: ignore[misc]
                h = headings[i]
                end = next((g.start for g in headings[i + 1:] if g.level <= h.level), len(text))
                end = min(end, _section_end(text, h.body_start, end))
                while end > h.body_start and text[end - 1].isspace():
                    end -= 1
                yield _duty([unit], h.body_start, end, h.body_start, text)


def _unit_opening(text: str, pos: int) -> tuple[str, int] | None:
    """The unit an item opens with (the longest name that reads as a unit) and where it ends."""
    head = text[pos:pos + _MAX_UNIT].split("\n", 1)[0]
    for k in range(len(head), 1, -1):
        if head[k - 1] not in NAME_END:
            continue  # a unit's name ends like one (局 / 委 / 办 / 政府 …)
        name = head[:k]
        # a unit alone on its heading line is a unit heading (find_duties reads its paragraphs one by one)
        if k < len(head) and is_unit(name) and is_named_unit(name) and not _UNIT_ITEM_STOP.match(head[k:]) \
                and (unit_kind(name) != COLLECTIVE or _LEVEL_COLLECTIVE.search(name)):
            return name, pos + k
    return None


def _section_end(text: str, start: int, end: int) -> int:
    """Where an item's text stops before `end`: a blank line, or an appendix or signature run on after it."""
    blank = re.search(r"\n[ \t\u3000]*\n", text[start:end])
    return start + blank.start() if blank else end


# A unit's duties listed under a line that names it: `国家粮食应急工作指挥部职责 (1)…(2)…` /
# `…指挥部办公室承担以下职责:(1)…` / `市应急管理局主要职责如下:1.…`. The list is the unit's duty: one measure.
_DUTIES_OF = re.compile(r"(?:职责|职能)(?:如下|是|为|包括)?\s*:?\s*|"
                        r"(?:以下|下列|如下)(?:主要)?(?:职责|工作|任务)\s*:\s*")
# Words between the unit and _DUTIES_OF (`…指挥部办公室及其职责` / `…办公室主要承担以下职责`), stripped backwards.
_DUTIES_LEAD_IN = re.compile(r"(?:及其|的|主要|工作|承担|履行|负责)$")


def _duties_start(text: str, pos: int) -> int:
    """Where the words introducing a duty list start, backing off from `pos` over 及其 / 主要 / 承担 …"""
    while (m := _DUTIES_LEAD_IN.search(text, max(0, pos - 4), pos)) is not None:
        pos = m.start()
    return pos


def find_duty_blocks(text: str, headings: list[Heading]) -> Iterator[Tag]:
    """Tags of duty lists introduced by the unit they belong to (one per list: its span runs from the first
    listed duty to the end of the last; the unit leads, the partners its duties name support)."""
    starts = {h.start: k for k, h in enumerate(headings)}
    for m in _DUTIES_OF.finditer(text):
        first = starts.get(_skip_spaces(text, m.end()))
        at = _duties_start(text, m.start())
        if first is None or at == 0:
            continue
        unit = _unit_before(text, at)
        if unit is None:
            continue
        level = headings[first].level
        k = first
        while True:
            nxt = next((j for j in range(k + 1, len(headings)) if headings[j].level <= level), None)
            if nxt is None or headings[nxt].level < level or headings[nxt].start - headings[k].start > _MAX_DUTY \
                    or _enumerator(headings[nxt]) == _enumerator(headings[first]):
                break  # the list ended: a shallower heading, a long gap, or another list counting from 1 again
            k = nxt
        listed = [j for j in range(first, k + 1) if headings[j].level == level]
        if sum(1 for j in listed if _unit_opening(text, headings[j].body_start)) >= 2:
            continue  # `成员单位职责 (1)A负责…(2)B负责…`: each item names its own unit
        end_limit = next((h.start for h in headings[k + 1:] if h.level <= level), len(text))
        end = _first_end(text, headings[k].body_start, end_limit)
        yield _duty([unit], headings[first].start, end, at, text)


_MAX_DUTY = 600  # characters from one listed duty to the next: farther, it is another list


def _enumerator(heading: Heading) -> str:
    found = re.match(r"\(?[\d一二三四五六七八九十]+[)、.是]?", heading.label)
    return found.group() if found else heading.label


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\u3000\n":
        pos += 1
    return pos


def _unit_before(text: str, pos: int) -> str | None:
    """The named unit that ends at `pos` (the longest one within a line and a clause)."""
    start = max(0, pos - _MAX_UNIT - 5)
    head = re.split(r"[\n。;:,]", text[start:pos])[-1]
    for k in range(0, len(head) - 1):
        name = head[k:].strip()
        if is_unit(name) and is_named_unit(name):
            return name if unit_kind(name) != COLLECTIVE else None
    return None


def _first_end(text: str, start: int, limit: int) -> int:
    """The end of the sentence or line starting at `start`, not past `limit`."""
    found = re.search(r"[。\n]", text[start:limit])
    end = start + found.end() if found and found.group() == "。" else (start + found.start() if found else limit)
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
