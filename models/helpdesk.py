"""Help-desk tickets and their threads (tables only; the workflows come with the help-desk issue)."""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, TextField

from .db import BaseModel, choices
from .people import Citizen, Officer
from .requests import ServiceRequest
from .timeutil import utcnow

TICKET_STATUSES = ("new", "open", "waiting_on_requester", "resolved", "closed")
TICKET_PRIORITIES = ("low", "normal", "high", "urgent")
TICKET_CHANNELS = ("email", "app")
MESSAGE_KINDS = ("inbound", "reply", "note")


class HelpTicket(BaseModel):
    number = CharField(max_length=16, unique=True)
    requester_citizen = ForeignKeyField(Citizen, null=True, backref="tickets", on_delete="RESTRICT")
    requester_officer = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT")
    channel = CharField(max_length=8, choices=choices(TICKET_CHANNELS))
    subject = CharField(max_length=300, default="")
    status = CharField(max_length=24, choices=choices(TICKET_STATUSES), default="new", index=True)
    priority = CharField(max_length=8, choices=choices(TICKET_PRIORITIES), default="normal")
    assigned_agent = ForeignKeyField(Officer, null=True, backref="assigned_tickets", on_delete="RESTRICT")
    request = ForeignKeyField(ServiceRequest, null=True, backref="tickets", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "help_ticket"

    def __str__(self):
        return self.number


class TicketMessage(BaseModel):
    ticket = ForeignKeyField(HelpTicket, backref="messages", on_delete="RESTRICT")
    kind = CharField(max_length=8, choices=choices(MESSAGE_KINDS))
    author_officer = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT")
    sender_address = CharField(max_length=254, default="")
    message_id = CharField(max_length=500, null=True, unique=True)
    body_text = TextField(default="")
    internal = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "ticket_message"
