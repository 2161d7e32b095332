"""The outbox: every e-mail and SMS the product sends, as a row first.

A notification is inserted in the transaction of the change that causes it,
so a rolled-back change sends nothing and a committed one is never
forgotten. Senders (`flask --app wsgi mail send`, from cron) then claim due
rows, hand them over and record the outcome here:

    pending --claim--> sending --> sent
       ^                  |------> pending    (temporary failure: later, with back-off)
       |                  |------> failed     (permanent, or out of attempts)
       |                  '------> uncertain  (handed over, no answer: maybe delivered)
       '---- retry by an admin ---- failed, uncertain

Nothing leaves `uncertain` by itself: sending again could deliver the
message twice, so an admin decides (models and rules here, no Flask).

An address that bounced (the help desk reads the bounce, models/helpdesk_mail.py)
is on the bounce list: the sender fails mail to it instead of sending, until
the person's address is corrected or the bounce cleared.
"""
import datetime
import uuid

from peewee import BlobField, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .db import BaseModel, choices, database, is_postgresql
from .errors import DomainError
from .helpdesk import HelpTicket, TicketMessage
from .people import LANGUAGES, Officer
from .requests import ServiceRequest
from .timeutil import utcnow

CHANNELS = ("email", "sms")
STATUSES = ("pending", "sending", "sent", "failed", "uncertain")

# Waits between attempts double from BACKOFF_BASE up to BACKOFF_CAP; with
# these numbers a message keeps being tried for about 18 hours, so a mail
# server or SMS gateway down for an afternoon loses nothing.
BACKOFF_BASE = datetime.timedelta(minutes=1)
BACKOFF_CAP = datetime.timedelta(hours=1)
MAX_ATTEMPTS = 24
# A row still 'sending' this long after its claim belongs to a sender that
# died, perhaps after handing the message over.
STUCK_AFTER = datetime.timedelta(minutes=15)
# What a row can be about; each is a column of its own, so the request's,
# ticket's or officer's screen can find its messages.
ABOUT = {ServiceRequest: "about_request", HelpTicket: "about_ticket", Officer: "about_officer"}


class Outbox(BaseModel):
    channel = CharField(max_length=8, choices=choices(CHANNELS))
    address = CharField(max_length=254, index=True)  # an e-mail address, or a mobile number
    name = CharField(max_length=150, default="")  # the recipient's, for the To header
    language = CharField(max_length=2, choices=choices(LANGUAGES))
    template = CharField(max_length=64)  # "" for a person's own words (a help-desk reply)
    subject = TextField(default="")
    body_text = TextField()
    body_html = TextField(null=True)
    reply_to = CharField(max_length=254, null=True)
    # Automatic mail says so (Auto-Submitted), so that out-of-office replies stay away.
    automatic = BooleanField(default=True)
    # Chosen when queued and kept through every retry: a duplicate delivery
    # carries the same Message-ID, and the help desk threads replies on it.
    message_id = CharField(max_length=255, null=True, unique=True)
    dlt_template_id = CharField(max_length=32, null=True)  # SMS: the operator-registered template
    status = CharField(max_length=10, choices=choices(STATUSES), default="pending")
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=utcnow)
    claim_token = CharField(max_length=32, null=True, index=True)
    claimed_at = DateTimeField(null=True)
    last_error = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    # The mail outlives what it was about (its text is all it needs).
    about_request = ForeignKeyField(ServiceRequest, null=True, backref="notifications", on_delete="SET NULL")
    about_ticket = ForeignKeyField(HelpTicket, null=True, backref="notifications", on_delete="SET NULL")
    about_officer = ForeignKeyField(Officer, null=True, backref="notifications", on_delete="SET NULL")

    class Meta:
        table_name = "outbox"
        indexes = ((("status", "next_attempt_at"), False),)

    def __str__(self):
        return f"{self.channel} to {self.address}: {self.template or self.subject}"


class OutboxAttachment(BaseModel):
    outbox = ForeignKeyField(Outbox, backref="attachments", on_delete="CASCADE")
    filename = CharField(max_length=255)
    content_type = CharField(max_length=100)
    content = BlobField()

    class Meta:
        table_name = "outbox_attachment"


class DevelopmentSms(BaseModel):
    """What the development SMS backend 'sent', for a developer (and the tests) to read."""
    outbox = ForeignKeyField(Outbox, null=True, backref="+", on_delete="CASCADE")
    mobile = CharField(max_length=15)
    text = TextField()
    dlt_template_id = CharField(max_length=32, null=True)
    segments = IntegerField()
    at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "development_sms"


class BouncedAddress(BaseModel):
    address = CharField(max_length=254, unique=True)  # lower case
    status = CharField(max_length=16, default="")  # the report's status code, 5.1.1
    diagnostic = TextField(default="")
    bounced_at = DateTimeField(default=utcnow)
    message = ForeignKeyField(TicketMessage, null=True, backref="+", on_delete="SET NULL")  # the bounce itself

    class Meta:
        table_name = "bounced_address"

    def __str__(self):
        return f"{self.address} ({self.status})"


def new_message_id(domain, token=None):
    """A Message-ID of ours; `token` (a help-desk thread token) leads it, so that answers find their ticket.

    With a token, 64 random bits are enough to tell the ticket's mails apart, and the header stays short.
    """
    return f"<{token}.{uuid.uuid4().hex[:16]}@{domain}>" if token else f"<{uuid.uuid4().hex}@{domain}>"


