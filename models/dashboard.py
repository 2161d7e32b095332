"""The compliance dashboard: per department, district and service, how the requests received in a range fared.

A GROUP BY over a million requests takes seconds, so the figures come from
rollups kept current as requests change: `DayTally` counts, per IST day of
receipt, service and district, the requests received and how those closed
(on time or late), and `DecisionDays` how many working days each decision
took, so that a median is read from counts. models/lifecycle.py calls
`filed`, `closed` and `reopened` in the transaction of the step itself;
`rebuild` recomputes both from the requests (after `demo load`, which inserts
in bulk, and from `flask --app wsgi dashboard rebuild`).

What is open changes with the clock (overdue now, within time an hour ago):
pending is received less closed, and the overdue and the appealed among them
are counted directly, over partial indexes that hold open requests only. The
score and the rules in words are in docs/dashboard.md.
"""
import datetime
import functools
import operator
from collections import Counter, defaultdict, namedtuple

from peewee import SQL, CompositeKey, DateField, ForeignKeyField, IntegerField, fn

from . import bulk, clock, scope
from .catalogue import Department, District, Service
from .db import BaseModel, database, is_postgresql, reader
from .deadlines import STOPPED
from .holidays import calendar_for, calendars_for
from .requests import RequestEvent, RequestRating, ServiceRequest
from .timeutil import utcnow

DEFAULT_DAYS = 30
# A longer range reads more rollup rows than the page can afford; a year covers any report asked for.
MAX_DAYS = 366
# The score out of 10 (docs/dashboard.md): decided on time, decided at all, and not left overdue.
WEIGHTS = {"on_time": 0.6, "decided": 0.2, "not_overdue": 0.2}
# The counts a DayTally keeps, in the order of its columns.
COUNTS = ("received", "delivered_on_time", "delivered_late", "rejected_on_time", "rejected_late", "withdrawn",
          "rated", "stars")
PAUSED = "query_raised"


def _status_not_in(statuses):
    # Written out rather than bound as parameters: SQLite uses a partial index
    # only for a query whose WHERE repeats the index's condition word for word.
    return SQL("status NOT IN (%s)" % ", ".join(f"'{status}'" for status in statuses))


OPEN = _status_not_in(STOPPED)
# Open with the clock running: a request waiting for the citizen's answer to a
# query is not overdue while he is asked (docs/clock.md), as on the worklists.
RUNNING = _status_not_in(STOPPED + (PAUSED,))
APPEALED = SQL("appeal_level > 0")
REBUILD_BATCH = 50_000


class DayTally(BaseModel):
    """The requests received on one IST day for one service in one district, and how those closed so far.

    Keyed by those three alone; on SQLite the rows are stored in that order
    (migration 0010), so that a range of days is one sequential read.
    """
    day = DateField()
    # Counts of a service or district go with it (it has no requests, or it could not go).
    service = ForeignKeyField(Service, backref="+", on_delete="CASCADE")
    district = ForeignKeyField(District, backref="+", on_delete="CASCADE")
    received = IntegerField(default=0)
    delivered_on_time = IntegerField(default=0)
    delivered_late = IntegerField(default=0)
    rejected_on_time = IntegerField(default=0)
    rejected_late = IntegerField(default=0)
    withdrawn = IntegerField(default=0)
    # The citizens' ratings of these requests (models.requests.RequestRating): how many, and their stars summed.
    rated = IntegerField(default=0)
    stars = IntegerField(default=0)

    class Meta:
        table_name = "dashboard_day"
        primary_key = CompositeKey("day", "service", "district")


class DecisionDays(BaseModel):
    """How many of one DayTally's decisions (deliveries and rejections) took `days` working days."""
    day = DateField()
    service = ForeignKeyField(Service, backref="+", on_delete="CASCADE")
    district = ForeignKeyField(District, backref="+", on_delete="CASCADE")
    days = IntegerField()
    requests = IntegerField(default=0)

    class Meta:
        table_name = "dashboard_decision_days"
        primary_key = CompositeKey("day", "service", "district", "days")


# The open requests the direct counts read: the running ones by due date, for
# the overdue, and those in appeal; each index holds every column its count uses.
ServiceRequest.add_index(ServiceRequest.index(
    ServiceRequest.due_at, ServiceRequest.service, ServiceRequest.district, ServiceRequest.submitted_at,
    where=RUNNING, name="service_request_running_due"))
ServiceRequest.add_index(ServiceRequest.index(
    ServiceRequest.submitted_at, ServiceRequest.service, ServiceRequest.district,
    where=OPEN & APPEALED, name="service_request_open_appealed"))
