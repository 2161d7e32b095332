"""The dashboard's figures (models/dashboard.py): rollups kept by the lifecycle equal a direct count, in scope."""
import datetime
from collections import Counter, defaultdict

import pytest

from models import (
    Citizen, Department, Designation, District, Holiday, Officer, Post, RequestEvent, RoleGrant, Service,
    ServiceRequest, appeals, clock, dashboard, scope,
)
from models.dashboard import DayTally, DecisionDays, Figures, median
from models.holidays import calendar_for
from models.lifecycle import TRANSITIONS, citizen_appeal, file, perform

IST_OFFSET = datetime.timedelta(hours=5, minutes=30)
# After everything in `history`: two requests are open and overdue then, one open within time.
NOW = "2026-12-29 10:00"
DECISIONS = ("deliver", "reject")


def utc(ist_text):
    return datetime.datetime.fromisoformat(ist_text) - IST_OFFSET


def day(text):
    return datetime.date.fromisoformat(text)


class World:
    pass


@pytest.fixture
def w(db):
    w = World()
    w.amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
    w.hsr = District.create(code="HSR", name_en="Hisar", name_hi="हिसार")
    w.rev = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
    w.ulb = Department.create(code="ULB", name_en="Urban Local Bodies", name_hi="शहरी स्थानीय निकाय")
    tehsildar = Designation.create(department=w.rev, name="Tehsildar", level="district")
    eo = Designation.create(department=w.ulb, name="Executive Officer", level="district")
    w.sc = Service.create(code="REV-SC", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र",
                          department=w.rev, category="certificates", tat_value=3, tat_unit="working_days",
                          designated_officer=tehsildar, status="published")
    w.trade = Service.create(code="ULB-TRADE", name_en="Trade licence", name_hi="व्यापार लाइसेंस", department=w.ulb,
                             category="licences", tat_value=5, tat_unit="working_days", designated_officer=eo,
                             status="published")

    def officer(email, role=None, **grant):
        o = Officer.create(name=email.split("@")[0], email=email)
        if role:
            RoleGrant.create(officer=o, role=role, **grant)
        return o

    w.field = {}
    for designation in (tehsildar, eo):
        for district in (w.amb, w.hsr):
            holder = officer(f"{designation.name.split()[0].lower()}.{district.code.lower()}@x.in")
            Post.create(officer=holder, designation=designation, district=district)
            w.field[designation.department.code, district.code] = holder
    w.state = officer("state@x.in", "state_admin")
    w.rev_admin = officer("rev@x.in", "department_admin", department=w.rev)
    w.amb_admin = officer("amb@x.in", "district_admin", district=w.amb)
    w.citizen = Citizen.create(mobile="9876500001", name="Sita Devi")
    Holiday.create(date=day("2026-12-25"), name_en="Christmas", name_hi="क्रिसमस")
    return w


def filed(w, service, district, at):
    return file(service, w.citizen, district, at=utc(at))


def step(w, request, action, at, note=""):
    officer = w.field[request.service.department.code, request.district.code]
    actor = w.citizen if action == "withdraw" else officer
    for before in ("start", "approve") if action == "deliver" else ("start",) if action == "reject" else ():
        if request.status in TRANSITIONS[before].sources:
            perform(request, before, officer, version=request.version, at=utc(at))
    return perform(request, action, actor, version=request.version, at=utc(at), note=note or "Done.")


