"""A citizen's data under the DPDP Act: his export, his erasure (nothing personal left in any table, the
Right to Service record kept), its refusals (nothing changed), and the retention purge."""
import datetime
import io
import json
import zipfile

import pytest

from backoffice import appeal_workflow, workflow
from backoffice.notify import digests
from models import (
    ALL_MODELS, ApiToken, Appeal, AuditEntry, Citizen, Delivery, Designation, DevelopmentSms, HelpTicket,
    LoginCode, Officer, Outbox, Post, RequestDocument, RequestEvent, RequestRating, Service, ServiceRequest,
    TicketAttachment, TicketMessage, audit, database, helpdesk, notifications, privacy, retention, tokens,
)
from models.people import ROLES
from models.timeutil import utcnow
from tests.backoffice.admin_support import make_request
from tests.backoffice.requests_support import w  # noqa: F401 (a fixture)
from tests.conftest import csrf_token, login, make_officer
from tests.rows import snapshot
from tests.world import password_hash

NAME = "Zubeida Qureshi-Marker"
MOBILE = "9812345670"
EMAIL = "zubeida.marker@example.com"
ANSWER = "Plot 77, Markerwali Gali"
DOCUMENT = b"%PDF-1.4 aadhaar-card-of-zubeida"
ISSUED = b"%PDF-1.4 certificate-for-zubeida"
# What must be nowhere after the erasure: each of his values, in any table.
PERSONAL = (NAME, MOBILE, EMAIL, ANSWER, "aadhaar-card-of-zubeida", "certificate-for-zubeida", "Markerwali",
            "zubeida.marker")


def his_world(officer):
    """A citizen with data in every place it can be kept, his request decided and his ticket closed."""
    request = make_request(number="HR-2026-PRIV-ACY0", mobile=MOBILE, status="delivered", closed_at=utcnow(),
                           form_values={"address": ANSWER, "aadhaar": {"filename": "aadhaar.pdf", "sha256": "ab",
                                                                       "content_type": "application/pdf",
                                                                       "size": len(DOCUMENT)}})
    citizen = request.citizen
    before = audit.snapshot(citizen)
    Citizen.update(name=NAME, email=EMAIL).where(Citizen.id == citizen.id).execute()
    citizen = Citizen.get_by_id(citizen.id)
    audit.record(officer, "update", citizen, before, audit.snapshot(citizen))
    audit.record(officer, "update", request, {"form_values": {}}, {"form_values": request.form_values})
    audit.record_view(officer, request, f"document aadhaar.pdf of {NAME}")
    RequestDocument.create(request=request, key="aadhaar", filename="aadhaar-zubeida.marker.pdf",
                           content_type="application/pdf", size=len(DOCUMENT), sha256="ab", content=DOCUMENT)
    RequestEvent.create(request=request, citizen=citizen, kind="answer_query", note=f"I live at {ANSWER}")
    RequestEvent.create(request=request, officer=officer, kind="transition", note=f"Spoke to {NAME} on {MOBILE}")
    Delivery.create(request=request, filename="certificate.pdf", content=ISSUED, size=len(ISSUED),
                    delivered_by=officer, delivered_at=utcnow(), note=f"For {NAME}")
    Appeal.create(request=request, level=1, reason="rejected", grounds=f"{NAME} was wronged",
                  appealed_at=utcnow())
    RequestRating.create(request=request, stars=2, comment=f"Slow, says {NAME}", rated_at=utcnow())
    ticket = helpdesk.open_ticket(citizen, f"Help for {NAME}", f"Call me on {MOBILE}", channel="email",
                                  sender_address=EMAIL, sender_name=NAME, raw=f"From: {EMAIL}\n\n{ANSWER}".encode(),
                                  message_id=f"<1@{EMAIL.split('@')[1]}>",
                                  attachments=[("id.pdf", "application/pdf", DOCUMENT, len(DOCUMENT))])
    helpdesk.TicketParticipant.create(ticket=ticket, address=EMAIL)
    # An officer asks the help desk about the request, naming him.
    asked = helpdesk.open_ticket(officer, f"Applicant {NAME}", f"{NAME} says {ANSWER}", channel="app")
    HelpTicket.update(request=request, status="closed").where(HelpTicket.id == asked.id).execute()
    HelpTicket.update(status="closed").where(HelpTicket.id == ticket.id).execute()
    notifications.mark_bounced(EMAIL, status="5.1.1", diagnostic=f"{EMAIL}: no such user")
    sms = notifications.queue("sms", MOBILE, f"Dear {NAME}, HR-2026-PRIV-ACY0 is ready", language="en",
                              name=NAME, about=request)
    notifications.queue("email", EMAIL, f"Dear {NAME}", language="en", name=NAME, subject=f"For {NAME}",
                        about=request, attachments=[("certificate.pdf", "application/pdf", ISSUED)])
    notifications.queue("email", officer.email, f"{NAME} ({MOBILE}) at {ANSWER} appealed", language="en",
                        subject=f"Appeal by {NAME}", about=request)
    DevelopmentSms.create(outbox=sms, mobile=MOBILE, text=f"Dear {NAME}", segments=1)
    LoginCode.create(mobile=MOBILE, ip="203.0.113.9", salt="s", code_hmac="h",
                     expires_at=utcnow() + datetime.timedelta(minutes=5))
    tokens.issue(citizen)
    return citizen, request, ticket


