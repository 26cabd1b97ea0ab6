"""Tests of the seed parser: the real seed, format variants, unsafe URLs and bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from webapp.seedfile import MAX_SEED_BYTES, Part, SeedArticle, SeedError, format_seed, parse_seed

PROJECT = Path(__file__).resolve().parent.parent
REAL_SEED = PROJECT / "seeds" / "000_da8a5756fcdbcfea.txt"

SIMPLE = b"""

## Harbour plan approved

March 3, 2024

Mayor Anna Berg at the harbour on Monday. Jon Smith

The council approved the harbour plan on Tuesday.

"We will build it this year," Anna Berg said.

## Original url:

https://example.com/harbour
"""


def _expected_parts(article: SeedArticle) -> list[tuple[str, str]]:
    """Return (kind, text) of headline, caption and paragraphs in reading order."""
    expected = [("headline", article.title)]
    if article.caption:
        expected.append(("caption", article.caption))
    expected.extend(("paragraph", p) for p in article.paragraphs)
    return expected


def _assert_parts_consistent(article: SeedArticle) -> None:
    """Every Part's slice of .text is its piece, and the pieces tile the text."""
    expected = _expected_parts(article)
    assert [p.kind for p in article.parts] == [kind for kind, _ in expected]
    for part, (_, piece) in zip(article.parts, expected, strict=True):
        assert article.text[part.start : part.end] == piece
    assert article.text == "\n\n".join(piece for _, piece in expected)
    assert article.parts[0].start == 0
    assert article.parts[-1].end == len(article.text)


# ----- the real seed ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> SeedArticle:
    return parse_seed(REAL_SEED.read_bytes(), REAL_SEED.name)


def test_real_seed_fields(real: SeedArticle) -> None:
    assert real.name == REAL_SEED.name
    assert real.title == "NATO and Russia Clash Again on Missile Defense"
    assert real.published == date(2011, 6, 9)
    assert real.caption == "Anders Fogh Rasmussen welcoming Anatoly Serdyukov, left, in Brussels."
    assert real.photo_credit == "Francois Lenoir"
    assert real.source_url == (
        "https://www.themoscowtimes.com/2011/06/09/nato-and-russia-clash-again-on-missile-defense-a7519"
    )
    assert real.warnings == ()


def test_real_seed_paragraphs(real: SeedArticle) -> None:
    assert len(real.paragraphs) == 18
    assert real.paragraphs[0].startswith("BRUSSELS — NATO and Russia clashed again")
    assert real.paragraphs[-1] == (
        "He did not say how much Azerbaijan wants Russia to pay or explain the risk."
    )
    # No paragraph is the date, the caption or the url section.
    for paragraph in real.paragraphs:
        assert "Original url" not in paragraph
        assert "Francois Lenoir" not in paragraph
        assert paragraph != "June 09, 2011"


@pytest.mark.parametrize(
    "fragment",
    [
        "It agreed to consider NATO's proposal",  # cut by a blank line in the file
        "Russia is now paying $10 million per year.",  # "\$10 million" in the file
        '"doesn\'t suit us"',
    ],
)
def test_real_seed_joined_text(real: SeedArticle, fragment: str) -> None:
    joined = "\n".join(real.paragraphs)
    assert fragment in joined
    assert fragment in real.text


def test_real_seed_cut_paragraph_is_one_paragraph(real: SeedArticle) -> None:
    matching = [p for p in real.paragraphs if "It agreed" in p]
    assert len(matching) == 1
    assert matching[0].startswith("Russia sees the U.S.-led missile defense plans")
    assert matching[0].endswith("no compromise has been found yet.")


def test_real_seed_has_no_markdown_escapes(real: SeedArticle) -> None:
    assert "\\$" not in real.text
    assert "\\" not in real.text


def test_real_seed_parts_consistent(real: SeedArticle) -> None:
    _assert_parts_consistent(real)
    assert real.parts[0] == Part("headline", 0, len(real.title))
    assert real.parts[1].kind == "caption"
    assert sum(1 for p in real.parts if p.kind == "paragraph") == 18


def test_real_seed_str_and_bytes_agree(real: SeedArticle) -> None:
    from_str = parse_seed(REAL_SEED.read_text(encoding="utf-8"), REAL_SEED.name)
    assert from_str == real


# ----- format variants ----------------------------------------------------------------------


