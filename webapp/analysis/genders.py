"""Gender evidence from pronouns: returned as its own result, never written into people.

Names, titles and roles give a gender in the people stage; this stage adds what the text
says with he and she, in text order, so every later look-up sees the same genders.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .coreference import Coreference
from .cues import Cues
from .document import Document
from .people import Entities
from .quotes import Quotes
from .tuning import WINDOW_TOKENS


def _subject_pronouns(doc: Document) -> dict[str, str]:
    """Return he/she (lower case) -> m/f: only subject pronouns say who speaks."""
    return {w.lower(): g for w, g in doc.lexicon.pronouns.items() if g in ("m", "f")}


def _self_reference(
    doc: Document, quotes: Quotes, entities: Entities, cues: Cues, index: int
) -> int | None:
    """Return the person in 'Nasreen Bibi said she had cut back', if index is that 'she'.

    Only in a sentence that names one person: any other pronoun may be someone else's.
    """
    cue = index - 2 if doc.lowers[index - 1] == "that" else index - 1
    if cue < 1 or not cues.is_cue(cue) or not entities.is_person(cue - 1):
        return None
    position = doc.sentence_of(index)
    lo = max(doc.sentences[position] if position >= 0 else 0, index - WINDOW_TOKENS)
    hi = doc.sentences[position + 1] if position + 1 < len(doc.sentences) else doc.size
    hi = min(hi, index + WINDOW_TOKENS)
    named = {
        entities.by_token[i][1]
        for i in range(lo, hi)
        if entities.is_person(i) and i not in quotes.inside
    }
    return named.pop() if len(named) == 1 else None


def _speaks(doc: Document, cues: Cues, index: int) -> bool:
    """Return True for the pronoun of 'he said', 'she also told', 'said he'."""
    after = index + 1
    while after < doc.size and doc.lowers[after] in doc.lexicon.adverbs:
        after += 1
    return (after < doc.size and cues.is_cue(after)) or (index > 0 and cues.is_cue(index - 1))


def learn_genders(
    doc: Document, quotes: Quotes, entities: Entities, cues: Cues, coref: Coreference
) -> Mapping[int, str]:
    """Return person -> gender for people of unknown gender whom a he/she refers to.

    First "X said she ...": a person saying a pronoun of themselves. Then, in text order,
    each speaking he/she ("he said") gives its gender to the person it resolves to.
    """
    pronouns = _subject_pronouns(doc)
    people = entities.people
    learned: dict[int, str] = {}
    spoken = [i for i in quotes.outside if doc.lowers[i] in pronouns]
    for index in spoken:
        person = _self_reference(doc, quotes, entities, cues, index)
        if person is not None and people[person].gender is None and person not in learned:
            learned[person] = pronouns[doc.lowers[index]]
    resolver = coref.with_genders(learned)  # sees each gender as soon as it is learned
    for index in spoken:
        if not _speaks(doc, cues, index):
            continue
        found = resolver.pronoun(index)
        if found is not None and resolver.gender_of(found[1]) is None:
            learned[found[1]] = pronouns[doc.lowers[index]]
    return MappingProxyType(dict(learned))
