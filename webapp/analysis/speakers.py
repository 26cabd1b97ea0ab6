"""Speaker phrases: the words next to a cue that name who speaks ("Serdyukov", "the
minister", "he", "a spokesman for X", "Marcus Oyelaran of Cardinal Bay Research")."""

from __future__ import annotations

from collections.abc import Collection

from .cues import Cue, Cues, speaker_noun
from .document import POSSESSIVE_MARKS
from .name_leads import (
    before_home,
    before_parenthesis,
    named_after,
    past_role,
    past_title,
    person_of_org,
    title_start,
)
from .organizations import Entity
from .scene import Named, Scene
from .sources import issuer, noun_phrase, possessed
from .tuning import (
    APPOSITION_SEGMENTS,
    NOUN_PHRASE_WORDS,
    SEGMENT_MAX_TOKENS,
    SPEAKER_HEAD_WORDS,
)


def skip_adverbs(scene: Scene, index: int, window: Collection[int], *, forward: bool) -> int:
    """Step over adverbs and auxiliaries ('also said', 'said later', 'had said')."""
    step = 1 if forward else -1
    while index in window and scene.doc.lowers[index] in scene.doc.lexicon.adverbs:
        index += step
    return index


def speaker_of_cue(
    scene: Scene, cue: Cue, window: Collection[int]
) -> tuple[Entity | None, tuple[int, int] | None, int | None] | None:
    """Return (speaker, speaker span, channel) for one cue, or None if nothing names it.

    An outlet next to the cue ("Itar-Tass reported") is the channel, and the speaker too;
    attribution prefers any other speaker the sentence names.
    """
    doc, lex = scene.doc, scene.doc.lexicon
    if cue.speaker_after:
        found = phrase_at(scene, cue.last + 1, window)
        if found and scene.is_outlet(found[0]):
            return found[0], found[1], found[0][1]  # type: ignore[index]
        return (found[0], found[1], None) if found else None
    word = doc.lowers[cue.first]
    channel = (
        outlet_after(scene, cue.last + 1, window) if word in lex.classes.addressee_cues else None
    )
    if cue.last + 1 in window and doc.lowers[cue.last + 1] == "by":
        agent = phrase_at(scene, skip_adverbs(scene, cue.last + 2, window, forward=True), window)
        if agent is not None:
            return agent[0], agent[1], channel  # "a statement written by Bríd Keane"
    inverted = _parenthetical_speaker(scene, cue, window)  # "Any reading, said X, would"
    if inverted is not None:
        return inverted[0], inverted[1], channel
    left = subject_left(scene, cue.first, window)
    joined = skip_adverbs(scene, cue.first - 1, window, forward=False)  # "and later said"
    coordinated = joined in window and doc.lowers[joined] in lex.classes.coordinators
    if left is None and word.endswith("ing"):
        earlier = _cue_before_comma(scene, cue, window)  # "X said, adding": X adds
        if earlier is not None and (named := speaker_of_cue(scene, earlier, window)):
            return named
    if left is None and (word.endswith("ing") or coordinated):
        left = sentence_subject(scene, cue.first, window)  # "X declined, saying" / "and urged"
    if left is not None and word.endswith("ing") and left[0] is None:
        issuer = _issuer_of_document(scene, cue, window)  # "X issued a statement saying"
        left = issuer or left
    if left is not None:
        if scene.is_outlet(left[0]):
            return left[0], left[1], left[0][1]  # type: ignore[index]  # "Itar-Tass reported"
        return left[0], left[1], channel
    if word not in lex.classes.addressee_cues:
        right = phrase_at(scene, skip_adverbs(scene, cue.last + 1, window, forward=True), window)
        if right is not None:
            if scene.is_outlet(right[0]):
                return right[0], right[1], right[0][1]  # type: ignore[index]
            return right[0], right[1], channel
    return (None, None, channel) if channel is not None else None


def _parenthetical_speaker(scene: Scene, cue: Cue, window: Collection[int]) -> Named | None:
    """Return the person in ', said Michael Kofman, an expert ...,' set off by commas."""
    doc = scene.doc
    if cue.first - 1 not in window or doc.words[cue.first - 1] != ",":
        return None
    right = phrase_at(scene, cue.last + 1, window)
    if right is None or right[0] is None or right[0][0] != "person":
        return None
    after = doc.token_at(right[1][1])
    return right if after in window and doc.words[after] == "," else None


