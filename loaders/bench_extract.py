"""Benchmark: extraction throughput (MB/s of input) over the sample corpus, on one core.

usage: python -m loaders.bench_extract [DIR ...]   (default: the bundled sample corpus)
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

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


def main(argv: list[str]) -> int:
    """Print the throughput."""
    dirs = argv or list(_DEFAULT_DIRS)
    rate = bench(dirs)
    sys.stdout.write(f"extraction: {rate:.2f} MB/s over {', '.join(dirs)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
