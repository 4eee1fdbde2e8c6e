"""Command line: `python -m loaders load DIR_OR_FILE...` and `python -m loaders extract FILE...`."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from core.records import LoadError
from loaders.errors import LoaderError
from loaders.load import expand
from settings import Settings, keep_private, load_settings

if TYPE_CHECKING:  # the CLI imports graph/ and search/ only when a command needs them
    from core.records import Extraction
    from graph.backend import GraphHandle
    from loaders.load import LoadSummary
    from search.index import SearchIndex


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
def cli(verbose: bool) -> None:
    """Read policy documents, extract measures and departments, load graph and search index."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--explain", is_flag=True,
              help="Instead of JSON, print for each measure which reading assigned each unit, and the self-check.")
def extract(paths: tuple[str, ...], explain: bool) -> None:
    """Print one JSON object per document (JSON Lines); bad files print an error object."""
    from loaders.load import read_file
    from loaders.worker import ExtractionWorker

    failed = 0
    worker = ExtractionWorker.configured(load_settings())  # each file read under the same limits as a load
    for path in expand(paths):
        try:
            ex = worker.extract(read_file(path), str(path))
        except LoaderError as e:
            failed += 1
            click.echo(f"error: {e}", err=True)
            if not explain:
                click.echo(json.dumps(LoadError(str(path), str(e), e.zh).to_json(), ensure_ascii=False))
            continue
        click.echo(_explain(ex) if explain else json.dumps(ex.to_json(), ensure_ascii=False))
    worker.close()
    if failed:
        sys.exit(1)


# What each reading means, for --explain.
RULES = {
    "labelled": "a label before the units (牵头单位:… / 责任单位:…)",
    "marked-list": "a unit marked in the list (A(牵头)、B)",
    "verb": "units before a role verb (A牵头,B配合 / A、B负责)",
    "bare-list": "a bracketed list of units with no role word (first listed leads)",
    "responsibility-line": "a responsibility line outside brackets (责任单位:…)",
    "table": "a task table's unit columns",
    "prose": "running text (由A牵头,会同B…)",
    "clause": "a clause of its own (…,A牵头,B配合,…)",
    "subject": "a sentence whose subject is the unit (A要… / A负责…)",
    "task-item": "the actor named in an untagged task item's prose",
}


def _explain(ex: Extraction) -> str:
    lines = [f"{ex.source}: {ex.document.title or '(no title)'} — {len(ex.measures)} measures"]
    for i, m in enumerate(ex.measures, 1):
        head = m.title or m.text[:30].replace("\n", " ")
        lines.append(f"  {i}. {head}…{m.text[-12:]}" if len(m.text) > 30 else f"  {i}. {m.text}")
        if not m.lead and not m.support:
            lines.append("     no unit assigned")
            continue
        lines.append(f"     rule: {m.rule} — {RULES.get(m.rule, m.rule)}")
        lines.append(f"     evidence: {m.evidence[:80]}")
        for role, units in (("lead", m.lead), ("support", m.support)):
            for u in units:
                word = f" [{u.role}]" if u.role else ""
                same = "" if u.mention == u.name else f" → {u.name}"
                lines.append(f"     {role:7s} {u.mention}{same}{word}")
        if m.deadline:
            lines.append(f"     deadline {m.deadline}")
    sc = ex.selfcheck
    if sc is not None:
        coverage = "n/a" if sc.coverage is None else f"{sc.coverage:.0%}"
        lines.append(f"  self-check: {sc.assigned}/{sc.candidates} units written in assignment places are on "
                     f"measures (coverage {coverage}); {sc.without_lead} of {sc.measures} measures without a lead")
        if sc.unassigned:
            lines.append(f"  not on any measure: {'、'.join(sc.unassigned)}")
        lines += [f"  warning: {w}" for w in sc.warnings]
    return "\n".join(lines)


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

    settings = load_settings()
    keep_private(settings.home)
    files = expand(paths)
    if not files:
        raise click.ClickException(f"no loadable documents under {', '.join(paths)} ({_suffixes()})")
    try:
        with open_graph(settings, attach=True) as handle:
            index = SearchIndex(settings.index_dir)
            try:
                summary = _load_with_restart(files, paths, handle, index, no_progress, settings)
                _print_summary(summary.as_dict())
                _merge_segments(index, optimize)
            finally:
                index.close()
    except (GraphError, SearchError) as e:
        raise click.ClickException(f"{e}. Nothing half-written remains: run the same load again to complete it.") from e
    except Exception as e:  # a bug outside any one file: a clear line, the traceback with --verbose
        logging.getLogger(__name__).info("the load stopped", exc_info=True)
        raise click.ClickException(f"the load stopped ({type(e).__name__}: {e}); run the same load again to complete "
                                   "it (`python -m loaders -v load …` shows where it failed)") from e
    if summary.errors:
        sys.exit(1)


