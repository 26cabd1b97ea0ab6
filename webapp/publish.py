"""What a reader sees of a stored article, computed once when it is stored: the highlighted
HTML of every part, the lede, the reading time, the counts and the page's revision."""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import select

from webapp import render
from webapp.models import Article, Mention, Quote, article_cast, db
from webapp.reasons import explain, explain_correction
from webapp.render import MentionMark, QuoteMark, quote_details, render_parts

WORDS_PER_MINUTE = 230


LEDE_LIMIT = 280


@dataclass(frozen=True)
class CastMember:
    """A person of one article as the page shows them (a row of article_people + people)."""

    person_id: int
    slug: str
    name: str
    role: str | None
    colour: int | None


class QuoteRow(NamedTuple):
    """What the page shows of a stored quotation (a row of quotes)."""

    number: int
    start: int
    end: int
    text: str
    kind: str
    speaker_id: int | None
    speaker_label: str | None
    cue: str | None
    channel: str | None
    reason: str | None = None  # the engine's rule (README: "reason")
    speaker_start: int | None = None  # the words that name the speaker
    speaker_end: int | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    corrected: str | None = None  # "speaker" or "added": an owner's correction decided it
    engine_speaker: str | None = None  # the engine's speaker of a corrected quotation

    @property
    def qid(self) -> str:
        """Return the quotation's id in the page, e.g. "q3"."""
        return f"q{self.number}"


@dataclass(frozen=True)
class Published:
    """Everything stored for readers, computed from an article's rows in one pass."""

    html_parts: list[dict[str, str]]
    lede: str
    reading_minutes: int
    quote_count: int
    speaker_count: int
    quote_counts: dict[int, int]  # person id -> quotations
    mention_counts: dict[int, int]  # person id -> mentions


def publish(
    text: str,
    parts: list[dict[str, Any]],
    cast: list[CastMember],
    mentions: list[tuple[int, int, int]],
    quotes: list[QuoteRow],
    html_parts: list[dict[str, str]] | None = None,
) -> Published:
    """Render the parts with their highlights and compute the figures (pure: no database).

    mentions are (start, end, person id); quotes are in reading order. html_parts, when
    given, is the page already rendered from the same rows (by a worker process).
    """
    by_id = {member.person_id: member for member in cast}
    quote_counts: dict[int, int] = {}
    for quote in quotes:
        if quote.speaker_id is not None:
            quote_counts[quote.speaker_id] = quote_counts.get(quote.speaker_id, 0) + 1
    mention_counts: dict[int, int] = {}
    for _, _, person_id in mentions:
        mention_counts[person_id] = mention_counts.get(person_id, 0) + 1
    if html_parts is None:
        quote_marks = [_quote_mark(q, by_id.get(q.speaker_id or 0), text) for q in quotes]
        mention_marks = [
            MentionMark(start, end, by_id[person_id].slug)
            for start, end, person_id in mentions
            if person_id in by_id
        ]
        rendered = render_parts(text, parts, quote_marks, mention_marks)
        html_parts = [{"kind": p.kind, "html": str(p.html)} for p in rendered]
    return Published(
        html_parts=html_parts,
        lede=lede(text, parts),
        reading_minutes=reading_minutes(_paragraph_text(text, parts)),
        quote_count=len(quotes),
        speaker_count=len({q.speaker_id for q in quotes if q.speaker_id is not None}),
        quote_counts=quote_counts,
        mention_counts=mention_counts,
    )


def apply(
    article: Article, cast: list[CastMember], quotes: list[QuoteRow], done: Published
) -> None:
    """Set the article's stored HTML, figures and revision from what publish() computed."""
    article.html_parts = done.html_parts
    article.renderer = render.RENDER_VERSION  # read now: tests change it
    article.lede = done.lede
    article.reading_minutes = done.reading_minutes
    article.quote_count = done.quote_count
    article.speaker_count = done.speaker_count
    article.revision = _revision(article, cast, quotes, done)


def render_article(article: Article) -> None:
    """Render a stored article again from its rows (after the markup changed); store the
    HTML, figures and revision."""
    people = article_cast(article.id)
    cast = [CastMember(p.id, p.slug, p.name, ap.role, ap.colour) for ap, p in people]
    mentions = [
        (m.start, m.end, m.person_id)
        for m in db.session.execute(
            select(Mention.start, Mention.end, Mention.person_id).where(
                Mention.article_id == article.id
            )
        )
    ]
    quotes = [
        QuoteRow(*row)
        for row in db.session.execute(
            select(*(getattr(Quote, name) for name in QuoteRow._fields))
            .where(Quote.article_id == article.id)
            .order_by(Quote.number)
        )
    ]
    done = publish(article.text, article.parts, cast, mentions, quotes)
    for ap, person in people:
        ap.quote_count = done.quote_counts.get(person.id, 0)
        ap.mention_count = done.mention_counts.get(person.id, 0)
    apply(article, cast, quotes, done)
    db.session.flush()


def _quote_mark(quote: QuoteRow, speaker: CastMember | None, text: str) -> QuoteMark:
    """Return the highlight of one stored quotation, with its tooltip details and why its
    speaker is who they are."""
    evidence = None
    if quote.speaker_start is not None and quote.speaker_end is not None:
        evidence = (quote.speaker_start, quote.speaker_end)
    name = speaker.name if speaker is not None else quote.speaker_label or ""
    if quote.corrected:
        why = explain_correction(quote.corrected, quote.engine_speaker)
    else:
        why = explain(quote, text, name)
    if speaker is None:
        return QuoteMark(
            qid=quote.qid,
            start=quote.start,
            end=quote.end,
            speaker_name=name,
            details=quote_details(quote.kind, quote.cue, quote.channel),
            kind=quote.kind,
            why=why,
            evidence=evidence,
        )
    return QuoteMark(
        qid=quote.qid,
        start=quote.start,
        end=quote.end,
        speaker=speaker.slug,
        speaker_name=speaker.name,
        colour=speaker.colour,
        details=quote_details(quote.kind, quote.cue, quote.channel, speaker.role),
        kind=quote.kind,
        why=why,
        evidence=evidence,
    )


def _revision(
    article: Article, cast: list[CastMember], quotes: list[QuoteRow], done: Published
) -> str:
    """Return a hash of everything the reading page shows from the database."""
    page = {
        "article": [
            article.slug,
            article.title,
            article.published.isoformat() if article.published else None,
            article.photo_credit,
            article.source_url,
            done.reading_minutes,
            done.html_parts,
        ],
        "people": [
            [
                m.slug,
                m.name,
                m.role,
                m.colour,
                done.quote_counts.get(m.person_id, 0),
                done.mention_counts.get(m.person_id, 0),
            ]
            for m in cast
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
