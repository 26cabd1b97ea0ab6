"""Sources named by a common noun: "the minister", "the company", "a senior official",
"the statement", "Azimov's office"."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .organizations import Entity
from .role_mentions import person_with_role
from .roles import agent_noun
from .scene import Named, Scene


def possessed(scene: Scene, mark: int, head: int) -> Named:
    """Resolve 'Azimov's office' to Azimov and "NATO's leader" to NATO's leader."""
    doc = scene.doc
    owner = scene.entities.by_token.get(mark - 1)
    first = mark - 1
    while owner is not None and scene.entities.by_token.get(first - 1) == owner:
        first -= 1  # "Jane Roe's spokesman": the whole name, not "Roe's"
    span = (doc.starts[first], doc.ends[head])
    if owner is not None and doc.lowers[head] in doc.lexicon.classes.proxy_nouns:
        return owner, span
    phrase = scene.role_phrase(mark - 1)
    if phrase is not None:
        return ("person", phrase[2]), span
    return None, span


def noun_phrase(scene: Scene, first: int, head: int) -> Entity | None:
    """Resolve 'the minister' / 'the ministry' / 'a senior official' to an entity or None."""
    doc, lex, coref = scene.doc, scene.doc.lexicon, scene.coref
    lead, noun = doc.lowers[first], doc.lowers[head]
    profile_nouns = lex.profile_nouns  # the person the story is about
    if lead in lex.classes.unnamed_determiners:
        return None  # an unnamed source: never a named person
    if lead == "the":
        phrase = scene.role_phrase(first)
        if phrase is not None:
            return ("person", phrase[2])
        if noun.endswith("year-old") or doc.words[head] in lex.nationalities:
            return coref.pronoun(head, gender="any")  # "the 34-year-old", "the Republican"
        profile = noun in profile_nouns or (noun not in lex.role_nouns and agent_noun(doc, head))
        if profile and noun not in coref.unnamed.nouns:
            # "the actor wrote", "the batter said": nobody's stated role, and no "an actor"
            # was introduced as a source, so the phrase means the person the story is about.
            return coref.story_subject(doc.starts[head])
    elif first == head and noun in lex.role_nouns:
        # A bare role noun, as headlines write it: "mayor vows".
        people = scene.entities.people
        person = person_with_role(people, scene.entities.roles, lex, noun, [], doc.starts[head])
        if person is not None:
            return ("person", person)
        if noun in profile_nouns and noun not in coref.unnamed.nouns:
            return coref.pronoun(head, gender="any")  # "'He is ashamed,' counsel said."
    if noun in lex.classes.org_nouns:
        return org_by_noun(scene, noun, doc.starts[first])
    if lead == "the" and noun in lex.classes.document_nouns:
        return issuer(scene, head)  # "the statement said": the body that issued it
    return None


def issuer(scene: Scene, head: int, *, sole: bool = False) -> Entity | None:
    """Return the organisation named last in this or the previous paragraph, if any.

    "In a statement issued after the news conference, the council said ... 'This is no
    longer ...,' the statement said." Outlets report; they do not issue statements. With
    sole, only an organisation that is the one named there ("it said" is too vague to
    choose between two).
    """
    doc = scene.doc
    if sole and _document_nouns_before(scene, head):
        return None  # "The report acknowledges ... It notes that": the report speaks
    paragraph = bisect_right(doc.paragraph_first, head) - 1
    since = doc.paragraphs[max(paragraph - 1, 0)][0]
    found: list[tuple[int, int]] = []
    for index, org in enumerate(scene.entities.orgs):
        if org.kind == "outlet":
            continue
        count = count_before(org.mentions, doc.starts[head])
        if count and org.mentions[count - 1][0] >= since:
            found.append((org.mentions[count - 1][0], index))
    if not found or (sole and len(found) > 1):
        return None
    return ("org", max(found)[1])


def _document_nouns_before(scene: Scene, head: int) -> bool:
    """Return True when a document ('the report') is named in this sentence or the last."""
    doc = scene.doc
    sentence = doc.sentence_of(head)
    first = doc.sentences[max(sentence - 1, 0)]
    nouns = doc.lexicon.classes.document_nouns
    return any(doc.lowers[i] in nouns for i in range(first, head))


def org_by_noun(scene: Scene, noun: str, offset: int) -> Entity | None:
    """Return the latest named non-outlet organisation this noun can mean."""
    best = None
    generic = noun in scene.doc.lexicon.classes.generic_org_nouns
    company_words = scene.doc.lexicon.company_words
    for index, org in enumerate(scene.entities.orgs):
        if org.kind == "outlet":
            continue
        count = count_before(org.mentions, offset)
        if not count:
            continue
        latest = org.mentions[count - 1][0]
        if generic:
            # "the company": a company's name beats a regulator named more recently.
            rank = (org.name.split()[-1] in company_words, count, latest)
        elif noun in org.name.lower():
            rank = (True, 0, latest)
        else:
            continue
        if best is None or rank > best[0]:
            best = (rank, index)
    return ("org", best[1]) if best else None


def count_before(mentions: tuple[tuple[int, int], ...], offset: int) -> int:
    """Return how many mentions start before offset."""
    return bisect_left(mentions, (offset, -1))
