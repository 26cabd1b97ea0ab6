"""The document stage alone: tokens, paragraphs, sentences, headlines and the helpers."""

from __future__ import annotations

from itertools import pairwise

import pytest

from webapp.analysis.document import (
    build_document,
    looks_like_headline,
    paragraphs,
    sentence_starts,
    tokenize,
)
from webapp.analysis.lexicon import load_lexicon
from webapp.analysis.tuning import HEADLINE_MAX_WORDS

ABBREVIATIONS = load_lexicon().classes.abbreviations


def tokens(text: str) -> list[str]:
    """Return the token texts of a text."""
    return tokenize(text, ABBREVIATIONS)[0]


def kinds_of(text: str) -> dict[str, str]:
    """Return each token text of a text with its kind."""
    words, _, _, kinds = tokenize(text, ABBREVIATIONS)
    return dict(zip(words, kinds, strict=True))


def sentence_texts(text: str) -> list[str]:
    """Return the text of each sentence of a one-paragraph document."""
    doc = build_document(text, headline=False)
    bounds = [*doc.sentences, doc.size]
    return [
        text[doc.starts[first] : doc.ends[following - 1]] for first, following in pairwise(bounds)
    ]


# --- tokenize -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Lanz met Sen. Okoro.", ["Mr.", "Lanz", "met", "Sen.", "Okoro", "."]),
        ("George W. Harmon waved.", ["George", "W.", "Harmon", "waved", "."]),
        ("Tova's cat", ["Tova", "'s", "cat"]),
        ("Tova’s cat", ["Tova", "’s", "cat"]),
        ("Tova‘s cat", ["Tova", "‘s", "cat"]),  # an apostrophe printed wrong way round
        ("I don‘t know.", ["I", "don‘t", "know", "."]),
        ("I don't know.", ["I", "don't", "know", "."]),
        ("A 30-year-old clerk", ["A", "30-year-old", "clerk"]),
        (
            "It cost 3.5 pounds in the 1990s.",
            ["It", "cost", "3.5", "pounds", "in", "the", "1990s", "."],
        ),
        ("She lives in the U.S. now", ["She", "lives", "in", "the", "U.S.", "now"]),
        ("Ask Ned O'Hallow, please!", ["Ask", "Ned", "O'Hallow", ",", "please", "!"]),
        ("the farmers' union", ["the", "farmers", "'", "union"]),
        ("at 10:30 on the 3rd", ["at", "10:30", "on", "the", "3rd"]),
        ('"Go," he said.', ['"', "Go", ",", '"', "he", "said", "."]),
        ("", []),
    ],
)
def test_tokenize_words(text: str, expected: list[str]) -> None:
    """Tokenize splits a text into the expected token texts."""
    assert tokens(text) == expected


def test_tokenize_offsets_of_abbreviation_cover_its_full_stop() -> None:
    """An abbreviation's token runs from its first letter to its full stop."""
    text = "Then Sen. Okoro spoke."
    words, starts, ends, kinds = tokenize(text, ABBREVIATIONS)
    assert list(zip(words, starts, ends, kinds, strict=True)) == [
        ("Then", 0, 4, "word"),
        ("Sen.", 5, 9, "word"),
        ("Okoro", 10, 15, "word"),
        ("spoke", 16, 21, "word"),
        (".", 21, 22, "punct"),
    ]


def test_tokenize_abbreviation_needs_its_stop_glued() -> None:
    """A full stop after a space is its own token even after an abbreviation."""
    assert tokens("He met Mr .") == ["He", "met", "Mr", "."]


def test_tokenize_unknown_abbreviation_loses_its_stop() -> None:
    """A word that is not a listed abbreviation does not keep its full stop."""
    assert tokens("Brig. Ada") == ["Brig", ".", "Ada"]


@pytest.mark.parametrize(
    ("word", "text", "kind"),
    [
        ("U.S.", "in the U.S. now", "initials"),
        ("W.", "George W. Harmon", "initials"),
        ("J.R.", "J.R. Vance", "initials"),
        ("3.5", "a 3.5 rise", "number"),
        ("1990s", "the 1990s boom", "number"),
        ("1,200", "some 1,200 pupils", "number"),
        ("30-year-old", "a 30-year-old clerk", "word"),
        ("don't", "I don't", "word"),
        ("a.m.", "at 9 a.m. today", "word"),
        ("'s", "Tova's cat", "punct"),
        ("—", "yes — no", "punct"),
        ("Sen.", "Sen. Okoro", "word"),
    ],
)
def test_tokenize_kinds(word: str, text: str, kind: str) -> None:
    """Each token gets the kind its text implies."""
    assert kinds_of(text)[word] == kind


