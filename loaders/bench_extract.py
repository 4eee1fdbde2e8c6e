"""Benchmark: extraction throughput (MB/s of input) over the sample corpus, on one core.

usage: python -m loaders.bench_extract [DIR ...]   (default: the bundled sample corpus)
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import click

from loaders.extract import extract_bytes
from settings import SAMPLE_CORPUS

log = logging.getLogger(__name__)
_DEFAULT_DIRS = tuple(str(SAMPLE_CORPUS / d) for d in ("seeds", "extra"))


def bench(dirs: list[str], rounds: int = 3) -> float:
    """Best-of-`rounds` MB/s of raw input over every .txt/.html/.md file in `dirs` (after one warm-up)."""
    files = [(str(p), p.read_bytes()) for d in dirs for p in sorted(Path(d).glob("*"))
             if p.suffix in (".txt", ".html", ".htm", ".md")]
    total = sum(len(data) for _, data in files)
    for source, data in files:  # warm-up: opencc, rjieba dictionaries, regex caches
        extract_bytes(data, source)
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        for source, data in files:
            extract_bytes(data, source)
        best = max(best, total / 1e6 / (time.perf_counter() - start))
    return best


@click.command()
@click.argument("dirs", nargs=-1)
def main(dirs: tuple[str, ...]) -> None:
    """Print the extraction throughput over DIRS (default: the bundled sample corpus)."""
    chosen = list(dirs) or list(_DEFAULT_DIRS)
    rate = bench(chosen)
    click.echo(f"extraction: {rate:.2f} MB/s over {', '.join(chosen)}")


if __name__ == "__main__":
    main(prog_name="python -m loaders.bench_extract")
