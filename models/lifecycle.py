"""A request's life: filing, the allowed transitions, and who may make each.

    submitted --assign--> assigned --start--> in_progress
    in_progress | citizen_responded --raise_query--> query_raised --answer_query--> citizen_responded
    in_progress | citizen_responded --approve--> approved --deliver--> delivered
    assigned | in_progress | citizen_responded --reject (a reason)--> rejected
    anything before a decision --withdraw--> withdrawn
    rejected --citizen_appeal (grounds, within 30 days)--> in_progress, one appeal level up

An appeal (models/appeals.py) is beside the status, not one of them: the
authority a request is appealed to may direct the assigned officer to decide
by a date, reassign it, or take the assignee's steps and decide it himself.

Every transition is a conditional UPDATE on the version the actor's form was
prepared from, so of two officers acting at once one wins and the other is
told the request changed; it appends an immutable RequestEvent. Status and
due date change here and in models/deadlines.py, nowhere else. Notifying the
citizen is the caller's part (backoffice/workflow.py), in the same transaction.
"""
import datetime
import hashlib
import re
from collections import namedtuple

from peewee import IntegrityError

from . import appeals, clock, dashboard, deadlines, forms, request_documents, routing, scope
from .db import database
from .errors import DomainError
from .people import Citizen, Officer
from .requests import Delivery, RequestEvent, RequestRating, ServiceRequest
from .timeutil import utcnow

# Who may make a transition:
#   assignee       the officer the request is assigned to
#   administrator  a state administrator, the service department's or the district's administrator
#   citizen        the citizen himself (the app), or a counter operator of the request's district for him
#   authority      the appellate authority the request is appealed to now (levels 1 and 2)
#   commission     a member of the Right to Service Commission, on a request flagged for it (level 3)
#   system         nobody in person: routing
Transition = namedtuple("Transition", "sources target actors needs_note")

BEFORE_DECISION = ("submitted", "assigned", "in_progress", "query_raised", "citizen_responded")
TRANSITIONS = {
    "assign": Transition(("submitted",), "assigned", {"administrator", "system", "authority"}, False),
    "start": Transition(("assigned",), "in_progress", {"assignee", "authority"}, False),
    "raise_query": Transition(("in_progress", "citizen_responded"), "query_raised", {"assignee"}, True),
    "answer_query": Transition(("query_raised",), "citizen_responded", {"citizen"}, True),
    "approve": Transition(("in_progress", "citizen_responded"), "approved", {"assignee", "authority"}, False),
    "reject": Transition(("assigned", "in_progress", "citizen_responded"), "rejected", {"assignee", "authority"},
                         True),
    "deliver": Transition(("approved",), "delivered", {"assignee", "authority"}, False),
    "withdraw": Transition(BEFORE_DECISION, "withdrawn", {"citizen"}, False),
}

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# A decision the citizen may rate: what he was given, or refused.
RATED = ("delivered", "rejected")
MAX_RATING_COMMENT = 1000
# A phone number as people write it: +91 98123 45678, 098123-45678, 9812345678.
MOBILE = re.compile(r"(?:\+?91|0)?([6-9]\d{9})")

Document = namedtuple("Document", "filename content_type content")


def _roles(actor, request):
    """The roles of TRANSITIONS' actors that `actor` plays for `request`."""
    if actor is None:
        return {"system"}
    if isinstance(actor, Citizen):
        return {"citizen"} if actor.id == request.citizen_id else set()
    if not actor.active:
        return set()
    j = scope.jurisdiction(actor)
    roles = set()
    if request.assigned_officer_id == actor.id:
        roles.add("assignee")
    if j.state or request.district_id in j.districts or request.service.department_id in j.departments:
        roles.add("administrator")
    if request.district_id in j.counters:
        roles.add("citizen")
    if is_authority(actor, request):
        roles.add("authority")
    if j.commission and request.appeal_level == appeals.COMMISSION:
        roles.add("commission")
    return roles


def is_authority(officer, request):
    """Whether `officer` is the appellate authority `request` is appealed to now."""
    return request.appeal_level in (1, 2) and request.appealed_to_id == officer.id


