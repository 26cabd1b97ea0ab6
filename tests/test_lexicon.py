"""The lexicon stage alone: the file format, the loader, and the package's own word lists."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from webapp.analysis.document import build_document
from webapp.analysis.lexicon import FOLDER, build_lexicon, load_lexicon, plain, read_sections

ENGINE = Path(__file__).resolve().parent.parent / "webapp" / "analysis"


def write(folder: Path, name: str, text: str) -> None:
    """Write one lexicon file into a folder."""
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def lexicon_copy(tmp_path: Path) -> Path:
    """Return a copy of the package's lexicon folder that a test may change."""
    return Path(shutil.copytree(FOLDER, tmp_path / "lexicon"))


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a file's text, failing if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- read_sections --------------------------------------------------------------------------


def test_read_sections_file_without_sections(tmp_path: Path) -> None:
    """A file without sections is one section named after the file; comments are skipped."""
    write(tmp_path, "colours.txt", "# Format: words\n\n  red green  \n# blue\n\nyellow\n")
    assert read_sections(tmp_path) == {("colours", "colours"): ["red green", "yellow"]}


def test_read_sections_with_sections(tmp_path: Path) -> None:
    """Lines before the first [section] belong to the file's section; each [name] opens one."""
    write(
        tmp_path,
        "tools.txt",
        "# Format: mixed\nhammer\n\n[cutting]\n# sharp ones\nsaw\n  knife \n[joining]\nglue\n",
    )
    assert read_sections(tmp_path) == {
        ("tools", "tools"): ["hammer"],
        ("tools", "cutting"): ["saw", "knife"],
        ("tools", "joining"): ["glue"],
    }


def test_read_sections_drops_empty_sections(tmp_path: Path) -> None:
    """A section without lines, and a file with only comments, are left out."""
    write(tmp_path, "empty.txt", "# Format: words\n# nothing here\n\n")
    write(tmp_path, "some.txt", "[full]\nyes\n[hollow]\n# a comment only\n")
    assert read_sections(tmp_path) == {("some", "full"): ["yes"]}


def test_read_sections_repeated_section_accumulates(tmp_path: Path) -> None:
    """A section opened twice in one file collects the lines of both places."""
    write(tmp_path, "pets.txt", "cat\n[wild]\nwolf\n[pets]\ndog\n[wild]\nfox\n")
    assert read_sections(tmp_path) == {
        ("pets", "pets"): ["cat", "dog"],
        ("pets", "wild"): ["wolf", "fox"],
    }


def test_read_sections_reads_only_txt_files_in_name_order(tmp_path: Path) -> None:
    """Only *.txt files are read, sorted by name, as UTF-8."""
    write(tmp_path, "b.txt", "Siobhán\n")
    write(tmp_path, "a.txt", "Zoë\n")
    write(tmp_path, "notes.md", "ignored\n")
    assert list(read_sections(tmp_path).items()) == [
        (("a", "a"), ["Zoë"]),
        (("b", "b"), ["Siobhán"]),
    ]


# --- build_lexicon on a changed copy ---------------------------------------------------------


def test_build_lexicon_copy_equals_package(lexicon_copy: Path) -> None:
    """An unchanged copy builds the same word lists as the package's folder."""
    copy, package = build_lexicon(lexicon_copy), load_lexicon()
    assert copy.cues == package.cues
    assert copy.titles == package.titles
    assert copy.classes == package.classes
    assert copy.sections_read == package.sections_read


def test_added_cue_word_is_a_cue(lexicon_copy: Path) -> None:
    """A word added to cues.txt's own section becomes a cue."""
    assert "harrumphed" not in load_lexicon().cues
    edit(lexicon_copy / "cues.txt", "\n[speaker_after]\n", "\nharrumphed\n\n[speaker_after]\n")
    lexicon = build_lexicon(lexicon_copy)
    assert "harrumphed" in lexicon.cues
    assert lexicon.cues - load_lexicon().cues == {"harrumphed"}


def test_added_speaker_after_phrase(lexicon_copy: Path) -> None:
    """A phrase added to [speaker_after] is split into words; [phrases] is unchanged."""
    edit(lexicon_copy / "cues.txt", "[speaker_after]\n", "[speaker_after]\nas told by\n")
    lexicon = build_lexicon(lexicon_copy)
    assert ("as", "told", "by") in lexicon.cue_phrases_speaker_after
    assert ("as", "told", "by") not in load_lexicon().cue_phrases_speaker_after
    assert lexicon.cue_phrases == load_lexicon().cue_phrases


