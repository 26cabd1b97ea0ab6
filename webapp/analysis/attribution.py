"""Who said each quotation, with the evidence: the words naming the speaker, the cue, and
the rule that decided (its ``reason``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from .cues import Cue
from .kinds import normal_words, sentence_subject_at
from .organizations import Entity
from .quotes import Quotes, QuoteSpan, Window
from .scene import Named, Scene
from .speakers import channel_of, phrase_ending, sentence_subject, speaker_of_cue
from .tuning import MAX_CUES


class Attribution(NamedTuple):
    """A quotation's kind and speaker, and the evidence for it."""

    number: int  # the quotation's index in Quotes.spans
    kind: str
    speaker: Entity | None = None
    speaker_span: tuple[int, int] | None = None
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    channel: int | None = None
    reason: str | None = None  # the rule that decided; None when no speaker was found
    explicit: bool = False  # named in the quotation's own sentence


def _with_pronoun(scene: Scene, span: tuple[int, int] | None, reason: str) -> str:
    """Prefix the reason with 'pronoun:' when the speaker's words are a he or she."""
    if span is None:
        return reason
    words = scene.doc.text[span[0] : span[1]]
    return f"pronoun:{reason}" if words in scene.doc.lexicon.pronouns else reason


Choice = tuple[Cue, Entity | None, tuple[int, int]]  # the cue and who it names, with the words


def attribute_window(scene: Scene, window: Window, kind: str) -> Attribution:
    """Find the speaker from the quotation's own sentence: its cues, else the sentence itself."""
    if window.span.marks == "label":
        return _labelled(scene, window, kind)
    doc, cues = scene.doc, scene.cues
    tokens = window.tokens  # built once: every rule below reads it
    chosen, channel = _by_cues(scene, window, kind, tokens)
    if channel is None:
        channel = channel_of(scene, tokens)
    if chosen is not None:
        cue, entity, span = chosen
        side = "cue-after-quote" if cue.first > window.last else "cue-before-quote"
        rule = "-".join(doc.lowers[cue.first : cue.last + 1]) if cue.speaker_after else side
        cue_span = (doc.starts[cue.first], doc.ends[cue.last])
        reason = _with_pronoun(scene, span, rule)
        return Attribution(
            window.number, kind, entity, span, cues.text(cue), cue_span, channel, reason, True
        )
    for rule, found in _without_cue(scene, window, kind, tokens):
        if found is not None and found[0] is not None:
            reason = _with_pronoun(scene, found[1], rule)
            who, words = found
            return Attribution(window.number, kind, who, words, None, None, channel, reason, True)
    return Attribution(window.number, kind, channel=channel)


def _order(scene: Scene, window: Window, kind: str) -> list[Cue]:
    """Return the sentence's cues in the order they are tried, nearest first.

    A direct quotation's cue follows it ("...," she said), unless one introduces it: a cue
    with a colon or comma right before the quotation ('Mr. Roe continued: "..."'). A
    verb-like phrase ("in a statement") counts only where no speech verb names anyone.
    """
    doc, cues = scene.doc, scene.cues
    after = [cues.at[t] for t in window.after if t in cues.at]
    before = [cues.at[t] for t in reversed(window.before) if t in cues.at]
    introduced = len(window.before) > 1 and doc.words[window.before[-1]] in (":", ",")
    introduced = introduced and any(cue.last == window.before[-2] for cue in before[:1])
    order = [*after, *before] if kind == "direct" and not introduced else [*before, *after]
    order.sort(key=lambda cue: cue.last > cue.first and not cue.speaker_after)
    return order[:MAX_CUES]


def _by_cues(
    scene: Scene, window: Window, kind: str, tokens: frozenset[int]
) -> tuple[Choice | None, int | None]:
    """Return the first cue that names a speaker (an outlet if nobody else), and the channel."""
    chosen: Choice | None = None
    reporter: Choice | None = None
    channel = None
    for cue in _order(scene, window, kind):
        named = speaker_of_cue(scene, cue, tokens)
        if named is None:
            continue
        entity, span, outlet = named
        channel = outlet if channel is None else channel
        if span is None or _reported_subject(scene, cue, span, window):
            continue
        if scene.is_outlet(entity):
            reporter = reporter or (cue, entity, span)  # "The Times reports:", if nobody else
        elif chosen is None:
            chosen = cue, entity, span
    return chosen or reporter, channel


