"""Questions typed into "who leads": what is asked about, a topic or a department.

"谁牵头推进中试基地建设" and "中试基地由哪个部门负责" ask about the topic 中试基地; "哪些部门负责科技金融" about
科技金融; "淮北市科技局牵头了哪些任务" about the department 淮北市科学技术局.  Question words, role verbs
(牵头, 负责), particles and generic work words at the edges (推进…建设, …工作) are taken away; what is left is a
department when it reads as one of the index's departments (search.departments), alone or at the start or end
(淮北市科技局 中试基地), and a topic otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from search.analyzer import STOP_WORDS, fold, precise_tokens, subwords
from search.departments import Lexicon, Reading, one_name, read_line_of_work
from search.departments import read as read_department

_PUNCT = re.compile(r"[\s？?！!。，,、；;：:“”\"'‘’（）()《》]+")
_ASKS = re.compile(  # …由谁来抓, 谁在管…, …应该问谁, …该找哪个部门, …去哪个部门办, …哪个处室负责, 哪位领导负责…
    r"请问|请告诉我|我想知道|想知道|想了解|查一下|查询"
    r"|(?:应该|应当|该|要|可以|具体|一般|到底)?(?:是)?(?:由|去|向|跟|找|问|联系|咨询)?"
    r"(?:谁|哪位|哪一个|哪个|哪些|哪家|什么|啥)(?:部门|单位|机构|牵头单位|责任单位|处室|科室|领导|局|厅|委|办)?"
    r"(?:在|来)?(?:负责|牵头|主管|主抓|承担|管理|管|抓|问|找|联系|咨询|对接|办理|办)?"
)
_ROLE_NOUN = re.compile(  # 的牵头单位是, 的责任部门, 的主管部门有哪些
    r"(?:的)?(?:牵头|负责|责任|主管|主责|主办|承办|归口)(?:单位|部门|机构|处室)(?:是|为|有)?(?:谁|哪个|哪些|哪家|什么|啥)?"
)
_ROLE = re.compile(r"(?:牵头|负责|主责|主管|主抓|承担|归口|配合|参与|协助|协办)(?:了|的)?")
_TASKS = re.compile(r"(?:(?:管|抓)了?(?:哪些|什么|啥)|有?(?:哪些|什么|啥)?)(?:任务|工作|事项|措施|事情|职责)$"
                    r"|(?:(?:管|抓)了?(?:哪些|什么|啥)?|哪些|什么|啥|这件|的)事$")  # …管哪些事, …这件事
_LEAD_PARTICLES = re.compile(r"^(?:由|是|在|对|关于|把|将|去|省里|市里|县里|区里|省上|市上)+")
_TRAIL_PARTICLES = re.compile(r"(?:的|了|吗|呢|啊|呀|吧)+$")
_TRAIL_PREPOSITIONS = re.compile(r"(?:归|在|由|是|被|交给|找)$")  # 归(谁管), (是谁)在(负责), 由(谁牵头)
_TRAIL_ADVERBS = re.compile(r"(?:分别|各自|都|均)$")  # …和…分别(由谁牵头), …都(归谁管)
# Topics asked about together (跨境电商和综合保税区, 农机装备与体育竞赛表演): each is answered on its own.
_TOPIC_JOINER = re.compile(r"以及|和|与|及|、")
_RESPECTIVELY = re.compile(r"分别|各自")
_LEAD_GENERIC = re.compile(r"^(?:推进|推动|开展|加强|加快|实施|落实|做好|抓好|组织|统筹|建设|搞好|办好)+")
_TRAIL_GENERIC = re.compile(r"(?:相关工作|工作|建设|任务|事项|这件事|这项工作|的事)+$")
GENERIC_WORDS = frozenset("推进 推动 开展 加强 加快 实施 落实 做好 抓好 组织 统筹 建设 工作 任务 事项 相关".split())


@dataclass
class Question:
    """How a who-leads question was read: the department it names and the topic it asks about."""

    text: str  # as asked
    topic: str  # the topic words, space-separated ("" when the question only names a department)
    department: Reading | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def topics(self) -> list[str]:
        """The topics asked about together (跨境电商和综合保税区 → 跨境电商, 综合保税区); [] for one topic."""
        return [] if self.department is not None else split_topics(self.topic)

    @property
    def respectively(self) -> bool:
        """Whether the question asks for each topic's lead (…分别由谁牵头)."""
        return bool(_RESPECTIVELY.search(fold(self.text)))

    @property
    def label(self) -> str:
        """How the question was read, for the page: 按主题：中试基地 / 按部门：淮北市科学技术局 · 主题：中试基地."""
        parts = []
        if self.department is not None:
            parts.append("按部门：" + "、".join(self.department.names[:5])
                         + (f" 等 {len(self.department.names)} 个" if len(self.department.names) > 5 else ""))
        if self.topic:
            parts.append(("主题：" if parts else "按主题：") + "、".join(self.topics or self.topic.split()))
        return " · ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able dict."""
        return {"kind": "department" if self.department is not None else "topic", "label": self.label,
                "topic": self.topic, "departments": list(self.department.names) if self.department else [],
                "department_text": self.department.text if self.department else "",
                "notes": list(self.department.notes) if self.department else []}