def available(actor, request, now=None):
    """The actions `actor` may take on `request` as it stands, in TRANSITIONS' order, then the others
    ('reassign', 'direct', 'hand_over', 'citizen_appeal', 'commission_decide')."""
    roles = _roles(actor, request)
    names = [name for name, t in TRANSITIONS.items() if request.status in t.sources and roles & t.actors]
    undecided = request.assigned_officer_id and request.status in BEFORE_DECISION + ("approved",)
    if roles & {"administrator", "authority"} and undecided:
        names.append("reassign")
    if "authority" in roles and undecided and request.assigned_officer_id != actor.id:
        names.append("direct")
    if "citizen" in roles and isinstance(actor, Officer) and request.status == "delivered":
        # Not the row: its document may be megabytes.
        waiting = Delivery.select(Delivery.id).where(Delivery.request == request.id, Delivery.handed_over_at.is_null())
        if waiting.exists():
            names.append("hand_over")
    if "citizen" in roles and appeal_open(request, now):
        names.append("citizen_appeal")
    if "commission" in roles and appeals.decision(request) is None:
        names.append("commission_decide")
    return names


def appeal_open(request, now=None):
    """Whether the citizen may still appeal the request's rejection: within CITIZEN_APPEAL_DAYS days of it
    (IST dates), and while there is a level above it."""
    if request.status != "rejected" or request.closed_at is None or request.appeal_level >= appeals.COMMISSION:
        return False
    last_day = clock.ist_date(request.closed_at) + datetime.timedelta(days=appeals.CITIZEN_APPEAL_DAYS)
    return clock.ist_date(now or utcnow()) <= last_day


def normalize_mobile(text):
    """A 10-digit Indian mobile number from what was typed, or None."""
    match = MOBILE.fullmatch(re.sub(r"[\s\-()]", "", text or ""))
    return match.group(1) if match else None


def citizen_by_mobile(mobile, name="", language="hi", district=None):
    """The citizen with this mobile number, created when new: the counter's walk-in."""
    number = normalize_mobile(mobile)
    if number is None:
        raise DomainError("mobile_invalid", mobile=mobile)
    citizen = Citizen.get_or_none(Citizen.mobile == number)
    if citizen is None:
        citizen = Citizen.create(mobile=number, name=name.strip(), language=language, district=district)
    elif not citizen.name and name.strip():
        # Known only by his number so far (an SMS or the app): the counter learns his name.
        citizen.name = name.strip()
        citizen.save()
    return citizen


def file(service, citizen, district, *, area=None, form_values=None, form_version=None, documents=None,
         filed_by=None, at=None):
    """Receive a citizen's complete application and route it; returns the new request.

    `filed_by` is the counter operator filing for a walk-in citizen, or None
    when the citizen filed it himself (the app). The service's limit at this
    moment is the request's, and its due date is set at once. `form_version`
    is the number of the version of the service's form the answers were
    filled against (None: the current one), `documents` the attached files
    by field key; models/forms.py checks them, and refuses a service not
    offered in the district, and models/request_documents.py keeps them.
    """
    at = at or utcnow()
    if service.status != "published":
        raise DomainError("service_not_open", code=service.code)
    if area is not None and area.district_id != district.id:
        raise DomainError("area_not_in_district", area=area.name_en, district=district.name_en)
    if filed_by is not None and district.id not in scope.jurisdiction(filed_by).counters:
        raise DomainError("counter_outside_district", district=district.name_en)
    version, form_values = forms.check_submission(service, district, area, form_version, form_values, documents,
                                                  at=at)
    fields = dict(citizen=citizen, service=service, district=district, area=area, submitted_at=at,
                  filed_by=filed_by, form_values=form_values, form_version=version,
                  tat_value=service.tat_value, tat_unit=service.tat_unit)
    with database.atomic():
        fields["due_at"] = deadlines.due_at_for(ServiceRequest(**fields))
        request = ServiceRequest.create_with_tracking_number(**fields)
        request_documents.keep(request, form_values, documents)
        RequestEvent.create(request=request, at=at, officer=filed_by, citizen=None if filed_by else citizen,
                            kind="filed", to_status="submitted",
                            note="Filed at the counter." if filed_by else "Filed from the app.")
        dashboard.filed(request)
        route(request, at=at)
    return request


def route(request, at=None):
    """Assign a submitted request to the officer routing finds; returns the event, or None when nobody can take it."""
    service = request.service
    found = routing.holders(service.designated_officer_id, request.district_id, request.area_id,
                            department_id=service.department_id)
    officer, rule = routing.least_busy(found.officers), found.rule
    if officer is None:
        return None
    return perform(request, "assign", None, version=request.version, to_officer=officer, at=at, routed_by=rule,
                   note=f"Routed to {officer.name} ({rule}).")