def _load_with_restart(files: list[Path], roots: tuple[str, ...], handle: GraphHandle, index: SearchIndex,
                       no_progress: bool, settings: Settings) -> LoadSummary:
    """Load; if the graph engine died under us, wait until it is back (restarted by its supervisor, in
    this process or in the app that owns it) and load again, once (loading is idempotent)."""
    from tqdm import tqdm

    from core.loadlog import LoadLog
    from graph.backend import wait_for_engine
    from graph.errors import GraphError
    from loaders.load import load_files
    from loaders.worker import ExtractionWorker

    load_log = LoadLog(settings.load_log)
    try:
        for attempt in (1, 2):
            try:
                with tqdm(total=len(files), unit="doc", disable=no_progress, file=sys.stderr) as bar, \
                        ExtractionWorker.configured(settings) as worker:
                    # an engine another process runs (the app's) outlives this load: it finishes the log
                    # rewrite alone; one started here stops when the load ends, so the rewrite is waited for
                    return load_files(files, handle.store, index, on_file=lambda _p, _s: bar.update(), roots=roots,
                                      worker=worker, load_log=load_log, wait_compaction=handle.engine is not None)
            except GraphError:
                if attempt == 2:
                    raise
                click.echo("the graph engine stopped during the load; waiting for it to restart, then continuing",
                           err=True)
                handle.ensure_running()
                wait_for_engine(handle.store.document_versions, settings.engine_dir, settings.engine_attach_wait_s)
    finally:
        load_log.close()
    raise AssertionError("unreachable")


def _merge_segments(index: SearchIndex, optimize: bool) -> None:
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
        if err.get("error_zh"):
            click.echo(f"         {err['error_zh']}")
    if s.get("merged"):
        click.echo(f"same policy, another file: {s['merged']} file(s) joined a policy already loaded from another "
                   "file (one policy, several sources; its text and facts come from the richest)")
    reload = s.get("reload") or []
    assert isinstance(reload, list)
    for src in reload:
        click.echo(f"  请重新导入 {src}：与它同属一份政策的文件已变为另一份政策 "
                   f"(load {src} again: the file that gave its policy's facts is now another policy)")
    if s.get("legacy"):
        click.echo(f"注意：数据目录中还有 {s['legacy']} 份文档是旧版本按文件名编号导入的，"
                   "请从原位置重新导入这些文件（python -m loaders load 原目录）以按文号/标题重新编号。"
                   f" ({s['legacy']} policies still have ids an older version derived from file names: "
                   "load their files again from the same place)")
    flagged = s.get("flagged") or []
    assert isinstance(flagged, list)
    if flagged:
        click.echo(f"self-check: {len(flagged)} document(s) whose assignments may not have been understood "
                   "(`python -m loaders extract --explain FILE` shows why):")
        for item in flagged:
            for warning in item["warnings"]:
                click.echo(f"  {item['source']}: {warning}")


@cli.command()
@click.option("--seconds", type=float, default=60.0, show_default=True, help="How long the random run lasts.")
def fuzz(seconds: float) -> None:
    """Fuzz the loaders: the pathological inputs, then random mutations of the sample corpus; print the counts
    (the same as `python -m loaders.fuzz`)."""
    from loaders.fuzz import run

    click.echo(run(seconds))


@cli.command("bench-extract")
@click.argument("dirs", nargs=-1)
def bench_extract(dirs: tuple[str, ...]) -> None:
    """Print the extraction throughput over DIRS, default the bundled sample corpus (as
    `python -m loaders.bench_extract`)."""
    from loaders.bench_extract import main

    main.callback(dirs)  # type: ignore[misc]  # click's decorated command keeps the plain function as callback


if __name__ == "__main__":
    cli()
