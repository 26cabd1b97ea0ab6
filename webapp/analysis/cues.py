"""Speech cues: verbs of saying and multi-word cues ("according to", "in a statement"),
matched from the lexicon by one mechanism."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .document import Document
from .people import Entities
from .quotes import Quotes
from .roles import agent_noun


class Cue(NamedTuple):
    """A cue at tokens first..last; speaker_after: its speaker follows it ("according to X")."""

    first: int
    last: int
    speaker_after: bool


@dataclass(frozen=True, eq=False)
class Cues:
    """The cues of a document outside quotations, by their first token."""

    doc: Document
    at: dict[int, Cue]

    def is_cue(self, index: int) -> bool:
        """Return True if a cue starts at token index."""
        return index in self.at

    def text(self, cue: Cue) -> str:
        """Return the words of a cue as written."""
        return self.doc.text[self.doc.starts[cue.first] : self.doc.ends[cue.last]]


def speaker_noun(doc: Document, head: int) -> bool:
    """Return True for nouns that can name a source: officials, the ministry, the memo."""
    noun, lex = doc.lowers[head], doc.lexicon
    return (
        noun.endswith("year-old")
        or noun in lex.source_nouns
        or noun in lex.source_heads_learned  # "the nominee said", "the poll found"
        or noun in lex.role_nouns
        or noun in lex.classes.org_nouns
        or noun in lex.classes.document_nouns  # "the release added", "the memo says"
        or agent_noun(doc, head)  # "the batter said"
    )


def _phrase_table(doc: Document) -> dict[str, list[tuple[tuple[str, ...], bool]]]:
    """Return first word -> (phrase words, speaker follows), longest phrases first."""
    lex = doc.lexicon
    table: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for phrases, after in ((lex.cue_phrases_speaker_after, True), (lex.cue_phrases, False)):
        for phrase in phrases:
            table.setdefault(phrase[0], []).append((phrase, after))
    for entries in table.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return table


def _verb_context(doc: Document, entities: Entities, index: int) -> bool:
    """Return True when a noun-like cue ('reports') is used as a verb here."""
    lex = doc.lexicon
    if index > 0 and (
        index - 1 in entities.by_token
        or doc.words[index - 1] in lex.pronouns
        or doc.words[index - 1] in lex.classes.verb_marks_before
        or speaker_noun(doc, index - 1)
    ):
        return True
    return index + 1 < doc.size and (
        doc.lowers[index + 1] == "that" or doc.words[index + 1] in lex.classes.verb_marks_after
    )


def _word_cue(doc: Document, entities: Entities, index: int) -> bool:
    """Return True for a one-word cue at index, read in its context."""
    lex, word = doc.lexicon, doc.lowers[index]
    if (
        word in lex.classes.naming_verbs
        and index > 0
        and doc.lowers[index - 1] in lex.classes.passive_auxiliaries
    ):
        return False  # "she has been called everything from 'the Selkie'": naming, not speech
    if word in lex.ambiguous_cues:
        return _verb_context(doc, entities, index)
    return word in lex.cues


def find_cues(doc: Document, quotes: Quotes, entities: Entities) -> Cues:
    """Return every cue outside quotations: phrases first, then single words."""
    table = _phrase_table(doc)
    found: dict[int, Cue] = {}
    lowers, count, lex = doc.lowers, doc.size, doc.lexicon
    wanted = lex.cues | lex.ambiguous_cues | table.keys()
    for index in [i for i in quotes.outside if lowers[i] in wanted]:
        for phrase, after in table.get(lowers[index], ()):
            end = index + len(phrase)
            if end <= count and tuple(lowers[index:end]) == phrase:
                found[index] = Cue(index, end - 1, after)
                break
        else:
            if _word_cue(doc, entities, index):
                found[index] = Cue(index, index, False)
    return Cues(doc, found)
