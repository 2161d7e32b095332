"""The demo workload (models/demo.py): what it makes, that its histories are legal, and that it leaves cleanly."""
import datetime
import hashlib
from collections import defaultdict

import pytest

from models import (
    Area, AuditEntry, Citizen, Delivery, Designation, District, DomainError, Officer, Post, RequestEvent,
    RequestPause, RoleGrant, Service, ServiceRequest, catalogue_file, clock, database, demo, lifecycle,
    migrate, open_database, routing, tracking,
)
from models.audit import record
from models.deadlines import STOPPED, due_at_for
from models.lifecycle import TRANSITIONS
from models.requests import REQUEST_STATUSES

TODAY = datetime.date(2025, 6, 2)
UNTIL = clock.ist_day_start(TODAY)
# The smallest workload (with the default seed) that has a request in every status.
COUNT = 300


@pytest.fixture
def catalogued(catalogue):
    with database.connection_context():
        yield


def load(**kwargs):
    return demo.load(**{"requests": COUNT, "password_hash": "hash", "today": TODAY, **kwargs})


def demo_count(model):
    return model.select().where(model.demo == True).count()  # noqa: E712


def digest():
    rows = (ServiceRequest.select(ServiceRequest.tracking_number, ServiceRequest.status, ServiceRequest.due_at)
            .order_by(ServiceRequest.tracking_number).tuples())
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_load_makes_marked_places_officers_citizens_and_requests(catalogued):
    report = load()

    assert report.requests == ServiceRequest.select().count() == demo_count(ServiceRequest) == COUNT
    assert set(report.statuses) == set(REQUEST_STATUSES)
    assert report.areas == Area.select().count() == demo_count(Area) == 3 * District.select().count()
    assert report.officers == Officer.select().count() == demo_count(Officer)
    assert report.citizens == Citizen.select().count() == demo_count(Citizen)
    assert all(len(c.mobile) == 10 and c.mobile.startswith(demo.MOBILE_PREFIX) for c in Citizen.select())
    assert all(o.email.endswith("@demo.jansahayak.invalid") and o.password_hash == "hash" for o in Officer.select())
    assert len({login.email for login in report.logins}) == report.officers
    assert {login.kind for login in report.logins} >= {
        "state_admin", "department_admin", "district_admin", "counter_operator", "helpdesk_agent",
        "commission_member", "area post", "district post", "state post"}
    assert report.on_leave == Officer.select().where(Officer.on_leave == True).count() > 0  # noqa: E712
    assert all(tracking.normalize(r.tracking_number) == r.tracking_number for r in ServiceRequest.select())

    # Every designation held in every place of its level, by an officer of its department.
    districts, areas = District.select().count(), Area.select().count()
    place = {"state": Post.district.is_null(), "district": Post.district.is_null(False) & Post.area.is_null(),
             "area": Post.area.is_null(False)}
    for designation in Designation.select():
        posts = Post.select().join(Officer).where(Post.designation == designation, place[designation.level],
                                                  Officer.department == designation.department_id)
        assert posts.count() == {"state": 1, "district": districts, "area": areas}[designation.level], designation
    # A nodal officer per department per district, and a district and counter administrator per district.
    nodal_posts = Post.select().where(Post.nodal == True)  # noqa: E712
    nodal = {(p.designation.department_id, p.district_id) for p in nodal_posts}
    assert len(nodal) == Designation.select(Designation.department).distinct().count() * districts
    for role in ("district_admin", "counter_operator"):
        assert RoleGrant.select(RoleGrant.district).where(RoleGrant.role == role).distinct().count() == districts