def test_tokenize_offsets_slice_the_text() -> None:
    """Every token's [start, end) slices exactly its text out of the original."""
    text = "  Mr. Okoro’s 30-year-old son,\n\tborn in the U.S. in 1990, paid 3.5 pounds!"
    words, starts, ends, _ = tokenize(text, ABBREVIATIONS)
    assert [text[s:e] for s, e in zip(starts, ends, strict=True)] == words
    assert starts[0] == 2


# --- paragraphs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.", ["One."]),
        ("  One.  \n \n\n Two\nlines. \n\n\n", ["One.", "Two", "lines."]),
        ("A.\n\nB.\n\t\nC.", ["A.", "B.", "C."]),
        ("A.\nB.", ["A.", "B."]),
        ("   \n\n  ", []),
        ("", []),
    ],
)
def test_paragraphs_split_at_line_breaks(text: str, expected: list[str]) -> None:
    """Paragraphs are the trimmed lines of a text: news gives a paragraph a line."""
    assert [text[start:end] for start, end in paragraphs(text)] == expected


def test_paragraphs_offsets() -> None:
    """Paragraph offsets exclude the surrounding white space."""
    assert paragraphs("  One.  \n \n\n Two\nlines. \n\n\n") == [(2, 6), (13, 16), (17, 23)]


# --- sentences ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tova left. Bo stayed.", ["Tova left.", "Bo stayed."]),
        ('She said "Go." Then she left.', ['She said "Go."', "Then she left."]),
        ("She said “Go.” Then she left.", ["She said “Go.”", "Then she left."]),
        ('He left. "Stay," she said.', ["He left.", '"Stay," she said.']),
        ("Mr. Lanz met Sen. Okoro. They talked.", ["Mr. Lanz met Sen. Okoro.", "They talked."]),
        ("Really? Yes! 5 men came.", ["Really?", "Yes!", "5 men came."]),
        ("He left. then returned.", ["He left. then returned."]),
        ("It rose 3.5 percent.", ["It rose 3.5 percent."]),
        ("He left.Then returned.", ["He left.Then returned."]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    """Sentences end at a stop followed by a space and a capital, digit or opening mark."""
    assert sentence_texts(text) == expected


def test_closing_quote_stays_in_the_ended_sentence() -> None:
    """A closing mark glued to the full stop belongs to the sentence it ends."""
    text = 'She said "Go." Then she left.'
    doc = build_document(text, headline=False)
    closing = 5
    assert doc.words[closing] == '"'
    assert doc.sentence_of(closing) == 0
    assert doc.sentence_of(closing + 1) == 1
    assert doc.sentences == [0, 6]


def test_sentence_starts_function() -> None:
    """sentence_starts returns the first token and each token after a sentence end."""
    text = "Tova left. Bo stayed. ok"
    words, starts, ends, _ = tokenize(text, ABBREVIATIONS)
    assert sentence_starts(words, starts, ends, text) == [0, 3]
    assert sentence_starts([], [], [], "") == []


@pytest.mark.parametrize(
    ("text", "firsts"),
    [
        ('"Enough!" Jane Roe said. Then she left.', ['"', "Then"]),
        ('"Why now?" asked Jane Roe.', ['"']),
        ('"Enough!" Jane Roe left the room.', ['"', "Jane"]),  # no cue: a new sentence
        ("It rained. Jane Roe said so.", ["It", "Jane"]),  # a full stop always ends one
    ],
)
def test_a_cue_after_an_exclamation_continues_the_sentence(text: str, firsts: list[str]) -> None:
    """A quotation ending in ! or ? and followed by a cue is one sentence with it."""
    doc = build_document(text, headline=False)
    assert [doc.words[i] for i in doc.sentences] == firsts


def test_every_paragraph_starts_a_sentence() -> None:
    """The first token of every paragraph begins a sentence, even in lower case."""
    text = "He waited\n\nthen he left, and\n\nand then came back"
    doc = build_document(text, headline=False)
    assert [doc.words[i] for i in doc.sentences] == ["He", "then", "and"]
    assert doc.sentences == doc.paragraph_first
    assert doc.sentence_offsets == [0, text.index("then"), text.rindex("and then")]
    assert doc.sentence_set == frozenset(doc.sentences)


# --- headlines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mayor Quits Over Bridge Row\n\nTova Quill resigned.", True),
        ("Will the Bridge Survive?\n\nTova Quill resigned.", True),
        ("Tova Quill resigned on Monday.\n\nShe left.", False),
        ('Tova Quill said "never."\n\nShe left.', False),
        ("Mayor Quits Over Bridge Row", False),
        (" ".join(["Word"] * HEADLINE_MAX_WORDS) + "\n\nBody.", True),
        (" ".join(["Word"] * (HEADLINE_MAX_WORDS + 1)) + "\n\nBody.", False),
    ],
)
def test_looks_like_headline(text: str, expected: bool) -> None:
    """A short first paragraph without a final full stop, before more text, is a headline."""
    assert looks_like_headline(text, paragraphs(text)) is expected