@pytest.mark.parametrize(
    ("line", "key", "value"),
    [("Elder -", "Elder", None), ("Dame f", "Dame", "f"), ("Warden", "Warden", None)],
)
def test_pairs_read_dash_as_none(
    lexicon_copy: Path, line: str, key: str, value: str | None
) -> None:
    """A pair line 'key value' maps key to value; '-' or no value means None."""
    path = lexicon_copy / "titles.txt"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    titles = build_lexicon(lexicon_copy).titles
    assert key in titles
    assert titles[key] == value


def test_added_abbreviation_changes_tokens(lexicon_copy: Path) -> None:
    """An abbreviation added to word_classes.txt keeps its full stop in a document."""
    edit(lexicon_copy / "word_classes.txt", "[abbreviations]\n", "[abbreviations]\nBrig\n")
    lexicon = build_lexicon(lexicon_copy)
    text = "Brig. Tova Quill spoke."
    assert build_document(text, lexicon=lexicon).words[:2] == ["Brig.", "Tova"]
    assert build_document(text).words[:2] == ["Brig", "."]


def test_given_gender_from_the_two_lists(lexicon_copy: Path) -> None:
    """A name in one given-name list has its gender; a name in both lists has none."""
    for name in ("given_names_male.txt", "given_names_female.txt"):
        path = lexicon_copy / name
        path.write_text(path.read_text(encoding="utf-8") + "\nQuorrel\n", encoding="utf-8")
    path = lexicon_copy / "given_names_female.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nVashtiel\n", encoding="utf-8")
    lexicon = build_lexicon(lexicon_copy)
    assert "Quorrel" in lexicon.given_names
    assert "Quorrel" not in lexicon.given_gender
    assert lexicon.given_gender["Vashtiel"] == "f"


def test_missing_file_is_an_error(lexicon_copy: Path) -> None:
    """build_lexicon needs every file of the real lexicon."""
    (lexicon_copy / "adverbs.txt").unlink()
    with pytest.raises(KeyError):
        build_lexicon(lexicon_copy)


# --- the package's own lexicon --------------------------------------------------------------


def test_every_section_is_read() -> None:
    """The loader reads every section of every lexicon file."""
    assert load_lexicon().sections_read == set(read_sections())


def word_class_sections() -> list[str]:
    """Return the section names of word_classes.txt."""
    return sorted(section for file, section in read_sections() if file == "word_classes")


def engine_source() -> str:
    """Return the source of the engine's modules other than the lexicon loader."""
    return "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted(ENGINE.glob("*.py"))
        if path.name != "lexicon.py"
    )


def test_word_classes_listed() -> None:
    """word_classes.txt has its many sections (the parametrised test below is not empty)."""
    assert len(word_class_sections()) > 30
    assert {"abbreviations", "role_leads", "agent_suffixes"} <= set(word_class_sections())


@pytest.mark.parametrize("name", word_class_sections())
def test_word_class_is_used_by_the_engine(name: str) -> None:
    """Every word class is referenced in the engine's source outside lexicon.py."""
    pattern = re.compile(rf"classes\.{name}\b|[\"']{name}[\"']")
    assert pattern.search(engine_source()), f"word class [{name}] is used nowhere"


@pytest.mark.parametrize("path", sorted(FOLDER.glob("*.txt")), ids=lambda path: path.name)
def test_every_file_starts_with_format_line(path: Path) -> None:
    """Every lexicon file says its format on its first line."""
    assert path.read_text(encoding="utf-8").splitlines()[0].startswith("# Format:")


def test_lexicon_is_loaded_once() -> None:
    """load_lexicon returns the same object every time."""
    assert load_lexicon() is load_lexicon()


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Siobhán", "Siobhan"),
        ("Zoë", "Zoe"),
        ("Ñandú", "Nandu"),
        ("Çelik", "Celik"),
        ("Ada", "Ada"),
    ],
)
def test_plain_strips_accents(word: str, expected: str) -> None:
    """plain removes combining accents and keeps the base letters."""
    assert plain(word) == expected


def test_given_accepts_accented_form() -> None:
    """Lexicon.given finds a listed given name written with accents."""
    lexicon = load_lexicon()
    assert "Nadia" in lexicon.given_names
    assert "Nádia" not in lexicon.given_names
    assert lexicon.given("Nádia")
    assert not lexicon.given("Quorrel")
