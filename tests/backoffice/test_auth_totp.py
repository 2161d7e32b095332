import re
import time

import pytest

from backoffice import create_app
from models import accounts, database, migrate
from tests.backoffice.auth_support import code_at, enrol, post, reload, send_code
from tests.conftest import PASSWORD, PRODUCTION_NEEDS, csrf_token, login, make_officer

RECOVERY_CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


@pytest.fixture
def enrolled(app, state_admin):
    """The state administrator with one-time codes on: (secret, recovery codes)."""
    client = app.test_client()
    login(client, state_admin.email)
    secret, page = enrol(client)
    return secret, RECOVERY_CODE.findall(page.get_data(as_text=True))


def test_enrolment_shows_a_qr_code_and_the_secret(admin_client):
    page = admin_client.get("/account/2fa").get_data(as_text=True)
    with admin_client.session_transaction() as session:
        secret = session["totp_enrolment"]
    assert "<svg" in page and secret[:4] in page
    assert admin_client.get("/account/2fa").headers["Cache-Control"] == "no-store"


def test_enrolment_refuses_a_wrong_code(admin_client, state_admin):
    admin_client.get("/account/2fa")
    response = post(admin_client, "/account/2fa", {"code": "12345"})
    assert response.status_code == 400
    assert "Wrong code" in response.get_data(as_text=True)
    assert reload(state_admin).totp_secret is None


def test_enrolment_after_the_secret_was_lost_starts_again(admin_client, state_admin):
    token = csrf_token(admin_client, "/account/2fa")
    with admin_client.session_transaction() as session:
        session.pop("totp_enrolment")
    response = admin_client.post("/account/2fa", data={"code": "123456", "csrf_token": token})
    assert response.status_code == 400
    assert "The enrolment had expired" in response.get_data(as_text=True)
    assert reload(state_admin).totp_secret is None


def test_enrolment_turns_codes_on_and_shows_ten_recovery_codes_once(admin_client, state_admin):
    secret, response = enrol(admin_client)
    codes = RECOVERY_CODE.findall(response.get_data(as_text=True))
    assert response.status_code == 200 and len(set(codes)) == 10
    assert reload(state_admin).totp_secret == secret
    page = admin_client.get("/account/2fa").get_data(as_text=True)
    assert "10 unused recovery codes" in page and not RECOVERY_CODE.search(page)


def test_login_then_asks_for_a_code(app, state_admin, enrolled):
    secret, _ = enrolled
    client = app.test_client()
    response = login(client, state_admin.email)
    assert response.headers["Location"] == "/login/code"
    assert client.get("/admin/").status_code == 302  # not logged in yet
    wrong = send_code(client, "12345")
    assert wrong.status_code == 401 and "Wrong code" in wrong.get_data(as_text=True)
    # The code that confirmed the enrolment was used in this 30-second step.
    assert send_code(client, code_at(secret)).status_code == 401
    assert send_code(client, code_at(secret, 1)).headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_code_is_refused_the_second_time(app, state_admin, enrolled):
    secret, _ = enrolled
    first, second = app.test_client(), app.test_client()
    login(first, state_admin.email)
    login(second, state_admin.email)
    assert send_code(first, code_at(secret, 1)).status_code == 302
    assert send_code(second, code_at(secret, 1)).status_code == 401


def test_a_recovery_code_works_once(app, state_admin, enrolled):
    _, codes = enrolled
    client = app.test_client()
    login(client, state_admin.email)
    assert send_code(client, codes[0].lower()).status_code == 302
    again = app.test_client()
    login(again, state_admin.email)
    assert send_code(again, codes[0]).status_code == 401
    assert send_code(again, codes[1]).status_code == 302


def test_wrong_codes_lock_the_account(app, state_admin, enrolled):
    secret, _ = enrolled
    client = app.test_client()
    login(client, state_admin.email)
    for _ in range(accounts.ACCOUNT_FAILURES):
        send_code(client, "12345")
    response = send_code(client, code_at(secret, 1))
    assert response.status_code == 429 and "Too many failed attempts" in response.get_data(as_text=True)


