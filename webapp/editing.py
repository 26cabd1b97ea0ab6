"""The owner's pages: add an article (from a web address or pasted text, previewed before
it is saved) and delete one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request
from flask import url_for as url_to
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField, TextAreaField, URLField
from wtforms.validators import Optional

from webapp import imports
from webapp.db import DatabaseUnavailable
from webapp.models import Article, db
from webapp.owner import PlainForm, is_owner, owner_required, writing_enabled
from webapp.views import find_article, reading_context

bp = Blueprint("editing", __name__)


class AddForm(FlaskForm):
    """A web address to fetch, or an article's text with its title, address and date."""

    address = URLField("Web address of a news article", validators=[Optional()])
    title = StringField("Title", validators=[Optional()])
    text = TextAreaField("Text (paragraphs separated by a blank line)", validators=[Optional()])
    source_url = URLField("Original web address", validators=[Optional()])
    # Text, not a DateField: the message of a wrong date names the format it wants.
    published = StringField("Date (YYYY-MM-DD)", validators=[Optional()])


@bp.get("/add")
def add_form() -> str:
    """Show the form (or, with no owner token, how to enable writing)."""
    return render_template(
        "add.html", form=AddForm(), enabled=writing_enabled(), owner=is_owner(), preview=None
    )


@bp.post("/add")
@owner_required
def add() -> Response | tuple[str, int]:
    """Fetch a web address into the form, preview the article, or save it."""
    form = AddForm()
    if not form.validate_on_submit():  # only the CSRF token can fail here
        return _form_page(form, status=400)
    action = request.form.get("action", "preview")
    try:
        if form.address.data and not (form.text.data or "").strip():
            _fill_from_web(form)
            action = "preview"  # what was fetched is shown before it is saved
        article = imports.submission(
            form.title.data, form.text.data or "", form.source_url.data, form.published.data
        )
        if action == "save":
            result = imports.import_submission(article)
            flash(f"{_said(result.status)} “{article.title}”.")
            return redirect(url_to("views.article", slug=result.slug))  # type: ignore[return-value]
        return _form_page(form, preview=_preview(article))
    except imports.ImportProblem as problem:
        _field_error(form, problem)
        return _form_page(form, status=400)
    except DatabaseUnavailable as err:
        current_app.logger.error("%s", err)
        return _form_page(form, status=503, problem="The database cannot be written now.")


def _fill_from_web(form: AddForm) -> None:
    """Fetch the address and put the article found there into the form's fields."""
    found = imports.from_web(form.address.data or "")
    form.title.data = found.title
    form.text.data = "\n\n".join(found.paragraphs)
    form.source_url.data = found.url or ""
    form.published.data = found.published.isoformat() if found.published else ""


def _preview(article: imports.Submission) -> dict[str, Any]:
    """Return the reading page's parts for an article, stored and rolled back at once."""
    try:
        slug = imports.stage(article)
        row = db.session.execute(select(Article).where(Article.slug == slug)).scalar_one()
        return reading_context(row)
    finally:
        db.session.rollback()  # a preview is never kept


def _said(status: str) -> str:
    return {"loaded": "Added", "updated": "Updated", "unchanged": "Already in the library:"}.get(
        status, "Saved"
    )


def _field_error(form: AddForm, problem: imports.ImportProblem) -> None:
    """Attach a problem to the form field it names (title, text, date, ...)."""
    field = {"url": "source_url", "date": "published", "file": "text"}.get(
        problem.field, problem.field
    )
    getattr(form, field, form.text).errors = [problem.message]


def _form_page(
    form: AddForm,
    preview: dict[str, Any] | None = None,
    status: int = 200,
    problem: str | None = None,
) -> tuple[str, int]:
    return (
        render_template(
            "add.html",
            form=form,
            enabled=writing_enabled(),
            owner=is_owner(),
            preview=preview,
            problem=problem,
        ),
        status,
    )


@bp.get("/articles/<slug>/delete")
@owner_required
def confirm_delete(slug: str) -> str:
    """Ask before deleting: a deleted article is gone (a seed's comes back with its file)."""
    return render_template("delete.html", article=find_article(slug), form=PlainForm())


@bp.post("/articles/<slug>/delete")
@owner_required
def delete(slug: str) -> Response:
    """Delete an article (and the people only it named)."""
    article = find_article(slug)
    if PlainForm().validate_on_submit():
        imports.delete_article(article.slug)
        flash(f"Deleted “{article.title}”.")
    return redirect(url_to("views.index"))  # type: ignore[return-value]
