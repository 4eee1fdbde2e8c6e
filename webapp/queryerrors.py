"""Graph query errors (refused, timed out, rejected) as Chinese app errors for the console and query pages.

A syntax error from the engine names where it stopped: FalkorDB as `line: L, column: C, offset: O` with a
*byte* offset into the query it ran, Neo4j as `(line L, column C (offset: O))` in characters. Both become a
line and column in the text the user typed, and a Chinese hint says what is probably wrong there.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from graph.errors import GraphError, QueryFailed, QueryRefused, QuerySyntaxError, QueryTimeout
from graph.sandbox import QueryInterrupted, ResultTooLarge
from graph.saved import SavedQueryError
from webapp.errors import AppError

log = logging.getLogger(__name__)

_REFUSALS = [
    (r"LOAD CSV", "不允许使用 LOAD CSV（查询不能读取文件或访问网络）。"),
    (r"is not allowed: queries may only read",
     "只允许读取图谱，不能使用 CREATE、MERGE、DELETE、SET、REMOVE、DROP 等写操作。"),
    (r"only one statement", "一次只能运行一条语句，请删除语句之间的分号。"),
    (r"procedure .* is not allowed", "不允许调用该过程（只允许 db.labels、db.relationshipTypes、db.propertyKeys）。"),
    (r"takes no arguments", "该过程不接受参数。"),
    (r"CALL subqueries", "不允许使用 CALL 子查询。"),
    (r"cannot be called: a quoted name", "反引号括起的名称不能作为函数或过程调用。"),
    (r"function .* is not allowed", "不允许调用该函数（只允许常用的读取函数，如 count、collect、size、toLower）。"),
    (r"regular expressions", "不允许使用正则表达式 =~，请改用 CONTAINS 或 STARTS WITH。"),
    (r"EXPLAIN/PROFILE", "这里不运行 EXPLAIN/PROFILE。"),
    (r"is empty", "查询为空，请输入 Cypher 语句。"),
    (r"longer than", "查询太长。"),
    (r"nested too deeply", "表达式嵌套过深（括号和 NOT 合计超过 12 层），请简化。"),
    (r"in a row", "连续的 NOT、负号或正号过多，请简化表达式。"),
    (r"a query starts with", "查询须以 MATCH、OPTIONAL MATCH、WITH、UNWIND、RETURN 或 CALL 开头。"),
    (r"never closed|unmatched", "括号不配对，请检查 ( ) [ ] { }。"),
    (r"invisible or control characters", "查询中含有不可见字符或控制字符，请重新输入。"),
    (r"carriage return", "查询中有单独的回车符，请重新输入。"),
    (r"unterminated comment", "查询中有未结束的注释（/* …）。"),
    (r"comment may not contain quote", "注释中不能含有引号（' \" `），请删去。"),
    (r"comment may not contain another", "注释中不能再写注释符号 /*。"),
    (r"unterminated string", "字符串缺少结束的引号。"),
    (r"unterminated `quoted name`", "反引号括起的名称缺少结束的反引号。"),
    (r"doubled backtick", "反引号名称为空，或含有两个连续的反引号。"),
    (r"doubled quote", "字符串中不能用两个连续的引号表示引号，请写成 \\' 或 \\\"。"),
    (r"unknown escape", "字符串中的转义写法不正确（可用 \\\\ \\' \\\" \\n \\t \\uXXXX）。"),
    (r"full-width or look-alike", "名称中含有全角或形似字母，请用半角字母重新输入。"),
    (r"unexpected character", "查询中有无法识别的字符。"),
    (r"\$ must be followed", "$ 后面须紧跟参数名。"),
    (r"parameter", "参数不符合要求（参数名只能用字母、数字和下划线，值须为 JSON）。"),
]

# (pattern on the engine's message, hint); the first match wins, {0} is the pattern's first group.
_HINTS = [
    (r"Invalid input '[^\x00-\x7f]",
     "此处出现了中文等非英文字符：中文别名或属性名须用反引号括起来，例如 AS `部门`；"
     "中文文字须放在引号里，例如 '中试基地'。"),
    (r"at end of input: expected '", "引号没有配对：请补上结尾的引号。"),
    (r"at end of input", "语句不完整：可能缺少右括号、右方括号、表达式或 RETURN 子句。"),
    (r"expected '?(?:RETURN|MATCH|WHERE|WITH|ORDER|LIMIT)\b", "关键字拼写有误：请检查 MATCH、WHERE、RETURN 等关键字。"),
    (r"expected a label, '\{', a parameter or '\)'", "节点写法有误：可能缺少右括号“)”，例如 (d:Department)。"),
    (r"Invalid input", "此处的写法无法识别：请检查括号、引号、逗号和关键字的拼写。"),
    (r"Unknown function '([^']+)'", "未知函数 {0}：请检查函数名的拼写。"),
    (r"'([^']+)' not defined|Variable `([^`]+)` not defined", "变量 {0} 未定义：请先在 MATCH 或 WITH 中引入它。"),
    (r"must already be resolved to call allShortestPaths",
     "allShortestPaths 的起点和终点须先找到：先 MATCH 两个节点并 WITH a, b，再在下一个 MATCH 中求路径。"),
    (r"not valid UTF-8",
     "图数据库返回的文字在一个汉字中间被截断（FalkorDB 的 substring() 和长中文字符串的拼接会出现这种情况）："
     "请不用 substring()，或把各个属性分别返回。"),
    (r"Type mismatch", "类型不匹配：比较或函数的参数类型不一致（例如文字与数字），请检查属性和参数的类型。"),
    (r"operates only on non-negative integers", "LIMIT 和 SKIP 须为非负整数。"),
    (r"[Mm]issing parameters?|Expected parameter",
     "缺少参数：请在参数框中以 JSON 填写，例如 {\"keyword\": \"中试基地\"}。"),
]

_TYPE_NAMES = {"string": "文字", "int": "整数", "float": "数字", "bool": "是/否（true 或 false）",
               "date": "日期（YYYY、YYYY-MM 或 YYYY-MM-DD）", "list": "列表（用逗号或顿号分隔）"}
# Saved-query errors (graph.saved, English for the CLI) as Chinese; {0}, {1}… are the pattern's groups.
_SAVED = [
    (r"parameter '(\w+)' \((\w+)\) is required", "缺少参数 {0}，请填写。"),
    (r"parameter '(\w+)' must be a (\w+), got (.*)$", "参数 {0} 须为{type1}，而填写的是 {2}。"),
    (r"unknown parameter\(s\) (.*) for query", "该查询没有参数 {0}。"),
    (r"lower-case letters, digits", "名称只能用小写字母、数字、- 和 _，以字母或数字开头，最多 64 个字符。"),
    (r"'([^']+)' is a built-in query", "“{0}”是内置查询的名称，请换一个名称。"),
    (r"declared params \[(.*)\] differ from \$params used \[(.*)\]",
     "声明的参数（{0}）与语句中用到的 $参数（{1}）不一致：每个 $参数都要在“参数”里声明一行，声明的参数也都要用到。"),
    (r"bad param line '(.*)' \(want",
     "参数行“{0}”写法有误：应为“名称 类型 = 默认值 -- 说明”，类型为 string、int、float、bool、date 或 list。"),
    (r"missing '// title:' line", "缺少标题。"),
    (r"not enabled", "未启用用户查询（没有图数据库）。"),
    (r"no (?:user|saved) query named '([^']+)'", "没有名为“{0}”的查询。"),
]

_FALKOR_POS = re.compile(r"line: (\d+), column: (\d+), offset: (\d+)")
_NEO4J_POS = re.compile(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)")


@dataclass(frozen=True)
class Position:
    """Where in the user's text an error points (1-based line and column, in characters)."""

    line: int
    column: int