def test_the_code_step_expires(app, state_admin, enrolled):
    client = app.test_client()
    login(client, state_admin.email)
    with client.session_transaction() as session:
        session["pending_login"] = {**session["pending_login"], "until": int(time.time()) - 1}
    response = client.get("/login/code")
    assert response.headers["Location"] == "/login"
    assert "took too long" in client.get("/login").get_data(as_text=True)


def test_the_code_step_needs_the_password_step_first(client):
    assert client.get("/login/code").headers["Location"] == "/login"


def test_the_code_step_keeps_the_next_page(app, state_admin, enrolled):
    secret, _ = enrolled
    client = app.test_client()
    token = csrf_token(client, "/login")
    client.post("/login?next=/account/password",
                data={"email": state_admin.email, "password": PASSWORD, "csrf_token": token})
    assert send_code(client, code_at(secret, 1)).headers["Location"] == "/account/password"


def test_new_recovery_codes_need_the_password(app, state_admin, enrolled):
    secret, old = enrolled
    client = app.test_client()
    login(client, state_admin.email)
    send_code(client, code_at(secret, 1))
    refused = post(client, "/account/2fa/recovery-codes", {"password": "wrong"}, form_url="/account/2fa")
    assert "Your current password is wrong" in client.get(refused.headers["Location"]).get_data(as_text=True)
    page = post(client, "/account/2fa/recovery-codes", {"password": PASSWORD}, form_url="/account/2fa")
    new = RECOVERY_CODE.findall(page.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)


def test_turning_codes_off_needs_the_password(app):
    officer = make_officer("clerk@example.gov.in", "counter_operator")
    client = app.test_client()
    login(client, officer.email)
    enrol(client)
    post(client, "/account/2fa/off", {"password": "wrong"}, form_url="/account/2fa")
    assert reload(officer).totp_secret
    post(client, "/account/2fa/off", {"password": PASSWORD}, form_url="/account/2fa")
    assert reload(officer).totp_secret is None


# --- production: administrators must use one-time codes ------------------------------

@pytest.fixture
def production(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"APP_ENV": "production", "DATABASE_URL": db_url, "SECRET_KEY": "production-secret",
                      **PRODUCTION_NEEDS})
    with database.connection_context():
        migrate.upgrade()
    yield app
    if not database.is_closed():
        database.close()


def test_in_production_an_administrator_without_codes_must_enrol_first(production):
    officer = make_officer("dept.admin@example.gov.in", "department_admin")
    client = production.test_client()
    response = login(client, officer.email)
    assert client.get(response.headers["Location"]).headers["Location"] == "/account/2fa"
    for url in ("/admin/", "/account/password", "/"):
        assert client.get(url).headers["Location"] == "/account/2fa"
    page = client.get("/account/2fa").get_data(as_text=True)
    assert "Your role requires one-time codes" in page
    enrol(client)
    assert client.get("/admin/").status_code == 200


def test_in_production_an_administrator_can_still_log_out_before_enrolling(production):
    officer = make_officer("state.admin@example.gov.in", "state_admin")
    client = production.test_client()
    login(client, officer.email)
    response = post(client, "/logout", {}, form_url="/account/2fa")
    assert response.headers["Location"] == "/login"


def test_in_production_an_administrator_cannot_turn_codes_off(production):
    officer = make_officer("state.admin@example.gov.in", "state_admin")
    client = production.test_client()
    login(client, officer.email)
    enrol(client)
    assert "Turn off" not in client.get("/account/2fa").get_data(as_text=True)
    response = post(client, "/account/2fa/off", {"password": PASSWORD}, form_url="/account/2fa")
    assert "cannot be turned off" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert reload(officer).totp_secret


def test_in_production_other_officers_need_no_codes(production):
    officer = make_officer("district.admin@example.gov.in", "district_admin")
    client = production.test_client()
    login(client, officer.email)
    assert client.get("/admin/").status_code == 200
