"""A field officer's work from the app: his queue, one request, its steps, his circulars."""
import datetime
import logging

import pytest

from backoffice import workflow
from models import (
    AuditEntry, Circular, Citizen, CircularRecipient, Delivery, Outbox, ServiceRequest, circulars, clock, database,
)
from models.timeutil import utcnow
from tests.backoffice.api_support import (
    call, call_with_files, citizen_token, error_code, officer_token, ok, operation,
)
from tests.backoffice.requests_support import w  # noqa: F401 (a fixture)
from tests.conftest import PASSWORD
from tests.models.test_forms import PDF, PNG
from tests.rows import snapshot

MY_QUEUE, TRACK, STEP, CIRCULARS, ACKNOWLEDGE = (operation(name) for name in (
    "MyQueue", "OfficerTrack", "TakeStep", "UnreadCirculars", "AcknowledgeCircular"))
MOBILE = "9812345678"


def run(app, step):
    with app.app_context(), database.connection_context():
        return step()


def file(app, w, mobile=MOBILE, **changes):
    """A request of Asha Devi's, routed to one of Ambala's tehsildars; `changes` written over it."""
    def step():
        citizen, _ = Citizen.get_or_create(mobile=mobile, defaults={"name": "Asha Devi", "language": "en",
                                                                     "email": "asha@example.in"})
        request = workflow.file_request(w.service, citizen, w.amb, area=w.tehsil)
        if changes:
            ServiceRequest.update(**changes).where(ServiceRequest.id == request.id).execute()
        return ServiceRequest.get_by_id(request.id)
    return run(app, step)


def state():
    with database.connection_context():
        return snapshot()


def token_of(client, officer):
    return officer_token(client, officer.email, PASSWORD)


def numbers(connection):
    return [edge["node"]["trackingNumber"] for edge in connection["edges"]]


def steps(found):
    return [(s["step"], s["version"], s["needsNote"]) for s in found["steps"]]


def take(client, token, found, step, note=None, language=None, version=None):
    return ok(client, STEP, token, language, trackingNumber=found["trackingNumber"], step=step, note=note,
              version=found["version"] if version is None else version)["takeStep"]


def test_his_queue_holds_what_is_assigned_or_appealed_to_him_soonest_due_first(app, client, w):
    now = utcnow()
    later = file(app, w, assigned_officer=w.field, due_at=now + datetime.timedelta(days=5))
    sooner = file(app, w, assigned_officer=w.field, due_at=now + datetime.timedelta(days=1))
    appealed = file(app, w, assigned_officer=w.field2, appeal_level=1, appealed_to=w.field,
                    due_at=now - datetime.timedelta(days=3))
    file(app, w, assigned_officer=w.field2)
    file(app, w, assigned_officer=w.field, status="delivered", closed_at=now)  # done: not in the queue
    connection = ok(client, MY_QUEUE, token_of(client, w.field))["myQueue"]
    assert numbers(connection) == [appealed.tracking_number, sooner.tracking_number, later.tracking_number]
    assert connection["totalCount"] == 3
    reasons = {edge["node"]["trackingNumber"]: edge["node"]["reasons"] for edge in connection["edges"]}
    assert reasons[appealed.tracking_number] == ["APPEALED"] and reasons[sooner.tracking_number] == ["ASSIGNED"]
    node = connection["edges"][1]["node"]
    assert node["applicant"] == {"name": "Asha Devi", "mobile": MOBILE, "email": "asha@example.in"}
    assert node["area"] == "Ambala tehsil" and node["service"]["code"] == "REV-SC"


def test_the_queue_due_today_and_overdue_by_ist_days(app, client, w):
    today = clock.ist_date(utcnow())
    due_today = file(app, w, assigned_officer=w.field, due_at=clock.ist_day_end(today))
    overdue = file(app, w, assigned_officer=w.field, due_at=clock.ist_day_start(today) - datetime.timedelta(hours=1))
    file(app, w, assigned_officer=w.field, due_at=clock.ist_day_end(today) + datetime.timedelta(days=2))
    token = token_of(client, w.field)
    assert numbers(ok(client, MY_QUEUE, token, due="TODAY")["myQueue"]) == [due_today.tracking_number]
    assert numbers(ok(client, MY_QUEUE, token, due="OVERDUE")["myQueue"]) == [overdue.tracking_number]


