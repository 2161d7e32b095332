"""Appeals on the admin screens: the sweep's command, the authority who directs and the officer who then decides,
the citizen's appeal at the counter, the Commission's screen and decision; out of scope reads as missing."""
import datetime
import html
import re

import pytest

from models import (
    Appeal, CommissionDecision, Designation, Officer, Outbox, Post, RequestEvent, RoleGrant, ServiceRequest, clock,
)
from models.timeutil import utcnow
from tests.backoffice.admin_support import errors, filter_url
from tests.backoffice.requests_support import (  # noqa: F401 (w is a fixture)
    csrf, details, file_at_counter, fresh, login_as, offered, state, take, text, w,
)
from tests.world import password_hash

DAY = datetime.timedelta(days=1)


@pytest.fixture
def a(app, w):
    """The request world with the SC certificate's appellate posts held in Ambala, and a Commission member."""
    sdm = Designation.create(department=w.service.department, name="SDM", level="area")
    dc = Designation.create(department=w.service.department, name="Deputy Commissioner", level="district")
    w.service.first_appellate, w.service.second_appellate = sdm, dc
    w.service.save()

    def officer(email, role=None):
        o = Officer.create(name=email.split("@")[0].title(), email=email, password_hash=password_hash())
        if role:
            RoleGrant.create(officer=o, role=role)
        return o

    w.sdm = officer("sdm@x.in")
    Post.create(officer=w.sdm, designation=sdm, area=w.tehsil)
    w.dc = officer("dc@x.in")
    Post.create(officer=w.dc, designation=dc, district=w.amb)
    w.hsr_sdm = officer("sdm.hisar@x.in")
    Post.create(officer=w.hsr_sdm, designation=sdm, area=w.hsr_tehsil)
    w.commission = officer("commission@x.in", "commission_member")
    return w


