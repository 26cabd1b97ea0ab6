"""Resolve a pronoun to the person it most likely means: gender, recency, then subjecthood."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

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
        mentions = outside_quotes[index]  # sorted by start, never overlapping
        last = bisect_right(mentions, (offset, offset)) - 1
        while last >= 0 and mentions[last][1] > offset:
            last -= 1  # a mention the pronoun sits inside does not come before it
        if last < 0:
            continue
        sentence = bisect_right(sentence_offsets, mentions[last][0])
        sentence_start = sentence_offsets[sentence - 1] if sentence > 0 else 0
        first = bisect_left(mentions, (sentence_start, -1))
        # A possessor ("Lonnie Mays's granddaughter, Keisha") is not the sentence's subject.
        first_in_sentence = min(
            start + (10**9 if start in possessors else 0) for start, _ in mentions[first : last + 1]
        )
        rank = (sentence, -first_in_sentence, index)
        if best is None or rank > best:
            best = rank
    return best[2] if best else None
