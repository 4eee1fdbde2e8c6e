"""Secret key, session cookie, CSRF tokens and security headers for every response."""

from __future__ import annotations

import hmac
import logging
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, request, session

from webapp.errors import AppError

log = logging.getLogger(__name__)

SECRET_FILE = "secret_key"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def secret_key(home: Path | None) -> str:
    """The key in `<home>/secret_key`, created (mode 600) on first start; a throw-away key without a home."""
    if home is None:
        return secrets.token_hex(32)
    path = home / SECRET_FILE
    home.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32))
    log.info("generated a new secret key in %s", path)
    return path.read_text(encoding="ascii").strip()


def csrf_token() -> str:
    """This session's CSRF token (created on first use)."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def _token_ok() -> bool:
    given = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
    expected = session.get(CSRF_FIELD) or ""
    return bool(expected) and hmac.compare_digest(given, expected)


def _same_origin_script() -> bool:
    """A JSON API call from a script or same-origin page: JSON body, no cross-site Origin."""
    if not request.path.startswith("/api/") or not request.is_json:
        return False
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def _check_csrf() -> None:
    if request.method in _UNSAFE and not (_token_ok() or _same_origin_script()):
        log.warning("CSRF check failed on %s %s", request.method, request.path)
        raise AppError(400, "安全校验失败（CSRF 令牌缺失或已过期），请刷新页面后重试。")


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask, home: Path | None) -> None:
    """Configure the session cookie and secret, check CSRF on writes, add headers everywhere."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(home)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.before_request(_check_csrf)
    app.after_request(_add_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
