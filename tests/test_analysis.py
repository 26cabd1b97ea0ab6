"""The analysis engine: the seed's expected result, then one line of text per pattern."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from webapp.analysis import Analysis, analyze
from webapp.analysis.__main__ import main
from webapp.seedfile import parse_seed

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_da8a5756fcdbcfea.txt"

RASMUSSEN, SERDYUKOV, AZIMOV = "Anders Fogh Rasmussen", "Anatoly Serdyukov", "Araz Azimov"
SEED_QUOTES = [
    ("partial", RASMUSSEN, None, '"are coming closer to reaching agreement"'),
    ("partial", SERDYUKOV, "Interfax", '"doesn\'t suit us"'),
    ("partial", SERDYUKOV, "Itar-Tass", '"neutralize Russia\'s strategic capabilities,"'),
    ("partial", RASMUSSEN, None, '"engage in positive cooperation'),
    ("direct", RASMUSSEN, None, '"It will be hard work,'),
    ("direct", SERDYUKOV, None, '"We haven\'t yet tried every possibility with NATO,"'),
    ("direct", SERDYUKOV, None, '"There should be ways'),
    ("direct", SERDYUKOV, None, '"There is simply no other way'),
    ("direct", AZIMOV, None, '"The Russians want us to extend the lease.'),
    ("direct", AZIMOV, None, '"They should pay more."'),
    ("direct", AZIMOV, None, '"The risk is bigger,'),
]


def names(analysis: Analysis) -> dict[str | None, str | None]:
    """Map entity ids to names (None to None)."""
    table: dict[str | None, str | None] = {None: None}
    table.update({p.id: p.name for p in analysis.people})
    table.update({o.id: o.name for o in analysis.organizations})
    return table


def speakers(text: str) -> list[tuple[str, str | None]]:
    """Return (quoted words without marks, speaker name) for every quotation of a text."""
    analysis = analyze(text)
    table = names(analysis)
    return [(q.text.strip("\"“”‘’'"), table[q.speaker]) for q in analysis.quotes]


@pytest.fixture(scope="module")
def seed_analysis() -> tuple[str, Analysis]:
    article = parse_seed(SEED.read_bytes(), SEED.name)
    return article.text, analyze(article.text, headline=True)


def test_seed_quotations_speakers_kinds_and_channels(seed_analysis: tuple[str, Analysis]) -> None:
    text, analysis = seed_analysis
    table = names(analysis)
    found = [(q.kind, table[q.speaker], table[q.channel], q.text) for q in analysis.quotes]
    assert len(found) == len(SEED_QUOTES)
    for (kind, speaker, channel, quote), (want_kind, want_speaker, want_channel, start) in zip(
        found, SEED_QUOTES, strict=True
    ):
        assert quote.startswith(start)
        assert (kind, speaker, channel) == (want_kind, want_speaker, want_channel), quote
    for quote in analysis.quotes:
        assert text[quote.start : quote.end] == quote.text


def test_seed_people_roles_and_aliases(seed_analysis: tuple[str, Analysis]) -> None:
    text, analysis = seed_analysis
    people = {p.name: p for p in analysis.people}
    assert set(people) == {RASMUSSEN, SERDYUKOV, AZIMOV}
    assert people[RASMUSSEN].role == "NATO Secretary-General"
    assert people[SERDYUKOV].role == "Defense Minister"
    assert people[AZIMOV].role == "Azeri Deputy Foreign Minister"
    assert {"Fogh Rasmussen", "NATO's leader"} <= set(people[RASMUSSEN].aliases)
    spoken = [text[m.start : m.end] for m in people[RASMUSSEN].mentions]
    assert "NATO's leader" in spoken and "Fogh Rasmussen" in spoken
    outlets = {o.name for o in analysis.organizations if o.kind == "outlet"}
    assert outlets == {"Interfax", "Itar-Tass", "Reuters"}
    assert {o.name for o in analysis.organizations} == {"NATO", "Interfax", "Itar-Tass", "Reuters"}


def test_speaker_span_and_cue_span_point_at_the_words(seed_analysis: tuple[str, Analysis]) -> None:
    text, analysis = seed_analysis
    fifth = analysis.quotes[4]
    assert fifth.speaker_span and text[fifth.speaker_span.start : fifth.speaker_span.end] == "he"
    assert fifth.cue_span and text[fifth.cue_span.start : fifth.cue_span.end] == "said"


def test_cli_prints_design_json_for_a_seed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--seed", str(SEED)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["engine"].startswith("voices-analysis")
    assert result["article"]["photo_credit"] == "Francois Lenoir"
    assert [p["kind"] for p in result["parts"]][:2] == ["headline", "caption"]
    assert len(result["quotes"]) == 11
    for part in result["parts"]:
        assert result["text"][part["start"] : part["end"]].strip()
    assert "Francois Lenoir" not in {p["name"] for p in result["people"]}


def test_cli_as_a_module_and_bad_seed_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe not text")
    run = subprocess.run(
        [sys.executable, "-m", "webapp.analysis", "--seed", str(bad)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    assert "bad.txt:1" in run.stderr
    plain = tmp_path / "plain.txt"
    plain.write_text('"We will win," Maria Lopez said.\n', encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "webapp.analysis", str(plain)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    assert json.loads(run.stdout)["quotes"][0]["text"] == '"We will win,"'


# ----- quotation marks ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('"We will win," Maria Lopez said.', ["We will win,"]),
        ("“We will win,” Maria Lopez said.", ["We will win,"]),
        ("‘We will win,’ said Mrs Lopez.", ["We will win,"]),
        ("“He told me, ‘never again,’ and left,” Maria Lopez said.",
         ["He told me, ‘never again,’ and left,"]),
        ("‘The farmers’ union is angry,’ said John Hale.", ["The farmers’ union is angry,"]),
        ("Russia's plan for the '90s and rock 'n' roll was dull, John Hale said.", []),
        ("‘We grew up on rock ’n’ roll in the ’90s,’ said John Hale.",
         ["We grew up on rock ’n’ roll in the ’90s,"]),
    ],
)  # fmt: skip
def test_quotation_marks(text: str, quoted: list[str]) -> None:
    assert [q for q, _ in speakers(text)] == quoted


def test_multi_paragraph_quotation_is_one_quote_per_paragraph() -> None:
    text = (
        "Maria Lopez, the mayor, spoke for an hour.\n\n"
        '"We have rebuilt before," Lopez said. "We lost the bridge in 1998.\n\n'
        '"We will rebuild it again, and we will do it together."\n\n'
        "The council meets on Monday."
    )
    assert speakers(text) == [
        ("We have rebuilt before,", "Maria Lopez"),
        ("We lost the bridge in 1998.", "Maria Lopez"),
        ("We will rebuild it again, and we will do it together.", "Maria Lopez"),
    ]


# ----- split quotations and kinds -------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        '"We are ready," John Hale said. "The talks start Monday."',
        '"We are ready," John Hale said, "and the talks start Monday."',
        '"We are ready," said John Hale. "The talks start Monday."',
    ],
)
def test_split_quotation_both_parts_go_to_the_speaker(text: str) -> None:
    assert [speaker for _, speaker in speakers(text)] == ["John Hale", "John Hale"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('John Hale said the plan would "change everything" for farmers.', "partial"),
        ('Sen. Ann Reyes urged Congress to "finish the job."', "partial"),
        ('John Hale described the talks as "constructive."', "partial"),
        ('John Hale said: "We are ready."', "direct"),
        ('"We are ready," John Hale said.', "direct"),
    ],
)
def test_quotation_kind(text: str, kind: str) -> None:
    assert [q.kind for q in analyze(text).quotes] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "Judge Ann Reyes said the thefts had been 'cynical' and planned.",
        "The chief executive, Martin Obi, apologised 'unreservedly' to the families.",
        'Dr Hannah Okello called the approach "elegant" and said it could be repeated.',
    ],
)
def test_one_quoted_word_after_a_speech_cue_is_a_partial_quotation(text: str) -> None:
    """A single quoted word after a cue is the speaker's word."""
    assert [q.kind for q in analyze(text).quotes] == ["partial"]
    assert all(q.speaker for q in analyze(text).quotes)


