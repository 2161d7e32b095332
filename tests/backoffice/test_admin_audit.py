"""The audit log as the admin screens write it, and its read-only screen for state administrators."""
import datetime
import json

import pytest

from models import (
    Area, AuditEntry, Department, Designation, District, Officer, Post, RoleGrant, audit, database,
)
from tests.rows import snapshot
from tests.backoffice.admin_support import (
    delete_action, delete_row, department, errors, filter_url, submit,
)
from tests.conftest import PASSWORD, login, make_officer

DEPARTMENT = {"code": "TST", "name_en": "Testing", "name_hi": "परीक्षण", "kind": "board"}
OFFICER = {"name": "Kavita Rani", "email": "kavita.rani@example.gov.in", "mobile": "", "department": "__None",
           "language": "hi", "active": "y", "password": PASSWORD}


def entries():
    with database.connection_context():
        return list(AuditEntry.select().order_by(AuditEntry.id))


def only(model_name, action):
    found = [e for e in entries() if (e.model_name, e.action) == (model_name, action)]
    assert len(found) == 1, found
    return found[0]


def new_department(client, **changes):
    response = submit(client, "/admin/department/new/", {**DEPARTMENT, **changes})
    assert not errors(response), errors(response)
    with database.connection_context():
        return Department.get(Department.code == DEPARTMENT["code"])


# --- what the screens record ----------------------------------------------------

def test_create_edit_and_delete_are_recorded(admin_client, catalogue, state_admin):
    row = new_department(admin_client)
    created = only("department", "create")
    assert (created.officer_id, created.row_id) == (state_admin.id, str(row.id))
    assert created.changes == {"code": [None, "TST"], "name_en": [None, "Testing"], "name_hi": [None, "परीक्षण"],
                               "kind": [None, "board"]}

    response = submit(admin_client, f"/admin/department/edit/?id={row.id}", {**DEPARTMENT, "name_en": "Tested"})
    assert not errors(response), errors(response)
    updated = only("department", "update")
    assert (updated.officer_id, updated.row_id, updated.changes) == (
        state_admin.id, str(row.id), {"name_en": ["Testing", "Tested"]})

    response = delete_row(admin_client, "department", row.id)
    assert not errors(response), errors(response)
    deleted = only("department", "delete")
    assert deleted.row_id == str(row.id) and deleted.changes["name_en"] == ["Tested", None]
    assert [e.action for e in entries()] == ["create", "update", "delete"]


def test_an_edit_that_changes_nothing_records_nothing(admin_client, catalogue):
    row = new_department(admin_client)
    officer = make_officer("unchanged@example.gov.in", "district_admin", district=District.select().first())
    count = len(entries())
    submit(admin_client, f"/admin/department/edit/?id={row.id}", DEPARTMENT)
    submit(admin_client, f"/admin/officer/edit/?id={officer.id}",
           {**OFFICER, "name": officer.name, "email": officer.email, "language": "en", "password": ""})
    assert len(entries()) == count


def test_a_bulk_delete_records_each_row(admin_client, catalogue):
    with database.connection_context():
        spares = [Department.create(code=f"SP{i}", name_en=f"Spare {i}", name_hi="अतिरिक्त") for i in (1, 2)]
    delete_action(admin_client, "department", *(d.id for d in spares))
    assert sorted(e.row_id for e in entries() if e.action == "delete") == sorted(str(d.id) for d in spares)


def test_a_refused_delete_records_nothing(admin_client, catalogue):
    with database.connection_context():
        spare = Department.create(code="SPR", name_en="Spare", name_hi="अतिरिक्त")
        revenue = department("REV")
    # The bulk delete takes the unused department back with the one in use.
    for response in (delete_row(admin_client, "department", revenue.id),
                     delete_action(admin_client, "department", spare.id, revenue.id)):
        assert "cannot be deleted" in errors(response)
    assert entries() == []


def test_a_delete_the_database_refuses_records_nothing(admin_client, catalogue, monkeypatch):
    """A row that came into use after the check: the delete and its entry go back together."""
    monkeypatch.setattr("backoffice.admin.base.delete_refusal", lambda row: None)
    with database.connection_context():
        revenue = department("REV")
    response = delete_row(admin_client, "department", revenue.id)
    assert "Nothing was deleted" in errors(response)
    assert entries() == []


def test_a_failed_save_records_nothing(admin_client, catalogue):
    row = new_department(admin_client)
    with database.connection_context():
        district = District.select().first()
    count = len(entries())
    response = submit(admin_client, "/admin/department/new/", {**DEPARTMENT, "name_en": "Again"})
    assert "already used" in errors(response)
    response = submit(admin_client, f"/admin/department/edit/?id={row.id}", {**DEPARTMENT, "code": "REV"})
    assert "already used" in errors(response)
    submit(admin_client, "/admin/officer/new/", {**OFFICER, **grant_fields(0, district), "email": "not-an-address"})
    assert len(entries()) == count


