"""The attribution stage alone: attribute_window, inherit and echo_headline, and their reasons."""

from __future__ import annotations

import pytest

from webapp.analysis import Stages, analyze, run_stages
from webapp.analysis.attribution import Attribution, echo_headline, inherit


def stages(text: str, headline: bool = False) -> Stages:
    """Run the pipeline's stages on a text and return every result."""
    return run_stages(text, headline=headline)


def described(s: Stages, a: Attribution) -> dict:
    """Return an attribution with names and words in place of indices and offsets."""
    text = s.doc.text
    span = s.quotes.spans[a.number]
    speaker = None
    if a.speaker is not None:
        table = s.entities.people if a.speaker[0] == "person" else s.entities.orgs
        speaker = table[a.speaker[1]].name
    return {
        "quote": text[span.start : span.end],
        "kind": a.kind,
        "speaker": speaker,
        "words": text[a.speaker_span[0] : a.speaker_span[1]] if a.speaker_span else None,
        "cue": a.cue,
        "cue_words": text[a.cue_span[0] : a.cue_span[1]] if a.cue_span else None,
        "channel": s.entities.orgs[a.channel].name if a.channel is not None else None,
        "reason": a.reason,
        "explicit": a.explicit,
    }


@pytest.mark.parametrize(
    ("text", "speaker", "words", "cue", "reason"),
    [
        ('"We will not wait," Jane Roe said.', "Jane Roe", "Jane Roe", "said", "cue-after-quote"),
        ('"We will not wait," said Jane Roe.', "Jane Roe", "Jane Roe", "said", "cue-after-quote"),
        ('Jane Roe said: "We will not wait."', "Jane Roe", "Jane Roe", "said", "cue-before-quote"),
        (
            'Jane Roe said the plan was "dead in the water" and left.',
            "Jane Roe",
            "Jane Roe",
            "said",
            "cue-before-quote",
        ),
        (
            '"We will not wait," according to Jane Roe.',
            "Jane Roe",
            "Jane Roe",
            "according to",
            "according-to",
        ),
        (
            '"We will not wait," in the words of Jane Roe.',
            "Jane Roe",
            "Jane Roe",
            "in the words of",
            "in-the-words-of",
        ),
        (
            'Tom Reed met the press. "We will not wait," he said.',
            "Tom Reed",
            "he",
            "said",
            "pronoun:cue-after-quote",
        ),
        (
            '"We will not wait," a senior official said.',
            None,
            "a senior official",
            "said",
            "cue-after-quote",
        ),
    ],
)
def test_attribute_window_with_a_cue(
    text: str, speaker: str | None, words: str, cue: str, reason: str
) -> None:
    """A cue in the quotation's sentence gives speaker, words, cue and reason."""
    s = stages(text)
    (found,) = s.attributed
    result = described(s, found)
    assert result["speaker"] == speaker
    assert result["words"] == words
    assert result["cue"] == cue
    assert result["cue_words"] == cue
    assert result["reason"] == reason
    assert result["explicit"] is True


def test_attribute_window_colon_introduction() -> None:
    """'Jane Roe had a simple message: "..."': the clause before the colon names her."""
    s = stages('Jane Roe had a simple message: "We will not wait."')
    (found,) = s.attributed
    assert described(s, found) == {
        "quote": '"We will not wait."',
        "kind": "direct",
        "speaker": "Jane Roe",
        "words": "Jane Roe",
        "cue": None,
        "cue_words": None,
        "channel": None,
        "reason": "colon-introduction",
        "explicit": True,
    }


def test_attribute_window_channel_with_speaker() -> None:
    """'Jane Roe told Interfax': Jane Roe speaks, Interfax is the channel."""
    s = stages('"We will not wait," Jane Roe told Interfax.')
    (found,) = s.attributed
    result = described(s, found)
    assert (result["speaker"], result["channel"], result["reason"]) == (
        "Jane Roe",
        "Interfax",
        "cue-after-quote",
    )


def test_attribute_window_outlet_only() -> None:
    """'Itar-Tass reported' with nobody else named: the outlet is speaker and channel."""
    s = stages('"We will not wait," Itar-Tass reported.')
    (found,) = s.attributed
    result = described(s, found)
    assert result["speaker"] == "Itar-Tass"
    assert result["words"] == "Itar-Tass"
    assert result["channel"] == "Itar-Tass"
    assert result["reason"] == "cue-after-quote"
    assert result["explicit"] is True


