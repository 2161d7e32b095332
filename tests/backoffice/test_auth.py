from tests.conftest import PASSWORD, csrf_token, login, make_officer


def test_admin_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_and_logout(client, state_admin):
    response = login(client, state_admin.email)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    token = csrf_token(client, "/admin/")
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/admin/").status_code == 302


def test_wrong_password_is_refused(client, state_admin):
    response = login(client, state_admin.email, "not the password")
    assert response.status_code == 401
    assert "Wrong e-mail address or password" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_deactivated_officer_cannot_log_in(app, client):
    officer = make_officer("gone@example.gov.in", "state_admin")
    officer.active = False
    from models import database
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