def test_simple_seed() -> None:
    article = parse_seed(SIMPLE, "simple.txt")
    assert article.title == "Harbour plan approved"
    assert article.published == date(2024, 3, 3)
    assert article.caption == "Mayor Anna Berg at the harbour on Monday."
    assert article.photo_credit == "Jon Smith"
    assert article.paragraphs == (
        "The council approved the harbour plan on Tuesday.",
        '"We will build it this year," Anna Berg said.',
    )
    assert article.source_url == "https://example.com/harbour"
    assert article.warnings == ()
    _assert_parts_consistent(article)


@pytest.mark.parametrize("blank", [b"", b"\n", b"\n\n\n\n", b"   \n\t\n \n"])
def test_blank_lines_before_title(blank: bytes) -> None:
    article = parse_seed(blank + SIMPLE.lstrip(b"\n"), "blank.txt")
    assert article.title == "Harbour plan approved"
    assert len(article.paragraphs) == 2


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="bom"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), id="bom+crlf"),
        pytest.param(lambda b: b.replace(b"\n", b"\r"), id="cr"),
    ],
)
def test_line_endings_and_bom(transform) -> None:
    plain = parse_seed(SIMPLE, "same.txt")
    variant = parse_seed(transform(SIMPLE), "same.txt")
    for field in ("title", "published", "caption", "photo_credit", "paragraphs", "source_url"):
        assert getattr(variant, field) == getattr(plain, field), field
    assert variant.text == plain.text
    assert variant.parts == plain.parts
    assert "\r" not in variant.text
    assert "\ufeff" not in variant.text
    assert not variant.title.startswith("\ufeff")


@pytest.mark.parametrize(
    "encoding",
    ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"],
)
def test_utf16_and_utf8_with_a_mark_read_like_utf8(encoding: str) -> None:
    """Windows editors save "Unicode" as UTF-16, with or without a byte-order mark."""
    text = SIMPLE.decode("utf-8") + "\nCafé owners said “no”.\n"
    plain = parse_seed(text.encode("utf-8"), "same.txt")
    variant = parse_seed(text.encode(encoding), "same.txt")
    assert (variant.title, variant.paragraphs, variant.text) == (
        plain.title,
        plain.paragraphs,
        plain.text,
    )


def test_a_one_paragraph_body_is_not_taken_for_a_caption() -> None:
    """'Jane said hello. Jane Doe' alone is the body, even though it ends like a credit."""
    article = parse_seed(b"## Hello\n\nJane said hello. Jane Doe\n", "one.txt")
    assert article.caption is None
    assert article.paragraphs == ("Jane said hello. Jane Doe",)


def test_the_source_url_line_is_recorded() -> None:
    """The line of the source URL, for any message about it."""
    article = parse_seed(b"## T\n\nA paragraph.\n\n## Original url:\n\nhttps://e.com/a\n", "u.txt")
    assert (article.source_url, article.source_line) == ("https://e.com/a", 7)


def test_no_date_line() -> None:
    data = b"## Harbour plan\n\nMayor Anna Berg at the harbour. Jon Smith\n\nThe plan passed.\n"
    article = parse_seed(data, "nodate.txt")
    assert article.published is None
    assert article.caption == "Mayor Anna Berg at the harbour."
    assert article.photo_credit == "Jon Smith"
    assert article.paragraphs == ("The plan passed.",)
    assert article.warnings == ()


def test_no_date_no_caption() -> None:
    data = b"## Harbour plan\n\nThe plan passed on Tuesday.\n\nWork starts in May.\n"
    article = parse_seed(data, "bare.txt")
    assert article.published is None
    assert article.caption is None
    assert article.photo_credit is None
    assert article.paragraphs == ("The plan passed on Tuesday.", "Work starts in May.")
    assert article.source_url is None
    assert [p.kind for p in article.parts] == ["headline", "paragraph", "paragraph"]
    _assert_parts_consistent(article)


def test_no_caption() -> None:
    data = b"## Harbour plan\n\nMarch 3, 2024\n\nThe plan passed on Tuesday.\n\nWork starts soon.\n"
    article = parse_seed(data, "nocaption.txt")
    assert article.published == date(2024, 3, 3)
    assert article.caption is None
    assert article.photo_credit is None
    assert article.paragraphs[0] == "The plan passed on Tuesday."
    assert all(p.kind != "caption" for p in article.parts)
    _assert_parts_consistent(article)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("June 09, 2011", date(2011, 6, 9)),
        ("June 9, 2011", date(2011, 6, 9)),
        ("June 9 2011", date(2011, 6, 9)),
        ("Jun 9, 2011", date(2011, 6, 9)),
        ("Jun. 9, 2011", date(2011, 6, 9)),
        ("9 June 2011", date(2011, 6, 9)),
        ("2011-06-09", date(2011, 6, 9)),
        ("Sept. 9, 2011", date(2011, 9, 9)),
    ],
)
def test_date_formats(line: str, expected: date) -> None:
    article = parse_seed(f"## T\n\n{line}\n\nThe plan passed.\n", "date.txt")
    assert article.published == expected
    assert article.warnings == ()
    assert article.paragraphs == ("The plan passed.",)


