"""The jurisdiction rules of models/scope.py, on a small world of two departments and two districts."""
import pytest

from models import (
    Area, Citizen, Department, Designation, District, HelpTicket, Officer, Post, RoleGrant,
    Service, ServiceRequest, TicketMessage, helpdesk, scope,
)
from tests.world import build


@pytest.fixture
def world(db):
    return build()


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
    assert not scope.may_create(world.state, RoleGrant(officer=world.state, role="helpdesk_agent"))


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


ADMIN_MODELS = (District, Area, Department, Designation, Service, Officer, Citizen, ServiceRequest)


@pytest.mark.parametrize("who, expected", [
    ("state", set(ADMIN_MODELS)),
    ("rev_admin", {District, Area, Department, Designation, Service, Officer, Citizen, ServiceRequest}),
    ("amb_admin", {District, Area, Department, Designation, Service, Officer, Citizen, ServiceRequest}),
    ("counter", {District, Area, Department, Service, ServiceRequest}),
    ("agent", {District, Area, Department, Service, ServiceRequest}),
    ("tehsildar_amb", {ServiceRequest}),
    ("nobody", set()),
])
def test_what_each_role_is_offered_to_see(world, who, expected):
    officer = getattr(world, who)
    assert {model for model in ADMIN_MODELS if scope.offers(officer, model)} == expected
    # What is not offered holds no rows either (the look-up aside: it needs a search).
    for model in set(ADMIN_MODELS) - expected:
        assert not visible(officer, model), model


@pytest.mark.parametrize("who, action, expected", [
    ("rev_admin", "create", {Designation, Service, Officer}),
    ("rev_admin", "edit", {Department, Designation, Service, Officer}),
    ("amb_admin", "create", {Area}),
    ("amb_admin", "delete", {Area}),
    ("counter", "edit", set()),
    ("tehsildar_amb", "edit", set()),
])
def test_what_each_role_is_offered_to_change(world, who, action, expected):
    officer = getattr(world, who)
    assert {model for model in ADMIN_MODELS if scope.offers(officer, model, action)} == expected


def test_a_field_officer_sees_his_requests_and_nothing_else(world):
    assert scope.enters(world.tehsildar_amb)
    for model in (District, Area, Department, Designation, Service, Officer, Citizen):
        assert visible(world.tehsildar_amb, model) == set(), model


def test_who_enters_the_back_office(world):
    assert all(scope.enters(getattr(world, who)) for who in ("state", "rev_admin", "counter", "agent", "eo_hsr"))
    assert not scope.enters(world.nobody)


def test_a_new_row_is_placed_in_the_one_jurisdiction_held(world):
    service = Service(code="NEW", name_en="n", name_hi="n", category="c")
    scope.place(world.rev_admin, service)
    assert service.department_id == world.rev.id and scope.may_create(world.rev_admin, service)
    area = Area(code="NEW", name_en="n", name_hi="n", kind="block")
    scope.place(world.amb_admin, area)
    assert area.district_id == world.amb.id
    untouched = Service(code="NEW", name_en="n", name_hi="n", category="c")
    scope.place(world.state, untouched)
    assert untouched.department_id is None


def test_a_second_jurisdiction_leaves_the_choice_to_the_form(world):
    RoleGrant.create(officer=world.rev_admin, role="department_admin", department=world.ulb)
    officer = Officer.get_by_id(world.rev_admin.id)
    service = Service(code="NEW", name_en="n", name_hi="n", category="c")
    scope.place(officer, service)
    assert service.department_id is None


def targets(officer, column):
    return set(column.rel_model.select().where(scope.targets(officer, column)))


def test_forms_point_only_at_rows_in_scope(world):
    assert targets(world.rev_admin, Service.department) == {world.rev}
    assert targets(world.rev_admin, Service.designated_officer) == {world.tehsildar}
    assert targets(world.rev_admin, Post.district) == {world.amb, world.hsr}
    assert targets(world.amb_admin, Area.district) == {world.amb}
    assert targets(world.amb_admin, RoleGrant.district) == {world.amb}
    assert targets(world.rev_admin, RoleGrant.district) == set()
    assert targets(world.state, Service.department) == {world.rev, world.ulb}