def every_value():
    """Every value in every table as text (bytes decoded), for a search."""
    for rows in snapshot(ALL_MODELS).values():
        for row in rows:
            for value in row.values():
                if isinstance(value, (bytes, memoryview)):
                    yield bytes(value).decode("latin-1")
                elif isinstance(value, (dict, list)):
                    yield json.dumps(value, ensure_ascii=False)
                elif value is not None:
                    yield str(value)


def personal_left():
    return sorted({marker for value in every_value() for marker in PERSONAL if marker in value})


@pytest.fixture
def officer(app, catalogue):
    return make_officer("officer@example.gov.in", "district_admin")


def test_erasure_leaves_no_personal_value_in_any_table_and_keeps_the_record(app, officer):
    with database.connection_context():
        citizen, request, ticket = his_world(officer)
        assert set(personal_left()) == set(PERSONAL)  # the search finds each of them before
        events_before = RequestEvent.select().where(RequestEvent.request == request).count()
        privacy.erase(citizen, officer, "Letter of 2 December 2026 at the Ambala counter")
        assert personal_left() == []
        citizen = Citizen.get_by_id(citizen.id)
        assert (citizen.name, citizen.mobile, citizen.email) == (f"erased-{citizen.id}", None,
                                                                  f"erased-{citizen.id}@erased.invalid")
        assert citizen.erased_at is not None
        # The Right to Service record: the request, its dates, status, history and decision stay.
        kept = ServiceRequest.get_by_id(request.id)
        assert (kept.status, kept.closed_at, kept.submitted_at) == (request.status, request.closed_at,
                                                                     request.submitted_at)
        assert kept.form_values == {"address": citizen.name, "aadhaar": citizen.name}
        assert RequestEvent.select().where(RequestEvent.request == request).count() == events_before
        assert Appeal.get(Appeal.request == request).level == 1
        assert RequestRating.get(RequestRating.request == request).stars == 2
        delivery = Delivery.get(Delivery.request == request)
        assert delivery.content is None and delivery.delivered_by_id == officer.id
        assert HelpTicket.get_by_id(ticket.id).number == ticket.number
        # Mail to him waiting is never sent; he is logged out everywhere.
        assert not Outbox.select().where(Outbox.status == "pending", Outbox.name == citizen.name).exists()
        assert not ApiToken.select().where(ApiToken.citizen == citizen).exists()
        entry = AuditEntry.select().where(AuditEntry.action == "erase").get()
        assert (entry.officer_id, entry.model_name, entry.row_id) == (officer.id, "citizen", str(citizen.id))
        assert entry.note == "Letter of 2 December 2026 at the Ambala counter"


@pytest.mark.parametrize("why", ["open request", "open ticket", "no reason", "already erased"])
def test_a_refused_erasure_changes_nothing(app, officer, why):
    with database.connection_context():
        citizen, request, ticket = his_world(officer)
        reason = "By letter"
        if why == "open request":
            ServiceRequest.update(status="in_progress", closed_at=None).where(ServiceRequest.id == request.id).execute()
        elif why == "open ticket":
            HelpTicket.update(status="open").where(HelpTicket.id == ticket.id).execute()
        elif why == "no reason":
            reason = "  "
        else:
            privacy.erase(citizen, officer, reason)
        before = snapshot()
        with pytest.raises(privacy.DomainError) as refused:
            privacy.erase(Citizen.get_by_id(citizen.id), officer, reason)
        assert refused.value.code == {"open request": "erasure_open_business", "open ticket": "erasure_open_business",
                                      "no reason": "erasure_reason_required",
                                      "already erased": "citizen_already_erased"}[why]
        assert snapshot() == before


