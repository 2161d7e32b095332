"""Issue 6 tried as a new user would, on the demo workload (`demo load`), on SQLite and PostgreSQL.

A request left past its due date is appealed by two `sla sweep` processes
racing, once, to the holder of its service's first appellate post; that
authority directs the officer through the admin, and the officer then decides
there; a district administrator's circular reaches the district's Tehsildars
and one of them acknowledges it; the home page's charts show the demo data and
its figures equal a count made straight from the requests.
"""
import datetime
import re
from collections import Counter, defaultdict

import pytest

from backoffice.admin.home import cell
from models import (
    Appeal, Area, Circular, CircularRecipient, Department, Designation, District, Officer, Post, RequestEvent, Service,
    ServiceRequest, clock, dashboard, database, demo,
)
from models.appeals import RUNNING_STATUSES
from models.deadlines import STOPPED
from models.timeutil import utcnow
from tests.backoffice.admin_support import errors, filter_url
from tests.backoffice.requests_support import details, fresh, login_as, offered, take, text
from tests.backoffice.test_admin_circulars import ANY, acknowledge, counts_line, publish
from tests.backoffice.test_admin_dashboard import page, table
from tests.backoffice.test_sla_sweep_race import race
from tests.conftest import PASSWORD, csrf_token, login

REQUESTS = 3000
DAY = datetime.timedelta(days=1)
SWEPT = "0 appealed to the first authority, 0 to the second, 0 flagged for the Commission"
DEMO = demo.EMAIL_DOMAIN


@pytest.fixture
def demo_world(app, catalogue, monkeypatch):
    """The bundled catalogue and `demo load --requests REQUESTS`; every demo officer logs in with PASSWORD."""
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    result = app.test_cli_runner().invoke(args=["demo", "load", "--requests", str(REQUESTS)])
    assert result.exit_code == 0, result.output
    # The demo gives some officers Hindi, drawn from the day it is loaded on; this journey reads English pages.
    with database.connection_context():
        Officer.update(language="en").execute()
    return app


def officer(email):
    return Officer.get(Officer.email == email)


def first_authority(request):
    """Who should hear the appeal, found from the posts themselves: the active holders, not on leave, of the
    service's first appellate post in the request's area, else its district, else state-wide; never the
    officer the appeal is against. None when that leaves nobody at all three (the fall-backs are routing's)."""
    designation = request.service.first_appellate_id
    if designation is None:
        return None
    places = [Post.area == request.area_id, (Post.district == request.district_id) & Post.area.is_null(),
              Post.district.is_null() & Post.area.is_null()]
    for place in places:
        holders = {o.id for o in Officer.select().join(Post, on=(Post.officer == Officer.id))
                   .where(Post.designation == designation, place, Officer.active == True,  # noqa: E712
                          Officer.on_leave == False)} - {request.assigned_officer_id}  # noqa: E712
        if holders:
            return holders
    return None


def late_requests(now):
    return {r.id: r for r in ServiceRequest.select().where(
        ServiceRequest.status.in_(RUNNING_STATUSES), ServiceRequest.due_at < now)}


def direct_counts(start, end, now, key):
    """The dashboard's columns for the requests received from `start` to `end` (IST dates), straight from
    service_request, by `key` (a function of the request): {name: [received ... on time %]} as the page shows."""
    rows = (ServiceRequest.select(ServiceRequest, Service, Department, District)
            .join(Service).join(Department).switch(ServiceRequest).join(District)
            .where(ServiceRequest.submitted_at >= clock.ist_day_start(start),
                   ServiceRequest.submitted_at < clock.ist_day_start(end + DAY)))
    counted = defaultdict(Counter)
    for r in rows:
        c = counted[key(r)]
        c["received"] += 1
        in_time = r.due_at is None or (r.closed_at is not None and r.closed_at <= r.due_at)
        if r.status in ("delivered", "rejected"):
            c["decided"] += 1
            c["decided_in_time"] += in_time
            c["delivered_in_time" if in_time else "delivered_late"] += r.status == "delivered"
            c["rejected"] += r.status == "rejected"
        elif r.status == "withdrawn":
            c["withdrawn"] += 1
        else:
            overdue = r.status in RUNNING_STATUSES and r.due_at is not None and r.due_at < now
            c["overdue" if overdue else "pending_in_time"] += 1
            c["in_appeal"] += r.appeal_level > 0
    return {name: [str(c[column]) for column in ("received", "delivered_in_time", "delivered_late", "rejected",
                                                 "withdrawn", "pending_in_time", "overdue", "in_appeal")]
            + [cell(100 * c["decided_in_time"] / c["decided"] if c["decided"] else None)]
            for name, c in counted.items()}


