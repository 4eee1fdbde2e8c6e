"""One app error class, rendered as a Chinese HTML page or as JSON under /api/."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

_MESSAGES = {
    400: "请求有误。", 403: "没有权限执行此操作。", 404: "未找到该页面或条目。", 405: "不支持该请求方式。",
    413: "上传的内容太大。", 429: "请求过于频繁，请稍后再试。", 500: "服务器内部错误，请稍后再试。",
}


class AppError(Exception):
    """An error to show the user: status code, a Chinese message and an optional technical detail."""

    def __init__(self, status: int, message: str, detail: str = "", kind: str = "",
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = detail
        self.kind = kind
        self.extra = extra or {}  # more JSON fields, e.g. a syntax error's line, column and hint


def wants_json() -> bool:
    """True for the JSON API (everything under /api/)."""
    return request.path.startswith("/api/")


def _render(status: int, message: str, detail: str = "", kind: str = "",
            extra: dict[str, Any] | None = None):
    if wants_json():
        body: dict[str, Any] = {**(extra or {}), "error": message, "status": status}
        body.update({k: v for k, v in (("detail", detail), ("kind", kind)) if v})
        return jsonify(body), status
    if request_ctx.url_adapter is None:  # the request could not be routed (a refused Host): no url_for
        return render_template("plain_error.html", status=status, message=message), status
    return render_template("error.html", status=status, message=message, detail=detail), status


def init_app(app: Flask) -> None:
    """Register handlers so no traceback ever reaches a user."""

    @app.errorhandler(AppError)
    def _app_error(e: AppError):
        return _render(e.status, e.message, e.detail, e.kind, e.extra)

    @app.errorhandler(HTTPException)
    def _http_error(e: HTTPException):
        code = e.code or 500
        return _render(code, _MESSAGES.get(code, "请求未能完成。"))

    @app.errorhandler(Exception)
    def _server_error(e: Exception):
        log.exception("unhandled error on %s", request.path)
        return _render(500, _MESSAGES[500])


def not_found(what: str) -> AppError:
    """A 404 naming what was not found."""
    return AppError(404, f"未找到{what}。请检查链接是否正确，或从搜索页重新查找。")


def bad_request(message: str, detail: str = "") -> AppError:
    """A 400 with a Chinese message saying what to change."""
    return AppError(400, message, detail)
