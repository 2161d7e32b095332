from werkzeug import security

from models import LoginAttempt, Officer, accounts, database
from models.timeutil import to_ist
from tests.backoffice.auth_support import shift_attempts
from tests.conftest import login

LOCKED = "Too many failed attempts"


def client_from(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def fail(client, email, times):
    for _ in range(times):
        assert login(client, email, "not the password").status_code == 401


def test_five_failures_lock_the_account_and_say_until_when(client, state_admin):
    fail(client, state_admin.email, accounts.ACCOUNT_FAILURES)
    response = login(client, state_admin.email)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert LOCKED in page and "Try again then" in page
    with database.connection_context():
        last = LoginAttempt.select().order_by(LoginAttempt.at.desc()).first().at
    until = to_ist(last + accounts.LOCK)  # shown in India Standard Time
    assert f"{until.hour % 12 or 12}:{until.minute:02d}" in page
    assert client.get("/admin/").status_code == 302


def test_a_wrong_password_gets_the_same_answer_while_locked(client, state_admin):
    fail(client, state_admin.email, accounts.ACCOUNT_FAILURES)
    right, wrong = login(client, state_admin.email), login(client, state_admin.email, "not the password")
    assert right.status_code == wrong.status_code == 429
    assert LOCKED in wrong.get_data(as_text=True)


def test_the_lock_ends_after_the_window(client, state_admin):
    fail(client, state_admin.email, accounts.ACCOUNT_FAILURES)
    shift_attempts(16)
    assert login(client, state_admin.email).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_successful_login_clears_the_count(app, state_admin):
    client = app.test_client()
    fail(client, state_admin.email, accounts.ACCOUNT_FAILURES - 1)
    assert login(client, state_admin.email).status_code == 302
    with database.connection_context():
        assert not LoginAttempt.select().where(LoginAttempt.email == state_admin.email).exists()
    other = app.test_client()
    fail(other, state_admin.email, accounts.ACCOUNT_FAILURES - 1)
    assert login(other, state_admin.email).status_code == 302


def test_twenty_failures_from_one_address_lock_that_address_only(app, state_admin):
    attacker = client_from(app, "203.0.113.7")
    for n in range(accounts.IP_FAILURES):
        assert login(attacker, f"guess{n}@example.gov.in", "not the password").status_code == 401
    response = login(attacker, state_admin.email)
    assert response.status_code == 429 and LOCKED in response.get_data(as_text=True)
    elsewhere = client_from(app, "198.51.100.1")
    assert login(elsewhere, state_admin.email).status_code == 302


def test_a_password_past_the_longest_is_refused_before_hashing(client, state_admin, monkeypatch):
    def hashed(*args):
        raise AssertionError("hashed")
    monkeypatch.setattr(Officer, "check_password", hashed)
    monkeypatch.setattr(accounts, "check_password_hash", hashed)
    monkeypatch.setattr(security, "check_password_hash", hashed)
    response = login(client, state_admin.email, "p" * 100_000)
    assert response.status_code == 401 and "p" * 1_000 not in response.get_data(as_text=True)
