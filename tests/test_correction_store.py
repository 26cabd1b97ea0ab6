"""The owner's corrections in the database, on the project's seed with the real engine:
each kind of correction and its undo (quotations, counts, the stored page), corrections
that survive a re-analysis and an edited seed, orphaned ones, refused ones, and the
migration that adds them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import flask_migrate
import pytest
from flask import Flask
from helpers import SEED_FILE, SEED_SLUG, Page
from sqlalchemy import inspect, select, text

import webapp.analysis
from webapp import library, publish
from webapp.analysis.result import Analysis
from webapp.correction_store import (
    CorrectionError,
    Speaker,
    add_correction,
    article_for_correcting,
    corrections_of,
    undo_correction,
)
from webapp.models import Article, ArticlePerson, Correction, Person, Quote, db

RASMUSSEN, SERDYUKOV, AZIMOV = "Anders Fogh Rasmussen", "Anatoly Serdyukov", "Araz Azimov"
SUIT = '"doesn\'t suit us"'  # q2, Serdyukov's
PAY = '"They should pay more."'  # q10, Azimov's
# The engine's people of the seed: quotations and mentions in the article.
ENGINE_CAST = {RASMUSSEN: (3, 5), SERDYUKOV: (5, 6), AZIMOV: (3, 4)}


class Row(NamedTuple):
    """A stored quotation, with its speaker's name."""

    number: int
    text: str
    kind: str
    speaker: str | None
    reason: str | None
    corrected: str | None
    engine_speaker: str | None


@pytest.fixture
def loaded(make_app: Callable[..., Flask], real_seed: Path) -> Flask:
    """Return an app whose first start loaded the project's seed (the real engine)."""
    app = make_app()
    with app.app_context():
        assert article().quote_count == 11
    return app


def article() -> Article:
    """Return the seed's article with its text and parts."""
    found = article_for_correcting(SEED_SLUG)
    assert found is not None
    return found


def correct(
    words: str, speaker: Speaker | None = None, occurrence: int = 0, action: str | None = None
) -> Correction:
    """Correct the occurrence-th place of words in the article (speaker None: not a
    quotation) and commit."""
    item = article()
    start = -1
    for _ in range(occurrence + 1):
        start = item.text.index(words, start + 1)
    chosen = action or ("speaker" if speaker is not None else "not_speech")
    correction = add_correction(item, start, start + len(words), chosen, speaker)  # type: ignore[arg-type]
    db.session.commit()
    return correction


def rows() -> list[Row]:
    """Return the article's quotations in page order."""
    found = db.session.execute(
        select(Quote, Person.name)
        .outerjoin(Person, Person.id == Quote.speaker_id)
        .order_by(Quote.number)
    ).all()
    return [
        Row(
            q.number,
            q.text,
            q.kind,
            name or q.speaker_label,
            q.reason,
            q.corrected,
            q.engine_speaker,
        )
        for q, name in found
    ]


def by_text(words: str) -> Row:
    """Return the stored quotation of these words."""
    return next(row for row in rows() if row.text == words)


def cast() -> dict[str, tuple[int, int]]:
    """Return the article's people: name -> (quotations, mentions)."""
    found = db.session.execute(
        select(Person.name, ArticlePerson.quote_count, ArticlePerson.mention_count).join(
            Person, Person.id == ArticlePerson.person_id
        )
    ).all()
    return {name: (quotes, mentions) for name, quotes, mentions in found}


def totals() -> dict[str, int]:
    """Return each person's quotation total over the library."""
    return dict(db.session.execute(select(Person.name, Person.quote_count)).all())


def counts() -> tuple[int, int]:
    """Return the article's quotation and speaker counts."""
    item = article()
    return item.quote_count, item.speaker_count


def tip(number: int) -> str:
    """Return the text of quotation number's tooltip in the stored page."""
    html = "".join(part["html"] for part in article().html_parts)
    return Page(html).by_id(f"tip-q{number}").text


