"""App-wide error pages: the site's layout for readers, JSON under /api/ for programs."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from webapp.api import json_error

bp = Blueprint("errors", __name__)

# Statuses with a page of their own in the site's layout; others keep Werkzeug's page.
PAGES = {404: "404.html", 500: "500.html"}


def wants_json() -> bool:
    """Return True for a request to the JSON API."""
    return request.path == "/api" or request.path.startswith("/api/")


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response | tuple[str, int] | HTTPException:
    """Answer an HTTP error with the site's page, or under /api/ with the API's JSON.

    Blueprint error handlers never see a URL that matches no route, so this app-wide
    handler picks the format by path.
    """
    status = error.code or 500
    if wants_json():
        return json_error(error)  # the API answers in its own format
    if status in PAGES:
        return render_template(PAGES[status]), status
    return error


@bp.app_errorhandler(InternalServerError)
def server_error(error: InternalServerError) -> Response | tuple[str, int] | HTTPException:
    """Answer an unhandled exception like a 500 (Flask has logged it already)."""
    return http_error(error)
