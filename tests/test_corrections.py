"""The owner's corrections applied on top of an analysis (webapp.corrections, pure): an
anchor that finds its words again after an edit (or refuses to), and what each kind of
correction does to the engine's quotations and people."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pytest

from webapp.analysis.result import Analysis, Organization, Person, Quote, Span
from webapp.corrections import (
    CONTEXT,
    CONTEXT_NEEDED,
    Anchor,
    Change,
    anchor_at,
    apply_corrections,
    describe,
    locate,
)

TEXT = (
    "The council approved the harbour plan on Tuesday. "
    '"We will build it this year," Anna Berg said.\n\n'
    "Karl Olsen, the opposition leader, told Radio Nord the plan was "
    '"too expensive for a small town."\n\n'
    '"Nobody asked us," a resident said.\n\n'
    'Berg said the work would start in May. "It will be worth the wait," she said. '
    '"We have waited long enough."\n\n'
    "Lena Dahl, who chairs the Harbour Trust, was at the meeting. Lena Dahlberg was not. "
    "Lena Dahl spoke last."
)


def span(text: str, words: str, occurrence: int = 0) -> Span:
    """Return the span of the occurrence-th appearance of words in text."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return Span(start, start + len(words))


@dataclass
class Fix:
    """A stored correction, as models.Correction holds one."""

    id: int
    words: str
    before: str
    after: str
    start: int
    end: int
    action: str
    speaker_kind: str | None = None
    speaker_name: str | None = None
    speaker_role: str | None = None


def fix(
    words: str,
    name: str | None = None,
    *,
    kind: str = "person",
    role: str | None = None,
    action: str = "speaker",
    number: int = 1,
    text: str = TEXT,
    occurrence: int = 0,
) -> Fix:
    """Return a correction of words in text, anchored where they are."""
    where = span(text, words, occurrence)
    anchor = anchor_at(text, where.start, where.end)
    speaking = action == "speaker"
    return Fix(
        id=number,
        words=anchor.words,
        before=anchor.before,
        after=anchor.after,
        start=anchor.start,
        end=anchor.end,
        action=action,
        speaker_kind=kind if speaking else None,
        speaker_name=name if speaking else None,
        speaker_role=role if speaking else None,
    )


def engine_quote(
    number: int, words: str, speaker: str | None, reason: str | None, kind: str = "direct"
) -> Quote:
    """Return the engine's quotation of words in TEXT."""
    where = span(TEXT, words)
    return Quote(
        id=f"q{number}",
        start=where.start,
        end=where.end,
        text=words,
        kind=kind,  # type: ignore[arg-type]
        speaker=speaker,
        speaker_span=Span(0, 4) if speaker else None,
        reason=reason,
        cue="said",
    )


def analysis() -> Analysis:
    """Return what an engine might have found in TEXT (it missed Lena Dahl and the trust)."""
    berg = [span(TEXT, "Anna Berg"), span(TEXT, "Berg said")]
    berg[1] = Span(berg[1].start, berg[1].start + len("Berg"))
    return Analysis(
        people=[
            Person("p1", "Anna Berg", role="Mayor", aliases=["Berg"], mentions=berg),
            Person(
                "p2", "Karl Olsen", role="opposition leader", mentions=[span(TEXT, "Karl Olsen")]
            ),
        ],
        organizations=[Organization("o1", "Radio Nord", "outlet", [span(TEXT, "Radio Nord")])],
        quotes=[
            engine_quote(1, '"We will build it this year,"', "p1", "cue-after-quote"),
            engine_quote(
                2, '"too expensive for a small town."', "p2", "cue-before-quote", "partial"
            ),
            engine_quote(3, '"Nobody asked us,"', None, None),
            engine_quote(4, '"It will be worth the wait,"', "p1", "pronoun:cue-after-quote"),
            engine_quote(5, '"We have waited long enough."', "p1", "continues:q4"),
        ],
    )


def quote(result: Analysis, quote_id: str) -> Quote:
    """Return the quotation of result with this id."""
    return next(q for q in result.quotes if q.id == quote_id)


