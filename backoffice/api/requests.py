"""A citizen's own requests: the list, one with its history, and his steps (withdraw, answer a query).

Every read starts from models.scope.own, so another citizen's tracking number
answers exactly as a number that does not exist. The steps go through
backoffice/workflow.py (models.lifecycle.perform), as the admin's do: the same
rules, the same version check, the same messages to the citizen.
"""
import datetime
import math
from enum import Enum
from typing import Annotated

import strawberry

from models import (
    Department, District, DomainError, RequestEvent, Service, ServiceRequest, clock, lifecycle, scope, tracking,
)
from models.deadlines import STOPPED
from models.holidays import calendars_for
from models.timeutil import utcnow

from .. import workflow
from ..admin import timeleft
from ..admin.labels import VALUES
from . import documents as downloads, types
from .access import CITIZEN
from .pagination import timed_page
from .problems import Problem

DEFAULT_PAGE_SIZE = 20
# The steps whose note the citizen reads: his own words, the officer's question, the
# reason for a rejection (the Act requires it in writing) and a delivery note. Routing's and
# the clock's notes name officers and internals, and stay in the back office.
NOTES_SHOWN = {"raise_query", "answer_query", "reject", "deliver", "withdraw", "citizen_appeal"}


@strawberry.enum
class RequestStatus(Enum):
    SUBMITTED = "submitted"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    QUERY_RAISED = "query_raised"
    CITIZEN_RESPONDED = "citizen_responded"
    APPROVED = "approved"
    DELIVERED = "delivered"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@strawberry.enum(description="A step the citizen may take on the request as it stands.")
class CitizenAction(Enum):
    WITHDRAW = "withdraw"
    ANSWER_QUERY = "answer_query"
    APPEAL = "citizen_appeal"


@strawberry.enum
class Actor(Enum):
    CITIZEN = "citizen"
    OFFICER = "officer"
    SYSTEM = "system"


@strawberry.type(description=(
    "How the request's clock stands. Null on a request that is closed or has no time limit."))
class TimeLeft:
    working_days: int | None = strawberry.field(description=(
        "Working days left by its district's calendar (0: due today), negative when overdue; "
        "null for a limit in hours, or while paused."))
    hours: int | None = strawberry.field(description="Hours left, negative when overdue; only for a limit in hours.")
    paused: bool = strawberry.field(description="Waiting for his answer to a query: the clock stands still.")
    text: str = strawberry.field(description="The same in words, in the reader's language.")


@strawberry.type(description="One line of a request's history.")
class TimelineEntry:
    at: datetime.datetime
    kind: str = strawberry.field(description=(
        "filed, assign, start, raise_query, answer_query, approve, reject, deliver, withdraw, citizen_appeal, "
        "reassigned, directed, handed_over, clock_paused, clock_resumed, escalated, ..."))
    by: Actor
    from_status: RequestStatus | None
    to_status: RequestStatus | None
    note: str | None = strawberry.field(description=(
        "The question, answer, reason or delivery note; null for the steps whose notes are internal."))


def _utc(moment):
    return moment.replace(tzinfo=datetime.timezone.utc) if moment else None


def _status(code):
    return RequestStatus(code) if code else None


@strawberry.type(description="A request of the citizen's.")
class Request:
    tracking_number: str
    status: RequestStatus
    status_label: str = strawberry.field(description="The status in the reader's language.")
    version: int = strawberry.field(description="Pass it back with a step: a stale copy is refused, not applied.")
    service: types.Service
    district: types.District
    submitted_at: datetime.datetime
    due_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    time_left: TimeLeft | None
    actions: list[CitizenAction]
    request_id: strawberry.Private[int]

    @strawberry.field(description="The history, oldest first; one query, so ask it of one request at a time.")
    def timeline(self) -> list[TimelineEntry]:
        events = RequestEvent.select().where(RequestEvent.request == self.request_id).order_by(
            RequestEvent.at, RequestEvent.id)
        return [TimelineEntry(
            at=_utc(e.at), kind=e.kind,
            by=Actor.CITIZEN if e.citizen_id else Actor.OFFICER if e.officer_id else Actor.SYSTEM,
            from_status=_status(e.from_status), to_status=_status(e.to_status),
            note=e.note if e.kind in NOTES_SHOWN else None) for e in events]

    @strawberry.field(description="The officer's open question, while the request waits for his answer.")
    def open_query(self) -> str | None:
        if self.status != RequestStatus.QUERY_RAISED:
            return None
        event = (RequestEvent.select(RequestEvent.note)
                 .where(RequestEvent.request == self.request_id, RequestEvent.kind == "raise_query")
                 .order_by(RequestEvent.at.desc(), RequestEvent.id.desc()).first())
        return event.note if event else None

    @strawberry.field(description="What was issued when it was delivered; null before.")
    def delivery(self) -> downloads.DeliveryResult | None:
        return downloads.delivery(self.request_id, self.tracking_number)

    @strawberry.field(description="The documents he attached to his application.")
    def documents(self) -> list[downloads.AttachedDocument]:
        return downloads.attached(self.request_id, self.tracking_number)

    @classmethod
    def from_models(cls, rows, citizen, now=None):
        """`rows` joined with their service, department and district (see `_requests`): no query per row."""
        now = now or utcnow()
        left = _time_left(rows, now)
        return [cls(
            tracking_number=r.tracking_number, status=RequestStatus(r.status), status_label=str(VALUES[r.status]),
            version=r.version, service=types.Service.from_model(r.service),
            district=types.District.from_model(r.district), submitted_at=_utc(r.submitted_at),
            due_at=_utc(r.due_at), closed_at=_utc(r.closed_at), time_left=left[r.id],
            actions=[CitizenAction(a) for a in lifecycle.available(citizen, r, now) if a in _ACTIONS],
            request_id=r.id) for r in rows]


