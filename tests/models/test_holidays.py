"""Holidays, pauses and due dates in the database (models/holidays.py, models/deadlines.py)."""
import datetime

import pytest
from peewee import IntegrityError

from models import (
    Citizen, Department, District, DomainError, Holiday, Officer, RequestEvent, RequestPause, RoleGrant,
    Service, ServiceRequest, database, scope,
)
from models.deadlines import due_at_for, pause, recompute_due_dates, resume
from models.holidays import calendar_for, calendars_for
from tests.ist import ist, utc

D = datetime.date


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    w.amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
    w.hsr = District.create(code="HSR", name_en="Hisar", name_hi="हिसार")
    rev = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
    w.certificate = Service.create(code="REV-SC", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र",
                                   department=rev, category="certificates", tat_value=3, tat_unit="working_days")
    w.power = Service.create(code="REV-PWR", name_en="Power restoration", name_hi="बिजली बहाली",
                             department=rev, category="utilities", tat_value=4, tat_unit="hours")
    w.citizen = Citizen.create(mobile="9876500001")
    return w


def make(world, received, district=None, service=None, status="submitted"):
    """A request received at `received` (IST text), its due date set as at creation."""
    request = ServiceRequest.create_with_tracking_number(
        citizen=world.citizen, service=service or world.certificate, district=district or world.amb,
        submitted_at=utc(received), status=status)
    request.due_at = due_at_for(request)
    request.save()
    return request


def due(request):
    return ist(ServiceRequest.get_by_id(request.id).due_at)


def events(request, kind):
    return list(RequestEvent.select().where(RequestEvent.request == request.id, RequestEvent.kind == kind)
                .order_by(RequestEvent.id))


def test_calendar_for_a_district_holds_state_wide_and_its_own_holidays(world):
    Holiday.create(date=D(2026, 12, 10), name_en="State day", name_hi="राज्य दिवस")
    Holiday.create(date=D(2026, 12, 11), name_en="Ambala fair", name_hi="अंबाला मेला", district=world.amb)
    Holiday.create(date=D(2026, 12, 14), name_en="Hisar fair", name_hi="हिसार मेला", district=world.hsr)
    assert calendar_for(world.amb.id).holidays == {D(2026, 12, 10), D(2026, 12, 11)}
    assert calendar_for(world.hsr.id, D(2026, 12, 11), D(2026, 12, 31)).holidays == {D(2026, 12, 14)}


def test_calendars_for_several_districts_and_the_state(world):
    Holiday.create(date=D(2026, 12, 10), name_en="State day", name_hi="राज्य दिवस")
    Holiday.create(date=D(2026, 12, 11), name_en="Ambala fair", name_hi="अंबाला मेला", district=world.amb)
    Holiday.create(date=D(2026, 12, 14), name_en="Hisar fair", name_hi="हिसार मेला", district=world.hsr)
    calendars = calendars_for([world.amb.id, world.hsr.id, None])
    assert {pk: c.holidays for pk, c in calendars.items()} == {
        world.amb.id: {D(2026, 12, 10), D(2026, 12, 11)},
        world.hsr.id: {D(2026, 12, 10), D(2026, 12, 14)},
        None: {D(2026, 12, 10)},
    }


def test_one_state_wide_holiday_a_date_and_one_per_district(world):
    Holiday.create(date=D(2026, 12, 10), name_en="State day", name_hi="राज्य दिवस")
    Holiday.create(date=D(2026, 12, 10), name_en="Ambala fair", name_hi="अंबाला मेला", district=world.amb)
    for district in (None, world.amb):
        with pytest.raises(IntegrityError), database.atomic():
            Holiday.create(date=D(2026, 12, 10), name_en="Again", name_hi="फिर", district=district)