# Anchoring


def test_an_anchor_keeps_the_words_and_up_to_context_characters_each_side() -> None:
    where = span(TEXT, '"too expensive for a small town."')
    anchor = anchor_at(TEXT, where.start, where.end)
    assert anchor.words == '"too expensive for a small town."'
    assert anchor.before == TEXT[where.start - CONTEXT : where.start]
    assert anchor.after == TEXT[where.end : where.end + CONTEXT]
    assert len(anchor.before) == len(anchor.after) == CONTEXT
    assert (anchor.start, anchor.end) == (where.start, where.end)
    first = anchor_at(TEXT, 0, 3)  # the text's start: less context before
    assert (first.words, first.before, first.after) == ("The", "", TEXT[3 : 3 + CONTEXT])
    last = anchor_at(TEXT, len(TEXT) - 5, len(TEXT))
    assert (last.words, last.after) == ("last.", "")


def test_an_anchor_finds_its_words_where_they_were() -> None:
    where = span(TEXT, '"Nobody asked us,"')
    anchor = anchor_at(TEXT, where.start, where.end)
    assert locate(TEXT, anchor) == anchor


def test_an_insertion_earlier_in_the_text_moves_the_anchor() -> None:
    where = span(TEXT, '"too expensive for a small town."')
    anchor = anchor_at(TEXT, where.start, where.end)
    inserted = "Update: the vote was close.\n\n"
    found = locate(inserted + TEXT, anchor)
    shift = len(inserted)
    assert found == Anchor(
        anchor.words, anchor.before, anchor.after, anchor.start + shift, anchor.end + shift
    )


def test_an_edit_next_to_the_words_moves_the_anchor_with_its_new_context() -> None:
    where = span(TEXT, '"We will build it this year,"')
    anchor = anchor_at(TEXT, where.start, where.end)
    edited = TEXT.replace("on Tuesday.", "on Wednesday evening.")
    found = locate(edited, anchor)
    assert found is not None
    assert found.words == anchor.words
    assert found.start == where.start + len("Wednesday evening") - len("Tuesday")
    assert found == anchor_at(edited, found.start, found.end)  # its context is the new one


def test_among_repeated_words_the_place_that_kept_its_context_wins() -> None:
    old = 'the council said "Yes." to the plan. the mayor said "Yes." to the plan.'
    where = span(old, '"Yes."', occurrence=1)  # the mayor's
    anchor = anchor_at(old, where.start, where.end)
    new = 'the mayor said "Yes." to the plan. Today the council said "Yes." to the plan.'
    council = span(new, '"Yes."', occurrence=1)
    mayor = span(new, '"Yes."', occurrence=0)
    # The council's words are nearer the old place, and keep enough context to be taken...
    assert abs(council.start - where.start) < abs(mayor.start - where.start)
    alone = new.replace('the mayor said "Yes."', "the mayor said no")
    only = locate(alone, anchor)
    assert only is not None and only.start == span(alone, '"Yes."').start
    # ... but the mayor's kept all of theirs.
    found = locate(new, anchor)
    assert found is not None and found.start == mayor.start


def test_among_places_that_kept_the_same_context_the_nearest_wins() -> None:
    paragraph = 'The board met again today. "We agree," the chair said after the vote.\n\n'
    old = "Opening words.\n\n" + paragraph * 3
    where = span(old, '"We agree,"', occurrence=1)  # the middle copy
    anchor = anchor_at(old, where.start, where.end)
    new = "Opening words, now longer.\n\n" + paragraph * 4
    shift = len("Opening words, now longer.") - len("Opening words.")
    found = locate(new, anchor)
    assert found is not None
    assert found.start == where.start + shift  # copy 1, not copy 2 (as much context)
    assert found.start == span(new, '"We agree,"', occurrence=1).start


