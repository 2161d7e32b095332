"""Appeals on the request screens: the appeal filter with its worklists, and a request's appeal in words.

"Appealed to me" is the appellate authority's list; "Flagged for the
Commission" the Commission members' screen of cases, each opening on the
request's details with its history, its appeals and the decision form;
"Appealed, no authority found" the administrators' list of appeals whose post
nobody holds (models/appeals.py: the next level comes when the time runs out).
"""
from flask_babel import gettext as _, lazy_gettext as _l

from models import CommissionDecision, ServiceRequest, dashboard, scope
from models.appeals import COMMISSION
from models.deadlines import STOPPED

from .base import ist
from .scoped import viewer
from .timeleft import OptionFilter

UNDER_APPEAL = ServiceRequest.appeal_level.in_((1, 2)) & ServiceRequest.status.not_in(STOPPED)
# The same, also as the partial index of open appealed requests words it (models/dashboard.py), so that
# SQLite asks that small index whether a worklist has anything rather than reading every request;
# only for a query of service_request alone (the words name no table).
IN_APPEAL_INDEX = UNDER_APPEAL & dashboard.OPEN & dashboard.APPEALED
DECIDED = ServiceRequest.id.in_(CommissionDecision.select(CommissionDecision.request))


class AppealFilter(OptionFilter):
    """Requests by where their appeal stands."""

    def __init__(self):
        super().__init__(ServiceRequest.appeal_level, _l("Appeal"), options=(
            ("mine", _l("Appealed to me")),
            ("1", _l("With the first appellate authority")),
            ("2", _l("With the second appellate authority")),
            ("vacant", _l("Appealed, no authority found")),
            ("commission", _l("Flagged for the Commission")),
            ("decided", _l("Decided by the Commission")),
        ))

    def apply(self, query, value):
        if value == "mine":
            return query.where(UNDER_APPEAL, ServiceRequest.appealed_to == viewer().id)
        if value == "vacant":
            return query.where(UNDER_APPEAL, ServiceRequest.appealed_to.is_null())
        if value == "commission":
            return query.where(ServiceRequest.appeal_level == COMMISSION, ~DECIDED)
        if value == "decided":
            return query.where(DECIDED)
        return query.where(UNDER_APPEAL, ServiceRequest.appeal_level == int(value))


def worklist_shown(value, officer):
    """Whether the officer gets the link to the appeal worklist `value` above the requests list.

    The Commission's is its members' screen; the authority's and the
    administrators' appear once there is something in them.
    """
    j = scope.jurisdiction(officer)
    if value == "commission":
        return j.commission
    if value == "mine":
        return ServiceRequest.select().where(IN_APPEAL_INDEX, ServiceRequest.appealed_to == officer.id).exists()
    return j.administers and scope.rows(officer, ServiceRequest).where(
        IN_APPEAL_INDEX, ServiceRequest.appealed_to.is_null()).exists()


def level(view, context, request, name):
    """The appeal's level in a word or two, for the list: no further query."""
    return {0: "", 1: _("First appellate authority"), 2: _("Second appellate authority"),
            COMMISSION: _("Commission")}[request.appeal_level]


def appeal(view, context, request, name):
    """The appeal in full, for the details: where it is, with whom, and until when."""
    if request.appeal_level in (0, COMMISSION):
        return level(view, context, request, name)
    who = request.appealed_to.name if request.appealed_to_id else _("nobody holds the post")
    return _("%(level)s: %(who)s, to act by %(until)s", level=level(view, context, request, name), who=who,
             until=ist(view, request.appeal_due_at, name))


def decide_by(view, context, request, name):
    return request.decide_by.strftime("%d-%m-%Y") if request.decide_by else ""