def _refusal(text: str) -> str:
    for pattern, message in _REFUSALS:
        if re.search(pattern, text):
            return message
    return "该查询不能运行。"


def _where(e: GraphError) -> str:
    line, column = getattr(e, "line", None), getattr(e, "column", None)
    return f"（第 {line} 行第 {column} 列）" if line else ""


_NOT_ALLOWED_FUNCTION = re.compile(r"function (\S+) is not allowed")


def _placed(e: GraphError) -> dict[str, object]:
    """Line, column and hint of a refusal by the query checker, for the console to point at."""
    extra: dict[str, object] = {}
    if getattr(e, "line", None):
        # attr-defined: only a QueryRefused (graph.errors) carries line and column; getattr above checked it
        extra.update(line=e.line, column=e.column)  # type: ignore[attr-defined]
    function = _NOT_ALLOWED_FUNCTION.search(str(e))
    why = (f"未知或不允许的函数 {function.group(1)}：请检查函数名的拼写；控制台只允许只读查询常用的函数。"
           if function else hint(str(e)))
    if why:
        extra["hint"] = why
    return extra


def hint(text: str) -> str:
    """A Chinese hint for an engine error message ('' when none fits)."""
    for pattern, message in _HINTS:
        match = re.search(pattern, text)
        if match:
            names = [g for g in match.groups() if g]
            return message.format(*names) if names else message
    return ""


