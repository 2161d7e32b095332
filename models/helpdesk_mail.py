"""Inbound e-mail into the help desk: each message stored once, on the right ticket or in the system-mail log.

`receive(mail, key)` takes a message already decoded (backoffice/helpdesk/parse.py
makes the InboundMail) and decides, in one transaction:

- seen before? The same Message-ID with the same body, or the same bytes when
  there is no Message-ID, is stored once: a second delivery, a fetch run again
  after a dropped connection, two fetchers at once.
- which ticket? Most trusted first: our signed token in In-Reply-To or
  References (the Message-ID of every mail about a ticket carries it), then the
  token plus-addressed in a recipient (help+TOKEN@...), then the subject's
  [JS-204815], accepted only from the requester or a participant: anyone can
  type a number into a subject.
- otherwise a person's mail opens a ticket; machine mail (auto-replies, bulk,
  bounces) never does, it goes to the system-mail log, and a bounce of mail we
  sent puts the failed address on the outbox's bounce list.
"""
import dataclasses
import datetime
import hashlib
import re

from peewee import IntegrityError, fn

from . import helpdesk, notifications
from .db import database
from .helpdesk import HelpTicket, TicketMessage
from .people import Citizen, Officer
from .timeutil import utcnow

# A sender gets at most this many acknowledgements of new tickets in the window:
# enough for a person, too few for a mail loop or a flood to become one of ours.
ACK_LIMIT = 3
ACK_WINDOW = datetime.timedelta(hours=1)
# A report refers to the one message it returns; a long References chain is read this far.
MAX_REFERENCES = 100
_DEVANAGARI = re.compile("[\u0900-\u097f]")
_BODY = re.compile(rb"\r?\n\r?\n")


@dataclasses.dataclass
class InboundMail:
    """One inbound message as the help desk needs it, decoded."""
    raw: bytes
    message_id: str | None = None  # "<...>", or None when missing or unusable
    sender: str = ""  # the one From address, lower case; "" when it cannot be known
    sender_name: str = ""  # the display name; the From header as written when the sender is unknown
    subject: str = ""
    text: str = ""
    html: str | None = None  # sanitised
    references: list = dataclasses.field(default_factory=list)  # Message-IDs it answers
    recipients: str = ""  # the headers it was addressed by (To, Cc, Delivered-To ...), for a plus token
    category: str = "person"  # helpdesk.CATEGORIES
    bounced: list = dataclasses.field(default_factory=list)  # (address, status, diagnostic) that failed
    attachments: list = dataclasses.field(default_factory=list)  # (filename, content type, bytes or None, size)
    charset_guessed: bool = False
    quarantined: bool = False


@dataclasses.dataclass
class Received:
    message: TicketMessage
    ticket: HelpTicket | None  # None: in the system-mail log
    created: bool = False  # the message opened the ticket
    duplicate: bool = False  # seen before: nothing was stored
    acknowledge: bool = False  # the caller queues the acknowledgement, in the same transaction


def receive(mail, key, now=None):
    """Store `mail` (an InboundMail) once, threaded by tokens signed with `key`; returns a Received."""
    now = now or utcnow()
    for attempt in range(3):
        try:
            with database.atomic():
                return _receive(mail, key, now)
        except IntegrityError:
            # Another process stored the same message, or created the same
            # citizen, a moment ago: the next round finds it.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _receive(mail, key, now):
    sha256 = hashlib.sha256(mail.raw).hexdigest()
    seen, message_id = _seen(mail, sha256)
    if seen is not None:
        return Received(seen, seen.ticket, duplicate=True)
    ticket, threaded_by = _thread(mail, key)
    created = ticket is None and mail.category == "person"
    if created:
        ticket = helpdesk.create_ticket(requester_for(mail), mail.subject, channel="email", now=now)
    message = helpdesk.add_message(
        ticket, "inbound", mail.text, attachments=mail.attachments, now=now,
        sender_address=mail.sender, sender_name=mail.sender_name[:300], subject=mail.subject,
        body_html=mail.html, raw=mail.raw, raw_sha256=sha256, size=len(mail.raw), message_id=message_id,
        category=mail.category, threaded_by=threaded_by, charset_guessed=mail.charset_guessed,
        quarantined=mail.quarantined)
    if threaded_by in ("token", "reply_to") and mail.category == "person" and mail.sender:
        # He answered our mail, so the thread was given to him: his later mail may use the subject tag.
        helpdesk.add_participant(ticket, mail.sender)
    for address, status, diagnostic in _bounced_by_us(mail):
        notifications.mark_bounced(address, status=status, diagnostic=diagnostic, message=message, now=now)
    acknowledge = created and _may_acknowledge(ticket, mail.sender, now)
    if acknowledge:
        ticket.acknowledged_at = now
        ticket.save(only=[HelpTicket.acknowledged_at])
    return Received(message, ticket, created=created, acknowledge=acknowledge)


