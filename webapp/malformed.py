"""Refuse, with a Chinese 400, requests no page can answer sensibly: control characters in the URL.

A NUL in a path or query value would reach the graph engine inside a query parameter (the FalkorDB client
pastes parameters into the query text, where a NUL ends it) and fail there as a 500.  Tabs and line breaks
stay allowed (the console page takes multi-line Cypher in its query string).
"""

from __future__ import annotations

import re

from flask import Flask, request

from webapp.errors import bad_request

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MESSAGE = "请求地址中含有无效的控制字符（如 %00），请检查链接或输入内容后重试。"


def _refuse_control_characters() -> None:
    values = [request.path, *(part for item in request.args.items(multi=True) for part in item)]
    if any(_CONTROL.search(v) for v in values):
        raise bad_request(MESSAGE)


def init_app(app: Flask) -> None:
    """Check every request's path and query string before a view reads them."""
    app.before_request(_refuse_control_characters)
