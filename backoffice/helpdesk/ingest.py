"""One inbound message into the help desk: `flask --app wsgi helpdesk ingest` (an MTA's pipe) and fetch.py."""
from models import database, helpdesk_mail

from .. import notify
from . import parse, token_key

ACKNOWLEDGEMENT = "helpdesk_ticket_received"
# sysexits.h: the MTA keeps the message and tries again later.
EX_TEMPFAIL = 75


def ingest(raw, now=None):
    """Store `raw` (an RFC 5322 message's bytes) once and acknowledge a new ticket; returns helpdesk_mail.Received.

    Decoding never fails (parse.py); what raises here is the database or the
    disk, and then nothing is stored: the caller must keep the message and
    offer it again (fetch leaves it in the mailbox, the MTA gets EX_TEMPFAIL).
    """
    mail = parse.parse(raw)
    with database.atomic():
        received = helpdesk_mail.receive(mail, token_key(), now)
        if received.acknowledge:
            # By mail only: he wrote by mail, and an SMS template must be registered word for word.
            notify.tell(received.ticket.requester, ACKNOWLEDGEMENT, about=received.ticket, channels=("email",),
                        ticket=received.ticket)
    return received