@pytest.mark.parametrize(
    ("kept", "found"), [(CONTEXT_NEEDED - 1, False), (CONTEXT_NEEDED, True)], ids=["7", "8"]
)
def test_moved_words_are_taken_only_with_enough_of_their_old_context(
    kept: int, found: bool
) -> None:
    before, words, after = "0123456789abcdefghij", "WORDS", "klmnopqrst"
    anchor = anchor_at(before + words + after, len(before), len(before) + len(words))
    new = "#" * 60 + before[-kept:] + words + "@" * 20  # elsewhere, kept characters before
    located = locate(new, anchor)
    if found:
        assert located is not None and located.start == 60 + kept
    else:
        assert located is None


def test_the_same_words_in_other_surroundings_are_other_words() -> None:
    where = span(TEXT, '"Nobody asked us,"')
    anchor = anchor_at(TEXT, where.start, where.end)
    gone = TEXT.replace('"Nobody asked us," a resident said.', "A resident was not asked.")
    elsewhere = gone + '\n\nOn Friday the fishermen wrote: "Nobody asked us," and left it.'
    assert span(elsewhere, '"Nobody asked us,"').start != where.start
    assert locate(elsewhere, anchor) is None


def test_words_that_are_gone_are_not_found() -> None:
    where = span(TEXT, '"Nobody asked us,"')
    anchor = anchor_at(TEXT, where.start, where.end)
    assert locate(TEXT.replace("Nobody", "No one"), anchor) is None
    assert locate(TEXT, Anchor("", "", "", 0, 0)) is None


# Applying


def test_an_orphaned_correction_changes_nothing() -> None:
    text = TEXT.replace('"Nobody asked us," a resident said.', "A resident was not asked.")
    engine = analysis()
    engine.quotes = [q for q in engine.quotes if q.id != "q3"]
    fixed = apply_corrections(text, engine, [fix('"Nobody asked us,"', "Karl Olsen", number=7)])
    assert fixed.orphaned == [7]
    assert [o.anchor for o in fixed.outcomes] == [None]
    assert fixed.changes == {}
    assert fixed.analysis == engine


def test_words_that_do_not_show_on_the_page_are_orphaned() -> None:
    hidden = span(TEXT, '"Nobody asked us,"')
    fixed = apply_corrections(
        TEXT,
        analysis(),
        [fix('"Nobody asked us,"', "Karl Olsen")],
        shown=lambda start, end: not (start < hidden.end and hidden.start < end),
    )
    assert fixed.orphaned == [1]
    assert quote(fixed.analysis, "q3").speaker is None


def test_the_outcome_is_where_the_words_are_now() -> None:
    correction = fix('"Nobody asked us,"', "Karl Olsen")
    text = "A new first line.\n\n" + TEXT
    fixed = apply_corrections(text, analysis(), [correction])
    moved = span(text, '"Nobody asked us,"')
    assert fixed.outcomes[0].anchor == anchor_at(text, moved.start, moved.end)
    assert fixed.orphaned == []


@pytest.mark.parametrize(
    ("engine_words", "corrected_words"),
    [
        ('"too expensive for a small town."', "too expensive for a small town."),
        ("too expensive for a small town.", '"too expensive for a small town."'),
    ],
    ids=["engine-took-the-marks", "owner-took-the-marks"],
)
def test_a_speaker_correction_changes_the_engines_quotation_of_the_same_words(
    engine_words: str, corrected_words: str
) -> None:
    engine = analysis()
    q2 = quote(engine, "q2")
    where = span(TEXT, engine_words)
    q2.start, q2.end, q2.text = where.start, where.end, engine_words
    fixed = apply_corrections(TEXT, engine, [fix(corrected_words, "Anna Berg")])
    changed = quote(fixed.analysis, "q2")
    assert changed.speaker == "p1"
    assert (changed.start, changed.end) == (where.start, where.end)  # the engine's span
    assert changed.reason == "corrected"
    assert changed.speaker_span is None
    # The cue and channel were said of the engine's speaker ("Karl Olsen said"): gone too.
    assert quote(engine, "q2").cue == "said"
    assert (changed.cue, changed.cue_span, changed.channel) == (None, None, None)
    assert changed.kind == "partial"  # what the engine found is kept
    assert fixed.changes == {"q2": Change("speaker", "Karl Olsen")}
    assert len(fixed.analysis.quotes) == len(engine.quotes)


