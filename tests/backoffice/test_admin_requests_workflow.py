"""A request's steps on the admin screens: offered by role, refused when stale or not his, the document, the worklists."""
import datetime
import html
import io
import re
from urllib.parse import quote

import pytest

from backoffice.admin import timeleft
from models import (
    AuditEntry, Citizen, Delivery, District, Holiday, Outbox, Post, RequestPause, RoleGrant, ServiceRequest, clock,
)
from models.holidays import calendar_for
from models.timeutil import utcnow
from tests.backoffice.admin_support import errors, filter_url
from tests.backoffice.requests_support import (  # noqa: F401 (w is a fixture)
    TRACKING, csrf, details, file_at_counter, fresh, login_as, offered, state, take, text, w,
)

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_walk_in_to_delivery_and_hand_over(app, w):
    counter = login_as(app, w.counter)
    page = file_at_counter(counter, w)
    request = ServiceRequest.get(ServiceRequest.filed_by == w.counter.id)
    assert request.tracking_number in text(page) and not errors(page)
    citizen = Citizen.get(Citizen.mobile == "9812345678")
    assert (request.citizen_id, citizen.name, request.form_values) == (
        citizen.id, "Asha Devi", {"details": "Caste certificate for college admission."})
    # Routed at once to the less busy of the two tehsildars, the first on a tie.
    assert (request.status, request.assigned_officer_id) == ("assigned", w.field.id)

    field = login_as(app, w.field)
    assert request.tracking_number in text(field.get("/admin/request/"))
    assert offered(details(field, request)) == ["start", "reject"]
    assert "Start work: done" in text(take(field, request, "start"))
    page = take(field, request, "raise_query", note="Attach your father's caste certificate.")
    assert fresh(request).status == "query_raised" and "Paused since" in text(page)

    # The query went out a week ago: the answer today moves the due date by the working days in between.
    RequestPause.update(paused_at=utcnow() - datetime.timedelta(days=7)).where(
        RequestPause.request == request.id).execute()
    due_before = fresh(request).due_at
    search = request.tracking_number.lower().replace("-", " ")
    assert offered(details(counter, request, search)) == ["answer_query", "withdraw"]
    page = take(counter, request, "answer_query", search=search, note="Certificate brought to the counter.")
    assert not errors(page) and "Running" in text(page)
    assert fresh(request).status == "citizen_responded" and fresh(request).due_at > due_before

    assert offered(details(field, request)) == ["raise_query", "approve", "reject"]
    take(field, request, "approve")
    page = take(field, request, "deliver", document=(io.BytesIO(PDF), "जाति प्रमाण पत्र.pdf"))
    assert fresh(request).status == "delivered" and not errors(page)
    delivery = Delivery.get(Delivery.request == request.id)
    assert (bytes(delivery.content), delivery.filename, delivery.delivered_by_id) == (
        PDF, "जाति प्रमाण पत्र.pdf", w.field.id)
    assert Outbox.select().where(Outbox.channel == "sms", Outbox.address == "9812345678",
                                 Outbox.template == "request_delivered").count() == 1

    link = re.search(r'href="([^"]*/document/[^"]*)"', page.get_data(as_text=True)).group(1)
    download = field.get(html.unescape(link))
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" + quote("जाति प्रमाण पत्र.pdf") in disposition
    entry = AuditEntry.get(AuditEntry.model_name == "delivery")
    assert (entry.action, entry.officer_id, entry.row_id, entry.note) == (
        "view", w.field.id, str(delivery.id), "delivered document")

    assert offered(details(counter, request, search)) == ["hand_over"]
    take(counter, request, "hand_over", search=search)
    assert Delivery.get(Delivery.request == request.id).handed_over_by_id == w.counter.id
    history = text(details(field, request))
    for words in ("Filed", "Assigned", "Work started", "Query raised", "Clock paused", "Citizen's answer recorded",
                  "Clock resumed", "Approved", "Delivered", "Handed over", "system", "Field", "Counter"):
        assert words in history, words


@pytest.fixture
def assigned(app, w):
    counter = login_as(app, w.counter)
    file_at_counter(counter, w)
    return ServiceRequest.get()