def _reported_subject(scene: Scene, cue: Cue, span: tuple[int, int], window: Window) -> bool:
    """Return True for words after a cue before the quotation that are not its speaker.

    'X said she would "support the nominee"': the he/she opens the reported clause. 'An ad
    accuses Tom Reed of buying influence "in a pattern"': words between the name and the
    quotation make the name the verb's object. An inverted speaker stands right before the
    quotation ('said Jane Roe: "..."').
    """
    doc = scene.doc
    if cue.speaker_after or not (span[0] > doc.starts[cue.last] and cue.first < window.first):
        return False  # "according to X, the price was '...'" names X all the same
    if doc.text[span[0] : span[1]] in doc.lexicon.pronouns:
        return True
    after = doc.token_at(span[1])
    if cue.first > 0 and doc.words[cue.first - 1] == "," and doc.words[after] == ",":
        return False  # ", said Michael Kofman, an expert," set off by commas: the speaker
    return any(doc.kinds[i] == "word" for i in range(after, window.first))


def _without_cue(
    scene: Scene, window: Window, kind: str, tokens: frozenset[int]
) -> Iterator[tuple[str, Named | None]]:
    """Yield (reason, speaker found) for the rules that need no cue, in the order they win."""
    doc, entities = scene.doc, scene.entities
    if window.before and doc.words[window.before[-1]] == ":":
        # "Her message was simple: '...'": the clause before the colon names the speaker.
        yield "colon-introduction", sentence_subject(scene, window.first, frozenset(window.before))
    opener = sentence_subject_at(doc, entities, window)
    if opener is not None and kind == "partial":
        ending = entities.mention_end.get(opener, opener)
        yield "subject-of-sentence", phrase_ending(scene, ending, tokens)
    yield "dash-signature", _signed(scene, window)


def _labelled(scene: Scene, window: Window, kind: str) -> Attribution:
    """Attribute a transcript line to the person its label names ("ODUYA:" is Caleb Oduya).

    A label that names nobody in the story ("Q:", "UNIDENTIFIED FISHERMAN:") is an unnamed
    speaker, with the label as the evidence.
    """
    doc = scene.doc
    label = [t for t in window.before if doc.kinds[t] != "punct"]
    cut = next((i for i, t in enumerate(window.before) if doc.words[t] in (",", ":")), None)
    if cut is not None:
        label = [t for t in window.before[:cut] if doc.kinds[t] != "punct"]
    if not label:
        return Attribution(window.number, kind)
    said = {doc.lowers[t] for t in label}
    overlaps = [
        (len(said & {w.lower() for w in person.tokens}), -index)
        for index, person in enumerate(scene.entities.people)
    ]
    best = max(overlaps, default=(0, 0))
    speaker = ("person", -best[1]) if best[0] else None
    span = (doc.starts[label[0]], doc.ends[label[-1]])
    reason = "transcript-label"
    return Attribution(window.number, kind, speaker, span, reason=reason, explicit=True)


def _signed(scene: Scene, window: Window) -> Named | None:
    """Return the person who signs a quotation with a dash: '"..." — Jane Roe, 34, a nurse'."""
    doc, entities, after = scene.doc, scene.entities, window.after
    if not after or doc.words[after[0]] not in doc.lexicon.classes.signature_dashes:
        return None
    name = after[1] if len(after) > 1 and doc.words[after[1]] != "-" else None
    if name is None and len(after) > 2:
        name = after[2]  # "--" typed as two hyphens
    if name is None or not entities.is_person(name) or name not in entities.mention_end:
        return None
    return entities.by_token[name], (doc.starts[name], doc.ends[entities.mention_end[name]])


def inherit(scene: Scene, quotes: Quotes, found: list[Attribution]) -> list[Attribution]:
    """Give unattributed quotations the speaker of the quotation they continue.

    A quotation continues the one before it in the same paragraph, or the one that ended
    the paragraph before when it opens its own; "Sir Malcolm was unmoved. 'Cash ...'" takes
    the subject of the sentence before. The evidence is the words that named the speaker.
    """
    result: list[Attribution] = []
    for number, current in enumerate(found):
        if current.explicit:
            result.append(current)
            continue
        span = quotes.spans[current.number]
        previous = result[number - 1] if number else None
        previous_span = quotes.spans[previous.number] if previous else None
        same_paragraph = previous_span is not None and previous_span.paragraph == span.paragraph
        subject = None if same_paragraph else _previous_subject(scene, quotes, current.number)
        if same_paragraph and previous is not None and previous_span is not None:
            subject = _cue_sentence_between(scene, previous, previous_span, span, number)
        if subject is not None:
            current = current._replace(
                speaker=subject[0], speaker_span=subject[1], reason=subject[2]
            )
        elif (
            previous is not None
            and previous.speaker_span is not None  # an unnamed source goes on speaking too
            and (same_paragraph or _opens_next_paragraph(scene, span, previous_span))
        ):
            current = current._replace(
                speaker=previous.speaker,
                speaker_span=previous.speaker_span,
                reason=f"continues:q{number}",  # quotation ids count from 1
            )
        result.append(current)
    return result


