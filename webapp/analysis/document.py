"""The document every stage reads: text, tokens as parallel arrays, sentences, paragraphs.

Built once per text. Tokens are parallel lists (``doc.words[i]``, ``doc.starts[i]``, ...)
rather than one object per token: long texts have hundreds of thousands of them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress
from operator import add, sub

from .lexicon import Lexicon, load_lexicon
from .tuning import CUE_AFTER_EXCLAMATION, HEADLINE_MAX_WORDS

# Each token with the white space before it.
_TOKEN = re.compile(
    r"(\s*)("
    r"(?:[A-Z]\.)+"  # initials: U.S., J.R., W. (their stops are not sentence ends)
    r"|(?:[a-z]\.){2,}"  # a word: a.m., e.g. ...
    r"|[^\W\d_]\w*(?:['’‘\-](?!s\b)[^\W_]\w*)*|\d+(?:[-–][^\W\d_]+)+"  # ... 30-year-old
    r"|\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?"  # a number
    r"|(?<=\w)‘s\b|['’]s\b|\S)"  # the 's of a possessive (also printed ‘s), or any other mark
)
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?")


@lru_cache(maxsize=1 << 16)  # bounded: a server sees endless new words
def token_kind(word: str) -> str:
    """Return a token's kind from its text: word, number, punct or initials."""
    if _INITIALS.fullmatch(word):
        return "initials"
    if word[0].isalpha() or (word[0].isdigit() and not _NUMBER.fullmatch(word)):
        return "word"
    return "number" if word[0].isdigit() else "punct"


@lru_cache(maxsize=1 << 16)
def _capitalized(word: str) -> bool:
    """Return True for a word or initial that starts with a capital letter."""
    return token_kind(word) in ("word", "initials") and word[0].isupper()