def perform(request, action, actor, *, version, note="", at=None, to_officer=None, routed_by="manual",
            document=None):
    """Make transition `action` on `request` for `actor` (an Officer, a Citizen, or None for the system).

    `version` is the request's version the actor saw. Refused with a
    DomainError, changing nothing, when the transition does not exist from the
    request's status, the actor may not make it, its note or output is
    missing, or the request changed since `version`. Returns the event.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError("transition_unknown", action=action)
    number = request.tracking_number
    if request.version != version:
        raise DomainError("request_changed", number=number)
    if request.status not in transition.sources:
        raise DomainError("transition_not_allowed", number=number, action=action, status=request.status)
    if not _roles(actor, request) & transition.actors:
        raise DomainError("transition_forbidden", number=number, action=action)
    note = (note or "").strip()
    if transition.needs_note and not note:
        raise DomainError(f"{action}_needs_note", number=number)
    at = at or utcnow()
    changes = {"status": transition.target}
    if action == "assign":
        _check_assignable(to_officer, request)
        changes.update(assigned_officer=to_officer, routed_by=routed_by)
    if action == "deliver":
        document = _checked_document(document) if document is not None else None
        if document is None and not note:
            raise DomainError("deliver_needs_output", number=number)
    if transition.target in deadlines.STOPPED:
        changes["closed_at"] = at
    before = request.status
    officer = actor if isinstance(actor, Officer) else None
    with database.atomic():
        _update(request, version, **changes)
        event = RequestEvent.create(request=request, at=at, officer=officer,
                                    citizen=actor if isinstance(actor, Citizen) else None,
                                    kind=action, from_status=before, to_status=transition.target, note=note)
        if action == "raise_query":
            deadlines.pause(request, at=at, officer=officer)
        elif action == "answer_query":
            appeals.resumed(request, deadlines.resume(request, at=at, officer=officer))
        elif transition.target in deadlines.STOPPED:
            deadlines.close_pause(request, at)
            dashboard.closed(request)
        if action == "deliver":
            Delivery.create(request=request, note=note, delivered_by=officer, delivered_at=at,
                            **_document_fields(document))
    return event


def reassign(request, to_officer, by, *, version, note=""):
    """An administrator gives an open request to another officer; the status stays."""
    if "reassign" not in available(by, request):
        raise DomainError("transition_forbidden", number=request.tracking_number, action="reassign")
    if request.version != version:
        raise DomainError("request_changed", number=request.tracking_number)
    _check_assignable(to_officer, request)
    if to_officer.id == request.assigned_officer_id:
        raise DomainError("reassign_to_same_officer", number=request.tracking_number, name=to_officer.name)
    previous = request.assigned_officer
    with database.atomic():
        _update(request, version, assigned_officer=to_officer, routed_by="manual")
        return RequestEvent.create(request=request, officer=by, kind="reassigned",
                                   note=" ".join(filter(None, [f"{previous.name} → {to_officer.name}.", note.strip()])))


def direct(request, by, *, version, decide_by, note="", at=None):
    """The appellate authority directs the assigned officer to decide by `decide_by` (an IST date); returns the event.

    The date lies between today and the last day of the authority's own time,
    so that he can still decide himself if the officer does not.
    """
    number = request.tracking_number
    if "direct" not in available(by, request):
        raise DomainError("transition_forbidden", number=number, action="direct")
    if request.version != version:
        raise DomainError("request_changed", number=number)
    at = at or utcnow()
    first, last = clock.ist_date(at), clock.ist_date(request.appeal_due_at)
    if decide_by is None or not first <= decide_by <= last:
        raise DomainError("direct_date_out_of_range", number=number, first=first.isoformat(), last=last.isoformat())
    text = f"{request.assigned_officer.name} to decide by {decide_by:%d-%m-%Y}."
    with database.atomic():
        _update(request, version, decide_by=decide_by)
        return RequestEvent.create(request=request, at=at, officer=by, kind="directed", from_status=request.status,
                                   to_status=request.status, note=" ".join(filter(None, [text, note.strip()])))


def citizen_appeal(request, actor, *, version, grounds, at=None):
    """The citizen (or a counter operator for him) appeals a rejection; returns (appeal, event).

    The request goes one level up, to the next appellate authority, and is open
    again (in progress) for him to decide within his time; a rejection at the
    second level is flagged for the Commission and stays rejected. Refused,
    changing nothing, after CITIZEN_APPEAL_DAYS days or without grounds.
    """
    number = request.tracking_number
    if request.version != version:
        raise DomainError("request_changed", number=number)
    if request.status != "rejected":
        raise DomainError("transition_not_allowed", number=number, action="citizen_appeal", status=request.status)
    if "citizen" not in _roles(actor, request):
        raise DomainError("transition_forbidden", number=number, action="citizen_appeal")
    at = at or utcnow()
    if not appeal_open(request, at):
        raise DomainError("citizen_appeal_too_late", number=number, days=appeals.CITIZEN_APPEAL_DAYS)
    grounds = (grounds or "").strip()
    if not grounds:
        raise DomainError("citizen_appeal_needs_note", number=number)
    reopened = request.appeal_level + 1 < appeals.COMMISSION
    with database.atomic():
        appeal = appeals.raise_level(request, at, reason="citizen", grounds=grounds,
                                     **(dict(status="in_progress", closed_at=None) if reopened else {}))
        if appeal is None:
            raise DomainError("request_changed", number=number)
        if reopened:
            dashboard.reopened(request)
        event = RequestEvent.create(request=request, at=at, officer=actor if isinstance(actor, Officer) else None,
                                    citizen=actor if isinstance(actor, Citizen) else None, kind="citizen_appeal",
                                    from_status="rejected", to_status=request.status,
                                    note=f"{grounds}\n{appeals.describe(appeal)}")
    return appeal, event


def rate(request, citizen, *, stars, comment="", at=None):
    """The citizen rates his delivered or rejected request, once; returns the RequestRating.

    A rating stays when an appeal opens the rejection again: it judged the
    decision he was given. Refused, changing nothing, on another's request,
    before a decision, a second time, outside 1 to 5 stars or with a comment
    over MAX_RATING_COMMENT characters.
    """
    number = request.tracking_number
    if citizen.id != request.citizen_id:
        raise DomainError("request_not_found", number=number)
    if request.status not in RATED:
        raise DomainError("rating_not_decided", number=number, status=request.status)
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise DomainError("rating_stars_out_of_range")
    comment = (comment or "").strip()
    if len(comment) > MAX_RATING_COMMENT:
        raise DomainError("rating_comment_too_long", max=MAX_RATING_COMMENT)
    try:
        with database.atomic():
            rating = RequestRating.create(request=request, stars=stars, comment=comment, rated_at=at or utcnow())
            dashboard.rated(request, stars)
    except IntegrityError:
        # The unique request: a second rating, however close behind the first.
        raise DomainError("rating_already_given", number=number) from None
    return rating


def hand_over(request, by, *, version):
    """The counter records that the citizen collected the delivered document in person."""
    if "hand_over" not in available(by, request):
        raise DomainError("transition_forbidden", number=request.tracking_number, action="hand_over")
    at = utcnow()
    with database.atomic():
        _update(request, version)
        (Delivery.update(handed_over_at=at, handed_over_by=by)
         .where(Delivery.request == request.id).execute())
        return RequestEvent.create(request=request, at=at, officer=by, kind="handed_over",
                                   note="Handed over at the counter.")


def _update(request, version, **changes):
    """The conditional write every change to a request goes through."""
    updated = (ServiceRequest.update(version=ServiceRequest.version + 1, **changes)
               .where(ServiceRequest.id == request.id, ServiceRequest.version == version)
               .execute())
    if not updated:
        raise DomainError("request_changed", number=request.tracking_number)
    for name, value in changes.items():
        setattr(request, name, value)
    request.version = version + 1


def _check_assignable(officer, request):
    if officer is None:
        raise DomainError("assign_needs_officer", number=request.tracking_number)
    if not officer.active or officer.on_leave:
        raise DomainError("officer_unavailable", name=officer.name)


def _checked_document(document):
    content = document.content or b""
    if not content:
        raise DomainError("document_empty", filename=document.filename)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DomainError("document_too_large", filename=document.filename, max_mb=MAX_DOCUMENT_BYTES // 2**20)
    # The bytes decide, not the name or the browser's word for the type.
    if not content.startswith(b"%PDF-"):
        raise DomainError("document_not_pdf", filename=document.filename)
    return document


def _document_fields(document):
    if document is None:
        return {}
    return dict(filename=document.filename[:200] or "document.pdf", content_type="application/pdf",
                size=len(document.content), sha256=hashlib.sha256(document.content).hexdigest(),
                content=document.content)
