"""Why a quotation has its speaker, in plain words for the reader.

The engine gives each attribution a machine-readable `reason` (README: "reason") and the
span of the words that name the speaker; this turns them into a short phrase for the
tooltip, quoting the article's own words: "‘said Vasnetsov’, after the quotation",
"‘she’, the subject of the sentence before; ‘she’ is Rasa Kuzmickiene", "continues quotation
3 above".
An unknown reason gives no phrase: the page never invents a why.
"""

from __future__ import annotations

import re
from typing import Protocol

WORDS_SHOWN = 60  # characters of the article's words quoted at most
NEAR = 40  # characters between a cue and the speaker's words that still read as one phrase
NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# A sentence ends at . ! ? or … (and closing quotes or brackets) before a capital, a digit
# or an opening quote; not after a short capitalised abbreviation such as "Mr." or "Gen.".
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})(?<!\b[A-Z])[.!?…][\"”’)\]]*\s+(?=[\"“‘(]?[A-Z0-9])"
    r"|\n\s*\n"
)


class Attributed(Protocol):
    """What a stored quotation says of its speaker (publish.QuoteRow has these)."""

    number: int
    start: int
    end: int
    reason: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue_start: int | None
    cue_end: int | None


def explain(quote: Attributed, text: str, speaker: str) -> str:
    """Return why quote has this speaker, in plain words ("" when the engine gave no
    known reason). speaker is the name shown for them (a person or an organisation)."""
    if not quote.reason:
        return ""
    rule = quote.reason.removeprefix("pronoun:")
    by_pronoun = rule != quote.reason
    name, _, target = rule.partition(":")
    words = _words(text, quote.speaker_start, quote.speaker_end)
    phrase = _phrase(name, target, quote, text, words)
    if phrase is None:
        return ""
    if by_pronoun and words and speaker:
        return f"{phrase}; ‘{words}’ is {speaker}"
    return phrase


def _phrase(name: str, target: str, quote: Attributed, text: str, words: str) -> str | None:
    """Return the phrase of one rule (without the pronoun's resolution), or None."""
    where = _where(quote, text)
    if name == "continues" and target.startswith("q") and target[1:].isdigit():
        earlier = int(target[1:])
        if earlier == quote.number - 1:
            return "continues the quotation just before"
        return f"continues quotation {earlier} above"
    if name == "headline-echo" and target.startswith("q") and target[1:].isdigit():
        return f"the headline repeats quotation {target[1:]} of the article"
    if not words:
        return None
    said = _with_cue(quote, text) or words
    if name == "cue-after-quote":
        return f"‘{said}’, {where or 'after the quotation'}"
    if name == "cue-before-quote":
        return f"‘{said}’, {where or 'before the quotation'}"
    if name in ("according-to", "in-the-words-of"):
        return f"‘{said}’" + (f", {where}" if where else "")
    if name == "colon-introduction":
        return f"‘{words}’ introduces it, before the colon"
    if name == "dash-signature":
        return f"signed ‘{words}’ after a dash"
    if name == "transcript-label":
        return f"the transcript’s label ‘{words}’"
    if name == "subject-of-sentence":
        return f"‘{words}’, the subject of this sentence"
    if name == "subject-of-previous-sentence":
        return f"‘{words}’, the subject of the sentence before"
    return None


def _words(text: str, start: int | None, end: int | None) -> str:
    """Return the article's words in [start, end) on one line, shortened if long."""
    if start is None or end is None or not 0 <= start < end <= len(text):
        return ""
    words = " ".join(text[start:end].split())
    return words if len(words) <= WORDS_SHOWN else words[: WORDS_SHOWN - 1].rstrip() + "…"


def _with_cue(quote: Attributed, text: str) -> str:
    """Return the cue and the speaker's words as the article has them ("said Vasnetsov",
    "Rasa Kuzmickiene told reporters"), when they are close; else ""."""
    cue = (quote.cue_start, quote.cue_end)
    who = (quote.speaker_start, quote.speaker_end)
    spans = [(start, end) for start, end in (cue, who) if start is not None and end is not None]
    if len(spans) != 2:
        return ""
    (first_start, first_end), (second_start, second_end) = sorted(spans)
    if second_start - first_end > NEAR or _crosses(first_end, second_start, quote):
        return ""
    return _words(text, first_start, max(first_end, second_end))


def _crosses(start: int, end: int, quote: Attributed) -> bool:
    """Return whether [start, end) runs over the quotation (the cue is on its far side)."""
    return start < quote.end and quote.start < end


def _where(quote: Attributed, text: str) -> str:
    """Return how many sentences lie between the speaker's words and the quotation:
    "two sentences earlier", "one sentence later", or "" in the same sentence."""
    if quote.speaker_start is None or quote.speaker_end is None:
        return ""
    # The gap between the two, with the quotation's edge beside it: a sentence may end
    # with the quotation's own full stop, or before its opening mark.
    if quote.speaker_end <= quote.start:
        gap, direction = text[quote.speaker_end : quote.start + 2], "earlier"
    elif quote.speaker_start >= quote.end:
        gap, direction = text[max(quote.start, quote.end - 2) : quote.speaker_start], "later"
    else:
        return ""
    count = len(_SENTENCE_END.findall(gap))
    if count == 0:
        return ""
    number = NUMBERS[count - 1] if count <= len(NUMBERS) else str(count)
    return f"{number} {'sentence' if count == 1 else 'sentences'} {direction}"


def explain_correction(kind: str, engine_speaker: str | None) -> str:
    """Return why a quotation the owner corrected has its speaker: the correction, and
    what the engine had said."""
    if kind == "added":
        return "marked as a quotation by the library’s owner (the engine missed it)"
    engine = engine_speaker or "an unnamed source"
    return f"speaker corrected by the library’s owner (the engine said: {engine})"
