"""Help-desk tickets and their threads: opening, messages, status, assignment, targets.

A ticket comes by e-mail (models/helpdesk_mail.py files inbound mail) or from
the app; the admin inbox, the app and the mail path all go through the
functions here, so a status moves and a target is met the same way whichever
door a message came in by. Mail to the requester is queued by the caller
(backoffice/helpdesk/), in the same transaction. docs/helpdesk.md tells the
whole story.
"""
import email.utils
import hashlib
import hmac
import re
import secrets

from peewee import (
    BlobField, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, IntegrityError, TextField,
)

from . import audit, clock, holidays, tracking
from .db import BaseModel, choices, database
from .errors import DomainError
from .people import Citizen, Officer, RoleGrant
from .requests import ServiceRequest
from .timeutil import utcnow

TICKET_STATUSES = ("new", "open", "waiting_on_requester", "resolved", "closed")
TICKET_PRIORITIES = ("low", "normal", "high", "urgent")
TICKET_CHANNELS = ("email", "app")
MESSAGE_KINDS = ("inbound", "outbound", "note")
# What an inbound message is: a person's, or mail sent by a machine, which
# never opens a ticket and is never answered (RFC 3834), or no mail at all.
CATEGORIES = ("person", "auto_reply", "bulk", "bounce", "unreadable")
# How an inbound message found its ticket, most trusted first; "" when it opened one or found none.
THREADED_BY = ("token", "reply_to", "subject", "")
DONE = ("resolved", "closed")
AGENT_ROLES = ("helpdesk_agent", "state_admin")

# The states an agent may move a ticket to from each; "new" is only ever the first.
TRANSITIONS = {
    "new": ("open", "waiting_on_requester", "resolved", "closed"),
    "open": ("waiting_on_requester", "resolved", "closed"),
    "waiting_on_requester": ("open", "resolved", "closed"),
    "resolved": ("open", "closed"),
    "closed": ("open",),
}

# Targets per priority, (first response, resolution), each (value, unit) in the
# Right to Service clock's units (models/clock.py): hours round the clock, or
# working days by the state-wide calendar. Counted from the ticket's opening.
TARGETS = {
    "urgent": ((4, "hours"), (24, "hours")),
    "high": ((1, "working_days"), (3, "working_days")),
    "normal": ((2, "working_days"), (7, "working_days")),
    "low": ((3, "working_days"), (15, "working_days")),
}

SUBJECT_LENGTH = 300
# An agent's answer or note: a letter, not a book (one of 300,000 characters was taken).
TEXT_LENGTH = 10_000
# "[JS-204815]" in a subject: the weakest way back to a ticket (helpdesk_mail.py says when it counts).
SUBJECT_TAG = re.compile(r"\[\s*(JS-\d{6})\s*\]", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg)\s*:\s*)+", re.IGNORECASE)
# A tracking number as people write it, read with the Crockford rules by tracking.normalize.
TRACKING_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])HR[\s\-]?\d{4}[\s\-]?[0-9A-Za-z]{4}[\s\-]?[0-9A-Za-z]{4}(?![0-9A-Za-z])", re.IGNORECASE)
# Our signed thread token "t<ticket id>.<signature>", in the Message-ID of every
# mail about a ticket and in its plus-addressed Reply-To. Lower case, digits and
# a dot: it survives mail systems that fold an address's case.
TOKEN = re.compile(r"(?<![0-9A-Za-z])t(\d{1,12})\.([0-9a-f]{16})(?![0-9a-f])", re.IGNORECASE)


