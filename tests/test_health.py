"""GET /healthz: the database is reachable, in JSON, never cached."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from webapp.models import db


@pytest.mark.usefixtures("harbour")
def test_healthz_counts_the_articles(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "articles": 2}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_fails(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()

    def unreachable(*args: object, **kwargs: object) -> None:
        raise OperationalError("SELECT count(*)", {}, Exception("disk I/O error"))

    with app.app_context():
        monkeypatch.setattr(db.session, "execute", unreachable)
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unavailable"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "disk I/O" not in response.get_data(as_text=True)
