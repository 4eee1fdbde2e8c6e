"""Command line: `python -m graph query NAME --param k=v [--json|--csv]` and `python -m graph queries`."""

from __future__ import annotations

import csv
import json
import sys
from typing import TYPE_CHECKING

import click

from graph.errors import GraphError, QueryTimeout
from settings import ROOT, Settings, keep_private, load_settings

if TYPE_CHECKING:
    from graph.saved import QueryLibrary
    from graph.store import Store
    from graph.usercypher import UserQueryResult

BUILTIN_QUERIES = ROOT / "queries"


def _library(settings: Settings, store: Store | None = None) -> QueryLibrary:
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
    keep_private(settings.home)
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
    """Run a saved query against the configured graph (read-only).

    It runs as the console's queries do: checked, then on the disposable user-query engine (Neo4j: a READ
    transaction) with the time limit, row cap and byte cap of the settings."""
    from graph.backend import open_graph

    given = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.ClickException(f"--param {item!r}: write it as name=value")
        given[key.strip()] = value
    settings = load_settings()
    keep_private(settings.home)
    try:
        with open_graph(settings, attach=True, user_queries=True) as handle:
            result = _library(settings, handle.store).run(handle.user_store or handle.store, name, given,
                                                          timeout_ms=settings.query_timeout_ms,
                                                          row_cap=settings.row_cap,
                                                          byte_cap=settings.response_byte_cap)
    except GraphError as e:
        raise click.ClickException(limit_message(e, settings)) from e
    _print(result, as_json, as_csv)


def limit_message(e: GraphError, settings: Settings) -> str:
    """The error to print: a query stopped by a limit is named in Chinese (with the limit) and English."""
    from graph.backend import reply_cap_bytes
    from graph.sandbox import QueryInterrupted, ResultTooLarge

    ms = settings.query_timeout_ms
    seconds = f"{ms / 1000:g}"
    if isinstance(e, QueryTimeout):
        return (f"查询超时：运行超过 {seconds} 秒的时间上限（POLICYGRAPH_QUERY_TIMEOUT_MS={ms}），已被终止。"
                f"请加 LIMIT 或更具体的条件后重试。\n{e} (limit {seconds} s)")
    if isinstance(e, ResultTooLarge):
        mb = reply_cap_bytes(settings) // (1024 * 1024)
        return (f"结果太大：查询返回的数据超过 {mb} MB 的大小上限，已被终止。请少返回长文本列或加 LIMIT。\n"
                f"{e} (limit {mb} MB)")
    if isinstance(e, QueryInterrupted):
        return f"查询被中断：另一条查询超过了时间或内存上限，只读查询引擎已重启。请再运行一次。\n{e}"
    return str(e)


def _print(result: UserQueryResult, as_json: bool, as_csv: bool) -> None:
    if as_json:
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        click.echo(json.dumps({"columns": result.columns, "rows": rows, "truncated": result.truncated,
                               "truncated_by": result.truncated_by, "truncated_notice": result.notice},
                              ensure_ascii=False, indent=1))
    elif as_csv:  # cells as the web's downloads write them: 甲、乙, nodes by name, 牵头/配合
        from graph.cells import csv_cell

        writer = csv.writer(sys.stdout)
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow([csv_cell(v) for v in row])
    else:
        from graph.cells import cell_text

        click.echo("\t".join(result.columns))
        for row in result.rows:  # the same text, one line a row (tabs and newlines inside a cell become spaces)
            click.echo("\t".join(" ".join(cell_text(v).split()) for v in row))
    if result.truncated:
        click.echo(result.notice, err=True)


if __name__ == "__main__":
    cli()
