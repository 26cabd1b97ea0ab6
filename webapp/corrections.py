"""Owners' corrections, applied on top of an analysis: pure functions over text.

A correction says of some words of an article either "these are a quotation of X" (the
engine gave them another speaker, or missed them) or "these are not a quotation" (a title,
a scare quote). It never points at the engine's rows, which every analysis replaces: it is
anchored to the text as a W3C Web Annotation is (a TextQuoteSelector with its prefix and
suffix, and a TextPositionSelector), so it finds its words again after an edit elsewhere in
the text, and when they are gone it is orphaned, never moved onto other words.
https://www.w3.org/TR/annotation-model/#text-quote-selector
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from webapp.analysis.result import Analysis, Organization, Person, Quote, Span

CONTEXT = 32  # characters of text kept on each side of the words
# Words found at another place are taken only with this much of their context unchanged
# on one side (or all of it, where the text has less): the same words elsewhere, in other
# surroundings, are other words.
CONTEXT_NEEDED = 8
REASON = "corrected"  # the reason stored for a quotation a correction decided
OPENING_MARKS = "\"“‘'«‹„`"

Action = Literal["speaker", "not_speech"]
SpeakerKind = Literal["person", "organization", "unnamed"]


@dataclass(frozen=True)
class Anchor:
    """Where a correction's words were: the words, some text around them, their place."""

    words: str
    before: str
    after: str
    start: int
    end: int


class Stored(Protocol):
    """What applying needs of a stored correction (models.Correction has these)."""

    id: int
    words: str
    before: str
    after: str
    start: int
    end: int
    action: str
    speaker_kind: str | None
    speaker_name: str | None
    speaker_role: str | None


@dataclass(frozen=True)
class Change:
    """What corrections did to one quotation of the analysis."""

    kind: Literal["speaker", "added"]
    engine_speaker: str | None  # the engine's speaker's name (None: unnamed, or no quotation)


@dataclass(frozen=True)
class Outcome:
    """Where a correction's words are in this text (None: orphaned, not applied)."""

    correction_id: int
    anchor: Anchor | None


@dataclass
class Corrected:
    """An analysis with corrections applied, what they changed and where each one is."""

    analysis: Analysis
    changes: dict[str, Change]  # quotation id -> what was changed
    outcomes: list[Outcome]

    @property
    def orphaned(self) -> list[int]:
        """Return the ids of the corrections whose words are gone from the text."""
        return [o.correction_id for o in self.outcomes if o.anchor is None]


def anchor_at(text: str, start: int, end: int) -> Anchor:
    """Return the anchor of text[start:end], with up to CONTEXT characters each side."""
    return Anchor(
        words=text[start:end],
        before=text[max(0, start - CONTEXT) : start],
        after=text[end : end + CONTEXT],
        start=start,
        end=end,
    )


def locate(text: str, anchor: Anchor) -> Anchor | None:
    """Return where anchor's words are in text now, with their new context, or None.

    Every place the words occur is scored by how much of their old context is still
    around them; the best wins, the nearest to the old place among equals. A place with
    too little of the old context is not taken: the owner corrected those words there.
    """
    words = anchor.words
    if not words:
        return None
    best: tuple[int, int, int] | None = None  # (context kept, -distance, start)
    position = text.find(words)
    while position >= 0:
        kept = _context_kept(text, position, position + len(words), anchor)
        if position == anchor.start or kept >= _needed(anchor):
            score = (kept, -abs(position - anchor.start), position)
            if best is None or score[:2] > best[:2]:
                best = score
        position = text.find(words, position + 1)
    if best is None:
        return None
    start = best[2]
    return anchor_at(text, start, start + len(words))


def _context_kept(text: str, start: int, end: int, anchor: Anchor) -> int:
    """Return how many characters of anchor's context are unchanged next to [start, end):
    the longest common end of the text before, plus the longest common start after."""
    before = text[max(0, start - len(anchor.before)) : start]
    kept = 0
    while kept < len(before) and before[-1 - kept] == anchor.before[-1 - kept]:
        kept += 1
    after = text[end : end + len(anchor.after)]
    following = 0
    while following < len(after) and after[following] == anchor.after[following]:
        following += 1
    return kept + following


def _needed(anchor: Anchor) -> int:
    """Return the context a moved anchor must keep (less where the text had less)."""
    return min(CONTEXT_NEEDED, max(len(anchor.before), len(anchor.after)))


def anchor_of(correction: Stored) -> Anchor:
    """Return a stored correction's anchor."""
    return Anchor(
        correction.words, correction.before, correction.after, correction.start, correction.end
    )


def apply_corrections(
    text: str,
    analysis: Analysis,
    corrections: Iterable[Stored],
    shown: Callable[[int, int], bool] | None = None,
) -> Corrected:
    """Return the analysis with the corrections applied, oldest first (a later one wins).

    shown(start, end) says whether words show on the page; words that do not are treated
    as gone. The analysis given is not changed.
    """
    result = copy.deepcopy(analysis)
    changes: dict[str, Change] = {}
    outcomes: list[Outcome] = []
    for correction in corrections:
        found = locate(text, anchor_of(correction))
        if found is not None and shown is not None and not shown(found.start, found.end):
            found = None
        outcomes.append(Outcome(correction.id, found))
        if found is None:
            continue
        span = Span(found.start, found.end)
        if correction.action == "not_speech":
            _drop_quotes(result, changes, [q for q in result.quotes if _covers(q, span)])
        else:
            _give_speaker(text, result, changes, correction, span)
    _follow_continuations(result, changes)
    return Corrected(result, changes, outcomes)