def state() -> tuple[Any, ...]:
    """Return everything a correction may change, to compare with after an undo."""
    db.session.expire_all()
    return rows(), cast(), totals(), counts(), article().html_parts


def test_the_engine_attributes_the_seed_as_these_tests_expect(loaded: Flask) -> None:
    with loaded.app_context():
        assert cast() == ENGINE_CAST
        assert by_text(SUIT)[3:] == (SERDYUKOV, "cue-before-quote", None, None)
        assert by_text(PAY)[3] == AZIMOV
        assert all(row.corrected is None for row in rows())
        assert "speaker corrected" not in tip(2)


def test_a_speaker_corrected_to_another_person_of_the_article_and_undone(
    loaded: Flask,
) -> None:
    with loaded.app_context():
        before = state()
        correction = correct(SUIT, Speaker("person", AZIMOV))
        assert by_text(SUIT) == Row(2, SUIT, "partial", AZIMOV, "corrected", "speaker", SERDYUKOV)
        assert cast() == {RASMUSSEN: (3, 5), SERDYUKOV: (4, 6), AZIMOV: (4, 4)}
        assert totals() == {RASMUSSEN: 3, SERDYUKOV: 4, AZIMOV: 4}
        assert counts() == (11, 3)
        why = tip(2)
        assert "speaker corrected" in why
        assert f"the engine said: {SERDYUKOV}" in why
        assert why.startswith(AZIMOV)
        assert "speaker corrected" not in tip(3)
        assert [(c.id, c.orphaned) for c in corrections_of(article().id)] == [
            (correction.id, False)
        ]

        assert undo_correction(article(), correction.id) is True
        db.session.commit()
        assert state() == before
        assert corrections_of(article().id) == []


def test_a_speaker_corrected_to_an_unnamed_source_and_undone(loaded: Flask) -> None:
    words = '"We haven\'t yet tried every possibility with NATO,"'
    with loaded.app_context():
        before = state()
        correction = correct(words, Speaker("unnamed", "ignored"))
        row = by_text(words)
        assert (row.speaker, row.corrected, row.engine_speaker) == (None, "speaker", SERDYUKOV)
        assert cast()[SERDYUKOV] == (4, 6)
        assert counts() == (11, 3)
        assert "speaker corrected" in tip(row.number)
        assert correction.speaker_name is None

        assert undo_correction(article(), correction.id)
        db.session.commit()
        assert state() == before


def test_a_speaker_corrected_to_a_new_name_with_a_role_and_undone(loaded: Flask) -> None:
    words = '"neutralize Russia\'s strategic capabilities,"'
    with loaded.app_context():
        before = state()
        correction = correct(words, Speaker("person", "  Francois   Lenoir ", " photographer "))
        assert (correction.speaker_name, correction.speaker_role) == (
            "Francois Lenoir",
            "photographer",
        )
        row = by_text(words)
        assert (row.speaker, row.corrected, row.engine_speaker) == (
            "Francois Lenoir",
            "speaker",
            SERDYUKOV,
        )
        # The photo credit is not in the reading text: no mentions.
        assert cast() == {**ENGINE_CAST, SERDYUKOV: (4, 6), "Francois Lenoir": (1, 0)}
        role = db.session.execute(
            select(ArticlePerson.role)
            .join(Person, Person.id == ArticlePerson.person_id)
            .where(Person.name == "Francois Lenoir")
        ).scalar_one()
        assert role == "photographer"
        assert counts() == (11, 4)
        assert totals()["Francois Lenoir"] == 1
        assert tip(row.number).startswith("Francois Lenoir")

        assert undo_correction(article(), correction.id)
        db.session.commit()
        assert state() == before
        assert "Francois Lenoir" not in totals()  # the person no article names is gone


def test_a_speaker_corrected_to_a_person_by_an_alias(loaded: Flask) -> None:
    with loaded.app_context():
        correct(SUIT, Speaker("person", "fogh rasmussen"))
        assert by_text(SUIT)[3:] == (RASMUSSEN, "corrected", "speaker", SERDYUKOV)
        assert cast() == {**ENGINE_CAST, RASMUSSEN: (4, 5), SERDYUKOV: (4, 6)}
        assert counts() == (11, 3)


