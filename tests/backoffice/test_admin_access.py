"""Who gets into the admin screens, and what a refused request leaves behind: nothing."""
import pytest

from models import (
    Area, CannedResponse, Circular, District, Holiday, Officer, RoleGrant, Service, audit, database, helpdesk, jobs,
    notifications,
)
from tests.backoffice.admin_support import admin_views, make_request
from tests.rows import snapshot
from tests.conftest import csrf_token, login, make_officer


@pytest.fixture
def every_kind(app, catalogue):
    """At least one row behind every admin view, so each edit/details/delete URL names a real row."""
    with database.connection_context():
        officer = make_officer("field.officer@example.gov.in", "district_admin")
        Area.create(district=District.select().first(), code="T1", name_en="Test tehsil", name_hi="परीक्षण तहसील", kind="tehsil")
        request = make_request(officer=officer)
        Holiday.create(date=request.submitted_at.date(), name_en="Test day", name_hi="परीक्षण दिवस")
        audit.record(officer, "view", request)
        notifications.queue("email", officer.email, "Hello", language="en")
        Circular.create(title_en="Test", title_hi="परीक्षण", body_en="Test", body_hi="परीक्षण", sent_by=officer)
        jobs.record("mail_send", "((), {})", "SMTPServerDisconnected: closed", "", attempts=4)
        helpdesk.open_ticket(request.citizen, "Where is my certificate?", "It is late.")
        CannedResponse.create(title="Thanks", body_en="Thank you.", body_hi="धन्यवाद।")
        notifications.mark_bounced("gone@example.com", status="5.1.1")
    return officer


def admin_urls(app):
    """(method, url, view) for every rule of every registered admin view: a new view is covered unasked."""
    views = {view.endpoint: view for view in admin_views(app)}
    urls = []
    for rule in app.url_map.iter_rules():
        view = views.get(rule.endpoint.split(".")[0])
        if view is None or rule.endpoint.endswith(".static"):
            continue  # the stylesheets and scripts the login page needs too
        path = rule.rule.replace("<export_type>", "csv")
        model = getattr(view, "model", None)
        if model is not None:
            with database.connection_context():
                path += f"?id={model.select().first().id}"
        for method in sorted(rule.methods & {"GET", "POST"}):
            urls.append((method, path, view))
    return urls


def attack(client, method, url, view):
    """The request as an attacker would send it: a complete form, a delete action, a row id."""
    pk = url.partition("?id=")[2]
    data = {"id": pk, "rowid": pk, "action": "delete", "name": "changed", "name_en": "changed", "url": "/"}
    return client.open(url, method=method, data=data if method == "POST" else None)


def test_every_admin_url_sends_anonymous_visitors_to_login(app, client, every_kind):
    urls = admin_urls(app)
    endpoints = {view.endpoint for _, _, view in urls}
    # Seventeen model views; the home page, "My circulars", the counter, the catalogue files, the
    # help desk's look-up and a citizen's personal data; each model view with list, create, edit, details,
    # delete, export and action URLs (and Flask-Admin's ajax helpers).
    assert len(endpoints) == 23 and len(urls) > 90
    with database.connection_context():
        before = snapshot()
    for method, url, view in urls:
        response = attack(client, method, url, view)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login?next="), (method, url)
    with database.connection_context():
        assert snapshot() == before


def test_login_page_comes_back_to_the_page_asked_for(client, state_admin):
    response = client.get("/admin/service/?search=income")
    assert response.headers["Location"] == "/login?next=/admin/service/?search%3Dincome"
    token = csrf_token(client, response.headers["Location"])
    response = client.post(response.headers["Location"],
                           data={"email": state_admin.email, "password": "correct horse battery staple",
                                 "csrf_token": token})
    assert response.headers["Location"] == "/admin/service/?search=income"


def test_officer_without_a_role_grant_is_refused_everywhere(app, client, every_kind):
    make_officer("no.role@example.gov.in")
    login(client, "no.role@example.gov.in")
    with database.connection_context():
        before = snapshot()
    for method, url, view in admin_urls(app):
        assert attack(client, method, url, view).status_code == 403, (method, url)
    with database.connection_context():
        after = snapshot()
    # Logging in stamps last_login_at; nothing else may differ.
    assert {k: v for k, v in after.items() if k != "Officer"} == {k: v for k, v in before.items() if k != "Officer"}
    assert len(after["Officer"]) == len(before["Officer"])