def _issuer_of_document(scene: Scene, cue: Cue, window: Collection[int]) -> Named | None:
    """Return who issued the document right before an -ing cue: 'X released an ad calling'.

    The document is the object of the clause's verb; its subject is the speaker.
    """
    doc = scene.doc
    head = cue.first - 1
    if head not in window or doc.lowers[head] not in doc.lexicon.classes.document_nouns:
        return None
    first = phrase_start(scene, head, window)
    if doc.lowers[first] not in doc.lexicon.phrase_leads:
        return None
    before = frozenset(i for i in window if i < first)
    found = sentence_subject(scene, first, before) if before else None
    return found if found is not None and found[0] is not None else None


def _cue_before_comma(scene: Scene, cue: Cue, window: Collection[int]) -> Cue | None:
    """Return the cue that ends right before ', ' and this cue ('she said, adding')."""
    comma = cue.first - 1
    if comma not in window or scene.doc.words[comma] != ",":
        return None
    for first in range(comma - 1, comma - 1 - SPEAKER_HEAD_WORDS, -1):
        earlier = scene.cues.at.get(first)
        if earlier is not None and earlier.last == comma - 1 and first in window:
            return earlier
    return None


def subject_left(scene: Scene, cue: int, window: Collection[int]) -> Named | None:
    """Return the speaker standing before the cue, skipping adverbs and an apposition."""
    doc, lex = scene.doc, scene.doc.lexicon
    index = skip_adverbs(scene, cue - 1, window, forward=False)
    if index in window and doc.lowers[index] == "to":
        # "she likes to say", "went on to say", "wanted to tell".
        index = skip_adverbs(scene, index - 1, window, forward=False)
        index -= 1 if index in window and doc.lowers[index] in lex.classes.infinitive_markers else 0
        index = skip_adverbs(scene, index - 1, window, forward=False)
    relative = None
    if index in window and doc.lowers[index] == "who":
        relative = index  # "Gareth Lowe, the MP for Calder Valley, who said"
        index -= 1
    if index - 1 in window and doc.words[index] == "," and doc.words[index - 1] == ")":
        index -= 1  # "Gov. John Kasich (R-OH), said"
    index = before_parenthesis(scene, index, window)  # "Rep. John Roe (R-Fla.) said"
    if index in window and doc.capitalized[index]:
        home = before_home(scene, max(index - SEGMENT_MAX_TOKENS, 0), index)
        index = home if home in window else index  # "Jeb Bush of Florida said"
    if index in window and doc.words[index] == ",":
        index = before_appositions(scene, index, window)
    if index not in window or doc.lowers[index] in lex.classes.coordinators:
        return None  # "X praised Y and said": the coordinated verb's subject is the clause's
    named = phrase_ending(scene, index, window)
    if named is None or relative is None:
        return named
    return named[0], (named[1][0], doc.ends[relative])  # the evidence runs to the "who"


def sentence_subject(scene: Scene, cue: int, window: Collection[int]) -> Named | None:
    """Return the first person (else pronoun, organisation, noun phrase) of the cue's clause."""
    doc, entities = scene.doc, scene.entities
    before = sorted(i for i in window if i < cue)
    pronouns, openers = doc.lexicon.pronouns, doc.lexicon.classes.clause_openers
    opening = set(before[:1]) | {i + 1 for i in before if doc.lowers[i] in openers}

    # "She went on to attack Tom Reed, saying": the pronoun that opens the clause is its
    # subject; a pronoun inside it ("Asked whether he wished to speak, X said") is not.
    def possessor(index: int) -> bool:  # "the president's policy": not the subject
        after = entities.mention_end.get(index, index) + 1
        return after < doc.size and doc.words[after] in POSSESSIVE_MARKS

    for wanted in (
        lambda i: (
            (entities.is_person(i) and not possessor(i))
            or (i in opening and doc.words[i] in pronouns)
        ),
        lambda i: entities.is_person(i) or doc.words[i] in pronouns,
    ):
        for index in before:
            if wanted(index):
                return phrase_ending(scene, entities.mention_end.get(index, index), window)
    for index in before:
        if index in entities.by_token:
            return phrase_ending(scene, entities.mention_end.get(index, index), window)
    for index in sorted(opening):  # "The billionaire businessman began by ..., saying"
        if doc.lowers[index] in doc.lexicon.phrase_leads:
            return phrase_at(scene, index, window)
    return None


