"""The owner's pages: add an article from the web or from pasted text (preview, then
save) and delete one; refused to anyone else and to forms without their CSRF token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import OWNER_TOKEN, count, csrf_token, sign_in
from sqlalchemy import select

from webapp.models import Article, db

MakeApp = Callable[..., Flask]
TEXT = {
    "title": "Bridge to open in May",
    "text": '"We will open the bridge in May," said Mayor Anna Berg.\n\nIt cost a lot.',
    "source_url": "https://news.example/bridge",
    "published": "2024-05-02",
}


@pytest.fixture
def owner(make_app: MakeApp) -> tuple[Flask, FlaskClient]:
    """An app with an owner token, and a client signed in as the owner."""
    app = make_app(ADMIN_TOKEN=OWNER_TOKEN, FETCH_ALLOW_NETWORKS=["127.0.0.1/32"])
    client = app.test_client()
    assert sign_in(client).status_code == 302
    return app, client


def post_add(client: FlaskClient, **fields: str) -> object:
    """Post the add form with a fresh CSRF token."""
    token = csrf_token(client.get("/add").get_data(as_text=True))
    return client.post("/add", data={"csrf_token": token, **fields})


def test_preview_shows_the_highlighted_article_and_saves_nothing(
    owner: tuple[Flask, FlaskClient],
) -> None:
    app, client = owner
    response = post_add(client, action="preview", **TEXT)
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Preview" in page and 'class="quote' in page and "Anna Berg" in page
    with app.app_context():
        assert count(Article) == 0


def test_save_stores_the_article_and_goes_to_it(owner: tuple[Flask, FlaskClient]) -> None:
    app, client = owner
    response = post_add(client, action="save", **TEXT)
    assert response.status_code == 302  # type: ignore[attr-defined]
    location = response.headers["Location"]  # type: ignore[attr-defined]
    assert location == "/articles/bridge-to-open-in-may"
    page = client.get(location).get_data(as_text=True)
    assert "Added “Bridge to open in May”." in page  # the owner is told
    assert "Delete this article" in page
    second = client.get(location)
    assert "Added" not in second.get_data(as_text=True)  # said once, not kept with the page
    assert second.headers["Cache-Control"] == "private, no-store"
    again = post_add(client, action="save", **TEXT)
    assert again.headers["Location"] == location  # type: ignore[attr-defined]
    with app.app_context():
        assert count(Article) == 1
    # A reader never sees the owner's page (nor a message meant for the owner).
    reader = app.test_client().get(location).get_data(as_text=True)
    assert "Delete this article" not in reader and "Added" not in reader


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"published": "May 2nd"}, "published", "write it as YYYY-MM-DD"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "not a web address"),
        ({"title": ""}, "title", "needs a title"),
        ({"address": "ftp://news.example/a", "text": ""}, "address", "not a web address"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_saved(
    owner: tuple[Flask, FlaskClient], fields: dict[str, str], field_id: str, message: str
) -> None:
    app, client = owner
    response = post_add(client, action="save", **{**TEXT, **fields})
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert f'id="{field_id}-error"' in page and message in page
    assert f'aria-describedby="{field_id}-hint {field_id}-error"' in page or (
        f'aria-describedby="{field_id}-error"' in page
    )
    with app.app_context():
        assert count(Article) == 0


def test_a_web_address_fills_the_form_for_a_preview(
    owner: tuple[Flask, FlaskClient], news_server: str
) -> None:
    app, client = owner
    response = post_add(client, address=f"{news_server}/moved", action="save")
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert 'value="Lighthouse keepers return to Skerry Point"' in page
    assert 'value="2024-03-14"' in page
    assert f'value="{news_server}/news/lighthouse-keepers"' in page
    assert "Maren Holt" in page and "Preview" in page
    with app.app_context():
        assert count(Article) == 0  # fetched and shown, not saved before the owner says so


def test_a_redirect_to_a_private_address_is_refused(
    owner: tuple[Flask, FlaskClient], news_server: str
) -> None:
    _, client = owner
    response = post_add(client, address=f"{news_server}/to-private")
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert 'id="address-error"' in page and "10.1.2.3" in page


def test_an_oversized_body_is_refused(make_app: MakeApp) -> None:
    app = make_app(ADMIN_TOKEN=OWNER_TOKEN, MAX_CONTENT_LENGTH=10_000)
    client = app.test_client()
    sign_in(client)
    response = post_add(client, **{**TEXT, "text": "Words. " * 5_000})
    assert response.status_code == 413  # type: ignore[attr-defined]
    with app.app_context():
        assert count(Article) == 0


def test_writing_needs_the_owner_and_a_csrf_token(
    owner: tuple[Flask, FlaskClient],
) -> None:
    app, client = owner
    stranger = app.test_client()
    token = csrf_token(stranger.get("/signin").get_data(as_text=True))
    refused = stranger.post("/add", data={"csrf_token": token, "action": "save", **TEXT})
    assert refused.status_code == 403
    forged = client.post("/add", data={"csrf_token": "forged", "action": "save", **TEXT})
    assert forged.status_code == 400
    missing = client.post("/add", data={"action": "save", **TEXT})
    assert missing.status_code == 400
    with app.app_context():
        assert count(Article) == 0


def test_delete_asks_first_then_removes_the_article(owner: tuple[Flask, FlaskClient]) -> None:
    app, client = owner
    slug = post_add(client, action="save", **TEXT).headers["Location"].rsplit("/", 1)[1]  # type: ignore[attr-defined]
    confirm = client.get(f"/articles/{slug}/delete")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.get_data(as_text=True)
    token = csrf_token(confirm.get_data(as_text=True))
    stranger = app.test_client()
    assert stranger.post(f"/articles/{slug}/delete", data={"csrf_token": token}).status_code in (
        400,
        403,
    )
    assert client.post(f"/articles/{slug}/delete", data={}).status_code == 400  # no token
    with app.app_context():
        assert db.session.scalar(select(Article.slug)) == slug
    done = client.post(f"/articles/{slug}/delete", data={"csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get(f"/articles/{slug}").status_code == 404
    assert app.test_client().get(f"/articles/{slug}").status_code == 404
