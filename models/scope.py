"""Who may see and change which rows: the one place the jurisdiction rules live.

`rows(officer, Model, action)` is the query every admin view, export, dashboard
figure, GraphQL resolver and CLI acting for a person starts from. A model the
rules do not name is out of everyone's reach but the state administrator's, so
a new table is born closed.
"""
import functools
import operator

from peewee import SQL

from . import tracking
from .canned_responses import CannedResponse
from .catalogue import Area, Department, Designation, District, Service
from .circulars import Circular, CircularAttachment, CircularRecipient
from .helpdesk import HelpTicket, TicketAttachment, TicketMessage, TicketParticipant
from .holidays import Holiday
from .notifications import BouncedAddress
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

# The column that puts a row in a department's or a district's hands.
PLACED_BY = {
    Area: Area.district,
    Service: Service.department,
    Designation: Designation.department,
    Officer: Officer.department,
    Holiday: Holiday.district,
}
# Columns a form may point only at a department or district the officer holds.
HELD_ONLY = frozenset({*PLACED_BY.values(), RoleGrant.department, RoleGrant.district})


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

    @property
    def looks_up(self):
        """Finds requests outside his own by typing their tracking number (or a mobile number)."""
        return self.helpdesk or bool(self.counters)

    def held(self, model):
        """The departments or districts he administers, by id."""
        return self.departments if model is Department else self.districts


def jurisdiction(officer):
    # Cached on the instance: Flask-Login loads the officer once per web request.
    cached = getattr(officer, "_jurisdiction", None)
    if cached is None:
        cached = officer._jurisdiction = Jurisdiction(officer)
    return cached


def _any(conditions):
    conditions = [c for c in conditions if c is not None and c is not NOTHING]
    return functools.reduce(operator.or_, conditions) if conditions else NOTHING


def _in(column, select_column, where):
    """`column` IN (the `select_column` of the rows matching `where`), kept NOTHING when `where` is."""
    if where is NOTHING:
        return NOTHING
    return column.in_(select_column.model.select(select_column).where(where))


def _administered_requests(j):
    return _any([
        _in(ServiceRequest.service, Service.id, Service.department.in_(j.departments)) if j.departments else None,
        ServiceRequest.district.in_(j.districts) if j.districts else None,
    ])


