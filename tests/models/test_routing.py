"""Routing (models/routing.py): who holds a post for a place, the one officer a request goes to, and the move."""
import pytest

from models import (
    AuditEntry, Area, Citizen, Department, Designation, District, DomainError, Officer, Post, RequestEvent, RoleGrant,
    Service, ServiceRequest, database, routing,
)
from models.deadlines import STOPPED
from tests.rows import snapshot


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    w.amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
    w.hsr = District.create(code="HSR", name_en="Hisar", name_hi="हिसार")
    w.tehsil = Area.create(district=w.amb, code="AMB-T", name_en="Ambala tehsil", name_hi="अंबाला तहसील",
                           kind="tehsil")
    w.naraingarh = Area.create(district=w.amb, code="AMB-N", name_en="Naraingarh", name_hi="नारायणगढ़",
                               kind="tehsil")
    w.rev = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
    w.ulb = Department.create(code="ULB", name_en="Urban Local Bodies", name_hi="शहरी स्थानीय निकाय")
    w.tehsildar = Designation.create(department=w.rev, name="Tehsildar", level="area")
    w.sdm = Designation.create(department=w.rev, name="Sub-Divisional Magistrate", level="district")
    w.eo = Designation.create(department=w.ulb, name="Executive Officer", level="area")
    w.service = Service.create(code="REV-SC", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र",
                               department=w.rev, category="certificates", tat_value=7, tat_unit="working_days",
                               status="published", designated_officer=w.tehsildar, first_appellate=w.sdm)
    w.trade = Service.create(code="ULB-TRADE", name_en="Trade licence", name_hi="व्यापार लाइसेंस",
                             department=w.ulb, category="licences", tat_value=15, tat_unit="working_days",
                             status="published", designated_officer=w.eo)
    w.citizen = Citizen.create(mobile="9876500001")
    return w


def officer(name, *posts, role=None, **grant):
    """An officer holding `posts`, each (designation, place) with place an Area, a District or None (state-wide)."""
    o = Officer.create(name=name, email=f"{name}@x.in")
    for designation, place, *nodal in posts:
        Post.create(officer=o, designation=designation, nodal=bool(nodal),
                    area=place if isinstance(place, Area) else None,
                    district=place if isinstance(place, District) else None)
    if role:
        RoleGrant.create(officer=o, role=role, **grant)
    return o


def request_for(world, assigned=None, area=None, district=None, service=None, status="assigned", **fields):
    area = area if area is not None else world.tehsil
    return ServiceRequest.create_with_tracking_number(
        citizen=world.citizen, service=service or world.service, district=district or area.district,
        area=area or None, status=status, assigned_officer=assigned, **fields)


def found(world, area=None, district=None, designation=None):
    area = world.tehsil if area is None else area
    result = routing.holders(designation or world.tehsildar, (district or area.district).id, area.id if area else None)
    return [o.name for o in result.officers], result.rule


# holders: the rules, in order


def test_the_holder_in_the_area_comes_first(world):
    officer("area", (world.tehsildar, world.tehsil))
    officer("district", (world.tehsildar, world.amb))
    officer("state", (world.tehsildar, None))
    assert found(world) == (["area"], "area")


def test_else_the_holder_for_the_whole_district(world):
    officer("elsewhere", (world.tehsildar, world.naraingarh))
    officer("district", (world.tehsildar, world.amb))
    officer("state", (world.tehsildar, None))
    assert found(world) == (["district"], "district")


def test_else_the_state_wide_holder(world):
    officer("elsewhere", (world.tehsildar, world.naraingarh))
    officer("other district", (world.tehsildar, world.hsr))
    officer("state", (world.tehsildar, None))
    assert found(world) == (["state"], "state")


def test_a_request_with_no_area_skips_the_area_posts(world):
    officer("area", (world.tehsildar, world.tehsil))
    officer("district", (world.tehsildar, world.amb))
    assert found(world, area=False, district=world.amb) == (["district"], "district")


def test_only_posts_of_the_designation_count(world):
    officer("sdm", (world.sdm, world.tehsil))
    officer("eo", (world.eo, world.tehsil))
    assert found(world) == ([], None)


def test_else_the_departments_nodal_officer_for_the_district(world):
    officer("nodal", (world.sdm, world.amb, "nodal"))
    officer("nodal elsewhere", (world.sdm, world.hsr, "nodal"))
    officer("other department's nodal", (world.eo, world.amb, "nodal"))
    officer("not nodal", (world.sdm, world.amb))
    officer("admin", role="district_admin", district=world.amb)
    assert found(world) == (["nodal"], "nodal")