def test_a_form_from_before_a_change_is_refused_and_changes_nothing(app, w, assigned):
    field = login_as(app, w.field)
    stale = details(field, assigned)
    take(field, assigned, "start")
    before = state()
    page = take(field, assigned, "reject", page=stale, note="Not eligible.")
    assert "was changed by someone else while you had it open" in errors(page)
    assert state() == before


def test_two_officers_at_once_one_wins(app, w, assigned):
    field, admin = login_as(app, w.field), login_as(app, w.amb_admin)
    field_page, admin_page = details(field, assigned), details(admin, assigned)
    assert "reassign" in offered(admin_page)
    take(field, assigned, "start", page=field_page)
    page = take(admin, assigned, "reassign", page=admin_page, officer=str(w.field2.id), note="Leave from Monday.")
    assert "was changed by someone else" in errors(page)
    assert (fresh(assigned).status, fresh(assigned).assigned_officer_id) == ("in_progress", w.field.id)
    page = take(admin, assigned, "reassign", officer=str(w.field2.id), note="Leave from Monday.")
    assert not errors(page) and fresh(assigned).assigned_officer_id == w.field2.id


@pytest.mark.parametrize("who, step, fields, message", [
    ("counter", "approve", {}, "You may not take that step"),
    ("field", "reject", {"note": "  "}, "A rejection needs its reason in writing"),
    ("field", "deliver", {"document": b"GIF89a not a pdf"}, "photo.pdf is not a PDF file"),
    ("field", "reassign", {"officer": "0"}, "You may not take that step"),
])
def test_a_refused_step_says_why_and_changes_nothing(app, w, assigned, who, step, fields, message):
    field = login_as(app, w.field)
    take(field, assigned, "start")
    if step == "deliver":
        take(field, assigned, "approve")
    client = field if who == "field" else login_as(app, getattr(w, who))
    page = details(client, assigned)
    before = state()
    if "document" in fields:
        fields = {"document": (io.BytesIO(fields["document"]), "photo.pdf")}
    data = {"step": step, "version": str(fresh(assigned).version), "csrf_token": csrf(page), **fields}
    result = client.post(f"/admin/request/step/?id={assigned.id}", data=data, content_type="multipart/form-data",
                         follow_redirects=True)
    assert message in errors(result)
    assert state() == before


def test_a_request_out_of_scope_is_not_found_for_steps_and_document(app, w, assigned):
    hisar = login_as(app, w.hsr_field)
    token = csrf(hisar.get("/admin/request/"))
    before = state()
    answer = hisar.post(f"/admin/request/step/?id={assigned.id}",
                        data={"step": "start", "version": str(assigned.version), "csrf_token": token})
    assert answer.status_code == 404
    assert hisar.get(f"/admin/request/document/?id={assigned.id}").status_code == 404
    assert state() == before


def test_the_document_goes_only_to_those_who_see_the_request(app, w, assigned):
    field = login_as(app, w.field)
    take(field, assigned, "start")
    take(field, assigned, "approve")
    take(field, assigned, "deliver", note="Collect the original at the tehsil.", document=(io.BytesIO(PDF), "c.pdf"))
    url = f"/admin/request/document/?id={assigned.id}"
    # The counter filed it: his own. A counter of another district would need the number and the district.
    assert login_as(app, w.counter).get(url).data == PDF
    assert login_as(app, w.hsr_field).get(url).status_code == 404
    assert AuditEntry.select().where(AuditEntry.model_name == "delivery").count() == 1


def test_a_forged_form_without_its_token_is_refused(app, w, assigned):
    field = login_as(app, w.field)
    page = field.post(f"/admin/request/step/?id={assigned.id}",
                      data={"step": "start", "version": str(assigned.version)}, follow_redirects=True)
    assert "expired or did not come from this site" in errors(page)
    assert fresh(assigned).status == "assigned"


def test_an_administrator_assigns_a_request_nobody_could_take(app, w):
    counter = login_as(app, w.counter)
    Post.delete().where(Post.area == w.tehsil.id).execute()
    RoleGrant.delete().where(RoleGrant.officer == w.amb_admin.id).execute()
    file_at_counter(counter, w)
    request = ServiceRequest.get()
    assert (request.status, request.assigned_officer_id) == ("submitted", None)
    state = login_as(app, w.state)
    assert request.tracking_number in text(state.get(worklist(app, "Unrouted", "1")))
    Post.create(officer=w.field2, designation=w.service.designated_officer, area=w.tehsil)
    page = details(state, request)
    assert offered(page) == ["assign"]
    take(state, request, "assign", page=page, officer=str(w.field2.id))
    assert (fresh(request).status, fresh(request).assigned_officer_id) == ("assigned", w.field2.id)
    assert request.tracking_number not in text(state.get(worklist(app, "Unrouted", "1")))


