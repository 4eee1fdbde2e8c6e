"""The deadline board: `/deadlines` (overdue / due this month / next month), `/api/deadlines`, exports, `.ics`."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from graph import deadlines, reads
from graph.deadlines import BUCKETS, Board, BoardData
from graph.reads import UnitLink
from webapp import exports, ics, services, versioned
from webapp.errors import bad_request, not_found
from webapp.script import simplified

bp = Blueprint("deadlines", __name__)

DEPARTMENT_CHOICES = 300  # the filter lists the departments with the most dated measures


def _data() -> BoardData:
    return versioned.cached("deadline_board", lambda: deadlines.board_data(services.get().store))[1]


def _today() -> date:
    """`?today=YYYY-MM-DD` (to look from another day), else today's date."""
    given = request.args.get("today", "").strip()
    if not given:
        return date.today()
    try:
        return date.fromisoformat(given)
    except ValueError:
        raise bad_request("日期格式不对：请写成 YYYY-MM-DD，例如 2021-06-01。") from None


def _board() -> Board:
    department = request.args.get("department", "").strip()[:64] or None
    region = request.args.get("region", "").strip()[:50] or None
    return deadlines.board(_data(), _today(), department, region)


def _filters(view: Board) -> dict[str, str]:
    given = {"department": view.department, "region": view.region,
             "today": request.args.get("today", "").strip() or None}
    return {k: v for k, v in given.items() if v}


def _department_name(dept_id: str | None, data: BoardData) -> str:
    rows = data.by_department.get(dept_id or "", [])
    return next((u.name for u in rows[0].lead + rows[0].support if u.id == dept_id), "") if rows else ""


@bp.get("/deadlines")
def page() -> str:
    view = _board()
    data = _data()
    choices = data.departments[:DEPARTMENT_CHOICES]
    name = _department_name(view.department, data) or _graph_name(view.department)
    if view.department and not any(u.id == view.department for u, _n in choices):
        choices = [*choices, (UnitLink(view.department, name or view.department), 0)]
    return render_template("deadlines.html", b=view, buckets=BUCKETS, shown=deadlines.SHOWN_PER_BUCKET,
                           departments=choices, regions=data.regions, filters=_filters(view),
                           department_name=name, simplified=simplified,
                           has_calendar=bool(data.by_department.get(view.department or "")))


def _graph_name(dept_id: str | None) -> str:
    """A department's name from the graph, for one chosen on its own page that has no dated measure (the
    board's choices only know departments with deadlines); never its id in the menu."""
    if not dept_id:
        return ""
    found = reads.neighbours(services.get().store, dept_id, limit=1)
    return found.center["name"] if found and found.center["name"] != dept_id else ""


@bp.get("/api/deadlines")
def api():
    limit = max(0, min(request.args.get("limit", deadlines.JSON_PER_BUCKET, type=int) or 0, deadlines.JSON_MAX))
    return jsonify(_board().to_json(limit))


HEADERS = ["分组", "完成时限", "到期月份", "措施", "政策文件", "地区", "牵头单位", "配合单位", "原文依据", "措施链接"]


def table(view: Board) -> exports.Table:
    """The board as a download: every row of every bucket."""
    base = request.url_root.rstrip("/")
    measure_href = url_for("measures.page", measure_id="~")[:-1]
    everything = view.rows
    rows = [[BUCKETS[bucket], r.deadline, r.month, simplified(r.title or r.text, r.text),
             simplified(r.policy_title, r.text), r.policy_region, [u.name for u in r.lead],
             [u.name for u in r.support], simplified(r.evidence, r.text), base + measure_href + r.measure_id]
            for bucket, r in everything[:deadlines.EXPORT_MAX]]
    if len(everything) > deadlines.EXPORT_MAX:
        rows.append([f"（只导出了前 {deadlines.EXPORT_MAX} 项，共 {len(everything)} 项：请按部门或地区筛选后再导出）"])
    return exports.Table(f"截止日期看板-{view.this_month}", HEADERS, rows)


@bp.get("/deadlines.<fmt>")
def download(fmt: str) -> Response:
    return exports.respond(table(_board()), fmt)


@bp.get("/deadlines/<dept_id>.ics")
def calendar(dept_id: str) -> Response:
    """Every dated measure a department leads or supports, as all-day events on the day each is due."""
    data = _data()
    rows = data.by_department.get(dept_id, [])
    name = _department_name(dept_id, data)
    if not rows:
        raise not_found("该部门有完成时限的措施")
    base = request.url_root.rstrip("/")
    events = [ics.Event(uid=f"{r.measure_id}@policygraph", day=ics.last_day(r.month),
                        summary=f"【{r.role_of(dept_id)}】{simplified(r.title or r.text, r.text)[:60]}",
                        description=f"{simplified(r.text)}\n出自：{simplified(r.policy_title)}\n完成时限：{r.deadline}",
                        url=base + url_for("measures.page", measure_id=r.measure_id)) for r in rows]
    body = ics.calendar_text(f"{name} 措施截止日期", events, datetime.now(UTC))
    return Response(body.encode("utf-8"), mimetype="text/calendar",
                    headers={"Content-Disposition": exports.disposition(f"{name}-截止日期.ics")})