def test_else_the_district_administrator(world):
    officer("other department's nodal", (world.eo, world.amb, "nodal"))
    officer("admin", role="district_admin", district=world.amb)
    officer("other admin", role="district_admin", district=world.hsr)
    officer("department admin", role="department_admin", department=world.rev)
    assert found(world) == (["admin"], "district_admin")


def test_nobody(world):
    officer("other admin", role="district_admin", district=world.hsr)
    assert routing.holders(world.tehsildar, world.amb.id, world.tehsil.id) == routing.Found([], None)


def test_several_holders_at_one_level_lowest_id_first(world):
    second = officer("second", (world.tehsildar, world.tehsil))
    first = officer("first", (world.tehsildar, world.tehsil))
    Post.create(officer=first, designation=world.tehsildar, area=world.tehsil, additional_charge=True)
    assert found(world) == (["second", "first"], "area") and second.id < first.id


@pytest.mark.parametrize("absence", ["on_leave", "inactive"])
def test_officers_away_are_passed_by_at_every_step(world, absence):
    def away(o):
        if absence == "on_leave":
            o.on_leave = True
        else:
            o.active = False
        o.save()
        return o

    away(officer("area", (world.tehsildar, world.tehsil)))
    assert found(world) == ([], None)
    officer("district", (world.tehsildar, world.amb))
    assert found(world) == (["district"], "district")
    Officer.update(on_leave=True).where(Officer.name == "district").execute()
    away(officer("nodal", (world.sdm, world.amb, "nodal")))
    admin = officer("admin", role="district_admin", district=world.amb)
    assert found(world) == (["admin"], "district_admin")
    away(admin)
    assert found(world) == ([], None)


def test_any_designation_by_id_as_appeals_ask(world):
    officer("sdm", (world.sdm, world.amb))
    result = routing.holders(world.service.first_appellate_id, world.amb.id, world.tehsil.id)
    assert ([o.name for o in result.officers], result.rule) == (["sdm"], "district")
    officer("nodal", (world.sdm, world.hsr, "nodal"))
    result = routing.holders(world.eo.id, world.hsr.id)
    assert result == routing.Found([], None)
    assert routing.holders(world.tehsildar.id, world.hsr.id).rule == "nodal"


# officer_for: the least busy holder


def test_the_holder_with_the_fewest_open_requests(world):
    busy = officer("busy", (world.tehsildar, world.tehsil))
    idle = officer("idle", (world.tehsildar, world.tehsil))
    request_for(world, busy)
    request_for(world, busy)
    for status in STOPPED:
        request_for(world, idle, status=status)  # closed: they do not count
    request_for(world, idle)
    request = request_for(world)
    assert routing.officer_for(request) == idle
    request_for(world, idle)
    assert routing.officer_for(request) == busy  # two each: the lower id


def test_ties_go_to_the_lowest_id(world):
    first = officer("first", (world.tehsildar, world.tehsil))
    officer("second", (world.tehsildar, world.tehsil))
    assert routing.officer_for(request_for(world)) == first


def test_officer_for_follows_the_fallbacks_and_says_none_for_nobody(world):
    request = request_for(world)
    assert routing.officer_for(request) is None
    admin = officer("admin", role="district_admin", district=world.amb)
    assert routing.officer_for(request) == admin
    nodal = officer("nodal", (world.sdm, world.amb, "nodal"))
    assert routing.officer_for(request) == nodal


def test_officer_for_another_designation(world):
    officer("tehsildar", (world.tehsildar, world.tehsil))
    sdm = officer("sdm", (world.sdm, None))
    assert routing.officer_for(request_for(world), world.service.first_appellate) == sdm


def test_a_service_without_a_designated_officer_goes_to_its_departments_nodal_officer(world):
    Service.update(designated_officer=None).where(Service.id == world.service.id).execute()
    nodal = officer("nodal", (world.sdm, world.amb, "nodal"))
    officer("ulb nodal", (world.eo, world.amb, "nodal"))
    assert routing.officer_for(ServiceRequest.get_by_id(request_for(world).id)) == nodal


def test_officer_for_costs_three_queries(world, monkeypatch):
    for n in range(5):
        holder = officer(f"holder{n}", (world.tehsildar, world.tehsil))
        request_for(world, holder)
    request = ServiceRequest.get_by_id(request_for(world).id)
    executed = []
    real = database.obj.execute_sql
    monkeypatch.setattr(database.obj, "execute_sql", lambda sql, *a, **k: executed.append(sql) or real(sql, *a, **k))
    assert routing.officer_for(request).name == "holder0"
    assert len(executed) == 3, executed  # the service, the posts, one COUNT ... GROUP BY


