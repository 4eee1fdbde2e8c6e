"""`/api/openapi.json`: the OpenAPI description of the JSON API."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from webapp import openapi

bp = Blueprint("api_docs", __name__)


@bp.get("/api/openapi.json")
def openapi_json():
    return jsonify(openapi.spec(request.host_url.rstrip("/")))
