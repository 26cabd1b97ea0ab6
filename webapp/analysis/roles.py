"""Roles around a name: 'Kremlin spokesman X', 'X, the company's chief executive,', 'The
chancellor, X'. Read from the tokens alone, each look-up computed once per document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .document import POSSESSIVE_MARKS, Document
from .lexicon import Lexicon
from .quotes import Quotes
from .tuning import (
    AGENT_NOUN_MIN_LETTERS,
    APPOSITION_BEFORE_TOKENS,
    APPOSITION_MAX_WORDS,
    ROLE_BEFORE_WITH_QUALIFIERS,
    ROLE_BEFORE_WORDS,
)


def agent_word(lex: Lexicon, word: str) -> bool:
    """Return True for a lower-case word shaped like a noun of someone's work: fiddler."""
    return (
        len(word) >= AGENT_NOUN_MIN_LETTERS
        and bool(lex.patterns["agent_suffixes"].search(word))
        and word not in lex.classes.role_breakers
        and word not in lex.cues
        and word not in lex.classes.not_agent_nouns
    )


def agent_noun(doc: Document, index: int) -> bool:
    """Return True for a lower-case noun naming someone by what they do: fiddler, farmer."""
    return (
        doc.kinds[index] == "word"
        and doc.words[index].islower()
        and agent_word(doc.lexicon, doc.lowers[index])
    )


def modifier(doc: Document, index: int) -> bool:
    """Return True for words that may qualify a title: NATO, Azeri, U.S., Health."""
    text, lex = doc.words[index], doc.lexicon
    if text in lex.given_names:
        return False
    return (
        text in lex.nationalities
        or text in lex.places
        or text in lex.organizations
        or text in lex.outlets
        or (text.isupper() and text.isalpha() and len(text) > 1)
    )


def qualifier(doc: Document, index: int) -> bool:
    """Return True for a word that can stand inside a title: Deputy, Foreign, NATO, of."""
    text = doc.words[index]
    return (
        text in doc.lexicon.classes.title_joins
        or text in doc.lexicon.title_modifiers
        or (modifier(doc, index))
    )


def age_follows(doc: Document, last: int) -> bool:
    """Return True for 'Name, 54,'."""
    return (
        last + 3 < doc.size
        and doc.words[last + 1] == ","
        and doc.kinds[last + 2] == "number"
        and doc.words[last + 3] in (",", ".")
    )


def mention_after(doc: Document, first: int) -> int | None:
    """Return the last token of the name run that starts at token first, if it is one."""
    last = first
    while (
        last + 1 < doc.size
        and (doc.shaped[last + 1] or doc.words[last + 1] in doc.lexicon.particles)
        and doc.same_line(last, last + 1)
    ):
        last += 1
    return last if doc.shaped[first] else None


