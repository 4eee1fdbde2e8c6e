"""One app error class, rendered as a Chinese HTML page or as JSON under /api/."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

_MESSAGES = {404: "未找到该页面或条目。", 400: "请求有误。", 500: "服务器内部错误，请稍后再试。"}


class AppError(Exception):
    """An error to show the user: status code plus a Chinese message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _render(status: int, message: str):  # type: ignore[no-untyped-def]
    if request.path.startswith("/api/"):
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    """Register handlers so no traceback ever reaches a user."""

    @app.errorhandler(AppError)
    def _app_error(e: AppError):  # type: ignore[no-untyped-def]
        return _render(e.status, e.message)

    @app.errorhandler(HTTPException)
    def _http_error(e: HTTPException):  # type: ignore[no-untyped-def]
        code = e.code or 500
        return _render(code, _MESSAGES.get(code, e.description or ""))

    @app.errorhandler(Exception)
    def _server_error(e: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error on %s", request.path)
        return _render(500, _MESSAGES[500])


def not_found(what: str) -> AppError:
    """A 404 naming what was not found."""
    return AppError(404, f"未找到{what}。")
