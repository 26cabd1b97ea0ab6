"""The people stage alone: resolve_people on small invented texts, earlier stages run for real."""

from __future__ import annotations

import pytest

from webapp.analysis import Stages, run_stages
from webapp.analysis.people import PersonRecord


def stages(text: str, headline: bool = False) -> Stages:
    """Run the pipeline's stages on a text and return every result."""
    return run_stages(text, headline=headline)


def people(text: str) -> dict[str, PersonRecord]:
    """Return the people of a text by name."""
    return {p.name: p for p in stages(text).entities.people}


def mentions(text: str, person: PersonRecord) -> list[str]:
    """Return the words of each of a person's mentions."""
    return [text[a:b] for a, b in person.mentions]


def test_full_name_then_surname_is_one_person() -> None:
    """A surname after a full name is the same person, an alias and a second mention."""
    text = "Tom Reed arrived on Monday. Later Reed left the hall."
    found = stages(text).entities.people
    assert [p.name for p in found] == ["Tom Reed"]
    assert found[0].aliases == ("Reed",)
    assert mentions(text, found[0]) == ["Tom Reed", "Reed"]


def test_compound_surname_is_an_alias() -> None:
    """'Fogh Rasmussen' after 'Anders Fogh Rasmussen' is the same person."""
    text = "Anders Fogh Rasmussen spoke first. Fogh Rasmussen left early."
    found = stages(text).entities.people
    assert [p.name for p in found] == ["Anders Fogh Rasmussen"]
    assert found[0].aliases == ("Fogh Rasmussen",)
    assert mentions(text, found[0]) == ["Anders Fogh Rasmussen", "Fogh Rasmussen"]


def test_shared_surname_different_first_names_stay_apart() -> None:
    """Tom Reed and Ann Reed are two people."""
    text = "Tom Reed arrived on Monday. Ann Reed left on Tuesday."
    found = people(text)
    assert set(found) == {"Tom Reed", "Ann Reed"}
    assert mentions(text, found["Tom Reed"]) == ["Tom Reed"]
    assert mentions(text, found["Ann Reed"]) == ["Ann Reed"]


@pytest.mark.parametrize(
    ("honorific", "expected"),
    [("Mr", "Tom Reed"), ("Ms", "Ann Reed")],
)
def test_bare_surname_goes_to_the_person_of_the_honorific_gender(
    honorific: str, expected: str
) -> None:
    """'Mr Reed' means Tom Reed and 'Ms Reed' Ann Reed when both were named."""
    text = f"Tom Reed arrived. Ann Reed left. {honorific} Reed said no."
    found = people(text)
    start = text.index(f"{honorific} Reed") + len(honorific) + 1
    assert (start, start + len("Reed")) in found[expected].mentions
    other = ({"Tom Reed", "Ann Reed"} - {expected}).pop()
    assert len(found[other].mentions) == 1


def test_senior_and_junior_are_different_people() -> None:
    """Robert Kane Sr. and Robert Kane Jr. are not merged; 'Kane Sr.' is the father."""
    text = "Robert Kane Sr. said no. Robert Kane Jr. said yes. Kane Sr. left."
    found = people(text)
    assert set(found) == {"Robert Kane Sr.", "Robert Kane Jr."}
    assert mentions(text, found["Robert Kane Sr."]) == ["Robert Kane Sr.", "Kane Sr."]
    assert mentions(text, found["Robert Kane Jr."]) == ["Robert Kane Jr."]


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Defense Minister Jane Roe arrived on Monday.", "Jane Roe", "Defense Minister"),
        ("Jane Roe, the foreign minister, arrived.", "Jane Roe", "the foreign minister"),
        ("Kremlin spokesman Dmitry Volkan said no.", "Dmitry Volkan", "Kremlin spokesman"),
        (
            "Jane Roe, a spokeswoman for Acme Corp, said no.",
            "Jane Roe",
            "a spokeswoman for Acme Corp",
        ),
    ],
)
def test_role_from_title_or_apposition(text: str, name: str, role: str) -> None:
    """A title before the name or an apposition after it is the person's role."""
    found = people(text)
    assert found[name].role == role


def test_title_is_not_part_of_the_name_or_mention() -> None:
    """'Defense Minister Jane Roe' is the person Jane Roe, mentioned from 'Jane'."""
    text = "Defense Minister Jane Roe arrived on Monday."
    (person,) = stages(text).entities.people
    assert person.tokens == ("Jane", "Roe")
    assert mentions(text, person) == ["Jane Roe"]


