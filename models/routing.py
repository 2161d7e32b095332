"""Routing: who holds a post for a request's place, and the one officer a request goes to.

`holders` is the one look-up, for any designation: routing asks it for the
service's designated officer, appeals for the appellate authorities. The
holders of the designation in the request's area, else in its district, else
state-wide; when nobody holds it there, the department's nodal officer for the
district, else the district administrator. Officers on leave or deactivated
are passed by at every step. A request nobody can take stays 'submitted' with
no officer; it and those a fallback holds are `UNROUTED`, which their
district's and department's administrators see through models/scope.py.

`move_open_requests` is the administrator's answer to leave, transfers and
additional charges: every open request of one officer to another holder of the
post, in one recorded action. A moved request is the administrator's choice
(routed_by 'manual'), as after lifecycle's reassign.
"""
from collections import namedtuple

from peewee import fn

from . import audit, scope
from .catalogue import Designation, Service
from .db import database
from .deadlines import STOPPED
from .errors import DomainError
from .people import Officer, Post, RoleGrant
from .requests import REQUEST_STATUSES, RequestEvent, ServiceRequest
from .timeutil import utcnow

# The statuses in which a request is done with: deadlines.py's clock stops at the same ones.
CLOSED = STOPPED
OPEN_STATUSES = tuple(s for s in REQUEST_STATUSES if s not in CLOSED)

# Who was found, and by which rule: 'area', 'district', 'state', 'nodal', 'district_admin', or None for nobody.
Found = namedtuple("Found", "officers rule")
NOBODY = Found([], None)
LEVELS = ("area", "district", "state")
# The rules that find someone only for want of a holder of the post.
FALLBACKS = ("nodal", "district_admin")

# Requests waiting for a holder of their post: submitted with nobody to take
# them, or open in the hands of a nodal officer or district administrator
# (ServiceRequest.routed_by). Never NULL for any row, so ~UNROUTED is the rest.
UNROUTED = ((ServiceRequest.assigned_officer.is_null() & (ServiceRequest.status == "submitted"))
            | (ServiceRequest.routed_by.is_null(False) & ServiceRequest.routed_by.in_(FALLBACKS)
               & ServiceRequest.status.not_in(CLOSED)))


def available():
    """Officers who can take work today."""
    return (Officer.active == True) & (Officer.on_leave == False)  # noqa: E712


def _level(post):
    if post.area_id is not None:
        return "area"
    return "district" if post.district_id is not None else "state"


def _covering(district_id, area_id):
    """Posts whose place covers the request's: its area, its whole district, or the whole state."""
    condition = (Post.district.is_null() & Post.area.is_null())
    if district_id is not None:
        condition |= (Post.district == district_id) & Post.area.is_null()
    if area_id is not None:
        condition |= Post.area == area_id
    return condition


def _officers(query):
    """The distinct officers of a query over Post or RoleGrant joined to Officer, lowest id first."""
    seen = {}
    for row in query:
        seen.setdefault(row.officer.id, row.officer)
    return [seen[pk] for pk in sorted(seen)]


def holders(designation, district_id, area_id=None, *, department_id=None):
    """The officers who can take a request needing `designation` in this place, and the rule that found them.

    `designation` is a Designation, its id, or None (a service with no designated
    officer: straight to the fallbacks, those of `department_id`). The fallbacks
    are the designation's department's nodal officers for the district, then the
    district's administrators. Returns a Found; Found([], None) when nobody.
    """
    designation_id = getattr(designation, "id", designation)
    if designation_id is not None:
        posts = (Post.select(Post, Officer).join(Officer)
                 .where(Post.designation == designation_id, _covering(district_id, area_id), available()))
        by_level = {level: [] for level in LEVELS}
        for post in posts:
            by_level[_level(post)].append(post)
        for level in LEVELS:
            if by_level[level]:
                return Found(_officers(by_level[level]), level)
        # Read only now: a request routed to a holder never needs it.
        if not isinstance(designation, Designation):
            designation = Designation.get_by_id(designation_id)
        department_id = designation.department_id
    if district_id is None:
        return NOBODY
    if department_id is not None:
        nodal = (Post.select(Post, Officer).join(Officer).switch(Post).join(Designation)
                 .where(Post.nodal == True, Post.district == district_id,  # noqa: E712
                        Designation.department == department_id, available()))
        found = _officers(nodal)
        if found:
            return Found(found, "nodal")
    admins = (RoleGrant.select(RoleGrant, Officer).join(Officer, on=RoleGrant.officer)
              .where(RoleGrant.role == "district_admin", RoleGrant.district == district_id, available()))
    found = _officers(admins)
    return Found(found, "district_admin") if found else NOBODY