def before_appositions(scene: Scene, comma: int, window: Collection[int]) -> int:
    """Step back from ', said' over appositions to the subject they describe.

    Comma-delimited segments are read right to left. A segment that opens with 'who',
    'a', 'the' and the like describes someone ('a spokesman for the Agency'); the first
    segment that ends in a name is the subject.
    """
    doc = scene.doc
    end = comma
    described = None  # "The 34-year-old, who had two doubles, told ESPN"
    for _ in range(APPOSITION_SEGMENTS):
        start = end - 1
        while (
            start - 1 in window and doc.words[start - 1] != "," and end - start < SEGMENT_MAX_TOKENS
        ):
            start -= 1
        if start not in window or start >= end:
            break
        subject = segment_subject(scene, start, end - 1)
        if subject is not None:
            return subject
        opens = start - 1 not in window or doc.words[start - 1] != ","
        lead = doc.lowers[start] in doc.lexicon.phrase_leads  # "The 34-year-old", "A Warren aide"
        definite = lead and end - 1 - start <= SPEAKER_HEAD_WORDS
        owned = end - 2 > start and doc.words[end - 2] in POSSESSIVE_MARKS
        # "Sen. X's campaign, for example, said"; not "At Sunday night's debate, X said"
        owned = owned and (
            doc.lowers[start] in doc.lexicon.phrase_leads or (end - 3) in scene.entities.by_token
        )
        if (definite or owned) and opens:
            described = end - 1  # "The 34-year-old, who ...", "X's campaign, for example,"
        if opens:
            break
        end = start - 1
    return described if described is not None else comma


def segment_subject(scene: Scene, start: int, end: int) -> int | None:
    """Return the last token of the name a segment stands for, or None if it describes."""
    doc, by_token = scene.doc, scene.entities.by_token
    end = before_home(scene, start, end)  # "Senator Wade Brown of Idaho"
    entity = by_token.get(end)
    if entity is None:
        return None
    first = end
    while first - 1 >= start and by_token.get(first - 1) == entity:
        first -= 1
    lead = start + 1 if doc.lowers[start] == "the" else start
    if first <= lead:
        return end  # the segment is the name itself: "The National Freight Rail Council"
    if entity[0] == "person":
        pronouns = doc.lexicon.pronouns
        for i in range(start, first):  # "Jane Roe hammered Tom Reed,", "She attacked Tom Reed,"
            other = by_token.get(i, ("",))
            if (other[0] == "person" and other != entity) or doc.words[i] in pronouns:
                return None  # a clause: its name is the object
        classes = doc.lexicon.classes
        if start in doc.sentence_set and doc.lowers[start] in classes.speaker_clause_openers:
            return end  # "As Andrew Tabler, an expert on Syria, noted,"
        return None if doc.lowers[start] in classes.describing_openers else end
    owner = person_of_org(scene, first)
    return owner if owner is not None and owner >= start else None


def phrase_ending(scene: Scene, index: int, window: Collection[int]) -> Named | None:
    """Return the entity named by the words ending at token index."""
    doc, lex, by_token = scene.doc, scene.doc.lexicon, scene.entities.by_token
    entity = by_token.get(index)
    if entity is not None:
        first = index
        while first - 1 in by_token and by_token[first - 1] == entity:
            first -= 1
        if entity[0] == "org" and (owner := person_of_org(scene, first)) is not None:
            return phrase_ending(scene, owner, window)  # the analyst, not the firm
        lead = title_start(scene, first)
        if (
            lead - 2 in window
            and doc.lowers[lead - 1] in lex.classes.proxy_prepositions
            and doc.lowers[lead - 2] in lex.classes.proxy_people
        ):
            proxy = lead - 2
            if proxy - 1 in window and doc.lowers[proxy - 1] in lex.classes.unnamed_determiners:
                proxy -= 1  # "a spokesman for X": the source's words with their article
            return None, (doc.starts[proxy], doc.ends[index])  # X's unnamed spokesman
        return entity, (doc.starts[first], doc.ends[index])
    if doc.words[index] in lex.pronouns:
        return scene.coref.pronoun(index), (doc.starts[index], doc.ends[index])
    if doc.words[index] in lex.classes.thing_pronouns:  # "it said": the one body named
        return issuer(scene, index, sole=True), (doc.starts[index], doc.ends[index])
    if doc.kinds[index] != "word" or (
        doc.capitalized[index]
        and doc.lowers[index] not in lex.classes.org_nouns
        and doc.words[index] not in lex.nationalities  # "one senior Democrat said"
    ):
        return None
    return _common_noun_phrase(scene, index, window)


