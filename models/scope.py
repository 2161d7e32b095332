"""Who may see and change which rows: the one place the jurisdiction rules live.

`rows(officer, Model, action)` is the query every admin view, export, dashboard
figure, GraphQL resolver and CLI acting for a person starts from. A model the
rules do not name is out of everyone's reach but the state administrator's, so
a new table is born closed.
"""
import functools
import operator

from peewee import SQL

from .catalogue import Area, Department, Designation, District, Service
from .helpdesk import HelpTicket, TicketMessage
from .holidays import Holiday
from .people import Citizen, Officer, Post, RoleGrant
from .requests import RequestEvent, ServiceRequest

ACTIONS = ("view", "create", "edit", "delete")
NOTHING = SQL("1 = 0")
EVERYTHING = SQL("1 = 1")

# Ranked from highest, as the Right to Service set-up names them; a role may
# grant itself and the roles listed under it, within its own jurisdiction.
GRANTABLE = {
    "state_admin": ("state_admin", "department_admin", "district_admin", "counter_operator",
                    "helpdesk_agent", "commission_member"),
    "department_admin": ("department_admin",),
    "district_admin": ("district_admin", "counter_operator"),
}


class Jurisdiction:
    """What one officer holds, read once: his grants and his posts."""

    def __init__(self, officer):
        self.officer = officer
        grants = list(RoleGrant.select().where(RoleGrant.officer == officer)) if officer.active else []
        self.state = any(g.role == "state_admin" for g in grants)
        self.departments = {g.department_id for g in grants if g.role == "department_admin"}
        self.districts = {g.district_id for g in grants if g.role == "district_admin"}
        self.counters = {g.district_id for g in grants if g.role == "counter_operator"}
        self.helpdesk = any(g.role == "helpdesk_agent" for g in grants)
        self.commission = any(g.role == "commission_member" for g in grants)
        self.field = officer.active and Post.select().where(Post.officer == officer).exists()

    @property
    def administers(self):
        return self.state or bool(self.departments or self.districts)


def jurisdiction(officer):
    # Cached on the instance: Flask-Login loads the officer once per web request.
    cached = getattr(officer, "_jurisdiction", None)
    if cached is None:
        cached = officer._jurisdiction = Jurisdiction(officer)
    return cached


def _any(conditions):
    conditions = [c for c in conditions if c is not None]
    return functools.reduce(operator.or_, conditions) if conditions else NOTHING


def _requests_condition(j):
    me = j.officer.id
    return _any([
        ServiceRequest.service.in_(Service.select(Service.id).where(Service.department.in_(j.departments)))
        if j.departments else None,
        ServiceRequest.district.in_(j.districts) if j.districts else None,
        (ServiceRequest.assigned_officer == me) if j.field else None,
        (ServiceRequest.filed_by == me) if j.counters else None,
    ])


def _officers_in(departments=(), districts=()):
    holders = Post.select(Post.officer)
    accum = []
    if departments:
        accum.append(Officer.department.in_(departments))
        accum.append(Officer.id.in_(holders.join(Designation).where(Designation.department.in_(departments))))
    if districts:
        areas = Area.select(Area.id).where(Area.district.in_(districts))
        accum.append(Officer.id.in_(holders.where(Post.district.in_(districts) | Post.area.in_(areas))))
    return accum