@pytest.mark.parametrize(
    "text",
    [
        'Officials opened the so-called "green corridor" on Monday, John Hale said.',
        'John Hale said many bills rose within a year of that "deal."',
        "John Hale said the report avoids the word 'resilience' entirely.",
        'For six hours, the "smart" in smart lock did little, John Hale said.',
        'Mays is the subject of a documentary, "Last Call at the Orpheum," John Hale said.',
        'Ann Reyes has been called everything from "the Selkie of Bangor" to "the madwoman."',
        'John Hale said her new album "Northern Lights" would come out in May.',
        'The film "Dune" opened in 400 cinemas, John Hale said.',
        'He was known as "the Tiger" in his youth, John Hale said.',
        'Earl "Fats" Brown played the piano until dawn.',
        'The "deal" collapsed within a week.',
        'The band released an album called "Northern Lights" in May.',
    ],
)
def test_scare_quotes_and_titles_are_not_quotations(text: str) -> None:
    assert analyze(text).quotes == []


# ----- speakers -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"We are ready," John Hale said.', "John Hale"),
        ('"We are ready," said John Hale, a spokesman for Acme Corp.', "John Hale"),
        ('John Hale said: "We are ready."', "John Hale"),
        ('John Hale told Reuters, "We are ready."', "John Hale"),
        ('"We are ready," John Hale told reporters.', "John Hale"),
        ('John Hale wrote on social media: "We are ready."', "John Hale"),
        ('"We are ready," according to John Hale.', "John Hale"),
        ('"We are ready," John Hale said in a statement.', "John Hale"),
        ('"We are ready," John Hale added.', "John Hale"),
        ('"Are we ready?" John Hale asked.', "John Hale"),
        ('"We are not ready," John Hale warned.', "John Hale"),
        ('"We are ready," John Hale insisted.', "John Hale"),
        ('"We are ready," John Hale said later.', "John Hale"),
        ('"We are ready," John Hale had said.', "John Hale"),
        ('"We are ready," John Hale also said.', "John Hale"),
        ('"We are ready," John Hale said on Tuesday.', "John Hale"),
        ('Sen. Ann Reyes urged Congress to "finish the job."', "Ann Reyes"),
        ('"We are ready," says John Hale.', "John Hale"),
        ('John Hale, who has led the union since 2019, said the deal was "a start."', "John Hale"),
        ('John Hale declined to comment further, saying only that it was "a start."', "John Hale"),
    ],
)
def test_speech_cues(text: str, speaker: str) -> None:
    assert [s for _, s in speakers(text)] == [speaker]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('Marcus Oyelaran of Cardinal Bay Research told Bloomberg the cuts were "overdue."',
         "Marcus Oyelaran"),
        ('Agus Wibisono, a spokesman for the National Disaster Agency, told AFP: "We expect more."',
         "Agus Wibisono"),
        ('Ray Kowalski, who voted no along with council member Denise Whitfield, said it was '
         '"picking winners."', "Ray Kowalski"),
        ('The shadow chancellor, Owen Price, accused the government of "austerity by stealth."',
         "Owen Price"),
        ('Jane Roe was blunt. "This is a disaster."', "Jane Roe"),
        ('Jane Roe put it simply: "We are done."', "Jane Roe"),
        ('Luka Brandt, 23, scored twice. "It was a dream," the 23-year-old said.', "Luka Brandt"),
        ('Aminata Sow welcomed the pledge, calling it "the backbone of the force," and urged '
         'others to "match words with boots."', "Aminata Sow"),
    ],
)  # fmt: skip
def test_subjects_across_appositions_clauses_and_colons(text: str, speaker: str) -> None:
    assert {s for _, s in speakers(text)} == {speaker}


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('Defending, Eoin Fitzgerald SC said his client was "deeply ashamed."', "Eoin Fitzgerald"),
        ("He read a statement written by the club's chairwoman, Bríd Keane: 'We are a small "
         "parish.'", "Bríd Keane"),
        ("Judge Siobhán Ní Bhriain sat down. Tom Kerr rose. Judge Ní Bhriain said she found it "
         "'unavoidable.'", "Siobhán Ní Bhriain"),
        ("Maeve O'Brien is eating a roll. She laughs. “Because once had already been done.”",
         "Maeve O'Brien"),
        ("Priya Raghunathan said the group would go to court within a month.\n\n"
         "“We are not against development.”", "Priya Raghunathan"),
        ("Sheikh Saif bin Khalid Al-Nahdi opened the centre. 'It is a floor, not a ceiling,' "
         "Sheikh Saif said.", "Saif bin Khalid Al-Nahdi"),
        ("Danny Kilbride, 34, spoke on Sunday.\n\n'I was drinking to get through,' the actor "
         "wrote.", "Danny Kilbride"),
        ("Co-star Roxanne Pryce was there. 'So proud of you,' Pryce wrote.", "Roxanne Pryce"),
        ("Ritika Sawant, 19, made a hundred. 'I was not thinking about it,' the batter said.",
         "Ritika Sawant"),
        ('Deputy Raimundo Cavalcanti dismissed it. "The money exists," he said.',
         "Raimundo Cavalcanti"),
        ('Chief Marlene Cardinal, 58, spoke first. "We need help," Cardinal said.',
         "Marlene Cardinal"),
        ("Defending, Eoin Fitzgerald SC spoke first.\n\n'He is deeply ashamed,' counsel said.",
         "Eoin Fitzgerald"),
        ("Longreach Mayor Trudy Pascoe agreed. 'It hurts,' Cr Pascoe said.", "Trudy Pascoe"),
    ],
)  # fmt: skip
def test_speakers_in_court_reports_features_and_profiles(text: str, speaker: str) -> None:
    assert {s for _, s in speakers(text)} == {speaker}


