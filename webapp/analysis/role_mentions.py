"""Role phrases that mean a named person: "the defense minister" is the Defense Minister,
"NATO's leader" the person whose role names NATO. People are indexed by role word."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import inf
from typing import Protocol

from .document import POSSESSIVE_MARKS, Document
from .lexicon import Lexicon
from .tuning import OWNER_ROLE_WORDS, ROLE_PHRASE_MODIFIERS


class _Record(Protocol):
    role: str | None
    mentions: tuple[tuple[int, int], ...]
    last_seen: int


def expanded_role(lexicon: Lexicon, role: str | None) -> str:
    """Return a role, lower case, abbreviations spelt out: "Sen." -> "senator"."""
    expansions = lexicon.title_expansions
    words = (expansions.get(w) or w for w in (role or "").split())
    return " ".join(words).lower().replace("-", " ")


@dataclass(frozen=True, eq=False)
class RoleIndex:
    """People by the words of their roles, so a role phrase looks only at those."""

    roles: tuple[str, ...]  # each person's expanded role ("nato secretary general")
    by_word: dict[str, tuple[int, ...]]

    @classmethod
    def build(cls, doc: Document, people: Sequence[_Record]) -> RoleIndex:
        """Index every person's role words."""
        roles = tuple(expanded_role(doc.lexicon, p.role) for p in people)
        by_word: dict[str, list[int]] = {}
        for index, role in enumerate(roles):
            for word in {*role.split(), role}:
                by_word.setdefault(word, []).append(index)
        return cls(roles, {w: tuple(i) for w, i in by_word.items()})

    def candidates(self, *words: str) -> list[int]:
        """Return the people whose role has any of these words, in order."""
        found: set[int] = set()
        for word in words:
            found.update(self.by_word.get(word, ()))
            for part in word.replace("-", " ").split():
                found.update(self.by_word.get(part, ()))
        return sorted(found)


def person_with_role(
    people: Sequence[_Record],
    index: RoleIndex,
    lexicon: Lexicon,
    noun: str,
    modifiers: list[str],
    at: int,
    *,
    owner: bool = False,
) -> int | None:
    """Return the person whose role holds the noun, best fitting the modifiers.

    "the defense minister" prefers a Defense Minister; "NATO's leader" a person whose role
    names NATO. Someone named before the phrase beats someone named after it (cataphora).
    """
    leader = owner and noun in lexicon.leader_nouns
    wanted = (noun, modifiers[0]) if leader else (noun,)
    scored = []
    for i in index.candidates(*wanted):
        role = index.roles[i]
        role_words = set(role.split()) | {role}
        fits = noun in role_words or noun.replace("-", " ") in role
        if leader and modifiers[0] in role_words:
            fits = True  # "NATO's leader" for the NATO Secretary-General
        if not fits:
            continue
        fit = sum(1 for m in modifiers if m in role_words)
        if leader and fit == 0:
            continue
        person = people[i]
        mentioned = bool(person.mentions)
        before = mentioned and person.mentions[0][0] < at
        # Named before: the latest named wins; named after: the soonest; never named: last.
        recency = person.last_seen if before else -(person.mentions[0][0] if mentioned else inf)
        scored.append((before, fit, recency, i))
    return max(scored)[3] if scored else None


def role_phrase_at(
    doc: Document, people: Sequence[_Record], index: RoleIndex, at: int
) -> tuple[int, int, int] | None:
    """Return (first token, last token, person) of a role phrase starting at token at."""
    lex = doc.lexicon
    nouns, lowers = lex.role_nouns, doc.lowers
    if lowers[at] == "the":
        end = at + 1
        while (
            end < doc.size
            and doc.kinds[end] == "word"
            and lowers[end] not in nouns
            and end - at <= ROLE_PHRASE_MODIFIERS
        ):
            end += 1
        if end >= doc.size or lowers[end] not in nouns:
            return None
        if end + 1 < doc.size and lowers[end + 1] in nouns:
            end += 1
        if end + 1 < doc.size and doc.shaped[end + 1]:
            return None  # "the minister Anatoly Serdyukov": the name says it
        modifiers = lowers[at + 1 : end]
        person = person_with_role(people, index, lex, lowers[end], modifiers, doc.starts[at])
        return (at, end, person) if person is not None else None
    if at + 2 < doc.size and doc.capitalized[at] and doc.words[at + 1] in POSSESSIVE_MARKS:
        heads = lex.owner_heads
        end = at + 2
        while end < min(at + 2 + OWNER_ROLE_WORDS, doc.size - 1) and lowers[end] not in heads:
            if doc.kinds[end] != "word" or not doc.words[end].islower():
                return None
            end += 1
        if lowers[end] in heads:
            modifiers = [lowers[at], *lowers[at + 2 : end]]
            person = person_with_role(
                people, index, lex, lowers[end], modifiers, doc.starts[at], owner=True
            )
            return (at, end, person) if person is not None else None
    return None


def role_phrases(
    doc: Document,
    people: Sequence[_Record],
    index: RoleIndex,
    by_token: dict[int, tuple[str, int]],
) -> list[tuple[int, int, int]]:
    """Return (first token, last token, person) for every role phrase that names someone."""
    found = []
    owners = [i - 1 for i, word in enumerate(doc.words) if i and word in POSSESSIVE_MARKS]
    articles = [i for i, word in enumerate(doc.lowers) if word == "the"]
    for at in sorted({*owners, *articles}):
        if at >= doc.size - 1:
            continue
        owner = doc.words[at + 1] in POSSESSIVE_MARKS
        if doc.lowers[at] != "the" and not owner:
            continue
        if by_token.get(at, ("org",))[0] != "org" or (at in by_token and not owner):
            continue
        phrase = role_phrase_at(doc, people, index, at)
        if phrase:
            found.append(phrase)
    return found