# Every line break ends a paragraph: published news gives a paragraph a line, and seed
# files are read into text whose paragraphs are joined by blank lines.
_PARAGRAPH_BREAK = re.compile(r"\n\s*")  # spaces before it are trimmed with the paragraph
_POSSESSIVE = re.compile(r"^(?P<base>.+?)(?P<pos>['’]s?)$")
SENTENCE_END = frozenset(".!?")
CLOSERS = frozenset("\"”’')]»")
OPENING_MARKS = frozenset("\"“‘'`")
POSSESSIVE_MARKS = frozenset(("'s", "’s", "‘s"))  # ‘s: printed wrong way round
APOSTROPHES = frozenset(("'s", "’s", "'", "’"))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return the [start, end) of each paragraph: each line with text, trimmed."""
    spans = []
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((position + lead, position + lead + len(stripped)))
        position = match.end() if match else len(text)
    return spans


def tokenize(
    text: str, abbreviations: frozenset[str]
) -> tuple[list[str], list[int], list[int], list[str]]:
    """Split text into tokens: (texts, starts, ends, kinds); possessive 's is a token.

    An abbreviation ("Mr.", "Sen.") or an initial ("W.") keeps its full stop, which then is
    not a sentence end. Kinds: word, number, punct, initials. The regular expression does
    the work; offsets are sums of lengths, computed in C.
    """
    found = _TOKEN.findall(text)
    if not found:
        return [], [], [], []
    gaps, texts = zip(*found, strict=True)
    words = list(texts)
    lengths = list(map(len, words))
    ends = list(accumulate(map(add, map(len, gaps), lengths)))
    starts = list(map(sub, ends, lengths))
    kinds = list(map(token_kind, words))
    dots = compress(range(len(words)), map(".".__eq__, words))  # found in C, not a loop
    stops = [i for i in dots if i and words[i - 1] in abbreviations and ends[i - 1] == starts[i]]
    if not stops:
        return words, starts, ends, kinds
    keep = bytearray(b"\x01") * len(words)
    for i in stops:  # "Sen." keeps its full stop: it ends no sentence
        words[i - 1] += "."
        ends[i - 1] = ends[i]
        keep[i] = 0
    return tuple(list(compress(column, keep)) for column in (words, starts, ends, kinds))  # type: ignore[return-value]


def sentence_starts(
    words: list[str],
    starts: list[int],
    ends: list[int],
    text: str,
    cues: frozenset[str] = frozenset(),
) -> list[int]:
    """Return the indices of tokens that begin a sentence (the first token always does).

    A quotation that ends in ! or ? ends no sentence when a cue follows within
    CUE_AFTER_EXCLAMATION words: '"Enough!" Jane Roe said.' is one sentence.
    """
    found = [0] if words else []
    count = len(words)
    stops = [i for i, word in enumerate(words) if word in SENTENCE_END]
    for index in stops:
        following = index + 1
        # Closing marks glued to the stop belong to the sentence that ends.
        while (
            following < count
            and words[following] in CLOSERS
            and starts[following] == ends[following - 1]
        ):
            following += 1
        if following >= count:
            break
        first = words[following][0]
        quoted = words[index] != "." and following > index + 1
        if quoted and any(
            word.lower() in cues for word in words[following : following + CUE_AFTER_EXCLAMATION]
        ):
            continue
        if starts[following] > ends[following - 1] and (
            first.isupper() or first.isdigit() or first in OPENING_MARKS
        ):
            found.append(following)
    return found


def looks_like_headline(text: str, spans: list[tuple[int, int]]) -> bool:
    """Return True when the first paragraph is short and not a finished sentence."""
    if len(spans) < 2:
        return False
    first = text[spans[0][0] : spans[0][1]]
    return len(first.split()) <= HEADLINE_MAX_WORDS and not first.rstrip("\"”’'").endswith(".")


@dataclass(frozen=True, eq=False)
class Document:
    """One text as every stage sees it. Never changed after it is built."""

    text: str
    lexicon: Lexicon
    words: list[str]  # token texts
    lowers: list[str]
    starts: list[int]  # token start offsets
    ends: list[int]
    kinds: list[str]  # word | number | punct | initials
    capitalized: list[bool]  # a word or initial that starts with a capital
    shaped: list[bool]  # name-shaped: capitalised, or an initial
    capitals: list[int]  # the indices of the name-shaped tokens
    size: int  # the number of tokens
    paragraphs: list[tuple[int, int]]  # [start, end) offsets of each paragraph
    paragraph_first: list[int]  # first token index of each paragraph
    paragraph_last: list[int]  # last token index of each paragraph
    sentences: list[int]  # sorted token indices that begin a sentence
    sentence_set: frozenset[int]
    sentence_offsets: list[int]  # the offsets of those tokens
    headline: bool  # the first paragraph is a headline
    headline_end: int  # tokens before this index are the headline's (0 without one)

    def token_at(self, offset: int) -> int:
        """Return the index of the first token starting at or after offset."""
        return bisect_left(self.starts, offset)

    def same_line(self, left: int, right: int) -> bool:
        """Return True when no line break stands between two tokens."""
        return "\n" not in self.text[self.ends[left] : self.starts[right]]

    def sentence_of(self, index: int) -> int:
        """Return the position in doc.sentences of the sentence holding token index."""
        return bisect_right(self.sentences, index) - 1

    def paragraph_tokens(self, paragraph: int) -> tuple[int, int]:
        """Return the first and last token indices of a paragraph."""
        return self.paragraph_first[paragraph], self.paragraph_last[paragraph]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Return the character offsets of tokens first..last."""
        return self.starts[first], self.ends[last]


def build_document(
    text: str, *, headline: bool | None = None, lexicon: Lexicon | None = None
) -> Document:
    """Tokenise and segment a text once.

    headline: whether the first paragraph is a headline (None: decide from its shape).
    """
    lexicon = lexicon or load_lexicon()
    words, starts, ends, kinds = tokenize(text, lexicon.classes.abbreviations)
    spans = paragraphs(text)
    firsts = [bisect_left(starts, start) for start, _ in spans]
    begins = set(sentence_starts(words, starts, ends, text, lexicon.cues))
    begins.update(first for first in firsts if first < len(words))  # a paragraph begins one
    ordered = sorted(begins)
    has_headline = looks_like_headline(text, spans) if headline is None else headline
    capitalized = list(map(_capitalized, words))
    return Document(
        text=text,
        lexicon=lexicon,
        words=words,
        lowers=list(map(str.lower, words)),
        starts=starts,
        ends=ends,
        kinds=kinds,
        capitalized=capitalized,
        shaped=capitalized,  # initials are capitals
        capitals=list(compress(range(len(words)), capitalized)),
        size=len(words),
        paragraphs=spans,
        paragraph_first=firsts,
        paragraph_last=[bisect_left(starts, end) - 1 for _, end in spans],
        sentences=ordered,
        sentence_set=frozenset(ordered),
        sentence_offsets=[starts[i] for i in ordered],
        headline=has_headline and bool(spans),
        headline_end=bisect_left(starts, spans[0][1]) if has_headline and spans else 0,
    )
