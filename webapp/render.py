"""Reading text plus stored spans -> safe HTML: escaped text slices and our own tags only."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import bleach
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset({"mark", "span"})
ALLOWED_ATTRIBUTES = {
    "mark": frozenset(
        {"class", "id", "data-quote", "data-speaker", "tabindex", "aria-describedby"}
    ),
    "span": frozenset({"class", "id", "data-person", "role", "aria-hidden"}),
}
_CLASS_TOKEN = re.compile(
    r"(quote|mention|badge|sr-only|tip|tip-name|tip-detail|speaker-(?:[1-9]|none)"
    r"|kind-(?:direct|partial|indirect))"
)
_ID = re.compile(r"(?:tip-)?q[0-9]+")
_SLUG = re.compile(r"[a-z0-9-]*")
_ATTRIBUTE_VALUES = {
    "id": _ID,
    "data-quote": re.compile(r"q[0-9]+"),
    "data-speaker": _SLUG,
    "data-person": _SLUG,
    "aria-describedby": _ID,
    "tabindex": re.compile(r"0"),
    "role": re.compile(r"tooltip"),
    "aria-hidden": re.compile(r"true"),
}


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


Mark = QuoteMark | MentionMark


def initials(name: str) -> str:
    """Return up to two initials for a badge: 'Anders Fogh Rasmussen' -> 'AR'."""
    words = [w for w in re.split(r"[\s\-]+", name) if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def safe_url(url: str | None) -> str | None:
    """Return url if it is an absolute http(s) URL, else None: nothing else is ever linked."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def render_parts(
    text: str,
    parts: Iterable[dict[str, object]],
    quotes: Sequence[QuoteMark],
    mentions: Sequence[MentionMark],
) -> list[RenderedPart]:
    """Render every part of the reading text with its highlights."""
    rendered = []
    for part in parts:
        start, end = int(str(part["start"])), int(str(part["end"]))
        html = render_span(text, start, end, quotes, mentions)
        rendered.append(RenderedPart(str(part["kind"]), html))
    return rendered


def render_span(
    text: str,
    start: int,
    end: int,
    quotes: Sequence[QuoteMark],
    mentions: Sequence[MentionMark],
) -> Markup:
    """Render text[start:end] with the quotations and mentions inside it, nested."""
    marks: list[Mark] = [
        m for m in (*quotes, *mentions) if m.start < end and m.end > start and m.start < m.end
    ]
    # Outer marks first; at the same span a quotation holds the mention.
    marks.sort(key=lambda m: (max(m.start, start), -min(m.end, end), isinstance(m, MentionMark)))
    pieces: list[str] = []
    stack: list[tuple[int, str]] = []
    position = start

    def close_until(limit: int) -> None:
        nonlocal position
        while stack and stack[-1][0] <= limit:
            stop, tag = stack.pop()
            pieces.append(str(escape(text[position:stop])))
            pieces.append(f"</{tag}>")
            position = stop

    for mark in marks:
        mark_start, mark_end = max(mark.start, start), min(mark.end, end)
        close_until(mark_start)
        if stack and mark_end > stack[-1][0]:
            continue  # partial overlap: the engine promises none, so drop the inner one
        pieces.append(str(escape(text[position:mark_start])))
        position = mark_start
        if isinstance(mark, QuoteMark):
            pieces.append(_open_quote(mark, first=mark_start == mark.start))
            stack.append((mark_end, "mark"))
        else:
            pieces.append(f'<span class="mention" data-person="{escape(mark.person)}">')
            stack.append((mark_end, "span"))
    close_until(end)
    pieces.append(str(escape(text[position:end])))
    return clean("".join(pieces))


def _open_quote(mark: QuoteMark, first: bool) -> str:
    """Return the opening <mark> of a quotation; its first piece holds id, badge and tooltip."""
    colour = f"speaker-{mark.colour}" if mark.colour else "speaker-none"
    name = mark.speaker_name or "Unattributed"
    qid, tip_id = escape(mark.qid), escape(f"tip-{mark.qid}")
    opening = (
        f'<mark class="quote {colour} kind-{escape(mark.kind)}"'
        + (f' id="{qid}"' if first else "")
        + f' data-quote="{qid}" data-speaker="{escape(mark.speaker)}"'
        f' tabindex="0" aria-describedby="{tip_id}">'
    )
    if not first:  # the rest of a quotation cut by a part boundary
        return opening + f'<span class="sr-only">{escape(name)}, continued: </span>'
    badge = initials(mark.speaker_name) if mark.speaker_name else "?"
    # The hidden commas keep the tooltip's pieces apart when read as a description.
    details = "".join(
        f'<span class="tip-detail"><span class="sr-only">, </span>{escape(d)}</span>'
        for d in mark.details
    )
    return (
        opening + f'<span class="badge" aria-hidden="true">{escape(badge)}</span>'
        f'<span class="sr-only">{escape(name)}: </span>'
        f'<span class="tip" role="tooltip" id="{tip_id}">'
        f'<span class="tip-name">{escape(name)}</span>{details}</span>'
    )


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    """Return whether bleach may keep this attribute: known names, expected values only."""
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if name == "class":
        return all(_CLASS_TOKEN.fullmatch(token) for token in value.split())
    return bool(_ATTRIBUTE_VALUES[name].fullmatch(value))


def clean(fragment: str) -> Markup:
    """Apply the strict allowlist to a fragment we built, as the last step."""
    cleaned = bleach.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=["http", "https"],
        strip=True,
        strip_comments=True,
    )
    return Markup(cleaned)  # allowlisted by bleach just above