_ACTIONS = {a.value for a in CitizenAction}


def _time_left(rows, now):
    """{request id: TimeLeft or None}, with one query for the calendars of them all."""
    counted = [r for r in rows if r.due_at and r.status not in STOPPED and r.tat_unit != "hours"]
    calendars = {}
    if counted:
        start = min(clock.ist_date(now), *(clock.ist_date(r.due_at) for r in counted))
        calendars = calendars_for({r.district_id for r in counted}, start=start)
    found = {}
    for r in rows:
        if r.due_at is None or r.status in STOPPED:
            found[r.id] = None
            continue
        paused = r.status == timeleft.PAUSED
        days = hours = None
        if r.tat_unit == "hours":
            remaining = (r.due_at - now).total_seconds() / 3600
            hours = math.floor(remaining) if remaining >= 0 else -math.ceil(-remaining)
        elif not paused:
            days = clock.working_days_left(r.due_at, now, calendars[r.district_id])
        found[r.id] = TimeLeft(working_days=days, hours=hours, paused=paused,
                               text=timeleft.words(r, now, calendars.get(r.district_id)))
    return found


@strawberry.type
class RequestEdge:
    cursor: str
    node: Request


@strawberry.type
class RequestConnection:
    edges: list[RequestEdge]
    page_info: types.PageInfo
    total_count: int = strawberry.field(description="All his requests matching the filter, on every page.")


RequestResult = Annotated[Request | Problem, strawberry.union("RequestResult")]


def _requests(citizen):
    # Service, department and district joined: a page of requests costs no query per request.
    return (ServiceRequest.select(ServiceRequest, Service, Department, District)
            .join_from(ServiceRequest, Service).join_from(Service, Department)
            .join_from(ServiceRequest, District)
            .where(scope.own(citizen, ServiceRequest)))


def _mine(citizen, number):
    canonical = tracking.normalize(number or "")
    row = _requests(citizen).where(ServiceRequest.tracking_number == canonical).first() if canonical else None
    if row is None:
        raise DomainError("request_not_found", number=(number or "").strip())
    return row


@strawberry.type
class RequestsQuery:
    @strawberry.field(metadata=CITIZEN, description=(
        "His requests, newest first; `status` keeps those in any of the statuses given. "
        "`first` is 0 to the server's cap (100); null means 20."))
    def my_requests(self, info: strawberry.Info, status: list[RequestStatus] | None = strawberry.UNSET,
                    first: int | None = DEFAULT_PAGE_SIZE, after: str | None = strawberry.UNSET) -> RequestConnection:
        citizen = info.context["viewer"]
        query = _requests(citizen)
        if status:
            query = query.where(ServiceRequest.status.in_([s.value for s in status]))
        rows, has_next, total, cursor = timed_page(
            query, ServiceRequest.submitted_at, ServiceRequest.tracking_number,
            first=DEFAULT_PAGE_SIZE if first is None else first, after=after or None, descending=True)
        nodes = Request.from_models(rows, citizen)
        edges = [RequestEdge(cursor=cursor(row), node=node) for row, node in zip(rows, nodes)]
        return RequestConnection(edges=edges, total_count=total, page_info=types.PageInfo(
            has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None))

    @strawberry.field(metadata=CITIZEN, description=(
        "One of his requests by its tracking number (any case, with or without dashes); "
        "null when he has none by that number."))
    def my_request(self, info: strawberry.Info, tracking_number: str) -> Request | None:
        citizen = info.context["viewer"]
        try:
            row = _mine(citizen, tracking_number)
        except DomainError:
            return None
        return Request.from_models([row], citizen)[0]


def _step(citizen, number, action, **fields):
    try:
        row = _mine(citizen, number)
        workflow.act(row, action, citizen, **fields)
    except DomainError as error:
        return Problem.of(error)
    return Request.from_models([row], citizen)[0]


@strawberry.type
class RequestsMutation:
    @strawberry.mutation(metadata=CITIZEN, description=(
        "Withdraw a request not yet decided. `version` is the request's version as the app last read it."))
    def withdraw_request(self, info: strawberry.Info, tracking_number: str, version: int) -> RequestResult:
        return _step(info.context["viewer"], tracking_number, "withdraw", version=version)

    @strawberry.mutation(metadata=CITIZEN, description=(
        "Answer the officer's query (required); the clock runs again and the due date moves by the days "
        "it waited."))
    def answer_query(self, info: strawberry.Info, tracking_number: str, version: int, answer: str) -> RequestResult:
        return _step(info.context["viewer"], tracking_number, "answer_query", version=version, note=answer)
