"""Graph query errors (refused, timed out, rejected) as Chinese app errors for the console and query pages."""

from __future__ import annotations

import logging
import re

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


def _refusal(text: str) -> str:
    for pattern, message in _REFUSALS:
        if re.search(pattern, text):
            return message
    return "该查询不能运行。"


def _where(e: GraphError) -> str:
    line, column = getattr(e, "line", None), getattr(e, "column", None)
    return f"（第 {line} 行第 {column} 列）" if line else ""


def translate(e: GraphError) -> AppError:
    """The Chinese error a user sees for a graph error (the English original goes in `detail`)."""
    if isinstance(e, QuerySyntaxError):
        return AppError(400, "查询语法错误：" + _refusal(str(e)) + _where(e), str(e), "syntax")
    if isinstance(e, QueryRefused):
        return AppError(400, "查询被拒绝：" + _refusal(str(e)) + _where(e), str(e), "refused")
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
        return AppError(400, "查询语法或执行错误：请检查 Cypher 语句的拼写、括号和引号。", str(e), "syntax")
    if isinstance(e, SavedQueryError):
        return AppError(400, "参数有误：" + str(e), str(e), "params")
    log.error("graph error: %s", e)
    return AppError(503, "图数据库暂时不可用，请稍后再试。", "", "unavailable")