def test_impossible_date_warns_and_loads() -> None:
    article = parse_seed("## T\n\nFebruary 30, 2011\n\nThe plan passed.\n", "feb.txt")
    assert article.published is None
    assert article.paragraphs == ("The plan passed.",)
    assert len(article.warnings) == 1
    assert article.warnings[0].startswith("feb.txt:3:")


@pytest.mark.parametrize(
    "section",
    [
        "## Original url: https://example.com/a",
        "## Original url:https://example.com/a",
        "## original URL https://example.com/a",
        "## Original url:\n\nhttps://example.com/a",
        "## Original url:\nhttps://example.com/a",
        "## Original url:\n\n   https://example.com/a   ",
    ],
)
def test_source_url_forms(section: str) -> None:
    article = parse_seed(f"## T\n\nThe plan passed.\n\n{section}\n", "url.txt")
    assert article.source_url == "https://example.com/a"
    assert article.paragraphs == ("The plan passed.",)
    assert article.warnings == ()


def test_url_section_without_url_warns() -> None:
    article = parse_seed("## T\n\nThe plan passed.\n\n## Original url:\n\n", "nourl.txt")
    assert article.source_url is None
    assert article.paragraphs == ("The plan passed.",)
    assert len(article.warnings) == 1
    assert article.warnings[0].startswith("nourl.txt:5:")


@pytest.mark.parametrize(
    ("url_lines", "bad_line"),
    [
        ("## Original url:\n\njavascript:alert(document.cookie)", 7),
        ("## Original url: javascript:alert(1)", 5),
        ("## Original url:\n\nJavaScript:alert(1)", 7),
        ("## Original url:\n\ndata:text/html,<script>alert(1)</script>", 7),
        ("## Original url:\n\nhttps:///no-host/path", 7),
        ("## Original url:\n\n//evil.example/path", 7),
        ("## Original url:\n\nftp://example.com/file", 7),
        ("## Original url:\n\nhttps://exa mple.com/", 7),
    ],
)
def test_unsafe_url_dropped_with_warning(url_lines: str, bad_line: int) -> None:
    data = f"## Harbour plan\n\nThe plan passed.\n\n{url_lines}\n"
    article = parse_seed(data, "unsafe.txt")
    assert article.source_url is None
    assert article.title == "Harbour plan"
    assert article.paragraphs == ("The plan passed.",)
    assert len(article.warnings) == 1
    warning = article.warnings[0]
    assert warning.startswith(f"unsafe.txt:{bad_line}: ")
    assert "dropped" in warning


def test_script_tag_stays_text() -> None:
    data = (
        b"## Title with <b>bold</b>\n\n"
        b"A <script>alert('x')</script> tag & an <img src=x onerror=alert(1)> here.\n\n"
        b"Escaped \\<script\\> too.\n"
    )
    article = parse_seed(data, "xss.txt")
    assert article.title == "Title with <b>bold</b>"
    assert article.paragraphs[0] == (
        "A <script>alert('x')</script> tag & an <img src=x onerror=alert(1)> here."
    )
    assert article.paragraphs[1] == "Escaped <script> too."
    assert "<script>alert('x')</script>" in article.text
    _assert_parts_consistent(article)


@pytest.mark.parametrize(
    ("escaped", "plain"),
    [
        ("\\$10 million", "$10 million"),
        ("\\*not bold\\*", "*not bold*"),
        ("\\_under\\_", "_under_"),
        ("a \\# sign", "a # sign"),
        ("back\\\\slash", "back\\slash"),
    ],
)
def test_markdown_escapes(escaped: str, plain: str) -> None:
    article = parse_seed(f"## T\n\nIt cost {escaped} today.\n", "esc.txt")
    assert article.paragraphs == (f"It cost {plain} today.",)


