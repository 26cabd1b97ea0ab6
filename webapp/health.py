"""GET /healthz: whether this worker can read its database, for load balancers and monitors."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from webapp.library import article_count
from webapp.models import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Answer 200 with the number of articles, or 503 naming what failed; never cached."""
    try:
        count = article_count()
    except SQLAlchemyError as error:
        db.session.rollback()
        name = type(error).__name__
        current_app.logger.warning("health check: database unavailable: %s", name)
        response, status = jsonify(status="error", database="unavailable"), 503
    else:
        response, status = jsonify(status="ok", database="ok", articles=count), 200
    response.headers["Cache-Control"] = "no-store"
    return response, status
