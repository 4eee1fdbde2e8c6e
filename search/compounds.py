"""Words typed without spaces: a department, a year or a document type inside one run of characters.

Staff write "淮北市科技局中试基地", "江西工信厅口罩" or "2020年科技成果转化通知" where the index has the
department as a lead/issuer facet and the topic in the text, so the run as one phrase matches nothing.  A run
is split at its edges: a leading year (2020年), a department at its start or end (read as one of the index's
departments, search.departments), a document-type word at its end (通知, 实施意见…); what is left is the topic.
The whole run is kept as an alternative, so a run that is written as such in a document still matches.
A question typed into the search box (谁牵头中试基地建设, 科技金融由哪个部门负责) is read first (search.questions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.regions import region_prefix
from search.analyzer import fold, precise_tokens
from search.departments import Lexicon, Reading, one_name
from search.departments import read as read_department
from search.querylang import KIND_WORDS, Clause, ParsedQuery
from search.questions import asked_about, is_filler, without_filler

MIN_RUN = 5  # shorter runs are words (科技金融), not compounds
MIN_REST = 2
# The last character of a department name: a prefix is tried as a department only where one of these ends it.
_NAME_ENDS = frozenset("局厅委部办署会院府室心司行队处所站组社馆团")
# A deadline (2020年底前, 2021年6月底前, 年底前) and what is due by it (要完成, 到期): documents write the deadline
# as typed (2020年底前开展涉企收费专项治理), never the words around it.
_DEADLINE = re.compile(r"^((?:(?:19|20)\d{2}年(?:底|末)?(?:\d{1,2}月(?:底|末)?)?(?:\d{1,2}日)?"
                       r"|年底|年末|\d{1,2}月底|\d{1,2}月末)(?:前|之前|以前))"
                       r"(?:要|需要|需|应|必须)?(?:完成|到期|办结|落实|实现|做到)?")
_YEAR = re.compile(r"^((?:19|20)\d{2})年?(?:度)?")
_YEAR_END = re.compile(r"((?:19|20)\d{2})年?(?:度)?$")  # 科协行动方案2020
# …的措施, …相关政策, …牵头的任务: what kind of entry is wanted (querylang.KIND_WORDS), with its connectors.
_KIND_TAIL = re.compile(r"(?:牵头|负责|主管|配合)?(?:相关|有关|方面)?(?:的)?(措施|任务|政策|文件|举措)$")
# …牵头的工作, …负责的事项, 发改委的活: the work a department leads is its measures (工作 alone stays a topic word:
# 转化工作).
_ROLE_WORK_TAIL = re.compile(r"(?:(?:牵头|负责|主管|配合|参与)(?:的)?|的)(?:工作|事项|事情|事儿|事|活儿|活|职责)$")
_TITLE_TAIL = re.compile(r"(?:若干|政策|工作)(?:措施|举措)$")  # …若干措施(的通知): a title's words, not a kind of entry
_ROLE_TAIL = re.compile(r"(?:牵头|负责|主管|配合)(?:的)?$")  # 浙江省科技厅牵头
_ROLE_HEAD = re.compile(r"^(?:牵头|负责|主管|配合)(?:的)?")
_DOC_TYPES = ("实施意见", "指导意见", "若干意见", "意见", "实施方案", "行动方案", "工作方案", "方案", "通知",
              "办法", "细则", "规定", "规划", "决定", "公告", "通告", "批复", "函")


@dataclass(frozen=True)
class Split:
    """One run split at its edges: year, department, topic and document type (each may be empty)."""

    year: str = ""
    department: Reading | None = None
    topic: str = ""
    doc_type: str = ""
    kind: str = ""  # a kind of entry named at the end (…的措施, …政策): a type filter
    place: str = ""  # a region opening the run, where no department does (浙江科技新政, 南昌综合保税区)
    also: Reading | None = None  # a second department joined to the first (科技部和财政部联合发的通知)
    deadline: str = ""  # a deadline as documents write it (2020年底前)
    also_place: str = ""  # a region joined to the department or region (国务院和江西, 江西和浙江)
    together: bool = False  # the two acted together (联合发的, 会同): both, not either, are asked for

    def clauses(self) -> tuple[Clause, ...]:
        """The pieces as query clauses: two departments or regions joined are alternatives unless they acted
        together (国务院和江西关于综合保税区的政策: either; 科技部和财政部联合发的通知: both)."""
        first = self.department.text if self.department is not None else self.place
        second = self.also.text if self.also is not None else self.also_place
        joined: list[Clause]
        if first and second and not self.together:
            joined = [Clause(first + second, either=True, parts=(Clause(first), Clause(second)))]
        else:
            joined = [Clause(p) for p in (first, second) if p]
        if self.department is not None and self.place:
            joined.append(Clause(self.place))
        return (*(Clause(p) for p in (self.year, self.deadline) if p), *joined,
                *([Clause(self.topic, loose=True)] if self.topic else []),
                *([Clause(self.doc_type)] if self.doc_type else []))

    @property
    def parts(self) -> list[str]:
        """The pieces as query words, in typing order."""
        depts = [d.text for d in (self.department, self.also) if d is not None]
        return [p for p in (self.year, self.deadline, *depts, self.place, self.also_place, self.topic,
                            self.doc_type) if p]


def split(word: str, lex: Lexicon) -> Split | None:
    """The run read as pieces, or None when it is one word (nothing could be split off)."""
    run = fold(word).strip()
    if len(run) < MIN_RUN or not re.fullmatch(r"[\u4e00-\u9fff0-9]+", run) or read_department(run, lex):
        return None
    year = deadline = ""
    if m := _DEADLINE.match(run):
        deadline, run = m.group(1), run[m.end():]
    elif (m := _YEAR.match(run)) and len(run) - m.end() >= MIN_REST:
        year, run = m.group(1), run[m.end():]
    elif (m := _YEAR_END.search(run)) and m.start() >= MIN_REST:
        year, run = m.group(1), run[: m.start()]
    rest = 0 if deadline else MIN_REST  # 2020年底前 | 的任务: the deadline is what the kind of entry is asked by
    kind = ""
    if (m := _KIND_TAIL.search(run)) and m.start() >= rest and not _TITLE_TAIL.search(run):
        kind, run = KIND_WORDS.get(m.group(1), "measure"), run[: m.start()]  # 举措: measures
    elif (m := _ROLE_WORK_TAIL.search(run)) and m.start() >= MIN_REST:
        kind, run = "measure", run[: m.start()]
    run = _ROLE_TAIL.sub("", run) if len(_ROLE_TAIL.sub("", run)) >= MIN_REST else run
    doc_type = next((t for t in _DOC_TYPES if run.endswith(t) and len(run) - len(t) >= MIN_REST), "")
    run = run[: len(run) - len(doc_type)] if doc_type else run
    whole = read_department(run, lex) if kind or len(run) < len(fold(word).strip()) else None
    department, run = (whole, "") if whole is not None else _department_at_edge(run, lex)
    place, run = ("", run) if department is not None else _place_at_start(run)
    also, also_place, together = None, "", False
    if (department is not None or place) and (m := _JOINER.match(run)):  # 科技部 | 和 | 财政部 | 联合发的
        together = m.group() == "会同"
        also, after = _department_at_start(run[m.end():], lex)
        if also is None:
            also_place, after = _place_at_start(run[m.end():], 0)  # 国务院 | 和 | 江西 | 关于综合保税区
        if also is not None or also_place:
            run = after
            together = together or bool(_TOGETHER.match(run))
    run = _ROLE_HEAD.sub("", run) if department is not None else run  # 浙江省科技厅 | 牵头的 | 新型研发机构
    run = "" if (department is not None or also_place) and _ISSUED.fullmatch(run) else run  # 印发的: its issuer
    run = _LEAD_IN.sub("", run) if also is not None or also_place else run  # 和江西 | 关于 | 综合保税区
    if not (year or doc_type or department or kind or place or deadline):
        return None
    return Split(year, department, run, doc_type, kind, place, also, deadline, also_place, together)


_TOGETHER = re.compile(r"(?:联合|共同|一起|一同|会同)")
_LEAD_IN = re.compile(r"^(?:关于|有关|的)+")


# Two departments typed together (科技部和财政部, 省财政厅会同省金融监管局) and words saying they issued a document
# or act together (联合发的, 印发的, 出台的, 共同(负责)): the issuer and lead facets say so, documents never write
# these words beside the names.
_JOINER = re.compile(r"^(?:和|与|及|以及|、|会同|同|跟)")
_ISSUED = re.compile(r"(?:联合|共同|一起|一同|分别|各自)(?:印发|发布|下发|出台|制定|发文|发)?(?:了|的)*"
                     r"|(?:印发|发布|下发|出台|制定|发文|发)(?:了|的)*")


def _department_at_start(run: str, lex: Lexicon) -> tuple[Reading | None, str]:
    """The longest department name the run starts with (cut between two of its words), and the rest."""
    cuts = {t.start for t in precise_tokens(run)} | {len(run)}
    for size in range(len(run), 1, -1):
        if size in cuts and run[size - 1] in _NAME_ENDS and (found := read_department(run[:size], lex)) is not None:
            return found, run[size:]
    return None, run


def _place_at_start(run: str, min_rest: int = MIN_REST) -> tuple[str, str]:
    """A region (not the whole country) the run opens with, cut between two words, and the rest."""
    found = region_prefix(run)
    if found is None or found[0].level == "national" or len(run) - len(found[1]) < min_rest:
        return "", run
    if len(found[1]) not in {t.start for t in precise_tokens(run)}:
        return "", run
    return found[1], run[len(found[1]):]


def _department_at_edge(run: str, lex: Lexicon) -> tuple[Reading | None, str]:
    """The longest department name the run starts or ends with, and the rest (the run itself when none).

    The cut must fall between two words of the run (科技委员会 is not 科技委 + 员会)."""
    if len(run) < MIN_REST + 2:
        return None, run
    cuts = {t.start for t in precise_tokens(run)}
    for size in range(len(run) - MIN_REST, 1, -1):
        head, tail = run[:size], run[size:]
        if size in cuts and head[-1] in _NAME_ENDS and (found := read_department(head, lex)) is not None:
            return found, tail
        head, tail = run[: len(run) - size], run[len(run) - size:]
        if (len(run) - size in cuts and run[-1] in _NAME_ENDS
                and (found := read_department(tail, lex)) is not None):
            return found, head
    return None, run


def _no_topic(word: str) -> bool:
    """A word that names a role (牵头单位) or only asks (请问), not a topic."""
    return fold(word).strip() in _ROLE_WORDS or is_filler(word)


# Words that name a role, not a topic (牵头单位 发改委 / 科技局 责任单位): documents write them in tags the index
# does not hold as text, so as a query word of their own they would only make the search find nothing.
_ROLE_WORDS = frozenset("牵头 牵头单位 牵头部门 责任单位 责任部门 配合单位 配合部门 负责 负责单位 负责部门 主管部门 "
                        "协办单位 参与单位".split())


MAX_NAME_PIECES = 4


def _plain(group: list[Clause]) -> bool:
    return len(group) == 1 and group[0].field is None and not group[0].phrase and not group[0].negated


def join_names(parsed: ParsedQuery, lex: Lexicon) -> None:
    """Words that are pieces of one department name typed apart (淮北 市 科技局, 浙江 省 科技厅) become that name
    (search.departments.one_name), two to four plain words at a time."""
    groups, out, i = parsed.groups, [], 0
    while i < len(groups):
        end = next((j for j in range(min(len(groups), i + MAX_NAME_PIECES), i + 1, -1)
                    if all(_plain(g) for g in groups[i:j]) and one_name([g[0].text for g in groups[i:j]], lex)),
                   None)
        out.append([Clause("".join(g[0].text for g in groups[i:end]))] if end else groups[i])
        i = end or i + 1
    parsed.groups = out


# A word that names a kind of entry standing beside the topic (综合保税区 文件, 两份文件): on the second try, after
# nothing matched with it as a word, it asks for that kind.  As a word it stays first: a policy titled …若干措施
# is found by 融资担保 措施.
_KIND_ALONE = {"政策": "policy", "文件": "policy", "措施": "measure", "任务": "measure", "举措": "measure"}


def segment(parsed: ParsedQuery, lex: Lexicon, relaxed: bool = False) -> None:
    """Give every plain text word of a parsed query that is a compound its pieces (Clause.parts); role words
    and request words (请问, 有没有) standing alone beside other words are left out, and request, lead-in and
    closing words around a topic (请问有没有关于…的政策) taken off (search.questions.without_filler); a department
    name typed in pieces is joined first (join_names).  `relaxed` (the second try): a kind word standing alone
    beside other words becomes a type filter."""
    join_names(parsed, lex)
    if relaxed:
        _kind_words_to_filter(parsed)
    kept = [g for g in parsed.groups if not (len(g) == 1 and g[0].field is None and not g[0].negated
                                              and not g[0].phrase and _no_topic(g[0].text))]
    if kept and len(kept) < len(parsed.groups):
        parsed.groups = kept
    for group in parsed.groups:
        for clause in group:
            if clause.field is None and not clause.phrase and not clause.negated and not clause.parts:
                clause.text = without_filler(clause.text)
                asked = asked_about(clause.text)  # 谁牵头中试基地建设 typed into the search box
                found = split(asked or clause.text, lex)
                if found is not None:
                    clause.parts = found.clauses()
                    if found.kind and not any(f.field == "kind" for f in parsed.filters):
                        parsed.filters.append(Clause(found.kind, "kind"))
                elif asked:
                    clause.parts = (Clause(asked, loose=True),)


def _kind_words_to_filter(parsed: ParsedQuery) -> None:
    """Plain words that are only a kind of entry (文件, 两份文件, 措施), beside other words, as a type filter."""
    kinds = {g[0].text: kind for g in parsed.groups
             if _plain(g) and (kind := _KIND_ALONE.get(without_filler(g[0].text)))}
    if not kinds or len(kinds) == len(parsed.groups) or len(set(kinds.values())) > 1:
        return
    parsed.groups = [g for g in parsed.groups if not (_plain(g) and g[0].text in kinds)]
    if not any(f.field == "kind" for f in parsed.filters):
        parsed.filters.append(Clause(next(iter(kinds.values())), "kind"))