def test_headline_detected_from_shape() -> None:
    """With headline=None the shape decides, and headline_end follows the headline."""
    text = "Mayor Quits Over Bridge Row\n\nTova Quill resigned on Monday."
    doc = build_document(text)
    assert doc.headline is True
    assert doc.headline_end == 5
    assert doc.words[: doc.headline_end] == ["Mayor", "Quits", "Over", "Bridge", "Row"]


@pytest.mark.parametrize(
    ("text", "headline", "expected", "end"),
    [
        ("Mayor Quits Over Bridge Row\n\nTova Quill resigned.", False, False, 0),
        ("Tova Quill resigned.", True, True, 4),
        ("Tova Quill resigned.\n\nShe left.", True, True, 4),
        ("Tova Quill resigned.\n\nShe left.", None, False, 0),
        ("", True, False, 0),
    ],
)
def test_headline_argument(text: str, headline: bool | None, expected: bool, end: int) -> None:
    """An explicit headline argument overrides the shape; an empty text has none."""
    doc = build_document(text, headline=headline)
    assert doc.headline is expected
    assert doc.headline_end == end


# --- helpers --------------------------------------------------------------------------------

HELPER_TEXT = "Alpha beta.\nGamma delta.\n\nEpsilon zeta."


def test_token_at() -> None:
    """token_at returns the first token starting at or after an offset."""
    doc = build_document(HELPER_TEXT, headline=False)
    assert doc.token_at(0) == 0
    assert doc.token_at(1) == 1  # inside "Alpha": the next token is "beta"
    assert doc.words[doc.token_at(6)] == "beta"
    assert doc.words[doc.token_at(HELPER_TEXT.index("Epsilon"))] == "Epsilon"
    assert doc.token_at(len(HELPER_TEXT)) == doc.size


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [(0, 1, True), (1, 2, True), (2, 3, False), (3, 5, True), (5, 6, False)],
)
def test_same_line(left: int, right: int, expected: bool) -> None:
    """same_line is False when a line break stands between the two tokens."""
    doc = build_document(HELPER_TEXT, headline=False)
    assert doc.same_line(left, right) is expected


def test_paragraph_tokens() -> None:
    """paragraph_tokens returns the first and last token index of each paragraph."""
    doc = build_document(HELPER_TEXT, headline=False)
    assert doc.paragraph_tokens(0) == (0, 2)
    assert doc.paragraph_tokens(1) == (3, 5)
    assert doc.paragraph_tokens(2) == (6, 8)
    first, last = doc.paragraph_tokens(2)
    assert doc.words[first : last + 1] == ["Epsilon", "zeta", "."]


@pytest.mark.parametrize(("index", "sentence"), [(0, 0), (2, 0), (3, 1), (5, 1), (6, 2), (8, 2)])
def test_sentence_of(index: int, sentence: int) -> None:
    """sentence_of returns the position in doc.sentences of a token's sentence."""
    doc = build_document(HELPER_TEXT, headline=False)
    assert doc.sentences == [0, 3, 6]
    assert doc.sentence_of(index) == sentence


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [(0, 0, "Alpha"), (0, 2, "Alpha beta."), (1, 4, "beta.\nGamma delta"), (6, 8, "Epsilon zeta.")],
)
def test_span(first: int, last: int, expected: str) -> None:
    """span returns the character offsets from a token's start to another's end."""
    doc = build_document(HELPER_TEXT, headline=False)
    start, end = doc.span(first, last)
    assert HELPER_TEXT[start:end] == expected


def test_lists_are_parallel() -> None:
    """The per-token lists have one entry per token and doc.size counts them."""
    text = "Kinfolk Gazette\n\nMr. Okoro’s son, 30, left the U.S. in 1999.\n\nShe said “no.” Bye"
    doc = build_document(text)
    columns = (doc.words, doc.lowers, doc.starts, doc.ends, doc.kinds, doc.capitalized, doc.shaped)
    assert {len(column) for column in columns} == {doc.size}
    assert doc.size == len(tokenize(text, ABBREVIATIONS)[0]) == 22
    assert len(doc.paragraph_first) == len(doc.paragraph_last) == len(doc.paragraphs) == 3
    assert len(doc.sentence_offsets) == len(doc.sentences)
    assert doc.lowers == [word.lower() for word in doc.words]


@pytest.mark.parametrize(
    ("word", "capitalized"),
    [("Okoro", True), ("U.S.", True), ("son", False), ("1999", False), ("“", False)],
)
def test_capitalized(word: str, capitalized: bool) -> None:
    """Words and initials starting with a capital are capitalised; numbers and marks not."""
    doc = build_document("Mr. Okoro’s son left the U.S. in 1999. She said “no.”")
    assert doc.capitalized[doc.words.index(word)] is capitalized
    assert doc.shaped[doc.words.index(word)] is capitalized