def test_cut_paragraph_joined_only_when_unfinished_and_lowercase() -> None:
    data = "## T\n\nIt agreed\n\nto consider it.\n\nNext one.\n\nthen lower after a stop.\n"
    article = parse_seed(data, "cut.txt")
    assert article.paragraphs == (
        "It agreed to consider it.",
        "Next one.",
        "then lower after a stop.",
    )


def test_spaces_squeezed_and_lines_of_a_block_joined() -> None:
    article = parse_seed("## T\n\nOne   line\nand  another\tline.\n", "ws.txt")
    assert article.paragraphs == ("One line and another line.",)


# ----- content hash -------------------------------------------------------------------------


def test_content_hash_changes_with_any_byte() -> None:
    base = parse_seed(SIMPLE, "h.txt").content_hash
    assert len(base) == 64
    assert parse_seed(SIMPLE, "other-name.txt").content_hash == base
    assert parse_seed(SIMPLE.decode("utf-8"), "h.txt").content_hash == base
    position = SIMPLE.index(b"Tuesday")
    changed = SIMPLE[:position] + b"W" + SIMPLE[position + 1 :]
    assert parse_seed(changed, "h.txt").content_hash != base
    assert parse_seed(SIMPLE + b"\n", "h.txt").content_hash != base


def test_content_hash_of_real_seed_is_sha256_of_bytes(real: SeedArticle) -> None:
    import hashlib

    assert real.content_hash == hashlib.sha256(REAL_SEED.read_bytes()).hexdigest()


# ----- bad input ----------------------------------------------------------------------------

BAD_INPUT = [
    pytest.param(b"", 1, "empty", id="empty"),
    pytest.param(b"   \n\t\n\r\n  ", 1, "empty", id="whitespace-only"),
    pytest.param(b"\xef\xbb\xbf\n\n", 1, "empty", id="bom-only"),
    pytest.param(b"\n\nJust a paragraph.\n\nAnother.\n", 3, "title", id="no-title"),
    pytest.param(b"## \n\nA paragraph.\n", 1, "title is empty", id="empty-title"),
    pytest.param(b"\n##\n\nA paragraph.\n", 2, "title is empty", id="empty-title-bare"),
    pytest.param(
        b"## T\n\nFirst.\n\nSecond \xff here.\n", 5, "not valid UTF-8", id="invalid-utf8-line5"
    ),
    pytest.param(
        b"## T\r\n\r\nFirst.\r\n\r\nSecond \xc3( here.\r\n",
        5,
        "not valid UTF-8",
        id="invalid-utf8-crlf-line5",
    ),
    pytest.param(b"\xff\xff## T\n", 1, "not valid UTF-8", id="invalid-utf8-line1"),
    pytest.param(b"\xff\xfe#\x00#\x00 ", 1, "not valid UTF-16", id="truncated-utf16"),
    pytest.param(b"## T\n\nFirst.\n\x00\x01\x02\n", 4, "binary", id="nul-byte"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, "binary", id="png"),
    pytest.param(b"## T\n\n" + b"\x01\x02\x03 " * 20 + b"\n", 1, "binary", id="control-chars"),
    pytest.param(b"\n\n## Title only", 3, "no paragraphs", id="title-no-paragraphs"),
]


@pytest.mark.parametrize(("data", "line", "why"), BAD_INPUT)
def test_bad_input_raises_seed_error(data: bytes, line: int, why: str) -> None:
    with pytest.raises(SeedError) as info:
        parse_seed(data, "bad.txt")
    err = info.value
    assert isinstance(err, ValueError)
    assert err.name == "bad.txt"
    assert err.line == line
    assert why in err.why
    assert str(err) == f"bad.txt:{line}: {err.why}"


def test_over_size_limit() -> None:
    head = b"## T\n\n"
    data = head + b"a" * (MAX_SEED_BYTES + 1 - len(head))
    assert len(data) == MAX_SEED_BYTES + 1
    with pytest.raises(SeedError) as info:
        parse_seed(data, "big.txt")
    assert info.value.name == "big.txt"
    assert info.value.line == 1
    assert str(info.value).startswith("big.txt:1: ")
    assert str(MAX_SEED_BYTES + 1) in str(info.value)


