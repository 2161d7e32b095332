"""How each request's clock stands, on the request screens: time left in words, and the worklist filters.

Due today, due within 2 working days and overdue are the lists an officer
works from; unrouted is the administrators' list of requests waiting for a
holder of their post (models/routing.py). They are Flask-Admin filters, so they combine with the others and hold
through paging and export. Working days are counted by each request's
district's calendar, in the lists as in its time left, so the two never
disagree over a local holiday; a request with a limit in hours is due today
when it is due before midnight IST tonight, whatever the calendar. A request waiting for the citizen's answer to a
query is on none of the deadline lists: its clock stands still, and its due
date moves when he answers.
"""
import functools
import itertools
import operator
import math

from flask_admin.contrib.peewee.filters import BasePeeweeFilter
from flask_babel import gettext as _, lazy_gettext as _l, ngettext

from models import District, ServiceRequest, clock
from models.deadlines import STOPPED, open_pause
from models.holidays import calendars_for
from models.routing import UNROUTED
from models.timeutil import utcnow

from .base import ist

PAUSED = "query_raised"
RUNNING = ServiceRequest.status.not_in(STOPPED + (PAUSED,))
# The deadline filter's values: the working days left at most, or overdue.
DUE_WITHIN = {"today": 0, "2": 2}
OVERDUE = "overdue"


def attach(requests, now=None):
    """Set `time_left` (words, empty once the clock stopped) on each of `requests`, with one query for the lot."""
    now = now or utcnow()
    counted = [r for r in requests if r.due_at and r.status not in STOPPED and r.tat_unit != "hours"]
    calendars = {}
    if counted:
        start = min(clock.ist_date(now), *(clock.ist_date(r.due_at) for r in counted))
        calendars = calendars_for({r.district_id for r in counted}, start=start)
    for request in requests:
        request.time_left = words(request, now, calendars.get(request.district_id))


def words(request, now, calendar):
    if request.due_at is None or request.status in STOPPED:
        return ""
    if request.status == PAUSED:
        return _("paused for a query")
    if request.tat_unit == "hours":
        hours = (request.due_at - now).total_seconds() / 3600
        if hours >= 0:
            return ngettext("%(num)d hour left", "%(num)d hours left", math.floor(hours))
        return ngettext("overdue by %(num)d hour", "overdue by %(num)d hours", math.ceil(-hours))
    left = clock.working_days_left(request.due_at, now, calendar)
    if left == 0:
        return _("due today")
    if left > 0:
        return ngettext("%(num)d working day left", "%(num)d working days left", left)
    return ngettext("overdue by %(num)d working day", "overdue by %(num)d working days", -left)


def time_left(view, context, request, name):
    # A list page has attached it to all its rows at once; the details page has one row.
    if not hasattr(request, "time_left"):
        attach([request])
    return request.time_left


def clock_state(view, context, request, name):
    """Running, paused for a query to the citizen, or stopped for good."""
    if request.status in STOPPED:
        return _("Stopped on %(at)s", at=ist(view, request.closed_at, name)) if request.closed_at else _("Stopped")
    pause = open_pause(request)
    if pause is not None:
        return _("Paused since %(at)s, until the citizen answers the query", at=ist(view, pause.paused_at, name))
    return _("Running")


class OptionFilter(BasePeeweeFilter):
    """A filter offering fixed choices; Flask-Admin refuses a value not among them, with a message."""

    def validate(self, value):
        return value in dict(self.options)

    def operation(self):
        return _l("is")


class DeadlineFilter(OptionFilter):
    """Running requests due today, due within 2 working days (today's included) or overdue."""

    def __init__(self):
        super().__init__(ServiceRequest.due_at, _l("Deadline"), options=(
            ("today", _l("Due today")),
            ("2", _l("Due within 2 working days")),
            (OVERDUE, _l("Overdue")),
        ))

    def apply(self, query, value, now=None):
        now = now or utcnow()
        query = query.where(RUNNING)
        if value == OVERDUE:
            return query.where(ServiceRequest.due_at < now)
        # The overdue have their own list: the others are still to be met.
        soon = _before_horizon(now, DUE_WITHIN[value])
        if value == "today":
            # An hour limit runs through weekly offs and holidays, as its time left in hours says: due today
            # is due before midnight IST tonight, not on the Saturday after a Friday.
            days = ServiceRequest.tat_unit.is_null() | (ServiceRequest.tat_unit != "hours")
            tonight = clock.ist_day_end(clock.ist_date(now))
            soon = ((ServiceRequest.tat_unit == "hours") & (ServiceRequest.due_at <= tonight)) | (days & soon)
        return query.where(ServiceRequest.due_at >= now, soon)


def _before_horizon(now, days):
    """Due before the end of the `days`-th working day from today, by each district's calendar.

    One condition per distinct horizon, not per district: districts without a
    local holiday in the window share the state-wide one.
    """
    district_ids = [pk for (pk,) in District.select(District.id).tuples()]
    calendars = calendars_for(district_ids, start=clock.ist_date(now))
    horizons = sorted((clock.working_days_horizon(now, days, calendars[pk]), pk) for pk in district_ids)
    conditions = [(ServiceRequest.due_at < horizon) & ServiceRequest.district.in_([pk for _, pk in group])
                  for horizon, group in itertools.groupby(horizons, key=lambda pair: pair[0])]
    return functools.reduce(operator.or_, conditions) if conditions else ServiceRequest.id.is_null()


class UnroutedFilter(OptionFilter):
    """Requests waiting for a holder of their post (models.routing.UNROUTED), or the others."""

    def __init__(self):
        super().__init__(ServiceRequest.assigned_officer, _l("Unrouted"), options=(("1", _l("Yes")), ("0", _l("No"))))

    def apply(self, query, value):
        return query.where(UNROUTED if value == "1" else ~UNROUTED)