def test_the_drafts_get_an_illustrative_limit_and_are_offered(catalogued):
    drafts = [s.code for s in Service.select().where(Service.tat_value.is_null())]
    assert "REV-COVID-HELPME" in drafts

    report = load()

    assert sorted(code for code, _, _ in report.limits) == sorted(drafts)
    helpme = Service.get(Service.code == "REV-COVID-HELPME")
    assert (helpme.tat_value, helpme.tat_unit, helpme.tat_is_demo, helpme.status) == (24, "hours", True, "published")
    income = Service.get(Service.code == "REV-INCOME-CERT")
    assert (income.tat_value, income.tat_unit, income.tat_is_demo) == (7, "working_days", True)
    assert not Service.get(Service.code == "REV-SC-CERT").tat_is_demo
    covid = ServiceRequest.select().join(Service).where(Service.category == "covid-19")
    assert covid.count() > 0


def test_every_history_walks_the_transitions_and_every_due_date_is_due_at_for(catalogued):
    load()
    events = defaultdict(list)
    for event in RequestEvent.select().order_by(RequestEvent.id):
        events[event.request_id].append(event)
    pauses = defaultdict(list)
    for pause in RequestPause.select():
        pauses[pause.request_id].append(pause)
    deliveries = {d.request_id: d for d in Delivery.select()}

    for request in ServiceRequest.select():
        history = events[request.id]
        assert (history[0].kind, history[0].to_status) == ("filed", "submitted")
        moves = [e for e in history if e.kind in TRANSITIONS]
        for before, after in zip([history[0], *moves], moves):
            transition = TRANSITIONS[after.kind]
            assert before.to_status in transition.sources and after.from_status == before.to_status
            assert after.to_status == transition.target
        assert (moves[-1].to_status if moves else "submitted") == request.status
        assert [e.at for e in history] == sorted(e.at for e in history) and history[-1].at < UNTIL
        assert request.version == 1 + len(moves) + sum(e.kind in ("clock_resumed", "handed_over") for e in history)

        service = request.service
        assert (request.tat_value, request.tat_unit) == (service.tat_value, service.tat_unit)
        assert request.due_at == due_at_for(request)
        assert (request.closed_at is not None) == (request.status in STOPPED)
        if request.closed_at:
            assert request.closed_at == moves[-1].at
        open_pauses = [p for p in pauses[request.id] if p.resumed_at is None]
        assert len(open_pauses) == (request.status == "query_raised")
        assert len(pauses[request.id]) == sum(e.kind == "raise_query" for e in history)
        assert (request.id in deliveries) == (request.status == "delivered")
        assert (request.assigned_officer_id is None) == (request.status == "submitted")
        if request.status == "rejected":
            assert moves[-1].note


def test_requests_go_where_routing_sends_them_and_some_are_late(catalogued):
    load()
    recent = ServiceRequest.select().where(ServiceRequest.status.in_(("assigned", "in_progress")),
                                           ServiceRequest.submitted_at >= UNTIL - demo.LEAVE_DAYS * demo.DAY)
    assert recent.count() > 0
    for request in recent:
        assert routing.officer_for(request).id == request.assigned_officer_id, request.tracking_number

    delivered = ServiceRequest.select().where(ServiceRequest.status == "delivered")
    assert 0 < delivered.where(ServiceRequest.closed_at > ServiceRequest.due_at).count() < delivered.count() / 4
    assert ServiceRequest.select().where(ServiceRequest.status.not_in(STOPPED),
                                         ServiceRequest.due_at < UNTIL).count() > 0
    assert ServiceRequest.select().where(ServiceRequest.filed_by.is_null(False)).count() > 0
    assert Delivery.select().where(Delivery.content.is_null(False)).count() > 0


def test_the_same_seed_and_day_give_the_same_rows_in_another_database(catalogue, tmp_path):
    with database.connection_context():
        load()
        first = digest()

    open_database(f"sqlite:///{tmp_path / 'second.db'}")
    with database.connection_context():
        migrate.upgrade()
        catalogue_file.load()
        load()
        assert digest() == first
        demo.remove()
        load(seed=demo.SEED + 1)
        assert digest() != first


