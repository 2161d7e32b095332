"""The app's help option: a citizen or an officer raises a ticket, lists his tickets, reads one and replies.

Tickets change through models/helpdesk.py alone (channel "app"), as the mail
path's and the admin's do, so a reply reopens a ticket and an agent's answer
is the first response the same way whichever door they came by. Every read
starts from models.scope.own: another person's ticket number answers as one
that does not exist, and the thread never shows the agents' internal notes.
"""
import datetime
from enum import Enum
from typing import Annotated

import strawberry

from models import DomainError, HelpTicket, Officer, ServiceRequest, TicketMessage, database, helpdesk, scope, tracking

from ..admin.labels import VALUES
from .access import SIGNED_IN
from .pagination import timed_page
from .problems import Problem
from .types import PageInfo

DEFAULT_PAGE_SIZE = 20


@strawberry.enum
class TicketStatus(Enum):
    NEW = "new"
    OPEN = "open"
    WAITING_ON_REQUESTER = "waiting_on_requester"
    RESOLVED = "resolved"
    CLOSED = "closed"


@strawberry.enum(description="Who wrote a message of the thread.")
class TicketAuthor(Enum):
    ME = "me"
    HELP_DESK = "help_desk"


@strawberry.type(name="TicketMessage", description="A message of a ticket's thread.")
class TicketMessageNode:
    at: datetime.datetime
    by: TicketAuthor
    text: str


def _utc(moment):
    return moment.replace(tzinfo=datetime.timezone.utc) if moment else None


@strawberry.type(description="One of his help-desk tickets.")
class Ticket:
    number: str = strawberry.field(description="JS- and six digits: what to quote to the help desk.")
    subject: str
    status: TicketStatus
    status_label: str = strawberry.field(description="The status in the reader's language.")
    created_at: datetime.datetime
    updated_at: datetime.datetime
    tracking_number: str | None = strawberry.field(description="The request of his it is about, if any.")
    ticket_id: strawberry.Private[int]
    viewer: strawberry.Private[object]

    @strawberry.field(description="The thread, oldest first, without the help desk's internal notes.")
    def thread(self) -> list[TicketMessageNode]:
        rows = (TicketMessage.select()
                .where(TicketMessage.ticket == self.ticket_id, scope.own(self.viewer, TicketMessage))
                .order_by(TicketMessage.created_at, TicketMessage.id))
        return [TicketMessageNode(at=_utc(m.created_at), by=TicketAuthor.ME if m.kind == "inbound"
                                  else TicketAuthor.HELP_DESK, text=m.body_text) for m in rows]

    @classmethod
    def from_models(cls, rows, viewer):
        # A tracking number found in his text may link another's request: only his own are shown.
        # One query for the whole page.
        linked = {r.request_id for r in rows if r.request_id}
        numbers = dict(_requests(viewer).select(ServiceRequest.id, ServiceRequest.tracking_number)
                       .where(ServiceRequest.id.in_(linked)).tuples()) if linked else {}
        return [cls(number=r.number, subject=r.subject, status=TicketStatus(r.status),
                    status_label=str(VALUES[r.status]), created_at=_utc(r.created_at), updated_at=_utc(r.updated_at),
                    tracking_number=numbers.get(r.request_id), ticket_id=r.id, viewer=viewer) for r in rows]


@strawberry.type
class TicketEdge:
    cursor: str
    node: Ticket


@strawberry.type
class TicketConnection:
    edges: list[TicketEdge]
    page_info: PageInfo
    total_count: int


TicketResult = Annotated[Ticket | Problem, strawberry.union("TicketResult")]


def _requests(person):
    """The requests a ticket of his may be about: a citizen's own, or those an officer sees in the back office."""
    if isinstance(person, Officer):
        return scope.rows(person, ServiceRequest)
    return ServiceRequest.select().where(scope.own(person, ServiceRequest))


def _tickets(person):
    return HelpTicket.select().where(scope.own(person, HelpTicket))


def _his(person, number):
    row = _tickets(person).where(HelpTicket.number == (number or "").strip().upper()).first()
    if row is None:
        raise DomainError("ticket_unknown", number=(number or "").strip())
    return row


def _sender(person):
    """The message's sender columns, as the admin's thread shows them."""
    return {"sender_address": (person.email or "").lower(), "sender_name": person.name or ""}


@strawberry.type
class TicketsQuery:
    @strawberry.field(metadata=SIGNED_IN, description="His help-desk tickets, newest first; Relay cursor pages.")
    def my_tickets(self, info: strawberry.Info, first: int | None = DEFAULT_PAGE_SIZE,
                   after: str | None = strawberry.UNSET) -> TicketConnection:
        person = info.context["viewer"]
        rows, has_next, total, cursor = timed_page(
            _tickets(person), HelpTicket.created_at, HelpTicket.number,
            first=DEFAULT_PAGE_SIZE if first is None else first, after=after or None, descending=True)
        nodes = Ticket.from_models(rows, person)
        edges = [TicketEdge(cursor=cursor(row), node=node) for row, node in zip(rows, nodes)]
        return TicketConnection(edges=edges, total_count=total, page_info=PageInfo(
            has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None))

    @strawberry.field(metadata=SIGNED_IN, description="One of his tickets by number; null when he has none by it.")
    def my_ticket(self, info: strawberry.Info, number: str) -> Ticket | None:
        person = info.context["viewer"]
        try:
            return Ticket.from_models([_his(person, number)], person)[0]
        except DomainError:
            return None


@strawberry.type
class TicketsMutation:
    @strawberry.mutation(metadata=SIGNED_IN, description=(
        "Ask the help desk: a subject and the question, optionally about one of his requests (its tracking "
        "number). A citizen or an officer; answers come on the ticket's thread (and by e-mail when he has "
        "an address)."))
    def raise_ticket(self, info: strawberry.Info, subject: str, text: str,
                     tracking_number: str | None = strawberry.UNSET) -> TicketResult:
        person = info.context["viewer"]
        try:
            if not subject.strip() or not text.strip():
                raise DomainError("ticket_incomplete")
            request = None
            if tracking_number:
                canonical = tracking.normalize(tracking_number)
                request = canonical and _requests(person).where(
                    ServiceRequest.tracking_number == canonical).first()
                if not request:
                    raise DomainError("request_not_found", number=tracking_number.strip())
            with database.atomic():
                ticket = helpdesk.open_ticket(person, subject, text, channel="app", request=request,
                                              **_sender(person))
        except DomainError as error:
            return Problem.of(error)
        return Ticket.from_models([ticket], person)[0]

    @strawberry.mutation(metadata=SIGNED_IN, description=(
        "Write on one of his tickets; a ticket waiting on him, resolved or closed opens again."))
    def reply_to_ticket(self, info: strawberry.Info, number: str, text: str) -> TicketResult:
        person = info.context["viewer"]
        try:
            ticket = _his(person, number)
            if not text.strip():
                raise DomainError("ticket_reply_empty")
            if ticket.merged_into_id is not None:
                raise DomainError("ticket_merge_merged", number=ticket.number, into=ticket.merged_into.number)
            helpdesk.add_message(ticket, "inbound", text, subject=helpdesk.reply_subject(ticket), **_sender(person))
        except DomainError as error:
            return Problem.of(error)
        return Ticket.from_models([ticket], person)[0]
