"""`python -m webapp serve`: start the graph engine, load the sample corpus once, serve with waitress."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import replace
from types import FrameType

import click

from settings import SAMPLE_CORPUS, keep_private, load_settings

log = logging.getLogger("webapp.serve")


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # unwinds the `with` blocks, which stop the engine cleanly


@click.group()
def cli() -> None:
    """PolicyGraph web app."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@cli.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1, or POLICYGRAPH_HOST).")
@click.option("--port", default=None, type=int, help="Port (default 8000, or POLICYGRAPH_PORT).")
@click.option("--threads", default=None, type=int,
              help="Request threads per process (default 4, or POLICYGRAPH_WEB_THREADS).")
@click.option("--workers", default=None, type=click.IntRange(1, 16),
              help="Processes serving requests (default: two per core, at most 8, or POLICYGRAPH_WORKERS).")
def serve(host: str | None, port: int | None, threads: int | None, workers: int | None) -> None:
    """Serve the app; the sample corpus is loaded on first start.

    This process owns the graph engine and the listening socket; with several workers the
    others attach to the engine and accept from the same socket (Python runs one request
    at a time per process, so a second process puts the second core to work).
    """
    from graph.backend import open_graph
    from graph.errors import GraphError
    from search.errors import SearchError
    from search.index import SearchIndex

    started = time.monotonic()
    settings = load_settings()
    host, port = host or settings.host, port or settings.port
    settings = replace(settings, host=host, port=port)  # the app answers to the host it is bound to
    keep_private(settings.home)
    workers = workers or settings.web_workers
    threads = threads or settings.web_threads
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    # Started from a script or with `&`, SIGINT may arrive ignored; Ctrl-C must always stop us.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with open_graph(settings, user_queries=True) as handle, SearchIndex(settings.index_dir) as index:
            _first_start(handle.store, index, settings.load_log)
            sock = socket.create_server((host, port), backlog=1024)
            others = [_start_worker(sock, threads, host) for _ in range(workers - 1)]
            log.info("ready in %.1fs: http://%s:%s/  (%d worker process%s; Ctrl-C stops the app and the graph "
                     "engine)", time.monotonic() - started, host, port, workers, "es" if workers > 1 else "")
            try:
                _serve(settings, handle, index, sock, threads)
            finally:
                _stop_workers(others)  # before the engine they use stops
    except (GraphError, SearchError) as e:  # e.g. an index of an older version: it says to rebuild it
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        pass
    log.info("stopped")


@cli.command(hidden=True)
@click.option("--fd", required=True, type=int, help="The listening socket inherited from `serve`.")
@click.option("--threads", default=None, type=int, help="Request threads (default: the settings').")
@click.option("--host", default=None, help="The address `serve` bound (the app answers to it).")
def worker(fd: int, threads: int | None, host: str | None) -> None:
    """A further serving process started by `serve`: attaches to its engine, accepts from its socket."""
    from graph.backend import open_graph
    from search.index import SearchIndex

    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches `serve`, which stops the workers
    settings = load_settings()
    settings = replace(settings, host=host or settings.host)
    os.umask(0o077)  # `serve` has tightened the home already
    sock = socket.socket(fileno=fd)
    try:
        with open_graph(settings, attach=True, user_queries=True) as handle, \
                SearchIndex(settings.index_dir) as index:
            _serve(settings, handle, index, sock, threads or settings.web_threads)
    except SystemExit:
        pass


def _serve(settings, handle, index, sock: socket.socket, threads: int) -> None:  # type: ignore[no-untyped-def]
    """Build the app over the open store and index and serve it on `sock` until stopped."""
    import waitress

    from search.docsets import CACHE
    from webapp import create_app

    CACHE.max_bytes = settings.search_cache_bytes  # one cache per process, shared by every search
    app = create_app({"SETTINGS": settings, "GRAPH_STORE": handle.store, "SEARCH_INDEX": index,
                      "ENSURE_RUNNING": handle.ensure_running, "USER_STORE": handle.user_store})
    _warm_analytics(app)
    waitress.serve(app, sockets=[sock], threads=threads, ident="PolicyGraph")


def _start_worker(sock: socket.socket, threads: int, host: str) -> subprocess.Popen[bytes]:
    """Start `python -m webapp worker` on the same socket; it dies with this process."""
    from core.process import dies_with_this_process

    return subprocess.Popen([sys.executable, "-m", "webapp", "worker", "--fd", str(sock.fileno()),
                             "--threads", str(threads), "--host", host], pass_fds=[sock.fileno()],
                            preexec_fn=dies_with_this_process())


def _stop_workers(others: list[subprocess.Popen[bytes]]) -> None:
    for proc in others:
        proc.terminate()
    for proc in others:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@cli.command("hash-password")
@click.option("--password", default=None, help="The password (prompted for, hidden, when omitted).")
def hash_password(password: str | None) -> None:
    """Print a hash of an admin password, for POLICYGRAPH_ADMIN_PASSWORD_HASH or config.json."""
    from werkzeug.security import generate_password_hash

    if password is None:
        password = click.prompt("Admin password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.ClickException("use at least 8 characters")
    click.echo(generate_password_hash(password))
    click.echo("Set it as POLICYGRAPH_ADMIN_PASSWORD_HASH, or as \"admin_password_hash\" in <home>/config.json.",
               err=True)


def _warm_analytics(app) -> None:  # type: ignore[no-untyped-def]
    """Build the collaboration network and read the search index's common parts in the background,
    so the first network page and the first searches do not wait for them."""
    import threading

    from search.warm import keep_warm
    from webapp.versioned import warm_pages  # the home overview and the deadline board

    services = app.extensions["policygraph"]

    def build() -> None:
        try:
            services.analytics.get(services.store)
            log.info("collaboration network ready")
        except Exception:  # a failed warm-up only means the first request builds it
            log.warning("could not pre-build the collaboration network", exc_info=True)

    threading.Thread(target=build, name="warm-analytics", daemon=True).start()
    threading.Thread(target=warm_pages, args=(app,), name="warm-pages", daemon=True).start()
    # warms now, then again after every load or upload (its own or another process's) while the app runs
    threading.Thread(target=keep_warm, args=(services.index, None, services.settings.search_rewarm_s),
                     name="warm-search", daemon=True).start()


def _first_start(store, index, load_log_path) -> None:  # type: ignore[no-untyped-def]
    """Load the bundled sample corpus when the graph holds no document yet."""
    if store.document_versions():
        return
    from core.loadlog import LoadLog
    from loaders.load import expand, load_files

    log.info("first start: loading the sample corpus from %s", SAMPLE_CORPUS)
    with LoadLog(load_log_path) as load_log:
        summary = load_files(expand([SAMPLE_CORPUS]), store, index, load_log=load_log)
    log.info("sample corpus: %s", summary.as_dict() | {"errors": len(summary.errors)})


if __name__ == "__main__":
    cli()
