"""Service requests' due dates: set at receipt, moved by queries to the citizen and by holidays.

`due_at_for` is the one computation: receipt, the limit at receipt, the
recorded pauses and the district's calendar, from scratch. Creation, `resume`
and `recompute_due_dates` all go through it, so a due date never depends on
the order in which things happened to it.
"""
from collections import defaultdict

from peewee import Check, DateTimeField, ForeignKeyField

from . import clock
from .db import BaseModel, database
from .errors import DomainError
from .holidays import calendar_for
from .requests import RequestEvent, ServiceRequest
from .timeutil import to_ist, utcnow

# The clock has stopped for good. An approved request not yet delivered still runs.
STOPPED = ("delivered", "rejected", "withdrawn")


class RequestPause(BaseModel):
    """A query to the citizen: the clock stands still from the query until his answer."""
    request = ForeignKeyField(ServiceRequest, backref="pauses", on_delete="RESTRICT")
    paused_at = DateTimeField()
    resumed_at = DateTimeField(null=True)  # empty while the citizen has not answered

    class Meta:
        table_name = "request_pause"
        constraints = [Check("resumed_at IS NULL OR resumed_at >= paused_at")]


# Two officers raising a query at once must not open two pauses.
RequestPause.add_index(RequestPause.index(RequestPause.request, unique=True, where=RequestPause.resumed_at.is_null(),
                                          name="request_pause_open"))


def _ist_text(utc_naive):
    return f"{to_ist(utc_naive):%Y-%m-%d %H:%M:%S} IST" if utc_naive else "none"


def _closed_pauses(request_ids):
    """{request id: [pauses with an answer, oldest first]} for the requests `request_ids` (a list or a query)."""
    found = defaultdict(list)
    query = (RequestPause.select()
             .where(RequestPause.request.in_(request_ids), RequestPause.resumed_at.is_null(False))
             .order_by(RequestPause.paused_at))
    for pause in query:
        found[pause.request_id].append(pause)
    return found


def due_at_for(request, calendar=None, pauses=None):
    """The request's due date (naive UTC), or None for a service without a time limit.

    `calendar` and `pauses` (closed ones) are read when not given; a caller
    handling many requests passes them in.
    """
    if request.tat_unit is None:
        return None
    if calendar is None:
        calendar = calendar_for(request.district_id, start=clock.ist_date(request.submitted_at))
    if pauses is None:
        # A request not yet saved (being created) has had no pause.
        pauses = _closed_pauses([request.id])[request.id] if request.id is not None else []
    due = clock.due_at(request.submitted_at, request.tat_value, request.tat_unit, calendar)
    for pause in pauses:
        due = clock.extend_for_pause(due, pause.paused_at, pause.resumed_at, request.tat_unit, calendar)
    return due


def _move_due_date(request, due):
    # A version bump, like every change to a request, so that an officer's
    # save prepared on the old row fails instead of writing the old due date back.
    (ServiceRequest
     .update(due_at=due, version=ServiceRequest.version + 1)
     .where(ServiceRequest.id == request.id)
     .execute())
    request.due_at = due
    request.version += 1


def _check_running(request):
    if request.status in STOPPED:
        raise DomainError("request_clock_stopped", number=request.tracking_number)


def open_pause(request):
    return RequestPause.get_or_none(RequestPause.request == request.id, RequestPause.resumed_at.is_null())


def pause(request, at=None, officer=None):
    """Stop the clock at `at` (default now): a query went to the citizen."""
    at = at or utcnow()
    _check_running(request)
    if open_pause(request) is not None:
        raise DomainError("request_already_paused", number=request.tracking_number)
    with database.atomic():
        created = RequestPause.create(request=request, paused_at=at)
        RequestEvent.create(request=request, at=at, officer=officer, kind="clock_paused",
                            note=f"Clock paused at {_ist_text(at)}.")
    return created


def resume(request, at=None, officer=None):
    """Start the clock again at `at` (default now): the citizen answered. Moves the due date."""
    at = at or utcnow()
    _check_running(request)
    current = open_pause(request)
    if current is None:
        raise DomainError("request_not_paused", number=request.tracking_number)
    if at < current.paused_at:
        raise DomainError("resume_before_pause", number=request.tracking_number, paused_at=current.paused_at)
    with database.atomic():
        current.resumed_at = at
        current.save()
        before = request.due_at
        _move_due_date(request, due_at_for(request))
        RequestEvent.create(request=request, at=at, officer=officer, kind="clock_resumed",
                            note=f"Clock resumed at {_ist_text(at)} (paused since {_ist_text(current.paused_at)}); "
                                 f"due date {_ist_text(before)} → {_ist_text(request.due_at)}.")
    return current


def close_pause(request, at):
    """The request closed while a query was open: the pause ends with it, the due date stays."""
    (RequestPause.update(resumed_at=at)
     .where(RequestPause.request == request.id, RequestPause.resumed_at.is_null())
     .execute())


def recompute_due_dates(holiday_date, district_id, officer=None):
    """After a holiday on `holiday_date` was added or removed, move the due dates it changes.

    `district_id` None: a state-wide holiday, every district. Only running
    requests with working-day limits whose window holds the date can change:
    received by then, and due on or after it or paused across it (a query
    raised after the due date). Each changed one gets a history entry.
    Returns how many changed.
    """
    day_start = clock.ist_day_start(holiday_date)
    next_day_start = clock.ist_day_start(holiday_date + clock.ONE_DAY)
    paused_across = (RequestPause.select(RequestPause.request)
                     .where(RequestPause.paused_at < day_start, RequestPause.resumed_at >= day_start))
    candidates = (ServiceRequest.select()
                  .where(ServiceRequest.status.not_in(STOPPED),
                         ServiceRequest.tat_unit == "working_days",
                         ServiceRequest.due_at.is_null(False),
                         ServiceRequest.submitted_at < next_day_start,
                         (ServiceRequest.due_at >= day_start) | ServiceRequest.id.in_(paused_across)))
    if district_id is not None:
        candidates = candidates.where(ServiceRequest.district == district_id)
    requests = list(candidates)
    if not requests:
        return 0
    pauses = _closed_pauses(candidates.select(ServiceRequest.id))
    earliest = clock.ist_date(min(r.submitted_at for r in requests))
    calendars = {}
    changed = 0
    with database.atomic():
        for request in requests:
            if request.district_id not in calendars:
                calendars[request.district_id] = calendar_for(request.district_id, start=earliest)
            before = request.due_at
            due = due_at_for(request, calendars[request.district_id], pauses[request.id])
            if due == before:
                continue
            _move_due_date(request, due)
            RequestEvent.create(request=request, officer=officer, kind="due_date_changed",
                                note=f"Due date {_ist_text(before)} → {_ist_text(due)}: "
                                     f"the holiday calendar changed on {holiday_date.isoformat()}.")
            changed += 1
    return changed
