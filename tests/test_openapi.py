"""The API's OpenAPI document: valid OpenAPI 3.1, served, covering every API route, and
true of the API's real answers (openapi-core checks each one against it)."""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import PROJECT, correct
from hypothesis import given
from hypothesis import strategies as st
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.validation.response.exceptions import InvalidData, MissingRequiredHeader
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import OpenAPIV31SpecValidator
from werkzeug.test import TestResponse
from werkzeug.wrappers import Response

import webapp.api
from webapp.correction_store import Speaker
from webapp.slugs import is_slug

DOCUMENT_FILE = PROJECT / "webapp" / "openapi.json"
DOCUMENT: dict[str, Any] = json.loads(DOCUMENT_FILE.read_text(encoding="utf-8"))
PREFIX = DOCUMENT["servers"][0]["url"]  # "/api": the document's paths are under it
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
OTHER_METHODS = ("post", "put", "patch", "delete")  # each answered 405 on every path
# Beside the project's own seed: an organisation and unnamed sources speaking, a channel,
# a person without a role, a caption (Northwind); no date, no source URL, a warning (Sulawesi).
RICH_SEEDS = ("05_northwind-profit-warning.txt", "16_sulawesi-earthquake.txt")


def spelled_out(document: dict[str, Any]) -> dict[str, Any]:
    """Return the document with what its description says of the methods it does not list
    written out for openapi-core: each one answers components/responses/MethodNotAllowed."""
    full = copy.deepcopy(document)
    for item in full["paths"].values():
        for method in OTHER_METHODS:
            assert method not in item  # a documented POST would need its own test
            item[method] = {
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}}
            }
    return full


SPEC = OpenAPI.from_dict(spelled_out(DOCUMENT))
# The path templates as patterns of request paths: which operation a URL asks for.
TEMPLATES = {
    PREFIX + template: re.compile(
        "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(PREFIX + template)) + "$"
    )
    for template in DOCUMENT["paths"]
}


def explain(error: BaseException | None) -> str:
    """Return a validation error as lines: its kind, then each schema error with where it
    is in the body (openapi-core nests them as causes)."""
    lines = []
    while error is not None:
        found = getattr(error, "schema_errors", None)
        if found:
            lines.extend(f"  {e.json_path}: {e.message}"[:300] for e in found)
        else:
            lines.append(f"{type(error).__name__}: {error}"[:300])
        error = error.__cause__
    return "\n".join(lines)