def worklist(app, name, value):
    return filter_url(app, "request", name, value)


# The worklists: due today, within 2 working days, overdue, unrouted.

@pytest.fixture
def clocks(app, w):
    """Requests due at moments around now, by tracking number's last letter."""
    now = utcnow()
    today = clock.ist_date(now)
    calendar = calendar_for(None)
    citizen = Citizen.create(mobile="9812300000")
    due = {
        "A": now - datetime.timedelta(hours=1),  # overdue
        "B": clock.ist_day_end(today),  # due today
        "C": clock.ist_day_end(calendar.add_working_days(today, 2)),  # within 2
        "D": clock.ist_day_end(calendar.add_working_days(today, 3)),  # later
    }
    for letter, at in due.items():
        ServiceRequest.create(tracking_number=f"HR-2026-0000-000{letter}", citizen=citizen, service=w.service,
                              district=w.amb, status="in_progress", assigned_officer=w.field, due_at=at,
                              tat_value=3, tat_unit="working_days", routed_by="area")
    ServiceRequest.create(tracking_number="HR-2026-0000-000E", citizen=citizen, service=w.service, district=w.amb,
                          status="delivered", assigned_officer=w.field, due_at=due["A"], routed_by="area")
    ServiceRequest.create(tracking_number="HR-2026-0000-000F", citizen=citizen, service=w.service, district=w.amb,
                          due_at=due["D"])


@pytest.mark.parametrize("name, value, letters", [
    ("Deadline", "today", "B"),
    ("Deadline", "2", "BC"),
    ("Deadline", "overdue", "A"),
    ("Unrouted", "1", "F"),
    ("Unrouted", "0", "ABCDE"),
])
def test_the_worklists_list_the_right_requests(app, w, clocks, name, value, letters):
    page = login_as(app, w.amb_admin).get(worklist(app, name, value))
    assert {n[-1] for n in TRACKING.findall(page.get_data(as_text=True))} == set(letters)


def test_the_list_shows_time_left_and_links_to_the_worklists(app, w, clocks):
    admin = login_as(app, w.amb_admin)
    page = text(admin.get("/admin/request/"))
    assert "overdue by 1 working day" in page and "due today" in page and "2 working days left" in page
    exported = admin.get(worklist(app, "Deadline", "overdue").replace("/?", "/export/csv/?")).get_data(as_text=True)
    assert "HR-2026-0000-000A,SC certificate" in exported.replace("REV-SC: ", "")
    assert "overdue by 1 working day" in exported
    # Only administrators have the unrouted list.
    assert worklists(admin.get("/admin/request/")) == [
        "Due today", "Due within 2 working days", "Overdue", "Unrouted"]
    assert worklists(login_as(app, w.field).get("/admin/request/")) == [
        "Due today", "Due within 2 working days", "Overdue"]


def worklists(page):
    links = re.search(r'<nav class="mb-2"[^>]*>(.*?)</nav>', page.get_data(as_text=True), re.S).group(1)
    return [html.unescape(label) for label in re.findall(r">([^<]+)</a>", links)]


def test_due_soon_counts_working_days_from_a_given_moment(app, w):
    """Friday 10:00 IST: a request due on Saturday is due today; one due on Tuesday within 2 working days."""
    friday = datetime.datetime(2026, 12, 11, 10) - datetime.timedelta(hours=5, minutes=30)
    citizen = Citizen.create(mobile="9812300000")
    moments = {"S": friday + datetime.timedelta(days=1), "T": clock.ist_day_end(datetime.date(2026, 12, 15)),
               "W": clock.ist_day_end(datetime.date(2026, 12, 16)), "O": friday - datetime.timedelta(minutes=1)}
    for letter, at in moments.items():
        ServiceRequest.create(tracking_number=f"HR-2026-0000-000{letter}", citizen=citizen, service=w.service,
                              district=w.amb, status="assigned", due_at=at)

    def listed(value):
        query = timeleft.DeadlineFilter().apply(ServiceRequest.select(), value, now=friday)
        return {r.tracking_number[-1] for r in query}

    assert (listed("today"), listed("2"), listed("overdue")) == ({"S"}, {"S", "T"}, {"O"})


