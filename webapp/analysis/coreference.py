"""Resolve a pronoun to the person it most likely means: gender, recency, then subjecthood."""

from __future__ import annotations

from bisect import bisect_right

from .people import PersonRecord


def resolve_pronoun(
    gender: str,
    offset: int,
    people: list[PersonRecord],
    outside_quotes: list[list[tuple[int, int]]],
    sentence_offsets: list[int],
    possessors: frozenset[int] = frozenset(),
) -> int | None:
    """Return the index of the person a he/she at offset refers to, or None.

    Candidates are people named (outside quotations) before the pronoun; a known, different
    gender rules a person out, so "he added" after a woman's quotation goes to the last man
    named. Of the people named in the latest sentence that names any candidate, the first
    named wins: the subject ("X, who is not related to the chairman, said he ...") rather
    than someone named inside a clause; possessors (offsets in possessors) come last.
    Plural "they" is never resolved to one person; gender "any" resolves "the 34-year-old".
    """
    if gender not in ("m", "f", "any"):
        return None
    best: tuple[int, int, int] | None = None
    for index, person in enumerate(people):
        if gender != "any" and person.gender not in (gender, None):
            continue
        seen = [m for m in outside_quotes[index] if m[1] <= offset]
        if not seen:
            continue
        sentence = bisect_right(sentence_offsets, seen[-1][0])
        # A possessor ("Lonnie Mays's granddaughter, Keisha") is not the sentence's subject.
        first_in_sentence = min(
            (m[0] + (10**9 if m[0] in possessors else 0))
            for m in seen
            if bisect_right(sentence_offsets, m[0]) == sentence
        )
        rank = (sentence, -first_in_sentence, index)
        if best is None or rank > best:
            best = rank
    return best[2] if best else None
