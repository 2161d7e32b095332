"""Officers: passwords, e-mail addresses, posts and grants inline; citizens are read-only."""
import re

import pytest

from models import Area, Citizen, Designation, District, Officer, Post, RoleGrant, database
from tests.backoffice.admin_support import department, errors, filter_url, submit
from tests.rows import snapshot
from tests.conftest import PASSWORD, make_officer

NEW = {"name": "Kavita Rani", "email": "kavita.rani@example.gov.in", "mobile": "", "department": "__None",
       "language": "hi", "active": "y", "password": PASSWORD}


def field_errors(response):
    """The messages under form fields (Flask-Admin's invalid-feedback lists)."""
    return " ".join(re.findall(r'<div class="invalid-feedback">.*?<li>(.*?)</li>', response.get_data(as_text=True),
                               re.S))


def created(email):
    with database.connection_context():
        return Officer.get_or_none(Officer.email == email)


def test_new_officer_gets_a_hashed_password_and_a_lowercased_email(admin_client, catalogue):
    response = submit(admin_client, "/admin/officer/new/", {**NEW, "email": "  Kavita.Rani@Example.GOV.in "})
    assert not errors(response), errors(response)
    officer = created("kavita.rani@example.gov.in")
    assert officer.check_password(PASSWORD) and PASSWORD not in officer.password_hash
    assert not hasattr(officer, "password")


def test_the_password_hash_is_never_shown(admin_client, catalogue, state_admin):
    with database.connection_context():
        digest = Officer.get_by_id(state_admin.id).password_hash
    for url in ("/admin/officer/", f"/admin/officer/details/?id={state_admin.id}",
                f"/admin/officer/edit/?id={state_admin.id}", "/admin/officer/export/csv/"):
        page = admin_client.get(url).get_data(as_text=True)
        assert state_admin.email in page, url
        assert digest not in page and "scrypt" not in page, url


@pytest.mark.parametrize("changes, message", [
    ({"email": "STATE.ADMIN@example.gov.in"}, "This E-mail is already used by another row."),
    ({"email": "not-an-address"}, "Enter an e-mail address."),
    ({"password": "short"}, "10 characters"),
    ({"email": "kavita.rani.long@example.gov.in", "password": "kavita.rani.long@example.gov.in"}, "e-mail"),
])
def test_a_bad_new_officer_is_refused(admin_client, catalogue, state_admin, changes, message):
    with database.connection_context():
        before = snapshot()
    response = submit(admin_client, "/admin/officer/new/", {**NEW, **changes})
    assert message in errors(response) + field_errors(response)
    with database.connection_context():
        assert snapshot()["Officer"] == before["Officer"]


def test_editing_without_a_password_keeps_the_old_one(admin_client, catalogue):
    officer = make_officer("keeps@example.gov.in", "district_admin")
    submit(admin_client, f"/admin/officer/edit/?id={officer.id}",
           {**NEW, "name": "Renamed", "email": officer.email, "password": ""})
    after = created(officer.email)
    assert after.name == "Renamed" and after.check_password(PASSWORD)

    submit(admin_client, f"/admin/officer/edit/?id={officer.id}",
           {**NEW, "email": officer.email, "password": "a brand new passphrase"})
    assert created(officer.email).check_password("a brand new passphrase")


def post_and_grant():
    with database.connection_context():
        district = District.select().first()
        designation = Designation.select().where(Designation.level == "district").first()
    return district, designation, {
        "posts-0-designation": designation.id, "posts-0-district": district.id, "posts-0-area": "__None",
        "grants-0-role": "district_admin", "grants-0-department": "__None", "grants-0-district": district.id,
    }


def test_posts_and_grants_are_saved_inline(admin_client, catalogue, state_admin):
    district, designation, inline = post_and_grant()
    response = submit(admin_client, "/admin/officer/new/", {**NEW, **inline})
    assert not errors(response), errors(response)
    officer = created(NEW["email"])
    with database.connection_context():
        post = Post.get(Post.officer == officer.id)
        grant = RoleGrant.get(RoleGrant.officer == officer.id)
    assert (post.designation_id, post.district_id, post.area_id) == (designation.id, district.id, None)
    assert (grant.role, grant.district_id, grant.granted_by_id) == ("district_admin", district.id, state_admin.id)


def test_a_post_in_both_a_district_and_an_area_saves_nothing(admin_client, catalogue):
    district, _, inline = post_and_grant()
    with database.connection_context():
        area = Area.create(district=district, code="T1", name_en="Tehsil", name_hi="तहसील", kind="tehsil")
        before = snapshot()
    response = submit(admin_client, "/admin/officer/new/", {**NEW, **inline, "posts-0-area": area.id})
    assert "not both" in errors(response)
    with database.connection_context():
        assert snapshot() == before  # the officer and his grant went back with the post


def test_filter_officers_by_department(app, admin_client, catalogue):
    with database.connection_context():
        revenue = department("REV")
        Officer.create(name="Revenue Clerk", email="clerk@example.gov.in", department=revenue)
    page = admin_client.get(filter_url(app, "officer", "Department", revenue.id)).get_data(as_text=True)
    assert "clerk@example.gov.in" in page and "state.admin@example.gov.in" not in page


def test_citizens_are_listed_searched_and_never_changed(admin_client, catalogue):
    with database.connection_context():
        citizen = Citizen.create(name="Asha Devi", mobile="9876500001")
        Citizen.create(name="Other", mobile="9000000000")
        before = snapshot()
    page = admin_client.get("/admin/citizen/?search=9876500001").get_data(as_text=True)
    assert "Asha Devi" in page and "Other" not in page
    # Masked, a mobile number is found only whole: a part would give it away digit by digit.
    assert "Asha Devi" not in admin_client.get("/admin/citizen/?search=98765").get_data(as_text=True)
    assert admin_client.get(f"/admin/citizen/details/?id={citizen.id}").status_code == 200
    assert admin_client.get("/admin/citizen/new/").status_code == 302
    submit(admin_client, f"/admin/citizen/edit/?id={citizen.id}", {"name": "Changed"}, form_url="/admin/citizen/")
    with database.connection_context():
        assert snapshot() == before
