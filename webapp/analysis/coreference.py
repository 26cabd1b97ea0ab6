"""Who a he/she, an unnamed source or "the actor" means: people indexed by where they are
named (outside quotations), so every look-up is a bisection and a short walk back."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from .cues import Cues
from .document import POSSESSIVE_MARKS, Document
from .organizations import Entity
from .people import Entities
from .quotes import Quotes, QuoteSpan
from .tuning import (
    PRONOUN_LOOKBACK_MENTIONS,
    SENTENCE_MENTIONS,
    SUBJECT_PERSON_WORDS,
    SUBJECT_PRONOUN_WORDS,
    UNNAMED_SOURCE_SENTENCES,
    UNNAMED_SOURCE_WORDS,
)


@dataclass(frozen=True, eq=False)
class UnnamedSources:
    """'a spokesman', 'an official' introduced outside quotations: where each ends, by gender."""

    ends: dict[str | None, list[int]]  # gender (m, f or None) -> sorted end offsets
    nouns: frozenset[str]  # the nouns used ("spokesman"): "the spokesman" then means one

    def latest(self, gender: str | None, offset: int) -> int:
        """Return the end of the latest source before offset a he/she could mean, or -1."""
        best = -1
        for key in {gender, None}:
            ends = self.ends.get(key, [])
            position = bisect_right(ends, offset) - 1
            best = max(best, ends[position] if position >= 0 else -1)
        return best


def _apposition_of_name(doc: Document, entities: Entities, index: int) -> bool:
    """Return True if the phrase at index follows 'Name,' or 'Name, 46,'."""
    if index < 2 or doc.words[index - 1] != ",":
        return False
    if index - 2 in entities.by_token:
        return True
    return (
        index >= 4
        and doc.kinds[index - 2] == "number"
        and doc.words[index - 3] == ","
        and index - 4 in entities.by_token
    )


def find_unnamed_sources(doc: Document, quotes: Quotes, entities: Entities) -> UnnamedSources:
    """Return the unnamed sources that open a clause: 'A spokesman said', ', and an aide'.

    A he/she right after such a source means that source, not the last named person.
    """
    lex = doc.lexicon
    sources = lex.source_nouns - lex.classes.document_nouns
    ends: dict[str | None, list[int]] = {}
    nouns: set[str] = set()
    indefinite = lex.classes.indefinite_sources
    for index in [i for i in quotes.outside if doc.lowers[i] in indefinite]:
        if (
            index not in doc.sentence_set
            and doc.lowers[index - 1] not in lex.classes.clause_openers
            and index - 1 not in quotes.inside  # '"It is a mistake," a spokesman said'
        ):
            continue  # "remembers a student": an object, not the next speaker
        if _apposition_of_name(doc, entities, index):
            continue  # "Smith, a spokesman", "Smith, 46, a teacher": describes a named person
        for head in range(index + 1, min(index + 1 + UNNAMED_SOURCE_WORDS, doc.size)):
            noun = doc.lowers[head]
            if noun in sources:
                gender = "f" if lex.patterns["female_noun_endings"].search(noun) else None
                if gender is None and lex.patterns["male_noun_endings"].search(noun):
                    gender = "m"
                ends.setdefault(gender, []).append(doc.ends[head])
                nouns.add(noun)
                break
            if doc.kinds[head] != "word":
                break
    return UnnamedSources(ends, frozenset(nouns))


@dataclass(frozen=True, eq=False)
class Coreference:
    """Resolves pronouns, unnamed sources and profile nouns to the people of a document."""

    doc: Document
    quotes: Quotes
    entities: Entities
    cues: Cues
    genders: Mapping[int, str]  # person -> gender, learned or known
    mentions: list[tuple[int, int, int]]  # (start, end, person) outside quotations, sorted
    mention_starts: list[int]
    own_ends: list[list[int]]  # person -> end offsets of their mentions outside quotations
    possessors: frozenset[int]  # mention starts followed by 's: never the subject
    unnamed: UnnamedSources
    leaders: list[tuple[int, int, int]]  # after k mentions: (count, latest start, person)
    quoted_paragraphs: frozenset[int]

    def with_genders(self, genders: Mapping[int, str]) -> Coreference:
        """Return this index, resolving with these genders (the indexes are shared)."""
        return replace(self, genders=genders)

    def gender_of(self, person: int) -> str | None:
        """Return what is known of a person's gender."""
        return self.genders.get(person) or self.entities.people[person].gender

    def resolve(self, gender: str, offset: int) -> int | None:
        """Return the person a he/she ("any": the 34-year-old) at offset refers to, or None.

        Candidates are people named outside quotations before the pronoun; a known, different
        gender rules a person out. Of the people named in the latest sentence that names any
        candidate, the first named wins: the subject ("X, who is not related to the chairman,
        said he ...") rather than someone named in a clause; possessors come last.
        """
        if gender not in ("m", "f", "any"):
            return None  # plural "they" is never one person

        def fits(person: int) -> bool:
            return gender == "any" or self.gender_of(person) in (gender, None)

        position = bisect_right(self.mention_starts, offset) - 1
        floor = max(position - PRONOUN_LOOKBACK_MENTIONS, -1)
        while position > floor:
            start, end, person = self.mentions[position]
            if end <= offset and fits(person):
                break
            position -= 1
        else:
            return None
        sentence = bisect_right(self.doc.sentence_offsets, start) - 1
        sentence_start = self.doc.sentence_offsets[sentence] if sentence >= 0 else 0
        late = len(self.doc.text) + 1  # a possessor ranks after every real subject
        first_named: dict[int, int] = {}
        floor = max(position - SENTENCE_MENTIONS, -1)
        while position > floor and self.mentions[position][0] >= sentence_start:
            start, end, person = self.mentions[position]
            if end <= offset and fits(person):
                rank = start + (late if start in self.possessors else 0)
                first_named[person] = min(rank, first_named.get(person, rank))
            position -= 1
        return max(first_named, key=lambda p: (-first_named[p], p))

    def pronoun(self, index: int, gender: str | None = None) -> Entity | None:
        """Resolve he/she at token index to a person, unless it means an unnamed source."""
        doc = self.doc
        gender = gender or doc.lexicon.pronouns.get(doc.words[index])
        offset = doc.starts[index]
        person = self.resolve(gender or "", offset)
        if person is None:
            return None
        latest_unnamed = self.unnamed.latest(gender, offset)
        here = bisect_right(doc.sentence_offsets, offset)
        recent = (
            latest_unnamed >= 0
            and here - bisect_right(doc.sentence_offsets, latest_unnamed)
            <= UNNAMED_SOURCE_SENTENCES
        )
        own = self.own_ends[person]
        named_last = own[bisect_right(own, offset) - 1] if bisect_right(own, offset) else -1
        if recent and latest_unnamed > named_last:
            return None  # "a spokesman ... rejected it. 'No,' he said."
        return ("person", person)

    def story_subject(self, offset: int) -> Entity | None:
        """Return the person named most often before offset (the latest, on a tie)."""
        count = bisect_left(self.mention_starts, offset)
        return ("person", self.leaders[count - 1][2]) if count else None

    def previous_sentence_subject(self, span: QuoteSpan) -> tuple[Entity | None, int] | None:
        """Return who the sentence before a quotation is about, and the token naming them.

        "Sir Malcolm was unmoved. 'Cash terms ...'", "She laughs. 'Because ...'", and a
        paragraph of reported speech followed by a paragraph that is only a quotation. The
        sentence must be outside quotations and open with the person or carry a speech cue.
        """
        doc, inside = self.doc, self.quotes.inside
        first = doc.token_at(span.start)
        if first not in doc.sentence_set:
            return None
        para_first, _ = doc.paragraph_tokens(span.paragraph)
        if first == para_first:
            if span.paragraph == 0 or span.paragraph - 1 in self.quoted_paragraphs:
                return None  # the last paragraph quoted someone: inheritance handles it
            lo, hi = doc.paragraph_tokens(span.paragraph - 1)
            hi += 1
        else:
            lo, hi = para_first, first
        position = bisect_left(doc.sentences, hi) - 1
        while position >= 0 and doc.sentences[position] >= lo:
            if doc.sentences[position] not in inside:
                break
            position -= 1
        else:
            return None
        sentence = range(doc.sentences[position], hi)
        if any(i in inside for i in sentence):
            return None
        has_cue = any(map(self.cues.is_cue, sentence))
        for index in sentence:
            if self.entities.is_person(index):
                near = index - sentence.start <= SUBJECT_PERSON_WORDS
                return (self.entities.by_token[index], index) if has_cue or near else None
            if doc.words[index] in doc.lexicon.pronouns and (
                has_cue or index - sentence.start <= SUBJECT_PRONOUN_WORDS
            ):
                return self.pronoun(index), index
        return None


