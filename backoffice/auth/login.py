"""Log-in in one or two steps (password, then a one-time code when enrolled), and logout."""
import time
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from models import DomainError, Officer, accounts, circulars

from ..messages import describe
from . import sessions
from .forms import CodeForm, LoginForm, LogoutForm, flash_errors

bp = Blueprint("auth", __name__)

# Time to type the one-time code after the password was accepted.
PENDING_SECONDS = 5 * 60


def safe_next(target):
    """Only a path on this site, so a crafted link cannot send an officer elsewhere.

    The one check of every `next` read (here and backoffice/admin/circulars.py).
    Browsers read a backslash as a slash and drop tabs and newlines inside a
    URL, so "/\\evil.com" would leave the site as "//evil.com" does.
    """
    if not target or not target.startswith("/") or "\\" in target or target.startswith("//"):
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _refused(form, error):
    """Say why the form was refused; the status is 429 while locked."""
    if error is None:
        flash_errors(form)
        return 401
    flash(describe(error), "error")
    return 429 if error.code == "login_locked" else 401


def _finish(officer, next_url):
    sessions.start(officer)
    # Unread circulars come first (backoffice/admin/circulars.py); the page he
    # asked for waits behind a link on them.
    if circulars.unread(officer).exists():
        return redirect(url_for("my_circulars.index", next=safe_next(next_url)))
    return redirect(safe_next(next_url) or url_for("admin.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    form = LoginForm(request.form)
    if request.method == "GET":
        return render_template("auth/login.html", form=form)
    error = None
    if form.validate():
        try:
            officer = accounts.check_password_step(form.email.data, form.password.data, sessions.client_ip())
        except DomainError as refusal:
            error = refusal
        else:
            if not officer.totp_secret:
                return _finish(officer, request.args.get("next"))
            session[sessions.PENDING] = {
                "officer": officer.id,
                "version": officer.session_version,
                "until": int(time.time()) + PENDING_SECONDS,
                "next": safe_next(request.args.get("next")),
            }
            return redirect(url_for("auth.login_code"))
    status = _refused(form, error)
    return render_template("auth/login.html", form=form), status


def _pending_officer():
    pending = session.get(sessions.PENDING)
    if not pending or pending["until"] < time.time():
        return None
    return Officer.get_or_none(
        (Officer.id == pending["officer"]) & (Officer.session_version == pending["version"])
        & (Officer.active == True))  # noqa: E712


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    officer = _pending_officer()
    if officer is None:
        session.pop(sessions.PENDING, None)
        flash(_("The log-in took too long or was interrupted. Please start again."), "error")
        return redirect(url_for("auth.login"))
    form = CodeForm(request.form)
    if request.method == "GET":
        return render_template("auth/code.html", form=form)
    error = None
    if form.validate():
        try:
            accounts.check_code_step(officer, form.code.data, sessions.client_ip())
        except DomainError as refusal:
            error = refusal
        else:
            return _finish(officer, session[sessions.PENDING]["next"])
    status = _refused(form, error)
    return render_template("auth/code.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    if not LogoutForm(request.form).validate():
        abort(400)
    sessions.end()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))
