"""The words between a cue and a speaker's name that the rules step over: a title or role
("said former campaign adviser X"), a party tag ("X (R-Fla.) said"), a home town ("X of
Idaho"), and the words that tie a person to an organisation ("X of Acme")."""

from __future__ import annotations

from collections.abc import Collection

from .scene import Named, Scene
from .tuning import (
    APPOSITION_NAME_GAP,
    PARENTHESIS_WORDS,
    ROLE_BEFORE_WITH_QUALIFIERS,
    TITLE_MAX_WORDS,
)


def before_parenthesis(scene: Scene, index: int, window: Collection[int]) -> int:
    """Return the token before a short parenthesis that ends at index, or index itself."""
    doc = scene.doc
    if index not in window or doc.words[index] != ")":
        return index
    for opening in range(index - 1, max(index - 1 - PARENTHESIS_WORDS, -1), -1):
        if opening not in window:
            return index
        if doc.words[opening] == "(":
            return opening - 1
    return index


def before_home(scene: Scene, start: int, end: int) -> int:
    """Return the last token of a person before 'of Idaho' / 'from Springfield, Va.', else end.

    Only capitalised words and commas may follow the "of": the person's home, not a clause.
    """
    doc, entities = scene.doc, scene.entities
    index = end
    while (
        index > start
        and index not in entities.by_token
        and (doc.capitalized[index] or doc.words[index] == ",")
    ):
        index -= 1
    joins = doc.lexicon.classes.home_joins
    if index < end and doc.lowers[index] in joins and entities.is_person(index - 1):
        return index - 1
    return end


def person_of_org(scene: Scene, first: int) -> int | None:
    """Return the person in 'Marcus Oyelaran of Cardinal Bay Research' (org at first)."""
    doc = scene.doc
    of = first >= 2 and doc.lowers[first - 1] in doc.lexicon.classes.affiliations
    return first - 2 if of and scene.entities.is_person(first - 2) else None


def title_start(scene: Scene, first: int) -> int:
    """Return where the titles before a name begin ('President Andrés Villamizar')."""
    doc, lex = scene.doc, scene.doc.lexicon
    while first - 1 >= 0 and (
        doc.words[first - 1] in lex.titles
        or doc.words[first - 1] in lex.honorifics
        or doc.words[first - 1] in lex.title_modifiers
    ):
        first -= 1
    return first


def past_title(scene: Scene, index: int, window: Collection[int]) -> int:
    """Return where the name starts after the title at index, or index if none is there.

    A title is capitalised words that hold a title or honorific and end where a person's
    mention starts: "Defense Minister Jane Roe", "Floods Minister Rebecca Thorne", "Mrs X".
    """
    doc, lex, by_token = scene.doc, scene.doc.lexicon, scene.entities.by_token
    probe, titled = index, False
    while (
        probe in window
        and probe not in by_token
        and doc.capitalized[probe]
        and probe - index < TITLE_MAX_WORDS
    ):
        titled = titled or doc.words[probe] in lex.titles or doc.words[probe] in lex.honorifics
        probe += 1
    if probe == index or not scene.entities.is_person(probe):
        return index
    if not titled:  # the capitals the name reader took for the person's role
        role = scene.entities.people[by_token[probe][1]].role or ""
        titled = " ".join(doc.words[index:probe]) in role
    return probe if titled else index


def past_qualifiers(scene: Scene, index: int, window: Collection[int]) -> int:
    """Return the token after lower-case qualifiers of a role ("former", "then"), or index."""
    doc, lex = scene.doc, scene.doc.lexicon
    while index in window and doc.lowers[index] in lex.classes.role_qualifiers:
        index += 1
    return index


def past_role(scene: Scene, index: int, window: Collection[int]) -> int:
    """Return where the name starts after a role at index, or index if there is none.

    The role is what Roles.before reads in front of the name ("Republican strategist",
    "Lake Erie Tech coach"), or a title ("former Gov."); qualifiers may open it.
    """
    doc, entities = scene.doc, scene.entities
    start = past_qualifiers(scene, index, window)
    titled = past_title(scene, start, window)
    if titled != start:
        return titled  # "former Gov. Bill Richardson"
    if entities.is_person(start) or start not in window:
        return index
    for probe in range(start + 1, min(start + ROLE_BEFORE_WITH_QUALIFIERS, doc.size)):
        if probe not in window or doc.kinds[probe - 1] == "punct":
            return index
        if entities.is_person(probe):
            role = scene.roles.before(probe)
            at = doc.text.rfind(role, 0, doc.starts[probe]) if role else -1
            # "conservative activist Bob Klaus": lower-case words may qualify the role.
            qualified = all(
                doc.words[i].islower() for i in range(start, doc.token_at(at)) if at >= 0
            )
            return probe if role is not None and (at <= doc.starts[start] or qualified) else index
    return index


def named_after(scene: Scene, head: int, window: Collection[int]) -> Named | None:
    """Return the person named in apposition right after a noun phrase, if any."""
    doc, entities = scene.doc, scene.entities
    for comma in range(head + 1, min(head + 1 + APPOSITION_NAME_GAP, doc.size)):
        if comma not in window:
            return None
        if doc.words[comma] == ",":
            name = comma + 1
            if entities.is_person(name):
                last = entities.mention_end.get(name, name)
                return entities.by_token[name], (doc.starts[name], doc.ends[last])
            return None
    return None
