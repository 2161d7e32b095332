"""Appeals under the Right to Service Act: the automatic appeal of an overdue request, and the Commission.

A request not decided by its due moment is appealed to its service's first
appellate authority, who has APPEAL_DAYS working days to act; still
undecided, it goes to the second authority for as many again, then is flagged
for the Right to Service Commission. The level is a property of the request
beside its status (ServiceRequest.appeal_level, appealed_to, appeal_due_at);
each level reached is an Appeal row and a history entry.

`sweep` is `flask --app wsgi sla sweep`, run from cron every minute and from
several machines at once. It works in batches, each one transaction that
claims its rows first (PostgreSQL: locks them, passing over those another
sweeper holds; SQLite: takes the write lock at BEGIN) and raises each by one
conditional UPDATE on the level and version it read, so no request goes up
twice and none is left behind. `decide` records the Commission's decision on
a flagged request.

The authority's own steps (direct, decide, reassign) and the citizen's appeal
against a rejection are models/lifecycle.py's; telling people is the caller's
(backoffice/appeals.py), in the same transaction.
"""
from collections import Counter

from peewee import (
    SQL, CharField, Check, DateTimeField, ForeignKeyField, IntegerField, OperationalError, TextField, fn,
)

from . import clock, routing, scope
from .db import choices, database, is_postgresql
from .errors import DomainError
from .holidays import calendar_for, calendars_for
from .people import Officer
from .requests import History, RequestEvent, ServiceRequest
from .timeutil import to_ist, utcnow

APPEAL_DAYS = 30  # working days each appellate authority has
CITIZEN_APPEAL_DAYS = 30  # calendar days after a rejection in which the citizen may appeal it
COMMISSION = 3  # the level at which a request is flagged for the Commission
MAX_PENALTY = 20_000  # rupees, on an officer
MAX_COMPENSATION = 5_000  # rupees, to the citizen
REASONS = ("overdue", "citizen")
BATCH = 50  # requests claimed at a time: what one sweeper holds locked

# Open with the clock running: a request paused for a query to the citizen is
# not overdue while it waits, and its due date moves when he answers.
RUNNING_STATUSES = tuple(s for s in routing.OPEN_STATUSES if s != "query_raised")
# Written out rather than bound as parameters: SQLite uses a partial index only
# for a query whose WHERE repeats the index's condition word for word.
RUNNING = SQL("status IN (%s)" % ", ".join(f"'{status}'" for status in RUNNING_STATUSES))

# What the sweep reads, and nothing more: the running requests by level and the moment their time runs out.
ServiceRequest.add_index(ServiceRequest.index(ServiceRequest.appeal_level, ServiceRequest.due_at,
                                              where=RUNNING, name="service_request_overdue"))
ServiceRequest.add_index(ServiceRequest.index(ServiceRequest.appeal_level, ServiceRequest.appeal_due_at,
                                              where=RUNNING, name="service_request_appeal_overdue"))


class Appeal(History):
    """One level a request's appeal reached: to whom (None at the Commission, or nobody found), when and why."""
    request = ForeignKeyField(ServiceRequest, backref="appeals", on_delete="CASCADE", index=False)
    level = IntegerField(constraints=[Check("level BETWEEN 1 AND 3")])
    authority = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT", index=False)
    reason = CharField(max_length=16, choices=choices(REASONS))  # overdue, or the citizen appealed a rejection
    grounds = TextField(default="")  # the citizen's
    appealed_at = DateTimeField()

    class Meta:
        table_name = "appeal"
        # One row per level: a second sweeper's duplicate would fail here even if the UPDATE let it through.
        indexes = ((("request", "level"), True), (("authority", "appealed_at"), False))


class CommissionDecision(History):
    """The Right to Service Commission's decision on a flagged request: a penalty on an officer, compensation."""
    request = ForeignKeyField(ServiceRequest, unique=True, backref="+", on_delete="CASCADE")
    decided_by = ForeignKeyField(Officer, backref="+", on_delete="RESTRICT")
    penalty_rupees = IntegerField(default=0)
    penalised_officer = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT")
    compensation_rupees = IntegerField(default=0)
    note = TextField()
    decided_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "commission_decision"
        constraints = [
            Check(f"penalty_rupees BETWEEN 0 AND {MAX_PENALTY}"),
            Check(f"compensation_rupees BETWEEN 0 AND {MAX_COMPENSATION}"),
            Check("penalty_rupees = 0 OR penalised_officer_id IS NOT NULL"),
            Check("note <> ''"),
        ]


def _ist_text(utc_naive):
    return f"{to_ist(utc_naive):%Y-%m-%d %H:%M} IST"