def read_question(q: str, lex: Lexicon) -> Question:
    """Read a who-leads question (any script) into a department and/or a topic."""
    words = _joined([w for w in (_strip(w) for w in _PUNCT.sub(" ", fold(q)).split()) if w], lex)
    department = None
    topic: list[str] = []
    for word in words:
        if department is None:
            found, rest = _asked_of(word, lex) or _department_in(word, lex)
            if found is not None:
                department = found
                topic += [rest] if rest else []
                continue
        topic.append(_TOPIC_MARKER.sub("", word) if len(_TOPIC_MARKER.sub("", word)) >= 2 else word)
    return Question(q, " ".join(t for t in (_strip(t) for t in topic) if t), department)


def _joined(words: list[str], lex: Lexicon) -> list[str]:
    """The words with a department name typed in pieces (淮北 科技局, 淮北 市 科技局) joined."""
    out, i = [], 0
    while i < len(words):
        end = next((j for j in range(min(len(words), i + 4), i + 1, -1) if one_name(words[i:j], lex)), None)
        out.append("".join(words[i:end]) if end else words[i])
        i = end or i + 1
    return out


# A topic said the way staff say it: 口罩这块, 融资担保这方面, 老字号那边.
_TOPIC_MARKER = re.compile(r"(?:这一块|那一块|这块|那块|这方面|那方面|方面|这边|那边)$")
# A topic asked about with the departments the asker has in mind (中试基地是科技局管吗, 科技投入是科技局还是财政局
# 牵头, 老字号归商务厅管): those departments' measures on the topic answer it.
_ASKED_OF = re.compile(r"^(?P<topic>.{2,}?)(?:是不是|是否|是|归|由|属于)(?P<depts>.{2,}?)(?:来|在)?"
                       r"(?:管|负责|牵头|主管|主抓|抓|办)?$")
_EITHER = re.compile(r"还是|或者|或|和|与|、")


def _asked_of(word: str, lex: Lexicon) -> tuple[Reading, str] | None:
    """(the departments, the topic) of a question naming both, each department read as one of the index's."""
    m = _ASKED_OF.match(word)
    if m is None:
        return None
    readings = [read_department(part, lex) or read_line_of_work(part, lex) for part in _EITHER.split(m["depts"])
                if part]  # in this question a bare line of work is a department: 综合保税区归海关管吗
    if not readings or any(r is None for r in readings):
        return None
    names = tuple(dict.fromkeys(n for r in readings if r is not None for n in r.names))
    notes = tuple(dict.fromkeys(n for r in readings if r is not None for n in r.notes))
    return Reading(m["depts"], names, notes), _strip(m["topic"])


_QUESTION_WORDS = re.compile(r"谁|哪个|哪些|哪家|哪一个|哪位|什么|啥|是否|吗$|呢$")
# Words around what is searched for that name no topic: a request (请问, 帮我查一下, 有没有), a lead-in (关于…的)
# and a closing (…有哪些, …吗).  Documents never hold them next to the topic, so they made a search find nothing.
_FILLER_HEAD = re.compile(
    r"^(?:请问一下|请问|请帮我|请帮忙|帮我|帮忙|麻烦|我想要|我想|我要|想要|请|给我|能否|能不能|可以|可否"
    r"|查询一下|查一下|查查|查询|查找|找一下|找找|搜一下|搜索|看一下|看看|了解一下|了解"
    r"|是否有|有没有|有无|哪里有|一下)+")