# Whether an appeal worklist above the requests list has anything (backoffice/admin/appeals.py): by authority,
# or with none found; the requests' index on appealed_to would hold every request, nearly all with none.
ServiceRequest.add_index(ServiceRequest.index(
    ServiceRequest.appealed_to, ServiceRequest.appeal_level,
    where=OPEN & APPEALED, name="service_request_open_appealed_to"))


# Keeping the rollups current ----------------------------------------------

def _add(model, key, **counts):
    """Add `counts` to the row of `model` at `key`, creating it: one statement, safe against a concurrent writer."""
    columns = [getattr(model, name) for name in key]
    (model.insert(**key, **counts)
     .on_conflict(conflict_target=columns,
                  update={getattr(model, name): getattr(model, name) + value for name, value in counts.items()})
     .execute())


def _key(request):
    return dict(day=clock.ist_date(request.submitted_at), service=request.service_id, district=request.district_id)


def closing_count(status, closed_at, due_at):
    """The DayTally column a request closed with `status` at `closed_at` adds to."""
    if status == "withdrawn":
        return "withdrawn"
    # A service without a time limit has none to break.
    on_time = due_at is None or closed_at <= due_at
    return f"{'delivered' if status == 'delivered' else 'rejected'}_{'on_time' if on_time else 'late'}"


def decision_days(submitted_at, closed_at, calendar):
    """Working days from receipt to decision: the receipt day is day 0, as for the due date (docs/clock.md)."""
    receipt_day = calendar.first_working_day_from(clock.ist_date(submitted_at))
    # Decided on the weekend before a Monday receipt day: no working day passed.
    return max(0, calendar.working_days_between(receipt_day, clock.ist_date(closed_at)))


def filed(request):
    """A request was received: lifecycle.file calls this in its transaction."""
    _add(DayTally, _key(request), received=1)


def closed(request):
    """A request's clock stopped (delivered, rejected, withdrawn): lifecycle.perform calls this in its transaction."""
    key = _key(request)
    _add(DayTally, key, **{closing_count(request.status, request.closed_at, request.due_at): 1})
    if request.status != "withdrawn":
        calendar = calendar_for(request.district_id, start=key["day"], end=clock.ist_date(request.closed_at))
        _add(DecisionDays, dict(key, days=decision_days(request.submitted_at, request.closed_at, calendar)),
             requests=1)


def rated(request, stars):
    """The citizen rated a request: lifecycle.rate calls this in its transaction."""
    _add(DayTally, _key(request), rated=1, stars=stars)


def reopened(request):
    """A closed request is open again (the citizen appealed its rejection): its closing counts no more.

    Called in the transaction that reopens it, after its row stopped saying
    how it closed; its history says it.
    """
    closing = (RequestEvent.select(RequestEvent.to_status, RequestEvent.at)
               .where(RequestEvent.request == request.id, RequestEvent.to_status.in_(STOPPED))
               .order_by(RequestEvent.at.desc(), RequestEvent.id.desc()).get())
    key = _key(request)
    _add(DayTally, key, **{closing_count(closing.to_status, closing.at, request.due_at): -1})
    if closing.to_status != "withdrawn":
        calendar = calendar_for(request.district_id, start=key["day"], end=clock.ist_date(closing.at))
        bucket = dict(key, days=decision_days(request.submitted_at, closing.at, calendar))
        _add(DecisionDays, bucket, requests=-1)
        # As rebuild() would have it: no row for no decision.
        (DecisionDays.delete()
         .where(*[getattr(DecisionDays, name) == value for name, value in bucket.items()], DecisionDays.requests == 0)
         .execute())


def _as_datetime(value):
    # SQLite hands back the stored text: fromisoformat reads it far faster than peewee's strptime.
    return value if value is None or isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(value)