def test_a_save_refused_after_the_officer_was_written_records_nothing(admin_client, catalogue):
    """The post is checked after the officer and his grant are saved: all of it goes back, entries too."""
    with database.connection_context():
        district = District.select().first()
        area = Area.create(district=district, code="T1", name_en="Tehsil", name_hi="तहसील", kind="tehsil")
        designation = district_designation()
    response = submit(admin_client, "/admin/officer/new/", {
        **OFFICER, **grant_fields(0, district), "posts-0-designation": designation.id,
        "posts-0-district": district.id, "posts-0-area": area.id})
    assert "not both" in errors(response)
    assert entries() == []


# --- officers: grants, posts and secrets ---------------------------------------

def district_designation():
    return Designation.select().where(Designation.level == "district").first()


def grant_fields(index, district, role="district_admin"):
    return {f"grants-{index}-role": role, f"grants-{index}-department": "__None",
            f"grants-{index}-district": district.id}


def test_a_new_officer_with_a_grant_and_a_post(admin_client, catalogue, state_admin):
    with database.connection_context():
        district, designation = District.select().first(), district_designation()
    response = submit(admin_client, "/admin/officer/new/", {
        **OFFICER, **grant_fields(0, district), "posts-0-designation": designation.id,
        "posts-0-district": district.id, "posts-0-area": "__None"})
    assert not errors(response), errors(response)
    with database.connection_context():
        officer = Officer.get(Officer.email == OFFICER["email"])
        grant = RoleGrant.get(RoleGrant.officer == officer)
        post = Post.get(Post.officer == officer)
    assert [(e.action, e.model_name, e.row_id) for e in entries()] == [
        ("create", "officer", str(officer.id)), ("create", "post", str(post.id)),
        ("grant", "role_grant", str(grant.id))]
    granted = only("role_grant", "grant")
    assert granted.officer_id == state_admin.id
    assert granted.changes["officer"] == [None, officer.id]
    assert granted.changes["role"] == [None, "district_admin"]
    assert granted.changes["district"] == [None, district.id]
    assert granted.changes["granted_by"] == [None, state_admin.id]


def officer_with_grant(role="district_admin"):
    with database.connection_context():
        district = District.select().first()
        officer = make_officer("granted@example.gov.in", role, district=district)
        return officer, RoleGrant.get(RoleGrant.officer == officer), district


def edit_officer(client, officer, **fields):
    return submit(client, f"/admin/officer/edit/?id={officer.id}",
                  {**OFFICER, "name": officer.name, "email": officer.email, "language": "en", "password": "",
                   **fields})


def test_a_grant_removed_inline_is_a_revocation(admin_client, catalogue, state_admin):
    officer, grant, district = officer_with_grant()
    response = edit_officer(admin_client, officer, **grant_fields(0, district), **{
        "grants-0-id": grant.id, "del-grants-0": "y"})
    assert not errors(response), errors(response)
    revoked = only("role_grant", "revoke")
    assert (revoked.officer_id, revoked.row_id) == (state_admin.id, str(grant.id))
    assert revoked.changes["role"] == ["district_admin", None]
    assert revoked.changes["officer"] == [officer.id, None]
    assert [e.action for e in entries()] == ["revoke"]


def test_a_grant_changed_inline_is_revoked_and_granted(admin_client, catalogue):
    officer, grant, district = officer_with_grant()
    response = edit_officer(admin_client, officer, **grant_fields(0, district, role="counter_operator"),
                            **{"grants-0-id": grant.id})
    assert not errors(response), errors(response)
    assert [(e.action, e.row_id) for e in entries()] == [("revoke", str(grant.id)), ("grant", str(grant.id))]
    assert only("role_grant", "revoke").changes["role"] == ["district_admin", None]
    assert only("role_grant", "grant").changes["role"] == [None, "counter_operator"]


def test_a_new_password_is_recorded_as_changed_and_never_copied(admin_client, catalogue):
    officer, _, _ = officer_with_grant()
    response = edit_officer(admin_client, officer, password="a brand new passphrase")
    assert not errors(response), errors(response)
    with database.connection_context():
        digest = Officer.get_by_id(officer.id).password_hash
    updated = only("officer", "update")
    assert updated.changes["password_hash"] == audit.CHANGED
    stored = json.dumps([e.changes for e in entries()], ensure_ascii=False)
    for secret in (digest, officer.password_hash, "a brand new passphrase", "scrypt"):
        assert secret not in stored
    page = admin_client.get(f"/admin/audit/details/?id={updated.id}").get_data(as_text=True)
    assert "Password: changed" in page
    assert digest not in page and "scrypt" not in page


