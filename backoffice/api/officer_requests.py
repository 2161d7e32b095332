"""A field officer's work from the app: his queue, one request, and the steps he may take on it.

Every read starts from models.scope.rows, the admin's own rule, so a request
outside his scope answers as one that does not exist; the citizen's personal
data is in full only where models.scope.in_full says (the requests he
handles), masked otherwise, and a full view of sensitive answers is audited
as on the admin's screen. Steps go through backoffice/workflow.py's act with
the version the phone last read: a stale phone is refused, not applied over
a colleague's step.
"""
import datetime
from enum import Enum
from typing import Annotated

import strawberry
from flask_babel import get_locale, gettext
from peewee import JOIN
from strawberry.file_uploads import Upload

from models import (
    Area, Citizen, Department, District, DomainError, RequestEvent, Service, ServiceRequest, audit, clock, forms,
    lifecycle, scope, tracking,
)
from models.deadlines import STOPPED
from models.timeutil import utcnow

from .. import workflow
from ..admin.labels import VALUES
from ..admin.personal import worded
from . import types
from .access import OFFICER
from .pagination import bad_input, timed_page
from .problems import Problem
from .requests import Actor, RequestStatus, TimeLeft, TimelineEntry, _time_left

DEFAULT_PAGE_SIZE = 20


@strawberry.enum(description="A step an officer may take from the app (models/lifecycle.py).")
class OfficerStep(Enum):
    START = "start"
    RAISE_QUERY = "raise_query"
    APPROVE = "approve"
    REJECT = "reject"
    DELIVER = "deliver"


@strawberry.enum(description="Why a request is in his queue.")
class QueueReason(Enum):
    ASSIGNED = "assigned"
    APPEALED = "appealed"


@strawberry.enum(description="A queue filter by the due date, in IST days as the daily digest counts them.")
class QueueDue(Enum):
    TODAY = "today"
    OVERDUE = "overdue"


@strawberry.type(description=(
    "A step he may take now, with the version to send back: a request changed since is refused, not overwritten."))
class AvailableStep:
    step: OfficerStep
    version: int
    needs_note: bool = strawberry.field(description=(
        "A note is required: the query's question, the rejection's reason. Delivering needs the issued "
        "PDF or a delivery note, or both."))


@strawberry.type(description="The applicant; contact details masked unless he handles the request.")
class Applicant:
    name: str
    mobile: str | None
    email: str | None


@strawberry.type(description="An answer of the application form, labelled in the reader's language.")
class Answer:
    key: str
    label: str
    value: str = strawberry.field(description="Masked when it is personal data and he does not handle the request.")
    sensitive: bool


def _utc(moment):
    return moment.replace(tzinfo=datetime.timezone.utc) if moment else None


def _shown(row, value):
    return value if row.in_full else scope.mask(value)


@strawberry.type(description="A request in an officer's scope.")
class OfficerRequest:
    tracking_number: str
    status: RequestStatus
    status_label: str
    version: int
    service: types.Service
    district: types.District
    area: str | None = strawberry.field(description="The area's name in the reader's language.")
    submitted_at: datetime.datetime
    due_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    time_left: TimeLeft | None
    appeal_level: int = strawberry.field(description="0 none; 1, 2 with an appellate authority; 3 the Commission.")
    reasons: list[QueueReason]
    applicant: Applicant
    steps: list[AvailableStep]
    row: strawberry.Private[object]
    viewer: strawberry.Private[object]

    @strawberry.field(description="The application's answers; ask it of one request at a time.")
    def answers(self) -> list[Answer]:
        row = self.row
        version = row.form_version if row.form_version_id else None
        found = forms.labelled(version, row.form_values)
        if row.in_full and any(answer.sensitive for answer in found):
            audit.record_view(self.viewer, row, "form_values")
        hindi = str(get_locale()) == "hi"
        return [Answer(key=a.key, label=a.label_hi if hindi else a.label_en, sensitive=a.sensitive,
                       value=scope.mask(worded(a, hindi)) if a.sensitive and not row.in_full else worded(a, hindi))
                for a in found]

    @strawberry.field(description="The whole history, oldest first, with every note; one request at a time.")
    def timeline(self) -> list[TimelineEntry]:
        events = RequestEvent.select().where(RequestEvent.request == self.row.id).order_by(
            RequestEvent.at, RequestEvent.id)
        return [TimelineEntry(
            at=_utc(e.at), kind=e.kind,
            by=Actor.CITIZEN if e.citizen_id else Actor.OFFICER if e.officer_id else Actor.SYSTEM,
            from_status=RequestStatus(e.from_status) if e.from_status else None,
            to_status=RequestStatus(e.to_status) if e.to_status else None, note=e.note or None) for e in events]

    @classmethod
    def from_models(cls, rows, officer, now=None):
        """`rows` from `_requests`: joined, with `in_full`; no query per row but the steps' own checks."""
        now = now or utcnow()
        left = _time_left(rows, now)
        hindi = str(get_locale()) == "hi"
        return [cls(
            tracking_number=r.tracking_number, status=RequestStatus(r.status), status_label=str(VALUES[r.status]),
            version=r.version, service=types.Service.from_model(r.service),
            district=types.District.from_model(r.district),
            area=(r.area.name_hi if hindi else r.area.name_en) if r.area_id else None,
            submitted_at=_utc(r.submitted_at), due_at=_utc(r.due_at), closed_at=_utc(r.closed_at),
            time_left=left[r.id], appeal_level=r.appeal_level,
            reasons=[reason for reason, holds in ((QueueReason.ASSIGNED, r.assigned_officer_id == officer.id),
                                                  (QueueReason.APPEALED, lifecycle.is_authority(officer, r)))
                     if holds],
            applicant=Applicant(name=r.citizen.name, mobile=_shown(r, r.citizen.mobile),
                                email=_shown(r, r.citizen.email)),
            steps=[AvailableStep(step=OfficerStep(a), version=r.version, needs_note=lifecycle.TRANSITIONS[a].needs_note)
                   for a in lifecycle.available(officer, r, now) if a in _STEPS],
            row=r, viewer=officer) for r in rows]


