"""The SMS that carries a citizen's log-in code, sent at once rather than by the outbox's cron.

A code lives five minutes, too short to wait for `mail send`. The outbox
still gets its row, for the admin's Outbox screen, but with the code blotted
out: the full text exists only on its way to the gateway (and, in
development, in the development_sms table, which is where developers read it).
"""
from flask import current_app

from models import Outbox, database, notifications
from models.login_codes import CODE_DIGITS, CODE_LIFETIME
from models.timeutil import utcnow

from ..notify import render, sms
from ..notify.sender import deliver

TEMPLATE = "login_code"


def send(mobile, code, language):
    """Send `code` to `mobile`; returns whether the gateway took it."""
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    text, dlt_id = render.sms(TEMPLATE, language, {"code": code, "minutes": minutes})
    blotted, _ = render.sms(TEMPLATE, language, {"code": "•" * CODE_DIGITS, "minutes": minutes})
    now = utcnow()
    token = notifications.new_claim_token()
    with database.atomic():
        record = notifications.queue("sms", mobile, blotted, language=language, template=TEMPLATE,
                                     dlt_template_id=dlt_id)
        # Claimed by this request at once, so that no sender ever sends the blotted text.
        Outbox.update(status="sending", claim_token=token, claimed_at=now, attempts=1).where(
            Outbox.id == record.id).execute()
    outgoing = Outbox.get_by_id(record.id)
    outgoing.body_text = text  # in memory only
    deliver(outgoing, sms.backend(current_app.config), now)
    if outgoing.status == "pending":
        # A code is not worth trying again later (the back-off puts it a minute away): the citizen asks anew.
        Outbox.update(status="failed").where(Outbox.id == record.id, Outbox.status == "pending").execute()
    return outgoing.status == "sent"
