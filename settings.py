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

    # -- tuning: what an operator may change (each also POLICYGRAPH_<NAME> and "<name>" in config.json) ----
    # Web app
    web_threads: int = 4  # request threads per web process: waits on the engine overlap, Python work does not
    search_concurrency: int = 2  # searches at once per process: CPU-bound, and each holds ~100s of MB counting facets
    # Search cache per web process (term bitsets, postings, positions, facet columns): most of a process's
    # memory at 10,000 documents; smaller means more index reads per search.
    search_cache_bytes: int = 256 * 2**20
    request_max_bytes: int = 20 * 2**20  # a request body (an upload of several files) beyond this gets a 413
    upload_max_bytes: int = 10 * 2**20  # one uploaded file: a policy document is rarely over 1 MB
    upload_max_files: int = 20  # files in one upload: one load at a time holds the only write lock
    console_rate_limit: int = 20  # console queries per client and window: each may run the engine for its time limit
    console_rate_window_s: float = 10.0  # … in this many seconds
    session_max_age_s: float = 24 * 3600.0  # an admin sign-in lasts at most a day, whatever the browser keeps
    search_export_max: int = 1000  # results in a search download: the best-ranked, 10 searches of 100
    search_rewarm_s: float = 30.0  # how often a serving process looks for a changed index to warm its caches again
    # Graph engines
    # A CLI attached to another process's engine waits this long for it to come back after a crash (its owner
    # restarts it in a second or two, plus the replay of its append-only file).
    engine_attach_wait_s: float = 30.0
    engine_query_mem_bytes: int = 2**30  # memory one query may take in the main engine (e.g. range(1, 1e9))
    user_query_mem_bytes: int = 512 * 2**20  # the same in the user-query engine (console and saved queries)
    # Address space the user-query engine may map beyond the loaded graph: FalkorDB's memory cap does not
    # count strings, so a query that builds long ones fails here and the engine is restarted.
    user_query_headroom_bytes: int = 1536 * 2**20
    user_query_grace_ms: int = 1000  # past its time limit a user query is killed: the engine stops most within 0.4 s
    # Extraction (each file in a child process)
    extract_memory_bytes: int = 512 * 2**20  # address space one file's extraction may add to the child
    extract_seconds_max: float = 60.0  # longest time for one file (10 s + 2 s per MB below this)

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


# The tuning block of Settings: each is also POLICYGRAPH_<NAME> in the environment.
TUNING = (
    "web_threads", "search_concurrency", "search_cache_bytes", "request_max_bytes", "upload_max_bytes",
    "upload_max_files", "console_rate_limit", "console_rate_window_s", "session_max_age_s", "search_export_max",
    "search_rewarm_s", "engine_attach_wait_s", "engine_query_mem_bytes", "user_query_mem_bytes",
    "user_query_headroom_bytes", "user_query_grace_ms", "extract_memory_bytes", "extract_seconds_max",
)
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
    **{f"POLICYGRAPH_{name.upper()}": name for name in TUNING},
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
    if kind == "float":
        return float(value)
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
