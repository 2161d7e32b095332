"""Issue 5's journey, as people would take it, on the demo workload: a request kept within its time limit.

A district administrator adds a local holiday; the counter files for a walk-in
citizen and the routed Patwari finds the request in his queue; a request
received on the Friday before that holiday is due when a person counting by
hand says; a query raised and answered days later moves the due date; the
Patwari approves and delivers with a PDF and the citizen's SMS is queued; a
colleague's stale form is refused and changes nothing.
"""
import datetime
import io

import pytest

from models import Area, Citizen, District, Holiday, Officer, Outbox, RequestPause, Service, ServiceRequest
from models import demo, lifecycle
from tests.backoffice.admin_support import errors, submit
from tests.backoffice.requests_support import csrf, details, fresh, login_as, offered, state, take, text
from tests.conftest import PASSWORD
from tests.ist import ist, utc

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
SERVICE = "REV-VILLAGE-COPY-S"  # 2 working days, with the area's Patwari


def demo_officer(local):
    return Officer.get(Officer.email == f"{local}@{demo.EMAIL_DOMAIN}")


@pytest.fixture
def loaded(app, catalogue, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    result = app.test_cli_runner().invoke(args=["demo", "load", "--requests", "60", "--today", "2026-11-01"])
    assert result.exit_code == 0, result.output


def test_a_request_kept_within_its_time_limit_from_the_counter_to_delivery(app, loaded):
    amb = District.get(District.code == "AMB")
    service = Service.get(Service.code == SERVICE)
    counter, amb_admin = demo_officer("counter.amb"), demo_officer("district-admin.amb")

    # Monday 23 November 2026 is a local holiday in Ambala.
    page = submit(login_as(app, amb_admin), "/admin/holiday/new/",
                  {"date": "2026-11-23", "name_en": "Local fair", "name_hi": "स्थानीय मेला", "district": str(amb.id)})
    assert not errors(page) and Holiday.get(Holiday.date == datetime.date(2026, 11, 23)).district_id == amb.id

    # A walk-in citizen at the Ambala counter; the routed Patwari finds the request in his queue.
    area = Area.select().where(Area.district == amb).order_by(Area.id).first()
    desk = login_as(app, counter)
    data = {"mobile": "98123 45678", "name": "Asha Devi", "language": "hi", "service": service.id,
            "district": amb.id, "area": area.id, "details": "Copy of the jamabandi of khewat 112."}
    page = desk.post("/admin/counter/", data={**data, "csrf_token": csrf(desk.get("/admin/counter/"))},
                     follow_redirects=True)
    walk_in = ServiceRequest.select().order_by(ServiceRequest.id.desc()).first()
    assert walk_in.tracking_number in text(page) and not errors(page)
    patwari = walk_in.assigned_officer
    assert patwari.posts.get().designation.name == "Patwari" and not patwari.on_leave
    assert walk_in.tracking_number in text(login_as(app, patwari).get("/admin/request/"))

    # Received Friday 20 November at 11:00: the effective day is that Friday; Monday is the holiday,
    # so day 1 is Tuesday 24 and day 2 Wednesday 25, due at 23:59:59 IST.
    citizen = Citizen.get(Citizen.mobile == "9812345678")
    request = lifecycle.file(service, citizen, amb, area=area, filed_by=counter, at=utc("2026-11-20 11:00"),
                             form_values={"details": "Copy of the jamabandi of khewat 113."})
    assert ist(request.due_at) == "2026-11-25 23:59:59"
    officer = fresh(request).assigned_officer
    field = login_as(app, officer)
    assert "25-11-2026 23:59" in text(details(field, request))

    # Asked on Tuesday 24 at noon, answered at the counter on Monday 30: Wednesday, Thursday, Friday and
    # Monday were waited, so the due date moves four working days, to Tuesday 1 December.
    take(field, request, "start")
    take(field, request, "raise_query", note="Which khewat number: 113 or 131?")
    RequestPause.update(paused_at=utc("2026-11-24 12:00")).where(RequestPause.request == request.id).execute()
    request = fresh(request)
    lifecycle.perform(request, "answer_query", counter, version=request.version, note="Khewat 113.",
                      at=utc("2026-11-30 15:00"))
    assert ist(fresh(request).due_at) == "2026-12-01 23:59:59"

    # A page opened before the approval, its rejection sent after it, is refused and changes nothing.
    stale = details(field, request)
    take(field, request, "approve")
    before = state()
    page = take(field, request, "reject", page=stale, note="Khewat not found.")
    assert "changed" in errors(page) and state() == before and fresh(request).status == "approved"

    page = take(field, request, "deliver", document=(io.BytesIO(PDF), "copy.pdf"))
    assert not errors(page) and fresh(request).status == "delivered"
    assert offered(details(field, request)) == []
    assert Outbox.select().where(Outbox.channel == "sms", Outbox.address == "9812345678",
                                 Outbox.template == "request_delivered").count() == 1