def open_counts(officers):
    """{officer id: his open requests} for the given officers (those with none are absent)."""
    ids = [getattr(o, "id", o) for o in officers]
    if not ids:
        return {}
    query = (ServiceRequest
             .select(ServiceRequest.assigned_officer, fn.COUNT(ServiceRequest.id))
             .where(ServiceRequest.assigned_officer.in_(ids), ServiceRequest.status.not_in(CLOSED))
             .group_by(ServiceRequest.assigned_officer)
             .tuples())
    return dict(query)


def least_busy(officers):
    """The officer with the fewest open requests; the lowest id among equals, so a retry picks the same."""
    if not officers:
        return None
    counts = open_counts(officers)
    return min(officers, key=lambda o: (counts.get(o.id, 0), o.id))


def officer_for(request, designation=None):
    """The one officer `request` goes to, or None when nobody at all can take it.

    `designation` defaults to the service's designated officer.
    """
    service = request.service
    if designation is None:
        designation = service.designated_officer_id
    found = holders(designation, request.district_id, request.area_id, department_id=service.department_id)
    return least_busy(found.officers)


def unrouted(officer):
    """The unrouted requests `officer` sees: his districts' and departments' for an administrator (models/scope.py)."""
    return scope.rows(officer, ServiceRequest).where(UNROUTED)


def _covers(post, request):
    """Whether `post` is one that holds the post of `request`'s service for its place."""
    if post.designation_id != request.service.designated_officer_id:
        return False
    if post.area_id is not None:
        return post.area_id == request.area_id
    return post.district_id is None or post.district_id == request.district_id


def may_administer(officer, request):
    """A state administrator, or the department or district administrator of the request."""
    j = scope.jurisdiction(officer)
    return officer.active and (j.state or request.service.department_id in j.departments
                               or request.district_id in j.districts)


def move_open_requests(from_officer, to_officer, by, note="", designation=None):
    """Give every open request assigned to `from_officer` to `to_officer`; returns how many moved.

    `designation` (optional) narrows it to the requests of that post: an officer
    relieved of an additional charge keeps his own post's work. All or nothing:
    refused (DomainError, nothing changed) when the target is the same officer,
    deactivated or on leave, when `by` may not administer one of the requests, or
    when the target holds no post covering one of them. Each request moved gets
    a history entry and a version bump (a form opened on it before fails), and
    the audit log one entry for the whole move.
    """
    if to_officer.id == from_officer.id:
        raise DomainError("routing_same_officer", officer=to_officer.name)
    # As he stands now, not as a form read him a minute ago.
    to_officer = Officer.get_by_id(to_officer.id)
    if not to_officer.active:
        raise DomainError("routing_officer_inactive", officer=to_officer.name)
    if to_officer.on_leave:
        raise DomainError("routing_officer_on_leave", officer=to_officer.name)
    designation_id = getattr(designation, "id", designation)
    with database.atomic():
        query = (ServiceRequest.select(ServiceRequest, Service)
                 .join(Service)
                 .where(ServiceRequest.assigned_officer == from_officer.id, ServiceRequest.status.not_in(CLOSED))
                 .order_by(ServiceRequest.id))
        if designation_id is not None:
            query = query.where(Service.designated_officer == designation_id)
        requests = list(query)
        # Permission first, for every request, so that the refusal says nothing of posts outside his hands.
        for request in requests:
            if not may_administer(by, request):
                raise DomainError("routing_not_permitted", number=request.tracking_number)
        posts = list(Post.select().where(Post.officer == to_officer.id))
        for request in requests:
            if not any(_covers(post, request) for post in posts):
                raise DomainError("routing_not_a_holder", officer=to_officer.name, number=request.tracking_number)
        text = f"Moved from {from_officer.name} to {to_officer.name} by {by.name}."
        if note.strip():
            text += f" {note.strip()}"
        now = utcnow()
        moved = []
        for request in requests:
            # Still his and still open: one closed or moved meanwhile is left where it now is.
            changed = (ServiceRequest
                       .update(assigned_officer=to_officer.id, routed_by="manual",
                               version=ServiceRequest.version + 1)
                       .where(ServiceRequest.id == request.id, ServiceRequest.assigned_officer == from_officer.id,
                              ServiceRequest.status.not_in(CLOSED))
                       .execute())
            if changed:
                moved.append(request)
        if moved:
            RequestEvent.insert_many([
                {"request": r.id, "at": now, "officer": by.id, "kind": "reassigned", "from_status": r.status,
                 "to_status": r.status, "note": text} for r in moved]).execute()
            numbers = ", ".join(r.tracking_number for r in moved)
            audit.record(by, "update", from_officer,
                         note=f"{len(moved)} open request(s) moved to {to_officer.name} (officer {to_officer.id}): "
                              f"{numbers}." + (f" {note.strip()}" if note.strip() else ""))
    return len(moved)
