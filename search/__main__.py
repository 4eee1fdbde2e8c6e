"""Command line: `python -m search query "…" [--json] [--index DIR] [--type KIND] [--page N]`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from search.errors import SearchError
from search.index import SearchIndex
from search.query import SearchResults, search
from search.schema import KINDS


def default_index_dir() -> Path:
    """$POLICYGRAPH_HOME/index, POLICYGRAPH_HOME defaulting to ./instance."""
    return Path(os.environ.get("POLICYGRAPH_HOME", "instance")) / "index"


def _parser() -> argparse.ArgumentParser:
    """The argument parser."""
    parser = argparse.ArgumentParser(prog="python -m search", description="Search the PolicyGraph index.")
    parser.add_argument("--index", type=Path, default=None, help="index directory (default: %(default)s)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    q = sub.add_parser("query", help='search, e.g. query \'"科技成果转化" type:measure -疫情\'')
    q.add_argument("q", help="query text")
    q.add_argument("--type", choices=KINDS, default=None, help="only this kind of entry")
    q.add_argument("--page", type=int, default=1)
    q.add_argument("--page-size", type=int, default=10)
    q.add_argument("--json", action="store_true", help="print the results as JSON")
    q.add_argument("--index", type=Path, default=None, dest="sub_index", help=argparse.SUPPRESS)
    return parser


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


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    directory = args.sub_index or args.index or default_index_dir()
    try:
        with SearchIndex(directory, create=False) as index:
            results = search(index, args.q, kind=args.type, page=args.page, page_size=args.page_size)
    except SearchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(results.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_text(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
