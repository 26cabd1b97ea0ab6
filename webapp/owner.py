"""The library's owner: the one person who may add and delete articles.

Reading is open to everyone. Writing needs VOICES_ADMIN_TOKEN: the owner types it once in
the sign-in form and gets a signed session cookie (HttpOnly, SameSite=Lax, Secure over
HTTPS). Every form carries a CSRF token (Flask-WTF). With no token configured, nothing can
be written and the pages say how to enable it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect
from wtforms import HiddenField, PasswordField
from wtforms.validators import DataRequired

bp = Blueprint("owner", __name__)
csrf = CSRFProtect()
DEFAULT_SECRET = "dev"  # config.defaults: fine for a reader that sets no cookie, not for an owner
F = TypeVar("F", bound=Callable[..., Any])


class SignInForm(FlaskForm):
    """The owner's token, and where to go back to."""

    token = PasswordField("Owner token", validators=[DataRequired()])
    next = HiddenField()


class PlainForm(FlaskForm):
    """A form with nothing but its CSRF token: sign out, delete."""


def init_app(app: Flask) -> None:
    """Turn on CSRF protection; sign the session with a key nobody can guess once an owner
    token exists (derived from the token when SECRET_KEY was left at its default)."""
    token = app.config.get("ADMIN_TOKEN")
    if token and app.config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET):
        app.config["SECRET_KEY"] = hmac.new(
            token.encode(), b"voices session key", hashlib.sha256
        ).hexdigest()
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    csrf.init_app(app)
    app.register_error_handler(CSRFError, _csrf_failed)


def writing_enabled() -> bool:
    """Return whether an owner token is configured (otherwise nothing can be written)."""
    return bool(current_app.config.get("ADMIN_TOKEN"))


def _token_mark(token: str) -> str:
    """Return what the session keeps of the token: changing the token signs everyone out."""
    return hmac.new(token.encode(), b"voices owner", hashlib.sha256).hexdigest()[:32]


def is_owner() -> bool:
    """Return whether this request comes from the signed-in owner."""
    token = current_app.config.get("ADMIN_TOKEN")
    mark = session.get("owner")
    return bool(token and mark and hmac.compare_digest(str(mark), _token_mark(token)))


def owner_required(view: F) -> F:
    """Refuse a view to anyone but the owner: 403 when writing is off, else to sign-in."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not writing_enabled():
            abort(403, "Writing is turned off: set VOICES_ADMIN_TOKEN to enable it.")
        if not is_owner():
            if request.method == "GET":
                return redirect(url_for("owner.sign_in", next=request.full_path.rstrip("?")))
            abort(403, "Sign in as the owner first.")
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def local_path(target: str | None) -> str:
    """Return target when it is a path on this site, else the library (no open redirect)."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return url_for("views.index")
    if "\\" in target or any(ord(c) < 32 for c in target):
        return url_for("views.index")
    return target


@bp.route("/signin", methods=["GET", "POST"])
def sign_in() -> Response | str | tuple[str, int]:
    """Exchange the owner token for a signed session cookie."""
    form = SignInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if not writing_enabled():
        return render_template("signin.html", form=form), 200 if request.method == "GET" else 403
    if form.validate_on_submit():
        token = current_app.config["ADMIN_TOKEN"]
        if hmac.compare_digest(form.token.data.encode(), token.encode()):
            session.clear()
            session["owner"] = _token_mark(token)
            session.permanent = True
            return redirect(local_path(form.next.data))  # type: ignore[return-value]
        form.token.errors.append("That is not the owner token.")
        return render_template("signin.html", form=form), 403
    return render_template("signin.html", form=form), 200 if request.method == "GET" else 400


@bp.post("/signout")
def sign_out() -> Response:
    """Forget the owner's session."""
    if PlainForm().validate_on_submit():
        session.clear()
    return redirect(url_for("views.index"))  # type: ignore[return-value]


def _csrf_failed(error: CSRFError) -> tuple[str, int]:
    """Answer a form without a valid CSRF token with a page that says what to do."""
    return render_template("form_expired.html", reason=error.description), 400
