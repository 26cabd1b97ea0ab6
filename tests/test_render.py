"""Rendering spans to HTML: escaping, nesting, the allowlist, safe links."""

from __future__ import annotations

import bleach.sanitizer
import pytest
from helpers import Element, Page, Parse
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from webapp.render import (
    ALLOWED_TAGS,
    MentionMark,
    QuoteMark,
    allowed_attribute,
    clean,
    emphasise,
    initials,
    render_parts,
    render_span,
)

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
    # The badge's initials are generated content; the tooltip is hidden until shown and
    # is the mark's description: the speaker is never text in the paragraph's flow.
    children = [(c.attrs, c.text) for c in mark.children]
    assert children[:2] == [
        ({"class": "badge", "aria-hidden": "true", "data-badge": "AB"}, ""),
        ({"class": "tip", "hidden": ""}, "Anna Berg, Mayor, Quotation · said"),
    ]
    tip = page.by_id("tip-q1")
    assert tip.attrs["role"] == "tooltip"
    assert tip.parent is mark.children[1]
    assert tip.text == "Anna Berg, Mayor, Quotation · said"


def flow_text(page: Page) -> str:
    """Return the text a copy, a print or a page without styles gives: all text but what
    is hidden (generated content is not text)."""
    pieces: list[str] = []

    def walk(element: Element) -> None:
        for item in element.content:
            if isinstance(item, str):
                pieces.append(item)
            elif "hidden" not in item.attrs:
                walk(item)

    walk(page.root)
    return "".join(pieces)


@pytest.mark.parametrize("kind", ["headline", "caption", "paragraph"])
def test_the_text_in_the_flow_is_exactly_the_articles_words(parse: Parse, kind: str) -> None:
    quotes = [QUOTE, QuoteMark("q2", 0, 9, "", ""), QuoteMark("q3", TEXT.index("Then"), len(TEXT))]
    (part,) = render_parts(TEXT, [{"kind": kind, "start": 0, "end": len(TEXT)}], quotes, MENTIONS)
    page = parse(str(part.html))
    assert flow_text(page) == TEXT  # not a badge, name or tooltip between the words
    shown = page.all(lambda e: not any("hidden" in a.attrs for a in [e, *e.ancestors()]))
    assert [e for e in shown if e.has_class("sr-only")] == []


def test_mentions_nest_inside_quotations(parse: Parse) -> None:
    page = parse(str(render_span(TEXT, 0, len(TEXT), [QUOTE], MENTIONS)))
    mentions = page.all(lambda e: e.has_class("mention"))
    assert [(m.text, m.attrs["data-person"]) for m in mentions] == [
        ("Anna Berg", "anna-berg"),
        ("Anna Berg", "anna-berg"),
    ]
    assert [any(a.tag == "mark" for a in m.ancestors()) for m in mentions] == [False, True]


def visible(page: Page) -> str:
    """Return the text a sighted reader sees (no badges, tooltips or hidden labels)."""
    return page.root.text_without("sr-only", "tip", "badge")


def own_text(mark: Element) -> str:
    """Return a piece's own visible text, without the quotations nested in it."""
    words: list[str] = []
    for item in mark.content:
        if isinstance(item, str):
            words.append(item)
        elif item.tag != "mark" and not {"sr-only", "tip", "badge"} & set(
            item.attrs.get("class", "").split()
        ):
            words.append(item.text)
    return "".join(words)


def pieces(page: Page) -> list[tuple[str, str | None, str | None, str]]:
    """Return (data-quote, id, tabindex, own visible text) of every quotation piece."""
    return [
        (m.attrs["data-quote"], m.attrs.get("id"), m.attrs.get("tabindex"), own_text(m))
        for m in page.all(lambda e: e.tag == "mark")
    ]


def mentions(page: Page) -> list[Element]:
    """Return the mention pieces in document order."""
    return page.all(lambda e: e.has_class("mention"))


def assert_every_quote_is_whole(page: Page, qids: list[str]) -> None:
    """Each quotation has exactly one first piece: id, tab stop and its own tooltip."""
    firsts = page.all(lambda e: e.tag == "mark" and "id" in e.attrs)
    assert [m.attrs["id"] for m in firsts] == qids
    for mark in firsts:
        assert mark.attrs["tabindex"] == "0"
        tip = page.by_id(mark.attrs["aria-describedby"])
        assert tip.attrs["role"] == "tooltip"
        assert tip.parent in mark.children and "hidden" in tip.parent.attrs