_FILLER_LEAD_IN = re.compile(r"^(?:关于|有关|针对|涉及)")
_FILLER_TAIL = re.compile(r"(?:有哪些|有什么|是什么|有没有|有吗|吗|呢|啊|吧|呀|的内容|的资料|的信息|方面的?)+$")
_TRAIL_DE = re.compile(r"的+$")
# …有哪些政策, …都有什么措施: the closing asks before a kind of entry, which stays (search.compounds reads it)
_ASK_BEFORE_KIND = re.compile(r"都?(?:有哪些|有什么|有没有|有啥|有)(?=(?:相关|有关)?的?(?:措施|任务|政策|文件|举措)$)")
# Questions across documents (营商环境两个文件有什么区别, 两个文件都提到的一照多址): the comparison asked for at the
# end, the documents counted, and "mentioned by all of them" before the topic name no topic; …文件 stays.
_COMPARE_TAIL = re.compile(r"(?:之间)?(?:有什么|有何|有哪些|有啥|的)?(?:区别|不同|异同|差别|差异)$"
                           r"|(?:对比|比较)(?:一下)?$")
_DOC_COUNT = re.compile(r"(?:这|那)?(?:两|二|三|几|多)(?:个|份|部|项)(?=(?:文件|政策|通知|意见|方案)$)")
_ACROSS_HEAD = re.compile(r"^(?:(?:这|那)?(?:两|二|三|几|多|各)(?:个|份|部|项)(?:文件|政策|通知|意见|方案)(?:里|中)?)?"
                          r"(?:都|均|同时|共同)(?:提到|提及|涉及|说到|讲到|写到|写了|提了|有)(?:了|的|过)*")
# Text pasted from a document opens with its item's number ((三)加快推进…, 1.积极稳妥地…, 三、, ①, 第五条): the
# measure's entry holds the text without it.
_ENUMERATION = re.compile(r"^(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[.、)](?!\d)"
                          r"|[①-⑳]|第[一二三四五六七八九十百\d]{1,4}[条章节])\s*")
# Documents mentioning a topic (哪些文件提到了跨境电商, 政策里涉及综合保税区的): the topic's policies (…的文件).
_DOCS_MENTIONING = re.compile(r"^(?:哪些|什么|哪个|哪份|有哪些|有什么)?(文件|政策)(?:里|中|当中)?"
                              r"(?:提到|提及|涉及|写到|说到|讲到|包含|含有)(?:了|过)?(.{2,}?)的?$")
# In a request (有没有支持新型研发机构的文件) a verb of action before the topic is the request's, not the topic's.
_REQUEST_VERB = re.compile(r"^(?:支持|鼓励|促进|推进|推动|加快|加强|开展|实施|落实)")


def without_filler(word: str) -> str:
    """A search word without the request, lead-in and closing words around its topic (请问有没有关于综合保税区
    的政策 → 综合保税区的政策); the word itself when nothing or too little (under 2 characters) would be left."""
    folded = fold(word).strip()
    previous = None
    stripped = _ENUMERATION.sub("", folded) if len(_ENUMERATION.sub("", folded)) >= 2 else folded
    if m := _DOCS_MENTIONING.match(stripped):
        stripped = f"{m.group(2)}的{m.group(1)}"  # 跨境电商的文件: search.compounds reads the kind
    while previous != stripped:
        previous = stripped
        stripped = _ASK_BEFORE_KIND.sub("", _FILLER_TAIL.sub("", _FILLER_HEAD.sub("", stripped)))
        stripped = _DOC_COUNT.sub("", _COMPARE_TAIL.sub("", _ACROSS_HEAD.sub("", stripped)))
        rest = _FILLER_LEAD_IN.sub("", stripped)
        stripped = rest if len(rest) >= 2 else stripped
        stripped = _TRAIL_DE.sub("", stripped) if stripped != folded else stripped
    if stripped != folded and _FILLER_HEAD.match(folded):
        rest = _REQUEST_VERB.sub("", stripped)
        stripped = rest if len(rest) >= 4 else stripped
    return stripped if len(stripped) >= 2 else folded


