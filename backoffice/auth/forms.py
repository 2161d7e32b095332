"""The log-in and account forms; each carries a CSRF token (Flask-Admin's SecureForm)."""
from flask import flash
from flask_admin.form import SecureForm
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo


class LoginForm(SecureForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class CodeForm(SecureForm):
    code = StringField(_l("Code"), validators=[DataRequired()])


class PasswordChangeForm(SecureForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired()])
    repeat = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))])


class PasswordConfirmForm(SecureForm):
    """For steps that weaken or replace a second factor: the password proves it is the officer."""
    password = PasswordField(_l("Your password"), validators=[DataRequired()])


class LogoutForm(SecureForm):
    pass


def flash_errors(form):
    """Every reason a form was refused, as messages above it."""
    for name, errors in form.errors.items():
        if name == "csrf_token":
            flash(_("The form had expired or did not come from this site. Please try again."), "error")
            continue
        for error in errors:
            flash(f"{form[name].label.text}: {error}", "error")
