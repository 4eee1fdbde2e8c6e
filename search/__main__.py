"""Command line.

    python -m search query "…" [--json] [--index DIR] [--type KIND] [--page N]
    python -m search rebuild [--index DIR] [--procs N]   # rebuild the index from the graph
    python -m search check [--index DIR]                 # graph vs index; exit 1 on differences
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.errors import GraphError
from graph.store import Store
from search.errors import SearchError
from search.index import SearchIndex
from search.query import SearchResults, search
from search.schema import KINDS
from settings import keep_private


def default_index_dir() -> Path:
    """$POLICYGRAPH_HOME/index, POLICYGRAPH_HOME defaulting to ./instance."""
    return Path(os.environ.get("POLICYGRAPH_HOME", "instance")) / "index"


def _parser() -> argparse.ArgumentParser:
    """The argument parser."""
    parser = argparse.ArgumentParser(prog="python -m search", description="Search the PolicyGraph index.")
    parser.add_argument("--index", type=Path, default=None, help="index directory (default: $POLICYGRAPH_HOME/index)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, summary: str) -> argparse.ArgumentParser:  # its line in the list is its --help's too
        return sub.add_parser(name, help=summary, description=summary)

    q = command("query", 'search, e.g. query \'"科技成果转化" type:measure -疫情\'')
    q.add_argument("q", help="query text")
    q.add_argument("--type", choices=KINDS, default=None, help="only this kind of entry")
    q.add_argument("--page", type=int, default=1)
    q.add_argument("--page-size", type=int, default=10)
    q.add_argument("--json", action="store_true", help="print the results as JSON")
    r = command("rebuild", "rebuild the index from the graph and swap it in")
    r.add_argument("--procs", type=int, default=1, help="indexing processes (default: %(default)s)")
    c = command("check", "list documents that differ between graph and index (exit 1 if any)")
    o = command("optimize", "merge the index into one segment (after bulk loads: faster searches)")
    for p in (q, r, c, o):
        p.add_argument("--index", type=Path, default=None, dest="sub_index", help=argparse.SUPPRESS)
    return parser


@contextmanager
def open_store() -> Iterator[Store]:
    """The configured graph, attaching to an engine another process runs."""
    from graph.backend import open_graph
    from settings import load_settings

    settings = load_settings()
    keep_private(settings.home)
    with open_graph(settings, attach=True) as handle:
        yield handle.store


def _print_text(results: SearchResults) -> None:
    """Human-readable results."""
    print(f"{results.total} results for {results.query!r} (page {results.page})")
    for note in results.notes:
        print(f"  note: {note}")
    for rank, hit in enumerate(results.hits, start=(results.page - 1) * results.page_size + 1):
        lead = f"  lead: {'、'.join(hit.lead)}" if hit.lead else ""
        print(f"{rank:3d}. [{hit.kind}] {hit.title or hit.policy_title}  ({hit.uid}){lead}")
        print(f"     {hit.snippet_html}")
    for name, values in results.facets.items():
        if values:
            print(f"  {name}: " + ", ".join(f"{v} ({n})" for v, n in values[:8]))


def _query(args: argparse.Namespace, directory: Path) -> int:
    """`query`: print one page of results."""
    with SearchIndex(directory, create=False) as index:
        results = search(index, args.q, kind=args.type, page=args.page, page_size=args.page_size)
    if args.json:
        print(json.dumps(results.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_text(results)
    return 0


def _rebuild(args: argparse.Namespace, directory: Path) -> int:
    """`rebuild`: a fresh index from the graph, swapped in."""
    from search.rebuild import rebuild

    with open_store() as store:
        report = rebuild(store, directory, procs=args.procs)
    print(f"rebuilt {directory}: {report.documents} documents, {report.entries} entries "
          f"({report.caught_up} caught up during the rebuild) in {report.seconds:.1f} s")
    return 0


def _check(args: argparse.Namespace, directory: Path) -> int:
    """`check`: report differences; 1 when there are any."""
    from search.consistency import check

    with open_store() as store, SearchIndex(directory, create=False) as index:
        result = check(store, index)
    for line in result.lines():
        print(line)
    print("graph and index agree" if result.ok else f"{len(result.lines())} differences; "
          "run `python -m search rebuild` (or load the documents again)")
    return 0 if result.ok else 1


def _optimize(args: argparse.Namespace, directory: Path) -> int:
    """`optimize`: merge every segment into one."""
    with SearchIndex(directory, create=False) as index:
        started = time.perf_counter()
        merged = index.optimize()
        if merged:
            print(f"merged {merged} segments into one in {time.perf_counter() - started:.1f} s "
                  f"({index.doc_count()} entries)")
        else:
            print(f"the index is one segment without deletions already ({index.doc_count()} entries)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    directory = getattr(args, "sub_index", None) or args.index or default_index_dir()
    keep_private()  # index files (optimize, rebuild) readable by their owner only
    command = {"query": _query, "rebuild": _rebuild, "check": _check, "optimize": _optimize}[args.command]
    try:
        return command(args, directory)
    except (SearchError, GraphError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
