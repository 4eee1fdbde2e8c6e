"""Command line.

    python -m search query "…" [--json] [--index DIR] [--type KIND] [--page N]
    python -m search rebuild [--index DIR] [--procs N]   # rebuild the index from the graph
    python -m search check [--index DIR]                 # graph vs index; exit 1 on differences
    python -m search optimize [--index DIR]              # merge the index into one segment

The index defaults to the settings' (`<home>/index`, home from POLICYGRAPH_HOME or ./instance).
A search or graph error prints `error: …` and exits 2.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from graph.errors import GraphError
from graph.store import Store
from search.errors import SearchError
from search.index import SearchIndex
from search.query import SearchResults, search
from search.schema import KINDS
from settings import keep_private, load_settings

F = TypeVar("F", bound=Callable[..., Any])


class CommandFailed(click.ClickException):
    """A search or graph error at the command line: `error: …` on stderr, exit status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


def _reports_errors(command: F) -> F:
    """Turn the library's errors into CommandFailed at the CLI edge."""
    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (SearchError, GraphError) as exc:
            raise CommandFailed(str(exc)) from exc
    return run  # type: ignore[return-value]


# `--index` may come before the command (`--index DIR query …`) or after it (`query … --index DIR`).
_index_option = click.option("--index", "sub_index", type=click.Path(path_type=Path), default=None, hidden=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--index", type=click.Path(path_type=Path), default=None,
              help="Index directory (default: <home>/index of the settings, home from POLICYGRAPH_HOME).")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.pass_context
def cli(ctx: click.Context, index: Path | None, verbose: bool) -> None:
    """Search the PolicyGraph index."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr)
    keep_private()  # index files (optimize, rebuild) readable by their owner only
    ctx.obj = index


def _directory(sub_index: Path | None) -> Path:
    """The index directory: `--index` (after or before the command), else the settings'."""
    given = sub_index or click.get_current_context().obj
    return Path(given) if given else load_settings().index_dir


@contextmanager
def open_store() -> Iterator[Store]:
    """The configured graph, attaching to an engine another process runs."""
    from graph.backend import open_graph

    settings = load_settings()
    keep_private(settings.home)
    with open_graph(settings, attach=True) as handle:
        yield handle.store


def _print_text(results: SearchResults) -> None:
    """Human-readable results."""
    click.echo(f"{results.total} results for {results.query!r} (page {results.page})")
    for note in results.notes:
        click.echo(f"  note: {note}")
    for rank, hit in enumerate(results.hits, start=(results.page - 1) * results.page_size + 1):
        lead = f"  lead: {'、'.join(hit.lead)}" if hit.lead else ""
        click.echo(f"{rank:3d}. [{hit.kind}] {hit.title or hit.policy_title}  ({hit.uid}){lead}")
        click.echo(f"     {hit.snippet_html}")
    for name, values in results.facets.items():
        if values:
            click.echo(f"  {name}: " + ", ".join(f"{v} ({n})" for v, n in values[:8]))


@cli.command()
@click.argument("q")
@click.option("--type", "kind", type=click.Choice(KINDS), default=None, help="Only this kind of entry.")
@click.option("--page", type=int, default=1, show_default=True, help="Page of results.")
@click.option("--page-size", type=int, default=10, show_default=True, help="Results per page.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@_index_option
@_reports_errors
def query(q: str, kind: str | None, page: int, page_size: int, as_json: bool, sub_index: Path | None) -> None:
    """Search, e.g. query '"科技成果转化" type:measure -疫情'; print one page of results."""
    with SearchIndex(_directory(sub_index), create=False) as index:
        results = search(index, q, kind=kind, page=page, page_size=page_size)
    if as_json:
        click.echo(json.dumps(results.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_text(results)


@cli.command()
@click.option("--procs", type=int, default=1, show_default=True, help="Indexing processes.")
@_index_option
@_reports_errors
def rebuild(procs: int, sub_index: Path | None) -> None:
    """Rebuild the index from the graph and swap it in."""
    from search.rebuild import rebuild as rebuild_index

    directory = _directory(sub_index)
    with open_store() as store:
        report = rebuild_index(store, directory, procs=procs)
    click.echo(f"rebuilt {directory}: {report.documents} documents, {report.entries} entries "
               f"({report.caught_up} caught up during the rebuild) in {report.seconds:.1f} s")


@cli.command()
@_index_option
@_reports_errors
def check(sub_index: Path | None) -> None:
    """List documents that differ between graph and index (exit 1 if any)."""
    from search.consistency import check as compare

    with open_store() as store, SearchIndex(_directory(sub_index), create=False) as index:
        result = compare(store, index)
    for line in result.lines():
        click.echo(line)
    click.echo("graph and index agree" if result.ok else f"{len(result.lines())} differences; "
               "run `python -m search rebuild` (or load the documents again)")
    if not result.ok:
        sys.exit(1)


@cli.command()
@_index_option
@_reports_errors
def optimize(sub_index: Path | None) -> None:
    """Merge the index into one segment (after bulk loads: faster searches)."""
    with SearchIndex(_directory(sub_index), create=False) as index:
        started = time.perf_counter()
        merged = index.optimize()
        if merged:
            click.echo(f"merged {merged} segments into one in {time.perf_counter() - started:.1f} s "
                       f"({index.doc_count()} entries)")
        else:
            click.echo(f"the index is one segment without deletions already ({index.doc_count()} entries)")


def _bench_command() -> click.Command:
    from search.bench import main as bench

    return bench


cli.add_command(_bench_command(), "bench")  # the search benchmark, also `python -m search.bench`


def main(argv: list[str] | None = None) -> int:
    """Run the CLI on `argv` (default: the command line); return the exit status instead of exiting."""
    try:
        cli.main(args=argv, prog_name="python -m search")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
