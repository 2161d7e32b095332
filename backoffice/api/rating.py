"""The citizen rates a decided request from the app (models.lifecycle.rate): 1 to 5 stars and a comment, once.
The stars feed the dashboard's average citizen rating."""
import datetime
from typing import Annotated

import strawberry

from models import DomainError, lifecycle

from .access import CITIZEN
from .problems import Problem
from .requests import _mine


@strawberry.type(description="His rating of a decided request.")
class Rating:
    tracking_number: str
    stars: int
    comment: str
    rated_at: datetime.datetime


RatingResult = Annotated[Rating | Problem, strawberry.union("RatingResult")]


@strawberry.type
class RatingMutation:
    @strawberry.mutation(metadata=CITIZEN, description=(
        "Rate a delivered or rejected request: `stars` 1 to 5 and an optional comment (at most 1,000 "
        "characters), once. Problems: rating_not_decided, rating_already_given, rating_stars_out_of_range, "
        "rating_comment_too_long, request_not_found."))
    def rate_request(self, info: strawberry.Info, tracking_number: str, stars: int,
                     comment: str | None = strawberry.UNSET) -> RatingResult:
        citizen = info.context["viewer"]
        try:
            rating = lifecycle.rate(_mine(citizen, tracking_number), citizen, stars=stars, comment=comment or "")
        except DomainError as error:
            return Problem.of(error)
        return Rating(tracking_number=rating.request.tracking_number, stars=rating.stars, comment=rating.comment,
                      rated_at=rating.rated_at.replace(tzinfo=datetime.timezone.utc))
