"""Admin sign-in: one password from configuration, stored as a werkzeug hash.

The session cookie carries a session id that the instance's state store records at sign-in and forgets at
sign-out, so a copy of the cookie taken before logout is refused afterwards, by every web process.
"""

from __future__ import annotations

import logging

from flask import Flask, g, session
from werkzeug.security import check_password_hash

from webapp import services, statestore
from webapp.errors import AppError

log = logging.getLogger(__name__)

DISABLED_MESSAGE = ("管理功能未启用：尚未配置管理员密码。请运行 `python -m webapp hash-password` 生成密码散列，"
                    "写入 POLICYGRAPH_ADMIN_PASSWORD_HASH 环境变量或实例目录的 config.json"
                    "（admin_password_hash），然后重启。")


def enabled() -> bool:
    """True when an admin password hash is configured."""
    return bool(services.get().settings.admin_password_hash)


def _max_age() -> float:
    """Seconds a sign-in lasts at most (settings.session_max_age_s), whatever the browser keeps."""
    return services.get().settings.session_max_age_s


def is_admin() -> bool:
    """True when this session has signed in as admin, has not signed out, and admin is still enabled."""
    if "is_admin" not in g:  # asked by the view and by every page's header: look it up once per request
        g.is_admin = (enabled() and session.get("admin") is True
                      and statestore.get().session_valid(session.get("sid"), _max_age()))
    return bool(g.is_admin)


def sign_in(password: str) -> bool:
    """Check the password against the configured hash; mark the session on success."""
    hashed = services.get().settings.admin_password_hash
    if not hashed or not password or not check_password_hash(hashed, password):
        log.warning("admin sign-in failed")
        return False
    session.clear()
    session["admin"], session["sid"] = True, statestore.get().new_session(_max_age())
    g.pop("is_admin", None)
    return True


def sign_out() -> None:
    """End this session everywhere (its id is forgotten) and clear the cookie (the CSRF token with it)."""
    statestore.get().end_session(session.get("sid"))
    session.clear()
    g.pop("is_admin", None)


def require_admin() -> None:
    """Raise a Chinese 403 unless signed in (or 403 with the set-up hint when admin is disabled)."""
    if not enabled():
        raise AppError(403, DISABLED_MESSAGE)
    if not is_admin():
        raise AppError(403, "请先以管理员身份登录。")


def init_app(app: Flask) -> None:
    """Expose the sign-in state to templates."""
    app.jinja_env.globals.update(is_admin=is_admin, admin_enabled=enabled)
