"""Reading text plus stored spans -> safe HTML: escaped text slices and our own tags only.

The library renders an article once, when it is stored; requests serve the stored HTML.
"""

from __future__ import annotations

import functools
import heapq
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import nh3
from markupsafe import Markup, escape

from webapp.slugs import is_slug

# Bump when the markup below changes: stored articles are then rendered again.
RENDER_VERSION = "6"
PALETTE_SIZE = 8
KINDS = ("direct", "partial", "indirect")
KIND_LABELS = {"direct": "Quotation", "partial": "Partial quotation", "indirect": "Reported speech"}

ALLOWED_TAGS = frozenset({"mark", "span", "a"})
ALLOWED_ATTRIBUTES = {
    "mark": frozenset(
        {"class", "id", "data-quote", "data-speaker", "tabindex", "aria-describedby"}
    ),
    "a": frozenset({"class", "href"}),
    "span": frozenset(
        {"class", "id", "data-person", "data-badge", "role", "aria-hidden", "hidden"}
    ),
}
_CLASS_TOKEN = re.compile(
    r"(quote|mention|is-active|badge|sr-only|evidence|tip|tip-text|tip-name|tip-detail|tip-why"
    r"|tip-actions|tip-action|tip-who|tip-correct"
    r"|speaker-(?:[1-8]|none|extra)"
    r"|kind-(?:direct|partial|indirect))"
)
_ID = re.compile(r"(?:tip-)?q[0-9]+")
_ATTRIBUTE_VALUES = {
    "id": re.compile(r"(?:tip-)?q[0-9]+|q[0-9]+-by"),  # a quotation, its tooltip, its speaker
    # Only to the words that name a speaker, or (on the owner's page) to the correction
    # form of a quotation.
    "href": re.compile(r"#q[0-9]+-by|\?correct=q[0-9]+#correct"),
    "data-quote": re.compile(r"q[0-9]+"),
    "aria-describedby": _ID,
    "tabindex": re.compile(r"0"),
    "role": re.compile(r"tooltip"),
    "aria-hidden": re.compile(r"true"),
    "hidden": re.compile(r""),
    "data-badge": re.compile(r"\?|\w{1,2}"),
}
_SLUG_ATTRIBUTES = frozenset({"data-speaker", "data-person"})
# At the same span the quotation is the outer element, the words naming a speaker inner.
_QUOTE, _MENTION, _EVIDENCE = 0, 1, 2


@dataclass(frozen=True)
class QuoteMark:
    """A quotation to highlight: where it is and who said it."""

    qid: str
    start: int
    end: int
    speaker: str = ""
    speaker_name: str = ""
    colour: int | None = None
    details: tuple[str, ...] = ()
    kind: str = "direct"
    why: str = ""  # why this speaker, in plain words (reasons.explain)
    evidence: tuple[int, int] | None = None  # the words that name the speaker


@dataclass(frozen=True)
class MentionMark:
    """A place in the text that names a person."""

    start: int
    end: int
    person: str


@dataclass(frozen=True)
class RenderedPart:
    """One headline, caption or paragraph as a safe HTML fragment."""

    kind: str
    html: Markup


@dataclass(frozen=True)
class EvidenceMark:
    """The words that name a speaker, a target for the tooltip's "Show who" link."""

    start: int
    end: int
    target: str  # the element id, "q3-by": the first quotation these words decide


Mark = QuoteMark | MentionMark | EvidenceMark


@dataclass
class _Open:
    """An element open in the output: where it ends, what it is, and its mark."""

    end: int
    rank: int
    mark: Mark = field(repr=False)


