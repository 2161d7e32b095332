"""Expected failures as data: a Problem in a result union, worded in the reader's language."""
import strawberry
from flask_babel import gettext
from graphql import GraphQLError

from ..messages import describe

UNAUTHENTICATED = "UNAUTHENTICATED"


@strawberry.type(description=(
    "Why an operation did nothing. `code` is stable (the app may branch on it); `message` is for "
    "the user, in his language."))
class Problem:
    code: str
    message: str

    @classmethod
    def of(cls, error) -> "Problem":
        """From a models.DomainError."""
        return cls(code=error.code, message=describe(error))


def unauthenticated():
    return GraphQLError(gettext("Please log in: the token is missing, expired or revoked."),
                        extensions={"code": UNAUTHENTICATED})
