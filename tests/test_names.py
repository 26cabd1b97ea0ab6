"""The name stage alone: runs of capitalised words, titles split off, genders."""

from __future__ import annotations

import pytest

from webapp.analysis.document import Document, build_document
from webapp.analysis.names import (
    Names,
    Run,
    find_names,
    find_runs,
    name_gender,
    read_name,
    role_gender,
    surname_first,
)
from webapp.analysis.quotes import find_quotes
from webapp.analysis.roles import find_roles
from webapp.analysis.tuning import MAX_NAME_RUN


def names_of(text: str) -> tuple[Document, Names]:
    """Return the document of a text (no headline) and its names."""
    doc = build_document(text, headline=False)
    return doc, find_names(doc, find_roles(doc, find_quotes(doc)))


def run_texts(doc: Document, runs: list[Run]) -> list[str]:
    """Return the text each run covers."""
    return [doc.text[doc.starts[run.first] : doc.ends[run.last]] for run in runs]


def run_of(doc: Document, names: Names, text: str) -> Run:
    """Return the run that covers exactly this text."""
    (run,) = [run for run in names.runs if run_texts(doc, [run]) == [text]]
    return run


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The court heard Piet van der Berg on Monday.", ["The", "Piet van der Berg", "Monday"]),
        ("She joined the Ministry of Health last year.", ["She", "Ministry of Health"]),
        ("Shares of Brackenfold fell.", ["Shares", "Brackenfold"]),
        ('Fans cheered Earl "Fats" Brown loudly.', ["Fans", 'Earl "Fats" Brown']),
        ("Shares of Quorrel & Gamble rose.", ["Shares", "Quorrel & Gamble"]),
        ("It was Tova Quill's dog.", ["It", "Tova Quill"]),
        ("It went to the District Attorney's Office.", ["It", "District Attorney's Office"]),
        ("It went to Bosnia and Herzegovina today.", ["It", "Bosnia and Herzegovina"]),
        ("Then Tova Quill and Bo Tull left.", ["Then Tova Quill", "Bo Tull"]),
        ("It was Bo Tull\nTova Quill came", ["It", "Bo Tull", "Tova Quill"]),
        ("Tova Quill, Bo Tull.", ["Tova Quill", "Bo Tull"]),
        ("The Secretary of State left.", ["The Secretary of State"]),
    ],
)
def test_find_runs(text: str, expected: list[str]) -> None:
    """find_runs groups capitalised words, particles and joining words into runs."""
    doc = build_document(text, headline=False)
    assert run_texts(doc, find_runs(doc)) == expected


def test_run_possessive_and_nickname() -> None:
    """A run knows whether a possessive follows it and where its nickname stands."""
    doc = build_document('It was Earl "Fats" Brown\'s horn.', headline=False)
    run = find_runs(doc)[1]
    assert run.possessive is True
    assert run.nickname is not None
    assert [doc.words[i] for i in run.nickname] == ["Fats"]


def test_long_run_is_cut_at_max_name_run() -> None:
    """A very long capitalised run is cut into runs of at most MAX_NAME_RUN tokens."""
    words = [f"Mox{letter}" for letter in "abcdefghijklmnopqrstuvwxyz"]
    text = "It was " + " ".join(words) + " indeed."
    doc = build_document(text, headline=False)
    runs = find_runs(doc)[1:]
    sizes = [run.last - run.first + 1 for run in runs]
    assert sizes == [MAX_NAME_RUN, MAX_NAME_RUN, len(words) - 2 * MAX_NAME_RUN]
    assert " ".join(run_texts(doc, runs)) == " ".join(words)


def test_place_surname_does_not_join_next_name() -> None:
    """'X and Y' joins two runs only for places, not after a person's place-like surname."""
    doc = build_document("Tyrell J. Washington and Ada Lenk said no.", headline=False)
    assert run_texts(doc, find_runs(doc)) == ["Tyrell J. Washington", "Ada Lenk"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("When Tova Quill's dog barked, we ran.", ["Tova Quill"]),
        ("The Ministry of Health said so.", ["Ministry of Health"]),
        ("But Then It Was gone.", []),
        ("In Fernhill, Bo Tull said so.", ["Fernhill", "Bo Tull"]),
    ],
)
def test_find_names_skips_leading_function_words(text: str, expected: list[str]) -> None:
    """find_names drops leading stopwords of runs and runs made only of them."""
    doc, names = names_of(text)
    assert run_texts(doc, names.runs) == expected


def test_find_names_endings() -> None:
    """Names opening with a given name or an initial register their last word."""
    _, names = names_of("Jane Roe met R.J. Castellanos and Tova Quill at Fernhill Hall.")
    assert names.endings == frozenset({"Roe", "Castellanos"})


def test_capitalized_mid_sentence() -> None:
    """A word is known as capitalised mid-sentence only when it is seen there."""
    _, names = names_of("Quill left. Later Bo Tull said Quill had gone. Analysts agreed.")
    assert names.capitalized_mid_sentence("Quill")
    assert names.capitalized_mid_sentence("Tull")
    assert not names.capitalized_mid_sentence("Analysts")


