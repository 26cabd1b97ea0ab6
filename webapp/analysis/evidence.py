"""Is a name run a person? The words of the name, and the evidence around it: a title,
a given name, a speech cue, an apposition, a relative 'who'."""

from __future__ import annotations

import re

from .document import Document
from .lexicon import plain
from .names import INITIAL, NameParts, Names, Run, has_middle_initial, surname_first
from .roles import age_follows
from .tuning import ACRONYM_MIN_LETTERS

_CONTRACTION = re.compile(r"(?:n['’]t|['’](?:ll|re|ve|m|d))$", re.IGNORECASE)
_PARTY_TAG = re.compile(r"^[DRI]-[A-Z][a-z]*\.?$")  # D-Ohio, R-Mont.: not names


def clean_name(doc: Document, names: tuple[str, ...]) -> bool:
    """Return True when every word could be part of a person's name."""
    lex = doc.lexicon
    particles = lex.particles
    if names[-1] in particles or names[-1] == "of" or (names[0] in particles and len(names) < 2):
        return False  # "Ní Bhriain" and "De la Cruz" may open with a particle
    if len(names) > 1 and (names[-1] in lex.place_final or names[0] in lex.place_first):
        return False  # "Albert Road", "River Calder"; but "Park" may be Park Ji-woo
    return all(_name_word(doc, name, names) for name in names)


def _name_word(doc: Document, name: str, names: tuple[str, ...]) -> bool:
    """Return True when one word may stand in the name `names`."""
    lex = doc.lexicon
    if name in lex.particles or name in lex.classes.name_suffixes:
        return True
    blocked = name in lex.blocked and name not in lex.given_names
    surname = name == names[-1] and len(names) >= 2 and lex.given(names[0])
    surname = surname and names[0] not in lex.blocked  # not "Hong Kong", "Abu Dhabi"
    if blocked and not has_middle_initial(names) and not (surname and name in lex.nationalities):
        return False  # a place, a month; but "Tyrell J. Washington", "Harriet English"
    surname_like = name == names[-1] and len(names) >= 2 and names[0] not in lex.titles
    if (
        name in lex.org_final
        or (name in lex.titles and not surname_like)  # Marlene Cardinal
        or name in lex.outlets
        or (name in lex.title_modifiers and name not in lex.given_names)
    ):
        return False
    if _CONTRACTION.search(name) or lex.patterns["hyphen_adjective_suffixes"].search(name):
        return False  # "Don't", "We'll", "State-based"
    parts = name.split("-")
    placed = len(parts) > 1 and any(part in lex.blocked for part in parts)
    if placed and plain(parts[0]) not in lex.given_names:
        return False  # "Saxony-Anhalt", "U.S.-led"
    acronym = name.isupper() and name.isalpha() and len(name) >= ACRONYM_MIN_LETTERS
    return not (name == "of" or acronym or _PARTY_TAG.match(name))


def near_cue(doc: Document, run: Run) -> bool:
    """Return True for 'X said', 'X, 54, said', 'said X'."""
    lex = doc.lexicon
    after = run.last + 1
    if age_follows(doc, run.last):
        after += 3  # "X, 54, said"
    while after < doc.size and doc.lowers[after] in lex.adverbs:
        after += 1
    if after < doc.size and doc.lowers[after] in lex.cues:
        return True
    return run.first > 0 and doc.lowers[run.first - 1] in lex.cues


def who_follows(doc: Document, run: Run) -> bool:
    """Return True for 'Ray Kowalski, who voted no': a relative 'who' means a person."""
    return (
        run.last + 2 < doc.size
        and doc.words[run.last + 1] == ","
        and doc.lowers[run.last + 2] in doc.lexicon.classes.person_relatives
    )


def home_follows(doc: Document, run: Run) -> bool:
    """Return True for 'Alma Reyes-Fitch, of Springfield, Va.,': a home town, AP style."""
    at = run.last + 1
    return (
        at + 2 < doc.size
        and doc.words[at] == ","
        and doc.lowers[at + 1] in doc.lexicon.classes.home_joins
        and doc.words[at + 2] in doc.lexicon.places
    )


def has_evidence(names: Names, run: Run, parts: NameParts) -> bool:
    """Return True when something besides capitals says this run is a person."""
    doc, roles, words = names.doc, names.roles, parts.names
    if len(words) == 1:
        return _single_word_evidence(names, run, words[0], parts.titled)
    if parts.titled or doc.lexicon.given(words[0]) or roles.before(run.first):
        return True
    if surname_first(doc, words) or INITIAL.match(words[0]) or has_middle_initial(words):
        return True  # "R.J. Castellanos", "Tyrell J. Washington"
    return (
        near_cue(doc, run)
        or roles.apposition_follows(run.last)
        or who_follows(doc, run)
        or home_follows(doc, run)
        or roles.apposition_before(run.first) is not None  # "His neighbour, Nasreen Bibi,"
    )


def _single_word_evidence(names: Names, run: Run, word: str, titled: bool) -> bool:
    """Return True when one capitalised word is a person: 'Mr Okafor', 'Serdyukov said'."""
    doc, lex = names.doc, names.doc.lexicon
    if (
        word.isupper()
        or lex.patterns["common_noun_suffixes"].search(word)
        or word.lower() in lex.people_nouns
    ):
        return False  # "RTÉ", "ECOWAS", "Emiratisation", "Officers": not people
    if titled or names.roles.before(run.first):
        return True  # "Mr Okafor", "Kremlin spokesman Peskov"
    if not names.capitalized_mid_sentence(word):
        return False  # "Analysts said": a capital only because the sentence starts there
    if run.first > 0 and doc.lowers[run.first - 1] in lex.classes.place_prepositions:
        return False  # "the mayor of Thornbridge has vowed", "in Austin": a place
    return near_cue(doc, run) or names.roles.apposition_follows(run.last) or who_follows(doc, run)
