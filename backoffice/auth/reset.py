"""Setting a password through an e-mailed link: 'forgot password', and a new officer's welcome.

The rules of the links (single use, expiry, what ends them) are in
models/resets.py; this is the pages and the mail.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_admin.form import SecureForm
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo

from models import DomainError, Officer, database, resets
from models.accounts import normalize_email

from .. import notify
from ..messages import describe
from .forms import flash_errors

bp = Blueprint("reset", __name__)

TEMPLATES = {"reset": "password_reset", "welcome": "welcome"}


class ForgotForm(SecureForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired()])


class NewPasswordForm(SecureForm):
    new = PasswordField(_l("New password"), validators=[DataRequired()])
    repeat = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))])


@bp.after_request
def _private(response):
    # The token is in the address: no cache keeps the page, no Referer carries it away.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def send_link(officer, purpose):
    """Queue the mail with a new `purpose` link (resets.PURPOSES) for `officer`, in the caller's transaction."""
    token = resets.issue(officer, purpose)
    notify.tell(officer, TEMPLATES[purpose], about=officer,
                link=notify.public_link("reset.set_password", token=token),
                login_url=notify.public_link("auth.login"),
                hours=int(resets.LIFETIME[purpose].total_seconds() // 3600))


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot():
    form = ForgotForm(request.form)
    if request.method == "GET":
        return render_template("auth/forgot.html", form=form)
    if not form.validate():
        flash_errors(form)
        return render_template("auth/forgot.html", form=form), 400
    # One answer whether or not the address has an account, and whether or
    # not a mail went out, so the page tells nobody who works here.
    with database.atomic():
        officer = Officer.get_or_none((Officer.email == normalize_email(form.email.data))
                                      & (Officer.active == True))  # noqa: E712
        if officer is not None and resets.may_send_reset(officer):
            send_link(officer, "reset")
    return render_template("auth/forgot.html", form=None)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def set_password(token):
    try:
        resets.find(token)
    except DomainError as error:
        flash(describe(error), "error")
        return render_template("auth/set_password.html", form=None), 410
    form = NewPasswordForm(request.form)
    if request.method == "GET":
        return render_template("auth/set_password.html", form=form)
    if form.validate():
        try:
            resets.set_password(token, form.new.data)
        except DomainError as error:
            flash(describe(error), "error")
        else:
            flash(_("Your password is set. Log in with it."), "info")
            return redirect(url_for("auth.login"))
    else:
        flash_errors(form)
    return render_template("auth/set_password.html", form=form), 400
