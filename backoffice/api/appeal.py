"""The citizen's appeal against a rejection, from the app: models.lifecycle.citizen_appeal through
backoffice/appeal_workflow.py, so the authority, the officer and he are told as from the counter."""
import strawberry

from models import DomainError

from .. import appeal_workflow
from .access import CITIZEN
from .problems import Problem
from .requests import Request, RequestResult, _mine


@strawberry.type
class AppealMutation:
    @strawberry.mutation(metadata=CITIZEN, description=(
        "Appeal a rejection within 30 days of it, with his grounds (required): the request goes to the next "
        "appellate authority and is open again (at the last level it is flagged for the Commission and stays "
        "rejected). `version` is the request's version as the app last read it. Problems: citizen_appeal_too_late, "
        "citizen_appeal_needs_note, transition_not_allowed, request_changed, request_not_found."))
    def appeal_rejection(self, info: strawberry.Info, tracking_number: str, version: int,
                         grounds: str) -> RequestResult:
        citizen = info.context["viewer"]
        try:
            row = _mine(citizen, tracking_number)
            appeal_workflow.citizen_appeal(row, citizen, version=version, grounds=grounds)
        except DomainError as error:
            return Problem.of(error)
        return Request.from_models([_mine(citizen, tracking_number)], citizen)[0]