OVERLAP = 'Anna Berg said "hello there Karl Olsen said" no.'
Q1 = QuoteMark("q1", OVERLAP.index('"'), OVERLAP.rindex('"') + 1, "anna", "Anna")


def test_a_mention_crossing_into_a_quotation_is_split_and_the_quotation_kept(
    parse: Parse,
) -> None:
    mention = MentionMark(0, OVERLAP.index('"') + 3, "anna")  # 'Anna Berg said "he'
    page = parse(str(render_span(OVERLAP, 0, len(OVERLAP), [Q1], [mention])))
    assert visible(page) == OVERLAP
    assert_every_quote_is_whole(page, ["q1"])
    assert [(m.text, any(a.tag == "mark" for a in m.ancestors())) for m in mentions(page)] == [
        ("Anna Berg said", False),
        ('"he', True),
    ]


def test_a_mention_crossing_out_of_a_quotation_is_split(parse: Parse) -> None:
    mention = MentionMark(OVERLAP.index('said"'), len(OVERLAP), "karl")
    page = parse(str(render_span(OVERLAP, 0, len(OVERLAP), [Q1], [mention])))
    assert visible(page) == OVERLAP
    assert_every_quote_is_whole(page, ["q1"])
    assert [m.text for m in mentions(page)] == ['said"', "no."]


def test_crossing_quotations_are_both_kept(parse: Parse) -> None:
    q2 = QuoteMark("q2", OVERLAP.index("there"), len(OVERLAP), "karl", "Karl")
    page = parse(str(render_span(OVERLAP, 0, len(OVERLAP), [Q1, q2], [])))
    assert visible(page) == OVERLAP
    assert_every_quote_is_whole(page, ["q1", "q2"])
    assert pieces(page) == [
        ("q1", "q1", "0", '"hello '),
        ("q2", "q2", "0", 'there Karl Olsen said"'),
        ("q2", None, None, " no."),  # the rest of q2 continues after q1 ends
    ]
    assert [m.attrs["data-speaker"] for m in page.all(lambda e: e.tag == "mark")] == [
        "anna",
        "karl",
        "karl",
    ]


def test_many_crossing_spans_nest_and_cover_exactly_their_text(parse: Parse) -> None:
    text = "abcdefghijklmnopqrstuvwxyz" * 4
    quotes = [QuoteMark(f"q{n}", n * 7, n * 7 + 20, f"s{n}", f"S {n}") for n in range(1, 12)]
    names = [MentionMark(n * 5 + 2, n * 5 + 9, f"p{n}") for n in range(18)]
    html = str(render_span(text, 0, len(text), quotes, names))
    page = parse(html)
    assert visible(page) == text
    assert_every_quote_is_whole(page, [f"q{n}" for n in range(1, 12)])
    for quote in quotes:
        found = page.all(lambda e, q=quote.qid: e.attrs.get("data-quote") == q)
        assert (
            "".join(m.text_without("sr-only", "tip", "badge") for m in found)
            == (text[quote.start : quote.end])
        )
    for name in names:
        found = page.all(lambda e, p=name.person: e.attrs.get("data-person") == p)
        assert "".join(m.text for m in found) == text[name.start : name.end]


def test_a_quotation_starting_in_the_gap_between_parts_moves_into_the_next(
    parse: Parse,
) -> None:
    text = 'First part.\n\n"Second part," she said.'
    parts = [
        {"kind": "paragraph", "start": 0, "end": 11},
        {"kind": "paragraph", "start": 13, "end": len(text)},
    ]
    quote = QuoteMark("q1", 11, text.index(",") + 2, "anna", "Anna")  # starts at the "\n\n"
    pages = [parse(str(p.html)) for p in render_parts(text, parts, [quote], [])]
    assert [visible(p) for p in pages] == ["First part.", '"Second part," she said.']
    assert pieces(pages[0]) == []
    assert pieces(pages[1]) == [("q1", "q1", "0", '"Second part,"')]
    assert_every_quote_is_whole(pages[1], ["q1"])


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
    # One tab stop per quotation: the continuation is neither focusable nor described.
    assert [(m.attrs.get("tabindex"), m.attrs.get("aria-describedby")) for m in marks] == [
        ("0", "tip-q1"),
        (None, None),
    ]
    assert [p.root.text_without("sr-only", "tip", "badge") for p in pages] == [
        '"First half',
        'second half," she said.',
    ]
    assert marks[1].children == []  # only the words: no badge, name or tooltip again


