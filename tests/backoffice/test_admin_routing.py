"""Routing on the officers' screen: leave, nodal posts, and moving an officer's open requests to another holder."""
import re

import pytest

from models import (
    Area, AuditEntry, Citizen, Department, Designation, District, Officer, Post, RequestEvent, RoleGrant, Service,
    ServiceRequest, database,
)
from tests.backoffice.admin_support import errors, submit
from tests.backoffice.scope_support import form_data, listed_ids, log_in
from tests.conftest import make_officer


class World:
    pass


@pytest.fixture
def world(app):
    w = World()
    with database.connection_context():
        w.amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
        w.hsr = District.create(code="HSR", name_en="Hisar", name_hi="हिसार")
        w.tehsil = Area.create(district=w.amb, code="AMB-T", name_en="Ambala tehsil", name_hi="अंबाला तहसील",
                               kind="tehsil")
        w.naraingarh = Area.create(district=w.amb, code="AMB-N", name_en="Naraingarh", name_hi="नारायणगढ़",
                                   kind="tehsil")
        w.hsr_block = Area.create(district=w.hsr, code="HSR-B", name_en="Hisar block", name_hi="हिसार खंड",
                                  kind="block")
        w.rev = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
        w.ulb = Department.create(code="ULB", name_en="Urban Local Bodies", name_hi="शहरी स्थानीय निकाय")
        w.tehsildar = Designation.create(department=w.rev, name="Tehsildar", level="area")
        w.eo = Designation.create(department=w.ulb, name="Executive Officer", level="area")
        w.service = Service.create(code="REV-SC", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र",
                                   department=w.rev, category="certificates", tat_value=7, tat_unit="working_days",
                                   status="published", designated_officer=w.tehsildar)

        def holder(name, designation, area, **fields):
            o = Officer.create(name=name, email=f"{name}@x.in", department=designation.department, **fields)
            Post.create(officer=o, designation=designation, area=area)
            return o

        w.leaving = holder("leaving", w.tehsildar, w.tehsil)
        w.taking = holder("taking", w.tehsildar, w.tehsil)
        w.away = holder("away", w.tehsildar, w.tehsil, on_leave=True)
        w.naraingarh_tehsildar = holder("naraingarh", w.tehsildar, w.naraingarh)
        w.hisar = holder("hisar", w.tehsildar, w.hsr_block)
        w.eo_amb = holder("eo", w.eo, w.tehsil)
        citizen = Citizen.create(mobile="9876500001")
        w.open = [ServiceRequest.create_with_tracking_number(
            citizen=citizen, service=w.service, district=w.amb, area=w.tehsil, status=status,
            assigned_officer=w.leaving) for status in ("assigned", "in_progress")]
        w.closed = ServiceRequest.create_with_tracking_number(
            citizen=citizen, service=w.service, district=w.amb, area=w.tehsil, status="delivered",
            assigned_officer=w.leaving)
    w.rev_admin = make_officer("rev@x.in", "department_admin", department=w.rev)
    w.ulb_admin = make_officer("ulb@x.in", "department_admin", department=w.ulb)
    w.amb_admin = make_officer("amb@x.in", "district_admin", district=w.amb)
    w.state = make_officer("state@x.in", "state_admin")
    return w


def move_url(officer):
    return f"/admin/officer/move/?id={officer.id}"


def text(page):
    return re.sub(r"\s+", " ", page.get_data(as_text=True))


def targets(page):
    select = re.search(r'<select[^>]*name="to_officer"[^>]*>(.*?)</select>', page.get_data(as_text=True), re.S)
    return set(re.findall(r'<option[^>]*value="(\d+)"', select.group(1))) if select else set()


def assignees(world):
    with database.connection_context():
        return {r.id: (r.assigned_officer_id, r.version) for r in ServiceRequest.select()}


def history():
    with database.connection_context():
        return (list(RequestEvent.select().order_by(RequestEvent.id).dicts()),
                list(AuditEntry.select().order_by(AuditEntry.id).dicts()))


def unchanged(world, before):
    return (assignees(world), history()) == before


def state_of(world):
    return assignees(world), history()


@pytest.mark.parametrize("admin", ["rev_admin", "amb_admin"])
def test_an_administrator_moves_an_officers_open_requests(client, world, admin):
    log_in(client, getattr(world, admin))
    listing = client.get("/admin/officer/")
    assert move_url(world.leaving) in text(listing).replace("&amp;", "&")
    page = client.get(move_url(world.leaving))
    assert page.status_code == 200
    assert "2 open requests are assigned to him." in text(page)
    # At work, holding the post somewhere in his jurisdiction: the Hisar tehsildar is the department's alone.
    expected = {world.taking, world.naraingarh_tehsildar} | ({world.hisar} if admin == "rev_admin" else set())
    assert targets(page) == {str(o.id) for o in expected}

    done = submit(client, move_url(world.leaving), {"designation": "0", "to_officer": world.taking.id,
                                                    "note": "Transferred to Panchkula."})
    assert "2 open requests moved to taking." in text(done), errors(done)
    with database.connection_context():
        for before in world.open:
            after = ServiceRequest.get_by_id(before.id)
            assert (after.assigned_officer_id, after.version) == (world.taking.id, before.version + 1)
            event = RequestEvent.get(RequestEvent.request == before.id)
            assert (event.kind, event.officer_id) == ("reassigned", getattr(world, admin).id)
            assert "Transferred to Panchkula." in event.note
        assert ServiceRequest.get_by_id(world.closed.id).assigned_officer_id == world.leaving.id
        entry = AuditEntry.get(AuditEntry.model_name == "officer")
        assert (entry.officer_id, entry.row_id) == (getattr(world, admin).id, str(world.leaving.id))
    # Nothing left to move: the page says so and offers no form.
    again = client.get(move_url(world.leaving))
    assert "0 open requests are assigned to him." in text(again) and not targets(again)


