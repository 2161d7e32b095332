from urllib.parse import quote

import pytest

from models import database
from tests.conftest import PASSWORD, csrf_token, login, make_officer


def test_admin_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_and_logout(client, state_admin):
    response = login(client, state_admin.email)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    token = csrf_token(client, "/account/password")
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/admin/").status_code == 302


def test_logout_without_csrf_token_is_refused(admin_client):
    assert admin_client.post("/logout").status_code == 400
    assert admin_client.get("/admin/").status_code == 200


def test_wrong_password_is_refused(client, state_admin):
    response = login(client, state_admin.email, "not the password")
    assert response.status_code == 401
    assert "Wrong e-mail address or password" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_deactivated_officer_cannot_log_in(app, client):
    officer = make_officer("gone@example.gov.in", "state_admin")
    officer.active = False
    with database.connection_context():
        officer.save()
    assert login(client, officer.email).status_code == 401


def test_login_ignores_offsite_next(client, state_admin):
    token = csrf_token(client, "/login")
    response = client.post("/login?next=https://evil.example/",
                           data={"email": state_admin.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/admin/"


def test_login_without_csrf_token_is_refused(client, state_admin):
    response = client.post("/login", data={"email": state_admin.email, "password": PASSWORD})
    assert response.status_code == 401
    assert client.get("/admin/").status_code == 302


def test_login_with_an_expired_form_says_so(client, state_admin):
    response = client.post("/login", data={"email": state_admin.email, "password": PASSWORD, "csrf_token": "1##x"})
    assert response.status_code == 401
    assert "The form had expired" in response.get_data(as_text=True)


def test_a_session_id_without_its_version_is_refused(app, state_admin):
    # Sessions opened before session versions existed carried the bare id.
    from backoffice.auth import load_officer
    with database.connection_context():
        assert load_officer(state_admin.get_id()) == state_admin
        assert load_officer(str(state_admin.id)) is None
        assert load_officer(f"{state_admin.id}:{state_admin.session_version + 1}") is None
        assert load_officer("x:1") is None


@pytest.mark.parametrize("target", ["/\\evil.com", "//evil.com", "/\t/evil.com", "/\n/evil.com",
                                    "https://evil.com/", "javascript:alert(1)", "evil.com", "/a\\b", "/\x7f"])
def test_login_follows_only_a_path_on_this_site(client, state_admin, target):
    token = csrf_token(client, "/login")
    response = client.post(f"/login?next={quote(target)}",
                           data={"email": state_admin.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/admin/"
