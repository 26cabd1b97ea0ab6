"""The owner's corrections on the reading page: the form of one quotation (opened in the
page, under its paragraph, from the tooltip's Correct link), the form for words the engine
missed, the list of corrections with Undo, and the two POST routes that make and undo them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from sqlalchemy import select

from webapp.correction_store import (
    CorrectionError,
    Speaker,
    add_correction,
    article_for_correcting,
    corrections_of,
    undo_correction,
)
from webapp.corrections import Action, describe
from webapp.db import DatabaseUnavailable
from webapp.models import Article, Quote, article_cast, db
from webapp.owner import owner_required
from webapp.render import with_correct_links
from webapp.slugs import is_slug

bp = Blueprint("correcting", __name__)

NEW = "new"  # ?correct=new: the form for words the engine missed
_QID = re.compile(r"q([1-9][0-9]{0,5})")
EXCERPT = 160  # characters of the quotation shown above its form


@dataclass(frozen=True)
class Choice:
    """One answer to "Who said it?": its form value, its label, whether it is the current."""

    value: str
    label: str
    checked: bool = False


@dataclass(frozen=True)
class CorrectingForm:
    """What the correction form of one quotation (or of missed words) shows."""

    qid: str | None  # None: words the engine missed
    start: int | None
    end: int | None
    words: str
    speaker: str  # who the page says now
    note: str  # what a correction already did, or ""
    choices: list[Choice]
    paragraph: int | None  # the paragraph it follows (None: before the text)


@dataclass(frozen=True)
class CorrectionItem:
    """A correction in the owner's list."""

    id: int
    description: str
    made: str  # when, e.g. "5 December 2026, 17:40 UTC"
    orphaned: bool


def add_owner_tools(context: dict[str, Any], article: Article, correct: str | None) -> None:
    """Add to a reading page's context what the owner's page has: a Correct link in each
    quotation's tooltip, the list of corrections and, when ?correct= names a quotation of
    the article (or "new"), its form."""
    for name in ("headline", "caption"):
        if context.get(name) is not None:
            part = context[name]
            context[name] = type(part)(part.kind, with_correct_links(part.html))
    context["paragraphs"] = [
        type(p)(p.kind, with_correct_links(p.html)) for p in context["paragraphs"]
    ]
    context["corrections"] = [
        CorrectionItem(c.id, describe(c), f"{c.created_at:%-d %B %Y, %H:%M} UTC", c.orphaned)
        for c in corrections_of(article.id)
    ]
    context["correcting"] = _form(article, correct)


def _form(article: Article, correct: str | None) -> CorrectingForm | None:
    people = article_cast(article.id)  # read once: the answers and the current speaker
    if correct == NEW:
        return CorrectingForm(None, None, None, "", "", "", _choices(article, people), None)
    match = _QID.fullmatch(correct or "")
    if match is None:
        return None
    quote = db.session.execute(
        select(Quote).where(Quote.article_id == article.id, Quote.number == int(match[1]))
    ).scalar_one_or_none()
    if quote is None:
        return None
    words = " ".join(quote.text.split())
    if len(words) > EXCERPT:
        words = words[: EXCERPT - 1].rstrip() + "…"
    name = next((p.name for _, p in people if p.id == quote.speaker_id), None)
    note = ""
    if quote.corrected == "speaker":
        note = f"Corrected; the engine said: {quote.engine_speaker or 'an unnamed source'}."
    elif quote.corrected == "added":
        note = "Marked as a quotation by you; the engine missed it."
    if name is not None:
        current = f"person:{name}"
    elif quote.speaker_label:
        current = f"organization:{quote.speaker_label}"
    else:
        current = "unnamed"
    return CorrectingForm(
        quote.qid,
        quote.start,
        quote.end,
        words,
        name or quote.speaker_label or "an unnamed source",
        note,
        _choices(article, people, current),
        _paragraph_of(article, quote.start),
    )


def _choices(article: Article, people: list[Any], current: str | None = None) -> list[Choice]:
    """Return the answers to "Who said it?": the article's people, the organisations that
    speak in it, an unnamed source, someone else (named in the form) and, for a quotation
    (current: its answer now), not a quotation."""
    organisations = sorted(
        set(
            db.session.execute(
                select(Quote.speaker_label).where(
                    Quote.article_id == article.id,
                    Quote.speaker_id.is_(None),
                    Quote.speaker_label.is_not(None),
                )
            ).scalars()
        )
    )
    choices = [
        Choice(f"person:{p.name}", p.name + (f", {ap.role}" if ap.role else "")) for ap, p in people
    ]
    choices += [Choice(f"organization:{name}", name) for name in organisations]
    choices.append(Choice("unnamed", "An unnamed source (“officials said”)"))
    choices.append(Choice(NEW, "Someone else:"))
    if current is not None:
        choices.append(Choice("not_speech", "Not a quotation (a title, a scare quote)"))
    checked = current if current is not None else NEW
    return [Choice(c.value, c.label, c.value == checked) for c in choices]


