"""The request lifecycle (models/lifecycle.py): filing, transitions, roles, versions, delivery."""
import datetime

import pytest

from models import (
    Area, Citizen, Delivery, Department, Designation, District, DomainError, Holiday, Officer, Post,
    RequestEvent, RequestPause, RoleGrant, Service, ServiceRequest, lifecycle,
)
from models.lifecycle import Document, available, citizen_by_mobile, file, hand_over, normalize_mobile, perform, reassign
from tests.ist import ist, utc

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


class World:
    pass


@pytest.fixture
def w(db):
    w = World()
    w.amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
    w.hsr = District.create(code="HSR", name_en="Hisar", name_hi="हिसार")
    w.tehsil = Area.create(district=w.amb, code="AMB-T", name_en="Ambala tehsil", name_hi="अंबाला तहसील", kind="tehsil")
    w.hsr_block = Area.create(district=w.hsr, code="HSR-B", name_en="Hisar block", name_hi="हिसार खंड", kind="block")
    w.rev = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
    w.tehsildar = Designation.create(department=w.rev, name="Tehsildar", level="area")
    w.service = Service.create(code="REV-SC", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र",
                               department=w.rev, category="certificates", tat_value=3, tat_unit="working_days",
                               designated_officer=w.tehsildar, status="published")
    w.power = Service.create(code="REV-PWR", name_en="Power restoration", name_hi="बिजली बहाली",
                             department=w.rev, category="utilities", tat_value=4, tat_unit="hours",
                             designated_officer=w.tehsildar, status="published")

    def officer(email, role=None, **grant):
        o = Officer.create(name=email.split("@")[0], email=email)
        if role:
            RoleGrant.create(officer=o, role=role, **grant)
        return o

    w.field = officer("tehsildar@x.in")
    Post.create(officer=w.field, designation=w.tehsildar, area=w.tehsil)
    w.other_field = officer("tehsildar2@x.in")
    Post.create(officer=w.other_field, designation=w.tehsildar, area=w.tehsil)
    w.counter = officer("counter@x.in", "counter_operator", district=w.amb)
    w.hsr_counter = officer("counter.hsr@x.in", "counter_operator", district=w.hsr)
    w.amb_admin = officer("amb@x.in", "district_admin", district=w.amb)
    w.rev_admin = officer("rev@x.in", "department_admin", department=w.rev)
    w.citizen = Citizen.create(mobile="9876500001", name="Sita Devi")
    w.stranger = Citizen.create(mobile="9876500002")
    return w


def filed(w, service=None, at="2026-12-08 11:00", **fields):
    return file(service or w.service, w.citizen, w.amb, area=w.tehsil, filed_by=w.counter, at=utc(at), **fields)


def history(request):
    return [(e.kind, e.from_status, e.to_status)
            for e in RequestEvent.select().where(RequestEvent.request == request.id).order_by(RequestEvent.id)]


def fresh(request):
    return ServiceRequest.get_by_id(request.id)


def go(request, action, actor, **fields):
    return perform(request, action, actor, version=request.version, **fields)


def test_filing_at_the_counter_routes_and_sets_the_due_date(w):
    request = filed(w)
    stored = fresh(request)
    assert stored.status == "assigned"
    # Routing: two tehsildars in the area, both idle; the lower id wins the tie.
    assert stored.assigned_officer_id == w.field.id
    assert stored.filed_by_id == w.counter.id
    assert (stored.tat_value, stored.tat_unit, stored.routed_by) == (3, "working_days", "area")
    # Tuesday 11:00 with 3 working days: due Friday.
    assert ist(stored.due_at) == "2026-12-11 23:59:59"
    assert history(request) == [("filed", None, "submitted"), ("assign", "submitted", "assigned")]


def test_a_request_received_on_the_friday_before_a_holiday(w):
    Holiday.create(date=datetime.date(2026, 12, 7), name_en="Local fair", name_hi="मेला", district=w.amb)
    request = filed(w, at="2026-12-04 16:30")
    # Friday is the receipt day; Monday is a holiday: days 1-3 are Tue, Wed, Thu.
    assert ist(fresh(request).due_at) == "2026-12-10 23:59:59"


