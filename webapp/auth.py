"""Admin sign-in: one password from configuration, stored as a werkzeug hash; a flag in the session."""

from __future__ import annotations

import logging

from flask import Flask, session
from werkzeug.security import check_password_hash

from webapp import services
from webapp.errors import AppError

log = logging.getLogger(__name__)

DISABLED_MESSAGE = ("管理功能未启用：尚未配置管理员密码。请运行 `python -m webapp hash-password` 生成密码散列，"
                    "写入 POLICYGRAPH_ADMIN_PASSWORD_HASH 环境变量或实例目录的 config.json"
                    "（admin_password_hash），然后重启。")


def enabled() -> bool:
    """True when an admin password hash is configured."""
    return bool(services.get().settings.admin_password_hash)


def is_admin() -> bool:
    """True when this session has signed in as admin (and admin is still enabled)."""
    return enabled() and session.get("admin") is True


def sign_in(password: str) -> bool:
    """Check the password against the configured hash; mark the session on success."""
    hashed = services.get().settings.admin_password_hash
    if not hashed or not password or not check_password_hash(hashed, password):
        log.warning("admin sign-in failed")
        return False
    session.clear()
    session["admin"] = True
    return True


def sign_out() -> None:
    """Forget the admin flag (and the CSRF token with it)."""
    session.clear()


def require_admin() -> None:
    """Raise a Chinese 403 unless signed in (or 403 with the set-up hint when admin is disabled)."""
    if not enabled():
        raise AppError(403, DISABLED_MESSAGE)
    if not is_admin():
        raise AppError(403, "请先以管理员身份登录。")


def init_app(app: Flask) -> None:
    """Expose the sign-in state to templates."""
    app.jinja_env.globals.update(is_admin=is_admin, admin_enabled=enabled)