_STEPS = {s.value for s in OfficerStep}


@strawberry.type
class OfficerRequestEdge:
    cursor: str
    node: OfficerRequest


@strawberry.type
class OfficerRequestConnection:
    edges: list[OfficerRequestEdge]
    page_info: types.PageInfo
    total_count: int


OfficerRequestResult = Annotated[OfficerRequest | Problem, strawberry.union("OfficerRequestResult")]


def _requests(officer):
    # Service, department, district, area and citizen joined, and whether he sees the citizen in full.
    return (ServiceRequest.select(ServiceRequest, Service, Department, District, Area, Citizen)
            .join_from(ServiceRequest, Service).join_from(Service, Department)
            .join_from(ServiceRequest, District).join_from(ServiceRequest, Area, JOIN.LEFT_OUTER)
            .join_from(ServiceRequest, Citizen)
            .select_extend(scope.in_full(officer, ServiceRequest).alias("in_full"))
            .where(scope.condition(officer, ServiceRequest)))


def _queue(officer, due, now):
    mine = (ServiceRequest.assigned_officer == officer.id) | (
        (ServiceRequest.appealed_to == officer.id) & ServiceRequest.appeal_level.in_((1, 2)))
    query = _requests(officer).where(mine, ServiceRequest.status.not_in(STOPPED))
    if due is not None:
        today = clock.ist_date(now)
        start = clock.ist_day_start(today)
        query = query.where(ServiceRequest.due_at.between(start, clock.ist_day_end(today)) if due == QueueDue.TODAY
                            else ServiceRequest.due_at < start)
    return query


def _document(upload):
    """The issued PDF as models.lifecycle reads it, read only up to one byte past its limit; None without one."""
    if upload is None or upload is strawberry.UNSET:
        return None
    if not hasattr(upload, "read"):
        # A JSON body can put any value where a file goes: only a multipart request's part is one.
        raise bad_input(gettext("Send documents as files of a multipart request."))
    content = upload.read(lifecycle.MAX_DOCUMENT_BYTES + 1)
    return lifecycle.Document(upload.filename or "", upload.mimetype, content)


def _in_scope(officer, number):
    canonical = tracking.normalize(number or "")
    row = _requests(officer).where(ServiceRequest.tracking_number == canonical).first() if canonical else None
    if row is None:
        raise DomainError("request_not_found", number=(number or "").strip())
    return row


@strawberry.type
class OfficerQuery:
    @strawberry.field(metadata=OFFICER, description=(
        "His open requests, assigned to him or appealed to him, the soonest due first (those without a time "
        "limit last); `due` keeps those due today or overdue. Relay cursor pages."))
    def my_queue(self, info: strawberry.Info, due: QueueDue | None = strawberry.UNSET,
                 first: int | None = DEFAULT_PAGE_SIZE, after: str | None = strawberry.UNSET
                 ) -> OfficerRequestConnection:
        officer, now = info.context["viewer"], utcnow()
        rows, has_next, total, cursor = timed_page(
            _queue(officer, due or None, now), ServiceRequest.due_at, ServiceRequest.tracking_number,
            first=DEFAULT_PAGE_SIZE if first is None else first, after=after or None)
        nodes = OfficerRequest.from_models(rows, officer, now)
        edges = [OfficerRequestEdge(cursor=cursor(row), node=node) for row, node in zip(rows, nodes)]
        return OfficerRequestConnection(edges=edges, total_count=total, page_info=types.PageInfo(
            has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None))

    @strawberry.field(metadata=OFFICER, description=(
        "A request he may see in the back office, by tracking number; null for any other."))
    def officer_request(self, info: strawberry.Info, tracking_number: str) -> OfficerRequest | None:
        officer = info.context["viewer"]
        try:
            return OfficerRequest.from_models([_in_scope(officer, tracking_number)], officer)[0]
        except DomainError:
            return None


@strawberry.type
class OfficerMutation:
    @strawberry.mutation(metadata=OFFICER, description=(
        "Take a step on a request: one of its `steps`, with the `version` given there. The note is the "
        "query's question or the rejection's reason (each required), or the delivery note; `document` is the "
        "issued PDF on delivery, a file of a GraphQL multipart request (its type read from its bytes, at most "
        "10 MB). Delivering needs the one or the other."))
    def take_step(self, info: strawberry.Info, tracking_number: str, step: OfficerStep, version: int,
                  note: str | None = strawberry.UNSET, document: Upload | None = strawberry.UNSET
                  ) -> OfficerRequestResult:
        officer = info.context["viewer"]
        issued = _document(document)
        try:
            row = _in_scope(officer, tracking_number)
            workflow.act(row, step.value, officer, version=version, note=note or "", document=issued)
        except DomainError as error:
            return Problem.of(error)
        return OfficerRequest.from_models([_in_scope(officer, tracking_number)], officer)[0]