def rebuild():
    """Recompute every rollup from the requests; returns (DayTally rows, DecisionDays rows) written."""
    tallies = defaultdict(Counter)
    histogram = Counter()
    columns = (ServiceRequest.id, ServiceRequest.submitted_at, ServiceRequest.service, ServiceRequest.district,
               ServiceRequest.status, ServiceRequest.due_at, ServiceRequest.closed_at)
    with database.atomic():
        if is_postgresql():
            # A step filed or closed meanwhile waits, then counts on top: it is not in what is read below.
            database.execute_sql("LOCK TABLE dashboard_day, dashboard_decision_days IN EXCLUSIVE MODE")
        # SQLite: the first write takes the one writer's lock, so nothing changes under the reads below
        # (and another writer waits its busy timeout, then gives up).
        DayTally.delete().execute()
        DecisionDays.delete().execute()
        first = ServiceRequest.select(fn.MIN(ServiceRequest.submitted_at)).scalar()
        districts = [pk for (pk,) in District.select(District.id).tuples()]
        calendars = calendars_for(districts, start=clock.ist_date(_as_datetime(first))) if first else {}
        days_taken = {}  # (district, receipt date, decision date): working days, for the many alike
        last = 0
        while True:
            # In batches by id, so that a million rows never sit in memory at once.
            query = (ServiceRequest.select(*columns).where(ServiceRequest.id > last)
                     .order_by(ServiceRequest.id).limit(REBUILD_BATCH))
            rows = database.execute(query).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            for _, submitted_at, service, district, status, due_at, closed_at in rows:
                submitted_at = _as_datetime(submitted_at)
                received = clock.ist_date(submitted_at)
                tally = tallies[received, service, district]
                tally["received"] += 1
                if status not in STOPPED:
                    continue
                closed_at = _as_datetime(closed_at)
                tally[closing_count(status, closed_at, _as_datetime(due_at))] += 1
                if status != "withdrawn":
                    decided = clock.ist_date(closed_at)
                    taken = days_taken.get((district, received, decided))
                    if taken is None:
                        taken = days_taken[district, received, decided] = decision_days(
                            submitted_at, closed_at, calendars[district])
                    histogram[received, service, district, taken] += 1
        ratings = (RequestRating.select(ServiceRequest.submitted_at, ServiceRequest.service, ServiceRequest.district,
                                        RequestRating.stars).join(ServiceRequest))
        for submitted_at, service, district, stars in database.execute(ratings).fetchall():
            tally = tallies[clock.ist_date(_as_datetime(submitted_at)), service, district]
            tally["rated"] += 1
            tally["stars"] += stars
        bulk.insert(DayTally, [dict(day=day, service=service, district=district, **{c: counts[c] for c in COUNTS})
                               for (day, service, district), counts in tallies.items()])
        bulk.insert(DecisionDays, [dict(day=day, service=service, district=district, days=days, requests=count)
                                   for (day, service, district, days), count in histogram.items()])
    return len(tallies), len(histogram)


# Reading the figures ------------------------------------------------------

class Figures:
    """The figures of one department, district, service or week, or of the whole scope."""

    def __init__(self, subject=None):
        self.subject = subject  # the Department, District or Service row; None for all of them
        # COUNTS, and of the open requests 'overdue' (running past the due date) and 'in_appeal' (any level)
        self.counts = Counter()
        self.histogram = Counter()  # working days to decision: decisions

    def add(self, counts):
        for name, value in counts.items():
            self.counts[name] += value

    def merge(self, other):
        self.add(other.counts)
        self.histogram.update(other.histogram)

    def __getattr__(self, name):
        # received, delivered_on_time ... in_appeal: a count, 0 when none were seen.
        if name in COUNTS or name in ("overdue", "in_appeal"):
            return self.counts[name]
        raise AttributeError(name)

    @property
    def rejected(self):
        return self.rejected_on_time + self.rejected_late

    @property
    def decided(self):
        return self.delivered_on_time + self.delivered_late + self.rejected

    @property
    def decided_on_time(self):
        return self.delivered_on_time + self.rejected_on_time

    @property
    def pending(self):
        return self.received - self.decided - self.withdrawn

    @property
    def pending_in_time(self):
        return self.pending - self.overdue

    @property
    def on_time_percent(self):
        """Decisions (deliveries and rejections) made by the due date, of all decisions; None without any."""
        return 100 * self.decided_on_time / self.decided if self.decided else None

    @property
    def average_rating(self):
        """The citizens' stars, on average; None before any rating."""
        return self.stars / self.rated if self.rated else None

    @property
    def median_days(self):
        """The median of the working days each decision took (the mean of the middle two for an even count)."""
        return median(self.histogram)

    @property
    def score(self):
        """Out of 10, one decimal (docs/dashboard.md); None before any decision, when there is nothing to judge."""
        if not self.decided:
            return None
        on_time = self.decided_on_time / self.decided
        decided = self.decided / (self.received - self.withdrawn)
        not_overdue = 1 - self.overdue / self.pending if self.pending else 1
        return round(10 * (WEIGHTS["on_time"] * on_time + WEIGHTS["decided"] * decided
                           + WEIGHTS["not_overdue"] * not_overdue), 1)