def is_filler(word: str) -> bool:
    """Whether a search word is nothing but request or closing words (请问, 有没有, 帮我查一下)."""
    folded = fold(word).strip()
    return bool(folded) and not _COMPARE_TAIL.sub("", _FILLER_TAIL.sub("", _FILLER_HEAD.sub("", folded)))


def asked_about(word: str) -> str | None:
    """What a question typed as one search word asks about (谁牵头中试基地建设 → 中试基地), or None when the
    word is no question."""
    folded = fold(word).strip()
    if not (_QUESTION_WORDS.search(folded) or _ROLE_NOUN.search(folded)):
        return None
    stripped = _strip(folded)
    return stripped if len(stripped) >= 2 and stripped != folded else None


def _strip(word: str) -> str:
    """A word without question words, role verbs, particles and generic work words at its edges."""
    word = _ROLE_NOUN.sub("", word)
    word = _ASKS.sub("", word)
    word = _ROLE.sub("", word)
    previous = None
    while previous != word:
        previous = word
        word = _TASKS.sub("", word) if len(word) > 2 else word
        word = _LEAD_PARTICLES.sub("", word)
        word = _TRAIL_PARTICLES.sub("", word)
        word = _TRAIL_PREPOSITIONS.sub("", word) if len(word) > 3 else word
        word = _TRAIL_ADVERBS.sub("", word) if len(word) > 3 else word
        stripped = _TRAIL_GENERIC.sub("", _LEAD_GENERIC.sub("", word))
        word = stripped if len(stripped) >= 2 else word
    return word


def _department_in(word: str, lex: Lexicon) -> tuple[Reading | None, str]:
    """A department the word is, or starts or ends with (the longest), and the rest of the word."""
    found = read_department(word, lex)
    if found is not None:
        return found, ""
    for size in range(len(word) - 1, 1, -1):
        head, tail = word[:size], word[size:]
        if (found := read_department(head, lex)) is not None:
            return found, _rest(tail)
        head, tail = word[: len(word) - size], word[len(word) - size:]
        if (found := read_department(tail, lex)) is not None:
            return found, _rest(head)
    return None, word


def _rest(word: str) -> str:
    """What is left of a question beside its department, as a topic: "" for a single character (人社那边管)."""
    rest = _strip(word)
    return rest if len(rest) >= 2 else ""


def split_topics(topic: str) -> list[str]:
    """A topic joined of several (跨境电商和综合保税区 → 跨境电商, 综合保税区); [] for one topic."""
    if " " in topic:
        return []
    parts = [p for p in _TOPIC_JOINER.split(topic) if p]
    return parts if len(parts) > 1 and all(len(p) >= 2 for p in parts) else []


def topic_words(topic: str) -> str:
    """A topic as separate words (for a second try when the whole topic is not written as one phrase)."""
    words = [t.text for t in precise_tokens(topic) if len(t.text.strip()) >= 2 and t.text not in STOP_WORDS
             and t.text not in GENERIC_WORDS]
    return " ".join(dict.fromkeys(words))


def finer_words(topic: str) -> str:
    """A topic's words with each long word cut into the dictionary words it is made of (安全监管 → 安全 监管): a
    third try, when documents write the topic's words apart (特种设备安全状况 … 严格监管)."""
    out: list[str] = []
    for word in topic_words(topic).split():
        out += _cover(word) if len(word) >= 4 else [word]
    return " ".join(dict.fromkeys(out))


def _cover(word: str) -> list[str]:
    """The word as dictionary words shorter than itself, longest first from the left; the word when none fits."""
    inner = {sub for sub, _at in subwords(word) if len(sub) < len(word)}
    out, i = [], 0
    while i < len(word):
        size = next((n for n in range(len(word) - 1, 1, -1) if word[i:i + n] in inner), 0)
        if not size:
            return [word]
        out.append(word[i:i + size])
        i += size
    return out