def _seen(mail, sha256):
    """(the stored copy of `mail`, or None; the Message-ID to store it under)."""
    same_bytes = TicketMessage.get_or_none(TicketMessage.raw_sha256 == sha256)
    if same_bytes is not None or mail.message_id is None:
        return same_bytes, mail.message_id
    same_id = TicketMessage.get_or_none(TicketMessage.message_id == mail.message_id)
    if same_id is None:
        return None, mail.message_id
    # Our own mail come back (a loop), or the same message by another route,
    # its trace headers different: seen. The same Message-ID from another
    # sender, on another subject or body, is another message (some senders
    # reuse them): kept, under its bytes alone.
    if same_id.raw is None or (
            (same_id.sender_address, same_id.sender_name, same_id.subject) == (mail.sender, mail.sender_name[:300],
                                                                               mail.subject)
            and _body_digest(bytes(same_id.raw)) == _body_digest(mail.raw)):
        return same_id, None
    return None, None


def _body_digest(raw):
    # Line endings differ by route (an MTA's pipe gives LF, IMAP CRLF): not the message.
    parts = _BODY.split(raw, maxsplit=1)
    return hashlib.sha256(parts[1].replace(b"\r\n", b"\n") if len(parts) == 2 else b"").hexdigest()


def _thread(mail, key):
    """(the ticket `mail` belongs to, how it was found), or (None, "").

    A ticket merged into another sends its mail on to that one (helpdesk.live).
    """
    ticket = helpdesk.ticket_for_tokens(mail.references, key)
    if ticket is not None:
        return helpdesk.live(ticket), "token"
    plus = re.findall(r"\+([^@\s<>,;\"]+)@", mail.recipients)
    ticket = helpdesk.ticket_for_tokens(plus, key)
    if ticket is not None:
        return helpdesk.live(ticket), "reply_to"
    match = helpdesk.SUBJECT_TAG.search(mail.subject)
    if match and mail.sender:
        ticket = HelpTicket.get_or_none(HelpTicket.number == match.group(1).upper())
        if ticket is not None and helpdesk.participates(ticket, mail.sender):
            return helpdesk.live(ticket), "subject"
    return None, ""


def _bounced_by_us(mail):
    """The failed recipients of a bounce that are addresses we sent the mail it returns.

    Anyone can send a delivery report naming any address: one that refers to none of our Message-IDs (the
    returned message's, In-Reply-To, References; our signed thread token is in those too), or names a
    recipient that mail never went to, is kept in the system-mail log for agents to read and stops nobody's mail.
    """
    if not mail.bounced or not mail.references:
        return []
    sent_to = {address.lower() for (address,) in notifications.Outbox.select(notifications.Outbox.address)
               .where(notifications.Outbox.channel == "email",
                      notifications.Outbox.message_id.in_(mail.references[:MAX_REFERENCES])).tuples()}
    return [bounce for bounce in mail.bounced if bounce[0] in sent_to]


def requester_for(mail):
    """The officer with the sender's address, else the citizen, else a new citizen holding only the address.

    Addresses are compared whole, without regard to case; None when the sender is unknown.
    """
    address = mail.sender
    if not address:
        return None
    officer = Officer.get_or_none(fn.LOWER(Officer.email) == address)
    if officer is not None:
        return officer
    citizen = Citizen.select().where(fn.LOWER(Citizen.email) == address).order_by(Citizen.id).first()
    if citizen is not None:
        return citizen
    # His language is not known: the one he wrote in, for the acknowledgement.
    language = "hi" if _DEVANAGARI.search(f"{mail.subject} {mail.text}") else "en"
    return Citizen.create(email=address, language=language)


def _may_acknowledge(ticket, address, now):
    if not address or notifications.bounce_for(address) is not None:
        return False
    since = now - ACK_WINDOW
    same_requester = ((HelpTicket.requester_officer == ticket.requester_officer_id)
                      if ticket.requester_officer_id else (HelpTicket.requester_citizen == ticket.requester_citizen_id))
    return HelpTicket.select().where(same_requester, HelpTicket.acknowledged_at >= since).count() < ACK_LIMIT


def system_mail():
    """The system-mail log: inbound mail on no ticket (auto-replies, bounces, bulk, unreadable), newest first."""
    return (TicketMessage.select().where(TicketMessage.ticket.is_null(), TicketMessage.kind == "inbound")
            .order_by(TicketMessage.created_at.desc(), TicketMessage.id.desc()))