def test_posts_without_a_csrf_token_change_nothing(app, admin_client, every_kind):
    with database.connection_context():
        before = snapshot()
    for method, url, view in admin_urls(app):
        if method == "POST":
            attack(admin_client, method, url, view)
    with database.connection_context():
        assert snapshot() == before


def test_admin_pages_render_in_hindi(app, admin_client, state_admin, every_kind):
    # The counter is a counter operator's screen alone.
    with database.connection_context():
        RoleGrant.create(officer=state_admin, role="counter_operator", district=District.select().first())
    for view in admin_views(app):
        response = admin_client.get(f"{view.url}/?lang=hi".replace("//", "/"))
        assert response.status_code == 200, view.url
        assert '<html lang="hi">' in response.get_data(as_text=True)
    # The choice sticks for the session, and English comes back the same way.
    assert '<html lang="hi">' in admin_client.get("/admin/").get_data(as_text=True)
    assert '<html lang="en">' in admin_client.get("/admin/?lang=en").get_data(as_text=True)


def test_language_switch_keeps_the_search(admin_client, catalogue):
    page = admin_client.get("/admin/service/?search=income").get_data(as_text=True)
    assert 'href="/admin/service/?search=income&amp;lang=hi"' in page


def test_home_page_names_the_officer_and_counts_the_catalogue(admin_client, catalogue):
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "state.admin" in page
    with database.connection_context():
        published = Service.select().where(Service.status == "published").count()
    assert f'Published services</th><td class="text-right">{published}</td>' in page
    assert 'name="csrf_token"' in page and 'action="/logout"' in page


def test_a_deactivated_officer_is_logged_out_of_the_admin(app, admin_client, state_admin):
    with database.connection_context():
        Officer.update(active=False).where(Officer.id == state_admin.id).execute()
    assert admin_client.get("/admin/").status_code == 302


def test_a_removed_role_grant_closes_the_admin(app, admin_client, state_admin):
    with database.connection_context():
        RoleGrant.delete().where(RoleGrant.officer == state_admin.id).execute()
    assert admin_client.get("/admin/").status_code == 403


def test_every_list_survives_any_sort_typed_into_its_address(app, admin_client, every_kind):
    """?sort=N for every column index, sortable or not, and out of range: a list, never a crash."""
    for view in admin_views(app):
        if not hasattr(view, "_list_columns"):
            continue
        for index in range(-1, len(view._list_columns) + 2):
            response = admin_client.get(f"{view.url}/?sort={index}&desc=1")
            assert response.status_code == 200, (view.url, index)


HUGE = "99999999999999999999"  # past SQLite's and PostgreSQL's 64-bit integers


def status(client, method, url, data=None):
    try:
        return client.open(url, method=method, data=data).status_code
    except Exception as error:  # the test client re-raises what would have been a 500
        return repr(error)[:80]


def test_no_admin_url_fails_on_an_id_or_page_past_the_integers(app, admin_client, every_kind):
    token = csrf_token(admin_client, "/admin/service/")
    with database.connection_context():
        before = snapshot()
    failures = []
    for method, url, view in admin_urls(app):
        path = url.partition("?")[0]
        data = {"id": HUGE, "rowid": HUGE, "action": "delete", "csrf_token": token} if method == "POST" else None
        answer = status(admin_client, method, f"{path}?id={HUGE}&page={HUGE}", data)
        if answer not in (200, 302, 400, 403, 404, 405):
            failures.append((method, path, answer))
    for view in admin_views(app):
        for index, _ in enumerate(getattr(view, "_filters", None) or ()):
            answer = status(admin_client, "GET", f"{view.url}/?flt0_{index}={HUGE}")
            if answer != 200:
                failures.append(("GET", f"{view.url}/?flt0_{index}", answer))
    assert failures == [], "\n".join(map(str, failures))
    with database.connection_context():
        assert snapshot() == before
