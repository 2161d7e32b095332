"""Deleting a row that others still point at is refused, by the row button and the bulk action alike."""
import pytest

from models import (
    Area, Department, Designation, District, Officer, Post, RoleGrant, Service, ServiceRequest, database,
)
from tests.rows import snapshot
from tests.backoffice.admin_support import (
    delete_action, delete_row, department, errors, make_request, submit,
)
from tests.conftest import make_officer


def department_with_services():
    return "department", department("REV"), "services ("


def service_with_a_request():
    request = make_request()
    return "service", request.service, "requests (1)"


def designation_used_by_a_service():
    used = Designation.get(Designation.id.in_(Service.select(Service.designated_officer)))
    return "designation", used, "services ("


def officer_assigned_a_request():
    officer = make_officer("busy.officer@example.gov.in", "district_admin")
    make_request(officer=officer)
    return "officer", officer, "requests (1)"


def district_with_an_area():
    district = District.select().first()
    Area.create(district=district, code="A1", name_en="Alpha", name_hi="अल्फ़ा", kind="block")
    return "district", district, "areas (1)"


IN_USE = [department_with_services, service_with_a_request, designation_used_by_a_service,
          officer_assigned_a_request, district_with_an_area]


@pytest.mark.parametrize("how", [delete_row, delete_action], ids=["row", "bulk"])
@pytest.mark.parametrize("in_use", IN_USE)
def test_a_row_in_use_is_not_deleted(admin_client, catalogue, in_use, how):
    with database.connection_context():
        endpoint, row, uses = in_use()
        before = snapshot()
    response = how(admin_client, endpoint, row.id)
    message = errors(response)
    assert "cannot be deleted" in message and uses in message, message
    with database.connection_context():
        assert snapshot() == before


def test_bulk_delete_is_all_or_nothing(admin_client, catalogue):
    with database.connection_context():
        spare = Department.create(code="SPR", name_en="Spare", name_hi="अतिरिक्त")
        before = snapshot()
    response = delete_action(admin_client, "department", spare.id, department("REV").id)
    assert "Revenue and Disaster Management" in errors(response)
    with database.connection_context():
        assert snapshot() == before


def test_bulk_delete_of_unused_rows(admin_client, catalogue):
    with database.connection_context():
        spares = [Department.create(code=f"SP{i}", name_en=f"Spare {i}", name_hi="अतिरिक्त") for i in (1, 2)]
        count = Department.select().count()
    response = delete_action(admin_client, "department", *(d.id for d in spares))
    assert "2 rows deleted" in response.get_data(as_text=True)
    with database.connection_context():
        assert Department.select().count() == count - 2


def test_an_officers_posts_and_grants_go_with_him(admin_client, catalogue, state_admin):
    with database.connection_context():
        officer = make_officer("leaving@example.gov.in", "district_admin", district=District.select().first())
        Post.create(officer=officer, designation=Designation.select().first(), district=District.select().first())
        # A grant he made outlives him, without its granter.
        granted = RoleGrant.create(officer=state_admin, role="helpdesk_agent", granted_by=officer)
    response = delete_row(admin_client, "officer", officer.id)
    assert not errors(response), errors(response)
    with database.connection_context():
        assert Officer.get_or_none(Officer.id == officer.id) is None
        assert not Post.select().where(Post.officer == officer.id).exists()
        assert not RoleGrant.select().where(RoleGrant.officer == officer.id).exists()
        assert RoleGrant.get_by_id(granted.id).granted_by is None


def test_requests_cannot_be_deleted_at_all(admin_client, catalogue):
    with database.connection_context():
        request = make_request()
    for response in (delete_row(admin_client, "request", request.id),
                     submit(admin_client, "/admin/request/action/", {"action": "delete", "rowid": request.id},
                            form_url="/admin/request/")):
        assert response.status_code == 200
    with database.connection_context():
        assert ServiceRequest.get_or_none(ServiceRequest.id == request.id) is not None