def test_a_change_may_not_move_a_row_out_of_scope(world):
    service = Service.get_by_id(world.rev_service.id)
    service.name_en = "Renamed"
    assert scope.may_change(world.rev_admin, service)
    service.department = world.ulb
    assert not scope.may_change(world.rev_admin, service)
    assert scope.may_change(world.state, service)
    other = Service.get_by_id(world.ulb_service.id)
    other.name_en = "Renamed"
    assert not scope.may_change(world.rev_admin, other)


def test_posts_edited_with_an_officer_change_only_within_scope(world):
    Post.create(officer=world.tehsildar_amb, designation=world.eo, district=world.hsr)
    other = Post.get(Post.designation == world.eo, Post.officer == world.tehsildar_amb)
    assert scope.may_change(world.rev_admin, other)  # saved back as it was
    other.additional_charge = True
    assert not scope.may_change(world.rev_admin, other)
    own = Post.get(Post.designation == world.tehsildar)
    own.district, own.area = world.amb, None
    assert scope.may_change(world.rev_admin, own)


def test_help_desk_agents_look_requests_up_by_number_or_mobile(world):
    request = world.requests["REV", "HSR"]
    loose = request.tracking_number.lower().replace("-", " ")
    assert set(scope.lookup_requests(world.agent, loose)) == {request}
    assert set(scope.lookup_requests(world.agent, request.citizen.mobile)) == {request}
    assert set(scope.lookup_requests(world.agent, request.citizen.mobile[:-1])) == set()
    assert set(scope.lookup_requests(world.agent, "")) == set()


def test_counter_operators_look_up_by_number_in_their_district(world):
    own = world.requests["ULB", "AMB"]
    in_district, elsewhere = world.requests["REV", "AMB"], world.requests["REV", "HSR"]
    assert set(scope.lookup_requests(world.counter, "")) == {own}
    assert set(scope.lookup_requests(world.counter, in_district.tracking_number)) == {own, in_district}
    assert set(scope.lookup_requests(world.counter, elsewhere.tracking_number)) == {own}
    assert set(scope.lookup_requests(world.counter, in_district.citizen.mobile)) == {own}


def test_others_look_nothing_up(world):
    elsewhere = world.requests["ULB", "HSR"]
    for who in ("rev_admin", "amb_admin", "tehsildar_amb", "nobody"):
        officer = getattr(world, who)
        assert elsewhere not in set(scope.lookup_requests(officer, elsewhere.tracking_number)), who


def test_personal_data_in_full_for_the_agent_of_the_citizens_ticket(world):
    request = world.requests["REV", "AMB"]
    assert not scope.handles(world.agent, request)
    HelpTicket.create(number="JS-000002", channel="app", requester_citizen=request.citizen, assigned_agent=world.agent)
    assert scope.handles(world.agent, request)
    full = set(Citizen.select().where(scope.in_full(world.agent, Citizen)))
    assert full == {request.citizen}
    assert set(Citizen.select().where(scope.in_full(world.state, Citizen))) == set()


def test_a_persons_own_tickets_and_their_threads_without_notes_or_machine_mail(world):
    request = world.requests["REV", "AMB"]
    citizen, other = request.citizen, world.requests["ULB", "AMB"].citizen
    mine = helpdesk.open_ticket(citizen, "Late", "Where is it?", request=request)
    helpdesk.reply(mine, world.agent, "Tomorrow.")
    helpdesk.add_note(mine, world.agent, "Clerk on leave.")
    helpdesk.add_message(mine, "inbound", "I am out of office.", category="auto_reply")
    theirs = helpdesk.open_ticket(world.amb_admin, "Routing", "Wrong officer?")
    assert mine.request_id == request.id
    assert set(HelpTicket.select().where(scope.own(citizen, HelpTicket))) == {mine}
    assert set(HelpTicket.select().where(scope.own(world.amb_admin, HelpTicket))) == {theirs}
    assert not HelpTicket.select().where(scope.own(other, HelpTicket)).exists()
    thread = TicketMessage.select().where(scope.own(citizen, TicketMessage)).order_by(TicketMessage.id)
    assert [m.body_text for m in thread] == ["Where is it?", "Tomorrow."]
    # An officer has no requests of his own through the app.
    assert not ServiceRequest.select().where(scope.own(world.amb_admin, ServiceRequest)).exists()