def test_a_missed_quotation_is_added_direct_when_it_opens_with_a_mark() -> None:
    engine = analysis()
    engine.quotes = [q for q in engine.quotes if q.id != "q3"]
    fixed = apply_corrections(TEXT, engine, [fix('"Nobody asked us,"', "Karl Olsen", number=4)])
    added = quote(fixed.analysis, "correction-4")
    where = span(TEXT, '"Nobody asked us,"')
    assert (added.start, added.end, added.text) == (where.start, where.end, '"Nobody asked us,"')
    assert (added.kind, added.speaker, added.reason) == ("direct", "p2", "corrected")
    assert fixed.changes == {"correction-4": Change("added", None)}
    starts = [q.start for q in fixed.analysis.quotes]
    assert starts == sorted(starts)  # in reading order, between q2 and q4
    assert [q.id for q in fixed.analysis.quotes] == ["q1", "q2", "correction-4", "q4", "q5"]


def test_a_missed_quotation_without_a_mark_is_indirect() -> None:
    fixed = apply_corrections(
        TEXT, analysis(), [fix("the work would start in May", "Anna Berg", number=2)]
    )
    added = quote(fixed.analysis, "correction-2")
    assert (added.kind, added.speaker) == ("indirect", "p1")


def test_added_words_replace_a_quotation_they_cut_into() -> None:
    words = 'us," a resident said'  # a little of q3, mostly after it
    fixed = apply_corrections(TEXT, analysis(), [fix(words, kind="unnamed")])
    assert "q3" not in [q.id for q in fixed.analysis.quotes]
    assert quote(fixed.analysis, "correction-1").text == words
    assert fixed.changes == {"correction-1": Change("added", None)}


def test_not_speech_drops_the_quotations_of_those_words() -> None:
    fixed = apply_corrections(
        TEXT, analysis(), [fix("too expensive for a small town", action="not_speech")]
    )
    assert [q.id for q in fixed.analysis.quotes] == ["q1", "q3", "q4", "q5"]
    assert fixed.changes == {}
    assert fixed.orphaned == []


def test_not_speech_of_words_the_engine_did_not_quote_changes_nothing() -> None:
    engine = analysis()
    fixed = apply_corrections(TEXT, engine, [fix("the harbour plan", action="not_speech")])
    assert fixed.analysis == engine
    assert fixed.orphaned == []


def test_a_later_correction_of_the_same_words_wins() -> None:
    fixed = apply_corrections(
        TEXT,
        analysis(),
        [
            fix('"Nobody asked us,"', "Karl Olsen", number=1),
            fix('"Nobody asked us,"', "Anna Berg", number=2),
        ],
    )
    assert quote(fixed.analysis, "q3").speaker == "p1"
    assert fixed.changes == {"q3": Change("speaker", None)}  # the engine's, not Karl Olsen


def test_a_later_correction_of_added_words_keeps_them_added() -> None:
    words = "the work would start in May"
    fixed = apply_corrections(
        TEXT,
        analysis(),
        [fix(words, "Karl Olsen", number=1), fix(words, "Anna Berg", number=2)],
    )
    assert [q.id for q in fixed.analysis.quotes if q.text == words] == ["correction-1"]
    assert quote(fixed.analysis, "correction-1").speaker == "p1"
    assert fixed.changes == {"correction-1": Change("added", None)}


def test_not_speech_after_a_speaker_correction_drops_the_quotation() -> None:
    fixed = apply_corrections(
        TEXT,
        analysis(),
        [
            fix('"Nobody asked us,"', "Karl Olsen", number=1),
            fix('"Nobody asked us,"', action="not_speech", number=2),
        ],
    )
    assert "q3" not in [q.id for q in fixed.analysis.quotes]
    assert fixed.changes == {}