def test_attribute_window_prefers_a_person_to_the_outlet() -> None:
    """'Itar-Tass reported Jane Roe as saying': Jane Roe speaks, Itar-Tass is the channel."""
    s = stages('Itar-Tass reported Jane Roe as saying the plan was "not workable at all."')
    (found,) = s.attributed
    result = described(s, found)
    assert result["speaker"] == "Jane Roe"
    assert result["channel"] == "Itar-Tass"


def test_attribute_window_without_any_cue() -> None:
    """A quotation with no cue and no colon gets no speaker from its own window."""
    s = stages('"We will not wait for anyone at all," the banner above the door.')
    (found,) = s.attributed
    assert found.kind == "direct"
    assert (found.speaker, found.speaker_span, found.reason, found.explicit) == (
        None,
        None,
        None,
        False,
    )


def test_attribute_window_number_is_the_index_in_quotes() -> None:
    """Attribution.number is the quotation's index in Quotes.spans, counting dropped ones."""
    s = stages('The so-called "green corridor" closed. "We will not wait," Jane Roe said.')
    assert s.kinds == [None, "direct"]
    assert [a.number for a in s.attributed] == [1]


def test_inherit_continues_in_the_same_paragraph() -> None:
    """A second quotation without a cue takes the first's speaker, words and continues:q1."""
    text = '"We will not wait," Jane Roe said. "We have waited long enough."'
    s = stages(text)
    first, second = inherit(s.scene, s.quotes, s.attributed)
    assert first == s.attributed[0]
    assert second.speaker == first.speaker == ("person", 0)
    assert second.speaker_span == first.speaker_span
    assert text[second.speaker_span[0] : second.speaker_span[1]] == "Jane Roe"
    assert second.reason == "continues:q1"
    assert second.cue is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('"We will not wait," a senior aide said. "We have waited long enough."', "a senior aide"),
        ('"Costs rose," the report concluded. "Savings came later."', "the report"),
    ],
)
def test_inherit_continues_an_unnamed_source(text: str, words: str) -> None:
    """An unnamed source or a document goes on speaking: no named speaker, the same words."""
    s = stages(text)
    first, second = inherit(s.scene, s.quotes, s.attributed)
    assert text[first.speaker_span[0] : first.speaker_span[1]] == words
    assert second.speaker == first.speaker
    assert second.speaker_span == first.speaker_span
    assert second.reason == "continues:q1"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('"We will win," the Republican nominee said.', "the Republican nominee"),
        ('The latest poll said support was "slipping fast" among the young.', "The latest poll"),
    ],
)
def test_learned_source_heads_speak(text: str, words: str) -> None:
    """A noun learned as the head of sources (lexicon/source_heads_learned.txt) speaks."""
    (found,) = stages(text).attributed
    assert found.speaker is None
    assert text[found.speaker_span[0] : found.speaker_span[1]] == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # The name after a framing verb is its object; the subject speaks.
        ('Jane Roe hammered Tom Reed, calling him a "train wreck" and worse.', "Jane Roe"),
        ('Jane Roe endorsed Tom Reed, saying, "We need a fighter in the lead."', "Jane Roe"),
        ('Jane Roe spoke. She then attacked Tom Reed, saying he "never listens."', "She"),
        # An opening adverbial with a possessive is not the speaker; the clause's subject is.
        ('At Sunday’s debate, Tom Reed named Jane Roe, saying, "I earn no fees."', "Tom Reed"),
        # A possessor is not the subject of the clause: "Tom Reed's plan failed, and she".
        ('Tom Reed’s plan failed, and she spoke up and said it was "a disaster."', "she"),
        # A pronoun inside a clause before the subject is not the subject.
        ('Asked whether he would speak, Tom Reed stood and said: "I am sorry."', "Tom Reed"),
        # A coordinated verb's subject is the clause's, never the words before "and".
        ('Jane Roe praised Tom Reed\'s plan and said he can "bring change" soon.', "Jane Roe"),
        # Still an inverted speaker when nothing stands between the name and the quotation.
        ('Then said Jane Roe: "We will not wait."', "Jane Roe"),
        ('According to Jane Roe, the price was "full but fair" in the end.', "Jane Roe"),
    ],
)
def test_the_object_of_a_cue_is_not_its_speaker(text: str, words: str) -> None:
    """Names after the cue and before the quotation speak only when nothing stands between."""
    (found,) = stages(text).attributed
    assert text[found.speaker_span[0] : found.speaker_span[1]] == words