def test_paging_through_the_queue_those_without_a_limit_last(app, client, w):
    now = utcnow()
    filed = [file(app, w, assigned_officer=w.field, due_at=now + datetime.timedelta(hours=i)) for i in range(3)]
    unlimited = [file(app, w, assigned_officer=w.field, due_at=None, tat_unit=None, tat_value=None) for _ in range(2)]
    expected = [r.tracking_number for r in filed] + sorted(r.tracking_number for r in unlimited)
    token, seen, after = token_of(client, w.field), [], None
    while True:
        connection = ok(client, MY_QUEUE, token, first=2, after=after)["myQueue"]
        assert connection["totalCount"] == 5
        seen += numbers(connection)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == expected


def test_a_request_out_of_his_scope_is_not_found_and_not_touched(app, client, w):
    request = file(app, w, assigned_officer=w.field)
    token = token_of(client, w.hsr_field)
    assert ok(client, TRACK, token, trackingNumber=request.tracking_number) == {"officerRequest": None}
    before = state()
    refusal = take(client, token, {"trackingNumber": request.tracking_number, "version": request.version}, "START")
    assert refusal["code"] == "request_not_found"
    assert state() == before


def test_personal_data_in_full_to_him_who_handles_it_masked_to_an_administrator(app, client, w):
    request = file(app, w, assigned_officer=w.field, form_values={"aadhaar": "123456789012", "village": "Naraingarh"})
    with database.connection_context():
        audited = AuditEntry.select().where(AuditEntry.action == "view").count()
    mine = ok(client, TRACK, token_of(client, w.field), trackingNumber=request.tracking_number)["officerRequest"]
    assert mine["applicant"]["mobile"] == MOBILE
    assert {a["key"]: a["value"] for a in mine["answers"]} == {"aadhaar": "123456789012", "village": "Naraingarh"}
    with database.connection_context():  # the full view of personal data is on the record, as on the admin's screen
        assert AuditEntry.select().where(AuditEntry.action == "view").count() == audited + 1
    theirs = ok(client, TRACK, token_of(client, w.amb_admin), trackingNumber=request.tracking_number)["officerRequest"]
    assert theirs["applicant"] == {"name": "Asha Devi", "mobile": "••••••5678", "email": "•••••••••••e.in"}
    assert {a["key"]: a["value"] for a in theirs["answers"]} == {"aadhaar": "••••••••9012", "village": "••••••garh"}
    assert theirs["steps"] == []  # an administrator of the district reads it; the steps are the officer's


def test_he_works_a_request_from_start_to_delivery_each_step_with_its_version(app, client, w):
    request = file(app, w, assigned_officer=w.field)
    token = token_of(client, w.field)
    found = ok(client, TRACK, token, trackingNumber=request.tracking_number)["officerRequest"]
    assert steps(found) == [("START", found["version"], False), ("REJECT", found["version"], True)]
    started = take(client, token, found, "START")
    assert started["status"] == "IN_PROGRESS" and started["version"] == found["version"] + 1
    assert [s[0] for s in steps(started)] == ["RAISE_QUERY", "APPROVE", "REJECT"]
    queried = take(client, token, started, "RAISE_QUERY", note="Which village?")
    assert queried["status"] == "QUERY_RAISED" and queried["steps"] == [] and queried["timeLeft"]["paused"]
    run(app, lambda: workflow.act(ServiceRequest.get_by_id(request.id), "answer_query", request.citizen,
                                  version=queried["version"], note="Naraingarh"))
    answered = ok(client, TRACK, token, trackingNumber=request.tracking_number)["officerRequest"]
    assert answered["status"] == "CITIZEN_RESPONDED"
    assert ("answer_query", "CITIZEN", "Naraingarh") in [(e["kind"], e["by"], e["note"]) for e in answered["timeline"]]
    approved = take(client, token, answered, "APPROVE")
    assert [s[0] for s in steps(approved)] == ["DELIVER"] and steps(approved)[0][2] is False
    delivered = take(client, token, approved, "DELIVER", note="Collect it at the tehsil.")
    assert delivered["status"] == "DELIVERED" and delivered["steps"] == [] and delivered["timeLeft"] is None
    with database.connection_context():
        told = [o.template for o in Outbox.select().where(Outbox.channel == "sms").order_by(Outbox.id)]
    assert told[-5:] == ["request_in_progress", "request_query_raised", "request_citizen_responded",
                         "request_approved", "request_delivered"]
    assert numbers(ok(client, MY_QUEUE, token)["myQueue"]) == []


