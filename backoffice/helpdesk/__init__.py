"""The help desk's mail: models/helpdesk.py's tickets with the mail they cause.

    reply(ticket, agent, text)    an agent's answer, on the thread and by mail to the requester
    ingest.ingest(raw)            one inbound message: stored once, threaded, acknowledged
    fetch.fetch()                 the help mailbox over IMAP (`flask --app wsgi helpdesk fetch`)

As backoffice/workflow.py does for requests, each call here makes the change
and queues its mail in one transaction. docs/helpdesk.md is the whole story.
"""
from flask import current_app

from models import database, helpdesk

from .. import notify


def token_key():
    """What thread tokens are signed with: the app's SECRET_KEY, which only the server knows."""
    return current_app.config["SECRET_KEY"]


def reply(ticket, agent, text, now=None):
    """The agent's answer on the thread, mailed to the requester when he has an address; returns the message.

    The mail's Message-ID and Reply-To carry the ticket's token (notify.reply),
    so his answer comes back to this ticket; a requester without an address
    (an app user) reads it in the app.
    """
    with database.atomic():
        # Queued first for its Message-ID; a refused reply (not an agent, no text) rolls it back.
        requester = ticket.requester
        row = notify.reply(requester, helpdesk.reply_subject(ticket), text, about=ticket) if requester else None
        return helpdesk.reply(ticket, agent, text, message_id=row.message_id if row else None, now=now)