def test_an_object_before_more_words_is_not_an_inverted_speaker() -> None:
    """'A slideshow accuses Tom Reed of buying influence "..."': Tom Reed is no speaker."""
    text = 'Then a slideshow accuses Tom Reed of buying influence "in a pattern of sleaze."'
    (found,) = stages(text).attributed
    assert found.speaker_span is None or "Reed" not in text[slice(*found.speaker_span)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # "X said, adding": the -ing cue's speaker is the earlier cue's, not the clause's.
        ('Tom Reed left early, Jane Roe said, adding, "He was not religious."', "Jane Roe"),
        # "X, who said": the evidence runs from the name to the relative pronoun.
        ('Jane Roe ran. Tom Reed, who said it was "a disgrace," left.', "Tom Reed, who"),
        # An indefinite source before its appositions: "A Warren aide, who ..., said".
        ('A Roe aide, who asked not to be named, said of her, "She is ready."', "A Roe aide"),
        # A person's home between the name and the cue: "Jeb Bush of Florida said".
        ('"No place for it," former Gov. Tom Reed of Florida said on Monday.', "Tom Reed"),
        # Lower-case words qualify a role after the cue: "said conservative activist X".
        ('"A hot item," said conservative activist Bob Klaus, who backs no one.', "Bob Klaus"),
        # "As X, an expert, noted,": the sentence opens with the speaker.
        ('As Tom Reed, an expert on ports, noted, "Everyone is waiting."', "Tom Reed"),
        # The noun phrase that opens the clause of an -ing cue.
        (
            'The retired banker began with prices, saying heroin is "cheaper than candy."',
            "The retired banker",
        ),
        # An -ing cue after a document: who issued it speaks ("released an ad calling").
        ('After the vote, Tom Reed released an ad calling it "dangerous" to wait.', "Tom Reed"),
        # ", said X, an expert," set off by commas inside the sentence: X speaks.
        (
            "Any reading of Tom Reed's acts, said Ann Kofman, an expert on ports, would "
            'read this as "a public admission" of defeat.',
            "Ann Kofman",
        ),
        # "said" + the role the name reader found + the name.
        ('"We lost," said Dockers Union Treasurer-General Gary Casteel.', "Gary Casteel"),
    ],
)
def test_evidence_of_linked_cues(text: str, words: str) -> None:
    """The words that name the speaker of a cue joined to another cue or to a name."""
    (found,) = stages(text).attributed
    assert text[found.speaker_span[0] : found.speaker_span[1]] == words


def test_inherit_counts_only_kept_quotations() -> None:
    """Ids count from 1 over the quotations kept: a scare quote before is not counted."""
    text = (
        'The so-called "green corridor" closed. '
        '"We will not wait," Jane Roe said. "We have waited long enough."'
    )
    s = stages(text)
    assert s.kinds == [None, "direct", "direct"]
    _, second = inherit(s.scene, s.quotes, s.attributed)
    assert second.reason == "continues:q1"


def test_inherit_takes_the_nearest_speaker() -> None:
    """The third quotation continues the second, not the first."""
    text = '"We will not wait," Jane Roe said. "Never," Tom Reed said. "We have waited."'
    s = stages(text)
    result = inherit(s.scene, s.quotes, s.attributed)
    assert [a.reason for a in result] == ["cue-after-quote", "cue-after-quote", "continues:q2"]
    assert result[2].speaker == result[1].speaker
    assert text[result[2].speaker_span[0] : result[2].speaker_span[1]] == "Tom Reed"


def test_inherit_into_the_next_paragraph() -> None:
    """A quotation opening the paragraph after a quoted one continues it."""
    text = 'Tom Reed left.\n\n"We will not wait," Jane Roe said.\n\n"We have waited long enough."'
    s = stages(text)
    _, second = inherit(s.scene, s.quotes, s.attributed)
    assert second.reason == "continues:q1"
    assert text[second.speaker_span[0] : second.speaker_span[1]] == "Jane Roe"