# open and unrouted


def test_closed_is_the_clocks_stopped(world):
    assert routing.CLOSED is STOPPED
    assert set(routing.OPEN_STATUSES) | set(STOPPED) == set(s for s, _ in ServiceRequest.status.choices)
    assert not set(routing.OPEN_STATUSES) & set(STOPPED)


def test_unrouted_requests_are_seen_by_their_district_and_department_administrators(world):
    holder = officer("holder", (world.tehsildar, world.tehsil))
    nodal = officer("nodal", (world.sdm, world.amb, "nodal"))
    waiting = request_for(world, status="submitted")
    held = request_for(world, nodal, routed_by="nodal")
    by_admin = request_for(world, nodal, status="in_progress", routed_by="district_admin")
    request_for(world, nodal, status="rejected", routed_by="nodal")
    request_for(world, holder, routed_by="area")
    request_for(world, holder, routed_by="manual")
    request_for(world, holder)  # routed_by empty: assigned before routing kept a record
    request_for(world, holder, status="submitted")
    request_for(world, status="withdrawn")
    elsewhere = request_for(world, service=world.trade, area=False, district=world.hsr, status="submitted")
    rev_admin = officer("rev admin", role="department_admin", department=world.rev)
    ulb_admin = officer("ulb admin", role="department_admin", department=world.ulb)
    amb_admin = officer("amb admin", role="district_admin", district=world.amb)
    state = officer("state", role="state_admin")
    rev_unrouted = {waiting, held, by_admin}
    assert set(ServiceRequest.select().where(routing.UNROUTED)) == rev_unrouted | {elsewhere}
    # Two-valued on every row: the rest is exactly its negation.
    assert ServiceRequest.select().where(~routing.UNROUTED).count() == ServiceRequest.select().count() - 4
    assert set(routing.unrouted(rev_admin)) == rev_unrouted
    assert set(routing.unrouted(amb_admin)) == rev_unrouted
    assert list(routing.unrouted(ulb_admin)) == [elsewhere]
    assert set(routing.unrouted(state)) == rev_unrouted | {elsewhere}
    assert set(routing.unrouted(holder)) == set()
    assert set(routing.unrouted(nodal)) == {held, by_admin}  # his own work: the field officer's rule


# move_open_requests


@pytest.fixture
def move(world):
    """An officer leaving with two open requests and a closed one; the officer taking over; the administrators."""
    w = world
    w.leaving = officer("leaving", (w.tehsildar, w.tehsil))
    w.taking = officer("taking", (w.tehsildar, w.tehsil))
    w.open = [request_for(w, w.leaving), request_for(w, w.leaving, status="query_raised")]
    w.closed = request_for(w, w.leaving, status="delivered")
    w.rev_admin = officer("rev admin", role="department_admin", department=w.rev)
    w.ulb_admin = officer("ulb admin", role="department_admin", department=w.ulb)
    w.amb_admin = officer("amb admin", role="district_admin", district=w.amb)
    w.hsr_admin = officer("hsr admin", role="district_admin", district=w.hsr)
    w.state = officer("state", role="state_admin")
    return w


def rows():
    return snapshot((ServiceRequest, RequestEvent, AuditEntry, Officer))


@pytest.mark.parametrize("by", ["rev_admin", "amb_admin", "state"])
def test_the_move_gives_every_open_request_to_the_other_holder(move, by):
    admin = getattr(move, by)
    assert routing.move_open_requests(move.leaving, move.taking, admin, note="On leave until 10 January.") == 2
    for before in move.open:
        after = ServiceRequest.get_by_id(before.id)
        assert after.assigned_officer_id == move.taking.id
        assert after.version == before.version + 1
        assert (after.status, after.routed_by) == (before.status, "manual")
        event = RequestEvent.get(RequestEvent.request == before.id)
        assert (event.kind, event.officer_id, event.from_status, event.to_status) == (
            "reassigned", admin.id, before.status, before.status)
        assert "leaving" in event.note and "taking" in event.note and "On leave until 10 January." in event.note
    assert ServiceRequest.get_by_id(move.closed.id).assigned_officer_id == move.leaving.id
    assert not RequestEvent.select().where(RequestEvent.request == move.closed.id).exists()
    entry = AuditEntry.get()
    assert (entry.officer_id, entry.action, entry.model_name, entry.row_id) == (
        admin.id, "update", "officer", str(move.leaving.id))
    assert "2 open request(s) moved to taking" in entry.note and move.open[0].tracking_number in entry.note
    assert routing.move_open_requests(move.leaving, move.taking, admin) == 0
    assert AuditEntry.select().count() == 1


