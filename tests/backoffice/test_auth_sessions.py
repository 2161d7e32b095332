import time

from backoffice import config
from models import database
from tests.backoffice.auth_support import post, reload
from tests.conftest import PASSWORD, login

NEW_PASSWORD = "a brand new passphrase"


def idle_for(client, minutes):
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - minutes * 60


def logged_in(app, officer):
    client = app.test_client()
    assert login(client, officer.email).status_code == 302
    return client


def test_cookies_are_httponly_and_samesite(admin_client):
    cookie = admin_client.get("/admin/").headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_an_idle_session_ends(admin_client):
    idle_for(admin_client, 31)
    response = admin_client.get("/admin/")
    assert response.headers["Location"].startswith("/login?next=/admin/")
    page = admin_client.get("/login").get_data(as_text=True)
    assert "Your session ended after 30 minutes without activity" in page
    assert admin_client.get("/admin/").status_code == 302


def test_a_session_in_use_goes_on(admin_client):
    idle_for(admin_client, 29)
    assert admin_client.get("/admin/").status_code == 200
    with admin_client.session_transaction() as session:
        assert time.time() - session["last_seen"] < 60


def test_the_idle_timeout_is_a_setting(monkeypatch):
    assert config.load({"APP_ENV": "test"})["IDLE_TIMEOUT_MINUTES"] == 30
    monkeypatch.setenv("IDLE_TIMEOUT_MINUTES", "5")
    assert config.load({"APP_ENV": "test"})["IDLE_TIMEOUT_MINUTES"] == 5


def test_a_password_change_ends_the_other_sessions_only(app, state_admin):
    here, elsewhere = logged_in(app, state_admin), logged_in(app, state_admin)
    response = post(here, "/account/password", {"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert response.headers["Location"] == "/account/password"
    assert "Your password is changed" in here.get("/account/password").get_data(as_text=True)
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302
    assert login(app.test_client(), state_admin.email).status_code == 401
    assert login(app.test_client(), state_admin.email, NEW_PASSWORD).status_code == 302


def change_refused(client, data, message):
    response = post(client, "/account/password", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_password_change_needs_the_current_password(admin_client, state_admin):
    change_refused(admin_client, {"current": "wrong", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD},
                   "Your current password is wrong")
    assert reload(state_admin).check_password(PASSWORD)


def test_a_password_change_needs_the_new_one_twice_alike(admin_client, state_admin):
    change_refused(admin_client, {"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD + "!"},
                   "The two new passwords differ")
    assert reload(state_admin).check_password(PASSWORD)


def test_a_password_change_follows_the_policy(admin_client, state_admin):
    change_refused(admin_client, {"current": PASSWORD, "new": "short", "repeat": "short"}, "at least 10 characters")
    change_refused(admin_client, {"current": PASSWORD, "new": "Password@123", "repeat": "Password@123"},
                   "among the most common")
    change_refused(admin_client, {"current": PASSWORD, "new": "state.admin 2024", "repeat": "state.admin 2024"},
                   "must not contain the name or the e-mail address")
    assert reload(state_admin).check_password(PASSWORD)


def test_a_password_change_without_csrf_token_is_refused(admin_client, state_admin):
    response = admin_client.post("/account/password",
                                 data={"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert response.status_code == 400 and "The form had expired" in response.get_data(as_text=True)
    assert reload(state_admin).check_password(PASSWORD)


def test_account_pages_need_a_login(client):
    for url in ("/account/password", "/account/2fa"):
        assert client.get(url).headers["Location"].startswith("/login?next=")


def test_deactivation_ends_every_session_and_reactivation_revives_none(app, state_admin):
    first, second = logged_in(app, state_admin), logged_in(app, state_admin)
    officer = reload(state_admin)
    officer.active = False
    with database.connection_context():
        officer.save()
    assert first.get("/admin/").status_code == 302
    assert second.get("/admin/").status_code == 302
    officer.active = True
    with database.connection_context():
        officer.save()
    assert second.get("/admin/").status_code == 302
