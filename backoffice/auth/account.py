"""An officer's own account: password change and one-time codes (/account/...)."""
import segno
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from models import DomainError, accounts

from ..messages import describe
from . import sessions
from .forms import CodeForm, LogoutForm, PasswordChangeForm, PasswordConfirmForm, flash_errors

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.context_processor
def _layout():
    return {"logout_form": LogoutForm()}


@bp.after_request
def _no_store(response):
    # These pages show secrets (the QR code, recovery codes): keep them out of caches.
    response.headers["Cache-Control"] = "no-store"
    return response


def _officer():
    return current_user._get_current_object()


def _submitted(form):
    """Whether a POSTed form passed its checks; says why not when it did not."""
    if form.validate():
        return True
    flash_errors(form)
    return False


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm(request.form)
    if request.method == "GET":
        return render_template("auth/password.html", form=form)
    if _submitted(form):
        try:
            accounts.change_password(_officer(), form.current.data, form.new.data)
        except DomainError as error:
            flash(describe(error), "error")
        else:
            sessions.renew(_officer())
            flash(_("Your password is changed. Your sessions elsewhere have ended."), "info")
            return redirect(url_for("account.password"))
    return render_template("auth/password.html", form=form), 400


@bp.route("/2fa", methods=["GET", "POST"])
@login_required
def two_factor():
    officer = _officer()
    if not officer.totp_secret:
        return _enrol(officer)
    if request.method == "POST":
        return redirect(url_for("account.two_factor"))
    return render_template(
        "auth/two_factor.html", unused=accounts.unused_recovery_codes(officer),
        may_turn_off=not sessions.totp_enforced(officer), confirm_form=PasswordConfirmForm())


def _enrol(officer):
    """Show a new secret (kept in the session until confirmed) and confirm it with a code."""
    form = CodeForm(request.form)
    secret = session.get(sessions.ENROLMENT)
    status = 200
    if request.method == "POST":
        status = 400
        if not secret:
            flash(_("The enrolment had expired. Scan this new QR code and enter a code from it."), "error")
        elif _submitted(form):
            try:
                codes = accounts.enrol_totp(officer, secret, form.code.data)
            except DomainError as error:
                flash(describe(error), "error")
            else:
                session.pop(sessions.ENROLMENT, None)
                flash(_("One-time codes are on for your account."), "info")
                return render_template("auth/recovery_codes.html", codes=codes)
    if not secret:
        secret = session[sessions.ENROLMENT] = accounts.new_totp_secret()
    # segno draws the SVG from the otpauth address alone, so it is safe to embed as it is.
    qr = Markup(segno.make(accounts.totp_uri(officer, secret), error="m").svg_inline(scale=4))
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return render_template("auth/enrol.html", form=form, qr=qr, secret=grouped,
                           required=sessions.totp_enforced(officer)), status


@bp.post("/2fa/recovery-codes")
@login_required
def recovery_codes():
    officer = _officer()
    form = PasswordConfirmForm(request.form)
    if officer.totp_secret and _submitted(form):
        try:
            codes = accounts.new_recovery_codes(officer, form.password.data)
        except DomainError as error:
            flash(describe(error), "error")
        else:
            return render_template("auth/recovery_codes.html", codes=codes)
    return redirect(url_for("account.two_factor"))


@bp.post("/2fa/off")
@login_required
def two_factor_off():
    officer = _officer()
    form = PasswordConfirmForm(request.form)
    if sessions.totp_enforced(officer):
        flash(_("Your role requires one-time codes; they cannot be turned off."), "error")
    elif officer.totp_secret and _submitted(form):
        try:
            accounts.turn_off_totp(officer, form.password.data)
        except DomainError as error:
            flash(describe(error), "error")
        else:
            flash(_("One-time codes are off for your account."), "info")
    return redirect(url_for("account.two_factor"))