@pytest.mark.parametrize(
    "text",
    [
        "Outside court, Ms Keane told RTÉ it would take time.",
        "ECOWAS said the force would deploy in May.",
        "Officials said Emiratisation targets would stay.",
    ],
)
def test_acronyms_and_abstract_nouns_are_not_people(text: str) -> None:
    assert "RTÉ" not in {p.name for p in analyze(text).people}
    assert not {p.name for p in analyze(text).people} & {"ECOWAS", "Emiratisation"}


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Minister of National Security Gabriela Ramirez-Holder flew in. 'We are here,' "
         "Ms Ramirez-Holder said.", "Gabriela Ramirez-Holder"),
        ("Fisherman Kelvin Alleyne lost his boat. 'It was my living,' Alleyne said.",
         "Kelvin Alleyne"),
        ('Tyrell J. Washington, 19, was charged. Washington told detectives he "thought it was '
         'a deer."', "Tyrell J. Washington"),
        ('R.J. Castellanos wrote to the council. "Sell it," Castellanos wrote.',
         "R.J. Castellanos"),
        ('Keyanna Boateng, 23, hit a double. The 23-year-old, who also scored twice, told ESPN she '
         '"kind of blacked out."', "Keyanna Boateng"),
        ('Folasade Adeyemi-Bakare struck a contrite tone in a letter to shareholders. "The board '
         'takes full responsibility," she wrote.', "Folasade Adeyemi-Bakare"),
    ],
)  # fmt: skip
def test_titles_initials_and_noun_phrase_subjects(text: str, speaker: str) -> None:
    assert {s for _, s in speakers(text)} == {speaker}


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ('Shahida Qureshi told Geo News the tax was "unfair."', "Geo News"),
        ('Kennedy Onyango told Citizen TV the money was "late."', "Citizen TV"),
    ],
)
def test_outlets_named_by_their_last_word(text: str, outlet: str) -> None:
    analysis = analyze(text)
    assert outlet in {o.name for o in analysis.organizations if o.kind == "outlet"}
    assert outlet not in {p.name for p in analysis.people}
    assert names(analysis)[analysis.quotes[0].channel] == outlet