class HelpTicket(BaseModel):
    number = CharField(max_length=16, unique=True)  # JS-204815: six digits a person can read out
    requester_citizen = ForeignKeyField(Citizen, null=True, backref="tickets", on_delete="RESTRICT")
    requester_officer = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT")
    channel = CharField(max_length=8, choices=choices(TICKET_CHANNELS))
    subject = CharField(max_length=SUBJECT_LENGTH, default="")
    status = CharField(max_length=24, choices=choices(TICKET_STATUSES), default="new", index=True)
    priority = CharField(max_length=8, choices=choices(TICKET_PRIORITIES), default="normal")
    assigned_agent = ForeignKeyField(Officer, null=True, backref="assigned_tickets", on_delete="RESTRICT")
    request = ForeignKeyField(ServiceRequest, null=True, backref="tickets", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    first_response_due = DateTimeField(null=True)
    resolution_due = DateTimeField(null=True)
    first_responded_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    # When the requester was sent the ticket's number; acknowledgements are rate-limited on it.
    acknowledged_at = DateTimeField(null=True)
    # A duplicate merged into another ticket: closed, its thread moved there, its mail threaded there.
    merged_into = ForeignKeyField("self", null=True, backref="merged", on_delete="RESTRICT")
    demo = BooleanField(default=False)  # made by `demo load` (models/demo_tickets.py), taken by `demo remove`

    class Meta:
        table_name = "help_ticket"

    def __str__(self):
        return self.number

    @property
    def requester(self):
        """The Officer or Citizen who asked; None when the sender could not be known."""
        return self.requester_officer or self.requester_citizen


class TicketMessage(BaseModel):
    """One message of a ticket's thread. Inbound mail on no ticket is the system-mail log.

    An outbound message's delivery is the outbox row with its Message-ID.
    """
    ticket = ForeignKeyField(HelpTicket, null=True, backref="messages", on_delete="RESTRICT")
    kind = CharField(max_length=8, choices=choices(MESSAGE_KINDS))
    author_officer = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT")
    sender_address = CharField(max_length=254, default="")  # inbound: the one From address; "" unknown
    sender_name = CharField(max_length=300, default="")  # or, the sender unknown, the From header as written
    subject = TextField(default="")
    body_text = TextField(default="")
    body_html = TextField(null=True)  # sanitised before it was stored: never the sender's own markup
    # Inbound mail: the message's bytes as received, kept whole, and their digest.
    raw = BlobField(null=True)
    raw_sha256 = CharField(max_length=64, null=True, unique=True)
    size = IntegerField(null=True)
    # Inbound: the sender's Message-ID; outbound: ours, the outbox row's.
    message_id = CharField(max_length=500, null=True, unique=True)
    category = CharField(max_length=12, choices=choices(CATEGORIES), default="person")
    threaded_by = CharField(max_length=8, choices=choices(THREADED_BY), default="")
    charset_guessed = BooleanField(default=False)  # a declared charset was unknown or wrong: read as best we could
    quarantined = BooleanField(default=False)  # over a size limit: kept whole, its contents not shown
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "ticket_message"

    def __str__(self):
        return f"{self.kind} {self.sender_address or self.sender_name} {self.subject}".strip()


class TicketAttachment(BaseModel):
    message = ForeignKeyField(TicketMessage, backref="attachments", on_delete="CASCADE")
    filename = CharField(max_length=255)
    content_type = CharField(max_length=100)
    size = IntegerField()
    sha256 = CharField(max_length=64, null=True)
    content = BlobField(null=True)  # None: over the attachment limit, withheld (the raw message keeps it)

    class Meta:
        table_name = "ticket_attachment"

    def __str__(self):
        return self.filename


class TicketParticipant(BaseModel):
    """An address besides the requester's whose mail may find the ticket by its subject tag."""
    ticket = ForeignKeyField(HelpTicket, backref="participants", on_delete="CASCADE")
    address = CharField(max_length=254)  # lower case
    added_at = DateTimeField(default=utcnow)
    added_by = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT")  # None: joined by mail

    class Meta:
        table_name = "ticket_participant"
        indexes = ((("ticket", "address"), True),)

    def __str__(self):
        return self.address


# --- opening -------------------------------------------------------------------

def open_ticket(requester, subject, text="", *, channel="app", priority="normal", request=None, now=None,
                **message):
    """A new ticket from `requester` (Officer, Citizen, or None for an unknown sender), with his first message.

    `message` goes to add_message (html, attachments, and for mail the
    sender's details). `request` is the request the ticket is about (the app
    names one of his); without it, a tracking number in the subject or the
    text links the ticket to that request.
    """
    ticket = create_ticket(requester, subject, channel=channel, priority=priority, request=request, now=now)
    add_message(ticket, "inbound", text, subject=subject, now=now, **message)
    return ticket


def create_ticket(requester, subject, *, channel, priority="normal", request=None, now=None):
    """The ticket alone, numbered and with its targets' due dates; its first message comes next."""
    if channel not in TICKET_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if priority not in TICKET_PRIORITIES:
        raise DomainError("ticket_priority_unknown", priority=priority)
    now = now or utcnow()
    ticket = HelpTicket(
        requester_officer=requester if isinstance(requester, Officer) else None,
        requester_citizen=requester if isinstance(requester, Citizen) else None,
        channel=channel, subject=_one_line(subject)[:SUBJECT_LENGTH], priority=priority, request=request,
        created_at=now, updated_at=now)
    _set_dues(ticket)
    # Six random digits: short to read out over the phone, and no count of our tickets.
    for _ in range(20):
        ticket.number = f"JS-{100000 + secrets.randbelow(900000)}"
        try:
            with database.atomic():
                ticket.save(force_insert=True)
            return ticket
        except IntegrityError:
            if not HelpTicket.select().where(HelpTicket.number == ticket.number).exists():
                raise
    raise RuntimeError("no free ticket number after 20 tries")


def _set_dues(ticket):
    calendar = holidays.calendar_for(None, start=clock.ist_date(ticket.created_at))
    ticket.first_response_due, ticket.resolution_due = dues(ticket.priority, ticket.created_at, calendar)


def dues(priority, created_at, calendar):
    """(first response, resolution) due for a ticket opened at `created_at`, by the state-wide `calendar`."""
    (first_value, first_unit), (resolution_value, resolution_unit) = TARGETS[priority]
    return (clock.due_at(created_at, first_value, first_unit, calendar),
            clock.due_at(created_at, resolution_value, resolution_unit, calendar))


def _one_line(text):
    return " ".join((text or "").split())


# --- the thread -----------------------------------------------------------------

def add_message(ticket, kind, text="", *, author=None, attachments=(), now=None, **fields):
    """Add a message to `ticket` (None: to the system-mail log) and move the ticket as it says.

    An inbound message from a person reopens a ticket that waited on him or
    was done; an agent's first reply is the first response, and leaves the
    ticket waiting on the requester; a note changes nothing. Machine mail
    (any category but "person") never moves a ticket. `attachments` are
    (filename, content type, bytes or None when withheld, size); `fields` are
    TicketMessage's columns.
    """
    if kind not in MESSAGE_KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    if kind != "inbound":
        _check_agent(author)
        if ticket is not None and ticket.merged_into_id is not None:
            raise DomainError("ticket_merge_merged", number=ticket.number, into=ticket.merged_into.number)
    now = now or utcnow()
    with database.atomic():
        message = TicketMessage.create(ticket=ticket, kind=kind, author_officer=author, body_text=text or "",
                                       created_at=now, **fields)
        for filename, content_type, content, size in attachments:
            TicketAttachment.create(
                message=message, filename=filename, content_type=content_type, size=size, content=content,
                sha256=hashlib.sha256(content).hexdigest() if content is not None else None)
        if ticket is not None:
            _follow(ticket, message, now)
    return message


def _follow(ticket, message, now):
    """The ticket after `message`: its status, first response and link to a request."""
    if message.kind == "inbound" and message.category == "person":
        if ticket.status in ("waiting_on_requester", *DONE):
            ticket.status, ticket.resolved_at = "open", None
        if ticket.request_id is None:
            ticket.request = find_request(f"{message.subject}\n{message.body_text}", _writer(ticket, message))
    elif message.kind == "outbound":
        if ticket.first_responded_at is None:
            ticket.first_responded_at = now
        if ticket.status in ("new", "open"):
            ticket.status = "waiting_on_requester"
    ticket.updated_at = now
    ticket.save()


def reply(ticket, agent, text, *, message_id=None, now=None):
    """An agent's answer on the thread; `message_id` is the queued mail's, when it goes by mail too."""
    if not (text or "").strip():
        raise DomainError("ticket_reply_empty")
    _refuse_too_long(text)
    return add_message(ticket, "outbound", text, author=agent, subject=reply_subject(ticket),
                       message_id=message_id, now=now)


def add_note(ticket, agent, text, now=None):
    """An internal note: for agents and administrators, never sent to anyone."""
    if not (text or "").strip():
        raise DomainError("ticket_note_empty")
    _refuse_too_long(text)
    return add_message(ticket, "note", text, author=agent, now=now)


def _refuse_too_long(text):
    if len(text) > TEXT_LENGTH:
        raise DomainError("ticket_text_too_long", most=TEXT_LENGTH, length=len(text))


def reply_subject(ticket):
    """"Re: <subject> [JS-204815]": a mail client that keeps only the subject still finds the ticket."""
    subject = SUBJECT_TAG.sub("", _REPLY_PREFIX.sub("", ticket.subject)).strip()
    return f"Re: {subject} [{ticket.number}]" if subject else f"[{ticket.number}]"


def find_request(text, person):
    """The first request whose tracking number appears in `text` and that `person` may link by naming it:
    his own as its citizen, or one an officer may see; None otherwise (and for an unknown writer).

    Linking puts a ticket before the request's administrators: anyone else who types a number leaves the
    ticket unlinked, for an agent to link by hand.
    """
    if not isinstance(person, (Citizen, Officer)):
        return None
    from . import scope  # scope reads this module's models, so it is imported when first needed
    mine = (ServiceRequest.select().where(ServiceRequest.citizen == person.id) if isinstance(person, Citizen)
            else scope.rows(person, ServiceRequest))
    for match in TRACKING_IN_TEXT.finditer(text or ""):
        number = tracking.normalize(match.group(0))
        request = number and mine.where(ServiceRequest.tracking_number == number).first()
        if request:
            return request
    return None


def _writer(ticket, message):
    """Who wrote `message`, as far as it is known: the requester, when a mail's sender is exactly his address
    (a participant, or a sender that could not be known, is nobody's); the requester himself in the app."""
    if message.sender_address or ticket.channel == "email":
        same = message.sender_address and message.sender_address == requester_address(ticket)
        return ticket.requester if same else None
    return ticket.requester


# --- an agent's decisions ---------------------------------------------------------

def acts_on_tickets(officer):
    """Whether `officer` may answer, note, move and assign tickets: help-desk agents and the state
    administrator, who see every ticket (models/scope.py); other administrators only read theirs."""
    return officer is not None and officer.active and RoleGrant.select().where(
        RoleGrant.officer == officer, RoleGrant.role.in_(AGENT_ROLES)).exists()


def _check_agent(officer):
    if not acts_on_tickets(officer):
        raise DomainError("ticket_forbidden")


def _changed(ticket, actor, now, note="", **values):
    before = audit.snapshot(ticket)
    for name, value in values.items():
        setattr(ticket, name, value)
    ticket.updated_at = now
    ticket.save()
    audit.record(actor, "update", ticket, before, audit.snapshot(ticket), note=note)


def version(ticket):
    """What a form shows of the ticket, to refuse a change to a ticket that moved since (check_version)."""
    return ticket.updated_at.isoformat()


def check_version(ticket, seen):
    """Refuse to act on `ticket` when it changed (a message came in, another agent acted) since `seen`."""
    if seen != version(ticket):
        raise DomainError("ticket_changed", number=ticket.number)


def agents():
    """The officers a ticket may be assigned to: active help-desk agents, by name."""
    return (Officer.select().where(Officer.active, Officer.id.in_(
        RoleGrant.select(RoleGrant.officer).where(RoleGrant.role == "helpdesk_agent"))).order_by(Officer.name))


def change_status(ticket, status, actor, now=None):
    """Move the ticket to `status` as an agent; resolving records when, reopening forgets it."""
    _check_agent(actor)
    if ticket.merged_into_id is not None:
        raise DomainError("ticket_merge_merged", number=ticket.number, into=ticket.merged_into.number)
    if status not in TICKET_STATUSES:
        raise DomainError("ticket_status_unknown", status=status)
    if status not in TRANSITIONS[ticket.status]:
        raise DomainError("ticket_status_not_allowed", number=ticket.number, status=ticket.status, to=status)
    now = now or utcnow()
    resolved_at = None if status not in DONE else ticket.resolved_at or now
    _changed(ticket, actor, now, status=status, resolved_at=resolved_at)


def assign(ticket, agent, actor, now=None):
    """Give the ticket to `agent` (an active help-desk agent), or to nobody with None."""
    _check_agent(actor)
    if agent is not None and not (agent.active and RoleGrant.select().where(
            RoleGrant.officer == agent, RoleGrant.role == "helpdesk_agent").exists()):
        raise DomainError("ticket_assignee_not_agent", name=agent.name)
    _changed(ticket, actor, now or utcnow(), assigned_agent=agent)


def set_priority(ticket, priority, actor, now=None):
    """A new priority, and with it the targets' due dates, still counted from the opening."""
    _check_agent(actor)
    if priority not in TICKET_PRIORITIES:
        raise DomainError("ticket_priority_unknown", priority=priority)
    dues = HelpTicket(created_at=ticket.created_at, priority=priority)
    _set_dues(dues)
    _changed(ticket, actor, now or utcnow(), priority=priority, first_response_due=dues.first_response_due,
             resolution_due=dues.resolution_due)


def link_request(ticket, text, actor, now=None):
    """Link the ticket to the request whose tracking number is `text` (as typed), or unlink it with ""."""
    _check_agent(actor)
    request = None
    if (text or "").strip():
        number = tracking.normalize(text)
        request = number and ServiceRequest.get_or_none(ServiceRequest.tracking_number == number)
        if request is None:
            raise DomainError("ticket_request_unknown", number=text.strip())
    _changed(ticket, actor, now or utcnow(), request=request)


def merge(duplicate, target, actor, now=None):
    """Merge `duplicate` into `target`: its thread moves there, its people may write there, and it is closed.

    The duplicate stays, with its number, pointing at the target, so that mail
    answering it (its token, its subject tag) lands on the target
    (helpdesk_mail.py follows merged_into); both changes are in the audit log.
    """
    _check_agent(actor)
    if duplicate.id == target.id:
        raise DomainError("ticket_merge_same", number=duplicate.number)
    for ticket in (duplicate, target):
        if ticket.merged_into_id is not None:
            raise DomainError("ticket_merge_merged", number=ticket.number, into=ticket.merged_into.number)
    now = now or utcnow()
    with database.atomic():
        TicketMessage.update(ticket=target).where(TicketMessage.ticket == duplicate).execute()
        for address in [requester_address(duplicate), *(p.address for p in duplicate.participants)]:
            if address:
                add_participant(target, address, actor)
        target_changes = {"request": target.request or duplicate.request}
        if duplicate.first_responded_at and not target.first_responded_at:
            target_changes["first_responded_at"] = duplicate.first_responded_at
        note = f"{duplicate.number} merged into {target.number}"
        _changed(target, actor, now, note=note, **target_changes)
        _changed(duplicate, actor, now, note=note, merged_into=target, status="closed",
                 resolved_at=duplicate.resolved_at or now)


def live(ticket):
    """The ticket mail about `ticket` goes to: itself, or the one it was merged into (and so on)."""
    for _ in range(20):  # merge refuses to merge a merged ticket, so chains are short; never a loop
        if ticket is None or ticket.merged_into_id is None:
            return ticket
        ticket = ticket.merged_into
    return ticket


def add_participant(ticket, address, actor=None):
    """Let `address` find the ticket by its subject tag; `actor` None: joined by mail (helpdesk_mail.py)."""
    if actor is not None:
        _check_agent(actor)
    address = (address or "").strip().lower()
    if "@" not in address:
        raise DomainError("ticket_participant_invalid", address=address)
    if address == requester_address(ticket) or TicketParticipant.select().where(
            TicketParticipant.ticket == ticket, TicketParticipant.address == address).exists():
        return None
    return TicketParticipant.create(ticket=ticket, address=address, added_by=actor)


def requester_address(ticket):
    requester = ticket.requester
    return (requester.email or "").lower() if requester is not None else ""


def participates(ticket, address):
    """Whether mail from `address` (lower case) may join the ticket by its subject tag alone."""
    return bool(address) and (address == requester_address(ticket) or TicketParticipant.select().where(
        TicketParticipant.ticket == ticket, TicketParticipant.address == address).exists())


# --- targets: due and overdue ---------------------------------------------------------

def next_target(ticket, now=None):
    """("first_response" or "resolution", due, overdue) the ticket works against now; None once it is done,
    or when it has no targets (a row made without create_ticket)."""
    if ticket.status in DONE:
        return None
    now = now or utcnow()
    kind, due = (("first_response", ticket.first_response_due) if ticket.first_responded_at is None
                 else ("resolution", ticket.resolution_due))
    return None if due is None else (kind, due, due < now)


def overdue(now=None):
    """The condition for tickets past a target they have not met: the inbox's overdue filter."""
    now = now or utcnow()
    return HelpTicket.status.not_in(DONE) & (
        (HelpTicket.first_responded_at.is_null() & (HelpTicket.first_response_due < now))
        | (HelpTicket.resolution_due < now))


def counts(tickets, now=None):
    """For the dashboard: of the query `tickets` (scope.rows(officer, HelpTicket)), how many are
    open, and how many of those are overdue for a first response and for resolution."""
    now = now or utcnow()
    open_tickets = tickets.where(HelpTicket.status.not_in(DONE))
    return {
        "open": open_tickets.count(),
        "first_response_overdue": open_tickets.where(
            HelpTicket.first_responded_at.is_null(), HelpTicket.first_response_due < now).count(),
        "resolution_overdue": open_tickets.where(HelpTicket.resolution_due < now).count(),
    }


# --- thread tokens -------------------------------------------------------------------

def _signature(ticket_id, key):
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, f"helpdesk-thread:{ticket_id}".encode(), hashlib.sha256).hexdigest()[:16]


def thread_token(ticket, key):
    """The ticket's token, signed with `key` (the app's SECRET_KEY): only we can make one."""
    return f"t{ticket.id}.{_signature(ticket.id, key)}"


def ticket_for_tokens(texts, key):
    """The ticket of the first validly signed token in `texts` (Message-IDs, addresses), or None."""
    for text in texts:
        for match in TOKEN.finditer(text or ""):
            ticket_id, signature = match.groups()
            if hmac.compare_digest(signature.lower(), _signature(int(ticket_id), key)):
                ticket = HelpTicket.get_or_none(HelpTicket.id == int(ticket_id))
                if ticket is not None:
                    return ticket
    return None


def reply_address(help_address, token):
    """help@example.in with the token plus-addressed: help+t42.1a2b...@example.in, display name kept."""
    name, address = email.utils.parseaddr(help_address)
    local, _, domain = address.rpartition("@")
    return email.utils.formataddr((name, f"{local}+{token}@{domain}"))