def test_a_speaker_after_not_speech_brings_the_words_back_as_a_quotation() -> None:
    fixed = apply_corrections(
        TEXT,
        analysis(),
        [
            fix('"Nobody asked us,"', action="not_speech", number=1),
            fix('"Nobody asked us,"', "Karl Olsen", number=2),
        ],
    )
    assert "q3" not in [q.id for q in fixed.analysis.quotes]
    assert quote(fixed.analysis, "correction-2").speaker == "p2"
    assert fixed.changes == {"correction-2": Change("added", None)}


def test_a_continuation_follows_its_corrected_quotation() -> None:
    fixed = apply_corrections(TEXT, analysis(), [fix('"It will be worth the wait,"', "Karl Olsen")])
    q5 = quote(fixed.analysis, "q5")
    assert q5.speaker == "p2"
    assert q5.speaker_span is None
    assert q5.reason == "continues:q4"  # still said by the quotation it continues
    assert fixed.changes == {
        "q4": Change("speaker", "Anna Berg"),
        "q5": Change("speaker", "Anna Berg"),
    }


def test_a_chain_of_continuations_follows_its_corrected_start() -> None:
    engine = analysis()
    q6 = Quote("q6", len(TEXT), len(TEXT), "", "direct", "p1", Span(0, 4), "continues:q5")
    engine.quotes.append(q6)  # continues q5, which continues q4
    fixed = apply_corrections(TEXT, engine, [fix('"It will be worth the wait,"', kind="unnamed")])
    assert [quote(fixed.analysis, q).speaker for q in ("q4", "q5", "q6")] == [None] * 3
    assert set(fixed.changes) == {"q4", "q5", "q6"}


def test_a_continuation_the_owner_corrected_keeps_its_own_speaker() -> None:
    fixed = apply_corrections(
        TEXT,
        analysis(),
        [
            fix('"We have waited long enough."', kind="unnamed", number=1),
            fix('"It will be worth the wait,"', "Karl Olsen", number=2),
        ],
    )
    assert quote(fixed.analysis, "q4").speaker == "p2"
    assert quote(fixed.analysis, "q5").speaker is None
    assert quote(fixed.analysis, "q5").reason == "corrected"


def test_a_continuation_of_an_uncorrected_quotation_is_left_alone() -> None:
    engine = analysis()
    fixed = apply_corrections(TEXT, engine, [fix('"Nobody asked us,"', "Karl Olsen")])
    assert quote(fixed.analysis, "q5") == quote(engine, "q5")


def test_a_new_person_is_named_wherever_the_text_names_them_in_full() -> None:
    fixed = apply_corrections(
        TEXT, analysis(), [fix('"Nobody asked us,"', "Lena Dahl", role="trust chair", number=3)]
    )
    person = fixed.analysis.entity("correction-3")
    assert isinstance(person, Person)
    assert (person.name, person.role) == ("Lena Dahl", "trust chair")
    full = [span(TEXT, "Lena Dahl,"), span(TEXT, "Lena Dahl spoke")]
    assert person.mentions == [Span(s.start, s.start + len("Lena Dahl")) for s in full]
    assert quote(fixed.analysis, "q3").speaker == "correction-3"
    assert len(fixed.analysis.people) == 3


def test_two_corrections_naming_the_same_new_person_make_one_person() -> None:
    fixed = apply_corrections(
        TEXT,
        analysis(),
        [
            fix('"Nobody asked us,"', "Lena Dahl", number=1),
            fix('"We have waited long enough."', "lena dahl", number=2),
        ],
    )
    assert [p.id for p in fixed.analysis.people] == ["p1", "p2", "correction-1"]
    assert quote(fixed.analysis, "q3").speaker == quote(fixed.analysis, "q5").speaker


def test_a_new_person_the_text_never_names_has_no_mentions() -> None:
    fixed = apply_corrections(TEXT, analysis(), [fix('"Nobody asked us,"', "Ola Nordmann")])
    person = fixed.analysis.entity("correction-1")
    assert isinstance(person, Person)
    assert (person.mentions, person.role) == ([], None)


