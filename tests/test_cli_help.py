"""Every command line has help: `python -m PACKAGE [COMMAND…] --help` exits 0 and says what it does.

The packages are found by their `__main__.py`, the commands by reading each `--help` (click's `Commands:`
list, argparse's `{a,b,c}`), so a new command or package is checked without editing this file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from settings import ROOT

PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/__main__.py"))
# Tools run as `python -m package.module` that the README documents (the package CLIs are found above).
MODULES = ["search.bench"]
# Paragraphs of a help text that are not the description: the usage line and the lists after it.
_SECTION = re.compile(r"^(usage:|options:|positional arguments:|commands:|arguments:)", re.IGNORECASE)


def _help(argv: list[str], tmp_path: Path) -> str:
    env = {**os.environ, "POLICYGRAPH_HOME": str(tmp_path / "home"), "COLUMNS": "100"}
    out = subprocess.run([sys.executable, "-m", *argv, "--help"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, f"`python -m {' '.join(argv)} --help` exited {out.returncode}: {out.stderr[-2000:]}"
    return out.stdout


def _description(text: str) -> str:
    """The paragraph after the usage lines, unless it is already a list of options or commands."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "" if len(paragraphs) < 2 or _SECTION.match(paragraphs[1]) else paragraphs[1]


def _commands(text: str) -> dict[str, str]:
    """The subcommands a help text lists, each with its one-line summary ("" when it has none)."""
    listed: dict[str, str] = {}
    click_list = re.search(r"^Commands:\n((?:[ \t]+\S.*\n?)+)", text, re.MULTILINE)
    if click_list:
        for line in click_list.group(1).splitlines():
            if m := re.match(r"  (\S+)(?:\s{2,}(.*))?$", line):
                listed[m.group(1)] = (m.group(2) or "").strip()
    argparse_list = re.search(r"^  \{([^}]+)\}\n((?:    .*\n?)*)", text, re.MULTILINE)
    if argparse_list:
        summaries = dict(re.findall(r"^    (\S+)\s+(.*)$", argparse_list.group(2), re.MULTILINE))
        listed.update({name: summaries.get(name, "").strip() for name in argparse_list.group(1).split(",")})
    return listed


def _walk(argv: list[str], tmp_path: Path) -> list[str]:
    """Check `argv --help` and every command under it; the commands checked, by their full argv."""
    text = _help(argv, tmp_path)
    assert _description(text), f"`python -m {' '.join(argv)} --help` prints no description:\n{text}"
    seen = [" ".join(argv)]
    for name, summary in _commands(text).items():
        assert summary, f"`python -m {' '.join(argv)} --help` lists `{name}` without a summary"
        seen += _walk([*argv, name], tmp_path)
    return seen


def test_the_command_line_packages_are_found() -> None:
    assert {"loaders", "graph", "search", "webapp", "bench"} <= set(PACKAGES)


@pytest.mark.parametrize("entry", PACKAGES + MODULES)
def test_every_command_has_help(entry: str, tmp_path: Path) -> None:
    checked = _walk([entry], tmp_path)
    if entry in PACKAGES:
        assert len(checked) > 1, f"python -m {entry} lists no commands"


def test_the_help_reader_finds_both_styles_of_command_list() -> None:
    click_help = ("Usage: x [OPTIONS] COMMAND\n\n  Does x.\n\nOptions:\n  --help  Show this.\n\n"
                  "Commands:\n  load     Load files.\n  extract  Print JSON.\n")
    argparse_help = ("usage: x [-h] {query,check} ...\n\nSearch.\n\npositional arguments:\n  {query,check}\n"
                     "    query     search\n    check     compare\n\noptions:\n  -h, --help  show\n")
    assert _commands(click_help) == {"load": "Load files.", "extract": "Print JSON."}
    assert _commands(argparse_help) == {"query": "search", "check": "compare"}
    assert _description(click_help) == "Does x." and _description(argparse_help) == "Search."
    assert _description("usage: x [-h]\n\noptions:\n  -h, --help  show\n") == ""