def _leaders(mentions: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Return, after each mention, the (count, latest start, person) of the most named."""
    counts: dict[int, int] = {}
    best: tuple[int, int, int] | None = None
    leaders = []
    for start, _, person in mentions:
        counts[person] = counts.get(person, 0) + 1
        rank = (counts[person], start, person)
        best = rank if best is None or rank > best else best
        leaders.append(best)
    return leaders


def build_coreference(
    doc: Document,
    quotes: Quotes,
    entities: Entities,
    cues: Cues,
    genders: Mapping[int, str] = MappingProxyType({}),
) -> Coreference:
    """Index the people's mentions outside quotations for pronoun and subject look-ups.

    genders: what the genders stage learned; with_genders() gives the same index with more.
    """
    mentions = sorted(
        (start, end, person)
        for person, record in enumerate(entities.people)
        for start, end in record.mentions
        if not quotes.contains(start)
    )
    own_ends: list[list[int]] = [[] for _ in entities.people]
    for _, end, person in mentions:
        own_ends[person].append(end)
    possessors = frozenset(
        start
        for start, end, _ in mentions
        if (after := doc.token_at(end)) < doc.size and doc.words[after] in POSSESSIVE_MARKS
    )
    return Coreference(
        doc=doc,
        quotes=quotes,
        entities=entities,
        cues=cues,
        genders=genders,
        mentions=mentions,
        mention_starts=[m[0] for m in mentions],
        own_ends=own_ends,
        possessors=possessors,
        unnamed=find_unnamed_sources(doc, quotes, entities),
        leaders=_leaders(mentions),
        quoted_paragraphs=frozenset(q.paragraph for q in quotes.spans),
    )