def test_a_speaker_corrected_to_an_organisation(loaded: Flask) -> None:
    words = '"neutralize Russia\'s strategic capabilities,"'
    with loaded.app_context():
        correct(words, Speaker("organization", "Itar-Tass"))
        row = by_text(words)
        assert (row.speaker, row.corrected, row.engine_speaker) == (
            "Itar-Tass",
            "speaker",
            SERDYUKOV,
        )
        assert cast() == {**ENGINE_CAST, SERDYUKOV: (4, 6)}  # not a person
        assert "Itar-Tass" not in totals()
        assert tip(row.number).startswith("Itar-Tass")


def test_words_corrected_as_not_a_quotation_and_undone(loaded: Flask) -> None:
    words = "engage in positive cooperation with NATO"  # part of q4, without its marks
    with loaded.app_context():
        before = state()
        correction = correct(words)
        assert correction.action == "not_speech"
        assert not any(words in row.text for row in rows())
        assert [row.number for row in rows()] == list(range(1, 11))
        assert cast()[RASMUSSEN] == (2, 5)
        assert counts() == (10, 3)

        assert undo_correction(article(), correction.id)
        db.session.commit()
        assert state() == before


def test_a_missed_quotation_added_and_undone(loaded: Flask) -> None:
    words = "the talks would continue"  # 'Serdyukov said the talks would continue.'
    with loaded.app_context():
        before = state()
        assert not any(words in row.text for row in rows())
        correction = correct(words, Speaker("person", SERDYUKOV))
        row = by_text(words)
        assert row == Row(6, words, "indirect", SERDYUKOV, "corrected", "added", None)
        assert [r.number for r in rows()] == list(range(1, 13))
        assert cast()[SERDYUKOV] == (6, 6)
        assert counts() == (12, 3)
        assert "marked as a quotation by the library’s owner" in tip(6)

        assert undo_correction(article(), correction.id)
        db.session.commit()
        assert state() == before


def test_a_continued_quotation_follows_its_corrected_start(loaded: Flask) -> None:
    first = '"There should be ways that meet the demands of Russia and the other side,"'
    with loaded.app_context():
        continued = rows()[7]
        assert (continued.number, continued.reason) == (8, "continues:q7")
        correct(first, Speaker("person", AZIMOV))
        assert by_text(first)[3:] == (AZIMOV, "corrected", "speaker", SERDYUKOV)
        after = rows()[7]
        assert (after.text, after.speaker, after.reason) == (continued.text, AZIMOV, "continues:q7")
        assert (after.corrected, after.engine_speaker) == ("speaker", SERDYUKOV)
        assert cast()[AZIMOV] == (5, 4)


def test_a_quotation_the_continued_one_named_is_gone_when_not_a_quotation(
    loaded: Flask,
) -> None:
    first = '"There should be ways that meet the demands of Russia and the other side,"'
    with loaded.app_context():
        continued = rows()[7]
        correct(first)
        row = by_text(continued.text)
        assert (row.number, row.speaker, row.reason) == (7, SERDYUKOV, "continues:gone")


def test_a_new_correction_of_the_same_words_replaces_the_earlier(loaded: Flask) -> None:
    with loaded.app_context():
        correct(SUIT, Speaker("person", AZIMOV))
        correct("doesn't suit", Speaker("person", RASMUSSEN))  # overlapping words
        kept = corrections_of(article().id)
        assert [(c.words, c.speaker_name) for c in kept] == [("doesn't suit", RASMUSSEN)]
        assert by_text(SUIT)[3:] == (RASMUSSEN, "corrected", "speaker", SERDYUKOV)


def test_undo_of_an_unknown_correction_changes_nothing(loaded: Flask) -> None:
    with loaded.app_context():
        correction = correct(SUIT, Speaker("person", AZIMOV))
        before = state()
        assert undo_correction(article(), correction.id + 1) is False
        assert state() == before
        assert len(corrections_of(article().id)) == 1


