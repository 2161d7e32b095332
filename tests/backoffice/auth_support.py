"""Helpers for the log-in and account tests (tests/backoffice/test_auth*.py)."""
import datetime
import time

import pyotp

from models import LoginAttempt, Officer, database
from tests.conftest import csrf_token


def shift_attempts(minutes):
    """Move every failed log-in into the past, instead of waiting."""
    with database.connection_context():
        for attempt in LoginAttempt.select():
            attempt.at -= datetime.timedelta(minutes=minutes)
            attempt.save()


def code_at(secret, offset_steps=0):
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def post(client, url, data, form_url=None):
    """POST a form served at `form_url` (default: `url`) with its CSRF token."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, form_url or url)})


def enrol(client):
    """Turn on one-time codes for the logged-in officer; returns the secret and the page."""
    client.get("/account/2fa")
    with client.session_transaction() as session:
        secret = session["totp_enrolment"]
    return secret, post(client, "/account/2fa", {"code": code_at(secret)})


def send_code(client, code):
    return post(client, "/login/code", {"code": code})


def reload(officer):
    with database.connection_context():
        return Officer.get_by_id(officer.id)