def _requests_condition(j):
    me = j.officer.id
    return _any([
        _administered_requests(j),
        (ServiceRequest.assigned_officer == me) if j.field else None,
        (ServiceRequest.filed_by == me) if j.counters else None,
        # An appellate authority holds a post; one found for want of a holder, the
        # district administrator, sees his district's requests anyway (models/appeals.py).
        (ServiceRequest.appealed_to == me) if j.field else None,
        # The Commission sees the requests flagged for it (level 3), to read and decide them.
        (ServiceRequest.appeal_level == 3) if j.commission else None,
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
    # A field officer works his requests and nothing else, the catalogue included.
    catalogue_reader = j.administers or j.counters or j.helpdesk
    if model in (District, Area, Department):
        return EVERYTHING if catalogue_reader else NOTHING
    if model is Service:
        if j.districts or j.counters or j.helpdesk:
            return EVERYTHING
        return Service.department.in_(j.departments) if j.departments else NOTHING
    if model is Designation:
        if j.districts:
            return EVERYTHING
        return Designation.department.in_(j.departments) if j.departments else NOTHING
    if model is Officer:
        return _any(_officers_in(j.departments, j.districts))
    if model is Post:
        return _in(Post.officer, Officer.id, _view(j, Officer))
    if model is RoleGrant:
        return _any([
            RoleGrant.department.in_(j.departments) if j.departments else None,
            RoleGrant.district.in_(j.districts) if j.districts else None,
        ])
    if model is ServiceRequest:
        return _requests_condition(j)
    if model is RequestEvent:
        return _in(RequestEvent.request, ServiceRequest.id, _requests_condition(j))
    if model is Citizen:
        # A citizen is in a department's or district's scope when he has a request
        # there; the officers working single requests meet him on those.
        return _in(Citizen.id, ServiceRequest.citizen, _administered_requests(j))
    if model in (HelpTicket, TicketMessage, TicketParticipant, TicketAttachment, BouncedAddress, CannedResponse):
        return _helpdesk(j, model)
    if model is Holiday:
        # The calendar is kept by the state and district administrators; a
        # district's own holidays matter to that district alone.
        return Holiday.district.is_null() | Holiday.district.in_(j.districts) if j.districts else NOTHING
    if model in (Circular, CircularRecipient, CircularAttachment):
        return _circulars(j, model)
    return NOTHING


# The help desk (models/helpdesk.py): agents see every ticket, the system-mail
# log, the bounce list and the canned responses they keep; department and
# district administrators read the tickets linked to requests they administer,
# with their threads. Attachments are the agents' alone: a citizen's documents
# sent for the help desk.
def _helpdesk(j, model):
    if j.helpdesk:
        return EVERYTHING
    if model in (TicketAttachment, BouncedAddress, CannedResponse):
        return NOTHING
    tickets = _in(HelpTicket.request, ServiceRequest.id, _administered_requests(j))
    if model is HelpTicket:
        return tickets
    return _in(model.ticket, HelpTicket.id, tickets)


# Circulars (models/circulars.py): an administrator follows those he may
# address, with all their recipients; an officer reads those addressed to him,
# and of their recipients sees himself.
def _circulars(j, model):
    administered = _any([
        Circular.department.in_(j.departments) if j.departments else None,
        Circular.district.in_(j.districts) if j.districts else None,
    ])
    # One who cannot enter the back office reads his circulars in his digest alone.
    me = j.officer.id if enters(j.officer) else None
    if model is Circular:
        return _any([administered, _in(Circular.id, CircularRecipient.circular, CircularRecipient.officer == me)
                     if me else None])
    if model is CircularRecipient:
        return _any([_in(CircularRecipient.circular, Circular.id, administered),
                     (CircularRecipient.officer == me) if me else None])
    return _in(CircularAttachment.circular, Circular.id, _circulars(j, Circular))


def addressable(officer, model):
    """The departments, districts or designations (`model`) `officer` may name in a circular's audience.

    A department administrator names his department, and with it any district
    and its own designations; a district administrator his district, and with
    it any department and the designations posted in a district or its areas
    (a state-level post's holder answers to the state, not to the district,
    though he may hold a nodal post there). `may_create` checks the whole audience.
    """
    j = jurisdiction(officer)
    if not officer.active or not j.administers:
        return NOTHING
    if j.state or (model is District and j.departments) or (model is Department and j.districts):
        return EVERYTHING
    if model is Department:
        return Department.id.in_(j.departments)
    if model is District:
        return District.id.in_(j.districts)
    return _any([Designation.department.in_(j.departments) if j.departments else None,
                 (Designation.level != "state") if j.districts else None])


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
        grants = _view(j, RoleGrant)
        return NOTHING if grants is NOTHING else grants & (RoleGrant.officer != j.officer.id)
    if model is Holiday:
        return Holiday.district.in_(j.districts) if j.districts else NOTHING
    if model in (TicketParticipant, BouncedAddress, CannedResponse):
        # Agents take an address off a ticket, or off the bounce list once it works, and keep
        # their canned responses. Tickets
        # change through models/helpdesk.py's functions alone; messages never do.
        return EVERYTHING if j.helpdesk else NOTHING
    return NOTHING


def condition(officer, model, action="view"):
    """The WHERE clause for the rows of `model` that `officer` may act on.

    NOTHING itself (not merely a clause no row meets) when his roles reach no
    row of the model at all: `offers` reads it so.
    """
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


def enters(officer):
    """Whether the officer has any work in the back office: a role grant or a post."""
    j = jurisdiction(officer)
    return officer.active and bool(j.state or j.departments or j.districts or j.counters or j.helpdesk
                                   or j.commission or j.field)


def offers(officer, model, action="view"):
    """Whether the officer may `action` some row of `model`: whether a screen shows him its menu entry or button."""
    j = jurisdiction(officer)
    if not officer.active:
        return False
    if action == "create":
        if model is Circular:
            return j.administers
        if model is CannedResponse:
            return j.state or j.helpdesk
        column = PLACED_BY.get(model)
        return j.state or (column is not None and bool(j.held(column.rel_model)))
    if model is ServiceRequest and action == "view" and j.looks_up:
        return True
    if model is TicketMessage and action == "view":
        # Administrators read threads on their tickets; the messages' own screen, the system-mail log, is the agents'.
        return j.state or j.helpdesk
    return condition(officer, model, action) is not NOTHING


def place(officer, row):
    """Put a new row in the officer's department or district when he holds exactly one."""
    column = PLACED_BY.get(type(row))
    j = jurisdiction(officer)
    if column is None or j.state:
        return
    held = j.held(column.rel_model)
    if len(held) == 1:
        setattr(row, column.name, next(iter(held)))


def targets(officer, column):
    """The rows a form may point the foreign key `column` at: those the officer sees, and
    for a column that places a row in a jurisdiction only the jurisdictions he holds."""
    model = column.rel_model
    j = jurisdiction(officer)
    if column in HELD_ONLY and officer.active and not j.state:
        held = j.held(model)
        return model.id.in_(held) if held else NOTHING
    return condition(officer, model, "view")


def may_change(officer, row):
    """Whether `officer` may save `row` (changed, not yet saved) over its stored self.

    Only a row he may edit, and not out of his jurisdiction: a changed department
    or district, a changed post or grant, must be one he could create. A row saved
    back unchanged (an officer's other posts, edited with him) is always let through.
    """
    model = type(row)
    stored = model.get_or_none(model._meta.primary_key == row._pk)
    if stored is None:
        return False
    if stored.__data__ == row.__data__:
        return True
    if get(officer, model, row._pk, "edit") is None:
        return False
    column = PLACED_BY.get(model)
    if column is not None:
        return stored.__data__.get(column.name) == row.__data__.get(column.name) or may_create(officer, row)
    if model in (Post, RoleGrant):
        return may_create(officer, row)
    return True


def may_create(officer, row):
    """Whether `officer` may add `row` (not yet saved) as it stands."""
    model = type(row)
    j = jurisdiction(officer)
    if not officer.active:
        return False
    # Before the state administrator's everything: he too grants nothing to himself.
    if model is RoleGrant:
        return may_grant(officer, row.officer, row.role, row.department_id, row.district_id)
    if j.state:
        return True
    if model in (Area, Holiday):
        return row.district_id in j.districts
    if model in (Service, Designation):
        return row.department_id in j.departments
    if model is Officer:
        return row.department_id in j.departments
    if model is Post:
        return bool(j.departments) and row.designation.department_id in j.departments
    if model is Circular:
        # Addressed to his department's officers or his district's: its filter must name it, and a district's
        # administrator names only the designations addressable() offers him.
        if row.department_id in j.departments:
            return True
        return row.district_id in j.districts and (
            row.designation_id is None
            or Designation.select().where(Designation.id == row.designation_id, addressable(officer, Designation))
            .exists())
    if model is CannedResponse:
        return j.helpdesk
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


def lookup(officer, text):
    """The requests `officer` reaches by typing `text` in a search box, beyond his own.

    An exact tracking number: a help-desk agent's anywhere, a counter operator's
    in his district. A citizen's exact mobile number: a help-desk agent's.
    """
    j = jurisdiction(officer)
    if not officer.active or not text or not j.looks_up:
        return NOTHING
    number = tracking.normalize(text)
    # The citizen's id read first: PostgreSQL cannot use an index for one side of an OR that is an IN (subquery).
    mobile = [c for (c,) in Citizen.select(Citizen.id).where(Citizen.mobile == text.strip()).tuples()] \
        if j.helpdesk else []
    return _any([
        (ServiceRequest.tracking_number == number) if number and j.helpdesk else None,
        (ServiceRequest.tracking_number == number) & ServiceRequest.district.in_(j.counters)
        if number and j.counters else None,
        ServiceRequest.citizen.in_(mobile) if j.helpdesk else None,
    ])


def lookup_requests(officer, text):
    """The requests the officer sees with `text` in the search box: his own and those he looks up."""
    # Without an "OR 1 = 0" when he looks nothing up: SQLite reads every row for an OR it cannot index.
    return ServiceRequest.select().where(_any([condition(officer, ServiceRequest), lookup(officer, text)]))


def _ticket_citizens(officer):
    return (HelpTicket.select(HelpTicket.requester_citizen)
            .where(HelpTicket.assigned_agent == officer.id, HelpTicket.requester_citizen.is_null(False)))


def in_full(officer, model):
    """The rows of ServiceRequest or Citizen whose personal data the officer sees unmasked.

    The requests he handles (assigned to him, appealed to him, or filed at his
    counter), their citizens, and the citizens of the help-desk tickets
    assigned to him with their requests. Roles widen what an officer sees,
    never this.
    """
    if not officer.active:
        return NOTHING
    handled = ((ServiceRequest.assigned_officer == officer.id) | (ServiceRequest.appealed_to == officer.id)
               | (ServiceRequest.filed_by == officer.id))
    if model is ServiceRequest:
        return handled | ServiceRequest.citizen.in_(_ticket_citizens(officer))
    if model is Citizen:
        return _in(Citizen.id, ServiceRequest.citizen, handled) | Citizen.id.in_(_ticket_citizens(officer))
    raise ValueError(f"no personal data rules for {model.__name__}")


def handles(officer, request):
    """Whether the officer works this request, and so sees its personal data in full."""
    return (ServiceRequest.select()
            .where(ServiceRequest.id == request.id, in_full(officer, ServiceRequest)).exists())


def mask(value, visible=4):
    if not value:
        return value
    value = str(value)
    return "•" * max(len(value) - visible, 0) + value[-visible:]


def own(person, model):
    """The rows of `model` that are the person's own, for the mobile app: a citizen's requests and their
    history; a citizen's or an officer's help tickets and their threads, less the agents' internal notes
    and the machine mail (auto-replies, bounces) threaded onto them.

    Anything else is nobody's to read through the app, so a new table is born closed to citizens too.
    """
    if model in (HelpTicket, TicketMessage):
        requester = HelpTicket.requester_officer if isinstance(person, Officer) else HelpTicket.requester_citizen
        tickets = requester == person.id
        if model is HelpTicket:
            return tickets
        return (_in(TicketMessage.ticket, HelpTicket.id, tickets) & TicketMessage.kind.in_(("inbound", "outbound"))
                & (TicketMessage.category == "person"))
    if isinstance(person, Officer):
        return NOTHING
    mine = ServiceRequest.citizen == person.id
    if model is ServiceRequest:
        return mine
    if model is RequestEvent:
        return _in(RequestEvent.request, ServiceRequest.id, mine)
    return NOTHING
