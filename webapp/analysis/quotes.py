"""Find quotation spans: straight and curly marks, nesting, apostrophes, multi-paragraph."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import accumulate
from typing import NamedTuple

from .document import Document
from .tuning import TRANSCRIPT_MIN_LINES, WINDOW_TOKENS

DOUBLE_OPEN = frozenset("“„«")
DOUBLE_CLOSE = frozenset("”»")
SINGLE_OPEN = frozenset("‘‹")
SINGLE_CLOSE = frozenset("’›")
_MARKS = DOUBLE_OPEN | DOUBLE_CLOSE | SINGLE_OPEN | SINGLE_CLOSE | {'"', "'"}
_MARK = re.compile("[" + re.escape("".join(sorted(_MARKS | {"`"}))) + "]")
_APOSTROPHES = re.compile("'+")
# Characters after which a mark opens a quotation rather than closes one.
_OPENING_CONTEXT = frozenset(" \t\n([{—–-/:;") | DOUBLE_OPEN | SINGLE_OPEN | {'"', "'"}


class _Elision(NamedTuple):
    """Elisions that start with an apostrophe ('90s, 'n', 'em, 'til), and their first letters."""

    pattern: re.Pattern[str]
    firsts: frozenset[str]  # a mark followed by anything else is no elision

    def at(self, text: str, position: int) -> re.Match[str] | None:
        """Return the elision that starts at the mark at position, if one does."""
        following = text[position + 1 : position + 2]
        return self.pattern.match(text, position) if following in self.firsts else None


@cache
def _elision(words: frozenset[str]) -> _Elision:
    """Return the elisions of the lexicon's list, with digits ('90s) and rock 'n' roll."""
    listed = "|".join(re.escape(w.replace("'", "")) for w in sorted(words))
    pattern = re.compile(rf"['‘’](?:\d\d|n['’]|(?:{listed})\b)", re.IGNORECASE)
    letters = {w[0] for w in words} | set("n0123456789")
    return _Elision(pattern, frozenset(letters | {c.upper() for c in letters}))


class QuoteSpan(NamedTuple):
    """A quotation: [start, end) includes its marks; inner_* excludes them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool
    paragraph: int
    marks: str  # "double" | "single" | "label" (a transcript line: "ROE: ...", no marks)


class Window(NamedTuple):
    """A quotation with the tokens of its sentence before and after it, outside quotations."""

    number: int  # the quotation's index in Quotes.spans
    span: QuoteSpan
    first: int  # first token index of the quotation
    last: int  # last token index of the quotation
    before: tuple[int, ...]  # nearest tokens of its sentence before it, outside quotations
    after: tuple[int, ...]  # nearest tokens of its sentence after it, outside quotations

    @property
    def tokens(self) -> frozenset[int]:
        """Return every token of both windows."""
        return frozenset(self.before) | frozenset(self.after)


@dataclass(frozen=True, eq=False)
class Quotes:
    """The quotation spans of a document and the token facts the other stages ask about."""

    spans: list[QuoteSpan]
    inside: frozenset[int]  # token indices inside some quotation, marks included
    firsts: list[int]  # the first token index of each quotation
    outside: tuple[int, ...]  # every token index outside quotations, in order
    first_set: frozenset[int]
    offsets: list[int]  # the start offset of each quotation
    windows: list[Window]

    def contains(self, offset: int) -> bool:
        """Return True if the offset lies inside a quotation."""
        position = bisect_right(self.offsets, offset) - 1
        return position >= 0 and offset < self.spans[position].end


def _windows(doc: Document, quotes: Quotes, afters: list[int]) -> list[Window]:
    """Build each quotation's windows: its sentence, outside quotations, WINDOW_TOKENS each way."""
    inside, starts, outside = quotes.inside, doc.sentences, quotes.outside
    # rank[i]: how many tokens before token i are outside quotations (a slice of outside).
    rank = [0, *accumulate(i not in inside for i in range(doc.size))]
    windows = []
    for number, (span, first, after_start) in enumerate(
        zip(quotes.spans, quotes.firsts, afters, strict=True)
    ):
        floor = max(doc.paragraph_first[span.paragraph], first - WINDOW_TOKENS)
        sentence_lo = floor
        position = bisect_right(starts, first) - 1
        while position >= 0 and starts[position] >= floor:
            if starts[position] == first or starts[position] not in inside:
                sentence_lo = starts[position]
                break
            position -= 1
        ceiling = min(doc.paragraph_last[span.paragraph] + 1, after_start + WINDOW_TOKENS)
        sentence_hi = ceiling
        position = bisect_right(starts, after_start)
        while position < len(starts) and starts[position] < ceiling:
            if starts[position] not in inside or starts[position] in quotes.first_set:
                sentence_hi = starts[position]
                break
            position += 1
        before = outside[rank[sentence_lo] : rank[first]]
        after = outside[rank[after_start] : rank[sentence_hi]]
        windows.append(Window(number, span, first, after_start - 1, before, after))
    return windows


@dataclass
class _Open:
    position: int
    marks: str
    straight: bool
    width: int = 1  # 2 for a '' pair


_LABEL = re.compile(
    r"(?P<label>[A-Z][A-Z'’.\-]*(?: [A-Z][A-Z'’.\-]*){0,3})(?:, [A-Z][A-Z ]*)?:[ \t]+(?=\S)"
)


def transcript_lines(doc: Document) -> dict[int, QuoteSpan]:
    """Return the lines of a transcript or Q&A, by paragraph: "ODUYA: It's 4:30 ...", "Q: ...".

    A paragraph that opens with a label in capitals and a colon is its speaker's words, in a
    text where some label comes back (speakers take turns; "UPDATE:" once is no transcript).
    """
    found = {}
    speakers: Counter[str] = Counter()
    for number, (start, end) in enumerate(doc.paragraphs):
        match = _LABEL.match(doc.text, start, end)
        if match and any(c.isalpha() for c in match["label"]):
            found[number] = QuoteSpan(match.end(), end, match.end(), end, True, number, "label")
            speakers[match["label"].split()[-1]] += 1
    # Speakers take turns, so some label comes back; a list of headings ("BURGLARY:") does not.
    turns = any(count >= TRANSCRIPT_MIN_LINES for count in speakers.values())
    return found if turns else {}


def find_quotes(doc: Document) -> Quotes:
    """Return the outermost quotations of every paragraph, in text order, with their windows."""
    found: list[QuoteSpan] = []
    elision = _elision(doc.lexicon.classes.elisions)
    labelled = transcript_lines(doc)
    for number, (start, end) in enumerate(doc.paragraphs):
        if number in labelled:
            found.append(labelled[number])  # the whole line is speech; marks inside are nested
        else:
            found.extend(_paragraph_quotes(doc.text, start, end, number, elision))
    inside: set[int] = set()
    firsts, afters = [], []
    starts = doc.starts
    for span in found:
        first, after = bisect_left(starts, span.start), bisect_left(starts, span.end)
        inside.update(range(first, after))
        firsts.append(first)
        afters.append(after)
    outside = tuple(i for i in range(doc.size) if i not in inside)
    quotes = Quotes(
        found, frozenset(inside), firsts, outside, frozenset(firsts), [q.start for q in found], []
    )
    quotes.windows.extend(_windows(doc, quotes, afters))
    return quotes


def _marks(text: str, start: int, end: int) -> list[tuple[int, str, int]]:
    """Return (position, mark, width) of the paragraph's marks.

    Two straight apostrophes in a row are one straight double mark, as some newspapers
    print them (''like this''); they are read as '"' from here on. Digitised archives open
    with backticks (``like this''): two are an opening double mark, one a single.
    """
    if text.find("''", start, end) < 0 and text.find("`", start, end) < 0:
        return [(m.start(), m.group(), 1) for m in _MARK.finditer(text, start, end)]
    found: list[tuple[int, str, int]] = []
    for match in _MARK.finditer(text, start, end):
        position = match.start()
        if found and found[-1][0] + found[-1][2] > position:
            continue  # an apostrophe of a run already taken
        if text[position] == "`":
            pair = text.startswith("``", position)
            found.append((position, "“", 2) if pair else (position, "‘", 1))
            continue
        if text[position] != "'" or not text.startswith("''", position):
            found.append((position, text[position], 1))
            continue
        run = _APOSTROPHES.match(text, position, end).end() - position  # type: ignore[union-attr]
        if run % 2:  # three in a row close a single mark first, then the pair
            found.append((position, "'", 1))
            position += 1
        found.extend((at, '"', 2) for at in range(position, position + run - run % 2, 2))
    return found


def _paragraph_quotes(
    text: str, start: int, end: int, number: int, elision: _Elision
) -> list[QuoteSpan]:
    """Pair the marks of one paragraph with a stack; an unclosed outer quote runs to its end."""
    spans: list[QuoteSpan] = []
    stack: list[_Open] = []
    elided: set[int] = set()  # the second mark of rock 'n' roll
    marks = _marks(text, start, end)
    events = _MarkEvents(text, marks, end)
    paragraph = (start, end)
    for position, char, width in marks:
        if position in elided:
            continue
        match = None
        if char in "'‘’" and text[position + 1 : position + 2] in elision.firsts:
            match = elision.at(text, position)
            if match and match.group()[-1] in "'’":
                elided.add(match.end() - 1)
        mark = (position, char, width)
        action = _classify(text, mark, paragraph, stack, events, match is not None)
        if action == "open":
            kind = "double" if char in DOUBLE_OPEN or char == '"' else "single"
            stack.append(_Open(position, kind, char in "\"'", width))
        elif action == "close":
            opened = stack.pop()
            inner_start = opened.position + opened.width
            if not stack and text[inner_start:position].strip():
                spans.append(
                    QuoteSpan(
                        opened.position,
                        position + width,
                        inner_start,
                        position,
                        True,
                        number,
                        opened.marks,
                    )
                )
    if stack:
        opened = stack[0]
        inner = (opened.position + opened.width, end)
        spans.append(QuoteSpan(opened.position, end, *inner, False, number, opened.marks))
    return [
        span for span in spans if span.closed or text[span.inner_start : span.inner_end].strip()
    ]


def _classify(
    text: str,
    mark: tuple[int, str, int],
    paragraph: tuple[int, int],
    stack: list[_Open],
    events: _MarkEvents,
    elided: bool,
) -> str:
    """Decide whether a mark (position, mark, width) opens, closes or is an apostrophe."""
    start, end = paragraph
    position, char, width = mark
    before = text[position - 1] if position > start else " "
    after = text[position + width] if position + width < end else " "
    top = stack[-1] if stack else None
    if char in DOUBLE_OPEN:
        if top and top.marks == "double" and before not in _OPENING_CONTEXT and not after.isalnum():
            return "close"  # “It's unusual,“ said X: a closing mark typed the wrong way round
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
    if before.isalpha() and after.isalpha():
        return "skip"  # inside a word: an apostrophe, also printed wrong way round (Trump‘s)
    opens = before in _OPENING_CONTEXT and (after.isalnum() or after in '"“…')
    if char in SINGLE_OPEN or (char == "'" and opens):
        if elided:
            return "skip"
        return "open" if opens or char in SINGLE_OPEN else "skip"
    closes = not before.isspace() and not after.isalnum()
    if closes and top and top.marks == "single":
        if _looks_possessive(text, position, end, events):
            return "skip"
        return "close"
    return "skip"


class _MarkEvents:
    """Where a quotation opens, and where a single quotation may close, in one paragraph.

    Read once, and only if a mark may be a possessive, so _looks_possessive can bisect.
    """

    def __init__(self, text: str, marks: list[tuple[int, str, int]], end: int) -> None:
        self.text, self.marks, self.end = text, marks, end

    @cached_property
    def lists(self) -> tuple[list[int], list[int]]:
        """Return the opening positions and the possible single closing positions."""
        singles = [position for position, _, width in self.marks if width == 1]
        return _mark_events(self.text, singles, self.end)


def _mark_events(text: str, marks: list[int], end: int) -> tuple[list[int], list[int]]:
    """Return the positions where a quotation opens and where a single quotation may close."""
    opens, closes = [], []
    for later in marks:
        char = text[later]
        before_space = later > 0 and text[later - 1].isspace()
        glued = later > 0 and text[later - 1].isalpha()  # Trump‘s: an apostrophe
        if (char == "‘" and not glued) or (char == "'" and before_space):
            opens.append(later)
        elif char in "’'" and not before_space:
            following = text[later + 1] if later + 1 < end else " "
            if not following.isalnum():
                closes.append(later)
    return opens, closes


def _looks_possessive(text: str, position: int, end: int, events: _MarkEvents) -> bool:
    """Return True for farmers' union: s + mark + a lower-case word, with a closer later on.

    A new quotation opening before that closer means this mark closed the last one.
    """
    if text[position - 1] not in "sSzZ" or not text.startswith(" ", position + 1):
        return False
    if position + 2 >= end or not text[position + 2].islower():
        return False
    opens, closes = events.lists
    next_open = bisect_left(opens, position + 2)
    next_close = bisect_left(closes, position + 2)
    if next_close >= len(closes):
        return False
    return next_open >= len(opens) or closes[next_close] < opens[next_open]