def test_requests_a_fallback_held_leave_the_unrouted_list_with_a_holder(world):
    nodal = officer("nodal", (world.sdm, world.amb, "nodal"))
    held = [request_for(world, nodal, routed_by="nodal"), request_for(world, nodal, routed_by="nodal")]
    admin = officer("rev admin", role="department_admin", department=world.rev)
    assert set(routing.unrouted(admin)) == set(held)
    holder = officer("holder", (world.tehsildar, world.tehsil))
    assert routing.move_open_requests(nodal, holder, admin, note="A tehsildar has joined.") == 2
    assert set(routing.unrouted(admin)) == set()


@pytest.mark.parametrize("place", ["district", "state"])
def test_a_holder_for_the_whole_district_or_state_may_take_them(move, place):
    wide = officer("wide", (move.tehsildar, move.amb if place == "district" else None))
    assert routing.move_open_requests(move.leaving, wide, move.rev_admin) == 2


def test_an_additional_charge_is_handed_over_alone(move):
    # The leaving officer also holds the Executive Officer's charge; only that post's requests go.
    Post.create(officer=move.leaving, designation=move.eo, area=move.tehsil, additional_charge=True)
    trade = request_for(move, move.leaving, service=move.trade)
    eo = officer("eo", (move.eo, move.tehsil))
    state = move.state
    with pytest.raises(DomainError) as refused:
        routing.move_open_requests(move.leaving, eo, state)
    assert refused.value.code == "routing_not_a_holder"
    assert routing.move_open_requests(move.leaving, eo, state, designation=move.eo) == 1
    assert ServiceRequest.get_by_id(trade.id).assigned_officer_id == eo.id
    kept = ServiceRequest.select().where(ServiceRequest.id.in_([r.id for r in move.open]))
    assert {r.assigned_officer_id for r in kept} == {move.leaving.id}


def away(o, **state):
    Officer.update(**state).where(Officer.id == o.id).execute()
    return o  # the stale copy: the move reads him again


@pytest.mark.parametrize("case, code", [
    ("same officer", "routing_same_officer"),
    ("inactive", "routing_officer_inactive"),
    ("on leave", "routing_officer_on_leave"),
    ("another area", "routing_not_a_holder"),
    ("another designation", "routing_not_a_holder"),
    ("another district", "routing_not_a_holder"),
    ("holds only one of them", "routing_not_a_holder"),
    ("nodal officer", "routing_not_a_holder"),
    ("another department's administrator", "routing_not_permitted"),
    ("another district's administrator", "routing_not_permitted"),
    ("field officer", "routing_not_permitted"),
    ("deactivated administrator", "routing_not_permitted"),
])
def test_a_refused_move_changes_nothing(move, case, code):
    w = move
    target, by = w.taking, w.rev_admin
    if case == "same officer":
        target = w.leaving
    elif case == "inactive":
        away(target, active=False)
    elif case == "on leave":
        away(target, on_leave=True)
    elif case == "another area":
        target = officer("naraingarh", (w.tehsildar, w.naraingarh))
    elif case == "another designation":
        target = officer("sdm", (w.sdm, w.tehsil))
    elif case == "another district":
        target = officer("hisar", (w.tehsildar, w.hsr))
    elif case == "holds only one of them":
        request_for(w, w.leaving, area=w.naraingarh)
    elif case == "nodal officer":
        target = officer("nodal", (w.sdm, w.amb, "nodal"))
    elif case == "another department's administrator":
        by = w.ulb_admin
    elif case == "another district's administrator":
        by = w.hsr_admin
    elif case == "field officer":
        by = w.taking
    elif case == "deactivated administrator":
        by = Officer.get_by_id(away(w.rev_admin, active=False).id)
    before = rows()
    with pytest.raises(DomainError) as refused:
        routing.move_open_requests(w.leaving, target, by, note="refused")
    assert refused.value.code == code
    assert rows() == before


def test_a_department_administrator_may_not_move_another_departments_request_with_his_own(move):
    Post.create(officer=move.leaving, designation=move.eo, area=move.tehsil, additional_charge=True)
    Post.create(officer=move.taking, designation=move.eo, area=move.tehsil)
    request_for(move, move.leaving, service=move.trade)
    before = rows()
    with pytest.raises(DomainError) as refused:
        routing.move_open_requests(move.leaving, move.taking, move.rev_admin)
    assert refused.value.code == "routing_not_permitted"
    assert rows() == before
    assert routing.move_open_requests(move.leaving, move.taking, move.rev_admin, designation=move.tehsildar) == 2