def _cue_sentence_between(
    scene: Scene, previous: Attribution, previous_span: QuoteSpan, span: QuoteSpan, previous_id: int
) -> tuple[Entity, tuple[int, int], str] | None:
    """Return who a cue after the previous quotation (and its cue) names, before this one.

    '"...," said A. B said the plan failed. "..."': B speaks on. '"...," said A, who also
    said that ... "..."': A, and the nearer words are the evidence.
    """
    doc = scene.doc
    first = doc.token_at(span.start)
    if first not in doc.sentence_set or first == 0:
        return None
    sentence = range(doc.sentences[doc.sentence_of(first - 1)], first)
    floor = max(previous_span.end, previous.cue_span[1] if previous.cue_span else 0)
    tokens = frozenset(sentence)
    for index in reversed(sentence):
        if doc.starts[index] < floor:
            return None
        cue = scene.cues.at.get(index)
        named = speaker_of_cue(scene, cue, tokens) if cue is not None else None
        if named is not None and named[0] is not None and named[1] is not None:
            if named[0] == previous.speaker:
                return named[0], named[1], f"continues:q{previous_id}"
            return (
                named[0],
                named[1],
                _with_pronoun(scene, named[1], "subject-of-previous-sentence"),
            )
    return None


def _opens_next_paragraph(scene: Scene, span: QuoteSpan, previous_span: QuoteSpan | None) -> bool:
    """Return True when the quotation opens the paragraph after the previous quotation's."""
    if previous_span is None:
        return False
    opens = scene.doc.paragraphs[span.paragraph][0] == span.start
    return previous_span.paragraph == span.paragraph - 1 and opens


def _previous_subject(
    scene: Scene, quotes: Quotes, number: int
) -> tuple[Entity, tuple[int, int], str] | None:
    """Return who the sentence before the quotation is about, the words, and the reason."""
    subject = scene.coref.previous_sentence_subject(quotes.spans[number])
    if subject is None or subject[0] is None:
        return None
    entity, index = subject
    doc = scene.doc
    words = (doc.starts[index], doc.ends[scene.entities.mention_end.get(index, index)])
    spoke = _speaker_of_last_cue(scene, index)
    if spoke is not None and spoke[0] is not None:
        entity, words = spoke  # "When Wallace died, Clinton released the following statement:"
    return entity, words, _with_pronoun(scene, words, "subject-of-previous-sentence")


def _speaker_of_last_cue(scene: Scene, index: int) -> Named | None:
    """Return who the last cue of the sentence holding token index names, if any."""
    doc = scene.doc
    sentence = doc.sentence_of(index)
    first = doc.sentences[sentence]
    end = doc.sentences[sentence + 1] if sentence + 1 < len(doc.sentences) else doc.size
    tokens = frozenset(range(first, end))
    for cue_at in range(end - 1, first - 1, -1):
        cue = scene.cues.at.get(cue_at)
        if cue is not None:
            named = speaker_of_cue(scene, cue, tokens)
            return (named[0], named[1]) if named and named[1] is not None else None
    return None


def echo_headline(scene: Scene, quotes: Quotes, found: list[Attribution]) -> list[Attribution]:
    """Give a headline quotation the speaker of the body quotation that repeats its words."""
    if not scene.doc.headline:
        return found
    text = scene.doc.text

    def words(attribution: Attribution) -> str:
        span = quotes.spans[attribution.number]
        return normal_words(text[span.inner_start : span.inner_end])

    body = [
        (position, f)
        for position, f in enumerate(found)
        if quotes.spans[f.number].paragraph > 0 and f.speaker is not None
    ]
    result = []
    for current in found:
        if quotes.spans[current.number].paragraph == 0:
            own = words(current)
            for position, other in body:
                theirs = words(other)
                if own and theirs and (own in theirs or theirs in own):
                    current = current._replace(
                        speaker=other.speaker,
                        speaker_span=other.speaker_span,
                        reason=f"headline-echo:q{position + 1}",
                        explicit=True,
                    )
                    break
        result.append(current)
    return result
