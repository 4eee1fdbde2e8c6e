"""Configuration: defaults → instance config file → environment → test overrides.

Read once, by the app factory and the CLI entry points, and passed down.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
SAMPLE_CORPUS = ROOT / "sample_corpus"


@dataclass(frozen=True)
class Settings:
    """Everything the stores, loaders and web app need to know."""

    home: Path = Path("instance")
    port: int = 8000
    host: str = "127.0.0.1"
    # Host names (comma-separated) the web app answers to besides 127.0.0.1, localhost, [::1] and `host`;
    # any other Host header gets a 400 (DNS rebinding).  A leading dot allows subdomains: ".example.gov".
    allowed_hosts: str = ""
    neo4j_uri: str = ""
    neo4j_username: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    graph_name: str = "policygraph"
    query_timeout_ms: int = 5000
    row_cap: int = 1000
    # Bytes of rows a user query may return (JSON-encoded), beyond which its rows are cut with a notice.
    # 1,000 rows of typical cells take well under 1 MB; 4 MiB lets long measure texts through, while a
    # reduce() that builds strings can neither fill a web process's memory nor the user's browser.
    response_byte_cap: int = 4 * 1024 * 1024
    admin_password_hash: str = ""
    workers: int = 0  # web processes; 0 = two per core, at most 8

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def engine_dir(self) -> Path:
        return self.home / "graph"

    @property
    def load_log(self) -> Path:
        """When each document was loaded (core/loadlog.py): kept beside the graph, not in it."""
        return self.home / "loads.sqlite3"

    @property
    def web_workers(self) -> int:
        """Processes serving web requests: by default two per core (at most 8).

        Each process holds its keep-alive connections and runs Python one thread at a time, so
        with one process per core an uneven share of connections leaves a core idle (at 10,000
        documents and 10 clients on 2 cores: 84 requests/s with 2 processes, 109 with 4; see
        docs/BENCHMARKS.md).  Each costs memory: up to ~400 MB at 10,000 documents, mostly search cache.
        """
        return self.workers if self.workers > 0 else min(8, 2 * (os.cpu_count() or 1))

    @property
    def uses_neo4j(self) -> bool:
        return bool(self.neo4j_uri)


_ENV = {
    "POLICYGRAPH_HOME": "home",
    "POLICYGRAPH_PORT": "port",
    "POLICYGRAPH_HOST": "host",
    "POLICYGRAPH_ALLOWED_HOSTS": "allowed_hosts",
    "POLICYGRAPH_QUERY_TIMEOUT_MS": "query_timeout_ms",
    "POLICYGRAPH_ROW_CAP": "row_cap",
    "POLICYGRAPH_RESPONSE_BYTE_CAP": "response_byte_cap",
    "POLICYGRAPH_ADMIN_PASSWORD_HASH": "admin_password_hash",
    "POLICYGRAPH_WORKERS": "workers",
    "NEO4J_URI": "neo4j_uri",
    "NEO4J_USERNAME": "neo4j_username",
    "NEO4J_PASSWORD": "neo4j_password",
    "NEO4J_DATABASE": "neo4j_database",
}


def _coerce(name: str, value: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if kind == "Path":
        return Path(value)
    if kind == "int":
        return int(value)
    if isinstance(value, list):  # config.json may list allowed_hosts
        return ",".join(str(v) for v in value)
    return str(value)


def load_settings(env: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults, `<home>/config.json`, the environment and overrides."""
    env = dict(os.environ if env is None else env)
    values: dict[str, Any] = {}
    home = Path(overrides.get("home") or env.get("POLICYGRAPH_HOME") or "instance")
    config_file = home / "config.json"
    if config_file.is_file():
        values.update(json.loads(config_file.read_text(encoding="utf-8")))
    for var, name in _ENV.items():
        if env.get(var):
            values[name] = env[var]
    values.update(overrides)
    values["home"] = home
    known = {f.name for f in fields(Settings)}
    clean = {k: _coerce(k, v) for k, v in values.items() if k in known}
    settings = replace(Settings(), **clean)
    return replace(settings, home=settings.home.resolve())


def keep_private(home: Path | None = None) -> None:
    """Make what this process (and its engine children) create readable by its user only (umask 077),
    and tighten `home` and what is already in it: folders 700, files 600 (a home made by an older version)."""
    os.umask(0o077)
    if home is None:
        return
    home.mkdir(parents=True, exist_ok=True)
    for folder, dirs, files in os.walk(home):
        for path in [folder, *(os.path.join(folder, name) for name in dirs + files)]:
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode) or not stat.S_IMODE(mode) & 0o077:
                continue
            os.chmod(path, stat.S_IMODE(mode) & 0o700)