@pytest.mark.parametrize("name", ["Berg", "anna berg", "ANNA BERG"])
def test_a_person_of_the_analysis_is_found_by_name_or_alias(name: str) -> None:
    fixed = apply_corrections(TEXT, analysis(), [fix('"Nobody asked us,"', name)])
    assert quote(fixed.analysis, "q3").speaker == "p1"
    assert [p.id for p in fixed.analysis.people] == ["p1", "p2"]
    assert fixed.analysis.people[0].role == "Mayor"  # no role given: the engine's stays


def test_a_role_given_with_a_known_person_replaces_the_engines() -> None:
    fixed = apply_corrections(
        TEXT, analysis(), [fix('"Nobody asked us,"', "Karl Olsen", role="councillor")]
    )
    person = fixed.analysis.entity("p2")
    assert person is not None and isinstance(person, Person)
    assert person.role == "councillor"


def test_an_organisation_speaks_by_its_name() -> None:
    fixed = apply_corrections(
        TEXT,
        analysis(),
        [
            fix('"Nobody asked us,"', "radio nord", kind="organization", number=1),
            fix('"We have waited long enough."', "Harbour Trust", kind="organization", number=2),
        ],
    )
    assert quote(fixed.analysis, "q3").speaker == "o1"
    trust = fixed.analysis.entity("correction-2")
    assert trust == Organization(
        "correction-2", "Harbour Trust", "organization", [span(TEXT, "Harbour Trust")]
    )
    assert quote(fixed.analysis, "q5").speaker == "correction-2"
    assert [p.id for p in fixed.analysis.people] == ["p1", "p2"]  # not a person


@pytest.mark.parametrize(("kind", "name"), [("unnamed", "Anna Berg"), ("person", "  ")])
def test_an_unnamed_source_has_no_speaker(kind: str, name: str) -> None:
    fixed = apply_corrections(
        TEXT, analysis(), [fix('"We will build it this year,"', name, kind=kind)]
    )
    q1 = quote(fixed.analysis, "q1")
    assert (q1.speaker, q1.reason) == (None, "corrected")
    assert fixed.changes == {"q1": Change("speaker", "Anna Berg")}
    assert len(fixed.analysis.people) == 2


def test_the_analysis_given_is_not_changed() -> None:
    engine = analysis()
    before = copy.deepcopy(engine)
    fixed = apply_corrections(
        TEXT,
        engine,
        [
            fix('"We will build it this year,"', "Karl Olsen", role="councillor", number=1),
            fix("too expensive for a small town", action="not_speech", number=2),
            fix("the work would start in May", "Lena Dahl", number=3),
            fix('"It will be worth the wait,"', "Harbour Trust", kind="organization", number=4),
        ],
    )
    assert engine == before
    assert fixed.analysis != before
    assert fixed.analysis.quotes is not engine.quotes


# Describing


def test_describe_says_a_correction_in_plain_words() -> None:
    words = '"Nobody asked us,"'  # in its own marks: shown in them
    assert describe(fix(words, "Karl Olsen")) == f"{words} said by Karl Olsen"
    assert (
        describe(fix(words, "Lena Dahl", role="trust chair"))
        == f"{words} said by Lena Dahl (trust chair)"
    )
    assert describe(fix(words, kind="unnamed")) == f"{words} said by an unnamed source"
    assert describe(fix(words, action="not_speech")) == f"{words} is not a quotation"
    bare = "the work would start in May"  # without marks: put in quotation marks
    assert describe(fix(bare, "Anna Berg")) == f"‘{bare}’ said by Anna Berg"
    assert describe(fix(bare, action="not_speech")) == f"‘{bare}’ is not a quotation"


def test_describe_squeezes_and_shortens_long_words() -> None:
    text = "It was " + "a very long sentence, " * 5 + "\n\nand more."
    words = text[3:-1]
    described = describe(fix(words, "Karl Olsen", text=text))
    assert described.startswith("‘was a very long sentence, a very")
    quoted = described.removeprefix("‘").removesuffix("’ said by Karl Olsen")
    assert quoted != described and quoted.endswith("…")
    assert len(quoted) <= 60
    assert "\n" not in quoted and "  " not in quoted