def test_a_profile_noun_means_the_person_named_most_not_the_last_named() -> None:
    text = (
        "Ritika Sawant, 19, hit a century. Sawant reached it off a sweep. "
        "Sawant then hit Moumita Pal for six.\n\n"
        "'I was not thinking about it,' the batter said."
    )
    assert [s for _, s in speakers(text)] == ["Ritika Sawant"]


def test_department_for_something_is_an_organisation() -> None:
    text = 'The Department for Transport said it would "set out next steps shortly."'
    analysis = analyze(text)
    assert [names(analysis)[q.speaker] for q in analysis.quotes] == ["Department for Transport"]


def test_a_spokesman_for_a_named_person_is_unnamed() -> None:
    text = 'A spokesman for President Andres Villamizar said he would sign "in the coming days."'
    assert [s for _, s in speakers(text)] == [None]


def test_gender_is_learned_from_the_pronouns_of_a_persons_sentence() -> None:
    text = (
        "Keisha Okonjo-Bart told the council her students needed a piano. Tom Becker agreed.\n\n"
        '"We will find one," she said.'
    )
    assert [s for _, s in speakers(text)] == ["Keisha Okonjo-Bart"]


def test_office_speaks_for_its_principal() -> None:
    text = 'Gov. Ann Reyes signed the bill. "This is a good day," Reyes\'s office said.'
    assert [s for _, s in speakers(text)] == ["Ann Reyes"]