def test_a_deleted_officer_takes_his_grants_and_posts_with_him_on_the_record(admin_client, catalogue):
    officer, grant, district = officer_with_grant()
    with database.connection_context():
        post = Post.create(officer=officer, designation=district_designation(), district=district)
    response = delete_row(admin_client, "officer", officer.id)
    assert not errors(response), errors(response)
    assert [(e.action, e.model_name, e.row_id) for e in entries()] == [
        ("delete", "officer", str(officer.id)), ("delete", "post", str(post.id)),
        ("revoke", "role_grant", str(grant.id))]


def test_an_officer_with_a_trail_is_not_deleted(admin_client, catalogue):
    officer, _, _ = officer_with_grant()
    with database.connection_context():
        audit.record(officer, "view", department("REV"))
        before = snapshot()
    response = delete_row(admin_client, "officer", officer.id)
    assert "audit log entries (1)" in errors(response)
    with database.connection_context():
        assert snapshot() == before


# --- the screen -------------------------------------------------------------------

@pytest.fixture
def trail(app, catalogue, state_admin):
    """Entries by two officers on two kinds of rows; one made just after midnight IST on 2 January."""
    with database.connection_context():
        clerk = make_officer("clerk@example.gov.in")
        revenue = department("REV")
        district = District.select().first()
        early = audit.record(state_admin, "update", revenue, {"name_en": "Revenue"},
                             {"name_en": "Revenue and Disaster Management"})
        late = audit.record(clerk, "create", district, None, {"code": "XYZ"})
        # No way to backdate through the model (it is append-only); the test reaches past it.
        AuditEntry.insert(at=datetime.datetime(2026, 1, 1, 18, 45), officer=clerk, action="delete",
                          model_name="area", row_id="99", changes={"code": ["OLD", None]}).execute()
    return early, late, clerk


def rows_listed(page):
    return page.get_data(as_text=True).count('<td class="col-row_id">')


def test_the_screen_lists_entries_in_words_and_ist(admin_client, trail):
    page = admin_client.get("/admin/audit/").get_data(as_text=True)
    assert "Name (English): Revenue → Revenue and Disaster Management" in page
    assert "Code: XYZ" in page and "Code: OLD" in page
    assert "02-01-2026 00:15" in page  # 18:45 UTC on 1 January
    assert "clerk" in page and "Changed" in page and "Deleted" in page


@pytest.mark.parametrize("name, value, expected", [
    ("Kind of row", "department", 1),
    ("Action", "create", 1),
    ("Row", "99", 1),
    ("Date (IST)", "2026-01-02 to 2026-01-02", 1),
    ("Date (IST)", "2026-01-01 to 2026-01-01", 0),
])
def test_filters(app, admin_client, trail, name, value, expected):
    page = admin_client.get(filter_url(app, "audit", name, value))
    assert rows_listed(page) == expected


def test_filter_by_officer(app, admin_client, trail):
    _, _, clerk = trail
    page = admin_client.get(filter_url(app, "audit", "Officer", clerk.id))
    assert rows_listed(page) == 2


def test_export_is_plain_text(admin_client, trail):
    text = admin_client.get("/admin/audit/export/csv/").get_data(as_text=True)
    assert "Name (English): Revenue → Revenue and Disaster Management" in text and "<br>" not in text


@pytest.mark.parametrize("role, grant", [
    ("department_admin", {"department": "REV"}),
    ("district_admin", {"district": True}),
    ("counter_operator", {"district": True}),
])
def test_only_state_administrators_see_the_screen(app, client, trail, role, grant):
    with database.connection_context():
        where = {"department": department("REV")} if "department" in grant else {"district": District.select().first()}
    make_officer("other.admin@example.gov.in", role, **where)
    login(client, "other.admin@example.gov.in")
    for url in ("/admin/audit/", f"/admin/audit/details/?id={trail[0].id}", "/admin/audit/export/csv/"):
        assert client.get(url).status_code == 403, url
    assert "/admin/audit/" not in client.get("/admin/").get_data(as_text=True)


def test_the_state_administrator_finds_it_in_the_menu(admin_client, trail):
    assert 'href="/admin/audit/"' in admin_client.get("/admin/").get_data(as_text=True)


def test_nobody_creates_edits_or_deletes_entries_through_the_screen(admin_client, trail):
    early, _, _ = trail
    with database.connection_context():
        before = snapshot()
    list_page = admin_client.get("/admin/audit/").get_data(as_text=True)
    assert "/admin/audit/new/" not in list_page and "/admin/audit/edit/" not in list_page
    assert 'value="delete"' not in list_page and "/admin/audit/delete/" not in list_page
    for url in ("/admin/audit/new/", f"/admin/audit/edit/?id={early.id}"):
        assert admin_client.get(url).status_code == 302, url
        submit(admin_client, url, {"note": "rewritten", "action": "view"}, form_url="/admin/audit/")
    delete_row(admin_client, "audit", early.id)
    delete_action(admin_client, "audit", early.id)
    with database.connection_context():
        assert snapshot() == before