def test_routing_spreads_work_to_the_holder_with_fewest_open_requests(w):
    first = filed(w)
    second = filed(w)
    assert {fresh(first).assigned_officer_id, fresh(second).assigned_officer_id} == {w.field.id, w.other_field.id}


def test_the_limit_at_receipt_binds_the_request(w):
    request = filed(w)
    Service.update(tat_value=30).where(Service.id == w.service.id).execute()
    go(request, "start", w.field)
    go(request, "raise_query", w.field, note="Attach the caste certificate of your father.", at=utc("2026-12-09 10:00"))
    go(request, "answer_query", w.counter, note="Attached.", at=utc("2026-12-10 12:00"))
    # Paused Wed→Thu: one working day more than Friday, on the limit of 3, not 30.
    assert ist(fresh(request).due_at) == "2026-12-14 23:59:59"


def test_the_whole_way_to_delivery(w):
    request = filed(w)
    go(request, "start", w.field)
    go(request, "raise_query", w.field, note="Attach your ration card.", at=utc("2026-12-09 10:00"))
    assert RequestPause.get(RequestPause.request == request.id).resumed_at is None
    assert fresh(request).status == "query_raised"
    # Answered at the counter the next Monday: Thu, Fri, Mon are added.
    go(request, "answer_query", w.counter, note="Ration card brought.", at=utc("2026-12-14 15:00"))
    assert ist(fresh(request).due_at) == "2026-12-16 23:59:59"
    go(request, "approve", w.field)
    assert fresh(request).closed_at is None  # approved but not delivered: still running
    event = go(request, "deliver", w.field, document=Document("certificate.pdf", "application/pdf", PDF), note="Signed.")
    stored = fresh(request)
    assert stored.status == "delivered" and stored.closed_at == event.at
    delivery = Delivery.get(Delivery.request == request.id)
    assert bytes(delivery.content) == PDF and delivery.size == len(PDF) and delivery.delivered_by_id == w.field.id
    assert [kind for kind, *_ in history(request)] == [
        "filed", "assign", "start", "raise_query", "clock_paused", "answer_query", "clock_resumed", "approve", "deliver"]
    assert available(w.field, stored) == []
    assert available(w.counter, stored) == ["hand_over"]
    hand_over(stored, w.counter, version=stored.version)
    assert Delivery.get(Delivery.request == request.id).handed_over_by_id == w.counter.id
    with pytest.raises(DomainError) as refused:
        hand_over(fresh(request), w.counter, version=fresh(request).version)
    assert refused.value.code == "transition_forbidden"


def test_a_delivery_note_instead_of_a_document(w):
    request = filed(w)
    for action in ("start", "approve"):
        go(request, action, w.field)
    go(request, "deliver", w.field, note="Connection restored on site.")
    assert Delivery.get(Delivery.request == request.id).content is None


def test_a_stale_version_is_refused_and_changes_nothing(w):
    request = filed(w)
    officers_copy = fresh(request)
    admins_copy = fresh(request)
    go(officers_copy, "start", w.field)
    before = history(request)
    with pytest.raises(DomainError) as refused:
        reassign(admins_copy, w.other_field, w.amb_admin, version=admins_copy.version)
    assert refused.value.code == "request_changed"
    with pytest.raises(DomainError):
        perform(fresh(request), "approve", w.field, version=admins_copy.version)
    stored = fresh(request)
    assert (stored.status, stored.assigned_officer_id) == ("in_progress", w.field.id)
    assert history(request) == before


def test_the_version_is_checked_in_the_database_too(w):
    """Both read the same version; the second write finds the row moved on."""
    request = filed(w)
    mine, theirs = fresh(request), fresh(request)
    go(mine, "reject", w.field, note="Not eligible.")
    with pytest.raises(DomainError) as refused:
        go(theirs, "start", w.field)
    assert refused.value.code == "request_changed"
    assert fresh(request).status == "rejected"
    assert [kind for kind, *_ in history(request)][-1] == "reject"