def _word_char(c: str) -> bool:
    return bool(c) and (c.isalnum() or c == "_")


def position(text: str, query: str | None) -> Position | None:
    """The line/column of an engine error in `query` as typed (None when the message names no place)."""
    falkor = _FALKOR_POS.search(text)
    if falkor and query is not None:
        sent = query.strip().rstrip(";").strip()  # what graph.usercypher.check hands the engine
        lead = query[: len(query) - len(query.lstrip())]
        before = lead + sent.encode("utf-8")[: int(falkor.group(3))].decode("utf-8", errors="ignore")
        if text.startswith("errMsg: Invalid input"):
            # FalkorDB stops inside a misspelt word ('WHERE' after LIMIT, 'RETRN'): point at the word's start
            while before and _word_char(before[-1]) and _word_char(query[len(before):len(before) + 1]):
                before = before[:-1]
        return Position(before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
    if falkor:
        return Position(int(falkor.group(1)), int(falkor.group(2)))
    neo4j = _NEO4J_POS.search(text)
    if neo4j:
        return Position(int(neo4j.group(1)), int(neo4j.group(2)))
    return None


def saved_query_message(text: str) -> str:
    """A saved-query error (graph.saved's English message) in Chinese."""
    for pattern, message in _SAVED:
        match = re.search(pattern, text)
        if match:
            groups = [g.replace("'", "") for g in match.groups()]
            type1 = _TYPE_NAMES.get(groups[1], groups[1]) if len(groups) > 1 else ""
            return message.format(*groups, type1=type1)
    return "查询定义或参数有误，请检查后重试。"


def _syntax_error(e: QueryFailed, query: str | None) -> AppError:
    text = str(e)
    where, why = position(text, query), hint(text)
    message = "查询语法或执行错误"
    if where:
        message += f"（第 {where.line} 行第 {where.column} 列）"
    message += "：" + (why or "请检查 Cypher 语句的拼写、括号和引号。")
    extra = {"hint": why} if why else {}
    if where:
        extra.update(line=where.line, column=where.column)
    return AppError(400, message, text, "syntax", extra)


def translate(e: GraphError, query: str | None = None) -> AppError:
    """The Chinese error a user sees for a graph error (the English original goes in `detail`).

    Give `query` (the text as the user typed it) to have a syntax error's position in that text."""
    if isinstance(e, QuerySyntaxError):
        return AppError(400, f"查询语法错误{_where(e)}：" + _refusal(str(e)), str(e), "syntax", _placed(e))
    if isinstance(e, QueryRefused):
        return AppError(400, f"查询被拒绝{_where(e)}：" + _refusal(str(e)), str(e), "refused", _placed(e))
    if isinstance(e, ResultTooLarge):
        return AppError(400, "结果太大：查询返回的数据超过大小上限，已被终止。请少返回长文本列、加 LIMIT，"
                             "或用 size()/left() 只取需要的部分。", str(e), "too_large")
    if isinstance(e, QueryInterrupted):
        return AppError(503, "查询被中断：某条查询超时或占用内存过多，只读查询引擎已重启。请再运行一次。",
                        str(e), "interrupted")
    if isinstance(e, QueryTimeout):
        return AppError(504, "查询超时：运行时间超过上限，已被终止。请缩小范围（加 LIMIT 或更具体的条件）后重试。",
                        str(e), "timeout")
    if isinstance(e, QueryFailed):
        return _syntax_error(e, query)
    if isinstance(e, SavedQueryError):
        return AppError(400, "参数有误：" + saved_query_message(str(e)), str(e), "params")
    log.error("graph error: %s", e)
    return AppError(503, "图数据库暂时不可用，请稍后再试。", "", "unavailable")
