"""Officers' login and logout for the admin screens (Flask-Login, hashed passwords)."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_admin.form import SecureForm
from flask_babel import lazy_gettext as _l, gettext as _
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from models import Officer
from models.timeutil import utcnow

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to continue.")


@login_manager.user_loader
def load_officer(officer_id):
    # A deactivated officer's session ends on his next request.
    return Officer.get_or_none((Officer.id == officer_id) & (Officer.active == True))  # noqa: E712


class LoginForm(SecureForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


def _safe_next(target):
    """Only a path on this site, so a crafted link cannot send an officer elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    form = LoginForm(request.form)
    if request.method == "POST" and form.validate():
        officer = Officer.get_or_none(Officer.email == form.email.data.strip().lower())
        if officer is None or not officer.check_password(form.password.data) or not officer.active:
            flash(_("Wrong e-mail address or password."), "error")
        else:
            officer.last_login_at = utcnow()
            officer.save(only=[Officer.last_login_at])
            login_user(officer)
            return redirect(_safe_next(request.args.get("next")) or url_for("admin.index"))
    return render_template("auth/login.html", form=form), (401 if request.method == "POST" else 200)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


def init_app(app):
    login_manager.init_app(app)
    app.register_blueprint(bp)
