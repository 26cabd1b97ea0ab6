"""Reader pages: the list of articles and the reading page (one query per table)."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from sqlalchemy import distinct, func, select
from werkzeug.exceptions import HTTPException

from webapp.models import Article, ArticlePerson, Mention, Person, Quote, db
from webapp.render import (
    MentionMark,
    QuoteMark,
    initials,
    render_parts,
    safe_url,
)

bp = Blueprint("views", __name__)

WORDS_PER_MINUTE = 230
KIND_LABELS = {"direct": "Quotation", "partial": "Partial quotation", "indirect": "Reported speech"}


@dataclass(frozen=True)
class PanelPerson:
    """A person in the side panel: who they are and how often they speak or are named."""

    slug: str
    name: str
    role: str | None
    colour: int | None
    initials: str
    quotes: int
    mentions: int


@dataclass(frozen=True)
class UnattributedQuote:
    """A quotation without a named person speaker, listed in the 'Unattributed' group."""

    qid: str
    label: str
    excerpt: str


def format_date(value: date) -> str:
    """Return a date as 'June 9, 2011'."""
    return f"{value:%B} {value.day}, {value.year}"


def reading_minutes(text: str) -> int:
    """Return the reading time of text in whole minutes, at least one."""
    return max(1, math.ceil(len(re.findall(r"\w+", text)) / WORDS_PER_MINUTE))


@bp.app_template_global()
def asset(filename: str) -> str:
    """Return the URL of a static file with a content hash, so caches see changes."""
    return url_for("static", filename=filename, v=_static_version(filename))


@lru_cache(maxsize=64)
def _static_version(filename: str) -> str:
    """Return a short hash of a static file's contents ('0' if it is missing)."""
    path = Path(current_app.static_folder or "", filename)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


@bp.get("/")
def index() -> str:
    """List the articles, newest first, with their number of speakers and quotations."""
    quotes = select(func.count(Quote.id)).where(Quote.article_id == Article.id).scalar_subquery()
    speakers = (
        select(func.count(distinct(Quote.speaker_id)))
        .where(Quote.article_id == Article.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Article.slug,
            Article.title,
            Article.published,
            Article.source_url,
            Article.text,
            Article.parts,
            quotes.label("quotes"),
            speakers.label("speakers"),
        ).order_by(Article.published.desc().nulls_last(), Article.title)
    ).all()
    return render_template(
        "index.html", articles=rows, format_date=format_date, host=_host, lede=lede
    )


@bp.get("/articles/<slug>")
def article(slug: str) -> Response:
    """Show the reading page of one article, highlighting rendered on the server."""
    row = db.first_or_404(select(Article).where(Article.slug == slug))
    people = db.session.execute(
        select(ArticlePerson, Person)
        .join(Person, ArticlePerson.person_id == Person.id)
        .where(ArticlePerson.article_id == row.id)
        .order_by(ArticlePerson.position)
    ).all()
    mentions = db.session.execute(
        select(Mention).where(Mention.article_id == row.id).order_by(Mention.start)
    ).scalars()
    quotes = db.session.execute(
        select(Quote).where(Quote.article_id == row.id).order_by(Quote.number)
    ).scalars()
    context = reading_page(row, [(ap, p) for ap, p in people], list(mentions), list(quotes))
    response = make_response(render_template("article.html", **context))
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    response.make_conditional(request)
    # make_conditional adds a Date header; the server adds its own, so keep only that one.
    response.headers.pop("Date", None)
    return response