def median(histogram):
    """The median of values given as {value: how many} (the mean of the middle two for an even count), or None."""
    total = sum(histogram.values())
    if not total:
        return None

    def at(position):  # the value at a 0-based position in sorted order
        seen = 0
        for value, count in sorted(histogram.items()):
            seen += count
            if position < seen:
                return value

    return (at((total - 1) // 2) + at(total // 2)) / 2


Report = namedtuple("Report", "start end total departments districts services weeks")
# A week (Monday to Sunday) of the range, cut to the range at either end.
Week = namedtuple("Week", "first last figures")


def default_range(today):
    """The last DEFAULT_DAYS IST days, today included."""
    return today - datetime.timedelta(days=DEFAULT_DAYS - 1), today


def _administered(officer, model):
    """The rows of `model` (with service and district columns) an administrator answers for.

    models.scope's rule for requests: his department's services anywhere,
    his district's requests of any service, everything for the state.
    """
    j = scope.jurisdiction(officer)
    if not officer.active:
        return scope.NOTHING
    if j.state:
        return scope.EVERYTHING
    conditions = []
    if j.departments:
        conditions.append(model.service.in_(Service.select(Service.id).where(Service.department.in_(j.departments))))
    if j.districts:
        conditions.append(model.district.in_(j.districts))
    return functools.reduce(operator.or_, conditions) if conditions else scope.NOTHING


def _rows(query):
    """The rows as the driver gives them: peewee's conversion of every value is what a few thousand rows feel.

    Read from the replica when there is one (DATABASE_REPLICA_URL): the report's aggregates are the heavy
    reads, and a figure a second old is as good. The look-ups of names stay on the primary."""
    return reader().execute(query).fetchall()


def _date(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value  # SQLite's text


def report(officer, start, end, now=None):
    """The figures of the requests received from `start` to `end` (IST dates, both included) that `officer`
    administers, as they stand at `now`: in all, by department, district and service, and by week."""
    now = now or utcnow()
    sums = [fn.SUM(getattr(DayTally, name)) for name in COUNTS]
    in_range = DayTally.day.between(start, end) & _administered(officer, DayTally)
    cell = (DayTally.service, DayTally.district)
    counts = _rows(DayTally.select(*cell, *sums).where(in_range).group_by(*cell))
    cell = (DecisionDays.service, DecisionDays.district)
    histograms = _rows(DecisionDays.select(*cell, DecisionDays.days, fn.SUM(DecisionDays.requests))
                       .where(DecisionDays.day.between(start, end) & _administered(officer, DecisionDays))
                       .group_by(*cell, DecisionDays.days))
    cell = (ServiceRequest.service, ServiceRequest.district)
    received = (ServiceRequest.select(*cell, fn.COUNT(SQL("*")))
                .where(ServiceRequest.submitted_at >= clock.ist_day_start(start),
                       ServiceRequest.submitted_at < clock.ist_day_start(end + clock.ONE_DAY),
                       _administered(officer, ServiceRequest))
                .group_by(*cell))
    overdue = _rows(received.where(RUNNING, ServiceRequest.due_at < now))
    in_appeal = _rows(received.where(OPEN, APPEALED))

    # Summed by service and by district, row by row; a department is the sum of its services, and so is the whole.
    by_service, by_district = defaultdict(Figures), defaultdict(Figures)
    for service, district, *values in counts:
        values = dict(zip(COUNTS, values))
        by_service[service].add(values)
        by_district[district].add(values)
    for service, district, days, decisions in histograms:
        by_service[service].histogram[days] += decisions
        by_district[district].histogram[days] += decisions
    for name, rows in (("overdue", overdue), ("in_appeal", in_appeal)):
        for service, district, found in rows:
            by_service[service].counts[name] += found
            by_district[district].counts[name] += found

    services = {s.id: s for s in Service.select().where(Service.id.in_(list(by_service)))}
    by_department, total = {}, Figures()
    for service, figures in by_service.items():
        figures.subject = services[service]
        department = by_department.setdefault(services[service].department_id, Figures())
        department.merge(figures)
        total.merge(figures)
    for department in Department.select().where(Department.id.in_(list(by_department))):
        by_department[department.id].subject = department
    for district in District.select().where(District.id.in_(list(by_district))):
        by_district[district.id].subject = district
    ordered = {kind: sorted(found.values(), key=lambda f: f.subject.name_en)
               for kind, found in (("department", by_department), ("district", by_district),
                                   ("service", by_service))}
    return Report(start, end, total, ordered["department"], ordered["district"], ordered["service"],
                  _weeks(sums, in_range, start, end))


def _weeks(sums, in_range, start, end):
    """A Week for each week the range touches, oldest first; one without requests has empty Figures."""
    first_monday = start - datetime.timedelta(days=start.weekday())
    weeks = {first_monday + datetime.timedelta(weeks=n): Figures()
             for n in range((end - first_monday).days // 7 + 1)}
    for day, *values in _rows(DayTally.select(DayTally.day, *sums).where(in_range).group_by(DayTally.day)):
        day = _date(day)
        weeks[day - datetime.timedelta(days=day.weekday())].add(dict(zip(COUNTS, values)))
    return [Week(max(monday, start), min(monday + datetime.timedelta(days=6), end), figures)
            for monday, figures in weeks.items()]


def ranking(figures):
    """`figures` best first by score (those without one last), then by name: [(place, Figures)]."""
    ranked = sorted(figures, key=lambda f: (f.score is None, -(f.score or 0), f.subject.name_en))
    return [(place, f) for place, f in enumerate(ranked, 1)]
