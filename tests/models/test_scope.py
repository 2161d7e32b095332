"""The jurisdiction rules of models/scope.py, on a small world of two departments and two districts."""
import pytest

from models import (
    Area, Citizen, Department, Designation, District, HelpTicket, Officer, Post, RoleGrant,
    Service, ServiceRequest, scope,
)


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    w.amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
    w.hsr = District.create(code="HSR", name_en="Hisar", name_hi="हिसार")
    w.amb_tehsil = Area.create(district=w.amb, code="AMB-T", name_en="Ambala tehsil", name_hi="अंबाला तहसील",
                               kind="tehsil")
    w.rev = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
    w.ulb = Department.create(code="ULB", name_en="Urban Local Bodies", name_hi="शहरी स्थानीय निकाय")
    w.tehsildar = Designation.create(department=w.rev, name="Tehsildar", level="area")
    w.eo = Designation.create(department=w.ulb, name="Executive Officer", level="area")
    w.rev_service = Service.create(code="REV-SC", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र",
                                   department=w.rev, category="certificates", tat_value=7,
                                   tat_unit="working_days", status="published")
    w.ulb_service = Service.create(code="ULB-TRADE", name_en="Trade licence", name_hi="व्यापार लाइसेंस",
                                   department=w.ulb, category="licences", tat_value=15,
                                   tat_unit="working_days", status="published")

    def officer(email, role=None, **grant):
        o = Officer.create(name=email, email=email)
        if role:
            RoleGrant.create(officer=o, role=role, **grant)
        return o

    w.state = officer("state@x.in", "state_admin")
    w.rev_admin = officer("rev@x.in", "department_admin", department=w.rev)
    w.amb_admin = officer("amb@x.in", "district_admin", district=w.amb)
    w.counter = officer("counter@x.in", "counter_operator", district=w.amb)
    w.agent = officer("agent@x.in", "helpdesk_agent")
    w.tehsildar_amb = officer("tehsildar@x.in")
    Post.create(officer=w.tehsildar_amb, designation=w.tehsildar, area=w.amb_tehsil)
    w.eo_hsr = officer("eo@x.in")
    Post.create(officer=w.eo_hsr, designation=w.eo, district=w.hsr)
    w.nobody = officer("nobody@x.in")

    w.requests = {}
    for service in (w.rev_service, w.ulb_service):
        for district in (w.amb, w.hsr):
            citizen = Citizen.create(mobile=f"98{service.id:03d}{district.id:05d}")
            assigned = w.tehsildar_amb if (service, district) == (w.rev_service, w.amb) else w.eo_hsr
            filed_by = w.counter if district == w.amb and service == w.ulb_service else None
            w.requests[service.department.code, district.code] = ServiceRequest.create_with_tracking_number(
                citizen=citizen, service=service, district=district, assigned_officer=assigned, filed_by=filed_by)
    HelpTicket.create(number="JS-000001", channel="email", request=w.requests["REV", "HSR"])
    return w


def visible(officer, model):
    return set(scope.rows(officer, model))


def keys(world, officer):
    by_id = {r.id: key for key, r in world.requests.items()}
    return {by_id[r.id] for r in scope.rows(officer, ServiceRequest)}


def test_requests_each_role_sees(world):
    assert keys(world, world.state) == {("REV", "AMB"), ("REV", "HSR"), ("ULB", "AMB"), ("ULB", "HSR")}
    assert keys(world, world.rev_admin) == {("REV", "AMB"), ("REV", "HSR")}
    assert keys(world, world.amb_admin) == {("REV", "AMB"), ("ULB", "AMB")}
    assert keys(world, world.tehsildar_amb) == {("REV", "AMB")}
    assert keys(world, world.eo_hsr) == {("REV", "HSR"), ("ULB", "AMB"), ("ULB", "HSR")}
    assert keys(world, world.counter) == {("ULB", "AMB")}
    assert keys(world, world.agent) == set()
    assert keys(world, world.nobody) == set()


def test_citizens_follow_their_requests(world):
    rev_citizens = {world.requests["REV", d].citizen_id for d in ("AMB", "HSR")}
    assert {c.id for c in visible(world.rev_admin, Citizen)} == rev_citizens
    assert visible(world.nobody, Citizen) == set()


def test_a_deactivated_officer_sees_nothing(world):
    world.rev_admin.active = False
    world.rev_admin.save()
    officer = Officer.get_by_id(world.rev_admin.id)
    assert visible(officer, ServiceRequest) == set()
    assert visible(officer, Service) == set()


def test_department_admin_changes_only_his_department(world):
    assert visible(world.rev_admin, Service) == {world.rev_service}
    assert set(scope.rows(world.rev_admin, Service, "edit")) == {world.rev_service}
    assert scope.get(world.rev_admin, Service, world.ulb_service.id) is None
    assert scope.get(world.rev_admin, Service, world.ulb_service.id, "edit") is None
    assert set(scope.rows(world.amb_admin, Service, "edit")) == set()


def test_officers_in_scope(world):
    assert world.tehsildar_amb in visible(world.rev_admin, Officer)
    assert world.eo_hsr not in visible(world.rev_admin, Officer)
    assert world.tehsildar_amb in visible(world.amb_admin, Officer)
    assert world.eo_hsr not in visible(world.amb_admin, Officer)
    assert world.rev_admin not in set(scope.rows(world.rev_admin, Officer, "edit"))


def test_tickets_linked_to_requests_in_scope(world):
    assert len(visible(world.agent, HelpTicket)) == 1
    assert len(visible(world.rev_admin, HelpTicket)) == 1
    assert visible(world.amb_admin, HelpTicket) == set()


@pytest.mark.parametrize("granter, role, where, allowed", [
    ("state", "department_admin", {"department": "ulb"}, True),
    ("rev_admin", "department_admin", {"department": "rev"}, True),
    ("rev_admin", "department_admin", {"department": "ulb"}, False),
    ("rev_admin", "district_admin", {"district": "amb"}, False),
    ("rev_admin", "state_admin", {}, False),
    ("amb_admin", "counter_operator", {"district": "amb"}, True),
    ("amb_admin", "counter_operator", {"district": "hsr"}, False),
    ("amb_admin", "helpdesk_agent", {}, False),
    ("counter", "counter_operator", {"district": "amb"}, False),
])
def test_who_may_grant_what(world, granter, role, where, allowed):
    ids = {f"{k}_id": getattr(world, v).id for k, v in where.items()}
    assert scope.may_grant(getattr(world, granter), world.nobody, role, **ids) is allowed


def test_nobody_raises_his_own_grants(world):
    assert not scope.may_grant(world.state, world.state, "helpdesk_agent")
    assert not scope.may_grant(world.rev_admin, world.rev_admin, "department_admin", department_id=world.rev.id)


def test_may_create_forces_the_jurisdiction(world):
    own = Service(code="REV-NEW", name_en="n", name_hi="n", department=world.rev, category="c")
    other = Service(code="ULB-NEW", name_en="n", name_hi="n", department=world.ulb, category="c")
    assert scope.may_create(world.rev_admin, own)
    assert not scope.may_create(world.rev_admin, other)
    assert not scope.may_create(world.amb_admin, own)


def test_personal_data_in_full_only_for_those_handling(world):
    request = world.requests["ULB", "AMB"]
    assert scope.handles(world.counter, request)
    assert scope.handles(world.eo_hsr, request)
    assert not scope.handles(world.amb_admin, request)
    assert scope.mask("9876543210") == "••••••3210"
    assert scope.mask("ab") == "ab"
