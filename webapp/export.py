"""Data out: the quotations of an article, of a person or of the whole library, as CSV and
as JSON Lines, streamed a chunk of rows at a time so a large library never sits in memory.

Every row has the same fields, in FIELDS order; the last three say what the owner's
corrections did (webapp.api.corrected_fields): corrected (true/false), correction
("speaker", "added" or empty) and engine_speaker (the engine's own speaker of a quotation
whose speaker was corrected). In CSV an empty value is an empty cell, a flag the word true or false,
and a cell beginning with = + - @, a tab or a carriage return gets a leading apostrophe,
so that a spreadsheet shows it as text instead of running it as a formula (CSV injection,
as OWASP describes it): a quotation "-5 degrees" is written '-5 degrees. JSON Lines keeps
every value exactly as stored, with null for an empty value.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, stream_with_context, url_for
from sqlalchemy import ColumnElement, and_, select, tuple_

from webapp.api import corrected_fields
from webapp.links import safe_url
from webapp.models import Article, ArticlePerson, Person, Quote, db
from webapp.slugs import is_slug
from webapp.views import find_article

bp = Blueprint("export", __name__)

FIELDS = (
    "speaker",
    "speaker_slug",
    "role",
    "quotation",
    "kind",
    "cue",
    "channel",
    "article",
    "article_slug",
    "quote_id",
    "date",
    "source_url",
    "url",
    "corrected",
    "correction",
    "engine_speaker",
)
CHUNK_ROWS = 500  # quotations a query: one round trip per 500 rows, a few hundred KB held
SEND_CHARS = 64 * 1024  # lines joined into one write to the client, not a write per row
# Characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, str | bool | None]

_COLUMNS = (
    Quote.article_id,
    Quote.number,
    Quote.text,
    Quote.kind,
    Quote.cue,
    Quote.channel,
    Quote.speaker_label,
    Quote.corrected,
    Quote.engine_speaker,
    Person.name,
    Person.slug.label("person_slug"),
    ArticlePerson.role,
    Article.title,
    Article.slug,
    Article.published,
    Article.source_url,
)


def quotation_rows(
    where: ColumnElement[bool] | None = None, chunk_rows: int | None = None
) -> Iterator[Row]:
    """Yield the quotations matching where (all when None) as rows of FIELDS, by article
    and number, one query per chunk_rows quotations (CHUNK_ROWS by default).

    Each chunk continues after the last (article, number) seen (keyset pagination on the
    quotes' unique index), so a chunk deep in the library costs what the first did and
    only one chunk of rows is held at a time. Each chunk is its own read: a quotation
    never comes twice, but an article reloaded during a long export may come half old,
    half new. Runs in an app and request context (the rows' URLs come from url_for).
    """
    size = CHUNK_ROWS if chunk_rows is None else chunk_rows
    if size < 1:
        raise ValueError(f"chunk_rows must be at least 1, not {size}")
    statement = (
        select(*_COLUMNS)
        .join(Article, Article.id == Quote.article_id)
        .outerjoin(Person, Person.id == Quote.speaker_id)
        .outerjoin(
            ArticlePerson,
            and_(
                ArticlePerson.article_id == Quote.article_id,
                ArticlePerson.person_id == Quote.speaker_id,
            ),
        )
        .order_by(Quote.article_id, Quote.number)
        .limit(size)
    )
    if where is not None:
        statement = statement.where(where)
    position = tuple_(Quote.article_id, Quote.number)
    # The article's checked link and page address, worked out once per article, not per
    # row (the rows come grouped by article): they were most of the time a row took.
    links: tuple[str, str | None, str] = ("", None, "")
    chunk = db.session.execute(statement).all()
    while chunk:
        for found in chunk:
            if found.slug != links[0]:
                page = url_for("views.article", slug=found.slug, _external=True)
                links = (found.slug, safe_url(found.source_url), page)
            yield _row(found, links[1], links[2])
        if len(chunk) < size:
            return
        last = chunk[-1]
        chunk = db.session.execute(
            statement.where(position > tuple_(last.article_id, last.number))
        ).all()


def _row(found: Any, source_url: str | None, page: str) -> Row:
    """Return one fetched quotation as a row of FIELDS, given its article's checked link
    and page address."""
    qid = f"q{found.number}"
    return {
        "speaker": found.name if found.name is not None else found.speaker_label,
        "speaker_slug": found.person_slug,
        "role": found.role,
        "quotation": found.text,
        "kind": found.kind,
        "cue": found.cue,
        "channel": found.channel,
        "article": found.title,
        "article_slug": found.slug,
        "quote_id": qid,
        "date": found.published.isoformat() if found.published else None,
        "source_url": source_url,
        "url": f"{page}#{qid}",  # as url_for(..., _anchor=qid) makes it
        **corrected_fields(found.corrected, found.engine_speaker),
    }


def csv_lines(rows: Iterable[Row]) -> Iterator[str]:
    """Yield CSV records (RFC 4180: a header first, CRLF line ends), one string per row,
    with formula-like cells escaped (see the module's docstring)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def record(cells: Iterable[str]) -> str:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield record(FIELDS)
    for row in rows:
        yield record(_cell(row[name]) for name in FIELDS)


def _cell(value: str | bool | None) -> str:
    """Return a value as a CSV cell: empty for None, true or false for a flag, a
    formula-like text made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def jsonl_lines(rows: Iterable[Row]) -> Iterator[str]:
    """Yield one JSON object per row, each a line ending in a newline (JSON Lines)."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


FORMATS: dict[str, tuple[str, Callable[[Iterable[Row]], Iterator[str]]]] = {
    "csv": ("text/csv; charset=utf-8", csv_lines),
    "jsonl": ("application/x-ndjson; charset=utf-8", jsonl_lines),
}
_FORMAT = "<any(csv, jsonl):fmt>"


@bp.get(f"/quotations.{_FORMAT}")
def library(fmt: str) -> Response:
    """Download every quotation of the library."""
    return download(None, "library", fmt)


@bp.get(f"/articles/<slug>/quotations.{_FORMAT}")
def article(slug: str, fmt: str) -> Response:
    """Download the quotations of one article, in reading order; 404 for no such article."""
    found = find_article(slug)
    return download(Quote.article_id == found.id, found.slug, fmt)


@bp.get(f"/people/<slug>/quotations.{_FORMAT}")
def person(slug: str, fmt: str) -> Response:
    """Download the quotations of one person, in every article; 404 for no such person."""
    if not is_slug(slug):
        abort(404)
    found = db.first_or_404(select(Person).where(Person.slug == slug))
    return download(Quote.speaker_id == found.id, found.slug, fmt)


def download(where: ColumnElement[bool] | None, name: str, fmt: str) -> Response:
    """Return a streamed attachment of the quotations matching where, in format fmt.

    The rows are read while the body is sent: stream_with_context keeps the app context,
    and with it the database session, until the last chunk, and the teardown closes the
    session after it (or when the client goes away). The view's own objects are not used
    by then: where holds plain values.
    """
    content_type, lines = FORMATS[fmt]
    body = stream_with_context(_blocks(lines(quotation_rows(where))))
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = attachment(
        f"voices-{name}-quotations.{fmt}", f"voices-quotations.{fmt}"
    )
    return response


def _blocks(lines: Iterable[str]) -> Iterator[bytes]:
    """Yield the lines as UTF-8, joined into blocks of about SEND_CHARS characters."""
    pending: list[str] = []
    size = 0
    for line in lines:
        pending.append(line)
        size += len(line)
        if size >= SEND_CHARS:
            yield "".join(pending).encode()
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode()


def attachment(filename: str, fallback: str) -> str:
    """Return a Content-Disposition for a download named filename (RFC 6266); a name in
    another script (a slug may be "москва") goes in filename*, with fallback for clients
    that read only filename (headers are Latin-1)."""
    if filename.isascii():  # slugs hold no quote or backslash: nothing to escape
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
