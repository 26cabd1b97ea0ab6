"""The JSON API: the article list and each article's stored analysis."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import HARBOUR_SEED, SEED_SLUG, WriteSeed, correct

from webapp import library
from webapp.correction_store import Speaker


@pytest.mark.usefixtures("harbour")
def test_article_list(client: FlaskClient) -> None:
    response = client.get("/api/articles")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    rows = response.get_json()["articles"]
    assert [(a["slug"], a["published"], a["quotes"], a["url"]) for a in rows] == [
        ("old-mill-reopens", "2024-05-01", 1, "/articles/old-mill-reopens"),
        ("harbour-plan-approved", "2024-03-03", 4, "/articles/harbour-plan-approved"),
    ]
    assert "Content-Security-Policy" in response.headers


@pytest.mark.usefixtures("harbour")
def test_article_detail_returns_the_stored_analysis(client: FlaskClient) -> None:
    data = client.get("/api/articles/harbour-plan-approved").get_json()
    assert data["title"] == "Harbour plan approved"
    assert data["source_url"] == "https://example.com/harbour"
    assert data["photo_credit"] == "Jon Smith"
    assert [p["kind"] for p in data["parts"]] == ["headline", "caption", *["paragraph"] * 4]
    text = data["text"]
    assert [(p["slug"], p["name"], p["role"]) for p in data["people"]] == [
        ("anna-berg", "Anna Berg", "Mayor"),
        ("karl-olsen", "Karl Olsen", "opposition leader"),
    ]
    for person in data["people"]:
        assert {text[m["start"] : m["end"]] for m in person["mentions"]} <= {
            person["name"],
            person["name"].split()[-1],
        }
    quotes = data["quotes"]
    assert [(q["id"], q["kind"], q["speaker"], q["channel"]) for q in quotes] == [
        ("q1", "direct", "anna-berg", None),
        ("q2", "partial", "karl-olsen", "Radio Nord"),
        ("q3", "direct", None, None),
        ("q4", "direct", "anna-berg", None),
    ]
    assert all(text[q["start"] : q["end"]] == q["text"] for q in quotes)
    assert text[quotes[0]["speaker_span"]["start"] : quotes[0]["speaker_span"]["end"]] == (
        "Anna Berg"
    )


def test_article_detail_reports_when_it_was_loaded_and_its_warnings(
    app: Flask, client: FlaskClient, seeds_dir: Path, write_seed: WriteSeed, fake_engine: object
) -> None:
    write_seed("js.txt", HARBOUR_SEED.replace("https://example.com/harbour", "javascript:x()"))
    with app.app_context():
        (result,) = library.load_seeds(seeds_dir).results
    before = datetime.now(UTC)
    data = client.get(f"/api/articles/{result.slug}").get_json()
    assert data["warnings"] == list(result.warnings)
    assert len(data["warnings"]) == 1
    assert data["warnings"][0].startswith("js.txt:")
    loaded = datetime.fromisoformat(data["loaded_at"])
    assert loaded.utcoffset() is not None and loaded.utcoffset().total_seconds() == 0
    assert abs((before - loaded).total_seconds()) < 60
    assert data["source_url"] is None


def test_unknown_article_is_a_json_404(client: FlaskClient) -> None:
    for url in ("/api/articles/nope", "/api/nothing"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"


def test_seed_through_the_api(make_app: Callable[..., Flask], real_seed: Path) -> None:
    client = make_app().test_client()
    data = client.get(f"/api/articles/{SEED_SLUG}").get_json()
    speakers = [q["speaker"] for q in data["quotes"]]
    assert len(speakers) == 11
    assert {s: speakers.count(s) for s in set(speakers)} == {
        "anders-fogh-rasmussen": 3,
        "anatoly-serdyukov": 5,
        "araz-azimov": 3,
    }
    assert [q["channel"] for q in data["quotes"][1:3]] == ["Interfax", "Itar-Tass"]


# People across stories -----------------------------------------------------------------


def test_one_person_across_two_articles(client: FlaskClient, harbour: str) -> None:
    people = client.get("/api/people").get_json()
    assert [(p["name"], p["quotes"], p["articles"]) for p in people["people"]] == [
        ("Anna Berg", 2, 1),
        ("Karl Olsen", 2, 2),  # quoted in the harbour story and in the mill's: one person
    ]
    assert (people["page"], people["pages"], people["total"]) == (1, 1, 2)
    karl = client.get(people["people"][1]["api_url"]).get_json()
    assert karl["name"] == "Karl Olsen" and karl["roles"] == [
        {"role": "opposition leader", "articles": 2}
    ]
    # Newest article first; each quotation links into its context on the reading page.
    assert [(q["article"]["slug"], q["text"]) for q in karl["quotes"]] == [
        ("old-mill-reopens", '"It is a good day,"'),
        ("harbour-plan-approved", '"too expensive for a small town."'),
    ]
    assert karl["quotes"][0]["article"]["url"] == "/articles/old-mill-reopens#q1"
    assert all(q["speaker"] == "karl-olsen" for q in karl["quotes"])


def test_people_errors_are_json(client: FlaskClient, harbour: str) -> None:
    for url in ("/api/people/nobody", "/api/people/Not%20A%20Slug", "/api/people?page=2"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.get_json()["error"]["code"] == "not_found"


def test_cors_is_off(client: FlaskClient, harbour: str) -> None:
    for url in ("/api/articles", "/api/people", "/api/people/karl-olsen"):
        response = client.get(url, headers={"Origin": "https://elsewhere.example"})
        assert response.status_code == 200
        assert not any(name.lower().startswith("access-control-") for name, _ in response.headers)


def test_search_through_the_api(client: FlaskClient, harbour: str) -> None:
    found = client.get("/api/search?q=mill").get_json()
    assert [hit["slug"] for hit in found["hits"]] == ["old-mill-reopens"]
    assert (
        "<mark>" in found["hits"][0]["snippet_html"] and "<mark>" not in found["hits"][0]["snippet"]
    )
    assert (found["total"], found["page"], found["pages"], found["next"]) == (1, 1, 1, None)
    assert found["ranked"] is True
    for url, status in (
        ("/api/search", 400),
        ("/api/search?q=%20", 400),
        ("/api/search?q=" + "a" * 201, 400),
        ("/api/search?q=*", 400),
        ("/api/search?q=mill&page=2", 404),
        ("/api/search?q=%27%29%3B%20DROP%20TABLE%20articles%3B%20--", 200),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        if status != 200:
            error = response.get_json()["error"]
            assert error["code"] in ("bad_request", "not_found") and error["message"], url
    assert client.get("/api/articles").get_json()["total"] == 2  # nothing was dropped


def test_each_quotation_says_which_rule_chose_its_speaker(
    make_app: Callable[..., Flask], real_seed: Path
) -> None:
    from webapp.reasons import explain

    client = make_app().test_client()
    article = client.get(f"/api/articles/{SEED_SLUG}").get_json()
    reasons = [q["reason"] for q in article["quotes"]]
    assert all(r for q, r in zip(article["quotes"], reasons, strict=True) if q["speaker"])
    assert any(r.startswith("continues:q") for r in reasons if r)
    assert {"cue-after-quote", "cue-before-quote"} & set(reasons)

    class Row:  # the stored quotation, as explain() reads it
        def __init__(self, quote: dict[str, Any]) -> None:
            self.number = int(quote["id"][1:])
            self.start, self.end, self.reason = quote["start"], quote["end"], quote["reason"]
            who, cue = quote["speaker_span"] or {}, quote["cue_span"] or {}
            self.speaker_start, self.speaker_end = who.get("start"), who.get("end")
            self.cue_start, self.cue_end = cue.get("start"), cue.get("end")

    said = [explain(Row(q), article["text"], "X") for q in article["quotes"] if q["speaker"]]
    assert all(said), said  # every attributed quotation can say why, in words


def test_a_corrected_quotation_carries_the_engines_speaker_beside_the_owners(
    app: Flask, client: FlaskClient, harbour: str
) -> None:
    before = client.get(f"/api/articles/{harbour}").get_json()["quotes"]
    assert {(q["corrected"], q["correction"], q["engine_speaker"]) for q in before} == {
        (False, None, None)
    }
    correct(app, harbour, '"We will build it this year,"', Speaker("person", "Karl Olsen"))
    correct(app, harbour, '"Nobody asked us,"', Speaker("organization", "Harbour Trust"))
    correct(app, harbour, "the work would start in May", Speaker("person", "Anna Berg"))
    quotes = client.get(f"/api/articles/{harbour}").get_json()["quotes"]
    fields = ("id", "speaker", "speaker_label", "reason", "corrected", "correction")
    assert [(*(q[f] for f in fields), q["engine_speaker"]) for q in quotes] == [
        ("q1", "karl-olsen", None, "corrected", True, "speaker", "Anna Berg"),
        ("q2", "karl-olsen", None, None, False, None, None),
        ("q3", None, "Harbour Trust", "corrected", True, "speaker", None),  # engine: unnamed
        ("q4", "anna-berg", None, "corrected", True, "added", None),  # the engine missed it
        ("q5", "anna-berg", None, None, False, None, None),
    ]
    assert quotes[3]["text"] == "the work would start in May"
    assert quotes[3]["kind"] == "indirect"
    # A person's quotations say the same.
    karl = client.get("/api/people/karl-olsen").get_json()["quotes"]
    (first,) = [q for q in karl if q["article"]["slug"] == harbour and q["id"] == "q1"]
    assert (first["corrected"], first["correction"], first["engine_speaker"]) == (
        True,
        "speaker",
        "Anna Berg",
    )
    assert {q["corrected"] for q in karl if q is not first} == {False}
