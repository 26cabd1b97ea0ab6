"""Find quotation spans: straight and curly marks, nesting, apostrophes, multi-paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = frozenset("“„«")
DOUBLE_CLOSE = frozenset("”»")
SINGLE_OPEN = frozenset("‘‹")
SINGLE_CLOSE = frozenset("’›")
_MARKS = DOUBLE_OPEN | DOUBLE_CLOSE | SINGLE_OPEN | SINGLE_CLOSE | {'"', "'"}
_MARK = re.compile("[" + re.escape("".join(sorted(_MARKS))) + "]")
# Characters after which a mark opens a quotation rather than closes one.
_OPENING_CONTEXT = frozenset(" \t\n([{—–-/:;") | DOUBLE_OPEN | SINGLE_OPEN | {'"', "'"}
# Elisions that start with an apostrophe: '90s, 'n', 'em, 'til, 'cause, 'tis.
_ELISION = re.compile(r"['‘’](?:\d\d|n['’]|em\b|til\b|cause\b|tis\b|twas\b|round\b|bout\b)", re.I)


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation: [start, end) includes its marks; inner_* excludes them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool
    paragraph: int
    marks: str  # "double" | "single"


@dataclass
class _Open:
    position: int
    marks: str
    straight: bool


def find_quotes(text: str, paragraph_spans: list[tuple[int, int]]) -> list[QuoteSpan]:
    """Return the outermost quotations of every paragraph, in text order."""
    found: list[QuoteSpan] = []
    for number, (start, end) in enumerate(paragraph_spans):
        found.extend(_paragraph_quotes(text, start, end, number))
    return found


def _paragraph_quotes(text: str, start: int, end: int, number: int) -> list[QuoteSpan]:
    """Pair the marks of one paragraph with a stack; an unclosed outer quote runs to its end."""
    spans: list[QuoteSpan] = []
    stack: list[_Open] = []
    elided: set[int] = set()  # the second mark of rock 'n' roll
    for found in _MARK.finditer(text, start, end):
        position = found.start()
        char = text[position]
        if position in elided:
            continue
        if (
            char in "'‘’"
            and (match := _ELISION.match(text, position))
            and match.group()[-1] in "'’"
        ):
            elided.add(match.end() - 1)
        action = _classify(text, position, start, end, stack)
        if action == "open":
            marks = "double" if char in DOUBLE_OPEN or char == '"' else "single"
            stack.append(_Open(position, marks, char in "\"'"))
        elif action == "close":
            opened = stack.pop()
            if not stack:
                spans.append(
                    QuoteSpan(
                        opened.position,
                        position + 1,
                        opened.position + 1,
                        position,
                        True,
                        number,
                        opened.marks,
                    )
                )
    if stack:
        opened = stack[0]
        inner_end = end
        spans.append(
            QuoteSpan(
                opened.position, end, opened.position + 1, inner_end, False, number, opened.marks
            )
        )
    return [span for span in spans if text[span.inner_start : span.inner_end].strip()]


def _classify(text: str, position: int, start: int, end: int, stack: list[_Open]) -> str:
    """Decide whether the mark at position opens, closes or is an apostrophe ("skip")."""
    char = text[position]
    before = text[position - 1] if position > start else " "
    after = text[position + 1] if position + 1 < end else " "
    top = stack[-1] if stack else None
    if char in DOUBLE_OPEN:
        return "open"
    if char in DOUBLE_CLOSE:
        return "close" if top and top.marks == "double" else "skip"
    if char == '"':
        if top and top.marks == "double" and top.straight:
            return "close"
        if before in _OPENING_CONTEXT and not after.isspace():
            return "open"
        return "close" if top and top.marks == "double" else "skip"
    # Single marks: quotation marks only where an apostrophe cannot be.
    opens = before in _OPENING_CONTEXT and (after.isalnum() or after in '"“…')
    if char in SINGLE_OPEN or (char == "'" and opens):
        if _ELISION.match(text, position):
            return "skip"
        return "open" if opens or char in SINGLE_OPEN else "skip"
    closes = not before.isspace() and not after.isalnum()
    if closes and top and top.marks == "single":
        if _looks_possessive(text, position, end):
            return "skip"
        return "close"
    return "skip"


def _looks_possessive(text: str, position: int, end: int) -> bool:
    """Return True for farmers' union: s + mark + a lower-case word, with a closer later on."""
    if text[position - 1] not in "sSzZ" or not text.startswith(" ", position + 1):
        return False
    if position + 2 >= end or not text[position + 2].islower():
        return False
    for later in range(position + 2, end):
        if text[later] in "‘" or (text[later] == "'" and text[later - 1].isspace()):
            return False  # a new quotation opens first: this mark closed the last one
        if text[later] in "’'" and not text[later - 1].isspace():
            following = text[later + 1] if later + 1 < end else " "
            if not following.isalnum():
                return True
    return False