def queue(channel, address, body_text, *, language, template="", name="", subject="", body_html=None,
          reply_to=None, automatic=True, message_id=None, dlt_template_id=None, about=None, attachments=()):
    """Insert one notification in the caller's transaction; `attachments` are (filename, content type, bytes)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    about_fields = {}
    if about is not None:
        column = ABOUT.get(type(about))
        if column is None:
            raise ValueError(f"a notification cannot be about a {type(about).__name__}")
        about_fields[column] = about
    with database.atomic():
        row = Outbox.create(
            channel=channel, address=address, name=name, language=language, template=template,
            subject=subject, body_text=body_text, body_html=body_html, reply_to=reply_to,
            automatic=automatic, message_id=message_id, dlt_template_id=dlt_template_id, **about_fields)
        for filename, content_type, content in attachments:
            OutboxAttachment.create(outbox=row, filename=filename, content_type=content_type, content=content)
    return row


# --- senders -----------------------------------------------------------------

def new_claim_token():
    return uuid.uuid4().hex


def claim(token, now, limit):
    """Take up to `limit` due rows for this sender, marked 'sending' under `token`.

    No row is ever claimed twice: on SQLite writers take turns and the
    UPDATE checks the status again; on PostgreSQL the due rows are locked
    first, skipping those another sender is claiming at that moment.
    """
    due = (Outbox.select(Outbox.id)
           .where((Outbox.status == "pending") & (Outbox.next_attempt_at <= now))
           .order_by(Outbox.next_attempt_at, Outbox.id).limit(limit))
    if is_postgresql():
        # Read, not used as a subquery of the UPDATE: PostgreSQL may run such a
        # subquery again for each row it updates, SKIP LOCKED then finding
        # further rows each time, and one sender would take them all.
        with database.atomic():
            _take([row.id for row in due.for_update(skip_locked=True)], token, now)
    else:
        _take(due, token, now)
    return list(Outbox.select().where((Outbox.claim_token == token) & (Outbox.status == "sending"))
                .order_by(Outbox.id))


def _take(ids, token, now):
    Outbox.update(status="sending", claim_token=token, claimed_at=now, attempts=Outbox.attempts + 1).where(
        Outbox.id.in_(ids) & (Outbox.status == "pending")).execute()


def _finish(row, **fields):
    """Record the outcome of `row`'s claim, unless the claim is no longer its own."""
    changed = Outbox.update(**fields).where(
        (Outbox.id == row.id) & (Outbox.status == "sending") & (Outbox.claim_token == row.claim_token)).execute()
    for name, value in fields.items():
        setattr(row, name, value)
    return changed == 1


def mark_sent(row, now):
    return _finish(row, status="sent", sent_at=now, last_error="")


def mark_failed(row, error):
    return _finish(row, status="failed", last_error=error)


def mark_uncertain(row, error):
    return _finish(row, status="uncertain", last_error=error)


def retry_later(row, error, now):
    """A temporary failure: try again after the back-off, or give up after MAX_ATTEMPTS."""
    if row.attempts >= MAX_ATTEMPTS:
        return mark_failed(row, f"{error} (gave up after {row.attempts} attempts)")
    return _finish(row, status="pending", next_attempt_at=now + backoff(row.attempts), last_error=error)


def backoff(attempts):
    """The wait after the `attempts`-th failed attempt: 1, 2, 4 ... minutes, at most an hour."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def expire_stuck(now):
    """Rows whose sender died mid-send become 'uncertain'; returns how many."""
    return Outbox.update(status="uncertain", last_error="the sender stopped while sending").where(
        (Outbox.status == "sending") & (Outbox.claimed_at < now - STUCK_AFTER)).execute()


# --- the bounce list --------------------------------------------------------------

def mark_bounced(address, *, status="", diagnostic="", message=None, now=None):
    """Put `address` on the bounce list (again: the latest bounce is kept)."""
    address = address.strip().lower()
    fields = {"status": status[:16], "diagnostic": diagnostic, "bounced_at": now or utcnow(), "message": message}
    with database.atomic():
        if BouncedAddress.update(**fields).where(BouncedAddress.address == address).execute() == 0:
            BouncedAddress.create(address=address, **fields)


def bounce_for(address):
    """The bounce that stops mail to `address`, or None."""
    return BouncedAddress.get_or_none(BouncedAddress.address == (address or "").strip().lower())


def clear_bounce(address):
    """Send to `address` again: someone found that it works now."""
    return BouncedAddress.delete().where(BouncedAddress.address == address.strip().lower()).execute()


# --- an administrator's decisions ------------------------------------------------

def retry(row, now=None):
    """Send a failed or uncertain message again, with its Message-ID, from a fresh count of attempts."""
    if row.status not in ("failed", "uncertain"):
        raise DomainError("outbox_not_retryable", status=row.status)
    row.status, row.attempts, row.next_attempt_at = "pending", 0, now or utcnow()
    row.claim_token = row.claimed_at = None
    row.save(only=[Outbox.status, Outbox.attempts, Outbox.next_attempt_at, Outbox.claim_token,
                   Outbox.claimed_at])


def confirm_sent(row, now=None):
    """An admin found out that an uncertain message did arrive."""
    if row.status != "uncertain":
        raise DomainError("outbox_not_uncertain", status=row.status)
    row.status, row.sent_at = "sent", now or utcnow()
    row.save(only=[Outbox.status, Outbox.sent_at])