def test_a_refused_move_says_why_and_changes_nothing(client, world):
    log_in(client, world.rev_admin)
    before = state_of(world)
    page = submit(client, move_url(world.leaving), {"designation": "0", "to_officer": world.hisar.id})
    assert (f"hisar does not hold the post that handles request {world.open[0].tracking_number}"
            in errors(page)), errors(page)
    assert unchanged(world, before)


def test_an_officer_on_leave_or_outside_the_scope_is_not_a_valid_choice(client, world):
    log_in(client, world.amb_admin)
    before = state_of(world)
    for forged in (world.away, world.hisar, world.leaving):
        page = submit(client, move_url(world.leaving), {"designation": "0", "to_officer": forged.id})
        assert "Not a valid choice" in text(page)
    assert unchanged(world, before)


def test_no_move_without_the_forms_token(client, world):
    token = log_in(client, world.rev_admin)
    assert token
    before = state_of(world)
    page = client.post(move_url(world.leaving), data={"designation": "0", "to_officer": world.taking.id},
                       follow_redirects=True)
    assert "The form had expired" in errors(page)
    assert unchanged(world, before)


def test_another_departments_administrator_neither_sees_nor_moves_them(client, world):
    log_in(client, world.ulb_admin)
    assert world.leaving.id not in listed_ids(client.get("/admin/officer/"))
    before = state_of(world)
    for method in ("get", "post"):
        page = getattr(client, method)(move_url(world.leaving), data={"to_officer": world.taking.id},
                                       follow_redirects=True)
        assert "Record does not exist." in errors(page)
        assert page.request.path == "/admin/officer/"
    assert unchanged(world, before)

    # Holding one of his department's posts too, the officer comes into his sight; the requests stay out of reach.
    with database.connection_context():
        Post.create(officer=world.leaving, designation=world.eo, area=world.tehsil, additional_charge=True)
        Post.create(officer=world.taking, designation=world.eo, area=world.tehsil)
    page = client.get(move_url(world.leaving))
    assert str(world.taking.id) in targets(page)
    page = submit(client, move_url(world.leaving), {"designation": "0", "to_officer": world.taking.id})
    assert f"Request {world.open[0].tracking_number} is outside your department and district" in errors(page)
    assert unchanged(world, before)


def test_field_officers_have_no_move_page(client, world):
    with database.connection_context():
        Officer.update(password_hash=Officer.get_by_id(world.state.id).password_hash).where(
            Officer.id == world.taking.id).execute()
    log_in(client, world.taking)
    assert client.get(move_url(world.leaving)).status_code == 403


def test_leave_is_listed_filtered_and_set_by_those_who_edit_the_officer(app, client, world):
    log_in(client, world.rev_admin)
    page = client.get(f"/admin/officer/edit/?id={world.taking.id}")
    data = {**form_data(page), "on_leave": "y"}
    saved = client.post(f"/admin/officer/edit/?id={world.taking.id}", data=data, follow_redirects=True)
    assert "Record was successfully saved." in text(saved), errors(saved)
    with database.connection_context():
        assert Officer.get_by_id(world.taking.id).on_leave
        entry = AuditEntry.get(AuditEntry.model_name == "officer", AuditEntry.row_id == str(world.taking.id))
        assert entry.changes == {"on_leave": [False, True]}
    listing = text(client.get("/admin/officer/"))
    assert "On leave" in listing
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == "officer")
    index = next(i for i, f in enumerate(view._filters) if str(f.name) == "On leave")
    assert listed_ids(client.get(f"/admin/officer/?flt0_{index}=1")) == {world.away.id, world.taking.id}

    # A district administrator sees the officer, and his leave, but edits neither.
    other = app.test_client()
    log_in(other, world.amb_admin)
    assert other.get(f"/admin/officer/edit/?id={world.taking.id}").status_code == 302
    assert "On leave" in text(other.get("/admin/officer/"))


def test_a_post_is_marked_nodal_inline(client, world):
    log_in(client, world.rev_admin)
    url = f"/admin/officer/edit/?id={world.naraingarh_tehsildar.id}"
    data = form_data(client.get(url))
    assert "posts-0-nodal" not in data  # an unchecked box: on the form, not in what it sends
    assert 'name="posts-0-nodal"' in text(client.get(url))
    saved = client.post(url, data={**data, "posts-0-nodal": "y"}, follow_redirects=True)
    assert "Record was successfully saved." in text(saved), errors(saved)
    with database.connection_context():
        assert Post.get(Post.officer == world.naraingarh_tehsildar.id).nodal
        assert not RoleGrant.select().where(RoleGrant.officer == world.naraingarh_tehsildar.id).exists()
