"""Resolve a pronoun to the person it most likely means: gender first, then recency."""

from __future__ import annotations

from .people import PersonRecord


def resolve_pronoun(
    gender: str,
    offset: int,
    people: list[PersonRecord],
    outside_quotes: list[list[tuple[int, int]]],
) -> int | None:
    """Return the index of the person a he/she at offset refers to, or None.

    Candidates are people last named (outside quotations) before the pronoun; a known,
    different gender rules a person out, so "he added" after a woman's quotation goes to
    the last man named. Plural "they" is never resolved to one person.
    """
    if gender not in ("m", "f"):
        return None
    best: tuple[int, int] | None = None
    for index, person in enumerate(people):
        if person.gender not in (gender, None):
            continue
        seen = [end for _, end in outside_quotes[index] if end <= offset]
        if seen and (best is None or max(seen) > best[0]):
            best = (max(seen), index)
    return best[1] if best else None