@dataclass(frozen=True, eq=False)
class Roles:
    """Role look-ups around names; each answer is computed once and remembered."""

    doc: Document
    quotes: Quotes
    _memo: dict[tuple[str, int], str | None] = field(default_factory=dict)

    def _once(self, what: str, index: int, compute: Callable[[int], str | None]) -> str | None:
        """Return compute(index), computed once per document and kind of look-up."""
        key = (what, index)
        if key not in self._memo:
            self._memo[key] = compute(index)
        return self._memo[key]

    def before(self, first: int) -> str | None:
        """Return a lower-case title just before a name: 'Kremlin spokesman Arkady Belyaev'."""
        return self._once("before", first, self._before)

    def apposition_after(self, last: int) -> str | None:
        """Return the role in 'Name, the company's chief executive,' or 'Name, 54, a teacher.'."""
        return self._once("after", last, self._apposition_after)

    def apposition_before(self, first: int) -> str | None:
        """Return the role in 'The shadow chancellor, Owen Llewellyn-Price, said'."""
        return self._once("apposition_before", first, self._apposition_before)

    def apposition_follows(self, last: int) -> bool:
        """Return True when ', 54,' or ', a spokeswoman for X,' follows the name."""
        return self.apposition_after(last) is not None or age_follows(self.doc, last)

    def _is_role_word(self, index: int, *, agent: bool) -> bool:
        """Return True for a lower-case title or role noun (or an agent noun when asked)."""
        lex, word = self.doc.lexicon, self.doc.lowers[index]
        return (
            word in lex.titles_lower
            or word in lex.role_nouns
            or (agent and agent_noun(self.doc, index))
        )

    def _before(self, first: int) -> str | None:
        """Compute before() for one token."""
        doc, lex = self.doc, self.doc.lexicon
        breakers = lex.role_stops
        index = first - 1
        taken: list[int] = []
        while index >= 0 and doc.same_line(index, index + 1) and len(taken) < ROLE_BEFORE_WORDS:
            if self._is_role_word(index, agent=not taken):
                taken.insert(0, index)
            elif (
                doc.kinds[index] == "word"
                and doc.words[index].islower()
                and doc.lowers[index] not in breakers
            ):
                if not taken or index == 0 or doc.lowers[index - 1] in breakers:
                    break  # "said local developer": take "local" only when a role follows it
                taken.insert(0, index)
            else:
                break
            index -= 1
        if not taken or not self._is_role_word(taken[-1], agent=True):
            return None
        if not any(
            doc.lowers[t] in lex.role_nouns or doc.words[t] in lex.titles or agent_noun(doc, t)
            for t in taken
        ):
            return None
        while (
            index >= 0
            and doc.same_line(index, index + 1)
            and len(taken) < ROLE_BEFORE_WITH_QUALIFIERS
            and (
                modifier(doc, index)
                or (doc.capitalized[index] and doc.words[index] not in lex.stopwords)
            )
        ):
            taken.insert(0, index)  # "Kremlin spokesman", "Harbor City coach"
            index -= 1
        return doc.text[doc.starts[taken[0]] : doc.ends[taken[-1]]]

    def _apposition_before(self, first: int) -> str | None:
        """Compute apposition_before() for one token."""
        doc, lex = self.doc, self.doc.lexicon
        comma = first - 1
        if comma < 1 or doc.words[comma] != ",":
            return None
        after = mention_after(doc, first)
        if after is None or after + 1 >= doc.size or doc.words[after + 1] not in (",", ".", ":"):
            return None
        head = comma - 1
        if doc.kinds[head] != "word" or not (
            doc.words[head].islower() or doc.words[head] in lex.titles
        ):
            return None  # the phrase must end in a noun: "The chancellor, Nadia Qureshi"
        for index in range(comma - 1, max(comma - 1 - APPOSITION_BEFORE_TOKENS, -1), -1):
            possessor = index + 1 < comma and doc.words[index + 1] in POSSESSIVE_MARKS
            if doc.kinds[index] == "punct" and doc.words[index] not in POSSESSIVE_MARKS:
                return None
            if doc.lowers[index] not in lex.classes.role_leads and not possessor:
                continue
            start = index
            while (
                possessor
                and start > 0
                and (doc.shaped[start - 1] or doc.words[start - 1] in lex.honorifics)
            ):
                start -= 1  # "Prairie Link's chairman", "Mrs Whitcombe's husband"
            if possessor and start > 0 and doc.lowers[start - 1] == "the":
                start -= 1  # "The documentary's director"
            if self.quotes.contains(doc.starts[start]):
                return None
            return doc.text[doc.starts[start] : doc.ends[head]]
        return None

    def _apposition_after(self, last: int) -> str | None:
        """Compute apposition_after() for one token."""
        doc, lex = self.doc, self.doc.lexicon
        index = last + 1
        if index >= doc.size or doc.words[index] != ",":
            return None
        index += 1
        if age_follows(doc, last):
            index += 2
        if index >= doc.size:
            return None
        lead = doc.lowers[index]
        possessor = (
            index + 1 < doc.size
            and doc.words[index + 1] in POSSESSIVE_MARKS
            and doc.capitalized[index]
        )
        role_words = lex.role_words
        agent = agent_noun(doc, index)  # "X, harbourmaster of the Kymi Bay Port Authority,"
        if lead not in lex.classes.role_leads and not (possessor or agent or lead in role_words):
            return None
        end = index
        while (
            end < doc.size
            and doc.words[end] not in lex.classes.phrase_breaking_marks
            and (doc.kinds[end] != "punct" or doc.words[end] in lex.classes.role_inner_marks)
        ):
            if doc.lowers[end] in lex.classes.relative_pronouns:
                break  # "a baker who has run the shop": the role is "a baker"
            if doc.lowers[end] in lex.cues or doc.lowers[end] in lex.classes.finite_verbs:
                return None  # "Ferrie, her parting words were": a clause, not a role
            end += 1
            if end - index > APPOSITION_MAX_WORDS:
                return None
        if end == index or end >= doc.size:
            return None
        phrase = doc.text[doc.starts[index] : doc.ends[end - 1]]
        return phrase if len(phrase.split()) >= 2 or lead in role_words or agent else None

    def described_after(self, last: int) -> str | None:
        """Return a role a clause after the name gives: 'X, who chairs the Friends of Y,'
        ('chair of the Friends of Y'), 'X, who served as the town's treasurer,', 'X is a
        marine biologist at Z'."""
        return self._once("described", last, self._described_after)

    def _described_after(self, last: int) -> str | None:
        """Compute described_after() for one token."""
        doc, lex = self.doc, self.doc.lexicon
        if self.quotes.contains(doc.starts[last]):
            return None  # what a speaker says of someone is not the article's description
        index = last + 1
        if index < doc.size and doc.words[index] == ",":
            index += 3 if age_follows(doc, last) else 1  # "X, 58, who served as ..."
            if index >= doc.size or doc.lowers[index] not in lex.classes.person_relatives:
                return None
            index += 1
        elif index >= doc.size or doc.lowers[index] not in lex.classes.copulas:
            return None  # "Renata Szabo is a marine biologist"
        verb = doc.lowers[index] if index < doc.size else ""
        noun = lex.class_pairs["role_verbs"].get(verb)
        if noun is not None:
            phrase = self._noun_phrase_at(index + 1)
            return f"{noun} of {phrase}" if phrase else None  # "chairs the X" -> "chair of the X"
        if verb in lex.classes.serving_verbs and index + 1 < doc.size:
            index += 1 + (doc.lowers[index + 1] == "as")  # "served as", "works as"
        elif verb not in lex.classes.copulas:
            return None
        else:
            index += 1
        if index >= doc.size or doc.lowers[index] not in lex.classes.role_leads | {"as"}:
            return None
        return self._noun_phrase_at(index)

    def _noun_phrase_at(self, index: int) -> str | None:
        """Return the words from index to the next mark or clause word, if few enough."""
        doc, lex = self.doc, self.doc.lexicon
        end = index
        while (
            end < doc.size
            and doc.words[end] not in lex.classes.phrase_breaking_marks
            and (doc.kinds[end] != "punct" or doc.words[end] in lex.classes.role_inner_marks)
            and doc.lowers[end] not in lex.classes.relative_pronouns
            and doc.lowers[end] not in lex.classes.finite_verbs
            and doc.lowers[end] not in lex.cues
        ):
            end += 1
            if end - index > APPOSITION_MAX_WORDS:
                return None
        return doc.text[doc.starts[index] : doc.ends[end - 1]] if end > index else None


def describes_organization(roles: Roles, last: int) -> bool:
    """Return True for 'Latchwise, the San Francisco startup whose ...'."""
    described = roles.apposition_after(last)
    if not described:
        return False
    lex = roles.doc.lexicon
    words = described.split()
    # The head noun ends the phrase before its first clause word ("startup whose ...").
    cut = next(
        (i for i, word in enumerate(words) if i and word in lex.classes.role_clause_words),
        len(words),
    )
    return words[cut - 1].lower() in lex.org_describers


def find_roles(doc: Document, quotes: Quotes) -> Roles:
    """Return the role look-ups of a document; roles are never read inside a quotation."""
    return Roles(doc, quotes)