def bars(html, chart):
    """(width, height, title) of each bar with a title in the SVG chart `chart`."""
    svg = html.split(f'<svg id="{chart}"')[1].split("</svg>")[0]
    return [(float(width), float(height), title) for width, height, title in re.findall(
        r'<rect [^>]*width="([\d.]+)"\s+height="([\d.]+)"[^>]*>\s*<title>([^<]*)</title>', svg)]


def test_overdue_appealed_once_directed_decided_circular_acknowledged_dashboard_counts(demo_world, db_url,
                                                                                      tmp_path):
    app = demo_world
    # 1. A request left past its due date: two sweepers race, and each late request goes up once.
    with database.connection_context():
        before = utcnow()
        late = late_requests(before)
        assert len(late) >= 5 and not Appeal.select().exists()
        expected = {pk: first_authority(r) for pk, r in late.items()}
        # One with an officer on it and a single authority to expect (demo load gives several a day).
        chosen = next(r for pk, r in sorted(late.items())
                      if r.status in ("assigned", "in_progress", "approved") and r.assigned_officer_id is not None
                      and expected[pk] is not None and len(expected[pk]) == 1)
    counts = race(db_url, tmp_path, batch=7)
    with database.connection_context():
        after = utcnow()
        appealed = {r.id: r for r in ServiceRequest.select().where(ServiceRequest.appeal_level > 0)}
        assert set(late) <= set(appealed) <= set(late_requests(after))
        assert sum(counts) == len(appealed)
        assert Counter(pk for (pk,) in Appeal.select(Appeal.request).tuples()) == Counter(set(appealed))
        assert {(a.level, a.reason) for a in Appeal.select()} == {(1, "overdue")}
        for pk, request in appealed.items():
            if expected.get(pk):
                assert request.appealed_to_id in expected[pk], request.tracking_number
    # Ran again, nothing goes twice.
    result = app.test_cli_runner().invoke(args=["sla", "sweep"])
    assert result.exit_code == 0 and result.output.strip() == SWEPT, result.output
    with database.connection_context():
        assert Appeal.select().count() == len(appealed)
        request = fresh(chosen)
        authority, assignee = request.appealed_to, request.assigned_officer
        assert {authority.id} == expected[chosen.id] and authority.demo
        assert RequestEvent.select().where(RequestEvent.request == request.id,
                                           RequestEvent.kind == "appealed").count() == 1

    # 2. The authority finds it under "Appealed to me" and directs the officer to decide within three days.
    boss = login_as(app, authority)
    assert request.tracking_number in text(boss.get(filter_url(app, "request", "Appeal", "mine")))
    by = clock.ist_date(utcnow()) + 3 * DAY
    done = take(boss, request, "direct", decide_by=by.isoformat(), note="Decide it this week.")
    assert not errors(done) and "Direct the officer: done" in text(done)
    assert fresh(request).decide_by == by

    # 3. The officer sees the direction and his queue's counts, then decides: delivered, with a note.
    clerk = login_as(app, assignee)
    home = page(clerk)
    queue = dict(re.findall(r'<a href="[^"]+">([^<]+)</a>: <strong class="queue-count">(\d+)</strong>', home))
    with database.connection_context():
        mine = ServiceRequest.select().where(ServiceRequest.assigned_officer == assignee.id)
        assert queue["Open"] == str(mine.where(ServiceRequest.status.not_in(STOPPED)).count())
        assert queue["Overdue"] == str(mine.where(ServiceRequest.status.in_(RUNNING_STATUSES),
                                                  ServiceRequest.due_at < utcnow()).count())
    assert f"Directed to decide by {by:%d-%m-%Y}" in text(details(clerk, request))
    for step in ("start", "approve"):
        if step in offered(details(clerk, request)):
            assert not errors(take(clerk, request, step))
    done = take(clerk, request, "deliver", note="Certificate issued after the direction.")
    assert not errors(done)
    decided = fresh(request)
    assert (decided.status, decided.appeal_level, decided.assigned_officer_id) == ("delivered", 1, assignee.id)
    assert request.tracking_number not in text(boss.get(filter_url(app, "request", "Appeal", "mine")))

    # 4. The district's administrator sends a circular to its Tehsildars; one of them acknowledges it.
    with database.connection_context():
        district = request.district
        admin = officer(f"district-admin.{district.code.lower()}@{DEMO}")
        tehsildar = Designation.get(Designation.name == "Tehsildar")
        areas = Area.select(Area.id).where(Area.district == district.id)
        tehsildars = {o.id for o in Officer.select().join(Post, on=(Post.officer == Officer.id)).where(
            Post.designation == tehsildar.id, (Post.district == district.id) | Post.area.in_(areas),
            Officer.active == True)}  # noqa: E712
        assert len(tehsildars) >= 2
    sender = login_as(app, admin)
    sent = publish(sender, district=str(district.id), designation=str(tehsildar.id), department=ANY)
    assert f"Circular sent to {len(tehsildars)} officers." in sent.get_data(as_text=True), errors(sent)
    with database.connection_context():
        circular = Circular.get(Circular.sent_by == admin.id)
        assert {pk for (pk,) in CircularRecipient.select(CircularRecipient.officer)
                .where(CircularRecipient.circular == circular.id).tuples()} == tehsildars
        reader = Officer.get_by_id(min(tehsildars))
    reading = app.test_client()
    assert login(reading, reader.email).headers["Location"] == "/admin/my-circulars/"
    done = acknowledge(reading, circular, csrf_token(reading, "/admin/my-circulars/"))
    assert "Acknowledged. Thank you." in done.get_data(as_text=True)
    assert counts_line(sender.get(f"/admin/circular/details/?id={circular.id}")) == (
        f"{len(tehsildars)} recipients: 1 acknowledged, {len(tehsildars) - 1} not yet.")

    # 5. The state administrator's home page: charts drawn from the demo data, figures equal to a direct count.
    state = login_as(app, officer(f"state-admin@{DEMO}"))
    html = page(state)
    now = utcnow()
    start, end = dashboard.default_range(clock.ist_date(now))
    with database.connection_context():
        by_department = direct_counts(start, end, now, lambda r: r.service.department.name_en)
        by_district = direct_counts(start, end, now, lambda r: r.district.name_en)
    shown = {row[0]: row[1:10] for row in table(html, "by-department")}
    assert {name: row for name, row in shown.items() if row[0] != "0"} == by_department
    shown = {row[0]: row[1:10] for row in table(html, "by-district")}
    assert {name: row for name, row in shown.items() if row[0] != "0"} == by_district
    received = sum(int(row[0]) for row in by_department.values())
    assert received > 0 and sum(int(row[7]) for row in by_department.values()) > 0  # some in appeal

    departments = bars(html, "chart-departments")
    assert departments and any(width > 0 for width, _, _ in departments)
    assert {title.split(": ")[0]: title.split(": ")[1] for _, _, title in departments} == {
        name: f"{row[8]}%" for name, row in by_department.items() if row[8] != "—"}
    weeks = bars(html, "chart-weeks")
    assert weeks and any(height > 0 for _, height, _ in weeks)
    assert sum(int(title.rsplit(": ", 1)[1]) for _, _, title in weeks) == received
