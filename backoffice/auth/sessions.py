"""What an officer's session holds besides Flask-Login's id, and its start and end."""
import time

from flask import current_app, request, session
from flask_login import login_user, logout_user

from models import accounts

LAST_SEEN = "last_seen"  # seconds since the epoch, for the idle timeout
PENDING = "pending_login"  # password right, one-time code still to come
ENROLMENT = "totp_enrolment"  # the secret shown at enrolment, until a code confirms it


def client_ip():
    return request.remote_addr or "unknown"


def start(officer):
    """The officer passed every step of the log-in."""
    accounts.logged_in(officer)
    session.pop(PENDING, None)
    login_user(officer)
    session[LAST_SEEN] = int(time.time())


def renew(officer):
    """Keep this session after the officer's session version changed (his own password change)."""
    login_user(officer)


def end():
    logout_user()
    for key in (LAST_SEEN, PENDING, ENROLMENT):
        session.pop(key, None)


def idle_too_long():
    limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    return time.time() - session.get(LAST_SEEN, 0) > limit


def touch():
    session[LAST_SEEN] = int(time.time())


def totp_enforced(officer):
    """State and department administrators must use one-time codes in production."""
    return current_app.config["APP_ENV"] == "production" and accounts.needs_totp(officer)