class Conformance:
    """Requests to the API through a test client, each answer checked against the document;
    records which (path template, method, status) were seen."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.seen: set[tuple[str, str, int]] = set()
        self.answers: list[tuple[str, Any]] = []  # (template, JSON body) of every 200

    def request(
        self,
        url: str,
        status: int,
        *,
        method: str = "GET",
        documented: bool = True,
        headers: dict[str, str] | None = None,
    ) -> TestResponse:
        """Send a request, check its status, and validate the answer against the document;
        the request too: valid when documented, else refused by the document as well."""
        response = self.client.open(url, method=method, headers=headers)
        assert response.status_code == status, (url, response.get_data(as_text=True))
        request = WerkzeugOpenAPIRequest(response.request)
        if method == "GET":
            errors = list(SPEC.iter_request_errors(request))
            if documented:
                assert not errors, f"{url}: " + "\n".join(explain(e) for e in errors)
            else:
                assert errors, f"{url}: the document accepts a request the API refuses"
        errors = list(SPEC.iter_response_errors(request, WerkzeugOpenAPIResponse(response)))
        assert not errors, f"{method} {url} -> {status}:\n" + "\n".join(map(explain, errors))
        template = next(t for t, pattern in TEMPLATES.items() if pattern.match(urlsplit(url).path))
        self.seen.add((template, method.lower(), status))
        if status == 200:
            self.answers.append((template, response.get_json()))
        return response

    def pages(self, url: str) -> Iterator[dict[str, Any]]:
        """Yield every page of a paged answer, following its next links, then check that
        the page after the last is a 404."""
        link: str | None = url
        number = 0
        while link:
            number += 1
            page = self.request(link, 200).get_json()
            assert page["page"] == number and (page["previous"] is None) == (number == 1)
            yield page
            link = page["next"]
        assert number == page["pages"]
        self.request(url + ("&" if "?" in url else "?") + f"page={number + 1}", 404)


@pytest.fixture(params=["stand-in engine", "real engine"])
def loaded(
    request: pytest.FixtureRequest, make_app: Callable[..., Flask], seeds_dir: Path
) -> FlaskClient:
    """Return a client of a library loaded with the stand-in engine (harbour and mill), or
    with the real one (the project's seed and two rich articles of the test corpus)."""
    if request.param == "stand-in engine":
        request.getfixturevalue("harbour")
        return request.getfixturevalue("client")  # type: ignore[no-any-return]
    request.getfixturevalue("real_seed")
    for name in RICH_SEEDS:
        shutil.copy(PROJECT / "tests" / "corpus" / name, seeds_dir / name)
    return make_app().test_client()  # the server loads the seeds at its first start


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every page one row long, so that a small library has next and previous links,
    and rank only a search with one match (more come latest added first, unranked)."""
    monkeypatch.setattr("webapp.paging.PAGE_SIZE", 1)
    monkeypatch.setattr("webapp.search.HITS_PER_PAGE", 1)
    monkeypatch.setattr("webapp.search.RANKED_LIMIT", 1)


@pytest.mark.usefixtures("small_pages")
def test_every_answer_of_the_api_conforms_to_the_document(
    loaded: FlaskClient, request: pytest.FixtureRequest
) -> None:
    api = Conformance(loaded)
    api.request("/api/openapi.json", 200)

    articles = [a for page in api.pages("/api/articles") for a in page["articles"]]
    assert len(articles) >= 2
    people = {p["slug"] for page in api.pages("/api/people") for p in page["people"]}
    for article in articles:
        found = api.request(f"/api/articles/{article['slug']}", 200).get_json()
        people |= {p["slug"] for p in found["people"]}  # also those only mentioned
    for slug in sorted(people):
        for page in api.pages(f"/api/people/{slug}"):
            assert all(q["speaker"] == slug for q in page["quotes"])
    someone = min(people)

    word = max(re.findall(r"[A-Za-z]+", articles[0]["title"]), key=len)
    hits = [h for page in api.pages(f"/api/search?q={quote(word)}") for h in page["hits"]]
    assert articles[0]["slug"] in {h["slug"] for h in hits}
    assert [page["ranked"] for page in api.pages("/api/search?q=said")] == [False] * len(articles)
    assert api.request("/api/search?q=zzyzx", 200).get_json()["hits"] == []
    api.request("/api/search?q=zzyzx&page=2", 404)
    api.request("/api/search?q=%22%22", 400)  # no word to look for: the document cannot tell
    api.request("/api/search?q=-mill", 400)
    api.request("/api/search?q=%20", 400, documented=False)
    api.request("/api/search", 400, documented=False)

    for url in ("/api/articles", "/api/people", f"/api/people/{someone}", "/api/search?q=mill"):
        joiner = "&" if "?" in url else "?"
        for page in ("0", "x", "-1", "1.5"):
            api.request(f"{url}{joiner}page={page}", 404, documented=False)
    for url in ("/api/articles", "/api/people"):
        etag = api.request(url, 200).headers["ETag"]
        not_modified = api.request(url, 304, headers={"If-None-Match": etag})
        assert not_modified.headers["ETag"] == etag and not not_modified.get_data()
        api.request(url, 200, headers={"If-None-Match": '"another"'})

    for collection in ("articles", "people"):
        api.request(f"/api/{collection}/nobody-here", 404)
        for malformed in ("Not%20A%20Slug", "-dash", "dash-", "a_b", "caf%C3%A9%21", "x" * 121):
            api.request(f"/api/{collection}/{malformed}", 404, documented=False)

    for template in DOCUMENT["paths"]:
        url = PREFIX + template.replace("{slug}", articles[0]["slug"])
        for method in OTHER_METHODS:
            refused = api.request(url, 405, method=method.upper())
            assert set(refused.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}

    # Every documented answer but the 500s (test_failures_are_documented_errors) was seen.
    documented = {
        (PREFIX + template, method, int(status))
        for template, item in spelled_out(DOCUMENT)["paths"].items()
        for method, operation in item.items()
        if method in METHODS
        for status in operation["responses"]
        if status != "500"
    }
    assert api.seen == documented
    if request.node.callspec.params["loaded"] == "real engine":
        assert_rich(api.answers)


def assert_rich(answers: list[tuple[str, Any]]) -> None:
    """Check that the real library's answers hold the cases the document has to describe."""
    details = [body for template, body in answers if template == PREFIX + "/articles/{slug}"]
    quotes = [q for body in details for q in body["quotes"]]
    cases = {
        "an organisation speaking": any(q["speaker_label"] and not q["speaker"] for q in quotes),
        "an unnamed source": any(not q["speaker"] and not q["speaker_label"] for q in quotes),
        "a quotation without a cue": any(q["cue"] is None for q in quotes),
        "a channel": any(q["channel"] for q in quotes),
        "a speaker's span": any(q["speaker_span"] for q in quotes),
        "an undated article": any(body["published"] is None for body in details),
        "a warning": any(body["warnings"] for body in details),
        "no source URL": any(body["source_url"] is None for body in details),
        "a person without a role": any(p["role"] is None for b in details for p in b["people"]),
        "a person never quoted": any(
            body["quotes"] == [] and body["total"] == 0
            for template, body in answers
            if template == PREFIX + "/people/{slug}"
        ),
    }
    assert [case for case, seen in cases.items() if not seen] == []


def test_corrected_quotations_conform_to_the_document(
    app: Flask, client: FlaskClient, harbour: str
) -> None:
    correct(app, harbour, '"We will build it this year,"', Speaker("person", "Karl Olsen"))
    correct(app, harbour, '"Nobody asked us,"', Speaker("unnamed"))
    correct(app, harbour, "the work would start in May", Speaker("organization", "The Council"))
    api = Conformance(client)
    quotes = api.request(f"/api/articles/{harbour}", 200).get_json()["quotes"]
    assert [(q["correction"], q["engine_speaker"]) for q in quotes] == [
        ("speaker", "Anna Berg"),
        (None, None),
        ("speaker", None),
        ("added", None),
        (None, None),
    ]
    assert quotes[3]["speaker_label"] == "The Council"
    karl = api.request("/api/people/karl-olsen", 200).get_json()["quotes"]
    assert sorted(q["corrected"] for q in karl) == [False, False, True]


@pytest.mark.parametrize(
    ("url", "broken_part"),
    [
        ("/api/articles", "webapp.api.article_page"),
        ("/api/articles/anything", "webapp.api.find_article"),
        ("/api/people", "webapp.api.people_page"),
        ("/api/people/anyone", "webapp.api.find_person"),
        ("/api/search?q=mill", "webapp.api.find"),
        ("/api/openapi.json", "webapp.openapi.served"),
    ],
)
def test_failures_are_documented_errors(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, url: str, broken_part: str
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(broken_part, broken)
    client = make_app(PROPAGATE_EXCEPTIONS=False).test_client()  # as in production
    response = Conformance(client).request(url, 500)
    assert response.get_json()["error"]["code"] == "internal_server_error"
    assert "fire" not in response.get_data(as_text=True)


# The validation bites: answers the API must never give fail it -------------------------

ARTICLE = "/api/articles/harbour-plan-approved"
PERSON = "/api/people/karl-olsen"


def _set(path: str, value: Any) -> Callable[[Any], None]:
    """Return a change that sets the field at a dotted path (numbers index lists)."""

    def change(body: Any) -> None:
        *parents, last = path.split(".")
        for key in parents:
            body = body[int(key)] if key.isdigit() else body[key]
        body[last] = value

    return change


def _drop(path: str) -> Callable[[Any], None]:
    """Return a change that removes the field at a dotted path."""

    def change(body: Any) -> None:
        *parents, last = path.split(".")
        for key in parents:
            body = body[int(key)] if key.isdigit() else body[key]
        del body[last]

    return change


@pytest.mark.parametrize(
    ("url", "change", "status", "error"),
    [
        (ARTICLE, _set("stray", 1), 200, InvalidData),
        (ARTICLE, _drop("engine"), 200, InvalidData),
        (ARTICLE, _drop("url"), 200, InvalidData),  # a field of ArticleFields, through allOf
        (ARTICLE, _set("loaded_at", "yesterday"), 200, InvalidData),
        (ARTICLE, _set("published", "3 March 2024"), 200, InvalidData),
        (ARTICLE, _set("source_url", "javascript:alert(1)"), 200, InvalidData),
        (ARTICLE, _set("parts.0.kind", "sidebar"), 200, InvalidData),
        (ARTICLE, _set("people.0.mentions.0.stray", 1), 200, InvalidData),
        (ARTICLE, _set("quotes.0.kind", "shouted"), 200, InvalidData),
        (ARTICLE, _set("quotes.0.speaker", "Not A Slug"), 200, InvalidData),
        (ARTICLE, _set("quotes.0.speaker_span", {"start": 1}), 200, InvalidData),
        (ARTICLE, _set("quotes.0.stray", 1), 200, InvalidData),
        (ARTICLE, _drop("quotes.0.channel"), 200, InvalidData),
        (ARTICLE, _set("quotes.0.corrected", "no"), 200, InvalidData),
        (ARTICLE, _set("quotes.0.correction", "deleted"), 200, InvalidData),
        (ARTICLE, _drop("quotes.0.engine_speaker"), 200, InvalidData),
        (PERSON, _set("quotes.0.engine_speaker", 3), 200, InvalidData),
        ("/api/articles", _set("stray", 1), 200, InvalidData),
        ("/api/articles", _drop("next"), 200, InvalidData),
        ("/api/articles", _set("articles.0.stray", 1), 200, InvalidData),
        ("/api/articles", _set("articles.0.quotes", "4"), 200, InvalidData),
        ("/api/people", _set("people.0.stray", 1), 200, InvalidData),
        ("/api/people", _set("page", 0), 200, InvalidData),
        (PERSON, _set("stray", 1), 200, InvalidData),
        (PERSON, _set("quotes", 2), 200, InvalidData),
        (PERSON, _set("roles.0.stray", 1), 200, InvalidData),
        (PERSON, _set("quotes.0.article.stray", 1), 200, InvalidData),
        (PERSON, _drop("quotes.0.article"), 200, InvalidData),
        ("/api/search?q=mill", _set("hits.0.stray", 1), 200, InvalidData),
        ("/api/search?q=mill", _drop("query"), 200, InvalidData),
        ("/api/articles/nope", _set("error.stray", 1), 404, InvalidData),
        ("/api/articles/nope", _set("error", "not_found"), 404, InvalidData),
        ("/api/articles/nope", lambda body: None, 418, ResponseNotFound),
        ("/api/openapi.json", _drop("paths"), 200, InvalidData),
    ],
)
def test_answers_the_document_forbids_fail_validation(
    client: FlaskClient,
    harbour: str,
    url: str,
    change: Callable[[Any], None],
    status: int,
    error: type[Exception],
) -> None:
    real = client.get(url)
    request = WerkzeugOpenAPIRequest(real.request)
    headers = {"ETag": real.headers["ETag"]} if "ETag" in real.headers else {}

    def answer(body: Any, code: int) -> WerkzeugOpenAPIResponse:
        return WerkzeugOpenAPIResponse(
            Response(json.dumps(body), status=code, headers=headers, mimetype="application/json")
        )

    body = real.get_json()
    SPEC.validate_response(request, answer(body, real.status_code))  # the real one passes
    change(body)
    with pytest.raises(error):
        SPEC.validate_response(request, answer(body, status))


@pytest.mark.usefixtures("harbour")
def test_a_list_without_its_etag_fails_validation(client: FlaskClient) -> None:
    real = client.get("/api/articles")
    answer = Response(real.get_data(), status=200, mimetype="application/json")
    with pytest.raises(MissingRequiredHeader):
        SPEC.validate_response(
            WerkzeugOpenAPIRequest(real.request), WerkzeugOpenAPIResponse(answer)
        )


# The document itself ----------------------------------------------------------------------


def test_the_document_is_valid_openapi_3_1() -> None:
    OpenAPIV31SpecValidator(DOCUMENT).validate()
    assert DOCUMENT["openapi"] == "3.1.0"
    assert DOCUMENT["info"]["title"] == "Voices API"
    assert DOCUMENT["info"]["version"] == metadata.version("voices")


def test_every_reference_resolves_and_every_component_is_used() -> None:
    # MethodNotAllowed is referenced by the description, which spelled_out() writes out.
    targets = re.findall(r'"\$ref": "([^"]*)"', json.dumps(spelled_out(DOCUMENT)))
    references = {tuple(t.split("/")[2:]) for t in targets if re.match(r"#/components/\w+/\w+$", t)}
    assert len(references) == len(set(targets))  # only references to components
    defined = {(kind, name) for kind, names in DOCUMENT["components"].items() for name in names}
    assert references == defined


def test_every_api_route_is_documented(app: Flask) -> None:
    routes: dict[tuple[str, str], str] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule == PREFIX or rule.rule.startswith(PREFIX + "/"):
            template = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes[template.removeprefix(PREFIX), method.lower()] = rule.endpoint
    documented = {
        (template, method): "api." + operation["operationId"]
        for template, item in DOCUMENT["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }
    assert routes == documented
    assert webapp.api.bp.url_prefix == PREFIX


def test_the_document_is_served(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")
    assert (response.status_code, response.mimetype) == (200, "application/json")
    served = response.get_json()
    assert served["info"]["version"] == metadata.version("voices")
    assert served == DOCUMENT
    under = client.get("/api/openapi.json", base_url="http://localhost/voices/")
    assert under.get_json()["servers"] == [{**DOCUMENT["servers"][0], "url": "/voices/api"}]
    assert client.get("/api/openapi.json").get_json() == DOCUMENT  # each root its own copy


# The slug pattern says what webapp.slugs.is_slug says ------------------------------------

_SLUG = OAS31Validator(DOCUMENT["components"]["schemas"]["Slug"])


def documented_slug(value: str) -> bool:
    """Return whether the document's Slug schema accepts value, as ECMA-262 reads its
    pattern: Python's `$` also matches before a final newline, ECMA-262's does not."""
    return _SLUG.is_valid(value) and not value.endswith("\n")


@given(
    st.text(st.characters(codec="ascii"), max_size=125)
    | st.from_regex(r"[A-Za-z0-9-]{1,4}", fullmatch=True)
)
def test_the_slug_pattern_is_is_slug_for_ascii(value: str) -> None:
    assert documented_slug(value) == is_slug(value)


@given(st.text(max_size=125))
def test_every_slug_matches_the_slug_pattern(value: str) -> None:
    if is_slug(value):
        assert documented_slug(value)
