"""Paragraphs, tokens and sentences with their offsets: the engine's view of raw text."""

from __future__ import annotations

import re

from . import words

ABBREVIATIONS = words.word_class("abbreviations")
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


class Token:
    """A word, number or punctuation mark at [start, end) of the text.

    A slotted class rather than a dataclass: texts have hundreds of thousands of tokens,
    and the lower-case form and capitalisation are read far more often than built.
    """

    __slots__ = ("end", "is_capitalized", "kind", "lower", "start", "text")

    def __init__(self, text: str, start: int, end: int, kind: str) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.kind = kind  # word | number | punct | initials
        self.lower = text.lower()
        self.is_capitalized = kind in ("word", "initials") and text[0].isupper()

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end}, {self.kind!r})"


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


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Split text[start:end] into tokens; possessive 's becomes a token of its own.

    An abbreviation ("Mr.", "Sen.") or an initial ("W.") keeps its full stop, which then is
    not a sentence end.
    """
    end = len(text) if end is None else end
    tokens: list[Token] = []
    append = tokens.append
    absorbed = -1  # offset of a full stop already made part of the token before it
    for match in _TOKEN.finditer(text, start, end):
        a, b = match.span()
        if a == absorbed:
            continue
        kind = match.lastgroup or "punct"
        word = text[a:b]
        if kind == "abbreviation":
            kind = "word"
        if kind != "word":
            append(Token(word, a, b, kind))
            continue
        if (
            b < end
            and text[b] == "."
            and (word in ABBREVIATIONS or (len(word) == 1 and word.isupper()))
        ):
            absorbed = b
            append(Token(word + ".", a, b + 1, "word" if len(word) > 1 else "initials"))
            continue
        apostrophe = word[-1] in "'’" or (len(word) > 2 and word[-2] in "'’")
        split = _POSSESSIVE.match(word) if apostrophe else None
        if split and len(split["base"]) > 1:
            cut = a + len(split["base"])
            append(Token(split["base"], a, cut, kind))
            append(Token(split["pos"], cut, b, "punct"))
            continue
        append(Token(word, a, b, kind))
    return tokens


def sentence_starts(tokens: list[Token], text: str) -> list[int]:
    """Return the indices of tokens that begin a sentence (the first token always does)."""
    starts = [0] if tokens else []
    for index, token in enumerate(tokens[:-1]):
        if token.kind != "punct" or token.text not in SENTENCE_END:
            continue
        following = index + 1
        # Closing marks glued to the stop belong to the sentence that ends.
        while (
            following < len(tokens)
            and tokens[following].text in CLOSERS
            and tokens[following].start == tokens[following - 1].end
        ):
            following += 1
        if following >= len(tokens):
            break
        nxt = tokens[following]
        gap = text[tokens[following - 1].end : nxt.start]
        if gap and (nxt.text[0].isupper() or nxt.text[0].isdigit() or nxt.text in "\"“‘'"):
            starts.append(following)
    return starts
