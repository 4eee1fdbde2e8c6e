"""Admin: sign-in, save/edit/delete user queries, upload documents.  Everything else needs no sign-in."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, redirect, render_template, request, stream_template, url_for
from werkzeug.wrappers import Response

from graph import saved
from graph.errors import GraphError
from graph.saved import SavedQuery
from webapp import auth, services, statestore, uploads
from webapp.errors import AppError, bad_request, not_found
from webapp.queryerrors import saved_query_message, translate
from webapp.ratelimit import RateLimit

log = logging.getLogger(__name__)

bp = Blueprint("admin", __name__, url_prefix="/admin")



@bp.get("/")
def home() -> str:
    s = services.get()
    user = [q for q in s.library.all() if not q.builtin] if auth.is_admin() else []
    return render_template("admin.html", enabled=auth.enabled(), disabled_message=auth.DISABLED_MESSAGE,
                           user_queries=user, max_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
                           has_home=s.home is not None)


@bp.post("/login")
def login() -> Response | tuple[str, int]:
    if not auth.enabled():
        raise AppError(403, auth.DISABLED_MESSAGE)
    client = request.remote_addr or "?"
    failures = RateLimit(statestore.get(), "login_failures", 10, 60.0)  # per address, shared by all processes
    if failures.blocked(client):  # ten wrong passwords in a minute: wait; right ones are not counted
        log.warning("admin sign-in refused: too many failures from %s", client)
        raise AppError(429, "登录尝试过于频繁，请一分钟后再试。")
    if not auth.sign_in(request.form.get("password", "")):
        log.warning("admin sign-in failed from %s", client)
        failures.allow(client)
        return render_template("admin.html", enabled=True, login_error="密码不正确。", user_queries=[],
                               max_mb=0, has_home=False), 401
    return redirect(url_for("admin.home"))


@bp.post("/logout")
def logout() -> Response:
    auth.sign_out()
    return redirect(url_for("admin.home"))


@bp.get("/queries/new")
def query_form() -> str:
    auth.require_admin()
    blank = SavedQuery("", "", "", request.args.get("query", ""), [], builtin=False)
    return render_template("admin_query.html", sq=blank, params_text="", editing=False)


@bp.get("/queries/<name>/edit")
def query_edit(name: str) -> str:
    auth.require_admin()
    q = _user_query(name)
    params_text = "\n".join(_param_line(p) for p in q.params)
    return render_template("admin_query.html", sq=q, params_text=params_text, editing=True)


@bp.post("/queries")
def query_save() -> Response | tuple[str, int]:
    auth.require_admin()
    try:
        q = _from_form()
        services.get().library.save(q.name, q.title, q.description, q.query, q.params, owner="admin")
    except saved.SavedQueryError as e:
        return _refused(AppError(400, "无法保存：" + saved_query_message(str(e)), str(e)))
    except GraphError as e:
        return _refused(translate(e, request.form.get("query")))
    except AppError as e:
        return _refused(e)
    log.info("admin saved query %s", q.name)
    return redirect(url_for("queries.page", name=q.name))


def _refused(e: AppError) -> tuple[str, int]:
    """The form again, filled with what was sent, and why it was not saved."""
    f = request.form
    sent = SavedQuery(f.get("name", ""), f.get("title", ""), f.get("description", ""), f.get("query", ""), [],
                      builtin=False)
    log.info("admin query save refused: %s", e.detail or e.message)
    return render_template("admin_query.html", sq=sent, params_text=f.get("params", ""),
                           editing=f.get("editing") == "1", error=e.message), e.status


@bp.post("/queries/<name>/delete")
def query_delete(name: str) -> Response:
    auth.require_admin()
    _user_query(name)
    services.get().library.delete(name)
    log.info("admin deleted query %s", name)
    return redirect(url_for("admin.home"))


@bp.post("/upload")
def upload() -> Response:
    """Check the files at once (400 when none can be loaded), then stream one row per file as it loads."""
    auth.require_admin()
    job = uploads.Upload(request.files.getlist("files"), services.get(), current_app.config["UPLOAD_MAX_BYTES"])
    return Response(stream_template("admin_upload.html", upload=job), mimetype="text/html")


def _user_query(name: str) -> SavedQuery:
    try:
        q = services.get().library.get(name)
    except saved.SavedQueryError:
        raise not_found("该查询") from None
    if q.builtin:
        raise AppError(403, "内置查询不能在网页上修改或删除。")
    return q


def _param_line(p: saved.Param) -> str:
    return f"{p.name} {p.type}" + (f" = {p.default}" if p.default else "") + (f" -- {p.help}" if p.help else "")


def _from_form() -> SavedQuery:
    """Build the query through the same parser as the built-in `.cypher` files."""
    f = request.form
    one_line = {k: " ".join((f.get(k) or "").split()) for k in ("name", "title", "description")}
    if not one_line["name"] or not one_line["title"] or not (f.get("query") or "").strip():
        raise bad_request("名称、标题和查询语句都不能为空。")
    header = [f"// title: {one_line['title']}", f"// description: {one_line['description']}"]
    header += [f"// param: {line.strip()}" for line in (f.get("params") or "").splitlines() if line.strip()]
    try:
        return saved.parse(one_line["name"], "\n".join(header + [f.get("query", "").strip()]))
    except saved.SavedQueryError as e:
        raise bad_request("查询定义有误：" + saved_query_message(str(e)), str(e)) from e
