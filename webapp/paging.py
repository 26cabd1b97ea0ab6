"""Pages of the article list (the index and /api/articles): a fixed number of rows and of
queries per request, whatever the size of the library, and an ETag for each page."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort, request
from sqlalchemy import Select, func, select

from webapp.library import article_count
from webapp.models import Article, Person, db

PAGE_SIZE = 50  # articles a page


@dataclass(frozen=True)
class Page:
    """One page of the article list, newest first."""

    rows: list[Any]
    number: int  # from 1
    total: int  # articles in the library

    @property
    def pages(self) -> int:
        """Return how many pages the library fills (at least one, even when empty)."""
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def previous(self) -> int | None:
        """Return the number of the page before, if any."""
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        """Return the number of the page after, if any."""
        return self.number + 1 if self.number < self.pages else None

    def etag(self, fingerprint: str) -> str:
        """Return a strong validator of exactly what this page shows."""
        shown = repr((fingerprint, self.number, self.total, [tuple(r) for r in self.rows]))
        return hashlib.sha256(shown.encode()).hexdigest()[:32]


def people_page(number: int) -> Page:
    """Return page number of the people quoted in the library, most quoted first (the
    order of an index on the stored totals: no sum over the library per request)."""
    quoted = Person.quote_count > 0
    total = db.session.scalar(select(func.count(Person.id)).where(quoted)) or 0
    return paged(
        select(Person.slug, Person.name, Person.quote_count, Person.article_count)
        .where(quoted)
        .order_by(Person.quote_count.desc(), Person.name, Person.id),
        number,
        total,
    )


def paged(statement: Select[Any], number: int, total: int) -> Page:
    """Return page number of a statement's rows (PAGE_SIZE of them); 404 past the end."""
    rows = db.session.execute(statement.limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()
    page = Page(list(rows), number, total)
    if number > page.pages:
        abort(404)
    return page


def requested_page() -> int:
    """Return the page number asked for (?page=N, default 1); anything else is a 404."""
    value = request.args.get("page", "1")
    if not value.isdigit() or not 1 <= int(value) <= 1_000_000:
        abort(404)
    return int(value)


def article_page(number: int, *columns: Any, where: Sequence[Any] = ()) -> Page:
    """Return page number of the articles, newest first, with these columns; 404 past the end.

    where: conditions on the articles (a filter). Two queries: the count and the page's
    rows (keyed on the ordering's index).
    """
    if where:
        total = db.session.scalar(select(func.count(Article.id)).where(*where)) or 0
    else:
        total = article_count()
    return paged(
        select(*columns)
        .where(*where)
        .order_by(Article.published.desc().nulls_last(), Article.title, Article.id),
        number,
        total,
    )
