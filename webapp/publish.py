"""What a reader sees of a stored article, computed once when it is stored: the highlighted
HTML of every part, the lede, the reading time, the counts and the page's revision."""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from sqlalchemy import select

from webapp import render
from webapp.models import Article, ArticlePerson, Mention, Person, Quote, article_cast, db
from webapp.render import MentionMark, QuoteMark, quote_details, render_parts

WORDS_PER_MINUTE = 230


LEDE_LIMIT = 280


def render_article(article: Article) -> None:
    """Render the article's parts from its stored rows; store the HTML, counts and revision."""
    people = article_cast(article.id)
    mentions = db.session.execute(
        select(Mention.start, Mention.end, Mention.person_id).where(
            Mention.article_id == article.id
        )
    ).all()
    quotes = (
        db.session.execute(
            select(Quote).where(Quote.article_id == article.id).order_by(Quote.number)
        )
        .scalars()
        .all()
    )
    by_id = {person.id: (ap, person) for ap, person in people}
    quote_counts: dict[int, int] = {}
    for quote in quotes:
        if quote.speaker_id is not None:
            quote_counts[quote.speaker_id] = quote_counts.get(quote.speaker_id, 0) + 1
    mention_counts: dict[int, int] = {}
    for mention in mentions:
        mention_counts[mention.person_id] = mention_counts.get(mention.person_id, 0) + 1
    for ap, person in people:
        ap.quote_count = quote_counts.get(person.id, 0)
        ap.mention_count = mention_counts.get(person.id, 0)

    quote_marks = [_quote_mark(q, by_id.get(q.speaker_id or 0)) for q in quotes]
    mention_marks = [
        MentionMark(m.start, m.end, by_id[m.person_id][1].slug)
        for m in mentions
        if m.person_id in by_id
    ]
    rendered = render_parts(article.text, article.parts, quote_marks, mention_marks)
    article.html_parts = [{"kind": p.kind, "html": str(p.html)} for p in rendered]
    article.renderer = render.RENDER_VERSION  # read now: tests change it
    article.lede = lede(article.text, article.parts)
    article.reading_minutes = reading_minutes(_paragraph_text(article.text, article.parts))
    article.quote_count = len(quotes)
    article.speaker_count = len({q.speaker_id for q in quotes if q.speaker_id is not None})
    article.revision = _revision(article, people, quotes)
    db.session.flush()


def _quote_mark(quote: Quote, speaker: tuple[ArticlePerson, Person] | None) -> QuoteMark:
    """Return the highlight of one stored quotation, with its tooltip details."""
    if speaker is None:
        return QuoteMark(
            qid=quote.qid,
            start=quote.start,
            end=quote.end,
            speaker_name=quote.speaker_label or "",
            details=quote_details(quote.kind, quote.cue, quote.channel),
            kind=quote.kind,
        )
    article_person, person = speaker
    return QuoteMark(
        qid=quote.qid,
        start=quote.start,
        end=quote.end,
        speaker=person.slug,
        speaker_name=person.name,
        colour=article_person.colour,
        details=quote_details(quote.kind, quote.cue, quote.channel, article_person.role),
        kind=quote.kind,
    )


def _revision(article: Article, people: list[Any], quotes: list[Quote]) -> str:
    """Return a hash of everything the reading page shows from the database."""
    page = {
        "article": [
            article.slug,
            article.title,
            article.published.isoformat() if article.published else None,
            article.photo_credit,
            article.source_url,
            article.reading_minutes,
            article.html_parts,
        ],
        "people": [
            [p.slug, p.name, ap.role, ap.colour, ap.quote_count, ap.mention_count]
            for ap, p in people
        ],
        "unattributed": [[q.qid, q.speaker_label, q.text] for q in quotes if q.speaker_id is None],
    }
    return hashlib.sha256(json.dumps(page, sort_keys=True).encode()).hexdigest()


def reading_minutes(text: str) -> int:
    """Return the reading time of text in whole minutes, at least one."""
    return max(1, math.ceil(len(re.findall(r"\w+", text)) / WORDS_PER_MINUTE))


def _paragraph_text(text: str, parts: list[dict[str, Any]]) -> str:
    """Return the plain text of the paragraphs, for the reading time."""
    return " ".join(
        text[int(p["start"]) : int(p["end"])] for p in parts if p["kind"] == "paragraph"
    )


def lede(text: str, parts: list[dict[str, Any]], limit: int = LEDE_LIMIT) -> str:
    """Return the first paragraph of a reading text, cut at a word near limit characters."""
    first = next((p for p in parts if p["kind"] == "paragraph"), None)
    if first is None:
        return ""
    paragraph = text[int(first["start"]) : int(first["end"])]
    if len(paragraph) <= limit:
        return paragraph
    return paragraph[:limit].rsplit(" ", 1)[0].rstrip(",;:—- ") + " …"