def test_a_state_administrator_exports_and_erases_from_the_admin(app, client, officer):
    admin = make_officer("state.admin@example.gov.in", "state_admin")
    with database.connection_context():
        citizen, request, _ = his_world(officer)
    login(client, admin.email)
    page = client.get(f"/admin/privacy/?q=%2B91+{MOBILE}").get_data(as_text=True)
    assert NAME in page and "Export everything" in page
    token = csrf_token(client, f"/admin/privacy/?q={request.tracking_number}")
    answer = client.post(f"/admin/privacy/export/?id={citizen.id}", data={"csrf_token": token})
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    assert json.loads(archive.read("citizen.json"))["mobile"] == MOBILE
    assert json.loads(archive.read("requests.json"))[0]["form_values"]["address"] == ANSWER
    assert archive.read("documents/HR-2026-PRIV-ACY0/aadhaar-aadhaar-zubeida.marker.pdf") == DOCUMENT
    assert archive.read("issued/HR-2026-PRIV-ACY0-certificate.pdf") == ISSUED
    assert json.loads(archive.read("tickets.json"))[0]["messages"][0]["body_text"] == f"Call me on {MOBILE}"
    assert {m["channel"] for m in json.loads(archive.read("messages.json"))} == {"sms", "email"}
    assert json.loads(archive.read("requests.json"))[0]["rating"][0]["comment"] == f"Slow, says {NAME}"

    answer = client.post(f"/admin/privacy/erase/?id={citizen.id}",
                         data={"csrf_token": token, "reason": "Her e-mail of 3 December", "confirm": "y"},
                         follow_redirects=True)
    assert "was erased" in answer.get_data(as_text=True)
    with database.connection_context():
        assert personal_left() == []
        assert [(e.action, e.officer_id) for e in AuditEntry.select().where(
            AuditEntry.action.in_(["export", "erase"])).order_by(AuditEntry.id)] == [("export", admin.id),
                                                                                     ("erase", admin.id)]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "state_admin"])
def test_every_other_role_is_refused_and_changes_nothing(app, client, officer, role):
    with database.connection_context():
        citizen, request, _ = his_world(officer)
        grant = {"department_admin": {"department": request.service.department_id},
                 "district_admin": {"district": request.district_id},
                 "counter_operator": {"district": request.district_id}}.get(role, {})
        other = make_officer(f"{role}@example.gov.in", role, **grant)
        before = snapshot()
    login(client, other.email)
    assert client.get(f"/admin/privacy/?q={MOBILE}").status_code == 403
    token = csrf_token(client, "/admin/")
    for url in (f"/admin/privacy/export/?id={citizen.id}", f"/admin/privacy/erase/?id={citizen.id}"):
        answer = client.post(url, data={"csrf_token": token, "reason": "x", "confirm": "y"})
        assert answer.status_code == 403
    with database.connection_context():
        after = snapshot()
    # Logging in stamps last_login_at; nothing else may differ.
    assert {k: v for k, v in after.items() if k != "Officer"} == {k: v for k, v in before.items() if k != "Officer"}


def test_a_refusal_on_the_admin_is_worded_and_changes_nothing(app, client, officer):
    admin = make_officer("state.admin@example.gov.in", "state_admin")
    with database.connection_context():
        citizen, request, _ = his_world(officer)
        ServiceRequest.update(status="in_progress", closed_at=None).where(ServiceRequest.id == request.id).execute()
    login(client, admin.email)
    page = client.get(f"/admin/privacy/?q={MOBILE}&lang=hi").get_data(as_text=True)
    assert 'id="erasure-refused"' in page and "खुले" in page
    with database.connection_context():
        before = snapshot()
    token = csrf_token(client, "/admin/citizen/")
    client.post(f"/admin/privacy/erase/?id={citizen.id}", data={"csrf_token": token, "reason": "x", "confirm": "y"})
    with database.connection_context():
        assert snapshot() == before


