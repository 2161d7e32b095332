"""Before every request: an idle session ends, and in production an administrator
without one-time codes can reach nothing but the enrolment page (and logout)."""
from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from . import sessions

OPEN_BEFORE_ENROLMENT = {"account.two_factor", "auth.logout", "static"}


def _open_before_enrolment(endpoint):
    return endpoint in OPEN_BEFORE_ENROLMENT or (endpoint or "").endswith(".static")


def check_session():
    if not current_user.is_authenticated:
        return None
    if sessions.idle_too_long():
        sessions.end()
        flash(_("Your session ended after %(minutes)d minutes without activity. Please log in again.",
                minutes=current_app.config["IDLE_TIMEOUT_MINUTES"]), "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    sessions.touch()
    officer = current_user._get_current_object()
    if not officer.totp_secret and not _open_before_enrolment(request.endpoint) and sessions.totp_enforced(officer):
        return redirect(url_for("account.two_factor"))
    return None


def init_app(app):
    app.before_request(check_session)