@pytest.mark.parametrize(
    "text",
    [
        'John Hale left early. "We were not consulted," a senior official said.',
        'John Hale left early. "Prices will rise," analysts said.',
        'John Hale left early. "It was chaos," one resident said.',
        'John Hale left early. "No arrests were made," police said.',
    ],
)
def test_unnamed_sources_are_never_a_named_person(text: str) -> None:
    assert [s for _, s in speakers(text)] == [None]


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        ('Qantas to halve flights\n\nQantas will cut its service.\n\n"It is hard," Qantas said.',
         "Qantas"),
        ('Latchwise, the San Francisco startup whose locks failed, apologised. "We are sorry," '
         "Latchwise said.", "Latchwise"),
        ('Keyhaven, which makes locks, mocked its rival. "Ours work offline," Keyhaven said.',
         "Keyhaven"),
    ],
)  # fmt: skip
def test_names_that_act_as_organisations_are_not_people(text: str, organisation: str) -> None:
    analysis = analyze(text)
    assert organisation in {o.name for o in analysis.organizations}
    assert organisation not in {p.name for p in analysis.people}
    assert names(analysis)[analysis.quotes[-1].speaker] == organisation


@pytest.mark.parametrize(
    "text",
    [
        "George W. Harmon sold the firm. Harmon will join its board as vice chairman.",
        "Azerbaijan, which stands on the Caspian Sea, wants more money.",
        "On Wednesday, which was wet, Danny Kilbride's spokesman spoke.",
    ],
)
def test_people_places_and_days_do_not_become_organisations(text: str) -> None:
    assert {o.name for o in analyze(text).organizations} == set()


def test_organisation_as_speaker() -> None:
    text = (
        "Acme Corp cut 300 jobs on Monday, John Hale said.\n\n"
        '"We regret the decision," the company said in a statement.'
    )
    assert [s for _, s in speakers(text)] == ["Acme Corp"]


def test_ministry_as_speaker() -> None:
    text = (
        "The Ministry of Health published the figures on Monday.\n\n"
        '"The data will be reviewed," the ministry said.'
    )
    assert [s for _, s in speakers(text)] == ["Ministry of Health"]


def test_organisation_names_with_ampersands_and_plural_possessives() -> None:
    text = (
        'According to Strait & Ridgeway Engineering, the roof shows "significant corrosion." '
        'The Sundays Valley Water Users’ Association called it "the only responsible option."'
    )
    analysis = analyze(text)
    assert [names(analysis)[q.speaker] for q in analysis.quotes] == [
        "Strait & Ridgeway Engineering",
        "Sundays Valley Water Users’ Association",
    ]


