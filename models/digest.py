"""Each officer's daily digest: what is due today, what is overdue, new appeals, unread circulars.

`queue_digests` goes through the active officers and hands each digest with
anything in it to `tell` (the caller's: backoffice/notify renders and queues
the mail). A DigestSent row per officer and day, written in the same
transaction, keeps a second run that day (cron retried, two machines) from
queueing it again.
"""
import datetime

from peewee import DateField, DateTimeField, ForeignKeyField, IntegrityError

from . import circulars, clock
from .appeals import Appeal
from .catalogue import Service
from .db import BaseModel, database
from .deadlines import STOPPED
from .people import Officer
from .requests import ServiceRequest
from .timeutil import utcnow

SECTIONS = ("due_today", "overdue", "new_appeals", "unread_circulars")


class DigestSent(BaseModel):
    officer = ForeignKeyField(Officer, backref="+", on_delete="CASCADE")
    day = DateField()  # the IST day it was for
    sent_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "digest_sent"
        indexes = ((("officer", "day"), True),)


def digest_for(officer, today, now=None):
    """{section: [rows]} for `officer` on the IST day `today`; every list may be empty.

    Due today and overdue go by IST days, as working-day limits do: a request
    due at any moment of `today` is due today, one due before it began is overdue.
    """
    open_requests = (ServiceRequest.select(ServiceRequest, Service).join(Service)
                     .where(ServiceRequest.assigned_officer == officer, ServiceRequest.status.not_in(STOPPED))
                     .order_by(ServiceRequest.due_at, ServiceRequest.id))
    start, end = clock.ist_day_start(today), clock.ist_day_end(today)
    return {
        "due_today": list(open_requests.where(ServiceRequest.due_at.between(start, end))),
        "overdue": list(open_requests.where(ServiceRequest.due_at < start)),
        "new_appeals": _new_appeals(officer, _last_digest(officer, today, now)),
        "unread_circulars": list(circulars.unread(officer)),
    }


def _last_digest(officer, today, now):
    """When the officer's previous digest went; a day before `now` when none did."""
    previous = (DigestSent.select(DigestSent.sent_at)
                .where(DigestSent.officer == officer, DigestSent.day < today)
                .order_by(DigestSent.day.desc()).first())
    return previous.sent_at if previous else (now or utcnow()) - datetime.timedelta(days=1)


def _new_appeals(officer, since):
    """The requests appealed to `officer` since `since` (naive UTC) and still his to act on, oldest first."""
    return list(ServiceRequest.select(ServiceRequest, Service).join(Service)
                .switch(ServiceRequest).join(Appeal, on=(Appeal.request == ServiceRequest.id))
                .where(Appeal.authority == officer, Appeal.appealed_at >= since,
                       ServiceRequest.appealed_to == officer, ServiceRequest.status.not_in(STOPPED))
                .order_by(Appeal.appealed_at, ServiceRequest.id))


def queue_digests(today, tell, now=None):
    """Hand each active officer's digest for `today` to `tell(officer, digest)`, at most once a day.

    Returns counts: queued, empty (nothing to say: nothing sent) and already
    (sent earlier that day). Each officer's digest is its own transaction, so a
    run cut short keeps what it queued, and the next run does the rest.
    """
    counts = {"queued": 0, "empty": 0, "already": 0}
    for officer in Officer.select().where(Officer.active == True).order_by(Officer.id):  # noqa: E712
        if DigestSent.select().where(DigestSent.officer == officer, DigestSent.day == today).exists():
            counts["already"] += 1
            continue
        digest = digest_for(officer, today, now)
        if not any(digest.values()):
            counts["empty"] += 1
            continue
        with database.atomic():
            try:
                with database.atomic():
                    # The unique index decides between two runs at once: the second waits, then fails here.
                    DigestSent.create(officer=officer, day=today, sent_at=now or utcnow())
            except IntegrityError:
                counts["already"] += 1
                continue
            tell(officer, digest)
        counts["queued"] += 1
    return counts
