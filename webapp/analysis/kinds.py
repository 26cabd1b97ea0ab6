"""Quotation kinds: direct speech, partial quotation, or not speech at all (a scare quote,
a title, a nickname)."""

from __future__ import annotations

import re
from functools import cached_property

from .cues import Cues
from .document import Document
from .people import Entities
from .quotes import Quotes, Window
from .tuning import (
    DIRECT_MIN_WORDS,
    NICKNAME_QUOTE_WORDS,
    OPENING_PHRASE_WORDS,
    PARTIAL_MIN_WORDS,
    TITLE_MAX_WORDS,
)

_WORD = re.compile(r"[^\W\d_]+")


def normal_words(text: str) -> str:
    """Return the words of a quotation, lower-cased, for comparing two quotations."""
    return " ".join(_WORD.findall(text.lower()))


def sentence_subject_at(doc: Document, entities: Entities, window: Window) -> int | None:
    """Return the token that opens the quotation's sentence if it is a person or he/she.

    An opening phrase set off by a comma is stepped over: "In the depths of the recession,
    Paul Ryan worried that ..." opens with Paul Ryan.
    """
    before = window.before
    if not before or before[0] not in doc.sentence_set:
        return None
    if any(doc.lowers[t] in doc.lexicon.classes.naming_verbs for t in before):
        return None  # "Ann Reyes has been called "the Selkie of Bangor"": a name for her
    first = before[0]
    opening = before[: OPENING_PHRASE_WORDS + 1]
    comma = next((i for i, t in enumerate(opening) if doc.words[t] == ","), None)
    for candidate in (first, before[comma + 1] if comma and comma + 1 < len(before) else None):
        if candidate is None:
            continue
        pronoun = doc.lexicon.pronouns.get(doc.words[candidate]) in ("m", "f")
        if entities.is_person(candidate) or pronoun:
            return candidate
    return None


class _Reader:
    """Reads one document's quotations (private to this stage)."""

    def __init__(self, doc: Document, quotes: Quotes, cues: Cues, entities: Entities) -> None:
        self.doc, self.quotes, self.cues, self.entities = doc, quotes, cues, entities

    @cached_property
    def body_quotations(self) -> frozenset[str]:
        """Return the inner text of every body quotation, trimmed and lower-cased."""
        text = self.doc.text
        return frozenset(
            text[q.inner_start : q.inner_end].strip(",.;:!? ").lower()
            for q in self.quotes.spans
            if q.paragraph > 0
        )

    def kind(self, window: Window) -> str | None:
        """Return "direct", "partial", or None for scare quotes and titles."""
        doc, span = self.doc, window.span
        inner = doc.text[span.inner_start : span.inner_end].strip()
        inner_words = inner.split()
        kinds, words, before = doc.kinds, doc.words, window.before
        set_off = not before or words[before[-1]] in (",", ":", "—")
        if not set_off:  # set off also when only marks other than , and : stand before it
            set_off = not any(kinds[t] != "punct" or words[t] in (",", ":") for t in before)
        ends_clause = inner[-1:] in ",.!?…—-" or not span.closed
        followed_by_cue = bool(window.after) and (
            doc.words[window.after[0]] in (",", "—") or self.cues.is_cue(window.after[0])
        )
        headline = span.paragraph == 0 and doc.headline
        if self.title_or_nickname(window, inner_words):
            return None
        if headline and len(inner_words) == 1:
            wanted = inner.strip(",.;:!? ").lower()
            return "partial" if wanted in self.body_quotations else None  # were ‘normalised’
        if headline and len(inner_words) >= 2:
            return "direct" if set_off else "partial"  # headlines quote speech
        if set_off and (ends_clause or followed_by_cue or len(inner_words) >= DIRECT_MIN_WORDS):
            return "direct"
        if len(inner_words) >= 2 and inner[-1:] in "!?":
            return "direct"  # an utterance of its own: chanting "Get back to work!"
        if len(inner_words) == 1 and not self.one_word_quotation(window):
            return None
        if any(map(self.cues.is_cue, (*window.before, *window.after))):
            return "partial"
        # "Paul Ryan worried that the safety net was becoming "a hammock ..."": the words of
        # the person the sentence is about, whatever its verb.
        if len(inner_words) < PARTIAL_MIN_WORDS:
            return None
        opener = sentence_subject_at(self.doc, self.entities, window)
        return "partial" if opener is not None else None

    def title_or_nickname(self, window: Window, inner_words: list[str]) -> bool:
        """Return True for the so-called "green corridor", the film "Dune", Earl "Fats" Brown."""
        doc, lex, before = self.doc, self.doc.lexicon, window.before
        if not before:
            return False  # a title or a nickname follows the words that name it
        previous = before[-1]
        spoken = len(before) > 1 and (
            doc.words[before[-2]] in lex.pronouns or before[-2] in self.entities.by_token
        )  # "what he called 'the best part'" is his words; "a film called 'Dune'" a title
        if doc.lowers[previous] in lex.classes.scare_leads and not spoken:
            return True
        work = len(before) > 1 and doc.lowers[before[-2]] in lex.classes.work_leads
        if (
            doc.lowers[previous] in lex.classes.media_nouns
            and work
            and inner_words[0][:1].isupper()
        ):
            return True  # the film "Dune"; but The report "leaves very little room"
        if (
            doc.lowers[previous] == "as"
            and len(before) > 1
            and doc.lowers[before[-2]] in lex.classes.naming_as
        ):
            return True  # known as "the Tiger"; but 'described as "grim"' is a quotation
        following = window.after[0] if window.after else None
        if doc.capitalized[previous] and following is not None and doc.capitalized[following]:
            return len(inner_words) <= NICKNAME_QUOTE_WORDS
        if doc.words[previous] in (",", ":") and len(before) > 1 and self.cues.is_cue(before[-2]):
            return False  # 'Jane Roe said: "No."': set off after a cue, it is speech
        small = lex.classes.title_small_words
        titled = all(w[0].isupper() or w.lower() in small for w in inner_words if w[0].isalpha())
        # A title may carry the sentence's comma inside its marks: "Last Call at the Orpheum,"
        short = len(inner_words) <= TITLE_MAX_WORDS and not any(
            w[-1] in ",.!?" for w in inner_words[:-1]
        )
        return titled and short and inner_words[0][0].isupper()

    def one_word_quotation(self, window: Window) -> bool:
        """Return True for 'had been "cynical"', 'apologised "unreservedly"'; not 'the "smart"'.

        One quoted word is the speaker's own only after a speech cue of its sentence, and never
        right after a determiner (the "deal", that "deal") or a naming word (the word "diary").
        """
        if window.before:
            previous = self.doc.lowers[window.before[-1]]
            if previous in self.doc.lexicon.classes.determiners:
                return False
            if previous in self.doc.lexicon.classes.linking_words:
                return True  # 'described the talks as "constructive"', 'called it "a farce"'
        return any(map(self.cues.is_cue, window.before))


def find_kinds(doc: Document, quotes: Quotes, cues: Cues, entities: Entities) -> list[str | None]:
    """Return each quotation's kind, or None where the marks do not quote speech."""
    reader = _Reader(doc, quotes, cues, entities)
    return [reader.kind(window) for window in quotes.windows]
