"""The owner's sign-in: token to signed cookie, CSRF on every form, nothing written without."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from helpers import OWNER_TOKEN, csrf_token, sign_in

from webapp import config
from webapp.owner import local_path

MakeApp = Callable[..., Flask]


def test_without_a_token_nothing_can_be_written_and_the_page_says_how(
    client: object, app: Flask
) -> None:
    page = client.get("/add")  # type: ignore[attr-defined]
    assert page.status_code == 200
    assert "VOICES_ADMIN_TOKEN" in page.get_data(as_text=True)
    assert "<textarea" not in page.get_data(as_text=True)  # no form to fill in
    refused = client.post("/add", data={"title": "T", "text": "Words."})  # type: ignore[attr-defined]
    assert refused.status_code in (400, 403)  # no CSRF token, and writing is off anyway
    signin = client.post("/signin", data={"token": "anything"})  # type: ignore[attr-defined]
    assert signin.status_code in (400, 403)
    assert "session" not in signin.headers.get("Set-Cookie", "")


def test_the_right_token_gives_a_signed_httponly_samesite_cookie(make_app: MakeApp) -> None:
    client = make_app(ADMIN_TOKEN=OWNER_TOKEN).test_client()
    response = sign_in(client)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP: a Secure cookie would never come back
    page = client.get("/add").get_data(as_text=True)
    assert "<textarea" in page and "Sign out" in page


def test_the_cookie_is_secure_over_https(make_app: MakeApp) -> None:
    client = make_app(ADMIN_TOKEN=OWNER_TOKEN).test_client()
    form = client.get("/signin", base_url="https://localhost").get_data(as_text=True)
    sent = {"token": OWNER_TOKEN, "csrf_token": csrf_token(form)}
    elsewhere = {"Referer": "https://evil.example/signin"}
    refused = client.post("/signin", data=sent, base_url="https://localhost", headers=elsewhere)
    assert refused.status_code == 400  # over HTTPS the form must come from this site
    here = {"Referer": "https://localhost/signin"}  # Referrer-Policy: same-origin sends it
    response = client.post("/signin", data=sent, base_url="https://localhost", headers=here)
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_wrong_token_is_refused(make_app: MakeApp) -> None:
    client = make_app(ADMIN_TOKEN=OWNER_TOKEN).test_client()
    response = sign_in(client, token="not-the-owner-token-at-all")
    assert response.status_code == 403
    assert "not the owner token" in response.get_data(as_text=True)
    assert client.post("/add", data={}).status_code in (400, 403)
    assert "<textarea" not in client.get("/add").get_data(as_text=True)


def test_sign_in_without_a_csrf_token_is_refused(make_app: MakeApp) -> None:
    client = make_app(ADMIN_TOKEN=OWNER_TOKEN).test_client()
    client.get("/signin")
    response = client.post("/signin", data={"token": OWNER_TOKEN, "csrf_token": "forged"})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert "<textarea" not in client.get("/add").get_data(as_text=True)


def test_a_new_token_signs_the_owner_out(make_app: MakeApp) -> None:
    app = make_app(ADMIN_TOKEN=OWNER_TOKEN)
    client = app.test_client()
    sign_in(client)
    app.config["ADMIN_TOKEN"] = "another-owner-token-0123456789"
    assert "<textarea" not in client.get("/add").get_data(as_text=True)


def test_sign_out_forgets_the_owner(make_app: MakeApp) -> None:
    client = make_app(ADMIN_TOKEN=OWNER_TOKEN).test_client()
    sign_in(client)
    page = client.get("/add").get_data(as_text=True)
    client.post("/signout", data={"csrf_token": csrf_token(page)})
    assert "<textarea" not in client.get("/add").get_data(as_text=True)


def test_sign_in_goes_back_only_to_this_site(make_app: MakeApp) -> None:
    client = make_app(ADMIN_TOKEN=OWNER_TOKEN).test_client()
    form = client.get("/signin?next=/add").get_data(as_text=True)
    response = client.post(
        "/signin",
        data={"token": OWNER_TOKEN, "csrf_token": csrf_token(form), "next": "/add"},
    )
    assert response.headers["Location"] == "/add"
    app = make_app(ADMIN_TOKEN=OWNER_TOKEN)
    with app.test_request_context():
        for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "", "add"):
            assert local_path(target) == "/", target
        assert local_path("/people?page=2") == "/people?page=2"


def test_the_session_key_is_never_the_default_once_a_token_exists(make_app: MakeApp) -> None:
    app = make_app(ADMIN_TOKEN=OWNER_TOKEN, SECRET_KEY="dev")
    assert app.config["SECRET_KEY"] not in ("dev", OWNER_TOKEN)
    assert len(app.config["SECRET_KEY"]) >= 32


def test_a_short_token_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="VOICES_ADMIN_TOKEN is 6 characters"):
        config.from_environment({"VOICES_ADMIN_TOKEN": "secret"})
    settings = config.from_environment({"VOICES_ADMIN_TOKEN": f" {OWNER_TOKEN} "})
    assert settings["ADMIN_TOKEN"] == OWNER_TOKEN
