"""The corpus overview on the home page (`/api/overview`) and the lists its numbers link to (`/lists/…`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from graph import cypher, overview
from graph.overview import LoadedRow, Overview, PolicyRow
from webapp import services, versioned
from webapp.errors import not_found
from webapp.script import simplified

bp = Blueprint("overview", __name__)

PAGE_SIZE = 50


def home() -> Overview:
    """The corpus overview at the current graph version (computed once per version)."""
    return versioned.cached("overview", lambda: overview.overview(services.get().store))[1]


def recently_loaded(ov: Overview) -> list[LoadedRow]:
    """The documents loaded last (the instance's load log), kept per graph version and state of the log."""
    log = services.get().load_log
    if log is None:  # an app without an instance folder has no load log
        return []
    return versioned.cached("recently_loaded", lambda: ov.recently_loaded(log), also=log.stamp())[1]


def chart_data(ov: Overview) -> dict[str, Any]:
    """What overview.js draws, each bar or province with the page it opens."""
    browse = url_for("search.browse_page")
    policies = url_for("overview.list_page", name="policies")
    return {
        "years": [{"name": y, "value": n, "href": f"{browse}?year={y}" if y.isdigit() else f"{policies}?year={y}"}
                  for y, n in ov.by_year],
        "leads": [{"name": d["name"], "value": d["n"], "href": url_for("departments.page", dept_id=d["id"])}
                  for d in ov.leads],
        "months": [{"name": m, "value": n, "href": url_for("deadlines.page", today=f"{m}-01")}
                   for m, n in ov.deadlines.items()],
        "provinces": [{"name": short, "full": full, "value": n, "href": f"{policies}?province={full}"}
                      for full, short, n in ov.by_province],
        "national": sum(n for level, n in ov.by_level if level == overview.LEVELS["national"]),
    }


@bp.get("/api/overview")
def api():
    version, ov = versioned.cached("overview", lambda: overview.overview(services.get().store))
    return jsonify({"version": version, **ov.to_json(), "recently_loaded": [r.to_json() for r in recently_loaded(ov)]})


@dataclass
class ListPage:
    """One list a number of the overview links to: columns, rows of (text, link) cells, paging."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[tuple[str, str | None]]] = field(default_factory=list)
    total: int | None = None  # None: not counted (a next page exists when this page is full)
    page: int = 1
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "columns": self.columns, "total": self.total,
                "page": self.page, "page_size": PAGE_SIZE,
                "rows": [[text for text, _href in row] for row in self.rows],
                "links": [[href for _text, href in row] for row in self.rows]}


def _page() -> int:
    return max(1, min(request.args.get("page", 1, type=int) or 1, 1000))


def _measure_rows(query: str, page: int) -> list[list[tuple[str, str | None]]]:
    records = services.get().store.read(query, {"skip": (page - 1) * PAGE_SIZE, "limit": PAGE_SIZE}).records()
    return [[(simplified(r["m"].get("title") or (r["m"].get("text") or "")[:80], r["m"].get("text")),
              url_for("measures.page", measure_id=r["m"]["id"])),
             (simplified(r["p"].get("title") or ""), url_for("policies.page", policy_id=r["p"]["id"])),
             (r["p"].get("date") or "", None), (r["m"].get("deadline") or "", None)] for r in records]


def _measures(page: int) -> ListPage:
    ov = home()
    return ListPage("measures", "全部措施", ["措施", "政策文件", "发布日期", "完成时限"],
                    _measure_rows(cypher.MEASURES_PAGE, page), ov.counts["measures"], page)


def _without_lead(page: int) -> ListPage:
    return ListPage("measures-without-lead", "未识别出牵头单位的措施", ["措施", "政策文件", "发布日期", "完成时限"],
                    _measure_rows(cypher.MEASURES_WITHOUT_LEAD, page), home().without_lead, page,
                    "这些措施的文字中没有找到牵头单位；可打开政策原文核对。")


def _departments(page: int) -> ListPage:
    records = services.get().store.read(cypher.DEPARTMENTS_PAGE,
                                        {"skip": (page - 1) * PAGE_SIZE, "limit": PAGE_SIZE}).records()
    rows = [[(r["d"]["name"] or "", url_for("departments.page", dept_id=r["d"]["id"])),
             (r["d"].get("region") or "", None), (str(r["leads"]), None), (str(r["supports"]), None)] for r in records]
    return ListPage("departments", "全部部门", ["部门", "地区", "牵头措施", "配合措施"], rows,
                    home().counts["departments"], page, "按牵头措施数排序。")


def _programmes(page: int) -> ListPage:
    records = services.get().store.read(cypher.PROGRAMMES_PAGE,
                                        {"skip": (page - 1) * PAGE_SIZE, "limit": PAGE_SIZE}).records()
    rows = [[(r["g"]["name"] or "", url_for("entities.programme", entity_id=r["g"]["id"])), (str(r["links"]), None)]
            for r in records]
    return ListPage("programmes", "专项行动", ["专项行动", "关联条目"], rows, home().counts["programmes"], page)


def _policy_rows(items: list[PolicyRow], page: int, warnings: bool = False) -> list[list[tuple[str, str | None]]]:
    shown = items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return [[(simplified(p.title) or "（无标题）", url_for("policies.page", policy_id=p.id)), (p.date or "", None),
             (p.region or "", None), (p.level, None)] + ([(" ".join(p.warnings), None)] if warnings else [])
            for p in shown]


def _flagged(page: int) -> ListPage:
    items = home().flagged
    return ListPage("flagged", "分工识别有提示的文件", ["政策文件", "发布日期", "地区", "层级", "提示"],
                    _policy_rows(items, page, warnings=True), len(items), page,
                    "自检发现分工位置出现的部门未全部落到措施上，识别可能不完整。")


def _policies(page: int) -> ListPage:
    level, year, region, province = (request.args.get(k, "").strip()[:50]
                                     for k in ("level", "year", "region", "province"))
    items = [p for p in home().recent_all if (not level or p.level == level) and (not year or p.year == year)
             and (not region or (p.region or overview.UNKNOWN) == region) and (not province or p.province == province)]
    said = "，".join(f"{label}：{v}" for label, v in (("层级", level), ("年份", year), ("地区", region),
                                                     ("省份", province)) if v)
    return ListPage("policies", f"政策文件（{said}）" if said else "政策文件", ["政策文件", "发布日期", "地区", "层级"],
                    _policy_rows(items, page), len(items), page, "按发布日期排序，最新的在前。")


LISTS = {"measures": _measures, "measures-without-lead": _without_lead, "departments": _departments,
         "programmes": _programmes, "flagged": _flagged, "policies": _policies}


def _list(name: str) -> ListPage:
    if name not in LISTS:
        raise not_found("该列表")
    return LISTS[name](_page())


def _cached(kind: str, name: str, make: Callable[[], bytes]) -> bytes:
    """A list's body, kept per graph version and query (some lists scan every measure: 1.5 s at 10k documents)."""
    if name not in LISTS:
        raise not_found("该列表")
    key = ("list", kind, versioned.version(), name, tuple(sorted(request.args.items())))
    return services.get().responses.get(key, make)


@bp.get("/lists/<name>")
def list_page(name: str) -> Response:
    args = {k: v for k, v in request.args.items() if k != "page"}
    body = _cached("html", name, lambda: render_template("list.html", v=_list(name), page_size=PAGE_SIZE,
                                                          args=args).encode())
    return Response(body, mimetype="text/html")


@bp.get("/api/lists/<name>")
def api_list(name: str) -> Response:
    body = _cached("json", name, lambda: current_app.json.dumps(_list(name).to_json()).encode())
    return Response(body, mimetype="application/json")
