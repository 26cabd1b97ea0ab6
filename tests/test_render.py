"""Rendering spans to HTML: escaping, nesting, the allowlist, safe links."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import Page

from webapp.render import (
    MentionMark,
    QuoteMark,
    clean,
    initials,
    render_parts,
    render_span,
    safe_url,
)

Parse = Callable[[str], Page]

TEXT = 'Mayor Anna Berg said: "Anna Berg will <b>win</b> & so will we." Then she left.'
QUOTE = QuoteMark(
    qid="q1",
    start=TEXT.index('"'),
    end=TEXT.rindex('"') + 1,
    speaker="anna-berg",
    speaker_name="Anna Berg",
    colour=2,
    details=("Mayor", "Quotation · said"),
)
MENTIONS = [
    MentionMark(TEXT.index("Anna"), TEXT.index("Anna") + 9, "anna-berg"),
    MentionMark(TEXT.rindex("Anna"), TEXT.rindex("Anna") + 9, "anna-berg"),
]


def test_text_is_escaped_and_only_our_tags_are_emitted(parse: Parse) -> None:
    html = str(render_span(TEXT, 0, len(TEXT), [QUOTE], MENTIONS))
    assert "<b>" not in html
    assert "&lt;b&gt;win&lt;/b&gt; &amp; so" in html
    page = parse(html)
    assert {e.tag for e in page.all(lambda e: True)} == {"mark", "span"}
    visible = page.root.text_without("sr-only", "tip", "badge")
    assert visible == TEXT


def test_quote_mark_carries_the_hooks_and_speaker_for_screen_readers(parse: Parse) -> None:
    page = parse(str(render_span(TEXT, 0, len(TEXT), [QUOTE], MENTIONS)))
    (mark,) = page.all(lambda e: e.tag == "mark")
    assert mark.attrs == {
        "class": "quote speaker-2 kind-direct",
        "id": "q1",
        "data-quote": "q1",
        "data-speaker": "anna-berg",
        "tabindex": "0",
        "aria-describedby": "tip-q1",
    }
    children = [(c.attrs.get("class"), c.text) for c in mark.children]
    assert children[:3] == [
        ("badge", "AB"),
        ("sr-only", "Anna Berg:"),
        ("tip", "Anna Berg, Mayor, Quotation · said"),
    ]
    tip = page.by_id("tip-q1")
    assert tip.attrs["role"] == "tooltip"
    assert page.all(lambda e: e.has_class("badge"))[0].attrs["aria-hidden"] == "true"


def test_mentions_nest_inside_quotations(parse: Parse) -> None:
    page = parse(str(render_span(TEXT, 0, len(TEXT), [QUOTE], MENTIONS)))
    mentions = page.all(lambda e: e.has_class("mention"))
    assert [(m.text, m.attrs["data-person"]) for m in mentions] == [
        ("Anna Berg", "anna-berg"),
        ("Anna Berg", "anna-berg"),
    ]
    assert [any(a.tag == "mark" for a in m.ancestors()) for m in mentions] == [False, True]


def test_a_partially_overlapping_span_is_dropped_not_mangled(parse: Parse) -> None:
    bad = MentionMark(QUOTE.end - 3, QUOTE.end + 5, "x")
    page = parse(str(render_span(TEXT, 0, len(TEXT), [QUOTE], [bad])))
    assert page.all(lambda e: e.has_class("mention")) == []
    assert page.root.text_without("sr-only", "tip", "badge") == TEXT


def test_a_quotation_cut_by_a_part_boundary_keeps_unique_ids(parse: Parse) -> None:
    text = '"First half\n\nsecond half," she said.'
    parts = [
        {"kind": "paragraph", "start": 0, "end": 11},
        {"kind": "paragraph", "start": 13, "end": len(text)},
    ]
    quote = QuoteMark("q1", 0, 26, speaker="", speaker_name="")
    rendered = render_parts(text, parts, [quote], [])
    pages = [parse(str(p.html)) for p in rendered]
    marks = [m for page in pages for m in page.all(lambda e: e.tag == "mark")]
    assert [m.attrs.get("id") for m in marks] == ["q1", None]
    assert [m.attrs["data-quote"] for m in marks] == ["q1", "q1"]
    assert [p.root.text_without("sr-only", "tip", "badge") for p in pages] == [
        '"First half',
        'second half," she said.',
    ]


def test_an_unattributed_quotation_says_so() -> None:
    quote = QuoteMark("q7", 0, 4)
    html = str(render_span('"Hi"', 0, 4, [quote], []))
    assert 'class="quote speaker-none kind-direct"' in html
    assert 'data-speaker=""' in html
    assert '<span class="sr-only">Unattributed: </span>' in html


def test_spans_outside_the_part_are_ignored() -> None:
    html = render_span("abcdef", 0, 3, [QuoteMark("q1", 3, 6)], [MentionMark(4, 5, "x")])
    assert str(html) == "abc"


@pytest.mark.parametrize(
    "fragment",
    [
        '<script>alert(1)</script><mark class="quote">x</mark>',
        '<a href="javascript:alert(1)">x</a>',
        '<span class="mention" onclick="alert(1)" style="color:red">x</span>',
        '<mark class="quote evil" data-speaker="a b" data-quote="q1">x</mark>',
        '<img src=x onerror="alert(1)">',
    ],
)
def test_the_allowlist_drops_foreign_tags_and_attributes(fragment: str, parse: Parse) -> None:
    page = parse(str(clean(fragment)))
    tags = {e.tag for e in page.all(lambda e: True)}
    assert tags <= {"mark", "span"}
    for element in page.all(lambda e: True):
        assert not {"onclick", "style", "href", "onerror", "src"} & set(element.attrs)
        assert "evil" not in element.attrs.get("class", "")
        assert element.attrs.get("data-speaker", "") != "a b"
    assert "<script" not in str(clean(fragment))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("http://example.com", "http://example.com"),
        ("  https://example.com/x ", "https://example.com/x"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,hi", None),
        ("//example.com/x", None),
        ("ftp://example.com", None),
        ("https:///nohost", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url_keeps_only_http_and_https(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Anders Fogh Rasmussen", "AR"),
        ("Anatoly Serdyukov", "AS"),
        ("Madonna", "M"),
        ("jean-luc picard", "JP"),
        ("", "?"),
    ],
)
def test_initials(name: str, letters: str) -> None:
    assert initials(name) == letters