def _paragraph_of(article: Article, start: int) -> int | None:
    """Return the index among the paragraphs of the one holding start (None: the
    headline or the caption, whose form goes before the text)."""
    index = -1
    for part in article.parts:
        if part["kind"] == "paragraph":
            index += 1
            if int(part["start"]) <= start < int(part["end"]):
                return index
    return None


def _article(slug: str) -> Article:
    article = article_for_correcting(slug) if is_slug(slug) else None
    if article is None:
        abort(404)
    return article


@bp.post("/articles/<slug>/corrections")
@owner_required
def create(slug: str) -> Response:
    """Make a correction from the form; back to the page, at the quotation, with a message
    (or, when the form is wrong, back to the form with what is wrong)."""
    article = _article(slug)
    form = request.form
    try:
        start, end = _span(article, form)
        action, speaker = _answer(form)
        correction = add_correction(article, start, end, action, speaker)
        db.session.commit()
    except CorrectionError as err:
        db.session.rollback()
        flash(f"Not corrected: {err}")
        back = form.get("qid") if _QID.fullmatch(form.get("qid", "")) else NEW
        return redirect(url_for("views.article", slug=slug, correct=back, _anchor="correct"))
    except DatabaseUnavailable:
        db.session.rollback()
        raise
    flash(f"Corrected: {describe(correction)}.")
    return redirect(url_for("views.article", slug=slug, _anchor=_landing(article, correction)))


def _span(article: Article, form: Any) -> tuple[int, int]:
    """Return the words the form is about: a quotation's start and end, or words typed
    (or selected) in the form, found in the text (the nearest to `near` if repeated)."""
    if form.get("start", "").isdigit() and form.get("end", "").isdigit():
        return int(form["start"]), int(form["end"])
    words = (form.get("words") or "").strip()
    if not words:
        raise CorrectionError("words", "Give the quoted words, as the article has them.")
    found = [m.start() for m in re.finditer(re.escape(words), article.text)]
    if not found:
        raise CorrectionError("words", "Those words are not in the article, exactly as typed.")
    near = form.get("near", "")
    if len(found) > 1 and not near.isdigit():
        raise CorrectionError(
            "words", f"Those words are in the article {len(found)} times: give more of them."
        )
    start = min(found, key=lambda at: abs(at - int(near))) if near.isdigit() else found[0]
    return start, start + len(words)


def _answer(form: Any) -> tuple[Action, Speaker | None]:
    """Return what the form says of the words: not speech, or who said them."""
    choice = form.get("speaker", "")
    if choice == "not_speech":
        return "not_speech", None
    if choice == "unnamed":
        return "speaker", Speaker("unnamed")
    if choice == NEW:
        return "speaker", Speaker("person", form.get("name"), form.get("role"))
    kind, _, name = choice.partition(":")
    if kind not in ("person", "organization") or not name:
        raise CorrectionError("speaker", "Choose who said it.")
    return "speaker", Speaker(kind, name)  # type: ignore[arg-type]


def _landing(article: Article, correction: Any) -> str:
    """Return where the page opens after a correction: the quotation, or the list."""
    if correction.action == "not_speech":
        return "corrections"
    number = db.session.execute(
        select(Quote.number).where(
            Quote.article_id == article.id,
            Quote.start <= correction.start,
            Quote.end > correction.start,
        )
    ).scalar()
    return f"q{number}" if number else "corrections"


@bp.post("/articles/<slug>/corrections/<int:correction_id>/undo")
@owner_required
def undo(slug: str, correction_id: int) -> Response:
    """Undo a correction: the engine's attribution comes back."""
    article = _article(slug)
    correction = next((c for c in corrections_of(article.id) if c.id == correction_id), None)
    if correction is None:
        abort(404)
    said = describe(correction)
    undo_correction(article, correction_id)
    db.session.commit()
    flash(f"Undone: {said}.")
    return redirect(url_for("views.article", slug=slug, _anchor="corrections"))
