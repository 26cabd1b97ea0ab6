"""Error responses: the site's pages for readers, JSON with the right headers under /api/."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize(
    ("method", "url", "status", "error"),
    [
        ("POST", "/api/articles", 405, "method_not_allowed"),
        ("DELETE", "/api/articles/nope", 405, "method_not_allowed"),
        ("GET", "/api/nothing", 404, "not_found"),
        ("GET", "/api", 404, "not_found"),
    ],
)
def test_every_error_under_the_api_is_json(
    client: FlaskClient, method: str, url: str, status: int, error: str
) -> None:
    response = client.open(url, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert list(body) == ["error"] and list(body["error"]) == ["code", "message"]
    assert body["error"]["code"] == error
    assert body["error"]["message"]  # Werkzeug's sentence for the status, for a person
    if status == 405:
        assert "GET" in response.headers["Allow"]  # the header the status promises
    assert response.headers["Content-Security-Policy"]


def test_errors_outside_the_api_are_pages(client: FlaskClient) -> None:
    missing = client.get("/articles/nope")
    assert (missing.status_code, missing.mimetype) == (404, "text/html")
    not_allowed = client.post("/")
    assert (not_allowed.status_code, not_allowed.mimetype) == (405, "text/html")
    assert "GET" in not_allowed.headers["Allow"]