def history(w):
    """Filing, delivery in time and late, rejection in time and late, withdrawal, and some left open."""
    sc, trade, amb, hsr = w.sc, w.trade, w.amb, w.hsr
    plan = [
        # (service, district, filed (IST), action, at (IST)); 3 working days for SC, 5 for the licence.
        (sc, amb, "2026-12-06 23:59", "deliver", "2026-12-08 12:00"),   # received Sunday: before the range below
        (sc, amb, "2026-12-07 00:01", "deliver", "2026-12-09 16:00"),   # due Thu 10th: in time, 2 working days
        (sc, amb, "2026-12-08 11:00", "deliver", "2026-12-14 10:00"),   # due Fri 11th: late, 4
        (sc, hsr, "2026-12-08 12:00", "reject", "2026-12-10 12:00"),    # in time, 2
        (sc, hsr, "2026-12-09 09:00", "reject", "2026-12-16 09:00"),    # due Mon 14th: late, 5
        (trade, amb, "2026-12-12 10:00", "deliver", "2026-12-14 17:00"),  # Saturday: receipt day Monday, 0
        (trade, amb, "2026-12-10 10:00", "withdraw", "2026-12-11 10:00"),
        (trade, hsr, "2026-12-14 10:00", None, None),                   # due Mon 21st: overdue now
        (sc, amb, "2026-12-17 10:00", None, None),                      # due Tue 22nd: overdue now
        (sc, amb, "2026-12-18 10:00", "approve", "2026-12-18 15:00"),   # approved, not delivered: overdue
        (sc, amb, "2026-12-23 10:00", "deliver", "2026-12-28 11:00"),   # Christmas between: 2 working days
        (trade, hsr, "2026-12-28 10:00", None, None),                   # due 4 January: within time
    ]
    for service, district, at, action, when in plan:
        request = filed(w, service, district, at)
        if action == "approve":
            officer = w.field[service.department.code, district.code]
            perform(request, "start", officer, version=request.version, at=utc(when))
            perform(request, "approve", officer, version=request.version, at=utc(when))
        elif action:
            step(w, request, action, when)


def decided_at(request):
    """When the request was last decided, read from its history rather than from closed_at."""
    return (RequestEvent.select(RequestEvent.at)
            .where(RequestEvent.request == request.id, RequestEvent.kind.in_(DECISIONS))
            .order_by(RequestEvent.at.desc()).scalar())


def working_days_by_hand(request, at):
    """Working days from receipt to `at`, one day at a time."""
    calendar = calendar_for(request.district_id)
    today = calendar.first_working_day_from(clock.ist_date(request.submitted_at))
    count = 0
    while today < clock.ist_date(at):
        today += datetime.timedelta(days=1)
        count += calendar.is_working_day(today)
    return count


def direct(requests):
    """DayTally's and DecisionDays' rows for `requests`, counted one request at a time."""
    tallies, histogram = defaultdict(Counter), Counter()
    for r in requests:
        key = (clock.ist_date(r.submitted_at), r.service_id, r.district_id)
        tallies[key]["received"] += 1
        if r.status == "withdrawn":
            tallies[key]["withdrawn"] += 1
        elif r.status in ("delivered", "rejected"):
            when = decided_at(r)
            tallies[key][f"{r.status}_{'on_time' if when <= r.due_at else 'late'}"] += 1
            histogram[(*key, working_days_by_hand(r, when))] += 1
    return ({key: {name: counts[name] for name in dashboard.COUNTS} for key, counts in tallies.items()},
            dict(histogram))


def rollups():
    tallies = {(t.day, t.service_id, t.district_id): {name: getattr(t, name) for name in dashboard.COUNTS}
               for t in DayTally.select()}
    histogram = {(d.day, d.service_id, d.district_id, d.days): d.requests for d in DecisionDays.select()}
    return tallies, histogram


def test_rollups_kept_by_the_lifecycle_equal_a_direct_count_and_a_rebuild(w):
    history(w)
    expected = direct(ServiceRequest.select())

    assert rollups() == expected
    assert sum(counts["received"] for counts in expected[0].values()) == 12
    assert dashboard.rebuild() == (len(expected[0]), len(expected[1]))
    assert rollups() == expected
    # From nothing, too: a database that had requests before the dashboard came.
    DayTally.delete().execute()
    DecisionDays.delete().execute()
    dashboard.rebuild()
    assert rollups() == expected


