"""Reader pages: the list of articles and the reading page, served from stored rows."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    render_template,
)
from markupsafe import Markup
from sqlalchemy import select

from webapp.compress import VersionCache
from webapp.links import safe_url, url_label
from webapp.models import Article, ArticlePerson, Person, Quote, article_cast, db
from webapp.pagecache import fingerprint, replayable
from webapp.paging import article_page, requested_page
from webapp.render import initials, speaker_class
from webapp.slugs import is_slug

bp = Blueprint("views", __name__)
PAGES_CACHED = 256  # rendered reading pages kept per worker, by ETag (a few MB)


@dataclass(frozen=True)
class PanelPerson:
    """A person in the side panel: who they are and how often they speak or are named."""

    slug: str
    name: str
    role: str | None
    colour_class: str
    initials: str
    quotes: int
    mentions: int


@dataclass(frozen=True)
class UnattributedQuote:
    """A quotation without a named person speaker, listed in the 'Unattributed' group."""

    qid: str
    label: str
    excerpt: str


@dataclass(frozen=True)
class PagePart:
    """One stored, already allowlisted headline, caption or paragraph."""

    kind: str
    html: Markup


def format_date(value: date) -> str:
    """Return a date as 'June 9, 2011'."""
    return f"{value:%B} {value.day}, {value.year}"


@bp.get("/")
def index() -> Response:
    """List the articles, newest first, 50 a page, with the figures computed when stored."""
    page = article_page(
        requested_page(),
        Article.slug,
        Article.title,
        Article.published,
        Article.source_url,
        Article.lede,
        Article.quote_count,
        Article.speaker_count,
    )
    return replayable(
        page.etag(fingerprint()),
        lambda: make_response(
            render_template(
                "index.html", page=page, articles=page.rows, format_date=format_date, host=url_label
            )
        ),
        parameters=("page",),
    )


def find_article(slug: str) -> Article:
    """Return the article with this slug, or answer 404 (a malformed slug is never queried)."""
    if not is_slug(slug):
        abort(404)
    return db.first_or_404(select(Article).where(Article.slug == slug))


@bp.get("/articles/<slug>")
def article(slug: str) -> Response:
    """Show the reading page of one article from its stored HTML; answer ETags with 304."""
    row = find_article(slug)
    etag = page_etag(row)
    # The page of this revision is rendered once per worker, then served as bytes.
    return replayable(
        etag,
        lambda: Response(
            _pages().get(etag, lambda: _render_reading_page(row).encode()), mimetype="text/html"
        ),
    )


def _pages() -> VersionCache[bytes]:
    """Return this app's cache of rendered reading pages (each app has its own database)."""
    extensions = current_app.extensions
    return extensions.setdefault("voices-pages", VersionCache(PAGES_CACHED))  # type: ignore[no-any-return]


def _render_reading_page(row: Article) -> str:
    """Render the reading page of an article from its stored rows (three more queries)."""
    html_parts = db.session.scalar(select(Article.html_parts).where(Article.id == row.id))
    people = article_cast(row.id)
    unattributed = db.session.execute(
        select(Quote)
        .where(Quote.article_id == row.id, Quote.speaker_id.is_(None))
        .order_by(Quote.number)
    ).scalars()
    context = reading_page(row, html_parts or [], people, list(unattributed))
    return render_template("article.html", **context)


def page_etag(article: Article) -> str:
    """Return the reading page's ETag: the stored revision plus the site's fingerprint."""
    key = f"{article.id}:{article.revision}:{fingerprint()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def reading_page(
    article: Article,
    html_parts: list[dict[str, str]],
    people: Iterable[tuple[ArticlePerson, Person]],
    unattributed: list[Quote],
) -> dict[str, Any]:
    """Assemble the reading page's template context from the article's stored rows."""
    panel = [
        PanelPerson(
            slug=person.slug,
            name=person.name,
            role=ap.role,
            colour_class=speaker_class(ap.colour, ap.quote_count > 0),
            initials=initials(person.name),
            quotes=ap.quote_count,
            mentions=ap.mention_count,
        )
        for ap, person in people
    ]
    source_url = safe_url(article.source_url)  # checked when stored; checked again here
    # Stored by the library after the allowlist (render.clean): served as they are.
    parts = [PagePart(p["kind"], Markup(p["html"])) for p in html_parts]
    return {
        "article": article,
        "headline": next((p for p in parts if p.kind == "headline"), None),
        "caption": next((p for p in parts if p.kind == "caption"), None),
        "paragraphs": [p for p in parts if p.kind == "paragraph"],
        "published": article.published,
        "published_text": format_date(article.published) if article.published else None,
        "minutes": article.reading_minutes,
        "quoted": [p for p in panel if p.quotes],
        "mentioned": [p for p in panel if not p.quotes],
        "unattributed": [
            UnattributedQuote(q.qid, q.speaker_label or "Unnamed or unknown source", _excerpt(q))
            for q in unattributed
        ],
        "quote_count": article.quote_count,
        "source_url": source_url,
        "source_host": url_label(source_url),
    }


def _excerpt(quote: Quote, words: int = 9) -> str:
    """Return the first few words of a quotation."""
    pieces = quote.text[:2000].split()
    return " ".join(pieces[:words]) + (" …" if len(pieces) > words else "")
