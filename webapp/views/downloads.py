"""Downloads (CSV with BOM, Excel .xlsx) of a policy's measures, a department's portfolio, a search and a
saved query's result: `/export/…`.  The deadline board's are in views/deadlines.py."""

from __future__ import annotations

import re

from flask import Blueprint, Response, request, url_for

from search.query import MAX_PAGE_SIZE
from webapp import exports, results, services
from webapp.exports import Table
from webapp.script import simplified
from webapp.views import departments, policies, queries, search_pages

bp = Blueprint("downloads", __name__)

_TAG = re.compile(r"<[^>]+>")


def _link(endpoint: str, **values: str) -> str:
    return request.url_root.rstrip("/") + url_for(endpoint, **values)


@bp.get("/export/policies/<policy_id>/measures.<fmt>")
def policy_measures(policy_id: str, fmt: str) -> Response:
    p = policies._load(policy_id)
    doc = p.text  # the document's script decides for short pieces of it (a title, a section heading)
    rows = [[i, simplified(m.section, doc), simplified(m.title, doc), simplified(m.text, doc),
             [u.name for u in m.lead], [u.name for u in m.support], m.deadline, simplified(m.evidence, doc),
             _link("measures.page", measure_id=m.id)]
            for i, m in enumerate(p.measures, 1)]
    headers = ["序号", "章节", "措施标题", "措施内容", "牵头单位", "配合单位", "完成时限", "原文依据", "措施链接"]
    return exports.respond(Table(f"{simplified(p.title)[:60] or p.id}-措施", headers, rows), fmt)


@bp.get("/export/departments/<dept_id>/portfolio.<fmt>")
def department_portfolio(dept_id: str, fmt: str) -> Response:
    d = departments._load(dept_id, everything=True)
    rows = [[e.role, simplified(e.measure.title, e.measure.text), simplified(e.measure.text), e.measure.deadline,
             simplified(e.measure.policy_title), simplified(e.evidence), simplified(e.mention, e.measure.text),
             _link("measures.page", measure_id=e.measure.id)]
            for groups in (d.led, d.supported) for entries in groups.values() for e in entries]
    headers = ["角色", "措施标题", "措施内容", "完成时限", "政策文件", "原文依据", "原文写作", "措施链接"]
    return exports.respond(Table(f"{d.name}-牵头配合措施", headers, rows), fmt)


@bp.get("/export/search.<fmt>")
def search_results(fmt: str) -> Response:
    q, kind, _page = search_pages._params()
    svc = services.get()
    hits = []
    if q:
        for page in range(1, svc.settings.search_export_max // MAX_PAGE_SIZE + 1):
            found = svc.search(q, kind=kind or None, page=page, page_size=MAX_PAGE_SIZE)
            hits += found.hits
            if page * MAX_PAGE_SIZE >= found.total:
                break
    rows = [[i, search_pages.KIND_LABELS.get(h.kind, h.kind), simplified(h.title or h.policy_title),
             simplified(_TAG.sub("", h.snippet_html)), simplified(h.policy_title) if h.kind == "measure" else "",
             h.lead, h.support, h.deadline, _hit_link(h.kind, h.id)] for i, h in enumerate(hits, 1)]
    headers = ["名次", "类型", "标题", "摘要", "出自", "牵头单位", "配合单位", "完成时限", "链接"]
    return exports.respond(Table(f"搜索-{q[:40] or '全部'}", headers, rows), fmt)


def _hit_link(kind: str, item_id: str) -> str:
    endpoint = {"measure": ("measures.page", "measure_id"), "policy": ("policies.page", "policy_id"),
                "department": ("departments.page", "dept_id"), "programme": ("entities.programme", "entity_id"),
                "platform": ("entities.platform", "entity_id")}.get(kind)
    return _link(endpoint[0], **{endpoint[1]: item_id}) if endpoint else ""


@bp.get("/export/queries/<name>.<fmt>")
def saved_query(name: str, fmt: str) -> Response:
    q = queries._get(name)
    result = queries._run(q, queries._given(q))
    rows = [[results.cell_text(v) for v in row] for row in result.rows]
    labels = _column_labels(q.columns)
    return exports.respond(Table(q.title or q.name, [labels.get(c, c) for c in result.columns], rows), fmt)


def _column_labels(lines: list[str]) -> dict[str, str]:
    """A saved query's `// columns: name -- 中文名; …` as {name: 中文名} (only labels written in Chinese)."""
    labels = {}
    for part in (p for line in lines for p in line.split(";")):
        name, _, label = (x.strip() for x in part.partition("--"))
        if name and label and not re.search(r"[A-Za-z]", label):
            labels[name] = label
    return labels
