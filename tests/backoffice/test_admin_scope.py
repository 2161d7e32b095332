"""Flask-Admin's known leaks, each closed and shown here on its own; the matrix walks them all together."""
import re

import pytest

from backoffice.admin.base import SecureViewMixin
from models import (
    Area, Officer, Post, RoleGrant, Service, ServiceRequest, database,
)
from tests.backoffice.admin_support import admin_views, errors
from tests.conftest import PASSWORD
from tests.rows import snapshot
from tests.backoffice.scope_support import form_data, listed_ids, log_in, outcome, world  # noqa: F401 (fixture)


def ask(client, method, url, token, **data):
    """The outcome of a request, to compare with another's."""
    return outcome(client, client.open(url, method=method, data={**data, "csrf_token": token}))


def save(client, url, token, **data):
    """Post a form and return the page the officer ends on."""
    return client.post(url, data={**data, "csrf_token": token}, follow_redirects=True)


def saved(page):
    return "Record was successfully" in page.get_data(as_text=True) and not errors(page)


def test_every_admin_view_declares_its_scope(app):
    for view in admin_views(app):
        assert isinstance(view, SecureViewMixin), f"{view.endpoint} skips the log-in and scope checks"
        assert view.scoped_models, f"{view.endpoint} declares no scoped_models"
        model = getattr(view, "model", None)
        assert model is None or model in view.scoped_models, view.endpoint


@pytest.mark.parametrize("page, method", [("edit/?id={id}", "GET"), ("edit/?id={id}", "POST"),
                                          ("details/?id={id}", "GET"), ("delete/", "POST")])
def test_another_departments_service_reads_as_missing(client, world, page, method):
    token = log_in(client, world.rev_admin)
    url = "/admin/service/" + page
    outside = ask(client, method, url.format(id=world.ulb_service.id), token, id=world.ulb_service.id,
                  code="STOLEN", department=world.rev.id)
    missing = ask(client, method, url.format(id=999999), token, id=999999, code="STOLEN", department=world.rev.id)
    assert outside == missing
    assert Service.get_by_id(world.ulb_service.id).code == "ULB-TRADE"


def test_a_row_seen_but_not_editable_opens_as_missing_on_the_edit_page(client, world):
    # Employed by his department, he sees himself among its officers; he edits any of them but himself.
    Officer.update(department=world.rev).where(Officer.id == world.rev_admin.id).execute()
    token = log_in(client, world.rev_admin)
    assert world.rev_admin.id in listed_ids(client.get("/admin/officer/"))
    mine = ask(client, "GET", f"/admin/officer/edit/?id={world.rev_admin.id}", token)
    assert mine == ask(client, "GET", "/admin/officer/edit/?id=999999", token)
    assert mine[2] == (("error", "Record does not exist."),)


def test_bulk_delete_acts_only_within_scope(client, world):
    spare = Area.create(district=world.amb, code="AMB-S", name_en="Spare", name_hi="अतिरिक्त", kind="block")
    token = log_in(client, world.amb_admin)
    answer = ask(client, "POST", "/admin/area/action/", token, action="delete",
                 rowid=[spare.id, world.hsr_block.id])
    assert ("success", "1 row deleted.") in answer[2]
    assert Area.get_or_none(Area.id == spare.id) is None
    assert Area.get_or_none(Area.id == world.hsr_block.id) is not None


