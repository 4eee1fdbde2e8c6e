"""Command line: `python -m loaders load DIR_OR_FILE...` and `python -m loaders extract FILE...`."""

from __future__ import annotations

import json
import logging
import sys

import click

from loaders.errors import LoaderError
from loaders.load import expand
from loaders.records import LoadError


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
def cli(verbose: bool) -> None:
    """Read policy documents, extract measures and departments, load graph and search index."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
def extract(paths: tuple[str, ...]) -> None:
    """Print one JSON object per document (JSON Lines); bad files print an error object."""
    from loaders.extract import extract_path
    from loaders.limits import time_limit

    failed = 0
    for path in expand(paths):
        try:
            with time_limit(str(path)):
                obj = extract_path(path).to_json()
        except LoaderError as e:
            obj, failed = LoadError(str(path), str(e)).to_json(), failed + 1
            click.echo(f"error: {e}", err=True)
        click.echo(json.dumps(obj, ensure_ascii=False))
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--no-progress", is_flag=True, help="Do not draw a progress bar.")
@click.option("--optimize", is_flag=True,
              help="Then merge the search index into one segment (faster searches; about 100 s per 10,000 documents).")
def load(paths: tuple[str, ...], no_progress: bool, optimize: bool) -> None:
    """Load files and folders into the graph and the search index (unchanged files are skipped)."""
    from graph.backend import open_graph
    from graph.errors import GraphError
    from search.errors import SearchError
    from search.index import SearchIndex
    from settings import load_settings

    settings = load_settings()
    files = expand(paths)
    if not files:
        raise click.ClickException(f"no loadable documents under {', '.join(paths)} ({_suffixes()})")
    try:
        with open_graph(settings, attach=True) as handle:
            index = SearchIndex(settings.index_dir)
            try:
                summary = _load_with_restart(files, handle, index, no_progress)
                _print_summary(summary.as_dict())
                _merge_segments(index, optimize)
            finally:
                index.close()
    except (GraphError, SearchError) as e:
        raise click.ClickException(f"{e}. Nothing half-written remains: run the same load again to complete it.") from e
    if summary.errors:
        sys.exit(1)


def _load_with_restart(files, handle, index, no_progress: bool):  # type: ignore[no-untyped-def]
    """Load; if the embedded engine died under us, restart it once and load again (loading is idempotent)."""
    from tqdm import tqdm

    from graph.errors import GraphError
    from loaders.load import load_files

    for attempt in (1, 2):
        try:
            with tqdm(total=len(files), unit="doc", disable=no_progress, file=sys.stderr) as bar:
                return load_files(files, handle.store, index, on_file=lambda _p: bar.update())
        except GraphError:
            engine = handle.engine
            if attempt == 2 or engine is None or engine.process is None or engine.process.poll() is None:
                raise
            click.echo("the graph engine stopped during the load; restarting it and continuing", err=True)
            handle.ensure_running()
    raise AssertionError("unreachable")


def _merge_segments(index, optimize: bool) -> None:  # type: ignore[no-untyped-def]
    """Merge the index's segments when asked; otherwise say when a bulk load left many of them."""
    import time

    from search.index import MANY_SEGMENTS

    segments = index.segment_count()
    if optimize and segments > 1:
        click.echo(f"merging the search index's {segments} segments …", err=True)
        started = time.perf_counter()
        index.optimize()
        click.echo(f"search index merged into one segment in {time.perf_counter() - started:.0f} s")
    elif segments >= MANY_SEGMENTS:
        click.echo(f"the search index has {segments} segments: `python -m search optimize` merges them "
                   "(faster searches; about 100 s per 10,000 documents)")


def _suffixes() -> str:
    from loaders.load import SUPPORTED_SUFFIXES

    return "supported: " + " ".join(SUPPORTED_SUFFIXES)


def _print_summary(s: dict[str, object]) -> None:
    errors = s["errors"]
    assert isinstance(errors, list)
    click.echo(f"documents loaded: {s['documents']}  unchanged: {s['unchanged']}  "
               f"measures: {s['measures']}  departments: {s['departments']}  errors: {len(errors)}")
    for err in errors:  # the reason names the file already
        reason = str(err["error"])
        click.echo(f"  error: {reason if err['source'] in reason else err['source'] + ': ' + reason}")


if __name__ == "__main__":
    cli()
