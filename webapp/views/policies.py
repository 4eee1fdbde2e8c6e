"""Policy pages: `/policies/<id>` and `/api/policies/<id>` (measures table, text with measure spans)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from flask import Blueprint, jsonify, render_template, request

from core.loadlog import LoadTime, zh_time
from graph import reads
from graph.reads import PolicyView
from webapp import services
from webapp.errors import not_found
from webapp.script import Display, display, simplified
from webapp.spans import REPAIR_LABELS, segments

bp = Blueprint("policies", __name__)


def _load(policy_id: str) -> PolicyView:
    view = reads.policy(services.get().store, policy_id)
    if view is None:
        raise not_found("该政策文件")
    return view


@bp.get("/policies/<policy_id>")
def page(policy_id: str) -> str:
    p = _load(policy_id)
    shown: Display = display(p.text, request.args)
    # t2s maps one character to one, so the measure spans, repairs and matches keep their offsets
    pieces = segments(shown.text(p.text), [(m.start, m.end, m.ordinal) for m in p.measures], p.repair_marks,
                      shown.matches(p.text))
    repair_counts = Counter(str(mark[2]) for mark in p.repair_marks)
    return render_template("policy.html", p=p, pieces=pieces, repair_counts=repair_counts,
                           repair_labels=REPAIR_LABELS, shown=shown, lineage=lineage(p.links),
                           loaded=_loaded(policy_id), zh_time=zh_time)


def _loaded(policy_id: str) -> LoadTime | None:
    """When the policy was first loaded and last replaced (the instance's load log)."""
    log = services.get().load_log
    return log.times(policy_id) if log is not None else None


# Lineage headings, in page order: (relation, outgoing?) → heading.
LINEAGE = {("IMPLEMENTS", True): "贯彻落实", ("IMPLEMENTS", False): "被以下政策落实",
           ("CITES", True): "引用", ("CITES", False): "被引用", ("REPEALS", True): "废止",
           ("REPEALS", False): "被以下政策废止", ("MENTIONS", True): "提及"}


def lineage(links: list[dict]) -> list[tuple[str, list[dict]]]:
    """A policy's links grouped under 贯彻落实 / 被…落实 / 引用 / 被引用 / 废止 / 提及, sorted by name; a policy
    it implements or repeals is not listed again under 引用 (implementing it means citing it)."""
    groups: dict[tuple[str, bool], dict[str, dict]] = {key: {} for key in LINEAGE}
    for link in links:
        kind = "REPEALS" if link.get("repeals") else link.get("type")
        key = (kind, bool(link.get("out")))
        if key in groups:  # names shown in simplified characters, like the pages they lead to
            groups[key].setdefault(link["id"], {**link, "shown_name": simplified(link.get("name")),
                                                    "shown_number": simplified(link.get("doc_number"))})
    for out in (True, False):
        for pid in [*groups[("IMPLEMENTS", out)], *groups[("REPEALS", out)]]:
            groups[("CITES", out)].pop(pid, None)
    return [(LINEAGE[key], sorted(found.values(), key=lambda x: (x.get("label") != "Policy", x.get("name") or "")))
            for key, found in groups.items() if found]


@bp.get("/api/policies/<policy_id>")
def api(policy_id: str):
    view = _load(policy_id)
    body = asdict(view)
    body["lineage"] = {heading: [{k: link.get(k) for k in ("id", "label", "name", "doc_number", "loaded")}
                                 for link in links] for heading, links in lineage(view.links)}
    body.pop("properties", None)  # the raw node repeats the fields above, plus internal versions
    loaded = _loaded(policy_id)
    body["loaded"] = None if loaded is None else {
        "last": loaded.last.isoformat(), "first": loaded.first.isoformat() if loaded.first else None,
        "replaced": loaded.replaced}
    shown = display(body["text"], {})
    body["script"] = "traditional" if shown.traditional else "simplified"
    if shown.traditional:  # the text as the page shows it by default (same offsets)
        body["text_simplified"] = shown.text(body["text"])
    return jsonify(body)
