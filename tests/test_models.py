"""Models: constraints, cascades and the SQLite connection settings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from helpers import count
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from webapp.models import Article, ArticlePerson, Mention, Person, Quote, db


def _article(slug: str = "a", source: str = "a.txt") -> Article:
    """Return an unsaved article with every required field."""
    return Article(
        slug=slug,
        source_name=source,
        title="A",
        published=date(2024, 1, 2),
        text='Anna said "hi".',
        parts=[{"kind": "headline", "start": 0, "end": 15}],
        warnings=[],
        content_hash="0" * 64,
        engine="test",
        loaded_at=datetime.now(UTC),
    )


def test_deleting_an_article_deletes_its_rows(app: Flask) -> None:
    with app.app_context():
        article = _article()
        person = Person(slug="anna", name="Anna")
        db.session.add_all([article, person])
        db.session.flush()
        db.session.add_all(
            [
                ArticlePerson(article_id=article.id, person_id=person.id, position=1, colour=1),
                Mention(article_id=article.id, person_id=person.id, start=0, end=4),
                Quote(
                    article_id=article.id,
                    number=1,
                    start=10,
                    end=14,
                    text='"hi"',
                    kind="direct",
                    speaker_id=person.id,
                ),
            ]
        )
        db.session.commit()
        assert db.session.get(Quote, 1).qid == "q1"
        db.session.delete(article)
        db.session.commit()
        assert [count(m) for m in (Article, ArticlePerson, Mention, Quote)] == [0, 0, 0, 0]
        assert count(Person) == 1  # people outlive articles; the library prunes orphans


@pytest.mark.parametrize(
    ("first", "second"),
    [(("a", "a.txt"), ("a", "b.txt")), (("a", "a.txt"), ("b", "a.txt"))],
)
def test_slug_and_source_name_are_unique(
    app: Flask, first: tuple[str, str], second: tuple[str, str]
) -> None:
    with app.app_context():
        db.session.add(_article(*first))
        db.session.commit()
        db.session.add(_article(*second))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_person_slug_is_unique(app: Flask) -> None:
    with app.app_context():
        db.session.add_all([Person(slug="x", name="X"), Person(slug="x", name="X Y")])
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_sqlite_uses_wal_busy_timeout_and_foreign_keys(app: Flask) -> None:
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 15000
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