def test_a_stale_phone_cannot_overwrite_a_colleagues_step(app, client, w):
    request = file(app, w, assigned_officer=w.field)
    token = token_of(client, w.field)
    seen = ok(client, TRACK, token, trackingNumber=request.tracking_number)["officerRequest"]
    run(app, lambda: workflow.act(ServiceRequest.get_by_id(request.id), "start", w.field, version=seen["version"]))
    before = state()
    refusal = take(client, token, seen, "REJECT", note="Not eligible.")
    assert refusal["code"] == "request_changed" and request.tracking_number in refusal["message"]
    assert state() == before


@pytest.mark.parametrize("officer, step, note, code", [
    ("field", "APPROVE", None, "transition_not_allowed"),  # not yet started
    ("field", "REJECT", " ", "reject_needs_note"),  # the Act wants the reason in writing
    ("amb_admin", "START", None, "transition_forbidden"),  # he sees it, he does not work it
])
def test_a_step_he_may_not_take_is_refused_and_nothing_changes(app, client, w, officer, step, note, code):
    request = file(app, w, assigned_officer=w.field)
    token = token_of(client, getattr(w, officer))
    before = state()
    refusal = take(client, token, {"trackingNumber": request.tracking_number, "version": request.version}, step, note)
    assert refusal["__typename"] == "Problem" and refusal["code"] == code
    assert state() == before


def test_a_rejection_with_its_reason_in_hindi(app, client, w):
    request = file(app, w, assigned_officer=w.field)
    token = token_of(client, w.field)
    found = ok(client, TRACK, token, "hi", trackingNumber=request.tracking_number)["officerRequest"]
    assert found["statusLabel"] == "आवंटित" and found["area"] == "अंबाला तहसील"
    rejected = take(client, token, found, "REJECT", note="Not a resident of the district.", language="hi")
    assert rejected["status"] == "REJECTED" and rejected["statusLabel"] == "अस्वीकृत"


def publish(app, w, title):
    return run(app, lambda: circulars.publish(w.amb_admin, title_en=title, title_hi=f"{title} (हिंदी)",
                                              body_en="Read it.", body_hi="पढ़ें।", district=w.amb))


def test_his_unread_circulars_and_acknowledging_them(app, client, w):
    older, newer = publish(app, w, "Older"), publish(app, w, "Newer")
    token = token_of(client, w.field)
    unread = ok(client, CIRCULARS, token, "hi")["unreadCirculars"]
    assert [c["title"] for c in unread] == ["Newer (हिंदी)", "Older (हिंदी)"] and unread[0]["body"] == "पढ़ें।"
    assert unread[0]["sentBy"] == w.amb_admin.name and unread[0]["acknowledgedAt"] is None
    done = ok(client, ACKNOWLEDGE, token, key=unread[1]["key"])["acknowledgeCircular"]
    assert done["title"] == "Older" and done["acknowledgedAt"]
    assert [c["title"] for c in ok(client, CIRCULARS, token)["unreadCirculars"]] == ["Newer"]
    with database.connection_context():
        assert CircularRecipient.get(circular=older.id, officer=w.field.id).acknowledged_at is not None
        assert CircularRecipient.get(circular=newer.id, officer=w.field.id).acknowledged_at is None