def newer_engine(monkeypatch: pytest.MonkeyPatch, version: str) -> None:
    """Make the engine (and what the library compares with) a new version."""
    original = webapp.analysis.analyze

    def newer(text: str, **options: Any) -> Analysis:
        result = original(text, **options)
        result.engine = version
        return result

    monkeypatch.setattr(webapp.analysis, "analyze", newer)
    monkeypatch.setattr(library, "ENGINE_VERSION", version)


def test_a_correction_survives_a_reanalysis_by_a_new_engine_version(
    loaded: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with loaded.app_context():
        correct(SUIT, Speaker("person", AZIMOV))
        corrected = state()
    newer_engine(monkeypatch, "voices-analysis test-3")
    result = loaded.test_cli_runner().invoke(args=["reanalyze"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "Re-analysed: 0 loaded, 1 updated, 0 unchanged, 0 skipped"
    )
    assert "orphaned" not in result.stderr
    with loaded.app_context():
        assert article().engine == "voices-analysis test-3"
        assert state() == corrected
        assert by_text(SUIT)[3:] == (AZIMOV, "corrected", "speaker", SERDYUKOV)
        assert [c.orphaned for c in corrections_of(article().id)] == [False]


def test_a_correction_survives_loading_with_a_new_engine_version(
    loaded: Flask, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with loaded.app_context():
        correct(SUIT, Speaker("person", AZIMOV))
        newer_engine(monkeypatch, "voices-analysis test-3")
        report = library.load_seeds(seeds_dir)
        assert [r.status for r in report.results] == ["updated"]
        db.session.expire_all()
        assert article().engine == "voices-analysis test-3"
        assert by_text(SUIT)[3:] == (AZIMOV, "corrected", "speaker", SERDYUKOV)
        assert "speaker corrected" in tip(2)


def test_a_correction_moves_with_an_edit_earlier_in_the_seed(
    loaded: Flask, real_seed: Path
) -> None:
    with loaded.app_context():
        correction = correct(SUIT, Speaker("person", AZIMOV))
        old_start = correction.start
    inserted = "Both sides met again in Brussels on Wednesday, officials said.\n\n"
    original = real_seed.read_text(encoding="utf-8")
    anchor = "But Defense Minister Anatoly Serdyukov"
    assert original.count(anchor) == 1
    real_seed.write_text(original.replace(anchor, inserted + anchor), encoding="utf-8")
    result = loaded.test_cli_runner().invoke(args=["load-seeds"])
    assert result.exit_code == 0, result.output
    assert f"~ updated   {SEED_FILE.name} -> {SEED_SLUG}" in result.stdout
    assert "orphaned" not in result.stderr
    with loaded.app_context():
        db.session.expire_all()
        (moved,) = corrections_of(article().id)
        new_start = article().text.index(SUIT)
        assert new_start == old_start + len(inserted)
        assert (moved.start, moved.end, moved.orphaned) == (
            new_start,
            new_start + len(SUIT),
            False,
        )
        assert article().text[moved.start : moved.end] == SUIT
        quote = db.session.execute(select(Quote).where(Quote.corrected.is_not(None))).scalar_one()
        assert (quote.start, quote.end) == (moved.start, moved.end)
        assert by_text(SUIT)[3:] == (AZIMOV, "corrected", "speaker", SERDYUKOV)


def test_a_correction_whose_words_are_gone_is_orphaned_and_applied_nowhere(
    loaded: Flask, real_seed: Path
) -> None:
    with loaded.app_context():
        correction = correct(PAY, Speaker("person", SERDYUKOV))
        old_start = correction.start
        assert by_text(PAY).speaker == SERDYUKOV
    original = real_seed.read_text(encoding="utf-8")
    paragraph = f"Azimov said, {PAY} Russia is now paying"
    assert original.count(paragraph) == 1
    edited = original.replace(paragraph, "Azimov declined to say more. Russia is now paying")
    # The same words again, later, in other surroundings: other words.
    elsewhere = f"Lavrov's reply was blunt — {PAY} — and nobody answered."
    edited = edited.replace("\n## Original url:", f"\n{elsewhere}\n\n## Original url:")
    real_seed.write_text(edited, encoding="utf-8")
    message = (
        f"  orphaned correction (kept, not applied): {SEED_FILE.name}: "
        f"{PAY} said by {SERDYUKOV}: its words are gone"
    )

    runner = loaded.test_cli_runner()
    result = runner.invoke(args=["load-seeds"])
    assert result.exit_code == 0, result.output
    assert message in result.stderr.splitlines()
    assert result.stdout.splitlines()[-1] == (
        "0 loaded, 1 updated, 0 unchanged, 0 skipped (1 orphaned correction)"
    )
    with loaded.app_context():
        db.session.expire_all()
        assert article().text.index(PAY) != old_start
        (kept,) = corrections_of(article().id)
        assert (kept.id, kept.orphaned) == (correction.id, True)
        assert (kept.start, kept.words) == (old_start, PAY)  # where it last was
        assert all(row.corrected is None for row in rows())
        assert all(row.reason != "corrected" for row in rows())
        assert not any("speaker corrected" in part["html"] for part in article().html_parts)

    again = runner.invoke(args=["reanalyze"])
    assert again.exit_code == 0, again.output
    assert message in again.stderr.splitlines()
    assert again.stdout.splitlines()[-1].endswith("(1 orphaned correction)")

    real_seed.write_text(original, encoding="utf-8")  # the words are back: applied again
    back = runner.invoke(args=["load-seeds"])
    assert back.exit_code == 0, back.output
    assert "orphaned" not in back.stderr + back.stdout
    with loaded.app_context():
        db.session.expire_all()
        assert [c.orphaned for c in corrections_of(article().id)] == [False]
        assert by_text(PAY)[3:] == (SERDYUKOV, "corrected", "speaker", AZIMOV)


@pytest.mark.parametrize(
    ("where", "field"),
    [
        (lambda text: (len(text) - 3, len(text) + 5), "words"),  # past the end
        (lambda text: (-1, 5), "words"),
        (lambda text: (10, 10), "words"),  # nothing chosen
        (lambda text: (46, 48), "words"),  # only the gap between two parts
        (lambda text: (text.index("next May."), text.index("NATO Secretary")), "words"),
        (lambda text: (text.index("BRUSSELS"), text.index("a missile defense")), None),
    ],
    ids=["past-the-end", "before-the-start", "empty", "blank", "two-paragraphs", "fine"],
)
def test_words_must_be_in_one_paragraph_of_the_text(
    loaded: Flask, where: Callable[[str], tuple[int, int]], field: str | None
) -> None:
    with loaded.app_context():
        item = article()
        start, end = where(item.text)
        before = state()
        if field is None:  # the control: these words are fine
            add_correction(item, start, end, "not_speech")
            assert len(corrections_of(item.id)) == 1
            return
        with pytest.raises(CorrectionError) as refused:
            add_correction(item, start, end, "speaker", Speaker("person", AZIMOV))
        assert refused.value.field == field
        db.session.commit()
        assert state() == before
        assert corrections_of(item.id) == []


@pytest.mark.parametrize(
    ("speaker", "field", "message"),
    [
        (None, "speaker", "Choose who said it."),
        (Speaker("person", "   "), "name", "Give the speaker’s name."),
        (Speaker("organization", None), "name", "Give the speaker’s name."),
        (Speaker("person", "x" * 201), "name", "at most 200 characters"),
        (Speaker("person", "Jane Doe", "r" * 201), "name", "at most 200 characters"),
    ],
    ids=["no-speaker", "blank-name", "no-name", "long-name", "long-role"],
)
def test_a_speaker_needs_a_name(
    loaded: Flask, speaker: Speaker | None, field: str, message: str
) -> None:
    with loaded.app_context():
        item = article()
        start = item.text.index(SUIT)
        before = state()
        with pytest.raises(CorrectionError, match=message) as refused:
            add_correction(item, start, start + len(SUIT), "speaker", speaker)
        assert refused.value.field == field
        db.session.commit()
        assert state() == before
        assert corrections_of(item.id) == []


def test_an_articles_corrections_go_with_it(loaded: Flask, real_seed: Path) -> None:
    with loaded.app_context():
        correct(SUIT, Speaker("person", AZIMOV))
    real_seed.unlink()
    result = loaded.test_cli_runner().invoke(args=["load-seeds", "--prune"])
    assert result.exit_code == 0, result.output
    with loaded.app_context():
        assert db.session.execute(select(Correction)).all() == []


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return a fresh database URL of each kind (PostgreSQL: a schema of its own)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'upgrade.sqlite'}"
    return request.getfixturevalue("postgres_url")


def test_revision_0007_adds_corrections_and_is_undone(
    make_app: Callable[..., Flask], real_seed: Path, database_url: str
) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        correct(SUIT, Speaker("person", AZIMOV))
        db.session.remove()  # end the read: PostgreSQL would make the ALTER TABLE wait
        flask_migrate.downgrade(revision="0006")
        db.session.remove()
        tables = inspect(db.engine).get_table_names()
        assert "corrections" not in tables
        quote_columns = {c["name"] for c in inspect(db.engine).get_columns("quotes")}
        assert not {"corrected", "engine_speaker"} & quote_columns
        with db.engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar() == "0006"
        db.engine.dispose()

    upgraded = make_app(SQLALCHEMY_DATABASE_URI=database_url)  # the server starts again
    with upgraded.app_context():
        assert "corrections" in inspect(db.engine).get_table_names()
        quote_columns = {c["name"] for c in inspect(db.engine).get_columns("quotes")}
        assert {"corrected", "engine_speaker"} <= quote_columns
        indexes = {i["name"] for i in inspect(db.engine).get_indexes("corrections")}
        assert "ix_corrections_article_id" in indexes
        assert corrections_of(article().id) == []
        correction = correct(SUIT, Speaker("person", AZIMOV))  # the new table works
        assert correction.orphaned is False
        assert by_text(SUIT)[3:] == (AZIMOV, "corrected", "speaker", SERDYUKOV)
    assert upgraded.test_client().get(f"/articles/{SEED_SLUG}").status_code == 200


def marks() -> list[str]:
    """Return the text of every quotation highlighted in the stored page."""
    html = "".join(part["html"] for part in article().html_parts)
    return [
        mark.text_without("tip", "badge")
        for mark in Page(html).all(lambda e: e.tag == "mark" and "id" in e.attrs)
    ]


@pytest.mark.parametrize("command", ["reanalyze", "load-seeds"])
def test_words_that_are_not_a_quotation_stay_unmarked_when_stored_again(
    loaded: Flask, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only dropping quotations (no speaker changed): the page rendered ahead, from the
    engine's quotations alone, must not be taken."""
    words = '"neutralize Russia\'s strategic capabilities,"'
    with loaded.app_context():
        correct(words)
        corrected = state()
        assert words not in marks()
        assert len(marks()) == 10
    newer_engine(monkeypatch, "voices-analysis test-3")  # load-seeds analyses it again too
    result = loaded.test_cli_runner().invoke(args=[command])
    assert result.exit_code == 0, result.output
    with loaded.app_context():
        assert article().engine == "voices-analysis test-3"
        assert words not in marks()
        assert state() == corrected


def test_a_corrected_page_rendered_again_still_says_so(loaded: Flask) -> None:
    """Rendering from the stored rows (a new markup version) keeps what corrections did."""
    with loaded.app_context():
        correct(SUIT, Speaker("person", AZIMOV))
        correct("the talks would continue", Speaker("person", SERDYUKOV))
        corrected = state()
        item = article()
        item.html_parts = []
        publish.render_article(item)
        db.session.commit()
        assert state() == corrected
        assert "speaker corrected" in tip(2)
