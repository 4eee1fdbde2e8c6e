"""`python -m bench run`: ingest, search, graph-read, peer (and web) figures, as a table on stdout and in
docs/BENCHMARKS.md.

The peers are the same search mix on stock Whoosh and SQLite FTS5 over the same entries (bench/peers.py).

Speed targets live here, never in unit tests.  Each ingest size runs in its own process so its peak
RSS is its own.  Generated corpora are cached under `bench_data/` (git-ignored).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import click

from bench import measure, report
from settings import ROOT

DATA = ROOT / "bench_data"


@click.group()
def cli() -> None:
    """Benchmarks."""


@cli.command()
@click.option("--sizes", default="1000,10000", show_default=True, help="Document counts to ingest.")
@click.option("--queries-at", default=None, type=int, help="Size whose index and graph serve the read figures "
              "(default: the largest size).")
@click.option("--web/--no-web", default=True, show_default=True, help="Also load-test the web app.")
@click.option("--web-seconds", default=60, show_default=True, help="Duration of each web load run.")
@click.option("--out", default=str(ROOT / "docs" / "BENCHMARKS.md"), show_default=True)
def run(sizes: str, queries_at: int | None, web: bool, web_seconds: int, out: str) -> None:
    """Run every benchmark and write the report."""
    counts = [int(s) for s in sizes.split(",") if s.strip()]
    results: dict[str, object] = {"ingest": {}}
    for n in counts:
        click.echo(f"ingest {n} documents …", err=True)
        results["ingest"][str(n)] = _child("ingest", "--docs", str(n))  # type: ignore[index]
        _save(results)  # each phase is kept as it finishes: a cut-short run loses only its last phase
    target = queries_at or max(counts)
    click.echo(f"reads at {target} documents …", err=True)
    results["reads"] = _child("reads", "--docs", str(target))
    _save(results)
    click.echo(f"peers at {target} documents (stock Whoosh, SQLite FTS5) …", err=True)
    results["peers"] = _child("peers", "--docs", str(target))
    _save(results)
    _adds(results, counts)
    click.echo(f"restart at {target} documents …", err=True)
    results["restart"] = _child("restart", "--docs", str(target))
    _save(results)
    if web:
        click.echo(f"web load at {target} documents ({web_seconds}s per run) …", err=True)
        results["web"] = _child("web", "--docs", str(target), "--seconds", str(web_seconds))
        _save(results)
    _write_report(results, " ".join(sys.argv), out)


ADD_BASE = 1000  # adding documents at N is compared with the same at this size


def _adds(results: dict[str, object], counts: list[int]) -> None:
    """Add 20 documents at every size (and at ADD_BASE, building its home if the run did not)."""
    if ADD_BASE not in counts:
        click.echo(f"ingest {ADD_BASE} documents (the base of the add figures; not reported) …", err=True)
        _child("ingest", "--docs", str(ADD_BASE))
    adds = results.setdefault("add", {})
    for n in sorted({ADD_BASE, *counts}):
        click.echo(f"add 20 documents at {n} …", err=True)
        adds[str(n)] = _child("add", "--docs", str(n))  # type: ignore[index]
        _save(results)


RESULTS = DATA / "last-results.json"


def _save(results: dict[str, object]) -> None:
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


def _write_report(results: dict[str, object], command: str, out: str) -> None:
    text = report.render(results, command)
    click.echo(text)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")


@cli.command("report")
@click.option("--ingest-again", default="", help="Re-measure the ingest at these sizes first, e.g. 1000,10000 "
              "(rebuilds their homes: re-measure reads and web after it).")
@click.option("--reads-again", default=None, type=int, help="Re-measure the reads at this size first.")
@click.option("--peers-again", default=None, type=int, help="Re-measure the peers at this size first.")
@click.option("--add-again", default="", help="Re-measure adding 20 documents at these sizes first, e.g. 1000,10000.")
@click.option("--restart-again", default=None, type=int, help="Re-measure the restart at this size first.")
@click.option("--web-again", default=None, type=int, help="Re-measure the web load at this size first.")
@click.option("--web-seconds", default=60, show_default=True)
@click.option("--out", default=str(ROOT / "docs" / "BENCHMARKS.md"), show_default=True)
def report_cmd(ingest_again: str, reads_again: int | None, peers_again: int | None, add_again: str,
               restart_again: int | None, web_again: int | None, web_seconds: int, out: str) -> None:
    """Re-render the report from the saved results (optionally re-measuring ingest, reads or web first)."""
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    for n in [int(x) for x in ingest_again.split(",") if x.strip()]:
        results.setdefault("ingest", {})[str(n)] = _child("ingest", "--docs", str(n))
        _save(results)
    if reads_again:
        results["reads"] = _child("reads", "--docs", str(reads_again))
        _save(results)
    if peers_again:
        results["peers"] = _child("peers", "--docs", str(peers_again))
        _save(results)
    for n in [int(x) for x in add_again.split(",") if x.strip()]:
        results.setdefault("add", {})[str(n)] = _child("add", "--docs", str(n))
        _save(results)
    if restart_again:
        results["restart"] = _child("restart", "--docs", str(restart_again))
        _save(results)
    if web_again:
        results["web"] = _child("web", "--docs", str(web_again), "--seconds", str(web_seconds))
        _save(results)
    _write_report(results, " ".join(sys.argv), out)


def _child(*args: str) -> dict[str, object]:
    reference = measure.cpu_reference()
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "bench", *args], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise click.ClickException(f"bench {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = round(time.monotonic() - started, 2)
    result["cpu_reference_s"] = reference
    result["commit"] = report.commit()  # `report` re-renders phases measured at other commits
    return result


@cli.command()
@click.option("--docs", type=int, required=True)
def ingest(docs: int) -> None:
    """(child) Generate N documents and load them end to end into a fresh home; print JSON."""
    click.echo(json.dumps(measure.ingest(docs, DATA)))


@cli.command()
@click.option("--docs", type=int, required=True)
def reads(docs: int) -> None:
    """(child) Search and graph-read latencies over the home built by `ingest`; print JSON."""
    click.echo(json.dumps(measure.reads(docs, DATA)))


@cli.command()
@click.option("--docs", type=int, required=True)
@click.option("--whoosh-max", type=int, default=10_000, show_default=True,
              help="Largest size at which stock Whoosh is built (it indexes about 25 times slower than FTS5).")
def peers(docs: int, whoosh_max: int) -> None:
    """(child) The search mix on ours, stock Whoosh and SQLite FTS5 over the same entries; print JSON."""
    from bench import peers as peer_systems

    result = peer_systems.run(docs, DATA, whoosh_max)
    click.echo("\n".join(report.peers(result)), err=True)
    click.echo(json.dumps(result))


@cli.command()
@click.option("--docs", type=int, required=True)
@click.option("--extra", type=int, default=20, show_default=True, help="New documents per load.")
@click.option("--rounds", type=int, default=3, show_default=True, help="Loads one after the other (median reported).")
def add(docs: int, extra: int, rounds: int) -> None:
    """(child) Add new documents to a copy of the home built by `ingest` through `loaders load`, then through
    the upload page, searching meanwhile; print JSON."""
    from bench import incremental

    click.echo(json.dumps(incremental.run(docs, DATA, extra, rounds)))


@cli.command()
@click.option("--docs", type=int, required=True)
def restart(docs: int) -> None:
    """(child) Restart the web app on the home built by `ingest`: time to its first search answer and to each
    page type within its target; print JSON."""
    from bench import restart as restarts

    click.echo(json.dumps(restarts.run(docs, DATA)))


@cli.command()
@click.option("--docs", type=int, required=True)
@click.option("--seconds", type=int, default=60)
def web(docs: int, seconds: int) -> None:
    """(child) Serve the app over the home built by `ingest` and load-test it on 127.0.0.1; print JSON."""
    from bench import webload

    click.echo(json.dumps(webload.run(docs, DATA, seconds)))


if __name__ == "__main__":
    cli()
