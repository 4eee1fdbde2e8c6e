"""Render benchmark results as the markdown table of docs/BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from typing import Any

TARGETS = {
    "ingest_10k_s": 300, "ingest_rss_mb": 2048, "linearity": 11, "search_p95_ms": 50, "read_p95_ms": 100,
    "rps_10": 100, "home_p95_ms": 200, "board_p95_ms": 100,
    "add_ratio": 2.0, "restart_first_search_s": 10,
}


def commit() -> str:
    """The short hash of the checked-out commit ("unknown" outside git)."""
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"


def render(results: dict[str, Any], command: str) -> str:
    """The whole report: header, ingest, reads, web, and the targets with ✓/✗."""
    lines = ["# Benchmarks", "",
             f"- commit `{commit()}`, {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
             f"- machine: {_machine()}", f"- command: `{command}`", ""]
    lines += _ingest(results["ingest"])
    if "reads" in results:
        lines += _reads(results["reads"])
    if "peers" in results:
        lines += peers(results["peers"])
    if "add" in results:
        lines += _adds(results["add"])
    if "restart" in results:
        lines += _restart(results["restart"])
    if "web" in results:
        lines += _web(results["web"])
    lines += _targets(results)
    return "\n".join(lines) + "\n"


def _together(r: dict[str, Any]) -> str:
    """Loader, engine and forked index writers summed at the same instant (not measured before)."""
    if "peak_total_pss_mb" not in r:
        return "not measured"
    return f"{r['peak_total_pss_mb']} MB ({r.get('writers', 1)} index writer{'s' if r.get('writers', 1) > 1 else ''})"


def _ingest(ingest: dict[Any, dict[str, Any]]) -> list[str]:
    out = ["## Ingest (end to end: read → extract → graph → index)", "",
           "| docs | seconds | docs/s | MB/s | measures | errors | read | extract | graph | index | finalize "
           "| peak RSS (loader) | peak RSS (engine) | peak PSS (all processes together) |", "|" + "---|" * 14]
    for n, r in sorted(ingest.items(), key=lambda kv: int(kv[0])):
        s = r["stages"]
        out.append(f"| {n} | {r['seconds']} | {r['docs_per_s']} | {r['mb_per_s']} | {r['measures']} | {r['errors']} "
                   f"| {s['read']} | {s['extract']} | {s['graph']} | {s['index']} | {s['finalize']} "
                   f"| {r['peak_rss_mb']} MB | {r['engine_peak_rss_mb']} MB | {_together(r)} |")
    sizes = sorted(int(k) for k in ingest)
    if len(sizes) >= 2:
        small, large = ingest[sizes[0]] if sizes[0] in ingest else ingest[str(sizes[0])], _get(ingest, sizes[-1])
        out += ["", f"Linearity: time({sizes[-1]}) / time({sizes[0]}) = "
                f"{large['seconds'] / small['seconds']:.2f} (×{sizes[-1] / sizes[0]:.0f} documents)"]
    return out + _references(ingest.values()) + [""]


def _references(phases: Any) -> list[str]:
    """The machine's speed when each phase ran (bench.measure.cpu_reference), where it was measured, and the
    commit each phase was measured at (`report` re-renders phases measured at earlier commits)."""
    phases = list(phases)
    found = [f"{r['cpu_reference_s']} s" for r in phases if "cpu_reference_s" in r]
    commits = ", ".join(dict.fromkeys(f"`{r['commit']}`" if "commit" in r else "not recorded" for r in phases))
    out = ["", f"Measured at commit: {commits}."]
    if found:
        out += ["", "CPU reference before each run (a fixed pure-Python workload, one core; lower is faster): "
                + ", ".join(found)]
    return out


def _get(d: dict[Any, Any], key: int) -> Any:
    return d[key] if key in d else d[str(key)]


def _reads(r: dict[str, Any]) -> list[str]:
    out = [f"## Reads at {r['docs']} documents", "", "| read | n | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|"]
    for name in ("search_warmup", "search", "search_again", "who_leads", "department", "policy", "network_500",
                 "network_policy", "network_build", "overview_build", "deadlines_build", "home_overview",
                 "deadline_board"):
        if name in r:
            x = r[name]
            out.append(f"| {name} | {x['n']} | {x['p50_ms']} | {x['p95_ms']} | {x['p99_ms']} |")
    return out + _references([r]) + [""]


PEER_NAMES = {"ours": "ours (PolicyGraph)", "whoosh": "stock Whoosh", "fts5": "SQLite FTS5"}


def peers(r: dict[str, Any]) -> list[str]:
    """The peers table (bench.peers): latencies, ratios ours / peer, build times, phrase correctness."""
    ours = r["ours"]
    out = [f"## Peers at {r['docs']} documents (the same {r['queries']}-query mix over the same {r['entries']} "
           "entries, first pass, top 20)", "",
           "| system | build s | index MB | p50 ms | p95 ms | p99 ms | ours / peer p50 | ours / peer p95 "
           "| phrase queries: top hits / without the phrase / queries with no hit |", "|" + "---|" * 9]
    for name in ("ours", "whoosh", "fts5"):
        if name not in r:
            continue
        x = ours if name == "ours" else r[name]["search"]
        build = "(ingest)" if name == "ours" else r[name]["build_s"]
        size = "" if name == "ours" else r[name]["index_mb"]
        ph = r["phrases"][name]
        out.append(f"| {PEER_NAMES[name]} | {build} | {size} | {x['p50_ms']} | {x['p95_ms']} | {x['p99_ms']} "
                   f"| {_ratio(ours['p50_ms'], x['p50_ms'])} | {_ratio(ours['p95_ms'], x['p95_ms'])} "
                   f"| {ph['hits']} / {ph['without_phrase']} / {ph['queries_without_hits']} |")
    notes = ["", f"{r['phrases']['queries']} phrase queries; {r['phrases']['entries_with_phrase']} (query, entry) "
             "pairs where the entry's text contains the phrase."]
    if "whoosh" in r:
        notes.append(f"Stock Whoosh: {r['whoosh']['analyzer']} (jieba's dictionary plus the index's userdict.txt), "
                     "MultifieldParser over title/body/lead/support with PlusMinusPlugin, one writer.")
    if "fts5" in r:
        notes.append(f"SQLite FTS5: entries pre-tokenised with the product's analyzer (precise-mode words), "
                     f"{r['fts5']['tokenize_s']} s of the build; MATCH with each word or phrase as an FTS5 phrase, "
                     "ORDER BY rank LIMIT 20.")
    return out + notes + _references([r]) + [""]


ADD_BASE = "1000"


def _adds(adds: dict[str, dict[str, Any]]) -> list[str]:
    """Adding 20 documents to a home of N (bench.incremental), with the searches made meanwhile."""
    base = adds.get(ADD_BASE)
    out = ["## Adding 20 documents (a copy of the home, the engine running; a search every 200 ms meanwhile)", "",
           "`loaders load` of a folder of 20 new documents of the same corpus, a few times one after the other "
           "(median); then 20 more through the upload page (the app's route, an admin session, in process).", "",
           f"| docs | path | seconds (median) | each load s | ÷ at {ADD_BASE} | segments before → after "
           "| new titles found | searches meanwhile | p50 ms | p95 ms | max ms | errors |", "|" + "---|" * 12]
    for n, r in sorted(adds.items(), key=lambda kv: int(kv[0])):
        rows = [("`loaders load`", r, r.get("rounds_s", [r["seconds"]]), base["seconds"] if base else None,
                 f"{r['segments'][0]} → {r['segments'][1]}", r.get("titles_added", r["added"]))]
        if "upload" in r:
            u = r["upload"]
            rows.append(("upload page", u, [u["seconds"]], base["upload"]["seconds"] if base else None, "",
                         u["added"]))
        for path, x, each, base_s, segs, added in rows:
            s = x["searches_meanwhile"]
            out.append(f"| {n} | {path} | {x['seconds']} | {', '.join(map(str, each))} "
                       f"| {_ratio(x['seconds'], base_s) if base_s else '–'} | {segs} | {x['titles_found']} / {added} "
                       f"| {s['n']} | {s.get('p50_ms', '–')} | {s.get('p95_ms', '–')} | {s.get('max_ms', '–')} "
                       f"| {s['errors']} |")
    return out + _references(adds.values()) + [""]


def _restart(r: dict[str, Any]) -> list[str]:
    """Restart of the web app (bench.restart): first search, each page type within its target, memory."""
    out = [f"## Restart at {r['docs']} documents (`python -m webapp serve`, {r['web_processes']} serving processes; "
           "timed from the process start)", "",
           f"First /api/search answered after {r['first_search_s']} s. Server PSS after {r['after_s']} s: "
           f"{r['web_pss_mb']} MB (serving processes), {r['engines_pss_mb']} MB (graph engines).", "",
           "Start-up as logged (seconds after the start: the first of each step, ×N for all processes): "
           + _steps(r.get("events", [])), "",
           f"| page | target ms | first within target after s | p50 ms after {r['after_s']} s "
           f"| p95 ms after {r['after_s']} s |", "|---|---|---|---|---|"]
    for name, target in r["targets_ms"].items():
        x, at = r["pages"][name], r["within_target_s"][name]
        out.append(f"| {name} | {target} | {at if at is not None else 'not within ' + str(r['after_s'])} "
                   f"| {x['p50_ms']} | {x['p95_ms']} |")
    return out + _references([r]) + [""]


def _steps(events: list[list[Any]]) -> str:
    first: dict[str, tuple[float, int]] = {}
    for at, message in events:
        step = message.split(" in ")[0].split(" http")[0].split(":")[0]
        seen = first.get(step)
        first[step] = (seen[0], seen[1] + 1) if seen else (at, 1)
    return "; ".join(f"{step} {at} s" + (f" (×{n})" if n > 1 else "") for step, (at, n) in first.items()) or "–"


def _ratio(ours: float, peer: float) -> str:
    return f"{ours / peer:.2f}" if peer else "–"


def _web(w: dict[str, Any]) -> list[str]:
    out = [f"## Web at {w['docs']} documents (Locust against 127.0.0.1, mixed search / department / network requests; "
           f"{w.get('workers', 1)} server processes, after a warm-up run"
           + (f"; the processes' start-up warm-ups took {w['warm_s']} s and ended before the runs)"
              if "warm_s" in w else ")"),
           "",
           "| clients | seconds | requests | req/s | p50 ms | p99 ms | errors | server RSS before → after "
           "| server PSS before → after |",
           "|---|---|---|---|---|---|---|---|---|"]
    for run in w["runs"]:
        pss = f"{run['pss_before_mb']} → {run['pss_after_mb']} MB" if "pss_before_mb" in run else "not measured"
        out.append(f"| {run['users']} | {run['seconds']} | {run['requests']} | {run['rps']} | {run['p50_ms']} "
                   f"| {run['p99_ms']} | {run['failures']} | {run['rss_before_mb']} → {run['rss_after_mb']} MB "
                   f"| {pss} |")
    return out + _references([w]) + [""]


def _targets(results: dict[str, Any]) -> list[str]:
    checks: list[tuple[str, bool | None]] = []
    ingest = results["ingest"]
    sizes = sorted(int(k) for k in ingest)
    if 10000 in sizes:
        big = _get(ingest, 10000)
        checks.append((f"ingest 10k ≤ 5 min: {big['seconds']} s", big["seconds"] <= TARGETS["ingest_10k_s"]))
        if "peak_total_pss_mb" in big:
            peak, what = big["peak_total_pss_mb"], "loader + engine + index writers at the same instant, PSS"
        else:
            peak, what = big["peak_rss_mb"] + big["engine_peak_rss_mb"], "loader + engine, index writers not measured"
        checks.append((f"peak memory ≤ 2 GB: {peak:.0f} MB ({what})", peak <= TARGETS["ingest_rss_mb"]))
        if 1000 in sizes:
            ratio = big["seconds"] / _get(ingest, 1000)["seconds"]
            checks.append((f"time(10k) ≤ 11 × time(1k): {ratio:.2f}", ratio <= TARGETS["linearity"]))
    reads = results.get("reads", {})
    if "search" in reads:
        checks.append((f"search p95 ≤ 50 ms: {reads['search']['p95_ms']} ms",
                       reads["search"]["p95_ms"] <= TARGETS["search_p95_ms"]))
    for name in ("who_leads", "department", "policy", "network_500", "network_policy"):
        if name in reads:
            checks.append((f"{name} p95 ≤ 100 ms: {reads[name]['p95_ms']} ms",
                           reads[name]["p95_ms"] <= TARGETS["read_p95_ms"]))
    for name, target in (("home_overview", "home_p95_ms"), ("deadline_board", "board_p95_ms")):
        if name in reads:
            checks.append((f"{name} p95 ≤ {TARGETS[target]} ms: {reads[name]['p95_ms']} ms",
                           reads[name]["p95_ms"] <= TARGETS[target]))
    peer = results.get("peers", {})
    for name in ("whoosh", "fts5"):
        if name in peer:
            ours, theirs = peer["ours"]["p95_ms"], peer[name]["search"]["p95_ms"]
            checks.append((f"search p95 below {PEER_NAMES[name]}'s at {peer['docs']} documents: {ours} ms vs "
                           f"{theirs} ms (ours / peer {_ratio(ours, theirs)})", ours < theirs))
    if "phrases" in peer:
        wrong = peer["phrases"]["ours"]["without_phrase"]
        checks.append((f"phrase queries return only hits containing the phrase: {wrong} hits without it",
                       wrong == 0))
    adds = results.get("add", {})
    largest = max(adds, key=int) if adds else None
    if ADD_BASE in adds and largest != ADD_BASE:
        ratio = adds[largest]["seconds"] / adds[ADD_BASE]["seconds"]
        checks.append((f"adding 20 documents at {largest} ≤ 2 × at {ADD_BASE}: {adds[largest]['seconds']} s, "
                       f"×{ratio:.2f}", ratio <= TARGETS["add_ratio"]))
    if ADD_BASE in adds and largest != ADD_BASE and "upload" in adds[largest] and "upload" in adds[ADD_BASE]:
        up, up_base = adds[largest]["upload"]["seconds"], adds[ADD_BASE]["upload"]["seconds"]
        checks.append((f"uploading 20 documents at {largest} ≤ 2 × at {ADD_BASE}: {up} s, ×{up / up_base:.2f}",
                       up / up_base <= TARGETS["add_ratio"]))
    for n, r in sorted(adds.items(), key=lambda kv: int(kv[0])):
        errors = r["searches_meanwhile"]["errors"] + r.get("upload", {}).get("searches_meanwhile", {}).get("errors", 0)
        checks.append((f"searches keep answering while 20 documents are added at {n}: {errors} errors in "
                       f"{r['searches_meanwhile']['n']} searches", errors == 0))
    restart = results.get("restart")
    if restart:
        checks.append((f"restart to first search ≤ {TARGETS['restart_first_search_s']} s at {restart['docs']} "
                       f"documents: {restart['first_search_s']} s",
                       restart["first_search_s"] <= TARGETS["restart_first_search_s"]))
        late = [n for n, x in restart["pages"].items() if x["p95_ms"] > restart["targets_ms"][n]]
        checks.append((f"every page within its target {restart['after_s']} s after a restart: "
                       + (f"not {', '.join(late)}" if late else "all"), not late))
    for run in results.get("web", {}).get("runs", []):
        at = f" (web at {results['web']['docs']} documents)"
        if run["users"] == 10:
            checks.append((f"≥ 100 req/s with 10 clients: {run['rps']}{at}", run["rps"] >= TARGETS["rps_10"]))
        if run["users"] == 50:
            checks.append((f"0 errors with 50 clients: {run['failures']}{at}", run["failures"] == 0))
    return ["## Targets", ""] + [f"- {'✓' if ok else '✗'} {text}" for text, ok in checks]