def test_place_and_place_inside_an_organisation_name() -> None:
    text = 'The Trinidad and Tobago Coast Guard said it would search "as soon as seas allow."'
    analysis = analyze(text)
    assert [names(analysis)[q.speaker] for q in analysis.quotes] == [
        "Trinidad and Tobago Coast Guard"
    ]


def test_chanted_exclamations_are_direct_quotations() -> None:
    text = 'Strikers marched past the gates chanting "Get back to work!" at the managers.'
    assert [q.kind for q in analyze(text).quotes] == ["direct"]


def test_member_states_is_not_a_speech_verb() -> None:
    text = 'Aminata Sow urged other member states to "match words with boots."'
    assert [s for _, s in speakers(text)] == ["Aminata Sow"]


def test_lower_case_abbreviations_do_not_end_sentences() -> None:
    text = 'Latchwise said at 7:42 a.m. Pacific time that it was "investigating degraded service."'
    assert [q.kind for q in analyze(text).quotes] == ["partial"]


def test_a_work_noun_before_a_lower_case_quotation_does_not_make_a_title() -> None:
    text = 'The report "leaves very little room for a move," according to Jonas Lindqvist.'
    assert [s for _, s in speakers(text)] == ["Jonas Lindqvist"]


def test_an_unnamed_object_is_not_the_next_speaker() -> None:
    text = (
        "Her supervisor, Henrik Aalto, remembers a student who would not let go. "
        '"She has ears like a bat," he says.'
    )
    assert [s for _, s in speakers(text)] == ["Henrik Aalto"]


def test_a_work_noun_used_as_a_verb_does_not_make_a_title() -> None:
    text = 'Inspectors said the roof trusses show "significant corrosion."'
    assert [q.kind for q in analyze(text).quotes] == ["partial"]


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ('Anatoly Serdyukov told Interfax that the plan "doesn\'t suit us."', "Interfax"),
        ('Anatoly Serdyukov said it would "neutralize us," Itar-Tass reported.', "Itar-Tass"),
        ('"We are ready," Anatoly Serdyukov said in an interview with the BBC.', "BBC"),
        ('"We are ready," Anatoly Serdyukov told reporters.', None),
    ],
)
def test_channels(text: str, channel: str | None) -> None:
    analysis = analyze(text)
    assert [names(analysis)[q.channel] for q in analysis.quotes] == [channel]
    assert all(q.speaker is not None for q in analysis.quotes)


def test_outlet_next_to_a_speech_verb_is_not_the_speaker() -> None:
    text = 'Anatoly Serdyukov spoke first. "We are ready," Itar-Tass reported him as saying.'
    analysis = analyze(text)
    assert names(analysis)[analysis.quotes[0].channel] == "Itar-Tass"
    assert "Itar-Tass" not in {p.name for p in analysis.people}


# ----- pronouns and coreference ---------------------------------------------------------
def test_he_added_after_a_woman_skips_to_the_last_man() -> None:
    text = (
        '"The budget is balanced," Mr. Tom Becker said.\n\n'
        '"It is not," said Ms. Karen Ode, the opposition leader.\n\n'
        '"We will see in June," he added.'
    )
    assert [s for _, s in speakers(text)] == ["Tom Becker", "Karen Ode", "Tom Becker"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('Mrs. Lee Ann Carter spoke. Then Paul Grant left. "Enough," she said.', "Lee Ann Carter"),
        ('Maria Lopez spoke. Then Paul Grant left. "Enough," she said.', "Maria Lopez"),
        ('Maria Lopez spoke. Then Paul Grant left. "Enough," he said.', "Paul Grant"),
    ],
)
def test_pronoun_gender_from_titles_and_given_names(text: str, speaker: str) -> None:
    assert [s for _, s in speakers(text)] == [speaker]


def test_gender_from_a_kinship_role() -> None:
    text = (
        "Ffion Maddox-Rhys wrote the album for her father, Dai Maddox, a fisherman.\n\n"
        "'It took me years to understand him,' she says."
    )
    analysis = analyze(text)
    assert {p.name: p.gender for p in analysis.people}["Dai Maddox"] == "m"
    assert [s for _, s in speakers(text)] == ["Ffion Maddox-Rhys"]