def options(page, name):
    """The values offered by the select `name` on a form page, but the blank one."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page.get_data(as_text=True), re.S)
    return set(re.findall(r'<option[^>]*value="([^"]*)"', select.group(1))) - {"__None"}


def test_select_fields_offer_only_rows_in_scope(client, world):
    log_in(client, world.rev_admin)
    page = client.get("/admin/service/new/")
    assert options(page, "department") == {str(world.rev.id)}
    assert options(page, "designated_officer") == {str(world.tehsildar.id)}
    officer_page = client.get("/admin/officer/new/")
    assert options(officer_page, "department") == {str(world.rev.id)}
    assert world.eo.name not in officer_page.get_data(as_text=True)


def service_form(world, **changes):
    return {"code": "REV-NEW", "name_en": "New", "name_hi": "नया", "department": world.rev.id,
            "category": "certificates", "tat_value": "7", "tat_unit": "working_days",
            "designated_officer": "__None", "first_appellate": "__None", "second_appellate": "__None",
            "fee": "0", "status": "draft", **changes}


def test_a_forged_department_is_refused_on_create_and_edit(client, world):
    token = log_in(client, world.rev_admin)
    client.post("/admin/service/new/", data={**service_form(world, department=world.ulb.id), "csrf_token": token})
    assert Service.get_or_none(Service.code == "REV-NEW") is None
    client.post(f"/admin/service/edit/?id={world.rev_service.id}",
                data={**service_form(world, code="REV-SC", department=world.ulb.id), "csrf_token": token})
    assert Service.get_by_id(world.rev_service.id).department_id == world.rev.id
    client.post("/admin/service/new/", data={**service_form(world, designated_officer=world.eo.id),
                                             "csrf_token": token})
    assert Service.get_or_none(Service.code == "REV-NEW") is None


@pytest.mark.parametrize("changes, message", [
    ({"code": "HACKED"}, "a service's code cannot be changed once it is created"),
    ({"code": "a b 🙏 <x>"}, "a service's code cannot be changed once it is created"),
    ({"fee": "-100"}, "the fee must be from 0 to 100000 rupees"),
    ({"fee": "100000.01"}, "the fee must be from 0 to 100000 rupees"),
    ({"tat_value": "99999999999999999999"}, "a time limit is at most 365 working days"),
    ({"tat_value": "366"}, "a time limit is at most 365 working days"),
    ({"tat_value": "721", "tat_unit": "hours"}, "a time limit is at most 720 hours"),
])
def test_a_services_edit_keeps_its_code_and_sane_fee_and_time_limit(client, world, changes, message):
    token = log_in(client, world.rev_admin)
    before = snapshot()
    page = save(client, f"/admin/service/edit/?id={world.rev_service.id}", token,
                **service_form(world, **{"code": "REV-SC", **changes}))
    assert message in page.get_data(as_text=True).replace("&#39;", "'"), errors(page)
    assert snapshot() == before


def test_a_new_services_code_follows_the_catalogue_files_rule(client, world):
    token = log_in(client, world.rev_admin)
    before = snapshot()
    page = save(client, "/admin/service/new/", token, **service_form(world, code="a b 🙏 <x>"))
    assert "is not a service code" in page.get_data(as_text=True)
    assert snapshot() == before
    page = client.get(f"/admin/service/edit/?id={world.rev_service.id}").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="code"[^>]*readonly', page) or re.search(r'readonly[^>]*id="code"', page)


def test_a_new_row_lands_in_the_one_department_or_district_held(app, client, world):
    token = log_in(client, world.rev_admin)
    page = save(client, "/admin/officer/new/", token, name="New Clerk", email="clerk@x.in", mobile="",
                department="__None", language="en", active="y", password=PASSWORD)
    assert saved(page), errors(page)
    assert Officer.get(Officer.email == "clerk@x.in").department_id == world.rev.id

    other = app.test_client()
    page = save(other, "/admin/area/new/", log_in(other, world.amb_admin), district=world.amb.id, code="AMB-N",
                name_en="New", name_hi="नया", kind="block")
    assert saved(page), errors(page)
    assert Area.get(Area.code == "AMB-N").district_id == world.amb.id


def officer_edit(client, officer, **changes):
    page = client.get(f"/admin/officer/edit/?id={officer.id}")
    assert page.status_code == 200
    return {**form_data(page), **changes}


def test_grants_inline_need_an_equal_or_higher_role_over_them(client, world):
    token = log_in(client, world.rev_admin)
    url = f"/admin/officer/edit/?id={world.tehsildar_amb.id}"
    grant = {"grants-0-role": "state_admin", "grants-0-department": "__None", "grants-0-district": "__None"}
    page = save(client, url, token, **officer_edit(client, world.tehsildar_amb, **grant))
    assert "outside your jurisdiction" in errors(page)
    assert not RoleGrant.select().where(RoleGrant.officer == world.tehsildar_amb.id).exists()

    grant = {**grant, "grants-0-role": "department_admin", "grants-0-department": str(world.rev.id)}
    page = save(client, url, token, **officer_edit(client, world.tehsildar_amb, **grant))
    assert saved(page), errors(page)
    assert RoleGrant.get(RoleGrant.officer == world.tehsildar_amb.id).role == "department_admin"


def test_inline_rows_outside_scope_are_kept(client, world):
    """A department administrator edits an officer who also holds a post in another department."""
    other = Post.create(officer=world.tehsildar_amb, designation=world.eo, district=world.hsr)
    token = log_in(client, world.rev_admin)
    url = f"/admin/officer/edit/?id={world.tehsildar_amb.id}"
    data = officer_edit(client, world.tehsildar_amb, name="Renamed")
    index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-id") and v == [str(other.id)])
    assert saved(save(client, url, token, **data))
    assert Officer.get_by_id(world.tehsildar_amb.id).name == "Renamed"

    changed = save(client, url, token, **{**data, f"posts-{index}-district": str(world.amb.id)})
    removed = save(client, url, token, **{**data, f"del-posts-{index}": "y"})
    assert "outside your jurisdiction" in errors(changed) and "may not remove" in errors(removed)
    assert Post.get_by_id(other.id).district_id == world.hsr.id


def test_nobody_raises_his_own_grants(client, world):
    token = log_in(client, world.state)
    grant = {"grants-1-role": "helpdesk_agent", "grants-1-department": "__None", "grants-1-district": "__None"}
    page = save(client, f"/admin/officer/edit/?id={world.state.id}", token, **officer_edit(client, world.state, **grant))
    assert "outside your jurisdiction" in errors(page)
    assert RoleGrant.select().where(RoleGrant.officer == world.state.id).count() == 1


def menu(client):
    page = client.get("/admin/").get_data(as_text=True)
    return {view for view in ("service", "department", "designation", "district", "area", "officer",
                              "citizen", "request") if f'href="/admin/{view}/"' in page}


@pytest.mark.parametrize("role, expected", [
    ("tehsildar_amb", {"request"}),
    ("counter", {"service", "department", "district", "area", "request"}),
    ("amb_admin", {"service", "department", "designation", "district", "area", "officer", "citizen", "request"}),
])
def test_the_menu_shows_what_the_scope_offers(client, world, role, expected):
    log_in(client, getattr(world, role))
    assert menu(client) == expected


def test_a_field_officer_lists_only_his_requests(client, world):
    log_in(client, world.tehsildar_amb)
    assert listed_ids(client.get("/admin/request/")) == {world.requests["REV", "AMB"].id}
    assert client.get("/admin/service/").status_code == 403


def test_district_admin_sees_services_but_no_buttons_to_change_them(client, world):
    log_in(client, world.amb_admin)
    page = client.get("/admin/service/").get_data(as_text=True)
    assert "/admin/service/new/" not in page and "/admin/service/edit/" not in page
    assert 'value="delete"' not in page


def test_list_costs_the_same_queries_however_many_rows(app, client, world, monkeypatch):
    log_in(client, world.state)
    executed = []
    real = database.obj.execute_sql
    monkeypatch.setattr(database.obj, "execute_sql", lambda sql, *a, **k: executed.append(sql) or real(sql, *a, **k))

    def queries(url):
        executed.clear()
        assert client.get(url).status_code == 200
        return len(executed)

    few = {endpoint: queries(f"/admin/{endpoint}/") for endpoint in ("request", "service", "citizen", "officer")}
    template = world.requests["REV", "AMB"]
    for n in range(10):
        ServiceRequest.create(tracking_number=f"HR-2026-0000-000{n}", citizen=template.citizen,
                              service=world.ulb_service, district=world.hsr, assigned_officer=world.eo_hsr)
        Service.create(code=f"S{n}", name_en="s", name_hi="s", department=world.ulb, category="c")
        Officer.create(name=f"o{n}", email=f"o{n}@x.in", department=world.rev)
    many = {endpoint: queries(f"/admin/{endpoint}/") for endpoint in few}
    assert many == few

