"""Who said each quotation: speech cues, speaker phrases, channels and quotation kinds."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from . import words
from .coreference import resolve_pronoun
from .people import Entities, EntityFinder
from .quotes import QuoteSpan
from .text import Token

Entity = tuple[str, int]  # ("person" | "org", index)

ORG_NOUNS = words.word_class("org_nouns")
PROXY_NOUNS = words.word_class("proxy_nouns")
SCARE_LEADS = words.word_class("scare_leads")
MEDIA_NOUNS = words.word_class("media_nouns")
_WORK_LEADS = words.word_class("work_leads")
_NAMING_VERBS = words.word_class("naming_verbs")
_PASSIVE = words.word_class("passive_auxiliaries")
_DETERMINERS = words.word_class("determiners")
LINKING = words.word_class("linking_words")
SPEAKER_DETERMINERS = words.word_class("unnamed_determiners")
_DESCRIBING = words.word_class("describing_openers")
_PROXY_PEOPLE = words.word_class("proxy_people")
# Only subject pronouns: "the judge said volunteers had trusted him" says nothing of the judge.
_GENDERED_WORDS = {"he": "m", "she": "f"}
ADDRESSEE_CUES = words.word_class("addressee_cues")
_DOCUMENTS = words.word_class("document_nouns")
# Role nouns that mean the person the story is about when nobody holds that role by name.
_PROFILE_NOUNS = words.word_set("role_nouns", lower=True) - words.word_set(
    "source_nouns", lower=True
)
_CLAUSE_OPENERS = frozenset(
    ", ; and but when while as after before because though although if since until so".split()
)


@dataclass
class Attribution:
    """The speaker found for a quotation and the evidence: the words and cue that name it."""

    speaker: Entity | None = None
    speaker_span: tuple[int, int] | None = None
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    channel: int | None = None
    explicit: bool = False


@dataclass
class QuoteContext:
    """A quotation with the token windows before and after it, inside its sentence."""

    span: QuoteSpan
    first: int  # first token index of the quotation
    last: int  # last token index of the quotation
    before: list[int]  # tokens of its sentence before it, outside quotations
    after: list[int]  # tokens of its sentence after it, outside quotations


class Attributor:
    """Attribute every quotation of one text (one instance per text)."""

    def __init__(
        self,
        text: str,
        tokens: list[Token],
        sentence_starts: set[int],
        paragraph_spans: list[tuple[int, int]],
        entities: Entities,
        finder: EntityFinder,
        quotes: list[QuoteSpan],
        headline: bool = False,
    ) -> None:
        self.text = text
        self._token_starts = [token.start for token in tokens]
        self.headline = headline
        self.paragraph_spans = paragraph_spans
        self.tokens = tokens
        self.sentence_starts = sentence_starts
        self.entities = entities
        self.finder = finder
        self.quotes = quotes
        self.cues = words.cue_words()
        self.adverbs = words.word_set("adverbs", lower=True)
        self.pronouns = words.gendered("pronouns")
        self._inside_quotes = {
            i for q in quotes for i in range(self._token_at(q.start), self._token_at(q.end))
        }
        self._quote_firsts = {self._token_at(q.start) for q in quotes}
        self._sorted_starts = sorted(sentence_starts)
        self._sentence_offsets = [tokens[i].start for i in self._sorted_starts if i < len(tokens)]
        self._quote_starts = [q.start for q in quotes]
        self._unnamed_nouns: set[str] = set()
        self.unnamed = self._unnamed_sources()
        self.contexts = [self._context(q) for q in quotes]
        self.outside = [self._outside_quotes(p.mentions) for p in entities.people]
        self._learn_genders()
        # Mentions that own something ("Lonnie Mays's granddaughter"): never a subject.
        self._possessors = frozenset(
            start
            for person in entities.people
            for start, end in person.mentions
            if (after := self._token_at(end)) < len(tokens) and tokens[after].text in ("'s", "’s")
        )

    # ----- windows ----------------------------------------------------------------------
    def _token_at(self, offset: int) -> int:
        """Return the index of the first token starting at or after offset."""
        return bisect_left(self._token_starts, offset)

    def _context(self, quote: QuoteSpan) -> QuoteContext:
        """Build the quotation's before/after windows: its sentence, outside quotations."""
        first = self._token_at(quote.start)
        after_start = self._token_at(quote.end)
        para_first, para_last = self._paragraph_tokens(quote)
        inside = self._inside_quotes
        starts = self._sorted_starts
        sentence_lo = para_first
        position = bisect_right(starts, first) - 1
        while position >= 0 and starts[position] >= para_first:
            s = starts[position]
            if s == first or s not in inside:
                sentence_lo = s
                break
            position -= 1
        sentence_hi = para_last + 1
        position = bisect_right(starts, after_start)
        while position < len(starts) and starts[position] <= para_last:
            s = starts[position]
            if s not in inside or s in self._quote_firsts:
                sentence_hi = s
                break
            position += 1
        before = [i for i in range(sentence_lo, first) if i not in inside]
        after = [i for i in range(after_start, sentence_hi) if i not in inside]
        return QuoteContext(quote, first, after_start - 1, before, after)

    def _paragraph_tokens(self, quote: QuoteSpan) -> tuple[int, int]:
        """Return the first and last token indices of the quotation's paragraph."""
        start, end = self.paragraph_spans[quote.paragraph]
        return self._token_at(start), self._token_at(end) - 1

    def _outside_quotes(self, mentions: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Return the mentions that are not inside a quotation (quotations never overlap)."""
        outside = []
        for mention in mentions:
            position = bisect_right(self._quote_starts, mention[0]) - 1
            if position < 0 or mention[0] >= self.quotes[position].end:
                outside.append(mention)
        return outside

    def previous_sentence_subject(self, span: QuoteSpan) -> Entity | None:
        """Return who the sentence just before a quotation is about, if it names someone.

        "Sir Malcolm was unmoved. 'Cash terms ...'", "She laughs. 'Because ...'", and a
        paragraph of reported speech ("Raghunathan said the group would ...") followed by a
        paragraph that is only a quotation. The sentence must be outside quotations and
        either open with the person or carry a speech cue.
        """
        first = self._token_at(span.start)
        if first not in self.sentence_starts:
            return None
        para_first, _ = self._paragraph_tokens(span)
        if first == para_first:
            if span.paragraph == 0:
                return None
            start, end = self.paragraph_spans[span.paragraph - 1]
            lo, hi = self._token_at(start), self._token_at(end)
            if any(i in self._inside_quotes for i in range(lo, hi)):
                return None  # the last paragraph quoted someone: _inherit handles it
        else:
            lo, hi = para_first, first
        starts = [s for s in self._sorted_starts if lo <= s < hi and s not in self._inside_quotes]
        if not starts:
            return None
        sentence = range(starts[-1], hi)
        if any(i in self._inside_quotes for i in sentence):
            return None
        has_cue = any(self._is_cue(i) for i in sentence)
        for index in sentence:
            token = self.tokens[index]
            if self._is_person(index):
                if has_cue or index - sentence.start <= 3:
                    return self.entities.by_token[index]
                return None
            if token.text in self.pronouns and (has_cue or index - sentence.start <= 2):
                return self._pronoun(index)
        return None

    # ----- kinds ------------------------------------------------------------------------
    def kind(self, context: QuoteContext) -> str | None:
        """Return "direct", "partial", or None for scare quotes and titles."""
        span = context.span
        inner = self.text[span.inner_start : span.inner_end].strip()
        inner_words = inner.split()
        lead = [
            t
            for t in context.before
            if self.tokens[t].kind != "punct" or self.tokens[t].text in (",", ":")
        ]
        set_off = not lead or self.tokens[context.before[-1]].text in (",", ":", "—")
        ends_clause = inner[-1:] in ",.!?…—-" or not span.closed
        follows = list(context.after)
        followed_by_cue = bool(follows) and (
            self.tokens[follows[0]].text in (",", "—") or self.tokens[follows[0]].lower in self.cues
        )
        if self._is_title_or_nickname(context, inner_words):
            return None
        if span.paragraph == 0 and self.headline and len(inner_words) == 1:
            return "partial" if self._quoted_in_body(inner) else None  # were ‘normalised’
        if span.paragraph == 0 and self.headline and len(inner_words) >= 2:
            return "direct" if set_off else "partial"  # headlines quote speech
        if set_off and (ends_clause or followed_by_cue or len(inner_words) >= 6):
            return "direct"
        if len(inner_words) >= 2 and inner[-1:] in "!?":
            return "direct"  # an utterance of its own: chanting "Get back to work!"
        if len(inner_words) == 1 and not self._one_word_quotation(context):
            return None
        return "partial" if self._sentence_has_cue(context) else None

    def _is_title_or_nickname(self, context: QuoteContext, inner_words: list[str]) -> bool:
        """Return True for the so-called "green corridor", the film "Dune", Earl "Fats" Brown."""
        before = context.before
        if before:
            previous = self.tokens[before[-1]]
            spoken = len(before) > 1 and (
                self.tokens[before[-2]].text in self.pronouns
                or before[-2] in self.entities.by_token
            )  # "what he called 'the best part'" is his words; "a film called 'Dune'" a title
            if previous.lower in SCARE_LEADS and not spoken:
                return True
            work = len(before) > 1 and self.tokens[before[-2]].lower in _WORK_LEADS
            if previous.lower in MEDIA_NOUNS and work and inner_words[0][:1].isupper():
                return True  # the film "Dune"; but The report "leaves very little room"
            if (
                previous.lower == "as"
                and len(before) > 1
                and self.tokens[before[-2]].lower in ("known", "referred")
            ):
                return True  # known as "the Tiger"; but 'described as "grim"' is a quotation
            nxt = context.after[0] if context.after else None
            if previous.is_capitalized and nxt is not None and self.tokens[nxt].is_capitalized:
                return len(inner_words) <= 2
        titled = all(
            w[0].isupper() or w.lower() in ("of", "the", "and", "a", "an", "in", "on", "at", "for")
            for w in inner_words
            if w[0].isalpha()
        )
        # A title may carry the sentence's comma inside its marks: "Last Call at the Orpheum,"
        short = len(inner_words) <= 6 and not any(w[-1] in ",.!?" for w in inner_words[:-1])
        return titled and short and bool(before) and inner_words[0][0].isupper()

    def _quoted_in_body(self, inner: str) -> bool:
        """Return True if the body quotes these words too (a headline echoing the story)."""
        wanted = inner.strip(",.;:!? ").lower()
        return any(
            self.text[q.inner_start : q.inner_end].strip(",.;:!? ").lower() == wanted
            for q in self.quotes
            if q.paragraph > 0
        )

    def _one_word_quotation(self, context: QuoteContext) -> bool:
        """Return True for 'had been "cynical"', 'apologised "unreservedly"'; not 'the "smart"'.

        One quoted word is the speaker's own only after a speech cue of its sentence, and never
        right after a determiner (the "deal", that "deal") or a naming word (the word "diary").
        """
        if context.before:
            previous = self.tokens[context.before[-1]].lower
            if previous in _DETERMINERS:
                return False
            if self._linking_before(context):
                return True
        return any(self._is_cue(i) for i in context.before)

    def _linking_before(self, context: QuoteContext) -> bool:
        """Return True for 'described the talks as "constructive"', 'called it "a farce"'."""
        return bool(context.before) and self.tokens[context.before[-1]].lower in LINKING

    def _sentence_has_cue(self, context: QuoteContext) -> bool:
        """Return True if a speech cue stands in the quotation's sentence."""
        tokens = [*context.before, *context.after]
        return any(self._is_cue(t) for t in tokens)

    def _is_cue(self, index: int) -> bool:
        """Return True for a cue word or the phrase 'according to'."""
        token = self.tokens[index]
        if token.lower in _NAMING_VERBS and index > 0 and self.tokens[index - 1].lower in _PASSIVE:
            return False  # "she has been called everything from 'the Selkie'": naming, not speech
        if token.lower in words.word_set("ambiguous_cues", lower=True):
            return self._verb_context(index)
        if token.lower in self.cues:
            return True
        return (
            token.lower == "according"
            and index + 1 < len(self.tokens)
            and (self.tokens[index + 1].lower == "to")
        )

    def _verb_context(self, index: int) -> bool:
        """Return True when a noun-like cue ('states') is used as a verb here."""
        before = self.tokens[index - 1] if index > 0 else None
        after = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        if before is not None and (
            index - 1 in self.entities.by_token
            or before.text in self.pronouns
            or before.text in ",\"”’'"
            or self._speaker_like(index - 1)
        ):
            return True
        return after is not None and (after.lower == "that" or after.text in ",:\"“‘'")

    # ----- speakers ---------------------------------------------------------------------
    def attribute(self, context: QuoteContext, kind: str) -> Attribution:
        """Find the speaker from the quotation's own sentence: cues after, then before."""
        after = [t for t in context.after if self._is_cue(t)]
        before = [t for t in reversed(context.before) if self._is_cue(t)]
        order = [*after, *before] if kind == "direct" else [*before, *after]
        result = Attribution()
        for cue in order:
            found = self._speaker_of_cue(cue, context)
            if found is None:
                continue
            entity, span, channel = found
            if channel is not None and result.channel is None:
                result.channel = channel
            if span is None:
                continue
            if not result.explicit:
                result.speaker, result.speaker_span = entity, span
                result.cue = self.tokens[cue].text
                result.cue_span = (self.tokens[cue].start, self._cue_end(cue))
                result.explicit = True
        if not result.explicit and context.before and self.tokens[context.before[-1]].text == ":":
            # "Her message was simple: '...'": the clause before the colon names the speaker.
            found = self._sentence_subject(context.first, set(context.before))
            if found is not None and found[0] is not None:
                result.speaker, result.speaker_span = found
                result.explicit = True
        result.channel = result.channel if result.channel is not None else self._channel(context)
        return result

    def _cue_end(self, cue: int) -> int:
        """Return where the cue ends ('according to' is two words)."""
        if self.tokens[cue].lower == "according":
            return self.tokens[cue + 1].end
        return self.tokens[cue].end

    def _speaker_of_cue(
        self, cue: int, context: QuoteContext
    ) -> tuple[Entity | None, tuple[int, int] | None, int | None] | None:
        """Return (speaker, speaker span, channel) for one cue, or None if nothing names it."""
        window = set(context.before) | set(context.after)
        channel = None
        word = self.tokens[cue].lower
        if word == "according":
            found = self._phrase_at(cue + 2, window)
            if found and found[0] and found[0][0] == "org" and self._is_outlet(found[0][1]):
                return None, None, found[0][1]
            return (found[0], found[1], None) if found else None
        if word in ADDRESSEE_CUES:
            channel = self._outlet_after(cue + 1, window)
        if cue + 1 in window and self.tokens[cue + 1].lower == "by":
            agent = self._phrase_at(self._skip(cue + 2, window, forward=True), window)
            if agent is not None:
                return agent[0], agent[1], channel  # "a statement written by Bríd Keane"
        left = self._subject_left(cue, window)
        coordinated = cue - 1 in window and self.tokens[cue - 1].lower in ("and", "but")
        if left is None and (word.endswith("ing") or coordinated):
            left = self._sentence_subject(cue, window)  # "X declined, saying" / "X ... and urged"
        if left is not None:
            entity, span = left
            if entity and entity[0] == "org" and self._is_outlet(entity[1]):
                return None, None, entity[1]  # "Itar-Tass reported": a channel, not a speaker
            return entity, span, channel
        if word not in ADDRESSEE_CUES:
            right = self._phrase_at(self._skip(cue + 1, window, forward=True), window)
            if right is not None:
                entity, span = right
                if entity and entity[0] == "org" and self._is_outlet(entity[1]):
                    return None, None, entity[1]
                return entity, span, channel
        return (None, None, channel) if channel is not None else None

    def _skip(self, index: int, window: set[int], *, forward: bool) -> int:
        """Step over adverbs and auxiliaries ('also said', 'said later', 'had said')."""
        step = 1 if forward else -1
        while index in window and self.tokens[index].lower in self.adverbs:
            index += step
        return index

    def _subject_left(
        self, cue: int, window: set[int]
    ) -> tuple[Entity | None, tuple[int, int]] | None:
        """Return the speaker standing before the cue, skipping adverbs and an apposition."""
        index = self._skip(cue - 1, window, forward=False)
        if index in window and self.tokens[index].lower == "to":
            # "she likes to say", "went on to say", "wanted to tell".
            index = self._skip(index - 1, window, forward=False)
            index -= 1 if index in window and self.tokens[index].lower == "on" else 0
            index = self._skip(index - 1, window, forward=False)
        if index in window and self.tokens[index].lower == "who":
            index -= 1  # "Gareth Lowe, the MP for Calder Valley, who said"
        if index in window and self.tokens[index].text == ",":
            index = self._before_appositions(index, window)
        if index not in window:
            return None
        return self._phrase_ending(index, window)

    def _sentence_subject(
        self, cue: int, window: set[int]
    ) -> tuple[Entity | None, tuple[int, int]] | None:
        """Return the first person (else organisation or pronoun) of the cue's clause."""
        before = sorted(i for i in window if i < cue)
        for wanted in (self._is_person, lambda i: self.tokens[i].text in self.pronouns):
            for index in before:
                if wanted(index):
                    end = self.entities.mention_end.get(index, index)
                    return self._phrase_ending(end, window)
        for index in before:
            if index in self.entities.by_token:
                return self._phrase_ending(self.entities.mention_end.get(index, index), window)
        return None

    def _before_appositions(self, comma: int, window: set[int]) -> int:
        """Step back from ', said' over appositions to the subject they describe.

        Comma-delimited segments are read right to left. A segment that opens with 'who',
        'a', 'the' and the like describes someone ('a spokesman for the Agency', 'who voted
        with Denise Whitfield'); the first segment that ends in a name is the subject.
        """
        end = comma
        described = None  # "The 34-year-old, who had two doubles, told ESPN"
        for _ in range(4):
            start = end - 1
            while start - 1 in window and self.tokens[start - 1].text != "," and end - start < 40:
                start -= 1
            if start not in window or start >= end:
                break
            subject = self._segment_subject(start, end - 1)
            if subject is not None:
                return subject
            definite = self.tokens[start].lower == "the" and end - 1 - start <= 4
            opens = start - 1 not in window or self.tokens[start - 1].text != ","
            if definite and opens:
                described = end - 1  # a definite noun phrase opening the clause
            if opens:
                break
            end = start - 1
        return described if described is not None else comma

    def _segment_subject(self, start: int, end: int) -> int | None:
        """Return the last token of the name a segment stands for, or None if it describes."""
        entity = self.entities.by_token.get(end)
        if entity is None:
            return None
        first = end
        while first - 1 >= start and self.entities.by_token.get(first - 1) == entity:
            first -= 1
        lead = start + 1 if self.tokens[start].lower == "the" else start
        if first <= lead:
            return end  # the segment is the name itself: "The National Freight Rail Council"
        if entity[0] == "person":
            return None if self.tokens[start].lower in _DESCRIBING else end
        owner = self._person_of_org(first)
        return owner if owner is not None and owner >= start else None

    def _person_of_org(self, first: int) -> int | None:
        """Return the person in 'Marcus Oyelaran of Cardinal Bay Research' (org at first)."""
        of = first >= 2 and self.tokens[first - 1].lower in ("of", "at", "from")
        return first - 2 if of and self._is_person(first - 2) else None

    def _title_start(self, first: int) -> int:
        """Return where the titles before a name begin ('President Andrés Villamizar')."""
        while first - 1 >= 0 and (
            self.tokens[first - 1].text in self.finder.titles
            or self.tokens[first - 1].text in self.finder.honorifics
            or self.tokens[first - 1].text in self.finder.title_modifiers
        ):
            first -= 1
        return first

    def _is_person(self, index: int) -> bool:
        """Return True if the token belongs to a person's mention."""
        return self.entities.by_token.get(index, ("",))[0] == "person"

    def _phrase_ending(
        self, index: int, window: set[int]
    ) -> tuple[Entity | None, tuple[int, int]] | None:
        """Return the entity named by the words ending at token index."""
        token = self.tokens[index]
        entity = self.entities.by_token.get(index)
        if entity is not None:
            first = index
            while (
                first - 1 in self.entities.by_token and self.entities.by_token[first - 1] == entity
            ):
                first -= 1
            if entity[0] == "org" and (owner := self._person_of_org(first)) is not None:
                return self._phrase_ending(owner, window)  # the analyst, not the firm
            lead = self._title_start(first)
            if (
                lead - 2 in window
                and self.tokens[lead - 1].lower in ("for", "to", "of")
                and self.tokens[lead - 2].lower in _PROXY_PEOPLE
            ):
                return None, (self.tokens[lead - 2].start, token.end)  # X's unnamed spokesman
            return entity, (self.tokens[first].start, token.end)
        if token.text in self.pronouns:
            return self._pronoun(index), (token.start, token.end)
        if token.kind != "word" or (token.is_capitalized and token.lower not in ORG_NOUNS):
            return None
        # A common noun phrase: walk back to its determiner.
        first = index
        while first - 1 in window and self.tokens[first - 1].kind == "word" and index - first < 5:
            first -= 1
            if self.tokens[first].lower in ("the", *SPEAKER_DETERMINERS):
                break
        if self.tokens[first].lower not in ("the", *SPEAKER_DETERMINERS):
            if first - 1 in window and self.tokens[first - 1].text in ("'s", "’s"):
                return self._possessed(first - 1, index, window)
            first = index
        before = first - 1
        if before - 1 in window and self.tokens[before].lower in (
            "at",
            "for",
            "of",
            "from",
            "with",
        ):
            outer = self._phrase_ending(before - 1, window)  # "a doctor at the hospital"
            if outer is not None:
                return outer[0], (outer[1][0], token.end)
        if not self._speaker_like(index):
            return None  # "the new rates reflected": not a speaker
        return self._noun_phrase(first, index), (self.tokens[first].start, token.end)

    def _speaker_like(self, head: int) -> bool:
        """Return True for nouns that can name a source: officials, the ministry, the coach."""
        noun = self.tokens[head].lower
        return (
            noun.endswith("year-old")
            or noun in words.word_set("source_nouns", lower=True)
            or noun in words.word_set("role_nouns", lower=True)
            or noun in ORG_NOUNS
            or self.finder.agent_noun(self.tokens[head])  # "the batter said"
        )

    def _possessed(
        self, mark: int, head: int, window: set[int]
    ) -> tuple[Entity | None, tuple[int, int]]:
        """Resolve 'Azimov's office' to Azimov and "NATO's leader" to NATO's leader."""
        owner = self.entities.by_token.get(mark - 1)
        span = (self.tokens[mark - 1].start, self.tokens[head].end)
        if owner is not None and self.tokens[head].lower in PROXY_NOUNS:
            return owner, span
        phrase = self.finder.role_phrase_at(mark - 1)
        if phrase is not None:
            return ("person", phrase[2]), span
        return None, span

    def _noun_phrase(self, first: int, head: int) -> Entity | None:
        """Resolve 'the minister' / 'the ministry' / 'a senior official' to an entity or None."""
        lead = self.tokens[first].lower
        if lead in SPEAKER_DETERMINERS:
            return None  # an unnamed source: never a named person
        noun = self.tokens[head].lower
        if lead == "the":
            phrase = self.finder.role_phrase_at(first)
            if phrase is not None:
                return ("person", phrase[2])
            if noun.endswith("year-old"):
                return self._pronoun(head, gender="any")  # "the 34-year-old said"
            profile = noun in _PROFILE_NOUNS or (
                noun not in words.word_set("role_nouns", lower=True)
                and self.finder.agent_noun(self.tokens[head])
            )
            if profile and noun not in self._unnamed_nouns:
                # "the actor wrote", "the batter said": nobody's stated role, and no "an actor"
                # was introduced as a source, so the phrase means the person the story is about.
                return self._story_subject(self.tokens[head].start)
        elif first == head and noun in words.word_set("role_nouns", lower=True):
            # A bare role noun, as headlines write it: "mayor vows".
            person = self.finder.person_with_role(noun, [], self.tokens[head].start)
            if person is not None:
                return ("person", person)
            if noun in _PROFILE_NOUNS and noun not in self._unnamed_nouns:
                return self._pronoun(head, gender="any")  # "'He is ashamed,' counsel said."
        if noun in ORG_NOUNS:
            return self._org_by_noun(noun, self.tokens[first].start)
        return None

    def _org_by_noun(self, noun: str, offset: int) -> Entity | None:
        """Return the latest named non-outlet organisation this noun can mean."""
        best = None
        generic = noun in ("company", "firm", "group")
        for index, org in enumerate(self.entities.orgs):
            if org.kind == "outlet":
                continue
            count = bisect_left(org.mentions, (offset, -1))  # mentions before the phrase
            if not count:
                continue
            latest = org.mentions[count - 1][0]
            if generic:
                # "the company": a company's name beats a regulator named more recently.
                is_company = org.name.split()[-1] in words.company_words()
                rank = (is_company, count, latest)
            elif noun in org.name.lower():
                rank = (True, 0, latest)
            else:
                continue
            if best is None or rank > best[0]:
                best = (rank, index)
        return ("org", best[1]) if best else None

    def _phrase_at(
        self, index: int, window: set[int]
    ) -> tuple[Entity | None, tuple[int, int]] | None:
        """Return the entity named by the words starting at token index (inverted subject)."""
        # "said Mrs Ashdown", "said Floods Minister Rebecca Thorne": titles lead to the name.
        while (
            index in window
            and index not in self.entities.by_token
            and (
                self.tokens[index].text in self.finder.titles
                or self.tokens[index].text in self.finder.honorifics
            )
        ):
            index += 1
        if index not in window:
            return None
        token = self.tokens[index]
        entity = self.entities.by_token.get(index)
        if entity is not None:
            last = self.entities.mention_end.get(index, index)
            return entity, (token.start, self.tokens[last].end)
        if token.text in self.pronouns:
            return self._pronoun(index), (token.start, token.end)
        if token.lower in ("the", *SPEAKER_DETERMINERS):
            head = index + 1
            while head + 1 in window and self.tokens[head + 1].kind == "word" and head - index < 4:
                if self.tokens[head].lower in words.word_set("role_nouns", lower=True):
                    break
                if self.tokens[head].lower in ORG_NOUNS:
                    break
                head += 1
            if head in window:
                named = self._named_after(head, window)
                if named is not None:
                    return named  # "the club's chairwoman, Bríd Keane"
                return self._noun_phrase(index, head), (token.start, self.tokens[head].end)
        return None

    def _named_after(
        self, head: int, window: set[int]
    ) -> tuple[Entity | None, tuple[int, int]] | None:
        """Return the person named in apposition right after a noun phrase, if any."""
        for comma in range(head + 1, min(head + 4, len(self.tokens))):
            if comma not in window:
                return None
            if self.tokens[comma].text == ",":
                name = comma + 1
                if self._is_person(name):
                    last = self.entities.mention_end.get(name, name)
                    span = (self.tokens[name].start, self.tokens[last].end)
                    return self.entities.by_token[name], span
                return None
        return None

    def _story_subject(self, offset: int) -> Entity | None:
        """Return the person named most often before offset (the latest, on a tie)."""
        best: tuple[int, int, int] | None = None
        for index, mentions in enumerate(self.outside):
            count = bisect_left(mentions, (offset, -1))
            if count:
                rank = (count, mentions[count - 1][0], index)
                best = rank if best is None or rank > best else best
        return ("person", best[2]) if best else None

    def _unnamed_sources(self) -> list[tuple[int, str | None]]:
        """Return (end offset, gender) of 'a spokesman', 'an official' outside quotations.

        A he/she right after such a source means that source, not the last named person.
        """
        sources = words.word_set("source_nouns", lower=True)
        found = []
        for index, token in enumerate(self.tokens):
            if token.lower not in ("a", "an", "one") or index in self._inside_quotes:
                continue
            if index not in self.sentence_starts and self.tokens[index - 1].lower not in (
                _CLAUSE_OPENERS
            ):
                continue  # "remembers a student": an object, not the next speaker
            if self._apposition_of_name(index):
                continue  # "Smith, a spokesman", "Smith, 46, a teacher": describes a named person
            for head in range(index + 1, min(index + 5, len(self.tokens))):
                noun = self.tokens[head].lower
                if noun in sources and noun not in _DOCUMENTS:
                    gender = "m" if noun.endswith(("man", "men")) else None
                    gender = "f" if noun.endswith(("woman", "women")) else gender
                    found.append((self.tokens[head].end, gender))
                    self._unnamed_nouns.add(noun)
                    break
                if self.tokens[head].kind != "word":
                    break
        return found

    def _learn_genders(self) -> None:
        """Give a person of unknown gender the gender of the pronoun they say of themselves.

        Only the reported-speech pattern counts, in a sentence that names one person:
        "Nasreen Bibi said she had cut back", "Keisha Mays-Turner told the council she ...".
        Any other pronoun in the sentence may be someone else ("her father, Dai Maddox").
        """
        starts = self._sorted_starts
        for index, token in enumerate(self.tokens):
            if token.lower not in _GENDERED_WORDS or index in self._inside_quotes:
                continue
            cue = index - 2 if self.tokens[index - 1].lower == "that" else index - 1
            if cue < 1 or not self._is_cue(cue) or not self._is_person(cue - 1):
                continue
            position = bisect_right(starts, index) - 1
            lo = starts[position] if position >= 0 else 0
            hi = starts[position + 1] if position + 1 < len(starts) else len(self.tokens)
            named = {
                self.entities.by_token[i][1]
                for i in range(lo, hi)
                if self._is_person(i) and i not in self._inside_quotes
            }
            if len(named) == 1:
                person = self.entities.people[named.pop()]
                person.gender = person.gender or _GENDERED_WORDS[token.lower]

    def _apposition_of_name(self, index: int) -> bool:
        """Return True if the phrase at index follows 'Name,' or 'Name, 46,'."""
        t = self.tokens
        if index < 2 or t[index - 1].text != ",":
            return False
        if index - 2 in self.entities.by_token:
            return True
        return (
            index >= 4
            and t[index - 2].kind == "number"
            and t[index - 3].text == ","
            and (index - 4 in self.entities.by_token)
        )

    def _pronoun(self, index: int, gender: str | None = None) -> Entity | None:
        """Resolve he/she at token index to a person, learning that person's gender."""
        gender = gender or self.pronouns[self.tokens[index].text]
        offset = self.tokens[index].start
        person = resolve_pronoun(
            gender or "",
            offset,
            self.entities.people,
            self.outside,
            self._sentence_offsets,
            self._possessors,
        )
        latest_unnamed = max(
            (end for end, g in self.unnamed if end <= offset and g in (gender, None)), default=-1
        )
        here = bisect_right(self._sentence_offsets, offset)
        recent = (
            latest_unnamed >= 0 and here - bisect_right(self._sentence_offsets, latest_unnamed) <= 1
        )
        if (
            person is not None
            and recent
            and latest_unnamed
            > max((end for _, end in self.outside[person] if end <= offset), default=-1)
        ):
            return None  # "a spokesman ... rejected it. 'No,' he said." (this or the last sentence)
        if person is None:
            return None
        record = self.entities.people[person]
        if gender in ("m", "f"):
            record.gender = record.gender or gender
        return ("person", person)

    def _is_outlet(self, org: int) -> bool:
        """Return True if the organisation is a news outlet."""
        return self.entities.orgs[org].kind == "outlet"

    def _outlet_after(self, index: int, window: set[int]) -> int | None:
        """Return the outlet right after 'told' or 'with', if one stands there."""
        if index in window and self.tokens[index].lower == "the":
            index += 1
        entity = self.entities.by_token.get(index)
        if entity and entity[0] == "org" and self._is_outlet(entity[1]):
            return entity[1]
        return None

    def _channel(self, context: QuoteContext) -> int | None:
        """Return an outlet given the words in the sentence: 'in an interview with the BBC'."""
        window = set(context.before) | set(context.after)
        for index in sorted(window):
            if self.tokens[index].lower in ("with", "to", "on", "told"):
                outlet = self._outlet_after(index + 1, window)
                if outlet is not None:
                    return outlet
        return None


def attribute_all(
    text: str,
    tokens: list[Token],
    sentence_starts: set[int],
    paragraph_spans: list[tuple[int, int]],
    entities: Entities,
    finder: EntityFinder,
    quotes: list[QuoteSpan],
    headline: bool = False,
) -> list[tuple[QuoteSpan, str, Attribution]]:
    """Return (quotation, kind, attribution) for every quotation that is not a scare quote."""
    attributor = Attributor(
        text, tokens, sentence_starts, paragraph_spans, entities, finder, quotes, headline
    )
    results: list[tuple[QuoteSpan, str, Attribution]] = []
    for context in attributor.contexts:
        kind = attributor.kind(context)
        if kind is None:
            continue
        results.append((context.span, kind, attributor.attribute(context, kind)))
    _inherit(results, attributor)
    return results


def _inherit(results: list[tuple[QuoteSpan, str, Attribution]], attributor: Attributor) -> None:
    """Give unattributed quotations the speaker of the quotation they continue."""
    for number, (span, _kind, found) in enumerate(results):
        if found.explicit:
            continue
        if number == 0:
            found.speaker = attributor.previous_sentence_subject(span)
            continue
        previous_span, _, previous = results[number - 1]
        same_paragraph = previous_span.paragraph == span.paragraph
        opens_paragraph = attributor.paragraph_spans[span.paragraph][0] == span.start
        continues = previous_span.paragraph == span.paragraph - 1 and opens_paragraph
        if same_paragraph:
            found.speaker = previous.speaker
        elif (subject := attributor.previous_sentence_subject(span)) is not None:
            found.speaker = subject  # "Sir Malcolm was unmoved. 'Cash terms is ...'"
        elif continues:
            found.speaker = previous.speaker
