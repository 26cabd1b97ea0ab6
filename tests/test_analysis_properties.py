"""Property-based tests: analyze() never raises and its output is self-consistent.

Texts are generated to be hostile to the quotation and attribution passes: many quote marks
(straight, curly, guillemets), dashes, line and paragraph breaks, capitalised names and
titles, speech cues and punctuation, mixed with arbitrary Unicode fragments. Hypothesis runs
derandomized and without an example database, so CI sees the same examples every run.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from webapp.analysis import Analysis, analyze

QUOTE_MARKS = ['"', "“", "”", "‘", "’", "'", "«", "»"]
DASHES = ["—", "–", "-", " — ", "--"]
BREAKS = ["\n", "\n\n", "\n\n\n", "\n \n", "\r\n\r\n", "\t"]
NAMES = [
    "Jane",
    "Roe",
    "John",
    "Doe",
    "Maria",
    "Okonkwo-Vale",
    "Anna",
    "Brisk",
    "O'Hale",
    "Minister",
    "President",
    "Dr.",
    "Mr.",
    "Mrs.",
    "Sen.",
    "Prof.",
    "J.",
    "NATO",
    "Reuters",
    "Interfax",
    "Acme Corp",
    "Ministry",
    "The Daily Bugle",
    "Said",
    "He",
    "She",
]
CUES = [
    "said",
    "told",
    "according to",
    "says",
    "added",
    "he",
    "she",
    "the minister",
    "told reporters",
    "he said",
    "she added",
    "said on Monday",
    "in a statement",
    "asked",
    "it",
    "they",
]
WORDS = ["the", "we", "will", "not", "is", "a", "of", "and", "yes", "no", "rock 'n' roll", "'90s"]
PUNCT = [",", ".", ", ", ". ", ":", ";", "?", "!", "…", "(", ")"]

plain_word = st.sampled_from(NAMES + CUES + WORDS)
name_phrase = st.lists(st.sampled_from(NAMES), min_size=1, max_size=3).map(" ".join)
# A quotation glued to its words, possibly unclosed or closed with the wrong mark.
glued_quote = st.tuples(
    st.sampled_from(QUOTE_MARKS),
    st.lists(plain_word, min_size=0, max_size=6).map(" ".join),
    st.sampled_from(["", ",", ".", "?", "!", "…"]),
    st.sampled_from([*QUOTE_MARKS, ""]),
).map("".join)
piece = st.one_of(
    st.sampled_from(QUOTE_MARKS),
    st.sampled_from(QUOTE_MARKS),
    glued_quote,
    glued_quote,
    st.sampled_from(DASHES),
    st.sampled_from(BREAKS),
    st.sampled_from(BREAKS),
    name_phrase,
    st.sampled_from(CUES),
    st.sampled_from(CUES),
    st.sampled_from(PUNCT),
    st.sampled_from(WORDS),
    st.text(max_size=8),
)
texts = st.lists(piece, max_size=60).map(" ".join)
paragraph = st.lists(piece, max_size=20).map(" ".join)
quote_words = st.lists(plain_word, min_size=1, max_size=5).map(" ".join)
quote_pair = st.sampled_from([('"', '"'), ("“", "”"), ("‘", "’"), ("'", "'"), ("«", "»")])


@st.composite
def articles(draw: st.DrawFn) -> str:
    """Paragraphs separated by line breaks; often a headline quote repeated in the body.

    News headlines quote the body ("Roe: 'We will'" ... "We will," said Jane Roe.), which
    sends the engine down its headline path: copy the speaker of the body quotation.
    """
    paragraphs = draw(st.lists(paragraph, max_size=5))
    if draw(st.booleans()):
        opening, closing = draw(quote_pair)
        words = draw(quote_words)
        lead = draw(st.sampled_from(["", "Roe:", "Minister:", "NATO says", "'"]))
        paragraphs.insert(0, f"{lead} {opening}{words}{closing} {draw(paragraph)}".strip())
        cue = draw(st.sampled_from(CUES))
        body = f"{opening}{words},{closing} {cue} {draw(name_phrase)}. {draw(paragraph)}"
        paragraphs.insert(draw(st.integers(1, len(paragraphs))), body)
    if not paragraphs:
        return ""
    text = paragraphs[0]
    for part in paragraphs[1:]:
        text += draw(st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\n"])) + part
    return text


HEADLINES = [None, True, False]
SETTINGS = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def check_in_text(text: str, start: int, end: int, what: str) -> None:
    """Assert that [start, end) is a well-formed range of str indices into text."""
    assert isinstance(start, int) and isinstance(end, int), (what, start, end)
    assert 0 <= start <= end <= len(text), f"{what}: [{start}, {end}) outside 0..{len(text)}"


def check_analysis(text: str, result: Analysis) -> None:
    """Assert every structural invariant of one analysis of text."""
    assert isinstance(result, Analysis)
    person_ids = [p.id for p in result.people]
    org_ids = [o.id for o in result.organizations]
    quote_ids = [q.id for q in result.quotes]
    every_id = person_ids + org_ids + quote_ids
    assert len(every_id) == len(set(every_id)), f"duplicate ids: {every_id}"
    entity_ids = set(person_ids) | set(org_ids)

    for person in result.people:
        for mention in person.mentions:
            check_in_text(text, mention.start, mention.end, f"person {person.id} mention")
    for org in result.organizations:
        for mention in org.mentions:
            check_in_text(text, mention.start, mention.end, f"organization {org.id} mention")

    for quote in result.quotes:
        check_in_text(text, quote.start, quote.end, f"quote {quote.id}")
        assert quote.text == text[quote.start : quote.end], quote
        if quote.speaker_span is not None:
            span = quote.speaker_span
            check_in_text(text, span.start, span.end, f"quote {quote.id} speaker_span")
        if quote.cue_span is not None:
            span = quote.cue_span
            check_in_text(text, span.start, span.end, f"quote {quote.id} cue_span")
        assert quote.speaker is None or quote.speaker in entity_ids, (quote, entity_ids)
        assert quote.channel is None or quote.channel in entity_ids, (quote, entity_ids)
        if quote.speaker is not None:
            span = quote.speaker_span
            assert span is not None and span.end > span.start, (
                f"quote {quote.id} has speaker {quote.speaker} but speaker_span {span}"
            )

    json.dumps(result.to_json())


@pytest.mark.parametrize(
    "headline", HEADLINES, ids=["headline=auto", "headline=True", "headline=False"]
)
@SETTINGS
@given(text=texts)
def test_analyze_output_is_consistent(headline: bool | None, text: str) -> None:
    """Any mix of marks, dashes, breaks, names and cues: no error, consistent output."""
    check_analysis(text, analyze(text, headline=headline))


@pytest.mark.parametrize(
    "headline", HEADLINES, ids=["headline=auto", "headline=True", "headline=False"]
)
@SETTINGS
@given(text=articles())
# A headline quotation repeating a body quotation takes the body's speaker.
@example(text='"Yes"\n\n"Yes," said Jane Roe.')
# A quotation that continues the previous one takes its speaker.
@example(text='"Yes," said Jane. “No')
def test_analyze_articles_are_consistent(headline: bool | None, text: str) -> None:
    """Article-shaped texts (paragraphs, headline echoing a quotation): consistent output."""
    check_analysis(text, analyze(text, headline=headline))


@SETTINGS
@given(text=st.text(max_size=200))
def test_analyze_arbitrary_unicode(text: str) -> None:
    """Any Unicode text at all: no error, consistent output."""
    check_analysis(text, analyze(text))