def test_at_size_limit_loads() -> None:
    head = b"## T\n\n"
    sentence = b"Word word. "
    body = sentence * ((MAX_SEED_BYTES - len(head)) // len(sentence))
    data = head + body + b"x" * (MAX_SEED_BYTES - len(head) - len(body))
    assert len(data) == MAX_SEED_BYTES
    article = parse_seed(data, "limit.txt")
    assert article.title == "T"
    assert len(article.paragraphs) == 1


def test_over_size_limit_counts_bytes_not_characters() -> None:
    # "é" is two bytes: under the limit in characters, over it in bytes.
    text = "## T\n\n" + "é" * (MAX_SEED_BYTES // 2 + 1)
    assert len(text) < MAX_SEED_BYTES < len(text.encode("utf-8"))
    with pytest.raises(SeedError, match="byte limit"):
        parse_seed(text, "wide.txt")


def test_no_paragraphs_with_only_date_caption_and_url() -> None:
    data = b"## T\n\nJune 9, 2011\n\n## Original url:\n\nhttps://example.com/a"
    with pytest.raises(SeedError, match="no paragraphs") as info:
        parse_seed(data, "hollow.txt")
    assert info.value.name == "hollow.txt"


def test_no_paragraphs_line_exists_in_file() -> None:
    data = b"## Title only\n"
    with pytest.raises(SeedError) as info:
        parse_seed(data, "short.txt")
    assert 1 <= info.value.line <= data.count(b"\n")


@pytest.mark.parametrize("bad", [b"\xff", b"\x00"])
def test_bad_byte_line_with_cr_line_endings(bad: bytes) -> None:
    data = b"## T\r\rFirst.\r\rSecond " + bad + b" here.\r"
    with pytest.raises(SeedError) as info:
        parse_seed(data, "mac.txt")
    assert info.value.line == 5


def test_str_with_lone_surrogate_raises_seed_error() -> None:
    with pytest.raises(SeedError) as info:
        parse_seed("## T\n\nBad \udcff here.\n", "surrogate.txt")
    assert info.value.line == 3


@pytest.mark.parametrize(
    ("caption_line", "caption", "credit"),
    [
        ("A mayor in the rain. Liam Dwyer", "A mayor in the rain.", "Liam Dwyer"),
        ("A mayor in the rain. Picture by Liam Dwyer", "A mayor in the rain.", "Liam Dwyer"),
        ("A mayor in the rain. Photograph by Ana de la Cruz", "A mayor in the rain.",
         "Ana de la Cruz"),
        ("A mayor in the rain. Photo: Jane Roe/Reuters", "A mayor in the rain.",
         "Jane Roe/Reuters"),
    ],
)  # fmt: skip
def test_caption_credit_forms(caption_line: str, caption: str, credit: str) -> None:
    article = parse_seed(f"## T\n\nJune 9, 2011\n\n{caption_line}\n\nThe plan passed.\n", "c.txt")
    assert (article.caption, article.photo_credit) == (caption, credit)
    assert article.paragraphs == ("The plan passed.",)


def test_a_first_paragraph_that_ends_without_a_stop_is_not_a_caption() -> None:
    article = parse_seed("## T\n\nThe council met on Monday. It agreed\n\nto wait.\n", "p.txt")
    assert article.caption is None
    assert article.paragraphs == ("The council met on Monday. It agreed to wait.",)


def test_a_malformed_source_url_is_dropped_and_the_article_kept() -> None:
    article = parse_seed("## T\n\nThe plan passed.\n\n## Original url:\n\nhttp://[::1/x\n", "u.txt")
    assert article.source_url is None
    assert article.paragraphs == ("The plan passed.",)
    assert any("u.txt:" in w and "dropped" in w for w in article.warnings)


@pytest.mark.parametrize(
    "paragraphs",
    [
        ['He said \\n is "a newline".', "## Original URL: http://evil.example/ is text."],
        ["# not a heading", "A back\\\\slash, a \\* star and *emphasis*."],
        ["Jane said hello. Jane Doe"],
    ],
)
def test_format_seed_gives_back_the_same_words(paragraphs: list[str]) -> None:
    text = format_seed("A \\ title #1", paragraphs, date(2024, 5, 1), "https://example.org/a")
    seed = parse_seed(text, "import")
    assert seed.title == "A \\ title #1"
    assert list(seed.paragraphs) == paragraphs
    assert seed.published == date(2024, 5, 1)
    assert seed.source_url == "https://example.org/a"
    assert seed.warnings == ()


def test_format_seed_without_date_or_url() -> None:
    seed = parse_seed(format_seed("Title", ["One.", "Two."]), "import")
    assert (seed.published, seed.source_url, seed.paragraphs) == (None, None, ("One.", "Two."))