@pytest.mark.parametrize("action, actor", [
    ("start", "other_field"), ("start", "counter"), ("start", "amb_admin"), ("approve", "field"),
    ("answer_query", "field"), ("withdraw", "hsr_counter"), ("withdraw", "field"),
])
def test_transitions_refused_for_the_wrong_person_or_state(w, action, actor):
    request = filed(w)
    before = (fresh(request).status, history(request))
    with pytest.raises(DomainError) as refused:
        go(request, action, getattr(w, actor))
    assert refused.value.code in ("transition_forbidden", "transition_not_allowed")
    assert (fresh(request).status, history(request)) == before


def test_an_inactive_assignee_can_no_longer_act(w):
    request = filed(w)
    w.field.active = False
    w.field.save()
    with pytest.raises(DomainError) as refused:
        go(request, "start", Officer.get_by_id(w.field.id))
    assert refused.value.code == "transition_forbidden"


def test_an_unknown_step_is_refused(w):
    with pytest.raises(DomainError) as refused:
        go(filed(w), "approve_quickly", w.field)
    assert refused.value.code == "transition_unknown"


@pytest.mark.parametrize("action, sources", [("reject", ("start",)), ("raise_query", ("start",)),
                                             ("answer_query", ("start", "raise_query"))])
def test_steps_that_need_words(w, action, sources):
    request = filed(w)
    for step in sources:
        go(request, step, w.field, note="Need a document.")
    actor = w.counter if action == "answer_query" else w.field
    with pytest.raises(DomainError) as refused:
        go(request, action, actor, note="   ")
    assert refused.value.code == f"{action}_needs_note"


def test_rejection_records_the_reason_and_stops_the_clock(w):
    request = filed(w)
    go(request, "start", w.field)
    event = go(request, "reject", w.field, note="Applicant is not a resident of Haryana.")
    stored = fresh(request)
    assert stored.status == "rejected" and stored.closed_at == event.at
    assert event.note == "Applicant is not a resident of Haryana."
    with pytest.raises(DomainError):
        go(stored, "withdraw", w.counter)


@pytest.mark.parametrize("document, code", [
    (Document("x.pdf", "application/pdf", b""), "document_empty"),
    (Document("photo.pdf", "application/pdf", b"\x89PNG\r\n"), "document_not_pdf"),
    (Document("big.pdf", "application/pdf", b"%PDF-" + b"0" * lifecycle.MAX_DOCUMENT_BYTES), "document_too_large"),
    (None, "deliver_needs_output"),
])
def test_delivery_without_a_proper_output_is_refused(w, document, code):
    request = filed(w)
    for action in ("start", "approve"):
        go(request, action, w.field)
    with pytest.raises(DomainError) as refused:
        go(request, "deliver", w.field, document=document)
    assert refused.value.code == code
    assert fresh(request).status == "approved"
    assert not Delivery.select().exists()


def test_withdrawal_during_a_query_closes_the_pause(w):
    request = filed(w)
    go(request, "start", w.field)
    go(request, "raise_query", w.field, note="Which village?", at=utc("2026-12-09 10:00"))
    due = fresh(request).due_at
    go(request, "withdraw", w.citizen, at=utc("2026-12-10 10:00"))
    stored = fresh(request)
    assert stored.status == "withdrawn" and stored.due_at == due
    assert RequestPause.get(RequestPause.request == request.id).resumed_at == utc("2026-12-10 10:00")


def test_no_withdrawal_after_the_decision(w):
    request = filed(w)
    for action in ("start", "approve"):
        go(request, action, w.field)
    with pytest.raises(DomainError) as refused:
        go(request, "withdraw", w.citizen)
    assert refused.value.code == "transition_not_allowed"


def test_a_citizen_acts_on_his_own_requests_only(w):
    request = filed(w)
    assert available(w.citizen, request) == ["withdraw"]
    assert available(w.stranger, request) == []
    with pytest.raises(DomainError):
        go(request, "withdraw", w.stranger)


def test_hour_limits_move_by_the_paused_time(w):
    request = filed(w, service=w.power, at="2026-12-08 11:00")
    assert ist(fresh(request).due_at) == "2026-12-08 15:00:00"
    go(request, "start", w.field)
    go(request, "raise_query", w.field, note="Meter number?", at=utc("2026-12-08 12:00"))
    go(request, "answer_query", w.counter, note="HR-123", at=utc("2026-12-08 13:30"))
    assert ist(fresh(request).due_at) == "2026-12-08 16:30:00"