def test_a_headline_quotation_keeps_the_headline_as_its_accessible_name(parse: Parse) -> None:
    text = 'Berg: "We will build"\n\n"We will build," Anna Berg said.'
    parts = [
        {"kind": "headline", "start": 0, "end": 21},
        {"kind": "paragraph", "start": 23, "end": len(text)},
    ]
    quotes = [
        QuoteMark("q1", 6, 21, "anna-berg", "Anna Berg"),
        QuoteMark("q2", 23, 39, "anna-berg", "Anna Berg"),
    ]
    headline, paragraph = (parse(str(p.html)) for p in render_parts(text, parts, quotes, []))
    # What a screen reader reads as the heading: all but the hidden tooltip (the badge is
    # empty, its initials generated content and aria-hidden).
    assert flow_text(headline) == 'Berg: "We will build"'
    (mark,) = headline.all(lambda e: e.tag == "mark")
    assert headline.by_id(mark.attrs["aria-describedby"]).text.startswith("Anna Berg")
    # In the body the same: the speaker is the mark's description.
    (body_mark,) = paragraph.all(lambda e: e.tag == "mark")
    assert paragraph.by_id(body_mark.attrs["aria-describedby"]).text == "Anna Berg"


def test_an_unattributed_quotation_says_so() -> None:
    quote = QuoteMark("q7", 0, 4)
    html = str(render_span('"Hi"', 0, 4, [quote], []))
    assert 'class="quote speaker-none kind-direct"' in html
    assert 'data-speaker=""' in html
    page = Page(html)
    assert page.by_id("tip-q7").text == "Unattributed"
    assert page.all(lambda e: e.has_class("badge"))[0].attrs["data-badge"] == "?"


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
    assert tags <= {"mark", "span", "a"}  # a link keeps no href but to a speaker's words
    for element in page.all(lambda e: True):
        assert not {"onclick", "style", "href", "onerror", "src"} & set(element.attrs)
        assert "evil" not in element.attrs.get("class", "")
        assert element.attrs.get("data-speaker", "") != "a b"
    assert "<script" not in str(clean(fragment))


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


# The allowlist is applied by nh3; bleach, with the same rules, is the oracle ------------

_TAGS = ["mark", "span", "b", "a", "script", "img", "style", "p"]
_ATTRIBUTES = [
    ("class", "quote speaker-1 kind-direct"),
    ("class", "quote evil"),
    ("class", "badge"),
    ("id", "q12"),
    ("id", "x1"),
    ("data-quote", "q3"),
    ("data-speaker", "anna-berg"),
    ("data-speaker", "a b"),
    ("data-person", "москва"),
    ("tabindex", "0"),
    ("tabindex", "-1"),
    ("role", "tooltip"),
    ("aria-hidden", "true"),
    ("aria-describedby", "tip-q1"),
    ("hidden", ""),
    ("href", "#q3-by"),
    ("href", "#x"),
    ("href", "https://example.com/#q3-by"),
    ("id", "q3-by"),
    ("id", "tip-q3-by"),
    ("class", "evidence"),
    ("class", "tip-action tip-who"),
    ("hidden", "until-found"),
    ("data-badge", "AB"),
    ("data-badge", "?"),
    ("data-badge", "<x>"),
    ("data-badge", "ABC"),
    ("onclick", "alert(1)"),
    ("style", "color:red"),
    ("href", "javascript:alert(1)"),
    ("src", "x"),
]
_TEXT = st.text(alphabet="ab &<>\"'\u00a0é\u202eД😀;#", max_size=12)


@st.composite
def _fragments(draw: st.DrawFn, depth: int = 0) -> str:
    """Return a fragment of allowed and hostile tags, attributes and text, maybe broken."""
    pieces = []
    for _ in range(draw(st.integers(0, 3))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(st.sampled_from(_TAGS))
            attributes = draw(st.lists(st.sampled_from(_ATTRIBUTES), max_size=3))
            attrs = "".join(f' {name}="{escape(value)}"' for name, value in attributes)
            closing = draw(st.sampled_from([f"</{tag}>", "", "</span>"]))
            pieces.append(f"<{tag}{attrs}>{draw(_fragments(depth + 1))}{closing}")
        else:
            pieces.append(
                draw(st.sampled_from([str(escape(draw(_TEXT))), draw(_TEXT), "<!-- c -->"]))
            )
    return "".join(pieces)


@settings(max_examples=300, deadline=None)
@given(_fragments())
def test_what_the_allowlist_keeps_passes_bleach_with_the_same_rules(fragment: str) -> None:
    oracle = bleach.sanitizer.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=allowed_attribute,
        protocols=["http", "https"],
        strip=True,
        strip_comments=True,
    )
    cleaned = str(clean(fragment))
    assert oracle.clean(cleaned) == cleaned
    assert clean(cleaned) == cleaned  # and it is a fixed point of itself