def test_a_state_holiday_moves_exactly_the_open_requests_whose_window_holds_it(world):
    # Received Tuesday 8 December, 3 working days: due Friday 11.
    amb = make(world, "2026-12-08 11:00")
    hsr = make(world, "2026-12-08 11:00", district=world.hsr)
    approved = make(world, "2026-12-08 11:00", status="approved")  # still running
    delivered = make(world, "2026-12-08 11:00", status="delivered")
    rejected = make(world, "2026-12-08 11:00", status="rejected")
    due_before = make(world, "2026-12-01 11:00")  # due Friday 4
    received_after = make(world, "2026-12-11 09:00")
    hours = make(world, "2026-12-09 22:00", service=world.power)
    before = {r.id: due(r) for r in ServiceRequest.select()}

    Holiday.create(date=D(2026, 12, 10), name_en="State day", name_hi="राज्य दिवस")
    assert recompute_due_dates(D(2026, 12, 10), None) == 3

    for request in (amb, hsr, approved):
        assert due(request) == "2026-12-14 23:59:59"
        [event] = events(request, "due_date_changed")
        assert "2026-12-11 23:59:59 IST → 2026-12-14 23:59:59 IST" in event.note
    for request in (delivered, rejected, due_before, received_after, hours):
        assert due(request) == before[request.id]
        assert events(request, "due_date_changed") == []

    Holiday.delete().where(Holiday.date == D(2026, 12, 10)).execute()
    assert recompute_due_dates(D(2026, 12, 10), None) == 3
    assert {r.id: due(r) for r in ServiceRequest.select()} == before
    assert "2026-12-14 23:59:59 IST → 2026-12-11 23:59:59 IST" in events(amb, "due_date_changed")[-1].note


def test_a_district_holiday_moves_only_that_districts_requests(world):
    amb = make(world, "2026-12-08 11:00")
    hsr = make(world, "2026-12-08 11:00", district=world.hsr)
    Holiday.create(date=D(2026, 12, 9), name_en="Ambala fair", name_hi="अंबाला मेला", district=world.amb)
    assert recompute_due_dates(D(2026, 12, 9), world.amb.id) == 1
    assert due(amb) == "2026-12-14 23:59:59"
    assert due(hsr) == "2026-12-11 23:59:59"
    # Hisar's own calendar does not know Ambala's holiday, even when asked.
    assert recompute_due_dates(D(2026, 12, 9), world.hsr.id) == 0


def test_a_holiday_on_the_day_of_receipt_moves_the_receipt_day(world):
    request = make(world, "2026-12-08 23:59")
    Holiday.create(date=D(2026, 12, 8), name_en="State day", name_hi="राज्य दिवस")
    assert recompute_due_dates(D(2026, 12, 8), None) == 1
    assert due(request) == "2026-12-14 23:59:59"


def test_a_holiday_on_a_weekly_off_changes_nothing(world):
    make(world, "2026-12-08 11:00")
    Holiday.create(date=D(2026, 12, 12), name_en="Saturday fair", name_hi="शनिवार मेला")
    assert recompute_due_dates(D(2026, 12, 12), None) == 0


def test_a_holiday_inside_a_pause_counts_even_after_the_due_date(world):
    # Received Monday 2 November, due Thursday 5. A query raised late, Monday
    # 7 to Thursday 10 December, adds three working days: due Tuesday 10
    # November, a month before the holiday, which still takes one back.
    request = make(world, "2026-11-02 10:00")
    pause(request, utc("2026-12-07 12:00"))
    resume(request, utc("2026-12-10 12:00"))
    assert due(request) == "2026-11-10 23:59:59"
    Holiday.create(date=D(2026, 12, 9), name_en="State day", name_hi="राज्य दिवस")
    assert recompute_due_dates(D(2026, 12, 9), None) == 1
    assert due(request) == "2026-11-09 23:59:59"


def test_pause_and_resume_in_working_days(world):
    request = make(world, "2026-12-08 11:00")  # due Friday 11
    version = ServiceRequest.get_by_id(request.id).version
    pause(request, utc("2026-12-08 15:00"))
    assert due(request) == "2026-12-11 23:59:59"  # unknown until the answer comes
    resume(request, utc("2026-12-10 10:00"))
    # Wednesday and Thursday are added: Monday 14 and Tuesday 15.
    assert due(request) == "2026-12-15 23:59:59"
    assert request.due_at == ServiceRequest.get_by_id(request.id).due_at
    assert ServiceRequest.get_by_id(request.id).version == version + 1
    [pause_row] = RequestPause.select().where(RequestPause.request == request.id)
    assert (pause_row.paused_at, pause_row.resumed_at) == (utc("2026-12-08 15:00"), utc("2026-12-10 10:00"))
    assert len(events(request, "clock_paused")) == 1
    [resumed] = events(request, "clock_resumed")
    assert "2026-12-11 23:59:59 IST → 2026-12-15 23:59:59 IST" in resumed.note

    # A second query, Friday to Monday, adds Monday alone.
    pause(request, utc("2026-12-11 16:00"))
    resume(request, utc("2026-12-14 09:00"))
    assert due(request) == "2026-12-16 23:59:59"
    assert due_at_for(request) == ServiceRequest.get_by_id(request.id).due_at