def _follow_continuations(result: Analysis, changes: dict[str, Change]) -> None:
    """Give a quotation that continues a corrected one (the engine's reason
    "continues:<id>") the corrected speaker too: the engine took its speaker from there.
    One the owner corrected itself keeps its own."""
    by_id = {quote.id: quote for quote in result.quotes}
    for quote in sorted(result.quotes, key=lambda q: q.start):
        rule, _, earlier = (quote.reason or "").partition(":")
        if rule != "continues" or quote.id in changes or earlier not in changes:
            continue
        if earlier not in by_id:
            continue
        changes[quote.id] = Change("speaker", _name(result, quote.speaker))
        quote.speaker = by_id[earlier].speaker
        quote.speaker_span = None


def _overlap(quote: Quote, span: Span) -> int:
    return min(quote.end, span.end) - max(quote.start, span.start)


def _covers(quote: Quote, span: Span) -> bool:
    """Return whether quote and span are mostly the same words: more than half of the
    shorter one is shared (an engine may take a quotation's marks in or leave them out)."""
    return 2 * _overlap(quote, span) > min(quote.end - quote.start, span.end - span.start)


def _drop_quotes(result: Analysis, changes: dict[str, Change], dropped: list[Quote]) -> None:
    ids = {quote.id for quote in dropped}
    result.quotes = [q for q in result.quotes if q.id not in ids]
    for quote_id in ids:
        changes.pop(quote_id, None)


def _give_speaker(
    text: str, result: Analysis, changes: dict[str, Change], correction: Stored, span: Span
) -> None:
    """Make the words at span a quotation of the correction's speaker: the engine's
    quotation of the same words, or a new one where the engine found none."""
    speaker = _speaker_id(text, result, correction)
    same = [q for q in result.quotes if _covers(q, span)]
    if same:
        quote = max(same, key=lambda q: _overlap(q, span))
        earlier = changes.get(quote.id)
        if earlier is None:
            changes[quote.id] = Change("speaker", _name(result, quote.speaker))
        quote.speaker = speaker
        # The engine's evidence no longer decides it: neither its words naming the speaker
        # nor its cue and channel ("told Interfax"), which were said of the engine's speaker.
        quote.speaker_span = None
        quote.cue = quote.cue_span = quote.channel = None
        quote.reason = REASON
        return
    # Words the engine missed: they replace any quotation they cut into.
    _drop_quotes(result, changes, [q for q in result.quotes if _overlap(q, span) > 0])
    added = Quote(
        id=f"correction-{correction.id}",
        start=span.start,
        end=span.end,
        text=text[span.start : span.end],
        kind="direct" if text[span.start] in OPENING_MARKS else "indirect",
        speaker=speaker,
        reason=REASON,
    )
    result.quotes = sorted([*result.quotes, added], key=lambda q: (q.start, q.end))
    changes[added.id] = Change("added", None)


def _name(result: Analysis, entity_id: str | None) -> str | None:
    entity = result.entity(entity_id)
    return entity.name if entity is not None else None


def _speaker_id(text: str, result: Analysis, correction: Stored) -> str | None:
    """Return the id of the correction's speaker in result, adding them when the engine
    did not find them (with every place the text names them)."""
    name = (correction.speaker_name or "").strip()
    if correction.speaker_kind == "unnamed" or not name:
        return None
    key = name.casefold()
    if correction.speaker_kind == "organization":
        for org in result.organizations:
            if org.name.casefold() == key:
                return org.id
        org = Organization(f"correction-{correction.id}", name, "organization", _places(text, name))
        result.organizations.append(org)
        return org.id
    for person in result.people:
        if key in {form.casefold() for form in (person.name, *person.aliases)}:
            if correction.speaker_role:
                person.role = correction.speaker_role
            return person.id
    person = Person(
        f"correction-{correction.id}",
        name,
        role=correction.speaker_role or None,
        mentions=_places(text, name),
    )
    result.people.append(person)
    return person.id


def _places(text: str, name: str) -> list[Span]:
    """Return every place text names name in full, as a whole word or words."""
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    return [Span(m.start(), m.end()) for m in pattern.finditer(text)]


WORDS_SHOWN = 60  # characters of a correction's words quoted when it is described


def describe(correction: Stored) -> str:
    """Return a correction in plain words: '"doesn't suit us" said by Araz Azimov'."""
    words = " ".join(correction.words.split())
    if len(words) > WORDS_SHOWN:
        words = words[: WORDS_SHOWN - 1].rstrip() + "…"
    if words[:1] not in OPENING_MARKS:  # words in their own marks are shown in them
        words = f"‘{words}’"
    if correction.action == "not_speech":
        return f"{words} is not a quotation"
    if correction.speaker_kind == "unnamed" or not correction.speaker_name:
        return f"{words} said by an unnamed source"
    role = f" ({correction.speaker_role})" if correction.speaker_role else ""
    return f"{words} said by {correction.speaker_name}{role}"