def test_the_state_report_counts_what_a_direct_count_finds(w):
    history(w)
    start, end = day("2026-12-07"), day("2026-12-28")
    report = dashboard.report(w.state, start, end, now=utc(NOW))
    total = report.total

    in_range = [r for r in ServiceRequest.select() if start <= clock.ist_date(r.submitted_at) <= end]
    statuses = Counter(r.status for r in in_range)
    assert total.received == len(in_range) == 11
    assert (total.delivered_on_time, total.delivered_late) == (3, 1)
    assert (total.rejected, total.rejected_on_time, total.withdrawn) == (2, 1, 1)
    assert total.decided == statuses["delivered"] + statuses["rejected"] == 6
    open_requests = [r for r in in_range if r.status not in ("delivered", "rejected", "withdrawn")]
    assert total.pending == len(open_requests) == 4
    assert total.overdue == sum(r.due_at < utc(NOW) for r in open_requests) == 3
    assert total.pending_in_time == 1
    assert total.on_time_percent == pytest.approx(100 * 4 / 6)
    # Decisions took 2, 4, 2, 5, 0 and 2 working days.
    assert sorted(total.histogram.elements()) == [0, 2, 2, 2, 4, 5]
    assert total.median_days == 2
    # The parts add up to the whole, whichever way it is cut.
    for rows in (report.departments, report.districts, report.services):
        assert sum(f.received for f in rows) == total.received
        assert sum(f.overdue for f in rows) == total.overdue
        assert sum((f.histogram for f in rows), Counter()) == total.histogram
    assert [f.subject.code for f in report.departments] == ["REV", "ULB"]
    assert [f.subject.code for f in report.districts] == ["AMB", "HSR"]
    revenue = report.departments[0]
    assert (revenue.received, revenue.decided, revenue.overdue) == (7, 5, 2)


def test_appeals_count_among_the_pending_and_a_reopened_rejection_is_pending_again(w):
    history(w)
    start, end = day("2026-12-07"), day("2026-12-28")
    # The rejection in time on 10 December, appealed by the citizen: open again, at the first level.
    rejected = ServiceRequest.get(ServiceRequest.status == "rejected", ServiceRequest.due_at > ServiceRequest.closed_at)
    citizen_appeal(rejected, w.citizen, version=rejected.version, grounds="I am eligible.", at=utc("2026-12-11 10:00"))

    assert rollups() == direct(ServiceRequest.select())
    total = dashboard.report(w.state, start, end, now=utc(NOW)).total
    assert (total.rejected, total.decided, total.pending, total.in_appeal) == (1, 5, 5, 1)
    assert sorted(total.histogram.elements()) == [0, 2, 2, 4, 5]

    # Delivered after all, and late; the three left overdue are appealed by the sweep.
    step(w, ServiceRequest.get_by_id(rejected.id), "deliver", "2026-12-15 10:00")
    appeals.sweep(now=utc(NOW))
    assert rollups() == direct(ServiceRequest.select())
    total = dashboard.report(w.state, start, end, now=utc(NOW)).total
    assert (total.delivered_late, total.rejected, total.pending, total.overdue, total.in_appeal) == (2, 1, 4, 3, 3)
    dashboard.rebuild()
    assert rollups() == direct(ServiceRequest.select())


def test_a_department_administrator_counts_only_his_departments_services(w):
    history(w)
    start, end = day("2026-12-01"), day("2026-12-31")
    report = dashboard.report(w.rev_admin, start, end, now=utc(NOW))

    assert [f.subject.code for f in report.departments] == ["REV"]
    assert [f.subject.code for f in report.services] == ["REV-SC"]
    assert [f.subject.code for f in report.districts] == ["AMB", "HSR"]
    # Exactly the requests the scope rules give him.
    mine = list(scope.rows(w.rev_admin, ServiceRequest))
    assert report.total.received == len(mine) == 8
    assert report.total.decided == sum(r.status in ("delivered", "rejected") for r in mine)
    assert report.total.overdue == sum(r.status not in ("delivered", "rejected", "withdrawn")
                                       and r.due_at < utc(NOW) for r in mine)


def test_a_district_administrator_counts_only_his_district(w):
    history(w)
    report = dashboard.report(w.amb_admin, day("2026-12-01"), day("2026-12-31"), now=utc(NOW))

    assert [f.subject.code for f in report.districts] == ["AMB"]
    assert [f.subject.code for f in report.departments] == ["REV", "ULB"]
    assert report.total.received == ServiceRequest.select().where(ServiceRequest.district == w.amb).count() == 8


def test_one_who_administers_nothing_counts_nothing(w):
    history(w)
    field = w.field["REV", "AMB"]
    report = dashboard.report(field, day("2026-12-01"), day("2026-12-31"), now=utc(NOW))
    assert report.total.received == 0 and report.departments == report.districts == report.services == []