def test_an_hour_limit_is_due_today_only_before_midnight_tonight_as_its_time_left_says(app, w):
    """Friday 10:00 IST: 24-hour requests due Friday 22:39 and Saturday 22:39 IST; only the first is due today."""
    friday = datetime.datetime(2026, 12, 11, 10) - datetime.timedelta(hours=5, minutes=30)
    citizen = Citizen.create(mobile="9812300000")
    for letter, at in (("F", datetime.datetime(2026, 12, 11, 22, 39)), ("S", datetime.datetime(2026, 12, 12, 22, 39))):
        ServiceRequest.create(tracking_number=f"HR-2026-0000-000{letter}", citizen=citizen, service=w.service,
                              district=w.amb, status="assigned", tat_value=24, tat_unit="hours",
                              due_at=at - datetime.timedelta(hours=5, minutes=30))

    def listed(value):
        query = timeleft.DeadlineFilter().apply(ServiceRequest.select(), value, now=friday)
        return {r.tracking_number[-1] for r in query}

    assert (listed("today"), listed("2")) == ({"F"}, {"F", "S"})
    saturday = ServiceRequest.get(ServiceRequest.tracking_number == "HR-2026-0000-000S")
    timeleft.attach([saturday], now=friday)
    assert saturday.time_left == "36 hours left"


def test_due_soon_follows_each_districts_own_holidays(app, w):
    """A local holiday on Monday in Ambala: Wednesday is Ambala's second working day after Friday, Hisar's third."""
    friday = datetime.datetime(2026, 12, 11, 10) - datetime.timedelta(hours=5, minutes=30)
    Holiday.create(date=datetime.date(2026, 12, 14), name_en="Fair", name_hi="मेला", district=w.amb)
    hisar = District.create(code="TEST-HSR", name_en="Hisar", name_hi="हिसार")
    citizen = Citizen.create(mobile="9812300000")
    wednesday_end = clock.ist_day_end(datetime.date(2026, 12, 16))
    for letter, district, status in (("A", w.amb, "assigned"), ("H", hisar, "assigned"), ("Q", w.amb, "query_raised")):
        ServiceRequest.create(tracking_number=f"HR-2026-0000-000{letter}", citizen=citizen, service=w.service,
                              district=district, status=status, due_at=wednesday_end)

    def listed(value, now):
        query = timeleft.DeadlineFilter().apply(ServiceRequest.select(), value, now=now)
        return {r.tracking_number[-1] for r in query}

    assert listed("2", friday) == {"A"}
    # Waiting for the citizen's answer: on no deadline list, overdue or not.
    assert listed("overdue", friday + datetime.timedelta(days=7)) == {"A", "H"}


@pytest.mark.parametrize("unit, due_ist, now_ist, status, expected", [
    ("working_days", "2026-12-11 23:59:59", "2026-12-11 10:00", "assigned", "due today"),
    ("working_days", "2026-12-11 23:59:59", "2026-12-09 10:00", "assigned", "2 working days left"),
    ("working_days", "2026-12-11 23:59:59", "2026-12-14 10:00", "assigned", "overdue by 1 working day"),
    ("working_days", "2026-12-11 23:59:59", "2026-12-15 10:00", "query_raised", "paused for a query"),
    ("working_days", "2026-12-11 23:59:59", "2026-12-15 10:00", "delivered", ""),
    ("hours", "2026-12-11 13:30", "2026-12-11 10:00", "assigned", "3 hours left"),
    ("hours", "2026-12-11 10:00", "2026-12-11 11:30", "in_progress", "overdue by 2 hours"),
])
def test_time_left_in_words(app, unit, due_ist, now_ist, status, expected):
    def utc(ist_text):
        return datetime.datetime.fromisoformat(ist_text) - datetime.timedelta(hours=5, minutes=30)

    request = ServiceRequest(due_at=utc(due_ist), status=status, tat_unit=unit)
    with app.test_request_context():
        assert timeleft.words(request, utc(now_ist), calendar_for(None)) == expected