def reading_page(
    article: Article,
    people: Iterable[tuple[ArticlePerson, Person]],
    mentions: list[Mention],
    quotes: list[Quote],
) -> dict[str, Any]:
    """Assemble the reading page's template context from the article's rows."""
    by_id: dict[int, tuple[ArticlePerson, Person]] = {p.id: (ap, p) for ap, p in people}
    quote_counts = _count(q.speaker_id for q in quotes)
    mention_counts = _count(m.person_id for m in mentions)
    panel = [
        PanelPerson(
            slug=person.slug,
            name=person.name,
            role=ap.role,
            colour=ap.colour,
            initials=initials(person.name),
            quotes=quote_counts.get(person.id, 0),
            mentions=mention_counts.get(person.id, 0),
        )
        for ap, person in by_id.values()
    ]
    quote_marks = [_quote_mark(q, by_id.get(q.speaker_id or 0)) for q in quotes]
    mention_marks = [
        MentionMark(m.start, m.end, by_id[m.person_id][1].slug)
        for m in mentions
        if m.person_id in by_id
    ]
    parts = render_parts(article.text, article.parts, quote_marks, mention_marks)
    source_url = safe_url(article.source_url)
    return {
        "article": article,
        "headline": next((p for p in parts if p.kind == "headline"), None),
        "caption": next((p for p in parts if p.kind == "caption"), None),
        "paragraphs": [p for p in parts if p.kind == "paragraph"],
        "published": article.published,
        "published_text": format_date(article.published) if article.published else None,
        "minutes": reading_minutes(_paragraph_text(article)),
        "quoted": [p for p in panel if p.quotes],
        "mentioned": [p for p in panel if not p.quotes],
        "unattributed": [
            UnattributedQuote(q.qid, q.speaker_label or "Unnamed or unknown source", _excerpt(q))
            for q in quotes
            if q.speaker_id is None
        ],
        "quote_count": len(quotes),
        "source_url": source_url,
        "source_host": _host(source_url),
    }


def _quote_mark(quote: Quote, speaker: tuple[ArticlePerson, Person] | None) -> QuoteMark:
    """Return the highlight of one quotation, with its tooltip details."""
    how = KIND_LABELS.get(quote.kind, "Quotation")
    if quote.cue:
        how += f" · {quote.cue}"
    if quote.channel:
        how += f" · via {quote.channel}"
    if speaker is None:
        return QuoteMark(
            qid=quote.qid,
            start=quote.start,
            end=quote.end,
            speaker_name=quote.speaker_label or "",
            details=(how,),
            kind=quote.kind,
        )
    article_person, person = speaker
    role = (article_person.role,) if article_person.role else ()
    return QuoteMark(
        qid=quote.qid,
        start=quote.start,
        end=quote.end,
        speaker=person.slug,
        speaker_name=person.name,
        colour=article_person.colour,
        details=(*role, how),
        kind=quote.kind,
    )


def _count(keys: Iterable[int | None]) -> dict[int | None, int]:
    """Return how often each key occurs."""
    counts: dict[Any, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return counts


def _paragraph_text(article: Article) -> str:
    """Return the plain text of the paragraphs, for the reading time."""
    return " ".join(
        article.text[int(p["start"]) : int(p["end"])]
        for p in article.parts
        if p["kind"] == "paragraph"
    )


def lede(text: str, parts: list[dict[str, Any]], limit: int = 280) -> str:
    """Return the first paragraph of a reading text, cut at a word near limit characters."""
    first = next((p for p in parts if p["kind"] == "paragraph"), None)
    if first is None:
        return ""
    paragraph = text[int(first["start"]) : int(first["end"])]
    if len(paragraph) <= limit:
        return paragraph
    return paragraph[:limit].rsplit(" ", 1)[0].rstrip(",;:—- ") + " …"


def _excerpt(quote: Quote, words: int = 9) -> str:
    """Return the first few words of a quotation."""
    pieces = quote.text.split()
    return " ".join(pieces[:words]) + (" …" if len(pieces) > words else "")


def _host(url: str | None) -> str | None:
    """Return the host of a URL without 'www.', for link labels."""
    if not url:
        return None
    return urlsplit(url).netloc.removeprefix("www.")


@bp.app_errorhandler(404)
def not_found(error: HTTPException) -> tuple[Any, int]:
    """Answer 404 with the site's layout, or with JSON under /api/."""
    if request.path.startswith("/api/"):
        return jsonify(error="not found", path=request.path), 404
    return render_template("404.html"), 404
