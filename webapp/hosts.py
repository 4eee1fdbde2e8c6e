"""Allowed-host checking: a request whose Host header names another host gets a Chinese 400.

A page served on 127.0.0.1 can be reached from a hostile web page by DNS rebinding (evil.example first
resolves to the attacker, then to 127.0.0.1); the browser then sends `Host: evil.example`.  Only the names
the app is really reached by are accepted: 127.0.0.1, localhost, [::1], the address it was told to bind,
and `allowed_hosts` from settings (POLICYGRAPH_ALLOWED_HOSTS), each with any port.
"""

from __future__ import annotations

import logging
import socket

from flask import Flask, request
from werkzeug.exceptions import SecurityError
from werkzeug.sansio.utils import host_is_trusted

from settings import Settings
from webapp.errors import AppError

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
WILDCARD = ("0.0.0.0", "::", "")
MESSAGE = ("请求的主机名不在允许列表中，已拒绝。请使用本服务的正式地址访问；"
           "如需通过其他域名或地址访问，请由管理员在 POLICYGRAPH_ALLOWED_HOSTS 中添加该主机名。")


def allowed_hosts(settings: Settings) -> list[str]:
    """The host names (without port) this app answers to."""
    bound = settings.host.strip()
    # bound to every interface: the machine's own name is how it is reached
    hosts = [*LOOPBACK, socket.gethostname() if bound in WILDCARD else bound]
    hosts += [h for h in settings.allowed_hosts.split(",") if h.strip()]
    return list(dict.fromkeys(_name(h) for h in hosts))


def _name(entry: str) -> str:
    """A configured host as a Host header names it: lower case, no port, an IPv6 address in brackets."""
    entry = entry.strip().lower()
    if entry.count(":") > 1 and not entry.startswith("["):
        entry = f"[{entry}]"
    return _split(entry)[0] or entry


def host_allowed(header: str | None, hosts: list[str]) -> bool:
    """True when the Host header's name (any port) is one of `hosts` (".example.gov": it or a subdomain).

    No header at all (HTTP/1.0) is allowed: a browser always sends one, so it is not a rebinding attack."""
    if header is None:
        return True
    name, port = _split(header.strip().lower())
    if not name or (port and not (port.isdigit() and port.isascii() and 0 < int(port) < 65536)):
        return False
    return any(name == h or (h.startswith(".") and (name == h[1:] or name.endswith(h))) for h in hosts)


def _split(host: str) -> tuple[str, str]:
    """`name:port` → (name, port); an IPv6 address keeps its brackets."""
    if host.startswith("["):
        name, bracket, rest = host.partition("]")
        return (name + bracket, rest[1:]) if bracket and rest[:1] in ("", ":") else ("", "")
    name, _, port = host.partition(":")
    return name, port


def _werkzeug_matches_ipv6() -> bool:
    """Werkzeug 3.1's host check cuts a trusted "[::1]" at its first colon, so it never matches."""
    return host_is_trusted("[::1]:8000", ["[::1]"])


def init_app(app: Flask, settings: Settings) -> None:
    """Check the Host header of every request before anything else looks at the request."""
    hosts = allowed_hosts(settings)
    if "TRUSTED_HOSTS" in app.config and _werkzeug_matches_ipv6():
        app.config["TRUSTED_HOSTS"] = hosts  # Flask >= 3.1 checks it while routing: request.host is safe

    @app.before_request
    def _refuse_untrusted_host() -> None:
        if isinstance(request.routing_exception, SecurityError) or not host_allowed(request.headers.get("Host"),
                                                                                     hosts):
            log.warning("refused a request for host %r from %s", request.headers.get("Host"), request.remote_addr)
            raise AppError(400, MESSAGE, kind="bad_host")

    if settings.host.strip() in WILDCARD and not settings.allowed_hosts:
        log.warning("bound to every interface: only requests for %s are answered; set POLICYGRAPH_ALLOWED_HOSTS "
                    "to the names users type", ", ".join(hosts))
