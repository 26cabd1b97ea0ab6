"""The owner's corrections in the database: add one, undo one, and store the article
again with them applied (store.corrections_of lists them; all in the current transaction,
the caller commits)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import undefer

from webapp import analysis as engine
from webapp import store
from webapp.corrections import Action, SpeakerKind, anchor_at
from webapp.models import Article, Correction, db
from webapp.store import corrections_of

MAX_WORDS = 5000  # characters a correction may cover: a few paragraphs at most
MAX_NAME = 200  # characters of a speaker's name or role


class CorrectionError(ValueError):
    """A correction that cannot be made, with the field it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Speaker:
    """Who a correction says spoke: a person or organisation by name, or unnamed."""

    kind: SpeakerKind
    name: str | None = None
    role: str | None = None


def article_for_correcting(slug: str) -> Article | None:
    """Return the article of slug with its text and parts loaded, or None."""
    return db.session.execute(
        select(Article)
        .options(undefer(Article.text), undefer(Article.parts))
        .where(Article.slug == slug)
    ).scalar_one_or_none()


def add_correction(
    article: Article, start: int, end: int, action: Action, speaker: Speaker | None = None
) -> Correction:
    """Record a correction of the words at [start, end) and store the article again with
    it applied. A correction of the same words (or words they overlap) is replaced."""
    text = article.text
    if not (0 <= start < end <= len(text)) or not text[start:end].strip():
        raise CorrectionError("words", "Those words are not in the article.")
    if end - start > MAX_WORDS:
        raise CorrectionError("words", f"Choose at most {MAX_WORDS} characters.")
    if not any(int(p["start"]) <= start and end <= int(p["end"]) for p in article.parts):
        raise CorrectionError("words", "Choose words within one paragraph.")
    if action == "speaker":
        speaker = _checked(speaker)
    for earlier in corrections_of(article.id):
        if earlier.start < end and start < earlier.end and not earlier.orphaned:
            db.session.delete(earlier)
    anchor = anchor_at(text, start, end)
    correction = Correction(
        article_id=article.id,
        words=anchor.words,
        before=anchor.before,
        after=anchor.after,
        start=start,
        end=end,
        action=action,
        speaker_kind=speaker.kind if action == "speaker" and speaker else None,
        speaker_name=speaker.name if action == "speaker" and speaker else None,
        speaker_role=speaker.role if action == "speaker" and speaker else None,
        created_at=datetime.now(UTC),
    )
    db.session.add(correction)
    db.session.flush()
    reapply(article)
    return correction


def _checked(speaker: Speaker | None) -> Speaker:
    """Return the speaker with its name and role trimmed, or raise for a missing name."""
    if speaker is None:
        raise CorrectionError("speaker", "Choose who said it.")
    if speaker.kind == "unnamed":
        return Speaker("unnamed")
    name = " ".join((speaker.name or "").split())
    role = " ".join((speaker.role or "").split()) or None
    if not name:
        raise CorrectionError("name", "Give the speaker’s name.")
    if len(name) > MAX_NAME or (role and len(role) > MAX_NAME):
        raise CorrectionError("name", f"Names and roles are at most {MAX_NAME} characters.")
    return Speaker(speaker.kind, name, role)


def undo_correction(article: Article, correction_id: int) -> bool:
    """Delete one of the article's corrections and store the article again without it;
    return False when the article has no such correction."""
    deleted = db.session.execute(
        delete(Correction).where(
            Correction.id == correction_id, Correction.article_id == article.id
        )
    ).rowcount
    if not deleted:
        return False
    reapply(article)
    return True


def reapply(article: Article) -> list[str]:
    """Analyse the article's stored text again and store it with its corrections; return
    what to say of the corrections whose words are gone."""
    headline = bool(article.parts) and article.parts[0]["kind"] == "headline"
    return store.store_analysis(article, engine.analyze(article.text, headline=headline))
