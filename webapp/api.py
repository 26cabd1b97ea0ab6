"""A small read-only JSON API: the articles and each one's stored analysis."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from webapp.links import safe_url
from webapp.models import Article, Mention, Quote, article_cast, db
from webapp.pagecache import fingerprint, replayable
from webapp.paging import article_page, requested_page
from webapp.views import find_article

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/articles")
def articles() -> Response:
    """List the articles, 50 a page (?page=N), with their stored counts; ETag and 304."""
    page = article_page(
        requested_page(),
        Article.slug,
        Article.title,
        Article.published,
        Article.caption,
        Article.photo_credit,
        Article.source_url,
        Article.quote_count,
        Article.speaker_count,
    )
    return replayable(
        page.etag(fingerprint()),
        lambda: jsonify(
            articles=[
                {**_summary(a), "quotes": a.quote_count, "speakers": a.speaker_count}
                for a in page.rows
            ],
            page=page.number,
            pages=page.pages,
            total=page.total,
            next=url_for("api.articles", page=page.next) if page.next else None,
            previous=url_for("api.articles", page=page.previous) if page.previous else None,
        ),
        parameters=("page",),
    )


@bp.get("/articles/<slug>")
def article(slug: str) -> Response:
    """Return one article's text, parts and stored analysis (people and quotations)."""
    row = find_article(slug)
    text, parts = db.session.execute(
        select(Article.text, Article.parts).where(Article.id == row.id)
    ).one()
    people = article_cast(row.id)
    mentions = db.session.execute(
        select(Mention).where(Mention.article_id == row.id).order_by(Mention.start)
    ).scalars()
    quotes = db.session.execute(
        select(Quote).where(Quote.article_id == row.id).order_by(Quote.number)
    ).scalars()
    slugs = {person.id: person.slug for _, person in people}
    spans: dict[int, list[dict[str, int]]] = {}
    for mention in mentions:
        spans.setdefault(mention.person_id, []).append(_span(mention.start, mention.end))
    return jsonify(
        {
            **_summary(row),
            "engine": row.engine,
            "loaded_at": _utc(row.loaded_at),
            "warnings": row.warnings or [],
            "text": text,
            "parts": parts,
            "people": [
                {
                    "slug": person.slug,
                    "name": person.name,
                    "role": ap.role,
                    "aliases": ap.aliases,
                    "mentions": spans.get(person.id, []),
                }
                for ap, person in people
            ],
            "quotes": [_quote(q, slugs) for q in quotes],
        }
    )


def _summary(article: Any) -> dict[str, Any]:
    """Return the fields that describe an article in both endpoints."""
    return {
        "slug": article.slug,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "caption": article.caption,
        "photo_credit": article.photo_credit,
        "source_url": safe_url(article.source_url),
        "url": url_for("views.article", slug=article.slug),
    }


def _utc(moment: datetime | None) -> str | None:
    """Return a stored time as ISO 8601 in UTC (SQLite gives it back without its zone)."""
    if moment is None:
        return None
    zoned = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return zoned.isoformat()


def _span(start: int | None, end: int | None) -> dict[str, int] | None:
    """Return a span as {"start", "end"}, or None when it is not stored."""
    if start is None or end is None:
        return None
    return {"start": start, "end": end}


def _quote(quote: Quote, slugs: dict[int, str]) -> dict[str, Any]:
    """Return one stored quotation as JSON; the speaker is a person slug or None."""
    return {
        "id": quote.qid,
        "start": quote.start,
        "end": quote.end,
        "text": quote.text,
        "kind": quote.kind,
        "speaker": slugs.get(quote.speaker_id) if quote.speaker_id else None,
        "speaker_label": quote.speaker_label,
        "speaker_span": _span(quote.speaker_start, quote.speaker_end),
        "cue": quote.cue,
        "cue_span": _span(quote.cue_start, quote.cue_end),
        "channel": quote.channel,
    }


def json_error(error: HTTPException) -> Response:
    """Return an HTTP error as the API's JSON, keeping its headers (Allow on a 405, ...)."""
    response = error.get_response()
    body = jsonify(
        error=(error.name or "error").lower(), status=error.code or 500, path=request.path
    )
    response.set_data(body.get_data())
    response.content_type = "application/json"
    return response