def test_without_a_holder_the_district_administrator_takes_it(w):
    Post.delete().execute()
    request = filed(w)
    stored = fresh(request)
    assert (stored.status, stored.assigned_officer_id, stored.routed_by) == ("assigned", w.amb_admin.id, "district_admin")


def test_unrouted_requests_wait_for_an_administrator(w):
    Post.delete().execute()
    RoleGrant.delete().where(RoleGrant.role == "district_admin").execute()
    request = filed(w)
    stored = fresh(request)
    assert (stored.status, stored.assigned_officer_id) == ("submitted", None)
    assert available(w.field, stored) == []
    assert "assign" in available(w.rev_admin, stored)
    with pytest.raises(DomainError) as refused:
        go(stored, "assign", w.rev_admin)
    assert refused.value.code == "assign_needs_officer"
    go(stored, "assign", w.rev_admin, to_officer=w.other_field)
    assert (fresh(request).assigned_officer_id, fresh(request).routed_by) == (w.other_field.id, "manual")


def test_reassignment(w):
    request = filed(w)
    assert "reassign" in available(w.rev_admin, request)
    assert "reassign" not in available(w.counter, request)
    with pytest.raises(DomainError) as refused:
        reassign(request, w.field, w.amb_admin, version=request.version)
    assert refused.value.code == "reassign_to_same_officer"
    w.other_field.on_leave = True
    w.other_field.save()
    with pytest.raises(DomainError) as refused:
        reassign(request, w.other_field, w.amb_admin, version=request.version)
    assert refused.value.code == "officer_unavailable"
    w.other_field.on_leave = False
    w.other_field.save()
    with pytest.raises(DomainError) as refused:
        reassign(request, w.other_field, w.field, version=request.version)
    assert refused.value.code == "transition_forbidden"
    event = reassign(request, w.other_field, w.amb_admin, version=request.version)
    assert fresh(request).assigned_officer_id == w.other_field.id and event.kind == "reassigned"
    assert fresh(request).status == "assigned"


@pytest.mark.parametrize("change", ["service", "area", "counter"])
def test_filing_refusals_create_nothing(w, change):
    fields = dict(service=w.service, area=w.tehsil, filed_by=w.counter)
    if change == "service":
        fields["service"] = Service.create(code="REV-NEW", name_en="New", name_hi="नई", department=w.rev,
                                           category="x", status="draft")
    elif change == "area":
        fields["area"] = w.hsr_block
    else:
        fields["filed_by"] = w.hsr_counter
    with pytest.raises(DomainError) as refused:
        file(fields.pop("service"), w.citizen, w.amb, **fields)
    assert refused.value.code == {"service": "service_not_open", "area": "area_not_in_district",
                                  "counter": "counter_outside_district"}[change]
    assert not ServiceRequest.select().exists() and not RequestEvent.select().exists()


def test_history_is_append_only(w):
    event = RequestEvent.select().where(RequestEvent.request == filed(w).id).first()
    event.note = "rewritten"
    with pytest.raises(DomainError):
        event.save()
    with pytest.raises(DomainError):
        event.delete_instance()
    with pytest.raises(DomainError):
        RequestEvent.update(note="rewritten")


@pytest.mark.parametrize("typed, number", [
    ("9876543210", "9876543210"), ("+91 98765 43210", "9876543210"), ("098765-43210", "9876543210"),
    ("919876543210", "9876543210"), ("5876543210", None), ("98765", None), ("", None), ("98765432101", None),
])
def test_mobile_numbers_as_people_type_them(typed, number):
    assert normalize_mobile(typed) == number


def test_the_walk_in_citizen_is_found_or_created_by_mobile(w):
    assert citizen_by_mobile("+91 98765 00001").id == w.citizen.id
    created = citizen_by_mobile("9812345678", name=" Ram Kumar ", language="en", district=w.amb)
    assert (created.mobile, created.name, created.language) == ("9812345678", "Ram Kumar", "en")
    with pytest.raises(DomainError) as refused:
        citizen_by_mobile("12345")
    assert refused.value.code == "mobile_invalid"
    assert Citizen.select().count() == 3