@pytest.mark.parametrize(
    ("text", "run", "names", "role", "gender", "titled"),
    [
        (
            "We met Deputy Foreign Minister Araz Azimov there.",
            "Deputy Foreign Minister Araz Azimov",
            ("Araz", "Azimov"),
            "Deputy Foreign Minister",
            None,
            True,
        ),
        ("We met Mr Dale Okoro there.", "Mr Dale Okoro", ("Dale", "Okoro"), None, "m", True),
        ("We met Mrs Tova Ring there.", "Mrs Tova Ring", ("Tova", "Ring"), None, "f", True),
        ("We met Dr. Ada Lenk there.", "Dr. Ada Lenk", ("Ada", "Lenk"), None, None, True),
        ("We met Gareth Lowe MP there.", "Gareth Lowe MP", ("Gareth", "Lowe"), None, None, False),
        ("We met King Osric there.", "King Osric", ("Osric",), "King", "m", True),
        (
            "We met Secretary of State Lena Marsh there.",
            "Secretary of State Lena Marsh",
            ("Lena", "Marsh"),
            "Secretary of State",
            None,
            True,
        ),
        (
            "We met Deputy Raimundo Cavalcanti there.",
            "Deputy Raimundo Cavalcanti",
            ("Raimundo", "Cavalcanti"),
            "Deputy",
            None,
            True,
        ),
        (
            "We met Russian Anatoly Serdyukov there.",
            "Russian Anatoly Serdyukov",
            ("Anatoly", "Serdyukov"),
            None,
            None,
            False,
        ),
        (
            "Fisherman Kelvin Alleyne waved.",
            "Fisherman Kelvin Alleyne",
            ("Kelvin", "Alleyne"),
            "Fisherman",
            None,
            True,
        ),
        (
            'We met Earl "Fats" Brown there.',
            'Earl "Fats" Brown',
            ("Earl", "Brown"),
            None,
            None,
            False,
        ),
        ("We met Tova Quill there.", "Tova Quill", ("Tova", "Quill"), None, None, False),
        (  # an organisation's word before a given name: the capitals before it are a role
            "We met Dockers Union Treasurer-General Gary Casteel there.",
            "Dockers Union Treasurer-General Gary Casteel",
            ("Gary", "Casteel"),
            "Dockers Union Treasurer-General",
            None,
            True,
        ),
        (  # no organisation's word: names of several parts stay whole
            "We met Halima Mohamed Said there.",
            "Halima Mohamed Said",
            ("Halima", "Mohamed", "Said"),
            None,
            None,
            False,
        ),
    ],
)
def test_read_name(
    text: str,
    run: str,
    names: tuple[str, ...],
    role: str | None,
    gender: str | None,
    titled: bool,
) -> None:
    """read_name splits a run into its role, its name words, a title gender and titled."""
    doc, found = names_of(text)
    parts = read_name(doc, run_of(doc, found, run))
    assert (parts.names, parts.role, parts.gender, parts.titled) == (names, role, gender, titled)
    assert doc.words[parts.first] == names[0]


def test_read_name_nationality_at_sentence_start() -> None:
    """A nationality before a name is not a role, at a sentence start as elsewhere."""
    doc, found = names_of("Russian Anatoly Serdyukov waved.")
    parts = read_name(doc, run_of(doc, found, "Russian Anatoly Serdyukov"))
    assert (parts.names, parts.role, parts.titled) == (("Anatoly", "Serdyukov"), None, False)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Jane", "Roe"), "f"),
        (("Owen", "Price"), "m"),
        (("Nádia", "Roe"), "f"),
        (("Jean", "Roe"), None),
        (("Tova", "Quill"), None),
        (("Tova", "Ní", "Bhriain"), "f"),
        (("Tova", "bin", "Khalid"), "m"),
        (("Tova", "Petrova"), "f"),
        (("Tova", "Kowalski"), "m"),
        (("Kowalski",), None),
        (("Zhang", "Wei"), "m"),
        (("Jane", "Kowalski"), "f"),
    ],
)
def test_name_gender(names: tuple[str, ...], expected: str | None) -> None:
    """name_gender reads a given name, a gendered particle or a Slavic surname ending."""
    doc = build_document("", headline=False)
    assert name_gender(doc, names) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("her father", "m"),
        ("a spokeswoman for Acme", "f"),
        ("Chairwoman", "f"),
        ("the actor’s wife", "f"),
        ("the company's chief executive", None),
        ("", None),
        (None, None),
    ],
)
def test_role_gender(role: str | None, expected: str | None) -> None:
    """role_gender returns the gender stated by a word of the role."""
    doc = build_document("", headline=False)
    assert role_gender(doc, role) == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Zhang", "Wei"), True),
        (("Kim", "Tova"), True),
        (("Tova", "Mei-ling"), True),
        (("Tova", "Quill-Smith"), False),
        (("Tova", "Mei-ling", "Quill"), False),
        (("Jane", "Roe"), False),
    ],
)
def test_surname_first(names: tuple[str, ...], expected: bool) -> None:
    """surname_first is True for a listed family name first or a hyphenated given name second."""
    doc = build_document("", headline=False)
    assert surname_first(doc, names) is expected