def test_a_paragraph_of_many_quotations_is_cleaned_in_linear_time() -> None:
    # 20,000 highlighted quotations in one paragraph: bleach's tree walker took a minute.
    marks = [
        QuoteMark(
            qid=f"q{n}",
            start=n * 10,
            end=n * 10 + 6,
            speaker="anna-berg",
            speaker_name="Anna Berg",
            colour=1,
        )
        for n in range(20_000)
    ]
    text = '"abcd" x. ' * 20_000
    (part,) = render_parts(text, [{"kind": "paragraph", "start": 0, "end": len(text)}], marks, [])
    assert str(part.html).count("<mark ") == 20_000


def test_emphasise_marks_only_the_chosen_persons_pieces(parse: Parse) -> None:
    text = 'Anna Berg said "yes Anna" and Anna B said "no" then "maybe'
    quotes = [
        QuoteMark("q1", text.index('"yes'), text.index('" and') + 1, "anna-berg", "Anna Berg"),
        QuoteMark("q2", text.index('"no"'), text.index('"no"') + 4, "anna-b", "Anna B"),
        QuoteMark("q3", text.index('"maybe'), len(text), "anna-berg", "Anna Berg"),
    ]
    names = [
        MentionMark(0, 9, "anna-berg"),
        MentionMark(text.index('Anna"'), text.index('Anna"') + 4, "anna-berg"),
        MentionMark(text.index("Anna B "), text.index("Anna B ") + 6, "anna-b"),
    ]
    cut = text.index('Anna"')  # the paragraph ends inside q1
    parts = [
        {"kind": "paragraph", "start": 0, "end": cut},
        {"kind": "paragraph", "start": cut, "end": len(text)},
    ]
    rendered = render_parts(text, parts, quotes, names)
    # Stored HTML comes back from the database as text and from render_parts as Markup.
    for html in (str(rendered[0].html), rendered[0].html):
        page = parse(str(emphasise(html, "anna-berg")))
        active = [
            (e.tag, e.attrs.get("id"), e.attrs.get("data-quote") or e.attrs.get("data-person"))
            for e in page.all(lambda e: e.has_class("is-active"))
        ]
        assert active == [("span", None, "anna-berg"), ("mark", "q1", "q1")]
        assert visible(page) == text[:cut].strip()
    # The rest of q1 past the boundary, the mention inside it and q3; not Anna B's.
    page = parse(str(emphasise(str(rendered[1].html), "anna-berg")))
    active = [
        (e.tag, e.attrs.get("id"), e.attrs.get("data-quote") or e.attrs.get("data-person"))
        for e in page.all(lambda e: e.has_class("is-active"))
    ]
    assert active == [("mark", None, "q1"), ("span", None, "anna-berg"), ("mark", "q3", "q3")]
    assert visible(page) == text[cut:]
    other = parse(str(emphasise(str(rendered[1].html), "anna-b")))
    assert [(e.tag, e.attrs.get("id")) for e in other.all(lambda e: e.has_class("is-active"))] == [
        ("span", None),
        ("mark", "q2"),
    ]
    assert "is-active" not in emphasise(str(rendered[1].html), "nobody")
    assert "is-active" not in emphasise(str(rendered[1].html), 'anna-berg" x="')


WHY_TEXT = '"Hi there," said Anna Berg. "More," she added. "And more."'


def why_quotes() -> list[QuoteMark]:
    """Three quotations: one named after it, one by a pronoun, one continuing the second."""
    said = WHY_TEXT.index("Anna Berg")
    she = WHY_TEXT.index("she")
    return [
        QuoteMark(
            "q1",
            0,
            11,
            "anna-berg",
            "Anna Berg",
            1,
            ("Mayor",),
            why="‘said Anna Berg’, after the quotation",
            evidence=(said, said + 9),
        ),
        QuoteMark(
            "q2",
            WHY_TEXT.index('"More'),
            WHY_TEXT.index('" she') + 1,
            "anna-berg",
            "Anna Berg",
            1,
            why="‘she’ is Anna Berg",
            evidence=(she, she + 3),
        ),
        QuoteMark(
            "q3",
            WHY_TEXT.index('"And'),
            len(WHY_TEXT),
            "anna-berg",
            "Anna Berg",
            1,
            why="continues the quotation just before",
            evidence=(she, she + 3),
        ),
    ]