def test_unnamed_source_then_he_said_is_not_the_last_named_person() -> None:
    text = (
        "Khalid Hassan accused the ministry of hoarding water. A spokesman for the ministry "
        'rejected that. "We share what we have," he said.'
    )
    assert [s for _, s in speakers(text)] == [None]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('Defense Minister Anatoly Serdyukov arrived. "No," the minister said.',
         "Anatoly Serdyukov"),
        ('Sen. Dale Prewitt voted yes. "It will pass," the senator said.', "Dale Prewitt"),
        ("NATO Secretary-General Anders Fogh Rasmussen arrived. \"We agree,\" NATO's leader said.",
         "Anders Fogh Rasmussen"),
        ('Anders Fogh Rasmussen arrived. "We agree," Fogh Rasmussen said.',
         "Anders Fogh Rasmussen"),
    ],
)  # fmt: skip
def test_role_nouns_and_surnames_refer_back(text: str, speaker: str) -> None:
    assert [s for _, s in speakers(text)] == [speaker]


def test_same_surname_kept_apart_by_given_names() -> None:
    text = (
        "Maria Lopez and her husband, Tomas Lopez, run the bakery.\n\n"
        '"We lost everything," Maria Lopez said.\n\n'
        '"We will reopen," Tomas Lopez said.'
    )
    assert [s for _, s in speakers(text)] == ["Maria Lopez", "Tomas Lopez"]


# ----- people and roles -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "person"),
    [
        ('"We will rebuild," said Pieter van der Berg.', "Pieter van der Berg"),
        ('"We will rebuild," said Ana de la Cruz.', "Ana de la Cruz"),
        ('"We will rebuild," said Khalid Al-Mansouri.', "Khalid Al-Mansouri"),
        ('"We will rebuild," said Sarah Lloyd-Hughes.', "Sarah Lloyd-Hughes"),
        ('"We will rebuild," said J.R. Whitfield.', "J.R. Whitfield"),
        ('"We will rebuild," said George W. Harmon.', "George W. Harmon"),
        ('"We will rebuild," said Robert Kane Jr.', "Robert Kane Jr."),
    ],
)
def test_name_forms(text: str, person: str) -> None:
    assert [s for _, s in speakers(text)] == [person]


def test_surname_first_names_keep_their_surname_as_the_short_form() -> None:
    text = 'Zhang Wei runs the plant. "Orders are down," Zhang said.'
    analysis = analyze(text)
    assert [p.name for p in analysis.people] == ["Zhang Wei"]
    assert names(analysis)[analysis.quotes[0].speaker] == "Zhang Wei"


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Deputy Foreign Minister Araz Azimov spoke.", "Araz Azimov", "Deputy Foreign Minister"),
        ("Gov. Ann Reyes spoke.", "Ann Reyes", "Gov."),
        ("Prime Minister Edward Brancaster spoke.", "Edward Brancaster", "Prime Minister"),
        ("Dr. Amara Nwosu, a marine biologist, spoke.", "Amara Nwosu", "a marine biologist"),
        ("John Hale, the company's chief executive, spoke.", "John Hale",
         "the company's chief executive"),
        ("Mary Byrne, 54, a retired teacher, spoke.", "Mary Byrne", "a retired teacher"),
        ("Kremlin spokesman Arkady Belyaev spoke.", "Arkady Belyaev", "Kremlin spokesman"),
        ("She married the fiddler Angus Rennie in 1964.", "Angus Rennie", "fiddler"),
        ("Office worker Jasmine Reyes walked to work.", "Jasmine Reyes", "Office worker"),
        ("Queensland's Regional Transport Minister, Callum Wexford, spoke.", "Callum Wexford",
         "Queensland's Regional Transport Minister"),
        ("Coun. Heather MacNeil spoke.", "Heather MacNeil", "Coun."),
        ("Council member Ray Kowalski voted no.", "Ray Kowalski", "Council member"),
    ],
)  # fmt: skip
def test_roles_from_titles_and_appositions(text: str, name: str, role: str) -> None:
    people = {p.name: p.role for p in analyze(text).people}
    assert people == {name: role}


