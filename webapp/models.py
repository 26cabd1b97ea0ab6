"""Database models: articles, the people in them, their mentions and quotations."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from webapp.slugs import SLUG_COLUMN


class Base(DeclarativeBase):
    """Declarative base shared by every model."""


db = SQLAlchemy(model_class=Base)

# Children are deleted by the database (ON DELETE CASCADE), never loaded one by one;
# lazy="raise" turns an accidental N+1 query in a view into an error.
_CHILDREN = {"cascade": "all, delete-orphan", "passive_deletes": True, "lazy": "raise"}


class Article(db.Model):
    """One article loaded from a seed file, with its reading text, parts and rendered HTML."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_COLUMN), unique=True)
    source_name: Mapped[str] = mapped_column(String(255), unique=True)
    # The folder the seed file was loaded from (absolute), so that `load-seeds --prune`
    # removes only the articles of that folder whose file is gone. None: not from a folder.
    source_dir: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    caption: Mapped[str | None] = mapped_column(Text)
    photo_credit: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    # The source's host without "www." (links.url_label), for the library's site filter.
    site: Mapped[str | None] = mapped_column(String(255), index=True)
    # The seed file as loaded, so that `flask reanalyze` can parse it again.
    source: Mapped[str | None] = mapped_column(Text, deferred=True)
    text: Mapped[str] = mapped_column(Text, deferred=True)
    parts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, deferred=True)
    # [{"kind", "html"}] per part: rendered and allowlisted once, when the article is stored.
    html_parts: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list, deferred=True)
    lede: Mapped[str] = mapped_column(Text, default="")
    reading_minutes: Mapped[int] = mapped_column(Integer, default=1)
    quote_count: Mapped[int] = mapped_column(Integer, default=0)
    speaker_count: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Indexed: every new file looks for a stored article of the same content (a rename).
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    parser: Mapped[str] = mapped_column(String(32), default="")
    engine: Mapped[str] = mapped_column(String(64))
    renderer: Mapped[str] = mapped_column(String(32), default="")
    # A hash of everything the reading page shows from the database: the ETag's basis.
    revision: Mapped[str] = mapped_column(String(64), default="")
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    people: Mapped[list[ArticlePerson]] = relationship(back_populates="article", **_CHILDREN)
    mentions: Mapped[list[Mention]] = relationship(**_CHILDREN)
    quotes: Mapped[list[Quote]] = relationship(**_CHILDREN)


# The list's order (newest first, undated last), read from an index rather than sorted per
# request. SQLite puts NULL lowest, so a plain DESC index has them last; PostgreSQL needs
# NULLS LAST spelled out, which SQLite's CREATE INDEX does not accept.
NEWEST_FIRST = "ix_articles_newest_first"
Index(NEWEST_FIRST, Article.published.desc(), Article.title, Article.id).ddl_if(dialect="sqlite")
Index(NEWEST_FIRST, Article.published.desc().nulls_last(), Article.title, Article.id).ddl_if(
    dialect="postgresql"
)


class LibraryState(db.Model):
    """One row: the library's version, bumped in the transaction of every change to an
    article, so a worker's cached pages are checked with one tiny query."""

    __tablename__ = "library_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


def first_version() -> int:
    """Return where a new database's version starts: a random number, so that a database
    made again (init-db --drop, a restored copy) never reuses a version that running
    workers hold pages for."""
    return secrets.randbelow(2**30)  # with room for a billion changes in a 32-bit integer


def _add_the_row(table: Any, connection: Any, **_: Any) -> None:
    connection.execute(table.insert().values(id=1, version=first_version()))


# The row exists from the moment the table does (create_all and the migration alike).
event.listen(LibraryState.__table__, "after_create", _add_the_row)


class Person(db.Model):
    """A person, one row per distinct name across all articles, with a unique slug."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_COLUMN), unique=True)
    name: Mapped[str] = mapped_column(Text)
    # Totals over the library, recounted for the people of an article when it is stored
    # or deleted (store.refresh_totals): /people is read in its order, never summed.
    quote_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    article_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


MOST_QUOTED = "ix_people_most_quoted"
Index(MOST_QUOTED, Person.quote_count.desc(), Person.name, Person.id)


class ArticlePerson(db.Model):
    """A person as they appear in one article: the role it gives them, their colour."""

    __tablename__ = "article_people"
    __table_args__ = (UniqueConstraint("article_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str | None] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # 1..8 picks a palette colour; None means grey (unquoted, or quoted beyond the 8th).
    colour: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    quote_count: Mapped[int] = mapped_column(Integer, default=0)
    mention_count: Mapped[int] = mapped_column(Integer, default=0)

    article: Mapped[Article] = relationship(back_populates="people", lazy="raise")
    person: Mapped[Person] = relationship(lazy="raise")


class Mention(db.Model):
    """One place in an article's text that names a person."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Quote(db.Model):
    """One quotation: its span, kind, speaker, speech cue and channel."""

    __tablename__ = "quotes"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    # The organisation's name when one speaks; None for an unnamed or unknown speaker.
    speaker_label: Mapped[str | None] = mapped_column(Text)
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    # The engine's rule that decided the speaker (README: "reason"), said in plain words
    # on the page.
    reason: Mapped[str | None] = mapped_column(Text)
    cue: Mapped[str | None] = mapped_column(Text)
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[str | None] = mapped_column(Text)
    # Set when an owner's correction decided this row (webapp.corrections): "speaker" (the
    # engine's quotation, another speaker) or "added" (words the engine missed).
    corrected: Mapped[str | None] = mapped_column(String(16))
    # The engine's own speaker of a corrected quotation (a name; None: unnamed, or none).
    engine_speaker: Mapped[str | None] = mapped_column(Text)

    @property
    def qid(self) -> str:
        """Return the quotation's id in the page and the API, e.g. "q3"."""
        return f"q{self.number}"


class Correction(db.Model):
    """An owner's correction of one quotation, kept apart from the engine's rows and
    applied on top of every analysis (webapp.corrections).

    It is anchored as a W3C Web Annotation is: the exact words with a little text before
    and after them, and where they were; an edit elsewhere in the text moves the anchor,
    and words that are gone leave the correction orphaned, kept but never applied.
    """

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    words: Mapped[str] = mapped_column(Text)
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    # "speaker": these words are a quotation of speaker_name (a quotation the engine
    # missed included); "not_speech": they are not a quotation (a title, a scare quote).
    action: Mapped[str] = mapped_column(String(16))
    # "person", "organization" or "unnamed" (speaker_name None), for action "speaker".
    speaker_kind: Mapped[str | None] = mapped_column(String(16))
    speaker_name: Mapped[str | None] = mapped_column(Text)
    speaker_role: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set by the last analysis it was applied to: its words were not found in the text.
    orphaned: Mapped[bool] = mapped_column(default=False, server_default=false())


# A person's quotations, latest added article first: a page of them is read from here.
BY_SPEAKER = "ix_quotes_by_speaker"
Index(BY_SPEAKER, Quote.speaker_id, Quote.article_id.desc(), Quote.number)


def article_cast(article_id: int) -> list[Any]:
    """Return (ArticlePerson, Person) rows of one article, in panel order, in one query."""
    return list(
        db.session.execute(
            select(ArticlePerson, Person)
            .join(Person, ArticlePerson.person_id == Person.id)
            .where(ArticlePerson.article_id == article_id)
            .order_by(ArticlePerson.position)
        ).all()
    )