def test_the_tooltip_says_why_and_links_to_the_words_that_name_the_speaker(
    parse: Parse,
) -> None:
    mention = MentionMark(WHY_TEXT.index("Anna"), WHY_TEXT.index("Anna") + 9, "anna-berg")
    page = parse(str(render_span(WHY_TEXT, 0, len(WHY_TEXT), why_quotes(), [mention])))
    assert flow_text(page) == WHY_TEXT  # the words that name a speaker add no text
    # Each span of words once, with the id of the first quotation it decides.
    words = page.all(lambda e: e.has_class("evidence"))
    assert [(w.attrs.get("id"), w.text) for w in words] == [
        ("q1-by", "Anna Berg"),
        ("q2-by", "she"),
    ]
    assert words[0].parent.has_class("mention")  # inside the mention of the same words
    # The reason is part of the description; the link is not.
    tips = {q: page.by_id(f"tip-{q}") for q in ("q1", "q2", "q3")}
    assert tips["q1"].text == "Anna Berg, Mayor, Why: ‘said Anna Berg’, after the quotation"
    assert tips["q3"].text == "Anna Berg, Why: continues the quotation just before"
    links = [
        (a.parent.parent.parent.attrs["id"], a.attrs["href"], a.text)
        for a in page.all(lambda e: e.tag == "a")
    ]
    assert links == [
        ("q1", "#q1-by", "Show who"),
        ("q2", "#q2-by", "Show who"),
        ("q3", "#q2-by", "Show who"),
    ]
    for a in page.all(lambda e: e.tag == "a"):
        assert a.parent.parent.has_class("tip") and not a.parent.parent.attrs.get("role")


def test_without_a_reason_or_words_the_tooltip_says_nothing_more(parse: Parse) -> None:
    quotes = [
        QuoteMark("q1", 0, 11, "anna-berg", "Anna Berg"),  # no reason, no words
        QuoteMark("q2", 28, 35, "anna-berg", "Anna Berg", evidence=(500, 503)),  # not shown
    ]
    html = str(render_span(WHY_TEXT, 0, len(WHY_TEXT), quotes, []))
    page = parse(html)
    assert page.all(lambda e: e.has_class("tip-why") or e.has_class("evidence")) == []
    assert page.all(lambda e: e.tag == "a") == []


def test_words_naming_a_speaker_across_a_quotation_are_split_and_keep_one_id(
    parse: Parse,
) -> None:
    text = 'Anna "yes" Berg said.'
    quote = QuoteMark("q1", 5, 10, "anna-berg", "Anna Berg", evidence=(0, 15))
    page = parse(str(render_span(text, 0, len(text), [quote], [])))
    assert flow_text(page) == text
    pieces = [
        (w.attrs.get("id"), w.text_without("tip"))
        for w in page.all(lambda e: e.has_class("evidence"))
    ]
    assert pieces[0][0] == "q1-by" and [i for i, _ in pieces[1:]] == [None] * (len(pieces) - 1)
    assert "".join(t for _, t in pieces).replace(" ", "") == text[:15].replace(" ", "")


@pytest.mark.parametrize(
    ("fragment", "kept"),
    [
        ('<a class="tip-action tip-who" href="#q3-by">Show who</a>', True),
        ('<a href="https://example.com/">x</a>', False),
        ('<a href="#q3">x</a>', False),
        ('<a href="javascript:alert(1)//#q3-by">x</a>', False),
        ('<a href="#q3-by" onclick="alert(1)" target="_blank">x</a>', True),
    ],
)
def test_a_link_may_only_go_to_the_words_that_name_a_speaker(
    fragment: str, kept: bool, parse: Parse
) -> None:
    (link,) = parse(str(clean(fragment))).all(lambda e: e.tag == "a")
    assert ("href" in link.attrs) == kept
    assert set(link.attrs) <= {"class", "href"}
    if kept:
        assert link.attrs["href"] == "#q3-by"
