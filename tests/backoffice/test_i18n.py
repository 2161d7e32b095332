"""Which language a page is in (backoffice/i18n.py): ?lang=, the officer's own, the browser's."""
from flask_babel import get_locale, gettext

from models import Officer, database
from tests.conftest import csrf_token, login, make_officer


def language(client, url="/login", **headers):
    page = client.get(url, headers=headers).get_data(as_text=True)
    for code in ("en", "hi"):
        if f'<html lang="{code}">' in page:
            return code
    raise AssertionError(f"no <html lang> on {url}")


def set_language(officer, code):
    with database.connection_context():
        Officer.update(language=code).where(Officer.id == officer.id).execute()


def logout(client):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/admin/")})


def test_lang_parameter_is_remembered(client):
    assert language(client, "/login?lang=hi") == "hi"
    assert language(client) == "hi"
    assert language(client, "/login?lang=en") == "en"
    assert language(client) == "en"


def test_browser_language_when_nothing_was_chosen(client):
    assert language(client, **{"Accept-Language": "hi-IN,hi;q=0.9,en;q=0.8"}) == "hi"
    assert language(client, **{"Accept-Language": "pa-IN,pa;q=0.9"}) == "en"
    assert language(client, "/login?lang=xx", **{"Accept-Language": "hi"}) == "hi"


def test_officer_language_beats_the_browser(client, state_admin):
    set_language(state_admin, "hi")
    login(client, state_admin.email)
    assert language(client, "/admin/", **{"Accept-Language": "en"}) == "hi"


def test_officer_language_beats_a_choice_made_before_logging_in(client, state_admin):
    set_language(state_admin, "hi")
    assert language(client, "/login?lang=en") == "en"
    login(client, state_admin.email)
    assert language(client, "/admin/") == "hi"


def test_choice_during_the_session_beats_the_officer_language(admin_client):
    assert language(admin_client, "/admin/") == "en"
    assert language(admin_client, "/admin/service/?lang=hi") == "hi"
    assert language(admin_client, "/admin/") == "hi"
    assert language(admin_client, "/account/password") == "hi"


def test_an_officers_choice_is_kept_in_his_profile_for_his_next_log_in(admin_client, app, state_admin):
    assert language(admin_client, "/admin/?lang=hi") == "hi"
    with database.connection_context():
        assert Officer.get_by_id(state_admin.id).language == "hi"
    elsewhere = app.test_client()  # another computer, nothing chosen there
    login(elsewhere, state_admin.email)
    assert language(elsewhere, "/admin/", **{"Accept-Language": "en"}) == "hi"


def test_a_choice_on_the_log_in_page_changes_no_profile(client, state_admin):
    assert language(client, "/login?lang=hi") == "hi"
    login(client, state_admin.email)
    with database.connection_context():
        assert Officer.get_by_id(state_admin.id).language == "en"


def test_next_officer_at_the_same_browser_gets_his_own_language(admin_client, app):
    assert language(admin_client, "/admin/?lang=hi") == "hi"
    logout(admin_client)
    assert language(admin_client) == "hi"  # the log-in page stays as it was
    make_officer("counter@example.gov.in", "counter_operator")
    login(admin_client, "counter@example.gov.in")
    assert language(admin_client, "/admin/") == "en"


def test_outside_a_request_the_language_is_english(app):
    with app.app_context():
        assert str(get_locale()) == "en"
        assert gettext("Log in") == "Log in"


def test_names_kept_in_both_languages_say_which_is_which(admin_client, catalogue):
    page = admin_client.get("/admin/district/?lang=hi").get_data(as_text=True)
    assert '<html lang="hi">' in page
    assert '<span lang="en">Ambala</span>' in page and '<span lang="hi">अंबाला</span>' in page
    export = admin_client.get("/admin/district/export/csv/").get_data(as_text=True)
    assert "Ambala" in export and "lang=" not in export
