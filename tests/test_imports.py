"""Importing articles from outside the seeds folder: checked fields, atomic and idempotent
stores, deletes that leave no orphan, and the `import` command."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from helpers import HARBOUR_SEED, count
from sqlalchemy import select

from webapp import imports
from webapp.models import Article, ArticlePerson, Person, Quote, db

BODY = (
    '"We will open the bridge in May," said Mayor Anna Berg.\n\n'
    'Karl Olsen, the opposition leader, called it "a year too late".'
)


def test_a_submission_checks_each_field_and_names_it() -> None:
    for fields, field in (
        ({"title": " ", "text": BODY}, "title"),
        ({"title": "T", "text": " \n\n "}, "text"),
        ({"title": "T", "text": BODY, "url": "javascript:alert(1)"}, "url"),
        ({"title": "T", "text": BODY, "url": "ftp://example.org/a"}, "url"),
        ({"title": "T", "text": BODY, "published": "31/05/2024"}, "date"),
        ({"title": "T", "text": BODY, "published": "2024-02-30"}, "date"),
        ({"title": "x" * 301, "text": BODY}, "title"),
    ):
        with pytest.raises(imports.ImportProblem) as problem:
            imports.submission(**fields)
        assert problem.value.field == field, fields
        assert str(problem.value).startswith(f"{field}: ")


def test_paragraphs_are_split_on_blank_lines_or_else_on_lines() -> None:
    two = imports.submission("T", "One\nstill one.\n\n\nTwo.")
    assert two.paragraphs == ("One still one.", "Two.")
    lines = imports.submission("T", "One.\nTwo.\r\nThree.")
    assert lines.paragraphs == ("One.", "Two.", "Three.")


def test_an_import_is_stored_once_and_updated_in_place(app: Flask) -> None:
    article = imports.submission(
        "Bridge to open in May", BODY, "https://news.example/b", "2024-05-02"
    )
    with app.app_context():
        first = imports.import_submission(article)
        assert first.status == "loaded"
        assert imports.import_submission(article).status == "unchanged"
        changed = imports.submission(
            "Bridge to open in June", BODY.replace("in May", "in June"), "https://news.example/b"
        )
        again = imports.import_submission(changed)
        assert (again.status, again.slug) == ("updated", first.slug)  # same URL, same article
        stored = db.session.execute(select(Article)).scalar_one()
        assert stored.title == "Bridge to open in June"
        assert stored.source_url == "https://news.example/b"
        assert stored.site == "news.example"
        assert stored.source_dir is None  # never removed by `load-seeds --prune`
        speakers = db.session.scalars(
            select(Person.name).join(Quote, Quote.speaker_id == Person.id)
        ).all()
        assert "Anna Berg" in speakers


def test_the_same_text_without_a_url_is_the_same_article(app: Flask) -> None:
    with app.app_context():
        one = imports.import_submission(imports.submission("Bridge", BODY))
        two = imports.import_submission(imports.submission("Bridge", BODY))
        assert (one.status, two.status, one.slug) == ("loaded", "unchanged", two.slug)
        assert count(Article) == 1


def test_a_failed_store_leaves_the_database_as_it_was(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webapp import store

    with app.app_context():
        imports.import_submission(imports.submission("Bridge", BODY))
        people = count(Person)

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(store, "store_analysis", broken)
        result = imports.import_submission(imports.submission("Other", BODY + "\n\nMore."))
        assert result.status == "skipped" and "disk on fire" in (result.reason or "")
        assert (count(Article), count(Person)) == (1, people)


def test_delete_removes_the_article_and_the_people_only_it_named(app: Flask) -> None:
    with app.app_context():
        bridge = imports.import_submission(imports.submission("Bridge", BODY)).slug
        ferry = imports.import_submission(
            imports.submission("Ferry", '"The ferry stays," said Mayor Anna Berg.')
        ).slug
        berg = db.session.execute(select(Person).where(Person.name == "Anna Berg")).scalar_one()
        assert (berg.quote_count, berg.article_count) == (2, 2)
        assert imports.delete_article(bridge)
        assert not imports.delete_article(bridge)  # gone already
        assert db.session.scalar(select(Article.slug)) == ferry
        names = set(db.session.scalars(select(Person.name)))
        assert "Karl Olsen" not in names  # named only by the deleted article
        db.session.refresh(berg)
        assert (berg.quote_count, berg.article_count) == (1, 1)
        assert count(ArticlePerson) == 1


def test_import_command_takes_text_files_with_their_fields(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    text = tmp_path / "bridge.txt"
    text.write_text(BODY, encoding="utf-8")
    result = runner.invoke(
        args=["import", str(text), "--title", "Bridge", "--url", "https://n.example/b",
              "--date", "2024-05-02"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "+ loaded" in result.output and "1 loaded" in result.output
    with app.app_context():
        article = db.session.execute(select(Article)).scalar_one()
        assert (article.title, article.published) == ("Bridge", date(2024, 5, 2))
    again = runner.invoke(args=["import", str(text), "--title", "Bridge", "--url",
                                "https://n.example/b", "--date", "2024-05-02"])  # fmt: skip
    assert "1 unchanged" in again.output


def test_import_command_first_line_is_the_title_and_seed_files_load_as_seeds(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("Bridge to open\n" + BODY, encoding="utf-8")
    seed = tmp_path / "harbour.txt"
    seed.write_text(HARBOUR_SEED, encoding="utf-8")
    result = runner.invoke(args=["import", str(plain), str(seed)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        titles = set(db.session.scalars(select(Article.title)))
    assert titles == {"Bridge to open", "Harbour plan approved"}


def test_import_command_reports_bad_sources_and_imports_the_others(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Bridge\n" + BODY, encoding="utf-8")
    result = runner.invoke(
        args=["import", str(tmp_path / "missing.txt"), "ftp://x.example/a", str(good),
              "--date", "yesterday"]
    )  # fmt: skip
    assert result.exit_code == 1
    assert "missing.txt: no such file" in result.output
    assert "date: 'yesterday' is not a date" in result.output  # the field is named
    bad_date = runner.invoke(args=["import", str(good)])
    assert bad_date.exit_code == 0, bad_date.output


def test_import_command_fetches_a_news_page(
    make_app: object, news_server: str, tmp_path: Path
) -> None:
    app = make_app(FETCH_ALLOW_NETWORKS=["127.0.0.0/8"])  # type: ignore[operator]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", f"{news_server}/moved"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["import", f"{news_server}/article"])
    assert "1 unchanged" in again.output  # the same canonical address: the same article
    with app.app_context():
        article = db.session.execute(select(Article)).scalar_one()
        assert article.title == "Lighthouse keepers return to Skerry Point"
        assert article.source_url == f"{news_server}/news/lighthouse-keepers"  # canonical
        assert article.published == date(2024, 3, 14)
        assert "Somebody has to be there" in article.text and "Subscribe" not in article.text
        speakers = set(
            db.session.scalars(select(Person.name).join(Quote, Quote.speaker_id == Person.id))
        )
        assert {"Maren Holt", "Tomas Vik"} <= speakers


def test_import_command_refuses_private_addresses_and_non_html(
    app: Flask, runner: FlaskCliRunner, news_server: str
) -> None:
    result = runner.invoke(args=["import", f"{news_server}/article"])
    assert result.exit_code == 1
    assert "address:" in result.output and "127.0.0.1" in result.output
    app.config["FETCH_ALLOW_NETWORKS"] = ["127.0.0.1/32"]  # the test server, nothing else
    for path, why in (("/to-private", "10.1.2.3"), ("/pdf", "application/pdf"), ("/huge", "MB")):
        result = runner.invoke(args=["import", news_server + path])
        assert result.exit_code == 1 and why in result.output, (path, result.output)
    with app.app_context():
        assert count(Article) == 0


def test_a_canonical_address_on_another_site_is_not_believed() -> None:
    from webapp.imports import _canonical

    assert _canonical("https://www.courier.example/a", "http://courier.example/a?x=1") == (
        "https://www.courier.example/a"
    )
    assert _canonical("https://other.example/a", "https://courier.example/a") == (
        "https://courier.example/a"
    )
    assert _canonical(None, "https://courier.example/a") == "https://courier.example/a"


def test_an_imported_article_is_reanalysed_like_a_seed(app: Flask) -> None:
    from webapp import library

    with app.app_context():
        slug = imports.import_submission(
            imports.submission("Bridge", BODY, None, "2024-05-02")
        ).slug
        before = db.session.execute(select(Article.text, Article.published)).one()
        report = library.reanalyze()
        assert [(r.status, r.slug) for r in report.results] == [("updated", slug)]
        assert db.session.execute(select(Article.text, Article.published)).one() == before
