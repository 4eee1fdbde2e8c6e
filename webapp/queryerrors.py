"""Graph query errors (refused, timed out, rejected) as Chinese app errors for the console and query pages."""

from __future__ import annotations

import logging
import re

from graph.errors import GraphError, QueryFailed, QueryRefused, QueryTimeout
from graph.saved import SavedQueryError
from webapp.errors import AppError

log = logging.getLogger(__name__)

_REFUSALS = [
    (r"is not allowed: queries may only read",
     "只允许读取图谱，不能使用 CREATE、MERGE、DELETE、SET、REMOVE、DROP 等写操作。"),
    (r"LOAD CSV", "不允许使用 LOAD CSV。"),
    (r"only one statement", "一次只能运行一条语句，请删除语句之间的分号。"),
    (r"procedure .* is not allowed", "不允许调用该过程（只允许 db.labels、db.relationshipTypes、db.propertyKeys）。"),
    (r"CALL subqueries", "不允许使用 CALL 子查询。"),
    (r"EXPLAIN/PROFILE", "这里不运行 EXPLAIN/PROFILE。"),
    (r"is empty", "查询为空，请输入 Cypher 语句。"),
    (r"longer than", "查询太长。"),
    (r"invisible or control characters", "查询中含有不可见字符或控制字符，请重新输入。"),
    (r"unterminated comment", "查询中有未结束的注释（/* …）。"),
    (r"parameter", "参数不符合要求（参数名只能用字母、数字和下划线，值须为 JSON）。"),
]


def _refusal(text: str) -> str:
    for pattern, message in _REFUSALS:
        if re.search(pattern, text):
            return message
    return "该查询不能运行。"


def translate(e: GraphError) -> AppError:
    """The Chinese error a user sees for a graph error (the English original goes in `detail`)."""
    if isinstance(e, QueryRefused):
        return AppError(400, "查询被拒绝：" + _refusal(str(e)), str(e), "refused")
    if isinstance(e, QueryTimeout):
        return AppError(504, "查询超时：运行时间超过上限，已被终止。请缩小范围（加 LIMIT 或更具体的条件）后重试。",
                        str(e), "timeout")
    if isinstance(e, QueryFailed):
        return AppError(400, "查询语法或执行错误：请检查 Cypher 语句的拼写、括号和引号。", str(e), "syntax")
    if isinstance(e, SavedQueryError):
        return AppError(400, "参数有误：" + str(e), str(e), "params")
    log.error("graph error: %s", e)
    return AppError(503, "图数据库暂时不可用，请稍后再试。", "", "unavailable")
