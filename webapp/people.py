"""One person across the library: found by slug, the roles the articles gave them, and
their quotations a page at a time, read in the order of an index so that a page costs the
same whether they are quoted twice or two thousand times."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import func, select

from webapp.models import Article, ArticlePerson, Person, Quote, db
from webapp.paging import Page, paged
from webapp.slugs import is_slug

ROLES_SHOWN = 12  # a person's most given roles


def find_person(slug: str) -> Person:
    """Return the person with this slug, or answer 404 (a malformed slug is never queried)."""
    if not is_slug(slug):
        abort(404)
    return db.first_or_404(select(Person).where(Person.slug == slug))


def roles_of(person: Person) -> list[Any]:
    """Return the roles articles gave a person, most often given first: (role, articles)."""
    return list(
        db.session.execute(
            select(ArticlePerson.role, func.count().label("articles"))
            .where(ArticlePerson.person_id == person.id, ArticlePerson.role.is_not(None))
            .group_by(ArticlePerson.role)
            .order_by(func.count().desc(), ArticlePerson.role)
            .limit(ROLES_SHOWN)
        ).all()
    )


def quotations(person: Person, number: int) -> Page:
    """Return page number of a person's quotations, the latest added article first (the
    order of ix_quotes_by_speaker), each as (Quote, article slug, title, published, site);
    404 past the end. Their number is the person's stored total: no count per request."""
    return paged(
        select(Quote, Article.slug, Article.title, Article.published, Article.site)
        .join(Article, Quote.article_id == Article.id)
        .where(Quote.speaker_id == person.id)
        .order_by(Quote.article_id.desc(), Quote.number),
        number,
        person.quote_count,
    )