def test_inherit_not_across_a_paragraph_without_quotations() -> None:
    """After an unquoted paragraph, the subject of the sentence before speaks instead."""
    text = '"We will not wait," Jane Roe said.\n\nTom Reed left.\n\n"We have waited long enough."'
    s = stages(text)
    _, second = inherit(s.scene, s.quotes, s.attributed)
    assert second.reason == "subject-of-previous-sentence"
    assert text[second.speaker_span[0] : second.speaker_span[1]] == "Tom Reed"


@pytest.mark.parametrize(
    ("text", "words", "reason"),
    [
        (
            'Sir Malcolm Tate was unmoved. "Cash terms are what matter."',
            "Malcolm Tate",
            "subject-of-previous-sentence",
        ),
        (
            'Tom Reed arrived late. He laughs. "Because it is true."',
            "He",
            "pronoun:subject-of-previous-sentence",
        ),
    ],
)
def test_inherit_subject_of_previous_sentence(text: str, words: str, reason: str) -> None:
    """A quotation opening a sentence takes the subject of the sentence before."""
    s = stages(text)
    (before,) = s.attributed
    assert before.speaker is None
    (after,) = inherit(s.scene, s.quotes, s.attributed)
    assert after.speaker == ("person", 0)
    assert text[after.speaker_span[0] : after.speaker_span[1]] == words
    assert after.reason == reason


def test_inherit_the_speaker_of_the_cue_before() -> None:
    """The sentence before has a cue: its speaker speaks on, not the first name in it."""
    text = 'When Tom Reed retired, Jane Roe wrote to staff:\n\n"He served us well."'
    s = stages(text)
    (after,) = inherit(s.scene, s.quotes, s.attributed)
    assert text[after.speaker_span[0] : after.speaker_span[1]] == "Jane Roe"
    assert after.reason == "subject-of-previous-sentence"


@pytest.mark.parametrize(
    ("text", "words", "reason"),
    [
        (
            '"We lost," said Jane Roe. Tom Reed said the plan failed. "Voters will punish us."',
            "Tom Reed",
            "subject-of-previous-sentence",
        ),
        (  # the same speaker named again: a continuation, with the nearer words
            '"We lost," said Jane Roe, who also said that the plan failed. "Voters punish us."',
            "Jane Roe, who",
            "continues:q1",
        ),
    ],
)
def test_inherit_a_cue_between_two_quotations(text: str, words: str, reason: str) -> None:
    """A cue after the previous quotation and its own cue names who speaks on."""
    s = stages(text)
    _, after = inherit(s.scene, s.quotes, s.attributed)
    assert text[after.speaker_span[0] : after.speaker_span[1]] == words
    assert after.reason == reason


def test_inherit_keeps_explicit_attributions() -> None:
    """A quotation with its own speaker is never overwritten by the one before."""
    text = '"We will not wait," Jane Roe said. "Never," Tom Reed said.'
    s = stages(text)
    assert inherit(s.scene, s.quotes, s.attributed) == s.attributed


HEADLINE = (
    'Anger at "cuts to the bone"\n\n'
    'Jane Roe said the budget was "cuts to the bone" and nothing else.'
)


def test_echo_headline_gives_the_body_speaker() -> None:
    """With headline=True, a headline quotation repeated in the body gets its speaker."""
    s = stages(HEADLINE, headline=True)
    found = inherit(s.scene, s.quotes, s.attributed)
    assert found[0].speaker is None
    headline, body = echo_headline(s.scene, s.quotes, found)
    assert headline.speaker == body.speaker == ("person", 0)
    assert headline.speaker_span == body.speaker_span
    assert HEADLINE[headline.speaker_span[0] : headline.speaker_span[1]] == "Jane Roe"
    assert headline.reason == "headline-echo:q2"
    assert headline.explicit is True
    assert body == found[1]


def test_echo_headline_needs_a_headline() -> None:
    """Without a headline the attributions are returned unchanged; with one, echoed."""
    text = (
        'Crowds were chanting "Cuts to the bone!" outside.\n\n'
        'Jane Roe said the budget was "cuts to the bone" and nothing else.'
    )
    s = stages(text, headline=False)
    found = inherit(s.scene, s.quotes, s.attributed)
    assert [a.kind for a in found] == ["direct", "partial"]
    assert found[0].speaker is None
    assert echo_headline(s.scene, s.quotes, found) == found
    s = stages(text, headline=True)
    echoed = echo_headline(s.scene, s.quotes, inherit(s.scene, s.quotes, s.attributed))
    assert echoed[0].reason == "headline-echo:q2"