@pytest.mark.parametrize(
    ("text", "name", "gender"),
    [
        ("Tom Reed met the press on Monday.", "Tom Reed", "m"),
        ("Jane Roe met the press on Monday.", "Jane Roe", "f"),
        ("Mr Tarvo Quill met the press on Monday.", "Tarvo Quill", "m"),
        ("Ms Sable Ellery met the press on Monday.", "Sable Ellery", "f"),
        ("Tarvo Quill, a spokeswoman for Acme Corp, said no.", "Tarvo Quill", "f"),
        ("Tarvo Quill, the club treasurer, said no.", "Tarvo Quill", None),
    ],
)
def test_gender_from_given_name_honorific_or_role(text: str, name: str, gender: str) -> None:
    """Gender comes from a listed given name, an honorific or a gendered role, else None."""
    assert people(text)[name].gender == gender


def test_nickname_in_quotation_marks() -> None:
    """Earl "Fats" Brennick: the nickname is recorded and later means him."""
    text = 'Earl "Fats" Brennick played. Fats laughed. Brennick said yes.'
    found = stages(text).entities.people
    assert [p.name for p in found] == ["Earl Brennick"]
    (person,) = found
    assert person.nicknames == ("Fats",)
    assert "Fats" in person.aliases
    assert mentions(text, person) == ['Earl "Fats" Brennick', "Fats", "Brennick"]


def test_role_phrase_is_a_mention_of_the_role_holder() -> None:
    """'the minister' after 'Defense Minister Jane Roe' is a mention of her."""
    text = "Defense Minister Jane Roe arrived. Roe met the press, and the minister said little."
    (person,) = stages(text).entities.people
    assert mentions(text, person) == ["Jane Roe", "Roe", "the minister"]
    assert "the minister" not in person.aliases


def test_role_phrase_prefers_the_fitting_modifier() -> None:
    """'The defense minister' is Jane Roe, though the Foreign Minister was named later."""
    text = (
        "Defense Minister Jane Roe and Foreign Minister Karl Ostby met. "
        "The defense minister said no."
    )
    found = people(text)
    assert mentions(text, found["Jane Roe"]) == ["Jane Roe", "The defense minister"]
    assert mentions(text, found["Karl Ostby"]) == ["Karl Ostby"]


def test_owner_role_phrase_is_an_alias() -> None:
    """The role phrase "NATO's leader" is the Secretary-General, and his alias."""
    text = "NATO Secretary-General Anders Fogh Rasmussen spoke. NATO's leader left."
    found = people(text)
    person = found["Anders Fogh Rasmussen"]
    assert person.role == "NATO Secretary-General"
    assert mentions(text, person) == ["Anders Fogh Rasmussen", "NATO's leader"]
    assert "NATO's leader" in person.aliases


def test_sentence_initial_role_phrase_is_not_an_alias() -> None:
    """'The minister' opening a sentence is a mention of Jane Roe but not an alias."""
    text = "Defense Minister Jane Roe arrived. The minister left."
    (person,) = stages(text).entities.people
    assert mentions(text, person) == ["Jane Roe", "The minister"]
    assert person.aliases == ()


def test_person_record_is_immutable() -> None:
    """A PersonRecord is a NamedTuple: assigning a field raises AttributeError."""
    (person,) = stages("Defense Minister Jane Roe arrived.").entities.people
    assert isinstance(person, PersonRecord)
    with pytest.raises(AttributeError):
        person.role = "Mayor"  # type: ignore[misc]
    assert person.role == "Defense Minister"


def test_entities_index_tokens_of_people_and_organisations() -> None:
    """by_token, mention_end and is_person cover every token of every mention."""
    text = "Jane Roe, a spokeswoman for Acme Corp, said no."
    s = stages(text)
    doc, entities = s.doc, s.entities
    jane, roe, acme, corp = (doc.words.index(w) for w in ("Jane", "Roe", "Acme", "Corp"))
    assert entities.by_token[jane] == entities.by_token[roe] == ("person", 0)
    assert entities.by_token[acme] == entities.by_token[corp] == ("org", 0)
    assert entities.mention_end == {jane: roe, acme: corp}
    assert entities.is_person(jane) and entities.is_person(roe)
    assert not entities.is_person(acme)
    assert not entities.is_person(doc.words.index("spokeswoman"))
    assert entities.orgs[0].name == "Acme Corp"


def test_role_index_is_built_from_the_records() -> None:
    """Entities.roles holds each person's expanded role for role phrases."""
    s = stages("Sen. Dale Prewitt met Defense Minister Jane Roe.")
    found = {p.name: i for i, p in enumerate(s.entities.people)}
    assert s.entities.roles.roles[found["Dale Prewitt"]] == "senator"
    assert s.entities.roles.roles[found["Jane Roe"]] == "defense minister"
    assert s.entities.roles.candidates("senator") == [found["Dale Prewitt"]]


def test_no_people_in_a_text_without_names() -> None:
    """A text of common words has no people."""
    s = stages("the talks ended late on a wet evening.")
    assert s.entities.people == ()
    assert s.entities.by_token == {}