def test_a_second_load_is_refused_until_remove(catalogued):
    load(requests=10)
    with pytest.raises(DomainError) as refused:
        load(requests=10)
    assert refused.value.code == "demo_loaded_already"
    assert ServiceRequest.select().count() == 10

    demo.remove()
    load(requests=10)
    assert ServiceRequest.select().count() == 10


def test_remove_takes_every_demo_row_and_leaves_the_rest(catalogued):
    officer = Officer.create(name="Real Officer", email="real@haryana.gov.in")
    citizen = Citizen.create(mobile="9812345678", name="Real Citizen")
    sc = Service.get(Service.code == "REV-SC-CERT")
    ambala = District.get(District.code == "AMB")
    load(requests=50)
    # Filed after the demo came: routing gives it to a demo Tehsildar, whom the audit log names too.
    real = lifecycle.file(sc, citizen, ambala)
    tehsildar = real.assigned_officer
    assert tehsildar.demo
    record(tehsildar, "view", real, note="looked at it")
    state_admin = Officer.get(Officer.email == f"state-admin@{demo.EMAIL_DOMAIN}")
    record(state_admin, "update", sc, note="a demo administrator's edit")
    before = [(r.id, r.status, r.due_at, r.assigned_officer_id, r.version) for r in ServiceRequest.select()
              .where(ServiceRequest.demo == False)]  # noqa: E712
    events = RequestEvent.select().where(RequestEvent.request == real.id).count()

    removed = demo.remove()

    assert removed["requests"] == 50 and removed["officers_kept"] == 2
    assert [(r.id, r.status, r.due_at, r.assigned_officer_id, r.version) for r in ServiceRequest.select()] == before
    assert RequestEvent.select().where(RequestEvent.request == real.id).count() == events
    assert RequestEvent.select().count() == events
    assert Citizen.select().count() == 1 and Area.select().count() == 0
    assert RequestPause.select().count() == Delivery.select().count() == 0
    assert AuditEntry.select().count() == 2
    assert {o.email for o in Officer.select().where(Officer.demo == False)} == {officer.email}  # noqa: E712
    kept = list(Officer.select().where(Officer.demo == True))  # noqa: E712
    assert {o.id for o in kept} == {tehsildar.id, state_admin.id}
    assert all(not o.active and o.password_hash == "" for o in kept)
    assert not Post.select().where(Post.officer.in_([o.id for o in kept])).exists()
    assert not RoleGrant.select().where(RoleGrant.officer.in_([o.id for o in kept])).exists()
    assert not Service.select().where(Service.tat_is_demo == True).exists()  # noqa: E712
    helpme = Service.get(Service.code == "REV-COVID-HELPME")
    assert (helpme.tat_value, helpme.tat_unit, helpme.status) == (None, None, "draft")
    assert not demo.loaded()

    # A new load gives the kept officers back, under their old ids.
    load(requests=10, password_hash="new")
    revived = Officer.get_by_id(tehsildar.id)
    assert revived.active and revived.password_hash == "new" and revived.posts.count() == 1


def test_remove_refuses_while_rows_outside_the_demo_use_demo_places(catalogued):
    load(requests=10)
    area = Area.select().where(Area.demo == True).first()  # noqa: E712
    citizen = Citizen.create(mobile="9812345678")
    lifecycle.file(Service.get(Service.code == "REV-SC-CERT"), citizen, area.district, area=area)

    with pytest.raises(DomainError) as refused:
        demo.remove()
    assert (refused.value.code, refused.value.params) == ("demo_in_use", {"count": 1})
    assert demo_count(ServiceRequest) == 10 and demo_count(Area) == Area.select().count()


def test_load_refuses_without_a_catalogue(app):
    with database.connection_context():
        with pytest.raises(DomainError) as refused:
            load()
        assert refused.value.code == "demo_needs_catalogue"
        assert not Officer.select().exists()
