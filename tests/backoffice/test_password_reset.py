"""'Forgot password' and the welcome mail: e-mailed links that set a password once."""
import datetime

from models import Officer, PasswordLink, database, resets
from models.timeutil import utcnow
from tests.backoffice.admin_support import submit
from tests.backoffice.notify_support import link_in, rows, send
from tests.conftest import PASSWORD, csrf_token, login, make_officer

NEW_PASSWORD = "a quiet morning in karnal"


def forgot(client, email):
    return client.post("/forgot-password", data={"email": email, "csrf_token": csrf_token(client, "/forgot-password")})


def choose(client, link, password=NEW_PASSWORD, repeat=None):
    path = link.split("5000", 1)[1]
    # The token from another form of the session: a refused link shows no form.
    token = csrf_token(client, "/forgot-password")
    return client.post(path, data={"new": password, "repeat": repeat or password, "csrf_token": token})


def mailed_link(app, smtp, email):
    send(app)
    return link_in(smtp.to(email)[-1])


def test_the_login_page_links_to_forgot_password(client):
    assert 'href="/forgot-password"' in client.get("/login").get_data(as_text=True)


def test_a_forgotten_password_is_reset_through_the_mailed_link_once(app, client, smtp):
    officer = make_officer("kavita@example.gov.in", "district_admin")
    response = forgot(client, "Kavita@Example.gov.in ")
    assert response.status_code == 200 and "is on its way" in response.get_data(as_text=True)
    link = mailed_link(app, smtp, "kavita@example.gov.in")
    [mail] = smtp.to("kavita@example.gov.in")
    assert mail["Subject"] == "A new password for the Jansahayak back office"
    assert client.get(link.split("5000", 1)[1]).status_code == 200
    response = choose(client, link)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert login(client, officer.email, NEW_PASSWORD).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})
    # Used once: never again.
    assert client.get(link.split("5000", 1)[1]).status_code == 410
    assert choose(client, link, "another long passphrase").status_code == 410
    with database.connection_context():
        assert Officer.get_by_id(officer.id).check_password(NEW_PASSWORD)


def test_an_unknown_address_gets_the_same_page_and_no_mail(app, client):
    make_officer("kavita@example.gov.in")
    known = forgot(client, "kavita@example.gov.in").get_data(as_text=True)
    unknown = forgot(client, "nobody@example.gov.in").get_data(as_text=True)
    assert known == unknown
    assert [r.address for r in rows()] == ["kavita@example.gov.in"]


def test_an_inactive_officer_gets_no_mail(app, client):
    officer = make_officer("gone@example.gov.in")
    with database.connection_context():
        Officer.update(active=False).where(Officer.id == officer.id).execute()
    forgot(client, "gone@example.gov.in")
    assert rows() == []


def test_more_than_three_requests_an_hour_send_nothing_more(app, client):
    make_officer("kavita@example.gov.in")
    pages = {forgot(client, "kavita@example.gov.in").get_data(as_text=True) for _ in range(5)}
    assert len(pages) == 1
    assert len(rows()) == resets.THROTTLE == 3


def test_an_expired_link_is_refused(app, client, smtp):
    make_officer("kavita@example.gov.in")
    forgot(client, "kavita@example.gov.in")
    link = mailed_link(app, smtp, "kavita@example.gov.in")
    with database.connection_context():
        PasswordLink.update(expires_at=utcnow() - datetime.timedelta(seconds=1)).execute()
    response = client.get(link.split("5000", 1)[1])
    assert response.status_code == 410 and "Ask for a new link" in response.get_data(as_text=True)


def test_a_log_in_or_a_password_change_ends_the_link(app, client, smtp):
    officer = make_officer("kavita@example.gov.in", "district_admin")
    forgot(client, "kavita@example.gov.in")
    by_login = mailed_link(app, smtp, "kavita@example.gov.in")
    login(client, officer.email)  # he remembered it after all
    assert choose(client, by_login).status_code == 410
    forgot(client, "kavita@example.gov.in")
    by_change = mailed_link(app, smtp, "kavita@example.gov.in")
    response = client.post("/account/password", data={
        "current": PASSWORD, "new": "my own new passphrase", "repeat": "my own new passphrase",
        "csrf_token": csrf_token(client, "/account/password")})
    assert response.status_code == 302
    assert choose(client, by_change).status_code == 410


def test_a_newer_link_ends_the_older_one_only_once_used(app, client, smtp):
    make_officer("kavita@example.gov.in")
    forgot(client, "kavita@example.gov.in")
    first = mailed_link(app, smtp, "kavita@example.gov.in")
    forgot(client, "kavita@example.gov.in")
    second = mailed_link(app, smtp, "kavita@example.gov.in")
    assert choose(client, second).status_code == 302
    assert choose(client, first, "another long passphrase").status_code == 410


def test_a_weak_password_is_refused_and_the_link_still_works(app, client, smtp):
    make_officer("kavita@example.gov.in")
    forgot(client, "kavita@example.gov.in")
    link = mailed_link(app, smtp, "kavita@example.gov.in")
    response = choose(client, link, "password123")
    assert response.status_code == 400 and "most common" in response.get_data(as_text=True)
    assert choose(client, link, NEW_PASSWORD, repeat="something else").status_code == 400
    assert choose(client, link).status_code == 302


def test_a_new_officer_gets_a_welcome_mail_in_his_language_and_sets_his_password(app, admin_client, smtp):
    response = submit(admin_client, "/admin/officer/new/", {
        "name": "कविता रानी", "email": "kavita@example.gov.in", "mobile": "", "department": "__None",
        "language": "hi", "active": "y", "password": ""})
    assert response.status_code == 200
    with database.connection_context():
        officer = Officer.get(Officer.email == "kavita@example.gov.in")
        assert officer.password_hash == ""
    [welcome] = rows()
    assert (welcome.template, welcome.language, welcome.about_officer_id) == ("welcome", "hi", officer.id)
    link = mailed_link(app, smtp, "kavita@example.gov.in")
    [mail] = smtp.to("kavita@example.gov.in")
    assert mail["Subject"] == "जनसहायक बैक ऑफ़िस में आपका खाता"
    assert "72 घंटे" in mail.get_body(("plain",)).get_content()
    assert PASSWORD not in mail.raw.decode()
    client = app.test_client()
    assert choose(client, link).status_code == 302
    assert login(client, "kavita@example.gov.in", NEW_PASSWORD).status_code == 302


def test_a_welcome_link_lasts_three_days(app, smtp):
    officer = make_officer("kavita@example.gov.in")
    with database.connection_context():
        token = resets.issue(officer, "welcome")
        link = PasswordLink.get()
        assert link.expires_at - link.created_at == datetime.timedelta(hours=72)
        assert resets.find(token, link.created_at + datetime.timedelta(hours=71)).id == link.id


def test_an_officer_created_inactive_gets_no_welcome_mail(app, admin_client):
    submit(admin_client, "/admin/officer/new/", {
        "name": "Later", "email": "later@example.gov.in", "mobile": "", "department": "__None",
        "language": "en", "password": ""})
    with database.connection_context():
        assert Officer.get_or_none(Officer.email == "later@example.gov.in") is not None
    assert rows() == []
