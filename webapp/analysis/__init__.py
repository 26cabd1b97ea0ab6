"""Who is quoted and who is mentioned: analyze(text) -> Analysis. Pure, no I/O at call time."""

from __future__ import annotations

import re

from .attribution import Attribution, attribute_all
from .people import Entities, find_entities
from .quotes import QuoteSpan, find_quotes
from .result import ENGINE_VERSION, Analysis, Organization, Person, Quote, Span
from .text import paragraphs, sentence_starts, tokenize

__all__ = ["ENGINE_VERSION", "Analysis", "Organization", "Person", "Quote", "Span", "analyze"]

_WORD = re.compile(r"[^\W\d_]+")


def analyze(text: str, *, headline: bool | None = None) -> Analysis:
    """Find the people, organisations and attributed quotations of a text.

    headline: whether the first paragraph is a headline (None: decide from its shape).
    """
    spans = paragraphs(text)
    tokens = tokenize(text)
    starts = _sentence_starts(text, tokens, spans)
    has_headline = _looks_like_headline(text, spans) if headline is None else headline
    headline_tokens = (
        {i for i, t in enumerate(tokens) if t.start < spans[0][1]}
        if has_headline and spans
        else set()
    )
    quotes = find_quotes(text, spans)
    entities, finder = find_entities(
        text, tokens, starts, headline_tokens, [(q.start, q.end) for q in quotes]
    )
    attributed = attribute_all(text, tokens, starts, spans, entities, finder, quotes, has_headline)
    if has_headline:
        _attribute_headline_quotes(text, attributed)
    return _build(text, entities, attributed)


def _sentence_starts(text: str, tokens: list, spans: list[tuple[int, int]]) -> set[int]:
    """Return the token indices that begin a sentence; every paragraph begins one."""
    starts = set(sentence_starts(tokens, text))
    position = 0
    for start, _ in spans:
        while position < len(tokens) and tokens[position].start < start:
            position += 1
        starts.add(position)
    return starts


def _looks_like_headline(text: str, spans: list[tuple[int, int]]) -> bool:
    """Return True when the first paragraph is short and not a finished sentence."""
    if len(spans) < 2:
        return False
    first = text[spans[0][0] : spans[0][1]]
    return len(first.split()) <= 25 and not first.rstrip("\"”’'").endswith(".")


def _normal(text: str) -> str:
    """Return the words of a quotation, lower-cased, for comparing headline and body."""
    return " ".join(_WORD.findall(text.lower()))


def _attribute_headline_quotes(
    text: str, attributed: list[tuple[QuoteSpan, str, Attribution]]
) -> None:
    """Give a headline quotation the speaker of the body quotation that repeats its words."""
    body = [(span, found) for span, _, found in attributed if span.paragraph > 0]
    for span, _, found in attributed:
        if span.paragraph != 0:
            continue
        words = _normal(text[span.inner_start : span.inner_end])
        for other, other_found in body:
            if other_found.speaker is None:
                continue
            other_words = _normal(text[other.inner_start : other.inner_end])
            if words and (words in other_words or other_words in words):
                found.speaker = other_found.speaker
                found.explicit = True
                break


def _build(
    text: str, entities: Entities, attributed: list[tuple[QuoteSpan, str, Attribution]]
) -> Analysis:
    """Turn the engine's records into the Analysis dataclasses with stable ids."""
    order = sorted(
        (i for i, p in enumerate(entities.people) if p.mentions),
        key=lambda i: entities.people[i].mentions[0],
    )
    person_ids = {index: f"p{n}" for n, index in enumerate(order, start=1)}
    people = [
        Person(
            id=person_ids[i],
            name=entities.people[i].name,
            role=entities.people[i].role,
            gender=entities.people[i].gender,  # type: ignore[arg-type]
            aliases=list(entities.people[i].aliases),
            mentions=[Span(a, b) for a, b in sorted(set(entities.people[i].mentions))],
        )
        for i in order
    ]
    org_ids = {index: f"o{n}" for n, index in enumerate(range(len(entities.orgs)), start=1)}
    organizations = [
        Organization(
            id=org_ids[i],
            name=org.name,
            kind=org.kind,  # type: ignore[arg-type]
            mentions=[Span(a, b) for a, b in sorted(set(org.mentions))],
        )
        for i, org in enumerate(entities.orgs)
    ]
    quotes = []
    for number, (span, kind, found) in enumerate(attributed, start=1):
        speaker = None
        if found.speaker is not None:
            table = person_ids if found.speaker[0] == "person" else org_ids
            speaker = table.get(found.speaker[1])
        quotes.append(
            Quote(
                id=f"q{number}",
                start=span.start,
                end=span.end,
                text=text[span.start : span.end],
                kind=kind,  # type: ignore[arg-type]
                speaker=speaker,
                speaker_span=Span(*found.speaker_span) if found.speaker_span else None,
                cue=found.cue,
                cue_span=Span(*found.cue_span) if found.cue_span else None,
                channel=org_ids.get(found.channel) if found.channel is not None else None,
            )
        )
    return Analysis(people=people, organizations=organizations, quotes=quotes)
