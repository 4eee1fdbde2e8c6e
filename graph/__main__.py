"""Command line: `python -m graph query NAME --param k=v [--json|--csv]` and `python -m graph queries`."""

from __future__ import annotations

import csv
import json
import sys

import click

from graph.errors import GraphError
from settings import ROOT, load_settings

BUILTIN_QUERIES = ROOT / "queries"


def _library(settings, store=None):  # type: ignore[no-untyped-def]
    from graph.saved import QueryLibrary

    return QueryLibrary(BUILTIN_QUERIES, settings.home / "queries", store)


@click.group()
def cli() -> None:
    """Graph tools: saved queries and analytics."""


@cli.command("queries")
def list_queries() -> None:
    """List the saved queries (built-in and user-saved) with their parameters."""
    from graph.backend import open_graph

    settings = load_settings()
    with open_graph(settings, attach=True) as handle:
        queries = _library(settings, handle.store).all()
    for q in queries:
        params = " ".join(f"{p.name}:{p.type}={p.default or ''}" for p in q.params)
        click.echo(f"{q.name:34s} {q.title}  {params}")


@cli.command()
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, help="A parameter as k=v (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
def query(name: str, params: tuple[str, ...], as_json: bool, as_csv: bool) -> None:
    """Run a saved query against the configured graph (read-only)."""
    from graph.backend import open_graph

    given = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.ClickException(f"--param {item!r}: write it as name=value")
        given[key.strip()] = value
    settings = load_settings()
    try:
        with open_graph(settings, attach=True) as handle:
            result = _library(settings, handle.store).run(handle.store, name, given,
                                                          timeout_ms=settings.query_timeout_ms,
                                                          row_cap=settings.row_cap)
    except GraphError as e:
        raise click.ClickException(str(e)) from e
    _print(result, as_json, as_csv)


def _print(result, as_json: bool, as_csv: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        click.echo(json.dumps({"columns": result.columns, "rows": rows, "truncated": result.truncated},
                              ensure_ascii=False, indent=1))
        return
    from graph.cells import cell_text, csv_cell

    if as_csv:  # cells as the web's downloads write them: 甲、乙, nodes by name, 牵头/配合
        writer = csv.writer(sys.stdout)
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow([csv_cell(v) for v in row])
        return
    click.echo("\t".join(result.columns))
    for row in result.rows:  # the same text, one line a row (tabs and newlines inside a cell become spaces)
        click.echo("\t".join(" ".join(cell_text(v).split()) for v in row))
    if result.truncated:
        click.echo(f"(truncated at {result.row_cap} rows)", err=True)


if __name__ == "__main__":
    cli()