def initials(name: str) -> str:
    """Return up to two initials for a badge: 'Anders Fogh Rasmussen' -> 'AR'."""
    words = [w for w in re.split(r"[\s\-]+", name) if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def speaker_class(colour: int | None, named_person: bool) -> str:
    """Return the colour class: a palette slot, grey 'extra' past 8 people, or 'none'."""
    if colour is not None and 1 <= colour <= PALETTE_SIZE:
        return f"speaker-{colour}"
    return "speaker-extra" if named_person else "speaker-none"


def quote_details(
    kind: str, cue: str | None, channel: str | None, role: str | None = None
) -> tuple[str, ...]:
    """Return the tooltip lines under the speaker's name: role, then kind · cue · channel."""
    how = KIND_LABELS.get(kind, "Quotation")
    if cue:
        how += f" · {cue}"
    if channel:
        how += f" · via {channel}"
    return (role, how) if role else (how,)


def render_parts(
    text: str,
    parts: Iterable[dict[str, object]],
    quotes: Sequence[QuoteMark],
    mentions: Sequence[MentionMark],
) -> list[RenderedPart]:
    """Render every part of the reading text with its highlights, in one sorted sweep."""
    spans = sorted((int(str(p["start"])), int(str(p["end"])), str(p["kind"])) for p in parts)
    if not spans:
        return []
    starts = [start for start, _, _ in spans]
    pieces: list[list[tuple[int, int, int, int, bool, Mark]]] = [[] for _ in spans]
    evidence, targets = _evidence(text, spans, quotes)
    sequence = 0
    marks_by_rank: tuple[tuple[int, Sequence[Mark]], ...] = (
        (_QUOTE, quotes),
        (_MENTION, mentions),
        (_EVIDENCE, evidence),
    )
    for rank, marks in marks_by_rank:
        for mark in marks:
            if mark.start >= mark.end:
                continue
            # A start in the gap between two parts moves to the next part's start.
            index = max(0, bisect_right(starts, mark.start) - 1)
            if mark.start >= spans[index][1]:
                index += 1
            first = True
            while index < len(spans) and spans[index][0] < mark.end:
                start = max(mark.start, spans[index][0])
                end = min(mark.end, spans[index][1])
                if start < end:
                    pieces[index].append((start, -end, rank, sequence, first, mark))
                    sequence += 1
                    first = False
                index += 1
    rendered = []
    for (start, end, kind), found in zip(spans, pieces, strict=True):
        html = _render_part(text, start, end, found, targets)
        rendered.append(RenderedPart(kind, clean(html)))
    return rendered


def _evidence(
    text: str, spans: list[tuple[int, int, str]], quotes: Sequence[QuoteMark]
) -> tuple[list[EvidenceMark], dict[str, str]]:
    """Return the words naming speakers to mark (each span once, its id from the first
    quotation it decides) and, by quotation id, the id its "Show who" link goes to."""
    ids: dict[tuple[int, int], str] = {}
    targets: dict[str, str] = {}
    for quote in quotes:
        span = getattr(quote, "evidence", None)
        if not span:
            continue
        start, end = span
        # Only words that are shown: inside the text and a part of it.
        if not 0 <= start < end <= len(text):
            continue
        if not any(first < end and start < last for first, last, _ in spans):
            continue
        target = ids.setdefault((start, end), f"{quote.qid}-by")
        targets[quote.qid] = target
    marks = [EvidenceMark(start, end, target) for (start, end), target in ids.items()]
    return marks, targets


def render_span(
    text: str,
    start: int,
    end: int,
    quotes: Sequence[QuoteMark],
    mentions: Sequence[MentionMark],
) -> Markup:
    """Render text[start:end] as one paragraph with the quotations and mentions inside it."""
    (part,) = render_parts(
        text, [{"kind": "paragraph", "start": start, "end": end}], quotes, mentions
    )
    return part.html


def _render_part(
    text: str,
    start: int,
    end: int,
    pieces: list[tuple[int, int, int, int, bool, Mark]],
    targets: dict[str, str] | None = None,
) -> str:
    """Return the HTML of text[start:end] with properly nested marks.

    Where two spans cross, the one that is not a quotation is split (a quotation is never
    cut by a mention); where two quotations cross, the later one is split. Each split
    leaves a continuation piece, which carries the quotation's colour but not its id.
    targets: by quotation id, the id of the words naming its speaker.
    """
    targets = targets or {}
    heap = list(pieces)
    heapq.heapify(heap)
    sequence = len(pieces) + 1_000_000_000  # after every original piece at the same place
    out: list[str] = []
    stack: list[_Open] = []
    position = start

    def text_to(stop: int) -> None:
        nonlocal position
        if stop > position:
            out.append(str(escape(text[position:stop])))
            position = stop

    def close_until(limit: int) -> None:
        while stack and stack[-1].end <= limit:
            text_to(stack[-1].end)
            out.append("</mark>" if stack.pop().rank == _QUOTE else "</span>")

    while heap:
        piece_start, negative_end, rank, _, first, mark = heapq.heappop(heap)
        piece_end = -negative_end
        close_until(piece_start)
        text_to(piece_start)
        reopen: list[_Open] = []
        if rank == _QUOTE:
            # Mentions (and speakers' words) that end inside this quotation are closed and
            # continue inside it.
            while stack and stack[-1].end < piece_end and stack[-1].rank != _QUOTE:
                reopen.append(stack.pop())
                out.append("</span>")
        if stack and stack[-1].end < piece_end:
            # Crossing the element above: this piece stops there and continues after it.
            heapq.heappush(heap, (stack[-1].end, -piece_end, rank, sequence, False, mark))
            sequence += 1
            piece_end = stack[-1].end
        if isinstance(mark, QuoteMark):
            out.append(_open_quote(mark, first=first, who=targets.get(mark.qid)))
        elif isinstance(mark, EvidenceMark):
            target = f' id="{escape(mark.target)}"' if first else ""
            out.append(f'<span class="evidence"{target}>')
        else:
            out.append(f'<span class="mention" data-person="{escape(mark.person)}">')
        stack.append(_Open(piece_end, rank, mark))
        for closed in reopen:
            heapq.heappush(
                heap, (piece_start, -closed.end, closed.rank, sequence, False, closed.mark)
            )
            sequence += 1
    close_until(end)
    text_to(end)
    return "".join(out)


def _open_quote(mark: QuoteMark, first: bool, who: str | None = None) -> str:
    """Return the opening <mark> of a quotation piece; the first holds id, badge and tooltip.

    Only the article's own words are text in the flow of the paragraph, so copying, printing
    and reading without styles give them alone: the badge's initials are generated content
    (CSS, from data-badge) and the tooltip is `hidden` until the mark is hovered or
    focused. Screen readers hear the speaker as the mark's description (aria-describedby).
    who: the id of the words that name the speaker, for the tooltip's "Show who" link.
    """
    colour = speaker_class(mark.colour, bool(mark.speaker))
    kind = f" kind-{mark.kind}" if mark.kind in KINDS else ""
    name = mark.speaker_name or "Unattributed"
    qid, tip_id = escape(mark.qid), escape(f"tip-{mark.qid}")
    attributes = f'class="quote {colour}{kind}" data-quote="{qid}"'
    attributes += f' data-speaker="{escape(mark.speaker)}"'
    if not first:  # the rest of a quotation cut by a part boundary or a crossing span
        return f"<mark {attributes}>"
    badge = initials(mark.speaker_name) if mark.speaker_name else "?"
    # The hidden commas keep the tooltip's pieces apart when read as a description.
    details = "".join(
        f'<span class="tip-detail"><span class="sr-only">, </span>{escape(d)}</span>'
        for d in mark.details
    )
    why = getattr(mark, "why", "")
    if why:
        details += f'<span class="tip-why"><span class="sr-only">, </span>Why: {escape(why)}</span>'
    # Actions sit outside the description: a screen reader hears who, not the buttons.
    # The container is always there (empty: not shown), so that the owner's page can add
    # its Correct link (with_correct_links) and reader.js its Copy link.
    show_who = f'<a class="tip-action tip-who" href="#{escape(who)}">Show who</a>' if who else ""
    actions = f'<span class="tip-actions">{show_who}</span>'
    return (
        f'<mark {attributes} id="{qid}" tabindex="0" aria-describedby="{tip_id}">'
        f'<span class="badge" aria-hidden="true" data-badge="{escape(badge)}"></span>'
        f'<span class="tip" hidden><span class="tip-text" role="tooltip" id="{tip_id}">'
        f'<span class="tip-name">{escape(name)}</span>{details}</span>{actions}</span>'
    )


def emphasise(html: str, slug: str) -> Markup:
    """Return stored, allowlisted HTML with one person's quotations and mentions marked
    "is-active", as reader.js marks them when that person is chosen.

    The HTML is our own (render_parts, then clean): the class comes first in each opening
    tag, so only the class list of the person's own marks and mentions is touched.
    """
    html = str(html)  # plain text for re.sub: on Markup it would escape what it puts back
    if not is_slug(slug):
        return Markup(html)  # the allowlist's rule for data-speaker: nothing else is there
    person = re.escape(str(escape(slug)))
    html = re.sub(
        rf'<mark class="quote ([^"]*)"( data-quote="q[0-9]+" data-speaker="{person}")',
        r'<mark class="quote \1 is-active"\2',
        html,
    )
    html = re.sub(
        rf'<span class="mention"( data-person="{person}")',
        r'<span class="mention is-active"\1',
        html,
    )
    return Markup(html)  # stored allowlisted HTML, one fixed class added


_ACTIONS = re.compile(r'id="tip-(q[0-9]+)">(.*?)<span class="tip-actions">', re.DOTALL)


def with_correct_links(html: str) -> Markup:
    """Return stored, allowlisted HTML with a Correct link in each quotation's tooltip, for
    the owner's page: it opens the correction form of that quotation in the page.

    The tooltip's actions follow its text (_open_quote), so each is found after its id;
    the result passes the allowlist again, whose href rule admits only these links.
    """

    def add_link(match: re.Match[str]) -> str:
        qid = match.group(1)
        link = (
            f'<a class="tip-action tip-correct" href="?correct={qid}#correct">'
            f'Correct<span class="sr-only"> quotation {qid[1:]}</span></a>'
        )
        return match.group(0) + link

    return clean(_ACTIONS.sub(add_link, str(html)))


def allowed_attribute(tag: str, name: str, value: str) -> bool:
    """Return whether the allowlist keeps this attribute: known names, expected values only."""
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if name == "class":
        return all(_CLASS_TOKEN.fullmatch(token) for token in value.split())
    if name in _SLUG_ATTRIBUTES:
        return value == "" or is_slug(value)
    return bool(_ATTRIBUTE_VALUES[name].fullmatch(value))


@functools.lru_cache(maxsize=8192)  # the same few hundred attributes recur on every page
def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    """nh3's form of allowed_attribute: the value kept, or None to drop the attribute."""
    return value if allowed_attribute(tag, name, value) else None


# The allowlist, applied by nh3 (ammonia, html5ever's parser): the same rules bleach
# applied (the tests check its output is left unchanged by bleach with them), at a
# fraction of the cost (bleach was half of loading an article, and quadratic in a paragraph
# of many quotations). Thread-safe and made once.
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    url_schemes={"http", "https"},
    strip_comments=True,
    link_rel=None,
)


def clean(fragment: str) -> Markup:
    """Apply the strict allowlist to a fragment we built, as the last step."""
    return Markup(_CLEANER.clean(fragment))  # allowlisted by nh3 just above
