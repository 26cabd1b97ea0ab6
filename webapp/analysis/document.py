"""The document every stage reads: text, tokens as parallel arrays, sentences, paragraphs.

Built once per text. Tokens are parallel lists (``doc.words[i]``, ``doc.starts[i]``, ...)
rather than one object per token: long texts have hundreds of thousands of them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .lexicon import Lexicon, load_lexicon
from .tuning import HEADLINE_MAX_WORDS

_TOKEN = re.compile(
    r"(?P<initials>(?:[A-Z]\.){2,})"
    r"|(?P<abbreviation>(?:[a-z]\.){2,})"  # a.m., p.m., e.g., i.e.: not sentence ends
    r"|(?P<word>[^\W\d_]\w*(?:['’\-][^\W_]\w*)*|\d+(?:[-–][^\W\d_]+)+)"
    r"|(?P<number>\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?)"
    r"|(?P<punct>\S)"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_POSSESSIVE = re.compile(r"^(?P<base>.+?)(?P<pos>['’]s?)$")
SENTENCE_END = frozenset(".!?")
CLOSERS = frozenset("\"”’')]»")
OPENING_MARKS = frozenset("\"“‘'")
POSSESSIVE_MARKS = frozenset(("'s", "’s"))
APOSTROPHES = frozenset(("'s", "’s", "'", "’"))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return the [start, end) of each paragraph: text between blank lines, trimmed."""
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
    not a sentence end. Kinds: word, number, punct, initials.
    """
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    kinds: list[str] = []

    def add(word: str, a: int, b: int, kind: str) -> None:
        words.append(word)
        starts.append(a)
        ends.append(b)
        kinds.append(kind)

    end = len(text)
    absorbed = -1  # offset of a full stop already made part of the token before it
    for match in _TOKEN.finditer(text):
        a, b = match.span()
        if a == absorbed:
            continue
        kind = match.lastgroup or "punct"
        word = match.group()
        if kind == "abbreviation":
            kind = "word"
        if kind != "word":
            add(word, a, b, kind)
            continue
        if (
            b < end
            and text[b] == "."
            and (word in abbreviations or (len(word) == 1 and word.isupper()))
        ):
            absorbed = b
            add(word + ".", a, b + 1, "word" if len(word) > 1 else "initials")
            continue
        apostrophe = word[-1] in "'’" or (len(word) > 2 and word[-2] in "'’")
        split = _POSSESSIVE.match(word) if apostrophe else None
        if split and len(split["base"]) > 1:
            cut = a + len(split["base"])
            add(split["base"], a, cut, kind)
            add(split["pos"], cut, b, "punct")
            continue
        add(word, a, b, kind)
    return words, starts, ends, kinds


def sentence_starts(words: list[str], starts: list[int], ends: list[int], text: str) -> list[int]:
    """Return the indices of tokens that begin a sentence (the first token always does)."""
    found = [0] if words else []
    count = len(words)
    for index in range(count - 1):
        if words[index] not in SENTENCE_END:
            continue
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
    paragraphs: list[tuple[int, int]]  # [start, end) offsets of each paragraph
    paragraph_first: list[int]  # first token index of each paragraph
    sentences: list[int]  # sorted token indices that begin a sentence
    sentence_set: frozenset[int]
    sentence_offsets: list[int]  # the offsets of those tokens
    headline: bool  # the first paragraph is a headline
    headline_end: int  # tokens before this index are the headline's (0 without one)

    def __len__(self) -> int:
        return len(self.words)

    def token_at(self, offset: int) -> int:
        """Return the index of the first token starting at or after offset."""
        return bisect_left(self.starts, offset)

    def same_line(self, left: int, right: int) -> bool:
        """Return True when no line break stands between two tokens."""
        return "\n" not in self.text[self.ends[left] : self.starts[right]]

    def name_shaped(self, index: int) -> bool:
        """Return True for a capitalised word or an initial."""
        return self.capitalized[index] or self.kinds[index] == "initials"

    def sentence_of(self, index: int) -> int:
        """Return the position in doc.sentences of the sentence holding token index."""
        return bisect_right(self.sentences, index) - 1

    def paragraph_tokens(self, paragraph: int) -> tuple[int, int]:
        """Return the first and last token indices of a paragraph."""
        end = self.paragraphs[paragraph][1]
        return self.paragraph_first[paragraph], self.token_at(end) - 1

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
    words, starts, ends, kinds = tokenize(text, lexicon["abbreviations"])
    spans = paragraphs(text)
    firsts = [bisect_left(starts, start) for start, _ in spans]
    begins = set(sentence_starts(words, starts, ends, text))
    begins.update(first for first in firsts if first < len(words))  # a paragraph begins one
    ordered = sorted(begins)
    has_headline = looks_like_headline(text, spans) if headline is None else headline
    return Document(
        text=text,
        lexicon=lexicon,
        words=words,
        lowers=[w.lower() for w in words],
        starts=starts,
        ends=ends,
        kinds=kinds,
        capitalized=[
            (k == "word" or k == "initials") and w[0].isupper()
            for w, k in zip(words, kinds, strict=True)
        ],
        paragraphs=spans,
        paragraph_first=firsts,
        sentences=ordered,
        sentence_set=frozenset(ordered),
        sentence_offsets=[starts[i] for i in ordered],
        headline=has_headline and bool(spans),
        headline_end=bisect_left(starts, spans[0][1]) if has_headline and spans else 0,
    )
