"""A small read-only JSON API: the articles and each one's stored analysis."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from webapp.links import safe_url
from webapp.models import Article, Mention, Quote, article_cast, db
from webapp.pagecache import fingerprint, replayable
from webapp.paging import Page, article_page, people_page, requested_page
from webapp.people import find_person, quotations, roles_of
from webapp.search import SearchError
from webapp.search import search as find
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
            **_paging(page, "api.articles"),
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


@bp.get("/people")
def people() -> Response:
    """List the people quoted in the library, most quoted first, 50 a page (?page=N)."""
    page = people_page(requested_page())
    return replayable(
        page.etag(fingerprint()),
        lambda: jsonify(
            people=[_person_summary(p) for p in page.rows],
            **_paging(page, "api.people"),
        ),
        parameters=("page",),
    )


@bp.get("/people/<slug>")
def person(slug: str) -> Response:
    """Return one person: their totals, the roles articles gave them, and their quotations,
    latest added article first, 50 a page (?page=N)."""
    who = find_person(slug)
    page = quotations(who, requested_page())
    slugs = {who.id: who.slug}
    return jsonify(
        {
            **_person_summary(who),
            "roles": [{"role": r.role, "articles": r.articles} for r in roles_of(who)],
            "quotes": [
                {
                    **_quote(quote, slugs),
                    "article": {
                        "slug": slug,
                        "title": title,
                        "published": published.isoformat() if published else None,
                        "url": url_for("views.article", slug=slug, _anchor=quote.qid),
                    },
                }
                for quote, slug, title, published, _ in page.rows
            ],
            **_paging(page, "api.person", slug=who.slug),
        }
    )


@bp.get("/search")
def search() -> Response:
    """Search headlines, text and quotations (?q=..., ?page=N): 20 articles a page, best
    first, each with a snippet (plain text, and HTML with the matched words in <mark>)."""
    query = request.args.get("q", "")
    if not query.strip():
        abort(400, "Give the words to search for as ?q=.")
    number = requested_page()
    try:
        found = find(query, number)
    except SearchError as err:
        abort(400, str(err))
    if number > found.pages:
        abort(404)
    return jsonify(
        query=found.query,
        hits=[
            {
                "slug": hit.slug,
                "title": hit.title,
                "published": hit.published.isoformat() if hit.published else None,
                "snippet": hit.snippet_text,
                "snippet_html": str(hit.snippet_html),
                "url": url_for("views.article", slug=hit.slug),
            }
            for hit in found.hits
        ],
        ranked=found.ranked,
        page=found.number,
        pages=found.pages,
        total=found.total,
        next=url_for("api.search", q=found.query, page=found.next) if found.next else None,
        previous=(
            url_for("api.search", q=found.query, page=found.previous) if found.previous else None
        ),
    )


def _person_summary(person: Any) -> dict[str, Any]:
    """Return the fields that describe a person in the lists and on their own."""
    return {
        "slug": person.slug,
        "name": person.name,
        "quotes": person.quote_count,
        "articles": person.article_count,
        "url": url_for("views.person", slug=person.slug),
        "api_url": url_for("api.person", slug=person.slug),
    }


def _paging(page: Page, endpoint: str, **values: Any) -> dict[str, Any]:
    """Return a paged answer's position and the links to the pages beside it."""
    return {
        "page": page.number,
        "pages": page.pages,
        "total": page.total,
        "next": url_for(endpoint, page=page.next, **values) if page.next else None,
        "previous": url_for(endpoint, page=page.previous, **values) if page.previous else None,
    }


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
    """Return one stored quotation as JSON; the speaker is a person slug or None, the
    engine's speaker (of a corrected one) a name."""
    return {
        "id": quote.qid,
        "start": quote.start,
        "end": quote.end,
        "text": quote.text,
        "kind": quote.kind,
        "speaker": slugs.get(quote.speaker_id) if quote.speaker_id else None,
        "speaker_label": quote.speaker_label,
        "speaker_span": _span(quote.speaker_start, quote.speaker_end),
        "reason": quote.reason,
        "cue": quote.cue,
        "cue_span": _span(quote.cue_start, quote.cue_end),
        "channel": quote.channel,
        **corrected_fields(quote.corrected, quote.engine_speaker),
    }


def corrected_fields(correction: str | None, engine_speaker: str | None) -> dict[str, Any]:
    """Return what the owner's corrections did to a quotation, as the API and the exports
    give it: corrected (whether a correction decided it), correction ("speaker": the
    engine's quotation given another speaker; "added": words the engine missed; None) and
    engine_speaker (the name of the speaker the engine had given a quotation whose speaker
    was corrected; None for any other quotation, or when the engine named no one)."""
    return {
        "corrected": correction is not None,
        "correction": correction,
        "engine_speaker": engine_speaker,
    }


def json_error(error: HTTPException) -> Response:
    """Return an HTTP error as the API's JSON, {"error": {"code", "message"}}, keeping its
    headers (Allow on a 405, ...); code is the status's name in snake case."""
    response = error.get_response()
    code = "_".join((error.name or "error").lower().replace("'", "").split())
    message = error.description or error.name or "error"
    if error.code == 500:
        message = "The server failed to answer; the failure is logged."  # never the details
    body = jsonify(error={"code": code, "message": message})
    response.set_data(body.get_data())
    response.content_type = "application/json"
    return response


@bp.get("/openapi.json")
def openapi() -> Response:
    """Return the API's OpenAPI 3.1 document (webapp/openapi.json), made once per process."""
    from webapp.openapi import served  # only this route reads the document

    return Response(served(request.script_root), mimetype="application/json")