def test_retention_purges_only_what_is_past_its_period(app, officer):
    now = utcnow()
    old, recent = now - datetime.timedelta(days=200), now - datetime.timedelta(days=10)
    with database.connection_context():
        citizen, _, ticket = his_world(officer)
        HelpTicket.update(updated_at=old).where(HelpTicket.id == ticket.id).execute()
        open_ticket = helpdesk.open_ticket(citizen, "Still open", "text", channel="email", raw=b"raw",
                                           attachments=[("a.pdf", "application/pdf", b"kept", 4)])
        HelpTicket.update(updated_at=old).where(HelpTicket.id == open_ticket.id).execute()
        LoginCode.create(mobile=MOBILE, ip="x", salt="s", code_hmac="h", created_at=now - datetime.timedelta(days=3),
                         expires_at=now - datetime.timedelta(days=3), used_at=now - datetime.timedelta(days=3))
        tokens.issue(citizen, now=now - datetime.timedelta(days=90))  # expired 60 days ago
        tokens.issue(citizen, now=recent)
        counts = retention.purge(180, 1, 30, now=now)
        assert counts == {"ticket_attachments": 1, "ticket_raw_mail": 1, "login_codes": 1, "api_tokens": 1}
        assert TicketAttachment.select().where(TicketAttachment.content.is_null(False)).count() == 1
        assert TicketMessage.get(TicketMessage.ticket == ticket).raw is None
        assert LoginCode.select().count() == 1 and ApiToken.select().count() == 2
        assert retention.purge(180, 1, 30, now=now) == dict.fromkeys(counts, 0)


def test_privacy_purge_command(app, officer):
    with database.connection_context():
        citizen, _, _ = his_world(officer)
        tokens.issue(citizen, now=utcnow() - datetime.timedelta(days=90))
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 app tokens purged" in result.output


def test_personal_data_never_becomes_a_metrics_label(app, client, officer):
    """/metrics is read by monitoring, which may not see citizens: a mobile number in an operation's name,
    a variable or a page's address must not come out as a label."""
    admin = make_officer("state.admin@example.gov.in", "state_admin")
    with database.connection_context():
        his_world(officer)
    login_code = "mutation RequestLoginCode($mobile: String!) { requestLoginCode(mobile: $mobile) { __typename } }"
    client.post("/graphql", json={"query": login_code, "operationName": "RequestLoginCode",
                                  "variables": {"mobile": MOBILE}})
    client.post("/graphql", json={"query": login_code.replace("RequestLoginCode(", f"M{MOBILE}(", 1),
                                  "operationName": f"M{MOBILE}", "variables": {"mobile": MOBILE}})
    login(client, admin.email)
    client.get(f"/admin/privacy/?q={MOBILE}")
    client.get(f"/admin/citizen/?search={EMAIL}")
    exposition = client.get("/metrics").get_data(as_text=True)
    assert "jansahayak_http_request_duration_seconds" in exposition
    assert not [marker for marker in PERSONAL if marker in exposition]


def test_mail_to_officers_carries_no_citizen_personal_data(app, w):
    """Officers are told of a request by its tracking number, service and district: whoever gets the mail (an
    authority, the officer it is against, a digest), the citizen's name, number, address and answers stay in
    the back office, behind models/scope.py's rule."""
    with app.app_context(), database.connection_context():
        sdm = Designation.create(department=w.service.department, name="SDM", level="area")
        Service.update(first_appellate=sdm).where(Service.id == w.service.id).execute()
        authority = Officer.create(name="SDM", email="sdm@x.in", password_hash=password_hash())
        Post.create(officer=authority, designation=sdm, area=w.tehsil)
        citizen = Citizen.create(mobile=MOBILE, name=NAME, email=EMAIL, language="en")
        request = workflow.file_request(Service.get_by_id(w.service.id), citizen, w.amb, area=w.tehsil,
                                        form_values={"address": ANSWER})
        request = ServiceRequest.get_by_id(request.id)
        workflow.act(request, "start", request.assigned_officer, version=request.version)
        ServiceRequest.update(due_at=utcnow() - datetime.timedelta(days=1)).execute()
        assert appeal_workflow.sweep()[1] == 1
        digests.queue_today()
        to_officers = list(Outbox.select().where(Outbox.address.not_in([MOBILE, EMAIL])))
        assert {m.address for m in to_officers} >= {"sdm@x.in", request.assigned_officer.email}
        for message in to_officers:
            text = " ".join(filter(None, (message.subject, message.body_text, message.body_html, message.name)))
            assert not [marker for marker in PERSONAL if marker in text], (message.template, text)
        assert Outbox.select().where(Outbox.address == EMAIL).exists()  # he himself is told, in full