def phrase_start(scene: Scene, head: int, window: Collection[int]) -> int:
    """Return where a noun phrase ending at head starts: at its determiner ("the", "a"), if
    one stands within NOUN_PHRASE_WORDS words, else at the farthest word looked at."""
    doc, leads = scene.doc, scene.doc.lexicon.phrase_leads
    first = head
    while (
        first - 1 in window and doc.kinds[first - 1] == "word" and head - first < NOUN_PHRASE_WORDS
    ):
        first -= 1
        if doc.lowers[first] in leads:
            break
    return first


def _common_noun_phrase(scene: Scene, index: int, window: Collection[int]) -> Named | None:
    """Return the source a common noun phrase ending at index names ('the ministry')."""
    doc, lex = scene.doc, scene.doc.lexicon
    leads = lex.phrase_leads
    first = phrase_start(scene, index, window)
    if doc.lowers[first] not in leads:
        if first - 1 in window and doc.words[first - 1] in POSSESSIVE_MARKS:
            return possessed(scene, first - 1, index)
        first = index
    before = first - 1
    if before - 1 in window and doc.lowers[before] in lex.classes.workplace_prepositions:
        outer = phrase_ending(scene, before - 1, window)  # "a doctor at the hospital"
        if outer is not None:
            return outer[0], (outer[1][0], doc.ends[index])
    people_word = doc.words[index] in lex.nationalities and doc.lowers[first] in leads
    if not speaker_noun(doc, index) and not people_word:
        return None  # "the new rates reflected": not a speaker
    return noun_phrase(scene, first, index), (doc.starts[first], doc.ends[index])


def phrase_at(scene: Scene, index: int, window: Collection[int]) -> Named | None:
    """Return the entity named by the words starting at token index (inverted subject)."""
    doc, lex, entities = scene.doc, scene.doc.lexicon, scene.entities
    # "said Mrs Ashdown", "said Floods Minister Rebecca Thorne": a title leads to the name;
    # "said former campaign adviser Jane Roe": so does a role in lower case.
    index = past_role(scene, past_title(scene, index, window), window)
    if index not in window:
        return None
    entity = entities.by_token.get(index)
    if entity is not None:
        last = entities.mention_end.get(index, index)
        return entity, (doc.starts[index], doc.ends[last])
    if doc.words[index] in lex.pronouns:
        return scene.coref.pronoun(index), (doc.starts[index], doc.ends[index])
    if doc.lowers[index] == "the" or doc.lowers[index] in lex.classes.unnamed_determiners:
        head = index + 1
        heads = lex.speaker_heads
        while (
            head + 1 in window
            and doc.kinds[head + 1] == "word"
            and head - index < (SPEAKER_HEAD_WORDS)
        ):
            if doc.lowers[head] in heads and doc.lowers[head + 1] not in heads:
                break  # "an official on Monday"; but "a senior official" runs on
            head += 1
        if head in window:
            named = named_after(scene, head, window)
            if named is not None:
                return named  # "the club's chairwoman, Bríd Keane"
            return noun_phrase(scene, index, head), (doc.starts[index], doc.ends[head])
    return None


def outlet_after(scene: Scene, index: int, window: Collection[int]) -> int | None:
    """Return the outlet right after 'told' or 'with', if one stands there."""
    if index in window and scene.doc.lowers[index] == "the":
        index += 1
    entity = scene.entities.by_token.get(index)
    return entity[1] if entity and scene.is_outlet(entity) else None


def channel_of(scene: Scene, window: Collection[int]) -> int | None:
    """Return an outlet given the words in the sentence: 'in an interview with the BBC'."""
    leads = scene.doc.lexicon.classes.channel_leads
    for index in sorted(window):
        if scene.doc.lowers[index] in leads:
            outlet = outlet_after(scene, index + 1, window)
            if outlet is not None:
                return outlet
    return None


__all__ = ["Cues", "Named", "Scene", "speaker_of_cue"]