@pytest.mark.parametrize(
    "text",
    [
        "Reuters and AFP reported the clash on Monday in Brussels.",
        "Interfax said the talks in Moscow would resume in June.",
        "Russian and Azeri officials met on Wednesday in Baku.",
        "The United States and the European Union signed the deal in Geneva.",
    ],
)
def test_places_outlets_nationalities_and_days_are_not_people(text: str) -> None:
    assert analyze(text).people == []


def test_a_person_mentioned_but_never_quoted_is_in_the_story() -> None:
    text = 'Maria Lopez met Gov. Ann Reyes on Monday. "It went well," Lopez said.'
    analysis = analyze(text)
    assert {p.name for p in analysis.people} == {"Maria Lopez", "Ann Reyes"}


def test_headline_quotation_takes_the_speaker_from_the_body() -> None:
    text = (
        "'We will rebuild,' mayor vows after flood\n\n"
        "Mayor Alison Pryce toured the town on Sunday.\n\n"
        '"We will rebuild this town," said Alison Pryce.'
    )
    analysis = analyze(text, headline=True)
    assert [names(analysis)[q.speaker] for q in analysis.quotes] == ["Alison Pryce"] * 2


def test_analysis_is_deterministic_and_json_serialisable() -> None:
    article = parse_seed(SEED.read_bytes(), SEED.name)
    first = json.dumps(analyze(article.text).to_json(), sort_keys=True)
    assert first == json.dumps(analyze(article.text).to_json(), sort_keys=True)


FUZZ_PIECES = [
    '"', "“", "”", "‘", "’", "'", " ", "\n\n", "\n", ",", ".", ":", " said", " Mr.", " Smith",
    " he", " she", " the minister", "'s", " NATO", " Reuters", " told", " according to",
    " Ana de la Cruz", " —", "!", "?", " J.R.", " Jr.", " a.m.", " Zhang Wei", " who", " its", "&",
    " Sen.", " 34-year-old", " De", " Al-", "-", "É", "\t", "\u200b", " Ní",
]  # fmt: skip


def test_any_text_gives_well_formed_spans() -> None:
    """Seeded random texts of quote marks, names and cues never crash the engine."""
    rng = random.Random(20261201)
    texts = ["", " ", "\n\n", '"', "'", "“", "Mr.", '"a," said', "A" * 500, '"' * 40, "‘’" * 30]
    texts += [
        "".join(rng.choice(FUZZ_PIECES) for _ in range(rng.randrange(1, 50))) for _ in range(400)
    ]
    for text in texts:
        for headline in (None, True):
            analysis = analyze(text, headline=headline)
            for quote in analysis.quotes:
                assert 0 <= quote.start < quote.end <= len(text)
                assert text[quote.start : quote.end] == quote.text
            for item in (*analysis.people, *analysis.organizations):
                assert all(0 <= m.start < m.end <= len(text) for m in item.mentions)
            ids = {p.id for p in analysis.people} | {o.id for o in analysis.organizations}
            assert all(q.speaker is None or q.speaker in ids for q in analysis.quotes)


def test_the_engine_makes_no_reference_cycles() -> None:
    """Reference counting frees everything: long texts may pause the cyclic collector."""
    import gc

    text = (Path(__file__).parent / "corpus" / "01_lithuania-gas-transit.txt").read_bytes()
    article = parse_seed(text, "01_lithuania-gas-transit.txt")
    analyze(article.text, headline=True)
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(3):
            analyze(article.text, headline=True)
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


def test_a_long_text_leaves_the_collector_as_it_was() -> None:
    """The pause for long texts is undone, also when the collector was off before."""
    import gc

    text = '"Yes," said John Smith. ' * 10_000  # over GC_PAUSE_CHARS
    assert gc.isenabled()
    analyze(text)
    assert gc.isenabled()
    gc.disable()
    try:
        analyze(text)
        assert not gc.isenabled()
    finally:
        gc.enable()