def test_pause_and_resume_in_hours(world):
    request = make(world, "2026-12-08 22:00", service=world.power)  # due 02:00 on the 9th
    pause(request, utc("2026-12-08 23:00"))
    resume(request, utc("2026-12-09 00:30"))
    assert due(request) == "2026-12-09 03:30:00"


def test_pause_and_resume_refuse_what_makes_no_sense(world):
    request = make(world, "2026-12-08 11:00")
    with pytest.raises(DomainError) as error:
        resume(request, utc("2026-12-09 10:00"))
    assert error.value.code == "request_not_paused"
    pause(request, utc("2026-12-09 10:00"))
    with pytest.raises(DomainError) as error:
        pause(request, utc("2026-12-09 11:00"))
    assert error.value.code == "request_already_paused"
    with pytest.raises(DomainError) as error:
        resume(request, utc("2026-12-09 09:00"))
    assert error.value.code == "resume_before_pause"
    delivered = make(world, "2026-12-08 11:00", status="delivered")
    with pytest.raises(DomainError) as error:
        pause(delivered, utc("2026-12-09 10:00"))
    assert error.value.code == "request_clock_stopped"


def test_a_database_refuses_two_open_pauses(world):
    request = make(world, "2026-12-08 11:00")
    RequestPause.create(request=request, paused_at=utc("2026-12-09 10:00"))
    with pytest.raises(IntegrityError), database.atomic():
        RequestPause.create(request=request, paused_at=utc("2026-12-09 11:00"))


def test_no_time_limit_no_due_date(world):
    world.certificate.tat_value = world.certificate.tat_unit = None
    world.certificate.save()
    assert make(world, "2026-12-08 11:00").due_at is None


def test_who_sees_and_changes_which_holidays(world):
    def officer(email, role, **grant):
        o = Officer.create(name=email, email=email)
        RoleGrant.create(officer=o, role=role, **grant)
        return o

    state_day = Holiday.create(date=D(2026, 12, 10), name_en="State day", name_hi="राज्य दिवस")
    amb_fair = Holiday.create(date=D(2026, 12, 11), name_en="Ambala fair", name_hi="अंबाला मेला", district=world.amb)
    hsr_fair = Holiday.create(date=D(2026, 12, 11), name_en="Hisar fair", name_hi="हिसार मेला", district=world.hsr)
    state = officer("state@x.in", "state_admin")
    amb_admin = officer("amb@x.in", "district_admin", district=world.amb)
    rev_admin = officer("rev@x.in", "department_admin", department=Department.get(Department.code == "REV"))
    counter = officer("counter@x.in", "counter_operator", district=world.amb)

    def ids(who, action="view"):
        return {h.id for h in scope.rows(who, Holiday, action)}

    assert ids(state) == ids(state, "delete") == {state_day.id, amb_fair.id, hsr_fair.id}
    assert ids(amb_admin) == {state_day.id, amb_fair.id}
    assert ids(amb_admin, "edit") == ids(amb_admin, "delete") == {amb_fair.id}
    # The calendar is the state's and the districts' to keep: a department has no screen for it.
    assert ids(rev_admin) == ids(rev_admin, "edit") == set()
    assert ids(counter) == set()
    new = Holiday(date=D(2026, 12, 24), name_en="Local", name_hi="स्थानीय")
    assert scope.may_create(state, new)
    assert not scope.may_create(amb_admin, new)  # state-wide: not his
    new.district = world.hsr
    assert not scope.may_create(amb_admin, new)
    new.district = world.amb
    assert scope.may_create(amb_admin, new) and not scope.may_create(rev_admin, new)


def test_due_date_of_a_request_being_created(world):
    request = ServiceRequest(citizen=world.citizen, service=world.certificate, district=world.amb,
                             submitted_at=utc("2026-12-12 10:00"),
                             tat_value=world.certificate.tat_value, tat_unit=world.certificate.tat_unit)
    # Saturday: received Monday; 3 working days end on Thursday.
    assert ist(due_at_for(request)) == "2026-12-17 23:59:59"