def appeal_due_at(at, district_id, calendar=None):
    """When an authority appealed to at `at` must have acted: APPEAL_DAYS working days on, counted as a
    request's own limit is (docs/clock.md) by the district's calendar."""
    if calendar is None:
        calendar = calendar_for(district_id, start=clock.ist_date(at))
    return clock.due_at(at, APPEAL_DAYS, "working_days", calendar)


def authority_for(request, level):
    """The officer `request` goes to on appeal to `level` (1 or 2), or None when nobody can take it.

    The holders of the service's first or second appellate post by routing's
    look-up (area, district, state, the nodal officer, the district
    administrator), never one the appeal is against: the assigned officer, or
    an authority of an earlier level. Of several, the one with the fewest open
    appeals, the lowest id on a tie.
    """
    service = request.service
    designation = service.first_appellate_id if level == 1 else service.second_appellate_id
    found = routing.holders(designation, request.district_id, request.area_id, department_id=service.department_id)
    earlier = Appeal.select(Appeal.authority).where(Appeal.request == request.id, Appeal.authority.is_null(False))
    against = {request.assigned_officer_id} | {pk for (pk,) in earlier.tuples()}
    officers = [officer for officer in found.officers if officer.id not in against]
    if not officers:
        return None
    counts = dict(ServiceRequest
                  .select(ServiceRequest.appealed_to, fn.COUNT(ServiceRequest.id))
                  .where(ServiceRequest.appealed_to.in_([o.id for o in officers]),
                         ServiceRequest.status.not_in(routing.CLOSED))
                  .group_by(ServiceRequest.appealed_to)
                  .tuples())
    return min(officers, key=lambda o: (counts.get(o.id, 0), o.id))


def raise_level(request, at, *, reason, grounds="", calendar=None, **changes):
    """Take `request`, as read at its version, one level up; returns the Appeal, or None when it changed since.

    The authority is looked up and given APPEAL_DAYS working days from `at`;
    at the Commission there is neither. `changes` are other columns to write
    in the same UPDATE. The caller's transaction holds this and the history entry.
    """
    level = request.appeal_level + 1
    authority = authority_for(request, level) if level < COMMISSION else None
    due = appeal_due_at(at, request.district_id, calendar) if level < COMMISSION else None
    fields = dict(appeal_level=level, appealed_to=authority, appeal_due_at=due, decide_by=None, **changes)
    updated = (ServiceRequest
               .update(version=ServiceRequest.version + 1, **fields)
               .where(ServiceRequest.id == request.id, ServiceRequest.version == request.version,
                      ServiceRequest.appeal_level == request.appeal_level)
               .execute())
    if not updated:
        return None
    for name, value in fields.items():
        setattr(request, name, value)
    request.version += 1
    return Appeal.create(request=request, level=level, authority=authority, reason=reason, grounds=grounds,
                         appealed_at=at)


def describe(appeal):
    """The history entry's words for an appeal reaching its level."""
    if appeal.level == COMMISSION:
        return "Flagged for the Right to Service Commission."
    which = "first" if appeal.level == 1 else "second"
    if appeal.authority_id is None:
        return (f"Appealed to the {which} appellate authority: nobody holds the post, so it waits for an "
                f"administrator; the time runs out {_ist_text(appeal.request.appeal_due_at)}.")
    return (f"Appealed to the {which} appellate authority, {appeal.authority.name}, "
            f"who must act by {_ist_text(appeal.request.appeal_due_at)}.")


# The sweep ------------------------------------------------------------------

def overdue(level, now):
    """The running requests at `level` whose time ran out before `now`, longest overdue first."""
    moment = ServiceRequest.due_at if level == 0 else ServiceRequest.appeal_due_at
    return (ServiceRequest.select()
            .where(RUNNING, ServiceRequest.appeal_level == level, moment < now)
            .order_by(moment))


def sweep(now=None, tell=None, batch=BATCH):
    """Appeal every request whose time ran out by `now` one level up; returns {level reached: how many}.

    `tell(request, appeal, event)` is called for each, in its transaction.
    Each request goes up one level a sweep: reached late, an authority still
    gets his APPEAL_DAYS from the moment it reached him.
    """
    now = now or utcnow()
    counts = Counter({level: 0 for level in (1, 2, COMMISSION)})
    try:
        for level in (0, 1, 2):
            while True:
                claimed, raised = _sweep_batch(level, now, tell, batch)
                counts[level + 1] += raised
                # Nothing claimed: none left, or the rest in another sweeper's hands.
                if not claimed or not raised:
                    break
    except OperationalError as error:
        # SQLite: another sweeper kept the write lock past the busy timeout, a long
        # backlog in hand. The batch that waited wrote nothing; the rest is his.
        if is_postgresql() or "locked" not in str(error):
            raise
    return counts