def _view(j, model):
    catalogue_reader = j.administers or j.counters or j.field or j.helpdesk
    if model in (District, Area, Department):
        return EVERYTHING if catalogue_reader else NOTHING
    if model is Service:
        if j.districts or j.counters or j.helpdesk or j.field:
            return EVERYTHING
        return Service.department.in_(j.departments) if j.departments else NOTHING
    if model is Designation:
        if j.districts:
            return EVERYTHING
        return Designation.department.in_(j.departments) if j.departments else NOTHING
    if model is Officer:
        return _any(_officers_in(j.departments, j.districts))
    if model is Post:
        return Post.officer.in_(Officer.select(Officer.id).where(_view(j, Officer)))
    if model is RoleGrant:
        return _any([
            RoleGrant.department.in_(j.departments) if j.departments else None,
            RoleGrant.district.in_(j.districts) if j.districts else None,
        ])
    if model is ServiceRequest:
        return _requests_condition(j)
    if model is RequestEvent:
        return RequestEvent.request.in_(ServiceRequest.select(ServiceRequest.id).where(_requests_condition(j)))
    if model is Citizen:
        return Citizen.id.in_(ServiceRequest.select(ServiceRequest.citizen).where(_requests_condition(j)))
    if model is HelpTicket:
        if j.helpdesk:
            return EVERYTHING
        return HelpTicket.request.in_(ServiceRequest.select(ServiceRequest.id).where(_requests_condition(j)))
    if model is TicketMessage:
        return TicketMessage.ticket.in_(HelpTicket.select(HelpTicket.id).where(_view(j, HelpTicket)))
    if model is Holiday:
        # Every administrator counts days against the state-wide calendar; a
        # district's own holidays matter to that district alone.
        if not j.administers:
            return NOTHING
        state_wide = Holiday.district.is_null()
        return state_wide | Holiday.district.in_(j.districts) if j.districts else state_wide
    return NOTHING


def _change(j, model):
    """Rows one may edit or delete (creating is checked on the new row by `may_create`)."""
    if model is Area:
        return Area.district.in_(j.districts) if j.districts else NOTHING
    if model is Department:
        return Department.id.in_(j.departments) if j.departments else NOTHING
    if model in (Service, Designation):
        return model.department.in_(j.departments) if j.departments else NOTHING
    if model is Officer:
        # Nobody edits himself through the admin: that would let him raise his grants.
        return _any(_officers_in(j.departments)) & (Officer.id != j.officer.id) if j.departments else NOTHING
    if model is Post:
        if not j.departments:
            return NOTHING
        return Post.designation.in_(Designation.select(Designation.id).where(
            Designation.department.in_(j.departments))) & (Post.officer != j.officer.id)
    if model is RoleGrant:
        return _view(j, RoleGrant) & (RoleGrant.officer != j.officer.id)
    if model is Holiday:
        return Holiday.district.in_(j.districts) if j.districts else NOTHING
    return NOTHING


def condition(officer, model, action="view"):
    """The WHERE clause for the rows of `model` that `officer` may act on."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    j = jurisdiction(officer)
    if not officer.active:
        return NOTHING
    if j.state:
        return EVERYTHING
    if action == "view":
        return _view(j, model)
    return _change(j, model)


def rows(officer, model, action="view"):
    return model.select().where(condition(officer, model, action))


def get(officer, model, pk, action="view"):
    """One row, or None when it is missing or outside the officer's scope: the two look alike."""
    return rows(officer, model, action).where(model._meta.primary_key == pk).first()


def may_create(officer, row):
    """Whether `officer` may add `row` (not yet saved) as it stands."""
    model = type(row)
    j = jurisdiction(officer)
    if not officer.active:
        return False
    if j.state:
        return True
    if model is RoleGrant:
        return may_grant(officer, row.officer, row.role, row.department_id, row.district_id)
    if model in (Area, Holiday):
        return row.district_id in j.districts
    if model in (Service, Designation):
        return row.department_id in j.departments
    if model is Officer:
        return row.department_id in j.departments
    if model is Post:
        return bool(j.departments) and row.designation.department_id in j.departments
    return False


def may_grant(granter, grantee, role, department_id=None, district_id=None):
    """A grant needs an equal or higher role over a jurisdiction containing it; never to oneself."""
    if grantee is None or grantee.id == granter.id or not granter.active:
        return False
    j = jurisdiction(granter)
    if j.state:
        return True
    if role == "department_admin":
        return department_id in j.departments
    if role in GRANTABLE["district_admin"]:
        return district_id in j.districts
    return False


def handles(officer, request):
    """Whether the officer works this request, and so sees its personal data in full."""
    return officer.active and officer.id in (request.assigned_officer_id, request.filed_by_id)


def mask(value, visible=4):
    if not value:
        return value
    value = str(value)
    return "•" * max(len(value) - visible, 0) + value[-visible:]