@pytest.mark.parametrize("key", ["theirs", "Q2lyY3VsYXI6eA==", "nonsense"])
def test_acknowledging_a_circular_not_his_is_refused_and_nothing_changes(app, client, w, key):
    circular = publish(app, w, "Ambala only")
    keys = {c["key"] for c in ok(client, CIRCULARS, token_of(client, w.field))["unreadCirculars"]}
    token = token_of(client, w.hsr_field)
    before = state()
    refusal = ok(client, ACKNOWLEDGE, token, key=keys.pop() if key == "theirs" else key)["acknowledgeCircular"]
    assert refusal["code"] == "circular_not_addressed"
    assert state() == before
    with database.connection_context():
        assert Circular.get_by_id(circular.id)


@pytest.mark.parametrize("name", ["MyQueue", "UnreadCirculars"])
def test_a_citizens_token_does_not_open_an_officers_work(app, client, w, name):
    with database.connection_context():
        Citizen.create(mobile="9812300001", name="Ram Lal")
    body = call(client, operation(name), citizen_token(client, "9812300001"))
    assert error_code(body) == "UNAUTHENTICATED" and body["data"] is None


def test_a_page_of_his_queue_costs_the_same_statements_for_1_and_20(app, client, w, caplog):
    token = token_of(client, w.field)

    def statements():
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="peewee"):
            connection = ok(client, MY_QUEUE, token, first=50)["myQueue"]
        return connection["totalCount"], len([r for r in caplog.records if r.name == "peewee"])

    file(app, w, assigned_officer=w.field)
    one = statements()
    for _ in range(19):
        file(app, w, assigned_officer=w.field)
    twenty = statements()
    assert (one[0], twenty[0]) == (1, 20)
    assert one[1] == twenty[1], (one, twenty)


def approved(app, w):
    request = file(app, w, assigned_officer=w.field)
    for action in ("start", "approve"):
        run(app, lambda action=action: workflow.act(ServiceRequest.get_by_id(request.id), action, w.field,
                                                    version=ServiceRequest.get_by_id(request.id).version))
    with database.connection_context():
        return ServiceRequest.get_by_id(request.id)


def deliver(client, token, request, files, **variables):
    status, body = call_with_files(client, STEP, token, files=files, trackingNumber=request.tracking_number,
                                   step="DELIVER", version=request.version, **variables)
    assert status == 200, body
    return body


def test_he_delivers_the_issued_pdf_as_a_multipart_file(app, client, w):
    request = approved(app, w)
    body = deliver(client, token_of(client, w.field), request, {"document": ("certificate.pdf", PDF, "text/plain")})
    assert body["data"]["takeStep"]["status"] == "DELIVERED", body
    with database.connection_context():
        delivery = Delivery.get(Delivery.request == request.id)
        assert (delivery.filename, bytes(delivery.content), delivery.note) == ("certificate.pdf", PDF, "")
    # The citizen finds it to download.
    found = ok(client, operation("Download"), citizen_token(client, MOBILE), trackingNumber=request.tracking_number)
    assert found["myRequest"]["delivery"]["document"]["filename"] == "certificate.pdf"


@pytest.mark.parametrize("files, note, code", [
    ({"document": ("certificate.pdf", PNG, "application/pdf")}, None, "document_not_pdf"),  # the bytes decide
    ({}, None, "deliver_needs_output"),
])
def test_a_delivery_without_a_pdf_or_a_note_is_refused_and_nothing_changes(app, client, w, files, note, code):
    request = approved(app, w)
    token = token_of(client, w.field)
    before = state()
    refusal = deliver(client, token, request, files, note=note)["data"]["takeStep"]
    assert refusal["__typename"] == "Problem" and refusal["code"] == code
    assert state() == before


def test_a_document_in_json_is_no_file(app, client, w):
    request = approved(app, w)
    token = token_of(client, w.field)
    before = state()
    body = call(client, STEP, token, trackingNumber=request.tracking_number, step="DELIVER",
                version=request.version, document="JVBERi0xLjQ=")
    assert error_code(body) == "BAD_USER_INPUT"
    assert state() == before
