"""An officer's circulars from the app: those he has not acknowledged, and acknowledging one.

models/circulars.py keeps who was addressed and who acknowledged; the rows
are narrowed by models.scope.rows as on the admin's screen, so another's
circular answers as one not addressed to him and nothing changes.
"""
import base64
import binascii
import datetime
from typing import Annotated

import strawberry
from flask_babel import get_locale

from models import Circular, CircularRecipient, DomainError, Officer, circulars, scope

from .access import OFFICER
from .problems import Problem

_PREFIX = "Circular:"


def _key(circular):
    # Opaque to the app, as a cursor is: it only ever sends it back.
    return base64.urlsafe_b64encode(f"{_PREFIX}{circular.id}".encode()).decode("ascii")


def _pk(text):
    try:
        decoded = base64.urlsafe_b64decode(text.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    number = decoded[len(_PREFIX):] if decoded.startswith(_PREFIX) else ""
    return int(number) if number.isdigit() else None


@strawberry.type(name="Circular", description="A circular addressed to him, in the reader's language.")
class CircularNode:
    key: strawberry.ID = strawberry.field(description="Opaque: send it back to acknowledge the circular.")
    title: str
    body: str
    sent_at: datetime.datetime
    sent_by: str
    acknowledged_at: datetime.datetime | None

    @classmethod
    def from_model(cls, circular, acknowledged_at=None):
        language = str(get_locale())
        return cls(key=strawberry.ID(_key(circular)), title=circular.title(language), body=circular.body(language),
                   sent_at=circular.sent_at.replace(tzinfo=datetime.timezone.utc), sent_by=circular.sent_by.name,
                   acknowledged_at=acknowledged_at.replace(tzinfo=datetime.timezone.utc) if acknowledged_at else None)


CircularResult = Annotated[CircularNode | Problem, strawberry.union("CircularResult")]


def _his(officer):
    # The sender joined: a list costs one query.
    return (circulars.unread(officer).select(Circular, Officer).join(Officer, on=(Circular.sent_by == Officer.id))
            .where(scope.condition(officer, Circular)))


@strawberry.type
class CircularsQuery:
    @strawberry.field(metadata=OFFICER, description="The circulars he has not acknowledged yet, newest first.")
    def unread_circulars(self, info: strawberry.Info) -> list[CircularNode]:
        return [CircularNode.from_model(c) for c in _his(info.context["viewer"])]


@strawberry.type
class CircularsMutation:
    @strawberry.mutation(metadata=OFFICER, description=(
        "Record that he has read the circular; the first acknowledgement stands."))
    def acknowledge_circular(self, info: strawberry.Info, key: strawberry.ID) -> CircularResult:
        officer = info.context["viewer"]
        pk = _pk(key)
        circular = scope.rows(officer, Circular).where(Circular.id == pk).first() if pk else None
        try:
            if circular is None:
                raise DomainError("circular_not_addressed")
            circulars.acknowledge(officer, circular)
        except DomainError as error:
            return Problem.of(error)
        recipient = CircularRecipient.get(circular=circular, officer=officer)
        return CircularNode.from_model(circular, recipient.acknowledged_at)