def test_echo_headline_needs_the_same_words() -> None:
    """A headline quotation whose words the body does not repeat stays unattributed."""
    text = 'Anger at "cuts to the bone"\n\nJane Roe said the budget was "a disgrace" today.'
    s = stages(text, headline=True)
    headline, body = echo_headline(s.scene, s.quotes, inherit(s.scene, s.quotes, s.attributed))
    assert body.speaker == ("person", 0)
    assert headline.speaker is None
    assert headline.reason is None


TEXTS = [
    HEADLINE,
    'Tom Reed met the press. "We will not wait," he said. "We have waited long enough."',
    '"We will not wait," a senior official said.\n\n"It is over," according to Jane Roe.',
    'Jane Roe had a simple message: "We will not wait."\n\n"Never," Itar-Tass reported.',
    'Sir Malcolm Tate was unmoved. "Cash terms are what matter."',
]


@pytest.mark.parametrize("text", TEXTS)
def test_every_speaker_has_evidence_in_json(text: str) -> None:
    """In analyze().to_json(), a quote with a speaker has a non-empty speaker_span and a reason."""
    quotes = analyze(text).to_json()["quotes"]
    assert any(q["speaker"] for q in quotes)
    for quote in quotes:
        if quote["speaker"] is not None:
            span = quote["speaker_span"]
            assert span is not None and span["end"] > span["start"]
            assert text[span["start"] : span["end"]].strip()
            assert quote["reason"]
        if quote["speaker_span"] is None:
            assert quote["reason"] is None


@pytest.mark.parametrize("dash", ["—", "–", "--"])
def test_a_dash_signs_a_quotation(dash: str) -> None:
    """'"..." — Jane Roe, 34, a nurse': the signed name is the speaker and its evidence."""
    text = f'"They never once made me feel like a charity case." {dash} Kendra Poole, 34, a nurse'
    (quote,) = analyze(text).to_json()["quotes"]
    words = text[quote["speaker_span"]["start"] : quote["speaker_span"]["end"]]
    assert (words, quote["reason"]) == ("Kendra Poole", "dash-signature")


def test_a_transcript_label_names_the_speaker() -> None:
    """'MORROW:' is Ailsa Morrow; 'Q:' names nobody, and the label is the evidence."""
    text = (
        "Host Ailsa Morrow spoke to the fishermen.\n\nAILSA MORROW, HOST: The boats head out.\n\n"
        "Q: Why now?\n\nMORROW: And then they come back."
    )
    result = analyze(text)
    said = [
        (
            result.entity(q.speaker).name if q.speaker else None,
            text[q.speaker_span.start : q.speaker_span.end],
            q.reason,
        )
        for q in result.quotes
    ]
    assert said == [
        ("Ailsa Morrow", "AILSA MORROW", "transcript-label"),
        (None, "Q", "transcript-label"),
        ("Ailsa Morrow", "MORROW", "transcript-label"),
    ]


def test_the_sentences_subject_speaks_a_partial_without_a_cue() -> None:
    """'Paul Roe worried ... "a hammock ..."': Paul Roe, by reason subject-of-sentence."""
    text = 'Paul Roe worried that the safety net was becoming "a hammock for the able-bodied."'
    (quote,) = analyze(text).to_json()["quotes"]
    words = text[quote["speaker_span"]["start"] : quote["speaker_span"]["end"]]
    assert (words, quote["reason"]) == ("Paul Roe", "subject-of-sentence")


def test_a_pronoun_after_a_cue_before_the_quotation_is_not_the_speaker() -> None:
    """'X's campaign, for example, said she would "support the nominee"': the campaign."""
    text = (
        'Sen. Kelly Ayotte\'s campaign, for example, said she would "support the nominee" '
        "on Tuesday."
    )
    (quote,) = analyze(text).to_json()["quotes"]
    words = text[quote["speaker_span"]["start"] : quote["speaker_span"]["end"]]
    assert words == "Kelly Ayotte's campaign"
