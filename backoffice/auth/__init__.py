"""Officers' log-in, sessions and account pages.

The rules (lockout, one-time codes, password policy) live in models/accounts.py
and models/passwords.py; this package is the Flask side of them.
"""
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from models import Officer

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to continue.")


@login_manager.user_loader
def load_officer(session_id):
    # "id:version" (Officer.get_id): a session opened before the officer's last
    # password change or deactivation no longer matches, and ends here.
    officer_id, _, version = session_id.partition(":")
    if not (officer_id.isdigit() and version.isdigit()):
        return None
    return Officer.get_or_none(
        (Officer.id == int(officer_id)) & (Officer.session_version == int(version))
        & (Officer.active == True))  # noqa: E712


def init_app(app):
    from . import account, guard, login, reset

    login_manager.init_app(app)
    app.register_blueprint(login.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(reset.bp)
    guard.init_app(app)
