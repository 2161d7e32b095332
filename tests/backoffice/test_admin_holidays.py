"""The holiday screen: who keeps which holidays, and the due dates each change moves."""
import datetime

import pytest

from models import Citizen, Department, District, Holiday, Service, ServiceRequest, database
from models.deadlines import due_at_for
from tests.backoffice.admin_support import errors, submit
from tests.conftest import login, make_officer
from tests.rows import snapshot

IST_OFFSET = datetime.timedelta(hours=5, minutes=30)
URL = "/admin/holiday/"


class World:
    pass


@pytest.fixture
def world(app):
    w = World()
    with database.connection_context():
        w.amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
        w.hsr = District.create(code="HSR", name_en="Hisar", name_hi="हिसार")
        w.rev = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
        service = Service.create(
            code="REV-SC", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र", department=w.rev,
            category="certificates", tat_value=3, tat_unit="working_days", status="published")
        citizen = Citizen.create(mobile="9876500001")
        w.requests = {}
        for district in (w.amb, w.hsr):
            # Received Tuesday 8 December 2026, 11:00 IST: due Friday 11.
            request = ServiceRequest.create_with_tracking_number(
                citizen=citizen, service=service, district=district,
                submitted_at=datetime.datetime(2026, 12, 8, 11) - IST_OFFSET)
            request.due_at = due_at_for(request)
            request.save()
            w.requests[district.code] = request
    w.state = make_officer("state@x.in", "state_admin")
    w.amb_admin = make_officer("amb@x.in", "district_admin", district=w.amb)
    return w


def due_day(world, code):
    with database.connection_context():
        return (ServiceRequest.get_by_id(world.requests[code].id).due_at + IST_OFFSET).date()


def holiday_form(district, date="2026-12-10", name="Local fair"):
    return {"date": date, "name_en": name, "name_hi": "स्थानीय मेला",
            "district": "__None" if district is None else str(district.id)}


def holidays():
    with database.connection_context():
        return [(h.date.isoformat(), h.district_id) for h in Holiday.select().order_by(Holiday.id)]


def text(page):
    return page.get_data(as_text=True)


def test_a_district_administrator_adds_a_holiday_for_his_district(client, world):
    login(client, world.amb_admin.email)
    page = submit(client, URL + "new/", holiday_form(world.amb))
    assert holidays() == [("2026-12-10", world.amb.id)]
    assert "The due date of 1 open request changed." in text(page)
    assert due_day(world, "AMB") == datetime.date(2026, 12, 14)
    assert due_day(world, "HSR") == datetime.date(2026, 12, 11)


@pytest.mark.parametrize("forged, message", [("hsr", "Not a valid choice"), ("state-wide", "Selection cannot be blank")])
def test_a_district_administrator_cannot_add_one_for_another_district_or_the_state(client, world, forged, message):
    login(client, world.amb_admin.email)
    page = submit(client, URL + "new/", holiday_form(world.hsr if forged == "hsr" else None))
    assert holidays() == []
    assert message in text(page)
    assert due_day(world, "HSR") == datetime.date(2026, 12, 11)


def test_the_state_administrator_adds_a_state_wide_holiday(client, world):
    login(client, world.state.email)
    page = submit(client, URL + "new/", holiday_form(None, name="State day"))
    assert holidays() == [("2026-12-10", None)]
    assert "The due dates of 2 open requests changed." in text(page)
    assert due_day(world, "AMB") == due_day(world, "HSR") == datetime.date(2026, 12, 14)
    # The same date again, state-wide, is refused in words.
    page = submit(client, URL + "new/", holiday_form(None, name="Again"))
    assert "This date is already a state-wide holiday." in errors(page)
    assert len(holidays()) == 1


def test_moving_and_deleting_a_holiday_moves_the_due_dates_along(client, world):
    login(client, world.state.email)
    submit(client, URL + "new/", holiday_form(world.amb))
    with database.connection_context():
        holiday = Holiday.get()
    # To Saturday: no working day is lost any more.
    page = submit(client, f"{URL}edit/?id={holiday.id}", holiday_form(world.amb, date="2026-12-12"))
    assert "The due date of 1 open request changed." in text(page)
    assert due_day(world, "AMB") == datetime.date(2026, 12, 11)
    # Back to Thursday, in Hisar now: Hisar's request moves.
    page = submit(client, f"{URL}edit/?id={holiday.id}", holiday_form(world.hsr))
    assert "The due date of 1 open request changed." in text(page)
    assert (due_day(world, "AMB"), due_day(world, "HSR")) == (datetime.date(2026, 12, 11), datetime.date(2026, 12, 14))
    # A new name moves nothing and says nothing about due dates.
    page = submit(client, f"{URL}edit/?id={holiday.id}", holiday_form(world.hsr, name="Renamed"))
    assert "due date" not in text(page)
    page = submit(client, URL + "delete/", {"id": holiday.id}, form_url=URL)
    assert holidays() == []
    assert "The due date of 1 open request changed." in text(page)
    assert due_day(world, "HSR") == datetime.date(2026, 12, 11)


def test_a_district_administrator_cannot_change_a_state_wide_holiday(client, world):
    with database.connection_context():
        state_day = Holiday.create(date=datetime.date(2026, 12, 10), name_en="State day", name_hi="राज्य दिवस")
    login(client, world.amb_admin.email)
    assert f"details/?id={state_day.id}" in text(client.get(URL))
    submit(client, URL + "delete/", {"id": state_day.id}, form_url=URL)
    submit(client, f"{URL}edit/?id={state_day.id}", holiday_form(world.amb), form_url=URL)
    assert holidays() == [("2026-12-10", None)]


@pytest.mark.parametrize("role, grant", [("department_admin", "rev"), ("counter_operator", "amb"),
                                         ("helpdesk_agent", None), (None, None)])
def test_others_cannot_reach_the_holidays(client, world, role, grant):
    where = {"department": world.rev} if grant == "rev" else {"district": world.amb} if grant else {}
    make_officer("other@x.in", role, **where)
    login(client, "other@x.in")
    assert client.get(URL).status_code == 403
    assert client.get(URL + "new/").status_code == 403
    assert client.post(URL + "new/", data=holiday_form(world.amb)).status_code == 403
    assert holidays() == []


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_a_holiday_outside_the_calendar_years_is_refused_and_changes_nothing(client, world, date):
    # Year 9999 or 1 overflowed the clock's arithmetic when the due dates were recomputed: a 500.
    login(client, world.state.email)
    with database.connection_context():
        holiday = Holiday.create(date=datetime.date(2026, 12, 10), name_en="Fair", name_hi="मेला")
        before = snapshot()
    for url in (URL + "new/", f"{URL}edit/?id={holiday.id}"):
        page = submit(client, url, holiday_form(None, date=date))
        assert "A holiday must fall in the years 2000 to 2100." in text(page), url
    with database.connection_context():
        assert snapshot() == before