def _claiming():
    """A transaction in which the rows read are this sweeper's alone until it ends."""
    if is_postgresql():
        return database.atomic()
    # SQLite: the write lock at BEGIN, so that another sweeper waits before reading, not after.
    return database.atomic("IMMEDIATE")


def _sweep_batch(level, now, tell, batch):
    """Claim up to `batch` overdue requests at `level` and raise each; returns (claimed, raised)."""
    with _claiming():
        query = overdue(level, now).limit(batch)
        if is_postgresql():
            query = query.for_update(skip_locked=True)
        requests = list(query)
        if not requests:
            return 0, 0
        calendars = calendars_for({r.district_id for r in requests}, start=clock.ist_date(now))
        raised = 0
        for request in requests:
            appeal = raise_level(request, now, reason="overdue", calendar=calendars[request.district_id])
            if appeal is None:
                continue
            event = RequestEvent.create(request=request, at=now, kind="appealed", from_status=request.status,
                                        to_status=request.status, note=describe(appeal))
            if tell is not None:
                tell(request, appeal, event)
            raised += 1
    return len(requests), raised


def resumed(request, pause):
    """The citizen answered a query: an authority's time moves by the working days it waited, as the due date does."""
    if request.appeal_level not in (1, 2) or request.appeal_due_at is None:
        return
    calendar = calendar_for(request.district_id, start=clock.ist_date(pause.paused_at))
    due = clock.extend_for_pause(request.appeal_due_at, pause.paused_at, pause.resumed_at, "working_days", calendar)
    if due != request.appeal_due_at:
        (ServiceRequest.update(appeal_due_at=due, version=ServiceRequest.version + 1)
         .where(ServiceRequest.id == request.id).execute())
        request.appeal_due_at = due
        request.version += 1


# The Commission ---------------------------------------------------------------

def decision(request):
    return CommissionDecision.get_or_none(CommissionDecision.request == request.id)


def may_decide(officer, request):
    """A Commission member, on a flagged request the Commission has not yet decided."""
    return (officer.active and scope.jurisdiction(officer).commission and request.appeal_level == COMMISSION
            and decision(request) is None)


def involved(request):
    """The officers a penalty may fall on: the assigned officer and each level's authority, lowest id first."""
    ids = {request.assigned_officer_id}
    ids |= {pk for (pk,) in Appeal.select(Appeal.authority).where(Appeal.request == request.id).tuples()}
    ids.discard(None)
    return list(Officer.select().where(Officer.id.in_(ids)).order_by(Officer.id)) if ids else []


def decide(request, by, *, version, penalty=0, compensation=0, officer=None, note="", at=None):
    """Record the Commission's decision on a flagged request; returns (decision, history entry).

    Refused with a DomainError, changing nothing, unless `by` is a Commission
    member, the request is flagged and not yet decided, unchanged since
    `version`, the note gives the reasons, the penalty is 0 to MAX_PENALTY
    rupees on an officer involved and the compensation 0 to MAX_COMPENSATION.
    """
    number = request.tracking_number
    if not may_decide(by, request):
        raise DomainError("transition_forbidden", number=number, action="commission_decide")
    if request.version != version:
        raise DomainError("request_changed", number=number)
    note = (note or "").strip()
    if not note:
        raise DomainError("commission_decide_needs_note", number=number)
    if not isinstance(penalty, int) or not 0 <= penalty <= MAX_PENALTY:
        raise DomainError("penalty_out_of_range", max=MAX_PENALTY)
    if not isinstance(compensation, int) or not 0 <= compensation <= MAX_COMPENSATION:
        raise DomainError("compensation_out_of_range", max=MAX_COMPENSATION)
    if penalty and officer is None:
        raise DomainError("penalty_needs_officer")
    if officer is not None and officer.id not in {o.id for o in involved(request)}:
        raise DomainError("penalty_officer_not_involved", name=officer.name, number=number)
    at = at or utcnow()
    with database.atomic():
        updated = (ServiceRequest.update(version=ServiceRequest.version + 1)
                   .where(ServiceRequest.id == request.id, ServiceRequest.version == version).execute())
        if not updated:
            raise DomainError("request_changed", number=number)
        request.version = version + 1
        decided = CommissionDecision.create(request=request, decided_by=by, penalty_rupees=penalty,
                                            penalised_officer=officer if penalty else None,
                                            compensation_rupees=compensation, note=note, decided_at=at)
        words = [f"Penalty ₹{penalty:,} on {officer.name}." if penalty else "No penalty.",
                 f"Compensation ₹{compensation:,} to the citizen." if compensation else "No compensation.", note]
        event = RequestEvent.create(request=request, at=at, officer=by, kind="commission_decided",
                                    note=" ".join(words))
    return decided, event
