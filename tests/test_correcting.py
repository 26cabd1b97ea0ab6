"""The owner's correction forms on the reading page (webapp/correcting.py): who may see and
use them, what each form does to the page, and what a wrong form gets back."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import OWNER_TOKEN, SEED_SLUG, csrf_token, sign_in
from sqlalchemy import func, select

from webapp.models import Correction, Quote, db
from webapp.render import clean, with_correct_links

ARTICLE = f"/articles/{SEED_SLUG}"
CREATE = f"{ARTICLE}/corrections"


@pytest.fixture
def owner_app(make_app: Callable[..., Flask], real_seed: Path) -> Flask:
    """An app with an owner token and the real seed article loaded (on first request)."""
    app = make_app(ADMIN_TOKEN=OWNER_TOKEN)
    app.test_client().get("/")  # the first start loads SEEDS_DIR
    return app


@pytest.fixture
def owner(owner_app: Flask) -> FlaskClient:
    """A client signed in as the owner."""
    client = owner_app.test_client()
    assert sign_in(client).status_code == 302
    return client


def quotation(app: Flask, number: int) -> Quote:
    with app.app_context():
        return db.session.execute(select(Quote).where(Quote.number == number)).scalar_one()


def corrections(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Correction.id))) or 0


def form_of(client: FlaskClient, number: int) -> tuple[str, dict[str, str]]:
    """Open quotation number's form; return the page and the form's hidden fields."""
    page = client.get(f"{ARTICLE}?correct=q{number}").get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    return page, fields


def tooltip(client: FlaskClient, number: int) -> str:
    page = client.get(ARTICLE).get_data(as_text=True)
    found = re.search(rf'id="tip-q{number}">(.*?)</span></span><span class="tip-actions">', page)
    assert found, f"no tooltip for q{number}"
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_only_the_owner_sees_the_correct_links_and_the_form(
    owner_app: Flask, owner: FlaskClient
) -> None:
    reader = owner_app.test_client().get(f"{ARTICLE}?correct=q2").get_data(as_text=True)
    assert "tip-correct" not in reader and 'id="correct"' not in reader
    assert 'id="corrections"' not in reader

    page, fields = form_of(owner, 2)
    assert page.count('class="tip-action tip-correct" href="?correct=q') == 11
    assert fields["qid"] == "q2"
    q2 = quotation(owner_app, 2)
    assert (int(fields["start"]), int(fields["end"])) == (q2.start, q2.end)
    # The current speaker is the checked answer; every person of the article is offered.
    assert re.search(r'value="person:Anatoly Serdyukov" checked', page)
    for name in ("Anders Fogh Rasmussen", "Araz Azimov"):
        assert f'value="person:{name}"' in page
    assert 'value="unnamed"' in page and 'value="not_speech"' in page
    # The form follows the paragraph of the quotation.
    assert page.index('id="q2"') < page.index('id="correct"') < page.index('id="q3"')


def test_the_owner_links_pass_the_allowlist() -> None:
    stored = clean(
        '<mark class="quote speaker-1" data-quote="q4" data-speaker="" id="q4" tabindex="0"'
        ' aria-describedby="tip-q4"><span class="tip" hidden><span class="tip-text"'
        ' role="tooltip" id="tip-q4"><span class="tip-name">A</span></span>'
        '<span class="tip-actions"></span></span>"x"</mark>'
    )
    linked = str(with_correct_links(stored))
    assert '<a class="tip-action tip-correct" href="?correct=q4#correct">' in linked
    assert str(clean(linked)) == linked  # unchanged by the allowlist: it admits exactly this
    assert "javascript" not in str(clean(linked.replace("?correct=q4#correct", "javascript:x")))


def test_a_speaker_correction_changes_the_page_for_every_reader(
    owner_app: Flask, owner: FlaskClient
) -> None:
    _, fields = form_of(owner, 2)
    answer = owner.post(CREATE, data={**fields, "speaker": "person:Araz Azimov"})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"{ARTICLE}#q2")
    q2 = quotation(owner_app, 2)
    assert (q2.corrected, q2.engine_speaker, q2.reason) == (
        "speaker",
        "Anatoly Serdyukov",
        "corrected",
    )
    said = tooltip(owner_app.test_client(), 2)  # a reader, not signed in
    assert said.startswith("Araz Azimov")
    assert "speaker corrected by the library’s owner (the engine said: Anatoly Serdyukov)" in said
    listed = owner.get(ARTICLE).get_data(as_text=True)
    assert "&#34;doesn&#39;t suit us&#34; said by Araz Azimov" in listed
    assert "Corrected: " in listed  # the flash message


@pytest.mark.parametrize(
    ("answer", "speaker", "label"),
    [
        ({"speaker": "unnamed"}, None, None),
        (
            {"speaker": "new", "name": " Dmitry  Rogozin ", "role": "NATO envoy"},
            "Dmitry Rogozin",
            None,
        ),
    ],
)
def test_unnamed_and_new_speakers(
    owner_app: Flask,
    owner: FlaskClient,
    answer: dict[str, str],
    speaker: str | None,
    label: str | None,
) -> None:
    _, fields = form_of(owner, 3)
    assert owner.post(CREATE, data={**fields, **answer}).status_code == 302
    page = owner.get(ARTICLE).get_data(as_text=True)
    said = tooltip(owner_app.test_client(), 3)
    if speaker is None:
        assert said.startswith("Unattributed")
    else:
        assert said.startswith(speaker) and "NATO envoy" in said
        assert 'data-person="dmitry-rogozin"' in page  # in the panel


def test_not_a_quotation_and_its_undo(owner_app: Flask, owner: FlaskClient) -> None:
    q4 = quotation(owner_app, 4)
    _, fields = form_of(owner, 4)
    answer = owner.post(CREATE, data={**fields, "speaker": "not_speech"})
    assert answer.headers["Location"].endswith("#corrections")
    page = owner.get(ARTICLE).get_data(as_text=True)
    assert page.count('class="tip-action tip-correct"') == 10
    assert q4.text not in re.findall(r"</span></span>([^<]*)</mark>", page)
    correction_id = re.search(r"/corrections/(\d+)/undo", page).group(1)
    token = csrf_token(page)
    undone = owner.post(f"{ARTICLE}/corrections/{correction_id}/undo", data={"csrf_token": token})
    assert undone.status_code == 302
    assert corrections(owner_app) == 0
    assert quotation(owner_app, 4).text == q4.text
    assert quotation(owner_app, 4).corrected is None


def test_words_the_engine_missed_are_found_by_their_words(
    owner_app: Flask, owner: FlaskClient
) -> None:
    page = owner.get(f"{ARTICLE}?correct=new").get_data(as_text=True)
    assert 'name="words"' in page and 'value="not_speech"' not in page
    data = {
        "csrf_token": csrf_token(page),
        "words": "a potential threat to its security",
        "speaker": "person:Anatoly Serdyukov",
    }
    answer = owner.post(CREATE, data=data)
    assert answer.status_code == 302
    number = int(answer.headers["Location"].rsplit("#q", 1)[1])
    added = quotation(owner_app, number)
    assert (added.text, added.corrected, added.kind) == (data["words"], "added", "indirect")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"words": "words that are not there"}, "not in the article"),
        ({"words": "NATO"}, "times: give more of them"),
        ({"words": "   "}, "Give the quoted words"),
        ({"words": "a potential threat", "speaker": "new", "name": " "}, "Give the speaker"),
        ({"words": "a potential threat", "speaker": "someone"}, "Choose who said it"),
    ],
)
def test_a_wrong_form_says_what_is_wrong_and_changes_nothing(
    owner_app: Flask, owner: FlaskClient, data: dict[str, str], message: str
) -> None:
    page = owner.get(f"{ARTICLE}?correct=new").get_data(as_text=True)
    before = quotation(owner_app, 2).speaker_id
    answer = owner.post(CREATE, data={"csrf_token": csrf_token(page), "speaker": "unnamed", **data})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("?correct=new#correct")
    shown = owner.get(answer.headers["Location"]).get_data(as_text=True)
    assert message in shown.replace("&#39;", "'").replace("’", "'").replace("'", "'")
    assert corrections(owner_app) == 0
    assert quotation(owner_app, 2).speaker_id == before


def test_refused_without_the_owner_or_with_a_bad_token(
    owner_app: Flask, owner: FlaskClient
) -> None:
    _, fields = form_of(owner, 2)
    reader = owner_app.test_client()
    # A reader with a form token of their own (any form has one) is refused as not the
    # owner; with the owner's token, as a forgery.
    own = csrf_token(reader.get("/signin").get_data(as_text=True))
    assert reader.post(CREATE, data={**fields, "csrf_token": own}).status_code == 403
    assert reader.post(CREATE, data={**fields, "speaker": "unnamed"}).status_code == 400
    bad = {**fields, "csrf_token": "not-the-token", "speaker": "unnamed"}
    assert owner.post(CREATE, data=bad).status_code == 400
    missing = {k: v for k, v in fields.items() if k != "csrf_token"}
    assert owner.post(CREATE, data={**missing, "speaker": "unnamed"}).status_code == 400
    assert corrections(owner_app) == 0
    # Undo is refused the same ways.
    assert owner.post(CREATE, data={**fields, "speaker": "unnamed"}).status_code == 302
    with owner_app.app_context():
        correction_id = db.session.scalar(select(Correction.id))
    undo = f"{ARTICLE}/corrections/{correction_id}/undo"
    assert reader.post(undo, data={"csrf_token": own}).status_code == 403
    assert owner.post(undo, data={"csrf_token": "nope"}).status_code == 400
    assert (
        owner.post(
            f"{ARTICLE}/corrections/999/undo", data={"csrf_token": fields["csrf_token"]}
        ).status_code
        == 404
    )
    assert corrections(owner_app) == 1


def test_without_an_owner_token_nothing_can_be_corrected(
    make_app: Callable[..., Flask], real_seed: Path
) -> None:
    client = make_app().test_client()
    client.get("/")
    assert client.post(CREATE, data={"speaker": "unnamed"}).status_code in (400, 403)
    assert "tip-correct" not in client.get(f"{ARTICLE}?correct=q2").get_data(as_text=True)
