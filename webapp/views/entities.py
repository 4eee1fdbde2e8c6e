"""Programme, platform and region pages (`/programmes/<id>` …) with their JSON twins under /api/."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, jsonify, render_template

from graph import reads
from graph.reads import EntityView
from graph.store import Store
from webapp import services
from webapp.errors import not_found

bp = Blueprint("entities", __name__)

KINDS: dict[str, tuple[str, Callable[[Store, str], EntityView | None]]] = {
    "programme": ("专项行动", reads.programme),
    "platform": ("平台", reads.platform),
    "region": ("地区", reads.region),
}
LINK_LABELS = {"Policy": "政策文件", "Measure": "政策措施", "Department": "部门", "Programme": "专项行动",
               "Platform": "平台", "Region": "地区"}
REL_LABELS = {"IMPLEMENTS": "落实", "MENTIONS": "提及", "OPERATES": "运营", "LOCATED_IN": "位于", "PART_OF": "隶属",
              "CITES": "引用", "ISSUED": "发布", "REPORTS_TO": "汇报"}


def _load(kind: str, entity_id: str) -> EntityView:
    label, read = KINDS[kind]
    view = read(services.get().store, entity_id)
    if view is None:
        raise not_found(f"该{label}")
    return view


def _grouped(view: EntityView) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for link in sorted(view.links, key=lambda x: (x.get("label") or "", x.get("name") or "")):
        groups.setdefault(link.get("label") or "", []).append(link)
    return groups


def _page(kind: str, entity_id: str) -> str:
    view = _load(kind, entity_id)
    return render_template("entity.html", e=view, kind=kind, kind_label=KINDS[kind][0], groups=_grouped(view),
                           link_labels=LINK_LABELS, rel_labels=REL_LABELS)


@bp.get("/programmes/<entity_id>")
def programme(entity_id: str) -> str:
    return _page("programme", entity_id)


@bp.get("/platforms/<entity_id>")
def platform(entity_id: str) -> str:
    return _page("platform", entity_id)


@bp.get("/regions/<entity_id>")
def region(entity_id: str) -> str:
    return _page("region", entity_id)


@bp.get("/api/programmes/<entity_id>")
def api_programme(entity_id: str):
    return jsonify(_load("programme", entity_id))


@bp.get("/api/platforms/<entity_id>")
def api_platform(entity_id: str):
    return jsonify(_load("platform", entity_id))


@bp.get("/api/regions/<entity_id>")
def api_region(entity_id: str):
    return jsonify(_load("region", entity_id))