def sweep(app):
    result = app.test_cli_runner().invoke(args=["sla", "sweep"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def overdue(request, **fields):
    """Its time ran out a day ago: the request's own (level 0) or its authority's."""
    column = "appeal_due_at" if fresh(request).appeal_level else "due_at"
    ServiceRequest.update(**{column: utcnow() - DAY}, **fields).where(ServiceRequest.id == request.id).execute()


def told(request):
    """(channel, template, address) of every message about `request`, in order."""
    return [(m.channel, m.template, m.address)
            for m in Outbox.select().where(Outbox.about_request == request.id).order_by(Outbox.id)]


def worklist(app, value):
    return filter_url(app, "request", "Appeal", value)


def worklists(page):
    """The worklist links above the requests list."""
    links = re.search(r'<nav class="mb-2"[^>]*>(.*?)</nav>', page.get_data(as_text=True), re.S).group(1)
    return [html.unescape(label) for label in re.findall(r">([^<]+)</a>", links)]


@pytest.fixture
def appealed(app, a):
    file_at_counter(login_as(app, a.counter), a)
    request = ServiceRequest.get()
    overdue(request)
    Outbox.delete().execute()
    assert sweep(app) == "1 appealed to the first authority, 0 to the second, 0 flagged for the Commission"
    return fresh(request)


def test_the_sweep_appeals_the_overdue_request_to_the_authority_and_tells_everyone(app, a, appealed):
    assert (appealed.appeal_level, appealed.appealed_to_id, appealed.status) == (1, a.sdm.id, "assigned")
    assert told(appealed) == [("sms", "request_appealed", "9812345678"),
                              ("email", "appeal_to_you", a.sdm.email),
                              ("email", "appeal_on_your_request", a.field.email)]
    mail = Outbox.get(Outbox.template == "appeal_to_you")
    assert f"/admin/request/details/?id={appealed.id}" in mail.body_text
    assert "first appellate authority" in mail.body_text
    assert sweep(app) == "0 appealed to the first authority, 0 to the second, 0 flagged for the Commission"
    assert Appeal.select().count() == 1


def test_the_authority_directs_and_the_officer_then_decides(app, a, appealed):
    sdm = login_as(app, a.sdm)
    assert "Appealed to me" in worklists(sdm.get("/admin/request/"))
    assert appealed.tracking_number in text(sdm.get(worklist(app, "mine")))
    page = details(sdm, appealed)
    assert offered(page) == ["start", "reject", "reassign", "direct"]
    assert "First appellate authority: Sdm, to act by" in text(page)
    Outbox.delete().execute()
    by = clock.ist_date(utcnow()) + 3 * DAY
    page = take(sdm, appealed, "direct", page=page, decide_by=by.isoformat(), note="Verify with the patwari.")
    assert not errors(page) and "Direct the officer: done" in text(page)
    assert fresh(appealed).decide_by == by
    assert told(appealed) == [("sms", "request_appeal_step", "9812345678"),
                              ("email", "appeal_on_your_request", a.field.email)]
    assert "directs you to decide" in Outbox.get(Outbox.channel == "email").body_text
    assert "Officer directed" in text(details(sdm, appealed))

    field = login_as(app, a.field)
    page = details(field, appealed)
    assert f"Directed to decide by {by:%d-%m-%Y}" in text(page)
    for step in ("start", "approve"):
        take(field, appealed, step)
    page = take(field, appealed, "deliver", note="Certificate issued.")
    assert not errors(page) and fresh(appealed).status == "delivered"
    assert appealed.tracking_number not in text(sdm.get(worklist(app, "mine")))


def test_a_direction_out_of_his_time_is_refused_and_changes_nothing(app, a, appealed):
    sdm = login_as(app, a.sdm)
    before = state()
    page = take(sdm, appealed, "direct", decide_by=(clock.ist_date(utcnow()) - DAY).isoformat())
    assert "Choose a date from" in errors(page)
    assert state() == before


def test_the_authority_decides_himself_and_the_officer_is_told(app, a, appealed):
    sdm = login_as(app, a.sdm)
    Outbox.delete().execute()
    page = take(sdm, appealed, "reject", note="The father's certificate is forged.")
    assert not errors(page) and fresh(appealed).status == "rejected"
    assert told(appealed) == [("sms", "request_rejected", "9812345678"),
                              ("email", "appeal_on_your_request", a.field.email)]
    assert "has decided application" in Outbox.get(Outbox.channel == "email").body_text


def test_the_authority_reassigns_to_another_holder_he_could_not_otherwise_see(app, a, appealed):
    sdm = login_as(app, a.sdm)
    page = details(sdm, appealed)
    Outbox.delete().execute()
    page = take(sdm, appealed, "reassign", page=page, officer=str(a.field2.id), note="Tehsildar on tour.")
    assert not errors(page) and fresh(appealed).assigned_officer_id == a.field2.id
    assert told(appealed) == [("sms", "request_appeal_step", "9812345678"),
                              ("email", "appeal_on_your_request", a.field.email),
                              ("email", "appeal_on_your_request", a.field2.email)]


def missing(client, request):
    """Whether the request's page answers as a request that does not exist."""
    answer = client.get(f"/admin/request/details/?id={request.id}", follow_redirects=True)
    return "Record does not exist." in text(answer) and request.tracking_number not in text(answer)


@pytest.mark.parametrize("who", ["hsr_sdm", "hsr_field", "dc"])
def test_out_of_scope_officers_get_404(app, a, appealed, who):
    client = login_as(app, getattr(a, who))
    assert missing(client, appealed)
    token = csrf(client.get("/admin/request/"))
    before = state()
    for step, fields in (("direct", {"decide_by": clock.ist_date(utcnow()).isoformat()}), ("reject", {"note": "x"}),
                         ("commission_decide", {"note": "x"})):
        answer = client.post(f"/admin/request/step/?id={appealed.id}",
                             data={"step": step, "version": str(appealed.version), "csrf_token": token, **fields})
        assert answer.status_code == 404
    assert state() == before


def test_once_it_climbs_the_first_authority_loses_it(app, a, appealed):
    overdue(appealed)
    assert sweep(app) == "0 appealed to the first authority, 1 to the second, 0 flagged for the Commission"
    assert missing(login_as(app, a.sdm), appealed)
    assert offered(details(login_as(app, a.dc), appealed)) == ["start", "reject", "reassign", "direct"]


def test_administrators_list_appeals_nobody_holds(app, a):
    Post.delete().where(Post.officer == a.sdm.id).execute()
    RoleGrant.delete().where(RoleGrant.role == "district_admin").execute()
    RoleGrant.create(officer=a.amb_admin, role="district_admin", district=a.hsr)
    file_at_counter(login_as(app, a.counter), a)
    request = ServiceRequest.get()
    overdue(request)
    sweep(app)
    assert (fresh(request).appeal_level, fresh(request).appealed_to_id) == (1, None)
    state_admin = login_as(app, a.state)
    assert "Appealed, no authority found" in worklists(state_admin.get("/admin/request/"))
    assert request.tracking_number in text(state_admin.get(worklist(app, "vacant")))
    assert worklists(login_as(app, a.field).get("/admin/request/")) == [
        "Due today", "Due within 2 working days", "Overdue"]


# The citizen's appeal at the counter ---------------------------------------------

def test_the_counter_records_the_citizens_appeal_against_a_rejection(app, a):
    counter = login_as(app, a.counter)
    file_at_counter(counter, a)
    request = ServiceRequest.get()
    field = login_as(app, a.field)
    take(field, request, "reject", note="Not a resident of Haryana.")
    search = request.tracking_number
    page = details(counter, request, search)
    assert "citizen_appeal" in offered(page)
    before = state()
    page = take(counter, request, "citizen_appeal", search=search, note="  ")
    assert "grounds of appeal" in errors(page) and state() == before
    Outbox.delete().execute()
    page = take(counter, request, "citizen_appeal", search=search, note="Resident of Ambala since 2001.")
    assert not errors(page)
    stored = fresh(request)
    assert (stored.status, stored.appeal_level, stored.appealed_to_id) == ("in_progress", 1, a.sdm.id)
    assert told(request) == [("sms", "request_appealed", "9812345678"), ("email", "appeal_to_you", a.sdm.email),
                             ("email", "appeal_on_your_request", a.field.email)]
    assert "Resident of Ambala since 2001." in Outbox.get(Outbox.template == "appeal_to_you").body_text
    assert "Resident of Ambala since 2001." in text(details(login_as(app, a.sdm), request))


def test_no_appeal_at_the_counter_after_30_days(app, a):
    counter = login_as(app, a.counter)
    file_at_counter(counter, a)
    request = ServiceRequest.get()
    take(login_as(app, a.field), request, "reject", note="Not a resident.")
    ServiceRequest.update(closed_at=utcnow() - 31 * DAY).where(ServiceRequest.id == request.id).execute()
    assert "citizen_appeal" not in offered(details(counter, request, request.tracking_number))


# The Commission --------------------------------------------------------------------

@pytest.fixture
def flagged(app, a, appealed):
    for _ in range(2):
        overdue(appealed)
        sweep(app)
    request = fresh(appealed)
    assert request.appeal_level == 3
    Outbox.delete().execute()
    return request


def test_the_commission_lists_its_cases_with_their_history_and_decides(app, a, flagged):
    commission = login_as(app, a.commission)
    assert worklists(commission.get("/admin/request/"))[-1] == "Flagged for the Commission"
    assert flagged.tracking_number in text(commission.get(worklist(app, "commission")))
    page = details(commission, flagged)
    assert offered(page) == ["commission_decide"]
    history = text(page)
    for words in ("Appeals", "First appellate authority", "Sdm", "Second appellate authority", "Dc",
                  "Right to Service Commission", "Not decided in time", "Appealed", "Filed"):
        assert words in history, words
    # Personal data stays masked: the Commission judges the officers' delay, not the citizen.
    assert "9812345678" not in page.get_data(as_text=True)

    before = state()
    page = take(commission, flagged, "commission_decide", page=page, penalty_rupees="25000",
                penalised_officer=str(a.sdm.id), note="No cause shown.")
    assert "from 0 to 20000" in errors(page) and state() == before
    page = take(commission, flagged, "commission_decide", compensation_rupees="5001", note="No cause shown.")
    assert "compensation must be a whole number of rupees from 0 to 5000" in errors(page) and state() == before
    page = take(commission, flagged, "commission_decide", penalty_rupees="2500", penalised_officer="",
                note="No cause shown.")
    assert "Choose the officer the penalty falls on" in errors(page) and state() == before

    page = take(commission, flagged, "commission_decide", penalty_rupees="2500", penalised_officer=str(a.sdm.id),
                compensation_rupees="1000", note="No cause shown for the delay.")
    assert not errors(page)
    decision = CommissionDecision.get()
    assert (decision.penalty_rupees, decision.penalised_officer_id, decision.compensation_rupees,
            decision.decided_by_id) == (2500, a.sdm.id, 1000, a.commission.id)
    assert told(flagged) == [("sms", "request_commission_decided", "9812345678"),
                             ("email", "commission_decision", a.sdm.email)]
    page = text(details(commission, flagged))
    assert "The Commission's decision" in page and "₹2,500 · Sdm" in page and "₹1,000" in page
    assert offered(details(commission, flagged)) == []
    assert flagged.tracking_number not in text(commission.get(worklist(app, "commission")))
    assert flagged.tracking_number in text(commission.get(worklist(app, "decided")))
    assert RequestEvent.get(RequestEvent.kind == "commission_decided").officer_id == a.commission.id


def test_only_the_commission_decides(app, a, flagged):
    admin = login_as(app, a.amb_admin)
    page = details(admin, flagged)
    assert "commission_decide" not in offered(page)
    before = state()
    answer = admin.post(f"/admin/request/step/?id={flagged.id}", follow_redirects=True, data={
        "step": "commission_decide", "version": str(flagged.version), "csrf_token": csrf(page), "note": "Mine."})
    assert "You may not take that step" in errors(answer)
    assert state() == before


def test_the_commission_sees_only_flagged_requests(app, a, appealed):
    commission = login_as(app, a.commission)
    assert missing(commission, appealed)
    assert appealed.tracking_number not in text(commission.get("/admin/request/"))
