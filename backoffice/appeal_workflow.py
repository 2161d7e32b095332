"""Appeals with those involved told: models/appeals.py and the appellate steps of models/lifecycle.py.

As backoffice/workflow.py does for the lifecycle, each step queues its
messages in its own transaction, so a message exists if and only if the step
does: the citizen by SMS and e-mail, the officers involved by e-mail, each
with a link to the request. The sweep (`flask --app wsgi sla sweep`), the
admin's step forms and, later, the mobile API all come through here.
"""
from models import Officer, appeals, database, lifecycle

from . import notify, workflow

# The authority's own decision on an appealed request, of which the assigned officer is told.
DECISIONS = ("deliver", "reject")


def sweep(now=None, batch=appeals.BATCH):
    """Appeal every overdue request one level up, everyone told; returns {level reached: how many}."""
    return appeals.sweep(now, tell=tell_appealed, batch=batch)


def tell_appealed(request, appeal, event):
    """A request reached an appeal level: the citizen, the authority it went to, and the officer it is against."""
    notify.tell(request.citizen, "request_appealed", about=request, request=request, appeal=appeal, event=event)
    if appeal.authority_id is not None:
        notify.tell(appeal.authority, "appeal_to_you", about=request, request=request, appeal=appeal,
                    link=_link(request))
    _tell_officer(request, event)


def citizen_appeal(request, actor, **fields):
    """The citizen's appeal against a rejection (models.lifecycle.citizen_appeal); returns the history entry."""
    with database.atomic():
        appeal, event = lifecycle.citizen_appeal(request, actor, **fields)
        tell_appealed(request, appeal, event)
    return event


def direct(request, by, **fields):
    """The authority directs the officer to decide by a date (models.lifecycle.direct)."""
    with database.atomic():
        event = lifecycle.direct(request, by, **fields)
        notify.tell(request.citizen, "request_appeal_step", about=request, request=request, event=event)
        _tell_officer(request, event)
    return event


def reassign(request, to_officer, by, **fields):
    """A reassignment (models.lifecycle.reassign); by the appellate authority, the citizen and both officers told."""
    by_authority = lifecycle.is_authority(by, request)
    previous = request.assigned_officer
    with database.atomic():
        event = lifecycle.reassign(request, to_officer, by, **fields)
        if by_authority:
            notify.tell(request.citizen, "request_appeal_step", about=request, request=request, event=event)
            for officer in (previous, to_officer):
                notify.tell(officer, "appeal_on_your_request", about=request, request=request, event=event,
                            link=_link(request))
    return event


def act(request, action, actor, **fields):
    """A transition (backoffice.workflow.act); when the authority decides himself, the officer is told too."""
    by_authority = isinstance(actor, Officer) and lifecycle.is_authority(actor, request)
    officer = request.assigned_officer if action in DECISIONS and by_authority else None
    with database.atomic():
        event = workflow.act(request, action, actor, **fields)
        if officer is not None and officer.id != actor.id:
            _tell_officer(request, event, officer)
    return event


def commission_decide(request, by, **fields):
    """The Commission's decision (models.appeals.decide): the citizen told, and the officer it penalises."""
    with database.atomic():
        decision, event = appeals.decide(request, by, **fields)
        notify.tell(request.citizen, "request_commission_decided", about=request, request=request,
                    decision=decision)
        if decision.penalised_officer_id is not None:
            notify.tell(decision.penalised_officer, "commission_decision", about=request, request=request,
                        decision=decision, link=_link(request))
    return event


def _tell_officer(request, event, officer=None):
    officer = officer or request.assigned_officer
    if officer is not None:
        notify.tell(officer, "appeal_on_your_request", about=request, request=request, event=event,
                    link=_link(request))


def _link(request):
    return notify.public_link("request.details_view", id=request.id)