def test_the_range_is_of_ist_days_of_receipt_both_ends_included(w):
    history(w)

    def received(start, end):
        return dashboard.report(w.state, day(start), day(end), now=utc(NOW)).total.received

    # 23:59 IST on the 6th is still the 6th; 00:01 IST on the 7th (the 6th in UTC) is the 7th.
    assert received("2026-12-06", "2026-12-06") == 1
    assert received("2026-12-07", "2026-12-07") == 1
    assert received("2026-12-28", "2026-12-28") == 1
    assert received("2026-12-29", "2027-01-31") == 0
    # Overdue is counted directly: the same range holds it.
    assert dashboard.report(w.state, day("2026-12-14"), day("2026-12-14"), now=utc(NOW)).total.overdue == 1


def test_pending_turns_overdue_with_the_clock(w):
    history(w)
    start, end = day("2026-12-28"), day("2026-12-28")
    # Due at the end of Monday 4 January.
    assert dashboard.report(w.state, start, end, now=utc("2027-01-04 23:00")).total.overdue == 0
    assert dashboard.report(w.state, start, end, now=utc("2027-01-05 00:01")).total.overdue == 1


def test_a_request_waiting_for_the_citizens_answer_is_not_overdue(w):
    request = filed(w, w.sc, w.amb, "2026-12-07 10:00")
    officer = w.field["REV", "AMB"]
    perform(request, "start", officer, version=request.version, at=utc("2026-12-07 11:00"))
    perform(request, "raise_query", officer, version=request.version, note="Your father's certificate?",
            at=utc("2026-12-08 11:00"))
    total = dashboard.report(w.state, day("2026-12-07"), day("2026-12-07"), now=utc(NOW)).total
    assert (total.pending, total.overdue, total.pending_in_time) == (1, 0, 1)

    perform(request, "answer_query", w.citizen, version=request.version, note="Attached.", at=utc("2026-12-09 11:00"))
    total = dashboard.report(w.state, day("2026-12-07"), day("2026-12-07"), now=utc(NOW)).total
    assert (total.pending, total.overdue, total.pending_in_time) == (1, 1, 0)


def test_weeks_run_monday_to_sunday_cut_to_the_range(w):
    history(w)
    weeks = dashboard.report(w.state, day("2026-12-09"), day("2026-12-28"), now=utc(NOW)).weeks

    assert [(week.first, week.last) for week in weeks] == [
        (day("2026-12-09"), day("2026-12-13")), (day("2026-12-14"), day("2026-12-20")),
        (day("2026-12-21"), day("2026-12-27")), (day("2026-12-28"), day("2026-12-28"))]
    assert [week.figures.received for week in weeks] == [3, 3, 1, 1]
    assert [week.figures.on_time_percent for week in weeks] == [50, None, 100, None]


def test_median_of_counts():
    assert median(Counter()) is None
    assert median(Counter({4: 1})) == 4
    assert median(Counter({0: 1, 2: 1, 9: 1})) == 2
    assert median(Counter({1: 1, 4: 1})) == 2.5
    assert median(Counter({1: 3, 7: 1})) == 1
    assert median(Counter({1: 2, 7: 2})) == 4


def figures(**counts):
    f = Figures()
    f.add(counts)
    return f


def test_the_score_out_of_ten():
    # 12 decided of 18 not withdrawn, 10 of them in time; 3 of the 6 pending overdue.
    f = figures(received=20, delivered_on_time=8, delivered_late=2, rejected_on_time=2, withdrawn=2, overdue=3)
    assert f.score == round(10 * (0.6 * 10 / 12 + 0.2 * 12 / 18 + 0.2 * (1 - 3 / 6)), 1) == 7.3
    # All decided in time, nothing pending: full marks.
    assert figures(received=5, delivered_on_time=4, rejected_on_time=1).score == 10
    # Nothing decided yet: nothing to judge.
    assert figures(received=5, overdue=2).score is None
    assert figures().score is None


def test_ranking_puts_the_best_score_first_and_the_unscored_last(w):
    history(w)
    report = dashboard.report(w.state, day("2026-12-07"), day("2026-12-28"), now=utc(NOW))
    ranked = dashboard.ranking(report.districts + [Figures(District(name_en="Nowhere"))])
    assert [place for place, _ in ranked] == [1, 2, 3]
    scores = [f.score for _, f in ranked]
    assert scores[-1] is None and scores[0] >= scores[1]
